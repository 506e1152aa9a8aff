"""The town hall's devices: the town hall, each room, each panic button.

Made here at set-up rather than from the entities' device info, so each
device belongs to its subentry (a device belongs to one subentry: the room's
device to the room, a button's to the button; the integration page lists
them there, and deleting one deletes its device), sits in the room's area
(the area page and the default dashboard show the room's alarm beside its
camera), and has its model in Home Assistant's language ("Kontaktrum", not
`contact_room`).
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import area_registry as ar, device_registry as dr
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN
from .model import TownHall
from .runtime import RaadhusConfigEntry

MANUFACTURER = "Rådhus Alarm"
HALL_MODEL = "town_hall"
BUTTON_MODEL = "panic_button"


async def async_device_models(hass: HomeAssistant) -> dict[str, str]:
    """Model names by key (room kinds and the town hall), translated."""
    strings = await async_get_translations(
        hass, hass.config.language, "device", [DOMAIN]
    )
    prefix = f"component.{DOMAIN}.device."
    return {
        key.removeprefix(prefix).removesuffix(".name"): text
        for key, text in strings.items()
        if key.startswith(prefix) and key.endswith(".name")
    }


def async_sync_devices(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    config: TownHall,
    models: dict[str, str],
) -> str:
    """Create or update the devices, drop those of deleted rooms; the hall's id."""
    registry = dr.async_get(hass)
    hall = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer=MANUFACTURER,
        model=models.get(HALL_MODEL, HALL_MODEL),
    )
    wanted = {hall.id}
    for room in config.rooms:
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            config_subentry_id=room.id,
            identifiers={(DOMAIN, room.id)},
            name=room.name,
            manufacturer=MANUFACTURER,
            model=models.get(room.kind.value, room.kind.value),
            via_device_id=hall.id,
        )
        wanted.add(device.id)
        for button in config.buttons_in(room.id):
            button_device = registry.async_get_or_create(
                config_entry_id=entry.entry_id,
                config_subentry_id=button.id,
                identifiers={(DOMAIN, button.id)},
                name=button.name,
                manufacturer=MANUFACTURER,
                model=models.get(BUTTON_MODEL, BUTTON_MODEL),
                via_device_id=device.id,
            )
            wanted.add(button_device.id)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if device.id not in wanted:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )
    return hall.id


@callback
def async_place_devices(
    hass: HomeAssistant, entry: RaadhusConfigEntry, config: TownHall
) -> None:
    """Put each room's and button's device in the room's area.

    Called after the entities are registered: Home Assistant names a new
    entity after its area, device and itself, and a room's device is named
    as its area is, which would give `binary_sensor.kontaktrum_1_kontaktrum_1_alarm`.
    Entity ids are made once, so placing the devices afterwards keeps them
    `binary_sensor.kontaktrum_1_alarm`; the area page shows them all the same.
    """
    registry = dr.async_get(hass)
    areas = ar.async_get(hass)
    for room in config.rooms:
        if not room.area_id or areas.async_get_area(room.area_id) is None:
            continue  # no area, or it was deleted: the room's form picks one
        for device_key in (room.id, *(b.id for b in config.buttons_in(room.id))):
            device = registry.async_get_device_by_identifier(
                (DOMAIN, device_key), entry.entry_id
            )
            if device is not None and device.area_id != room.area_id:
                registry.async_update_device(device.id, area_id=room.area_id)
