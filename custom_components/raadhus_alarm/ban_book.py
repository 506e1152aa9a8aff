"""The attendance-ban register on disk (`record_file`), versioned.

Version 1: `{"bans": [Ban.to_dict(), ...]}`. A later format bumps the
version and migrates in `Store._async_migrate_func`, like the incident log.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

from homeassistant.core import HomeAssistant

from .bans import Ban
from .record_file import RecordFile

STORAGE_VERSION: Final = 1


class BanBook(RecordFile[Ban]):
    """Every attendance ban of the town hall, by id."""

    def __init__(self, hass: HomeAssistant) -> None:
        super().__init__(hass, "bans", STORAGE_VERSION, Ban.from_dict)

    def __iter__(self) -> Iterator[Ban]:
        return iter(sorted(self.records(), key=lambda b: (b.end, b.id)))
