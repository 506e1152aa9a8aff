"""Response statistics from the incident log (pure; no Home Assistant).

Times are Copenhagen wall times; 25 October 2026 is the end of summer time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
import math
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.raadhus_alarm.incident import (
    Incident,
    IncidentBook,
    IncidentState,
)
from custom_components.raadhus_alarm.statistics import (
    Figures,
    by_month,
    figures,
    in_window,
    last_30_days,
    median,
    month_of,
    months_back,
    nearest_rank,
    next_window_change,
    p90,
    report,
    time_to_acknowledge,
    time_to_on_scene,
)

CPH = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2026, 11, 23, 11, 0, tzinfo=CPH)
S = timedelta(seconds=1)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


def make(
    book: IncidentBook,
    due: datetime,
    *,
    ack: float | None = None,
    on_scene: float | None = None,
    resolve: float | None = None,
    cancel: float | None = None,
    drill: bool = False,
    room: str | None = None,
    late: float = 0.0,
) -> Incident:
    """An incident due at `due`, its steps so many seconds after it was due."""
    room = room or f"r{len(book)}"
    incident, _ = book.raise_alarm(
        room_id=room,
        room_name=room,
        trigger_source="button",
        hold_seconds=2.0,
        at=due,
        source="button",
        drill=drill,
        raised_at=due + late * S,
    )
    for state, seconds in (
        (IncidentState.ACKNOWLEDGED, ack),
        (IncidentState.ON_SCENE, on_scene),
        (IncidentState.RESOLVED, resolve),
        (IncidentState.CANCELLED, cancel),
    ):
        if seconds is not None:
            book.transition(incident.id, state, at=due + seconds * S, source="panel")
    return incident


@pytest.mark.parametrize(
    ("values", "expected_median", "expected_p90"),
    [
        ([], None, None),
        ([42.0], 42.0, 42.0),
        ([30.0, 10.0], 20.0, 30.0),
        ([3.0, 1.0, 2.0], 2.0, 3.0),
        ([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 55.0, 90),
        (list(range(1, 12)), 6, 10),  # rank ⌈9.9⌉ = 10
        (list(range(1, 21)), 10.5, 18),  # rank ⌈18⌉ = 18
        (list(range(1, 22)), 11, 19),  # rank ⌈18.9⌉ = 19
        ([5.5] * 7 + [100.0], 5.5, 100.0),  # rank ⌈7.2⌉ = 8
        ([12.25, 7.75, 31.5, 9.0], 10.625, 31.5),
    ],
)
def test_median_and_nearest_rank_p90_exact(
    values: list[float], expected_median: float | None, expected_p90: float | None
) -> None:
    assert median(values) == expected_median
    assert p90(values) == expected_p90


def test_nearest_rank_refuses_a_percent_out_of_range() -> None:
    with pytest.raises(ValueError, match="percent"):
        nearest_rank([1.0], 0)
    with pytest.raises(ValueError, match="percent"):
        nearest_rank([1.0], 101)
    assert nearest_rank([3.0, 1.0, 2.0], 100) == 3.0
    assert nearest_rank([3.0, 1.0, 2.0], 1) == 1.0


def test_response_times_are_the_stored_steps_from_when_the_alarm_was_due() -> None:
    book = IncidentBook()
    due = NOW - timedelta(hours=1)
    # Raised 0.25 s late: the times still run from when the hold crossed.
    incident = make(book, due, ack=12.5, on_scene=95.0, resolve=300.0, late=0.25)
    assert time_to_acknowledge(incident) == 12.5
    assert time_to_on_scene(incident) == 95.0
    assert incident.lateness == 0.25
    # Straight to on scene: never acknowledged, no acknowledge time invented.
    skipped = make(book, due, on_scene=40.0)
    assert time_to_acknowledge(skipped) is None
    assert time_to_on_scene(skipped) == 40.0
    still_open = make(book, due)
    assert (time_to_acknowledge(still_open), time_to_on_scene(still_open)) == (
        None,
        None,
    )


def test_false_alarms_are_counted_apart_and_left_out_of_the_times() -> None:
    book = IncidentBook()
    due = NOW - timedelta(days=1)
    make(book, due, ack=10, on_scene=60)
    make(book, due, ack=20, on_scene=80)
    make(book, due, ack=1, cancel=5)  # acknowledged, then a false alarm
    make(book, due, cancel=3)
    assert figures(book.all()) == Figures(
        count=4,
        cancelled=2,
        ack_median=15.0,
        ack_p90=20.0,
        on_scene_median=70.0,
        on_scene_p90=80.0,
    )
    assert figures([]) == Figures()
    assert Figures().as_dict() == {
        "count": 0,
        "cancelled": 0,
        "ack_median": None,
        "ack_p90": None,
        "on_scene_median": None,
        "on_scene_p90": None,
    }


def test_drills_are_kept_apart() -> None:
    book = IncidentBook()
    due = NOW - timedelta(days=2)
    make(book, due, ack=10)
    make(book, due, ack=100, drill=True)
    make(book, due, ack=200, drill=True)
    assert last_30_days(book.all(), NOW) == Figures(
        count=1, ack_median=10.0, ack_p90=10.0
    )
    assert last_30_days(book.all(), NOW, drills=True) == Figures(
        count=2, ack_median=150.0, ack_p90=200.0
    )


def test_the_30_day_window_is_half_open_and_moves() -> None:
    book = IncidentBook()
    edge = make(book, NOW - timedelta(days=30), ack=1)  # exactly 30 days: out
    inside = make(book, NOW - timedelta(days=30) + S, ack=2)
    newest = make(book, NOW, ack=3)  # now: in
    make(book, NOW + S, ack=4)  # not yet
    assert in_window(book.all(), NOW) == [inside, newest]
    assert next_window_change(book.all(), NOW) == inside.created_at + timedelta(days=30)
    later = NOW + 2 * S
    assert edge not in in_window(book.all(), later)
    assert next_window_change([], NOW) is None
    assert last_30_days(book.all(), NOW).count == 2


def test_months_are_local_calendar_months_oldest_first() -> None:
    assert months_back(NOW, CPH) == [
        "2025-12",
        *(f"2026-{m:02d}" for m in range(1, 12)),
    ]
    assert months_back(datetime(2027, 1, 1, 0, 30, tzinfo=CPH), CPH, 3) == [
        "2026-11",
        "2026-12",
        "2027-01",
    ]
    # 23:30 UTC on 31 October is 00:30 on 1 November in Copenhagen.
    utc_evening = datetime(2026, 10, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert month_of(utc_evening, CPH) == "2026-11"
    assert month_of(utc_evening, ZoneInfo("UTC")) == "2026-10"

    book = IncidentBook()
    make(book, utc_evening, ack=30, on_scene=90)
    make(book, datetime(2026, 10, 31, 22, 30, tzinfo=ZoneInfo("UTC")), ack=10)
    make(book, datetime(2026, 10, 15, 9, tzinfo=CPH), cancel=4)
    make(book, datetime(2026, 10, 16, 9, tzinfo=CPH), ack=500, drill=True)
    make(book, datetime(2025, 11, 30, 9, tzinfo=CPH), ack=7)  # 13 months back
    months = dict(by_month(book.all(), NOW, CPH))
    assert len(months) == 12
    assert months["2026-10"] == Figures(
        count=2, cancelled=1, ack_median=10.0, ack_p90=10.0
    )
    assert months["2026-11"] == Figures(
        count=1,
        ack_median=30.0,
        ack_p90=30.0,
        on_scene_median=90.0,
        on_scene_p90=90.0,
    )
    assert months["2026-09"] == Figures()
    drills = dict(by_month(book.all(), NOW, CPH, drills=True))
    assert drills["2026-10"] == Figures(count=1, ack_median=500.0, ack_p90=500.0)


def test_report_has_twelve_months_and_both_windows() -> None:
    book = IncidentBook()
    make(book, NOW - timedelta(days=3), ack=20, on_scene=120)
    make(book, NOW - timedelta(days=3), ack=40, on_scene=60, drill=True)
    found = report(book.all(), NOW, CPH)
    assert [m["month"] for m in found["months"]] == months_back(NOW, CPH)
    assert found["months"][-1] == {
        "month": "2026-11",
        "count": 1,
        "cancelled": 0,
        "ack_median": 20.0,
        "ack_p90": 20.0,
        "on_scene_median": 120.0,
        "on_scene_p90": 120.0,
    }
    assert found["last_30_days"]["count"] == 1
    assert found["drills_last_30_days"] == {
        "count": 1,
        "cancelled": 0,
        "ack_median": 40.0,
        "ack_p90": 40.0,
        "on_scene_median": 60.0,
        "on_scene_p90": 60.0,
    }


# -- properties ---------------------------------------------------------------

times = st.lists(st.floats(min_value=0, max_value=10_000, allow_nan=False), min_size=1)


@given(times)
def test_p90_is_the_nearest_rank(values: list[float]) -> None:
    found = p90(values)
    assert found in values
    n = len(values)
    at_most = sum(v <= found for v in values)
    below = sum(v < found for v in values)
    # At least 90 % are ≤ it, and it is the smallest such value.
    assert at_most * 10 >= 9 * n
    assert below * 10 < 9 * n
    assert p90(sorted(values, reverse=True)) == found


@given(times)
def test_the_median_halves_the_values(values: list[float]) -> None:
    found = median(values)
    assert found is not None
    assert min(values) <= found <= max(values)
    n = len(values)
    assert sum(v <= found for v in values) * 2 >= n
    assert sum(v >= found for v in values) * 2 >= n
    assert found <= max(values)
    if n % 2:
        assert found in values
    assert median(list(reversed(values))) == found
    p = p90(values)
    assert p is not None
    # The 90th percentile is never below the lower middle value.
    assert p >= sorted(values)[(n - 1) // 2]


responses = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=60 * 24 * 400),  # minutes before now
        st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
        st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
        st.booleans(),  # cancelled
        st.booleans(),  # drill
    ),
    max_size=40,
)


def _book(found: list[tuple[int, int | None, int | None, bool, bool]]) -> IncidentBook:
    book = IncidentBook()
    for minutes, ack, extra, cancelled, drill in found:
        on_scene = None if extra is None else (ack or 0) + extra
        make(
            book,
            NOW - timedelta(minutes=minutes),
            ack=ack,
            on_scene=on_scene,
            cancel=(on_scene or ack or 0) + 1 if cancelled else None,
            drill=drill,
            room=f"r{len(book)}",
        )
    return book


@given(responses)
def test_figures_follow_their_definition(
    found: list[tuple[int, int | None, int | None, bool, bool]],
) -> None:
    book = _book(found)
    real = [i for i in book.all() if not i.drill]
    result = figures(real)
    assert result.count == len(real)
    assert result.cancelled == sum(i.state is IncidentState.CANCELLED for i in real)
    kept = [i for i in real if i.state is not IncidentState.CANCELLED]
    ack = [t for i in kept if (t := time_to_acknowledge(i)) is not None]
    assert result.ack_median == median(ack)
    assert result.ack_p90 == p90(ack)
    # A false alarm never moves the response figures.
    assert (result.ack_median, result.on_scene_p90) == (
        figures(kept).ack_median,
        figures(kept).on_scene_p90,
    )
    # The order of the log does not matter.
    assert figures(list(reversed(real))) == result


@given(responses)
def test_the_months_add_up(
    found: list[tuple[int, int | None, int | None, bool, bool]],
) -> None:
    book = _book(found)
    months = by_month(book.all(), NOW, CPH)
    first = datetime.fromisoformat(f"{months[0][0]}-01T00:00").replace(tzinfo=CPH)
    in_range = [i for i in book.all() if not i.drill and i.created_at >= first]
    assert sum(f.count for _, f in months) == len(in_range)
    assert sum(f.cancelled for _, f in months) == sum(
        i.state is IncidentState.CANCELLED for i in in_range
    )
    recent = last_30_days(book.all(), NOW)
    assert recent.count == sum(
        not i.drill and NOW - timedelta(days=30) < i.created_at for i in book.all()
    )
    for _, month in months:
        for low, high in (
            (month.ack_median, month.ack_p90),
            (month.on_scene_median, month.on_scene_p90),
        ):
            assert (low is None) is (high is None)
            if low is not None and high is not None:
                assert math.isfinite(low)
                assert low <= high or math.isclose(low, high)
