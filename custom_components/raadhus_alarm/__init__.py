"""The Rådhus Alarm integration: panic buttons to incidents to responders."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant

type RaadhusConfigEntry = ConfigEntry[None]


async def async_setup_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Set up the town hall from a config entry."""
    return True


async def async_unload_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Unload a config entry."""
    return True
