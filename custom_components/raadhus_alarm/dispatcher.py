"""Dispatcher: router decisions → companion-app notifications, escalation, actions.

Every recipient's phone is called in parallel with its own timeout, so one slow
or broken phone never delays another. A failed delivery never stops the alarm:
it is recorded on the incident, shown as a persistent notification and a
repair issue, and retried with backoff while the incident is open.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.components import persistent_notification
from homeassistant.const import STATE_ON
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
)
from homeassistant.util import dt as dt_util, slugify

from .const import DOMAIN, Role
from .incident import Incident, IncidentState, StepSource
from .messages import (
    AlarmView,
    alarm_message,
    button_problem_message,
    clear_message,
    followup_message,
    off_duty_message,
    parse_action,
    progress_message,
)
from .model import Person, Room
from .people import mobile_app_devices_of_person, person_of_user
from .router import Delivery, Kind, Situation, crisis_contact, may_act, route

if TYPE_CHECKING:
    from .alarm import Actor, TownHallAlarm

_LOGGER = logging.getLogger(__name__)

SEND_TIMEOUT = 10.0
RETRY_DELAYS = (5.0, 30.0, 120.0)
ACTION_EVENT = "mobile_app_notification_action"
ACTION_STATES = {
    "ACK": IncidentState.ACKNOWLEDGED,
    "ON_SCENE": IncidentState.ON_SCENE,
    "RESOLVE": IncidentState.RESOLVED,
}


@dataclass(frozen=True, slots=True)
class Target:
    """One phone: its notify service and platform."""

    service: str  # e.g. mobile_app_betjent_bo_iphone
    platform: str  # "ios" or "android"


@dataclass(frozen=True, slots=True)
class Sent:
    """A phone that got an incident's alarm (for updates and clearing)."""

    person: Person
    target: Target


class Dispatcher:
    """Sends, escalates, clears, and takes phone actions for one town hall."""

    def __init__(self, hass: HomeAssistant, alarm: TownHallAlarm) -> None:
        self.hass = hass
        self.alarm = alarm
        self.sent: dict[str, dict[tuple[str, str], Sent]] = {}
        self.tiers: dict[str, int] = {}
        self._escalations: dict[str, CALLBACK_TYPE] = {}
        self._retries: set[CALLBACK_TYPE] = set()
        self._unsubs: list[CALLBACK_TYPE] = []

    # -- lifecycle -----------------------------------------------------------

    @callback
    def async_start(self) -> None:
        """Listen for phone actions; resume escalation of restored alarms."""
        self._unsubs.append(self.hass.bus.async_listen(ACTION_EVENT, self._action))
        timeout = self.alarm.config.timings.ack_timeout
        for incident in self.alarm.book.open_incidents():
            if incident.state is IncidentState.TRIGGERED:
                # Nobody acknowledged before the restart (and phones may never
                # have been reached): send the round that is due now, at once.
                elapsed = (dt_util.utcnow() - incident.created_at).total_seconds()
                self._schedule_round(incident, int(elapsed // timeout))

    @callback
    def async_stop(self) -> None:
        """Cancel timers and listeners."""
        for unsub in (*self._unsubs, *self._escalations.values(), *self._retries):
            unsub()
        self._unsubs.clear()
        self._escalations.clear()
        self._retries.clear()

    # -- who and where -----------------------------------------------------------

    def targets(self, person: Person) -> list[Target]:
        """The person's phones (configured, or behind their device trackers)."""
        dev_reg = dr.async_get(self.hass)
        device_ids = list(person.devices) or mobile_app_devices_of_person(
            self.hass, person.person
        )
        targets = []
        for device_id in device_ids:
            device = dev_reg.async_get(device_id)
            if device is None or not device.name:
                continue
            entry = self.hass.config_entries.async_get_entry(
                device.config_entry_id or ""
            )
            os_name = str(entry.data.get("os_name", "")) if entry else ""
            platform = "android" if os_name.lower() == "android" else "ios"
            targets.append(Target(f"mobile_app_{slugify(device.name)}", platform))
        return targets

    def person_for_user(self, user_id: str | None) -> str | None:
        """The person entity of a Home Assistant user."""
        state = person_of_user(self.hass, user_id)
        return state.entity_id if state else None

    def schedule_on(self, entity_id: str | None) -> bool:
        """Whether a schedule helper is on now."""
        state = self.hass.states.get(entity_id) if entity_id else None
        return state is not None and state.state == STATE_ON

    def situation(self, incident: Incident, room: Room) -> Situation:
        """Read the schedules now."""
        schedules = self.alarm.config.schedules
        first = incident.steps[0]
        raised_by = (
            room.case_worker
            if first.source == StepSource.BUTTON
            else self.person_for_user(first.actor_user_id)
        )
        return Situation(
            officers_on_duty=self.schedule_on(schedules.officers_on_duty),
            police_present=self.schedule_on(schedules.police_present),
            raised_by=raised_by,
        )

    def _view(self, incident: Incident, room: Room) -> AlarmView:
        local = dt_util.as_local(incident.created_at).strftime("%H:%M")
        camera = self.room_camera(room)
        first = incident.steps[0]
        return AlarmView(
            incident_id=incident.id,
            room=room.name,
            time=local,
            raised_by=first.actor_name,
            image=f"/api/camera_proxy/{camera}" if camera else None,
            camera_entity=camera,
        )

    def room_camera(self, room: Room) -> str | None:
        """The room's first proxy camera entity."""
        if not room.cameras:
            return None
        return er.async_get(self.hass).async_get_entity_id(
            "camera", DOMAIN, f"{room.id}_camera_1"
        )

    # -- sending -----------------------------------------------------------------

    async def async_alarm(self, incident: Incident, tier: int = 0) -> None:
        """Send the alarm (tier 0) or an escalation round (tier > 0)."""
        room = self.alarm.config.room(incident.room_id)
        if room is None:  # pragma: no cover - rooms outlive their incidents
            return
        deliveries = route(
            self.alarm.config, room, self.situation(incident, room), tier
        )
        view = self._view(incident, room)
        self.tiers[incident.id] = tier
        if incident.state is IncidentState.TRIGGERED:
            # Timed from the alarm, not from when this round finished sending.
            self._schedule_round(incident, tier + 1)
        jobs = []
        for delivery in deliveries:
            targets = self.targets(delivery.person)
            if not targets:
                jobs.append(self._no_phone(incident, delivery.person))
                continue
            for target in targets:
                payload = alarm_message(view, delivery, target.platform, tier)
                jobs.append(self._deliver(incident, delivery, target, payload))
        if tier == 0:
            jobs += [
                self._room_alert(incident, e) for e in self.alarm.config.alert_entities
            ]
        await asyncio.gather(*jobs)

    async def _room_alert(self, incident: Incident, entity_id: str) -> None:
        """The officers' room second channel: siren, flashing light, or speech."""
        domain = entity_id.split(".", maxsplit=1)[0]
        if domain == "media_player":
            tts = next(iter(self.hass.states.async_entity_ids("tts")), None)
            if tts is None:
                await self.alarm.async_add_note(
                    incident, f"{entity_id}: no text-to-speech entity to speak with"
                )
                return
            call = (
                "tts",
                "speak",
                {
                    "entity_id": tts,
                    "media_player_entity_id": entity_id,
                    "message": f"Alarm i {incident.room_name}",
                },
            )
        elif domain == "light":
            call = ("light", "turn_on", {"entity_id": entity_id, "flash": "long"})
        else:
            call = ("siren", "turn_on", {"entity_id": entity_id})
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await self.hass.services.async_call(*call, blocking=True)
        except (HomeAssistantError, TimeoutError, ValueError) as err:
            await self.alarm.async_add_note(incident, f"{entity_id} failed: {err!r}")

    async def _deliver(
        self,
        incident: Incident,
        delivery: Delivery,
        target: Target,
        payload: dict[str, Any],
        attempt: int = 0,
    ) -> None:
        error = await self._call(target.service, payload)
        name = self.name(delivery.person)
        if error is None:
            self.sent.setdefault(incident.id, {})[
                (delivery.person.person, target.service)
            ] = Sent(delivery.person, target)
            ir.async_delete_issue(self.hass, DOMAIN, self._issue_id(delivery.person))
            return
        await self._failed(incident, delivery.person, name, error)
        if attempt < len(RETRY_DELAYS) and delivery.kind is Kind.ALARM:
            self._retry(incident, delivery, target, payload, attempt + 1)

    def _retry(
        self,
        incident: Incident,
        delivery: Delivery,
        target: Target,
        payload: dict[str, Any],
        attempt: int,
    ) -> None:
        unsub: CALLBACK_TYPE | None = None

        @callback
        def _again(now: datetime) -> None:
            if unsub is not None:
                self._retries.discard(unsub)
            if incident.state is not IncidentState.TRIGGERED:
                return  # someone took it: no more alarms to this phone
            self.alarm.entry.async_create_task(
                self.hass,
                self._deliver(incident, delivery, target, payload, attempt),
                f"raadhus_alarm retry {target.service}",
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

    async def _no_phone(self, incident: Incident, person: Person) -> None:
        await self._failed(
            incident, person, self.name(person), "no companion-app device"
        )

    def name(self, person: Person) -> str:
        """A person's display name."""
        state = self.hass.states.get(person.person)
        return state.name if state else person.person

    @staticmethod
    def _issue_id(person: Person) -> str:
        return f"delivery_{slugify(person.person)}"

    async def _failed(
        self, incident: Incident, person: Person, name: str, error: str
    ) -> None:
        _LOGGER.error(
            "Alarm %s in %s did not reach %s: %s",
            incident.id,
            incident.room_name,
            name,
            error,
        )
        persistent_notification.async_create(
            self.hass,
            f"{incident.room_name}: {name} — {error}",
            title="Rådhus Alarm",
            notification_id=f"{DOMAIN}_{self._issue_id(person)}",
        )
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id(person),
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="delivery_failed",
            translation_placeholders={"person": name, "error": error},
        )
        await self.alarm.async_add_note(incident, f"delivery to {name} failed: {error}")

    async def async_progress(self, incident: Incident, actor: str | None) -> None:
        """Replace the alarm on every phone that got it (acknowledged, on scene)."""
        await asyncio.gather(
            *(
                self._call(
                    s.target.service,
                    progress_message(
                        incident_id=incident.id,
                        room=incident.room_name,
                        state=incident.state.value,
                        actor=actor,
                        language=s.person.language,
                        platform=s.target.platform,
                    ),
                )
                for s in self.sent.get(incident.id, {}).values()
            )
        )

    async def _send_to_role(
        self, role: Role, build: Callable[[Person, Target], dict[str, Any]]
    ) -> list[str | None]:
        """Send `build(person, phone)` to every phone of everyone with `role`."""
        return await asyncio.gather(
            *(
                self._call(t.service, build(p, t))
                for p in self.alarm.config.people_with(role)
                for t in self.targets(p)
            )
        )

    async def async_closed(self, incident: Incident) -> None:
        """Clear the alarm on every phone; leaders get the follow-up checklist."""
        self._cancel_escalation(incident.id)
        clears = [
            self._call(s.target.service, clear_message(incident.id))
            for s in self.sent.pop(incident.id, {}).values()
        ]
        await asyncio.gather(*clears)
        if incident.state is IncidentState.RESOLVED and not incident.drill:
            contact = self.crisis_contact()
            await self._send_to_role(
                Role.LEADER,
                lambda p, t: followup_message(
                    incident_id=incident.id,
                    room=incident.room_name,
                    language=p.language,
                    contact=contact,
                    cvr=self.alarm.config.contacts.cvr,
                    platform=t.platform,
                ),
            )

    def crisis_contact(self) -> tuple[str, str]:
        """The crisis-help contact valid now."""
        line_open = self.schedule_on(self.alarm.config.schedules.crisis_line_hours)
        return crisis_contact(self.alarm.config, line_open)

    async def async_button_problem(self, button: str, room: str, problem: str) -> None:
        """Tell the facilities staff that a panic button needs attention."""
        await self._send_to_role(
            Role.FACILITIES,
            lambda p, t: button_problem_message(
                button=button,
                room=room,
                problem=problem,
                language=p.language,
                platform=t.platform,
            ),
        )

    async def async_off_duty(self, employee: str) -> int:
        """A threat outside working hours (R10): the leaders get the checklist."""
        contact = self.crisis_contact()
        results = await self._send_to_role(
            Role.LEADER,
            lambda p, t: off_duty_message(employee, p.language, contact, t.platform),
        )
        return sum(1 for error in results if error is None)

    # -- escalation ----------------------------------------------------------------

    def _schedule_round(self, incident: Incident, tier: int) -> None:
        """Send round `tier` at created + tier x timeout (at once if overdue)."""
        self._cancel_escalation(incident.id)
        timeout = timedelta(seconds=self.alarm.config.timings.ack_timeout)
        when = max(incident.created_at + tier * timeout, dt_util.utcnow())

        @callback
        def _escalate(now: datetime) -> None:
            self._escalations.pop(incident.id, None)
            if incident.state is not IncidentState.TRIGGERED:
                return
            _LOGGER.warning(
                "Alarm in %s not acknowledged: round %d", incident.room_name, tier
            )
            self.alarm.entry.async_create_task(
                self.hass, self.async_alarm(incident, tier), "raadhus_alarm escalate"
            )

        self._escalations[incident.id] = async_track_point_in_utc_time(
            self.hass, _escalate, when
        )

    def _cancel_escalation(self, incident_id: str) -> None:
        if (unsub := self._escalations.pop(incident_id, None)) is not None:
            unsub()

    @callback
    def async_incident_changed(self, incident: Incident, actor: Actor) -> None:
        """React to a transition: stop escalating, update or clear phones."""
        if incident.state is IncidentState.TRIGGERED:
            return
        self._cancel_escalation(incident.id)
        job = (
            self.async_progress(incident, actor.name)
            if incident.is_open
            else self.async_closed(incident)
        )
        self.alarm.entry.async_create_task(self.hass, job, "raadhus_alarm phones")

    # -- phone actions -----------------------------------------------------------

    async def _action(self, event: Event) -> None:
        parsed = parse_action(event.data.get("action"))
        if parsed is None:
            return
        action, incident_id = parsed
        incident = self.alarm.book.get(incident_id)
        person = self.person_for_user(event.context.user_id)
        if incident is None:
            _LOGGER.warning("Phone action %s for unknown incident", action)
            return
        if not may_act(self.alarm.config, person):
            _LOGGER.warning(
                "Ignored %s on %s from user %s: not a configured responder",
                action,
                incident.room_name,
                event.context.user_id,
            )
            return
        actor = self.alarm.actor_for_user(event.context.user_id)
        try:
            await self.alarm.async_transition(
                incident,
                ACTION_STATES[action],
                actor=actor,
                source=StepSource.MOBILE_APP,
                context=event.context,
            )
        except ServiceValidationError:
            # E.g. a second officer taps "Jeg kommer": noted, not an error.
            await self.alarm.async_add_note(
                incident, f"{actor.name or person}: {action} (already {incident.state})"
            )
