"""Binary sensors: room alarm, button health, officers on duty, police present."""

from __future__ import annotations

from typing import Any

from homeassistant.components.binary_sensor import BinarySensorEntity
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import STATE_ON, EntityCategory
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util

from .entity import IncidentEntity, RaadhusEntity, add_by_subentry
from .meetings import Meeting, monitored_now
from .model import Button, Room
from .runtime import RaadhusConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors."""
    config = entry.runtime_data.config
    entities: list[RaadhusEntity] = [
        RoomAlarmBinarySensor(entry, room) for room in config.rooms
    ]
    entities += [MonitoredMeetingBinarySensor(entry, room) for room in config.rooms]
    entities += [
        ButtonHealthBinarySensor(entry, button, room)
        for button in config.buttons
        if (room := config.room(button.room_id)) is not None
    ]
    for key, schedule in (
        ("officers_on_duty", config.schedules.officers_on_duty),
        ("police_present", config.schedules.police_present),
    ):
        if schedule:
            entities.append(ScheduleMirrorBinarySensor(entry, key, schedule))
    add_by_subentry(async_add_entities, entities)


class RoomAlarmBinarySensor(IncidentEntity, BinarySensorEntity):
    """On while the room has an open incident."""

    _attr_device_class = BinarySensorDeviceClass.SAFETY

    def __init__(self, entry: RaadhusConfigEntry, room: Room) -> None:
        super().__init__(entry, "alarm", room)

    @property
    def is_on(self) -> bool:
        """Whether the room is in alarm."""
        assert self.room is not None
        return self.runtime.core.book.open_for_room(self.room.id) is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The open incident, if any."""
        assert self.room is not None
        incident = self.runtime.core.book.open_for_room(self.room.id)
        if incident is None:
            return {}
        return {
            "incident_id": incident.id,
            "incident_state": str(incident.state),
            "since": incident.created_at.isoformat(),
            "drill": incident.drill,
        }


class ButtonHealthBinarySensor(RaadhusEntity, BinarySensorEntity):
    """Problem when the button is unavailable, low on battery or not heard from."""

    _attr_device_class = BinarySensorDeviceClass.PROBLEM
    _attr_entity_category = EntityCategory.DIAGNOSTIC

    def __init__(self, entry: RaadhusConfigEntry, button: Button, room: Room) -> None:
        super().__init__(entry, "button_health", room, button)
        self.button = button
        self._attr_unique_id = f"{button.id}_health"

    async def async_added_to_hass(self) -> None:
        """Follow this button's assessments (never incidents, never presses)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.supervisor.async_add_listener(
                self.button.id, self.async_write_ha_state
            )
        )

    @property
    def is_on(self) -> bool:
        """Whether the button has a problem."""
        return self.runtime.supervisor.problems.get(self.button.id) is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Why, and when the button was last heard from (as of the last check)."""
        problem = self.runtime.supervisor.problems.get(self.button.id)
        last = self.runtime.buttons.last_seen(self.button.id)
        return {
            "problem": str(problem) if problem else None,
            "last_seen": last.isoformat() if last else None,
        }


class ScheduleMirrorBinarySensor(RaadhusEntity, BinarySensorEntity):
    """Mirrors a configured schedule helper (officers on duty, police present)."""

    def __init__(self, entry: RaadhusConfigEntry, key: str, schedule: str) -> None:
        super().__init__(entry, key, None)
        self._schedule = schedule

    async def async_added_to_hass(self) -> None:
        """Follow the schedule helper."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_track_state_change_event(
                self.hass, [self._schedule], self._schedule_changed
            )
        )

    @callback
    def _schedule_changed(self, event: Event[EventStateChangedData]) -> None:
        self.async_write_ha_state()

    @property
    def available(self) -> bool:
        """Unavailable while the schedule helper is missing."""
        return self.hass.states.get(self._schedule) is not None

    @property
    def is_on(self) -> bool:
        """Whether the schedule is on now."""
        state = self.hass.states.get(self._schedule)
        return state is not None and state.state == STATE_ON

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Which schedule this mirrors."""
        return {"schedule": self._schedule}


class MonitoredMeetingBinarySensor(RaadhusEntity, BinarySensorEntity):
    """On while an announced meeting the officers monitor runs in the room."""

    _attr_device_class = BinarySensorDeviceClass.RUNNING

    def __init__(self, entry: RaadhusConfigEntry, room: Room) -> None:
        super().__init__(entry, "monitored_meeting", room)

    async def async_added_to_hass(self) -> None:
        """Follow the meetings (announced, cancelled, started, ended)."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.meetings.async_add_listener(self.async_write_ha_state)
        )

    @property
    def is_on(self) -> bool:
        """Whether a monitored meeting runs in the room now."""
        assert self.room is not None
        return self._meeting() is not None

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """The meeting, while it runs."""
        if (meeting := self._meeting()) is None:
            return {}
        return {
            "meeting_id": meeting.id,
            "start": meeting.start.isoformat(),
            "end": meeting.end.isoformat(),
        }

    def _meeting(self) -> Meeting | None:
        assert self.room is not None
        return monitored_now(self.runtime.meetings.book, self.room.id, dt_util.utcnow())
