"""The announced meetings on disk (`record_file`), pruned as they are read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Final

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .meetings import Meeting, prune
from .record_file import RecordFile

STORAGE_VERSION: Final = 1


class MeetingBook(RecordFile[Meeting]):
    """Every announced meeting of the town hall, by id."""

    def __init__(self, hass: HomeAssistant) -> None:
        super().__init__(hass, "meetings", STORAGE_VERSION, Meeting.from_dict)

    def __iter__(self) -> Iterator[Meeting]:
        return iter(sorted(self.records(), key=lambda m: (m.start, m.id)))

    async def async_load(self, keep: timedelta) -> None:
        """Read the file; past meetings older than `keep` are pruned."""
        await self.async_read()
        kept = {m.id for m in prune(self.records(), dt_util.utcnow(), keep)}
        await self.async_delete(
            [m.id for m in list(self.records()) if m.id not in kept]
        )
