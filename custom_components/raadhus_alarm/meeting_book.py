"""The announced meetings on disk (Home Assistant's storage helper).

Meetings are plans, not evidence: one JSON file, written at once after every
change (not delayed: a forewarning already sent must not be sent again after
a restart). A record that cannot be read is skipped and said; a file that
cannot be read at all is moved aside, never overwritten, and reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
import logging
import os
from pathlib import Path
from typing import Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util import dt as dt_util

from . import notices
from .const import DOMAIN
from .meetings import Meeting, prune

_LOGGER = logging.getLogger(__name__)

STORAGE_KEY: Final = f"{DOMAIN}.meetings"
STORAGE_VERSION: Final = 1


class MeetingBook:
    """Every announced meeting of the town hall, by id."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, STORAGE_KEY, atomic_writes=True
        )
        self._meetings: dict[str, Meeting] = {}

    def __iter__(self) -> Iterator[Meeting]:
        return iter(sorted(self._meetings.values(), key=lambda m: (m.start, m.id)))

    def get(self, meeting_id: str) -> Meeting | None:
        """A meeting by id."""
        return self._meetings.get(meeting_id)

    async def async_load(self, keep: timedelta) -> None:
        """Read the file; past meetings older than `keep` are pruned."""
        try:
            data = await self._store.async_load() or {}
        except Exception:  # a damaged file must not stop the alarm
            _LOGGER.exception("The meetings file could not be read; it is kept aside")
            await self.hass.async_add_executor_job(self._move_aside)
            notices.async_raise(
                self.hass, "meetings_unreadable", "meetings_unreadable", notify=False
            )
            data = {}
        records = data.get("meetings") if isinstance(data, dict) else None
        skipped = 0
        for raw in records if isinstance(records, list) else []:
            try:
                meeting = Meeting.from_dict(raw)
            except ValueError, TypeError, AttributeError:
                skipped += 1
                continue
            self._meetings[meeting.id] = meeting
        if skipped:
            _LOGGER.error(
                "%d meeting(s) in the meetings file could not be read", skipped
            )
        kept = prune(self._meetings.values(), dt_util.utcnow(), keep)
        if len(kept) != len(self._meetings):
            self._meetings = {m.id: m for m in kept}
            await self._async_save()

    async def async_put(self, meeting: Meeting) -> None:
        """Store a new or changed meeting."""
        self._meetings[meeting.id] = meeting
        await self._async_save()

    async def _async_save(self) -> None:
        await self._store.async_save(
            {"meetings": [m.to_dict() for m in self._meetings.values()]}
        )

    def _move_aside(self) -> None:
        path = Path(self.hass.config.path(STORAGE_DIR, STORAGE_KEY))
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        if path.exists():
            os.replace(path, path.with_name(f"{path.name}.damaged-{stamp}"))
