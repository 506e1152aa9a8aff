"""Config and options flow tests, through Home Assistant's real flow managers."""

from __future__ import annotations

from typing import Any

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .world import World


@pytest.fixture
async def entry(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """A loaded town hall entry without rooms."""
    entry = MockConfigEntry(
        domain=DOMAIN, title="Rådhuset", data={"name": "Rådhuset"}, options={}
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _options(
    hass: HomeAssistant, entry: MockConfigEntry, *path: str
) -> FlowResult:
    """Open the options flow and walk the menus to a step."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    for step in path:
        assert result["type"] is FlowResultType.MENU, result
        result = await hass.config_entries.options.async_configure(
            result["flow_id"], {"next_step_id": step}
        )
    return result


async def _submit(hass: HomeAssistant, result: FlowResult, data: dict[str, Any]) -> Any:
    return await hass.config_entries.options.async_configure(result["flow_id"], data)


async def _submit_button(
    hass: HomeAssistant,
    result: FlowResult,
    data: dict[str, Any],
    model: dict[str, Any] | None = None,
) -> Any:
    """Submit a button's form, then its model step (detected model by default)."""
    result = await _submit(hass, result, data)
    assert result["type"] is FlowResultType.FORM, result
    assert result["step_id"] in ("button_model", "button_model_any_press"), result
    return await _submit(hass, result, model or {"model": "auto"})


ROOM_1 = {
    "name": "Kontaktrum 1",
    "kind": "contact_room",
    "cameras": ["camera.kontaktrum_1"],
}


async def _add_room(
    hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, Any] | None = None
) -> str:
    result = await _options(hass, entry, "rooms", "room_add")
    result = await _submit(hass, result, data or ROOM_1)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return str(entry.options["rooms"][-1]["id"])


# -- config flow -----------------------------------------------------------


async def test_user_flow_creates_entry(hass: HomeAssistant) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Demo Rådhus"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Demo Rådhus"
    assert result["data"] == {"name": "Demo Rådhus"}
    await hass.async_block_till_done()
    assert hass.config_entries.async_entries(DOMAIN)[0].state is (
        config_entries.ConfigEntryState.LOADED
    )


async def test_second_town_hall_aborts(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "single_instance_allowed"
    assert len(hass.config_entries.async_entries(DOMAIN)) == 1


async def test_reconfigure_renames_and_reloads(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"name": "Nyt Rådhus"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.title == "Nyt Rådhus"
    assert entry.data == {"name": "Nyt Rådhus"}
    assert entry.state is config_entries.ConfigEntryState.LOADED


# -- options: menus --------------------------------------------------------


async def test_menus_hide_edit_and_remove_when_empty(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _options(hass, entry)
    assert result["menu_options"] == [
        "rooms",
        "buttons",
        "people",
        "schedules",
        "timings",
        "contacts",
        "officers_room",
    ]
    for menu, prefix in (
        ("rooms", "room"),
        ("buttons", "button"),
        ("people", "person"),
    ):
        result = await _options(hass, entry, menu)
        assert result["menu_options"] == [f"{prefix}_add"]
    await _add_room(hass, entry)
    result = await _options(hass, entry, "rooms")
    assert result["menu_options"] == ["room_add", "room_edit", "room_remove"]


# -- options: rooms --------------------------------------------------------


async def test_room_add_edit_remove(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(
        hass, entry, {**ROOM_1, "case_worker": "person.sagsbehandler_sara"}
    )
    assert entry.options["rooms"] == [
        {
            "id": room_id,
            "name": "Kontaktrum 1",
            "kind": "contact_room",
            "cameras": ["camera.kontaktrum_1"],
            "case_worker": "person.sagsbehandler_sara",
        }
    ]
    assert entry.state is config_entries.ConfigEntryState.LOADED

    result = await _options(hass, entry, "rooms", "room_edit")
    assert result["step_id"] == "room_edit"
    result = await _submit(hass, result, {"item": room_id})
    assert result["step_id"] == "room_edit_details"
    assert result["description_placeholders"] == {"item": "Kontaktrum 1"}
    result = await _submit(
        hass, result, {"name": " Kontaktrum 1A ", "kind": "emergency_room"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["rooms"][0] == {
        "id": room_id,
        "name": "Kontaktrum 1A",
        "kind": "emergency_room",
        "cameras": [],
        "case_worker": None,
    }

    result = await _options(hass, entry, "rooms", "room_remove")
    result = await _submit(hass, result, {"item": room_id})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["rooms"] == []


async def test_room_edit_keeps_own_name(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _options(hass, entry, "rooms", "room_edit")
    result = await _submit(hass, result, {"item": room_id})
    result = await _submit(hass, result, {**ROOM_1, "name": "kontaktrum 1"})
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({**ROOM_1, "name": "  "}, {"name": "name_required"}),
        ({**ROOM_1, "name": "KONTAKTRUM 1"}, {"name": "duplicate_room"}),
        (
            {**ROOM_1, "name": "R", "cameras": ["camera.nope"]},
            {"cameras": "entity_not_found"},
        ),
        ({**ROOM_1, "name": "R", "cameras": ["light.x"]}, {"cameras": "wrong_domain"}),
        (
            {**ROOM_1, "name": "R", "case_worker": "person.nope"},
            {"case_worker": "entity_not_found"},
        ),
        (
            {**ROOM_1, "name": "R", "case_worker": "camera.kontaktrum_1"},
            {"case_worker": "wrong_domain"},
        ),
    ],
)
async def test_room_errors_change_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    data: dict[str, Any],
    errors: dict[str, str],
) -> None:
    await _add_room(hass, entry)
    before = dict(entry.options)
    result = await _options(hass, entry, "rooms", "room_add")
    result = await _submit(hass, result, data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert entry.options == before


async def test_room_edit_error_shows_form_again(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    result = await _options(hass, entry, "rooms", "room_edit")
    result = await _submit(hass, result, {"item": room_id})
    result = await _submit(hass, result, {**ROOM_1, "name": "Kontaktrum 2"})
    assert result["step_id"] == "room_edit_details"
    assert result["errors"] == {"name": "duplicate_room"}
    assert entry.options["rooms"][0]["name"] == "Kontaktrum 1"


async def test_removing_room_removes_its_buttons(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_1 = await _add_room(hass, entry)
    room_2 = await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    for room, device in (
        (room_1, world.zha_buttons[0]),
        (room_2, world.zha_buttons[1]),
    ):
        result = await _options(hass, entry, "buttons", "button_add")
        result = await _submit_button(
            hass, result, {**BUTTON_ZHA, "room_id": room, "device_id": device}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
    result = await _options(hass, entry, "rooms", "room_remove")
    result = await _submit(hass, result, {"item": room_1})
    await hass.async_block_till_done()
    assert [b["room_id"] for b in entry.options["buttons"]] == [room_2]


# -- options: buttons ------------------------------------------------------

BUTTON_ZHA = {"name": "Under bordet", "source": "zha", "profile": "press_release"}


async def test_button_add_needs_a_room(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _options(hass, entry, "buttons", "button_add")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_rooms"


@pytest.mark.parametrize(
    ("source", "profile", "key"),
    [
        ("zha", "press_release", "zha_buttons"),
        ("zwave_js", "repeated_held", "zwave_buttons"),
        ("zigbee2mqtt", "single_shot", "mqtt_buttons"),
    ],
)
async def test_button_add_device_sources(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    source: str,
    profile: str,
    key: str,
) -> None:
    room_id = await _add_room(hass, entry)
    device_id = getattr(world, key)[0]
    result = await _options(hass, entry, "buttons", "button_add")
    result = await _submit_button(
        hass,
        result,
        {
            "room_id": room_id,
            "name": "Under bordet",
            "source": source,
            "device_id": device_id,
            "entity_id": "event.knap_1_action",  # ignored for device sources
            "profile": profile,
            "hold_threshold": 2.5,
            "mqtt_topic": " zigbee2mqtt/Knap 1 ",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (button,) = entry.options["buttons"]
    assert button == {
        "id": button["id"],
        "room_id": room_id,
        "name": "Under bordet",
        "source": source,
        "device_id": device_id,
        "entity_id": None,
        "profile": profile,
        "hold_threshold": 2.5,
        "mqtt_topic": "zigbee2mqtt/Knap 1",
        "model": "auto",
        "first_report_delay": None,
        "release_gap": None,
        "alarm_reports": [],
    }


@pytest.mark.parametrize(
    ("source", "entity_id"),
    [("event", "event.knap_1_action"), ("binary_sensor", "binary_sensor.sos_knap")],
)
async def test_button_add_entity_sources(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    source: str,
    entity_id: str,
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _options(hass, entry, "buttons", "button_add")
    result = await _submit_button(
        hass,
        result,
        {
            "room_id": room_id,
            "name": "SOS",
            "source": source,
            "device_id": world.zha_buttons[0],  # ignored for entity sources
            "entity_id": entity_id,
            "profile": "single_shot",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (button,) = entry.options["buttons"]
    assert button["entity_id"] == entity_id
    assert button["device_id"] is None
    assert button["hold_threshold"] is None


async def test_button_errors_change_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_1 = await _add_room(hass, entry)
    room_2 = await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    result = await _options(hass, entry, "buttons", "button_add")
    result = await _submit_button(
        hass,
        result,
        {**BUTTON_ZHA, "room_id": room_1, "device_id": world.zha_buttons[0]},
    )
    await hass.async_block_till_done()
    result = await _options(hass, entry, "buttons", "button_add")
    result = await _submit_button(
        hass,
        result,
        {
            "room_id": room_2,
            "name": "SOS",
            "source": "event",
            "entity_id": "event.knap_1_action",
            "profile": "single_shot",
        },
    )
    await hass.async_block_till_done()
    before = dict(entry.options)

    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"device_id": world.zha_buttons[0]}, {"device_id": "button_in_use"}),
        ({}, {"device_id": "device_required"}),
        ({"device_id": "no-such-device"}, {"device_id": "device_not_found"}),
        (
            {"device_id": world.zwave_buttons[0]},
            {"device_id": "device_wrong_integration"},
        ),
        ({"source": "event"}, {"entity_id": "entity_required"}),
        (
            {"source": "event", "entity_id": "event.knap_1_action"},
            {"entity_id": "button_in_use"},
        ),
        (
            {"source": "event", "entity_id": "event.nope"},
            {"entity_id": "entity_not_found"},
        ),
        (
            {"source": "binary_sensor", "entity_id": "event.knap_1_action"},
            {"entity_id": "wrong_domain"},
        ),
        (
            {"device_id": world.zha_buttons[1], "hold_threshold": 0.4},
            {"hold_threshold": "out_of_range"},
        ),
        (
            {"device_id": world.zha_buttons[1], "hold_threshold": 10.5},
            {"hold_threshold": "out_of_range"},
        ),
        ({"device_id": world.zha_buttons[1], "name": " "}, {"name": "name_required"}),
    ]
    for change, errors in cases:
        result = await _options(hass, entry, "buttons", "button_add")
        result = await _submit(
            hass, result, {**BUTTON_ZHA, "room_id": room_2, **change}
        )
        assert result["type"] is FlowResultType.FORM, change
        assert result["errors"] == errors, change
        assert entry.options == before


async def test_button_edit_and_remove(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _options(hass, entry, "buttons", "button_add")
    await _submit_button(
        hass,
        result,
        {**BUTTON_ZHA, "room_id": room_id, "device_id": world.zha_buttons[0]},
    )
    await hass.async_block_till_done()
    button_id = entry.options["buttons"][0]["id"]

    result = await _options(hass, entry, "buttons", "button_edit")
    result = await _submit(hass, result, {"item": button_id})
    assert result["step_id"] == "button_edit_details"
    assert result["description_placeholders"] == {"item": "Kontaktrum 1: Under bordet"}
    # Keeping its own device is not "in use"; a bad threshold is refused first.
    data = {**BUTTON_ZHA, "room_id": room_id, "device_id": world.zha_buttons[0]}
    result = await _submit(hass, result, {**data, "hold_threshold": 99})
    assert result["errors"] == {"hold_threshold": "out_of_range"}
    result = await _submit_button(hass, result, {**data, "profile": "repeated_held"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["buttons"][0]["profile"] == "repeated_held"
    assert entry.options["buttons"][0]["id"] == button_id

    result = await _options(hass, entry, "buttons", "button_remove")
    result = await _submit(hass, result, {"item": button_id})
    await hass.async_block_till_done()
    assert entry.options["buttons"] == []
    assert len(entry.options["rooms"]) == 1


# -- options: people -------------------------------------------------------


async def test_person_add_with_phone_from_device_tracker(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _options(hass, entry, "people", "person_add")
    result = await _submit(
        hass,
        result,
        {"person": "person.betjent_bo", "roles": ["officer"], "language": "da"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (person,) = entry.options["people"]
    assert person == {
        "id": person["id"],
        "person": "person.betjent_bo",
        "roles": ["officer"],
        "devices": [],
        "language": "da",
    }


async def test_person_edit_and_remove(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _options(hass, entry, "people", "person_add")
    await _submit(
        hass,
        result,
        {
            "person": "person.leder_lis",
            "roles": ["leader"],
            "devices": [world.phones["leder_lis"]],
            "language": "en",
        },
    )
    await hass.async_block_till_done()
    person_id = entry.options["people"][0]["id"]

    result = await _options(hass, entry, "people", "person_edit")
    result = await _submit(hass, result, {"item": person_id})
    assert result["step_id"] == "person_edit_details"
    assert result["description_placeholders"] == {"item": "Leder Lis"}
    result = await _submit(
        hass,
        result,
        {
            "person": "person.leder_lis",
            "roles": ["leader", "centre_chief"],
            "language": "da",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["people"][0]["roles"] == ["centre_chief", "leader"]

    result = await _options(hass, entry, "people", "person_remove")
    result = await _submit(hass, result, {"item": person_id})
    await hass.async_block_till_done()
    assert entry.options["people"] == []


async def test_person_label_falls_back_to_entity_id(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _options(hass, entry, "people", "person_add")
    await _submit(
        hass,
        result,
        {
            "person": "person.amr_anne",
            "roles": ["safety_organisation"],
            "language": "da",
        },
    )
    await hass.async_block_till_done()
    hass.states.async_remove("person.amr_anne")
    result = await _options(hass, entry, "people", "person_edit")
    result = await _submit(hass, result, {"item": entry.options["people"][0]["id"]})
    assert result["description_placeholders"] == {"item": "person.amr_anne"}


async def test_person_errors_change_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _options(hass, entry, "people", "person_add")
    await _submit(
        hass,
        result,
        {"person": "person.betjent_bo", "roles": ["officer"], "language": "da"},
    )
    await hass.async_block_till_done()
    before = dict(entry.options)
    cases: list[tuple[dict[str, Any], dict[str, str]]] = [
        ({"person": "person.betjent_bo"}, {"person": "duplicate_person"}),
        (
            {"person": "person.nobody"},
            {"person": "entity_not_found", "devices": "no_mobile_device"},
        ),
        (
            {"person": "camera.kontaktrum_1"},
            {"person": "wrong_domain", "devices": "no_mobile_device"},
        ),
        ({"person": "person.uden_telefon"}, {"devices": "no_mobile_device"}),
        (
            {"person": "person.uden_telefon", "devices": [world.zha_buttons[0]]},
            {"devices": "device_not_mobile_app"},
        ),
        (
            {"person": "person.uden_telefon", "devices": ["no-such-device"]},
            {"devices": "device_not_mobile_app"},
        ),
        ({"person": "person.leder_lis", "roles": []}, {"roles": "roles_required"}),
    ]
    for change, errors in cases:
        result = await _options(hass, entry, "people", "person_add")
        result = await _submit(
            hass, result, {"roles": ["leader"], "language": "da", **change}
        )
        assert result["type"] is FlowResultType.FORM, change
        assert result["errors"] == errors, change
        assert entry.options == before


async def test_person_with_phone_chosen_explicitly(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """A person without trackers can still be reached through a chosen phone."""
    result = await _options(hass, entry, "people", "person_add")
    result = await _submit(
        hass,
        result,
        {
            "person": "person.uden_telefon",
            "roles": ["facilities"],
            "devices": [world.phones["betjent_bo"]],
            "language": "da",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


# -- options: schedules, timings, contacts -----------------------------------


async def test_schedules(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    data = {
        "officers_on_duty": "schedule.officers_on_duty",
        "police_present": "schedule.police_present",
        "crisis_line_hours": "schedule.crisis_line_hours",
    }
    result = await _options(hass, entry, "schedules")
    assert result["step_id"] == "schedules"
    result = await _submit(hass, result, data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["schedules"] == data
    assert entry.state is config_entries.ConfigEntryState.LOADED


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"officers_on_duty": "binary_sensor.sos_knap"},
            {"officers_on_duty": "wrong_domain"},
        ),
        ({"police_present": "schedule.nope"}, {"police_present": "entity_not_found"}),
    ],
)
async def test_schedule_errors(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    data: dict[str, str],
    errors: dict[str, str],
) -> None:
    result = await _options(hass, entry, "schedules")
    result = await _submit(hass, result, data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert "schedules" not in entry.options


async def test_timings(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await _options(hass, entry, "timings")
    assert result["description_placeholders"]["hold_threshold_min"] == "0.5"
    result = await _submit(
        hass,
        result,
        {
            "hold_threshold": 2.0,
            "ack_timeout": 30,
            "unseen_hours": 25,
            "retention_days": 365,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["timings"] == {
        "hold_threshold": 2.0,
        "ack_timeout": 30,
        "unseen_hours": 25,
        "retention_days": 365,
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"hold_threshold": 0.4},
        {"hold_threshold": 10.1},
        {"ack_timeout": 5},
        {"ack_timeout": 601},
        {"unseen_hours": 0},
        {"retention_days": 10},
    ],
)
async def test_timing_bounds(
    hass: HomeAssistant, entry: MockConfigEntry, bad: dict[str, float]
) -> None:
    good = {
        "hold_threshold": 2.0,
        "ack_timeout": 30,
        "unseen_hours": 25,
        "retention_days": 365,
    }
    result = await _options(hass, entry, "timings")
    result = await _submit(hass, result, {**good, **bad})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == dict.fromkeys(bad, "out_of_range")
    assert "timings" not in entry.options


async def test_contacts(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    data = {
        "crisis_in_hours_name": "Forsikringens krisehjælp",
        "crisis_in_hours_phone": "+45 00 00 00 01",
        "crisis_out_of_hours_name": "Døgnåben krisehjælp",
        "crisis_out_of_hours_phone": "+45 00 00 00 02",
    }
    result = await _options(hass, entry, "contacts")
    result = await _submit(hass, result, {**data, "cvr": "1234 5678x"})
    assert result["errors"] == {"cvr": "invalid_cvr"}
    assert "contacts" not in entry.options
    result = await _submit(hass, result, {**data, "cvr": "1234 5678"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["contacts"] == {**data, "cvr": "12345678"}


async def test_officers_room_alert(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    hass.states.async_set("siren.betjentstue", "off")
    hass.states.async_set("light.betjentstue", "off")
    result = await _options(hass, entry, "officers_room")
    result = await _submit(hass, result, {"alert_entities": ["switch.nope"]})
    assert result["errors"] == {"alert_entities": "wrong_domain"}
    result = await _submit(hass, result, {"alert_entities": ["siren.gone"]})
    assert result["errors"] == {"alert_entities": "entity_not_found"}
    assert "officers_room" not in entry.options
    result = await _submit(
        hass, result, {"alert_entities": ["siren.betjentstue", "light.betjentstue"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options["officers_room"] == {
        "alert_entities": ["siren.betjentstue", "light.betjentstue"]
    }
    assert entry.runtime_data.config.alert_entities == (
        "siren.betjentstue",
        "light.betjentstue",
    )
