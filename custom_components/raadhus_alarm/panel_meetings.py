"""Announced meetings on the officers' panel (R7): what it shows and asks.

Shown: today's meetings (the town hall's local date; cancelled ones left
out) and, per room, the meeting running there now, with the "monitored" flag
while a monitored one runs. Only what the officers need on a wall screen
every passer-by sees: when, where, monitored or not, who announced it. Never
the note: it is written for the officers' phones and may say more about the
citizen than a wall should.

Asked: `raadhus_alarm/meeting_preview` (the warnings, nothing saved) and
`raadhus_alarm/announce_meeting`, the announce form's two commands, through
the meeting desk as the logged-in user (the desk's permission gate decides).
Bad input is refused with a translation key as the desk refuses, so the
panel shows one plain sentence for each (`websocket_helpers`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import (
    async_response,
    websocket_command,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.typing import VolDictType
from homeassistant.util import dt as dt_util
import probatio as vol

from .const import DOMAIN
from .lookups import caller_for_user
from .meeting_services import warning_dict
from .meetings import Meeting, MeetingWarning, is_active, monitored_now, today
from .runtime import RaadhusRuntime
from .services import MAX_TEXT, plain_text
from .websocket_helpers import (
    loaded_runtime_or_say,
    send_error,
)

# Room, start and end as the form sends them. The times are checked below
# (ISO; without a zone, local): a bad one gets a translated error, not a
# schema message naming the message's keys.
MEETING_FIELDS: Final[VolDictType] = {
    vol.Required("room_id"): str,
    vol.Required("start"): str,
    vol.Required("end"): str,
}
# The form's times lie within this of now, either way. Anything further is a
# slip of the keyboard (year 20260), and far enough out the desk's date
# arithmetic would overflow instead of answering.
FORM_REACH: Final = timedelta(days=5 * 366)


def meeting_row(
    runtime: RaadhusRuntime, meeting: Meeting, now: datetime
) -> dict[str, Any]:
    """One meeting as the panel shows it (times in local ISO; never the note)."""
    room = runtime.config.room(meeting.room_id)
    return {
        "id": meeting.id,
        "room_id": meeting.room_id,
        "room_name": room.name if room else None,
        "start": dt_util.as_local(meeting.start).isoformat(),
        "end": dt_util.as_local(meeting.end).isoformat(),
        "monitored": meeting.monitored,
        "announced_by": meeting.announced_by,
        "active": is_active(meeting, now),
    }


def todays_meetings(runtime: RaadhusRuntime, now: datetime) -> list[dict[str, Any]]:
    """The meetings touching today's local date, by start; not the cancelled."""
    found = today(runtime.meetings.book, now, dt_util.get_default_time_zone())
    return [meeting_row(runtime, m, now) for m in found if not m.cancelled]


def room_meeting(
    runtime: RaadhusRuntime, room_id: str, now: datetime
) -> dict[str, Any]:
    """A room's "monitored" flag and the meeting running in it now (or None).

    A monitored meeting wins over an announced one running at the same time:
    the tile must ask the officers to watch.
    """
    book = runtime.meetings.book
    running = monitored_now(book, room_id, now) or next(
        (m for m in book if m.room_id == room_id and is_active(m, now)), None
    )
    return {
        "monitored": running is not None and running.monitored,
        "meeting": None if running is None else meeting_row(runtime, running, now),
    }


def next_day(now: datetime) -> datetime:
    """The coming local midnight: "today" changes then, though no meeting did."""
    return dt_util.start_of_local_day(dt_util.as_local(now).date() + timedelta(days=1))


def _when(value: str, now: datetime) -> datetime:
    """A time from the form; one without a zone is the town hall's local time."""
    parsed: datetime | None
    try:
        parsed = dt_util.parse_datetime(value)
        if parsed is not None and parsed.tzinfo is None:
            # As the actions read it (fold=0 in the autumn's repeated hour).
            parsed = parsed.replace(tzinfo=dt_util.get_default_time_zone())
        if parsed is not None and abs(parsed - now) > FORM_REACH:
            parsed = None
    except ValueError, OverflowError:  # well formed, but no such day or offset
        parsed = None
    if parsed is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="meeting_time_invalid",
            translation_placeholders={"value": value[:40]},
        )
    return parsed


def _note(value: str) -> str:
    note = plain_text(value.strip())
    if len(note) > MAX_TEXT:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="note_too_long",
            translation_placeholders={"max": str(MAX_TEXT)},
        )
    return note


def _warning(
    runtime: RaadhusRuntime, warning: MeetingWarning, now: datetime
) -> dict[str, Any]:
    """As the action returns it, plus the clashing meeting for the form to name."""
    other = runtime.meetings.book.get(warning.other_id) if warning.other_id else None
    return {
        **warning_dict(warning),
        "other": None if other is None else meeting_row(runtime, other, now),
    }


@websocket_command(
    {vol.Required("type"): "raadhus_alarm/meeting_preview", **MEETING_FIELDS}
)
@async_response
async def ws_meeting_preview(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """The warnings announcing this meeting would get; nothing is saved."""

    async def _preview(runtime: RaadhusRuntime) -> dict[str, Any]:
        now = dt_util.utcnow()
        found = await runtime.meetings.async_preview(
            room=msg["room_id"],
            start=_when(msg["start"], now),
            end=_when(msg["end"], now),
        )
        return {"warnings": [_warning(runtime, w, now) for w in found]}

    await _reply(hass, connection, msg, _preview)


@websocket_command(
    {
        vol.Required("type"): "raadhus_alarm/announce_meeting",
        **MEETING_FIELDS,
        vol.Optional("monitored", default=False): bool,
        vol.Optional("note", default=""): str,  # its length: a translated error
    }
)
@async_response
async def ws_announce_meeting(
    hass: HomeAssistant, connection: ActiveConnection, msg: dict[str, Any]
) -> None:
    """Announce a meeting as the logged-in user; its id, row and warnings.

    A user without a person is named by their user name: the officers must
    see who announced it (the desk would say "automation").
    """

    async def _announce(runtime: RaadhusRuntime) -> dict[str, Any]:
        now = dt_util.utcnow()
        caller = caller_for_user(hass, runtime.config, connection.user.id)
        meeting, found = await runtime.meetings.async_announce(
            replace(caller, name=caller.name or connection.user.name),
            room=msg["room_id"],
            start=_when(msg["start"], now),
            end=_when(msg["end"], now),
            monitored=msg["monitored"],
            note=_note(msg["note"]),
            context=connection.context(msg),
        )
        return {
            "meeting_id": meeting.id,
            "meeting": meeting_row(runtime, meeting, now),
            "warnings": [_warning(runtime, w, now) for w in found],
        }

    await _reply(hass, connection, msg, _announce)


async def _reply(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
    job: Callable[[RaadhusRuntime], Awaitable[dict[str, Any]]],
) -> None:
    runtime = loaded_runtime_or_say(hass, connection, msg["id"])
    if runtime is None:
        return
    try:
        result = await job(runtime)
    except ServiceValidationError as err:  # NotPermitted too: its key says so
        send_error(connection, msg["id"], err.translation_key or "invalid", err)
        return
    connection.send_result(msg["id"], result)
