"""Actions: raise an alarm by hand and move incidents along their lifecycle.

Every action goes through the core's one entry point (and so its permission
gate) as the calling user; a call without a user is an automation's.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .const import DOMAIN, EVENT_OFF_DUTY
from .core import Request
from .incident import Incident, StepSource
from .lookups import caller_for_user
from .permissions import INCIDENT_ACTIONS, Action
from .runtime import RaadhusRuntime

ATTR_ROOM: Final = "room"
ATTR_INCIDENT_ID: Final = "incident_id"
ATTR_NOTE: Final = "note"
ATTR_RESOLUTION: Final = "resolution"
ATTR_DRILL: Final = "drill"
ATTR_EMPLOYEE: Final = "employee"
RESOLUTIONS: Final = ["citizen_left", "police_called", "other"]
# Free text is kept in the log: bounded, so a runaway automation cannot fill it.
MAX_TEXT: Final = 1000


def plain_text(value: str) -> str:
    """Text that can be written as UTF-8 (lone surrogates become U+FFFD)."""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


_TEXT = vol.All(cv.string, vol.Length(max=MAX_TEXT), plain_text)
TRIGGER_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_ROOM): _TEXT,
        vol.Optional(ATTR_DRILL, default=False): cv.boolean,
        vol.Optional(ATTR_NOTE): _TEXT,
    }
)
INCIDENT_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_INCIDENT_ID): _TEXT,
        vol.Optional(ATTR_ROOM): _TEXT,
        vol.Optional(ATTR_NOTE): _TEXT,
    }
)
RESOLVE_SCHEMA = INCIDENT_SCHEMA.extend(
    {vol.Optional(ATTR_RESOLUTION): vol.In(RESOLUTIONS)}
)
DRILL_SCHEMA = INCIDENT_SCHEMA.extend({vol.Required(ATTR_DRILL): cv.boolean})
OFF_DUTY_SCHEMA = vol.Schema(
    {vol.Required(ATTR_EMPLOYEE): _TEXT, vol.Optional(ATTR_NOTE): _TEXT}
)
SCHEMAS: Final = {
    Action.RAISE: TRIGGER_SCHEMA,
    Action.RESOLVE: RESOLVE_SCHEMA,
    Action.MARK_DRILL: DRILL_SCHEMA,
}


def loaded_runtime_or_refuse(hass: HomeAssistant) -> RaadhusRuntime:
    """The loaded town hall; a translated error when there is none."""
    entries = hass.config_entries.async_loaded_entries(DOMAIN)
    if not entries:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="not_loaded"
        )
    runtime: RaadhusRuntime = entries[0].runtime_data
    return runtime


def _summary(incident: Incident) -> dict[str, Any]:
    return {
        "incident_id": incident.id,
        "room_name": incident.room_name,
        "state": str(incident.state),
    }


def _handler(
    action: Action,
) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
    async def _handle(call: ServiceCall) -> ServiceResponse:
        runtime = loaded_runtime_or_refuse(call.hass)
        request = Request(
            action,
            caller_for_user(call.hass, runtime.config, call.context.user_id),
            StepSource.SERVICE,
            incident_id=call.data.get(ATTR_INCIDENT_ID),
            room=call.data.get(ATTR_ROOM),
            note=call.data.get(ATTR_NOTE),
            resolution=call.data.get(ATTR_RESOLUTION),
            drill=call.data.get(ATTR_DRILL, False),
            context=call.context,
        )
        return _summary(await runtime.core.async_act(request))

    return _handle


async def _report_off_duty(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    employee = call.data[ATTR_EMPLOYEE]
    if (state := call.hass.states.get(employee)) is not None:
        employee = state.name
    notified = await runtime.followup.async_off_duty(employee)
    call.hass.bus.async_fire(
        EVENT_OFF_DUTY,
        {"employee": employee, "note": call.data.get(ATTR_NOTE), "leaders": notified},
        context=call.context,
    )
    return {"leaders_notified": notified}


type ActionHandler = Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]


@callback
def async_register_actions(
    hass: HomeAssistant, actions: Iterable[tuple[str, ActionHandler, vol.Schema]]
) -> None:
    """Register actions that return their result when asked (and run without)."""
    for name, handler, schema in actions:
        hass.services.async_register(
            DOMAIN,
            str(name),
            handler,
            schema=schema,
            supports_response=SupportsResponse.OPTIONAL,
        )


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the actions (one per incident action of the permission table)."""
    async_register_actions(
        hass,
        [
            *(
                (str(a), _handler(a), SCHEMAS.get(a, INCIDENT_SCHEMA))
                for a in INCIDENT_ACTIONS
            ),
            ("report_off_duty_incident", _report_off_duty, OFF_DUTY_SCHEMA),
        ],
    )
