"""Websocket API for the officers' room panel: one subscription, one command.

`raadhus_alarm/subscribe` pushes the whole panel state at once and after every
change (no polling; many changes in one loop turn are one push).
`raadhus_alarm/act` moves an incident as the logged-in user through the
core's one entry point, so the permission gate is the same as for actions
and phones. Home Assistant's websocket layer refuses unauthenticated
connections.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api import async_register_command
from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_connect
import probatio as vol

from .const import DOMAIN, SIGNAL_UPDATE, Role
from .core import NotPermitted, Request
from .incident import Incident, IncidentState, StepSource
from .lookups import caller_for_user, display_name, room_camera, schedule_on
from .permissions import TARGET_STATE, Action, may_act_on_alarms
from .runtime import RaadhusRuntime
from .services import plain_text

# The lifecycle steps the panel can ask for (RAISE and MARK_DRILL are not here).
PANEL_ACTIONS = [str(action) for action in TARGET_STATE]


@callback
def async_setup(hass: HomeAssistant) -> None:
    """Register the commands (once per Home Assistant)."""
    async_register_command(hass, ws_subscribe)
    async_register_command(hass, ws_act)


def _runtime(
    hass: HomeAssistant, *, loading_too: bool = False
) -> RaadhusRuntime | None:
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


def _by(incident: Incident, state: IncidentState) -> str | None:
    step = incident.step_for(state)
    return step.actor_name if step else None


def panel_state(
    hass: HomeAssistant, runtime: RaadhusRuntime, title: str, user_id: str | None
) -> dict[str, Any]:
    """Everything the panel shows, for one user."""
    config = runtime.config
    book = runtime.core.book
    on_duty = schedule_on(hass, config.schedules.officers_on_duty)
    chain = config.people_with(Role.OFFICER if on_duty else Role.OUT_OF_HOURS)
    rooms = []
    for room in config.rooms:
        incident = book.open_for_room(room.id)
        last = book.last_closed_for_room(room.id)
        rooms.append(
            {
                "id": room.id,
                "name": room.name,
                "kind": room.kind.value,
                "state": incident.state.value if incident else "idle",
                "camera": room_camera(hass, room),
                "incident": None
                if incident is None
                else {
                    "id": incident.id,
                    "state": incident.state.value,
                    "since": incident.created_at.isoformat(),
                    "raised_at": (
                        incident.raised_at.isoformat() if incident.raised_at else None
                    ),
                    "raised_by": incident.steps[0].actor_name,
                    "acknowledged_by": _by(incident, IncidentState.ACKNOWLEDGED),
                    "on_scene_by": _by(incident, IncidentState.ON_SCENE),
                    "drill": incident.drill,
                    "joins": len(incident.joins),
                },
                "last": None
                if last is None
                else {
                    "state": last.state.value,
                    "at": last.updated_at.isoformat(),
                    "by": last.last_step.actor_name,
                },
                "buttons": [
                    {
                        "id": button.id,
                        "name": button.name,
                        "problem": runtime.supervisor.problems.get(button.id),
                    }
                    for button in config.buttons_in(room.id)
                ],
                "monitored": False,
            }
        )
    return {
        "loaded": True,
        "town_hall": title,
        "officers_on_duty": on_duty,
        "police_present": schedule_on(hass, config.schedules.police_present),
        "on_duty": [display_name(hass, p.person) for p in chain],
        "can_act": may_act_on_alarms(caller_for_user(hass, config, user_id)),
        "rooms": rooms,
        "meetings": [],
    }


@websocket_command({vol.Required("type"): "raadhus_alarm/subscribe"})
@callback
def ws_subscribe(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Send the panel state now and after every change, across reloads."""
    user_id = connection.user.id

    @callback
    def _send() -> None:
        # Look the town hall up each time: a reload replaces it.
        runtime = _runtime(hass, loading_too=True)
        entries = hass.config_entries.async_entries(DOMAIN)
        state = (
            {"loaded": False}
            if runtime is None
            else panel_state(hass, runtime, entries[0].title, user_id)
        )
        connection.send_event(msg["id"], state)

    connection.subscriptions[msg["id"]] = async_dispatcher_connect(
        hass, SIGNAL_UPDATE, _send
    )
    connection.send_result(msg["id"])
    _send()


@websocket_command(
    {
        vol.Required("type"): "raadhus_alarm/act",
        vol.Required("incident_id"): str,
        vol.Required("action"): vol.In(PANEL_ACTIONS),
        vol.Optional("resolution"): vol.In(["citizen_left", "police_called", "other"]),
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
    runtime = _runtime(hass)
    if runtime is None:
        connection.send_error(msg["id"], "not_loaded", "The town hall is not loaded")
        return
    request = Request(
        Action(msg["action"]),
        caller_for_user(hass, runtime.config, connection.user.id),
        StepSource.PANEL,
        incident_id=msg["incident_id"],
        resolution=msg.get("resolution"),
        note=msg.get("note"),
        context=connection.context(msg),
    )
    try:
        incident = await runtime.core.async_act(request)
    except NotPermitted as err:
        connection.send_error(msg["id"], "not_permitted", str(err))
        return
    except ServiceValidationError as err:
        connection.send_error(msg["id"], err.translation_key or "invalid", str(err))
        return
    connection.send_result(msg["id"], {"state": incident.state.value})
