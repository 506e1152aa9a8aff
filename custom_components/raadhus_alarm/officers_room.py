"""The officers' room second channel: a siren, a flashing light, or speech.

Subscribes to the core and acts on new alarms only, after the phones have
been called. A device that fails is noted on the incident; it never delays
or stops anything else.

Speech is in the town hall's language (Home Assistant's, Danish or English),
with a voice that speaks it when one of the text-to-speech engines has one.
"""

from __future__ import annotations

import asyncio
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import language as language_util

from .core import AlarmCore, Change, IncidentChange
from .incident import Incident
from .messages import language_of, spoken_alarm

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


def _voice(hass: HomeAssistant, language: str) -> tuple[str, str | None] | None:
    """(text-to-speech entity, its language tag) to speak `language` with.

    The first engine with a voice for the language, and its best tag for it
    ("da" may be "da-DK" to the engine); otherwise the first engine in its
    own default language: a Danish text in a foreign voice still says which
    room, where no speech would say nothing.
    """
    engines = hass.states.async_entity_ids("tts")
    if not engines:
        return None
    if "tts" in hass.config.components:
        # Imported here: Home Assistant has loaded it already when there are
        # engines, and the integration does not need it otherwise.
        from homeassistant.components.tts.helper import (  # noqa: PLC0415
            get_engine_instance,
        )

        for engine in engines:
            instance = get_engine_instance(hass, engine)
            supported = (instance.supported_languages or []) if instance else []
            if found := language_util.matches(
                language, supported, country=hass.config.country
            ):
                return engine, found[0]
    return engines[0], None


def _call_for(
    hass: HomeAssistant, incident: Incident, entity_id: str
) -> tuple[str, str, dict[str, Any]] | None:
    domain = entity_id.split(".", maxsplit=1)[0]
    if domain == "media_player":
        language = language_of(hass.config.language)
        if (voice := _voice(hass, language)) is None:
            return None
        engine, tag = voice
        data: dict[str, Any] = {
            "entity_id": engine,
            "media_player_entity_id": entity_id,
            "message": spoken_alarm(incident.room_name, language),
        }
        if tag is not None:
            data["language"] = tag
        return ("tts", "speak", data)
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
