"""Durable incident log on Home Assistant's storage helper.

Two files, so that an alarm is written in milliseconds however long the log:

- `raadhus_alarm.incidents`: open incidents and every incident changed since the
  last archive flush. Written (and awaited) on every change, before the change
  is announced, so an alarm survives `kill -9` right after it fired.
- `raadhus_alarm.archive`: closed incidents. Rewritten in the background after
  changes settle; until then a changed incident is also in the first file.

Loading reads the archive and overlays the first file (it always holds the
newest copy of an incident).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
import logging
from typing import Any, override

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .incident import Incident, IncidentBook

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
ACTIVE_KEY = f"{DOMAIN}.incidents"
ARCHIVE_KEY = f"{DOMAIN}.archive"


class _IncidentFile(Store[dict[str, Any]]):
    """A versioned incident file with a migration hook."""

    @override
    async def _async_migrate_func(
        self,
        old_major_version: int,
        old_minor_version: int,
        old_data: dict[str, Any],
    ) -> dict[str, Any]:
        # Minor versions only add optional fields, which Incident.from_dict
        # defaults, so they load unchanged. A major version from the future
        # (a downgrade) is refused so nothing is silently dropped.
        if old_major_version > STORAGE_VERSION:
            raise NotImplementedError(
                f"incident log version {old_major_version} is newer than this "
                f"integration understands ({STORAGE_VERSION})"
            )
        return old_data


class IncidentStore:
    """Reads and writes the incident log."""

    def __init__(self, hass: HomeAssistant) -> None:
        self._active = _IncidentFile(
            hass, STORAGE_VERSION, ACTIVE_KEY, minor_version=STORAGE_MINOR_VERSION
        )
        self._archive = _IncidentFile(
            hass, STORAGE_VERSION, ARCHIVE_KEY, minor_version=STORAGE_MINOR_VERSION
        )
        self._dirty: set[str] = set()
        self._lock = asyncio.Lock()

    async def async_load(self) -> IncidentBook:
        """Load the log (archive overlaid by the active file)."""
        merged: dict[str, Mapping[str, Any]] = {}
        for file in (self._archive, self._active):
            data = await file.async_load() or {}
            for raw in data.get("incidents", []):
                merged[raw["id"]] = raw
        ordered = sorted(merged.values(), key=lambda raw: str(raw["created_at"]))
        book = IncidentBook.from_list(ordered)
        active = await self._active.async_load() or {}
        self._dirty = {raw["id"] for raw in active.get("incidents", [])}
        return book

    async def async_write(self, book: IncidentBook, changed: Incident) -> None:
        """Durably record a change to one incident (awaited before announcing)."""
        async with self._lock:
            self._dirty.add(changed.id)
            await self._active.async_save(self._active_data(book))

    async def async_flush_archive(self, book: IncidentBook) -> None:
        """Move closed, changed incidents into the archive file."""
        async with self._lock:
            closed = [i for i in book.all() if not i.is_open]
            await self._archive.async_save({"incidents": [i.to_dict() for i in closed]})
            self._dirty = {i.id for i in book.open_incidents()}
            await self._active.async_save(self._active_data(book))

    async def async_rewrite(self, book: IncidentBook) -> None:
        """Rewrite both files (after pruning)."""
        await self.async_flush_archive(book)

    def _active_data(self, book: IncidentBook) -> dict[str, Any]:
        incidents = [
            i.to_dict() for i in book.all() if i.is_open or i.id in self._dirty
        ]
        return {"incidents": incidents}
