"""Incident lifecycle through the actions, durability and restarts."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path
import signal
import sys
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_test_home_assistant,
)

from custom_components.raadhus_alarm import store
from custom_components.raadhus_alarm.const import DOMAIN, EVENT_INCIDENT
from custom_components.raadhus_alarm.core import LEFT_AHEAD_NOTE
from custom_components.raadhus_alarm.entry_config import config_mapping

from .logfiles import ahead_on_disk, journal_bytes, on_disk, snapshot
from .phones import Phones
from .test_alarm_bus import advance, alarm_on, zha
from .test_routing import routed_options
from .world import (
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
    """A loaded town hall."""
    entry = await async_setup_town_hall(
        hass, town_hall_options(world), entry_id="town_hall"
    )
    return entry


async def call(
    hass: HomeAssistant, service: str, context: Context | None = None, **data: Any
) -> Any:
    """Call one of the integration's actions and return its response."""
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=True, context=context
    )


async def test_full_lifecycle_by_actions(
    hass: HomeAssistant, world: World, hass_admin_user: Any
) -> None:
    options = town_hall_options(world)
    options["people"] = [
        {
            "id": "bo",
            "person": "person.betjent_bo",
            "roles": ["officer", "leader"],
            "devices": [],
            "language": "da",
        }
    ]
    entry = await async_setup_town_hall(hass, options)
    events = async_capture_events(hass, EVENT_INCIDENT)
    # Link the admin user to the person so the actor gets a name and roles.
    hass.states.async_set(
        "person.betjent_bo",
        "home",
        {"friendly_name": "Betjent Bo", "user_id": hass_admin_user.id},
    )
    ctx = Context(user_id=hass_admin_user.id)
    result = await call(hass, "trigger", ctx, room="kontaktrum 1")
    incident_id = result["incident_id"]
    assert result["state"] == "triggered"
    assert alarm_on(hass, "kontaktrum_1")

    for service, state in (
        ("acknowledge", "acknowledged"),
        ("on_scene", "on_scene"),
    ):
        result = await call(hass, service, ctx, room="Kontaktrum 1")
        assert result["state"] == state
        sensor = hass.states.get("sensor.kontaktrum_1_incident_state")
        assert sensor is not None
        assert sensor.state == state
        assert sensor.attributes["by"] == "Betjent Bo"
    await call(hass, "resolve", ctx, incident_id=incident_id, resolution="citizen_left")
    assert not alarm_on(hass, "kontaktrum_1")
    # The debrief is recorded in the follow-up before the step (R6).
    await hass.services.async_call(
        DOMAIN,
        "follow_up",
        {"incident_id": incident_id, "item": "debrief"},
        blocking=True,
    )
    await call(hass, "debriefed", ctx, incident_id=incident_id, note="Talt igennem")

    assert [(e.data["state"], e.data["previous_state"]) for e in events] == [
        ("triggered", None),
        ("acknowledged", "triggered"),
        ("on_scene", "acknowledged"),
        ("resolved", "on_scene"),
        ("debriefed", "resolved"),
    ]
    assert {e.data["actor_user_id"] for e in events} == {hass_admin_user.id}
    assert {e.data["actor_name"] for e in events} == {"Betjent Bo"}
    assert all(e.context.user_id == hass_admin_user.id for e in events)
    incident = entry.runtime_data.core.book[incident_id]
    assert incident.resolution == "citizen_left"
    assert [s.source for s in incident.steps] == ["service"] * 5
    assert incident.steps[-1].note == "Talt igennem"


async def test_invalid_transition_is_a_translated_validation_error(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await call(hass, "trigger", room="Kontaktrum 2")
    await call(hass, "cancel", incident_id=result["incident_id"])
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "acknowledge", incident_id=result["incident_id"])
    assert err.value.translation_key == "invalid_transition"
    assert err.value.translation_placeholders == {
        "room": "Kontaktrum 2",
        "current": "cancelled",
        "requested": "acknowledged",
    }
    # Nothing changed.
    assert entry.runtime_data.core.book[result["incident_id"]].state == "cancelled"


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("trigger", {"room": "Kælderen"}, "unknown_room"),
        ("acknowledge", {"incident_id": "nope"}, "unknown_incident"),
        ("acknowledge", {"room": "Kontaktrum 1"}, "no_open_incident"),
        ("acknowledge", {}, "incident_or_room_required"),
    ],
)
async def test_bad_action_input(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, **data)
    assert err.value.translation_key == key
    assert entry.runtime_data.core.book.open_incidents() == []


async def test_actions_without_a_loaded_town_hall(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, DOMAIN, {})
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "trigger", room="Kontaktrum 1")
    assert err.value.translation_key == "not_loaded"


async def test_manual_trigger_joins_and_drill_marking(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    first = await call(hass, "trigger", room="Akutrum 1", drill=True)
    second = await call(hass, "trigger", room="akutrum 1")
    assert first["incident_id"] == second["incident_id"]
    incident = entry.runtime_data.core.book[first["incident_id"]]
    assert incident.drill
    assert len(incident.joins) == 1
    await call(hass, "mark_drill", room="Akutrum 1", drill=False)
    await call(hass, "mark_drill", room="Akutrum 1", drill=False)  # no change
    assert not incident.drill
    assert len(incident.notes) == 1


async def test_incident_is_on_disk_before_it_is_announced(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    seen_on_disk: list[str | None] = []

    @callback
    def _check(event: Event) -> None:
        stored = on_disk(hass).get(event.data["incident_id"])
        seen_on_disk.append(stored["steps"][-1]["state"] if stored else None)

    hass.bus.async_listen(EVENT_INCIDENT, _check)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    await call(hass, "acknowledge", room="Kontaktrum 1")
    assert seen_on_disk == ["triggered", "acknowledged"]


async def test_snapshot_replaces_the_journal(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await call(hass, "trigger", room="Kontaktrum 1")
    await hass.async_block_till_done()  # the alarm's deliveries (and their notes)
    await call(hass, "resolve", incident_id=result["incident_id"])
    log = entry.runtime_data.core.log
    assert journal_bytes(hass) > 0
    log.async_request_snapshot()
    await hass.async_block_till_done()
    stored = snapshot(hass)
    assert stored["version"] == 2
    assert [i["id"] for i in stored["data"]["incidents"]] == [result["incident_id"]]
    assert stored["data"]["incidents"][0]["steps"][-1]["state"] == "resolved"
    # The journal generations the snapshot covers are gone; new changes go on.
    assert journal_bytes(hass) == 0
    await call(hass, "trigger", room="Kontaktrum 2")
    assert len(on_disk(hass)) == 2


async def test_journal_is_compacted_when_it_grows(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    freezer: FrozenDateTimeFactory,
) -> None:
    monkeypatch.setattr(store, "COMPACT_AFTER_BYTES", 1)
    result = await call(hass, "trigger", room="Kontaktrum 1")
    await hass.async_block_till_done()
    # Not at once: the write that crossed the size was an alarm's.
    assert not (Path(hass.config.path(".storage")) / "raadhus_alarm.incidents").exists()
    await advance(hass, freezer, store.COMPACT_DELAY)
    stored = snapshot(hass)
    assert [i["id"] for i in stored["data"]["incidents"]] == [result["incident_id"]]
    assert on_disk(hass)[result["incident_id"]]["steps"][0]["state"] == "triggered"


async def test_restart_keeps_the_open_incident(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    closed = await call(hass, "trigger", room="Akutrum 2")
    await call(hass, "cancel", incident_id=closed["incident_id"])
    (open_incident,) = entry.runtime_data.core.book.open_incidents()
    options = config_mapping(entry)
    # Home Assistant stops (no clean archive flush is relied upon).
    await async_teardown_world(hass)
    await hass.async_stop(force=True)

    async with async_test_home_assistant(config_dir=hass.config.config_dir) as hass2:
        hass2.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        await async_build_world(hass2)
        entry2 = await async_setup_town_hall(hass2, options, entry_id="town_hall")
        book = entry2.runtime_data.core.book
        assert [i.id for i in book.open_incidents()] == [open_incident.id]
        assert book[closed["incident_id"]].state == "cancelled"
        assert alarm_on(hass2, "kontaktrum_1")
        state = hass2.states.get("sensor.kontaktrum_1_incident_state")
        assert state is not None
        assert state.state == "triggered"
        active = hass2.states.get("sensor.radhuset_active_incidents")
        assert active is not None
        assert active.state == "1"
        # It can be finished after the restart.
        await hass2.services.async_call(
            DOMAIN, "resolve", {"room": "Kontaktrum 1"}, blocking=True
        )
        assert not alarm_on(hass2, "kontaktrum_1")
        await async_teardown_world(hass2)
        await hass2.async_stop(force=True)


async def test_unload_and_reload_restores(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await call(hass, "trigger", room="Kontaktrum 1")
    await call(hass, "cancel", incident_id=result["incident_id"])
    await call(hass, "trigger", room="Kontaktrum 2")
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(entry.runtime_data.core.book) == 2
    assert entry.runtime_data.core.book[result["incident_id"]].state == "cancelled"
    assert alarm_on(hass, "kontaktrum_2")


async def test_retention_prunes_old_closed_incidents(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    old = await call(hass, "trigger", room="Kontaktrum 1")
    await call(hass, "resolve", incident_id=old["incident_id"])
    still_open = await call(hass, "trigger", room="Kontaktrum 2")
    freezer.tick(366 * 24 * 3600)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    book = entry.runtime_data.core.book
    assert old["incident_id"] not in book
    assert still_open["incident_id"] in book


@pytest.mark.parametrize("mode", ["backdated", "held"])
async def test_kill_9_right_after_the_alarm_loses_nothing(
    hass: HomeAssistant, world: World, mode: str
) -> None:
    """A real process raises a button alarm and is killed as it is announced.

    backdated: raised the usual way (the hold said it was long enough);
    held: timed on the real clock, so its alarm was written ahead.
    """
    incident_id = await _run_and_kill(hass, mode)
    # Home Assistant starts again on the same folder: the alarm is still open.
    entry = await async_setup_town_hall(hass, town_hall_options(world))
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id == incident_id
    assert incident.room_id == "k1"
    assert incident.hold_seconds == 2.0
    assert incident.raised_at is not None
    assert alarm_on(hass, "kontaktrum_1")


async def test_kill_9_in_the_last_moment_of_a_hold_raises_the_alarm(
    hass: HomeAssistant, world: World, phones: Phones, freezer: FrozenDateTimeFactory
) -> None:
    """Killed 20 ms before the threshold, the button still held: an alarm at start.

    The alarm was written ahead; nobody can know whether the button was let go
    in those 20 ms, so the safe side is taken, and the incident says why.
    """
    assert await _run_and_kill(hass, "before") == "killed"
    (ahead,) = ahead_on_disk(hass).values()
    assert on_disk(hass) == {}
    # The other process ran on the real clock: start again a second after.
    due = dt_util.parse_datetime(ahead["created_at"])
    assert due is not None
    freezer.move_to(due + timedelta(seconds=1))
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hass.async_block_till_done()
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id == ahead["id"]
    assert incident.room_id == "k1"
    assert incident.state == "triggered"
    assert incident.raised_at == due + timedelta(seconds=1)  # late, and it shows
    assert any(LEFT_AHEAD_NOTE in note for note in incident.notes)
    assert alarm_on(hass, "kontaktrum_1")
    # Sent like any alarm nobody took before a restart (at once).
    await advance(hass, freezer, 0.01)
    tags = {
        push["data"].get("tag")
        for pushes in phones.received.values()
        for push in pushes
        if "actions" in push.get("data", {})
    }
    assert tags == {f"raadhus_alarm_{incident.id}"}
    assert phones.alarmed()
    # And written as an incident: the next start does not raise it again.
    assert on_disk(hass)[incident.id]["raised_at"] is not None


async def _run_and_kill(hass: HomeAssistant, mode: str) -> str:
    script = Path(__file__).with_name("kill_after_alarm.py")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(script),
        hass.config.config_dir,
        mode,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    stdout, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == -signal.SIGKILL
    said = stdout.decode().strip()
    assert said
    return said
