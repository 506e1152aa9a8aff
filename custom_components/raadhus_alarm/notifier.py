"""Notifier: router decisions → companion-app pushes, retries and escalation.

Subscribes to the core. A new incident's deliveries start the moment it is
published, each phone in its own task started eagerly, so the first phone is
called before the bus event and the entities are even written. One slow or
broken phone never delays another. Each call's start and answer are stored on
the incident (`Incident.calls`); updates ("X er på vej") and clearing go to
the phones those calls reached, so they reach them after a restart too.

A failed delivery never stops the alarm: it is noted on the incident, the
administrators get a repair issue, and it is retried (5, 30, 120 s) while
nobody has taken the alarm. Not acknowledged within the timeout: the next
round goes out, widened, timed from the alarm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
)
from homeassistant.util import dt as dt_util, slugify

from . import notices
from .const import Role
from .core import AlarmCore, Change, IncidentChange
from .incident import Incident, IncidentState, StepSource
from .lookups import (
    Phone,
    display_name,
    person_of_user,
    phones_of,
    room_camera,
    schedule_on,
)
from .messages import (
    AlarmView,
    alarm_message,
    button_problem_message,
    clear_message,
    followup_message,
    off_duty_message,
    progress_message,
)
from .model import Person, Room, TownHall
from .router import Delivery, Kind, Situation, crisis_contact, raised_by, route

_LOGGER = logging.getLogger(__name__)

SEND_TIMEOUT: Final = 10.0
RETRY_DELAYS: Final = (5.0, 30.0, 120.0)


@dataclass(frozen=True, slots=True)
class Push:
    """One alarm message to one phone (kept for its retries)."""

    incident: Incident
    delivery: Delivery
    phone: Phone
    payload: dict[str, Any]
    tier: int


class Notifier:
    """Sends, escalates and clears the alarms of one town hall."""

    def __init__(self, hass: HomeAssistant, config: TownHall, core: AlarmCore) -> None:
        self.hass = hass
        self.config = config
        self.core = core
        self.tiers: dict[str, int] = {}
        self._escalations: dict[str, CALLBACK_TYPE] = {}
        self._retries: set[CALLBACK_TYPE] = set()

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow the core; resume escalating alarms restored from the log."""
        unsubscribe = self.core.async_subscribe(self._changed)
        timeout = self.config.timings.ack_timeout
        for incident in self.core.book.open_incidents():
            if incident.state is IncidentState.TRIGGERED:
                # Nobody acknowledged before the restart (and phones may never
                # have been reached): send the round that is due now, at once.
                elapsed = (dt_util.utcnow() - incident.created_at).total_seconds()
                self._schedule_round(incident, int(elapsed // timeout))

        @callback
        def _stop() -> None:
            unsubscribe()
            self.async_stop()

        return _stop

    @callback
    def async_stop(self) -> None:
        """Cancel escalation and retry timers."""
        for unsub in (*self._escalations.values(), *self._retries):
            unsub()
        self._escalations.clear()
        self._retries.clear()

    @callback
    def _changed(self, change: IncidentChange) -> None:
        incident = change.incident
        if change.change is Change.CREATED:
            self._send_round(incident, 0)
        elif change.change is Change.TRANSITION:
            self._cancel_escalation(incident.id)
            job = (
                self._async_progress(incident, change.caller.name)
                if incident.is_open
                else self._async_closed(incident)
            )
            self.hass.async_create_task(job, "raadhus_alarm phones", eager_start=True)

    # -- the alarm ------------------------------------------------------------

    def _situation(self, incident: Incident, room: Room) -> Situation:
        """The schedules now, and who raised it (is the case worker told?)."""
        first = incident.steps[0]
        raiser = person_of_user(self.hass, first.actor_user_id)
        return Situation(
            officers_on_duty=schedule_on(
                self.hass, self.config.schedules.officers_on_duty
            ),
            police_present=schedule_on(self.hass, self.config.schedules.police_present),
            raised_by=raised_by(
                room,
                first.source == StepSource.BUTTON,
                raiser.entity_id if raiser else None,
            ),
        )

    def _view(self, incident: Incident, room: Room) -> AlarmView:
        camera = room_camera(self.hass, room)
        return AlarmView(
            incident_id=incident.id,
            room=room.name,
            time=dt_util.as_local(incident.created_at).strftime("%H:%M"),
            raised_by=incident.steps[0].actor_name,
            image=f"/api/camera_proxy/{camera}" if camera else None,
            camera_entity=camera,
        )

    @callback
    def _send_round(self, incident: Incident, tier: int) -> None:
        """Send the alarm (tier 0) or an escalation round; every phone at once."""
        room = self.config.room(incident.room_id)
        if room is None:  # the room was removed; its open incident stays visible
            return
        deliveries = route(self.config, room, self._situation(incident, room), tier)
        view = self._view(incident, room)
        self.tiers[incident.id] = tier
        if incident.state is IncidentState.TRIGGERED:
            # Timed from the alarm, not from when this round finished sending.
            self._schedule_round(incident, tier + 1)
        for delivery in deliveries:
            phones = phones_of(self.hass, delivery.person)
            if not phones:
                self._failed(incident, delivery.person, "no companion-app device")
            for phone in phones:
                payload = alarm_message(view, delivery, phone.platform, tier)
                self.hass.async_create_task(
                    self._deliver(Push(incident, delivery, phone, payload, tier)),
                    f"raadhus_alarm push {phone.service}",
                    eager_start=True,
                )

    async def _deliver(self, push: Push, attempt: int = 0) -> None:
        incident, person = push.incident, push.delivery.person
        index = self.core.async_call_started(
            incident, person.person, push.phone.service, push.tier
        )
        error = await self._call(push.phone.service, push.payload)
        self.core.async_call_ended(incident, index, error)
        if error is None:
            notices.async_clear(self.hass, _issue_id(person))
            return
        self._failed(incident, person, error)
        if attempt < len(RETRY_DELAYS) and push.delivery.kind is Kind.ALARM:
            self._retry(push, attempt + 1)

    def _retry(self, push: Push, attempt: int) -> None:
        unsub: CALLBACK_TYPE | None = None

        @callback
        def _again(now: datetime) -> None:
            if unsub is not None:
                self._retries.discard(unsub)
            if push.incident.state is not IncidentState.TRIGGERED:
                return  # someone took it: no more alarms to this phone
            self.hass.async_create_task(
                self._deliver(push, attempt),
                f"raadhus_alarm retry {push.phone.service}",
                eager_start=True,
            )

        unsub = async_call_later(self.hass, RETRY_DELAYS[attempt - 1], _again)
        self._retries.add(unsub)

    async def _call(self, service: str, payload: dict[str, Any]) -> str | None:
        """Call a notify service; return an error text or None."""
        if not self.hass.services.has_service("notify", service):
            return f"notify.{service} does not exist"
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await self.hass.services.async_call(
                    "notify", service, payload, blocking=True
                )
        except TimeoutError:
            return f"notify.{service} did not answer within {SEND_TIMEOUT:g} s"
        except Exception as err:  # one phone must never stop a round
            return f"notify.{service} failed: {err}"
        return None

    def _failed(self, incident: Incident, person: Person, error: str) -> None:
        name = display_name(self.hass, person.person)
        _LOGGER.error(
            "Alarm %s in %s did not reach %s: %s",
            incident.id,
            incident.room_name,
            name,
            error,
        )
        notices.async_raise(
            self.hass,
            _issue_id(person),
            "delivery_failed",
            {"person": name, "error": error},
            critical=False,
        )
        self.core.async_add_note(incident, f"delivery to {name} failed: {error}")

    # -- after the alarm --------------------------------------------------------

    def _reached(self, incident: Incident) -> dict[str, tuple[Person, Phone]]:
        """The phones the incident's pushes reached, from its stored calls."""
        reached: dict[str, tuple[Person, Phone]] = {}
        for call in incident.calls:
            if call.answered_at is None or call.error is not None:
                continue
            person = self.config.person(call.person) or Person(
                id=call.person, person=call.person, roles=frozenset()
            )
            platform = next(
                (
                    p.platform
                    for p in phones_of(self.hass, person)
                    if p.service == call.service
                ),
                "ios",
            )
            reached[call.service] = (person, Phone(call.service, platform))
        return reached

    async def _async_progress(self, incident: Incident, actor: str | None) -> None:
        """Replace the alarm on every phone that got it (acknowledged, on scene)."""
        await asyncio.gather(
            *(
                self._call(
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
                for person, phone in self._reached(incident).values()
            )
        )

    async def _async_closed(self, incident: Incident) -> None:
        """Clear the alarm on every phone; leaders get the follow-up checklist."""
        if incident.state not in (IncidentState.RESOLVED, IncidentState.CANCELLED):
            return  # debriefed: the phones were cleared when it was resolved
        await asyncio.gather(
            *(
                self._call(phone.service, clear_message(incident.id))
                for _, phone in self._reached(incident).values()
            )
        )
        if incident.state is IncidentState.RESOLVED and not incident.drill:
            contact = self.crisis_contact()
            await self._send_to_role(
                Role.LEADER,
                lambda p, phone: followup_message(
                    incident_id=incident.id,
                    room=incident.room_name,
                    language=p.language,
                    contact=contact,
                    cvr=self.config.contacts.cvr,
                    platform=phone.platform,
                ),
            )

    async def _send_to_role(
        self, role: Role, build: Callable[[Person, Phone], dict[str, Any]]
    ) -> list[str | None]:
        """Send `build(person, phone)` to every phone of everyone with `role`."""
        return await asyncio.gather(
            *(
                self._call(phone.service, build(person, phone))
                for person in self.config.people_with(role)
                for phone in phones_of(self.hass, person)
            )
        )

    def crisis_contact(self) -> tuple[str, str]:
        """The crisis-help contact valid now."""
        line_open = schedule_on(self.hass, self.config.schedules.crisis_line_hours)
        return crisis_contact(self.config, line_open)

    async def async_button_problem(self, button: str, room: str, problem: str) -> None:
        """Tell the facilities staff that a panic button needs attention."""
        await self._send_to_role(
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
        contact = self.crisis_contact()
        results = await self._send_to_role(
            Role.LEADER,
            lambda p, phone: off_duty_message(
                employee, p.language, contact, phone.platform
            ),
        )
        return sum(1 for error in results if error is None)

    # -- escalation -------------------------------------------------------------

    def _schedule_round(self, incident: Incident, tier: int) -> None:
        """Send round `tier` at created + tier x timeout (at once if overdue)."""
        self._cancel_escalation(incident.id)
        timeout = timedelta(seconds=self.config.timings.ack_timeout)
        when = max(incident.created_at + tier * timeout, dt_util.utcnow())

        @callback
        def _escalate(now: datetime) -> None:
            self._escalations.pop(incident.id, None)
            if incident.state is not IncidentState.TRIGGERED:
                return
            _LOGGER.warning(
                "Alarm in %s not acknowledged: round %d", incident.room_name, tier
            )
            self._send_round(incident, tier)

        self._escalations[incident.id] = async_track_point_in_utc_time(
            self.hass, _escalate, when
        )

    def _cancel_escalation(self, incident_id: str) -> None:
        if (unsub := self._escalations.pop(incident_id, None)) is not None:
            unsub()


def _issue_id(person: Person) -> str:
    return f"delivery_{slugify(person.person)}"
