"""Sensors: each room's incident state, the town hall's active incidents."""

from __future__ import annotations

from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

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
    entities.append(ActiveIncidentsSensor(entry))
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
