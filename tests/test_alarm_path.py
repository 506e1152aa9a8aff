"""The alarm path: its order, what it writes, and the honest times it keeps."""

from __future__ import annotations

import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant, ServiceCall, callback
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.raadhus_alarm.buttons import LAST_SLEEP
from custom_components.raadhus_alarm.const import EVENT_INCIDENT
from custom_components.raadhus_alarm.core import HOLD_BACK_AT_MOST

from .logfiles import ahead_on_disk, on_disk
from .phones import PHONES, Phones
from .test_alarm_bus import advance, fire_event_entity, zha
from .test_routing import routed_options
from .world import World, async_setup_town_hall


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    """A loaded town hall with responders (phones recorded)."""
    return await async_setup_town_hall(hass, routed_options(world))


# Straight past the threshold (raised the usual way), or through its last
# 50 ms (written ahead, then raised from that line).
PATHS = {"usual": [2.0], "written ahead": [2.0 - LAST_SLEEP / 2, LAST_SLEEP / 2]}


@pytest.mark.parametrize("steps", PATHS.values(), ids=PATHS.keys())
async def test_disk_then_first_phone_then_event_then_entities(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    steps: list[float],
) -> None:
    order: list[str] = []

    def _phone(slug: str) -> Any:
        async def _push(call: ServiceCall) -> None:
            incident_id = call.data["data"]["tag"].removeprefix("raadhus_alarm_")
            stored = incident_id in on_disk(hass) or incident_id in ahead_on_disk(hass)
            order.append(f"phone {slug} (on disk: {stored})")

        return _push

    for slug, service in PHONES.items():
        hass.services.async_remove("notify", service)
        hass.services.async_register("notify", service, _phone(slug))

    @callback
    def _event(event: Event) -> None:
        order.append("event")

    @callback
    def _state(event: Event) -> None:
        if event.data["entity_id"].startswith(
            ("binary_sensor.kontaktrum_1", "sensor.")
        ):
            order.append(f"entity {event.data['entity_id']}")

    hass.bus.async_listen(EVENT_INCIDENT, _event)
    hass.bus.async_listen(EVENT_STATE_CHANGED, _state)
    zha(hass, world.zha_buttons[0], "hold")
    for step in steps:
        await advance(hass, freezer, step)
    # The officer on duty first (the router's order), already on disk; then
    # the other phones; the bus event; then the room's and the hall's entities.
    assert order[0] == "phone betjent_bo (on disk: True)"
    event_at = order.index("event")
    assert all(o.startswith("phone") for o in order[:event_at])
    assert len(order[:event_at]) == 4  # two officers, the leader, the safety rep
    assert set(order[event_at + 1 :]) == {
        "entity binary_sensor.kontaktrum_1_alarm",
        "entity sensor.kontaktrum_1_incident_state",
        "entity sensor.radhuset_active_incidents",
    }


def _record_who_is_called(hass: HomeAssistant) -> list[str]:
    """Every phone's push, in order, by the person's slug."""
    calls: list[str] = []
    for slug, service in PHONES.items():
        hass.services.async_remove("notify", service)

        async def _push(call: ServiceCall, slug: str = slug) -> None:
            calls.append(slug)

        hass.services.async_register("notify", service, _push)
    return calls


async def test_first_phones_of_simultaneous_alarms_come_first(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    calls = _record_who_is_called(hass)
    # Two rooms at the same moment: Kontaktrum 1's ZHA button and Akutrum 2's
    # event entity, both held from the same instant.
    zha(hass, world.zha_buttons[0], "hold")
    fire_event_entity(hass, "event.knap_1_action", "press_start")
    await advance(hass, freezer, 2)
    assert len(entry.runtime_data.core.book.open_incidents()) == 2
    # Both alarms' first phone (the officer on duty) before any other phone.
    assert calls[:2] == ["betjent_bo", "betjent_bo"]
    assert sorted(calls) == sorted(
        ["betjent_bo", "betjent_birte", "leder_lis", "amr_anne"] * 2
    )


async def test_alarms_falling_due_apart_call_every_first_phone_first(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Written ahead, alarms falling due a few ms apart are still one batch.

    Each is published in its own turn of the loop; the consumers after the
    first phones wait while another alarm written ahead is about to fall due.
    """
    calls = _record_who_is_called(hass)
    events = async_capture_events(hass, EVENT_INCIDENT)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 0.004)
    fire_event_entity(hass, "event.knap_1_action", "press_start")
    await advance(hass, freezer, 2.0 - LAST_SLEEP / 2 - 0.004)
    assert len(ahead_on_disk(hass)) == 2
    await advance(hass, freezer, LAST_SLEEP / 2)  # the first falls due
    assert calls == ["betjent_bo"]  # its first phone, nothing else yet
    assert events == []
    assert hass.states.get("binary_sensor.kontaktrum_1_alarm").state == "off"
    await advance(hass, freezer, 0.004)  # the second, 4 ms later
    assert calls[:2] == ["betjent_bo", "betjent_bo"]
    assert sorted(calls) == sorted(
        ["betjent_bo", "betjent_birte", "leder_lis", "amr_anne"] * 2
    )
    assert len(events) == 2
    assert hass.states.get("binary_sensor.kontaktrum_1_alarm").state == "on"


async def test_what_waits_for_an_alarm_written_ahead_waits_at_most_100_ms(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An ahead alarm that never settles cannot hold the others back for long."""
    events = async_capture_events(hass, EVENT_INCIDENT)
    core = entry.runtime_data.core
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0 - LAST_SLEEP / 2)
    core._ahead["stuck"] = core._ahead[world.zha_buttons[0]]  # never falls due
    await advance(hass, freezer, LAST_SLEEP / 2)
    assert events == []
    await advance(hass, freezer, HOLD_BACK_AT_MOST)
    assert [e.data["change"] for e in events] == ["created"]
    core._ahead.pop("stuck")


async def test_other_rooms_and_health_sensors_are_not_written(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    written: list[str] = []

    @callback
    def _state(event: Event) -> None:
        written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, _state)
    caplog.set_level(logging.INFO, logger="custom_components.raadhus_alarm")
    # A short press: its own event entity only, and no INFO line.
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 1)
    zha(hass, world.zha_buttons[0], "release")
    await advance(hass, freezer, 1)
    assert written == ["event.knap_zha1_press"]
    assert not [
        r
        for r in caplog.records
        if r.name.startswith("custom_components") and r.levelno >= logging.INFO
    ]
    written.clear()
    # An alarm in Kontaktrum 1: that room, the town hall, the button's event.
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    assert set(written) == {
        "binary_sensor.kontaktrum_1_alarm",
        "sensor.kontaktrum_1_incident_state",
        "sensor.radhuset_active_incidents",
        "event.knap_zha1_press",
    }
    assert not any("health" in e or "problem" in e for e in written)


async def test_honest_times_show_a_late_alarm_and_every_phone(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    zha(hass, world.zha_buttons[0], "hold")
    # The event loop was stuck: the 2 s timer runs 6 s after the press.
    await advance(hass, freezer, 6)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.lateness == pytest.approx(4.0)
    assert incident.hold_seconds == 2.0
    answered = [c for c in incident.calls if c.answered_at is not None]
    assert {c.service for c in answered} == {
        PHONES[s] for s in ("betjent_bo", "betjent_birte", "leder_lis", "amr_anne")
    }
    assert all(c.error is None and c.tier == 0 for c in answered)
    failed = [c for c in incident.calls if c.error]
    assert failed == []  # Sara is not told about her own alarm
    await advance(hass, freezer, 1)  # the call times are written shortly after
    stored = on_disk(hass)[incident.id]
    assert stored["raised_at"] == incident.raised_at.isoformat()
    assert stored["created_at"] == incident.created_at.isoformat()
    assert len(stored["calls"]) == 4
    assert all(c["answered_at"] for c in stored["calls"])
