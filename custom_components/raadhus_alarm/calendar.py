"""The town hall's calendar of announced difficult meetings (R7).

Home Assistant's own calendar UI and `calendar.create_event` announce,
change and cancel meetings through the meeting desk, like the actions: the
event's location is the room, its description the note; a summary or
description that says "overvåg…"/"monitor…" asks the officers to monitor
it. Warnings (outside officer hours, an overlap) of a meeting made here are
shown as a notification, since the calendar dialog cannot show them.

Who asks: the calendar action carries the user (its context); the calendar
dialog does not. A meeting may be announced by anyone, so one made in the
dialog is announced "from the calendar"; changing or cancelling one needs to
know who asks (the one who announced it, officers, leaders), so the dialog
says to use the panel or the cancel action instead.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
import time
from typing import Any

from homeassistant.components import persistent_notification
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.components.calendar.const import CalendarEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity import CONTEXT_RECENT_TIME_SECONDS
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .entity import RaadhusEntity, add_by_subentry
from .lookups import caller_for_user
from .meetings import Meeting, MeetingWarning
from .notices import async_render
from .permissions import Caller
from .runtime import RaadhusConfigEntry

PARALLEL_UPDATES = 0
MONITOR_WORDS = ("overvåg", "monitor")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the town hall's meetings calendar."""
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

    def _caller(self) -> Caller | None:
        """Who asks, if Home Assistant told the entity (the calendar action)."""
        context, self._context = self._context, None
        if (
            context is None
            or self._context_set is None
            or time.time() - self._context_set > CONTEXT_RECENT_TIME_SECONDS
        ):
            return None
        return caller_for_user(self.hass, self.runtime.config, context.user_id)

    async def async_create_event(self, **kwargs: Any) -> None:
        """Announce a meeting from the calendar."""
        caller = self._caller() or Caller.system()
        if caller.name is None and caller.user_id is None:
            caller = Caller(caller.kind, name="Kalender")
        meeting, warnings = await self.runtime.meetings.async_announce(
            caller, **self._fields(kwargs)
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
        """Change a meeting (only for a known caller)."""
        meeting, warnings = await self.runtime.meetings.async_announce(
            self._known_caller(), meeting_id=uid, **self._fields(event)
        )
        if warnings:
            await self._async_tell(meeting, warnings)

    async def async_delete_event(
        self,
        uid: str,
        recurrence_id: str | None = None,
        recurrence_range: str | None = None,
    ) -> None:
        """Cancel a meeting (only for a known caller)."""
        await self.runtime.meetings.async_cancel(self._known_caller(), uid)

    def _known_caller(self) -> Caller:
        if (caller := self._caller()) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="meeting_change_unknown_user"
            )
        return caller

    @staticmethod
    def _fields(event: dict[str, Any]) -> dict[str, Any]:
        text = f"{event.get('summary', '')} {event.get('description') or ''}".lower()
        start = _local(event["dtstart"])
        end = _local(event.get("dtend") or start + timedelta(hours=1))
        return {
            "room": event.get("location") or event.get("summary", ""),
            "start": start,
            "end": end,
            "monitored": any(word in text for word in MONITOR_WORDS),
            "note": event.get("description") or "",
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
