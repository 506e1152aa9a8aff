"""The attendance-ban register (R8) through the real actions, real users and
persons, a real store on disk and a frozen clock in Copenhagen (Monday 23
November 2026, 11:00). Only the phones are recorded.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
    async_test_home_assistant,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_BAN

from .blueprint_use import async_use_blueprint
from .bus import jump_to
from .phones import Phones
from .test_routing import routed_options
from .world import (
    World,
    async_build_world,
    async_call_action,
    async_setup_town_hall,
    async_teardown_world,
)

SENSOR = "sensor.radhuset_active_attendance_bans"
CASE = "SAG-2026-4711"


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    return await async_setup_town_hall(hass, routed_options(world))


async def _act(
    hass: HomeAssistant, action: str, user_id: str | None, **data: Any
) -> dict[str, Any]:
    ban: dict[str, Any] = (await async_call_action(hass, action, user_id, **data))[
        "ban"
    ]
    return ban


async def _add(hass: HomeAssistant, world: World, **data: Any) -> dict[str, Any]:
    """Leder Lis registers a ban at the Jobcenter (extra fields: `data`)."""
    fields = {"case_reference": CASE, "centre": "Jobcenter", **data}
    return await _act(hass, "add_ban", world.users["leder_lis"], **fields)


def _told(phones: Phones, slug: str, title: str) -> list[str]:
    return [p["message"] for p in phones.received[slug] if p["title"] == title]


def _our_log(caplog: pytest.LogCaptureFixture) -> str:
    """What the integration logged (not the test harness's storage dumps)."""
    return "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.raadhus_alarm")
    )


def _state(hass: HomeAssistant) -> str:
    state = hass.states.get(SENSOR)
    assert state is not None
    return state.state


async def test_a_ban_added_today_ends_in_six_months_and_is_told_without_citizen_data(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, phones: Phones
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_BAN)
    ban = await _add(hass, world, letter_filed=True)
    assert ban["start"] == "2026-11-23T11:00:00+01:00"
    assert ban["end"] == "2027-05-23T11:00:00+02:00"  # six months, summer time
    assert (ban["issued_by"], ban["issued_by_person"]) == (
        "Leder Lis",
        "person.leder_lis",
    )
    assert ban["active"]
    assert ban["letter_filed"]
    assert _state(hass) == "1"
    # The safety organisation and the leaders are told where and until when.
    (anne,) = _told(phones, "amr_anne", "Nyt fremmødeforbud")
    assert anne == "Nyt fremmødeforbud: Jobcenter, til og med 23.05.2027."
    (lis,) = _told(phones, "leder_lis", "Nyt fremmødeforbud")
    assert lis == anne
    for slug in ("betjent_bo", "betjent_birte", "centerchef_carl", "vagt_villy"):
        assert phones.received[slug] == [], slug  # told to nobody else
    # Nothing about the citizen in what many phones or the logbook get.
    pushes = json.dumps(phones.received)
    assert CASE not in pushes
    (added,) = events
    assert added.data["type"] == "added"
    assert CASE not in json.dumps(added.data)
    assert added.context.user_id == world.users["leder_lis"]


async def test_the_issuer_is_reminded_14_days_before_and_it_is_deleted_30_days_after(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    hass_storage: dict[str, Any],
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_BAN)
    ban = await _add(hass, world, note="Truede en medarbejder i receptionen")
    await jump_to(hass, freezer, "2027-05-09T10:59:00+02:00")
    assert _told(phones, "leder_lis", "Fremmødeforbud udløber snart") == []
    await jump_to(hass, freezer, "2027-05-09T11:00:01+02:00")
    (reminder,) = _told(phones, "leder_lis", "Fremmødeforbud udløber snart")
    assert CASE in reminder
    assert "normalisere kontakten" in reminder
    assert "23.05.2027" in reminder
    assert _told(phones, "amr_anne", "Fremmødeforbud udløber snart") == []
    await jump_to(hass, freezer, "2027-05-23T11:00:01+02:00")
    assert _state(hass) == "0"
    caplog.set_level(logging.INFO)
    await jump_to(hass, freezer, "2027-06-22T10:59:00+02:00")
    assert entry.runtime_data.bans.book.get(ban["id"]) is not None
    await jump_to(hass, freezer, "2027-06-22T11:00:01+02:00")
    assert entry.runtime_data.bans.book.get(ban["id"]) is None
    assert [e.data["type"] for e in events] == ["added", "expiring", "ended", "deleted"]
    # The deletion is logged, its content is not.
    ours = _our_log(caplog)
    assert f"Attendance ban {ban['id']} deleted" in ours
    assert CASE not in ours
    assert "receptionen" not in ours
    assert CASE not in json.dumps(hass_storage["raadhus_alarm.bans"])


async def test_a_restart_in_between_changes_nothing(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(
        hass, routed_options(world), entry_id="town_hall"
    )
    ban = await _add(hass, world)
    config_dir = hass.config.config_dir

    async def _restart(old: HomeAssistant, old_entry: MockConfigEntry) -> None:
        assert await old.config_entries.async_unload(old_entry.entry_id)
        await async_teardown_world(old)
        await old.async_stop(force=True)

    await _restart(hass, entry)
    title = "Fremmødeforbud udløber snart"
    for step, when, reminders in (
        (1, "2027-05-09T11:00:01+02:00", 1),  # reminded once, after a restart
        (2, "2027-05-20T12:00:00+02:00", 0),  # not again after another one
        (3, "2027-06-22T11:00:01+02:00", 0),  # and gone in time
    ):
        async with async_test_home_assistant(config_dir=config_dir) as again:
            again.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            world2 = await async_build_world(again)
            phones = Phones(again)
            entry2 = await async_setup_town_hall(
                again, routed_options(world2), "town_hall"
            )
            assert entry2.runtime_data.bans.book.get(ban["id"]) is not None
            await jump_to(again, freezer, when)
            assert len(_told(phones, "leder_lis", title)) == reminders, step
            gone = entry2.runtime_data.bans.book.get(ban["id"]) is None
            assert gone is (step == 3)
            await _restart(again, entry2)


@pytest.mark.parametrize("who", ["betjent_bo", "sagsbehandler_sara", "amr_anne"])
async def test_only_leaders_and_the_centre_chief_may_write(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, phones: Phones, who: str
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_BAN)
    ban = await _add(hass, world)
    events.clear()
    user = world.users[who]
    for action, data in (
        ("add_ban", {"case_reference": "SAG-1", "centre": "Borgerservice"}),
        ("update_ban", {"ban_id": ban["id"], "centre": "Borgerservice"}),
        ("end_ban", {"ban_id": ban["id"]}),
        ("remove_ban", {"ban_id": ban["id"]}),
        ("update_ban", {"ban_id": "no-such-ban"}),  # refused before it is looked up
    ):
        with pytest.raises(ServiceValidationError) as err:
            await _act(hass, action, user, **data)
        assert err.value.translation_key == "not_permitted"
    (kept,) = entry.runtime_data.bans.book
    assert (kept.centre, kept.ended_early) == ("Jobcenter", False)
    assert events == []
    # The centre chief may, and a ban he issues is his.
    carls = await _act(
        hass,
        "add_ban",
        world.users["centerchef_carl"],
        case_reference="SAG-2",
        centre="Borgerservice",
    )
    assert carls["issued_by_person"] == "person.centerchef_carl"
    assert _state(hass) == "2"


@pytest.mark.parametrize("cpr", ["0101901234", "010190-1234"])
@pytest.mark.parametrize("field", ["case_reference", "centre", "note"])
async def test_a_cpr_number_in_any_field_is_refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    field: str,
    cpr: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _add(hass, world, **{field: f"borger {cpr}"})
    assert err.value.translation_key == "cpr_refused"
    assert list(entry.runtime_data.bans.book) == []
    ban = await _add(hass, world)
    with pytest.raises(ServiceValidationError) as err:
        await _act(
            hass,
            "update_ban",
            world.users["leder_lis"],
            ban_id=ban["id"],
            **{field: cpr},
        )
    assert err.value.translation_key == "cpr_refused"
    (kept,) = entry.runtime_data.bans.book
    assert cpr not in json.dumps(kept.to_dict())
    assert cpr not in json.dumps(phones.received)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"start": "2026-12-01", "end": "2026-11-30"}, "ban_ends_before_it_starts"),
        ({"start": "2026-01-01", "end": "2026-06-01"}, "ban_in_the_past"),
        ({"start": "9999-12-01"}, "ban_time_out_of_reach"),
        ({"start": "0001-01-01"}, "ban_time_out_of_reach"),
        ({"start": "9999-12-31T23:30:00+00:00"}, "ban_time_out_of_reach"),
        ({"end": "9999-12-31T23:30:00-05:00"}, "ban_time_out_of_reach"),
        ({"end": "2999-01-01"}, "ban_time_out_of_reach"),
        ({"centre": "   "}, "ban_needs_centre"),
        ({"case_reference": ""}, "ban_needs_case_reference"),
        ({"issued_by": "person.findes_ikke"}, "unknown_person"),
    ],
)
async def test_bad_input_gets_a_clear_error_and_changes_nothing(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    data: dict[str, Any],
    key: str,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _add(hass, world, **data)
    assert err.value.translation_key == key
    assert str(err.value)  # translated, not the key
    assert list(entry.runtime_data.bans.book) == []


async def test_an_automation_must_say_who_issued_the_ban(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    fields = {"case_reference": CASE, "centre": "Jobcenter"}
    with pytest.raises(ServiceValidationError) as err:
        await _act(hass, "add_ban", None, **fields)
    assert err.value.translation_key == "ban_needs_issuer"
    ban = await _act(hass, "add_ban", None, issued_by="person.leder_lis", **fields)
    assert ban["issued_by"] == "Leder Lis"


async def test_changing_the_end_reminds_again_and_ending_early_deletes_in_time(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_BAN)
    lis = world.users["leder_lis"]
    ban = await _add(hass, world, start="2026-11-23", end="2026-12-01")
    # A short ban: its reminder was due at once.
    title = "Fremmødeforbud udløber snart"
    assert len(_told(phones, "leder_lis", title)) == 1
    changed = await _act(
        hass, "update_ban", lis, ban_id=ban["id"], end="2027-01-31", note="Forlænget"
    )
    assert changed["end"] == "2027-01-31T00:00:00+01:00"
    assert changed["note"] == "Forlænget"
    await jump_to(hass, freezer, "2027-01-17T00:00:01+01:00")
    assert len(_told(phones, "leder_lis", title)) == 2  # the new end's reminder
    ended = await _act(hass, "end_ban", lis, ban_id=ban["id"])
    assert (ended["active"], ended["ended_early"]) == (False, True)
    assert _state(hass) == "0"
    with pytest.raises(ServiceValidationError) as err:
        await _act(hass, "update_ban", lis, ban_id=ban["id"], centre="X")
    assert err.value.translation_key == "ban_has_ended"
    await jump_to(hass, freezer, "2027-02-16T00:00:02+01:00")
    assert entry.runtime_data.bans.book.get(ban["id"]) is None
    assert [e.data["type"] for e in events] == [
        "added",
        "expiring",
        "changed",
        "expiring",
        "ended",
        "deleted",
    ]
    assert events[4].data["early"] is True


async def test_a_ban_entered_by_mistake_is_removed_at_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    ban = await _add(hass, world)
    removed = await _act(
        hass, "remove_ban", world.users["centerchef_carl"], ban_id=ban["id"]
    )
    assert removed["id"] == ban["id"]
    assert list(entry.runtime_data.bans.book) == []
    assert "removed by Centerchef Carl" in _our_log(caplog)
    assert CASE not in _our_log(caplog)
    with pytest.raises(ServiceValidationError) as err:
        await _act(hass, "remove_ban", world.users["leder_lis"], ban_id=ban["id"])
    assert err.value.translation_key == "unknown_ban"


async def test_an_unreadable_register_is_reported_and_the_alarm_still_starts(
    hass: HomeAssistant, world: World, hass_storage: dict[str, Any]
) -> None:
    # Written by a newer version that this one cannot read.
    hass_storage["raadhus_alarm.bans"] = {"version": 9, "key": "x", "data": {}}
    entry = await async_setup_town_hall(hass, routed_options(world))
    assert entry.runtime_data.bans.active() == []
    assert ir.async_get(hass).async_get_issue(DOMAIN, "bans_unreadable") is not None
    assert hass.states.get("binary_sensor.kontaktrum_1_alarm").state == "off"  # type: ignore[union-attr]


async def test_a_damaged_record_is_skipped_and_the_others_kept(
    hass: HomeAssistant, world: World, hass_storage: dict[str, Any]
) -> None:
    good = {
        "id": "b1",
        "case_reference": "SAG-1",
        "issued_by": "Leder Lis",
        "centre": "Jobcenter",
        "start": "2026-11-01T10:00:00+01:00",
        "end": "2027-05-01T10:00:00+02:00",
        "created_by": "Leder Lis",
        "created_at": "2026-11-01T10:00:00+01:00",
    }
    hass_storage["raadhus_alarm.bans"] = {
        "version": 1,
        "key": "raadhus_alarm.bans",
        "data": {"bans": [good, {"id": "b2", "end": "not a time"}, "junk"]},
    }
    entry = await async_setup_town_hall(hass, routed_options(world))
    assert [b.id for b in entry.runtime_data.bans.active()] == ["b1"]
    assert _state(hass) == "1"


async def test_the_ban_expiry_blueprint_reaches_an_extra_channel(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Imported as a user would, it runs on the real reminder, for its centre."""
    mailbox = async_mock_service(hass, "test", "centre_mailbox")
    await async_use_blueprint(
        hass,
        "ban_expiry_reminder.yaml",
        {
            "centres": ["Jobcenter"],
            "actions": [
                {
                    "action": "test.centre_mailbox",
                    "data": {
                        "centre": "{{ trigger.event.data.centre }}",
                        "end": "{{ trigger.event.data.end }}",
                    },
                }
            ],
        },
    )
    await _add(hass, world)
    await _add(hass, world, centre="Borgerservice", case_reference="SAG-2")
    await jump_to(hass, freezer, "2027-05-09T10:59:00+02:00")
    assert mailbox == []
    await jump_to(hass, freezer, "2027-05-09T11:00:01+02:00")
    assert [c.data for c in mailbox] == [
        {"centre": "Jobcenter", "end": "2027-05-23T09:00:00+00:00"}
    ]


async def test_an_impossible_new_end_is_refused_clearly(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    ban = await _add(hass, world)
    for end in ("0001-01-01", "9999-12-31T23:30:00-05:00"):
        with pytest.raises(ServiceValidationError) as err:
            await _act(
                hass, "update_ban", world.users["leder_lis"], ban_id=ban["id"], end=end
            )
        assert err.value.translation_key == "ban_time_out_of_reach"
    (kept,) = entry.runtime_data.bans.book
    assert kept.end.isoformat() == "2027-05-23T09:00:00+00:00"
