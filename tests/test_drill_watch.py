"""The yearly drill (R9): the risk coordinator's reminder a month before, the
repair issue at 12 months without a drill, cleared when one is marked. Real
incident log, real actions, a frozen clock; only the phones are recorded.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
    async_test_home_assistant,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_DRILL

from .blueprint_use import async_use_blueprint
from .bus import jump_to
from .phones import Phones
from .test_routing import routed_options
from .world import World, async_build_world, async_setup_town_hall, async_teardown_world

SENSOR = "sensor.radhuset_last_drill"
# Set up Monday 23 November 2026 11:00 (Copenhagen): due a year on.
REMINDER = "2027-10-24T10:00:00+00:00"  # 30 days before, in summer time
DUE = "2027-11-23T10:00:00+00:00"
SET_UP = dt_util.parse_datetime("2026-11-23T10:00:00+00:00")


def _options(world: World) -> dict[str, Any]:
    """The routed town hall, with AMR Anne also the risk coordinator."""
    options = routed_options(world)
    for person in options["people"]:
        if person["person"] == "person.amr_anne":
            person["roles"] = ["safety_organisation", "risk_coordinator"]
    return options


def _reminders(phones: Phones) -> list[str]:
    return [
        p["message"]
        for p in phones.received["amr_anne"]
        if p["title"] == "Overfaldsøvelse"
    ]


def _issue(hass: HomeAssistant) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, "no_drill")


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    return await async_setup_town_hall(hass, _options(world))


async def test_reminded_a_month_before_the_issue_at_twelve_months_cleared_by_a_drill(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_DRILL)
    state = hass.states.get(SENSOR)
    assert state is not None
    assert state.state == "unknown"  # no drill yet
    assert state.attributes["next_due"] == DUE
    await jump_to(hass, freezer, "2027-10-24T09:59:00+00:00")
    assert _reminders(phones) == []
    await jump_to(hass, freezer, "2027-10-24T10:00:01+00:00")
    (reminder,) = _reminders(phones)
    assert "23.11.2027" in reminder
    assert phones.received["leder_lis"] == []  # the coordinator's alone
    await jump_to(hass, freezer, "2027-11-23T09:59:00+00:00")
    assert _issue(hass) is None
    await jump_to(hass, freezer, "2027-11-23T10:00:01+00:00")
    issue = _issue(hass)
    assert issue is not None
    assert issue.translation_placeholders == {"months": "12", "since": "23.11.2026"}
    # The unannounced drill: raised as one by the coordinator's automation.
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 1", "drill": True}, blocking=True
    )
    await hass.async_block_till_done()
    assert _issue(hass) is None
    (drill,) = entry.runtime_data.core.book.drills()
    state = hass.states.get(SENSOR)
    assert state is not None
    assert dt_util.parse_datetime(state.state) == drill.created_at.replace(
        microsecond=0
    )
    assert state.attributes["next_due"].startswith("2028-11-23T10:00:01")
    assert [e.data["type"] for e in events] == ["reminder", "due", "held"]


async def test_marking_an_incident_afterwards_counts_and_unmarking_brings_it_back(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    # An alarm in March 2027, only later known to have been the drill.
    await jump_to(hass, freezer, "2027-03-01T09:00:00+00:00")
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 2"}, blocking=True
    )
    await hass.async_block_till_done()
    (incident,) = entry.runtime_data.core.book.open_incidents()
    await jump_to(hass, freezer, "2027-11-23T10:00:01+00:00")
    assert _issue(hass) is not None
    for drill in (True, False, True):
        await hass.services.async_call(
            DOMAIN,
            "mark_drill",
            {"incident_id": incident.id, "drill": drill},
            blocking=True,
        )
        await hass.async_block_till_done()
        assert (_issue(hass) is None) is drill
    state = hass.states.get(SENSOR)
    assert state is not None
    assert state.attributes["next_due"] == "2028-03-01T09:00:00+00:00"


async def test_a_restart_neither_repeats_nor_loses_what_was_told(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    entry = await async_setup_town_hall(
        hass, _options(world), entry_id="town_hall", created_at=SET_UP
    )
    config_dir = hass.config.config_dir

    async def _stop(old: HomeAssistant, old_entry: MockConfigEntry) -> None:
        assert await old.config_entries.async_unload(old_entry.entry_id)
        await async_teardown_world(old)
        await old.async_stop(force=True)

    await _stop(hass, entry)
    # Down over the reminder's time: told at the next start, once.
    for when, reminders, issue in (
        ("2027-10-30T08:00:00+00:00", 1, False),
        ("2027-11-01T08:00:00+00:00", 0, False),
        ("2027-11-24T08:00:00+00:00", 0, True),
    ):
        freezer.move_to(when)
        async with async_test_home_assistant(config_dir=config_dir) as again:
            again.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            world2 = await async_build_world(again)
            phones = Phones(again)
            events = async_capture_events(again, EVENT_DRILL)
            entry2 = await async_setup_town_hall(
                again, _options(world2), "town_hall", created_at=SET_UP
            )
            await again.async_block_till_done()
            assert len(_reminders(phones)) == reminders, when
            assert (_issue(again) is not None) is issue, when
            told = sorted(e.data["type"] for e in events)
            assert told == (["due"] if issue else []) + (["reminder"] * reminders)
            await _stop(again, entry2)


async def test_the_drill_due_blueprint_reaches_an_extra_channel(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Imported as a user would, it runs when the drill is overdue (as chosen)."""
    calendar = async_mock_service(hass, "test", "coordinator_calendar")
    await async_use_blueprint(
        hass,
        "drill_due_reminder.yaml",
        {
            "moments": ["due"],
            "actions": [
                {
                    "action": "test.coordinator_calendar",
                    "data": {"due": "{{ trigger.event.data.due }}"},
                }
            ],
        },
    )
    await jump_to(
        hass, freezer, "2027-10-24T10:00:01+00:00"
    )  # the reminder: not chosen
    assert calendar == []
    await jump_to(hass, freezer, "2027-11-23T10:00:01+00:00")
    assert [c.data for c in calendar] == [{"due": "2027-11-23T11:00:00+01:00"}]
