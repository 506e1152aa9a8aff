"""Websocket API for the officers' room panel: a subscription and commands.

`raadhus_alarm/subscribe` pushes the whole panel state (`panel_state`) at once
and after every change (no polling; many changes in one loop turn are one
push), when an unacknowledged alarm's next round is due, so the tile shows
that it was repeated and to whom, and at midnight (today's meetings).
`raadhus_alarm/act` moves an incident as the logged-in user through the
core's one entry point, so the permission gate is the same as for actions
and phones. `raadhus_alarm/history` lists the incidents of the last days.
`raadhus_alarm/meeting_preview` and `raadhus_alarm/announce_meeting` are the
announce form's (`panel_meetings`), through the meeting desk as the user.
`raadhus_alarm/statistics` gives the response figures (`panel_statistics`).
Home Assistant's websocket layer refuses unauthenticated connections.

Errors carry a code the panel translates itself, with Home Assistant's
translation of it (`websocket_helpers`): never an unexpected exception's text.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util
import probatio as vol

from .const import DOMAIN, SIGNAL_UPDATE
from .core import NotPermitted, Request
from .evidence_view import with_evidence
from .incident import StepSource
from .lookups import caller_for_user
from .panel_meetings import next_day, ws_announce_meeting, ws_meeting_preview
from .panel_state import HISTORY_DAYS, history, known_room, next_round_due, panel_state
from .panel_statistics import ws_statistics
from .permissions import TARGET_STATE, Action
from .services import RESOLUTIONS, plain_text
from .websocket_helpers import (
    loaded_runtime,
    loaded_runtime_or_say,
    send_error,
    send_translated_error,
)

# The lifecycle steps the panel can ask for (RAISE and MARK_DRILL are not here).
PANEL_ACTIONS = [str(action) for action in TARGET_STATE]
# The round has started a moment after it is due (its phones are being called).
ROUND_SETTLE: Final = timedelta(seconds=1)


@callback
def async_setup(hass: HomeAssistant) -> None:
    """Register the commands (once per Home Assistant)."""
    async_register_command(hass, ws_subscribe)
    async_register_command(hass, ws_act)
    async_register_command(hass, ws_history)
    async_register_command(hass, ws_meeting_preview)
    async_register_command(hass, ws_announce_meeting)
    async_register_command(hass, ws_statistics)


@websocket_command({vol.Required("type"): "raadhus_alarm/subscribe"})
@callback
def ws_subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the panel state now and after every change, across reloads."""
    user_id = connection.user.id
    is_admin = connection.user.is_admin
    timer: CALLBACK_TYPE | None = None

    @callback
    def _cancel_timer() -> None:
        nonlocal timer
        if timer is not None:
            timer()
            timer = None

    @callback
    def _look_again(_now: datetime) -> None:
        nonlocal timer
        timer = None
        _send()

    @callback
    def _send() -> None:
        nonlocal timer
        # Look the town hall up each time: a reload replaces it.
        runtime = loaded_runtime(hass, loading_too=True)
        entries = hass.config_entries.async_entries(DOMAIN)
        state = (
            {"loaded": False}
            if runtime is None
            else panel_state(
                hass, runtime, entries[0].title, user_id, is_admin=is_admin
            )
        )
        connection.send_event(msg["id"], state)
        # A new round of an unacknowledged alarm is no change to the incident
        # (nothing is pushed for it): look again once it has gone out. Nor
        # is a new day, which makes today's meetings another list.
        _cancel_timer()
        if runtime is None:
            return
        now = dt_util.utcnow()
        when = next_day(now)
        if (due := next_round_due(runtime)) is not None:
            # A round already due has not gone out (the notifier is not
            # running yet): look again a round later, never every second.
            when = min(
                when,
                due + ROUND_SETTLE
                if due > now
                else now + timedelta(seconds=runtime.config.timings.ack_timeout),
            )
        timer = async_track_point_in_utc_time(hass, _look_again, when)

    unsubscribe = async_dispatcher_connect(hass, SIGNAL_UPDATE, _send)

    @callback
    def _stop() -> None:
        unsubscribe()
        _cancel_timer()

    connection.subscriptions[msg["id"]] = _stop
    connection.send_result(msg["id"])
    _send()


@websocket_command(
    {
        vol.Required("type"): "raadhus_alarm/act",
        vol.Required("incident_id"): str,
        vol.Required("action"): vol.In(PANEL_ACTIONS),
        vol.Optional("resolution"): vol.In(RESOLUTIONS),
        vol.Optional("note"): vol.All(str, vol.Length(max=1000), plain_text),
    }
)
@async_response
async def ws_act(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """A lifecycle step as the logged-in user (the permission gate decides)."""
    runtime = loaded_runtime_or_say(hass, connection, msg["id"])
    if runtime is None:
        return
    action = Action(msg["action"])
    if action is Action.RESOLVE and "resolution" not in msg:
        # The panel never closes an alarm without saying how it ended (the
        # officer picks the reason in the confirmation).
        send_translated_error(
            connection, msg["id"], "resolution_required", "resolution_required"
        )
        return
    request = Request(
        action,
        caller_for_user(hass, runtime.config, connection.user.id),
        StepSource.PANEL,
        incident_id=msg["incident_id"],
        resolution=msg.get("resolution"),
        note=msg.get("note") or None,
        context=connection.context(msg),
    )
    try:
        incident = await runtime.core.async_act(request)
    except NotPermitted as err:
        send_error(connection, msg["id"], "not_permitted", err)
        return
    except ServiceValidationError as err:
        send_error(connection, msg["id"], err.translation_key or "invalid", err)
        return
    connection.send_result(msg["id"], {"state": incident.state.value})


def _days(value: Any) -> int | None:
    """The number of days asked for, or None when it is not 1 to 30."""
    if value is None:
        return HISTORY_DAYS
    # bool is an int subclass: true days is a bug, not one day.
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= HISTORY_DAYS else None


@websocket_command(
    {
        vol.Required("type"): "raadhus_alarm/history",
        # Any value here, checked below: a wrong one gets a translated error,
        # not a schema message naming the message's keys.
        vol.Optional("room_id"): object,
        vol.Optional("days"): object,
    }
)
@callback
def ws_history(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """The incidents of the last `days` days (≤ 30), optionally of one room."""
    runtime = loaded_runtime_or_say(hass, connection, msg["id"])
    if runtime is None:
        return
    days = _days(msg.get("days"))
    if days is None:
        send_translated_error(
            connection,
            msg["id"],
            "invalid_days",
            "history_days",
            {"days": str(msg.get("days"))[:40], "max": str(HISTORY_DAYS)},
        )
        return
    room_id = msg.get("room_id")
    if room_id is not None and (
        not isinstance(room_id, str) or not known_room(runtime, room_id)
    ):
        send_translated_error(
            connection,
            msg["id"],
            "unknown_room",
            "unknown_room",
            {"room": str(room_id)[:100]},
        )
        return
    found = history(runtime, dt_util.utcnow(), days, room_id)
    # Pictures and clips only for those who may see them (R6).
    with_evidence(hass, runtime, connection.user.id, found["incidents"])
    connection.send_result(msg["id"], found)
