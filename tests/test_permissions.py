"""The permission gate: one table, every path (actions, REST, websocket, panel, phone).

The table is restated here, independently of the code, as the README gives
it; the pure test checks every action against every combination of roles,
the Home Assistant tests check every action for a real user of every role
through real service calls with their context, and that each refusal
changes nothing: not the incident, not the log on disk, no event.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_INCIDENT, Role
from custom_components.raadhus_alarm.permissions import (
    INCIDENT_ACTIONS,
    Action,
    Caller,
    CallerKind,
    decide,
)

from .logfiles import on_disk
from .phones import Phones
from .world import (
    World,
    async_access_token,
    async_setup_town_hall,
    town_hall_options,
)

# The README's table, restated.
RESPONDERS = {"officer", "leader", "centre_chief", "out_of_hours"}
TABLE: dict[str, set[str] | None] = {  # None: everyone
    "trigger": None,
    "acknowledge": RESPONDERS,
    "on_scene": RESPONDERS,
    "resolve": RESPONDERS,
    "cancel": RESPONDERS,
    "debriefed": {"leader", "centre_chief"},
    "mark_drill": {"risk_coordinator"},
    "announce_meeting": None,
    "cancel_meeting": {"officer", "leader", "centre_chief"},
    "report_threatening_arrival": None,
    "add_ban": {"leader", "centre_chief"},
    "update_ban": {"leader", "centre_chief"},
    "end_ban": {"leader", "centre_chief"},
    "remove_ban": {"leader", "centre_chief"},
    "follow_up": {"leader", "centre_chief"},
    "keep_evidence": {"leader", "centre_chief", "security_coordinator"},
}
# One invented person per role (and one without any).
PERSON_OF_ROLE = {
    "officer": "betjent_bo",
    "leader": "leder_lis",
    "centre_chief": "centerchef_carl",
    "safety_organisation": "amr_anne",
    "out_of_hours": "vagt_villy",
    "facilities": "drift_dennis",
    "risk_coordinator": "risiko_rita",
    "security_coordinator": "sikkerhed_sune",
    None: "sagsbehandler_sara",
}


def allowed(action: str, roles: set[str]) -> bool:
    who = TABLE[action]
    return who is None or bool(who & roles)


@pytest.mark.parametrize("action", list(Action))
def test_table_for_every_combination_of_roles(action: Action) -> None:
    for size in range(len(Role) + 1):
        for roles in combinations(Role, size):
            caller = Caller(CallerKind.USER, user_id="u", roles=frozenset(roles))
            assert decide(action, caller) is allowed(str(action), set(roles)), roles


def test_system_may_do_everything_a_device_only_raise() -> None:
    for action in Action:
        assert decide(action, Caller.system())
        assert decide(action, Caller.device("Knap")) is (action is Action.RAISE)


def test_ones_own_meeting_may_be_cancelled_without_a_role() -> None:
    sara = Caller(CallerKind.USER, user_id="u", person="person.sara")
    assert decide(Action.CANCEL_MEETING, sara, owner="person.sara")
    assert not decide(Action.CANCEL_MEETING, sara, owner="person.other")
    assert not decide(Action.CANCEL_MEETING, sara)
    # Owning a meeting gives no other action, whatever it is.
    for action in Action:
        if action not in (Action.CANCEL_MEETING, Action.RAISE):
            assert decide(action, sara, owner="person.sara") is decide(action, sara)


def test_every_action_is_in_the_table() -> None:
    assert {str(a) for a in Action} == set(TABLE)


def _options(world: World) -> dict[str, Any]:
    options = town_hall_options(world)
    options["people"] = [
        {
            "id": slug,
            "person": f"person.{slug}",
            "roles": [role],
            "devices": [],
            "language": "da",
        }
        for role, slug in PERSON_OF_ROLE.items()
        if role is not None
    ]
    return options


@pytest.fixture
async def entry(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """A town hall with one person of every role (phones recorded)."""
    Phones(hass)
    return await async_setup_town_hall(hass, _options(world))


async def _call(
    hass: HomeAssistant, service: str, user_id: str | None, **data: Any
) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )


async def _incident_for(hass: HomeAssistant, action: str) -> str:
    """An incident (raised by an automation) in which `action` is possible."""
    result = await _call(hass, "trigger", None, room="Kontaktrum 2")
    if action == "debriefed":
        await _call(hass, "resolve", None, incident_id=result["incident_id"])
        await hass.async_block_till_done()
        await hass.services.async_call(  # the debrief is recorded first (R6)
            DOMAIN,
            "follow_up",
            {"incident_id": result["incident_id"], "item": "debrief"},
            blocking=True,
        )
    await hass.async_block_till_done()
    incident_id: str = result["incident_id"]
    return incident_id


ARGS = {"resolve": {"resolution": "citizen_left"}, "mark_drill": {"drill": True}}


@pytest.mark.parametrize("role", list(PERSON_OF_ROLE))
@pytest.mark.parametrize("action", [str(a) for a in INCIDENT_ACTIONS])
async def test_every_action_for_every_role(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    action: str,
    role: str | None,
) -> None:
    incident_id = await _incident_for(hass, action)
    book = entry.runtime_data.core.book
    before = book[incident_id].to_dict()
    stored_before = on_disk(hass)
    events: list[Event] = async_capture_events(hass, EVENT_INCIDENT)
    user_id = world.users[PERSON_OF_ROLE[role]]
    data = ARGS.get(action, {})
    target = {"room": "Kontaktrum 1"} if action == "trigger" else {}
    if action != "trigger":
        target = {"incident_id": incident_id}
    if allowed(action, {role} if role else set()):
        result = await _call(hass, action, user_id, **target, **data)
        assert events, "an allowed step is announced"
        changed = book[result["incident_id"]]
        who = changed.steps[0] if action == "trigger" else changed.last_step
        if action != "mark_drill":
            assert who.actor_user_id == user_id
        else:
            assert changed.drill
    else:
        with pytest.raises(ServiceValidationError) as err:
            await _call(hass, action, user_id, **target, **data)
        assert err.value.translation_key == "not_permitted"
        await hass.async_block_till_done()
        assert book[incident_id].to_dict() == before
        assert on_disk(hass) == stored_before
        assert events == []
        assert len(book) == 1


async def test_admin_without_a_role_is_refused_too(
    hass: HomeAssistant, entry: MockConfigEntry, hass_admin_user: Any
) -> None:
    incident_id = await _incident_for(hass, "acknowledge")
    with pytest.raises(ServiceValidationError) as err:
        await _call(hass, "acknowledge", hass_admin_user.id, incident_id=incident_id)
    assert err.value.translation_key == "not_permitted"
    assert entry.runtime_data.core.book[incident_id].state == "triggered"


async def test_refusal_is_logged(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    incident_id = await _incident_for(hass, "cancel")
    with pytest.raises(ServiceValidationError):
        await _call(
            hass, "cancel", world.users["sagsbehandler_sara"], incident_id=incident_id
        )
    assert any(
        "Refused cancel" in r.message and r.levelname == "WARNING"
        for r in caplog.records
    )


async def test_a_drill_raised_by_hand_needs_the_risk_coordinator(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    with pytest.raises(ServiceValidationError):
        await _call(
            hass, "trigger", world.users["betjent_bo"], room="Akutrum 1", drill=True
        )
    assert len(entry.runtime_data.core.book) == 0
    result = await _call(
        hass, "trigger", world.users["risiko_rita"], room="Akutrum 1", drill=True
    )
    assert entry.runtime_data.core.book[result["incident_id"]].drill


async def test_a_call_without_a_user_is_recorded_as_an_automation(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    incident_id = await _incident_for(hass, "acknowledge")
    await _call(hass, "acknowledge", None, incident_id=incident_id)
    step = entry.runtime_data.core.book[incident_id].last_step
    assert (step.actor_user_id, step.actor_name, step.source) == (
        None,
        None,
        "automation",
    )


async def test_rest_and_websocket_call_service_pass_the_gate(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_client_no_auth: Any,
    hass_ws_client: Any,
) -> None:
    """What an attacker with a case worker's login tries: every path refused."""
    assert await async_setup_component(hass, "api", {})
    incident_id = await _incident_for(hass, "acknowledge")
    book = entry.runtime_data.core.book
    before = book[incident_id].to_dict()
    sara = await async_access_token(hass, world.users["sagsbehandler_sara"])
    client = await hass_client_no_auth()
    headers = {"Authorization": f"Bearer {sara}"}
    for service in ("acknowledge", "on_scene", "resolve", "cancel", "debriefed"):
        response = await client.post(
            f"/api/services/{DOMAIN}/{service}",
            json={"incident_id": incident_id},
            headers=headers,
        )
        assert response.status == 400, service
        assert "does not allow" in (await response.text())
    ws = await hass_ws_client(hass, sara)
    for n, service in enumerate(("acknowledge", "cancel", "mark_drill"), start=1):
        data: dict[str, Any] = {"incident_id": incident_id}
        if service == "mark_drill":
            data["drill"] = True
        await ws.send_json(
            {
                "id": n,
                "type": "call_service",
                "domain": DOMAIN,
                "service": service,
                "service_data": data,
            }
        )
        reply = await ws.receive_json()
        assert reply["success"] is False, service
        assert reply["error"]["code"] == "service_validation_error"
    await ws.send_json(
        {
            "id": 10,
            "type": "raadhus_alarm/act",
            "incident_id": incident_id,
            "action": "resolve",
            "resolution": "citizen_left",  # a complete request: the gate refuses
        }
    )
    reply = await ws.receive_json()
    assert reply["error"]["code"] == "not_permitted"
    assert book[incident_id].to_dict() == before

    # The officer's login gets through the same paths.
    bo = await async_access_token(hass, world.users["betjent_bo"])
    response = await client.post(
        f"/api/services/{DOMAIN}/acknowledge",
        json={"incident_id": incident_id},
        headers={"Authorization": f"Bearer {bo}"},
    )
    assert response.status == 200
    assert book[incident_id].state == "acknowledged"


async def test_room_and_incident_that_disagree_are_an_error(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    first = await _call(hass, "trigger", None, room="Akutrum 1")
    await _call(hass, "trigger", None, room="Akutrum 2")
    with pytest.raises(ServiceValidationError) as err:
        await _call(
            hass,
            "acknowledge",
            None,
            room="Akutrum 2",
            incident_id=first["incident_id"],
        )
    assert err.value.translation_key == "incident_not_in_room"
    assert err.value.translation_placeholders == {
        "room": "Akutrum 2",
        "incident_room": "Akutrum 1",
    }
    book = entry.runtime_data.core.book
    assert {i.state for i in book.open_incidents()} == {"triggered"}
    # Agreeing room and incident are fine.
    await _call(
        hass, "acknowledge", None, room="Akutrum 1", incident_id=first["incident_id"]
    )
    assert book[first["incident_id"]].state == "acknowledged"


async def test_trigger_keeps_its_note(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _call(hass, "trigger", None, room="Akutrum 1", note="Råb i gangen")
    incident = entry.runtime_data.core.book[result["incident_id"]]
    assert incident.steps[0].note == "Råb i gangen"
    joined = await _call(hass, "trigger", None, room="Akutrum 1", note="Igen")
    assert joined["incident_id"] == result["incident_id"]
    assert incident.notes[-1].endswith(" Igen")
    assert on_disk(hass)[incident.id]["steps"][0]["note"] == "Råb i gangen"
