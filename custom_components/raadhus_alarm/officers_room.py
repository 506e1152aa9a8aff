"""The officers' room second channel: a siren, a flashing light, or speech.

Subscribes to the core and acts on new alarms only, after the phones have
been called. A device that fails is noted on the incident; it never delays
or stops anything else.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError

from .core import AlarmCore, Change, IncidentChange
from .incident import Incident

CALL_TIMEOUT: Final = 10.0


@callback
def async_follow(
    hass: HomeAssistant, core: AlarmCore, entities: tuple[str, ...]
) -> CALLBACK_TYPE:
    """Sound the officers' room on every new alarm; returns the unsubscriber."""

    @callback
    def _changed(change: IncidentChange) -> None:
        if change.change is not Change.CREATED:
            return
        for entity_id in entities:
            hass.async_create_task(
                _async_alert(hass, core, change.incident, entity_id),
                f"raadhus_alarm officers' room {entity_id}",
            )

    return core.async_subscribe(_changed)


def _call_for(
    hass: HomeAssistant, incident: Incident, entity_id: str
) -> tuple[str, str, dict[str, Any]] | None:
    domain = entity_id.split(".", maxsplit=1)[0]
    if domain == "media_player":
        tts = next(iter(hass.states.async_entity_ids("tts")), None)
        if tts is None:
            return None
        return (
            "tts",
            "speak",
            {
                "entity_id": tts,
                "media_player_entity_id": entity_id,
                "message": f"Alarm i {incident.room_name}",
            },
        )
    if domain == "light":
        return ("light", "turn_on", {"entity_id": entity_id, "flash": "long"})
    return ("siren", "turn_on", {"entity_id": entity_id})


async def _async_alert(
    hass: HomeAssistant, core: AlarmCore, incident: Incident, entity_id: str
) -> None:
    call = _call_for(hass, incident, entity_id)
    if call is None:
        core.async_add_note(
            incident, f"{entity_id}: no text-to-speech entity to speak with"
        )
        return
    try:
        async with asyncio.timeout(CALL_TIMEOUT):
            await hass.services.async_call(*call, blocking=True)
    except (HomeAssistantError, TimeoutError, ValueError) as err:
        core.async_add_note(incident, f"{entity_id} failed: {err!r}")
