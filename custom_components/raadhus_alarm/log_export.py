"""The incident log as CSV rows for a period (pure logic, no Home Assistant imports).

One row per incident, oldest first, with every step's time as local ISO 8601
with its offset, exactly the stored times; who did each step only when the
downloader may see names (`shows_names`); response times from the stored
steps (`statistics`); and one column per follow-up item holding when it was
done. The columns are `HEADER` (README: "Log export and response
statistics").

`to_csv` writes what Danish Excel opens as it is: UTF-8 with a BOM, `;`
between fields, CRLF line ends, quotes where a field holds `;`, `"` or a
line break, seconds with a decimal comma, and no formulas: a text field that
starts with `=`, `+`, `-`, `@` (or a tab or carriage return) gets a leading
apostrophe, so a room named "=HYPERLINK(…)" is shown, never run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
import csv
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
import io
import re
from typing import Any, Final

from .checklist import Item
from .const import Role
from .incident import Incident, IncidentState
from .permissions import Caller, CallerKind
from .statistics import time_to_acknowledge, time_to_on_scene

# The leaders' checklist after an incident (R6), as the follow-up record keeps it.
FOLLOWUP_ITEMS: Final = tuple(item.value for item in Item)
# Every lifecycle step after the alarm itself, in lifecycle order.
STEPS: Final = (
    IncidentState.ACKNOWLEDGED,
    IncidentState.ON_SCENE,
    IncidentState.RESOLVED,
    IncidentState.DEBRIEFED,
    IncidentState.CANCELLED,
)
HEADER: Final = (
    "incident_id",
    "room",
    "drill",
    "state",
    "resolution",
    "raised",
    "raised_from",
    "raised_by",
    *(c for state in STEPS for c in (str(state), f"{state}_by")),
    "time_to_acknowledge_s",
    "time_to_on_scene_s",
    "late_by_s",
    "joins",
    "join_times",
    *(f"followup_{item}" for item in FOLLOWUP_ITEMS),
)
# Who sees the names of people in the export (the safety organisation gets
# the times without them: it reviews how the system works, not who did what).
NAME_READERS: Final = frozenset({Role.LEADER, Role.CENTRE_CHIEF})
DEFAULT_DAYS: Final = 30
_DAY: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
BOM: Final = "\ufeff"

type FollowUpLookup = Callable[[str], Mapping[str, datetime | None]]


def no_followup(_incident_id: str) -> Mapping[str, datetime | None]:
    """No follow-up record (the default until one is passed)."""
    return {}


class DrillFilter(StrEnum):
    """Which incidents an export holds, drills-wise."""

    INCLUDE = "include"
    EXCLUDE = "exclude"
    ONLY = "only"


class PeriodError(ValueError):
    """A period that cannot be exported; `key` is the translation key."""

    def __init__(self, key: str, placeholders: Mapping[str, str]) -> None:
        self.key = key
        self.placeholders = dict(placeholders)
        super().__init__(f"{key}: {self.placeholders}")


def shows_names(caller: Caller, *, is_admin: bool) -> bool:
    """Whether the export names the people who acted (leaders, admins, automations)."""
    return (
        is_admin
        or caller.kind is CallerKind.SYSTEM
        or bool(caller.roles & NAME_READERS)
    )


def parse_day(value: str) -> date:
    """A date written YYYY-MM-DD (nothing else); PeriodError otherwise."""
    if _DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PeriodError("export_bad_date", {"value": value[:40]})


def period(start: date | None, end: date | None, today: date) -> tuple[date, date]:
    """The period asked for; by default the 30 days before today and today.

    From 30 days back the period covers everything the 30-day sensors count.
    """
    end = today if end is None else end
    if start is None:
        try:
            start = end - timedelta(days=DEFAULT_DAYS)
        except OverflowError:  # an end in year 1
            start = date.min
    if start > end:
        raise PeriodError(
            "export_bad_period", {"start": start.isoformat(), "end": end.isoformat()}
        )
    return start, end


def parse_drills(value: str | None) -> DrillFilter:
    """The drill filter asked for (default: include); PeriodError otherwise."""
    if value is None:
        return DrillFilter.INCLUDE
    try:
        return DrillFilter(value)
    except ValueError:
        raise PeriodError(
            "export_bad_drills",
            {"value": value[:40], "options": ", ".join(DrillFilter)},
        ) from None


def select(
    incidents: Iterable[Incident],
    start: date,
    end: date,
    tz: tzinfo,
    drills: DrillFilter = DrillFilter.INCLUDE,
) -> list[Incident]:
    """The incidents due on a local date from `start` to `end`, oldest first."""
    found = [
        i
        for i in incidents
        if start <= i.created_at.astimezone(tz).date() <= end
        and (drills is DrillFilter.INCLUDE or i.drill is (drills is DrillFilter.ONLY))
    ]
    found.sort(key=lambda i: (i.created_at, i.id))
    return found


def _time(at: datetime | None, tz: tzinfo) -> str | None:
    return None if at is None else at.astimezone(tz).isoformat()


def row(
    incident: Incident,
    tz: tzinfo,
    *,
    names: bool,
    followup: FollowUpLookup = no_followup,
) -> dict[str, Any]:
    """One incident as a row: JSON values keyed by `HEADER` (None: empty)."""
    first = incident.steps[0]
    values: dict[str, Any] = {
        "incident_id": incident.id,
        "room": incident.room_name,
        "drill": incident.drill,
        "state": str(incident.state),
        "resolution": incident.resolution,
        "raised": _time(incident.created_at, tz),
        "raised_from": str(first.source),
        "raised_by": first.actor_name if names else None,
    }
    for state in STEPS:
        step = incident.step_for(state)
        values[str(state)] = _time(step.at if step else None, tz)
        values[f"{state}_by"] = step.actor_name if step and names else None
    done = followup(incident.id)
    values |= {
        "time_to_acknowledge_s": time_to_acknowledge(incident),
        "time_to_on_scene_s": time_to_on_scene(incident),
        "late_by_s": incident.lateness,
        "joins": len(incident.joins),
        "join_times": [_time(join.at, tz) for join in incident.joins],
        **{f"followup_{k}": _time(done.get(k), tz) for k in FOLLOWUP_ITEMS},
    }
    return values


def rows(
    incidents: Iterable[Incident],
    tz: tzinfo,
    *,
    names: bool,
    followup: FollowUpLookup = no_followup,
) -> list[dict[str, Any]]:
    """Every incident as a row (see `row`), in the order given."""
    return [row(i, tz, names=names, followup=followup) for i in incidents]


def seconds(value: float) -> str:
    """Seconds to the millisecond, with a decimal comma (Danish Excel's)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text.replace(".", ",")


def text(value: str) -> str:
    """Text a spreadsheet shows and never runs (no formula at the start)."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def cell(value: Any) -> str:
    """One value as the CSV writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return seconds(value)
    if isinstance(value, list):
        return text(", ".join(cell(v) for v in value))
    return text(str(value))


def to_csv(found: Sequence[Mapping[str, Any]]) -> bytes:
    """The rows as CSV bytes: BOM, header, `;`, CRLF, minimal quoting."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for values in found:
        writer.writerow([cell(values.get(column)) for column in HEADER])
    return (BOM + out.getvalue()).encode("utf-8", "replace")
