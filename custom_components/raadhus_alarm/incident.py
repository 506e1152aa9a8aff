"""Incident lifecycle and log (pure logic, no Home Assistant imports).

An incident is one alarm in one room. It walks the lifecycle of R5
(triggered → acknowledged → on scene → resolved → debriefed, or cancelled
while open) and every step is stamped with time, person and source. A second
press in a room whose incident is still open joins that incident instead of
opening another (R1). Drills are flagged and kept apart (R9).

Everything here round-trips through plain JSON (``to_dict``/``from_dict`` and
``IncidentBook.to_list``/``from_list``) so the Home Assistant glue can persist
it with a ``Store`` and restore open alarms after a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Any, Final
from uuid import uuid4


class IncidentState(StrEnum):
    """Where an incident is in its lifecycle."""

    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    ON_SCENE = "on_scene"
    RESOLVED = "resolved"
    DEBRIEFED = "debriefed"
    CANCELLED = "cancelled"


class StepSource(StrEnum):
    """Where a step (or a joining press) came from.

    ``Step.source`` is typed ``str`` so the glue may pass plain strings; these
    are the values it is expected to use.
    """

    BUTTON = "button"
    SERVICE = "service"
    MOBILE_APP = "mobile_app"
    PANEL = "panel"
    AUTOMATION = "automation"  # an action called without a user
    RESTORE = "restore"


# An alarm is "open" (someone may be in danger) until resolved or cancelled.
OPEN_STATES: Final = frozenset(
    {IncidentState.TRIGGERED, IncidentState.ACKNOWLEDGED, IncidentState.ON_SCENE}
)
CLOSED_STATES: Final = frozenset(IncidentState) - OPEN_STATES
TERMINAL_STATES: Final = frozenset({IncidentState.DEBRIEFED, IncidentState.CANCELLED})

# Responders may skip steps forward (e.g. straight to on scene without pressing
# acknowledge), but never go back: the log must read as what happened.
ALLOWED_TRANSITIONS: Final[Mapping[IncidentState, frozenset[IncidentState]]] = {
    IncidentState.TRIGGERED: frozenset(
        {
            IncidentState.ACKNOWLEDGED,
            IncidentState.ON_SCENE,
            IncidentState.RESOLVED,
            IncidentState.CANCELLED,
        }
    ),
    IncidentState.ACKNOWLEDGED: frozenset(
        {IncidentState.ON_SCENE, IncidentState.RESOLVED, IncidentState.CANCELLED}
    ),
    IncidentState.ON_SCENE: frozenset(
        {IncidentState.RESOLVED, IncidentState.CANCELLED}
    ),
    IncidentState.RESOLVED: frozenset({IncidentState.DEBRIEFED}),
    IncidentState.DEBRIEFED: frozenset(),
    IncidentState.CANCELLED: frozenset(),
}


def can_transition(current: IncidentState, requested: IncidentState) -> bool:
    """Return whether an incident in ``current`` may move to ``requested``."""
    return requested in ALLOWED_TRANSITIONS[current]


class InvalidTransition(Exception):
    """A requested lifecycle step is not allowed from the current state.

    ``current`` and ``requested`` (and ``incident_id`` when known) are kept as
    attributes so the glue can raise a translated ServiceValidationError.
    """

    def __init__(
        self,
        current: IncidentState,
        requested: IncidentState,
        incident_id: str | None = None,
    ) -> None:
        self.current = current
        self.requested = requested
        self.incident_id = incident_id
        where = f"incident {incident_id}: " if incident_id else ""
        super().__init__(f"{where}cannot go from {current} to {requested}")


class UnknownIncident(KeyError):
    """No incident with this id is in the book."""

    def __init__(self, incident_id: str) -> None:
        self.incident_id = incident_id
        super().__init__(incident_id)

    def __str__(self) -> str:
        # KeyError's own __str__ shows the repr of the key, not a message.
        return f"unknown incident {self.incident_id!r}"


def _require_aware(at: datetime, what: str = "at") -> None:
    # Naive datetimes would compare wrongly with the UTC times Home Assistant
    # uses and would not round-trip to the same instant.
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got {at!r}")


@dataclass(frozen=True, slots=True)
class Step:
    """One stamped lifecycle step of an incident."""

    state: IncidentState
    previous_state: IncidentState | None
    at: datetime
    actor_user_id: str | None
    actor_name: str | None
    source: str
    note: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.at)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "state": str(self.state),
            "previous_state": (
                None if self.previous_state is None else str(self.previous_state)
            ),
            "at": self.at.isoformat(),
            "actor_user_id": self.actor_user_id,
            "actor_name": self.actor_name,
            "source": str(self.source),
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Step:
        """Build a step from ``to_dict`` output; raise ValueError if malformed."""
        data = _mapping(data, "step")
        prev = data.get("previous_state")
        return cls(
            state=_state(data.get("state")),
            previous_state=None if prev is None else _state(prev),
            at=_dt(data.get("at"), "step at"),
            actor_user_id=_opt_str(data, "actor_user_id"),
            actor_name=_opt_str(data, "actor_name"),
            source=_str(data, "source"),
            note=_opt_str(data, "note"),
        )


@dataclass(frozen=True, slots=True)
class Join:
    """A further alarm press in a room whose incident was still open.

    Beyond the designed ``at``/``trigger_source``/``hold_seconds`` it records
    who joined and how, since anyone may raise an alarm for a room (R1).
    """

    at: datetime
    trigger_source: str
    hold_seconds: float | None
    source: str = StepSource.BUTTON
    actor_user_id: str | None = None
    actor_name: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.at)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "at": self.at.isoformat(),
            "trigger_source": self.trigger_source,
            "hold_seconds": self.hold_seconds,
            "source": str(self.source),
            "actor_user_id": self.actor_user_id,
            "actor_name": self.actor_name,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Join:
        """Build a join from ``to_dict`` output; raise ValueError if malformed."""
        data = _mapping(data, "join")
        return cls(
            at=_dt(data.get("at"), "join at"),
            trigger_source=_str(data, "trigger_source"),
            hold_seconds=_opt_float(data, "hold_seconds"),
            source=_opt_str(data, "source") or StepSource.BUTTON,
            actor_user_id=_opt_str(data, "actor_user_id"),
            actor_name=_opt_str(data, "actor_name"),
        )


@dataclass(frozen=True, slots=True)
class PhoneCall:
    """One push to one phone: when it was called and when the service answered.

    ``answered_at`` is None while the call is out, ``error`` says why a call
    failed. These are the stored times the log and the export show, so the
    response of the notification path can be read from the log itself.
    """

    person: str
    service: str
    tier: int
    called_at: datetime
    answered_at: datetime | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        _require_aware(self.called_at, "called_at")
        if self.answered_at is not None:
            _require_aware(self.answered_at, "answered_at")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict."""
        return {
            "person": self.person,
            "service": self.service,
            "tier": self.tier,
            "called_at": self.called_at.isoformat(),
            "answered_at": (
                None if self.answered_at is None else self.answered_at.isoformat()
            ),
            "error": self.error,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PhoneCall:
        """Build a call from ``to_dict`` output; raise ValueError if malformed."""
        data = _mapping(data, "call")
        # Every key is written, nulls included: one missing is a damaged record
        # (e.g. a file cut inside its last call), not a call without an answer.
        if missing := {"tier", "answered_at", "error"} - data.keys():
            raise ValueError(f"call without {', '.join(sorted(missing))}")
        tier = data.get("tier", 0)
        if isinstance(tier, bool) or not isinstance(tier, int):
            raise ValueError(f"tier must be an integer, got {tier!r}")
        answered = data.get("answered_at")
        return cls(
            person=_str(data, "person"),
            service=_str(data, "service"),
            tier=tier,
            called_at=_dt(data.get("called_at"), "called_at"),
            answered_at=None if answered is None else _dt(answered, "answered_at"),
            error=_opt_str(data, "error"),
        )


@dataclass(slots=True)
class Incident:
    """One alarm in one room, with its stamped steps.

    Construct through ``IncidentBook.raise_alarm`` (or ``from_dict``); the
    steps must form a valid path from ``triggered`` and are checked here.
    """

    id: str
    room_id: str
    room_name: str
    trigger_source: str
    hold_seconds: float | None
    drill: bool
    created_at: datetime
    steps: list[Step]
    joins: list[Join] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    resolution: str | None = None
    # ``created_at`` is when the alarm was due (the hold crossed its threshold);
    # ``raised_at`` is when the core actually raised it. Their difference is
    # the alarm's lateness. None for incidents stored before it was recorded.
    raised_at: datetime | None = None
    calls: list[PhoneCall] = field(default_factory=list)

    def __post_init__(self) -> None:
        _require_aware(self.created_at, "created_at")
        if self.raised_at is not None:
            _require_aware(self.raised_at, "raised_at")
        _check_path(self.id, self.steps)

    @property
    def lateness(self) -> float | None:
        """Seconds between the threshold and the actual raise (None if unknown)."""
        if self.raised_at is None:
            return None
        return (self.raised_at - self.created_at).total_seconds()

    @property
    def state(self) -> IncidentState:
        """Return the current state (that of the last step)."""
        return self.steps[-1].state

    @property
    def previous_state(self) -> IncidentState | None:
        """Return the state before the current one (None while only triggered)."""
        return self.steps[-1].previous_state

    @property
    def is_open(self) -> bool:
        """Return whether the alarm is still open (someone may be in danger)."""
        return self.state in OPEN_STATES

    @property
    def last_step(self) -> Step:
        """Return the latest step."""
        return self.steps[-1]

    @property
    def updated_at(self) -> datetime:
        """Return the time of the latest step."""
        return self.steps[-1].at

    def call_started(self, person: str, service: str, tier: int, at: datetime) -> int:
        """Record that a phone is being called; return the call's index."""
        self.calls.append(PhoneCall(person, service, tier, at))
        return len(self.calls) - 1

    def call_ended(self, index: int, at: datetime, error: str | None = None) -> None:
        """Record when the phone's service answered (or why it failed)."""
        self.calls[index] = replace(self.calls[index], answered_at=at, error=error)

    def step_for(self, state: IncidentState) -> Step | None:
        """Return the step that entered ``state``, or None if never reached."""
        # Each state is entered at most once: the transition graph is acyclic.
        return next((s for s in self.steps if s.state == state), None)

    def transition(
        self,
        to: IncidentState,
        *,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
        source: str,
        note: str | None = None,
        resolution: str | None = None,
    ) -> Step:
        """Move to state ``to``, append the stamped step and return it.

        ``resolution`` (e.g. "citizen asked to leave", "police called") may
        only be given when resolving. Raises InvalidTransition when the
        lifecycle does not allow the step.
        """
        to = IncidentState(to)
        current = self.state
        if not can_transition(current, to):
            raise InvalidTransition(current, to, self.id)
        if resolution is not None and to is not IncidentState.RESOLVED:
            raise ValueError("a resolution can only be given when resolving")
        step = Step(
            state=to,
            previous_state=current,
            at=at,
            actor_user_id=actor_user_id,
            actor_name=actor_name,
            source=source,
            note=note,
        )
        self.steps.append(step)
        if resolution is not None:
            self.resolution = resolution
        return step

    def mark_drill(
        self,
        value: bool,
        *,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
    ) -> bool:
        """Mark (or unmark) the incident as a drill, in any state (R9).

        Returns whether the flag changed; only a change is noted, so a
        repeated service call does not clutter the log.
        """
        _require_aware(at)
        if self.drill == value:
            return False
        self.drill = value
        who = actor_name or actor_user_id or "unknown"
        if actor_name and actor_user_id:
            who = f"{actor_name} ({actor_user_id})"
        verb = "marked as drill" if value else "unmarked as drill"
        self.notes.append(f"{at.isoformat()} {verb} by {who}")
        return True

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (datetimes as ISO 8601 strings)."""
        return {
            "id": self.id,
            "room_id": self.room_id,
            "room_name": self.room_name,
            "trigger_source": self.trigger_source,
            "hold_seconds": self.hold_seconds,
            "drill": self.drill,
            "created_at": self.created_at.isoformat(),
            "steps": [s.to_dict() for s in self.steps],
            "joins": [j.to_dict() for j in self.joins],
            "notes": list(self.notes),
            # Lists before the last keys: an object found in damaged text that
            # ends inside a list then lacks a key, and is not taken as whole.
            "calls": [c.to_dict() for c in self.calls],
            "resolution": self.resolution,
            "raised_at": None if self.raised_at is None else self.raised_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Incident:
        """Build an incident from ``to_dict`` output.

        Raises ValueError (naming the incident) for unknown states, an invalid
        step path, naive or unparsable datetimes and missing or mistyped fields.
        """
        data = _mapping(data, "incident")
        incident_id = _str(data, "id")
        try:
            drill = data.get("drill", False)
            if not isinstance(drill, bool):
                raise ValueError(f"drill must be a bool, got {drill!r}")
            raised = data.get("raised_at")
            return cls(
                id=incident_id,
                room_id=_str(data, "room_id"),
                room_name=_str(data, "room_name"),
                trigger_source=_str(data, "trigger_source"),
                hold_seconds=_opt_float(data, "hold_seconds"),
                drill=drill,
                created_at=_dt(data.get("created_at"), "created_at"),
                steps=[Step.from_dict(s) for s in _list(data, "steps")],
                joins=[Join.from_dict(j) for j in _list(data, "joins")],
                notes=[_as_str(n, "note") for n in _list(data, "notes")],
                resolution=_opt_str(data, "resolution"),
                raised_at=None if raised is None else _dt(raised, "raised_at"),
                calls=[PhoneCall.from_dict(c) for c in _list(data, "calls")],
            )
        except (ValueError, TypeError) as err:
            if str(err).startswith(f"incident {incident_id}:"):
                raise
            raise ValueError(f"incident {incident_id}: {err}") from err


class IncidentBook:
    """All incidents by id, with an index of the open incident of each room.

    Mutate incidents held here only through the book, so the index stays
    right. Raise and transition are O(1); prune and persistence are O(n).
    """

    __slots__ = ("_closed_by_room", "_incidents", "_open", "_open_by_room")

    def __init__(self) -> None:
        self._incidents: dict[str, Incident] = {}
        # Every open incident (insertion-ordered set) and, per room, the one a
        # new press joins. Normally one open incident per room; see from_list.
        self._open: dict[str, Incident] = {}
        self._open_by_room: dict[str, str] = {}
        # The most recently closed incident of each room (the panel shows it).
        self._closed_by_room: dict[str, Incident] = {}

    def __len__(self) -> int:
        return len(self._incidents)

    def __contains__(self, incident_id: object) -> bool:
        return incident_id in self._incidents

    def __getitem__(self, incident_id: str) -> Incident:
        """Return the incident; raise UnknownIncident if there is none."""
        try:
            return self._incidents[incident_id]
        except KeyError:
            raise UnknownIncident(incident_id) from None

    def get(self, incident_id: str) -> Incident | None:
        """Return the incident with this id, or None."""
        return self._incidents.get(incident_id)

    def all(self) -> list[Incident]:
        """Return every incident, oldest first."""
        return list(self._incidents.values())

    def open_incidents(self) -> list[Incident]:
        """Return the open incidents, oldest first."""
        return [i for i in list(self._open.values()) if self._still_open(i)]

    def open_for_room(self, room_id: str) -> Incident | None:
        """Return the open incident of a room, or None."""
        # Loops only to heal the index (see _still_open).
        while (incident_id := self._open_by_room.get(room_id)) is not None:
            incident = self._incidents[incident_id]
            if self._still_open(incident):
                return incident
        return None

    def last_closed_for_room(self, room_id: str) -> Incident | None:
        """Return the room's most recently closed incident, or None."""
        return self._closed_by_room.get(room_id)

    def drills(self) -> Iterator[Incident]:
        """Iterate over drills, oldest first (kept apart in the log, R9)."""
        return (i for i in self._incidents.values() if i.drill)

    def real_incidents(self) -> Iterator[Incident]:
        """Iterate over incidents that are not drills, oldest first."""
        return (i for i in self._incidents.values() if not i.drill)

    def raise_alarm(
        self,
        *,
        room_id: str,
        room_name: str,
        trigger_source: str,
        hold_seconds: float | None,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
        source: str,
        drill: bool = False,
        note: str | None = None,
        raised_at: datetime | None = None,
        new_id: Callable[[], str] | None = None,
    ) -> tuple[Incident, bool]:
        """Raise an alarm for a room; return ``(incident, created)``.

        If the room already has an open incident the press is recorded as a
        Join on it and ``created`` is False; its drill flag is left alone (a
        drill is marked explicitly with ``mark_drill``).
        """
        _require_aware(at)
        current = self.open_for_room(room_id)
        if current is not None:
            current.joins.append(
                Join(
                    at=at,
                    trigger_source=trigger_source,
                    hold_seconds=hold_seconds,
                    source=source,
                    actor_user_id=actor_user_id,
                    actor_name=actor_name,
                )
            )
            if note:
                current.notes.append(f"{at.isoformat()} {note}")
            return current, False
        incident = self.new_alarm(
            room_id=room_id,
            room_name=room_name,
            trigger_source=trigger_source,
            hold_seconds=hold_seconds,
            at=at,
            actor_user_id=actor_user_id,
            actor_name=actor_name,
            source=source,
            drill=drill,
            note=note,
            raised_at=raised_at,
            new_id=new_id,
        )
        self._insert(incident)
        return incident, True

    def new_alarm(
        self,
        *,
        room_id: str,
        room_name: str,
        trigger_source: str,
        hold_seconds: float | None,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
        source: str,
        drill: bool = False,
        note: str | None = None,
        raised_at: datetime | None = None,
        new_id: Callable[[], str] | None = None,
    ) -> Incident:
        """A new incident for a room, not yet in the book (see `adopt`).

        The core writes a button's alarm ahead of its threshold this way: on
        disk before it is due, in the book only once it is.
        """
        _require_aware(at)
        incident_id = (new_id or _new_id)()
        if incident_id in self._incidents:
            raise ValueError(f"incident id {incident_id!r} is already in use")
        return Incident(
            id=incident_id,
            room_id=room_id,
            room_name=room_name,
            trigger_source=trigger_source,
            hold_seconds=hold_seconds,
            drill=drill,
            created_at=at,
            steps=[
                Step(
                    state=IncidentState.TRIGGERED,
                    previous_state=None,
                    at=at,
                    actor_user_id=actor_user_id,
                    actor_name=actor_name,
                    source=source,
                    note=note,
                )
            ],
            raised_at=raised_at,
        )

    def adopt(self, incident: Incident) -> bool:
        """Put an incident made by `new_alarm` into the book, as a new alarm.

        False (and nothing changes) when its id is taken or its room has an
        open incident meanwhile: then the alarm must be raised the usual way
        (it joins the open one).
        """
        if incident.id in self._incidents or self.open_for_room(incident.room_id):
            return False
        self._insert(incident)
        return True

    def transition(
        self,
        incident_id: str,
        to: IncidentState,
        *,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
        source: str,
        note: str | None = None,
        resolution: str | None = None,
    ) -> Step:
        """Move an incident to ``to`` and return the new step.

        Raises UnknownIncident or InvalidTransition (see Incident.transition).
        """
        incident = self[incident_id]
        step = incident.transition(
            to,
            at=at,
            actor_user_id=actor_user_id,
            actor_name=actor_name,
            source=source,
            note=note,
            resolution=resolution,
        )
        if not incident.is_open:
            self._unindex(incident)
            self._closed_by_room[incident.room_id] = incident
        return step

    def mark_drill(
        self,
        incident_id: str,
        value: bool,
        *,
        at: datetime,
        actor_user_id: str | None = None,
        actor_name: str | None = None,
    ) -> bool:
        """Mark an incident as a drill (or not); return whether it changed."""
        return self[incident_id].mark_drill(
            value, at=at, actor_user_id=actor_user_id, actor_name=actor_name
        )

    def prune(self, before: datetime) -> int:
        """Remove closed incidents whose last step is older than ``before``.

        Open incidents are never removed, however old. Returns the count.
        """
        _require_aware(before, "before")
        keep: dict[str, Incident] = {}
        for incident_id, incident in self._incidents.items():
            if incident.is_open or incident.updated_at >= before:
                keep[incident_id] = incident
            else:
                # No-op unless it was closed behind the book's back.
                self._unindex(incident)
        removed = len(self._incidents) - len(keep)
        self._incidents = keep
        self._closed_by_room = {}
        for incident in keep.values():
            self._note_closed(incident)
        return removed

    def to_list(self) -> list[dict[str, Any]]:
        """Return every incident as JSON-safe dicts, oldest first."""
        return [i.to_dict() for i in self._incidents.values()]

    @classmethod
    def from_list(cls, data: Iterable[Mapping[str, Any]]) -> IncidentBook:
        """Build a book from ``to_list`` output.

        Raises ValueError for a malformed incident or a duplicate id. Should a
        damaged store hold two open incidents for one room, both are kept open
        (an alarm must survive a restart) and new presses join the newer one.
        """
        return cls.from_incidents(Incident.from_dict(item) for item in data)

    @classmethod
    def from_incidents(cls, incidents: Iterable[Incident]) -> IncidentBook:
        """Build a book from parsed incidents; raise ValueError on a duplicate id."""
        book = cls()
        for incident in incidents:
            if incident.id in book._incidents:
                raise ValueError(f"duplicate incident id {incident.id!r}")
            book._insert(incident)
        return book

    def _note_closed(self, incident: Incident) -> None:
        if incident.is_open:
            return
        known = self._closed_by_room.get(incident.room_id)
        if known is None or known.updated_at <= incident.updated_at:
            self._closed_by_room[incident.room_id] = incident

    def _insert(self, incident: Incident) -> None:
        self._incidents[incident.id] = incident
        self._note_closed(incident)
        if incident.is_open:
            self._open[incident.id] = incident
            indexed = self._open_by_room.get(incident.room_id)
            if (
                indexed is None
                or self._incidents[indexed].created_at <= incident.created_at
            ):
                self._open_by_room[incident.room_id] = incident.id

    def _still_open(self, incident: Incident) -> bool:
        # Heals the index if an incident was closed behind the book's back.
        if incident.is_open:
            return True
        self._unindex(incident)
        self._note_closed(incident)
        return False

    def _unindex(self, incident: Incident) -> None:
        self._open.pop(incident.id, None)
        if self._open_by_room.get(incident.room_id) != incident.id:
            return
        del self._open_by_room[incident.room_id]
        # Only a damaged store leaves another open incident in the room; this
        # scan is over open incidents, normally at most one per room.
        others = [i for i in self._open.values() if i.room_id == incident.room_id]
        if others:
            newest = max(others, key=lambda i: i.created_at)
            self._open_by_room[incident.room_id] = newest.id


def _new_id() -> str:
    return uuid4().hex


def _check_path(incident_id: str, steps: list[Step]) -> None:
    """Raise ValueError unless the steps walk the lifecycle from triggered."""
    if not steps:
        raise ValueError(f"incident {incident_id}: has no steps")
    first = steps[0]
    if first.state is not IncidentState.TRIGGERED or first.previous_state is not None:
        raise ValueError(
            f"incident {incident_id}: first step must be triggered with no "
            f"previous state, got {first.state} from {first.previous_state}"
        )
    for before, after in pairwise(steps):
        if after.previous_state != before.state or not can_transition(
            before.state, after.state
        ):
            raise ValueError(
                f"incident {incident_id}: invalid step {after.previous_state}"
                f" → {after.state} after {before.state}"
            )


def _state(value: Any) -> IncidentState:
    try:
        return IncidentState(value)
    except ValueError:
        known = ", ".join(IncidentState)
        raise ValueError(
            f"unknown incident state {value!r} (expected one of: {known})"
        ) from None


def _dt(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be an ISO 8601 string, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{what} is not an ISO 8601 datetime: {value!r}") from None
    _require_aware(parsed, what)
    return parsed


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{what} must be a mapping, got {type(value).__name__}")
    return value


def _as_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, got {value!r}")
    return value


def _str(data: Mapping[str, Any], key: str) -> str:
    if key not in data:
        raise ValueError(f"missing field {key!r}")
    return _as_str(data[key], key)


def _opt_str(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None else _as_str(value, key)


def _opt_float(data: Mapping[str, Any], key: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    # bool is an int subclass; True seconds is a bug, not a duration.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{key} must be a number, got {value!r}")
    return float(value)


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ValueError(f"{key} must be a list, got {value!r}")
    return value
