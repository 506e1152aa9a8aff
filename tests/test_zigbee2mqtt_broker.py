"""Zigbee2MQTT through a real Mosquitto broker and Home Assistant's MQTT client.

A Mosquitto is started on a free loopback port for each test and the real
MQTT integration connects to it; messages are published to the broker as
Zigbee2MQTT publishes them and travel back through it to the integration.
Covered: the `zigbee2mqtt/<name>` state topic, the `zigbee2mqtt/<name>/action`
topic, and the `event` entity Zigbee2MQTT creates through MQTT discovery.

Holds are timed on a frozen clock advanced by hand; the only real waiting is
for a message to come back from the broker (I/O, not time being simulated).

Needs the `mosquitto` binary (Debian package `mosquitto`); `.ci/run` installs
it and sets RAADHUS_REQUIRE_BROKER=1, so in CI a missing broker fails.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Iterator
from datetime import timedelta
import json
import os
from pathlib import Path
import shutil
import socket
import subprocess
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import mqtt
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.raadhus_alarm.const import EVENT_INCIDENT

from .bus import advance
from .world import START, async_setup_town_hall, button, room

IEEE = "0x00158d0001a2b3c4"
NAME = "Knap kontaktrum"  # the device's friendly name in Zigbee2MQTT
DEVICE = {
    "identifiers": [f"zigbee2mqtt_{IEEE}"],
    "manufacturer": "Aqara",
    "model": "Wireless mini switch",
    "model_id": "WXKG11LM",
    "name": NAME,
    "via_device": "zigbee2mqtt_bridge_0x00124b0000000000",
}


def _mosquitto() -> str | None:
    return shutil.which("mosquitto") or next(
        (p for p in ("/usr/sbin/mosquitto", "/usr/bin/mosquitto") if Path(p).exists()),
        None,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def broker(socket_enabled: None, tmp_path: Path) -> Iterator[int]:
    """A real Mosquitto on a free loopback port; yields the port."""
    binary = _mosquitto()
    if binary is None:
        if os.environ.get("RAADHUS_REQUIRE_BROKER"):
            pytest.fail("mosquitto is not installed (apt-get install mosquitto)")
        pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
    port = _free_port()
    # MQTT reads its YAML part on set-up; this test's config folder (tmp_path,
    # see conftest) has none.
    (tmp_path / "configuration.yaml").write_text("")
    conf = tmp_path / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n"
    )
    process = subprocess.Popen(
        [binary, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("mosquitto did not start") from None
            time.sleep(0.02)
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
async def mqtt_entry(
    hass: HomeAssistant, broker: int
) -> AsyncGenerator[MockConfigEntry]:
    """Home Assistant's real MQTT integration, connected to the broker.

    Set up on the real clock (its connect waits on it); a test that times a
    hold asks for the frozen clock after this fixture.
    """
    entry = MockConfigEntry(
        domain="mqtt",
        data={"broker": "127.0.0.1", "port": broker, "discovery": True},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    assert await mqtt.async_wait_for_mqtt_client(hass)
    await _until(hass, lambda: mqtt.is_connected(hass))
    yield entry
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def _io(hass: HomeAssistant) -> None:
    """Let 5 ms of real time pass for the broker's I/O.

    The frozen clock also stops the event loop's timers, so the wait happens
    in a worker thread (whose sleep is real) while the loop serves sockets.
    """
    await hass.async_add_executor_job(time.sleep, 0.005)


async def _until(
    hass: HomeAssistant, condition: Callable[[], bool], *, timers: bool = False
) -> None:
    """Wait (for the broker's I/O) until `condition` holds; ~10 s at most.

    `timers`: also run MQTT's own timers (subscription cooldown, discovery),
    which the frozen clock holds back; only before a hold is being timed.
    """
    for _ in range(2000):
        if condition():
            await hass.async_block_till_done()
            return
        if timers:
            async_fire_time_changed(hass, fire_all=True)
        await _io(hass)
    raise AssertionError("nothing came back from the broker")


async def _publish(hass: HomeAssistant, topic: str, payload: str) -> None:
    await mqtt.async_publish(hass, topic, payload)


def _z2m_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """The device as Zigbee2MQTT's discovery registers it."""
    return (
        dr.async_get(hass)
        .async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={("mqtt", f"zigbee2mqtt_{IEEE}")},
            name=NAME,
            manufacturer=DEVICE["manufacturer"],
            model=DEVICE["model"],
            model_id=DEVICE["model_id"],
        )
        .id
    )


async def _town_hall(hass: HomeAssistant, buttons: list[dict[str, Any]]) -> list[Event]:
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    await async_setup_town_hall(
        hass,
        {"rooms": [room("k1", "Kontaktrum 1")], "buttons": buttons, "people": []},
    )
    return incidents


async def _hold_through_broker(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    incidents: list[Event],
    topic: str,
    payload: Callable[[str], str],
    heard: Callable[[], int],
) -> None:
    """Aqara WXKG11LM: `hold` 1.0 s after the press, `release` at 2.1 s."""
    pressed = dt_util.utcnow() - timedelta(seconds=1.0)
    before = heard()
    await _publish(hass, topic, payload("hold"))
    await _until(hass, lambda: heard() > before)
    await advance(hass, freezer, 0.9)
    assert incidents == []
    await advance(hass, freezer, 0.1)  # 2.0 s after the physical press
    (event,) = incidents
    assert dt_util.parse_datetime(event.data["time"]) == pressed + timedelta(seconds=2)
    assert (event.time_fired - pressed).total_seconds() == pytest.approx(2.0, abs=0.01)
    await _publish(hass, topic, payload("release"))
    await _until(hass, lambda: heard() > before + 1)
    assert len(incidents) == 1


def _counter(hass: HomeAssistant, entry_id: str, button_id: str) -> Callable[[], int]:
    """How many messages the button has heard (understood or not)."""
    entry = hass.config_entries.async_get_entry(entry_id)
    assert entry is not None
    heard: list[object] = []
    watcher = entry.runtime_data.buttons.watchers[button_id]
    watcher.observer = lambda report, at: heard.append(report)
    return lambda: len(heard)


async def test_state_topic_through_the_broker(
    hass: HomeAssistant, mqtt_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    device_id = _z2m_device(hass, mqtt_entry)
    incidents = await _town_hall(
        hass, [button("b1", "k1", "zigbee2mqtt", "press_release", device_id=device_id)]
    )
    entry_id = hass.config_entries.async_entries("raadhus_alarm")[0].entry_id
    # The default topic is zigbee2mqtt/<device name>; wait for its subscription.
    heard = _counter(hass, entry_id, "b1")
    await _subscribed(hass, f"zigbee2mqtt/{NAME}", heard)
    await _hold_through_broker(
        hass,
        freezer,
        incidents,
        f"zigbee2mqtt/{NAME}",
        lambda action: json.dumps({"action": action, "battery": 91, "linkquality": 87}),
        heard,
    )


async def _subscribed(
    hass: HomeAssistant, topic: str, heard: Callable[[], int]
) -> None:
    """Publish a harmless state until the button hears it (subscription live)."""
    await _subscribed_with(
        hass, topic, json.dumps({"battery": 91, "linkquality": 87}), heard
    )


async def _subscribed_with(
    hass: HomeAssistant, topic: str, payload: str, heard: Callable[[], int]
) -> None:
    """Publish a harmless state until the button hears it (subscription live)."""
    start = heard()
    for _ in range(200):
        # MQTT sends subscriptions after a short cooldown, on a timer: run it.
        async_fire_time_changed(hass, fire_all=True)
        await _publish(hass, topic, payload)
        for _ in range(10):
            await _io(hass)
            if heard() != start:
                await hass.async_block_till_done()
                return
    raise AssertionError("the subscription never became live")


async def test_action_topic_through_the_broker(
    hass: HomeAssistant, mqtt_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    device_id = _z2m_device(hass, mqtt_entry)
    topic = f"zigbee2mqtt/{NAME}/action"
    incidents = await _town_hall(
        hass,
        [
            button(
                "b1",
                "k1",
                "zigbee2mqtt",
                "press_release",
                device_id=device_id,
                mqtt_topic=topic,
            )
        ],
    )
    entry_id = hass.config_entries.async_entries("raadhus_alarm")[0].entry_id
    heard = _counter(hass, entry_id, "b1")
    # Zigbee2MQTT 1.x's empty reset on the action topic: heard, nothing more.
    await _subscribed_with(hass, topic, "", heard)
    await _hold_through_broker(hass, freezer, incidents, topic, str, heard)


async def test_zigbee2mqtt_event_entity_through_discovery(
    hass: HomeAssistant, mqtt_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    actions = ["single", "double", "hold", "release"]
    config = {
        "name": "Action",
        "unique_id": f"{IEEE}_action_zigbee2mqtt",
        "state_topic": f"zigbee2mqtt/{NAME}",
        "event_types": actions,
        "value_template": (
            "{% if value_json.action in " + json.dumps(actions) + " %}"
            "{{ {'event_type': value_json.action} | to_json }}{% else %}{}{% endif %}"
        ),
        "device": DEVICE,
        "origin": {"name": "Zigbee2MQTT", "sw": "2.6.0"},
    }
    ent_reg = er.async_get(hass)

    def discovered() -> bool:
        return (
            ent_reg.async_get_entity_id("event", "mqtt", config["unique_id"])
            is not None
        )

    for _ in range(200):  # published again until discovery's subscription is live
        await _publish(
            hass, f"homeassistant/event/{IEEE}/action/config", json.dumps(config)
        )
        for _ in range(10):
            async_fire_time_changed(hass, fire_all=True)
            await _io(hass)
        await hass.async_block_till_done()
        if discovered():
            break
    entity_id = ent_reg.async_get_entity_id("event", "mqtt", config["unique_id"])
    assert entity_id is not None
    incidents = await _town_hall(
        hass, [button("b1", "k1", "event", "press_release", entity_id=entity_id)]
    )
    entry = hass.config_entries.async_entries("raadhus_alarm")[0]
    watcher = entry.runtime_data.buttons.watchers["b1"]
    # The event entity's device is Zigbee2MQTT's: its model is detected.
    assert watcher.behaviour.model is not None
    assert watcher.behaviour.model.id == "aqara_wxkg11lm_z2m"

    heard = _counter(hass, entry.entry_id, "b1")
    # The entity subscribes to its state topic after MQTT's cooldown; a tap
    # ("double": a short press, never an alarm) shows when it is live.
    await _subscribed_with(
        hass, f"zigbee2mqtt/{NAME}", json.dumps({"action": "double"}), heard
    )
    await advance(hass, freezer, 0.5)
    assert incidents == []
    await _hold_through_broker(
        hass,
        freezer,
        incidents,
        f"zigbee2mqtt/{NAME}",
        lambda action: json.dumps({"action": action, "battery": 91}),
        heard,
    )
