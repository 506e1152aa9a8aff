"""The town hall's alarm core: incidents raised, moved, stored and announced.

Order of every change (the thing lives depend on): apply it in memory → write
it durably (awaited) → fire `raadhus_alarm_incident` → update entities. An
alarm that has been announced is therefore always on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util

from .buttons import ButtonHub
from .const import DOMAIN, EVENT_INCIDENT, EVENT_SHORT_PRESS, SIGNAL_UPDATE
from .dispatcher import Dispatcher
from .incident import (
    Incident,
    IncidentBook,
    IncidentState,
    InvalidTransition,
    StepSource,
    UnknownIncident,
)
from .model import Button, Room, TownHall, parse_town_hall
from .people import person_of_user
from .store import IncidentStore
from .supervision import Supervisor

if TYPE_CHECKING:
    from . import RaadhusConfigEntry

_LOGGER = logging.getLogger(__name__)

ARCHIVE_DELAY = 10.0
PRUNE_INTERVAL = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who did something: a Home Assistant user (and their person), or a button."""

    user_id: str | None = None
    name: str | None = None


class TownHallAlarm:
    """Runtime object of one town hall (entry.runtime_data)."""

    def __init__(self, hass: HomeAssistant, entry: RaadhusConfigEntry) -> None:
        self.hass = hass
        self.entry = entry
        self.config: TownHall = parse_town_hall(entry.options)
        self.store = IncidentStore(hass)
        self.book = IncidentBook()
        self._listeners: list[CALLBACK_TYPE] = []
        self.hall_device_id = ""
        self._stopping = False
        self._archive = Debouncer(
            hass,
            _LOGGER,
            cooldown=ARCHIVE_DELAY,
            immediate=False,
            function=self._async_flush_archive,
        )
        self.buttons = ButtonHub(hass, self)
        self.supervisor = Supervisor(hass, self)
        self.dispatcher = Dispatcher(hass, self)

    # -- lifecycle --------------------------------------------------------

    async def async_load(self) -> None:
        """Restore the log (open incidents stay open across restarts)."""
        self.book = await self.store.async_load()
        if self.prune(dt_util.utcnow()):
            await self.store.async_flush_archive(self.book)
        for incident in self.book.open_incidents():
            _LOGGER.warning(
                "Incident %s in %s is still %s after restart",
                incident.id,
                incident.room_name,
                incident.state,
            )

    def prune(self, now: datetime) -> int:
        """Drop closed incidents older than the retention period."""
        retention = timedelta(days=self.config.timings.retention_days)
        return self.book.prune(now - retention)

    async def async_shutdown(self) -> None:
        """Write the archive before unloading."""
        self._stopping = True
        self._archive.async_cancel()
        await self.store.async_flush_archive(self.book)

    async def async_on_stop(self, event: Event) -> None:
        """Home Assistant is stopping: stop timers, write the archive."""
        self.buttons.async_stop()
        self.supervisor.async_stop()
        self.dispatcher.async_stop()
        await self.async_shutdown()

    async def _async_write(self, incident: Incident) -> None:
        """Write a change durably; if the disk fails, the alarm still goes out."""
        try:
            await self.store.async_write(self.book, incident)
        except Exception:  # any storage failure: same answer
            _LOGGER.exception(
                "Could not store incident %s in %s; announcing it anyway",
                incident.id,
                incident.room_name,
            )
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                "storage_failed",
                is_fixable=False,
                severity=ir.IssueSeverity.CRITICAL,
                translation_key="storage_failed",
            )
        else:
            ir.async_delete_issue(self.hass, DOMAIN, "storage_failed")

    @callback
    def _archive_later(self, incident: Incident) -> None:
        """Move a closed incident to the archive once changes settle."""
        if not incident.is_open and not self._stopping:
            self._archive.async_schedule_call()

    async def _async_flush_archive(self) -> None:
        await self.store.async_flush_archive(self.book)

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` after every change; returns the remover."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def async_notify(self) -> None:
        """Tell entities (and the panel) that something changed."""
        for update in list(self._listeners):
            update()
        async_dispatcher_send(self.hass, SIGNAL_UPDATE)

    @callback
    def async_follow_schedules(self) -> CALLBACK_TYPE:
        """Changes of the schedules (on duty, police) change what is shown."""
        schedules = self.config.schedules
        watched = [
            e
            for e in (schedules.officers_on_duty, schedules.police_present)
            if e is not None
        ]

        @callback
        def _changed(event: Event[EventStateChangedData]) -> None:
            async_dispatcher_send(self.hass, SIGNAL_UPDATE)

        return async_track_state_change_event(self.hass, watched, _changed)

    # -- raising ------------------------------------------------------------

    async def async_button_alarm(
        self, button: Button, at: datetime, hold_seconds: float | None
    ) -> Incident:
        """A button crossed its hold threshold (or sent an emergency frame)."""
        room = self._room(button.room_id)
        return await self.async_raise(
            room,
            at=at,
            trigger_source=button.device_id or button.entity_id or button.id,
            hold_seconds=hold_seconds,
            actor=Actor(name=button.name),
            source=StepSource.BUTTON,
        )

    @callback
    def async_button_short_press(
        self, button: Button, at: datetime, held: float
    ) -> None:
        """A press shorter than the threshold: logged, never an alarm."""
        _LOGGER.info(
            "Short press (%.2f s) on %s in room %s: no alarm",
            held,
            button.name,
            button.room_id,
        )
        self.hass.bus.async_fire(
            EVENT_SHORT_PRESS,
            {
                "room_id": button.room_id,
                "button_id": button.id,
                "hold_seconds": round(held, 3),
                "time": at.isoformat(),
            },
        )

    async def async_raise(
        self,
        room: Room,
        *,
        at: datetime,
        trigger_source: str,
        hold_seconds: float | None,
        actor: Actor,
        source: str,
        drill: bool = False,
        context: Context | None = None,
    ) -> Incident:
        """Raise an alarm for a room, or join the room's open incident."""
        incident, created = self.book.raise_alarm(
            room_id=room.id,
            room_name=room.name,
            trigger_source=trigger_source,
            hold_seconds=hold_seconds,
            at=at,
            actor_user_id=actor.user_id,
            actor_name=actor.name,
            source=source,
            drill=drill,
        )
        await self._async_write(incident)
        if created:
            _LOGGER.warning("ALARM in %s (incident %s)", room.name, incident.id)
            self._announce(incident, context, change="created")
            self.entry.async_create_task(
                self.hass,
                self.dispatcher.async_alarm(incident),
                f"raadhus_alarm alarm {incident.id}",
            )
        else:
            _LOGGER.warning("Another alarm in %s joins %s", room.name, incident.id)
            self._announce(incident, context, change="joined")
        return incident

    # -- moving ---------------------------------------------------------------

    async def async_transition(
        self,
        incident: Incident,
        to: IncidentState,
        *,
        actor: Actor,
        source: str,
        note: str | None = None,
        resolution: str | None = None,
        context: Context | None = None,
    ) -> Incident:
        """Move an incident along its lifecycle (validated, stored, announced)."""
        try:
            self.book.transition(
                incident.id,
                to,
                at=dt_util.utcnow(),
                actor_user_id=actor.user_id,
                actor_name=actor.name,
                source=source,
                note=note,
                resolution=resolution,
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
        await self._async_write(incident)
        self._announce(incident, context, change="transition")
        self.dispatcher.async_incident_changed(incident, actor)
        self._archive_later(incident)
        return incident

    async def async_mark_drill(
        self, incident: Incident, value: bool, *, actor: Actor
    ) -> Incident:
        """Mark or unmark an incident as a drill (R9)."""
        if self.book.mark_drill(
            incident.id,
            value,
            at=dt_util.utcnow(),
            actor_user_id=actor.user_id,
            actor_name=actor.name,
        ):
            await self._async_write(incident)
            self._announce(incident, None, change="drill")
            self._archive_later(incident)
        return incident

    async def async_add_note(self, incident: Incident, text: str) -> None:
        """Record something that happened (e.g. a failed delivery) on an incident."""
        incident.notes.append(f"{dt_util.utcnow().isoformat()} {text}")
        await self._async_write(incident)
        self._archive_later(incident)
        self.async_notify()

    # -- lookups ------------------------------------------------------------

    def _room(self, room_id: str) -> Room:
        room = self.config.room(room_id)
        if room is None:  # pragma: no cover - buttons are removed with rooms
            raise KeyError(room_id)
        return room

    def find_room(self, ref: str) -> Room:
        """Room by id or name (case-insensitive)."""
        for room in self.config.rooms:
            if ref in (room.id,) or room.name.casefold() == ref.strip().casefold():
                return room
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_room",
            translation_placeholders={"room": ref},
        )

    def find_incident(self, incident_id: str | None, room_ref: str | None) -> Incident:
        """An incident by id, or the open incident of a room."""
        if incident_id:
            try:
                return self.book[incident_id]
            except UnknownIncident as err:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="unknown_incident",
                    translation_placeholders={"incident_id": incident_id},
                ) from err
        if room_ref:
            room = self.find_room(room_ref)
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

    def actor_for_user(self, user_id: str | None) -> Actor:
        """The person (display name) behind a Home Assistant user."""
        person = person_of_user(self.hass, user_id)
        return Actor(user_id=user_id, name=person.name if person else None)

    # -- announcing ---------------------------------------------------------

    def _announce(
        self, incident: Incident, context: Context | None, *, change: str
    ) -> None:
        self.hass.bus.async_fire(
            EVENT_INCIDENT, incident_event_data(incident, change), context=context
        )
        self.async_notify()


def incident_event_data(incident: Incident, change: str) -> dict[str, Any]:
    """The documented payload of `raadhus_alarm_incident`."""
    step = incident.last_step
    joined = incident.joins[-1] if change == "joined" else None
    return {
        "incident_id": incident.id,
        "room_id": incident.room_id,
        "room_name": incident.room_name,
        "state": str(incident.state),
        "previous_state": (
            str(step.previous_state) if step.previous_state is not None else None
        ),
        "change": change,
        "trigger_source": joined.trigger_source if joined else incident.trigger_source,
        "hold_seconds": joined.hold_seconds if joined else incident.hold_seconds,
        "actor_user_id": joined.actor_user_id if joined else step.actor_user_id,
        "actor_name": joined.actor_name if joined else step.actor_name,
        "source": joined.source if joined else step.source,
        "drill": incident.drill,
        "joins": len(incident.joins),
        "time": (joined.at if joined else step.at).isoformat(),
    }
