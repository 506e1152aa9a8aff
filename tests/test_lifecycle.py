"""Incident lifecycle through the actions, durability and restarts."""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import Context, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_test_home_assistant,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_INCIDENT
from custom_components.raadhus_alarm.store import ACTIVE_KEY, ARCHIVE_KEY

from .test_alarm_bus import advance, alarm_on, zha
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
    hass: HomeAssistant, entry: MockConfigEntry, hass_admin_user: Any
) -> None:
    events = async_capture_events(hass, EVENT_INCIDENT)
    # Link the admin user to a person so the actor gets a name.
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
    incident = entry.runtime_data.book[incident_id]
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
    assert entry.runtime_data.book[result["incident_id"]].state == "cancelled"


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
    assert entry.runtime_data.book.open_incidents() == []


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
    incident = entry.runtime_data.book[first["incident_id"]]
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
    hass_storage: dict[str, Any],
) -> None:
    seen_on_disk: list[list[str]] = []

    @callback
    def _check(event: Event) -> None:
        stored = hass_storage[ACTIVE_KEY]["data"]["incidents"]
        match = [
            i["steps"][-1]["state"]
            for i in stored
            if i["id"] == event.data["incident_id"]
        ]
        seen_on_disk.append(match)

    hass.bus.async_listen(EVENT_INCIDENT, _check)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    await call(hass, "acknowledge", room="Kontaktrum 1")
    assert seen_on_disk == [["triggered"], ["acknowledged"]]


async def test_closed_incidents_move_to_the_archive(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    result = await call(hass, "trigger", room="Kontaktrum 1")
    await hass.async_block_till_done()  # the alarm's deliveries (and their notes)
    await call(hass, "resolve", incident_id=result["incident_id"])
    active = hass_storage[ACTIVE_KEY]["data"]["incidents"]
    assert [i["id"] for i in active] == [result["incident_id"]]
    await advance(hass, freezer, 15)  # the archive flush runs after a cooldown
    assert hass_storage[ACTIVE_KEY]["data"]["incidents"] == []
    archived = hass_storage[ARCHIVE_KEY]["data"]["incidents"]
    assert [i["id"] for i in archived] == [result["incident_id"]]
    assert hass_storage[ACTIVE_KEY]["version"] == 1


async def test_restart_keeps_the_open_incident(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    closed = await call(hass, "trigger", room="Akutrum 2")
    await call(hass, "cancel", incident_id=closed["incident_id"])
    (open_incident,) = entry.runtime_data.book.open_incidents()
    options = dict(entry.options)
    # Home Assistant stops (no clean archive flush is relied upon).
    await async_teardown_world(hass)
    await hass.async_stop(force=True)

    async with async_test_home_assistant(config_dir=hass.config.config_dir) as hass2:
        hass2.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        await async_build_world(hass2)
        entry2 = await async_setup_town_hall(hass2, options, entry_id="town_hall")
        book = entry2.runtime_data.book
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


async def test_unload_flushes_and_reload_restores(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    result = await call(hass, "trigger", room="Kontaktrum 1")
    await call(hass, "cancel", incident_id=result["incident_id"])
    await call(hass, "trigger", room="Kontaktrum 2")
    assert await hass.config_entries.async_unload(entry.entry_id)
    archived = hass_storage[ARCHIVE_KEY]["data"]["incidents"]
    assert [i["id"] for i in archived] == [result["incident_id"]]
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert len(entry.runtime_data.book) == 2
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
    book = entry.runtime_data.book
    assert old["incident_id"] not in book
    assert still_open["incident_id"] in book


async def test_a_storage_failure_never_stops_the_alarm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    monkeypatch: pytest.MonkeyPatch,
    issue_registry: ir.IssueRegistry,
) -> None:
    events = async_capture_events(hass, EVENT_INCIDENT)

    async def _disk_full(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(entry.runtime_data.store, "async_write", _disk_full)
    await call(hass, "trigger", room="Kontaktrum 1")
    assert [e.data["state"] for e in events] == ["triggered"]
    assert alarm_on(hass, "kontaktrum_1")
    issue = issue_registry.async_get_issue(DOMAIN, "storage_failed")
    assert issue is not None
    assert issue.severity is ir.IssueSeverity.CRITICAL
    monkeypatch.undo()
    await call(hass, "acknowledge", room="Kontaktrum 1")
    assert issue_registry.async_get_issue(DOMAIN, "storage_failed") is None
