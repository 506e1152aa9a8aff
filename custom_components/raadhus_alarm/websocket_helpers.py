"""What every panel websocket command needs: the town hall, and plain errors.

Errors carry a code the panel translates itself, and Home Assistant's
translation key, domain and placeholders with an English message from the
same translations: never the text of an unexpected exception.
"""

from __future__ import annotations

from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .runtime import RaadhusRuntime


def loaded_runtime_or_say(
    hass: HomeAssistant, connection: ActiveConnection, msg_id: int
) -> RaadhusRuntime | None:
    """The loaded town hall; None after telling the panel there is none."""
    runtime = loaded_runtime(hass)
    if runtime is None:
        send_translated_error(connection, msg_id, "not_loaded", "not_loaded")
    return runtime


def loaded_runtime(
    hass: HomeAssistant, *, loading_too: bool = False
) -> RaadhusRuntime | None:
    """The loaded town hall (or the one loading, for the subscription)."""
    # While loading counts for the subscription: the entry announces itself at
    # the end of setup.
    states = {ConfigEntryState.LOADED}
    if loading_too:
        states.add(ConfigEntryState.SETUP_IN_PROGRESS)
    for entry in hass.config_entries.async_entries(DOMAIN):
        runtime = getattr(entry, "runtime_data", None)
        if entry.state in states and isinstance(runtime, RaadhusRuntime):
            return runtime
    return None


def send_translated_error(
    connection: ActiveConnection,
    msg_id: int,
    code: str,
    key: str,
    placeholders: dict[str, str] | None = None,
) -> None:
    """Send a translated error (the message: Home Assistant's English text)."""
    send_error(
        connection,
        msg_id,
        code,
        ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=key,
            translation_placeholders=placeholders,
        ),
    )


def send_error(
    connection: ActiveConnection, msg_id: int, code: str, err: ServiceValidationError
) -> None:
    """Send a refusal the integration raised (its translation with it)."""
    connection.send_error(
        msg_id,
        code,
        str(err),
        translation_key=err.translation_key,
        translation_domain=err.translation_domain,
        translation_placeholders=err.translation_placeholders,
    )
