"""Actions for the attendance-ban register (R8): add, update, end, remove.

Each goes through the ban desk, which passes the one permission gate as the
calling user (a call without a user is an automation's) and returns the ban.
A time without a zone is the town hall's local time; a date alone is its
midnight.
"""

from __future__ import annotations

from datetime import date, datetime, time
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

from .bans import Ban, is_active
from .lookups import caller_for_user
from .permissions import Action
from .services import (
    MAX_TEXT,
    async_register_actions,
    loaded_runtime_or_refuse,
    plain_text,
)

MAX_SHORT: Final = 100
_SHORT = vol.All(cv.string, vol.Length(max=MAX_SHORT), plain_text)
_TEXT = vol.All(cv.string, vol.Length(max=MAX_TEXT), plain_text)
_WHEN = vol.Any(cv.datetime, cv.date)
BAN_FIELDS: Final = {
    vol.Optional("start"): _WHEN,
    vol.Optional("end"): _WHEN,
    vol.Optional("note"): _TEXT,
    vol.Optional("letter_filed"): cv.boolean,
    vol.Optional("issued_by"): cv.entity_domain("person"),
}
ADD_SCHEMA: Final = vol.Schema(
    {
        vol.Required("case_reference"): _SHORT,
        vol.Required("centre"): _SHORT,
        **BAN_FIELDS,
    }
)
UPDATE_SCHEMA: Final = vol.Schema(
    {
        vol.Required("ban_id"): _SHORT,
        vol.Optional("case_reference"): _SHORT,
        vol.Optional("centre"): _SHORT,
        **BAN_FIELDS,
    }
)
ID_SCHEMA: Final = vol.Schema({vol.Required("ban_id"): _SHORT})


def _moment(value: date | datetime | None) -> datetime | None:
    """A given time as an aware datetime (local when it has no zone)."""
    if value is None:
        return None
    if not isinstance(value, datetime):
        value = datetime.combine(value, time())
    if value.tzinfo is None:
        return value.replace(tzinfo=dt_util.get_default_time_zone())
    return value


def ban_row(ban: Ban, *, with_note: bool = True) -> dict[str, Any]:
    """A ban as the actions return it and the panel shows it (local times).

    The note only for those who may write bans: it is written for the
    register, not for every screen.
    """
    return {
        "id": ban.id,
        "case_reference": ban.case_reference,
        "centre": ban.centre,
        "start": dt_util.as_local(ban.start).isoformat(),
        "end": dt_util.as_local(ban.end).isoformat(),
        "issued_by": ban.issued_by,
        "issued_by_person": ban.issued_by_person,
        "letter_filed": ban.letter_filed,
        "active": is_active(ban, dt_util.utcnow()),
        "ended_early": ban.ended_early,
        "note": ban.note if with_note else None,
    }


async def _add(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    data = call.data
    ban = await runtime.bans.async_add(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        case_reference=data["case_reference"],
        centre=data["centre"],
        start=_moment(data.get("start")),
        end=_moment(data.get("end")),
        note=data.get("note", ""),
        letter_filed=data.get("letter_filed", False),
        issued_by=data.get("issued_by"),
        context=call.context,
    )
    return {"ban": ban_row(ban)}


async def _update(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    changes = {
        key: _moment(value) if key in ("start", "end") else value
        for key, value in call.data.items()
        if key != "ban_id"
    }
    ban = await runtime.bans.async_update(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["ban_id"],
        changes,
        call.context,
    )
    return {"ban": ban_row(ban)}


async def _end(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    ban = await runtime.bans.async_end(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["ban_id"],
        call.context,
    )
    return {"ban": ban_row(ban)}


async def _remove(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    ban = await runtime.bans.async_remove(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["ban_id"],
        call.context,
    )
    return {"ban": ban_row(ban)}


@callback
def async_setup_ban_services(hass: HomeAssistant) -> None:
    """Register the ban actions."""
    async_register_actions(
        hass,
        [
            (Action.ADD_BAN, _add, ADD_SCHEMA),
            (Action.UPDATE_BAN, _update, UPDATE_SCHEMA),
            (Action.END_BAN, _end, ID_SCHEMA),
            (Action.REMOVE_BAN, _remove, ID_SCHEMA),
        ],
    )
