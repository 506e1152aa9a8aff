"""Hostile bus input: random payloads of every source through the real bus.

Hypothesis draws the payloads (JSON of any shape, huge and non-finite numbers,
deep nesting, random bytes, the real command names with garbage beside them);
each source gets at least 10,000 events through Home Assistant's bus (MQTT
through the MQTT integration's dispatch). The clock stands still and no
payload carries an emergency or a believable hold length, so no payload may
raise an alarm; none may leave a traceback or an error in the log.
"""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_mqtt_message,
)

from custom_components.raadhus_alarm.const import EVENT_INCIDENT
from custom_components.raadhus_alarm.hold import Signal
from custom_components.raadhus_alarm.sources import SIGNAL_NAMES

from .world import (
    START,
    World,
    async_build_world,
    async_setup_town_hall,
    async_teardown_world,
    button,
    town_hall_options,
)

PER_SOURCE = 10_000
BATCH = 10
# Real names that do not alarm by themselves (no emergency; time stands still).
HARMLESS = sorted(n for n, s in SIGNAL_NAMES.items() if s is not Signal.EMERGENCY)
EMERGENCY_NAMES = frozenset(n for n, s in SIGNAL_NAMES.items() if s is Signal.EMERGENCY)


def _not_an_emergency(value: str | bytes) -> bool:
    """A random text that happens to read "SOS" is a real emergency report."""
    text = value.decode(errors="replace") if isinstance(value, bytes) else value
    return text.strip().lower() not in EMERGENCY_NAMES


def texts(max_size: int) -> st.SearchStrategy[str]:
    """Random text, never exactly an emergency name."""
    return st.text(max_size=max_size).filter(_not_an_emergency)


TOPIC = "zigbee2mqtt/SOS akutrum 1"

scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**40), 10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from([-1e308, 1e308, -0.0, 2**63, -(2**63)])
    | texts(30)
    | st.sampled_from(HARMLESS)
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=6,
)
# Durations no real button sends: negative, non-finite, absurd, not numbers.
bad_durations = (
    st.floats(max_value=-0.01)
    | st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, -1e308])
    | st.integers(min_value=6001, max_value=10**30)
    | st.text(max_size=5)
    | st.lists(st.integers(), max_size=3)
)


def draw_many(strategy: st.SearchStrategy[Any], count: int) -> list[Any]:
    """At least `count` values drawn by Hypothesis (in batches)."""
    drawn: list[Any] = []

    @settings(
        max_examples=count // BATCH + 20,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.lists(strategy, min_size=BATCH, max_size=BATCH))
    def collect(batch: list[Any]) -> None:
        drawn.extend(batch)

    while len(drawn) < count:
        collect()
    return drawn


def zha_payloads(devices: list[str]) -> st.SearchStrategy[Any]:
    known = st.sampled_from(devices)
    return st.one_of(
        st.dictionaries(st.text(max_size=12), json_values, max_size=6),
        st.fixed_dictionaries(
            {"device_id": known | json_values, "command": json_values},
            optional={"args": json_values, "params": json_values},
        ),
        st.fixed_dictionaries(
            {
                "device_id": known,
                "command": st.sampled_from(["hold", "on_hold", "long_press"]),
                "args": st.fixed_dictionaries({"duration": bad_durations}),
            }
        ),
    )


def zwave_payloads(devices: list[str]) -> st.SearchStrategy[Any]:
    return st.fixed_dictionaries(
        {
            "device_id": st.sampled_from(devices) | json_values,
            "command_class": st.sampled_from([91, "91", 91.0]) | json_values,
            "value": json_values,
        },
        optional={"value_raw": json_values, "property_key": json_values},
    )


def mqtt_payloads() -> st.SearchStrategy[Any]:
    deep = st.integers(100, 5000).map(lambda n: "[" * n + "]" * n)
    return st.one_of(
        st.binary(max_size=64).filter(_not_an_emergency),
        texts(40),
        json_values.map(repr),
        st.dictionaries(st.just("action"), json_values, min_size=1).map(
            lambda d: __import__("json").dumps(d, default=str)
        ),
        deep,
        st.just('{"action": ' + "9" * 5000 + "}"),
    )


def event_states() -> st.SearchStrategy[Any]:
    return st.tuples(
        texts(40)
        | st.sampled_from(
            [
                "unavailable",
                "unknown",
                "2026-11-23T10:00:00+00:00",
                "2026-11-23T09:59:55.123+00:00",
                "1970-01-01T00:00:00+00:00",
                "9999-12-31T23:59:59+00:00",
                "2026-13-45T99:99:99",
            ]
        ),
        st.dictionaries(
            st.sampled_from(["event_type", "event_types", "junk"]), json_values
        ),
    )


def binary_states() -> st.SearchStrategy[Any]:
    return st.sampled_from(["on", "off", "unavailable", "unknown", "", "ON", "1"]) | (
        st.text(max_size=10)
    )


def phone_actions() -> st.SearchStrategy[Any]:
    ours = st.tuples(
        st.sampled_from(["ACK", "ON_SCENE", "RESOLVE", "X"]), st.text(max_size=20)
    ).map(lambda p: f"RAADHUS_{p[0]}_{p[1]}")
    return st.dictionaries(
        st.sampled_from(["action", "tag", "reply_text"]),
        ours | json_values,
        max_size=3,
    )


@pytest.fixture
async def entry(
    hass: HomeAssistant, mqtt_mock: Any, freezer: FrozenDateTimeFactory
) -> Any:
    """A town hall whose buttons alarm only on a hold (not on any frame)."""
    freezer.move_to(START)
    world: World = await async_build_world(
        hass, mqtt_entry=hass.config_entries.async_entries("mqtt")[0]
    )
    options = town_hall_options(world)
    options["buttons"] = [
        button("zha1", "k1", "zha", "press_release", device_id=world.zha_buttons[0]),
        button("zha2", "k2", "zha", "repeated_held", device_id=world.zha_buttons[1]),
        button(
            "zw1", "a1", "zwave_js", "repeated_held", device_id=world.zwave_buttons[0]
        ),
        button(
            "z2m1",
            "a2",
            "zigbee2mqtt",
            "press_release",
            device_id=world.mqtt_buttons[0],
            mqtt_topic=TOPIC,
        ),
        button("ev1", "v", "event", "press_release", entity_id="event.knap_1_action"),
        button(
            "bs1",
            "v",
            "binary_sensor",
            "press_release",
            entity_id="binary_sensor.sos_knap",
        ),
    ]
    loaded: MockConfigEntry = await async_setup_town_hall(hass, options)
    await hass.async_block_till_done()
    yield loaded, world
    await async_teardown_world(hass)


async def test_hostile_input_of_every_source(
    hass: HomeAssistant, entry: Any, caplog: pytest.LogCaptureFixture
) -> None:
    loaded, world = entry
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    devices = [*world.zha_buttons[:2], "not-a-device"]
    fired: dict[str, int] = {}

    async def drive(
        name: str, payloads: list[Any], fire: Callable[[Any], None]
    ) -> None:
        for n, payload in enumerate(payloads, start=1):
            fire(payload)
            if n % 500 == 0:
                await hass.async_block_till_done()
        await hass.async_block_till_done()
        fired[name] = len(payloads)

    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="custom_components.raadhus_alarm")
    await drive(
        "zha",
        draw_many(zha_payloads(devices), PER_SOURCE),
        lambda data: hass.bus.async_fire("zha_event", data),
    )
    await drive(
        "zwave_js",
        draw_many(zwave_payloads([world.zwave_buttons[0], "x"]), PER_SOURCE),
        lambda data: hass.bus.async_fire("zwave_js_value_notification", data),
    )
    await drive(
        "zigbee2mqtt",
        draw_many(mqtt_payloads(), PER_SOURCE),
        lambda payload: async_fire_mqtt_message(hass, TOPIC, payload),
    )
    await drive(
        "event",
        draw_many(event_states(), PER_SOURCE),
        lambda s: hass.states.async_set("event.knap_1_action", s[0], s[1]),
    )
    await drive(
        "binary_sensor",
        draw_many(binary_states(), PER_SOURCE),
        lambda s: hass.states.async_set("binary_sensor.sos_knap", s),
    )
    await drive(
        "phone_action",
        draw_many(phone_actions(), PER_SOURCE),
        lambda data: hass.bus.async_fire(
            "mobile_app_notification_action", data, context=Context(user_id="nobody")
        ),
    )

    assert all(count >= PER_SOURCE for count in fired.values()), fired
    assert len(fired) == 6
    assert incidents == []
    assert len(loaded.runtime_data.core.book) == 0
    tracebacks = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == []
    ours = [r for r in caplog.records if r.name.startswith("custom_components")]
    # Dropped input: at most one debug line per source (rate-limited).
    assert len([r for r in ours if "malformed" in r.getMessage()]) <= 6
