"""Entities, devices, button supervision (repair issues) and diagnostics."""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.raadhus_alarm.const import DOMAIN

from .test_alarm_bus import advance
from .world import (
    World,
    async_setup_town_hall,
    town_hall_options,
)


async def _setup(hass: HomeAssistant, options: dict[str, Any]) -> MockConfigEntry:
    entry = await async_setup_town_hall(hass, options)
    return entry


@pytest.fixture
async def entry(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """A loaded town hall."""
    return await _setup(hass, town_hall_options(world))


async def test_devices_and_unique_ids(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    dev_reg = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(dev_reg, entry.entry_id)
    hall = dev_reg.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert hall is not None
    assert hall.model == "Town hall"
    # The town hall, five rooms and six buttons, each in its own subentry.
    assert sorted(
        (d.name or "", d.model or "", d.config_subentry_id or "") for d in devices
    ) == [
        ("Akutrum 1", "Emergency room", "a1"),
        ("Akutrum 2", "Emergency room", "a2"),
        ("Knap bs1", "Panic button", "bs1"),
        ("Knap ev1", "Panic button", "ev1"),
        ("Knap z2m1", "Panic button", "z2m1"),
        ("Knap zha1", "Panic button", "zha1"),
        ("Knap zha2", "Panic button", "zha2"),
        ("Knap zw1", "Panic button", "zw1"),
        ("Kontaktrum 1", "Contact room", "k1"),
        ("Kontaktrum 2", "Contact room", "k2"),
        ("Rådhuset", "Town hall", ""),
        ("Venteområde", "Waiting area", "v"),
    ]
    room = dev_reg.async_get_device_by_identifier((DOMAIN, "k1"), entry.entry_id)
    assert room is not None
    assert room.via_device_id == hall.id
    ent_reg = er.async_get(hass)
    entities = er.async_entries_for_device(ent_reg, room.id)
    assert sorted((e.unique_id, e.config_subentry_id) for e in entities) == [
        ("k1_alarm", "k1"),
        ("k1_incident_state", "k1"),
        ("k1_monitored_meeting", "k1"),
    ]
    button = dev_reg.async_get_device_by_identifier((DOMAIN, "zha1"), entry.entry_id)
    assert button is not None
    assert button.via_device_id == room.id
    entities = er.async_entries_for_device(ent_reg, button.id)
    assert sorted((e.unique_id, e.config_subentry_id) for e in entities) == [
        ("zha1_event", "zha1"),
        ("zha1_health", "zha1"),
    ]
    alarm = hass.states.get("binary_sensor.kontaktrum_1_alarm")
    assert alarm is not None
    assert alarm.state == "off"
    assert alarm.attributes["device_class"] == "safety"
    state = hass.states.get("sensor.kontaktrum_1_incident_state")
    assert state is not None
    assert state.state == "idle"
    assert state.attributes["options"] == [
        "idle",
        "triggered",
        "acknowledged",
        "on_scene",
    ]


async def test_deleted_room_drops_its_device_and_reports_its_buttons(
    hass: HomeAssistant, entry: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    """Deleting a room on the integration page: its button raises no alarm, said so."""
    hass.config_entries.async_remove_subentry(entry, "k2")
    await hass.async_block_till_done()  # the update listener reloads the entry
    dev_reg = dr.async_get(hass)
    assert (
        dev_reg.async_get_device_by_identifier((DOMAIN, "k2"), entry.entry_id) is None
    )
    assert (
        dev_reg.async_get_device_by_identifier((DOMAIN, "zw1"), entry.entry_id) is None
    )
    assert (
        dev_reg.async_get_device_by_identifier((DOMAIN, "k1"), entry.entry_id)
        is not None
    )
    assert "zw1" not in {b.id for b in entry.runtime_data.config.buttons}
    issue = issue_registry.async_get_issue(DOMAIN, "orphan_button_zw1")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    assert issue.translation_placeholders == {"button": "Kontaktrum 2 · Knap zw1"}

    # Deleting the button too clears the issue.
    hass.config_entries.async_remove_subentry(entry, "zw1")
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, "orphan_button_zw1") is None


async def test_remove_config_entry_device_only_for_stale_devices(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    assert await async_setup_component(hass, "config", {})
    dev_reg = dr.async_get(hass)
    stale = dev_reg.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={(DOMAIN, "gone")}, name="Gammel"
    )
    room = dev_reg.async_get_device_by_identifier((DOMAIN, "k1"), entry.entry_id)
    assert room is not None
    from custom_components.raadhus_alarm import async_remove_config_entry_device

    assert await async_remove_config_entry_device(hass, entry, stale)
    assert not await async_remove_config_entry_device(hass, entry, room)
    button = dev_reg.async_get_device_by_identifier((DOMAIN, "zha1"), entry.entry_id)
    assert button is not None
    assert not await async_remove_config_entry_device(hass, entry, button)


async def test_schedule_mirrors(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    on_duty = hass.states.get("binary_sensor.radhuset_officers_on_duty")
    police = hass.states.get("binary_sensor.radhuset_police_present")
    assert on_duty is not None
    assert police is not None
    assert (on_duty.state, police.state) == ("on", "off")  # Monday 10:00 UTC
    freezer.move_to("2026-11-23 14:45:00+00:00")  # Monday 15:45 in Copenhagen
    await advance(hass, freezer, 0)
    police = hass.states.get("binary_sensor.radhuset_police_present")
    assert police is not None
    assert police.state == "on"
    er.async_get(hass).async_remove("schedule.police_present")
    await hass.async_block_till_done()
    police = hass.states.get("binary_sensor.radhuset_police_present")
    assert police is not None
    assert police.state == "unavailable"


# -- supervision -------------------------------------------------------------


def _battery(hass: HomeAssistant, world: World, device_id: str, level: str) -> str:
    ent_reg = er.async_get(hass)
    entity = ent_reg.async_get_or_create(
        "sensor",
        "zha",
        f"battery-{device_id}",
        device_id=device_id,
        config_entry=world.entries["zha"],
        suggested_object_id=f"battery_{device_id[:6]}",
    )
    hass.states.async_set(
        entity.entity_id, level, {"device_class": "battery", "unit_of_measurement": "%"}
    )
    return entity.entity_id


async def test_button_health_problems_raise_and_clear_repairs(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    battery = _battery(hass, world, world.zha_buttons[0], "90")
    await _setup(hass, town_hall_options(world))
    health = "binary_sensor.knap_zha1_problem"
    state = hass.states.get(health)
    assert state is not None
    assert state.state == "off"
    assert issue_registry.async_get_issue(DOMAIN, "button_zha1") is None

    hass.states.async_set(battery, "12", {"device_class": "battery"})
    await hass.async_block_till_done()
    state = hass.states.get(health)
    assert state is not None
    assert state.state == "on"
    assert state.attributes["problem"] == "low_battery"
    issue = issue_registry.async_get_issue(DOMAIN, "button_zha1")
    assert issue is not None
    assert issue.translation_key == "button_low_battery"
    low = hass.states.get("event.knap_zha1_press")
    assert low is not None
    assert low.state != "unavailable"  # a low battery may still alarm
    assert issue.translation_placeholders == {
        "button": "Knap zha1",
        "room": "Kontaktrum 1",
    }

    hass.states.async_set(battery, "unavailable")
    await hass.async_block_till_done()
    issue = issue_registry.async_get_issue(DOMAIN, "button_zha1")
    assert issue is not None
    assert issue.translation_key == "button_unavailable"
    # Its event entity is unavailable with it (a low battery left it available).
    press = hass.states.get("event.knap_zha1_press")
    assert press is not None
    assert press.state == "unavailable"

    hass.states.async_set(battery, "100", {"device_class": "battery"})
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, "button_zha1") is None
    press = hass.states.get("event.knap_zha1_press")
    assert press is not None
    assert press.state != "unavailable"
    state = hass.states.get(health)
    assert state is not None
    assert state.state == "off"


async def test_button_not_seen_and_missing(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    options = town_hall_options(world)
    options["buttons"][0]["device_id"] = "deleted-device"
    await _setup(hass, options)
    issue = issue_registry.async_get_issue(DOMAIN, "button_zha1")
    assert issue is not None
    assert issue.translation_key == "button_missing"
    missing = hass.states.get("event.knap_zha1_press")
    assert missing is not None
    assert missing.state == "unavailable"
    assert issue_registry.async_get_issue(DOMAIN, "button_zw1") is None
    # 25 h without any report (the default), checked every 5 minutes.
    await advance(hass, freezer, 25 * 3600 + 301)
    issue = issue_registry.async_get_issue(DOMAIN, "button_zw1")
    assert issue is not None
    assert issue.translation_key == "button_not_seen"
    state = hass.states.get("binary_sensor.knap_zw1_problem")
    assert state is not None
    assert state.attributes["problem"] == "not_seen"
    # Only silent, perhaps just unused: it stays available.
    silent = hass.states.get("event.knap_zw1_press")
    assert silent is not None
    assert silent.state != "unavailable"


async def test_entity_button_unavailable_and_low_battery_binary(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    await _setup(hass, town_hall_options(world))
    hass.states.async_set("binary_sensor.sos_knap", "unavailable")
    await advance(hass, freezer, 301)
    issue = issue_registry.async_get_issue(DOMAIN, "button_bs1")
    assert issue is not None
    assert issue.translation_key == "button_unavailable"
    hass.states.async_remove("binary_sensor.sos_knap")
    await advance(hass, freezer, 301)
    issue = issue_registry.async_get_issue(DOMAIN, "button_bs1")
    assert issue is not None
    assert issue.translation_key == "button_missing"


async def test_stale_repair_issue_of_removed_button_is_deleted(
    hass: HomeAssistant, world: World, issue_registry: ir.IssueRegistry
) -> None:
    ir.async_create_issue(
        hass,
        DOMAIN,
        "button_removed_long_ago",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key="button_missing",
    )
    await _setup(hass, town_hall_options(world))
    assert issue_registry.async_get_issue(DOMAIN, "button_removed_long_ago") is None


async def test_diagnostics_leave_out_everything_personal(
    hass: HomeAssistant,
    world: World,
    hass_client: Any,
    hass_admin_user: Any,
    snapshot: SnapshotAssertion,
) -> None:
    options = town_hall_options(world)
    options["people"] = [
        {
            "id": "bo",
            "person": "person.betjent_bo",
            "roles": ["officer"],
            "devices": [world.phones["betjent_bo"]],
            "language": "da",
        },
        {
            "id": "lis",
            "person": "person.leder_lis",
            "roles": ["leader"],
            "devices": [],
            "language": "en",
        },
    ]
    options["contacts"] = {
        "crisis_in_hours_name": "Krisehjælp",
        "crisis_in_hours_phone": "+45 00 00 00 01",
        "crisis_out_of_hours_phone": "+45 00 00 00 02",
        "cvr": "12345678",
    }
    entry = await _setup(hass, options)
    hass.states.async_set(
        "person.betjent_bo",
        "home",
        {"friendly_name": "Betjent Bo", "user_id": hass_admin_user.id},
    )
    await hass.services.async_call(
        DOMAIN,
        "trigger",
        {"room": "Kontaktrum 1", "note": "Borgeren råber i gangen"},
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.services.async_call(
        DOMAIN,
        "add_ban",
        {
            "case_reference": "SAG-2026-4711",
            "centre": "Jobcenter Nord",
            "note": "Truede i receptionen",
            "issued_by": "person.leder_lis",
        },
        blocking=True,
    )
    await hass.async_block_till_done()
    diag = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diag == snapshot
    text = json.dumps(diag, ensure_ascii=False)
    personal = [
        "Betjent Bo",
        "Leder Lis",
        "betjent_bo",
        "leder_lis",
        "sagsbehandler_sara",
        hass_admin_user.id,
        world.phones["betjent_bo"],
        "Borgeren råber",
        "+45",
        "12345678",
        "Krisehjælp",
        "mobile_app",
        "SAG-2026-4711",
        "Jobcenter Nord",
        "receptionen",
    ]
    assert [p for p in personal if p in text] == []
    assert diag["attendance_bans"]["active"] == 1
    assert diag["incidents"]["total"] == 1
    assert diag["incidents"]["open"][0]["steps"][0]["by_user"] is True
    assert len(diag["buttons"]) == 6
