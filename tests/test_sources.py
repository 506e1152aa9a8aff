"""Tests for the source adapters: real event shapes from each radio → `Report`.

Pure functions (no hass instance). The shapes are those the integrations put
on the bus: `zha_event` data, `zwave_js_value_notification` data, Zigbee2MQTT
MQTT payloads, `event` entity event types and `binary_sensor` state edges.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.components.event.const import ButtonEventType
from hypothesis import given, settings, strategies as st
import pytest

from custom_components.raadhus_alarm.const import ButtonProfile
from custom_components.raadhus_alarm.hold import (
    HoldDetector,
    HoldTiming,
    Outcome,
    Report,
    Signal,
    Verdict,
)
from custom_components.raadhus_alarm.sources import (
    GENERIC,
    SIGNAL_NAMES,
    binary_sensor_report,
    event_entity_report,
    z2m_report,
    zha_report,
    zwave_report,
)

from .bus import zwave_data

AT = 1_760_000_000.0
PRESS, HOLD, RELEASE = Signal.PRESS, Signal.HOLD, Signal.RELEASE
SHORT, EMERGENCY = Signal.SHORT, Signal.EMERGENCY


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


# -- the name table ------------------------------------------------------------


@pytest.mark.parametrize(("name", "signal"), sorted(SIGNAL_NAMES.items()))
def test_every_table_name_maps_in_any_case(name: str, signal: Signal) -> None:
    assert name == name.lower()  # the table is looked up lower-cased
    assert GENERIC.signal(name) is signal
    assert GENERIC.signal(name.upper()) is signal
    assert GENERIC.signal(name.title()) is signal


@pytest.mark.parametrize("name", [None, 1, 2.0, b"hold", ["hold"], {"hold": 1}])
def test_non_string_names_are_nothing(name: object) -> None:
    assert GENERIC.signal(name) is None


# -- ZHA -----------------------------------------------------------------------

HUE_IEEE = "00:17:88:01:0b:0c:0d:0e"
IKEA_IEEE = "cc:86:ec:ff:fe:01:02:03"
AQARA_IEEE = "00:15:8d:00:02:aa:bb:cc"


def hue_event(command: str, press_type: str, duration: int) -> dict[str, Any]:
    """Philips Hue smart button (ROM001), manufacturer cluster 0xFC00."""
    return {
        "device_ieee": HUE_IEEE,
        "unique_id": f"{HUE_IEEE}:1:0xfc00",
        "device_id": "abc",
        "endpoint_id": 2,
        "cluster_id": 64512,
        "command": command,
        "args": {
            "button": "on",
            "press_type": press_type,
            "command_id": 0,
            "duration": duration,
        },
        "params": {},
    }


def ikea_event(command: str, args: list[int], params: dict[str, Any]) -> dict[str, Any]:
    """IKEA TRADFRI shortcut button (E1812): Level Control cluster commands."""
    return {
        "device_ieee": IKEA_IEEE,
        "unique_id": f"{IKEA_IEEE}:1:0x0008",
        "device_id": "ikea",
        "endpoint_id": 1,
        "cluster_id": 8,
        "command": command,
        "args": args,  # ZHA puts a cluster command's arguments in a list
        "params": params,
    }


def aqara_event(command: str, value: int) -> dict[str, Any]:
    """Aqara mini switch (WXKG12LM): the quirk's Multistate Input events."""
    return {
        "device_ieee": AQARA_IEEE,
        "unique_id": f"{AQARA_IEEE}:1:0x0012",
        "device_id": "aqara",
        "endpoint_id": 1,
        "cluster_id": 18,
        "command": command,
        "args": {"value": value},
        "params": {},
    }


@pytest.mark.parametrize(("duration", "held_for"), [(8, 0.8), (16, 1.6), (24, 2.4)])
def test_zha_hue_on_hold_carries_its_duration(duration: int, held_for: float) -> None:
    report = zha_report(hue_event("on_hold", "hold", duration), AT)
    assert report == Report(HOLD, AT, pytest.approx(held_for))


def test_zha_hue_releases_and_short_press() -> None:
    # The duration of a release is not a hold report: no back-dating.
    assert zha_report(hue_event("on_long_release", "long_release", 24), AT) == Report(
        RELEASE, AT
    )
    assert zha_report(hue_event("on_short_release", "short_release", 0), AT) == Report(
        SHORT, AT
    )


def test_zha_duration_in_params_is_used_too() -> None:
    data = {"command": "on_hold", "args": [], "params": {"duration": 16}}
    assert zha_report(data, AT) == Report(HOLD, AT, pytest.approx(1.6))


@pytest.mark.parametrize(
    "holder",
    [
        {"args": {"duration": "8"}},
        {"args": {"duration": None}},
        {"args": [8]},
        {"args": "duration=8"},
        {},
    ],
)
def test_zha_hold_without_usable_duration_is_not_back_dated(
    holder: dict[str, Any],
) -> None:
    assert zha_report({"command": "on_hold", **holder}, AT) == Report(HOLD, AT)


def test_zha_ikea_e1812_move_and_stop() -> None:
    move = ikea_event("move_with_on_off", [0, 83], {"move_mode": 0, "rate": 83})
    assert zha_report(move, AT) == Report(PRESS, AT)
    assert zha_report(ikea_event("stop_with_on_off", [], {}), AT) == Report(RELEASE, AT)
    # Older firmware sends a plain `stop`.
    assert zha_report(ikea_event("stop", [], {}), AT) == Report(RELEASE, AT)


@pytest.mark.parametrize(
    ("command", "value", "signal"),
    [
        ("hold", 16, HOLD),
        ("release", 17, RELEASE),
        ("single", 1, SHORT),
        ("double", 2, SHORT),
    ],
)
def test_zha_aqara_mini_switch(command: str, value: int, signal: Signal) -> None:
    assert zha_report(aqara_event(command, value), AT) == Report(signal, AT)


@pytest.mark.parametrize(
    "command",
    [
        "shake",  # Aqara
        "on_press",  # Hue: the initial press (not used)
        "off_with_effect",
        "step_with_on_off",
        "toggle",
        "attribute_updated",
        "",
    ],
)
def test_zha_unknown_command_is_nothing(command: str) -> None:
    assert zha_report(aqara_event(command, 0), AT) is None


@pytest.mark.parametrize("data", [{}, {"command": None}, {"command": 6}, {"args": {}}])
def test_zha_event_without_a_command_is_nothing(data: dict[str, Any]) -> None:
    assert zha_report(data, AT) is None


# -- Z-Wave JS -----------------------------------------------------------------


def zwave_event(value: str, value_raw: int, **over: Any) -> dict[str, Any]:
    """A Central Scene value notification (Aeotec WallMote, Fibaro The Button)."""
    return {**zwave_data("abc", value), "value_raw": value_raw, **over}


@pytest.mark.parametrize(
    ("value", "raw", "signal"),
    [
        ("KeyHeldDown", 2, HOLD),
        ("KeyReleased", 1, RELEASE),
        ("KeyPressed", 0, SHORT),
        ("KeyPressed2x", 3, SHORT),
        ("KeyPressed3x", 4, SHORT),
        ("KeyPressed4x", 5, SHORT),
        ("KeyPressed5x", 6, SHORT),
    ],
)
def test_zwave_central_scene(value: str, raw: int, signal: Signal) -> None:
    assert zwave_report(zwave_event(value, raw), AT) == Report(signal, AT)


@pytest.mark.parametrize(
    ("command_class", "name"),
    [
        (38, "Multilevel Switch"),
        (43, "Scene Activation"),
        (113, "Notification"),
        (37, "Binary Switch"),
        ("91", "Central Scene"),  # must be the integer
    ],
)
def test_zwave_other_command_classes_are_nothing(
    command_class: object, name: str
) -> None:
    data = zwave_event("KeyHeldDown", 2, command_class=command_class)
    data["command_class_name"] = name
    assert zwave_report(data, AT) is None


@pytest.mark.parametrize(
    "data",
    [
        zwave_event("KeyPressed6x", 7),  # not a value we know
        {k: v for k, v in zwave_event("KeyHeldDown", 2).items() if k != "value"},
        zwave_event(None, 2),  # type: ignore[arg-type]
        {"command_class": 91},
    ],
)
def test_zwave_central_scene_without_a_known_value_is_nothing(
    data: dict[str, Any],
) -> None:
    assert zwave_report(data, AT) is None


# -- Zigbee2MQTT ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "signal"),
    [
        ('{"action": "hold", "battery": 100, "linkquality": 120}', HOLD),
        ('{"action":"release","battery":100,"linkquality":120}', RELEASE),
        ('{"action": "single", "battery": 97, "voltage": 3000}', SHORT),
        ('{"action": "emergency", "battery_low": false, "linkquality": 87}', EMERGENCY),
        ("emergency", EMERGENCY),  # the plain `<name>/action` topic
        ("hold", HOLD),
        ("release\n", RELEASE),
        ('  {"action": "HOLD"}  ', HOLD),
        (b'{"action": "hold", "battery": 100}', HOLD),
        (b"emergency", EMERGENCY),
        ('{"action": "sos"}', EMERGENCY),
    ],
)
def test_z2m_actions(payload: str | bytes, signal: Signal) -> None:
    assert z2m_report(payload, AT) == Report(signal, AT)


@pytest.mark.parametrize(
    "payload",
    [
        '{"action": ""}',  # the Zigbee2MQTT 1.x reset after each action
        b'{"action": ""}',
        "",
        "   ",
        '{"action": null}',
        '{"action": 1}',
        '{"action": ["hold"]}',
        '{"action": {"type": "hold"}}',
        '{"battery": 100, "linkquality": 120}',  # a state update without action
        '{"action": "hold"',  # invalid JSON
        "{not json}",
        '["hold"]',  # a JSON list
        '"hold"',  # a JSON string
        "null",
        "42",
        "brightness_move_to_level",  # not a button gesture
        b"\xff\xfe\xfa",  # not UTF-8
        b'{"action": "hold\xff"}',
    ],
)
def test_z2m_payloads_that_are_not_a_report(payload: str | bytes) -> None:
    assert z2m_report(payload, AT) is None


def test_z2m_1x_reset_after_each_action_is_ignored() -> None:
    messages = ['{"action": "hold"}', '{"action": ""}', '{"action": "release"}']
    reports = [z2m_report(m, AT + i) for i, m in enumerate(messages)]
    assert reports == [Report(HOLD, AT), None, Report(RELEASE, AT + 2)]


# -- event entities ------------------------------------------------------------

# What each standard button event type (Home Assistant 2026.8) must mean.
STANDARD_EVENT_TYPES: dict[str, Signal | None] = {
    "press_start": PRESS,
    "press_end": RELEASE,
    "long_press_start": HOLD,
    "long_press_end": RELEASE,
    "multi_press_ongoing": None,  # more presses may follow: wait for the end
    "multi_press_end": SHORT,
}


def test_every_standard_button_event_type_is_decided() -> None:
    assert {str(t) for t in ButtonEventType} == set(STANDARD_EVENT_TYPES)


@pytest.mark.parametrize(("event_type", "signal"), STANDARD_EVENT_TYPES.items())
def test_event_entity_standard_types(event_type: str, signal: Signal | None) -> None:
    expected = None if signal is None else Report(signal, AT)
    assert event_entity_report(event_type, AT) == expected
    assert event_entity_report(ButtonEventType(event_type), AT) == expected


@pytest.mark.parametrize(
    ("event_type", "signal"),
    [
        ("KeyHeldDown", HOLD),  # Z-Wave JS event entities use the raw names
        ("KeyReleased", RELEASE),
        ("KeyPressed", SHORT),
        ("KeyPressed2x", SHORT),
        ("single", SHORT),  # Zigbee2MQTT / ZHA style names
        ("hold", HOLD),
        ("release", RELEASE),
        ("emergency", EMERGENCY),
    ],
)
def test_event_entity_raw_names(event_type: str, signal: Signal) -> None:
    assert event_entity_report(event_type, AT) == Report(signal, AT)


@pytest.mark.parametrize("event_type", ["ring", "motion", "", None, 3, "unknown"])
def test_event_entity_other_types_are_nothing(event_type: object) -> None:
    assert event_entity_report(event_type, AT) is None


# -- binary_sensor -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "signal"),
    [
        ("off", "on", PRESS),
        ("on", "off", RELEASE),
        # Coming back from a restart or a radio reconnect is not a press ...
        ("unavailable", "on", None),
        ("unknown", "on", None),
        (None, "on", None),
        ("unavailable", "off", None),
        ("unknown", "off", None),
        (None, "off", None),
        # ... and dropping off the network is not a release.
        ("on", "unavailable", None),
        ("on", "unknown", None),
        ("off", "unavailable", None),
        # No edge (attribute-only change).
        ("on", "on", None),
        ("off", "off", None),
    ],
)
def test_binary_sensor_edges(old: str | None, new: str, signal: Signal | None) -> None:
    expected = None if signal is None else Report(signal, AT)
    assert binary_sensor_report(old, new, AT) == expected


# -- robustness ----------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
names = st.sampled_from(sorted(SIGNAL_NAMES)) | st.text(max_size=20)
event_data = st.dictionaries(
    st.sampled_from(
        ["command", "args", "params", "value", "command_class", "device_id", "x"]
    ),
    json_values | names,
    max_size=6,
)


@settings(max_examples=200, deadline=None)
@given(data=event_data, at=st.floats(0, 4e9))
def test_bus_adapters_never_raise_and_keep_the_time(
    data: dict[str, Any], at: float
) -> None:
    for adapt in (zha_report, zwave_report):
        report = adapt(data, at)
        assert report is None or report.at == at


@settings(max_examples=200, deadline=None)
@given(
    payload=st.text(max_size=60) | st.binary(max_size=60) | json_values.map(json.dumps)
)
def test_z2m_never_raises(payload: str | bytes) -> None:
    report = z2m_report(payload, AT)
    assert report is None or report.at == AT


@settings(max_examples=100, deadline=None)
@given(
    name=st.sampled_from(sorted(SIGNAL_NAMES)),
    extra=st.dictionaries(
        st.sampled_from(["battery", "linkquality", "voltage"]), st.integers()
    ),
    as_bytes=st.booleans(),
)
def test_z2m_json_action_round_trip(
    name: str, extra: dict[str, int], as_bytes: bool
) -> None:
    text = json.dumps({"action": name, **extra})
    payload: str | bytes = text.encode() if as_bytes else text
    assert z2m_report(payload, AT) == Report(SIGNAL_NAMES[name], AT)


@settings(max_examples=100, deadline=None)
@given(old=st.none() | st.text(max_size=12), new=st.text(max_size=12))
def test_binary_sensor_only_real_edges_count(old: str | None, new: str) -> None:
    report = binary_sensor_report(old, new, AT)
    unreal = {"unavailable", "unknown"}
    if old is None or old in unreal or new in unreal or old == new:
        assert report is None
    else:
        assert report == Report(PRESS if new == "on" else RELEASE, AT)


# -- adapters and detector together --------------------------------------------


def run(
    profile: ButtonProfile,
    reports: list[Report | None],
    *,
    release_gap: float = 0.4,
    horizon: float = AT + 300,
) -> list[Outcome]:
    """Feed adapted reports (None: the device spoke, not as a button) and tick."""
    det = HoldDetector(profile, HoldTiming(release_gap=release_gap))
    outcomes: list[Outcome] = []
    for report in reports:
        if report is None:
            continue
        while (d := det.deadline) is not None and d < report.at:
            outcomes += det.tick(d)
        outcomes += det.feed(report)
    while (d := det.deadline) is not None and d <= horizon:
        outcomes += det.tick(d)
    return outcomes


def test_hue_hold_through_zha_alarms_at_the_real_press_plus_threshold() -> None:
    """The press is never reported; the first `on_hold` comes 0.8 s after it."""
    events = [
        (0.8, hue_event("on_hold", "hold", 8)),
        (1.6, hue_event("on_hold", "hold", 16)),
        (2.4, hue_event("on_hold", "hold", 24)),
        (2.7, hue_event("on_long_release", "long_release", 27)),
    ]
    for profile, gap in (
        (ButtonProfile.PRESS_RELEASE, 0.4),
        (ButtonProfile.REPEATED_HELD, 1.2),
    ):
        outcomes = run(
            profile, [zha_report(e, AT + t) for t, e in events], release_gap=gap
        )
        assert [o.verdict for o in outcomes] == [Verdict.ALARM]
        assert outcomes[0].at == pytest.approx(AT + 2.0, abs=1e-6)
        assert outcomes[0].held == pytest.approx(2.0, abs=1e-6)


def test_hue_hold_released_before_threshold_is_short_through_zha() -> None:
    events = [
        (0.8, hue_event("on_hold", "hold", 8)),
        (1.6, hue_event("on_hold", "hold", 16)),
        (1.7, hue_event("on_long_release", "long_release", 17)),
    ]
    for profile, gap in (
        (ButtonProfile.PRESS_RELEASE, 0.4),
        (ButtonProfile.REPEATED_HELD, 1.2),
    ):
        outcomes = run(
            profile, [zha_report(e, AT + t) for t, e in events], release_gap=gap
        )
        assert [o.verdict for o in outcomes] == [Verdict.SHORT_PRESS]
        assert outcomes[0].held == pytest.approx(1.7, abs=1e-6)


def test_zwave_hold_through_value_notifications() -> None:
    held = [
        zwave_report(zwave_event("KeyHeldDown", 2), AT + i * 0.2) for i in range(16)
    ]
    # A phantom KeyReleased in the middle, then the real one at 3.1 s.
    stray = zwave_report(zwave_event("KeyReleased", 1), AT + 1.05)
    real = zwave_report(zwave_event("KeyReleased", 1), AT + 3.1)
    reports = [*held[:6], stray, *held[6:], real]
    outcomes = run(ButtonProfile.REPEATED_HELD, reports)
    assert outcomes == [Outcome(Verdict.ALARM, AT + 2.0, 2.0, due=AT + 2.0)]


def test_zigbee2mqtt_1x_hold_and_release_with_resets() -> None:
    messages = [
        (0.0, '{"action": "hold", "battery": 100, "linkquality": 120}'),
        (0.01, '{"action": "", "battery": 100, "linkquality": 120}'),
        (2.5, '{"action": "release", "battery": 100, "linkquality": 120}'),
        (2.51, '{"action": "", "battery": 100, "linkquality": 120}'),
    ]
    reports = [z2m_report(m, AT + t) for t, m in messages]
    outcomes = run(ButtonProfile.PRESS_RELEASE, reports)
    assert outcomes == [Outcome(Verdict.ALARM, AT + 2.0, 2.0, due=AT + 2.0)]


def test_tuya_sos_emergency_retransmitted_is_one_alarm() -> None:
    messages = [
        (0.0, b'{"action": "emergency"}'),
        (0.04, b'{"action": "emergency"}'),
        (0.9, b'{"action": "emergency"}'),
    ]
    reports = [z2m_report(m, AT + t) for t, m in messages]
    outcomes = run(ButtonProfile.SINGLE_SHOT, reports)
    assert outcomes == [Outcome(Verdict.ALARM, AT, 0.0, due=AT)]


def test_ias_sos_binary_sensor_single_shot() -> None:
    """An IAS zone SOS button: on once, maybe never off; a reconnect is not a press."""
    edges = [
        (0.0, "off", "on"),
        (30.0, "on", "unavailable"),
        (90.0, "unavailable", "on"),  # back online, still on: not a press
        (200.0, "on", "off"),
        (260.0, "off", "on"),  # a new press
    ]
    reports = [binary_sensor_report(old, new, AT + t) for t, old, new in edges]
    outcomes = run(ButtonProfile.SINGLE_SHOT, reports)
    assert outcomes == [
        Outcome(Verdict.ALARM, AT, 0.0, due=AT),
        Outcome(Verdict.ALARM, AT + 260, 0.0, due=AT + 260),
    ]


def test_binary_sensor_held_button_press_release() -> None:
    reports = [
        binary_sensor_report("off", "on", AT),
        binary_sensor_report("on", "off", AT + 1.2),
    ]
    assert run(ButtonProfile.PRESS_RELEASE, reports) == [
        Outcome(Verdict.SHORT_PRESS, AT + 1.2, pytest.approx(1.2, abs=1e-6))
    ]


def test_event_entity_long_press_without_press_start() -> None:
    """Some integrations send only long_press_start / long_press_end."""
    reports = [
        event_entity_report("long_press_start", AT),
        event_entity_report("long_press_end", AT + 2.5),
        event_entity_report("press_start", AT + 10),
        event_entity_report("press_end", AT + 10.3),
        event_entity_report("multi_press_ongoing", AT + 10.4),
        event_entity_report("multi_press_end", AT + 10.6),
    ]
    outcomes = run(ButtonProfile.PRESS_RELEASE, reports)
    assert [(o.verdict, round(o.at - AT, 3)) for o in outcomes] == [
        (Verdict.ALARM, 2.0),
        (Verdict.SHORT_PRESS, 10.3),
        (Verdict.SHORT_PRESS, 10.6),
    ]


@pytest.mark.parametrize(
    ("action", "signal"),
    [
        ("brightness_move_up", Signal.PRESS),
        ("brightness_move_down", Signal.PRESS),
        ("brightness_stop", Signal.RELEASE),
    ],
)
def test_z2m_ikea_e1812_hold_and_release(action: str, signal: Signal) -> None:
    """IKEA E1812 through Zigbee2MQTT: hold is brightness_move_*, release _stop."""
    report = z2m_report(f'{{"action": "{action}", "battery": 87}}', 1.0)
    assert report == Report(signal, 1.0)
