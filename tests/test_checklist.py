"""The follow-up checklist (pure): items, ticks, working days, storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.raadhus_alarm.checklist import (
    Checklist,
    Item,
    Tick,
    add_working_days,
)

CPH = ZoneInfo("Europe/Copenhagen")
MONDAY = datetime(2026, 11, 23, 11, 0, tzinfo=CPH)


def test_working_days_skip_the_weekend() -> None:
    assert add_working_days(MONDAY, 3) == datetime(2026, 11, 26, 11, 0, tzinfo=CPH)
    friday = datetime(2026, 11, 27, 11, 0, tzinfo=CPH)
    assert add_working_days(friday, 1) == datetime(2026, 11, 30, 11, 0, tzinfo=CPH)
    assert add_working_days(friday, 3) == datetime(2026, 12, 2, 11, 0, tzinfo=CPH)
    saturday = datetime(2026, 11, 28, 22, 0, tzinfo=CPH)
    assert add_working_days(saturday, 1) == datetime(2026, 11, 30, 22, 0, tzinfo=CPH)
    assert add_working_days(MONDAY, 0) == MONDAY
    with pytest.raises(ValueError, match="negative"):
        add_working_days(MONDAY, -1)
    with pytest.raises(ValueError, match="aware"):
        add_working_days(datetime(2026, 11, 23), 1)


def test_working_days_keep_the_wall_time_across_summer_time() -> None:
    friday = datetime(2027, 3, 26, 11, 0, tzinfo=CPH)  # clocks go forward Sunday
    due = add_working_days(friday, 1)
    assert (due.day, due.hour) == (29, 11)
    assert due.astimezone(UTC) - friday.astimezone(UTC) == timedelta(days=3, hours=-1)


@given(
    st.datetimes(datetime(2020, 1, 1), datetime(2040, 1, 1), timezones=st.just(UTC)),
    st.integers(0, 30),
)
def test_working_days_land_on_a_weekday_and_count_exactly(
    start: datetime, days: int
) -> None:
    local = start.astimezone(CPH)
    due = add_working_days(local, days)
    assert (due.hour, due.minute) == (local.hour, local.minute)
    counted = sum(
        1
        for n in range(1, (due.date() - local.date()).days + 1)
        if (local.date() + timedelta(days=n)).weekday() < 5
    )
    assert counted == days
    if days:
        assert due.weekday() < 5


def _checklist(**extra: object) -> Checklist:
    return Checklist(
        incident_id="i1",
        resolved_at=MONDAY,
        crisis_name="Krisehjælp",
        crisis_phone="+45 00 00 00 01",
        cvr="12345678",
        **extra,  # type: ignore[arg-type]
    )


def test_a_new_checklist_has_every_item_open_but_the_off_duty_one() -> None:
    checklist = _checklist()
    assert checklist.open_items() == [
        Item.DEBRIEF,
        Item.CRISIS_HELP_OFFERED,
        Item.RELATIVES_CONTACTED,
        Item.POLICE_REPORT,
        Item.SAFETY_ORGANISATION_TOLD,
        Item.VIDEO_REQUESTED,
    ]
    assert not checklist.applies(Item.WORK_ACCIDENT_REPORT)
    assert _checklist(off_duty=True).applies(Item.WORK_ACCIDENT_REPORT)
    with pytest.raises(ValueError, match="does not apply"):
        checklist.ticked(Item.WORK_ACCIDENT_REPORT, done=True, at=MONDAY, by="x")
    assert checklist.due() == datetime(2026, 11, 26, 11, 0, tzinfo=CPH)


def test_ticking_everything_completes_it_and_a_tick_can_be_taken_back() -> None:
    checklist = _checklist()
    for item in checklist.open_items():
        persons = ("person.betjent_bo",) if item is Item.DEBRIEF else ()
        checklist = checklist.ticked(
            item, done=True, at=MONDAY, by="Leder Lis", persons=persons
        )
    assert checklist.complete
    assert checklist.tick(Item.DEBRIEF) == Tick(
        done=True, at=MONDAY, by="Leder Lis", persons=("person.betjent_bo",)
    )
    back = checklist.ticked(Item.DEBRIEF, done=False, at=MONDAY, by="Leder Lis")
    assert back.open_items() == [Item.DEBRIEF]
    assert back.tick(Item.DEBRIEF).persons == ()


def test_a_checklist_round_trips_and_a_damaged_one_is_refused() -> None:
    checklist = _checklist().ticked(
        Item.POLICE_REPORT, done=True, at=MONDAY, by="Leder Lis"
    )
    again = Checklist.from_dict(checklist.to_dict() | {"ticks_new": 1})
    assert again == checklist
    # A newer version's item is dropped, not guessed into an old one.
    data = checklist.to_dict()
    data["ticks"]["future_item"] = {"done": True}
    assert Checklist.from_dict(data) == checklist
    for damaged in (
        "not a mapping",
        {**checklist.to_dict(), "resolved_at": 5},
        {**checklist.to_dict(), "incident_id": None},
        {**checklist.to_dict(), "cvr": 12345678},
        {**checklist.to_dict(), "reminded": "yes"},
        {**checklist.to_dict(), "ticks": []},
        {**checklist.to_dict(), "ticks": {"debrief": {"done": "yes"}}},
        {**checklist.to_dict(), "ticks": {"debrief": {"persons": [1]}}},
        {**checklist.to_dict(), "ticks": {"debrief": {"by": 5}}},
        {**checklist.to_dict(), "ticks": {"debrief": "done"}},
        {**checklist.to_dict(), "resolved_at": "2026-11-23T11:00:00"},
    ):
        with pytest.raises(ValueError):
            Checklist.from_dict(damaged)
