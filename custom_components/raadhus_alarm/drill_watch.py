"""The yearly assault drill (R9): a reminder before it is due, a repair issue after.

The last drill is the newest incident marked as a drill in the incident log
(none: counted from when the town hall was set up). A month before the next
one is due the risk coordinator is reminded; from the due time on Home
Assistant shows the repair issue "no drill for 12 months", until an incident
is marked as a drill. What was told for which due date is stored, so a
restart neither repeats nor loses the reminder or the "due" event.
"""

from __future__ import annotations

from datetime import datetime
import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from . import notices
from .ban_messages import drill_message
from .bans import DRILL_MONTHS, drill_due, drill_reminder
from .const import DOMAIN, EVENT_DRILL, Role
from .core import AlarmCore, Change, IncidentChange
from .lookups import local_date
from .model import TownHall
from .sender import Sender

_LOGGER = logging.getLogger(__name__)

ISSUE_ID: Final = "no_drill"
STORAGE_VERSION: Final = 1


class DrillWatch:
    """Watches when the last drill was and tells before and after it is due."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        core: AlarmCore,
        sender: Sender,
        set_up_at: datetime,
    ) -> None:
        self.hass = hass
        self.config = config
        self.core = core
        self.sender = sender
        self.set_up_at = set_up_at
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.drill", atomic_writes=True
        )
        self._told: dict[str, str] = {}  # "reminder"/"due" -> the due date told
        self._timers: list[CALLBACK_TYPE] = []
        self._listeners: list[CALLBACK_TYPE] = []
        self._unsub: CALLBACK_TYPE | None = None

    def last_drill(self) -> datetime | None:
        """When the newest drill was raised (None: no drill in the log)."""
        return max((i.created_at for i in self.core.book.drills()), default=None)

    def next_due(self) -> datetime:
        """When the next drill is due (local time)."""
        last = self.last_drill()
        return drill_due(
            dt_util.as_local(last) if last else None,
            dt_util.as_local(self.set_up_at),
        )

    async def async_start(self) -> None:
        """Read what was told, follow the log's drills, check now."""
        try:
            stored = await self._store.async_load() or {}
        except Exception:  # a damaged file costs at most one repeated reminder
            _LOGGER.exception("What was told about the drill could not be read")
            stored = {}
        self._told = {
            k: v
            for k, v in stored.items()
            if k in ("reminder", "due") and isinstance(v, str)
        }
        self._unsub = self.core.async_subscribe(self._on_change)
        await self._async_check()

    @callback
    def async_stop(self) -> None:
        """Stop following the log and cancel the timers."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        self._cancel_timers()

    def _cancel_timers(self) -> None:
        for unsub in self._timers:
            unsub()
        self._timers.clear()

    @callback
    def _on_change(self, change: IncidentChange) -> None:
        held = change.change is Change.DRILL or (
            change.change is Change.CREATED and change.incident.drill
        )
        if not held:
            return
        if change.incident.drill:
            self.hass.bus.async_fire(
                EVENT_DRILL,
                {"type": "held", "incident_id": change.incident.id},
                context=change.context,
            )
        self.hass.async_create_task(self._async_check(), f"{DOMAIN} drill check")

    async def _async_check(self) -> None:
        """Raise or clear the repair issue; set the next timers."""
        self._cancel_timers()
        if self.core.log.partial:
            # Drills may be missing from the book: neither a false "no drill"
            # nor a reminder until the log is read whole again.
            _LOGGER.warning("The incident log is incomplete: the drill is not checked")
            return
        now = dt_util.utcnow()
        due = self.next_due()
        due_key = due.isoformat()
        if now >= due:
            last = self.last_drill()
            notices.async_raise(
                self.hass,
                ISSUE_ID,
                ISSUE_ID,
                {
                    "months": str(DRILL_MONTHS),
                    "since": local_date(last or self.set_up_at),
                },
                critical=False,
                notify=False,
            )
            if self._told.get("due") != due_key:
                self.hass.bus.async_fire(EVENT_DRILL, {"type": "due", "due": due_key})
                await self._async_remember("due", due_key)
        else:
            notices.async_clear(self.hass, ISSUE_ID)
            remind_at = drill_reminder(
                dt_util.as_local(last) if (last := self.last_drill()) else None,
                dt_util.as_local(self.set_up_at),
            )
            if self._told.get("reminder") != due_key:
                if remind_at <= now:  # set up or restarted within the month
                    self._remind_job(due)(now)
                else:
                    self._timers.append(
                        async_track_point_in_utc_time(
                            self.hass, self._remind_job(due), remind_at
                        )
                    )
            self._timers.append(
                async_track_point_in_utc_time(self.hass, self._check_job, due)
            )
        self._tell_listeners()

    @callback
    def _check_job(self, _now: datetime) -> None:
        self.hass.async_create_task(self._async_check(), f"{DOMAIN} drill due")

    def _remind_job(self, due: datetime) -> Any:
        @callback
        def _remind(_now: datetime) -> None:
            self.hass.async_create_task(self._async_remind(due), f"{DOMAIN} drill")

        return _remind

    async def _async_remind(self, due: datetime) -> None:
        if self.next_due() != due:
            return  # a drill was held meanwhile
        await self.sender.async_send_to_role(
            Role.RISK_COORDINATOR,
            lambda person, phone: drill_message(
                due=local_date(due), language=person.language, platform=phone.platform
            ),
        )
        self.hass.bus.async_fire(
            EVENT_DRILL, {"type": "reminder", "due": due.isoformat()}
        )
        await self._async_remember("reminder", due.isoformat())

    async def _async_remember(self, what: str, due_key: str) -> None:
        self._told[what] = due_key
        await self._store.async_save(dict(self._told))

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever the last drill or its due time may have changed."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    def _tell_listeners(self) -> None:
        for update in list(self._listeners):
            try:
                update()
            except Exception:
                _LOGGER.exception("A drill listener failed")
