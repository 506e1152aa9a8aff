"""Durable incident log: a journal line before every announcement, snapshots later.

Files in Home Assistant's `.storage` folder:

- `raadhus_alarm.journal.<n>`: one line per change (the whole incident after
  it), appended and fsync'd off the event loop before the change is announced.
  Changes that arrive while a write is out go together in the next write
  (group commit), so fifty alarms at once cost one or two disk syncs, not
  fifty. An alarm is on disk before anyone is told, and survives `kill -9` or
  a power cut right after it fired.
- `raadhus_alarm.incidents`: a snapshot of every incident, rewritten in the
  background (temporary file, fsync, rename, fsync of the folder) once the
  journal has grown; then the journal generations it covers are deleted.
  New changes go to a new journal generation meanwhile, so a snapshot never
  holds up an alarm.
- Version 1 (Home Assistant's storage helper: `raadhus_alarm.incidents` for
  open and recent incidents, `raadhus_alarm.archive` for closed ones) is read
  and migrated by the first snapshot, open incidents included.

Nothing read is trusted. A file that cannot be read whole is copied beside
itself (the copy is never overwritten) and what can be read is kept; a
critical repair issue and a notification say what was lost. A file from a
newer version is not read and never touched: no snapshot is written while it
is there, new changes still go to a journal of their own. A write that fails
raises a critical repair issue at once and is retried until it succeeds; the
alarm is announced and sent meanwhile.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
import logging
from pathlib import Path
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from . import durable, notices, records
from .const import DOMAIN
from .incident import Incident, IncidentBook

_LOGGER = logging.getLogger(__name__)

SNAPSHOT_NAME: Final = f"{DOMAIN}.incidents"
LEGACY_ARCHIVE_NAME: Final = f"{DOMAIN}.archive"
JOURNAL_PREFIX: Final = f"{DOMAIN}.journal."
# Snapshot once the current journal generation holds this much.
COMPACT_AFTER_BYTES: Final = 1_000_000
# Incidents turned into dicts per event-loop turn while snapshotting.
SNAPSHOT_SLICE: Final = 100
RETRY_DELAYS: Final = (1.0, 2.0, 5.0, 10.0, 30.0)

ISSUE_STORAGE_FAILED: Final = "storage_failed"
ISSUE_LOG_DAMAGED: Final = "log_damaged"
ISSUE_LOG_NEWER: Final = "log_newer_version"
ISSUE_LOG_UNREADABLE: Final = "log_unreadable"


@dataclass(slots=True)
class _Loaded:
    """What loading found (built in the executor)."""

    book: IncidentBook
    generations: list[int]
    damaged: dict[str, list[str]] = field(default_factory=dict)
    copies: list[str] = field(default_factory=list)
    newer: dict[str, int] = field(default_factory=dict)
    legacy: bool = False
    torn: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    data: bytes
    done: asyncio.Future[bool] | None


class IncidentLog:
    """Reads the log once, then appends every change and snapshots in the background."""

    def __init__(self, hass: HomeAssistant, folder: Path) -> None:
        self.hass = hass
        self.folder = folder
        self.book = IncidentBook()
        # Never rewrite or delete a file: one was written by a newer version,
        # or could not be read at all.
        self.frozen = False
        self._generation = 1
        self._journal = durable.Journal(self._journal_path(1))
        self._pending: list[_Line] = []
        self._writer: asyncio.Task[None] | None = None
        self._snapshot: asyncio.Task[None] | None = None
        self._snapshot_again = False
        self._written = 0
        self._failures = 0
        self._retry: CALLBACK_TYPE | None = None
        self._closed = False

    def _journal_path(self, generation: int) -> Path:
        return self.folder / f"{JOURNAL_PREFIX}{generation}"

    # -- loading ------------------------------------------------------------

    async def async_load(self, now: datetime) -> IncidentBook:
        """Read everything that can be read; report the rest (never raises)."""
        try:
            loaded = await self.hass.async_add_executor_job(self._load, now)
        except Exception as err:  # an unreadable folder must not stop the alarm
            _LOGGER.exception("The incident log could not be read")
            self.frozen = True
            self._start_generation(int(now.timestamp() * 1000))
            notices.async_raise(
                self.hass,
                ISSUE_LOG_UNREADABLE,
                ISSUE_LOG_UNREADABLE,
                {"error": str(err)},
                persistent=True,
            )
            return self.book
        self.book = loaded.book
        # A new generation each start: a file that was refused stays untouched.
        self._start_generation(max(loaded.generations, default=0) + 1)
        self._report(loaded)
        if loaded.newer:
            self.frozen = True
        elif loaded.damaged or loaded.legacy or len(loaded.generations) > 1:
            self.async_request_snapshot()
        return self.book

    def _start_generation(self, generation: int) -> None:
        self._generation = generation
        self._journal = durable.Journal(self._journal_path(generation))

    def _load(self, now: datetime) -> _Loaded:
        """Blocking: read, parse and (for damaged files) copy."""
        generations = sorted(
            int(path.name.removeprefix(JOURNAL_PREFIX))
            for path in self.folder.glob(f"{JOURNAL_PREFIX}*")
            if path.name.removeprefix(JOURNAL_PREFIX).isdigit()
        )
        sources: list[tuple[Path, bool]] = [
            (self.folder / LEGACY_ARCHIVE_NAME, False),
            (self.folder / SNAPSHOT_NAME, False),
            *((self._journal_path(g), True) for g in generations),
        ]
        incidents: dict[str, Incident] = {}
        result = _Loaded(IncidentBook(), generations)
        for path, is_journal in sources:
            data = durable.read_bytes(path)
            if data is None:
                continue
            read = (
                records.read_journal(data)
                if is_journal
                else records.read_snapshot(data)
            )
            parsed = records.parse(read)
            problems = read.problems + parsed.problems
            if read.newer_version is not None:
                result.newer[path.name] = read.newer_version
            if read.torn_tail:
                result.torn.append(path.name)
            if problems:
                result.damaged[path.name] = problems
                result.copies.append(durable.keep_copy(path, "damaged", now).name)
            if path.name == LEGACY_ARCHIVE_NAME or read.version == 1:
                result.legacy = True
            incidents.update(parsed.incidents)
        result.book = IncidentBook.from_incidents(
            sorted(incidents.values(), key=lambda i: i.created_at)
        )
        return result

    def _report(self, loaded: _Loaded) -> None:
        for name in loaded.torn:
            _LOGGER.warning(
                "%s ended in a write cut short (a crash or power cut); "
                "that last change had not been confirmed and is not in the log",
                name,
            )
        if loaded.damaged:
            problems = [
                f"{name}: {problem}"
                for name, found in loaded.damaged.items()
                for problem in found
            ]
            _LOGGER.error(
                "The incident log was damaged; kept %d incident(s) (%d open), "
                "copies of the damaged files: %s. Problems: %s",
                len(loaded.book),
                len(loaded.book.open_incidents()),
                ", ".join(loaded.copies),
                records.summary(problems),
            )
            notices.async_raise(
                self.hass,
                ISSUE_LOG_DAMAGED,
                ISSUE_LOG_DAMAGED,
                {
                    "files": ", ".join(loaded.damaged),
                    "copies": ", ".join(loaded.copies),
                    "kept": str(len(loaded.book)),
                    "open": str(len(loaded.book.open_incidents())),
                    "problems": records.summary(problems),
                },
                persistent=True,
            )
        if loaded.newer:
            found = ", ".join(f"{n} (version {v})" for n, v in loaded.newer.items())
            _LOGGER.error(
                "The incident log was written by a newer version of Rådhus Alarm "
                "(%s); it was not read and will not be changed",
                found,
            )
            notices.async_raise(
                self.hass,
                ISSUE_LOG_NEWER,
                ISSUE_LOG_NEWER,
                {"files": found, "journal": self._journal.path.name},
                persistent=True,
            )

    # -- writing --------------------------------------------------------------

    async def async_record(self, incident: Incident) -> bool:
        """Append the incident as it is now; True once it is on disk.

        False when the disk failed: the change is kept and retried, and the
        caller announces it anyway (an alarm is never held back by a disk).
        """
        done: asyncio.Future[bool] = self.hass.loop.create_future()
        self._pending.append(_Line(records.encode_journal_line(incident), done))
        self._start_writer()
        return await done

    @callback
    def async_record_later(self, incident: Incident) -> None:
        """Append the incident without anyone waiting (e.g. delivery times)."""
        self._pending.append(_Line(records.encode_journal_line(incident), None))
        self._start_writer()

    def _start_writer(self) -> None:
        # An eager writer with nothing to do finishes before it is assigned.
        idle = self._writer is None or self._writer.done()
        if idle and self._retry is None and not self._closed:
            self._writer = self.hass.async_create_task(
                self._drain(), f"{DOMAIN} journal", eager_start=True
            )

    async def _drain(self) -> None:
        try:
            while self._pending and self._retry is None:
                batch, self._pending = self._pending, []
                journal = self._journal
                data = b"".join(line.data for line in batch)
                try:
                    await self.hass.async_add_executor_job(journal.append, data)
                except Exception as err:  # any disk failure: same answer
                    self._pending[:0] = batch
                    _resolve(batch, False)
                    self._failed(err)
                    return
                finally:
                    if journal is not self._journal:
                        journal.close()  # a snapshot moved on to a new generation
                _resolve(batch, True)
                self._written += len(data)
                self._succeeded()
        finally:
            self._writer = None
        if self._written >= COMPACT_AFTER_BYTES:
            self.async_request_snapshot()

    def _failed(self, err: Exception) -> None:
        delay = RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS) - 1)]
        if not self._failures:
            _LOGGER.error(
                "Could not write the incident log: %s. Alarms are still sent; "
                "retrying until the disk works again",
                err,
            )
            notices.async_raise(
                self.hass,
                ISSUE_STORAGE_FAILED,
                ISSUE_STORAGE_FAILED,
                {"error": str(err)},
            )
        self._failures += 1
        if not self._closed:
            self._retry = async_call_later(self.hass, delay, self._retry_now)

    @callback
    def _retry_now(self, _now: datetime) -> None:
        self._retry = None
        self._start_writer()
        if self._snapshot_again:
            self.async_request_snapshot()

    def _succeeded(self) -> None:
        if self._failures:
            self._failures = 0
            _LOGGER.warning("The incident log is written again")
            notices.async_clear(self.hass, ISSUE_STORAGE_FAILED)

    # -- snapshots --------------------------------------------------------------

    @callback
    def async_request_snapshot(self) -> None:
        """Write a snapshot soon and drop the journal generations it covers."""
        if self.frozen or self._closed:
            return
        self._snapshot_again = True
        if self._snapshot is None:
            self._snapshot = self.hass.async_create_task(
                self._write_snapshots(), f"{DOMAIN} snapshot"
            )

    async def _write_snapshots(self) -> None:
        try:
            while self._snapshot_again and self._retry is None:
                self._snapshot_again = False
                covered = self._generation
                # From now on, changes go to the next generation; everything in
                # `covered` and before happened before the snapshot is taken.
                self._start_generation(covered + 1)
                self._written = 0
                dicts = await self._dicts()
                try:
                    await self.hass.async_add_executor_job(
                        self._replace_snapshot, dicts, covered
                    )
                except Exception as err:  # any failure: same answer
                    self._snapshot_again = True
                    self._failed(err)
                    return
                self._succeeded()
        finally:
            self._snapshot = None

    async def _dicts(self) -> list[dict[str, Any]]:
        """Every incident as a dict, a slice per loop turn (the alarm goes first)."""
        incidents = self.book.all()
        dicts: list[dict[str, Any]] = []
        for start in range(0, len(incidents), SNAPSHOT_SLICE):
            dicts.extend(i.to_dict() for i in incidents[start : start + SNAPSHOT_SLICE])
            await asyncio.sleep(0)
        return dicts

    def _replace_snapshot(self, dicts: list[dict[str, Any]], covered: int) -> None:
        """Blocking: write the snapshot, then delete what it makes redundant."""
        durable.write_atomic(
            self.folder / SNAPSHOT_NAME, records.encode_snapshot(SNAPSHOT_NAME, dicts)
        )
        for path in self.folder.glob(f"{JOURNAL_PREFIX}*"):
            number = path.name.removeprefix(JOURNAL_PREFIX)
            if number.isdigit() and int(number) <= covered:
                path.unlink(missing_ok=True)
        (self.folder / LEGACY_ARCHIVE_NAME).unlink(missing_ok=True)
        durable.fsync_folder(self.folder)

    # -- closing ------------------------------------------------------------

    async def async_close(self) -> None:
        """Finish what is being written; stop retrying."""
        if self._retry is not None:
            self._retry()
            self._retry = None
        if self._writer is not None and not self._writer.done():
            await self._writer
        self._closed = True
        if self._snapshot is not None:
            await self._snapshot
        if self._pending:
            _LOGGER.error(
                "%d change(s) to the incident log could not be written before "
                "closing (the disk failed)",
                len(self._pending),
            )
        self._journal.close()


def _resolve(batch: list[_Line], value: bool) -> None:
    for line in batch:
        if line.done is not None and not line.done.done():
            line.done.set_result(value)
