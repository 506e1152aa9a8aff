"""Who may do what: the one permission table (pure).

Every path that changes an incident, a meeting or an attendance ban
(actions, the panel, phone actions, the calendar, and anything added later)
asks `decide` through the one gate (`core.gate`), so there is exactly one
place where this is answered.

Callers are of three kinds:

- a Home Assistant *user* (REST, websocket, the panel, a phone): allowed only
  what the roles of the person linked to that user allow — administrators
  included, since being an administrator says nothing about being on duty;
- *system*: a call without a user (automations and scripts, which only
  administrators can write): allowed, and recorded as an automation;
- a *device*: a panic button, which may only raise an alarm.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from .const import Role
from .incident import IncidentState


class Action(StrEnum):
    """Everything that changes an incident, a meeting or an attendance ban."""

    RAISE = "trigger"
    ACKNOWLEDGE = "acknowledge"
    ON_SCENE = "on_scene"
    RESOLVE = "resolve"
    CANCEL = "cancel"
    DEBRIEFED = "debriefed"
    MARK_DRILL = "mark_drill"
    ANNOUNCE_MEETING = "announce_meeting"
    CANCEL_MEETING = "cancel_meeting"
    REPORT_ARRIVAL = "report_threatening_arrival"
    ADD_BAN = "add_ban"
    UPDATE_BAN = "update_ban"
    END_BAN = "end_ban"
    REMOVE_BAN = "remove_ban"
    FOLLOW_UP = "follow_up"
    KEEP_EVIDENCE = "keep_evidence"


MEETING_ACTIONS: Final = frozenset(
    {Action.ANNOUNCE_MEETING, Action.CANCEL_MEETING, Action.REPORT_ARRIVAL}
)
BAN_ACTIONS: Final = frozenset(
    {Action.ADD_BAN, Action.UPDATE_BAN, Action.END_BAN, Action.REMOVE_BAN}
)
# After the incident (R6): its follow-up record and its video evidence.
AFTER_ACTIONS: Final = frozenset({Action.FOLLOW_UP, Action.KEEP_EVIDENCE})
# What moves an incident along (the rest acts on meetings, bans, follow-ups).
INCIDENT_ACTIONS: Final = tuple(
    a for a in Action if a not in MEETING_ACTIONS | BAN_ACTIONS | AFTER_ACTIONS
)


class CallerKind(StrEnum):
    """Where a request comes from."""

    USER = "user"
    SYSTEM = "system"
    DEVICE = "device"


# The lifecycle step each action asks for (RAISE and MARK_DRILL are no steps).
TARGET_STATE: Final[Mapping[Action, IncidentState]] = {
    Action.ACKNOWLEDGE: IncidentState.ACKNOWLEDGED,
    Action.ON_SCENE: IncidentState.ON_SCENE,
    Action.RESOLVE: IncidentState.RESOLVED,
    Action.CANCEL: IncidentState.CANCELLED,
    Action.DEBRIEFED: IncidentState.DEBRIEFED,
}

# Everyone summoned by an alarm may act on it.
RESPONDERS: Final = frozenset(
    {Role.OFFICER, Role.LEADER, Role.CENTRE_CHIEF, Role.OUT_OF_HOURS}
)
ANYONE: Final = frozenset(Role)
BAN_WRITERS: Final = frozenset({Role.LEADER, Role.CENTRE_CHIEF})
EVIDENCE_READERS: Final = frozenset(
    {Role.LEADER, Role.CENTRE_CHIEF, Role.SECURITY_COORDINATOR}
)
LOG_READERS: Final = frozenset(
    {Role.LEADER, Role.CENTRE_CHIEF, Role.SAFETY_ORGANISATION}
)

# The table (README: "Who may do what"). A user needs one of these roles;
# ANYONE is every logged-in user, with or without a role (R1: anyone may raise).
PERMISSIONS: Final[Mapping[Action, frozenset[Role]]] = {
    Action.RAISE: ANYONE,
    Action.ACKNOWLEDGE: RESPONDERS,
    Action.ON_SCENE: RESPONDERS,
    Action.RESOLVE: RESPONDERS,
    Action.CANCEL: RESPONDERS,
    Action.DEBRIEFED: frozenset({Role.LEADER, Role.CENTRE_CHIEF}),
    Action.MARK_DRILL: frozenset({Role.RISK_COORDINATOR}),
    # R7: a case worker announces (no role needed); besides the one who
    # announced it, the officers and leaders may cancel a meeting.
    Action.ANNOUNCE_MEETING: ANYONE,
    Action.CANCEL_MEETING: frozenset({Role.OFFICER, Role.LEADER, Role.CENTRE_CHIEF}),
    Action.REPORT_ARRIVAL: ANYONE,
    # R8: the centre chief (with the area director) issues attendance bans;
    # leaders keep the register. Reading the active bans needs no role.
    **dict.fromkeys(BAN_ACTIONS, BAN_WRITERS),
    # R6: the nearest leader ticks off the follow-up; the security
    # coordinator secures video for a police report.
    Action.FOLLOW_UP: frozenset({Role.LEADER, Role.CENTRE_CHIEF}),
    Action.KEEP_EVIDENCE: EVIDENCE_READERS,
}


@dataclass(frozen=True, slots=True)
class Caller:
    """Who asks: a user (with the roles of their person), the system, a device."""

    kind: CallerKind
    user_id: str | None = None
    person: str | None = None  # person entity id
    name: str | None = None  # display name recorded on the step
    roles: frozenset[Role] = frozenset()

    @classmethod
    def system(cls) -> Caller:
        """An automation or script (no user)."""
        return cls(CallerKind.SYSTEM)

    @classmethod
    def device(cls, name: str) -> Caller:
        """A panic button."""
        return cls(CallerKind.DEVICE, name=name)


def decide(action: Action, caller: Caller, owner: str | None = None) -> bool:
    """Whether `caller` may do `action` (to something `owner`, a person, made)."""
    if caller.kind is CallerKind.SYSTEM:
        return True
    if caller.kind is CallerKind.DEVICE:
        return action is Action.RAISE
    if action is Action.CANCEL_MEETING and owner is not None and caller.person == owner:
        return True  # one's own announced meeting (nothing else)
    allowed = PERMISSIONS[action]
    return allowed is ANYONE or bool(caller.roles & allowed)


def may_act_on_alarms(caller: Caller) -> bool:
    """Whether the caller gets the acknowledge/on scene/resolve buttons."""
    return decide(Action.ACKNOWLEDGE, caller)


def may_view_evidence(caller: Caller) -> bool:
    """Whether the caller may see an incident's snapshots and clips (R6)."""
    return caller.kind is CallerKind.SYSTEM or bool(caller.roles & EVIDENCE_READERS)


def may_export_log(caller: Caller, *, is_admin: bool) -> bool:
    """Whether the caller may download the incident log (leaders, safety, admins)."""
    return (
        is_admin or caller.kind is CallerKind.SYSTEM or bool(caller.roles & LOG_READERS)
    )
