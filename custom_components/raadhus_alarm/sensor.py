"""Sensors: each room's incident state; the town hall's totals.

The town hall's: active incidents, active attendance bans, the last drill,
and the response figures of the last 30 days (`statistics`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, UnitOfTime
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later, async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .entity import IncidentEntity, RaadhusEntity, add_by_subentry
from .incident import OPEN_STATES, IncidentState
from .model import Room
from .runtime import RaadhusConfigEntry, RaadhusRuntime
from .statistics import Figures, figures, in_window, next_window_change, of_kind

PARALLEL_UPDATES = 0
# The 30-day figures are worked out this long after a change (a burst: once).
REFRESH_DELAY: Final = 1.0
IDLE = "idle"
ROOM_STATES = [IDLE, *(s.value for s in IncidentState if s in OPEN_STATES)]
# Each response-time sensor: its key and the figure it shows.
RESPONSE_SENSORS: Final = {
    "acknowledge_median": "ack_median",
    "acknowledge_p90": "ack_p90",
    "on_scene_median": "on_scene_median",
    "on_scene_p90": "on_scene_p90",
}


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors."""
    entities: list[RaadhusEntity] = [
        RoomIncidentSensor(entry, room) for room in entry.runtime_data.config.rooms
    ]
    entities += [
        ActiveIncidentsSensor(entry),
        ActiveBansSensor(entry),
        LastDrillSensor(entry),
    ]
    window = ResponseWindow(entry.runtime_data)
    entities += [ResponseTimeSensor(entry, window, key) for key in RESPONSE_SENSORS]
    entities.append(RecentIncidentsSensor(entry, window))
    add_by_subentry(async_add_entities, entities)


class RoomIncidentSensor(IncidentEntity, SensorEntity):
    """idle, or the state of the room's open incident."""

    _attr_device_class = SensorDeviceClass.ENUM
    _attr_options = ROOM_STATES

    def __init__(self, entry: RaadhusConfigEntry, room: Room) -> None:
        super().__init__(entry, "incident_state", room)

    @property
    def native_value(self) -> str:
        """The room's state."""
        assert self.room is not None
        incident = self.runtime.core.book.open_for_room(self.room.id)
        return IDLE if incident is None else incident.state.value

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Who did the last step of the open incident."""
        assert self.room is not None
        incident = self.runtime.core.book.open_for_room(self.room.id)
        if incident is None:
            return {}
        step = incident.last_step
        return {
            "incident_id": incident.id,
            "since": step.at.isoformat(),
            "by": step.actor_name,
            "joins": len(incident.joins),
        }


class ActiveIncidentsSensor(IncidentEntity, SensorEntity):
    """Number of open incidents in the town hall."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, entry: RaadhusConfigEntry) -> None:
        super().__init__(entry, "active_incidents", None)

    @property
    def native_value(self) -> int:
        """How many incidents are open."""
        return len(self.runtime.core.book.open_incidents())

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The rooms in alarm."""
        return {"rooms": [i.room_name for i in self.runtime.core.book.open_incidents()]}


class ActiveBansSensor(RaadhusEntity, SensorEntity):
    """How many attendance bans are in force (R8); no case references."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, entry: RaadhusConfigEntry) -> None:
        super().__init__(entry, "active_bans", None)

    async def async_added_to_hass(self) -> None:
        """Follow the register (changes, starts, ends, deletions)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.bans.async_add_listener(self.async_write_ha_state)
        )

    @property
    def native_value(self) -> int:
        """The number of bans in force now."""
        return len(self.runtime.bans.active())

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the next one ends (the state is readable by every user)."""
        bans = self.runtime.bans.active()
        return {"next_end": bans[0].end.isoformat() if bans else None}


class LastDrillSensor(RaadhusEntity, SensorEntity):
    """When the last assault drill was (R9), and when the next is due."""

    _attr_device_class = SensorDeviceClass.TIMESTAMP

    def __init__(self, entry: RaadhusConfigEntry) -> None:
        super().__init__(entry, "last_drill", None)

    async def async_added_to_hass(self) -> None:
        """Follow the drills in the log."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.drills.async_add_listener(self.async_write_ha_state)
        )

    @property
    def native_value(self) -> datetime | None:
        """The newest drill (unknown while there has been none)."""
        return self.runtime.drills.last_drill()

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """When the next drill is due."""
        return {"next_due": dt_util.as_utc(self.runtime.drills.next_due()).isoformat()}


class ResponseWindow:
    """The last 30 days' figures, worked out once per change for all the sensors.

    Follows every change in the town hall while a sensor listens, and moves
    with the clock: the figures are worked out again the moment the oldest
    incident in the window leaves it.
    """

    def __init__(self, runtime: RaadhusRuntime) -> None:
        self.runtime = runtime
        self.real = Figures()
        self.drills = Figures()
        self._listeners: list[CALLBACK_TYPE] = []
        self._unfollow: CALLBACK_TYPE | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._pending: CALLBACK_TYPE | None = None

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` whenever the figures change (follow the core meanwhile)."""
        if self._unfollow is None:
            unsubs = [
                self.runtime.core.async_subscribe_hall(self._changed),
                # Home Assistant may stop without removing the entities.
                self.runtime.core.hass.bus.async_listen(
                    EVENT_HOMEASSISTANT_STOP, self._stopping
                ),
            ]

            def _unfollow() -> None:
                for unsub in unsubs:
                    unsub()

            self._unfollow = _unfollow
            self._refresh()
        self._listeners.append(update)

        @callback
        def _remove() -> None:
            self._listeners.remove(update)
            if not self._listeners and self._unfollow is not None:
                self._unfollow()
                self._unfollow = None
                self._cancel_timer()

        return _remove

    @callback
    def _stopping(self, _event: Event) -> None:
        self._cancel_timer()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer()
            self._timer = None
        if self._pending is not None:
            self._pending()
            self._pending = None

    def _refresh(self) -> None:
        now = dt_util.utcnow()
        recent = in_window(self.runtime.core.book.all(), now)
        self.real = figures(of_kind(recent, drills=False))
        self.drills = figures(of_kind(recent, drills=True))
        self._cancel_timer()
        if (moves := next_window_change(recent, now)) is not None:
            self._timer = async_track_point_in_utc_time(
                self.runtime.core.hass, self._moved, moves
            )

    @callback
    def _changed(self) -> None:
        # Not on the alarm path: the figures go over every incident of the
        # window, so a burst of changes is worked out once, a moment later.
        if self._pending is None:
            self._pending = async_call_later(
                self.runtime.core.hass, REFRESH_DELAY, self._worked_out
            )

    @callback
    def _worked_out(self, _now: datetime) -> None:
        """The changes' figures (the window's timer is set again by `_refresh`)."""
        self._pending = None
        self._refresh()
        for update in list(self._listeners):
            update()

    @callback
    def _moved(self, now: datetime) -> None:
        """The oldest incident left the window."""
        self._timer = None
        self._worked_out(now)


class ResponseTimeSensor(RaadhusEntity, SensorEntity):
    """Median or 90th percentile of a response time, last 30 days (no drills)."""

    _attr_device_class = SensorDeviceClass.DURATION
    _attr_native_unit_of_measurement = UnitOfTime.SECONDS
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_suggested_display_precision = 0

    def __init__(
        self, entry: RaadhusConfigEntry, window: ResponseWindow, key: str
    ) -> None:
        super().__init__(entry, key, None)
        self.window = window
        self.figure = RESPONSE_SENSORS[key]

    async def async_added_to_hass(self) -> None:
        """Follow the window."""
        await super().async_added_to_hass()
        self.async_on_remove(self.window.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> float | None:
        """Seconds (unknown while no incident of the window has that step)."""
        value: float | None = getattr(self.window.real, self.figure)
        return value


class RecentIncidentsSensor(RaadhusEntity, SensorEntity):
    """Incidents of the last 30 days, drills apart (false alarms included)."""

    _attr_state_class = SensorStateClass.MEASUREMENT

    def __init__(self, entry: RaadhusConfigEntry, window: ResponseWindow) -> None:
        super().__init__(entry, "incidents_30_days", None)
        self.window = window

    async def async_added_to_hass(self) -> None:
        """Follow the window."""
        await super().async_added_to_hass()
        self.async_on_remove(self.window.async_add_listener(self.async_write_ha_state))

    @property
    def native_value(self) -> int:
        """Real alarms raised in the last 30 days."""
        return self.window.real.count

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Of those, the false alarms; and the drills, counted apart."""
        return {
            "cancelled": self.window.real.cancelled,
            "drills": self.window.drills.count,
        }
