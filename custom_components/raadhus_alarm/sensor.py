"""Sensors: each room's incident state; the town hall's totals.

The town hall's: active incidents, active attendance bans, the last drill.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .entity import IncidentEntity, RaadhusEntity, add_by_subentry
from .incident import OPEN_STATES, IncidentState
from .model import Room
from .runtime import RaadhusConfigEntry

PARALLEL_UPDATES = 0
IDLE = "idle"
ROOM_STATES = [IDLE, *(s.value for s in IncidentState if s in OPEN_STATES)]


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
