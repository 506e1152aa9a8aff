"""Diagnostics: configuration, button health and the open incidents."""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from . import RaadhusConfigEntry
from .const import CONF_CONTACTS

# Phone numbers are configuration, but no business of a bug report.
TO_REDACT = {"crisis_in_hours_phone", "crisis_out_of_hours_phone"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RaadhusConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the town hall."""
    alarm = entry.runtime_data
    options = dict(entry.options)
    if CONF_CONTACTS in options:
        options[CONF_CONTACTS] = async_redact_data(options[CONF_CONTACTS], TO_REDACT)
    return {
        "title": entry.title,
        "options": options,
        "buttons": {
            button_id: {
                "problem": alarm.supervisor.problems.get(button_id),
                "holding": watcher.detector.holding,
                "last_seen": watcher.last_seen.isoformat()
                if watcher.last_seen
                else None,
            }
            for button_id, watcher in alarm.buttons.watchers.items()
        },
        "incidents": {
            "total": len(alarm.book),
            "open": [i.to_dict() for i in alarm.book.open_incidents()],
        },
    }
