"""The Rådhus Alarm integration: panic buttons → incidents → responders.

Pipeline (one module each): button event (`sources`) → hold detector (`hold`)
→ incident (`incident`, `alarm`) → entities. The config entry's runtime data
is the `TownHallAlarm` core object.
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.typing import ConfigType

from . import panel, websocket_api
from .alarm import TownHallAlarm
from .const import DOMAIN, SIGNAL_UPDATE
from .services import async_setup_services

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CAMERA,
    Platform.EVENT,
    Platform.SENSOR,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

type RaadhusConfigEntry = ConfigEntry[TownHallAlarm]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register actions and the panel's websocket API (even before an entry loads)."""
    async_setup_services(hass)
    websocket_api.async_setup(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Set up the town hall: restore incidents, then start listening to buttons."""
    alarm = TownHallAlarm(hass, entry)
    await alarm.async_load()
    entry.runtime_data = alarm
    _async_sync_devices(hass, entry, alarm)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    await alarm.buttons.async_start()
    alarm.supervisor.async_start()
    alarm.dispatcher.async_start()
    entry.async_on_unload(alarm.dispatcher.async_stop)
    if "frontend" in hass.config.components:
        try:
            await panel.async_register_panel(hass, "Rådhus Alarm")
        except OSError, ValueError:
            # The wall screen is a convenience; the alarm itself must run.
            _LOGGER.exception("The officers' panel could not be registered")
        else:
            entry.async_on_unload(lambda: panel.async_remove_panel(hass))
    entry.async_on_unload(alarm.buttons.async_stop)
    entry.async_on_unload(alarm.supervisor.async_stop)
    entry.async_on_unload(
        hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, alarm.async_on_stop)
    )
    entry.async_on_unload(alarm.async_follow_schedules())
    # Subscribed panels follow the entry across reloads and unloads.
    entry.async_on_unload(lambda: async_dispatcher_send(hass, SIGNAL_UPDATE))
    async_dispatcher_send(hass, SIGNAL_UPDATE)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Unload a config entry (the incident log stays on disk)."""
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_shutdown()
    return unloaded


def _async_sync_devices(
    hass: HomeAssistant, entry: RaadhusConfigEntry, alarm: TownHallAlarm
) -> None:
    """One device for the town hall, one per room; drop devices of removed rooms."""
    dev_reg = dr.async_get(hass)
    hall = dev_reg.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        name=entry.title,
        manufacturer="Rådhus Alarm",
        model="Town hall",
    )
    alarm.hall_device_id = hall.id
    wanted = {(DOMAIN, entry.entry_id)} | {
        (DOMAIN, room.id) for room in alarm.config.rooms
    }
    for device in dr.async_entries_for_config_entry(dev_reg, entry.entry_id):
        if not device.identifiers & wanted:
            dev_reg.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: RaadhusConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device only when it no longer belongs to a room."""
    rooms = {room.id for room in entry.runtime_data.config.rooms}
    return not any(
        domain == DOMAIN and (ident in rooms or ident == entry.entry_id)
        for domain, ident in device.identifiers
    )
