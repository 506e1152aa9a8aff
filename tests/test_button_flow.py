"""The button form's model step and the button test, through the real flow manager.

Devices carry real registry strings (manufacturer/model) so the model is
detected as for a real button; during the test, reports are fired on the real
bus while the flow's progress step listens, on a frozen clock.
"""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.raadhus_alarm.button_test import (
    ButtonTestResult,
    Heard,
    describe,
)
from custom_components.raadhus_alarm.const import (
    DOMAIN,
    EVENT_INCIDENT,
    ButtonProfile,
)
from custom_components.raadhus_alarm.hold import Signal

from .bus import advance, zha_data
from .world import World, async_setup_town_hall, button, room

AQARA = ("LUMI", "lumi.sensor_switch.aq3")  # WXKG12LM under ZHA: hold 1.0 s late
SNZB = ("eWeLink", "SNZB-01")  # one frame at its own long press
UNKNOWN = ("LUMI", "lumi.something.new")


def _zha_device(hass: HomeAssistant, world: World, ident: str, maker_model: Any) -> str:
    manufacturer, model = maker_model
    return (
        dr.async_get(hass)
        .async_get_or_create(
            config_entry_id=world.entries["zha"].entry_id,
            identifiers={("zha", ident)},
            name=f"Knap {ident}",
            manufacturer=manufacturer,
            model=model,
        )
        .id
    )


def _zha(hass: HomeAssistant, device_id: str, command: str) -> None:
    hass.bus.async_fire("zha_event", zha_data(device_id, command))


async def _configure(
    hass: HomeAssistant, flow_id: str, data: dict[str, Any] | None = None
) -> FlowResult:
    return await hass.config_entries.subentries.async_configure(flow_id, data)


def _buttons(entry: MockConfigEntry) -> list[dict[str, Any]]:
    """The stored buttons (subentry data with the subentry's id)."""
    return [
        {**s.data, "id": s.subentry_id}
        for s in entry.subentries.values()
        if s.subentry_type == "button"
    ]


async def _forms(hass: HomeAssistant, flow_id: str, form: dict[str, Any]) -> FlowResult:
    """Fill the button's two forms: where it is, then its device or entity."""
    where = {k: form[k] for k in ("room_id", "name", "source")}
    result = await _configure(hass, flow_id, where)
    assert result["step_id"] == "device", result
    device = {k: v for k, v in form.items() if k not in where}
    return await _configure(hass, flow_id, device)


async def _to_model_step(
    hass: HomeAssistant, entry: MockConfigEntry, device_id: str
) -> FlowResult:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "button"), context={"source": "user"}
    )
    return await _forms(
        hass,
        result["flow_id"],
        {
            "room_id": "k1",
            "name": "Under bordet",
            "source": "zha",
            "device_id": device_id,
            "profile": "press_release",
        },
    )


async def _edit_button(
    hass: HomeAssistant, entry: MockConfigEntry, item: str, form: dict[str, Any]
) -> tuple[str, FlowResult]:
    """Open a configured button's change forms and fill them."""
    result = await entry.start_subentry_reconfigure_flow(hass, item)
    flow_id = result["flow_id"]
    return flow_id, await _forms(hass, flow_id, form)


async def _test_of(
    hass: HomeAssistant, entry: MockConfigEntry, item: str, form: dict[str, Any]
) -> str:
    """Edit a configured button and start its test; the flow's id."""
    flow_id, _ = await _edit_button(hass, entry, item, form)
    result = await _configure(hass, flow_id, {"model": "auto", "test": True})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    return flow_id


def _zha_form(device_id: str, profile: str = "press_release") -> dict[str, Any]:
    """The button form of button b1 on a ZHA device."""
    return {
        "room_id": "k1",
        "name": "Knap b1",
        "source": "zha",
        "device_id": device_id,
        "profile": profile,
    }


@pytest.fixture
async def entry(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """A loaded town hall with one room and no buttons yet."""
    return await async_setup_town_hall(
        hass, {"rooms": [room("k1", "Kontaktrum 1")], "buttons": [], "people": []}
    )


@pytest.fixture
def incidents(hass: HomeAssistant) -> list[Event]:
    """Every raadhus_alarm_incident fired."""
    return async_capture_events(hass, EVENT_INCIDENT)


async def test_the_detected_model_is_shown_and_saved_as_auto(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    result = await _to_model_step(hass, entry, device_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "button_model"
    placeholders = result["description_placeholders"]
    assert (
        placeholders["detected"] == "Aqara wireless mini switch with gyroscope WXKG12LM"
    )
    assert placeholders["delay"] == "1"  # seconds, as the language writes them
    assert "first_report_delay" in placeholders["estimates"]
    result = await _configure(hass, result["flow_id"], {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (saved,) = _buttons(entry)
    assert saved["model"] == "auto"
    watcher = entry.runtime_data.buttons.watchers[saved["id"]]
    assert watcher.behaviour.model is not None
    assert watcher.behaviour.model.id == "aqara_wxkg12lm_zha"


async def test_a_button_that_cannot_measure_a_hold_says_so(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _to_model_step(hass, entry, _zha_device(hass, world, "s", SNZB))
    assert result["step_id"] == "button_model_any_press"
    assert result["description_placeholders"]["alarm_reports"] == "off"


async def test_overrides_are_checked_and_stored(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    result = await _to_model_step(hass, entry, _zha_device(hass, world, "a", AQARA))
    before = dict(entry.subentries)
    result = await _configure(
        hass,
        result["flow_id"],
        {"model": "auto", "first_report_delay": 10.5, "release_gap": 0.05},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {
        "first_report_delay": "first_report_delay_out_of_range",
        "release_gap": "release_gap_out_of_range",
    }
    # The ranges are in the help text and the errors.
    assert result["description_placeholders"]["release_gap_min"] == "0.1"
    assert entry.subentries == before
    result = await _configure(
        hass,
        result["flow_id"],
        {
            "model": "generic",
            "first_report_delay": 0.7,
            "release_gap": 1.5,
            "alarm_reports": [" single ", ""],
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (saved,) = _buttons(entry)
    assert saved["model"] == "generic"
    assert saved["first_report_delay"] == 0.7
    assert saved["release_gap"] == 1.5
    assert saved["alarm_reports"] == ["single"]
    behaviour = entry.runtime_data.buttons.watchers[saved["id"]].behaviour
    assert behaviour.model is None
    assert behaviour.timing.first_report_delay == 0.7
    assert behaviour.timing.release_gap == 1.5


async def test_the_button_test_shows_what_arrived_and_raises_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    result = await _to_model_step(hass, entry, device_id)
    flow_id = result["flow_id"]
    result = await _configure(hass, flow_id, {"model": "auto", "test": True})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    assert result["step_id"] == "button_test"
    assert result["progress_action"] == "hold_button"
    # The physical press was 1.0 s before its first report; held 3 s in all.
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 2.0)
    _zha(hass, device_id, "release")
    await advance(hass, freezer, 1.0)
    assert hass.config_entries.subentries.async_get(flow_id)["step_id"] == "button_test"
    await advance(hass, freezer, 2.0)  # quiet: the test ends
    result = await _configure(hass, flow_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "button_test_alarm"
    placeholders = result["description_placeholders"]
    assert placeholders["heard"] == "+0.00 s: hold\n+2.00 s: release"
    assert placeholders["alarm_after"] == "1.00"  # 2.0 s after the press
    assert placeholders["held"] == "2.00"
    assert (
        placeholders["proposal"] == "Aqara wireless mini switch with gyroscope WXKG12LM"
    )
    assert "button_use_proposal" not in result["menu_options"]  # it is the model
    assert incidents == []
    # Back to the model form from the result, then save from there.
    result = await _configure(hass, flow_id, {"next_step_id": "button_model"})
    assert (result["type"], result["step_id"]) == (FlowResultType.FORM, "button_model")
    result = await _configure(hass, flow_id, {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_the_button_test_writes_seconds_as_danish_does(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hass.config.async_update(language="da")
    device_id = _zha_device(hass, world, "aqara", AQARA)
    result = await _to_model_step(hass, entry, device_id)
    assert result["description_placeholders"]["release_gap_min"] == "0,1"
    flow_id = result["flow_id"]
    await _configure(hass, flow_id, {"model": "auto", "test": True})
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 2.0)
    _zha(hass, device_id, "release")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    placeholders = result["description_placeholders"]
    assert placeholders["heard"] == "+0,00 s: hold\n+2,00 s: release"
    assert (placeholders["alarm_after"], placeholders["held"]) == ("1,00", "2,00")


async def test_a_configured_button_is_muted_during_its_test_only(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    entry = await async_setup_town_hall(
        hass,
        {
            "rooms": [room("k1", "Kontaktrum 1")],
            "buttons": [
                button("b1", "k1", "zha", "press_release", device_id=device_id)
            ],
            "people": [],
        },
    )
    flow_id, result = await _edit_button(hass, entry, "b1", _zha_form(device_id))
    assert result["step_id"] == "button_model"
    result = await _configure(hass, flow_id, {"model": "auto", "test": True})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 3.0)  # well past the threshold, no release
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_alarm"
    assert incidents == []  # the town hall's own detector heard nothing
    assert not entry.runtime_data.buttons.watchers["b1"].muted  # test over
    await _configure(hass, flow_id, {"next_step_id": "button_save"})
    await hass.async_block_till_done()
    # After the test the button raises alarms again.
    _zha(hass, _buttons(entry)[0]["device_id"], "hold")
    await advance(hass, freezer, 1.1)
    assert [e.data["room_name"] for e in incidents] == ["Kontaktrum 1"]


async def test_a_short_press_and_silence_are_told_apart(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = _zha_device(hass, world, "new", UNKNOWN)
    result = await _to_model_step(hass, entry, device_id)
    flow_id = result["flow_id"]
    assert result["description_placeholders"]["detected"] == "—"
    result = await _configure(hass, flow_id, {"model": "auto", "test": True})
    _zha(hass, device_id, "single")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_short_press"
    assert result["description_placeholders"]["heard"] == "+0.00 s: single"
    # An unknown device whose reports a library model explains: offered.
    assert result["menu_options"][0] == "button_use_proposal"
    proposal = result["description_placeholders"]["proposal"]
    assert proposal != "—"
    result = await _configure(hass, flow_id, {"next_step_id": "button_use_proposal"})
    assert result["type"] is FlowResultType.FORM
    assert result["description_placeholders"]["model"] == proposal
    # Test again: this time nothing comes at all.
    result = await _configure(hass, flow_id, {"model": "auto", "test": True})
    assert result["type"] is FlowResultType.SHOW_PROGRESS
    await advance(hass, freezer, 21.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_nothing"
    assert result["description_placeholders"]["heard"] == "—"


async def test_old_town_halls_are_migrated_with_their_buttons(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    old_button = button(
        "b1", "k1", "zha", "press_release", device_id=world.zha_buttons[0]
    )
    sos = button("b2", "k1", "zha", "single_shot", device_id=world.zha_buttons[1])
    for old in (old_button, sos):
        del old["model"]  # 1.1 had no models
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options={"rooms": [room("k1", "Kontaktrum 1")], "buttons": [old_button, sos]},
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (entry.version, entry.minor_version) == (2, 1)
    migrated, migrated_sos = _buttons(entry)
    overrides = {"first_report_delay": None, "release_gap": None, "alarm_reports": []}
    assert migrated == {**old_button, "model": "auto", **overrides}
    # A button set to alarm on any press keeps doing so, whatever its device.
    assert migrated_sos == {**sos, "model": "generic", **overrides}
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    _zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0)
    assert len(incidents) == 1


async def test_a_newer_town_hall_is_not_touched(
    hass: HomeAssistant, world: World
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options={"rooms": [], "buttons": []},
        version=3,
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.options == {"rooms": [], "buttons": []}
    assert entry.version == 3


async def _configured(hass: HomeAssistant, device_id: str) -> MockConfigEntry:
    return await async_setup_town_hall(
        hass,
        {
            "rooms": [room("k1", "Kontaktrum 1")],
            "buttons": [
                button("b1", "k1", "zha", "press_release", device_id=device_id)
            ],
            "people": [],
        },
    )


async def _start_test_of_b1(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    device_id = _buttons(entry)[0]["device_id"]
    return await _test_of(hass, entry, "b1", _zha_form(device_id))


async def test_a_reload_during_the_test_keeps_the_button_muted(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    entry = await _configured(hass, device_id)
    flow_id = await _start_test_of_b1(hass, entry)
    # Someone saves the town hall elsewhere: the entry reloads mid-test.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 3.0)
    assert incidents == []
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_alarm"
    hass.config_entries.subentries.async_abort(flow_id)
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 1.1)
    assert len(incidents) == 1  # muted no longer


async def test_a_chatty_button_cannot_keep_the_test_going(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    entry = await _configured(hass, device_id)
    flow_id = await _start_test_of_b1(hass, entry)
    watcher = entry.runtime_data.buttons.watchers["b1"]
    for _ in range(29):  # a report every second, never quiet for 2.5 s
        _zha(hass, device_id, "attribute_updated")
        await advance(hass, freezer, 1.0)
        assert watcher.muted
    await advance(hass, freezer, 1.5)  # 30 s: the longest a test may run
    assert not watcher.muted
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_short_press"
    heard = result["description_placeholders"]["heard"].splitlines()
    assert len(heard) == 29
    assert heard[-1] == "+28.00 s: attribute_updated (?)"


async def test_aborting_the_flow_mid_test_unmutes_the_button(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    entry = await _configured(hass, device_id)
    flow_id = await _start_test_of_b1(hass, entry)
    assert entry.runtime_data.buttons.watchers["b1"].muted
    hass.config_entries.subentries.async_abort(flow_id)  # the dialog is closed
    await hass.async_block_till_done()
    assert not entry.runtime_data.buttons.watchers["b1"].muted
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 1.1)
    assert len(incidents) == 1


async def test_a_binary_sensor_button_keeps_its_profile_on_a_known_device(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """An IAS-zone sensor of a library device: on/off only, the profile stands."""
    device_id = _zha_device(hass, world, "sos", SNZB)
    er.async_get(hass).async_get_or_create(
        "binary_sensor",
        "zha",
        "sos-zone",
        suggested_object_id="sos_zone",
        device_id=device_id,
    )
    hass.states.async_set("binary_sensor.sos_zone", "off")
    entry = await async_setup_town_hall(
        hass,
        {
            "rooms": [room("k1", "Kontaktrum 1")],
            "buttons": [
                button(
                    "b1",
                    "k1",
                    "binary_sensor",
                    "single_shot",
                    entity_id="binary_sensor.sos_zone",
                )
            ],
            "people": [],
        },
    )
    behaviour = entry.runtime_data.buttons.watchers["b1"].behaviour
    assert behaviour.model is None
    assert behaviour.profile is ButtonProfile.SINGLE_SHOT


async def test_names_the_library_lacks_are_shown_and_explained(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unknown device that says "toggle": shown as it is, a model proposed."""
    device_id = _zha_device(hass, world, "new", UNKNOWN)
    result = await _to_model_step(hass, entry, device_id)
    flow_id = result["flow_id"]
    await _configure(hass, flow_id, {"model": "auto", "test": True})
    _zha(hass, device_id, "toggle")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_short_press"
    placeholders = result["description_placeholders"]
    assert placeholders["heard"] == "+0.00 s: toggle (?)"
    assert (
        placeholders["proposal"] == "Aqara wireless mini switch T1 WXKG13LM / WB-R02D"
    )


@pytest.mark.parametrize(
    ("reports", "profile"),
    [
        # generic Z-Wave names, which no ZHA model has
        (["KeyHeldDown"] * 5 + ["KeyReleased"], "repeated_held"),
        (["zz_sos"], "single_shot"),
    ],
)
async def test_an_unexplained_button_gets_a_profile_from_its_pattern(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    reports: list[str],
    profile: str,
) -> None:
    device_id = _zha_device(hass, world, "new", UNKNOWN)
    result = await _to_model_step(hass, entry, device_id)  # press_release chosen
    flow_id = result["flow_id"]
    await _configure(hass, flow_id, {"model": "auto", "test": True})
    for name in reports:
        _zha(hass, device_id, name)
        await advance(hass, freezer, 0.5)
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["description_placeholders"]["proposal"] == "—"
    assert result["menu_options"][0] == f"button_use_{profile}"
    result = await _configure(hass, flow_id, {"next_step_id": f"button_use_{profile}"})
    assert result["type"] is FlowResultType.FORM
    # The form comes back filled in; submitted as the browser would send it.
    filled = {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }
    result = await _configure(hass, flow_id, {"model": "auto", **filled})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    (saved,) = _buttons(entry)
    assert saved["profile"] == profile
    if profile == "single_shot":
        # The frame nobody knew is now an alarm report: the button works.
        assert saved["alarm_reports"] == ["zz_sos"]
        incidents = async_capture_events(hass, EVENT_INCIDENT)
        _zha(hass, device_id, "zz_sos")
        await hass.async_block_till_done()
        assert len(incidents) == 1


async def test_an_unexplained_start_and_end_suggest_press_and_release(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    device_id = _zha_device(hass, world, "new", UNKNOWN)
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "button"), context={"source": "user"}
    )
    flow_id = result["flow_id"]
    form = {**_zha_form(device_id, "repeated_held"), "name": "Ny"}
    await _forms(hass, flow_id, form)
    await _configure(hass, flow_id, {"model": "auto", "test": True})
    # Generic names no ZHA model has: a start and an end, nothing repeated.
    _zha(hass, device_id, "KeyHeldDown")
    await advance(hass, freezer, 2.2)  # within the test's 2.5 s of quiet
    _zha(hass, device_id, "KeyReleased")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["menu_options"][0] == "button_use_press_release"
    result = await _configure(
        hass, flow_id, {"next_step_id": "button_use_press_release"}
    )
    assert result["step_id"] == "button_model"
    result = await _configure(hass, flow_id, {"model": "auto"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    (saved,) = _buttons(entry)
    assert saved["profile"] == "press_release"


async def test_a_model_of_another_radio_is_never_used(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """A ZHA model kept on a button whose source is now Z-Wave JS: not used."""
    entry = await async_setup_town_hall(
        hass,
        {
            "rooms": [room("k1", "Kontaktrum 1")],
            "buttons": [
                button(
                    "b1",
                    "k1",
                    "zwave_js",
                    "repeated_held",
                    device_id=world.zwave_buttons[0],
                    model="aqara_wxkg12lm_zha",
                )
            ],
            "people": [],
        },
    )
    behaviour = entry.runtime_data.buttons.watchers["b1"].behaviour
    assert behaviour.model is None  # detected: nothing known about this device
    assert behaviour.profile is ButtonProfile.REPEATED_HELD
    # Its form offers this radio's models only, and starts at "detected".
    flow_id, result = await _edit_button(
        hass,
        entry,
        "b1",
        {
            **_zha_form(world.zwave_buttons[0], "repeated_held"),
            "source": "zwave_js",
        },
    )
    assert result["step_id"] == "button_model"
    (model_key,) = [k for k in result["data_schema"].schema if str(k) == "model"]
    assert model_key.default() == "auto"
    result = await _configure(hass, flow_id, {"model": "auto"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"


async def test_a_working_alarm_is_never_talked_out_of_it(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Single-shot buttons that alarm: no suggestion that would silence them."""
    device_id = _zha_device(hass, world, "new", UNKNOWN)
    hass.states.async_set("binary_sensor.sos_knap", "off")
    entry = await async_setup_town_hall(
        hass,
        {
            "rooms": [room("k1", "Kontaktrum 1")],
            "buttons": [
                button("b1", "k1", "zha", "single_shot", device_id=device_id),
                button(
                    "b2",
                    "k1",
                    "binary_sensor",
                    "single_shot",
                    entity_id="binary_sensor.sos_knap",
                ),
            ],
            "people": [],
        },
    )
    # "single" twice: an Aqara model calls it a click, press/release a short
    # press; both would silence a button that alarms on it today.
    flow_id = await _test_of(hass, entry, "b1", _zha_form(device_id, "single_shot"))
    _zha(hass, device_id, "single")
    await advance(hass, freezer, 0.5)
    _zha(hass, device_id, "single")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_alarm"
    assert result["menu_options"] == ["button_save", "button_test", "button_model"]
    hass.config_entries.subentries.async_abort(flow_id)
    # A binary sensor is never offered a profile: on/off say nothing more.
    flow_id = await _test_of(
        hass,
        entry,
        "b2",
        {
            "room_id": "k1",
            "name": "SOS",
            "source": "binary_sensor",
            "entity_id": "binary_sensor.sos_knap",
            "profile": "single_shot",
        },
    )
    hass.states.async_set("binary_sensor.sos_knap", "on")
    await advance(hass, freezer, 0.5)
    hass.states.async_set("binary_sensor.sos_knap", "off")
    await advance(hass, freezer, 3.0)
    result = await _configure(hass, flow_id)
    assert result["step_id"] == "button_test_alarm"
    assert result["menu_options"] == ["button_save", "button_test", "button_model"]
    # The live detectors' vocabularies never got the test's hook.
    for watcher in entry.runtime_data.buttons.watchers.values():
        assert watcher.words.unknown is None
        assert not watcher.muted


async def test_an_unreadable_library_leaves_buttons_generic_and_alarming(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)

    def broken() -> None:
        raise ValueError("bad model id: 'x'")

    with patch("custom_components.raadhus_alarm.load_library", broken):
        entry = await _configured(hass, device_id)
    assert "The button library could not be read" in caplog.text
    assert entry.runtime_data.buttons.watchers["b1"].behaviour.model is None
    _zha(hass, device_id, "hold")  # generic: timed from this report
    await advance(hass, freezer, 2.0)
    assert len(incidents) == 1


async def test_a_failing_button_test_comes_back_and_unmutes(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    device_id = _zha_device(hass, world, "aqara", AQARA)
    entry = await _configured(hass, device_id)
    with patch(
        "custom_components.raadhus_alarm.button_test.ButtonHub",
        side_effect=RuntimeError("boom"),
    ):
        flow_id, _ = await _edit_button(hass, entry, "b1", _zha_form(device_id))
        result = await _configure(hass, flow_id, {"model": "auto", "test": True})
        if result["type"] is FlowResultType.SHOW_PROGRESS:
            await hass.async_block_till_done()
            result = await _configure(hass, flow_id)
    # The flow comes back (nothing heard) instead of spinning forever.
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "button_test_nothing"
    assert "The button test of Knap b1 failed" in caplog.text
    assert not entry.runtime_data.buttons.watchers["b1"].muted


async def test_an_open_incident_survives_the_update_to_button_models(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """A town hall from before 1.2 with an alarm open: still open, still heard."""
    old_button = button(
        "b1", "k1", "zha", "press_release", device_id=world.zha_buttons[0]
    )
    del old_button["model"]
    old_options = {"rooms": [room("k1", "Kontaktrum 1")], "buttons": [old_button]}
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options=old_options,
        version=1,
        minor_version=1,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    _zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0)
    (open_before,) = entry.runtime_data.core.book.open_incidents()
    # Back to how the previous version left it: its options, version 1.1.
    assert await hass.config_entries.async_unload(entry.entry_id)
    for subentry_id in list(entry.subentries):
        hass.config_entries.async_remove_subentry(entry, subentry_id)
    hass.config_entries.async_update_entry(
        entry, options=old_options, version=1, minor_version=1
    )
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert (entry.version, entry.minor_version) == (2, 1)
    (still_open,) = entry.runtime_data.core.book.open_incidents()
    assert still_open.id == open_before.id
    assert still_open.state == open_before.state
    binary = hass.states.get("binary_sensor.kontaktrum_1_alarm")
    assert binary is not None
    assert binary.state == "on"
    # The button is heard: a new hold joins the open incident.
    _zha(hass, world.zha_buttons[0], "release")
    await advance(hass, freezer, 1.0)
    _zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0)
    (joined,) = entry.runtime_data.core.book.open_incidents()
    assert joined.id == open_before.id
    assert len(joined.joins) == 1


async def test_only_administrators_reach_the_button_forms(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_client: Any,
    hass_read_only_access_token: str,
) -> None:
    """The button forms (and the button test) are subentry flows: admins only."""
    assert await async_setup_component(hass, "config", {})
    client = await hass_client(hass_read_only_access_token)
    response = await client.post(
        "/api/config/config_entries/subentries/flow",
        json={"handler": [entry.entry_id, "button"]},
    )
    assert response.status == 401
    assert hass.config_entries.subentries.async_progress() == []


def test_the_heard_list_keeps_report_names_as_the_radio_sent_them() -> None:
    """Only the seconds take the language's decimal mark, never a report name."""
    result = ButtonTestResult(
        heard=[
            Heard(0.0, "button_1.hold", Signal.HOLD, 1.25),
            Heard(0.5, "x.y", None),
        ],
        not_understood=2,
    )
    assert describe(result, ",") == (
        "+0,00 s: button_1.hold (1,2 s)\n+0,50 s: x.y (?)\n+ 2 × ?"
    )
    assert describe(ButtonTestResult()) == "—"
