"""Demo-only stand-in that switches Home Assistant's Radio Browser off.

Onboarding sets up Radio Browser for a new home; its setup calls an internet
service, which in an offline demo blocks start-up for ~10 s and reaches for
the internet. This stand-in overrides the built-in integration in the demo's
config folder only: its onboarding step aborts, so nothing is set up.
"""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Never set anything up."""
    return False
