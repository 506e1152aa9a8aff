"""The officers' panel: websocket API (auth, push, responder check) and panel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
import threading
from typing import Any

from aiohttp import WSMsgType
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .phones import Phones
from .test_alarm_bus import advance, zha
from .test_routing import hold, routed_options
from .world import World, async_access_token, async_setup_town_hall


@pytest.fixture
def phones(hass: HomeAssistant) -> Phones:
    """The phones' push services (recorded; can fail or vanish)."""
    return Phones(hass)


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    """A loaded town hall with responders (phones recorded)."""
    entry = await async_setup_town_hall(hass, routed_options(world))
    return entry


async def _ws(hass: HomeAssistant, hass_ws_client: Any, world: World, who: str) -> Any:
    return await hass_ws_client(hass, await async_access_token(hass, world.users[who]))


def _room(state: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r for r in state["rooms"] if r["name"] == name)


async def test_subscription_pushes_every_change(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    assert (await ws.receive_json())["success"]
    state = (await ws.receive_json())["event"]
    assert state["town_hall"] == "Rådhuset"
    assert state["officers_on_duty"] is True
    assert state["police_present"] is False
    assert state["on_duty"] == ["Betjent Bo", "Betjent Birte"]
    assert state["can_act"] is True
    assert [r["name"] for r in state["rooms"]] == [
        "Kontaktrum 1",
        "Kontaktrum 2",
        "Akutrum 1",
        "Akutrum 2",
        "Venteområde",
    ]
    room = _room(state, "Kontaktrum 1")
    assert room["state"] == "idle"
    assert room["incident"] is None
    assert room["camera"] == "camera.kontaktrum_1"
    assert [b["name"] for b in room["buttons"]] == ["Knap zha1", "Knap zha2"]

    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    state = (await ws.receive_json())["event"]
    room = _room(state, "Kontaktrum 1")
    assert room["state"] == "triggered"
    assert room["incident"]["raised_by"] == "Knap zha1"
    assert room["incident"]["acknowledged_by"] is None


async def test_act_as_responder_and_as_stranger(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
) -> None:
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 2"}, blocking=True
    )
    (incident,) = entry.runtime_data.core.book.open_incidents()

    stranger = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    await stranger.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    await stranger.receive_json()
    assert (await stranger.receive_json())["event"]["can_act"] is False
    await stranger.send_json(
        {
            "id": 2,
            "type": "raadhus_alarm/act",
            "incident_id": incident.id,
            "action": "acknowledge",
        }
    )
    reply = await stranger.receive_json()
    assert reply["success"] is False
    assert reply["error"]["code"] == "not_permitted"
    assert incident.state == "triggered"

    officer = await _ws(hass, hass_ws_client, world, "betjent_birte")
    await officer.send_json(
        {
            "id": 1,
            "type": "raadhus_alarm/act",
            "incident_id": incident.id,
            "action": "acknowledge",
        }
    )
    reply = await officer.receive_json()
    assert reply["success"] is True
    assert reply["result"] == {"state": "acknowledged"}
    step = incident.last_step
    assert (step.actor_name, step.source) == ("Betjent Birte", "panel")
    # The stranger's subscription saw it, with who acknowledged.
    state = (await stranger.receive_json())["event"]
    assert (
        _room(state, "Kontaktrum 2")["incident"]["acknowledged_by"] == "Betjent Birte"
    )

    for msg_id, data, code in (
        (
            2,
            {"incident_id": incident.id, "action": "acknowledge"},
            "invalid_transition",
        ),
        (
            3,
            {"incident_id": "nope", "action": "resolve", "resolution": "other"},
            "unknown_incident",
        ),
    ):
        await officer.send_json({"id": msg_id, "type": "raadhus_alarm/act", **data})
        reply = await officer.receive_json()
        assert reply["error"]["code"] == code
    await officer.send_json(
        {
            "id": 11,
            "type": "raadhus_alarm/act",
            "incident_id": incident.id,
            "action": "resolve",
            "resolution": "citizen_left",
        }
    )
    assert (await officer.receive_json())["success"]
    state = (await stranger.receive_json())["event"]
    room = _room(state, "Kontaktrum 2")
    assert room["state"] == "idle"
    assert room["last"]["state"] == "resolved"
    assert room["last"]["by"] == "Betjent Birte"


# aiohttp's server-side heartbeat timer of the refused socket outlives the test.
@pytest.mark.parametrize("expected_lingering_timers", [True])
async def test_unauthenticated_connection_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry, hass_client_no_auth: Any
) -> None:
    client = await hass_client_no_auth()
    async with client.ws_connect("/api/websocket") as ws:
        assert (await ws.receive_json())["type"] == "auth_required"
        await ws.send_json({"type": "auth", "access_token": "not-a-token"})
        assert (await ws.receive_json())["type"] == "auth_invalid"
        assert (await ws.receive()).type is WSMsgType.CLOSE
    async with client.ws_connect("/api/websocket") as ws:
        assert (await ws.receive_json())["type"] == "auth_required"
        # A command instead of auth: the server does not answer it.
        await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
        reply = await ws.receive_json()
        assert reply["type"] == "auth_invalid"
        assert (await ws.receive()).type is WSMsgType.CLOSE


async def test_not_loaded(hass: HomeAssistant, hass_ws_client: Any) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    ws = await hass_ws_client(hass)
    await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    assert (await ws.receive_json())["success"]
    assert (await ws.receive_json())["event"] == {"loaded": False}
    await ws.send_json(
        {"id": 2, "type": "raadhus_alarm/act", "incident_id": "x", "action": "resolve"}
    )
    assert (await ws.receive_json())["error"]["code"] == "not_loaded"
    await ws.send_json({"id": 3, "type": "raadhus_alarm/history"})
    assert (await ws.receive_json())["error"]["code"] == "not_loaded"


@pytest.mark.parametrize("world_time", ["2026-11-23 14:29:59+00:00"])  # Mon 15:29:59
async def test_subscription_follows_the_schedules(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    await ws.receive_json()
    assert (await ws.receive_json())["event"]["police_present"] is False
    # Monday 15:30 in Copenhagen: the police slot starts; the panel is told.
    await advance(hass, freezer, 1)
    police = hass.states.get("schedule.police_present")
    assert police is not None
    assert police.state == "on"
    state = (await ws.receive_json(timeout=5))["event"]
    assert state["police_present"] is True


async def test_subscription_follows_reloads(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, hass_ws_client: Any
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    await ws.receive_json()
    assert len((await ws.receive_json())["event"]["rooms"]) == 5
    # Deleting rooms on the integration page reloads the entry: the same
    # subscription goes on.
    for room_id in ("k2", "a1", "a2", "v"):
        hass.config_entries.async_remove_subentry(entry, room_id)
    await hass.async_block_till_done()
    events = []
    for _ in range(6):
        events.append((await ws.receive_json())["event"])
        if events[-1].get("loaded") and len(events[-1]["rooms"]) == 1:
            break
    assert {"loaded": False} in events
    assert [r["name"] for r in events[-1]["rooms"]] == ["Kontaktrum 1"]


async def test_panel_is_registered_for_every_user(
    hass: HomeAssistant, world: World, hass_client: Any
) -> None:
    assert await async_setup_component(hass, "frontend", {})
    entry = await async_setup_town_hall(hass, routed_options(world))
    panels = hass.data["frontend_panels"]
    panel = panels["raadhus-alarm"]
    assert panel.require_admin is False
    assert panel.sidebar_title == "Rådhus Alarm"
    module_url = panel.config["_panel_custom"]["module_url"]
    assert module_url.startswith("/raadhus_alarm_static/raadhus-alarm-panel.js?v=")
    client = await hass_client()
    response = await client.get(module_url)
    assert response.status == 200
    assert "customElements.define" in await response.text()
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert "raadhus-alarm" not in hass.data["frontend_panels"]


async def test_a_broken_panel_never_stops_the_alarm(
    hass: HomeAssistant,
    world: World,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    from custom_components.raadhus_alarm import panel

    monkeypatch.setattr(panel, "FRONTEND_DIR", tmp_path / "missing")
    assert await async_setup_component(hass, "frontend", {})
    entry = await async_setup_town_hall(hass, routed_options(world))
    assert entry.state.name == "LOADED"
    assert "raadhus-alarm" not in hass.data["frontend_panels"]
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 1"}, blocking=True
    )
    assert entry.runtime_data.core.book.open_incidents()


# -- resolve with a reason, false alarm, debrief: who gets which button --------


async def _subscribed(ws: Any) -> dict[str, Any]:
    await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
    assert (await ws.receive_json())["success"]
    return (await ws.receive_json())["event"]


async def _receive(ws: Any, seconds: float = 5.0) -> Any:
    """The next message, or a failure after `seconds` of real time.

    The frozen clock also stops the loop's timers, so the websocket's own
    timeout would never end a wait for a push that does not come: a thread
    on the real clock ends it instead.
    """
    task = asyncio.current_task()
    assert task is not None
    loop = asyncio.get_running_loop()
    timer = threading.Timer(seconds, lambda: loop.call_soon_threadsafe(task.cancel))
    timer.start()
    try:
        return await ws.receive_json()
    except asyncio.CancelledError:
        task.uncancel()
        raise AssertionError("no push from the panel's subscription") from None
    finally:
        timer.cancel()
        timer.join()


async def _until(
    ws: Any,
    wanted: Callable[[dict[str, Any]], bool],
    pushes: int = 10,
    *,
    wrap: bool = True,
) -> dict[str, Any]:
    """The first pushed state that shows what the test waits for.

    `wrap=False`: the first message itself (a command's reply among pushes).
    """
    for _ in range(pushes):
        message = await _receive(ws)
        if not wrap:
            if wanted(message):
                return dict(message)
            continue
        if "event" not in message:
            continue
        if wanted(message["event"]):
            return dict(message["event"])
    raise AssertionError("the panel never showed it")


async def _act(ws: Any, msg_id: int, incident_id: str, **data: Any) -> Any:
    await ws.send_json(
        {"id": msg_id, "type": "raadhus_alarm/act", "incident_id": incident_id, **data}
    )
    return await ws.receive_json()


FLAGS = ("can_act", "can_resolve", "can_cancel", "can_debrief", "can_write_bans")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("betjent_bo", (True, True, True, False, False)),  # officer
        ("vagt_villy", (True, True, True, False, False)),  # out of hours
        ("leder_lis", (True, True, True, True, True)),  # leader
        ("centerchef_carl", (True, True, True, True, True)),  # centre chief
        ("amr_anne", (False, False, False, False, False)),  # safety organisation
        ("sagsbehandler_sara", (False, False, False, False, False)),  # no role
    ],
)
async def test_panel_flags_follow_the_permission_table(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    who: str,
    expected: tuple[bool, ...],
) -> None:
    state = await _subscribed(await _ws(hass, hass_ws_client, world, who))
    assert tuple(state[flag] for flag in FLAGS) == expected


async def test_resolve_needs_a_reason_cancel_and_debrief_from_the_panel(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
) -> None:
    book = entry.runtime_data.core.book
    for room in ("Kontaktrum 2", "Akutrum 1"):
        await hass.services.async_call(DOMAIN, "trigger", {"room": room}, blocking=True)
    k2, a1 = book.open_incidents()
    officer = await _ws(hass, hass_ws_client, world, "betjent_bo")

    # No reason, no resolve: a translated, plain error, and the alarm stays open.
    reply = await _act(officer, 1, k2.id, action="resolve")
    assert reply["error"] == {
        "code": "resolution_required",
        # Home Assistant's text of the translation (without its full stop).
        "message": "Say how the alarm ended (citizen asked to leave, police called "
        "or other) to resolve it",
        "translation_key": "resolution_required",
        "translation_domain": DOMAIN,
        "translation_placeholders": None,
    }
    assert k2.state == "triggered"
    reply = await _act(officer, 2, k2.id, action="resolve", resolution="thrown_out")
    assert reply["error"]["code"] == "invalid_format"
    assert k2.state == "triggered"

    reply = await _act(
        officer, 3, k2.id, action="resolve", resolution="police_called", note="Patrulje"
    )
    assert reply["result"] == {"state": "resolved"}
    assert (k2.state, k2.resolution) == ("resolved", "police_called")
    step = k2.last_step
    assert (step.actor_name, step.source, step.note) == (
        "Betjent Bo",
        "panel",
        "Patrulje",
    )

    # A false alarm: an officer may cancel it, someone without a role may not.
    stranger = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _act(stranger, 1, a1.id, action="cancel")
    assert reply["error"]["code"] == "not_permitted"
    assert reply["error"]["message"].startswith("Your role does not allow this")
    assert a1.state == "triggered"
    reply = await _act(officer, 4, a1.id, action="cancel", note="Fejltryk")
    assert reply["result"] == {"state": "cancelled"}
    assert (a1.last_step.actor_name, a1.last_step.note) == ("Betjent Bo", "Fejltryk")

    # Debriefed: the leaders' (the officer's panel has no button for it, and
    # the core refuses the officer all the same).
    reply = await _act(officer, 5, k2.id, action="debriefed")
    assert reply["error"]["code"] == "not_permitted"
    assert k2.state == "resolved"
    leader = await _ws(hass, hass_ws_client, world, "leder_lis")
    # Not before the debrief is recorded in the follow-up (R6), then yes.
    reply = await _act(leader, 1, k2.id, action="debriefed")
    assert reply["error"]["code"] == "debrief_not_recorded"
    assert "Kontaktrum 2" in reply["error"]["message"]
    assert k2.state == "resolved"
    await leader.send_json(
        {
            "id": 10,
            "type": "call_service",
            "domain": DOMAIN,
            "service": "follow_up",
            "service_data": {
                "incident_id": k2.id,
                "item": "debrief",
                "persons": ["person.betjent_bo"],
            },
            "return_response": True,
        }
    )
    reply = await _until(leader, lambda m: m.get("id") == 10, wrap=False)
    assert reply["success"], reply
    reply = await _act(leader, 11, k2.id, action="debriefed")
    assert reply["result"] == {"state": "debriefed"}
    assert k2.last_step.actor_name == "Leder Lis"
    # A cancelled alarm is not debriefed: the lifecycle says no.
    reply = await _act(leader, 12, a1.id, action="debriefed")
    assert reply["error"]["code"] == "invalid_transition"
    assert a1.state == "cancelled"


# -- history -------------------------------------------------------------------


async def _history(ws: Any, msg_id: int, **data: Any) -> Any:
    await ws.send_json({"id": msg_id, "type": "raadhus_alarm/history", **data})
    return await ws.receive_json()


async def test_history_of_the_last_30_days(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    bo = Context(user_id=world.users["betjent_bo"])

    async def _call(service: str, data: dict[str, Any], **kw: Any) -> None:
        await hass.services.async_call(DOMAIN, service, data, blocking=True, **kw)

    # 31 days ago: outside the history.
    await _call("trigger", {"room": "Akutrum 1"})
    await _call("resolve", {"room": "Akutrum 1", "resolution": "other"}, context=bo)
    freezer.tick(timedelta(days=31))
    # A drill in Kontaktrum 2, resolved; then a real alarm there, cancelled.
    await _call("trigger", {"room": "Kontaktrum 2", "drill": True})
    await _call(
        "resolve", {"room": "Kontaktrum 2", "resolution": "citizen_left"}, context=bo
    )
    freezer.tick(timedelta(hours=2))
    await _call("trigger", {"room": "Kontaktrum 2"})
    await _call("cancel", {"room": "Kontaktrum 2", "note": "Fejltryk"}, context=bo)
    freezer.tick(timedelta(hours=2))
    await _call("trigger", {"room": "Venteområde"})  # still open

    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    reply = await _history(ws, 1)
    assert reply["success"]
    result = reply["result"]
    assert (result["days"], result["room_id"], result["truncated"]) == (30, None, False)
    rows = result["incidents"]
    # Newest first; the incident of 31 days ago is not there.
    assert [(r["room_name"], r["state"], r["drill"]) for r in rows] == [
        ("Venteområde", "triggered", False),
        ("Kontaktrum 2", "cancelled", False),
        ("Kontaktrum 2", "resolved", True),
    ]
    cancelled, drill = rows[1], rows[2]
    assert (cancelled["closed_by"], cancelled["note"]) == ("Betjent Bo", "Fejltryk")
    assert (drill["closed_by"], drill["resolution"]) == ("Betjent Bo", "citizen_left")
    assert drill["debriefed_by"] is None
    assert rows[0]["closed_by"] is None
    # No incident notes on the wall screen (they hold delivery errors).
    assert all("notes" not in r for r in rows)

    reply = await _history(ws, 2, room_id="k2", days=30)
    assert [r["id"] for r in reply["result"]["incidents"]] == [
        r["id"] for r in rows[1:]
    ]
    reply = await _history(ws, 3, room_id="a1")
    assert reply["result"]["incidents"] == []
    reply = await _history(ws, 4, room_id="a1", days=1)
    assert reply["result"]["incidents"] == []
    # A leader marks the drill debriefed from the history: it shows there.
    leader = await _ws(hass, hass_ws_client, world, "leder_lis")
    assert (await _act(leader, 1, drill["id"], action="debriefed"))["success"]
    reply = await _history(ws, 5, room_id="k2")
    assert reply["result"]["incidents"][1]["debriefed_by"] == "Leder Lis"


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (
            {"days": 31},
            "invalid_days",
            "The history covers 1 to 30 days; 31 is not a number of days in that range",
        ),
        ({"days": 0}, "invalid_days", None),
        ({"days": -3}, "invalid_days", None),
        ({"days": "30"}, "invalid_days", None),
        ({"days": True}, "invalid_days", None),
        ({"days": 2.5}, "invalid_days", None),
        ({"room_id": "nope"}, "unknown_room", "There is no room called nope"),
        ({"room_id": 7}, "unknown_room", None),
        ({"room_id": ["k1"]}, "unknown_room", None),
    ],
)
async def test_history_refuses_bad_input_plainly(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    data: dict[str, Any],
    code: str,
    message: str | None,
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "sagsbehandler_sara")
    reply = await _history(ws, 1, **data)
    assert reply["success"] is False
    error = reply["error"]
    assert error["code"] == code
    assert error["translation_domain"] == DOMAIN
    assert (
        error["translation_key"]
        == {
            "invalid_days": "history_days",
            "unknown_room": "unknown_room",
        }[code]
    )
    if message:
        assert error["message"] == message
    assert "Traceback" not in error["message"]
    # The connection is fine after the refusal.
    assert (await _history(ws, 2))["success"]


# -- escalation and delivery failures on the tile ------------------------------


async def test_tile_shows_repeats_and_whom_they_widened_to(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    await _subscribed(ws)
    await hold(hass, freezer, world)  # alarm in Kontaktrum 1 at t = 2 s
    state = await _until(ws, lambda s: _room(s, "Kontaktrum 1")["incident"])
    incident = _room(state, "Kontaktrum 1")["incident"]
    assert (incident["repeated"], incident["widened_to"]) == (0, [])
    # Not acknowledged in 30 s: round 1 goes to the leaders, the centre chief
    # and the out-of-hours chain. Nothing changes on the incident, yet the
    # panel is told once the round has gone out.
    await advance(hass, freezer, 30)
    await advance(hass, freezer, 1)
    state = await _until(
        ws, lambda s: _room(s, "Kontaktrum 1")["incident"]["repeated"] == 1
    )
    incident = _room(state, "Kontaktrum 1")["incident"]
    assert incident["widened_to"] == ["Centerchef Carl", "Vagt Villy"]
    assert incident["unreachable"] == []
    # Step by step, as the loop runs timers in time order (the test helper
    # runs every due timer at once, in no particular order).
    await advance(hass, freezer, 29)
    await advance(hass, freezer, 1)
    state = await _until(
        ws, lambda s: _room(s, "Kontaktrum 1")["incident"]["repeated"] == 2
    )
    assert _room(state, "Kontaktrum 1")["incident"]["widened_to"] == [
        "Centerchef Carl",
        "Vagt Villy",
    ]
    # Acknowledged: no more rounds, the count stays as it was.
    (open_incident,) = entry.runtime_data.core.book.open_incidents()
    # (Acting on a connection of its own: this one is busy with pushes.)
    actor = await _ws(hass, hass_ws_client, world, "betjent_birte")
    assert (await _act(actor, 1, open_incident.id, action="acknowledge"))["success"]
    state = await _until(
        ws, lambda s: _room(s, "Kontaktrum 1")["state"] == "acknowledged"
    )
    assert _room(state, "Kontaktrum 1")["incident"]["repeated"] == 2
    reply = await _history(actor, 2, room_id="k1")
    assert reply["result"]["incidents"][0]["repeated"] == 2


async def test_failed_delivery_is_one_plain_line_not_a_notification(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    ws = await _ws(hass, hass_ws_client, world, "betjent_birte")
    await _subscribed(ws)
    phones.broken.add("betjent_bo")
    phones.remove("leder_lis")
    await hold(hass, freezer, world)
    state = await _until(
        ws,
        lambda s: bool(
            (i := _room(s, "Kontaktrum 1")["incident"]) and len(i["unreachable"]) == 2
        ),
    )
    incident = _room(state, "Kontaktrum 1")["incident"]
    assert incident["unreachable"] == ["Betjent Bo", "Leder Lis"]
    # Names only: the raw errors are for the administrators.
    assert "refused" not in str(state)
    assert "does not exist" not in str(state)
    # The administrators' repair issue as before, but no notification that
    # every user (and the wall screen) would see.
    issue = issue_registry.async_get_issue(DOMAIN, "delivery_person_betjent_bo")
    assert issue is not None
    assert issue.translation_placeholders["person"] == "Betjent Bo"
    assert issue_registry.async_get_issue(DOMAIN, "delivery_person_leder_lis")
    shown = persistent_notification._async_get_or_create_notifications(hass)
    assert not [n for n in shown if "delivery" in n]
    # Bo's phone works again: the retry reaches him; the next push says so.
    phones.broken.clear()
    await advance(hass, freezer, 5)
    assert "betjent_bo" in phones.alarmed()
    # ... and the panel is told at once (no other change is needed for it).
    state = await _until(
        ws,
        lambda s: _room(s, "Kontaktrum 1")["incident"]["unreachable"] == ["Leder Lis"],
    )
    (open_incident,) = entry.runtime_data.core.book.open_incidents()
    actor = await _ws(hass, hass_ws_client, world, "betjent_birte")
    assert (await _act(actor, 1, open_incident.id, action="acknowledge"))["success"]
    state = await _until(
        ws, lambda s: _room(s, "Kontaktrum 1")["state"] == "acknowledged"
    )
    assert _room(state, "Kontaktrum 1")["incident"]["unreachable"] == ["Leder Lis"]


async def test_a_retry_that_gets_through_clears_the_line_at_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Only Bo's phone fails, once: when the retry reaches it, the panel says so."""
    ws = await _ws(hass, hass_ws_client, world, "betjent_birte")
    await _subscribed(ws)
    phones.broken.add("betjent_bo")
    await hold(hass, freezer, world)
    await _until(
        ws,
        lambda s: bool(
            (i := _room(s, "Kontaktrum 1")["incident"])
            and i["unreachable"] == ["Betjent Bo"]
        ),
    )
    phones.broken.clear()
    await advance(hass, freezer, 5)  # the first retry
    assert "betjent_bo" in phones.alarmed()
    await _until(
        ws, lambda s: _room(s, "Kontaktrum 1")["incident"]["unreachable"] == []
    )


async def test_someone_without_a_phone_is_named_as_not_reached(
    hass: HomeAssistant,
    world: World,
    hass_ws_client: Any,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    options = routed_options(world)
    options["people"].append(
        {
            "id": "x",
            "person": "person.uden_telefon",
            "roles": ["leader"],
            "devices": [],
            "language": "da",
        }
    )
    await async_setup_town_hall(hass, options)
    ws = await _ws(hass, hass_ws_client, world, "betjent_bo")
    await _subscribed(ws)
    await hold(hass, freezer, world)
    state = await _until(ws, lambda s: bool(_room(s, "Kontaktrum 1")["incident"]))
    assert _room(state, "Kontaktrum 1")["incident"]["unreachable"] == ["Uden Telefon"]


async def test_the_panel_lists_active_bans_and_only_writers_see_notes(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
) -> None:
    officer = await _ws(hass, hass_ws_client, world, "betjent_bo")
    assert (await _subscribed(officer))["bans"] == []
    leader = await _ws(hass, hass_ws_client, world, "leder_lis")
    await _subscribed(leader)
    ban = {"case_reference": "SAG-7", "centre": "Jobcenter", "note": "Kun registret"}
    await leader.send_json(
        {
            "id": 2,
            "type": "call_service",
            "domain": DOMAIN,
            "service": "add_ban",
            "service_data": ban,
            "return_response": True,
        }
    )
    reply = await _until(leader, lambda m: m.get("id") == 2, wrap=False)
    assert reply["success"], reply
    assert reply["result"]["response"]["ban"]["case_reference"] == "SAG-7"
    seen = await _until(officer, lambda s: bool(s["bans"]))
    (row,) = seen["bans"]
    assert (row["case_reference"], row["centre"], row["note"]) == (
        "SAG-7",
        "Jobcenter",
        None,  # not for the officers' screen
    )
    assert row["end"].startswith("2027-05-23T11:00")
    again = await _subscribed(await _ws(hass, hass_ws_client, world, "leder_lis"))
    assert again["bans"][0]["note"] == "Kun registret"  # the register's writers
    # An officer's write is refused, translated, over the same call.
    await officer.send_json(
        {
            "id": 3,
            "type": "call_service",
            "domain": DOMAIN,
            "service": "add_ban",
            "service_data": {"case_reference": "SAG-8", "centre": "Jobcenter"},
            "return_response": True,
        }
    )
    reply = await _until(officer, lambda m: m.get("id") == 3, wrap=False)
    assert reply["success"] is False
    assert "Your role does not allow this (add_ban)" in reply["error"]["message"]
    assert len(entry.runtime_data.bans.active()) == 1
