"""Device supervision glue: observe each button, keep repair issues in step (R11)."""

from __future__ import annotations

from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING

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
from .model import Button

if TYPE_CHECKING:
    from .alarm import TownHallAlarm

_LOGGER = logging.getLogger(__name__)
CHECK_INTERVAL = timedelta(minutes=5)


class Supervisor:
    """Keeps every button's health current and raises/clears repair issues."""

    def __init__(self, hass: HomeAssistant, alarm: TownHallAlarm) -> None:
        self.hass = hass
        self.alarm = alarm
        self.problems: dict[str, Problem | None] = {}
        self._started = dt_util.utcnow()
        self._unsubs: list[CALLBACK_TYPE] = []

    @callback
    def async_start(self) -> None:
        """Watch the buttons' entities and re-check periodically."""
        self._started = dt_util.utcnow()
        current = {f"button_{b.id}" for b in self.alarm.config.buttons}
        for domain, issue_id in list(ir.async_get(self.hass).issues):
            removed = issue_id.startswith("button_") and issue_id not in current
            if domain == DOMAIN and removed:
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        watched = [e for b in self.alarm.config.buttons for e in self._entities(b)]
        if watched:
            self._unsubs.append(
                async_track_state_change_event(self.hass, watched, self._changed)
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
    def _changed(self, event: Event[EventStateChangedData]) -> None:
        self.async_check()

    @callback
    def _interval(self, now: datetime) -> None:
        self.async_check()

    @callback
    def async_check(self) -> None:
        """Assess every button; raise or clear its repair issue on a change."""
        now = dt_util.utcnow()
        unseen = timedelta(hours=self.alarm.config.timings.unseen_hours)
        changed = False
        for button in self.alarm.config.buttons:
            problem = assess(self.observe(button), now, unseen)
            if self.problems.get(button.id, "unset") == problem:
                continue
            changed = True
            self.problems[button.id] = problem
            self._sync_issue(button, problem)
        if changed:
            self.alarm.async_notify()

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
        watcher = self.alarm.buttons.watchers.get(button.id)
        if watcher is not None and watcher.last_seen is not None:
            seen.append(watcher.last_seen)
        # Nothing heard since start-up is judged from start-up, not from never.
        last_seen = max(seen, default=self._started)
        return Observation(
            exists=True,
            available=available,
            battery_percent=battery,
            battery_low=battery_low,
            last_seen=last_seen,
        )

    def _sync_issue(self, button: Button, problem: Problem | None) -> None:
        issue_id = f"button_{button.id}"
        if problem is None:
            ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            return
        room = self.alarm.config.room(button.room_id)
        _LOGGER.warning(
            "Panic button %s in %s: %s", button.name, room and room.name, problem
        )
        known = ir.async_get(self.hass).async_get_issue(DOMAIN, issue_id)
        if known is None or known.translation_key != f"button_{problem}":
            # Told once per problem, not again at every restart or reload.
            self.alarm.entry.async_create_task(
                self.hass,
                self.alarm.dispatcher.async_button_problem(
                    button.name, room.name if room else "?", problem.value
                ),
                f"raadhus_alarm button {button.id}",
            )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            issue_id,
            is_fixable=False,
            is_persistent=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key=f"button_{problem}",
            translation_placeholders={
                "button": button.name,
                "room": room.name if room else "?",
            },
        )
