"""What the officers' panel shows: the live state of every room, and the history.

Read-only: nothing here changes an incident (the panel changes them through
`websocket_api`, which goes through the core's one entry point). Everything
is plain JSON for the websocket, and nothing in it is raw error text or a
free-form incident note: the panel is on a wall screen every passer-by sees.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .ban_services import ban_row
from .const import Role
from .followup_services import open_followups
from .incident import Incident, IncidentState, StepSource
from .lookups import (
    caller_for_user,
    display_name,
    person_of_user,
    room_camera,
    schedule_on,
)
from .model import Person, Room
from .panel_meetings import room_meeting, todays_meetings
from .permissions import (
    Action,
    Caller,
    decide,
    may_act_on_alarms,
    may_export_log,
    may_view_evidence,
)
from .router import Delivery, Kind, Situation, raised_by, route
from .runtime import RaadhusRuntime

# The panel's history goes back at most this far (and this far by default).
HISTORY_DAYS: Final = 30
# A wall screen needs no more rows than this; the log has the rest.
HISTORY_LIMIT: Final = 500


def _by(incident: Incident, state: IncidentState) -> str | None:
    step = incident.step_for(state)
    return step.actor_name if step else None


def flags(caller: Caller) -> dict[str, bool]:
    """Which buttons this user gets (the core's permission gate still decides)."""
    return {
        "can_act": may_act_on_alarms(caller),
        "can_resolve": decide(Action.RESOLVE, caller),
        "can_cancel": decide(Action.CANCEL, caller),
        "can_debrief": decide(Action.DEBRIEFED, caller),
    }


def rounds(runtime: RaadhusRuntime, incident: Incident) -> int:
    """How many times the alarm was sent again because nobody acknowledged.

    The notifier's count is the live one; the stored calls carry each round's
    tier too, so the count survives a restart (and shows in the history).
    """
    stored = max((call.tier for call in incident.calls), default=0)
    return max(runtime.notifier.tiers.get(incident.id, 0), stored)


def _routed(
    hass: HomeAssistant,
    runtime: RaadhusRuntime,
    incident: Incident,
    room: Room,
    tier: int,
) -> list[Delivery]:
    """Who round `tier` of this alarm reaches, as the notifier asks the router.

    The schedules are read now, as the notifier reads them when it sends: for
    the current round that is what happened. (The first round's list could
    differ if the officers' hours ended in between; the panel accepts that.)
    """
    first = incident.steps[0]
    raiser = person_of_user(hass, first.actor_user_id)
    situation = Situation(
        officers_on_duty=schedule_on(hass, runtime.config.schedules.officers_on_duty),
        police_present=False,  # changes the message, never the recipients
        raised_by=raised_by(
            room,
            first.source == StepSource.BUTTON,
            raiser.entity_id if raiser else None,
        ),
    )
    return route(runtime.config, room, situation, tier)


def _not_reached(
    runtime: RaadhusRuntime, incident: Incident, people: Iterable[Person]
) -> list[str]:
    """Person entity ids of those summoned whom no delivery reached.

    From the stored calls: a person is reached once one call to one of their
    phones was answered without an error; not reached when calls failed and
    none succeeded. Someone without any phone is never called at all (the
    notifier raises their repair issue instead), so the phone book says so.
    Calls still on their way count as neither.
    """
    missing = []
    for person in people:
        calls = [c for c in incident.calls if c.person == person.person]
        if calls:
            if any(c.error is not None for c in calls) and not any(
                c.answered_at is not None and c.error is None for c in calls
            ):
                missing.append(person.person)
        elif not runtime.notifier.sender.phone_book.phones(person):
            missing.append(person.person)
    return missing


def reach(
    hass: HomeAssistant, runtime: RaadhusRuntime, incident: Incident
) -> dict[str, Any]:
    """Repeated rounds, whom they widened the alarm to, and whom it did not reach.

    Names only (no error text: that is in the administrators' repair issue).
    """
    tier = rounds(runtime, incident)
    room = runtime.config.room(incident.room_id)
    if room is None:  # the room was removed; its incident is still shown
        return {"repeated": tier, "widened_to": [], "unreachable": []}
    first = _routed(hass, runtime, incident, room, 0)
    latest = _routed(hass, runtime, incident, room, tier) if tier else first
    alarmed_first = {d.person.person for d in first if d.kind is Kind.ALARM}
    widened = [
        d.person.person
        for d in latest
        if d.kind is Kind.ALARM and d.person.person not in alarmed_first
    ]
    summoned = {d.person.person: d.person for d in (*first, *latest)}
    return {
        "repeated": tier,
        "widened_to": [display_name(hass, p) for p in widened],
        "unreachable": [
            display_name(hass, p)
            for p in _not_reached(runtime, incident, summoned.values())
        ],
    }


def _closing(incident: Incident) -> tuple[str | None, str | None, str | None]:
    """(who closed it, when, their note) for a resolved or cancelled incident."""
    step = incident.step_for(IncidentState.RESOLVED) or incident.step_for(
        IncidentState.CANCELLED
    )
    if step is None:
        return None, None, None
    return step.actor_name, step.at.isoformat(), step.note


def summary(runtime: RaadhusRuntime, incident: Incident) -> dict[str, Any]:
    """One incident as a row of the history (or the tile of a closed one)."""
    closed_by, closed_at, note = _closing(incident)
    return {
        "id": incident.id,
        "room_id": incident.room_id,
        "room_name": incident.room_name,
        "state": incident.state.value,
        "drill": incident.drill,
        "since": incident.created_at.isoformat(),
        "updated_at": incident.updated_at.isoformat(),
        "raised_by": incident.steps[0].actor_name,
        "acknowledged_by": _by(incident, IncidentState.ACKNOWLEDGED),
        "on_scene_by": _by(incident, IncidentState.ON_SCENE),
        "closed_by": closed_by,
        "closed_at": closed_at,
        "resolution": incident.resolution,
        # The closing step's note: what the officer typed when resolving or
        # cancelling from the panel or an action (never the incident's notes,
        # which hold delivery errors for the administrators).
        "note": note,
        "debriefed_by": _by(incident, IncidentState.DEBRIEFED),
        "joins": len(incident.joins),
        "repeated": rounds(runtime, incident),
    }


def history(
    runtime: RaadhusRuntime, now: datetime, days: int, room_id: str | None
) -> dict[str, Any]:
    """The incidents of the last `days` days (open ones always), newest first."""
    since = now - timedelta(days=days)
    found = [
        incident
        for incident in runtime.core.book.all()
        if (incident.is_open or incident.updated_at >= since)
        and (room_id is None or incident.room_id == room_id)
    ]
    found.sort(key=lambda i: i.created_at, reverse=True)
    return {
        "days": days,
        "room_id": room_id,
        "incidents": [summary(runtime, i) for i in found[:HISTORY_LIMIT]],
        "truncated": len(found) > HISTORY_LIMIT,
    }


def known_room(runtime: RaadhusRuntime, room_id: str) -> bool:
    """A configured room, or one that was removed but still has incidents."""
    return runtime.config.room(room_id) is not None or any(
        i.room_id == room_id for i in runtime.core.book.all()
    )


def next_round_due(runtime: RaadhusRuntime) -> datetime | None:
    """When the next unacknowledged alarm is sent again (to show the new round)."""
    timeout = timedelta(seconds=runtime.config.timings.ack_timeout)
    due = [
        i.created_at + (runtime.notifier.tiers.get(i.id, 0) + 1) * timeout
        for i in runtime.core.book.open_incidents()
        if i.state is IncidentState.TRIGGERED
    ]
    return min(due, default=None)


def _room_state(
    hass: HomeAssistant, runtime: RaadhusRuntime, room: Room, now: datetime
) -> dict[str, Any]:
    book = runtime.core.book
    incident = book.open_for_room(room.id)
    last = book.last_closed_for_room(room.id)
    return {
        "id": room.id,
        "name": room.name,
        "kind": room.kind.value,
        "state": incident.state.value if incident else "idle",
        "camera": room_camera(hass, room),
        "incident": None
        if incident is None
        else {
            "id": incident.id,
            "state": incident.state.value,
            "since": incident.created_at.isoformat(),
            "raised_at": (
                incident.raised_at.isoformat() if incident.raised_at else None
            ),
            "raised_by": incident.steps[0].actor_name,
            "acknowledged_by": _by(incident, IncidentState.ACKNOWLEDGED),
            "on_scene_by": _by(incident, IncidentState.ON_SCENE),
            "drill": incident.drill,
            "joins": len(incident.joins),
            **reach(hass, runtime, incident),
        },
        "last": None
        if last is None
        else {
            "id": last.id,
            "state": last.state.value,
            "at": last.updated_at.isoformat(),
            "by": last.last_step.actor_name,
            "resolution": last.resolution,
            "drill": last.drill,
        },
        "buttons": [
            {
                "id": button.id,
                "name": button.name,
                "problem": runtime.supervisor.problems.get(button.id),
            }
            for button in runtime.config.buttons_in(room.id)
        ],
        # "monitored" while a monitored meeting runs, and the running meeting:
        # the meeting desk asks for a push as one starts or ends.
        **room_meeting(runtime, room.id, now),
    }


def panel_state(
    hass: HomeAssistant,
    runtime: RaadhusRuntime,
    title: str,
    user_id: str | None,
    *,
    is_admin: bool = False,
) -> dict[str, Any]:
    """Everything the panel shows, for one user (`is_admin`: an administrator)."""
    config = runtime.config
    now = dt_util.utcnow()
    caller = caller_for_user(hass, config, user_id)
    may_write_bans = decide(Action.UPDATE_BAN, caller)
    may_follow_up = decide(Action.FOLLOW_UP, caller)
    on_duty = schedule_on(hass, config.schedules.officers_on_duty)
    chain = config.people_with(Role.OFFICER if on_duty else Role.OUT_OF_HOURS)
    return {
        "loaded": True,
        "town_hall": title,
        "officers_on_duty": on_duty,
        "police_present": schedule_on(hass, config.schedules.police_present),
        "on_duty": [display_name(hass, p.person) for p in chain],
        **flags(caller),
        "history_days": HISTORY_DAYS,
        "rooms": [_room_state(hass, runtime, room, now) for room in config.rooms],
        "meetings": todays_meetings(runtime, now),
        # R8: every logged-in user sees the active bans (officers at the door
        # check them); the note, and the form, only for those who may write.
        "bans": [
            ban_row(ban, with_note=may_write_bans) for ban in runtime.bans.active()
        ],
        "can_write_bans": may_write_bans,
        # R6: the open follow-ups, for those who tick them off.
        "can_follow_up": may_follow_up,
        "followups": open_followups(hass, runtime, now) if may_follow_up else [],
        # The link to the log's CSV download (`export_view`).
        "can_export": may_export_log(caller, is_admin=is_admin),
        # R6: the history's pictures and clips (`evidence_view`).
        "can_view_evidence": may_view_evidence(caller),
    }
