"""The follow-up after an incident (R6), recorded: through the real actions,
users, persons and panel websocket, a real store and a frozen clock (Monday
23 November 2026, 11:00 in Copenhagen). Only the phones are recorded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import probatio as vol
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_test_home_assistant,
)

from .bus import jump_to
from .phones import Phones
from .test_routing import routed_options
from .test_websocket import _subscribed, _ws
from .world import (
    World,
    async_build_world,
    async_call_action,
    async_setup_town_hall,
    async_teardown_world,
)

OVERDUE = "Opfølgning mangler: Kontaktrum 1"


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    return await async_setup_town_hall(hass, routed_options(world))


async def _resolved(hass: HomeAssistant, room: str = "Kontaktrum 1") -> str:
    """An alarm raised and resolved by an automation; its incident id."""
    raised = await async_call_action(hass, "trigger", room=room)
    await async_call_action(
        hass, "resolve", incident_id=raised["incident_id"], resolution="citizen_left"
    )
    incident_id: str = raised["incident_id"]
    return incident_id


def _items(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["key"]: item for item in result["items"]}


async def test_a_resolved_alarm_gets_its_checklist_and_a_leader_ticks_it_off(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    incident_id = await _resolved(hass)
    checklist = entry.runtime_data.followups.checklist(incident_id)
    assert checklist is not None
    # The crisis line valid then (no crisis-line schedule: the insurer's).
    assert (checklist.crisis_name, checklist.crisis_phone, checklist.cvr) == (
        "Forsikringens krisehjælp",
        "+45 00 00 00 01",
        "12345678",
    )
    lis = world.users["leder_lis"]
    result = await async_call_action(
        hass,
        "follow_up",
        lis,
        incident_id=incident_id,
        item="debrief",
        persons=["person.betjent_bo", "person.sagsbehandler_sara"],
    )
    debrief = _items(result)["debrief"]
    assert debrief["done"] is True
    assert debrief["done_by"] == "Leder Lis"
    assert debrief["done_at"] == "2026-11-23T11:00:00+01:00"
    assert debrief["persons"] == ["Betjent Bo", "Sagsbehandler Sara"]
    assert _items(result)["work_accident_report"]["applies"] is False
    assert result["complete"] is False
    for item in (
        "crisis_help_offered",
        "relatives_contacted",
        "police_report",
        "safety_organisation_told",
        "video_requested",
    ):
        result = await async_call_action(
            hass, "follow_up", lis, incident_id=incident_id, item=item
        )
    assert result["complete"] is True
    # Taken back: open again.
    result = await async_call_action(
        hass,
        "follow_up",
        lis,
        incident_id=incident_id,
        item="police_report",
        done=False,
    )
    assert (result["complete"], _items(result)["police_report"]["done"]) == (
        False,
        False,
    )


@pytest.mark.parametrize("who", ["betjent_bo", "amr_anne", "sagsbehandler_sara"])
async def test_only_leaders_and_the_centre_chief_tick(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, who: str
) -> None:
    incident_id = await _resolved(hass)
    with pytest.raises(ServiceValidationError) as err:
        await async_call_action(
            hass, "follow_up", world.users[who], incident_id=incident_id, item="debrief"
        )
    assert err.value.translation_key == "not_permitted"
    checklist = entry.runtime_data.followups.checklist(incident_id)
    assert checklist is not None
    assert checklist.ticks == {}
    carl = world.users["centerchef_carl"]
    result = await async_call_action(
        hass, "follow_up", carl, incident_id=incident_id, item="police_report"
    )
    assert _items(result)["police_report"]["done_by"] == "Centerchef Carl"


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"item": "work_accident_report"}, "follow_up_item_does_not_apply"),
        (
            {"item": "police_report", "persons": ["person.betjent_bo"]},
            "persons_only_for_debrief",
        ),
        ({"item": "debrief", "persons": ["person.findes_ikke"]}, "unknown_person"),
        ({"item": "debrief", "incident_id": "no-such-incident"}, "no_follow_up"),
    ],
)
async def test_bad_ticks_are_refused_and_change_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    data: dict[str, Any],
    key: str,
) -> None:
    incident_id = await _resolved(hass)
    with pytest.raises(ServiceValidationError) as err:
        await async_call_action(
            hass,
            "follow_up",
            world.users["leder_lis"],
            **{"incident_id": incident_id, **data},
        )
    assert err.value.translation_key == key
    checklist = entry.runtime_data.followups.checklist(incident_id)
    assert checklist is not None
    assert checklist.ticks == {}
    with pytest.raises(vol.Invalid):
        await async_call_action(
            hass, "follow_up", incident_id=incident_id, item="coffee"
        )


async def test_drills_and_false_alarms_have_no_checklist(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    drill = await async_call_action(hass, "trigger", room="Kontaktrum 2", drill=True)
    await async_call_action(hass, "resolve", incident_id=drill["incident_id"])
    false_alarm = await async_call_action(hass, "trigger", room="Akutrum 1")
    await async_call_action(hass, "cancel", incident_id=false_alarm["incident_id"])
    desk = entry.runtime_data.followups
    assert desk.checklist(drill["incident_id"]) is None
    assert desk.checklist(false_alarm["incident_id"]) is None
    # A drill may be marked debriefed without one.
    result = await async_call_action(
        hass, "debriefed", incident_id=drill["incident_id"]
    )
    assert result["state"] == "debriefed"


async def test_debriefed_needs_the_debrief_recorded(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    incident_id = await _resolved(hass)
    lis = world.users["leder_lis"]
    with pytest.raises(ServiceValidationError) as err:
        await async_call_action(hass, "debriefed", lis, incident_id=incident_id)
    assert err.value.translation_key == "debrief_not_recorded"
    assert entry.runtime_data.core.book[incident_id].state == "resolved"
    await async_call_action(
        hass, "follow_up", lis, incident_id=incident_id, item="debrief"
    )
    result = await async_call_action(hass, "debriefed", lis, incident_id=incident_id)
    assert result["state"] == "debriefed"


async def test_open_items_remind_the_leaders_after_three_working_days_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await jump_to(hass, freezer, "2026-11-27T10:00:00+01:00")  # a Friday
    incident_id = await _resolved(hass)
    lis = world.users["leder_lis"]
    await async_call_action(
        hass, "follow_up", lis, incident_id=incident_id, item="debrief"
    )
    await jump_to(hass, freezer, "2026-12-02T09:59:00+01:00")  # Wednesday
    assert [p for p in phones.received["leder_lis"] if p.get("title") == OVERDUE] == []
    await jump_to(hass, freezer, "2026-12-02T10:00:01+01:00")
    (reminder,) = [p for p in phones.received["leder_lis"] if p.get("title") == OVERDUE]
    assert "Krisehjælp tilbudt" in reminder["message"]
    assert "Defusing" not in reminder["message"]  # done already
    officers = phones.received["betjent_bo"]
    assert not any(p.get("title") == OVERDUE for p in officers)  # leaders only
    await jump_to(hass, freezer, "2026-12-09T10:00:00+01:00")
    assert (
        len([p for p in phones.received["leder_lis"] if p.get("title") == OVERDUE]) == 1
    )


async def test_the_panel_lists_open_follow_ups_for_leaders_only(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
) -> None:
    incident_id = await _resolved(hass)
    leader = await _subscribed(await _ws(hass, hass_ws_client, world, "leder_lis"))
    assert leader["can_follow_up"] is True
    (row,) = leader["followups"]
    assert row["incident_id"] == incident_id
    assert row["room_name"] == "Kontaktrum 1"
    assert row["crisis_line"] == {
        "name": "Forsikringens krisehjælp",
        "phone": "+45 00 00 00 01",
    }
    assert (row["cvr"], row["state"], row["overdue"]) == ("12345678", "resolved", False)
    assert next(i["key"] for i in row["items"]) == "debrief"
    officer = await _subscribed(await _ws(hass, hass_ws_client, world, "betjent_bo"))
    assert (officer["can_follow_up"], officer["followups"]) == (False, [])


async def test_a_restart_keeps_the_ticks_and_an_old_resolved_alarm_gets_a_checklist(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    Phones(hass)
    entry = await async_setup_town_hall(
        hass, routed_options(world), entry_id="town_hall"
    )
    ticked = await _resolved(hass)
    lis = world.users["leder_lis"]
    await async_call_action(
        hass, "follow_up", lis, incident_id=ticked, item="police_report"
    )
    older = await _resolved(hass, "Kontaktrum 2")
    # As if resolved before this version: no checklist stored for it.
    records = hass_storage["raadhus_alarm.followups"]["data"]["followups"]
    hass_storage["raadhus_alarm.followups"]["data"]["followups"] = [
        r for r in records if r["incident_id"] != older
    ]
    config_dir = hass.config.config_dir
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_teardown_world(hass)
    await hass.async_stop(force=True)

    async with async_test_home_assistant(config_dir=config_dir) as again:
        again.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        world2 = await async_build_world(again)
        phones = Phones(again)
        entry2 = await async_setup_town_hall(again, routed_options(world2), "town_hall")
        desk = entry2.runtime_data.followups
        kept = desk.checklist(ticked)
        assert kept is not None
        assert kept.ticks["police_report"].by == "Leder Lis"
        assert desk.checklist(older) is not None
        await jump_to(again, freezer, "2026-11-26T11:00:30+01:00")  # Thursday
        overdue = [
            p
            for p in phones.received["leder_lis"]
            if "Opfølgning" in p.get("title", "")
        ]
        assert len(overdue) == 2
        assert await again.config_entries.async_unload(entry2.entry_id)
        await async_teardown_world(again)
        await again.async_stop(force=True)


async def test_the_log_export_carries_when_each_item_was_done(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    incident_id = await _resolved(hass)
    lis = world.users["leder_lis"]
    await async_call_action(
        hass, "follow_up", lis, incident_id=incident_id, item="police_report"
    )
    exported = await async_call_action(hass, "export_log")
    (row,) = [r for r in exported["rows"] if r["incident_id"] == incident_id]
    assert row["followup_police_report"] == "2026-11-23T11:00:00+01:00"
    assert row["followup_debrief"] is None  # not done (an empty cell in the CSV)


async def test_an_alarm_marked_a_drill_afterwards_loses_its_checklist(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """The unannounced drill is handled as real, then marked: no follow-up."""
    incident_id = await _resolved(hass)
    desk = entry.runtime_data.followups
    assert desk.checklist(incident_id) is not None
    await async_call_action(hass, "mark_drill", incident_id=incident_id, drill=True)
    assert desk.checklist(incident_id) is None
    result = await async_call_action(hass, "debriefed", incident_id=incident_id)
    assert result["state"] == "debriefed"  # a drill needs no recorded debrief
    # Unmarked again while still resolved: it is real, its checklist returns.
    other = await _resolved(hass, "Kontaktrum 2")
    await async_call_action(hass, "mark_drill", incident_id=other, drill=True)
    await async_call_action(hass, "mark_drill", incident_id=other, drill=False)
    assert desk.checklist(other) is not None


async def test_checklists_are_not_pruned_while_the_log_is_incomplete(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """An incident missing from a log read only in part keeps its follow-up."""
    incident_id = await _resolved(hass)
    runtime = entry.runtime_data
    runtime.core.book.prune(dt_util.utcnow() + timedelta(days=1))  # gone from view
    assert runtime.core.book.get(incident_id) is None
    runtime.core.log.partial = True
    await runtime.followups._async_prune()
    assert runtime.followups.checklist(incident_id) is not None
    # Read whole, but within the log's retention: kept as well.
    runtime.core.log.partial = False
    await runtime.followups._async_prune()
    assert runtime.followups.checklist(incident_id) is not None
