"""Announced meetings and threatening arrivals (R7): the glue around `meetings`.

Every change of a meeting comes through here and asks the one permission
table first (`permissions.decide`, as incidents do through the core). The
officers are forewarned through the same sender as alarms, in each person's
language, as ordinary notifications. The schedules are read from the
schedule helpers themselves (`schedule.get_schedule`) whenever a time is
worked out, so a schedule changed in the UI counts at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import logging
from typing import Any
import uuid

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from . import notices
from .const import DOMAIN, EVENT_ARRIVAL, EVENT_MEETING, Role
from .core import AlarmCore, gate
from .desk import Desk, refusal
from .lookups import display_name
from .meeting_book import MeetingBook
from .meeting_messages import arrival_message, forewarning_message
from .meetings import (
    Forewarning,
    Meeting,
    MeetingWarning,
    WeeklySchedule,
    contains_cpr,
    forewarnings,
    is_active,
    warnings,
)
from .model import TownHall
from .permissions import Action, Caller
from .sender import Sender

_LOGGER = logging.getLogger(__name__)


class MeetingDesk(Desk):
    """Announces, forewarns, starts and ends the meetings of one town hall."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        core: AlarmCore,
        book: MeetingBook,
        sender: Sender,
    ) -> None:
        super().__init__(hass, config, core, sender)
        self.book = book

    # -- the gate and the changes ---------------------------------------------

    async def async_announce(
        self,
        caller: Caller,
        *,
        room: str,
        start: datetime,
        end: datetime,
        monitored: bool = False,
        note: str = "",
        meeting_id: str | None = None,
        context: Context | None = None,
    ) -> tuple[Meeting, list[MeetingWarning]]:
        """Announce a meeting (or change one); its warnings for the form."""
        old = self.book.get(meeting_id) if meeting_id else None
        if meeting_id and (old is None or old.cancelled):
            raise refusal("unknown_meeting", meeting=meeting_id)
        gate(
            Action.ANNOUNCE_MEETING if old is None else Action.CANCEL_MEETING,
            caller,
            owner=old.announced_by_person if old else None,
            about=f"meeting {meeting_id or 'new'}",
        )
        if contains_cpr(note):
            raise refusal("cpr_refused")
        found = self.core.find_room(room)
        if dt_util.as_utc(end) <= dt_util.as_utc(start):
            raise refusal("meeting_ends_before_it_starts")
        if dt_util.as_utc(end) <= dt_util.utcnow():
            raise refusal("meeting_in_the_past")
        # A change of the note or of "monitored" is not a new meeting: what
        # the officers were told stands. A new time or room is told again.
        same = (
            old is not None
            and old.room_id == found.id
            and old.start == dt_util.as_utc(start)
        )
        meeting = Meeting(
            id=old.id if old else uuid.uuid4().hex,
            room_id=found.id,
            start=dt_util.as_utc(start),
            end=dt_util.as_utc(end),
            monitored=monitored,
            note=note,
            announced_by=old.announced_by if old else (caller.name or "automation"),
            announced_by_person=(old.announced_by_person if old else caller.person),
            announced_at=old.announced_at if old else dt_util.utcnow(),
            told_day_before=same and old is not None and old.told_day_before,
            told_soon=same and old is not None and old.told_soon,
        )
        officers, police = await self._async_schedules()
        found_warnings = warnings(meeting, self.book, officers, police)
        await self.book.async_put(meeting)
        self._fire(meeting, "announced" if old is None else "changed", context)
        self._schedule(meeting, officers)
        return meeting, found_warnings

    async def async_preview(
        self, *, room: str, start: datetime, end: datetime
    ) -> list[MeetingWarning]:
        """The warnings an announcement would get, before it is saved (a form)."""
        found = self.core.find_room(room)
        if dt_util.as_utc(end) <= dt_util.as_utc(start):
            raise refusal("meeting_ends_before_it_starts")
        draft = Meeting(
            id="preview",
            room_id=found.id,
            start=dt_util.as_utc(start),
            end=dt_util.as_utc(end),
            monitored=False,
            announced_by="",
            announced_at=dt_util.utcnow(),
        )
        officers, police = await self._async_schedules()
        return warnings(draft, self.book, officers, police)

    async def async_cancel(
        self, caller: Caller, meeting_id: str, context: Context | None = None
    ) -> Meeting:
        """Cancel a meeting (the one who announced it, officers, leaders)."""
        meeting = self.book.get(meeting_id)
        if meeting is None or meeting.cancelled:
            raise refusal("unknown_meeting", meeting=meeting_id)
        gate(
            Action.CANCEL_MEETING,
            caller,
            owner=meeting.announced_by_person,
            about=f"meeting {meeting_id}",
        )
        cancelled = meeting.cancel()
        await self.book.async_put(cancelled)
        self._cancel_timers(meeting_id)
        self._fire(cancelled, "cancelled", context)
        return cancelled

    async def async_report_arrival(
        self,
        caller: Caller,
        *,
        leader: str,
        expected: datetime | None = None,
        note: str = "",
        context: Context | None = None,
    ) -> int:
        """A threatening citizen is coming: the leader's to handle, officers told."""
        gate(Action.REPORT_ARRIVAL, caller, about=f"leader {leader}")
        if contains_cpr(note):
            raise refusal("cpr_refused")
        person = self.config.person(leader)
        if person is None or not person.roles & {Role.LEADER, Role.CENTRE_CHIEF}:
            raise refusal("not_a_leader", leader=leader)
        name = display_name(self.hass, leader)
        time = dt_util.as_local(expected).strftime("%H:%M") if expected else None
        sent = 0
        for phone in self.sender.phone_book.phones(person):
            payload = arrival_message(
                for_leader=True,
                leader=name,
                expected=time,
                note=note or None,
                language=person.language,
                platform=phone.platform,
            )
            sent += await self.sender.async_call(phone.service, payload) is None
        results = await self.sender.async_send_to_role(
            Role.OFFICER,
            lambda p, phone: arrival_message(
                for_leader=False,
                leader=name,
                expected=time,
                note=note or None,
                language=p.language,
                platform=phone.platform,
            ),
        )
        sent += sum(error is None for error in results)
        self.hass.bus.async_fire(
            EVENT_ARRIVAL,
            {
                "leader": name,
                "expected": expected.isoformat() if expected else None,
                "reported_by": caller.name or "automation",
            },
            context=context,
        )
        return sent

    # -- timers -------------------------------------------------------------------

    async def async_start(self) -> None:
        """Load the meetings and set every timer still to come."""
        await self.book.async_load(self.config.meetings.keep)
        officers, _ = await self._async_schedules()
        for meeting in self.book:
            try:
                self._schedule(meeting, officers)
            except Exception:  # one odd meeting must not cost the others
                _LOGGER.exception(
                    "The timers of meeting %s could not be set", meeting.id
                )

    def _schedule(self, meeting: Meeting, officers: WeeklySchedule | None) -> None:
        self._cancel_timers(meeting.id)
        if meeting.cancelled:
            return
        now = dt_util.utcnow()
        settings = self.config.meetings
        timers: list[CALLBACK_TYPE] = []
        due = forewarnings(
            meeting,
            # No officers' schedule: only the "soon" forewarning.
            officers or WeeklySchedule.empty(dt_util.get_default_time_zone()),
            now,
            day_before_time=settings.day_before_time,
            soon=settings.soon,
        )
        for kind, when in due:
            timers.append(self._at(when, self._forewarn_job(meeting.id, kind)))
        for when, what in ((meeting.start, "started"), (meeting.end, "ended")):
            if when > now:
                timers.append(self._at(when, self._edge_job(meeting.id, what)))
        self._timers[meeting.id] = timers

    def _forewarn_job(
        self, meeting_id: str, kind: Forewarning
    ) -> Callable[[datetime], None]:
        @callback
        def _due(_now: datetime) -> None:
            self.hass.async_create_task(
                self._async_forewarn(meeting_id, kind), f"{DOMAIN} forewarning"
            )

        return _due

    def _edge_job(self, meeting_id: str, what: str) -> Callable[[datetime], None]:
        @callback
        def _edge(_now: datetime) -> None:
            if (meeting := self.book.get(meeting_id)) is not None:
                self._fire(meeting, what, None)

        return _edge

    async def _async_forewarn(self, meeting_id: str, kind: Forewarning) -> None:
        meeting = self.book.get(meeting_id)
        if meeting is None or meeting.cancelled or meeting.was_told(kind):
            return
        room = self.config.room(meeting.room_id)
        local = dt_util.as_local(meeting.start)
        today = dt_util.as_local(dt_util.utcnow()).date()
        results = await self.sender.async_send_to_role(
            Role.OFFICER,
            lambda p, phone: forewarning_message(
                meeting_id=meeting.id,
                kind=str(kind),
                room=room.name if room else "?",
                when=local.strftime("%d.%m. %H:%M"),
                time=local.strftime("%H:%M"),
                tomorrow=(local.date() - today).days == 1,
                monitored=meeting.monitored,
                announced_by=meeting.announced_by,
                language=p.language,
                platform=phone.platform,
            ),
        )
        if not any(error is None for error in results):
            _LOGGER.warning("No officer's phone got the forewarning of %s", meeting.id)
            notices.async_raise(
                self.hass,
                f"forewarning_{meeting.id}",
                "forewarning_failed",
                {"room": room.name if room else "?", "time": local.strftime("%H:%M")},
                critical=False,
                notify=False,
            )
        # The phones took their time: mark it told only on the meeting as it
        # is now (a cancel or a change meanwhile stands), and only while this
        # desk is the live one (a reload meanwhile loaded the book afresh).
        current = self.book.get(meeting_id)
        if (
            self._stopped
            or current is None
            or current.cancelled
            or (current.start, current.room_id) != (meeting.start, meeting.room_id)
        ):
            return
        await self.book.async_put(current.told(kind))
        self._fire(current, "forewarned", None, forewarning=str(kind))

    async def _async_schedules(
        self,
    ) -> tuple[WeeklySchedule | None, WeeklySchedule | None]:
        schedules = self.config.schedules
        return (
            await self._async_schedule(schedules.officers_on_duty),
            await self._async_schedule(schedules.police_present),
        )

    async def _async_schedule(self, entity_id: str | None) -> WeeklySchedule | None:
        if not entity_id:
            return None
        try:
            response = await self.hass.services.async_call(
                "schedule",
                "get_schedule",
                {"entity_id": entity_id},
                blocking=True,
                return_response=True,
            )
            data: Any = (response or {})[entity_id]
            return WeeklySchedule.from_schedule(data, dt_util.get_default_time_zone())
        except HomeAssistantError, KeyError, ValueError, TypeError:
            _LOGGER.warning("The schedule %s could not be read", entity_id)
            return None

    def meeting_in(self, room_id: str) -> str | None:
        """Whether a meeting runs in the room: "monitored", "announced" or None."""
        now = dt_util.utcnow()
        running = [m for m in self.book if m.room_id == room_id and is_active(m, now)]
        if not running:
            return None
        return "monitored" if any(m.monitored for m in running) else "announced"

    # -- telling others -------------------------------------------------------

    def _fire(
        self, meeting: Meeting, what: str, context: Context | None, **extra: Any
    ) -> None:
        room = self.config.room(meeting.room_id)
        self.hass.bus.async_fire(
            EVENT_MEETING,
            {
                "type": what,
                "meeting_id": meeting.id,
                "room_id": meeting.room_id,
                "room_name": room.name if room else None,
                "start": meeting.start.isoformat(),
                "end": meeting.end.isoformat(),
                "monitored": meeting.monitored,
                "announced_by": meeting.announced_by,
                **extra,
            },
            context=context,
        )
        self._tell_listeners()
