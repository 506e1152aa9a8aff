"""Actions: raise an alarm by hand and move incidents along their lifecycle."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio as vol

from .alarm import TownHallAlarm
from .const import DOMAIN, EVENT_OFF_DUTY
from .incident import Incident, IncidentState, StepSource

ATTR_ROOM = "room"
ATTR_INCIDENT_ID = "incident_id"
ATTR_NOTE = "note"
ATTR_RESOLUTION = "resolution"
ATTR_DRILL = "drill"
ATTR_EMPLOYEE = "employee"
RESOLUTIONS = ["citizen_left", "police_called", "other"]

TRIGGER_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_ROOM): cv.string,
        vol.Optional(ATTR_DRILL, default=False): cv.boolean,
        vol.Optional(ATTR_NOTE): cv.string,
    }
)
INCIDENT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_INCIDENT_ID): cv.string,
        vol.Optional(ATTR_ROOM): cv.string,
        vol.Optional(ATTR_NOTE): cv.string,
    }
)
RESOLVE_SCHEMA = INCIDENT_SCHEMA.extend(
    {vol.Optional(ATTR_RESOLUTION): vol.In(RESOLUTIONS)}
)
DRILL_SCHEMA = INCIDENT_SCHEMA.extend({vol.Required(ATTR_DRILL): cv.boolean})

TRANSITIONS = {
    "acknowledge": IncidentState.ACKNOWLEDGED,
    "on_scene": IncidentState.ON_SCENE,
    "resolve": IncidentState.RESOLVED,
    "debriefed": IncidentState.DEBRIEFED,
    "cancel": IncidentState.CANCELLED,
}


def _alarm(hass: HomeAssistant) -> TownHallAlarm:
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    alarm: TownHallAlarm = entries[0].runtime_data
    return alarm


def _summary(incident: Incident) -> dict[str, Any]:
    return {
        "incident_id": incident.id,
        "room_name": incident.room_name,
        "state": str(incident.state),
    }


async def _trigger(call: ServiceCall) -> ServiceResponse:
    alarm = _alarm(call.hass)
    room = alarm.find_room(call.data[ATTR_ROOM])
    actor = alarm.actor_for_user(call.context.user_id)
    incident = await alarm.async_raise(
        room,
        at=dt_util.utcnow(),
        trigger_source=actor.user_id or "service",
        hold_seconds=None,
        actor=actor,
        source=StepSource.SERVICE,
        drill=call.data[ATTR_DRILL],
        context=call.context,
    )
    return _summary(incident)


def _transition(
    to: IncidentState,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    async def _handle(call: ServiceCall) -> ServiceResponse:
        alarm = _alarm(call.hass)
        incident = alarm.find_incident(
            call.data.get(ATTR_INCIDENT_ID), call.data.get(ATTR_ROOM)
        )
        await alarm.async_transition(
            incident,
            to,
            actor=alarm.actor_for_user(call.context.user_id),
            source=StepSource.SERVICE,
            note=call.data.get(ATTR_NOTE),
            resolution=call.data.get(ATTR_RESOLUTION),
            context=call.context,
        )
        return _summary(incident)

    return _handle


async def _mark_drill(call: ServiceCall) -> ServiceResponse:
    alarm = _alarm(call.hass)
    incident = alarm.find_incident(
        call.data.get(ATTR_INCIDENT_ID), call.data.get(ATTR_ROOM)
    )
    await alarm.async_mark_drill(
        incident,
        call.data[ATTR_DRILL],
        actor=alarm.actor_for_user(call.context.user_id),
    )
    return _summary(incident)


OFF_DUTY_SCHEMA = vol.Schema(
    {vol.Required(ATTR_EMPLOYEE): cv.string, vol.Optional(ATTR_NOTE): cv.string}
)


async def _report_off_duty(call: ServiceCall) -> ServiceResponse:
    alarm = _alarm(call.hass)
    employee = call.data[ATTR_EMPLOYEE]
    if (state := call.hass.states.get(employee)) is not None:
        employee = state.name
    notified = await alarm.dispatcher.async_off_duty(employee)
    call.hass.bus.async_fire(
        EVENT_OFF_DUTY,
        {"employee": employee, "note": call.data.get(ATTR_NOTE), "leaders": notified},
        context=call.context,
    )
    return {"leaders_notified": notified}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions."""
    hass.services.async_register(
        DOMAIN,
        "trigger",
        _trigger,
        schema=TRIGGER_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    for name, state in TRANSITIONS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            _transition(state),
            schema=RESOLVE_SCHEMA if name == "resolve" else INCIDENT_SCHEMA,
            supports_response=SupportsResponse.OPTIONAL,
        )
    hass.services.async_register(
        DOMAIN,
        "report_off_duty_incident",
        _report_off_duty,
        schema=OFF_DUTY_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        "mark_drill",
        _mark_drill,
        schema=DRILL_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
