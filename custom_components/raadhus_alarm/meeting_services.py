"""Actions for announced meetings and threatening arrivals (R7).

Each goes through the meeting desk, which asks the one permission table as
the calling user (a call without a user is an automation's).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio as vol

from .lookups import caller_for_user
from .meetings import MeetingWarning
from .permissions import Action
from .services import (
    MAX_TEXT,
    async_register_actions,
    loaded_runtime_or_refuse,
    plain_text,
)

_TEXT = vol.All(cv.string, vol.Length(max=MAX_TEXT), plain_text)
ANNOUNCE_SCHEMA: Final = vol.Schema(
    {
        vol.Required("room"): _TEXT,
        vol.Required("start"): cv.datetime,
        vol.Exclusive("end", "length"): cv.datetime,
        vol.Exclusive("duration", "length"): cv.positive_time_period,
        vol.Optional("monitored", default=False): cv.boolean,
        vol.Optional("note", default=""): _TEXT,
    }
)
CANCEL_SCHEMA: Final = vol.Schema({vol.Required("meeting_id"): _TEXT})
ARRIVAL_SCHEMA: Final = vol.Schema(
    {
        vol.Required("leader"): cv.entity_id,
        vol.Optional("expected"): cv.datetime,
        vol.Optional("note", default=""): _TEXT,
    }
)
DEFAULT_LENGTH: Final = timedelta(hours=1)


def _aware(value: datetime) -> datetime:
    """A time without a zone is the town hall's local time."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


def warning_dict(warning: MeetingWarning) -> dict[str, Any]:
    """A warning as actions and the panel return it (times in local ISO)."""
    return {
        "key": str(warning.key),
        "suggestion": dt_util.as_local(warning.suggestion).isoformat()
        if warning.suggestion
        else None,
        "police_present": warning.police_present,
        "other_meeting_id": warning.other_id,
    }


async def _announce(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    start = _aware(call.data["start"])
    end = (
        _aware(call.data["end"])
        if "end" in call.data
        else start + call.data.get("duration", DEFAULT_LENGTH)
    )
    meeting, warnings = await runtime.meetings.async_announce(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        room=call.data["room"],
        start=start,
        end=end,
        monitored=call.data["monitored"],
        note=call.data["note"],
        context=call.context,
    )
    return {
        "meeting_id": meeting.id,
        "warnings": [warning_dict(w) for w in warnings],
    }


async def _cancel(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    meeting = await runtime.meetings.async_cancel(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["meeting_id"],
        call.context,
    )
    return {"meeting_id": meeting.id, "cancelled": meeting.cancelled}


async def _arrival(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    expected = call.data.get("expected")
    sent = await runtime.meetings.async_report_arrival(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        leader=call.data["leader"],
        expected=_aware(expected) if expected else None,
        note=call.data["note"],
        context=call.context,
    )
    return {"notified": sent}


@callback
def async_setup_meeting_services(hass: HomeAssistant) -> None:
    """Register the meeting actions."""
    async_register_actions(
        hass,
        [
            (Action.ANNOUNCE_MEETING, _announce, ANNOUNCE_SCHEMA),
            (Action.CANCEL_MEETING, _cancel, CANCEL_SCHEMA),
            (Action.REPORT_ARRIVAL, _arrival, ARRIVAL_SCHEMA),
        ],
    )
