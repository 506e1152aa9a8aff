"""Cameras: each room's configured camera(s), proxied onto the room's device."""

from __future__ import annotations

from homeassistant.components.camera import Camera, async_get_image
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import RaadhusEntity
from .model import Room
from .runtime import RaadhusConfigEntry

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a proxy camera per configured room camera."""
    async_add_entities(
        RoomCamera(entry, room, number, source)
        for room in entry.runtime_data.config.rooms
        for number, source in enumerate(room.cameras, start=1)
    )


class RoomCamera(RaadhusEntity, Camera):
    """Snapshots (and the stream, where there is one) of a room camera."""

    def __init__(
        self, entry: RaadhusConfigEntry, room: Room, number: int, source: str
    ) -> None:
        RaadhusEntity.__init__(self, entry, "camera", room)
        Camera.__init__(self)
        self.source = source
        self._attr_unique_id = f"{room.id}_camera_{number}"
        self._attr_translation_placeholders = {"number": str(number)}

    @property
    def available(self) -> bool:
        """Available while the source camera is."""
        state = self.hass.states.get(self.source)
        return state is not None and state.state != "unavailable"

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """A snapshot from the source camera."""
        try:
            image = await async_get_image(
                self.hass, self.source, width=width, height=height
            )
        except HomeAssistantError:
            return None
        return image.content
