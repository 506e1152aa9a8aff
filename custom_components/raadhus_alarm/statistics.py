"""Response statistics from the incident log (pure logic, no Home Assistant imports).

Per incident, from the stored step times (never recomputed guesses):

- *time to acknowledge*: the `acknowledged` step's time minus `created_at`
  (when the alarm was due), in seconds; None if it was never acknowledged
  (an incident that went straight to on scene was not acknowledged);
- *time to on scene*: likewise with the `on_scene` step.

Over a set of incidents of one kind (real alarms, or drills: never mixed):

- `count`: every incident raised in the period (false alarms included);
- `cancelled`: how many of those were cancelled (false alarms), a part of
  `count`. Their times are left out of the response figures;
- the *median*: the middle value of the sorted times, or the mean of the two
  middle values when there is an even number of them;
- the *90th percentile* by the nearest-rank method: the smallest time that at
  least 90 % of the times are less than or equal to, i.e. the value at
  1-based rank ⌈0.9·n⌉ of the sorted times (always one of the times; with
  fewer than ten times it is the largest).

No times: None (unknown), never 0. An incident belongs to a period by its
`created_at`: the last 30 days are the half-open window (now − 30 days, now];
a month is a calendar month in the town hall's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any, Final

from .incident import Incident, IncidentState

WINDOW: Final = timedelta(days=30)
MONTHS: Final = 12


def _since_due(incident: Incident, state: IncidentState) -> float | None:
    step = incident.step_for(state)
    return None if step is None else (step.at - incident.created_at).total_seconds()


def time_to_acknowledge(incident: Incident) -> float | None:
    """Seconds from the alarm being due to its acknowledgement (None: never)."""
    return _since_due(incident, IncidentState.ACKNOWLEDGED)


def time_to_on_scene(incident: Incident) -> float | None:
    """Seconds from the alarm being due to someone on scene (None: never)."""
    return _since_due(incident, IncidentState.ON_SCENE)


def median(values: Iterable[float]) -> float | None:
    """The median (the mean of the two middle values for an even count)."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    mid = n // 2
    if n % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


def nearest_rank(values: Iterable[float], percent: int) -> float | None:
    """The `percent`th percentile by nearest rank: sorted value ⌈p·n/100⌉."""
    if not 0 < percent <= 100:
        raise ValueError(f"percent must be 1 to 100, got {percent}")
    ordered = sorted(values)
    if not ordered:
        return None
    rank = -(-percent * len(ordered) // 100)  # ceiling, in integers: exact
    return ordered[rank - 1]


def p90(values: Iterable[float]) -> float | None:
    """The 90th percentile by nearest rank."""
    return nearest_rank(values, 90)


@dataclass(frozen=True, slots=True)
class Figures:
    """The response figures of a set of incidents of one kind."""

    count: int = 0
    cancelled: int = 0
    ack_median: float | None = None
    ack_p90: float | None = None
    on_scene_median: float | None = None
    on_scene_p90: float | None = None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON (the websocket's shape)."""
        return {
            "count": self.count,
            "cancelled": self.cancelled,
            "ack_median": self.ack_median,
            "ack_p90": self.ack_p90,
            "on_scene_median": self.on_scene_median,
            "on_scene_p90": self.on_scene_p90,
        }


def figures(incidents: Iterable[Incident]) -> Figures:
    """Count, false alarms and response figures (false alarms' times left out)."""
    count = cancelled = 0
    ack: list[float] = []
    on_scene: list[float] = []
    for incident in incidents:
        count += 1
        if incident.state is IncidentState.CANCELLED:
            cancelled += 1
            continue
        if (seconds := time_to_acknowledge(incident)) is not None:
            ack.append(seconds)
        if (seconds := time_to_on_scene(incident)) is not None:
            on_scene.append(seconds)
    return Figures(
        count=count,
        cancelled=cancelled,
        ack_median=median(ack),
        ack_p90=p90(ack),
        on_scene_median=median(on_scene),
        on_scene_p90=p90(on_scene),
    )


def of_kind(incidents: Iterable[Incident], *, drills: bool) -> list[Incident]:
    """Only the drills, or only the real alarms."""
    return [i for i in incidents if i.drill is drills]


def in_window(
    incidents: Iterable[Incident], now: datetime, window: timedelta = WINDOW
) -> list[Incident]:
    """The incidents due in (now − window, now]."""
    since = now - window
    return [i for i in incidents if since < i.created_at <= now]


def last_30_days(
    incidents: Iterable[Incident], now: datetime, *, drills: bool = False
) -> Figures:
    """The figures of the last 30 days, of real alarms (or of drills)."""
    return figures(of_kind(in_window(incidents, now), drills=drills))


def next_window_change(
    incidents: Iterable[Incident], now: datetime, window: timedelta = WINDOW
) -> datetime | None:
    """When the oldest incident in the window leaves it (None: it is empty)."""
    return min(
        (i.created_at + window for i in in_window(incidents, now, window)),
        default=None,
    )


def month_of(at: datetime, tz: tzinfo) -> str:
    """The local calendar month of a time, as ``YYYY-MM``."""
    local = at.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}"


def months_back(now: datetime, tz: tzinfo, months: int = MONTHS) -> list[str]:
    """The last `months` calendar months up to this one, oldest first."""
    local = now.astimezone(tz)
    index = local.year * 12 + local.month - 1
    return [
        f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - months + 1, index + 1)
    ]


def by_month(
    incidents: Iterable[Incident],
    now: datetime,
    tz: tzinfo,
    *,
    months: int = MONTHS,
    drills: bool = False,
) -> list[tuple[str, Figures]]:
    """The figures of each of the last `months` local months, oldest first.

    Incidents due after `now` are not counted (there are none but in tests).
    """
    grouped: dict[str, list[Incident]] = {m: [] for m in months_back(now, tz, months)}
    for incident in of_kind(incidents, drills=drills):
        if incident.created_at <= now and (
            (bucket := grouped.get(month_of(incident.created_at, tz))) is not None
        ):
            bucket.append(incident)
    return [(month, figures(found)) for month, found in grouped.items()]


def report(incidents: Sequence[Incident], now: datetime, tz: tzinfo) -> dict[str, Any]:
    """The panel's statistics: per month (real alarms), the last 30 days apart."""
    return {
        "months": [
            {"month": month, **found.as_dict()}
            for month, found in by_month(incidents, now, tz)
        ],
        "last_30_days": last_30_days(incidents, now).as_dict(),
        "drills_last_30_days": last_30_days(incidents, now, drills=True).as_dict(),
    }
