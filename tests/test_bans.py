"""Tests for the pure attendance-ban and drill logic (R8, R9; no Home Assistant).

Times are Copenhagen wall times; 30 March and 26 October 2025 are the DST
changes (02:00 CET → 03:00 CEST, and 03:00 CEST → 02:00 CET).
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
import json
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.raadhus_alarm.bans import (
    Ban,
    active,
    add_months,
    cpr_fields,
    default_end,
    drill_due,
    drill_overdue,
    drill_reminder,
    expired_to_delete,
    is_active,
    reminder_due,
)

CPH = ZoneInfo("Europe/Copenhagen")
DAY = timedelta(days=1)
NAIVE = datetime(2025, 1, 6, 10)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


def at(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=CPH)


def ban(start: datetime, end: datetime | None = None, **kw: Any) -> Ban:
    values: dict[str, Any] = {
        "id": "b1",
        "case_reference": "2025-0042",
        "issued_by": "Lone Leder",
        "centre": "Jobcenter",
        "start": start,
        "end": default_end(start) if end is None else end,
        "created_by": "Sara Sekretær",
        "created_at": start,
    }
    return Ban(**(values | kw))


# -- default_end ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(2025, 1, 6), at(2025, 7, 6)),
        (at(2025, 8, 31), at(2026, 2, 28)),  # clamped to February's last
        (at(2023, 8, 31), at(2024, 2, 29)),  # a leap year
        (at(2025, 12, 31), at(2026, 6, 30)),
        (at(2025, 7, 15, 23, 59), at(2026, 1, 15, 23, 59)),
    ],
)
def test_a_ban_ends_six_months_on_by_default(start: datetime, end: datetime) -> None:
    assert default_end(start) == end
    assert default_end(start).tzinfo is CPH


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2025, 1, 15, 9), at(2025, 7, 15, 9), 181 * 24 - 1),
        (at(2025, 5, 10, 9), at(2025, 11, 10, 9), 184 * 24 + 1),
    ],
)
def test_default_end_keeps_the_wall_time_across_dst(
    start: datetime, end: datetime, hours: int
) -> None:
    got = default_end(start)
    assert (got.date(), got.time()) == (end.date(), end.time())
    assert got.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=hours)


def test_default_end_in_the_spring_gap_moves_on_by_the_gap() -> None:
    got = default_end(at(2024, 9, 30, 2, 30))  # 30 March 2025 02:30 is skipped
    assert (got.date(), got.time()) == (date(2025, 3, 30), time(3, 30))
    assert got.utcoffset() == timedelta(hours=2)


def test_default_end_in_the_repeated_autumn_hour_is_the_first() -> None:
    got = default_end(at(2025, 4, 26, 2, 30))
    assert got.astimezone(UTC) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_default_end_takes_other_lengths_and_fixed_offsets() -> None:
    plus2 = timezone(timedelta(hours=2))
    start = datetime(2025, 5, 31, 8, tzinfo=plus2)
    assert default_end(start, 1) == datetime(2025, 6, 30, 8, tzinfo=plus2)
    assert default_end(start, 12) == datetime(2026, 5, 31, 8, tzinfo=plus2)
    assert add_months(start, -3) == datetime(2025, 2, 28, 8, tzinfo=plus2)


def test_default_end_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="aware"):
        default_end(NAIVE)


@given(
    st.datetimes(datetime(2000, 1, 1), datetime(2090, 12, 31), timezones=st.just(CPH)),
    st.integers(0, 36),
)
def test_add_months_lands_on_the_clamped_day(start: datetime, months: int) -> None:
    got = add_months(start, months)
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    assert (got.year, got.month) == (year, month + 1)
    assert got.day == min(start.day, monthrange(year, month + 1)[1])
    assert got.tzinfo is CPH
    if got.time() != start.time():  # only a wall time the spring change skips
        assert (got.month, got.hour, start.hour) == (3, 3, 2)
        assert got.minute == start.minute
    assert got.astimezone(UTC) >= start.astimezone(UTC)


# -- Ban, to_dict, from_dict ------------------------------------------------------


def test_a_ban_must_end_after_it_starts_and_be_aware() -> None:
    with pytest.raises(ValueError, match="ends before"):
        ban(at(2025, 1, 6), at(2025, 1, 6))
    for field in ("start", "end", "created_at", "changed_at"):
        naive: dict[str, Any] = {field: NAIVE}
        with pytest.raises(ValueError, match="aware"):
            replace(ban(at(2025, 1, 6)), **naive)


def test_end_early_and_mark_reminded() -> None:
    b = ban(at(2025, 1, 6))
    ended = b.end_early("Lone Leder", at(2025, 2, 1))
    assert (ended.ended_early, ended.changed_by) == (True, "Lone Leder")
    assert ended.changed_at == at(2025, 2, 1)
    assert ended.end == b.end
    assert b.mark_reminded().reminded
    assert not b.reminded
    with pytest.raises(ValueError, match="aware"):
        b.end_early("x", NAIVE)


# Real instants, shown in a zone: a wall time the spring change skips is
# never one (Home Assistant's own times come from UTC the same way).
aware = st.builds(
    lambda instant, zone: instant.astimezone(zone),
    st.datetimes(datetime(2000, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)),
    st.sampled_from([CPH, UTC, timezone(timedelta(hours=-3))]),
)
texts = st.text(max_size=20)
optional_texts = st.none() | texts


@st.composite
def bans(draw: st.DrawFn) -> Ban:
    start = draw(aware)
    # An instant later, in the same zone (wall-clock `+` could land in a gap).
    length = draw(st.timedeltas(timedelta(seconds=1), timedelta(days=800)))
    end = (start.astimezone(UTC) + length).astimezone(start.tzinfo)
    return Ban(
        id=draw(texts),
        case_reference=draw(texts),
        issued_by=draw(texts),
        issued_by_person=draw(optional_texts),
        centre=draw(texts),
        start=start,
        end=end,
        note=draw(texts),
        letter_filed=draw(st.booleans()),
        created_by=draw(texts),
        created_at=draw(aware),
        changed_by=draw(optional_texts),
        changed_at=draw(st.none() | aware),
        reminded=draw(st.booleans()),
        ended_early=draw(st.booleans()),
    )


@given(bans())
def test_a_ban_round_trips_through_json(b: Ban) -> None:
    back = Ban.from_dict(json.loads(json.dumps(b.to_dict())))
    # Not `back == b`: a zone's time in the repeated autumn hour never equals
    # a fixed-offset one (PEP 495); the ISO text pins the instant and offset.
    assert back.to_dict() == b.to_dict()
    assert Ban.from_dict(back.to_dict()) == back
    assert back.start.utcoffset() == b.start.utcoffset()
    assert back.end.utcoffset() == b.end.utcoffset()


def test_to_dict_writes_iso_times() -> None:
    data = ban(at(2025, 1, 6)).to_dict()
    assert data["start"] == "2025-01-06T10:00:00+01:00"
    assert data["end"] == "2025-07-06T10:00:00+02:00"
    assert data["changed_at"] is None
    assert data["letter_filed"] is False


def test_from_dict_tolerates_missing_flags_and_unknown_keys() -> None:
    b = ban(at(2025, 1, 6))
    data = b.to_dict()
    for key in (
        "note",
        "letter_filed",
        "reminded",
        "ended_early",
        "issued_by_person",
        "changed_by",
        "changed_at",
    ):
        del data[key]
    assert Ban.from_dict(data | {"from_the_future": 1}) == b


@pytest.mark.parametrize(
    "key",
    [
        "id",
        "case_reference",
        "issued_by",
        "centre",
        "start",
        "end",
        "created_by",
        "created_at",
    ],
)
def test_from_dict_refuses_a_record_missing_what_the_ban_is(key: str) -> None:
    data = ban(at(2025, 1, 6)).to_dict()
    del data[key]
    with pytest.raises(ValueError):
        Ban.from_dict(data)


@pytest.mark.parametrize(
    "change",
    [
        {"id": 1},
        {"case_reference": None},
        {"centre": 7},
        {"issued_by_person": 3},
        {"letter_filed": "yes"},
        {"reminded": 1},
        {"ended_early": None},
        {"note": None},
        {"start": "monday"},
        {"start": "2025-01-06T10:00:00"},  # naive: the zone is never guessed
        {"end": 1736240400},
        {"changed_at": "2025-01-06T10:00:00"},
        {"changed_at": 5},
        {"end": "2024-01-06T10:00:00+01:00"},  # before the start
    ],
)
def test_from_dict_refuses_a_damaged_record(change: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Ban.from_dict(ban(at(2025, 1, 6)).to_dict() | change)


def test_from_dict_refuses_what_is_not_a_mapping() -> None:
    with pytest.raises(ValueError, match="mapping"):
        Ban.from_dict(["b1"])  # type: ignore[arg-type]


# -- cpr_fields -------------------------------------------------------------------


@pytest.mark.parametrize("cpr", ["0101901234", "010190-1234", "010190 1234"])
@pytest.mark.parametrize("field", ["case_reference", "centre", "note", "issued_by"])
def test_a_cpr_in_any_field_is_found(cpr: str, field: str) -> None:
    values = ban(at(2025, 1, 6)).to_dict() | {field: f"sag {cpr}."}
    assert cpr_fields(values) == [field]


def test_every_field_with_a_cpr_is_named_in_order() -> None:
    values = {"note": "010190-1234", "centre": "x", "anything": "0101901234"}
    assert cpr_fields(values) == ["note", "anything"]


@pytest.mark.parametrize(
    "value",
    ["12345678", "201901011234", "2025-0042", "", "Jobcenter Nord", None, True],
)
def test_no_cpr_no_field(value: object) -> None:
    assert cpr_fields({"case_reference": value, "note": value}) == []


def test_numbers_are_read_as_text() -> None:
    assert cpr_fields({"case_reference": 1501901234}) == ["case_reference"]
    assert cpr_fields({"case_reference": 12345678, "n": 1.5}) == []
    assert cpr_fields({"t": at(2025, 1, 6), "l": ["0101901234"]}) == []


TEXT_FIELDS = ("id", "case_reference", "issued_by", "centre", "note", "created_by")


@given(
    bans(),
    st.sampled_from(TEXT_FIELDS),
    st.dates(date(1900, 1, 1), date(2099, 12, 31)),
    st.sampled_from(["", "-", " "]),
    st.integers(0, 9999),
)
def test_a_cpr_put_into_any_text_field_is_found(
    b: Ban, field: str, born: date, separator: str, serial: int
) -> None:
    cpr = f"{born:%d%m%y}{separator}{serial:04d}"
    values = b.to_dict() | {field: f"{getattr(b, field)} {cpr} "}
    assert field in cpr_fields(values)


@given(bans())
def test_times_and_flags_never_look_like_a_cpr(b: Ban) -> None:
    data = b.to_dict()
    assert set(cpr_fields(data)) <= set(TEXT_FIELDS) | {
        "issued_by_person",
        "changed_by",
    }


# -- reminder, activity, deletion -------------------------------------------------


def test_the_leader_is_reminded_fourteen_days_before_the_end() -> None:
    b = ban(at(2025, 1, 6))
    assert reminder_due(b) == at(2025, 6, 22).astimezone(UTC)
    assert reminder_due(b, timedelta(days=1)) == at(2025, 7, 5).astimezone(UTC)
    assert reminder_due(replace(b, reminded=True)) is None
    assert reminder_due(b.end_early("Lone Leder", at(2025, 2, 1))) is None


@given(bans(), st.timedeltas(timedelta(0), timedelta(days=100)))
def test_the_reminder_is_exactly_before_the_end(b: Ban, before: timedelta) -> None:
    due = reminder_due(b, before)
    if b.reminded or b.ended_early:
        assert due is None
    else:
        assert due is not None
        assert due.tzinfo is UTC
        assert due + before == b.end


def test_a_ban_is_active_from_its_start_until_its_end() -> None:
    b = ban(at(2025, 1, 6), at(2025, 7, 6))
    assert not is_active(b, at(2025, 1, 6) - timedelta(seconds=1))
    assert is_active(b, at(2025, 1, 6))
    assert is_active(b, at(2025, 7, 6) - timedelta(seconds=1))
    assert is_active(b, at(2025, 7, 6).astimezone(UTC) - timedelta(seconds=1))
    assert not is_active(b, at(2025, 7, 6))
    assert not is_active(b.end_early("x", at(2025, 2, 1)), at(2025, 3, 1))
    with pytest.raises(ValueError, match="aware"):
        is_active(b, NAIVE)


def test_active_lists_the_bans_in_force_soonest_ending_first() -> None:
    late = ban(at(2025, 1, 6), id="late")
    soon = ban(at(2025, 2, 1), at(2025, 3, 1), id="soon")
    later_start = ban(at(2025, 6, 1), id="future")
    ended = ban(at(2025, 1, 6), id="ended").end_early("x", at(2025, 1, 7))
    assert active([late, later_start, ended, soon], at(2025, 2, 10)) == [soon, late]
    assert active([], at(2025, 2, 10)) == []
    with pytest.raises(ValueError, match="aware"):
        active([], NAIVE)


def test_a_ban_is_deleted_thirty_days_after_its_end() -> None:
    b = ban(at(2025, 1, 6))  # ends 6 July 2025 10:00
    deadline = at(2025, 8, 5)
    assert expired_to_delete([b], deadline) == []
    assert expired_to_delete([b], deadline + timedelta(seconds=1)) == [b]
    assert expired_to_delete([b], at(2025, 7, 7), keep=DAY) == []
    assert expired_to_delete([b], at(2025, 7, 7, 10, 1), keep=DAY) == [b]
    with pytest.raises(ValueError, match="aware"):
        expired_to_delete([b], NAIVE)


def test_a_ban_ended_early_is_deleted_thirty_days_after_it_was_ended() -> None:
    b = ban(at(2025, 1, 6)).end_early("Lone Leder", at(2025, 2, 1))
    assert expired_to_delete([b], at(2025, 3, 3)) == []
    assert expired_to_delete([b], at(2025, 3, 3, 10, 1)) == [b]
    # Without the time it was ended (a damaged record): kept until the plan.
    unknown = replace(b, changed_at=None)
    assert expired_to_delete([unknown], at(2025, 3, 4)) == []
    assert expired_to_delete([unknown], at(2025, 8, 6)) == [unknown]


def test_expired_to_delete_keeps_the_order() -> None:
    a = ban(at(2024, 1, 6), id="a")
    b = ban(at(2024, 3, 6), id="b")
    c = ban(at(2025, 3, 6), id="c")
    assert expired_to_delete([b, c, a], at(2025, 1, 1)) == [b, a]


# -- the yearly drill -------------------------------------------------------------

SET_UP = at(2025, 2, 3, 9)


def test_the_first_drill_is_due_a_year_after_set_up() -> None:
    assert drill_due(None, SET_UP) == at(2026, 2, 3, 9)


def test_the_next_drill_is_due_a_year_after_the_last() -> None:
    assert drill_due(at(2025, 11, 20, 14), SET_UP) == at(2026, 11, 20, 14)
    assert drill_due(at(2024, 2, 29, 14), SET_UP) == at(2025, 2, 28, 14)
    assert drill_due(at(2025, 6, 1), SET_UP, months=6) == at(2025, 12, 1)


def test_the_drill_keeps_its_wall_time_across_dst() -> None:
    # 29 March 2025 is in CET; 29 March 2026, the day of the change, in CEST.
    got = drill_due(at(2025, 3, 29, 10), SET_UP)
    assert got == at(2026, 3, 29, 10)
    assert got.utcoffset() == timedelta(hours=2)


def test_the_drill_is_overdue_from_its_due_time() -> None:
    due = at(2026, 2, 3, 9)
    assert not drill_overdue(None, SET_UP, due - timedelta(seconds=1))
    assert drill_overdue(None, SET_UP, due)
    assert drill_overdue(None, SET_UP, due.astimezone(UTC))
    assert not drill_overdue(at(2026, 1, 10), SET_UP, due)


def test_the_drill_reminder_is_a_month_before() -> None:
    assert drill_reminder(None, SET_UP) == at(2026, 1, 4, 9).astimezone(UTC)
    last = at(2025, 11, 20, 14)
    got = drill_reminder(last, SET_UP, remind_before=timedelta(days=7))
    assert got == at(2026, 11, 13, 14).astimezone(UTC)


def test_the_drill_refuses_naive_times() -> None:
    for args in ((None, NAIVE), (NAIVE, SET_UP)):
        with pytest.raises(ValueError, match="aware"):
            drill_due(*args)
    with pytest.raises(ValueError, match="aware"):
        drill_overdue(None, SET_UP, NAIVE)
    with pytest.raises(ValueError, match="aware"):
        drill_reminder(NAIVE, SET_UP)
