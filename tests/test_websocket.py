"""The officers' panel: websocket API (auth, push, responder check) and panel."""

from __future__ import annotations

from typing import Any

from aiohttp import WSMsgType
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .test_alarm_bus import advance, zha
from .test_routing import Phones, routed_options
from .world import World, async_setup_town_hall


@pytest.fixture
async def entry(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """A loaded town hall with responders (phones recorded)."""
    Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    return entry


async def _token(hass: HomeAssistant, user_id: str) -> str:
    user = await hass.auth.async_get_user(user_id)
    assert user is not None
    refresh = await hass.auth.async_create_refresh_token(
        user, "https://example.invalid/"
    )
    return hass.auth.async_create_access_token(refresh)


async def _ws(hass: HomeAssistant, hass_ws_client: Any, world: World, who: str) -> Any:
    return await hass_ws_client(hass, await _token(hass, world.users[who]))


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
    assert room["camera"] == "camera.kontaktrum_1_camera_1"
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
        (3, {"incident_id": "nope", "action": "resolve"}, "unknown_incident"),
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
    # Saving options reloads the entry: the same subscription goes on.
    options = {**entry.options, "rooms": entry.options["rooms"][:1]}
    hass.config_entries.async_update_entry(entry, options=options)
    await hass.config_entries.async_reload(entry.entry_id)
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
