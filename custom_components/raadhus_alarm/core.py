"""The town hall's alarm core: incidents raised and moved, stored, then published.

`async_act` is the one entry point for every change to an incident (buttons,
actions, the panel, phone actions). Order of every change (lives depend on it):

1. the permission gate (`permissions.decide`) and validation: a refusal or an
   impossible step raises a translated error and changes nothing;
2. the change in memory;
3. the journal write (`store.IncidentLog`: one line, off the event loop,
   awaited), so whatever is announced is on disk; a button's alarm is
   written *ahead*, in the last 50 ms of the hold (`async_write_ahead`), so
   at the threshold this write is done already and the alarm goes straight
   to 4 (let go in time, the line is withdrawn; found unsettled at start-up,
   the alarm is raised then);
4. publication, a batch at a time: the changes that one journal write made
   durable are published together, each subscriber in turn taking the whole
   batch in the order they subscribed (`__init__` subscribes the notifier's
   first phones first, then its other phones, the officers' room alert, the
   bus event), then the affected rooms' entities and the town hall's once,
   then the panel once. So fifty alarms at once call fifty first phones
   before any entity is written. The first phones subscribe as `first`: while
   another alarm written ahead is about to fall due (within 50 ms), the rest
   of the batch waits for it (at most `HOLD_BACK_AT_MOST`), so alarms falling
   due milliseconds apart, in different loop turns, are still one batch.

The core imports nothing that listens to it: consumers subscribe, and the
layers below it (buttons, supervision) are handed callbacks by `__init__`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
import logging
from typing import Final, NoReturn

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_call_later
from homeassistant.util import dt as dt_util

from .const import DOMAIN, SIGNAL_UPDATE
from .incident import Incident, IncidentBook, InvalidTransition, StepSource
from .model import Room, TownHall
from .permissions import TARGET_STATE, Action, Caller, CallerKind, decide
from .store import IncidentLog

_LOGGER = logging.getLogger(__name__)

# Delivery times are written in one go shortly after, not one write per phone.
CALL_TIMES_DELAY: Final = 1.0
# The note on an alarm written ahead and found unsettled at start-up.
LEFT_AHEAD_NOTE: Final = (
    "Raised at start-up: the button was held to within 50 ms of its threshold "
    "when the system stopped (it may have been sent before the stop)."
)
# At most this long the consumers after the first phones wait for alarms
# written ahead to fall due (they fall due within buttons.LAST_SLEEP).
HOLD_BACK_AT_MOST: Final = 0.1


class Change(StrEnum):
    """What happened to an incident (the event contract's `change`)."""

    CREATED = "created"
    TRANSITION = "transition"
    JOINED = "joined"
    DRILL = "drill"


@dataclass(frozen=True, slots=True)
class Request:
    """A request to change an incident, from anywhere."""

    action: Action
    caller: Caller
    source: str  # StepSource value: where the request came from
    incident_id: str | None = None
    room: str | None = None  # room id or name
    note: str | None = None
    resolution: str | None = None
    drill: bool = False
    at: datetime | None = None  # RAISE: when the alarm was due (else: now)
    trigger_source: str | None = None
    hold_seconds: float | None = None
    context: Context | None = None


@dataclass(frozen=True, slots=True)
class _Ahead:
    """An alarm written ahead of its threshold, waiting to fall due."""

    incident: Incident
    written: asyncio.Future[bool]
    generation: int  # the journal generation its line went to


@dataclass(frozen=True, slots=True)
class IncidentChange:
    """A change as published to subscribers."""

    incident: Incident
    change: Change
    caller: Caller
    source: str
    context: Context | None


class NotPermitted(ServiceValidationError):
    """The permission gate refused a request (nothing was changed)."""


def gate(
    action: Action, caller: Caller, *, owner: str | None = None, about: str
) -> None:
    """The one permission gate: ask the table; refuse when it says no.

    Incidents (through the core) and meetings (through the desk) both come
    here, so a refusal looks and reads the same whatever it refused.
    """
    if not decide(action, caller, owner):
        refuse(action, caller, about=about)


def refuse(action: Action, caller: Caller, *, about: str) -> NoReturn:
    """Log and raise a refusal (nothing was changed)."""
    _LOGGER.warning(
        "Refused %s (%s) for user %s (person %s): not permitted for their roles %s",
        action,
        about,
        caller.user_id,
        caller.person,
        sorted(caller.roles),
    )
    raise NotPermitted(
        translation_domain=DOMAIN,
        translation_key="not_permitted",
        translation_placeholders={"action": str(action)},
    )


type ChangeListener = Callable[[IncidentChange], None]
# A consumer's precondition on a lifecycle step: raises a translated
# ServiceValidationError to refuse it (e.g. "debriefed" needs the debrief
# recorded in the follow-up). Runs after the gate, before anything changes.
type StepCheck = Callable[[Request, Incident], None]


class AlarmCore:
    """Raises and moves the incidents of one town hall."""

    def __init__(self, hass: HomeAssistant, config: TownHall, log: IncidentLog) -> None:
        self.hass = hass
        self.config = config
        self.log = log
        self._rooms = {room.id: room for room in config.rooms}
        log.on_written = self._publish_written  # publish as soon as it is on disk
        self._first_listeners: list[ChangeListener] = []
        self._listeners: list[ChangeListener] = []
        # Changes whose first listeners were told, the others not yet.
        self._held_back: list[IncidentChange] = []
        self._held_back_timer: asyncio.TimerHandle | None = None
        # Alarms found written ahead and unsettled at start-up, raised once
        # everyone listens (`async_raise_left_ahead`).
        self._left_ahead: list[Incident] = []
        self._room_listeners: dict[str, list[CALLBACK_TYPE]] = {}
        self._hall_listeners: list[CALLBACK_TYPE] = []
        self._step_checks: list[StepCheck] = []
        self._panel_push_pending = False
        # Changes waiting for their journal write, in the order they were made.
        self._unpublished: list[tuple[asyncio.Future[bool], IncidentChange]] = []
        self._call_times: set[str] = set()
        self._stopped = False
        self._call_times_timer: CALLBACK_TYPE | None = None
        # Alarms written ahead, by trigger source (one hold per button).
        self._ahead: dict[str, _Ahead] = {}

    @property
    def book(self) -> IncidentBook:
        """Every incident (the log owns it; it is never replaced after loading)."""
        return self.log.book

    async def async_load(self) -> None:
        """Restore the log; prune closed incidents past the retention period."""
        now = dt_util.utcnow()
        await self.log.async_load(now)
        # Raised once everyone listens; until then their ahead lines are the
        # copy on disk (the log takes no snapshot while it holds them).
        self._left_ahead, self.log.left_ahead = self.log.left_ahead, []
        retention = timedelta(days=self.config.timings.retention_days)
        if self.book.prune(now - retention):
            self.log.async_request_snapshot()
        for incident in self.book.open_incidents():
            _LOGGER.warning(
                "Incident %s in %s is still %s after restart",
                incident.id,
                incident.room_name,
                incident.state,
            )

    @callback
    def async_raise_left_ahead(self) -> None:
        """Raise the alarms the log held written ahead and never settled.

        The system stopped in the last 50 ms of a hold, or right after the
        alarm (before its own line was written): either way the button was
        held to its threshold, so it is an alarm, published like any new one
        (phones, officers' room, evidence, event) once everyone listens; its
        raise time is now. In a room with an open alarm it joins that one.
        """
        left, self._left_ahead = self._left_ahead, []
        now = dt_util.utcnow()
        for ahead in left:
            caller = Caller.device(ahead.steps[0].actor_name or "")
            if self.book.adopt(ahead):
                ahead.raised_at = now
                ahead.notes.append(f"{now.isoformat()} {LEFT_AHEAD_NOTE}")
                incident, change = ahead, Change.CREATED
            else:
                incident, _ = self.book.raise_alarm(
                    room_id=ahead.room_id,
                    room_name=ahead.room_name,
                    trigger_source=ahead.trigger_source,
                    hold_seconds=ahead.hold_seconds,
                    at=ahead.created_at,
                    actor_name=caller.name,
                    source=StepSource.BUTTON,
                    note=LEFT_AHEAD_NOTE,
                )
                change = Change.JOINED
            _LOGGER.warning(
                "Alarm in %s (incident %s) was written ahead when the system "
                "stopped: raised now",
                incident.room_name,
                incident.id,
            )
            self._write(
                IncidentChange(incident, change, caller, StepSource.BUTTON, None)
            )
            if incident is not ahead:  # joined: taken back after the join's line
                self.log.async_withdraw_later(ahead.id)
        self.log.async_resume_snapshots()

    # -- subscribing --------------------------------------------------------

    @callback
    def async_subscribe(
        self, listener: ChangeListener, *, first: bool = False
    ) -> CALLBACK_TYPE:
        """Call `listener` with every change, in subscription order.

        `first` listeners (each new alarm's first phone) are told as soon as
        a change is on disk; the others once no alarm written ahead is still
        about to fall due, so alarms falling due milliseconds apart call all
        their first phones before anything else.
        """
        listeners = self._first_listeners if first else self._listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def async_add_step_check(self, check: StepCheck) -> CALLBACK_TYPE:
        """Let `check` refuse a lifecycle step before it is made."""
        self._step_checks.append(check)
        return lambda: self._step_checks.remove(check)

    @callback
    def async_subscribe_room(
        self, room_id: str, update: CALLBACK_TYPE
    ) -> CALLBACK_TYPE:
        """Call `update` after each change of an incident in this room."""
        listeners = self._room_listeners.setdefault(room_id, [])
        listeners.append(update)
        return lambda: listeners.remove(update)

    @callback
    def async_subscribe_hall(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` after every change (town-hall-wide entities)."""
        self._hall_listeners.append(update)
        return lambda: self._hall_listeners.remove(update)

    @callback
    def async_request_panel_update(self) -> None:
        """Push the panel once this loop turn is done (many changes, one push)."""
        if not self._panel_push_pending:
            self._panel_push_pending = True
            self.hass.loop.call_soon(self._push_panel)

    def _push_panel(self) -> None:
        self._panel_push_pending = False
        async_dispatcher_send(self.hass, SIGNAL_UPDATE)

    # -- the one entry point ------------------------------------------------

    async def async_act(self, request: Request) -> Incident:
        """Gate, validate, change, write, publish; return the incident."""
        incident, written = self.async_submit(request)
        # Shielded: a cancelled caller must not cancel the write's future,
        # which also orders the changes written with it.
        await asyncio.shield(written)
        self._publish_written()  # normally done already, as the write ended
        return incident

    @callback
    def async_submit(self, request: Request) -> tuple[Incident, asyncio.Future[bool]]:
        """Gate, validate and change now; publication follows the write.

        The same as `async_act` without waiting (buttons use it: no task per
        alarm). Returns the incident and the write's future.
        """
        self._gate(request)
        if request.action is Action.RAISE:
            return self._raise(request)
        incident = self.find_incident(request.incident_id, request.room)
        for check in list(self._step_checks):
            check(request, incident)
        source = _source(request)
        now = dt_util.utcnow()
        if request.action is Action.MARK_DRILL:
            if not self.book.mark_drill(
                incident.id,
                request.drill,
                at=now,
                actor_user_id=request.caller.user_id,
                actor_name=request.caller.name,
            ):
                # Already so: nothing to write or announce.
                unchanged: asyncio.Future[bool] = self.hass.loop.create_future()
                unchanged.set_result(True)
                return incident, unchanged
            change = Change.DRILL
        else:
            try:
                self.book.transition(
                    incident.id,
                    TARGET_STATE[request.action],
                    at=now,
                    actor_user_id=request.caller.user_id,
                    actor_name=request.caller.name,
                    source=source,
                    note=request.note,
                    resolution=request.resolution,
                )
            except InvalidTransition as err:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="invalid_transition",
                    translation_placeholders={
                        "room": incident.room_name,
                        "current": str(err.current),
                        "requested": str(err.requested),
                    },
                ) from err
            change = Change.TRANSITION
        return incident, self._write(
            IncidentChange(incident, change, request.caller, source, request.context)
        )

    def _gate(self, request: Request) -> None:
        caller = request.caller
        allowed = decide(request.action, caller)
        if allowed and request.action is Action.RAISE and request.drill:
            allowed = decide(Action.MARK_DRILL, caller)  # a drill is the coordinator's
        if not allowed:
            refuse(
                request.action,
                caller,
                about=f"incident {request.incident_id}, room {request.room}",
            )

    @callback
    def async_write_ahead(self, request: Request) -> None:
        """Write a button's alarm to disk before it falls due (`_raise` adopts it).

        Called in the last moment of a hold (`buttons.LAST_SLEEP` before the
        threshold) with the RAISE request the threshold would make: when the
        alarm falls due it is on disk already, and nothing is left between the
        threshold and the first phone but the call itself. Nothing is
        published and the book does not hold it; `async_withdraw_ahead` takes
        it back when the button is let go in time. An alarm that would join
        an open incident, or that the gate would refuse, is not written ahead
        (it is raised the usual way).
        """
        key = request.trigger_source
        if key is None or request.at is None:
            return
        if (old := self._ahead.pop(key, None)) is not None:  # its hold moved
            self.log.async_withdraw_later(old.incident.id)
        room = self._rooms.get(request.room or "")
        if (
            room is None
            or request.drill
            or not decide(Action.RAISE, request.caller)
            or self.book.open_for_room(room.id) is not None
        ):
            return
        incident = self.book.new_alarm(
            room_id=room.id,
            room_name=room.name,
            trigger_source=key,
            hold_seconds=request.hold_seconds,
            at=request.at,
            actor_user_id=request.caller.user_id,
            actor_name=request.caller.name,
            source=_source(request),
            note=request.note,
        )
        try:
            written = self.log.async_record(incident, ahead=True)
        except Exception:  # then it is written the usual way when it falls due
            _LOGGER.exception("The alarm of %s could not be written ahead", key)
            return
        self._ahead[key] = _Ahead(incident, written, self.log.generation)

    @callback
    def async_withdraw_ahead(self, trigger_source: str) -> None:
        """The button was let go in time: its alarm written ahead will not come."""
        if (ahead := self._ahead.pop(trigger_source, None)) is not None:
            self.log.async_withdraw_later(ahead.incident.id)
            if not self._ahead and self._held_back:
                self.hass.loop.call_soon(self._release_held_back)

    def _adopt_ahead(
        self, request: Request, room: Room, ahead: _Ahead, raised_at: datetime
    ) -> tuple[Incident, asyncio.Future[bool]] | None:
        """Raise the alarm written ahead for this request, if it is the one."""
        incident = ahead.incident
        if (
            # A snapshot since may have dropped the file that holds its line.
            ahead.generation != self.log.generation
            or incident.room_id != room.id
            or incident.created_at != request.at
            or request.drill
            or not self.book.adopt(incident)
        ):
            return None
        incident.raised_at = raised_at
        incident.hold_seconds = request.hold_seconds
        self.log.async_record_later(incident)  # when it was really raised
        change = IncidentChange(
            incident, Change.CREATED, request.caller, _source(request), request.context
        )
        self._unpublished.append((ahead.written, change))
        if ahead.written.done():
            # Published once this turn's other alarms are raised too.
            self.hass.loop.call_soon(self._publish_written)
        return incident, ahead.written

    def _raise(self, request: Request) -> tuple[Incident, asyncio.Future[bool]]:
        room = self.find_room(request.room or "")
        raised_at = dt_util.utcnow()
        ahead = (
            self._ahead.pop(request.trigger_source, None)
            if request.trigger_source is not None
            else None
        )
        if ahead is not None:
            adopted = self._adopt_ahead(request, room, ahead, raised_at)
            if adopted is not None:
                return adopted
        caller = request.caller
        source = _source(request)
        incident, created = self.book.raise_alarm(
            room_id=room.id,
            room_name=room.name,
            trigger_source=request.trigger_source or caller.user_id or "service",
            hold_seconds=request.hold_seconds,
            at=request.at or raised_at,
            actor_user_id=caller.user_id,
            actor_name=caller.name,
            source=source,
            drill=request.drill,
            note=request.note,
            raised_at=raised_at,
        )
        change = Change.CREATED if created else Change.JOINED
        written = self._write(
            IncidentChange(incident, change, caller, source, request.context)
        )
        if ahead is not None:  # not the one: taken back after this line
            self.log.async_withdraw_later(ahead.incident.id)
        return incident, written

    def _write(self, change: IncidentChange) -> asyncio.Future[bool]:
        """Queue the journal line; the change is published once it is written."""
        try:
            written = self.log.async_record(change.incident)
        except Exception:  # the change is made: it must still be announced
            _LOGGER.exception(
                "Incident %s could not be put into the log; announcing it anyway",
                change.incident.id,
            )
            written = self.hass.loop.create_future()
            written.set_result(False)
            self.hass.loop.call_soon(self._publish_written)
        self._unpublished.append((written, change))
        return written

    def _publish_written(self) -> None:
        """Publish every change whose write has finished (in order, as a batch)."""
        count = 0
        for written, _ in self._unpublished:
            if not written.done():
                break
            count += 1
        batch = [change for _, change in self._unpublished[:count]]
        del self._unpublished[:count]
        if batch:
            self._publish(batch)

    def _publish(self, batch: list[IncidentChange]) -> None:
        self._tell(self._first_listeners, batch)
        self._held_back.extend(batch)
        if self._ahead:
            # Alarms written ahead fall due within buttons.LAST_SLEEP: their
            # first phones go before the rest of this batch's consumers.
            if self._held_back_timer is None:
                self._held_back_timer = self.hass.loop.call_later(
                    HOLD_BACK_AT_MOST, self._release_held_back
                )
            return
        self._release_held_back()

    def _tell(
        self, listeners: list[ChangeListener], batch: list[IncidentChange]
    ) -> None:
        for listener in list(listeners):
            for change in batch:
                try:
                    listener(change)
                except Exception:  # one broken consumer must not silence others
                    _LOGGER.exception(
                        "A consumer of incident %s failed", change.incident.id
                    )

    def _release_held_back(self) -> None:
        """Tell the other consumers, the entities and the panel."""
        if self._held_back_timer is not None:
            self._held_back_timer.cancel()
            self._held_back_timer = None
        batch, self._held_back = self._held_back, []
        if not batch:
            return
        self._tell(self._listeners, batch)
        rooms = dict.fromkeys(change.incident.room_id for change in batch)
        updates = [
            *(u for room in rooms for u in self._room_listeners.get(room, ())),
            *self._hall_listeners,
        ]
        for update in updates:
            try:
                update()
            except Exception:
                _LOGGER.exception("An entity failed to show incident changes")
        self.async_request_panel_update()
        for change in batch:  # logged once everyone has been told
            if change.change is Change.CREATED:
                _LOGGER.warning(
                    "ALARM in %s (incident %s)",
                    change.incident.room_name,
                    change.incident.id,
                )
            elif change.change is Change.JOINED:
                _LOGGER.warning(
                    "Another alarm in %s joins %s",
                    change.incident.room_name,
                    change.incident.id,
                )

    # -- records that are not lifecycle steps --------------------------------

    @callback
    def async_add_note(self, incident: Incident, text: str) -> None:
        """Record something that happened (e.g. a failed delivery) on an incident."""
        incident.notes.append(f"{dt_util.utcnow().isoformat()} {text}")
        self.log.async_record_later(incident)

    @callback
    def async_call_started(
        self, incident: Incident, person: str, service: str, tier: int
    ) -> int:
        """A phone is being called now; returns the call's index."""
        index = incident.call_started(person, service, tier, dt_util.utcnow())
        self._save_call_times(incident)
        return index

    @callback
    def async_call_ended(
        self, incident: Incident, index: int, error: str | None = None
    ) -> None:
        """The phone's service answered (or failed) now."""
        incident.call_ended(index, dt_util.utcnow(), error)
        self._save_call_times(incident)

    def _save_call_times(self, incident: Incident) -> None:
        if self._stopped:
            return  # shutting down: kept in memory only (the alarm is on disk)
        self._call_times.add(incident.id)
        if self._call_times_timer is None:
            self._call_times_timer = async_call_later(
                self.hass, CALL_TIMES_DELAY, self._write_call_times
            )

    @callback
    def _write_call_times(self, _now: datetime) -> None:
        self._call_times_timer = None
        for incident_id in self._call_times:
            if (incident := self.book.get(incident_id)) is not None:
                self.log.async_record_later(incident)
        self._call_times.clear()

    @callback
    def async_stop(self) -> None:
        """Write pending delivery times now; tell what was held back; stop timers."""
        self._stopped = True
        self._release_held_back()
        if self._call_times_timer is not None:
            self._call_times_timer()
            self._write_call_times(dt_util.utcnow())

    # -- lookups ------------------------------------------------------------

    def find_room(self, ref: str) -> Room:
        """Room by id or name (case-insensitive)."""
        if (room := self._rooms.get(ref)) is not None:
            return room
        wanted = ref.strip().casefold()
        for room in self.config.rooms:
            if room.name.casefold() == wanted:
                return room
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_room",
            translation_placeholders={"room": ref},
        )

    def find_incident(self, incident_id: str | None, room_ref: str | None) -> Incident:
        """An incident by id, or the open incident of a room; both must agree."""
        room = self.find_room(room_ref) if room_ref else None
        if incident_id:
            incident = self.book.get(incident_id)
            if incident is None:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="unknown_incident",
                    translation_placeholders={"incident_id": incident_id},
                )
            if room is not None and room.id != incident.room_id:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="incident_not_in_room",
                    translation_placeholders={
                        "room": room.name,
                        "incident_room": incident.room_name,
                    },
                )
            return incident
        if room is not None:
            if (incident := self.book.open_for_room(room.id)) is not None:
                return incident
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_open_incident",
                translation_placeholders={"room": room.name},
            )
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="incident_or_room_required"
        )


def _source(request: Request) -> str:
    """Where a step came from; an action without a user is an automation's."""
    if (
        request.caller.kind is CallerKind.SYSTEM
        and request.source == StepSource.SERVICE
    ):
        return StepSource.AUTOMATION
    return request.source
