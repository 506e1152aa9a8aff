"""Websocket API for the officers' room panel: one subscription, one command.

`raadhus_alarm/subscribe` pushes the whole panel state at once and after every
change (no polling). `raadhus_alarm/act` moves an incident as the logged-in
user; the responder check is done here, on the server, not only in the UI.
Home Assistant's websocket layer already refuses unauthenticated connections.
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

from .alarm import TownHallAlarm
from .const import DOMAIN, SIGNAL_UPDATE, Role
from .incident import Incident, IncidentState, StepSource
from .router import may_act

ACTIONS = {
    "acknowledge": IncidentState.ACKNOWLEDGED,
    "on_scene": IncidentState.ON_SCENE,
    "resolve": IncidentState.RESOLVED,
}


@callback
def async_setup(hass: HomeAssistant) -> None:
    """Register the commands (once per Home Assistant)."""
    async_register_command(hass, ws_subscribe)
    async_register_command(hass, ws_act)


def _alarm(hass: HomeAssistant) -> TownHallAlarm | None:
    # SETUP_IN_PROGRESS counts: the entry announces itself at the end of setup.
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state in (
            ConfigEntryState.LOADED,
            ConfigEntryState.SETUP_IN_PROGRESS,
        ) and isinstance(getattr(entry, "runtime_data", None), TownHallAlarm):
            alarm: TownHallAlarm = entry.runtime_data
            return alarm
    return None


def _loaded_alarm(hass: HomeAssistant) -> TownHallAlarm | None:
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    return entries[0].runtime_data if entries else None


def _by(incident: Incident, state: IncidentState) -> str | None:
    step = incident.step_for(state)
    return step.actor_name if step else None


def panel_state(alarm: TownHallAlarm, user_id: str | None) -> dict[str, Any]:
    """Everything the panel shows, for one user."""
    config = alarm.config
    dispatcher = alarm.dispatcher
    on_duty = dispatcher.schedule_on(config.schedules.officers_on_duty)
    chain = config.people_with(Role.OFFICER if on_duty else Role.OUT_OF_HOURS)
    last_closed: dict[str, Incident] = {
        i.room_id: i for i in alarm.book.all() if not i.is_open
    }
    rooms = []
    for room in config.rooms:
        incident = alarm.book.open_for_room(room.id)
        last = last_closed.get(room.id)
        rooms.append(
            {
                "id": room.id,
                "name": room.name,
                "kind": room.kind.value,
                "state": incident.state.value if incident else "idle",
                "camera": dispatcher.room_camera(room),
                "incident": None
                if incident is None
                else {
                    "id": incident.id,
                    "state": incident.state.value,
                    "since": incident.created_at.isoformat(),
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
                        "problem": alarm.supervisor.problems.get(button.id),
                    }
                    for button in config.buttons_in(room.id)
                ],
                "monitored": False,
            }
        )
    return {
        "loaded": True,
        "town_hall": alarm.entry.title,
        "officers_on_duty": on_duty,
        "police_present": dispatcher.schedule_on(config.schedules.police_present),
        "on_duty": [dispatcher.name(p) for p in chain],
        "can_act": may_act(config, dispatcher.person_for_user(user_id)),
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
        alarm = _alarm(hass)
        state = {"loaded": False} if alarm is None else panel_state(alarm, user_id)
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
        vol.Required("action"): vol.In(list(ACTIONS)),
    }
)
@async_response
async def ws_act(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """Acknowledge / on scene / resolve as the logged-in user (responders only)."""
    alarm = _loaded_alarm(hass)
    if alarm is None:
        connection.send_error(msg["id"], "not_loaded", "The town hall is not loaded")
        return
    user_id = connection.user.id
    if not may_act(alarm.config, alarm.dispatcher.person_for_user(user_id)):
        connection.send_error(
            msg["id"], "not_responder", "Only configured responders can act on alarms"
        )
        return
    incident = alarm.book.get(msg["incident_id"])
    if incident is None:
        connection.send_error(msg["id"], "unknown_incident", "No such incident")
        return
    try:
        await alarm.async_transition(
            incident,
            ACTIONS[msg["action"]],
            actor=alarm.actor_for_user(user_id),
            source=StepSource.PANEL,
            context=connection.context(msg),
        )
    except ServiceValidationError as err:
        connection.send_error(msg["id"], "invalid_transition", str(err))
        return
    connection.send_result(msg["id"], {"state": incident.state.value})
