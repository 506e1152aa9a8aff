"""After the alarm: who is on the way, clearing the phones, the leaders' checklist.

Subscribes to the core. "Betjent Bo er på vej" replaces the alarm on every
phone it reached (from the incident's stored calls, so after a restart too);
resolving or cancelling clears it there; a resolved real incident gives the
leaders the follow-up checklist (R6), naming whom to debrief. Also the other
messages that are not alarms: a panic button that stopped working (R11), a
threat outside working hours (R10).

Someone who was only informed of the alarm (the safety organisation, the
room's case worker) stays informed on the updates too: the router says who
was summoned, from the rounds stored with the incident's calls.
"""

from __future__ import annotations

import asyncio

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import Role, RoomKind
from .core import AlarmCore, Change, IncidentChange
from .incident import Incident, IncidentState, StepSource
from .lookups import display_name, person_of_user
from .messages import (
    button_problem_message,
    clear_message,
    followup_message,
    off_duty_message,
    progress_message,
)
from .model import Room
from .router import Kind, summoned
from .sender import Sender


class FollowUp:
    """Updates, clearing and checklists of one town hall."""

    def __init__(self, hass: HomeAssistant, core: AlarmCore, sender: Sender) -> None:
        self.hass = hass
        self.core = core
        self.sender = sender

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow the core; returns the unsubscriber."""
        return self.core.async_subscribe(self._changed)

    @callback
    def _changed(self, change: IncidentChange) -> None:
        incident = change.incident
        if change.change is not Change.TRANSITION:
            return
        job = (
            self._async_progress(incident, change.caller.name)
            if incident.is_open
            else self._async_closed(incident)
        )
        self.hass.async_create_task(job, "raadhus_alarm phones", eager_start=True)

    def _room(self, incident: Incident) -> Room:
        # A removed room's open incident still gets its updates: without the
        # room there is no case worker, and the roles decide alone.
        return self.sender.config.room(incident.room_id) or Room(
            id=incident.room_id, name=incident.room_name, kind=RoomKind.OTHER
        )

    async def _async_progress(self, incident: Incident, actor: str | None) -> None:
        """Replace the alarm on every phone that got it (acknowledged, on scene)."""
        alarmed = summoned(
            self.sender.config,
            self._room(incident),
            {call.tier for call in incident.calls},
        )
        await asyncio.gather(
            *(
                self.sender.async_call(
                    phone.service,
                    progress_message(
                        incident_id=incident.id,
                        room=incident.room_name,
                        state=incident.state.value,
                        actor=actor,
                        language=person.language,
                        platform=phone.platform,
                        kind=Kind.ALARM if person.person in alarmed else Kind.INFO,
                    ),
                )
                for person, phone in self.sender.reached(incident)
            )
        )

    async def _async_closed(self, incident: Incident) -> None:
        """Clear the alarm on every phone; leaders get the follow-up checklist."""
        if incident.state not in (IncidentState.RESOLVED, IncidentState.CANCELLED):
            return  # debriefed: the phones were cleared when it was resolved
        await asyncio.gather(
            *(
                self.sender.async_call(phone.service, clear_message(incident.id))
                for _, phone in self.sender.reached(incident)
            )
        )
        if incident.state is IncidentState.RESOLVED and not incident.drill:
            contact = self.sender.crisis_contact()
            cvr = self.sender.config.contacts.cvr
            debrief = self._debrief(incident)
            await self.sender.async_send_to_role(
                Role.LEADER,
                lambda p, phone: followup_message(
                    incident_id=incident.id,
                    room=incident.room_name,
                    language=p.language,
                    contact=contact,
                    cvr=cvr,
                    platform=phone.platform,
                    # The leader holds the debriefing: not one of the names.
                    debrief=[name for who, name in debrief if who != p.person],
                ),
            )

    def _debrief(self, incident: Incident) -> list[tuple[str, str]]:
        return debrief_candidates(self.hass, self._room(incident), incident)

    async def async_button_problem(self, button: str, room: str, problem: str) -> None:
        """Tell the facilities staff that a panic button needs attention."""
        await self.sender.async_send_to_role(
            Role.FACILITIES,
            lambda p, phone: button_problem_message(
                button=button,
                room=room,
                problem=problem,
                language=p.language,
                platform=phone.platform,
            ),
        )

    async def async_off_duty(self, employee: str) -> int:
        """A threat outside working hours (R10): the leaders get the checklist."""
        contact = self.sender.crisis_contact()
        results = await self.sender.async_send_to_role(
            Role.LEADER,
            lambda p, phone: off_duty_message(
                employee, p.language, contact, phone.platform
            ),
        )
        return sum(1 for error in results if error is None)


def debrief_candidates(
    hass: HomeAssistant, room: Room, incident: Incident
) -> list[tuple[str, str]]:
    """Whom to debrief, as (who, display name), each once, in this order.

    The room's case worker; whoever raised or joined the alarm, and the
    responders who acted on it, if they are people (a button is not, and
    a button alarm is the case worker's own). `who` is the person entity
    id where there is one, so a name is never listed twice.
    """
    found: dict[str, str] = {}
    case_worker = room.case_worker
    # display_name falls back to the entity id: a removed person has no
    # name to show on a phone.
    if case_worker and (name := display_name(hass, case_worker)) != case_worker:
        found[case_worker] = name
    for source, user_id, actor_name in (
        *((s.source, s.actor_user_id, s.actor_name) for s in incident.steps),
        *((j.source, j.actor_user_id, j.actor_name) for j in incident.joins),
    ):
        if source == StepSource.BUTTON or user_id is None:
            continue
        if (person := person_of_user(hass, user_id)) is not None:
            found.setdefault(person.entity_id, person.name)
        elif actor_name:
            # The person was removed since: the name the step recorded.
            found.setdefault(user_id, actor_name)
    return list(found.items())
