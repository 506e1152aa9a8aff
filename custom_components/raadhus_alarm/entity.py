"""Base entity: every entity belongs to the town hall or to one of its rooms.

Entities do not follow every change: incident entities subscribe to their own
room (or, for the town hall, to every change), button entities to their
button, schedule mirrors to their schedule. A short press or a change in
another room writes none of them.
"""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from .const import DOMAIN
from .model import Room
from .runtime import RaadhusConfigEntry, RaadhusRuntime


class RaadhusEntity(Entity):
    """Entity of the town hall (room=None) or of a room."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, entry: RaadhusConfigEntry, key: str, room: Room | None) -> None:
        self.runtime: RaadhusRuntime = entry.runtime_data
        self.room = room
        self._attr_translation_key = key
        if room is None:
            self._attr_unique_id = f"{entry.entry_id}_{key}"
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, entry.entry_id)},
                name=entry.title,
                manufacturer="Rådhus Alarm",
                model="Town hall",
            )
        else:
            self._attr_unique_id = f"{room.id}_{key}"
            self._attr_device_info = DeviceInfo(
                identifiers={(DOMAIN, room.id)},
                name=room.name,
                manufacturer="Rådhus Alarm",
                model=room.kind.value,
                via_device_id=self.runtime.hall_device_id,
            )


class IncidentEntity(RaadhusEntity):
    """Shows incidents: follows its room's changes (or all, for the town hall)."""

    async def async_added_to_hass(self) -> None:
        """Follow the core's changes for this room (or the whole town hall)."""
        await super().async_added_to_hass()
        core = self.runtime.core
        self.async_on_remove(
            core.async_subscribe_hall(self.async_write_ha_state)
            if self.room is None
            else core.async_subscribe_room(self.room.id, self.async_write_ha_state)
        )
