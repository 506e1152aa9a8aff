"""Rooms, panic buttons and responders as config subentries.

Through Home Assistant's real subentry flow manager, on a loaded town hall:
what each form asks, what it refuses (and that a refusal stores nothing),
what it stores, and that the entry is set up again with it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigSubentry
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .world import World, async_setup_town_hall


@pytest.fixture
async def entry(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """A loaded town hall without rooms, buttons or responders."""
    return await async_setup_town_hall(hass, {})


async def _start(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    kind: str,
    subentry_id: str | None = None,
) -> FlowResult:
    """Open the add (or, with a subentry id, the change) form of a subentry."""
    if subentry_id is not None:
        return await entry.start_subentry_reconfigure_flow(hass, subentry_id)
    return await hass.config_entries.subentries.async_init(
        (entry.entry_id, kind), context={"source": SOURCE_USER}
    )


async def _next(hass: HomeAssistant, result: FlowResult, data: dict[str, Any]) -> Any:
    return await hass.config_entries.subentries.async_configure(result["flow_id"], data)


def _of_type(entry: MockConfigEntry, kind: str) -> list[Any]:
    return [s for s in entry.subentries.values() if s.subentry_type == kind]


ROOM_1 = {"name": "Kontaktrum 1", "kind": "contact_room"}


async def _add_room(
    hass: HomeAssistant, entry: MockConfigEntry, data: dict[str, Any] | None = None
) -> str:
    result = await _next(hass, await _start(hass, entry, "room"), data or ROOM_1)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return _of_type(entry, "room")[-1].subentry_id  # type: ignore[no-any-return]


# -- rooms ---------------------------------------------------------------------


async def test_room_goes_to_the_area_of_its_name(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    areas = ar.async_get(hass)
    assert areas.async_get_area_by_name("Kontaktrum 1") is None
    result = await _start(hass, entry, "room")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    result = await _next(
        hass,
        result,
        {
            **ROOM_1,
            "name": " Kontaktrum 1 ",
            "cameras": ["camera.kontaktrum_1"],
            "case_worker": "person.sagsbehandler_sara",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Kontaktrum 1"
    await hass.async_block_till_done()
    area = areas.async_get_area_by_name("Kontaktrum 1")
    assert area is not None
    (subentry,) = _of_type(entry, "room")
    assert dict(subentry.data) == {
        "name": "Kontaktrum 1",
        "kind": "contact_room",
        "area_id": area.id,
        "cameras": ["camera.kontaktrum_1"],
        "case_worker": "person.sagsbehandler_sara",
    }
    # Set up again with it: its device is in the area, in its subentry.
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, subentry.subentry_id), entry.entry_id
    )
    assert device is not None
    assert (device.area_id, device.config_subentry_id) == (
        area.id,
        subentry.subentry_id,
    )
    assert hass.states.get("binary_sensor.kontaktrum_1_alarm") is not None


async def test_room_in_an_area_that_exists_or_is_picked(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    areas = ar.async_get(hass)
    existing = areas.async_create("Kontaktrum 2")
    picked = areas.async_create("Stueetagen")
    await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    await _add_room(hass, entry, {**ROOM_1, "name": "Akutrum", "area_id": picked.id})
    assert [s.data["area_id"] for s in _of_type(entry, "room")] == [
        existing.id,
        picked.id,
    ]
    assert len(areas.async_list_areas()) == 2  # nothing made


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
        (
            {**ROOM_1, "name": "R", "area_id": "no-such-area"},
            {"area_id": "area_not_found"},
        ),
    ],
)
async def test_room_errors_store_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    data: dict[str, Any],
    errors: dict[str, str],
) -> None:
    await _add_room(hass, entry)
    areas = len(ar.async_get(hass).async_list_areas())
    result = await _next(hass, await _start(hass, entry, "room"), data)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert len(_of_type(entry, "room")) == 1
    assert len(ar.async_get(hass).async_list_areas()) == areas  # no area made


async def test_room_change_renames_its_buttons_and_keeps_its_id(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_id = await _add_room(hass, entry)
    await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    await _add_button(hass, entry, room_id, world.zha_buttons[0])
    result = await _start(hass, entry, "room", room_id)
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {
        "room": "Kontaktrum 1",
        "buttons": "Under bordet",
    }
    # Its own name in other letters is not a duplicate; another room's is.
    result = await _next(hass, result, {**ROOM_1, "name": "Kontaktrum 2"})
    assert result["errors"] == {"name": "duplicate_room"}
    result = await _next(hass, result, {"name": "Kontaktrum 1A", "kind": "other"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    subentry = entry.subentries[room_id]
    assert (subentry.title, subentry.data["kind"]) == ("Kontaktrum 1A", "other")
    (button,) = _of_type(entry, "button")
    assert button.title == "Kontaktrum 1A · Under bordet"
    assert entry.runtime_data.config.room(room_id).name == "Kontaktrum 1A"  # type: ignore[union-attr]


async def test_renaming_a_room_with_buttons_reloads_once(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """The room and its buttons' titles change together: one reload, not three."""
    room_id = await _add_room(hass, entry)
    await _add_button(hass, entry, room_id, world.zha_buttons[0], "Under bordet")
    await _add_button(hass, entry, room_id, world.zha_buttons[1], "I hånden")
    reload = hass.config_entries.async_reload
    with patch.object(hass.config_entries, "async_reload", wraps=reload) as reloads:
        result = await _start(hass, entry, "room", room_id)
        await _next(hass, result, {"name": "Kontaktrum 9", "kind": "contact_room"})
        await hass.async_block_till_done()
    assert reloads.call_count == 1
    assert sorted(b.title for b in _of_type(entry, "button")) == [
        "Kontaktrum 9 · I hånden",
        "Kontaktrum 9 · Under bordet",
    ]
    assert [r.name for r in entry.runtime_data.config.rooms] == ["Kontaktrum 9"]


async def test_a_change_during_the_reload_is_picked_up_by_one_more(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    reload = hass.config_entries.async_reload
    calls = 0

    async def reload_and_meanwhile_rename(entry_id: str) -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:  # someone saves another change while it reloads
            hass.config_entries.async_update_subentry(
                entry, entry.subentries[room_id], title="Kontaktrum 1B"
            )
        return await reload(entry_id)

    with patch.object(
        hass.config_entries, "async_reload", side_effect=reload_and_meanwhile_rename
    ):
        result = await _start(hass, entry, "room", room_id)
        await _next(hass, result, {"name": "Kontaktrum 1A", "kind": "contact_room"})
        await hass.async_block_till_done()
    assert calls == 2
    assert entry.state is ConfigEntryState.LOADED


async def test_room_change_lists_no_buttons_as_a_dash(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _start(hass, entry, "room", room_id)
    assert result["description_placeholders"]["buttons"] == "—"


# -- buttons -------------------------------------------------------------------


async def _add_button(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    room_id: str,
    device_id: str,
    name: str = "Under bordet",
) -> str:
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": name, "source": "zha"}
    )
    result = await _next(
        hass, result, {"device_id": device_id, "profile": "press_release"}
    )
    assert result["step_id"] == "button_model", result
    result = await _next(hass, result, {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return _of_type(entry, "button")[-1].subentry_id  # type: ignore[no-any-return]


async def test_button_needs_a_room(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await _start(hass, entry, "button")
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_rooms"


@pytest.mark.parametrize(
    ("source", "profile", "key", "fields"),
    [
        (
            "zha",
            "press_release",
            "zha_buttons",
            ["device_id", "profile", "hold_threshold"],
        ),
        (
            "zwave_js",
            "repeated_held",
            "zwave_buttons",
            ["device_id", "profile", "hold_threshold"],
        ),
        (
            "zigbee2mqtt",
            "single_shot",
            "mqtt_buttons",
            ["device_id", "profile", "hold_threshold", "mqtt_topic"],
        ),
    ],
)
async def test_button_of_a_device_source(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    source: str,
    profile: str,
    key: str,
    fields: list[str],
) -> None:
    room_id = await _add_room(hass, entry)
    device_id = getattr(world, key)[0]
    result = await _start(hass, entry, "button")
    assert [str(k) for k in result["data_schema"].schema] == [
        "room_id",
        "name",
        "source",
    ]
    result = await _next(
        hass, result, {"room_id": room_id, "name": " Under bordet ", "source": source}
    )
    # Only the fields of that source.
    assert result["step_id"] == "device"
    assert [str(k) for k in result["data_schema"].schema] == fields
    # The source as the form's language names it.
    assert (
        result["description_placeholders"]["source"]
        == {
            "zha": "ZHA (Zigbee)",
            "zwave_js": "Z-Wave JS",
            "zigbee2mqtt": "Zigbee2MQTT",
        }[source]
    )
    data = {"device_id": device_id, "profile": profile, "hold_threshold": 2.5}
    if source == "zigbee2mqtt":
        data["mqtt_topic"] = " zigbee2mqtt/Knap 1 "
    result = await _next(hass, result, data)
    assert result["step_id"] in ("button_model", "button_model_any_press")
    result = await _next(hass, result, {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Kontaktrum 1 · Under bordet"
    await hass.async_block_till_done()
    (button,) = _of_type(entry, "button")
    assert dict(button.data) == {
        "room_id": room_id,
        "name": "Under bordet",
        "source": source,
        "device_id": device_id,
        "entity_id": None,
        "profile": profile,
        "hold_threshold": 2.5,
        "mqtt_topic": "zigbee2mqtt/Knap 1" if source == "zigbee2mqtt" else None,
        "model": "auto",
        "first_report_delay": None,
        "release_gap": None,
        "alarm_reports": [],
    }
    # The entry was set up again: the button is heard, on its own device.
    assert button.subentry_id in entry.runtime_data.buttons.watchers
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, button.subentry_id), entry.entry_id
    )
    assert device is not None
    assert device.config_subentry_id == button.subentry_id


@pytest.mark.parametrize(
    ("source", "entity_id"),
    [("event", "event.knap_1_action"), ("binary_sensor", "binary_sensor.sos_knap")],
)
async def test_button_of_an_entity_source(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    source: str,
    entity_id: str,
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": "SOS", "source": source}
    )
    assert [str(k) for k in result["data_schema"].schema] == [
        "entity_id",
        "profile",
        "hold_threshold",
    ]
    result = await _next(
        hass, result, {"entity_id": entity_id, "profile": "single_shot"}
    )
    result = await _next(hass, result, {"model": "generic"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (button,) = _of_type(entry, "button")
    assert (button.data["entity_id"], button.data["device_id"]) == (entity_id, None)
    assert button.data["hold_threshold"] is None


async def test_the_device_form_without_input_shows_itself_again(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": "K", "source": "zha"}
    )
    result = await hass.config_entries.subentries.async_configure(result["flow_id"])
    assert (result["step_id"], result["errors"]) == ("device", {})


async def test_a_subentry_of_an_unknown_type_is_left_alone(
    hass: HomeAssistant, world: World
) -> None:
    """A later version may add kinds of subentries; this one ignores them."""
    from custom_components.raadhus_alarm.entry_config import config_mapping

    entry = await async_setup_town_hall(hass, {})
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            data=MappingProxyType({"x": 1}),
            subentry_type="meeting_room",
            title="Fremtid",
            unique_id=None,
        ),
    )
    await hass.async_block_till_done()
    assert config_mapping(entry) == {"rooms": [], "buttons": [], "people": []}
    assert entry.state is ConfigEntryState.LOADED  # set up again, unbothered


async def test_button_name_is_required(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": " ", "source": "zha"}
    )
    assert result["step_id"] == "user"
    assert result["errors"] == {"name": "name_required"}


async def test_button_device_errors_store_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_id = await _add_room(hass, entry)
    await _add_button(hass, entry, room_id, world.zha_buttons[0])
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": "SOS", "source": "event"}
    )
    result = await _next(
        hass, result, {"entity_id": "event.knap_1_action", "profile": "single_shot"}
    )
    result = await _next(hass, result, {"model": "generic"})
    await hass.async_block_till_done()
    before = dict(entry.subentries)
    zha = {"profile": "press_release"}
    cases: list[tuple[str, dict[str, Any], dict[str, str]]] = [
        (
            "zha",
            {**zha, "device_id": world.zha_buttons[0]},
            {"device_id": "button_in_use"},
        ),
        (
            "zha",
            {**zha, "device_id": "no-such-device"},
            {"device_id": "device_not_found"},
        ),
        (
            "zha",
            {**zha, "device_id": world.zwave_buttons[0]},
            {"device_id": "device_wrong_integration"},
        ),
        (
            "event",
            {**zha, "entity_id": "event.knap_1_action"},
            {"entity_id": "button_in_use"},
        ),
        (
            "event",
            {**zha, "entity_id": "event.nope"},
            {"entity_id": "entity_not_found"},
        ),
        (
            "binary_sensor",
            {**zha, "entity_id": "event.knap_1_action"},
            {"entity_id": "wrong_domain"},
        ),
        (
            "zha",
            {**zha, "device_id": world.zha_buttons[1], "hold_threshold": 0.4},
            {"hold_threshold": "hold_threshold_out_of_range"},
        ),
        (
            "zha",
            {**zha, "device_id": world.zha_buttons[1], "hold_threshold": 10.5},
            {"hold_threshold": "hold_threshold_out_of_range"},
        ),
    ]
    for source, data, errors in cases:
        result = await _start(hass, entry, "button")
        result = await _next(
            hass, result, {"room_id": room_id, "name": "Knap", "source": source}
        )
        result = await _next(hass, result, data)
        assert result["type"] is FlowResultType.FORM, data
        assert result["step_id"] == "device", data
        assert result["errors"] == errors, data
        assert result["description_placeholders"]["hold_threshold_max"] == "10"
        assert entry.subentries == before


async def test_button_change_can_move_it_and_change_its_source(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_1 = await _add_room(hass, entry)
    room_2 = await _add_room(hass, entry, {**ROOM_1, "name": "Kontaktrum 2"})
    button_id = await _add_button(hass, entry, room_1, world.zha_buttons[0])
    result = await _start(hass, entry, "button", button_id)
    assert result["step_id"] == "reconfigure"
    result = await _next(
        hass, result, {"room_id": room_2, "name": "Knap", "source": "event"}
    )
    # The form of the new source; its own device is not "in use" by itself.
    assert result["step_id"] == "device"
    result = await _next(
        hass, result, {"entity_id": "event.knap_1_action", "profile": "single_shot"}
    )
    result = await _next(hass, result, {"model": "generic"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    button = entry.subentries[button_id]
    assert button.title == "Kontaktrum 2 · Knap"
    assert (
        button.data["room_id"],
        button.data["device_id"],
        button.data["entity_id"],
    ) == (
        room_2,
        None,
        "event.knap_1_action",
    )
    assert entry.runtime_data.config.buttons[0].room_id == room_2


async def test_button_change_keeps_its_own_device(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_id = await _add_room(hass, entry)
    button_id = await _add_button(hass, entry, room_id, world.zha_buttons[0])
    result = await _start(hass, entry, "button", button_id)
    result = await _next(
        hass, result, {"room_id": room_id, "name": "Under bordet", "source": "zha"}
    )
    result = await _next(
        hass,
        result,
        {"device_id": world.zha_buttons[0], "profile": "repeated_held"},
    )
    assert result["step_id"] == "button_model"
    result = await _next(hass, result, {"model": "auto"})
    assert result["type"] is FlowResultType.ABORT
    assert entry.subentries[button_id].data["profile"] == "repeated_held"
    # Still the same device (its own, not "in use"), heard after the reload.
    assert entry.subentries[button_id].data["device_id"] == world.zha_buttons[0]
    await hass.async_block_till_done()
    assert button_id in entry.runtime_data.buttons.watchers


async def test_button_whose_room_was_deleted_meanwhile_is_saved_and_reported(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    room_id = await _add_room(hass, entry)
    result = await _start(hass, entry, "button")
    result = await _next(
        hass, result, {"room_id": room_id, "name": "Knap", "source": "zha"}
    )
    result = await _next(
        hass, result, {"device_id": world.zha_buttons[0], "profile": "press_release"}
    )
    hass.config_entries.async_remove_subentry(entry, room_id)
    await hass.async_block_till_done()
    result = await _next(hass, result, {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "? · Knap"
    await hass.async_block_till_done()
    # Stored, not heard, and the administrators are told.
    (button,) = _of_type(entry, "button")
    assert button.subentry_id not in entry.runtime_data.buttons.watchers
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"orphan_button_{button.subentry_id}"
    )
    assert issue is not None
    assert issue.translation_key == "button_without_room"


# -- responders ----------------------------------------------------------------


async def test_responder_add_and_change(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _start(hass, entry, "responder")
    result = await _next(
        hass,
        result,
        {"person": "person.leder_lis", "roles": ["leader"], "language": "da"},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Leder Lis"
    await hass.async_block_till_done()
    (responder,) = _of_type(entry, "responder")
    assert dict(responder.data) == {
        "person": "person.leder_lis",
        "roles": ["leader"],
        "devices": [],
        "language": "da",
    }
    assert entry.runtime_data.config.person("person.leder_lis") is not None

    result = await _start(hass, entry, "responder", responder.subentry_id)
    assert result["description_placeholders"] == {"person": "Leder Lis"}
    result = await _next(
        hass,
        result,
        {
            "person": "person.leder_lis",
            "roles": ["leader", "centre_chief"],
            "devices": [world.phones["leder_lis"]],
            "language": "en",
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.subentries[responder.subentry_id].data["roles"] == [
        "centre_chief",
        "leader",
    ]


async def test_responder_change_error_shows_the_form_again(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    for person in ("person.leder_lis", "person.betjent_bo"):
        result = await _start(hass, entry, "responder")
        await _next(
            hass, result, {"person": person, "roles": ["leader"], "language": "da"}
        )
    await hass.async_block_till_done()
    lis = _of_type(entry, "responder")[0]
    result = await _start(hass, entry, "responder", lis.subentry_id)
    result = await _next(
        hass,
        result,
        {"person": "person.betjent_bo", "roles": ["leader"], "language": "da"},
    )
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"person": "duplicate_person"}


async def test_responder_errors_store_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _start(hass, entry, "responder")
    await _next(
        hass,
        result,
        {"person": "person.betjent_bo", "roles": ["officer"], "language": "da"},
    )
    await hass.async_block_till_done()
    before = dict(entry.subentries)
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
        ({"person": "person.leder_lis", "roles": []}, {"roles": "roles_required"}),
    ]
    for change, errors in cases:
        result = await _start(hass, entry, "responder")
        result = await _next(
            hass, result, {"roles": ["leader"], "language": "da", **change}
        )
        assert result["type"] is FlowResultType.FORM, change
        assert result["errors"] == errors, change
        assert entry.subentries == before


async def test_the_integration_page_offers_rooms_buttons_and_responders(
    hass: HomeAssistant, entry: MockConfigEntry, hass_client: Any
) -> None:
    """What the frontend asks for to draw the "Add …" buttons."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_client()
    response = await client.get(
        "/api/config/config_entries/entry", params={"domain": DOMAIN}
    )
    (listed,) = await response.json()
    assert sorted(listed["supported_subentry_types"]) == [
        "button",
        "responder",
        "room",
    ]
    assert all(
        kind["supports_reconfigure"]
        for kind in listed["supported_subentry_types"].values()
    )


async def test_a_room_whose_area_was_deleted_is_left_without_one(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    room_id = await _add_room(hass, entry)
    areas = ar.async_get(hass)
    area = areas.async_get_area_by_name("Kontaktrum 1")
    assert area is not None
    areas.async_delete(area.id)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, room_id), entry.entry_id
    )
    assert device is not None
    assert device.area_id is None  # not put back into an area that is gone
