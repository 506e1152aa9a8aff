"""Records kept by id in one JSON file (Home Assistant's storage helper).

Meetings and attendance bans are plans and registers, not evidence (that is
the incident log's job): each lives in one small JSON file, written at once
after every change, not delayed — a reminder already sent must not be sent
again after a restart. A record that cannot be read is skipped and said
(without its content); a file that cannot be read at all is moved aside,
never overwritten, and reported as a repair issue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
import logging
import os
from pathlib import Path
from typing import Any, Protocol

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR, Store

from . import notices
from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)


class Record(Protocol):
    """What a record file keeps: something with an id that writes itself out."""

    @property
    def id(self) -> str:
        """The record's id."""

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON."""


class RecordFile[T: Record]:
    """The records of one kind (`section`, e.g. "meetings"), by id."""

    def __init__(
        self,
        hass: HomeAssistant,
        section: str,
        version: int,
        parse: Callable[[Mapping[str, Any]], T],
    ) -> None:
        self.hass = hass
        self.section = section
        self.key = f"{DOMAIN}.{section}"
        self._parse = parse
        self._store: Store[dict[str, Any]] = Store(
            hass, version, self.key, atomic_writes=True
        )
        self._records: dict[str, T] = {}

    def get(self, record_id: str) -> T | None:
        """A record by id."""
        return self._records.get(record_id)

    def records(self) -> Iterable[T]:
        """Every record (in no particular order)."""
        return self._records.values()

    async def async_read(self) -> None:
        """Read the file; a damaged one is moved aside and reported."""
        try:
            data = await self._store.async_load() or {}
        except Exception:  # a damaged file must not stop the alarm
            _LOGGER.exception("The %s file could not be read; kept aside", self.section)
            await self.hass.async_add_executor_job(self._move_aside)
            issue = f"{self.section}_unreadable"
            notices.async_raise(self.hass, issue, issue, notify=False)
            data = {}
        records = data.get(self.section) if isinstance(data, dict) else None
        skipped = 0
        for raw in records if isinstance(records, list) else []:
            try:
                record = self._parse(raw)
            except ValueError, TypeError, AttributeError:
                skipped += 1
                continue
            self._records[record.id] = record
        if skipped:
            _LOGGER.error(
                "%d record(s) in the %s file could not be read", skipped, self.section
            )

    async def async_put(self, record: T) -> None:
        """Store a new or changed record."""
        self._records[record.id] = record
        await self.async_save()

    async def async_put_many(self, records: Iterable[T]) -> None:
        """Store several new or changed records (one write)."""
        for record in records:
            self._records[record.id] = record
        await self.async_save()

    async def async_delete(self, record_ids: Iterable[str]) -> list[T]:
        """Delete records by id; return those that were there."""
        gone = [r for i in record_ids if (r := self._records.pop(i, None)) is not None]
        if gone:
            await self.async_save()
        return gone

    async def async_save(self) -> None:
        """Write every record."""
        await self._store.async_save(
            {self.section: [r.to_dict() for r in self._records.values()]}
        )

    def _move_aside(self) -> None:
        path = Path(self.hass.config.path(STORAGE_DIR, self.key))
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        if path.exists():
            os.replace(path, path.with_name(f"{path.name}.damaged-{stamp}"))
