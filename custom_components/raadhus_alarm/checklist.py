"""The follow-up checklist of a resolved incident (R6), as data (pure).

One checklist per resolved real incident (drills have none). The nearest
leader ticks its items off; each item records when and by whom. The crisis
line valid when the incident was resolved and the municipality's CVR number
are kept with it, so the checklist shows what held then, not what holds now.
Open items are overdue a number of working days (Monday–Friday; public
holidays are not known here) after the incident was resolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final


class Item(StrEnum):
    """The follow-up items, in the order the action plan gives them."""

    DEBRIEF = "debrief"
    CRISIS_HELP_OFFERED = "crisis_help_offered"
    RELATIVES_CONTACTED = "relatives_contacted"
    POLICE_REPORT = "police_report"
    SAFETY_ORGANISATION_TOLD = "safety_organisation_told"
    WORK_ACCIDENT_REPORT = "work_accident_report"
    VIDEO_REQUESTED = "video_requested"


# Only for a threat outside working hours (R10): the employee's own report.
OFF_DUTY_ONLY: Final = frozenset({Item.WORK_ACCIDENT_REPORT})
DEFAULT_WORKING_DAYS: Final = 3


def _aware(at: datetime, what: str) -> datetime:
    if at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {at!r}")
    return at


@dataclass(frozen=True, slots=True)
class Tick:
    """One item's state: done or not, when, by whom, with whom (debrief)."""

    done: bool = False
    at: datetime | None = None
    by: str | None = None
    persons: tuple[str, ...] = ()  # person entity ids (the debrief's)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe."""
        return {
            "done": self.done,
            "at": self.at.isoformat() if self.at else None,
            "by": self.by,
            "persons": list(self.persons),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Tick:
        """From `to_dict`; ValueError if malformed."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a tick must be a mapping, got {data!r}")
        done, at, by = data.get("done", False), data.get("at"), data.get("by")
        persons = data.get("persons", [])
        if not isinstance(done, bool) or not isinstance(persons, list):
            raise ValueError(f"bad tick {data!r}")
        if not all(isinstance(p, str) for p in persons):
            raise ValueError(f"bad persons {persons!r}")
        if by is not None and not isinstance(by, str):
            raise ValueError(f"bad tick author {by!r}")
        when = None if at is None else _aware(datetime.fromisoformat(at), "at")
        return cls(done=done, at=when, by=by, persons=tuple(persons))


@dataclass(frozen=True, slots=True)
class Checklist:
    """The follow-up of one incident."""

    incident_id: str
    resolved_at: datetime
    crisis_name: str = ""
    crisis_phone: str = ""
    cvr: str = ""
    off_duty: bool = False
    ticks: Mapping[str, Tick] = field(default_factory=dict)
    reminded: bool = False

    def __post_init__(self) -> None:
        _aware(self.resolved_at, "resolved_at")

    @property
    def id(self) -> str:
        """The incident's id (one checklist per incident)."""
        return self.incident_id

    def applies(self, item: Item) -> bool:
        """Whether the item is asked for this incident."""
        return self.off_duty or item not in OFF_DUTY_ONLY

    def tick(self, item: Item) -> Tick:
        """The item's state (not done when never ticked)."""
        return self.ticks.get(item.value, Tick())

    def ticked(
        self,
        item: Item,
        *,
        done: bool,
        at: datetime,
        by: str,
        persons: tuple[str, ...] = (),
    ) -> Checklist:
        """The checklist with `item` ticked (or un-ticked) by `by` at `at`."""
        if not self.applies(item):
            raise ValueError(f"{item} does not apply to incident {self.incident_id}")
        _aware(at, "at")
        mark = Tick(done=done, at=at, by=by, persons=persons if done else ())
        return replace(self, ticks={**self.ticks, item.value: mark})

    def open_items(self) -> list[Item]:
        """The items that apply and are not done, in order."""
        return [i for i in Item if self.applies(i) and not self.tick(i).done]

    @property
    def complete(self) -> bool:
        """Whether every item that applies is done."""
        return not self.open_items()

    def due(self, working_days: int = DEFAULT_WORKING_DAYS) -> datetime:
        """When open items become overdue (in `resolved_at`'s zone)."""
        return add_working_days(self.resolved_at, working_days)

    def mark_reminded(self) -> Checklist:
        """The checklist with its overdue reminder marked as sent."""
        return replace(self, reminded=True)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe."""
        return {
            "incident_id": self.incident_id,
            "resolved_at": self.resolved_at.isoformat(),
            "crisis_name": self.crisis_name,
            "crisis_phone": self.crisis_phone,
            "cvr": self.cvr,
            "off_duty": self.off_duty,
            "ticks": {k: t.to_dict() for k, t in self.ticks.items()},
            "reminded": self.reminded,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Checklist:
        """From `to_dict`; ValueError if malformed (unknown items are dropped)."""
        if not isinstance(data, Mapping):
            raise ValueError(f"a checklist must be a mapping, got {data!r}")
        ticks = data.get("ticks", {})
        if not isinstance(ticks, Mapping):
            raise ValueError(f"bad ticks {ticks!r}")
        texts = [data.get(k, "") for k in ("crisis_name", "crisis_phone", "cvr")]
        flags = [data.get(k, False) for k in ("off_duty", "reminded")]
        incident_id, resolved = data.get("incident_id"), data.get("resolved_at")
        if not isinstance(incident_id, str) or not isinstance(resolved, str):
            raise ValueError(f"bad checklist {data!r}")
        if not all(isinstance(t, str) for t in texts) or not all(
            isinstance(f, bool) for f in flags
        ):
            raise ValueError(f"bad checklist {data!r}")
        known = {i.value for i in Item}
        return cls(
            incident_id=incident_id,
            resolved_at=datetime.fromisoformat(resolved),
            crisis_name=texts[0],
            crisis_phone=texts[1],
            cvr=texts[2],
            off_duty=flags[0],
            ticks={k: Tick.from_dict(v) for k, v in ticks.items() if k in known},
            reminded=flags[1],
        )


def add_working_days(at: datetime, days: int) -> datetime:
    """`days` working days (Monday–Friday) after `at`, at the same wall time.

    Each day on that is a working day counts: Friday + 1 and Saturday + 1
    are both Monday. Same wall time in `at`'s zone (across a DST change too).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    _aware(at, "at")
    day = at
    left = days
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day
