"""Base entity: every entity belongs to the town hall or to one of its rooms.

Entities do not follow every change: incident entities subscribe to their own
room (or, for the town hall, to every change), button entities to their
button, schedule mirrors to their schedule. A short press or a change in
another room writes none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby

from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import Entity
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .model import Button, Room
from .runtime import RaadhusConfigEntry, RaadhusRuntime


class RaadhusEntity(Entity):
    """Entity of the town hall (room=None) or of a room.

    The devices themselves (name, model, area, subentry) are made at set-up
    (`devices.async_sync_devices`); entities only point at them.
    """

    _attr_has_entity_name = True
    _attr_should_poll = False

    def __init__(
        self,
        entry: RaadhusConfigEntry,
        key: str,
        room: Room | None,
        button: Button | None = None,
    ) -> None:
        self.runtime: RaadhusRuntime = entry.runtime_data
        self.room = room
        self._attr_translation_key = key
        # The subentry the entity is listed under (and removed with), which is
        # the subentry of its device: the button's, the room's or none.
        self.subentry_id: str | None = None
        if button is not None:
            self.subentry_id = button.id
        elif room is not None:
            self.subentry_id = room.id
        device = self.subentry_id or entry.entry_id
        self._attr_unique_id = f"{device}_{key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, device)})


def add_by_subentry(
    async_add_entities: AddConfigEntryEntitiesCallback,
    entities: Iterable[RaadhusEntity],
) -> None:
    """Add entities under their subentry (the town hall's under none)."""

    def key(entity: RaadhusEntity) -> str:
        return entity.subentry_id or ""

    for subentry_id, group in groupby(sorted(entities, key=key), key=key):
        async_add_entities(list(group), config_subentry_id=subentry_id or None)


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
