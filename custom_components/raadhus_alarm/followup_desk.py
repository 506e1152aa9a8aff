"""The follow-up after an incident (R6), recorded: the checklist's one way in.

A resolved real incident gets its checklist (the crisis line valid then, the
municipality's CVR). Leaders and the centre chief tick items off through the
one permission gate. "Debriefed" (a lifecycle step the leader takes
explicitly, recorded with time and person like every step) is refused until
the debrief is recorded here (a step check on the core). Open items still open a
number of working days after the resolve remind the leaders once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import logging
from typing import Final

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .checklist import Checklist, Item
from .const import DOMAIN, EVENT_FOLLOW_UP, Role
from .core import AlarmCore, Change, IncidentChange, Request, gate
from .desk import Desk, refusal
from .followup_book import FollowUpBook
from .followup_messages import followup_overdue_message
from .incident import Incident, IncidentState
from .model import TownHall
from .permissions import Action, Caller
from .sender import Sender

_LOGGER = logging.getLogger(__name__)
# An alarm resolved this recently before an update gets its checklist.
CATCH_UP: Final = timedelta(days=30)


class FollowUpDesk(Desk):
    """Keeps, ticks and reminds of the follow-up checklists of one town hall."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        core: AlarmCore,
        book: FollowUpBook,
        sender: Sender,
    ) -> None:
        super().__init__(hass, config, core, sender)
        self.book = book
        self._unsubs: list[CALLBACK_TYPE] = []

    def checklist(self, incident_id: str) -> Checklist | None:
        """An incident's checklist (None: none, e.g. a drill or a false alarm)."""
        return self.book.get(incident_id)

    # -- following the core ---------------------------------------------------

    async def async_start(self) -> None:
        """Read the checklists; make any missing; follow the core."""
        await self.book.async_read()
        await self._async_prune()
        await self._async_create_missing()
        for checklist in self.book:
            self._schedule(checklist)
        self._unsubs += [
            self.core.async_subscribe(self._on_change),
            self.core.async_add_step_check(self._check_debriefed),
        ]

    @callback
    def async_stop(self) -> None:
        """Stop following the core and cancel the reminders."""
        super().async_stop()
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()

    @callback
    def _on_change(self, change: IncidentChange) -> None:
        incident = change.incident
        if change.change is Change.DRILL and incident.drill:
            # An unannounced drill, marked afterwards: no follow-up for it.
            self._cancel_timers(incident.id)
            self.hass.async_create_task(
                self._async_drop(incident.id), f"{DOMAIN} follow-up", eager_start=True
            )
            return
        if (
            change.change in (Change.TRANSITION, Change.DRILL)
            and incident.state is IncidentState.RESOLVED
            and not incident.drill
            and self.book.get(incident.id) is None
        ):
            self.hass.async_create_task(
                self._async_create(incident), f"{DOMAIN} follow-up", eager_start=True
            )

    async def _async_drop(self, incident_id: str) -> None:
        if await self.book.async_delete([incident_id]):
            self._tell_listeners()

    def _check_debriefed(self, request: Request, incident: Incident) -> None:
        if request.action is not Action.DEBRIEFED:
            return
        checklist = self.book.get(incident.id)
        if incident.drill or checklist is None:
            return
        if not checklist.tick(Item.DEBRIEF).done:
            raise refusal("debrief_not_recorded", room=incident.room_name)

    async def _async_prune(self) -> None:
        """Drop the checklists of incidents the log no longer keeps.

        Only when the log was read whole, and only past the log's own
        retention: a log that could not be read must not cost the record of
        who was debriefed.
        """
        if self.core.log.partial:
            return
        known = {i.id for i in self.core.book.all()}
        cutoff = dt_util.utcnow() - timedelta(days=self.config.timings.retention_days)
        await self.book.async_delete(
            [c.id for c in self.book if c.id not in known and c.resolved_at < cutoff]
        )

    async def _async_create_missing(self) -> None:
        """Checklists for alarms resolved, within the last weeks, before an update.

        One write for all. One already overdue is marked reminded: an update
        must not send the leaders a burst of reminders (the panel shows it
        as overdue all the same).
        """
        now = dt_util.utcnow()
        made = []
        for incident in self.core.book.real_incidents():
            step = incident.step_for(IncidentState.RESOLVED)
            if (
                incident.state is IncidentState.RESOLVED
                and step is not None
                and now - step.at <= CATCH_UP
                and self.book.get(incident.id) is None
            ):
                checklist = self._new(incident)
                due = checklist.due(self.config.followup_working_days)
                made.append(checklist.mark_reminded() if due <= now else checklist)
        if made:
            await self.book.async_put_many(made)

    def _new(self, incident: Incident) -> Checklist:
        step = incident.step_for(IncidentState.RESOLVED)
        name, phone = self.sender.crisis_contact()
        return Checklist(
            incident_id=incident.id,
            resolved_at=dt_util.as_local(step.at if step else dt_util.utcnow()),
            crisis_name=name,
            crisis_phone=phone,
            cvr=self.config.contacts.cvr,
        )

    async def _async_create(self, incident: Incident) -> None:
        checklist = self._new(incident)
        await self.book.async_put(checklist)
        self._schedule(checklist)
        self._tell_listeners()

    # -- ticking --------------------------------------------------------------

    async def async_tick(
        self,
        caller: Caller,
        incident_id: str,
        item: str,
        *,
        done: bool,
        persons: tuple[str, ...] = (),
        context: Context | None = None,
    ) -> Checklist:
        """Tick an item (or take the tick back); the checklist as it is now."""
        gate(Action.FOLLOW_UP, caller, about=f"follow-up {incident_id}")
        checklist = self.book.get(incident_id)
        if checklist is None:
            raise refusal("no_follow_up", incident=incident_id)
        try:
            key = Item(item)
        except ValueError:
            raise refusal("unknown_follow_up_item", item=item) from None
        if not checklist.applies(key):
            raise refusal("follow_up_item_does_not_apply", item=item)
        for person in persons:
            if not person.startswith("person.") or not self.hass.states.get(person):
                raise refusal("unknown_person", person=person)
        if key is not Item.DEBRIEF and persons:
            raise refusal("persons_only_for_debrief")
        ticked = checklist.ticked(
            key,
            done=done,
            at=dt_util.utcnow(),
            by=caller.name or "automation",
            persons=persons,
        )
        await self.book.async_put(ticked)
        self.hass.bus.async_fire(
            EVENT_FOLLOW_UP,
            {
                "incident_id": incident_id,
                "item": key.value,
                "done": done,
                "complete": ticked.complete,
            },
            context=context,
        )
        self._schedule(ticked)
        self._tell_listeners()
        return ticked

    # -- reminding ------------------------------------------------------------

    def _schedule(self, checklist: Checklist) -> None:
        self._cancel_timers(checklist.id)
        if checklist.complete or checklist.reminded:
            return
        due = checklist.due(self.config.followup_working_days)
        self._timers[checklist.id] = [self._at(due, self._remind_job(checklist.id))]

    def _remind_job(self, incident_id: str) -> Callable[[datetime], None]:
        @callback
        def _due(_now: datetime) -> None:
            if not self._stopped:
                self.hass.async_create_task(
                    self._async_remind(incident_id), f"{DOMAIN} follow-up reminder"
                )

        return _due

    async def _async_remind(self, incident_id: str) -> None:
        checklist = self.book.get(incident_id)
        incident = self.core.book.get(incident_id)
        if checklist is None or checklist.complete or checklist.reminded:
            return
        if incident is not None and incident.drill:
            return
        room = incident.room_name if incident else "?"
        items = [i.value for i in checklist.open_items()]
        await self.sender.async_send_to_role(
            Role.LEADER,
            lambda person, phone: followup_overdue_message(
                incident_id=incident_id,
                room=room,
                items=items,
                language=person.language,
                platform=phone.platform,
            ),
        )
        current = self.book.get(incident_id)
        if current is not None and not self._stopped:
            await self.book.async_put(current.mark_reminded())
            self._tell_listeners()
