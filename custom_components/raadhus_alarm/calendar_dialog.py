"""Who uses Home Assistant's calendar dialog (R7).

Home Assistant's calendar dialog creates, changes and deletes events through
three websocket commands that call the calendar entity without saying which
user asked. A meeting may be changed or cancelled only by the one who
announced it, officers and leaders, so the meetings calendar must know the
user. This module wraps those three commands: while one of them runs, a
context variable names the connection's user; the meetings calendar reads
it, every other calendar ignores it, and the command itself (its schema,
its own permission check, its reply) is Home Assistant's, unchanged.

A context variable, not an attribute on the entity: the command runs in its
own task, which copies the context at its creation, so two dialogs at once
(or a dialog and an action) can never see each other's user.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from homeassistant.components import websocket_api
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.const import WebSocketCommandHandler
from homeassistant.core import HomeAssistant, callback
from homeassistant.util.hass_dict import HassKey

DIALOG_COMMANDS = (
    "calendar/event/create",
    "calendar/event/update",
    "calendar/event/delete",
)
_WRAPPED: HassKey[bool] = HassKey("raadhus_alarm_calendar_dialog")
_dialog_user: ContextVar[str | None] = ContextVar(
    "raadhus_alarm_calendar_dialog_user", default=None
)


def dialog_user() -> str | None:
    """The user of the calendar dialog command running now, if any."""
    return _dialog_user.get()


def _naming_the_user(handler: WebSocketCommandHandler) -> WebSocketCommandHandler:
    @callback
    def handle(
        hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
    ) -> None:
        token = _dialog_user.set(connection.user.id)
        try:
            # Home Assistant's handler starts its task here; the task keeps
            # the user, this call's context gets it back as it was.
            handler(hass, connection, msg)
        finally:
            _dialog_user.reset(token)

    return handle


@callback
def async_wrap_calendar_dialog(hass: HomeAssistant) -> None:
    """Make the calendar dialog's commands name their user (once per start)."""
    if hass.data.get(_WRAPPED):
        return
    handlers = hass.data.get(websocket_api.DOMAIN, {})
    for command in DIALOG_COMMANDS:
        if (registered := handlers.get(command)) is None:
            continue  # the calendar has not registered it: nothing to wrap
        handler, schema = registered
        websocket_api.async_register_command(
            hass, command, _naming_the_user(handler), schema
        )
    hass.data[_WRAPPED] = True
