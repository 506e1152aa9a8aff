"""Announced meetings (R7) through the real actions, the real schedule helpers
(officers Mon 07:30–18:00, Tue–Thu 07:30–16:00, Fri 07:30–13:00; police Mon
15:30–16:30) and a frozen clock in Copenhagen. Only the phones are recorded.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
    async_test_home_assistant,
)

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_ARRIVAL, EVENT_MEETING

from .blueprint_use import async_use_blueprint
from .phones import Phones
from .test_alarm_bus import advance, zha
from .test_routing import routed_options
from .world import (
    World,
    async_access_token,
    async_build_world,
    async_setup_town_hall,
    async_teardown_world,
)

# Monday 23 November 2026 11:00 in Copenhagen (the world's clock).
TUESDAY_10 = "2026-11-24T10:00:00+01:00"


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    return await async_setup_town_hall(hass, routed_options(world))


async def _announce(
    hass: HomeAssistant, user_id: str | None = None, **data: Any
) -> dict[str, Any]:
    data = {"room": "Kontaktrum 1", **data}
    if "end" not in data and "duration" not in data:
        data["duration"] = {"hours": 1}
    result = await hass.services.async_call(
        DOMAIN,
        "announce_meeting",
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )
    assert isinstance(result, dict)
    return result


def _forewarned(phones: Phones, slug: str) -> list[str]:
    return [
        p["message"]
        for p in phones.received[slug]
        if p["title"].startswith("Svær samtale") or p["title"].startswith("Difficult")
    ]


async def _to(hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: str) -> None:
    """Let the clock run to `when`, a minute at a time (every timer fires)."""
    from homeassistant.util import dt as dt_util

    target = dt_util.parse_datetime(when)
    assert target is not None
    while dt_util.utcnow() < target:
        step = min(60.0, (target - dt_util.utcnow()).total_seconds())
        await advance(hass, freezer, step)


async def test_a_tuesday_meeting_is_forewarned_monday_noon_and_at_0945(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_MEETING)
    result = await _announce(
        hass, world.users["sagsbehandler_sara"], start=TUESDAY_10, monitored=True
    )
    assert result["warnings"] == []
    assert [e.data["type"] for e in events] == ["announced"]
    assert events[0].data["announced_by"] == "Sagsbehandler Sara"
    await _to(hass, freezer, "2026-11-23T11:59:00+01:00")
    assert _forewarned(phones, "betjent_bo") == []
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    (day_before,) = _forewarned(phones, "betjent_bo")  # Danish
    assert "I morgen" in day_before
    assert "Kontaktrum 1" in day_before
    assert "overvåge" in day_before
    assert "Sagsbehandler Sara" in day_before
    (english,) = _forewarned(phones, "betjent_birte")
    assert english.startswith("Tomorrow")
    # Ordinary notifications: no critical sound, no alarm stream.
    push = phones.received["betjent_bo"][-1]
    assert "push" not in push["data"]
    assert "channel" not in push["data"]
    assert _forewarned(phones, "leder_lis") == []  # only the officers
    await _to(hass, freezer, "2026-11-24T09:44:00+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 1
    await _to(hass, freezer, "2026-11-24T09:45:30+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 2
    assert "Om lidt, kl. 10:00" in _forewarned(phones, "betjent_bo")[-1]
    await _to(hass, freezer, "2026-11-24T11:00:30+01:00")
    assert [e.data["type"] for e in events] == [
        "announced",
        "forewarned",
        "forewarned",
        "started",
        "ended",
    ]


@pytest.mark.parametrize("world_time", ["2026-11-20 09:00:00+00:00"])  # Friday 10:00
async def test_a_monday_meeting_is_forewarned_the_friday_before(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _announce(hass, start="2026-11-23T09:00:00+01:00")
    await _to(hass, freezer, "2026-11-20T12:00:30+01:00")
    (told,) = _forewarned(phones, "betjent_bo")
    assert "23.11. 09:00" in told  # not "tomorrow": a weekend lies between


@pytest.mark.parametrize("world_time", ["2026-11-23 14:00:00+00:00"])  # Monday 15:00
async def test_a_meeting_announced_after_noon_for_tomorrow_is_told_at_once(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _announce(hass, start=TUESDAY_10)
    await advance(hass, freezer, 1)
    assert len(_forewarned(phones, "betjent_bo")) == 1


@pytest.mark.parametrize("world_time", ["2026-11-19 09:00:00+00:00"])  # Thursday
async def test_a_friday_afternoon_meeting_gets_the_police_slot_suggested(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _announce(hass, start="2026-11-20T14:00:00+01:00")
    assert result["warnings"] == [
        {
            "key": "outside_officer_hours",
            "suggestion": "2026-11-23T15:30:00+01:00",
            "police_present": False,
            "other_meeting_id": None,
        }
    ]


async def test_an_overlapping_meeting_is_warned_about(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    first = await _announce(hass, start=TUESDAY_10)
    second = await _announce(
        hass, start="2026-11-24T10:30:00+01:00", duration={"minutes": 30}
    )
    assert [w["key"] for w in second["warnings"]] == ["overlap"]
    assert second["warnings"][0]["other_meeting_id"] == first["meeting_id"]


async def test_a_cpr_number_and_an_unknown_room_are_refused(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_MEETING)
    with pytest.raises(ServiceValidationError) as err:
        await _announce(hass, start=TUESDAY_10, note="Borger 010190-1234 er vred")
    assert err.value.translation_key == "cpr_refused"
    with pytest.raises(ServiceValidationError) as err:
        await _announce(hass, start=TUESDAY_10, room="Kælderen")
    assert err.value.translation_key == "unknown_room"
    with pytest.raises(ServiceValidationError) as err:
        await _announce(hass, start=TUESDAY_10, end="2026-11-24T09:00:00+01:00")
    assert err.value.translation_key == "meeting_ends_before_it_starts"
    assert events == []
    assert list(entry.runtime_data.meetings.book) == []


async def test_who_may_cancel_a_meeting(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    meeting = await _announce(hass, world.users["sagsbehandler_sara"], start=TUESDAY_10)

    async def cancel(user: str) -> Any:
        return await hass.services.async_call(
            DOMAIN,
            "cancel_meeting",
            {"meeting_id": meeting["meeting_id"]},
            blocking=True,
            return_response=True,
            context=Context(user_id=world.users[user]),
        )

    with pytest.raises(ServiceValidationError) as err:
        await cancel("amr_anne")  # safety organisation: not hers to cancel
    assert err.value.translation_key == "not_permitted"
    assert (await cancel("sagsbehandler_sara"))["cancelled"]  # her own
    with pytest.raises(ServiceValidationError) as err:
        await cancel("betjent_bo")  # gone now
    assert err.value.translation_key == "unknown_meeting"


async def test_a_restart_between_announcing_and_forewarning_still_forewarns(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    entry = await async_setup_town_hall(
        hass, routed_options(world), entry_id="town_hall"
    )
    await _announce(hass, start=TUESDAY_10)
    config_dir = hass.config.config_dir
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_teardown_world(hass)
    await hass.async_stop(force=True)

    async with async_test_home_assistant(config_dir=config_dir) as hass2:
        hass2.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        world2 = await async_build_world(hass2)
        phones = Phones(hass2)
        entry2 = await async_setup_town_hall(hass2, routed_options(world2), "town_hall")
        await _to(hass2, freezer, "2026-11-23T12:00:30+01:00")
        assert len(_forewarned(phones, "betjent_bo")) == 1
        assert await hass2.config_entries.async_unload(entry2.entry_id)
        await async_teardown_world(hass2)
        await hass2.async_stop(force=True)


async def test_a_threatening_arrival_tells_the_leader_and_the_officers(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, phones: Phones
) -> None:
    arrivals = async_capture_events(hass, EVENT_ARRIVAL)
    result = await hass.services.async_call(
        DOMAIN,
        "report_threatening_arrival",
        {"leader": "person.leder_lis", "expected": "2026-11-23T13:00:00+01:00"},
        blocking=True,
        return_response=True,
        context=Context(user_id=world.users["sagsbehandler_sara"]),
    )
    assert result == {"notified": 3}  # Lis, Bo and Birte
    (lis,) = phones.received["leder_lis"]
    assert "dit ansvar" in lis["message"]
    assert "kl. 13:00" in lis["message"]
    (bo,) = phones.received["betjent_bo"]
    assert "Leder Lis" in bo["message"]
    assert arrivals[0].data["leader"] == "Leder Lis"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "report_threatening_arrival",
            {"leader": "person.betjent_bo"},
            blocking=True,
        )
    assert err.value.translation_key == "not_a_leader"


CALENDAR = "calendar.radhuset_difficult_meetings"


def _calendar(hass: HomeAssistant) -> Any:
    from custom_components.raadhus_alarm.calendar import MeetingCalendar

    return next(
        e
        for e in hass.data["entity_components"]["calendar"].entities
        if isinstance(e, MeetingCalendar)
    )


async def test_a_meeting_made_in_the_calendar_is_one_like_any_other(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_MEETING)
    # A user in Home Assistant's "users" group may use the calendar's action.
    sara = await hass.auth.async_get_user(world.users["sagsbehandler_sara"])
    assert sara is not None
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Svær samtale – overvåges",
            "location": "Kontaktrum 1",
            "start_date_time": "2026-11-24 10:00:00",
            "end_date_time": "2026-11-24 11:00:00",
        },
        blocking=True,
        context=Context(user_id=sara.id),
    )
    (meeting,) = entry.runtime_data.meetings.book
    assert meeting.monitored
    assert meeting.announced_by == "Sagsbehandler Sara"
    assert [e.data["type"] for e in events] == ["announced"]
    listed = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": CALENDAR, "duration": {"days": 2}},
        blocking=True,
        return_response=True,
    )
    assert listed is not None
    (event,) = listed[CALENDAR]["events"]  # type: ignore[index]
    assert event["location"] == "Kontaktrum 1"
    # Forewarned like one announced by the action.
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 1


async def test_the_calendar_refuses_a_cpr_number_and_an_unknown_room(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    for extra, key in (
        ({"location": "Kontaktrum 1", "description": "CPR 0101901234"}, "cpr_refused"),
        ({"location": "Loftet"}, "unknown_room"),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await hass.services.async_call(
                "calendar",
                "create_event",
                {
                    "entity_id": CALENDAR,
                    "summary": "Svær samtale",
                    "start_date_time": "2026-11-24 10:00:00",
                    "end_date_time": "2026-11-24 11:00:00",
                    **extra,
                },
                blocking=True,
            )
        assert err.value.translation_key == key
    assert list(entry.runtime_data.meetings.book) == []


async def test_a_calendar_meeting_with_a_warning_says_so(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    """The calendar dialog cannot show warnings: a notification does."""
    from homeassistant.components import persistent_notification

    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Svær samtale",
            "location": "Kontaktrum 1",
            "start_date_time": "2026-11-27 14:00:00",  # Friday afternoon
            "end_date_time": "2026-11-27 15:00:00",
        },
        blocking=True,
    )
    await hass.async_block_till_done()
    shown = persistent_notification._async_get_or_create_notifications(hass)
    (note,) = [n for n in shown.values() if "meeting" in n["notification_id"]]
    assert "30.11. 15:30" in note["message"]  # the next Monday's police slot


async def _dialog(hass: HomeAssistant, hass_ws_client: Any, user_id: str | None) -> Any:
    """Home Assistant's calendar dialog, as a user (None: the test's admin)."""
    if user_id is None:
        return await hass_ws_client(hass)
    return await hass_ws_client(hass, await async_access_token(hass, user_id))


async def _send(ws: Any, msg_id: int, kind: str, **fields: Any) -> dict[str, Any]:
    await ws.send_json(
        {
            "id": msg_id,
            "type": f"calendar/event/{kind}",
            "entity_id": CALENDAR,
            **fields,
        }
    )
    reply: dict[str, Any] = await ws.receive_json()
    return reply


DIALOG_EVENT = {
    "summary": "Svær samtale",
    "location": "Kontaktrum 1",
    "dtstart": "2026-11-24T10:00:00+01:00",
    "dtend": "2026-11-24T11:00:00+01:00",
}


async def test_the_calendar_dialog_announces_changes_and_cancels_as_its_user(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    hass_ws_client: Any,
) -> None:
    """The dialog's user is the caller: the meeting is hers, and she may change it."""
    events: list[Event] = async_capture_events(hass, EVENT_MEETING)
    sara = world.users["sagsbehandler_sara"]
    ws = await _dialog(hass, hass_ws_client, sara)
    assert (await _send(ws, 1, "create", event=DIALOG_EVENT))["success"]
    (meeting,) = entry.runtime_data.meetings.book
    assert (meeting.announced_by, meeting.announced_by_person) == (
        "Sagsbehandler Sara",
        "person.sagsbehandler_sara",
    )
    # Moved to another room and Wednesday, monitored: a change, not a new one.
    moved = {
        **DIALOG_EVENT,
        "summary": "Svær samtale – overvåges",
        "location": "Kontaktrum 2",
        "dtstart": "2026-11-25T10:00:00+01:00",
        "dtend": "2026-11-25T11:00:00+01:00",
    }
    reply = await _send(ws, 2, "update", uid=meeting.id, event=moved)
    assert reply["success"], reply
    (changed,) = entry.runtime_data.meetings.book
    assert (changed.id, changed.room_id, changed.monitored) == (meeting.id, "k2", True)
    assert dt_util.as_local(changed.start).day == 25
    # Forewarned for the new day, not the old one.
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    assert _forewarned(phones, "betjent_bo") == []
    await _to(hass, freezer, "2026-11-24T12:00:30+01:00")
    (told,) = _forewarned(phones, "betjent_bo")
    assert "Kontaktrum 2" in told
    # A day later: a new session of the dialog (the old token has expired).
    ws = await _dialog(hass, hass_ws_client, sara)
    assert (await _send(ws, 1, "delete", uid=meeting.id))["success"]
    (cancelled,) = entry.runtime_data.meetings.book
    assert cancelled.cancelled
    assert [(e.data["type"], e.context.user_id) for e in events] == [
        ("announced", sara),
        ("changed", sara),
        ("forewarned", None),
        ("cancelled", sara),
    ]


async def test_the_calendar_dialog_keeps_the_gate(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, hass_ws_client: Any
) -> None:
    """Someone else's meeting: refused without the right, allowed to an officer."""
    meeting = await _announce(hass, world.users["sagsbehandler_sara"], start=TUESDAY_10)
    uid = meeting["meeting_id"]
    rita = await _dialog(hass, hass_ws_client, world.users["risiko_rita"])
    moved = {**DIALOG_EVENT, "location": "Kontaktrum 2"}
    for msg_id, kind, fields in (
        (1, "update", {"uid": uid, "event": moved}),
        (2, "delete", {"uid": uid}),
    ):
        reply = await _send(rita, msg_id, kind, **fields)
        assert reply["success"] is False
        assert reply["error"]["message"].startswith("Your role does not allow this")
    (still,) = entry.runtime_data.meetings.book
    assert (still.room_id, still.cancelled) == ("k1", False)
    # An unknown meeting, a meeting without a room: told, nothing changed.
    reply = await _send(rita, 3, "delete", uid="no-such-meeting")
    assert reply["success"] is False
    bo = await _dialog(hass, hass_ws_client, world.users["betjent_bo"])
    reply = await _send(bo, 1, "update", uid=uid, event={**moved, "location": ""})
    assert reply["success"] is False
    (still,) = entry.runtime_data.meetings.book
    assert still.room_id == "k1"
    assert (await _send(bo, 2, "delete", uid=uid))["success"]
    (cancelled,) = entry.runtime_data.meetings.book
    assert cancelled.cancelled


async def test_the_dialogs_user_stays_with_its_own_command(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, hass_ws_client: Any
) -> None:
    """After a dialog command, a direct call has no dialog user (refused)."""
    from custom_components.raadhus_alarm.calendar_dialog import dialog_user

    bo = await _dialog(hass, hass_ws_client, world.users["betjent_bo"])
    assert (await _send(bo, 1, "create", event=DIALOG_EVENT))["success"]
    assert dialog_user() is None
    (meeting,) = entry.runtime_data.meetings.book
    calendar = _calendar(hass)
    with pytest.raises(ServiceValidationError) as err:
        await calendar.async_delete_event(meeting.id)
    assert err.value.translation_key == "meeting_change_unknown_user"
    # A second start of the town hall does not wrap the commands twice.
    handlers = hass.data["websocket_api"]
    before = handlers["calendar/event/delete"]
    assert await hass.config_entries.async_reload(entry.entry_id)
    assert handlers["calendar/event/delete"] is before


async def test_the_room_shows_a_monitored_meeting_while_it_runs(
    hass: HomeAssistant, entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await _announce(hass, start=TUESDAY_10, monitored=True)
    sensor = "binary_sensor.kontaktrum_1_monitored_meeting"
    assert hass.states.get(sensor).state == "off"  # type: ignore[union-attr]
    await _to(hass, freezer, "2026-11-24T10:00:30+01:00")
    assert hass.states.get(sensor).state == "on"  # type: ignore[union-attr]
    await _to(hass, freezer, "2026-11-24T11:00:30+01:00")
    assert hass.states.get(sensor).state == "off"  # type: ignore[union-attr]


async def test_an_alarm_during_an_announced_meeting_says_so(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _announce(hass, start="2026-11-23T11:30:00+01:00", monitored=True)
    await _to(hass, freezer, "2026-11-23T11:35:00+01:00")
    phones.clear()
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    (alarm,) = phones.received["betjent_bo"]
    assert "Varslet samtale; betjentene er bedt om at overvåge den." in alarm["message"]
    (english,) = phones.received["betjent_birte"]
    assert (
        "Announced meeting; the officers are asked to monitor it." in english["message"]
    )


async def test_the_forewarning_blueprint_reaches_an_extra_channel(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The blueprint, imported as a user would, runs on the real forewarning."""
    screen = async_mock_service(hass, "test", "reception_screen")
    await async_use_blueprint(
        hass,
        "meeting_forewarning.yaml",
        {
            "forewarnings": ["soon"],
            "actions": [
                {
                    "action": "test.reception_screen",
                    "data": {"room": "{{ trigger.event.data.room_name }}"},
                }
            ],
        },
    )
    await _announce(hass, start=TUESDAY_10)
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")  # the day before: not chosen
    assert screen == []
    await _to(hass, freezer, "2026-11-24T09:45:30+01:00")  # soon
    assert [c.data for c in screen] == [{"room": "Kontaktrum 1"}]


# -- the rest of the desk ------------------------------------------------------


async def test_a_meetings_file_of_the_wrong_shape_is_read_as_empty(
    hass: HomeAssistant, world: World, phones: Phones, hass_storage: dict[str, Any]
) -> None:
    """(Not JSON at all is Home Assistant's storage's to keep aside and report.)"""
    hass_storage["raadhus_alarm.meetings"] = {
        "version": 1,
        "key": "raadhus_alarm.meetings",
        "data": ["not", "a", "mapping"],
    }
    entry = await async_setup_town_hall(hass, routed_options(world))
    assert list(entry.runtime_data.meetings.book) == []
    await _announce(hass, start=TUESDAY_10)  # and it works from there
    assert len(list(entry.runtime_data.meetings.book)) == 1


async def test_a_meetings_file_the_disk_cannot_read_is_reported(
    hass: HomeAssistant, world: World, phones: Phones
) -> None:
    """A failing disk (mocked): the file is moved aside, the issue raised."""
    from unittest.mock import patch

    from homeassistant.helpers import issue_registry as ir
    from homeassistant.helpers.storage import Store

    storage = Path(hass.config.path(".storage"))

    def _file() -> None:
        storage.mkdir(exist_ok=True)
        (storage / "raadhus_alarm.meetings").write_text("{}")

    await hass.async_add_executor_job(_file)
    with patch.object(Store, "async_load", side_effect=OSError("I/O error")):
        entry = await async_setup_town_hall(hass, routed_options(world))
    assert list(entry.runtime_data.meetings.book) == []
    aside = await hass.async_add_executor_job(
        lambda: sorted(p.name for p in storage.glob("raadhus_alarm.meetings.damaged-*"))
    )
    assert len(aside) == 1
    assert ir.async_get(hass).async_get_issue(DOMAIN, "meetings_unreadable")


async def test_unreadable_and_old_meetings_are_dropped_at_start(
    hass: HomeAssistant, world: World, phones: Phones
) -> None:
    from homeassistant.helpers.storage import Store

    old = {
        "id": "old",
        "room_id": "k1",
        "start": "2026-07-01T10:00:00+02:00",
        "end": "2026-07-01T11:00:00+02:00",
        "monitored": False,
        "announced_by": "Sagsbehandler Sara",
        "announced_at": "2026-06-30T10:00:00+02:00",
    }
    keep = {
        **old,
        "id": "keep",
        "start": TUESDAY_10,
        "end": "2026-11-24T11:00:00+01:00",
    }
    store: Store[dict[str, Any]] = Store(hass, 1, "raadhus_alarm.meetings")
    await store.async_save({"meetings": [old, keep, {"id": "broken"}]})
    entry = await async_setup_town_hall(hass, routed_options(world))
    assert [m.id for m in entry.runtime_data.meetings.book] == ["keep"]


async def test_changing_a_meeting_and_the_refusals_around_it(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    desk = entry.runtime_data.meetings
    meeting = await _announce(hass, world.users["sagsbehandler_sara"], start=TUESDAY_10)
    from homeassistant.util import dt as dt_util

    from custom_components.raadhus_alarm.permissions import Caller

    start = dt_util.parse_datetime("2026-11-24T13:00:00+01:00")
    assert start is not None
    changed, warnings = await desk.async_announce(
        Caller.system(),
        room="Kontaktrum 2",
        start=start,
        end=start + timedelta(hours=1),
        meeting_id=meeting["meeting_id"],
    )
    assert (changed.id, changed.room_id, warnings) == (meeting["meeting_id"], "k2", [])
    assert changed.announced_by == "Sagsbehandler Sara"  # still hers
    with pytest.raises(ServiceValidationError) as err:
        await desk.async_announce(
            Caller.system(), room="k1", start=start, end=start, meeting_id="nope"
        )
    assert err.value.translation_key == "unknown_meeting"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "report_threatening_arrival",
            {"leader": "person.leder_lis", "note": "010190-1234"},
            blocking=True,
        )
    assert err.value.translation_key == "cpr_refused"
    # The form's check before saving: the warnings, nothing stored.
    friday = dt_util.parse_datetime("2026-11-27T14:00:00+01:00")
    assert friday is not None
    preview = await desk.async_preview(
        room="Kontaktrum 1",
        start=friday,
        end=friday + (friday - start) * 0 + (start - start).__class__(hours=1),
    )
    assert [str(w.key) for w in preview] == ["outside_officer_hours"]
    with pytest.raises(ServiceValidationError):
        await desk.async_preview(room="Kontaktrum 1", start=friday, end=friday)
    assert len(list(desk.book)) == 1


async def test_a_local_time_without_a_zone_is_the_town_halls(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    result = await _announce(hass, start="2026-11-24 10:00:00")
    (meeting,) = entry.runtime_data.meetings.book
    assert meeting.id == result["meeting_id"]
    assert meeting.start.isoformat() == "2026-11-24T09:00:00+00:00"


async def test_without_officer_hours_only_the_soon_forewarning_comes(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    options = routed_options(world)
    options["schedules"] = {"officers_on_duty": "schedule.gone"}
    await async_setup_town_hall(hass, options)
    result = await _announce(hass, start=TUESDAY_10)
    assert [w["key"] for w in result["warnings"]] == ["no_officer_schedule"]
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    assert _forewarned(phones, "betjent_bo") == []
    await _to(hass, freezer, "2026-11-24T09:45:30+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 1


async def test_the_calendar_changes_and_cancels_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """Not even with a user's context at hand: it may be another call's."""
    meeting = await _announce(hass, world.users["sagsbehandler_sara"], start=TUESDAY_10)
    calendar = _calendar(hass)
    calendar.async_set_context(Context(user_id=world.users["sagsbehandler_sara"]))
    for change in (
        calendar.async_update_event(
            meeting["meeting_id"],
            {"summary": "x", "location": "Kontaktrum 2", "dtstart": date(2026, 11, 25)},
        ),
        calendar.async_delete_event(meeting["meeting_id"]),
    ):
        with pytest.raises(ServiceValidationError) as err:
            await change
        assert err.value.translation_key == "meeting_change_unknown_user"
    (still,) = entry.runtime_data.meetings.book
    assert (still.room_id, still.cancelled) == ("k1", False)


async def test_a_calendar_meeting_gives_its_announcer_no_rights(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """A context left by an earlier call must not make anyone its owner."""
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "calendar",
            "create_event",
            {
                "entity_id": CALENDAR,
                "summary": "Kontaktrum 1",  # a summary is never read as the room
                "start_date_time": "2026-11-24 10:00:00",
                "end_date_time": "2026-11-24 11:00:00",
            },
            blocking=True,
        )
    assert err.value.translation_key == "meeting_needs_room"
    await hass.services.async_call(
        "calendar",
        "create_event",
        {
            "entity_id": CALENDAR,
            "summary": "Svær samtale",
            "location": "Kontaktrum 1",
            "start_date_time": "2026-11-24 10:00:00",
            "end_date_time": "2026-11-24 11:00:00",
        },
        blocking=True,
    )
    (meeting,) = entry.runtime_data.meetings.book
    assert (meeting.announced_by, meeting.announced_by_person) == ("Kalender", None)


async def test_who_may_change_or_cancel_someone_elses_meeting(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    meeting = await _announce(hass, world.users["sagsbehandler_sara"], start=TUESDAY_10)
    with pytest.raises(ServiceValidationError) as err:  # no such role, not hers
        await hass.services.async_call(
            DOMAIN,
            "cancel_meeting",
            {"meeting_id": meeting["meeting_id"]},
            blocking=True,
            context=Context(user_id=world.users["risiko_rita"]),
        )
    assert err.value.translation_key == "not_permitted"
    result = await hass.services.async_call(  # an officer may
        DOMAIN,
        "cancel_meeting",
        {"meeting_id": meeting["meeting_id"]},
        blocking=True,
        return_response=True,
        context=Context(user_id=world.users["betjent_bo"]),
    )
    assert result == {"meeting_id": meeting["meeting_id"], "cancelled": True}


async def test_a_meeting_that_has_ended_is_refused(
    hass: HomeAssistant, entry: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await _announce(hass, start="2026-11-23T08:00:00+01:00")
    assert err.value.translation_key == "meeting_in_the_past"


async def test_a_changed_note_is_not_told_again_a_new_time_is(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    from homeassistant.util import dt as dt_util

    from custom_components.raadhus_alarm.permissions import Caller

    desk = entry.runtime_data.meetings
    meeting = await _announce(hass, start=TUESDAY_10)
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 1
    start = dt_util.parse_datetime(TUESDAY_10)
    assert start is not None
    await desk.async_announce(
        Caller.system(),
        room="Kontaktrum 1",
        start=start,
        end=start + timedelta(hours=1),
        note="Ny note",
        meeting_id=meeting["meeting_id"],
    )
    await advance(hass, freezer, 5)
    assert len(_forewarned(phones, "betjent_bo")) == 1  # the note: not told again
    later = start + timedelta(hours=3)
    await desk.async_announce(
        Caller.system(),
        room="Kontaktrum 1",
        start=later,
        end=later + timedelta(hours=1),
        meeting_id=meeting["meeting_id"],
    )
    await advance(hass, freezer, 5)
    assert len(_forewarned(phones, "betjent_bo")) == 2  # a new time: told at once


async def test_a_cancel_while_the_forewarning_goes_out_stands(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    from custom_components.raadhus_alarm.permissions import Caller

    desk = entry.runtime_data.meetings
    meeting = await _announce(hass, start=TUESDAY_10)
    cancelled: list[bool] = []
    original = desk.sender.async_send_to_role

    async def send_and_meanwhile_cancel(*args: Any, **kwargs: Any) -> Any:
        if not cancelled:
            cancelled.append(True)
            await desk.async_cancel(Caller.system(), meeting["meeting_id"])
        return await original(*args, **kwargs)

    desk.sender.async_send_to_role = send_and_meanwhile_cancel  # type: ignore[method-assign]
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    (still,) = desk.book
    assert still.cancelled  # the forewarning did not bring it back
    await _to(hass, freezer, "2026-11-24T09:50:00+01:00")
    assert len(_forewarned(phones, "betjent_bo")) == 1  # and no "soon" one


async def test_a_forewarning_no_phone_got_is_reported(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    from homeassistant.helpers import issue_registry as ir

    meeting = await _announce(hass, start=TUESDAY_10)
    phones.broken.update(phones.received)
    await _to(hass, freezer, "2026-11-23T12:00:30+01:00")
    issue = ir.async_get(hass).async_get_issue(
        DOMAIN, f"forewarning_{meeting['meeting_id']}"
    )
    assert issue is not None
    assert issue.translation_placeholders == {"room": "Kontaktrum 1", "time": "10:00"}


async def test_meeting_actions_need_the_town_hall(hass: HomeAssistant) -> None:
    from custom_components.raadhus_alarm.meeting_services import (
        async_setup_meeting_services,
    )

    async_setup_meeting_services(hass)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "cancel_meeting", {"meeting_id": "x"}, blocking=True
        )
    assert err.value.translation_key == "not_loaded"
