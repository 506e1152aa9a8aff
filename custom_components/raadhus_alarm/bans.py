"""Attendance bans (R8) and the yearly drill (R9) (pure).

No Home Assistant imports. All datetimes are timezone-aware (ValueError for
naive ones). Durations (reminders, keeping, activity) are measured in UTC:
a stored ban's times come back from ISO text with a fixed offset, and the
answer must not depend on whether the ban has been through the store.
Calendar steps ("six months later", "same date next year") keep the wall
time in the given datetime's own tzinfo, so the glue passes local times.

A ban names no citizen: the case system's number is enough. It must never
carry a CPR number (`cpr_fields`: the glue refuses such a ban).
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from . import record_dicts
from .meetings import contains_cpr

DEFAULT_MONTHS: Final = 6
REMIND_BEFORE: Final = timedelta(days=14)
KEEP: Final = timedelta(days=30)
DRILL_MONTHS: Final = 12
DRILL_REMIND_BEFORE: Final = timedelta(days=30)


def _utc(at: datetime) -> datetime:
    if at.utcoffset() is None:
        raise ValueError(f"datetime must be timezone-aware, got {at!r}")
    return at.astimezone(UTC)


def add_months(at: datetime, months: int) -> datetime:
    """The same wall time `months` calendar months later, in `at`'s tzinfo.

    The day is clamped to the target month's last (31 August + 6 months is
    28 or 29 February). A wall time the spring change skips is moved on by
    the gap (02:30 → 03:30); one the autumn change repeats is its first
    occurrence (fold=0).
    """
    _utc(at)
    year, month = divmod(at.month - 1 + months, 12)
    year += at.year
    day = min(at.day, monthrange(year, month + 1)[1])
    wall = at.replace(year=year, month=month + 1, day=day, fold=0)
    # Through UTC and back: a skipped wall time becomes the real one.
    return wall.astimezone(UTC).astimezone(at.tzinfo)


def default_end(start: datetime, months: int = DEFAULT_MONTHS) -> datetime:
    """A ban's end when none is given: `months` after `start` (`add_months`)."""
    return add_months(start, months)


@dataclass(frozen=True, slots=True, kw_only=True)
class Ban:
    """An attendance ban on a citizen at a centre; `end` after `start`.

    `end` stays the planned end when the ban is ended early: `ended_early`
    and `changed_at` (when) say it stopped.
    """

    id: str
    case_reference: str  # the case system's number; never a CPR number
    issued_by: str  # the issuing leader's display name
    centre: str
    start: datetime
    end: datetime
    created_by: str
    created_at: datetime
    note: str = ""
    letter_filed: bool = False
    reminded: bool = False  # the issuing leader was reminded before the end
    ended_early: bool = False
    # The person entity of the issuing leader (to remind them), if known.
    issued_by_person: str | None = None
    changed_by: str | None = None
    changed_at: datetime | None = None

    def __post_init__(self) -> None:
        _utc(self.created_at)
        if self.changed_at is not None:
            _utc(self.changed_at)
        if _utc(self.end) <= _utc(self.start):
            raise ValueError(f"ban {self.id!r} ends before it starts")

    def end_early(self, by: str, at: datetime) -> Ban:
        """The ban, ended early by `by` at `at`."""
        _utc(at)
        return replace(self, ended_early=True, changed_by=by, changed_at=at)

    def mark_reminded(self) -> Ban:
        """The ban with its end reminder marked as sent."""
        return replace(self, reminded=True)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (times in ISO 8601 with their offset)."""
        return record_dicts.to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Ban:
        """Build from `to_dict` output; ValueError if malformed.

        Strict on what the ban is (a field missing or mistyped is a damaged
        record for the glue to skip, not to guess); tolerant on the note, the
        flags and the optional fields, which default to "", False and None (a
        reminder sent twice beats one never sent). Unknown keys are ignored.
        """
        return record_dicts.from_dict(cls, data, "ban")


def cpr_fields(values: Mapping[str, object]) -> list[str]:
    """The names of the fields whose text holds a CPR-shaped number, in order.

    Strings and numbers are looked at (a number loses its leading zero, so
    only CPR numbers from the 10th of a month on survive as one); anything
    else (flags, times, None) cannot carry one typed by a person.
    """
    found: list[str] = []
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            continue
        if contains_cpr(str(value)):
            found.append(name)
    return found


def reminder_due(ban: Ban, before: timedelta = REMIND_BEFORE) -> datetime | None:
    """When to remind the issuing leader of the end (UTC): `before` it.

    None once reminded, or when the ban was ended early. It may lie in the
    past (a short ban, or one entered late): the glue sends it then at once.
    """
    if ban.reminded or ban.ended_early:
        return None
    return _utc(ban.end) - before


def is_active(ban: Ban, at: datetime) -> bool:
    """Whether `ban` is in force at `at` (one ended early never is)."""
    return not ban.ended_early and _utc(ban.start) <= _utc(at) < _utc(ban.end)


def active(bans: Iterable[Ban], at: datetime) -> list[Ban]:
    """The bans in force at `at`, the soonest ending first."""
    _utc(at)
    return sorted((b for b in bans if is_active(b, at)), key=_by_end)


def _by_end(ban: Ban) -> tuple[datetime, str]:
    return _utc(ban.end), ban.id


def _ended(ban: Ban) -> datetime:
    # A ban ended early stopped when it was changed; without that time (a
    # damaged record) the planned end is the safe guess: kept, not lost.
    if ban.ended_early and ban.changed_at is not None:
        return _utc(ban.changed_at)
    return _utc(ban.end)


def expired_to_delete(
    bans: Iterable[Ban], now: datetime, keep: timedelta = KEEP
) -> list[Ban]:
    """The bans that ended more than `keep` before `now` (order kept).

    Personal data is kept no longer than needed: the ban's record goes
    `keep` after it ended, planned or early.
    """
    cutoff = _utc(now) - keep
    return [b for b in bans if _ended(b) < cutoff]


def drill_due(
    last_drill: datetime | None,
    set_up_at: datetime,
    *,
    months: int = DRILL_MONTHS,
) -> datetime:
    """When the next drill is due: `months` after the last one (`add_months`).

    With no drill yet, counted from when the alarm was set up. In the
    datetime's own tzinfo: the same local date and time a year on.
    """
    _utc(set_up_at)
    return add_months(set_up_at if last_drill is None else last_drill, months)


def drill_overdue(
    last_drill: datetime | None,
    set_up_at: datetime,
    now: datetime,
    *,
    months: int = DRILL_MONTHS,
) -> bool:
    """Whether the drill is overdue at `now` (from its due time on).

    From, not after: a timer set for the due time finds it overdue.
    """
    return _utc(now) >= _utc(drill_due(last_drill, set_up_at, months=months))


def drill_reminder(
    last_drill: datetime | None,
    set_up_at: datetime,
    *,
    months: int = DRILL_MONTHS,
    remind_before: timedelta = DRILL_REMIND_BEFORE,
) -> datetime:
    """When to remind of the coming drill (UTC): `remind_before` its due time."""
    return _utc(drill_due(last_drill, set_up_at, months=months)) - remind_before
