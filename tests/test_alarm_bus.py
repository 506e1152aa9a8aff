"""Hold detection end to end: real event shapes on Home Assistant's bus → incidents.

Time is frozen and advanced by hand; `async_fire_time_changed` runs the
detectors' deadline timers exactly as the real event loop would.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_mqtt_message,
)

from custom_components.raadhus_alarm.buttons import LAST_SLEEP
from custom_components.raadhus_alarm.const import (
    EVENT_INCIDENT,
    EVENT_SHORT_PRESS,
)

from .bus import advance, zha_data, zwave_data
from .world import (
    START,
    World,
    async_build_world,
    async_setup_town_hall,
    async_teardown_world,
    town_hall_options,
)


@pytest.fixture
async def entry(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> MockConfigEntry:
    """A loaded town hall with a button of every kind."""
    entry = await async_setup_town_hall(hass, town_hall_options(world))
    return entry


def zha(
    hass: HomeAssistant,
    device_id: str,
    command: str,
    time_fired: float | None = None,
    **args: Any,
) -> None:
    """Fire a zha_event as ZHA does for a remote's button."""
    hass.bus.async_fire(
        "zha_event", zha_data(device_id, command, args), time_fired=time_fired
    )


def zwave(hass: HomeAssistant, device_id: str, value: str) -> None:
    """Fire a Central Scene value notification as Z-Wave JS does."""
    hass.bus.async_fire("zwave_js_value_notification", zwave_data(device_id, value))


def alarm_on(hass: HomeAssistant, room: str) -> bool:
    """Whether the room's alarm binary sensor is on."""
    state = hass.states.get(f"binary_sensor.{room}_alarm")
    assert state is not None
    return state.state == "on"


@pytest.fixture
def incidents(hass: HomeAssistant) -> list[Event]:
    """Every raadhus_alarm_incident fired."""
    return async_capture_events(hass, EVENT_INCIDENT)


@pytest.fixture
def shorts(hass: HomeAssistant) -> list[Event]:
    """Every short press logged."""
    return async_capture_events(hass, EVENT_SHORT_PRESS)


# -- ZHA press-and-release ---------------------------------------------------


async def test_zha_hold_1_99_seconds_is_a_short_press(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    shorts: list[Event],
) -> None:
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 1.99)
    assert not alarm_on(hass, "kontaktrum_1")
    zha(hass, world.zha_buttons[0], "release")
    await hass.async_block_till_done()
    await advance(hass, freezer, 5)
    assert not alarm_on(hass, "kontaktrum_1")
    assert incidents == []
    assert [e.data["hold_seconds"] for e in shorts] == [1.99]
    event_state = hass.states.get("event.knap_zha1_press")
    assert event_state is not None
    assert event_state.attributes["event_type"] == "short_press"


@pytest.mark.parametrize("held", [2.0, 2.01])
async def test_zha_hold_reaching_threshold_alarms_at_the_threshold(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    held: float,
) -> None:
    pressed = dt_util.utcnow()
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 1.99)
    assert incidents == []
    await advance(hass, freezer, held - 1.99)
    # Still held: the alarm does not wait for the release.
    assert alarm_on(hass, "kontaktrum_1")
    (event,) = incidents
    assert event.data["room_name"] == "Kontaktrum 1"
    assert event.data["state"] == "triggered"
    assert event.data["previous_state"] is None
    assert event.data["change"] == "created"
    assert event.data["hold_seconds"] == 2.0
    assert event.data["trigger_source"] == world.zha_buttons[0]
    assert event.data["drill"] is False
    assert dt_util.parse_datetime(event.data["time"]) == pressed + timedelta(seconds=2)
    zha(hass, world.zha_buttons[0], "release")
    await advance(hass, freezer, 1)
    assert len(incidents) == 1
    assert alarm_on(hass, "kontaktrum_1")  # stays until someone resolves it
    state = hass.states.get("sensor.kontaktrum_1_incident_state")
    assert state is not None
    assert state.state == "triggered"


async def test_zha_lost_release_still_alarms_and_recovers(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    """Xiaomi-style: the release never comes. The alarm fires; the button recovers."""
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    assert len(incidents) == 1
    await advance(hass, freezer, 120)  # release never arrives
    watcher = entry.runtime_data.buttons.watchers["zha1"]
    assert not watcher.detector.holding


async def test_zha_retransmission_and_second_press_join(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    zha(hass, world.zha_buttons[0], "hold")
    zha(hass, world.zha_buttons[0], "hold")  # radio retransmission
    await advance(hass, freezer, 2)
    zha(hass, world.zha_buttons[0], "release")
    zha(hass, world.zha_buttons[0], "release")
    await advance(hass, freezer, 1)
    assert [e.data["change"] for e in incidents] == ["created"]
    # A second real hold in the same room joins the open incident.
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.5)
    assert [e.data["change"] for e in incidents] == ["created", "joined"]
    assert incidents[1].data["incident_id"] == incidents[0].data["incident_id"]
    assert incidents[1].data["joins"] == 1
    assert len(entry.runtime_data.core.book.open_incidents()) == 1


async def test_hue_style_back_dated_hold(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    """No press report; the first on_hold says it has been held 0.8 s already."""
    pressed = dt_util.utcnow()
    await advance(hass, freezer, 0.8)
    zha(hass, world.zha_buttons[0], "on_hold", button="on", duration=8)
    await advance(hass, freezer, 0.8)
    zha(hass, world.zha_buttons[0], "on_hold", button="on", duration=16)
    await advance(hass, freezer, 0.4)
    assert len(incidents) == 1
    assert dt_util.parse_datetime(incidents[0].data["time"]) == pressed + timedelta(
        seconds=2
    )


async def test_unknown_zha_command_and_other_devices_are_ignored(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    zha(hass, world.zha_buttons[0], "identify")
    zha(hass, world.zha_buttons[2], "hold")  # not configured as a button
    await advance(hass, freezer, 5)
    assert incidents == []
    assert entry.runtime_data.buttons.watchers["zha1"].last_seen is not None


# -- Z-Wave JS repeated "held" -----------------------------------------------


async def _zwave_hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, device: str, seconds: float
) -> None:
    """KeyHeldDown every 200 ms for `seconds` (no KeyPressed before a hold)."""
    steps = round(seconds / 0.2)
    for i in range(steps + 1):
        zwave(hass, device, "KeyHeldDown")
        await hass.async_block_till_done()
        if i < steps:
            await advance(hass, freezer, 0.2)


async def test_zwave_held_1_99_seconds_no_alarm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    shorts: list[Event],
) -> None:
    await _zwave_hold(hass, freezer, world.zwave_buttons[0], 1.8)
    await advance(hass, freezer, 0.19)
    zwave(hass, world.zwave_buttons[0], "KeyReleased")
    await advance(hass, freezer, 2)
    assert incidents == []
    assert [e.data["hold_seconds"] for e in shorts] == [1.99]


async def test_zwave_held_2_seconds_alarms_at_2(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    pressed = dt_util.utcnow()
    await _zwave_hold(hass, freezer, world.zwave_buttons[0], 1.8)
    await advance(hass, freezer, 0.2)
    assert len(incidents) == 1
    assert incidents[0].data["room_name"] == "Kontaktrum 2"
    assert dt_util.parse_datetime(incidents[0].data["time"]) == pressed + timedelta(
        seconds=2
    )
    assert alarm_on(hass, "kontaktrum_2")


async def test_zwave_stray_release_is_ignored(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    device = world.zwave_buttons[0]
    await _zwave_hold(hass, freezer, device, 1.0)
    zwave(hass, device, "KeyReleased")  # invented by zwave-js while still held
    await advance(hass, freezer, 0.2)
    await _zwave_hold(hass, freezer, device, 1.0)
    assert len(incidents) == 1


async def test_zwave_repeats_stopping_is_a_release(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    shorts: list[Event],
) -> None:
    """Reports stop at 1.0 s and the real release is lost: no alarm."""
    await _zwave_hold(hass, freezer, world.zwave_buttons[0], 1.0)
    await advance(hass, freezer, 3)
    assert incidents == []
    assert len(shorts) == 1


async def test_zwave_other_command_class_ignored(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    hass.bus.async_fire(
        "zwave_js_value_notification",
        {"device_id": world.zwave_buttons[0], "command_class": 43, "value": 2},
    )
    await advance(hass, freezer, 3)
    assert incidents == []


# -- event entities, binary sensors --------------------------------------------


def fire_event_entity(hass: HomeAssistant, entity_id: str, event_type: str) -> None:
    """Write an event entity's state as EventEntity does."""
    hass.states.async_set(
        entity_id,
        dt_util.utcnow().isoformat(timespec="milliseconds"),
        {"event_types": ["press_start", "press_end"], "event_type": event_type},
    )


async def test_event_entity_standard_types(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    shorts: list[Event],
) -> None:
    fire_event_entity(hass, "event.knap_1_action", "press_start")
    await advance(hass, freezer, 1.0)
    fire_event_entity(hass, "event.knap_1_action", "press_end")
    await advance(hass, freezer, 3)
    assert incidents == []
    assert len(shorts) == 1
    fire_event_entity(hass, "event.knap_1_action", "long_press_start")
    await advance(hass, freezer, 2)
    assert len(incidents) == 1
    assert incidents[0].data["room_name"] == "Akutrum 2"


async def test_a_button_that_drops_off_mid_hold_still_alarms(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    """Held, then unavailable before 2 s: unavailability is no release (README)."""
    fire_event_entity(hass, "event.knap_1_action", "long_press_start")
    await advance(hass, freezer, 1.0)
    hass.states.async_set("event.knap_1_action", "unavailable")
    await advance(hass, freezer, 0.99)
    assert incidents == []
    await advance(hass, freezer, 0.01)
    (event,) = incidents
    assert event.data["hold_seconds"] == 2.0


async def test_event_entity_restored_state_is_not_a_press(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    old = (dt_util.utcnow() - timedelta(hours=1)).isoformat()
    hass.states.async_set("event.knap_1_action", "unavailable")
    hass.states.async_set(
        "event.knap_1_action", old, {"event_type": "long_press_start"}
    )
    await advance(hass, freezer, 5)
    assert incidents == []


async def test_event_entity_coming_back_is_not_a_new_report(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    shorts: list[Event],
) -> None:
    """An event entity that drops off writes its last event back: never a press."""
    fire_event_entity(hass, "event.knap_1_action", "press_start")
    started = hass.states.get("event.knap_1_action")
    assert started is not None
    await advance(hass, freezer, 0.5)
    fire_event_entity(hass, "event.knap_1_action", "single")  # a short press
    last = hass.states.get("event.knap_1_action")
    assert last is not None
    await advance(hass, freezer, 0.5)
    assert len(shorts) == 1
    # The device drops off and comes back 1 s later, its last event restored
    # (fresh: under 10 s old), then an older one written back.
    for restored in (last, started):
        hass.states.async_set("event.knap_1_action", "unavailable")
        await advance(hass, freezer, 0.5)
        hass.states.async_set(
            "event.knap_1_action", restored.state, restored.attributes
        )
        await advance(hass, freezer, 0.5)
    await advance(hass, freezer, 5)
    assert len(shorts) == 1
    assert incidents == []
    # A real new event after that is a report again.
    fire_event_entity(hass, "event.knap_1_action", "long_press_start")
    await advance(hass, freezer, 2)
    assert len(incidents) == 1


async def test_binary_sensor_single_shot_and_unavailable(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    sos = "binary_sensor.sos_knap"
    hass.states.async_set(sos, "unavailable")  # going unavailable is no press
    await advance(hass, freezer, 1)
    hass.states.async_set(sos, "off")  # nor is coming back as it was
    await advance(hass, freezer, 1)
    hass.states.async_set(sos, "unknown")  # Home Assistant lost track of it...
    hass.states.async_set(sos, "on")  # ...so a restored "on" is no edge
    await advance(hass, freezer, 3)
    assert incidents == []
    hass.states.async_set(sos, "off")
    await advance(hass, freezer, 3)
    hass.states.async_set(sos, "on")  # a real SOS
    await hass.async_block_till_done()
    assert len(incidents) == 1
    assert incidents[0].data["room_name"] == "Venteområde"
    assert incidents[0].data["hold_seconds"] is None
    assert alarm_on(hass, "venteomrade")


async def test_binary_sensor_pressed_while_unreachable_is_a_press(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    """off → unavailable → on: the SOS press woke the sleepy device up."""
    hass.states.async_set("binary_sensor.sos_knap", "unavailable")
    await advance(hass, freezer, 60)
    assert incidents == []
    hass.states.async_set("binary_sensor.sos_knap", "on")
    await hass.async_block_till_done()
    assert len(incidents) == 1


# -- Zigbee2MQTT through Home Assistant's MQTT integration ---------------------


async def test_zigbee2mqtt_sos_through_mqtt(
    hass: HomeAssistant,
    mqtt_mock: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    freezer.move_to(START)
    mqtt_entry = hass.config_entries.async_entries("mqtt")[0]
    world = await async_build_world(hass, mqtt_entry=mqtt_entry)
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    await async_setup_town_hall(hass, town_hall_options(world))

    topic = "zigbee2mqtt/SOS akutrum 1"
    # A retained message replayed by the broker is history, not a press.
    async_fire_mqtt_message(hass, topic, '{"action": "emergency"}', retain=True)
    # Zigbee2MQTT 1.x's empty reset after each action is nothing.
    async_fire_mqtt_message(hass, topic, '{"action": "", "battery": 90}')
    await hass.async_block_till_done()
    assert incidents == []
    async_fire_mqtt_message(
        hass, topic, '{"action": "emergency", "battery": 90, "linkquality": 120}'
    )
    async_fire_mqtt_message(hass, topic, '{"action": "emergency"}')  # retransmitted
    await hass.async_block_till_done()
    assert [e.data["room_name"] for e in incidents] == ["Akutrum 1"]
    await async_teardown_world(hass)


@pytest.mark.parametrize("fraction", [0.12345678, 0.33333337, 0.77777771, 0.99999989])
async def test_alarm_at_threshold_with_fractional_press_times(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    fraction: float,
) -> None:
    """Deadlines between two microseconds still fire at the threshold.

    Regression: the timer's datetime was rounded below the deadline, the tick
    decided nothing and the timer re-armed for the same instant until release.
    """
    # A real clock has sub-microsecond precision; the frozen one does not.
    pressed = dt_util.utcnow().timestamp() + fraction
    freezer.tick(timedelta(seconds=fraction))
    zha(hass, world.zha_buttons[0], "hold", time_fired=pressed)
    await hass.async_block_till_done()
    for _ in range(4):  # let the timer fire (and, were it re-armed, re-fire)
        await advance(hass, freezer, 0.5)
    assert len(incidents) == 1, "the alarm must not wait for the release"
    assert incidents[0].data["hold_seconds"] == 2.0


async def test_a_hold_wakes_once_shortly_before_its_deadline(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
) -> None:
    """The last sleep before the threshold is short, so the kernel keeps it.

    Linux lets a sleep overrun by 0.1 % of its length: a 2 s sleep wakes up to
    2 ms late, a 50 ms one 50 µs. So the hold's timer wakes at 1.95 s, decides
    nothing, and sleeps the last 50 ms.
    """
    watcher = entry.runtime_data.buttons.watchers["zha1"]
    loop = hass.loop
    zha(hass, world.zha_buttons[0], "hold")
    await hass.async_block_till_done()
    timer = watcher._timer
    assert timer is not None
    assert timer.when() - loop.time() == pytest.approx(2.0 - LAST_SLEEP, abs=0.01)
    await advance(hass, freezer, 2.0 - LAST_SLEEP)
    assert incidents == []
    assert watcher._timer is not None
    assert watcher._timer is not timer
    assert watcher._timer.when() - loop.time() == pytest.approx(LAST_SLEEP, abs=0.01)
    await advance(hass, freezer, LAST_SLEEP)
    (event,) = incidents
    assert event.data["hold_seconds"] == 2.0
    zha(hass, world.zha_buttons[0], "release")
    await async_teardown_world(hass)
