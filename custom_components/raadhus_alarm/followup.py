"""After the alarm: who is on the way, clearing the phones, the leaders' checklist.

Subscribes to the core. "Betjent Bo er på vej" replaces the alarm on every
phone it reached (from the incident's stored calls, so after a restart too);
resolving or cancelling clears it there; a resolved real incident gives the
leaders the follow-up checklist (R6). Also the other messages that are not
alarms: a panic button that stopped working (R11), a threat outside working
hours (R10).
"""

from __future__ import annotations

import asyncio

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import Role
from .core import AlarmCore, Change, IncidentChange
from .incident import Incident, IncidentState
from .messages import (
    button_problem_message,
    clear_message,
    followup_message,
    off_duty_message,
    progress_message,
)
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

    async def _async_progress(self, incident: Incident, actor: str | None) -> None:
        """Replace the alarm on every phone that got it (acknowledged, on scene)."""
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
            await self.sender.async_send_to_role(
                Role.LEADER,
                lambda p, phone: followup_message(
                    incident_id=incident.id,
                    room=incident.room_name,
                    language=p.language,
                    contact=contact,
                    cvr=cvr,
                    platform=phone.platform,
                ),
            )

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
