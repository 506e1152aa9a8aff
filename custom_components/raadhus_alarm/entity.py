"""Base entity: every entity belongs to the town hall or to one of its rooms."""

from __future__ import annotations

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity

from .alarm import TownHallAlarm
from .const import DOMAIN
from .model import Room


class RaadhusEntity(Entity):
    """Entity of the town hall (room=None) or of a room; updated by the core."""

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(self, alarm: TownHallAlarm, key: str, room: Room | None) -> None:
        self.alarm = alarm
        self.room = room
        entry = alarm.entry
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
                via_device_id=alarm.hall_device_id,
            )

    async def async_added_to_hass(self) -> None:
        """Follow the core's changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self.alarm.async_add_listener(self.async_write_ha_state))
