"""Notifier: router decisions → companion-app alarms, retries and escalation.

Subscribes to the core. A new incident's deliveries start the moment it is
published, each phone in its own task started eagerly, so the first phone is
called before the bus event and the entities are even written. One slow or
broken phone never delays another. Each call's start and answer are stored on
the incident (`Incident.calls`), which is how `followup` later finds the
phones to update and clear.

A failed delivery never stops the alarm: it is noted on the incident, the
administrators get a repair issue, and it is retried (5, 30, 120 s) while
nobody has taken the alarm. Not acknowledged within the timeout: the next
round goes out, widened, timed from the alarm.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from itertools import islice
import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_call_later,
    async_track_point_in_utc_time,
)
from homeassistant.util import dt as dt_util, slugify

from . import notices
from .const import DOMAIN, RoomKind
from .core import AlarmCore, Change, IncidentChange
from .incident import Incident, IncidentState, PhoneCall, StepSource
from .lookups import Phone, display_name, person_of_user, room_camera, schedule_on
from .messages import AlarmView, alarm_message
from .model import Person, Room, TownHall
from .router import Delivery, Kind, Situation, raised_by, route
from .sender import Sender

_LOGGER = logging.getLogger(__name__)

RETRY_DELAYS: Final = (5.0, 30.0, 120.0)


@dataclass(frozen=True, slots=True)
class Push:
    """One alarm message to one phone (kept for its retries)."""

    incident: Incident
    delivery: Delivery
    phone: Phone
    payload: dict[str, Any]
    tier: int


ROUNDS_KEY: Final = f"{DOMAIN}_rounds_sent"


class Notifier:
    """Sends, escalates and clears the alarms of one town hall."""

    def __init__(
        self, hass: HomeAssistant, config: TownHall, core: AlarmCore, sender: Sender
    ) -> None:
        # Whether an announced meeting runs in a room ("monitored",
        # "announced" or None); set by the meeting desk when it exists.
        self.meeting_in: Callable[[str], str | None] = lambda _room_id: None
        self.hass = hass
        self.config = config
        self.core = core
        self.sender = sender
        # The last round sent per open alarm; kept in hass.data so it outlives
        # a reload of the entry (not a restart: then the due round is resent).
        self.tiers: dict[str, int] = hass.data.setdefault(ROUNDS_KEY, {})
        # The rest of a new alarm's first round, sent after every first phone.
        self._rest: dict[str, Iterator[Push]] = {}
        # People whose last delivery failed (their repair issue is open).
        self._failing: set[str] = {
            issue_id
            for domain, issue_id in ir.async_get(hass).issues
            if domain == DOMAIN and issue_id.startswith("delivery_")
        }
        self._escalations: dict[str, CALLBACK_TYPE] = {}
        self._retries: set[CALLBACK_TYPE] = set()
        # Set when the entry unloads: a push still under way then must not
        # retry from here (the next set-up resends what is due).
        self._stopped = False

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Follow the core; resume escalating alarms restored from the log.

        Two subscriptions: the first calls each new alarm's first phone, the
        second everything else, so in a batch of alarms every first phone is
        called before any second one.
        """
        unsubscribe_first = self.core.async_subscribe(self._first_phones, first=True)
        unsubscribe = self.core.async_subscribe(self._changed)
        unsubscribe_book = self.sender.phone_book.async_start()
        timeout = self.config.timings.ack_timeout
        open_ids = set()
        for incident in self.core.book.open_incidents():
            open_ids.add(incident.id)
            if incident.state is not IncidentState.TRIGGERED:
                continue
            elapsed = (dt_util.utcnow() - incident.created_at).total_seconds()
            due = int(elapsed // timeout)  # the round due now
            if (sent := self.tiers.get(incident.id)) is not None:
                # A reload (a room, button or setting changed): the rounds
                # sent stand, the next one comes on time, nobody is rung twice;
                # after a long gap (set-up failed, entry disabled) only the
                # round due now is sent, not every round missed.
                self._schedule_round(incident, max(sent + 1, due))
                # Retries do not outlive a reload: phones the last round did
                # not reach (or whose answer the reload cut off) get it again.
                self._resend_unreached(incident, sent)
            else:
                # Nobody acknowledged before the restart (and phones may never
                # have been reached): send the round that is due now, at once.
                self._schedule_round(incident, due)
        for incident_id in set(self.tiers) - open_ids:
            del self.tiers[incident_id]

        @callback
        def _stop() -> None:
            unsubscribe_first()
            unsubscribe()
            unsubscribe_book()
            self.async_stop()

        return _stop

    @callback
    def _resend_unreached(self, incident: Incident, tier: int) -> None:
        last: dict[str, PhoneCall] = {}
        for call in incident.calls:
            last[call.service] = call
        unreached = {
            service
            for service, call in last.items()
            if call.error is not None or call.answered_at is None
        }
        if not unreached:
            return
        for push in self._pushes(incident, tier):
            if push.phone.service in unreached:
                self.hass.async_create_task(
                    self._deliver(push, attempt=1),
                    f"raadhus_alarm push {push.phone.service}",
                    eager_start=True,
                )

    @callback
    def async_stop(self) -> None:
        """Cancel escalation and retry timers (no retry is started after this)."""
        self._stopped = True
        for unsub in (*self._escalations.values(), *self._retries):
            unsub()
        self._escalations.clear()
        self._retries.clear()

    @callback
    def _first_phones(self, change: IncidentChange) -> None:
        if change.change is Change.CREATED:
            self._send_round(change.incident, 0, first_only=True)

    @callback
    def _changed(self, change: IncidentChange) -> None:
        incident = change.incident
        if change.change is Change.CREATED:
            self._send_round(incident, 0, skip_first=True)
        elif change.change is Change.TRANSITION:
            self._cancel_escalation(incident.id)  # someone took it

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
            meeting=self.meeting_in(room.id),
        )

    def _pushes(self, incident: Incident, tier: int) -> Iterator[Push]:
        """Every push of a round, summoned people first (as the router orders).

        Lazy: the first phone is called before the others are worked out.
        """
        # A room deleted while its alarm is open: the alarm goes on as before,
        # under the name it was raised with, until someone takes it.
        room = self.config.room(incident.room_id) or Room(
            id=incident.room_id, name=incident.room_name, kind=RoomKind.OTHER
        )
        deliveries = route(self.config, room, self._situation(incident, room), tier)
        view = self._view(incident, room)
        for delivery in deliveries:
            phones = self.sender.phone_book.phones(delivery.person)
            if not phones:
                self._failed(incident, delivery.person, "no companion-app device")
            for phone in phones:
                payload = alarm_message(view, delivery, phone.platform, tier)
                yield Push(incident, delivery, phone, payload, tier)

    @callback
    def _send_round(
        self,
        incident: Incident,
        tier: int,
        *,
        first_only: bool = False,
        skip_first: bool = False,
    ) -> None:
        """Send the alarm (tier 0) or an escalation round; every phone at once.

        A new alarm is sent in two parts (see `async_start`): `first_only`
        calls its first phone, `skip_first` the rest.
        """
        if skip_first:
            pushes = self._rest.pop(incident.id, iter(()))
        else:
            pushes = self._pushes(incident, tier)
            self.tiers[incident.id] = tier
        if not first_only and incident.state is IncidentState.TRIGGERED:
            # Timed from the alarm, not from when this round finished sending
            # (and set after every first phone has been called).
            self._schedule_round(incident, tier + 1)
        if first_only:
            self._rest[incident.id] = pushes
            pushes = islice(pushes, 1)
        for push in pushes:
            self.hass.async_create_task(
                self._deliver(push),
                f"raadhus_alarm push {push.phone.service}",
                eager_start=True,
            )

    async def _deliver(self, push: Push, attempt: int = 0) -> None:
        incident, person = push.incident, push.delivery.person
        index = self.core.async_call_started(
            incident, person.person, push.phone.service, push.tier
        )
        error = await self.sender.async_call(push.phone.service, push.payload)
        self.core.async_call_ended(incident, index, error)
        if error is None:
            if (issue_id := _issue_id(person)) in self._failing:
                self._failing.discard(issue_id)
                notices.async_clear(self.hass, issue_id)
                # The panel stops naming them as not reached.
                self.core.async_request_panel_update()
            return
        if self._stopped:
            return  # unloaded meanwhile: this incident object is no longer live
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

    def _failed(self, incident: Incident, person: Person, error: str) -> None:
        name = display_name(self.hass, person.person)
        _LOGGER.error(
            "Alarm %s in %s did not reach %s: %s",
            incident.id,
            incident.room_name,
            name,
            error,
        )
        self._failing.add(_issue_id(person))
        # The administrators' repair issue only, no persistent notification:
        # that one every user sees, the officers' wall screen too, with the
        # raw error. The panel says plainly whom the alarm did not reach
        # (panel_state, from the stored calls).
        notices.async_raise(
            self.hass,
            _issue_id(person),
            "delivery_failed",
            {"person": name, "error": error},
            critical=False,
            notify=False,
        )
        self.core.async_add_note(incident, f"delivery to {name} failed: {error}")
        self.core.async_request_panel_update()

    # -- escalation -------------------------------------------------------------

    def _schedule_round(self, incident: Incident, tier: int) -> None:
        """Send round `tier` at created + tier x timeout (at once if overdue).

        Never a round before the one due now: an alarm raised late (written
        ahead before a stop, raised at the next start) gets the round due now,
        not every round it missed, one after the other.
        """
        self._cancel_escalation(incident.id)
        timeout = timedelta(seconds=self.config.timings.ack_timeout)
        now = dt_util.utcnow()
        tier = max(tier, int((now - incident.created_at) / timeout))
        when = max(incident.created_at + tier * timeout, now)

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
    return _delivery_issue(person.person)


@lru_cache(maxsize=256)
def _delivery_issue(person_entity_id: str) -> str:
    return f"delivery_{slugify(person_entity_id)}"
