"""Announced meetings on the officers' panel (R7): the announce form's two
websocket commands and what the subscription shows, through the real
websocket, real users, the real schedule helpers (officers Mon 07:30–18:00,
Fri 07:30–13:00; police Mon 15:30–16:30) and a frozen clock in Copenhagen
(Monday 23 November 2026, 11:00).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_MEETING

from .phones import Phones
from .test_alarm_bus import advance
from .test_routing import routed_options
from .test_websocket import _room, _subscribed, _until, _ws
from .world import World, async_access_token, async_setup_town_hall

TODAY_13 = "2026-11-23T13:00"  # no zone: the town hall's local time
FRIDAY_14 = "2026-11-27T14:00"


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    return await async_setup_town_hall(hass, routed_options(world))


async def _command(ws: Any, msg_id: int, kind: str, **data: Any) -> Any:
    await ws.send_json({"id": msg_id, "type": f"raadhus_alarm/{kind}", **data})
    return await ws.receive_json()


def _meeting(room_id: str = "k1", start: str = TODAY_13, **kw: Any) -> dict[str, Any]:
    end = kw.pop("end", start[:11] + f"{int(start[11:13]) + 1:02d}" + start[13:])
    return {"room_id": room_id, "start": start, "end": end, **kw}


async def test_preview_warns_before_anything_is_saved(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, hass_ws_client: Any
) -> None:
    events = async_capture_events(hass, EVENT_MEETING)
    # A case worker without any role: anyone may announce, so anyone may ask.
    ws = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _command(ws, 1, "meeting_preview", **_meeting(start=FRIDAY_14))
    assert reply["success"], reply
    # Friday 14:00 is after the officers' Friday (07:30–13:00); the police are
    # next at the town hall on Monday 30 November at 15:30.
    assert reply["result"] == {
        "warnings": [
            {
                "key": "outside_officer_hours",
                "suggestion": "2026-11-30T15:30:00+01:00",
                "police_present": False,
                "other_meeting_id": None,
                "other": None,
            }
        ]
    }
    # The suggested slot itself is inside the officers' Monday: no warning.
    reply = await _command(
        ws, 2, "meeting_preview", **_meeting(start="2026-11-30T15:30")
    )
    assert reply["result"] == {"warnings": []}
    assert list(entry.runtime_data.meetings.book) == []
    assert events == []


async def test_announced_from_the_panel_it_is_stored_and_listed_today(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, hass_ws_client: Any
) -> None:
    wall = await _ws(hass, hass_ws_client, world, "betjent_bo")
    assert (await _subscribed(wall))["meetings"] == []
    sara = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _command(
        sara,
        1,
        "announce_meeting",
        **_meeting(monitored=True, note="Borgeren har truet før"),
    )
    assert reply["success"], reply
    result = reply["result"]
    assert result["warnings"] == []
    (meeting,) = entry.runtime_data.meetings.book
    assert result["meeting_id"] == meeting.id
    # Without a zone the time is the town hall's: 13:00 in Copenhagen.
    assert meeting.start == datetime.fromisoformat("2026-11-23T12:00:00+00:00")
    assert meeting.end == datetime.fromisoformat("2026-11-23T13:00:00+00:00")
    assert (meeting.monitored, meeting.note) == (True, "Borgeren har truet før")
    assert meeting.announced_by == "Sagsbehandler Sara"
    assert meeting.announced_by_person == "person.sagsbehandler_sara"
    row = {
        "id": meeting.id,
        "room_id": "k1",
        "room_name": "Kontaktrum 1",
        "start": "2026-11-23T13:00:00+01:00",
        "end": "2026-11-23T14:00:00+01:00",
        "monitored": True,
        "announced_by": "Sagsbehandler Sara",
        "active": False,
    }
    assert result["meeting"] == row

    state = await _until(wall, lambda s: bool(s["meetings"]))
    assert state["meetings"] == [row]
    # The wall screen never shows the note.
    assert "truet" not in str(state)
    assert _room(state, "Kontaktrum 1")["monitored"] is False  # not begun yet
    assert _room(state, "Kontaktrum 1")["meeting"] is None

    # Tomorrow's meeting is not today's; a cancelled one is not listed; an
    # overlapping one is warned about, naming the other.
    await _command(sara, 2, "announce_meeting", **_meeting(start="2026-11-24T10:00"))
    reply = await _command(
        sara, 3, "announce_meeting", **_meeting(start="2026-11-23T13:30:00+01:00")
    )
    (overlap,) = reply["result"]["warnings"]
    assert overlap["key"] == "overlap"
    assert overlap["other_meeting_id"] == meeting.id
    assert overlap["other"] == row
    state = await _until(wall, lambda s: len(s["meetings"]) == 2)
    await hass.services.async_call(
        DOMAIN,
        "cancel_meeting",
        {"meeting_id": reply["result"]["meeting_id"]},
        blocking=True,
        context=Context(user_id=world.users["betjent_bo"]),
    )
    state = await _until(wall, lambda s: len(s["meetings"]) == 1)
    assert [m["id"] for m in state["meetings"]] == [meeting.id]


async def test_the_room_is_monitored_while_the_meeting_runs(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    # A meeting of seconds: the clock must not run past the websocket's
    # heartbeat (55 s) while the panel's connection is open.
    start, end = "2026-11-23T11:00:20", "2026-11-23T11:00:40"
    sara = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    for msg_id, room, monitored in ((1, "k1", True), (2, "k2", False)):
        data = _meeting(room, start, end=end, monitored=monitored)
        reply = await _command(sara, msg_id, "announce_meeting", **data)
        assert reply["success"], reply
    wall = await _ws(hass, hass_ws_client, world, "betjent_bo")
    state = await _subscribed(wall)
    assert [m["active"] for m in state["meetings"]] == [False, False]
    assert not any(r["monitored"] for r in state["rooms"])

    await advance(hass, freezer, 20)  # 11:00:20, the start
    state = await _until(wall, lambda s: _room(s, "Kontaktrum 1")["monitored"])
    k1, k2 = _room(state, "Kontaktrum 1"), _room(state, "Kontaktrum 2")
    assert k1["meeting"]["monitored"] is True
    assert k1["meeting"]["active"] is True
    # An announced meeting that is not monitored: the tile names it, no badge.
    assert k2["monitored"] is False
    assert k2["meeting"]["monitored"] is False
    assert k2["meeting"]["active"] is True
    assert [r["id"] for r in state["rooms"] if r["monitored"]] == ["k1"]
    assert [m["active"] for m in state["meetings"]] == [True, True]

    await advance(hass, freezer, 20)  # 11:00:40, the end
    state = await _until(wall, lambda s: not _room(s, "Kontaktrum 1")["monitored"])
    assert _room(state, "Kontaktrum 1")["meeting"] is None
    assert _room(state, "Kontaktrum 2")["meeting"] is None
    # Still today's: listed, no longer running.
    assert [m["active"] for m in state["meetings"]] == [False, False]


@pytest.mark.parametrize("world_time", ["2026-11-23 22:59:30+00:00"])  # 23:59:30
async def test_at_midnight_the_list_is_the_new_days(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    sara = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _command(
        sara, 1, "announce_meeting", **_meeting(start="2026-11-24T10:00")
    )
    wall = await _ws(hass, hass_ws_client, world, "betjent_bo")
    assert (await _subscribed(wall))["meetings"] == []
    # Nothing about the meeting changes at midnight; the day does.
    await advance(hass, freezer, 31)
    state = await _until(wall, lambda s: bool(s["meetings"]))
    assert [m["id"] for m in state["meetings"]] == [reply["result"]["meeting_id"]]


async def test_a_user_without_a_person_is_named_by_their_user_name(
    hass: HomeAssistant, entry: MockConfigEntry, hass_ws_client: Any
) -> None:
    user = await hass.auth.async_create_user("Vikar Vera")
    ws = await hass_ws_client(hass, await async_access_token(hass, user.id))
    reply = await _command(ws, 1, "announce_meeting", **_meeting())
    assert reply["result"]["meeting"]["announced_by"] == "Vikar Vera"


@pytest.mark.parametrize(
    ("kind", "data", "code", "message"),
    [
        (
            "announce_meeting",
            _meeting(note="Borger 010190-1234 er vred"),
            "cpr_refused",
            "The text contains what looks like a CPR number. Never write a CPR "
            "number here; remove it and try again",
        ),
        (
            "announce_meeting",
            _meeting(note="x" * 1001),
            "note_too_long",
            "The note is longer than 1000 characters; shorten it",
        ),
        (
            "announce_meeting",
            _meeting("kaelderen"),
            "unknown_room",
            "There is no room called kaelderen",
        ),
        (
            "meeting_preview",
            _meeting("kaelderen"),
            "unknown_room",
            "There is no room called kaelderen",
        ),
        (
            "announce_meeting",
            _meeting(end="2026-11-23T12:00"),
            "meeting_ends_before_it_starts",
            "The meeting must end after it starts",
        ),
        (
            "meeting_preview",
            _meeting(end=TODAY_13),
            "meeting_ends_before_it_starts",
            "The meeting must end after it starts",
        ),
        (
            "announce_meeting",
            _meeting(start="fredag kl. 14"),
            "meeting_time_invalid",
            "fredag kl. 14 is not a usable date and time for the meeting",
        ),
        (
            "meeting_preview",
            _meeting(start="2026-02-30T10:00", end="2026-02-30T11:00"),
            "meeting_time_invalid",
            "2026-02-30T10:00 is not a usable date and time for the meeting",
        ),
        (
            "announce_meeting",
            _meeting(start="3026-11-23T13:00", end="3026-11-23T14:00"),
            "meeting_time_invalid",
            None,
        ),
        (
            "announce_meeting",
            _meeting(end="2026-11-23T14:00+25:00"),
            "meeting_time_invalid",
            None,
        ),
    ],
)
async def test_refusals_are_plain_and_change_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    kind: str,
    data: dict[str, Any],
    code: str,
    message: str | None,
) -> None:
    events = async_capture_events(hass, EVENT_MEETING)
    ws = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _command(ws, 1, kind, **data)
    assert reply["success"] is False
    error = reply["error"]
    assert (error["code"], error["translation_key"]) == (code, code)
    assert error["translation_domain"] == DOMAIN
    if message:
        assert error["message"] == message
    assert "Traceback" not in error["message"]
    assert list(entry.runtime_data.meetings.book) == []
    assert events == []
    # The connection is fine after the refusal.
    assert (await _command(ws, 2, "meeting_preview", **_meeting()))["success"]


async def test_not_loaded(hass: HomeAssistant, hass_ws_client: Any) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    ws = await hass_ws_client(hass)
    for msg_id, kind in ((1, "meeting_preview"), (2, "announce_meeting")):
        reply = await _command(ws, msg_id, kind, **_meeting())
        assert reply["error"]["code"] == "not_loaded"
