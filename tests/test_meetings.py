"""Tests for the pure announced-meetings logic (R7; no Home Assistant needed).

The schedules are the town hall's real ones, in Europe/Copenhagen: officers on
duty Mon 07:30–18:00, Tue–Thu 07:30–16:00, Fri 07:30–13:00; police present
Mon 15:30–16:30. The week of 6 January 2025 (no DST change) is the example
week; 30 March and 26 October 2025 are the DST changes.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
import json
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import assume, given, strategies as st
import pytest

from custom_components.raadhus_alarm.meetings import (
    Forewarning,
    Meeting,
    MeetingWarning,
    WarningKey,
    WeeklySchedule,
    contains_cpr,
    forewarnings,
    is_active,
    monitored_now,
    prune,
    today,
    warnings,
)

CPH = ZoneInfo("Europe/Copenhagen")
DAY = timedelta(days=1)
MON = date(2025, 1, 6)
TUE, WED, THU, FRI, SAT, SUN = (MON + n * DAY for n in range(1, 7))
NEXT_MON = MON + 7 * DAY
PREV_FRI = MON - 3 * DAY
SPRING = date(2025, 3, 30)  # a Sunday: 02:00 CET → 03:00 CEST
AUTUMN = date(2025, 10, 26)  # a Sunday: 03:00 CEST → 02:00 CET

OFFICERS_DATA: dict[str, Any] = {
    "monday": [{"from": "07:30:00", "to": "18:00:00"}],
    "tuesday": [{"from": "07:30:00", "to": "16:00:00"}],
    "wednesday": [{"from": "07:30:00", "to": "16:00:00"}],
    "thursday": [{"from": "07:30:00", "to": "16:00:00"}],
    "friday": [{"from": "07:30:00", "to": "13:00:00"}],
    "saturday": [],
    "sunday": [],
}
POLICE_DATA: dict[str, Any] = {"monday": [{"from": "15:30:00", "to": "16:30:00"}]}
OFFICERS = WeeklySchedule.from_schedule(OFFICERS_DATA, CPH)
POLICE = WeeklySchedule.from_schedule(POLICE_DATA, CPH)
EMPTY = WeeklySchedule.from_schedule({}, CPH)
ALWAYS = WeeklySchedule.from_schedule(
    {day: [{"from": "00:00:00", "to": "24:00:00"}] for day in OFFICERS_DATA}, CPH
)
# Officers' hours by weekday, for the brute-force checks.
HOURS = {0: (time(7, 30), time(18)), 4: (time(7, 30), time(13))}
HOURS |= {d: (time(7, 30), time(16)) for d in (1, 2, 3)}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """Copenhagen wall time (unambiguous on the days used with it)."""
    return datetime.combine(day, time(hour, minute, second), tzinfo=CPH)


def schedule(**days: list[tuple[str, str]]) -> WeeklySchedule:
    data = {d: [{"from": a, "to": b} for a, b in slots] for d, slots in days.items()}
    return WeeklySchedule.from_schedule(data, CPH)


def meeting(start: datetime, end: datetime | None = None, **kw: Any) -> Meeting:
    values: dict[str, Any] = {
        "id": "m1",
        "room_id": "room1",
        "start": start,
        "end": end or start + timedelta(hours=1),
        "monitored": True,
        "announced_by": "Sagsbehandler",
        "announced_at": start - 8 * DAY,
    }
    return Meeting(**(values | kw))


# Aware instants from 2024 to 2027 (all DST changes in between), in UTC.
instants = st.datetimes(
    min_value=datetime(2024, 1, 1),
    max_value=datetime(2027, 1, 1),
    timezones=st.just(UTC),
)


# -- WeeklySchedule: reading get_schedule's answer ------------------------------


def test_python_objects_and_json_strings_give_the_same_schedule() -> None:
    # In Python, get_schedule answers with time objects and time.max for 24:00.
    objects = {
        "monday": [{"from": time(7, 30), "to": time(18), "data": {"x": 1}}],
        "tuesday": [{"from": time(7, 30), "to": time(16)}],
        "wednesday": [{"from": time(7, 30), "to": time(16)}],
        "thursday": [{"from": time(7, 30), "to": time(16)}],
        "friday": [{"from": time(7, 30), "to": time(13)}],
    }
    assert WeeklySchedule.from_schedule(objects, CPH) == OFFICERS
    short = {
        day: [{"from": s["from"][:5], "to": s["to"][:5]} for s in slots]
        for day, slots in OFFICERS_DATA.items()
    }
    assert WeeklySchedule.from_schedule(short, CPH) == OFFICERS


@pytest.mark.parametrize("end", ["24:00:00", "24:00", "00:00:00", time.max, time(0)])
def test_an_end_of_24_00_or_00_00_is_the_end_of_the_day(end: object) -> None:
    late = WeeklySchedule.from_schedule({"friday": [{"from": "20:00", "to": end}]}, CPH)
    assert late.is_on(at(FRI, 23, 59, 59))
    assert not late.is_on(at(SAT, 0))
    assert late.contains(at(FRI, 22), at(SAT, 0))
    assert not late.contains(at(FRI, 22), at(SAT, 0, 1))


def test_slots_are_sorted_and_unknown_keys_ignored() -> None:
    data = {
        "monday": [{"from": "12:00", "to": "13:00"}, {"from": "08:00", "to": "09:00"}]
    }
    parsed = WeeklySchedule.from_schedule({**data, "holiday": "whatever"}, CPH)
    assert parsed.days[0] == ((time(8), time(9)), (time(12), time(13)))
    assert parsed.days[1:] == ((),) * 6


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"monday": "07:30-16:00"},
        {"monday": ["07:30"]},
        {"monday": [{"from": "07:30"}]},
        {"monday": [{"from": "7.30", "to": "16:00"}]},
        {"monday": [{"from": "07:30", "to": "25:00"}]},
        {"monday": [{"from": "07:30", "to": "24:30"}]},
        {"monday": [{"from": "07:30:00:00", "to": "16:00"}]},
        {"monday": [{"from": "-7:30", "to": "16:00"}]},
        {"monday": [{"from": "٠٧:٣٠", "to": "16:00"}]},
        {"monday": [{"from": "24:00", "to": "24:00"}]},
        {"monday": [{"from": "16:00", "to": "07:30"}]},
        {"monday": [{"from": "16:00", "to": "16:00"}]},
        {"monday": [{"from": 730, "to": "16:00"}]},
    ],
)
def test_a_malformed_schedule_is_refused(data: Any) -> None:
    with pytest.raises(ValueError):
        WeeklySchedule.from_schedule(data, CPH)


def test_a_week_has_seven_days() -> None:
    with pytest.raises(ValueError):
        WeeklySchedule(((),) * 6, CPH)


# -- WeeklySchedule: questions ---------------------------------------------------


def test_is_on_follows_the_officers_hours() -> None:
    assert not OFFICERS.is_on(at(MON, 7, 29, 59))
    assert OFFICERS.is_on(at(MON, 7, 30))
    assert OFFICERS.is_on(at(MON, 17, 59, 59))
    assert not OFFICERS.is_on(at(MON, 18))
    assert OFFICERS.is_on(at(TUE, 15, 59))
    assert not OFFICERS.is_on(at(TUE, 16))
    assert OFFICERS.is_on(at(FRI, 12))
    assert not OFFICERS.is_on(at(FRI, 13))
    assert not OFFICERS.is_on(at(SAT, 12))
    assert not OFFICERS.is_on(at(SUN, 12))
    assert OFFICERS.is_on(at(MON, 7, 30).astimezone(UTC))  # any zone will do
    assert not EMPTY.is_on(at(MON, 12))
    assert ALWAYS.is_on(at(SUN, 23, 59, 59))


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError):
        OFFICERS.is_on(datetime(2025, 1, 6, 12))


def test_contains_needs_the_whole_interval_inside_one_period() -> None:
    assert OFFICERS.contains(at(TUE, 10), at(TUE, 11))
    assert OFFICERS.contains(at(MON, 7, 30), at(MON, 18))
    assert OFFICERS.contains(at(FRI, 12), at(FRI, 13))
    assert not OFFICERS.contains(at(FRI, 12, 30), at(FRI, 13, 30))
    assert not OFFICERS.contains(at(MON, 7), at(MON, 8))
    assert not OFFICERS.contains(at(MON, 17, 30), at(MON, 18, 30))
    assert not OFFICERS.contains(at(MON, 10), at(TUE, 10))  # the night between
    assert not OFFICERS.contains(at(TUE, 11), at(TUE, 10))  # backwards
    assert not OFFICERS.contains(at(SAT, 10), at(SAT, 11))
    assert not EMPTY.contains(at(TUE, 10), at(TUE, 11))
    assert ALWAYS.contains(at(MON, 0), at(NEXT_MON + 7 * DAY, 0))


def test_touching_and_overlapping_slots_are_one_period() -> None:
    split = schedule(
        monday=[("08:00", "12:00"), ("12:00", "16:00")],
        tuesday=[("09:00", "11:00"), ("10:00", "12:00")],
        wednesday=[("20:00", "24:00")],
        thursday=[("00:00", "02:00")],
    )
    assert split.contains(at(MON, 11), at(MON, 13))
    assert split.contains(at(TUE, 9), at(TUE, 12))
    assert split.contains(at(WED, 23), at(THU, 1))  # over midnight
    assert split.next_start(at(MON, 9)) == at(TUE, 9)  # not the 12:00 seam
    assert split.next_start(at(WED, 21)) == at(NEXT_MON, 8)  # nor midnight


def test_next_start_is_strictly_after() -> None:
    assert POLICE.next_start(at(FRI, 14)) == at(NEXT_MON, 15, 30)
    assert POLICE.next_start(at(MON, 15, 29)) == at(MON, 15, 30)
    assert POLICE.next_start(at(MON, 15, 30)) == at(NEXT_MON, 15, 30)
    assert OFFICERS.next_start(at(FRI, 13)) == at(NEXT_MON, 7, 30)
    assert OFFICERS.next_start(at(TUE, 16)) == at(WED, 7, 30)
    start = OFFICERS.next_start(at(MON, 12).astimezone(UTC))
    assert start == at(TUE, 7, 30)
    assert start.tzinfo is UTC


def test_next_start_is_none_without_any_start() -> None:
    assert EMPTY.next_start(at(MON, 12)) is None
    assert ALWAYS.next_start(at(MON, 12)) is None


def test_working_day_before() -> None:
    assert OFFICERS.working_day_before(TUE) == MON
    assert OFFICERS.working_day_before(MON) == PREV_FRI
    assert OFFICERS.working_day_before(SAT) == FRI
    assert OFFICERS.working_day_before(SUN) == FRI
    assert POLICE.working_day_before(MON) == MON - 7 * DAY
    assert EMPTY.working_day_before(MON) is None


def test_dst_wall_times_become_the_right_instants() -> None:
    after = SPRING + DAY  # Monday 31 March, summer time: 07:30 is 05:30 UTC
    assert OFFICERS.next_start(at(SPRING, 12)) == datetime(
        2025, 3, 31, 5, 30, tzinfo=UTC
    )
    assert OFFICERS.working_day_before(after) == SPRING - 2 * DAY
    night = schedule(sunday=[("01:00", "04:00")])
    assert night.contains(  # two real hours, 00:00–02:00 UTC
        datetime(2025, 3, 30, 0, tzinfo=UTC), datetime(2025, 3, 30, 2, tzinfo=UTC)
    )
    assert not night.is_on(datetime(2025, 3, 30, 2, tzinfo=UTC))
    assert night.contains(  # four real hours in autumn, 23:00–03:00 UTC
        datetime(2025, 10, 25, 23, tzinfo=UTC), datetime(2025, 10, 26, 3, tzinfo=UTC)
    )
    # 02:30 does not exist in spring: like the schedule entity, fold=0 puts it
    # an hour later (03:30 CEST); in autumn it is the first 02:30 (CEST).
    skipped = schedule(sunday=[("02:30", "05:00")])
    assert not skipped.is_on(at(SPRING, 3, 15))
    assert skipped.is_on(at(SPRING, 3, 30))
    assert skipped.next_start(at(AUTUMN, 0)) == datetime(
        2025, 10, 26, 0, 30, tzinfo=UTC
    )


def _wall_clock_on(moment: datetime) -> bool:
    """The schedule entity's own rule: the local weekday and time in a slot."""
    local = moment.astimezone(CPH)
    hours = HOURS.get(local.weekday())
    return hours is not None and hours[0] <= local.time() < hours[1]


@given(instants)
def test_is_on_agrees_with_the_wall_clock(moment: datetime) -> None:
    assert OFFICERS.is_on(moment) == _wall_clock_on(moment)


@given(instants, st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=30)))
def test_contains_agrees_with_the_wall_clock(
    start: datetime, length: timedelta
) -> None:
    end = start + length
    first, last = start.astimezone(CPH), end.astimezone(CPH)
    hours = HOURS.get(first.weekday())
    expected = (
        hours is not None
        and hours[0] <= first.time() < hours[1]
        and (last.date() == first.date() and last.time() <= hours[1])
    )
    assert OFFICERS.contains(start, end) == expected


@given(instants)
def test_next_start_is_the_next_weekday_half_past_seven(after: datetime) -> None:
    local = after.astimezone(CPH).date()
    candidates = (at(local + n * DAY, 7, 30) for n in range(9))
    expected = next(c for c in candidates if c.weekday() < 5 and c > after)
    found = OFFICERS.next_start(after)
    assert found == expected
    assert found is not None
    assert OFFICERS.is_on(found)
    assert not OFFICERS.is_on(found - timedelta(seconds=1))


# -- Meeting ---------------------------------------------------------------------


def test_a_meeting_needs_aware_times_and_a_positive_length() -> None:
    naive = datetime(2025, 1, 7, 10)
    for bad in ({"start": naive}, {"end": naive}, {"announced_at": naive}):
        with pytest.raises(ValueError):
            replace(meeting(at(TUE, 10)), **bad)
    with pytest.raises(ValueError):
        meeting(at(TUE, 10), at(TUE, 10))
    with pytest.raises(ValueError):
        meeting(at(TUE, 10), at(TUE, 9))


def test_told_marks_one_forewarning() -> None:
    m = meeting(at(TUE, 10))
    assert m.told(Forewarning.DAY_BEFORE) == replace(m, told_day_before=True)
    assert m.told(Forewarning.SOON) == replace(m, told_soon=True)


def test_to_dict_is_plain_json_with_iso_times() -> None:
    m = meeting(at(TUE, 10), note="Vred borger", announced_at=at(MON, 9))
    assert m.to_dict() == {
        "id": "m1",
        "room_id": "room1",
        "start": "2025-01-07T10:00:00+01:00",
        "end": "2025-01-07T11:00:00+01:00",
        "monitored": True,
        "announced_by": "Sagsbehandler",
        "announced_at": "2025-01-06T09:00:00+01:00",
        "note": "Vred borger",
        "told_day_before": False,
        "told_soon": False,
        "cancelled": False,
        "announced_by_person": None,
    }


def test_cancel_was_told_and_the_empty_schedule() -> None:
    m = meeting(at(TUE, 10))
    assert m.cancel().cancelled
    assert not m.cancelled
    assert not m.was_told(Forewarning.SOON)
    assert m.told(Forewarning.SOON).was_told(Forewarning.SOON)
    assert m.told(Forewarning.DAY_BEFORE).was_told(Forewarning.DAY_BEFORE)
    never = WeeklySchedule.empty(CPH)
    assert not never.is_on(at(TUE, 10))
    assert never.next_start(at(TUE, 10)) is None
    # Without officers' hours only the "soon" forewarning is left.
    assert [k for k, _ in forewarnings(m, never, at(MON, 9))] == [Forewarning.SOON]


zones = st.sampled_from([UTC, CPH, ZoneInfo("America/New_York")])


@st.composite
def meetings(draw: st.DrawFn) -> Meeting:
    zone = draw(zones)
    start = draw(instants)
    length = draw(st.timedeltas(timedelta(seconds=1), timedelta(hours=10)))
    return Meeting(
        id=draw(st.text()),
        room_id=draw(st.text()),
        start=start.astimezone(zone),
        end=(start + length).astimezone(zone),
        monitored=draw(st.booleans()),
        announced_by=draw(st.text()),
        announced_at=draw(instants),
        note=draw(st.text()),
        told_day_before=draw(st.booleans()),
        told_soon=draw(st.booleans()),
        cancelled=draw(st.booleans()),
    )


@given(meetings())
def test_a_meeting_round_trips_through_json(m: Meeting) -> None:
    back = Meeting.from_dict(json.loads(json.dumps(m.to_dict())))
    assert back == m
    assert back.start.utcoffset() == m.start.utcoffset()


def test_from_dict_tolerates_missing_flags_and_unknown_keys() -> None:
    m = meeting(at(TUE, 10))
    data = m.to_dict()
    for key in ("note", "told_day_before", "told_soon", "cancelled"):
        del data[key]
    assert Meeting.from_dict(data | {"from_the_future": 1}) == m


@pytest.mark.parametrize(
    "key",
    ["id", "room_id", "start", "end", "monitored", "announced_by", "announced_at"],
)
def test_from_dict_refuses_a_record_missing_what_the_meeting_is(key: str) -> None:
    data = meeting(at(TUE, 10)).to_dict()
    del data[key]
    with pytest.raises(ValueError):
        Meeting.from_dict(data)


@pytest.mark.parametrize(
    "change",
    [
        {"id": 1},
        {"room_id": None},
        {"monitored": "true"},
        {"cancelled": 1},
        {"told_soon": None},
        {"note": None},
        {"start": "tuesday"},
        {"start": "2025-01-07T10:00:00"},  # naive: the zone is never guessed
        {"end": 1736240400},
        {"end": "2025-01-07T09:00:00+01:00"},  # before the start
    ],
)
def test_from_dict_refuses_a_damaged_record(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Meeting.from_dict(meeting(at(TUE, 10)).to_dict() | change)


def test_from_dict_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(ValueError):
        Meeting.from_dict(["m1"])  # type: ignore[arg-type]


# -- forewarnings ----------------------------------------------------------------

DB, SOON = Forewarning.DAY_BEFORE, Forewarning.SOON


def test_a_tuesday_meeting_is_told_on_monday_at_noon_and_at_9_45() -> None:
    m = meeting(at(TUE, 10))
    assert forewarnings(m, OFFICERS, at(MON - 7 * DAY, 9)) == [
        (DB, at(MON, 12)),
        (SOON, at(TUE, 9, 45)),
    ]
    assert forewarnings(m, OFFICERS, at(MON, 12)) == [
        (DB, at(MON, 12)),
        (SOON, at(TUE, 9, 45)),
    ]


def test_a_monday_meeting_is_told_on_the_friday_before() -> None:
    m = meeting(at(MON, 10))
    assert forewarnings(m, OFFICERS, at(PREV_FRI, 8)) == [
        (DB, at(PREV_FRI, 12)),
        (SOON, at(MON, 9, 45)),
    ]


def test_announced_late_while_the_officers_are_on_duty_is_told_at_once() -> None:
    m = meeting(at(TUE, 10), announced_at=at(MON, 15))
    assert forewarnings(m, OFFICERS, at(MON, 15)) == [
        (DB, at(MON, 15)),
        (SOON, at(TUE, 9, 45)),
    ]
    # The same day, in the morning: still told at once, as "day_before".
    assert forewarnings(meeting(at(TUE, 14)), OFFICERS, at(TUE, 8)) == [
        (DB, at(TUE, 8)),
        (SOON, at(TUE, 13, 45)),
    ]


def test_announced_late_off_duty_waits_for_the_officers_next_duty() -> None:
    m = meeting(at(TUE, 10))
    assert forewarnings(m, OFFICERS, at(MON, 19)) == [
        (DB, at(TUE, 7, 30)),
        (SOON, at(TUE, 9, 45)),
    ]
    # Announced on Friday afternoon for Monday: told Monday at 07:30.
    assert forewarnings(meeting(at(NEXT_MON, 10)), OFFICERS, at(FRI, 14)) == [
        (DB, at(NEXT_MON, 7, 30)),
        (SOON, at(NEXT_MON, 9, 45)),
    ]


def test_the_day_before_one_is_dropped_when_the_soon_one_comes_first() -> None:
    # Duty starts 07:30, the soon one is due at 07:25: it covers both.
    assert forewarnings(meeting(at(TUE, 7, 40)), OFFICERS, at(MON, 19)) == [
        (SOON, at(TUE, 7, 25)),
    ]
    assert forewarnings(meeting(at(TUE, 7, 45)), OFFICERS, at(MON, 19)) == [
        (SOON, at(TUE, 7, 30)),  # equal times: the soon one alone
    ]
    # On duty, 10 minutes before the start: only the soon one, at once.
    assert forewarnings(meeting(at(TUE, 10)), OFFICERS, at(TUE, 9, 50)) == [
        (SOON, at(TUE, 9, 50)),
    ]


def test_nothing_once_started_ended_or_cancelled() -> None:
    m = meeting(at(TUE, 10))
    assert forewarnings(m, OFFICERS, at(TUE, 10)) == []
    assert forewarnings(m, OFFICERS, at(TUE, 10, 30)) == []
    assert forewarnings(m, OFFICERS, at(TUE, 11)) == []
    assert forewarnings(replace(m, cancelled=True), OFFICERS, at(MON, 9)) == []


def test_what_was_sent_is_not_sent_again() -> None:
    m = meeting(at(TUE, 10))
    now = at(MON, 9)
    assert forewarnings(m.told(DB), OFFICERS, now) == [(SOON, at(TUE, 9, 45))]
    assert forewarnings(m.told(SOON), OFFICERS, now) == [(DB, at(MON, 12))]
    assert forewarnings(m.told(DB).told(SOON), OFFICERS, now) == []


def test_without_officer_hours_only_the_soon_one_is_left() -> None:
    assert forewarnings(meeting(at(TUE, 10)), EMPTY, at(MON, 9)) == [
        (SOON, at(TUE, 9, 45))
    ]


def test_the_times_are_adjustable() -> None:
    found = forewarnings(
        meeting(at(TUE, 10)),
        OFFICERS,
        at(MON, 9),
        day_before_time=time(9, 30),
        soon=timedelta(hours=1),
    )
    assert found == [(DB, at(MON, 9, 30)), (SOON, at(TUE, 9))]
    with pytest.raises(ValueError):
        forewarnings(meeting(at(TUE, 10)), OFFICERS, at(MON, 9), soon=-DAY)


def test_forewarnings_across_the_spring_change() -> None:
    monday = meeting(at(SPRING + DAY, 10))  # CEST
    assert forewarnings(monday, OFFICERS, at(SPRING - 3 * DAY, 8)) == [
        (DB, datetime(2025, 3, 28, 11, tzinfo=UTC)),  # Friday 12:00 CET
        (SOON, datetime(2025, 3, 31, 7, 45, tzinfo=UTC)),  # 09:45 CEST
    ]
    # Two real hours before 03:30 CEST is 00:30 CET, not the wall's 01:30.
    early = meeting(at(SPRING, 3, 30))
    found = forewarnings(early, OFFICERS, at(SPRING, 0), soon=timedelta(hours=2))
    assert found[-1] == (SOON, datetime(2025, 3, 29, 23, 30, tzinfo=UTC))
    assert found[-1][1].tzinfo is UTC


@st.composite
def announcements(draw: st.DrawFn) -> tuple[Meeting, datetime]:
    start = draw(instants)
    m = meeting(
        start,
        start + draw(st.timedeltas(timedelta(minutes=5), timedelta(hours=4))),
        announced_at=start - draw(st.timedeltas(timedelta(0), 10 * DAY)),
    )
    return m, m.announced_at


@given(announcements())
def test_playing_the_glue_each_forewarning_comes_once_and_in_time(
    case: tuple[Meeting, datetime],
) -> None:
    """Send what is due, mark it told, sleep until the next due time."""
    m, now = case
    sent: list[tuple[Forewarning, datetime]] = []
    for _ in range(10):
        due = forewarnings(m, OFFICERS, now)
        assert all(when >= now for _, when in due)
        assert [when for _, when in due] == sorted(when for _, when in due)
        if not due:
            break
        kind, when = due[0]
        now = when
        sent.append((kind, now))
        m = m.told(kind)
    else:
        pytest.fail("forewarnings never settle")
    kinds = [kind for kind, _ in sent]
    assume(m.announced_at < m.start)
    assert kinds in ([DB, SOON], [SOON])
    assert sent[-1][1] == max(m.start - timedelta(minutes=15), m.announced_at)
    if kinds[0] is DB:  # told while the officers are on duty
        assert OFFICERS.is_on(sent[0][1])


# -- warnings --------------------------------------------------------------------

OUTSIDE = WarningKey.OUTSIDE_OFFICER_HOURS


def test_a_friday_afternoon_meeting_is_outside_hours_police_on_monday() -> None:
    m = meeting(at(FRI, 14))
    assert warnings(m, [], OFFICERS, POLICE) == [
        MeetingWarning(OUTSIDE, suggestion=at(NEXT_MON, 15, 30))
    ]
    late_monday = meeting(at(MON, 17, 30))  # runs past 18:00
    assert warnings(late_monday, [], OFFICERS, POLICE) == [
        MeetingWarning(OUTSIDE, suggestion=at(NEXT_MON, 15, 30))
    ]
    assert warnings(m, [], OFFICERS, None) == [MeetingWarning(OUTSIDE)]
    assert warnings(m, [], OFFICERS, EMPTY) == [MeetingWarning(OUTSIDE)]


def test_a_meeting_in_hours_has_no_warning() -> None:
    assert warnings(meeting(at(TUE, 10)), [], OFFICERS, POLICE) == []
    assert warnings(meeting(at(FRI, 12)), [], OFFICERS, POLICE) == []


def test_police_present_for_the_whole_meeting_is_said_not_suggested() -> None:
    weekend = schedule(saturday=[("10:00", "14:00")])
    found = warnings(meeting(at(SAT, 11)), [], OFFICERS, weekend)
    assert found == [MeetingWarning(OUTSIDE, police_present=True)]


def test_no_officer_schedule_is_a_warning_of_its_own() -> None:
    found = warnings(meeting(at(TUE, 10)), [], None, POLICE)
    assert found == [MeetingWarning(WarningKey.NO_OFFICER_SCHEDULE)]


def test_overlaps_in_the_same_room() -> None:
    m = meeting(at(TUE, 10), at(TUE, 11))
    clash_late = meeting(at(TUE, 10, 30), id="late")
    clash_early = meeting(at(TUE, 9), at(TUE, 10, 1), id="early")
    others = [
        m,  # itself (an edit)
        clash_late,
        clash_early,
        meeting(at(TUE, 11), id="after"),  # back to back
        meeting(at(TUE, 9), at(TUE, 10), id="before"),
        meeting(at(TUE, 10), id="elsewhere", room_id="room2"),
        meeting(at(TUE, 10), id="cancelled", cancelled=True),
    ]
    assert warnings(m, others, OFFICERS, POLICE) == [
        MeetingWarning(
            WarningKey.OVERLAP,
            other_id=o.id,
            other_start=o.start,
            other_end=o.end,
        )
        for o in (clash_early, clash_late)
    ]


def test_officer_warning_comes_before_overlaps_and_cancelled_has_none() -> None:
    m = meeting(at(FRI, 14))
    other = meeting(at(FRI, 14), id="other")
    found = warnings(m, iter([other]), OFFICERS, POLICE)
    assert [w.key for w in found] == [OUTSIDE, WarningKey.OVERLAP]
    assert warnings(replace(m, cancelled=True), [other], OFFICERS, POLICE) == []


# -- contains_cpr ----------------------------------------------------------------

SEPARATORS = ["", "-", " ", "\u00a0", "\u2011", "\u2013"]
no_digit_edge = st.text().filter(
    lambda s: not s or not s[-1].isascii() or not s[-1].isdigit()
)


def _cpr(day: date, separator: str, serial: int) -> str:
    return f"{day:%d%m%y}{separator}{serial:04d}"


@given(
    st.dates(date(1858, 1, 1), date(2057, 12, 31)),
    st.sampled_from(SEPARATORS),
    st.integers(0, 9999),
    no_digit_edge,
    no_digit_edge.map(lambda s: s[::-1]),
)
def test_every_cpr_shape_is_caught(
    day: date, separator: str, serial: int, before: str, after: str
) -> None:
    assert contains_cpr(before + _cpr(day, separator, serial) + after)


@given(st.dates(date(1900, 1, 1), date(2099, 12, 31)), st.integers(0, 9999))
def test_a_cpr_inside_a_longer_digit_run_is_not_one(day: date, serial: int) -> None:
    cpr = _cpr(day, "", serial)
    assert not contains_cpr("1" + cpr)
    assert not contains_cpr(cpr + "0")
    assert not contains_cpr(f"{_cpr(day, '-', serial)}5")


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "CPR: 311299 1234.",
        "290200-1234",  # 29 February 2000
        "borger 010190–1234, ring",
        "første 123456-1234, så 010190-1234",
    ],
)
def test_cpr_examples(text: str) -> None:
    assert contains_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Borger var vred sidst, tal roligt.",
        "12345678",  # a CVR number
        "tlf. 12345678",
        "+45 12 34 56 78",
        "201901011234",  # a 12-digit case number
        "010190-12345",
        "1010190-1234",
        "320190-1234",  # no 32nd
        "011390-1234",  # no 13th month
        "000190-1234",
        "290201-1234",  # 2001 is no leap year
        "01-01-90-1234",
        "010190--1234",
        "010190-123",
        "01019 01234",
        "kl. 10:00-11:00 i lokale 2",
    ],
)
def test_not_cpr_examples(text: str) -> None:
    assert not contains_cpr(text)


@given(st.text(alphabet="0123456789").filter(lambda s: len(s) != 10))
def test_a_digit_run_that_is_not_ten_long_is_no_cpr(digits: str) -> None:
    assert not contains_cpr(digits)


@given(st.text().filter(lambda s: not any(c in "0123456789" for c in s)))
def test_text_without_digits_is_no_cpr(text: str) -> None:
    assert not contains_cpr(text)


# -- prune, is_active, monitored_now, today ----------------------------------------


def test_prune_keeps_what_ended_recently_or_not_yet() -> None:
    old = meeting(at(MON, 9), id="old")
    edge = meeting(at(MON, 10), id="edge")  # ends exactly `keep` ago
    future = meeting(at(FRI, 10), id="future")
    gone = meeting(at(MON, 8), id="gone", cancelled=True)
    kept = prune([future, old, edge, gone], at(TUE, 11), keep=DAY)
    assert kept == [future, edge]
    assert prune([], at(TUE, 11), DAY) == []


def test_is_active_is_half_open_and_never_for_a_cancelled_meeting() -> None:
    m = meeting(at(TUE, 10))
    assert not is_active(m, at(TUE, 9, 59, 59))
    assert is_active(m, at(TUE, 10))
    assert is_active(m, at(TUE, 10, 59, 59).astimezone(UTC))
    assert not is_active(m, at(TUE, 11))
    assert not is_active(replace(m, cancelled=True), at(TUE, 10, 30))


def test_monitored_now_picks_the_running_monitored_meeting_of_the_room() -> None:
    first = meeting(at(TUE, 10), id="first")
    second = meeting(at(TUE, 10, 30), id="second")
    unmonitored = meeting(at(TUE, 9), at(TUE, 12), id="plain", monitored=False)
    cancelled = meeting(at(TUE, 9), at(TUE, 12), id="off", cancelled=True)
    other_room = meeting(at(TUE, 9), at(TUE, 12), id="away", room_id="room2")
    every = [second, unmonitored, cancelled, other_room, first]
    assert monitored_now(every, "room1", at(TUE, 10, 45)) == first
    assert monitored_now(every, "room1", at(TUE, 11, 15)) == second
    assert monitored_now(every, "room1", at(TUE, 9, 30)) is None
    assert monitored_now(every, "room2", at(TUE, 9, 30)) == other_room
    assert monitored_now([], "room1", at(TUE, 10)) is None


def test_today_lists_the_local_days_meetings_by_start() -> None:
    late = meeting(at(TUE, 14), id="late", cancelled=True)
    early = meeting(at(TUE, 8), id="early")
    overnight = meeting(at(MON, 23), at(TUE, 1), id="overnight")
    until_midnight = meeting(at(MON, 23), at(TUE, 0), id="until_midnight")
    tomorrow = meeting(at(WED, 0), id="tomorrow")
    every = [late, tomorrow, early, until_midnight, overnight]
    assert today(every, at(TUE, 12), CPH) == [overnight, early, late]
    # 23:30 UTC on Tuesday is already Wednesday in Copenhagen.
    assert today(every, datetime(2025, 1, 7, 23, 30, tzinfo=UTC), CPH) == [tomorrow]
    assert today(every, datetime(2025, 1, 7, 23, 30, tzinfo=UTC), UTC) == [
        early,  # 07:00–08:00 UTC
        late,
        tomorrow,  # 23:00 UTC
    ]


def test_today_on_the_25_hour_autumn_day() -> None:
    # 23:30–24:00 CET: a day taken as 24 hours from midnight would miss it.
    start = datetime(2025, 10, 26, 22, 30, tzinfo=UTC)
    last = meeting(start, start + timedelta(minutes=30), id="last")
    assert today([last], at(AUTUMN, 12), CPH) == [last]
    assert today([last], at(AUTUMN + DAY, 12), CPH) == []
