"""The button library: its data file, model matching and the behaviour it gives."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.raadhus_alarm.const import ButtonProfile, ButtonSource
from custom_components.raadhus_alarm.device_library import (
    LIBRARY_FILE,
    ButtonModel,
    Overrides,
    behaviour,
    load_library,
    parse_library,
    parse_model,
)
from custom_components.raadhus_alarm.hold import HoldDetector, Report, Signal, Verdict
from custom_components.raadhus_alarm.sources import GENERIC

from .bus import load_script

LIBRARY = load_library()
RAW: dict[str, Any] = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
FIGURES = ("reports", "first_report_delay", "repeat_interval", "release")


def test_the_library_covers_every_integration_and_the_documented_families() -> None:
    sources = {m.source for m in LIBRARY.models}
    assert sources == {
        ButtonSource.ZHA,
        ButtonSource.ZIGBEE2MQTT,
        ButtonSource.ZWAVE_JS,
    }
    ids = {m.id for m in LIBRARY.models}
    # The families of the project's device notes, each under its integrations.
    for expected in (
        "philips_hue_smart_button_zha",
        "ikea_tradfri_shortcut_button_zha",
        "aqara_wxkg12lm_zha",
        "xiaomi_wxkg01lm_zha",
        "tuya_sos_button_ts0215a_z2m",
        "heiman_emergency_button_hs1eb_z2m",
        "aqara_wxkg11lm_z2m",
        "aeotec_wallmote_quad_zwave",
        "fibaro_the_button_zwave",
        "gocontrol_wa00z1_zwave",
    ):
        assert expected in ids
    assert len(LIBRARY.models) >= 25


@pytest.mark.parametrize("model", LIBRARY.models, ids=lambda m: m.id)
def test_every_figure_names_its_source(model: ButtonModel) -> None:
    for figure in FIGURES:
        assert len(model.sources[figure]) > 20, (model.id, figure)
    for estimate in model.estimates:
        assert estimate.split(".")[0] in {
            *FIGURES,
            "measures_hold",
            "duration_unit",
            "release_sent",
        }, estimate
    if model.repeat_interval is not None:
        assert model.release_gap is not None
        assert model.release_gap > model.repeat_interval


def test_the_data_file_round_trips_through_the_parser() -> None:
    again = parse_library(copy.deepcopy(RAW))
    assert [m.id for m in again.models] == [m.id for m in LIBRARY.models]


def _entry(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(
        next(m for m in RAW["models"] if m["id"] == "aqara_wxkg12lm_zha")
    )
    entry.update(changes)
    return entry


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id": "Bad Id"}, "bad model id"),
        ({"reports": {}}, "at least one report"),
        ({"reports": {"hold": "wiggle"}}, "unknown report kind"),
        ({"release": "maybe"}, "release must be"),
        ({"sources": {"reports": "x"}}, "every figure needs its source"),
        ({"measures_hold": "yes"}, "measures_hold"),
        ({"first_report_delay": -1}, "out of range"),
        ({"first_report_delay": float("nan")}, "out of range"),
        ({"first_report_delay": True}, "number of seconds"),
        ({"repeat_interval": 0.8, "release_gap": 0.5}, "release_gap > repeat"),
        ({"measures_hold": False}, "cannot measure a hold"),
        ({"reports": {"single": "click"}}, "measures a hold reports one"),
        ({"manufacturers": "LUMI"}, "list of strings"),
        ({"name": ""}, "name required"),
        ({"integration": "bluetooth"}, "bluetooth"),
    ],
)
def test_bad_entries_are_refused_with_a_reason(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        parse_model(_entry(**changes))


def test_duplicate_ids_and_wrong_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        parse_library({"models": [_entry(), _entry()]})
    with pytest.raises(ValueError, match="models list"):
        parse_library([_entry()])


@pytest.mark.parametrize(
    ("source", "manufacturer", "model", "model_id", "expected"),
    [
        # ZHA: the Zigbee basic cluster's strings (or a quirk's friendly name)
        (
            ButtonSource.ZHA,
            "LUMI",
            "lumi.sensor_switch.aq3",
            None,
            "aqara_wxkg12lm_zha",
        ),
        (ButtonSource.ZHA, "LUMI", "lumi.sensor_switch", None, "xiaomi_wxkg01lm_zha"),
        (
            ButtonSource.ZHA,
            "Signify Netherlands B.V.",
            "ROM001",
            None,
            "philips_hue_smart_button_zha",
        ),
        # Zigbee2MQTT 2.x: description as model, the model in model_id
        (
            ButtonSource.ZIGBEE2MQTT,
            "Aqara",
            "Wireless mini switch",
            "WXKG11LM",
            "aqara_wxkg11lm_z2m",
        ),
        # Zigbee2MQTT 1.x: "description (model)", no model_id, old vendor name
        (
            ButtonSource.ZIGBEE2MQTT,
            "Xiaomi",
            "Aqara wireless switch (WXKG11LM)",
            None,
            "aqara_wxkg11lm_z2m",
        ),
        (
            ButtonSource.ZIGBEE2MQTT,
            "TuYa",
            "SOS button (TS0215A_sos)",
            None,
            "tuya_sos_button_ts0215a_z2m",
        ),
        # Z-Wave JS: the device database's label as model
        (
            ButtonSource.ZWAVE_JS,
            "AEON Labs",
            "ZW130",
            None,
            "aeotec_wallmote_quad_zwave",
        ),
        # case and spacing do not matter
        (
            ButtonSource.ZWAVE_JS,
            "aeon  labs",
            "zw130",
            None,
            "aeotec_wallmote_quad_zwave",
        ),
        # the wrong manufacturer, integration or an unknown model: no match
        (ButtonSource.ZWAVE_JS, "Somebody", "ZW130", None, None),
        (ButtonSource.ZHA, "AEON Labs", "ZW130", None, None),
        (ButtonSource.ZHA, "LUMI", "lumi.something.else", None, None),
        (ButtonSource.ZHA, None, None, None, None),
    ],
)
def test_models_are_found_from_what_the_device_registry_says(
    source: ButtonSource,
    manufacturer: str | None,
    model: str | None,
    model_id: str | None,
    expected: str | None,
) -> None:
    found = LIBRARY.match(source, manufacturer, model, model_id)
    assert (found.id if found else None) == expected


@pytest.mark.parametrize(
    ("source", "profile", "window"),
    [
        (ButtonSource.ZWAVE_JS, ButtonProfile.PRESS_RELEASE, (0.3, 0.8)),
        (ButtonSource.ZWAVE_JS, ButtonProfile.REPEATED_HELD, None),
        (ButtonSource.ZHA, ButtonProfile.PRESS_RELEASE, None),
        (ButtonSource.ZIGBEE2MQTT, ButtonProfile.PRESS_RELEASE, None),
        (ButtonSource.EVENT, ButtonProfile.PRESS_RELEASE, None),
    ],
)
def test_only_zwave_press_release_doubts_a_release(
    source: ButtonSource, profile: ButtonProfile, window: tuple[float, float] | None
) -> None:
    """Only Z-Wave JS invents releases; repeated "held" has its own gap."""
    assert behaviour(source, profile, None, 2.0).timing.stray_release_window == window


def test_unknown_devices_get_the_generic_behaviour() -> None:
    result = behaviour(ButtonSource.ZWAVE_JS, ButtonProfile.REPEATED_HELD, None, 2.0)
    assert result.words is GENERIC
    assert result.profile is ButtonProfile.REPEATED_HELD
    assert result.timing.release_gap == 0.4
    assert result.timing.first_report_delay == 0.0
    assert result.measures_hold
    single = behaviour(ButtonSource.ZHA, ButtonProfile.SINGLE_SHOT, None, 2.0)
    assert not single.measures_hold
    assert single.timing.release_gap == 1.2


def test_a_model_decides_its_profile_and_timing_and_overrides_win() -> None:
    hue = LIBRARY.get("philips_hue_smart_button_zha")
    assert hue is not None
    result = behaviour(ButtonSource.ZHA, ButtonProfile.SINGLE_SHOT, hue, 2.0)
    assert result.profile is ButtonProfile.REPEATED_HELD
    assert result.timing.release_gap == 1.2
    assert result.timing.first_report_delay == 0.8
    assert result.words.signal("on_short_release") is Signal.SHORT
    assert result.words.signal("move_with_on_off") is None  # not this model's
    # Generic "held"/emergency names the model lacks still count (safety net).
    assert result.words.signal("KeyHeldDown") is Signal.HOLD
    assert result.words.signal("emergency") is Signal.EMERGENCY
    overridden = behaviour(
        ButtonSource.ZHA,
        ButtonProfile.SINGLE_SHOT,
        hue,
        2.0,
        Overrides(first_report_delay=0.6, release_gap=2.0, alarm_reports=("On_Press",)),
    )
    assert overridden.timing.first_report_delay == 0.6
    assert overridden.timing.release_gap == 2.0
    assert overridden.words.signal("on_press") is Signal.EMERGENCY
    assert overridden.words.signal("on_hold") is Signal.HOLD
    generic = behaviour(
        ButtonSource.ZHA,
        ButtonProfile.PRESS_RELEASE,
        None,
        2.0,
        Overrides(alarm_reports=("single",)),
    )
    assert generic.words.signal("single") is Signal.EMERGENCY
    assert GENERIC.signal("single") is Signal.SHORT  # the shared table untouched


def test_models_that_cannot_measure_a_hold_alarm_on_their_frame_only() -> None:
    snzb = LIBRARY.get("sonoff_snzb01_z2m")
    assert snzb is not None
    assert not snzb.measures_hold
    result = behaviour(ButtonSource.ZIGBEE2MQTT, ButtonProfile.PRESS_RELEASE, snzb, 2.0)
    assert not result.measures_hold
    detector = HoldDetector(result.profile, result.timing)
    assert [o.verdict for o in detector.feed(Report(Signal.SHORT, 10.0))] == [
        Verdict.SHORT_PRESS
    ]
    alarm = detector.feed(Report(result.words.signal("long") or Signal.SHORT, 20.0))
    assert [o.verdict for o in alarm] == [Verdict.ALARM]


@given(
    delay=st.floats(min_value=0.0, max_value=1.9),
    held=st.floats(min_value=0.0, max_value=5.0),
)
def test_a_back_dated_hold_alarms_exactly_at_the_threshold_after_the_press(
    delay: float, held: float
) -> None:
    """Press at 100.0: the first report comes `delay` later, the release at +held."""
    model = LIBRARY.get("aqara_wxkg12lm_zha")
    assert model is not None
    result = behaviour(
        ButtonSource.ZHA,
        ButtonProfile.PRESS_RELEASE,
        model,
        2.0,
        Overrides(first_report_delay=delay),
    )
    detector = HoldDetector(result.profile, result.timing)
    outcomes = []
    if held > delay:
        outcomes += detector.feed(Report(Signal.HOLD, 100.0 + delay))
        if held >= 2.0:
            outcomes += detector.tick(102.0)
        outcomes += detector.feed(Report(Signal.RELEASE, 100.0 + held))
    alarms = [o for o in outcomes if o.verdict is Verdict.ALARM]
    if held > delay and held >= 2.0:
        (alarm,) = alarms
        assert alarm.due == pytest.approx(102.0)
    else:
        assert alarms == []


def test_the_readme_table_is_the_librarys() -> None:
    """The supported-buttons table in the README is generated from the library."""
    root = LIBRARY_FILE.parents[2]
    module = load_script("button_table")
    table = module.table()
    assert table.count("\n") == len(LIBRARY.models) + 1
    assert table in (root / "README.md").read_text(encoding="utf-8")
