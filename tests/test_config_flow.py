"""Config and options flow tests, through Home Assistant's real flow managers.

The options flow holds the town-hall-wide settings in one menu that stays
open; rooms, buttons and responders are subentries (test_subentry_flows).
"""

from __future__ import annotations

from typing import Any

from homeassistant import config_entries
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .world import World


@pytest.fixture
async def entry(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """A loaded town hall entry without rooms."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options={},
        version=2,
        minor_version=1,
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


async def _save(hass: HomeAssistant, result: FlowResult) -> Any:
    """Back in the menu after a form: choose Save."""
    assert result["type"] is FlowResultType.MENU, result
    assert result["step_id"] == "init"
    result = await _submit(hass, result, {"next_step_id": "save"})
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result


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
    await hass.async_block_till_done()
    hall = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert hall is not None
    assert hall.name == "Nyt Rådhus"  # set up again under the new name
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.title == "Nyt Rådhus"
    assert entry.data == {"name": "Nyt Rådhus"}
    assert entry.state is config_entries.ConfigEntryState.LOADED


# -- options: one menu that stays open ---------------------------------------


async def test_menu_stays_open_and_saves_everything_at_once(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _options(hass, entry)
    assert result["menu_options"] == [
        "schedules",
        "timings",
        "meetings",
        "bans",
        "evidence",
        "followup",
        "contacts",
        "officers_room",
    ]
    assert result["description_placeholders"] == {"changed": "—"}
    result = await _options(hass, entry, "timings")
    result = await _submit(hass, result, {**GOOD_TIMINGS, "ack_timeout": 45})
    # Back in the menu, nothing stored yet; Save appears.
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"][-1] == "save"
    assert result["description_placeholders"] == {"changed": "timings"}
    assert "timings" not in entry.options
    result = await _submit(hass, result, {"next_step_id": "contacts"})
    result = await _submit(hass, result, {"cvr": "12345678"})
    assert result["description_placeholders"] == {"changed": "timings, contacts"}
    result = await _submit(hass, result, {"next_step_id": "timings"})
    result = await _submit(hass, result, {**GOOD_TIMINGS, "ack_timeout": 60})
    assert result["description_placeholders"] == {"changed": "timings, contacts"}
    await _save(hass, result)
    assert entry.options["timings"]["ack_timeout"] == 60
    assert entry.options["contacts"] == {"cvr": "12345678"}
    # Saved options reload the entry with the new settings.
    assert entry.state is config_entries.ConfigEntryState.LOADED
    assert entry.runtime_data.config.timings.ack_timeout == 60


GOOD_TIMINGS = {
    "hold_threshold": 2.0,
    "ack_timeout": 30,
    "unseen_hours": 25,
    "retention_days": 365,
}


async def test_schedules(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    data = {
        "officers_on_duty": "schedule.officers_on_duty",
        "police_present": "schedule.police_present",
        "crisis_line_hours": "schedule.crisis_line_hours",
    }
    result = await _options(hass, entry, "schedules")
    assert result["step_id"] == "schedules"
    result = await _submit(hass, result, data)
    await _save(hass, result)
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
    result = await _submit(hass, result, GOOD_TIMINGS)
    await _save(hass, result)
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
    result = await _options(hass, entry, "timings")
    result = await _submit(hass, result, {**GOOD_TIMINGS, **bad})
    assert result["type"] is FlowResultType.FORM
    # One error per field, so its message can say that field's range.
    assert result["errors"] == {field: f"{field}_out_of_range" for field in bad}
    assert "timings" not in entry.options


async def test_ranges_are_written_as_the_language_writes_numbers(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """Danish: 0,5 (the range in the help text and in the error)."""
    await hass.config.async_update(language="da")
    result = await _options(hass, entry, "timings")
    placeholders = result["description_placeholders"]
    assert (placeholders["hold_threshold_min"], placeholders["hold_threshold_max"]) == (
        "0,5",
        "10",
    )
    result = await _submit(hass, result, {**GOOD_TIMINGS, "hold_threshold": 0.2})
    assert result["errors"] == {"hold_threshold": "hold_threshold_out_of_range"}
    assert result["description_placeholders"]["hold_threshold_min"] == "0,5"


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
    await _save(hass, result)
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
    await _save(hass, result)
    assert entry.options["officers_room"] == {
        "alert_entities": ["siren.betjentstue", "light.betjentstue"]
    }
    assert entry.runtime_data.config.alert_entities == (
        "siren.betjentstue",
        "light.betjentstue",
    )


async def test_meeting_settings(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    result = await _options(hass, entry, "meetings")
    assert result["description_placeholders"]["soon_minutes_max"] == "240"
    result = await _submit(
        hass,
        result,
        {"day_before_time": "11:00:00", "soon_minutes": 300, "keep_days": 30},
    )
    assert result["errors"] == {"soon_minutes": "soon_minutes_out_of_range"}
    result = await _submit(
        hass,
        result,
        {"day_before_time": "11:00:00", "soon_minutes": 30, "keep_days": 30},
    )
    await _save(hass, result)
    assert entry.options["meetings"] == {
        "day_before_time": "11:00:00",
        "soon_minutes": 30,
        "keep_days": 30,
    }
    settings = entry.runtime_data.config.meetings
    assert (settings.day_before_time.hour, settings.soon.total_seconds()) == (11, 1800)
    assert settings.keep.days == 30


async def test_ban_settings(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert entry.runtime_data.config.bans.remind_before.days == 14  # defaults
    assert entry.runtime_data.config.bans.keep.days == 30
    result = await _options(hass, entry, "bans")
    assert result["data_schema"]({})["remind_days"] == 14
    result = await _submit(hass, result, {"remind_days": 0, "keep_days": 400})
    assert result["errors"] == {
        "remind_days": "remind_days_out_of_range",
        "keep_days": "keep_days_out_of_range",
    }
    assert result["description_placeholders"]["keep_days_max"] == "365"
    result = await _submit(hass, result, {"remind_days": 21, "keep_days": 1})
    await _save(hass, result)
    assert entry.options["bans"] == {"remind_days": 21, "keep_days": 1}
    settings = entry.runtime_data.config.bans
    assert (settings.remind_before.days, settings.keep.days) == (21, 1)


async def test_follow_up_settings(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert entry.runtime_data.config.followup_working_days == 3  # the default
    result = await _options(hass, entry, "followup")
    assert result["data_schema"]({})["working_days"] == 3
    result = await _submit(hass, result, {"working_days": 25})
    assert result["errors"] == {"working_days": "working_days_out_of_range"}
    assert result["description_placeholders"] == {
        "working_days_min": "1",
        "working_days_max": "20",
    }
    result = await _submit(hass, result, {"working_days": 5})
    await _save(hass, result)
    assert entry.options["followup"] == {"working_days": 5}
    assert entry.runtime_data.config.followup_working_days == 5
