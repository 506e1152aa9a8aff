"""Device supervision glue: observe each button, keep repair issues in step (R11).

A change of one of a button's entities re-checks that button only; every
button is re-checked periodically (so silence is noticed). The supervisor
knows nothing of incidents or phones: it reports a changed problem through
the callback `__init__` gives it, and its health entities listen per button.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Final

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.const import (
    ATTR_DEVICE_CLASS,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .health import Observation, Problem, assess
from .model import Button, TownHall

_LOGGER = logging.getLogger(__name__)
CHECK_INTERVAL: Final = timedelta(minutes=5)

# (button, its problem or None, whether the facilities staff should be told)
type ProblemCallback = Callable[[Button, Problem | None, bool], None]


class Supervisor:
    """Keeps every button's health current and raises/clears repair issues."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        last_seen: Callable[[str], datetime | None],
        on_problem: ProblemCallback,
    ) -> None:
        self.hass = hass
        self.config = config
        self.problems: dict[str, Problem | None] = {}
        self._last_seen = last_seen
        self._on_problem = on_problem
        self._started = dt_util.utcnow()
        self._unsubs: list[CALLBACK_TYPE] = []
        self._listeners: dict[str, list[CALLBACK_TYPE]] = {}

    @callback
    def async_add_listener(
        self, button_id: str, update: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `update` when this button is re-assessed."""
        listeners = self._listeners.setdefault(button_id, [])
        listeners.append(update)
        return lambda: listeners.remove(update)

    @callback
    def async_start(self) -> None:
        """Watch the buttons' entities and re-check periodically."""
        self._started = dt_util.utcnow()
        current = {f"button_{b.id}" for b in self.config.buttons}
        for domain, issue_id in list(ir.async_get(self.hass).issues):
            removed = issue_id.startswith("button_") and issue_id not in current
            if domain == DOMAIN and removed:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        owners: dict[str, list[Button]] = {}
        for button in self.config.buttons:
            for entity_id in self._entities(button):
                owners.setdefault(entity_id, []).append(button)

        @callback
        def _changed(event: Event[EventStateChangedData]) -> None:
            for button in owners.get(event.data["entity_id"], ()):
                self._check(button, dt_util.utcnow())

        if owners:
            self._unsubs.append(
                async_track_state_change_event(self.hass, list(owners), _changed)
            )
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._interval, CHECK_INTERVAL, cancel_on_shutdown=True
            )
        )
        self.async_check()

    @callback
    def async_stop(self) -> None:
        """Stop watching."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    @callback
    def _interval(self, now: datetime) -> None:
        self.async_check()

    @callback
    def async_check(self) -> None:
        """Assess every button (and refresh every health entity)."""
        now = dt_util.utcnow()
        for button in self.config.buttons:
            if not self._check(button, now):
                for update in self._listeners.get(button.id, ()):
                    update()  # last seen moves on even when the problem does not

    def _check(self, button: Button, now: datetime) -> bool:
        """Assess one button; on a change, sync its issue. True if it changed."""
        unseen = timedelta(hours=self.config.timings.unseen_hours)
        problem = assess(self.observe(button), now, unseen)
        if self.problems.get(button.id, "unset") == problem:
            return False
        before = self.problems.get(button.id)
        self.problems[button.id] = problem
        self._on_problem(button, problem, self._sync_issue(button, problem, before))
        for update in self._listeners.get(button.id, ()):
            update()
        return True

    def _entities(self, button: Button) -> list[str]:
        """Entity ids that tell about the button: its own, and its device's."""
        ent_reg = er.async_get(self.hass)
        device_id = button.device_id
        if button.entity_id:
            entry = ent_reg.async_get(button.entity_id)
            device_id = entry.device_id if entry else None
        ids = [button.entity_id] if button.entity_id else []
        if device_id:
            ids += [
                e.entity_id
                for e in er.async_entries_for_device(ent_reg, device_id)
                if e.entity_id not in ids
            ]
        return ids

    def observe(self, button: Button) -> Observation:
        """Collect what Home Assistant knows about a button."""
        if button.device_id and not dr.async_get(self.hass).async_get(button.device_id):
            return Observation(exists=False, available=False)
        states = [s for e in self._entities(button) if (s := self.hass.states.get(e))]
        if button.entity_id:
            own = self.hass.states.get(button.entity_id)
            if own is None:
                return Observation(exists=False, available=False)
            available = own.state != STATE_UNAVAILABLE
        else:
            # A device with no entities can only be judged by its reports.
            available = not states or any(s.state != STATE_UNAVAILABLE for s in states)
        battery: float | None = None
        battery_low = False
        for state in states:
            if state.attributes.get(ATTR_DEVICE_CLASS) != SensorDeviceClass.BATTERY:
                continue
            if state.domain == "binary_sensor":
                battery_low = battery_low or state.state == STATE_ON
            elif state.state not in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                try:
                    battery = float(state.state)
                except ValueError:
                    continue
        seen = [s.last_reported for s in states if s.state != STATE_UNAVAILABLE]
        if (heard := self._last_seen(button.id)) is not None:
            seen.append(heard)
        # Nothing heard since start-up is judged from start-up, not from never.
        last_seen = max(seen, default=self._started)
        return Observation(
            exists=True,
            available=available,
            battery_percent=battery,
            battery_low=battery_low,
            last_seen=last_seen,
        )

    def _sync_issue(
        self, button: Button, problem: Problem | None, before: Problem | None
    ) -> bool:
        """Raise or clear the button's repair issue; True if people should be told."""
        issue_id = f"button_{button.id}"
        room = self.config.room(button.room_id)
        room_name = room.name if room else "?"
        if problem is None:
            if before is not None:
                _LOGGER.info(
                    "Panic button %s in %s works again", button.name, room_name
                )
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return False
        _LOGGER.warning("Panic button %s in %s: %s", button.name, room_name, problem)
        known = ir.async_get(self.hass).async_get_issue(DOMAIN, issue_id)
        # Told once per problem, not again at every restart or reload.
        tell = known is None or known.translation_key != f"button_{problem}"
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=f"button_{problem}",
            translation_placeholders={"button": button.name, "room": room_name},
        )
        return tell
