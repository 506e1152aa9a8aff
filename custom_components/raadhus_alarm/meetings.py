"""Announced difficult meetings (R7): forewarnings and warnings (pure).

No Home Assistant imports. Weekly schedules come as `schedule.get_schedule`
returns them: weekday name → [{"from", "to"}] in local wall time, as
`datetime.time` (24:00 is `time.max`) in Python or "HH:MM:SS" over JSON.

Wall times become instants the way the schedule entity times its own changes,
`datetime.combine(day, t, tzinfo=zone)` (fold=0): a time the spring change
skips lands an hour later, one the autumn change repeats is its first
occurrence. Arithmetic and comparisons are done in UTC: aware datetimes that
share a tzinfo compare and subtract by wall time, wrong across a DST change.
Computed times are returned in UTC too: a local one in the repeated autumn
hour never equals the same instant in another zone (PEP 495).

No personal data beyond the announcer's display name; a note must never carry
a CPR number (`contains_cpr`: the glue refuses such notes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import StrEnum
import re
from typing import Any, Final

from . import record_dicts

WEEKDAYS: Final = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
SEARCH_DAYS: Final = 14  # how far back `working_day_before` looks
DAY: Final = timedelta(days=1)


type Slot = tuple[time, time | None]  # local wall times; end None: midnight
type Interval = tuple[datetime, datetime]  # [start, end) in UTC


class Forewarning(StrEnum):
    """The two forewarnings of a meeting."""

    DAY_BEFORE = "day_before"
    SOON = "soon"


class WarningKey(StrEnum):
    """What an announcement is warned about (translation keys)."""

    OUTSIDE_OFFICER_HOURS = "outside_officer_hours"
    OVERLAP = "overlap"
    NO_OFFICER_SCHEDULE = "no_officer_schedule"


def _utc(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got {at!r}")
    return at.astimezone(UTC)


def _instant(day: date, wall: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, wall, tzinfo=tz).astimezone(UTC)


def _wall(value: object) -> time | None:
    """A wall time; None for 24:00."""
    if isinstance(value, time):
        return None if value == time.max else value.replace(tzinfo=None)
    parts = value.split(":") if isinstance(value, str) else []
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"not a time of day: {value!r}")
    hour, minute, second = (int(p) for p in (*parts, "0")[:3])
    if (hour, minute, second) == (24, 0, 0):
        return None
    return time(hour, minute, second)  # ValueError if out of range


@dataclass(frozen=True, slots=True)
class WeeklySchedule:
    """A weekly schedule in a zone; `days[0]` holds Monday's slots.

    Slots that touch or overlap are one on-period (the schedule entity stays
    on through them): `contains` accepts a meeting spanning both, and
    `next_start` does not report the seam.
    """

    days: tuple[tuple[Slot, ...], ...]
    tz: tzinfo

    @classmethod
    def empty(cls, tz: tzinfo) -> WeeklySchedule:
        """A schedule that is never on (no schedule helper chosen or readable)."""
        return cls(days=((),) * 7, tz=tz)

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("a weekly schedule has seven days")

    @classmethod
    def from_schedule(cls, data: Mapping[str, Any], tz: tzinfo) -> WeeklySchedule:
        """Build from `schedule.get_schedule`'s answer; ValueError if malformed.

        A missing weekday has no slots; other keys, and a slot's "data", are
        ignored. A "to" of 24:00 or 00:00 ends the day; any other must be
        after "from".
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a schedule must be a mapping, got {data!r}")
        days: list[tuple[Slot, ...]] = []
        for name in WEEKDAYS:
            entries = data.get(name) or []
            if not isinstance(entries, list | tuple):
                raise ValueError(f"{name}: expected a list, got {entries!r}")
            slots: list[Slot] = []
            for entry in entries:
                if not isinstance(entry, Mapping):
                    raise ValueError(f"{name}: expected a mapping, got {entry!r}")
                start, end = _wall(entry.get("from")), _wall(entry.get("to"))
                end = None if end == time() else end
                if start is None or (end is not None and end <= start):
                    raise ValueError(f"{name}: slot {entry!r} ends before it starts")
                slots.append((start, end))
            days.append(tuple(sorted(slots, key=lambda slot: slot[0])))
        return cls(tuple(days), tz)

    def is_on(self, at: datetime) -> bool:
        """Whether the schedule is on at `at`."""
        u = _utc(at)
        return any(a <= u < b for a, b in self._around(u, u))

    def contains(self, start: datetime, end: datetime) -> bool:
        """Whether [start, end) lies wholly inside one on-period."""
        s, e = _utc(start), _utc(end)
        return s <= e and any(a <= s < b and e <= b for a, b in self._around(s, e))

    def next_start(self, after: datetime) -> datetime | None:
        """The first on-period start strictly after `after`, in UTC.

        None for an empty schedule, and for one that is always on.
        """
        u, day = _utc(after), after.astimezone(self.tz).date()
        # Only a window's first period can start at an invented seam; from two
        # days back, that start lies well before `after`.
        starts = (a for a, _ in self._merged(day - 2 * DAY, day + 8 * DAY) if a > u)
        return next(starts, None)

    def working_day_before(self, day: date) -> date | None:
        """The last date strictly before `day` with any slot (14 days back)."""
        earlier = (day - n * DAY for n in range(1, SEARCH_DAYS + 1))
        return next((d for d in earlier if self.days[d.weekday()]), None)

    def _merged(self, first: date, last: date) -> list[Interval]:
        """The on-periods of local dates `first` to `last`, touching ones joined."""
        raw: list[Interval] = []
        for n in range((last - first).days + 1):
            day = first + n * DAY
            for start, end in self.days[day.weekday()]:
                a = _instant(day, start, self.tz)
                b = _instant(day + DAY, time(), self.tz)
                b = b if end is None else _instant(day, end, self.tz)
                if a < b:  # fold=0 inverts a slot that ends inside the DST gap
                    raw.append((a, b))
        merged: list[Interval] = []
        for a, b in sorted(raw):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return merged

    def _around(self, start: datetime, end: datetime) -> list[Interval]:
        first, last = (at.astimezone(self.tz).date() for at in (start, end))
        return self._merged(first - DAY, last + DAY)


@dataclass(frozen=True, slots=True, kw_only=True)
class Meeting:
    """An announced meeting in a room. Times are aware; `end` after `start`."""

    id: str
    room_id: str
    start: datetime
    end: datetime
    monitored: bool
    announced_by: str  # a display name, shown to the officers
    announced_at: datetime
    note: str = ""
    told_day_before: bool = False
    told_soon: bool = False
    cancelled: bool = False
    # The person entity of who announced it (they may change or cancel it).
    announced_by_person: str | None = None

    def __post_init__(self) -> None:
        _utc(self.announced_at)
        if _utc(self.end) <= _utc(self.start):
            raise ValueError(f"meeting {self.id!r} ends before it starts")

    def was_told(self, kind: Forewarning) -> bool:
        """Whether forewarning `kind` was sent."""
        return (
            self.told_day_before if kind is Forewarning.DAY_BEFORE else self.told_soon
        )

    def cancel(self) -> Meeting:
        """The meeting, cancelled."""
        return replace(self, cancelled=True)

    def told(self, kind: Forewarning) -> Meeting:
        """The meeting with forewarning `kind` marked as sent."""
        if kind is Forewarning.DAY_BEFORE:
            return replace(self, told_day_before=True)
        return replace(self, told_soon=True)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (times in ISO 8601 with their offset)."""
        return record_dicts.to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Meeting:
        """Build from `to_dict` output; ValueError if malformed.

        Strict on what the meeting is (one field missing or mistyped is a
        damaged record for the glue to skip, not to guess); tolerant on the
        note and the flags, which default to "" and False (a forewarning sent
        twice beats one never sent). Unknown keys are ignored (newer records).
        """
        return record_dicts.from_dict(cls, data, "meeting")


def forewarnings(
    meeting: Meeting,
    officers: WeeklySchedule,
    now: datetime,
    *,
    day_before_time: time = time(12, 0),
    soon: timedelta = timedelta(minutes=15),
) -> list[tuple[Forewarning, datetime]]:
    """The forewarnings still to send and when each is due (UTC), in order.

    day_before: at `day_before_time` (inside the officers' hours on every
    working day) on their last working day before the meeting's date. Once
    that has passed: now if they are on duty, else when their duty next
    starts; dropped if that is not before the "soon" one, which covers it.
    soon: `soon` before the start, now if that has passed; none once the
    meeting has started (it is not moved into the officers' hours). None for
    a cancelled or ended meeting. A due time is never before `now`; one equal
    to it means "send now".
    """
    if soon < timedelta(0):
        raise ValueError("soon must not be negative")
    u, start = _utc(now), _utc(meeting.start)
    if meeting.cancelled or u >= _utc(meeting.end):
        return []
    soon_at = start - soon
    due: list[tuple[Forewarning, datetime]] = []
    if not meeting.told_day_before:
        at = _day_before_due(start, officers, u, day_before_time)
        if at is not None and at < soon_at:
            due.append((Forewarning.DAY_BEFORE, at))
    if not meeting.told_soon and u < start:
        due.append((Forewarning.SOON, max(soon_at, u)))
    return due


def _day_before_due(
    start: datetime, officers: WeeklySchedule, now: datetime, wall: time
) -> datetime | None:
    day = officers.working_day_before(start.astimezone(officers.tz).date())
    if day is None:  # the officers never work: the "soon" one must do
        return None
    planned = _instant(day, wall, officers.tz)
    if planned >= now or officers.is_on(now):
        return max(planned, now)
    return officers.next_start(now)


@dataclass(frozen=True, slots=True)
class MeetingWarning:
    """Something the announcer is told before confirming a meeting.

    outside_officer_hours: `suggestion` is the next police-present period's
    start after the requested start (None without one), or `police_present`
    when the police are there for the whole meeting. overlap: `other_*` are
    the clashing meeting's.
    """

    key: WarningKey
    suggestion: datetime | None = None
    police_present: bool = False
    other_id: str | None = None
    other_start: datetime | None = None
    other_end: datetime | None = None


def warnings(
    meeting: Meeting,
    others: Iterable[Meeting],
    officers: WeeklySchedule | None,
    police: WeeklySchedule | None,
) -> list[MeetingWarning]:
    """The warnings for announcing `meeting`; none when it is cancelled.

    `others` may hold `meeting` itself (an edit): the same id is skipped.
    """
    if meeting.cancelled:
        return []
    found: list[MeetingWarning] = []
    if officers is None:
        found.append(MeetingWarning(WarningKey.NO_OFFICER_SCHEDULE))
    elif not officers.contains(meeting.start, meeting.end):
        there = police is not None and police.contains(meeting.start, meeting.end)
        later = None if police is None or there else police.next_start(meeting.start)
        found.append(MeetingWarning(WarningKey.OUTSIDE_OFFICER_HOURS, later, there))
    start, end = _utc(meeting.start), _utc(meeting.end)
    clashes = [
        o
        for o in others
        if o.id != meeting.id and not o.cancelled and o.room_id == meeting.room_id
        if _utc(o.start) < end and start < _utc(o.end)
    ]
    return found + [
        MeetingWarning(
            WarningKey.OVERLAP, other_id=o.id, other_start=o.start, other_end=o.end
        )
        for o in sorted(clashes, key=_order)
    ]


# DDMMYY, an optional separator (a hyphen, a dash or any space, as word
# processors write it), four digits, not inside a longer run of digits. No
# century digit or modulus 11 check: numbers issued since 2007 may fail it,
# and missing a real CPR costs more than refusing a note that looks like one.
_CPR: Final = re.compile(
    r"(?<![0-9])(?=([0-9]{2})([0-9]{2})([0-9]{2})[-\u2010-\u2015\s]?[0-9]{4}(?![0-9]))"
)


def contains_cpr(text: str) -> bool:
    """Whether `text` holds something shaped like a CPR number."""
    return any(_is_date(*m.groups()) for m in _CPR.finditer(text))


def _is_date(day: str, month: str, year: str) -> bool:
    # 2000 + YY is a leap year exactly when YY % 4 == 0: 29 February passes
    # whenever some century makes it a real date.
    try:
        date(2000 + int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _order(meeting: Meeting) -> tuple[datetime, str]:
    return _utc(meeting.start), meeting.id


def prune(meetings: Iterable[Meeting], now: datetime, keep: timedelta) -> list[Meeting]:
    """Drop the meetings that ended more than `keep` before `now` (order kept)."""
    cutoff = _utc(now) - keep
    return [m for m in meetings if _utc(m.end) >= cutoff]


def is_active(meeting: Meeting, at: datetime) -> bool:
    """Whether `meeting` is running at `at` (a cancelled one never is)."""
    return not meeting.cancelled and _utc(meeting.start) <= _utc(at) < _utc(meeting.end)


def monitored_now(
    meetings: Iterable[Meeting], room_id: str, at: datetime
) -> Meeting | None:
    """The monitored meeting running in `room_id` at `at` (the earliest begun)."""
    running = (m for m in meetings if m.room_id == room_id and m.monitored)
    return min((m for m in running if is_active(m, at)), key=_order, default=None)


def today(meetings: Iterable[Meeting], at: datetime, tz: tzinfo) -> list[Meeting]:
    """The meetings (cancelled ones too) touching `at`'s local date, by start."""
    day = at.astimezone(tz).date()
    first, last = _instant(day, time(), tz), _instant(day + DAY, time(), tz)
    touching = (m for m in meetings if _utc(m.start) < last and first < _utc(m.end))
    return sorted(touching, key=_order)
