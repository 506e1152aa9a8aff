"""The follow-up checklists on disk (`record_file`), one per incident.

Version 1: `{"followups": [Checklist.to_dict(), ...]}`. Kept apart from the
incident log (which stays the record of the alarm itself) and pruned with
it: a checklist whose incident has left the log is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from homeassistant.core import HomeAssistant

from .checklist import Checklist
from .record_file import RecordFile

STORAGE_VERSION: Final = 1


class FollowUpBook(RecordFile[Checklist]):
    """Every follow-up checklist, by incident id."""

    def __init__(self, hass: HomeAssistant) -> None:
        super().__init__(hass, "followups", STORAGE_VERSION, Checklist.from_dict)

    def __iter__(self) -> Iterator[Checklist]:
        return iter(sorted(self.records(), key=lambda c: c.resolved_at, reverse=True))
