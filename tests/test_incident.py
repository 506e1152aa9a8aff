"""Tests for the pure incident lifecycle and log (no Home Assistant needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
import itertools
import json
from typing import Any

from hypothesis import given, settings, strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)
import pytest

from custom_components.raadhus_alarm.incident import (
    ALLOWED_TRANSITIONS,
    CLOSED_STATES,
    OPEN_STATES,
    TERMINAL_STATES,
    Incident,
    IncidentBook,
    IncidentState,
    InvalidTransition,
    Join,
    Step,
    StepSource,
    UnknownIncident,
    can_transition,
)

S = IncidentState
T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CET = timezone(timedelta(hours=1))

# The lifecycle as written in the requirements, independent of the module.
SPEC: dict[IncidentState, set[IncidentState]] = {
    S.TRIGGERED: {S.ACKNOWLEDGED, S.ON_SCENE, S.RESOLVED, S.CANCELLED},
    S.ACKNOWLEDGED: {S.ON_SCENE, S.RESOLVED, S.CANCELLED},
    S.ON_SCENE: {S.RESOLVED, S.CANCELLED},
    S.RESOLVED: {S.DEBRIEFED},
    S.DEBRIEFED: set(),
    S.CANCELLED: set(),
}
# Shortest way from triggered to each state.
PATH_TO: dict[IncidentState, list[IncidentState]] = {
    S.TRIGGERED: [],
    S.ACKNOWLEDGED: [S.ACKNOWLEDGED],
    S.ON_SCENE: [S.ON_SCENE],
    S.RESOLVED: [S.RESOLVED],
    S.DEBRIEFED: [S.RESOLVED, S.DEBRIEFED],
    S.CANCELLED: [S.CANCELLED],
}
ROOMS = ("contact1", "contact2", "waiting")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


def _raise(
    book: IncidentBook, room_id: str = "contact1", at: datetime = T0, **kw: Any
) -> tuple[Incident, bool]:
    args: dict[str, Any] = {
        "room_id": room_id,
        "room_name": room_id.title(),
        "trigger_source": f"button.{room_id}",
        "hold_seconds": 2.5,
        "at": at,
        "source": StepSource.BUTTON,
    }
    args.update(kw)
    return book.raise_alarm(**args)


def _in_state(state: IncidentState) -> tuple[IncidentBook, Incident]:
    book = IncidentBook()
    incident, _ = _raise(book)
    for n, to in enumerate(PATH_TO[state], start=1):
        book.transition(
            incident.id, to, at=T0 + timedelta(minutes=n), source=StepSource.SERVICE
        )
    assert incident.state is state
    return book, incident


# --- lifecycle table -------------------------------------------------------


def test_allowed_transitions_match_requirements() -> None:
    assert {k: set(v) for k, v in ALLOWED_TRANSITIONS.items()} == SPEC
    assert set(OPEN_STATES) == {S.TRIGGERED, S.ACKNOWLEDGED, S.ON_SCENE}
    assert set(CLOSED_STATES) == {S.RESOLVED, S.DEBRIEFED, S.CANCELLED}
    assert set(TERMINAL_STATES) == {s for s, nxt in SPEC.items() if not nxt}


@pytest.mark.parametrize(
    ("current", "requested"), list(itertools.product(IncidentState, IncidentState))
)
def test_transition_matrix(current: IncidentState, requested: IncidentState) -> None:
    book, incident = _in_state(current)
    steps_before = list(incident.steps)
    at = T0 + timedelta(hours=1)
    assert can_transition(current, requested) is (requested in SPEC[current])
    if requested in SPEC[current]:
        step = book.transition(
            incident.id,
            requested,
            at=at,
            actor_user_id="u1",
            actor_name="Anna",
            source=StepSource.PANEL,
            note="n",
        )
        assert incident.steps == [*steps_before, step]
        assert step == Step(requested, current, at, "u1", "Anna", "panel", "n")
        assert incident.state is requested
        assert incident.previous_state is current
        assert incident.is_open is (requested in OPEN_STATES)
        assert (book.open_for_room("contact1") is incident) is incident.is_open
    else:
        with pytest.raises(InvalidTransition) as err:
            book.transition(incident.id, requested, at=at, source="service")
        assert err.value.current is current
        assert err.value.requested is requested
        assert err.value.incident_id == incident.id
        assert str(current) in str(err.value)
        assert str(requested) in str(err.value)
        assert incident.steps == steps_before


def test_transition_accepts_state_strings_and_rejects_unknown() -> None:
    book, incident = _in_state(S.TRIGGERED)
    book.transition(incident.id, "acknowledged", at=T0, source="service")  # type: ignore[arg-type]
    assert incident.state is S.ACKNOWLEDGED
    with pytest.raises(ValueError, match="bogus"):
        book.transition(incident.id, "bogus", at=T0, source="service")  # type: ignore[arg-type]


def test_invalid_transition_without_incident_id() -> None:
    err = InvalidTransition(S.CANCELLED, S.TRIGGERED)
    assert err.incident_id is None
    assert str(err) == "cannot go from cancelled to triggered"


# --- stamps ----------------------------------------------------------------


def test_raise_alarm_stamps_first_step() -> None:
    book = IncidentBook()
    at = datetime(2026, 11, 2, 10, 0, tzinfo=CET)
    incident, created = _raise(
        book,
        at=at,
        actor_user_id="user-1",
        actor_name="Panic button contact 1",
        source=StepSource.MOBILE_APP,
        new_id=lambda: "inc-1",
    )
    assert created
    assert incident.id == "inc-1"
    assert incident.room_id == "contact1"
    assert incident.room_name == "Contact1"
    assert incident.trigger_source == "button.contact1"
    assert incident.hold_seconds == 2.5
    assert incident.drill is False
    assert incident.created_at == at
    assert incident.steps == [
        Step(S.TRIGGERED, None, at, "user-1", "Panic button contact 1", "mobile_app")
    ]
    assert incident.state is S.TRIGGERED
    assert incident.previous_state is None
    assert incident.is_open
    assert incident.last_step is incident.steps[0]
    assert incident.updated_at == at
    assert incident.joins == []
    assert incident.notes == []
    assert incident.resolution is None
    assert book.get("inc-1") is incident
    assert book["inc-1"] is incident
    assert "inc-1" in book
    assert len(book) == 1


def test_full_lifecycle_stamps_each_step() -> None:
    book, incident = _in_state(S.TRIGGERED)
    people = [("o1", "Ole"), ("o2", "Bo"), ("l1", "Lise"), (None, None)]
    path = [S.ACKNOWLEDGED, S.ON_SCENE, S.RESOLVED, S.DEBRIEFED]
    sources = ["mobile_app", "panel", "service", "restore"]
    for n, (to, (uid, name), src) in enumerate(
        zip(path, people, sources, strict=True), start=1
    ):
        book.transition(
            incident.id,
            to,
            at=T0 + timedelta(minutes=n),
            actor_user_id=uid,
            actor_name=name,
            source=src,
        )
    assert [s.state for s in incident.steps] == [S.TRIGGERED, *path]
    assert [s.previous_state for s in incident.steps] == [None, S.TRIGGERED, *path[:-1]]
    assert [s.at for s in incident.steps] == [
        T0 + timedelta(minutes=n) for n in range(5)
    ]
    assert [s.actor_user_id for s in incident.steps[1:]] == [p[0] for p in people]
    assert [s.actor_name for s in incident.steps[1:]] == [p[1] for p in people]
    assert [s.source for s in incident.steps[1:]] == sources
    assert incident.step_for(S.ON_SCENE) is incident.steps[2]
    assert incident.step_for(S.CANCELLED) is None
    assert incident.updated_at == T0 + timedelta(minutes=4)
    assert book.open_incidents() == []


def test_resolution_only_when_resolving() -> None:
    book, incident = _in_state(S.TRIGGERED)
    with pytest.raises(ValueError, match="resolution"):
        book.transition(
            incident.id, S.ACKNOWLEDGED, at=T0, source="service", resolution="x"
        )
    assert incident.state is S.TRIGGERED
    assert incident.resolution is None
    book.transition(
        incident.id, S.RESOLVED, at=T0, source="service", resolution="police called"
    )
    # (Read through the book: mypy keeps the "is None" narrowing above.)
    assert book[incident.id].resolution == "police called"
    book.transition(incident.id, S.DEBRIEFED, at=T0, source="service")
    assert book[incident.id].resolution == "police called"


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2026, 11, 2, 9, 0)
    book = IncidentBook()
    with pytest.raises(ValueError, match="timezone-aware"):
        _raise(book, at=naive)
    assert len(book) == 0
    incident, _ = _raise(book)
    with pytest.raises(ValueError, match="timezone-aware"):
        book.transition(incident.id, S.ACKNOWLEDGED, at=naive, source="service")
    assert incident.state is S.TRIGGERED
    with pytest.raises(ValueError, match="timezone-aware"):
        book.mark_drill(incident.id, True, at=naive)
    assert incident.drill is False
    with pytest.raises(ValueError, match="timezone-aware"):
        book.prune(naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        Join(naive, "button.x", None)


# --- joins -----------------------------------------------------------------


def test_second_press_joins_open_incident() -> None:
    book = IncidentBook()
    first, created = _raise(book)
    at = T0 + timedelta(seconds=20)
    again, created_again = _raise(
        book,
        at=at,
        trigger_source="user-9",
        hold_seconds=None,
        actor_user_id="user-9",
        actor_name="Mette",
        source=StepSource.MOBILE_APP,
        drill=True,
    )
    assert created
    assert not created_again
    assert again is first
    assert len(book) == 1
    assert first.joins == [Join(at, "user-9", None, "mobile_app", "user-9", "Mette")]
    # A join changes neither the lifecycle nor the drill flag.
    assert [s.state for s in first.steps] == [S.TRIGGERED]
    assert first.drill is False


@pytest.mark.parametrize("state", sorted(OPEN_STATES))
def test_press_joins_in_every_open_state(state: IncidentState) -> None:
    book, incident = _in_state(state)
    again, created = _raise(book, at=T0 + timedelta(hours=1))
    assert again is incident
    assert not created
    assert len(incident.joins) == 1


@pytest.mark.parametrize("state", sorted(CLOSED_STATES))
def test_press_after_close_opens_new_incident(state: IncidentState) -> None:
    book, incident = _in_state(state)
    new, created = _raise(book, at=T0 + timedelta(hours=1))
    assert created
    assert new is not incident
    assert incident.joins == []
    assert book.open_for_room("contact1") is new
    assert book.all() == [incident, new]


def test_rooms_are_independent() -> None:
    book = IncidentBook()
    a, _ = _raise(book, "contact1")
    b, created = _raise(book, "contact2")
    assert created
    assert a is not b
    assert book.open_incidents() == [a, b]
    assert book.open_for_room("contact1") is a
    assert book.open_for_room("contact2") is b
    assert book.open_for_room("waiting") is None


# --- ids -------------------------------------------------------------------


def test_default_ids_are_uuid_hex_and_unique() -> None:
    book = IncidentBook()
    ids = {_raise(book, room)[0].id for room in ROOMS}
    assert len(ids) == 3
    for incident_id in ids:
        assert len(incident_id) == 32
        int(incident_id, 16)


def test_id_collision_is_refused() -> None:
    book = IncidentBook()
    _raise(book, "contact1", new_id=lambda: "same")
    with pytest.raises(ValueError, match="already in use"):
        _raise(book, "contact2", new_id=lambda: "same")
    assert len(book) == 1
    assert book.open_for_room("contact2") is None


def test_unknown_incident() -> None:
    book = IncidentBook()
    with pytest.raises(UnknownIncident) as err:
        book.transition("nope", S.ACKNOWLEDGED, at=T0, source="service")
    assert err.value.incident_id == "nope"
    assert isinstance(err.value, KeyError)
    assert str(err.value) == "unknown incident 'nope'"
    with pytest.raises(UnknownIncident):
        book.mark_drill("nope", True, at=T0)
    with pytest.raises(UnknownIncident):
        book["nope"]
    assert book.get("nope") is None
    assert "nope" not in book


# --- drills ----------------------------------------------------------------


@pytest.mark.parametrize("state", list(IncidentState))
def test_mark_drill_in_any_state(state: IncidentState) -> None:
    book, incident = _in_state(state)
    at = T0 + timedelta(days=3)
    assert book.mark_drill(
        incident.id, True, at=at, actor_user_id="rc", actor_name="Rita"
    )
    assert incident.drill is True
    assert incident.notes == [f"{at.isoformat()} marked as drill by Rita (rc)"]
    assert incident.state is state  # marking is not a lifecycle step
    assert list(book.drills()) == [incident]
    assert list(book.real_incidents()) == []


def test_mark_drill_is_idempotent_and_reversible() -> None:
    book, incident = _in_state(S.ACKNOWLEDGED)
    assert not book.mark_drill(incident.id, False, at=T0)
    assert incident.notes == []
    assert book.mark_drill(incident.id, True, at=T0, actor_user_id="rc")
    assert not book.mark_drill(incident.id, True, at=T0, actor_name="Rita")
    assert book.mark_drill(incident.id, False, at=T0)
    assert incident.notes == [
        f"{T0.isoformat()} marked as drill by rc",
        f"{T0.isoformat()} unmarked as drill by unknown",
    ]
    assert incident.drill is False


def test_drills_kept_apart() -> None:
    book = IncidentBook()
    real, _ = _raise(book, "contact1")
    drill, _ = _raise(book, "contact2", drill=True)
    assert drill.drill
    assert drill.notes == []  # raised as a drill, not marked later
    assert list(book.drills()) == [drill]
    assert list(book.real_incidents()) == [real]


# --- prune -----------------------------------------------------------------


def test_prune_removes_only_old_closed_incidents() -> None:
    book = IncidentBook()
    old_open, _ = _raise(book, "contact1", at=T0)
    old_resolved, _ = _raise(book, "contact2", at=T0)
    book.transition(old_resolved.id, S.RESOLVED, at=T0, source="service")
    old_cancelled, _ = _raise(book, "waiting", at=T0)
    book.transition(old_cancelled.id, S.CANCELLED, at=T0, source="service")
    debriefed, _ = _raise(book, "contact2", at=T0)
    book.transition(debriefed.id, S.RESOLVED, at=T0, source="service")
    # Its last step is exactly at the cutoff: not older, so kept.
    cutoff = T0 + timedelta(days=30)
    book.transition(debriefed.id, S.DEBRIEFED, at=cutoff, source="service")

    assert book.prune(cutoff) == 2
    assert book.all() == [old_open, debriefed]
    assert book.open_for_room("contact1") is old_open
    assert book.prune(cutoff + timedelta(days=365)) == 1
    assert book.all() == [old_open]
    assert book.prune(cutoff + timedelta(days=365)) == 0
    assert book.open_incidents() == [old_open]


# --- persistence -----------------------------------------------------------


def _busy_book() -> IncidentBook:
    book = IncidentBook()
    a, _ = _raise(book, "contact1", hold_seconds=3)
    _raise(book, "contact1", at=T0 + timedelta(seconds=5), trigger_source="user-2")
    book.transition(
        a.id,
        S.ACKNOWLEDGED,
        at=T0 + timedelta(seconds=9),
        actor_user_id="o1",
        actor_name="Ole",
        source="mobile_app",
    )
    b, _ = _raise(book, "contact2", at=datetime(2026, 11, 2, 11, 0, tzinfo=CET))
    book.transition(
        b.id, S.RESOLVED, at=T0 + timedelta(hours=1), source="panel", resolution="left"
    )
    book.mark_drill(b.id, True, at=T0 + timedelta(days=1), actor_name="Rita")
    b.notes.append("notify.mobile_app_ole failed: timeout")
    _raise(book, "waiting", hold_seconds=None, trigger_source="zha:abc")
    return book


def test_incident_round_trip() -> None:
    book = _busy_book()
    for incident in book.all():
        data = incident.to_dict()
        assert json.loads(json.dumps(data)) == data  # JSON-safe
        restored = Incident.from_dict(json.loads(json.dumps(data)))
        assert restored == incident
        assert restored.to_dict() == data


def test_book_round_trip_rebuilds_index() -> None:
    book = _busy_book()
    data = json.loads(json.dumps(book.to_list()))
    restored = IncidentBook.from_list(data)
    assert restored.all() == book.all()
    assert restored.to_list() == book.to_list()
    assert len(restored) == 3
    assert [i.id for i in restored.open_incidents()] == [
        i.id for i in book.open_incidents()
    ]
    for room in ROOMS:
        before, after = book.open_for_room(room), restored.open_for_room(room)
        assert (before and before.id) == (after and after.id)
    # An alarm active before a restart is still active (and joinable) after it.
    incident, created = _raise(restored, "contact1")
    assert not created
    assert incident.id == book.open_for_room("contact1").id  # type: ignore[union-attr]
    assert [d.id for d in restored.drills()] == [d.id for d in book.drills()]


def test_from_list_refuses_duplicate_ids() -> None:
    data = _busy_book().to_list()
    with pytest.raises(ValueError, match="duplicate"):
        IncidentBook.from_list([*data, data[0]])


def test_from_list_keeps_two_open_incidents_of_one_room() -> None:
    # Only a damaged store can hold this; no alarm may be lost on restore.
    book = IncidentBook()
    older, _ = _raise(book, "contact1", new_id=lambda: "older")
    data = older.to_dict()
    newer_data = {
        **data,
        "id": "newer",
        "created_at": (T0 + timedelta(minutes=1)).isoformat(),
    }
    restored = IncidentBook.from_list([newer_data, data])
    assert [i.id for i in restored.open_incidents()] == ["newer", "older"]
    assert restored.open_for_room("contact1").id == "newer"  # type: ignore[union-attr]
    restored.transition("newer", S.CANCELLED, at=T0, source="service")
    assert restored.open_for_room("contact1").id == "older"  # type: ignore[union-attr]
    joined, created = _raise(restored, "contact1")
    assert joined.id == "older"
    assert not created


def _valid() -> dict[str, Any]:
    _, incident = _in_state(S.DEBRIEFED)
    return incident.to_dict()


def _with(**changes: Any) -> dict[str, Any]:
    return {**_valid(), **changes}


def _step(n: int, **changes: Any) -> dict[str, Any]:
    data = _valid()
    data["steps"][n].update(changes)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_step(1, state="escalated"), "unknown incident state 'escalated'"),
        (_step(1, previous_state="escalated"), "unknown incident state"),
        (_step(2, previous_state="triggered"), "invalid step"),
        (_step(0, state="acknowledged"), "first step must be triggered"),
        (_step(0, previous_state="resolved"), "first step must be triggered"),
        (_with(steps=[]), "has no steps"),
        (_with(steps={}), "steps must be a list"),
        (_with(steps=["x"]), "step must be a mapping"),
        (_with(joins=[None]), "join must be a mapping"),
        (_step(1, at="2026-11-02T09:00:00"), "timezone-aware"),
        (_step(1, at="yesterday"), "not an ISO 8601 datetime"),
        (_step(1, at=1234), "ISO 8601 string"),
        (_step(1, source=None), "source"),
        (_step(1, actor_name=7), "actor_name must be a string"),
        (_with(created_at=None), "created_at"),
        (_with(drill="yes"), "drill must be a bool"),
        (_with(hold_seconds=True), "hold_seconds must be a number"),
        (_with(hold_seconds="2"), "hold_seconds must be a number"),
        (_with(notes=[1]), "note must be a string"),
        (_with(room_id=None), "room_id"),
        (_with(joins=[{"at": T0.isoformat()}]), "trigger_source"),
    ],
)
def test_from_dict_rejects_malformed(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message) as err:
        Incident.from_dict(data)
    assert str(err.value).startswith(f"incident {data['id']}:")


def test_from_dict_rejects_non_mapping_and_missing_id() -> None:
    with pytest.raises(ValueError, match="mapping"):
        Incident.from_dict([])  # type: ignore[arg-type]
    data = _valid()
    del data["id"]
    with pytest.raises(ValueError, match="'id'"):
        Incident.from_dict(data)


def test_from_dict_defaults_for_optional_fields() -> None:
    data = _valid()
    for key in ("joins", "notes", "resolution", "drill", "hold_seconds"):
        del data[key]
    data["steps"][1]["note"] = None
    incident = Incident.from_dict(data)
    assert incident.joins == []
    assert incident.notes == []
    assert incident.drill is False
    assert incident.hold_seconds is None
    # A join stored without source/actor reads as a plain button press.
    join = Join.from_dict(
        {"at": T0.isoformat(), "trigger_source": "b", "hold_seconds": 3}
    )
    assert join == Join(T0, "b", 3.0, "button", None, None)


def test_incident_constructor_checks_the_path() -> None:
    step = Step(S.TRIGGERED, None, T0, None, None, "button")
    bad = Step(S.DEBRIEFED, S.TRIGGERED, T0, None, None, "service")
    with pytest.raises(ValueError, match="invalid step"):
        Incident("x", "r", "R", "b", None, False, T0, [step, bad])
    with pytest.raises(ValueError, match="created_at"):
        Incident("x", "r", "R", "b", None, False, T0.replace(tzinfo=None), [step])


def test_index_heals_when_closed_behind_the_books_back() -> None:
    book, incident = _in_state(S.ACKNOWLEDGED)
    incident.transition(S.RESOLVED, at=T0, source="service")
    assert book.open_for_room("contact1") is None
    assert book.open_incidents() == []
    book, incident = _in_state(S.ON_SCENE)
    incident.transition(S.CANCELLED, at=T0, source="service")
    assert book.open_incidents() == []
    assert book.open_for_room("contact1") is None
    other, _ = _raise(book, "contact2")
    other.transition(S.CANCELLED, at=T0, source="service")
    assert book.prune(T0 + timedelta(days=1)) == 2
    assert book.open_for_room("contact2") is None
    assert _raise(book, "contact2")[1]


# --- property-based --------------------------------------------------------

TIMEZONES = st.sampled_from(
    [UTC, CET, timezone(timedelta(hours=-5, minutes=-30)), timezone(timedelta(0))]
)
TEXT = st.text(max_size=12)
OPT_TEXT = st.none() | TEXT
HOLD = st.none() | st.floats(0, 60, allow_nan=False, allow_infinity=False)


@st.composite
def incidents(draw: st.DrawFn) -> Incident:
    """Any valid incident, built through the public API."""
    tz = draw(TIMEZONES)
    at = T0.astimezone(tz) + timedelta(microseconds=draw(st.integers(0, 10**12)))
    book = IncidentBook()
    incident, _ = book.raise_alarm(
        room_id=draw(TEXT),
        room_name=draw(TEXT),
        trigger_source=draw(TEXT),
        hold_seconds=draw(HOLD),
        at=at,
        actor_user_id=draw(OPT_TEXT),
        actor_name=draw(OPT_TEXT),
        source=draw(st.sampled_from(StepSource)),
        drill=draw(st.booleans()),
    )
    for _ in range(draw(st.integers(0, 3))):
        book.raise_alarm(
            room_id=incident.room_id,
            room_name=incident.room_name,
            trigger_source=draw(TEXT),
            hold_seconds=draw(HOLD),
            at=at + timedelta(seconds=draw(st.integers(0, 100))),
            actor_user_id=draw(OPT_TEXT),
            actor_name=draw(OPT_TEXT),
            source=draw(st.sampled_from(StepSource)),
        )
    while nxt := sorted(ALLOWED_TRANSITIONS[incident.state]):
        to = draw(st.none() | st.sampled_from(nxt))
        if to is None:
            break
        at += timedelta(seconds=draw(st.integers(0, 10**6)))
        incident.transition(
            to,
            at=at.astimezone(draw(TIMEZONES)),
            actor_user_id=draw(OPT_TEXT),
            actor_name=draw(OPT_TEXT),
            source=draw(TEXT),
            note=draw(OPT_TEXT),
            resolution=draw(OPT_TEXT) if to is S.RESOLVED else None,
        )
    incident.notes.extend(draw(st.lists(TEXT, max_size=3)))
    return incident


@settings(max_examples=150, deadline=None, database=None)
@given(incidents())
def test_incident_round_trip_property(incident: Incident) -> None:
    data = json.loads(json.dumps(incident.to_dict()))
    restored = Incident.from_dict(data)
    assert restored == incident
    assert [s.at.utcoffset() for s in restored.steps] == [
        s.at.utcoffset() for s in incident.steps
    ]
    assert restored.to_dict() == incident.to_dict()


@dataclass
class Shadow:
    """What the state machine expects of one incident."""

    room: str
    states: list[IncidentState]
    drill: bool
    last_at: datetime


class BookMachine(RuleBasedStateMachine):
    """Random raises, transitions, drill marks, prunes and restarts in 3 rooms.

    A shadow model (plain dicts) predicts every outcome independently.
    """

    ids = Bundle("ids")

    def __init__(self) -> None:
        super().__init__()
        self.book = IncidentBook()
        self.now = T0
        # Insertion order = the book's order.
        self.model: dict[str, Shadow] = {}

    def _tick(self, seconds: int, tz: timezone) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now.astimezone(tz)

    def _model_open(self, room: str) -> str | None:
        found = [
            i
            for i, m in self.model.items()
            if m.room == room and m.states[-1] in OPEN_STATES
        ]
        assert len(found) <= 1
        return found[0] if found else None

    @rule(
        target=ids,
        room=st.sampled_from(ROOMS),
        seconds=st.integers(0, 600),
        tz=TIMEZONES,
        drill=st.booleans(),
        hold=HOLD,
    )
    def raise_alarm(
        self, room: str, seconds: int, tz: timezone, drill: bool, hold: float | None
    ) -> str:
        expected = self._model_open(room)
        at = self._tick(seconds, tz)
        incident, created = _raise(
            self.book, room, at=at, drill=drill, hold_seconds=hold
        )
        assert created is (expected is None)
        if expected is None:
            assert incident.steps == [Step(S.TRIGGERED, None, at, None, None, "button")]
            self.model[incident.id] = Shadow(room, [S.TRIGGERED], drill, at)
        else:
            assert incident.id == expected
            assert incident.joins[-1] == Join(at, f"button.{room}", hold)
        return incident.id

    @rule(
        incident_id=ids,
        to=st.sampled_from(IncidentState),
        seconds=st.integers(0, 600),
        tz=TIMEZONES,
    )
    def transition(
        self, incident_id: str, to: IncidentState, seconds: int, tz: timezone
    ) -> None:
        at = self._tick(seconds, tz)
        shadow = self.model.get(incident_id)
        if shadow is None:  # pruned
            with pytest.raises(UnknownIncident):
                self.book.transition(incident_id, to, at=at, source="service")
            return
        if to in SPEC[shadow.states[-1]]:
            step = self.book.transition(incident_id, to, at=at, source="panel")
            assert step == Step(to, shadow.states[-1], at, None, None, "panel")
            shadow.states.append(to)
            shadow.last_at = at
        else:
            with pytest.raises(InvalidTransition):
                self.book.transition(incident_id, to, at=at, source="service")

    @rule(incident_id=ids, value=st.booleans())
    def mark_drill(self, incident_id: str, value: bool) -> None:
        shadow = self.model.get(incident_id)
        if shadow is None:
            with pytest.raises(UnknownIncident):
                self.book.mark_drill(incident_id, value, at=self.now)
            return
        changed = self.book.mark_drill(incident_id, value, at=self.now)
        assert changed is (shadow.drill != value)
        shadow.drill = value

    @rule(age=st.integers(0, 3600))
    def prune(self, age: int) -> None:
        before = self.now - timedelta(seconds=age)
        gone = [
            i
            for i, m in self.model.items()
            if m.states[-1] not in OPEN_STATES and m.last_at < before
        ]
        assert self.book.prune(before) == len(gone)
        for i in gone:
            del self.model[i]

    @rule()
    def restart(self) -> None:
        self.book = IncidentBook.from_list(json.loads(json.dumps(self.book.to_list())))

    @invariant()
    def matches_model(self) -> None:
        assert [i.id for i in self.book.all()] == list(self.model)
        assert len(self.book) == len(self.model)
        for incident in self.book.all():
            shadow = self.model[incident.id]
            assert incident.room_id == shadow.room
            assert [s.state for s in incident.steps] == shadow.states
            assert incident.drill is shadow.drill
            assert incident.updated_at == shadow.last_at
        assert [i.id for i in self.book.drills()] == [
            i for i, m in self.model.items() if m.drill
        ]
        assert [i.id for i in self.book.real_incidents()] == [
            i for i, m in self.model.items() if not m.drill
        ]

    @invariant()
    def one_open_incident_per_room(self) -> None:
        rooms = [i.room_id for i in self.book.all() if i.is_open]
        assert len(rooms) == len(set(rooms))

    @invariant()
    def index_equals_recomputation(self) -> None:
        recomputed = {i.room_id: i.id for i in self.book.all() if i.is_open}
        assert self.book._open_by_room == recomputed
        assert {i.id: i for i in self.book.open_incidents()} == {
            i.id: i for i in self.book.all() if i.is_open
        }
        for room in ROOMS:
            found = self.book.open_for_room(room)
            assert (found.id if found else None) == recomputed.get(room)

    @invariant()
    def steps_walk_the_lifecycle(self) -> None:
        for incident in self.book.all():
            first = incident.steps[0]
            assert first.state is S.TRIGGERED
            assert first.previous_state is None
            assert first.at == incident.created_at
            for before, after in itertools.pairwise(incident.steps):
                assert after.previous_state is before.state
                assert after.state in SPEC[before.state]
                assert after.at >= before.at

    @invariant()
    def round_trip_is_lossless(self) -> None:
        data = json.loads(json.dumps(self.book.to_list()))
        restored = IncidentBook.from_list(data)
        assert restored.all() == self.book.all()
        assert restored.to_list() == data
        assert restored._open_by_room == self.book._open_by_room


def test_book_state_machine() -> None:
    run_state_machine_as_test(
        BookMachine,
        settings=settings(
            max_examples=120, stateful_step_count=40, deadline=None, database=None
        ),
    )
