"""Who gets what, and when (pure, no Home Assistant imports).

Rules (R2, R3, R6):

- At once: the officers when the officers-on-duty schedule is on; otherwise
  the out-of-hours chain, told that the officers are not in the building and
  to call the police (112) if needed. The leaders always. The safety
  organisation is informed (not summoned, no actions). The room's own case
  worker is informed when someone else raised the alarm.
- The police-present schedule adds a note that the police are at the town hall.
- Not acknowledged within the timeout: sent again and widened to every leader,
  the centre chief and the out-of-hours chain; repeated every timeout until
  acknowledged, resolved or cancelled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .const import Role
from .model import Person, Room, TownHall


class Kind(StrEnum):
    """How a recipient is reached."""

    ALARM = "alarm"  # critical, breaks through silent mode, with actions
    INFO = "info"  # an ordinary notification, no actions


class Note(StrEnum):
    """Lines the message must carry."""

    OFFICERS_ABSENT = "officers_absent"
    POLICE_PRESENT = "police_present"
    ESCALATED = "escalated"
    RAISED_BY_OTHER = "raised_by_other"
    INFORMED = "informed"


@dataclass(frozen=True, slots=True)
class Situation:
    """The facts routing depends on, read at the moment of sending."""

    officers_on_duty: bool
    police_present: bool
    raised_by: str | None = None  # person entity id of whoever raised it, if known


@dataclass(frozen=True, slots=True)
class Delivery:
    """One person to reach, how, and with which notes."""

    person: Person
    kind: Kind
    notes: frozenset[Note]


def _unique(people: list[tuple[Person, Kind]]) -> list[tuple[Person, Kind]]:
    """First mention wins, but an alarm beats an info for the same person."""
    best: dict[str, tuple[Person, Kind]] = {}
    for person, kind in people:
        seen = best.get(person.person)
        if seen is None or (seen[1] is Kind.INFO and kind is Kind.ALARM):
            best[person.person] = (person, kind)
    return list(best.values())


def route(
    config: TownHall, room: Room, situation: Situation, tier: int = 0
) -> list[Delivery]:
    """Deliveries for an alarm in `room`; tier 0 is the first round."""
    summoned: list[tuple[Person, Kind]] = []
    if situation.officers_on_duty:
        summoned += [(p, Kind.ALARM) for p in config.people_with(Role.OFFICER)]
    else:
        summoned += [(p, Kind.ALARM) for p in config.people_with(Role.OUT_OF_HOURS)]
    summoned += [(p, Kind.ALARM) for p in config.people_with(Role.LEADER)]
    if tier > 0:
        for role in (Role.LEADER, Role.CENTRE_CHIEF, Role.OUT_OF_HOURS):
            summoned += [(p, Kind.ALARM) for p in config.people_with(role)]
    summoned += [(p, Kind.INFO) for p in config.people_with(Role.SAFETY_ORGANISATION)]
    if room.case_worker and room.case_worker != situation.raised_by:
        # The case worker need not be a responder to be told about their room.
        case_worker = config.person(room.case_worker) or Person(
            id=room.case_worker, person=room.case_worker, roles=frozenset()
        )
        summoned.append((case_worker, Kind.INFO))

    common: set[Note] = set()
    if not situation.officers_on_duty:
        common.add(Note.OFFICERS_ABSENT)
    if situation.police_present:
        common.add(Note.POLICE_PRESENT)
    if tier > 0:
        common.add(Note.ESCALATED)
    deliveries = []
    for person, kind in _unique(summoned):
        notes = set(common)
        if kind is Kind.INFO:
            notes.add(Note.INFORMED)
            if person.person == room.case_worker:
                notes.add(Note.RAISED_BY_OTHER)
        deliveries.append(Delivery(person, kind, frozenset(notes)))
    return deliveries


def summoned(config: TownHall, room: Room, tiers: Iterable[int]) -> frozenset[str]:
    """The people (person entity ids) summoned in any of these rounds.

    Everyone else an incident reached was only informed. The rounds' own
    schedules were not stored, so both are tried: someone the rules summon in
    either counts as summoned. An update wrongly titled "ALARM" is the lesser
    mistake; telling a responder "for your information" could keep them away.
    """
    people: set[str] = set()
    # Every escalation round widens to the same people: one stands for all.
    for tier in {min(tier, 1) for tier in tiers}:
        for on_duty in (True, False):
            situation = Situation(officers_on_duty=on_duty, police_present=False)
            people.update(
                d.person.person
                for d in route(config, room, situation, tier)
                if d.kind is Kind.ALARM
            )
    return frozenset(people)


def raised_by(room: Room, by_button: bool, raiser: str | None) -> str | None:
    """Who raised an alarm, as a person entity id.

    A button alarm counts as the room's own case worker's (she is not told of
    her own alarm); a manual alarm is the raising user's person's (R1: the
    case worker is told when someone else raised the alarm for her room).
    """
    return room.case_worker if by_button else raiser


def crisis_contact(config: TownHall, line_open: bool) -> tuple[str, str]:
    """The crisis-help (name, phone) valid now: the insurer in its hours."""
    c = config.contacts
    if line_open and (c.crisis_in_hours_phone or c.crisis_in_hours_name):
        return c.crisis_in_hours_name, c.crisis_in_hours_phone
    return c.crisis_out_of_hours_name, c.crisis_out_of_hours_phone
