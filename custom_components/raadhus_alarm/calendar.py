"""The town hall's calendar of announced difficult meetings (R7).

Home Assistant's own calendar UI and `calendar.create_event` announce,
change and cancel meetings through the meeting desk, like the actions: the
event's location is the room, its description the note; a summary or
description that says "overvåg…"/"monitor…" asks the officers to monitor
it. Warnings (outside officer hours, an overlap) of a meeting made here are
shown as a notification, since the calendar dialog cannot show them.

Who asks: the calendar dialog's commands name their user
(`calendar_dialog`), so a meeting made, changed or cancelled there is the
user's, with the user's rights, through the same gate as the actions. The
`calendar.create_event` action carries the user only as the entity's
context, and a context from another call may linger: a meeting made by it
is announced under the caller's name ("Kalender" otherwise) but gives that
name no right over it. Anything else that calls the calendar without a
dialog user may not change or cancel a meeting (the panel and the cancel
action can).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
import time
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.calendar.const import CalendarEntityFeature
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import CONTEXT_RECENT_TIME_SECONDS
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .calendar_dialog import async_wrap_calendar_dialog, dialog_user
from .const import DOMAIN
from .entity import RaadhusEntity, add_by_subentry
from .lookups import caller_for_user
from .meetings import Meeting, MeetingWarning
from .notices import async_render
from .permissions import Caller, CallerKind
from .runtime import RaadhusConfigEntry
from .services import MAX_TEXT, plain_text

PARALLEL_UPDATES = 0
MONITOR_WORDS = ("overvåg", "monitor")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the town hall's meetings calendar."""
    async_wrap_calendar_dialog(hass)
    add_by_subentry(async_add_entities, [MeetingCalendar(entry)])


def _local(value: date | datetime) -> datetime:
    if isinstance(value, datetime):
        return (
            value
            if value.tzinfo
            else value.replace(tzinfo=dt_util.get_default_time_zone())
        )
    return datetime.combine(value, datetime.min.time(), dt_util.get_default_time_zone())


class MeetingCalendar(RaadhusEntity, CalendarEntity):
    """Announced meetings as calendar events."""

    _attr_supported_features = (
        CalendarEntityFeature.CREATE_EVENT
        | CalendarEntityFeature.DELETE_EVENT
        | CalendarEntityFeature.UPDATE_EVENT
    )

    def __init__(self, entry: RaadhusConfigEntry) -> None:
        super().__init__(entry, "meetings", None)

    async def async_added_to_hass(self) -> None:
        """Follow the meetings."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self.runtime.meetings.async_add_listener(self.async_write_ha_state)
        )

    @property
    def event(self) -> CalendarEvent | None:
        """The meeting running now, or the next one."""
        now = dt_util.utcnow()
        coming = [
            m for m in self.runtime.meetings.book if not m.cancelled and m.end > now
        ]
        return self._event(coming[0]) if coming else None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """The meetings in a time range (cancelled ones are left out)."""
        return [
            self._event(m)
            for m in self.runtime.meetings.book
            if not m.cancelled and m.start < end_date and m.end > start_date
        ]

    def _event(self, meeting: Meeting) -> CalendarEvent:
        room = self.runtime.config.room(meeting.room_id)
        name = room.name if room else "?"
        return CalendarEvent(
            start=dt_util.as_local(meeting.start),
            end=dt_util.as_local(meeting.end),
            summary=f"{name} ({'overvåget' if meeting.monitored else 'varslet'})",
            location=name,
            description=meeting.note or None,
            uid=meeting.id,
        )

    def _announcer(self) -> Caller:
        """Who announces from the calendar, by name only.

        Home Assistant tells the entity who called its action, but not who
        used its dialog, and a context left from another call may linger for
        a few seconds: the name is shown, but it gives no right over the
        meeting (only officers and leaders may change or cancel it).
        """
        context, self._context = self._context, None
        name = "Kalender"
        if (
            context is not None
            and context.user_id is not None
            and self._context_set is not None
            and time.time() - self._context_set <= CONTEXT_RECENT_TIME_SECONDS
        ):
            caller = caller_for_user(self.hass, self.runtime.config, context.user_id)
            name = caller.name or name
        return Caller(CallerKind.SYSTEM, name=name)

    def _dialog_caller(self) -> tuple[Caller, Context] | None:
        """The calendar dialog's user, with their rights (None off the dialog)."""
        if (user_id := dialog_user()) is None:
            return None
        caller = caller_for_user(self.hass, self.runtime.config, user_id)
        return caller, Context(user_id=user_id)

    async def async_create_event(self, **kwargs: Any) -> None:
        """Announce a meeting from the calendar (dialog or action)."""
        caller, context = self._dialog_caller() or (self._announcer(), None)
        meeting, warnings = await self.runtime.meetings.async_announce(
            caller, context=context, **self._fields(kwargs)
        )
        if warnings:
            await self._async_tell(meeting, warnings)

    async def async_update_event(
        self,
        uid: str,
        event: dict[str, Any],
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Change a meeting from the dialog (meetings do not recur)."""
        if (asking := self._dialog_caller()) is None:
            raise self._refused()
        caller, context = asking
        meeting, warnings = await self.runtime.meetings.async_announce(
            caller, meeting_id=uid, context=context, **self._fields(event)
        )
        if warnings:
            await self._async_tell(meeting, warnings)

    async def async_delete_event(
        self,
        uid: str,
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Cancel a meeting from the dialog."""
        if (asking := self._dialog_caller()) is None:
            raise self._refused()
        caller, context = asking
        await self.runtime.meetings.async_cancel(caller, uid, context=context)

    @staticmethod
    def _refused() -> ServiceValidationError:
        return ServiceValidationError(
            translation_domain=DOMAIN, translation_key="meeting_change_unknown_user"
        )

    @staticmethod
    def _fields(event: dict[str, Any]) -> dict[str, Any]:
        if not event.get("location"):
            # The room is the event's place; a summary is free text and is
            # never read as a room (nor echoed into an error).
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="meeting_needs_room"
            )
        note = plain_text(event.get("description") or "")
        if len(note) > MAX_TEXT:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="note_too_long"
            )
        text = f"{event.get('summary', '')} {note}".lower()
        start = _local(event["dtstart"])
        end = _local(event.get("dtend") or start + timedelta(hours=1))
        return {
            "room": event["location"],
            "start": start,
            "end": end,
            "monitored": any(word in text for word in MONITOR_WORDS),
            "note": note,
        }

    async def _async_tell(
        self, meeting: Meeting, warnings: list[MeetingWarning]
    ) -> None:
        lines = []
        for warning in warnings:
            suggestion = (
                dt_util.as_local(warning.suggestion).strftime("%d.%m. %H:%M")
                if warning.suggestion
                else "—"
            )
            _, text = await async_render(
                self.hass, f"meeting_{warning.key}", {"suggestion": suggestion}
            )
            lines.append(text)
        title, _ = await async_render(self.hass, "meeting_warning", {})
        persistent_notification.async_create(
            self.hass,
            "\n\n".join(lines),
            title=title,
            notification_id=f"{DOMAIN}_meeting_{meeting.id}",
        )
