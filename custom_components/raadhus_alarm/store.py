"""Durable incident log: a journal line before every announcement, snapshots later.

Files in Home Assistant's `.storage` folder:

- `raadhus_alarm.journal.<n>`: one line per change (the whole incident after
  it), appended and synced to disk (O_DSYNC) by a writer thread, off the
  event loop, before the change is announced. Changes made in one turn of
  the event loop go in one write, and batches queued while a write is out go
  in the next one, straight after it (group commit): fifty alarms at once
  cost one or two disk syncs, not fifty. An alarm is on disk before anyone
  is told, and survives `kill -9` or a power cut right after it fired.
  A button's alarm is written *ahead*, in the last moment of the hold (see
  `core.AlarmCore.async_write_ahead`): at the threshold it is on disk
  already, and a withdrawal line follows if the button is let go in time.
- `raadhus_alarm.incidents`: a snapshot of every incident, rewritten in the
  background (temporary file, fsync, rename, fsync of the folder) once the
  journal has grown; then the journal generations it covers are deleted.
  New changes go to a new journal generation meanwhile, so a snapshot never
  holds up an alarm.
- Version 1 (Home Assistant's storage helper: `raadhus_alarm.incidents` for
  open and recent incidents, `raadhus_alarm.archive` for closed ones) is read
  and migrated by the first snapshot, open incidents included.

Nothing read is trusted (`log_reading`). A write that fails raises a critical
repair issue at once and is retried until it succeeds, older changes first;
nothing newer is written before them. The alarm is announced and sent
meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
import logging
from pathlib import Path
from queue import SimpleQueue
from threading import Thread
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from . import durable, log_reading, notices, records
from .const import DOMAIN
from .incident import Incident, IncidentBook
from .log_reading import (
    JOURNAL_PREFIX,
    LEGACY_ARCHIVE_NAME,
    SNAPSHOT_NAME,
    journal_path,
)

_LOGGER = logging.getLogger(__name__)

# Snapshot once the current journal generation holds this much.
COMPACT_AFTER_BYTES: Final = 1_000_000
# ... and this long after the write that crossed it: the write that crosses it
# is often an alarm's, whose phones must not share the loop with a snapshot.
COMPACT_DELAY: Final = 10.0
# Incidents turned into dicts per event-loop turn while snapshotting.
SNAPSHOT_SLICE: Final = 100
RETRY_DELAYS: Final = (1.0, 2.0, 5.0, 10.0, 30.0)

ISSUE_STORAGE_FAILED: Final = "storage_failed"
ISSUE_SNAPSHOT_FAILED: Final = "snapshot_failed"
ISSUE_LOG_UNREADABLE: Final = log_reading.ISSUE_LOG_UNREADABLE


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
        # Whether incidents may be missing from the book (a file could not be
        # read, or only in part): nothing may be pruned for being absent.
        self.partial = False
        self._generation = 1
        self._journal = durable.Journal(self._journal_path(1))
        self._pending: list[_Line] = []
        # One (journal, future) per batch handed to the writer, not yet settled.
        self._in_flight: list[tuple[durable.Journal, asyncio.Future[None]]] = []
        self._failed_lines: list[_Line] = []
        self._flush_soon = False
        self._writer = _Writer(hass.loop, self._appended)
        # Called after each write (or failed write) has been settled.
        self.on_written: Callable[[], None] | None = None
        self._snapshot: asyncio.Task[None] | None = None
        self._snapshot_again = False
        self._written = 0
        self._failures = 0
        self._retry: CALLBACK_TYPE | None = None
        self._retry_when_settled = False
        self._snapshot_retry: CALLBACK_TYPE | None = None
        self._compact_later: CALLBACK_TYPE | None = None
        self._snapshot_failures = 0
        self._closing = False
        self._closed = False
        # Alarms written ahead and left so when the log was last closed: no
        # snapshot (which would drop their lines) until the core has raised
        # them (`async_resume_snapshots`).
        self.left_ahead: list[Incident] = []
        self._snapshots_held = False
        self._snapshot_wanted = False

    def _journal_path(self, generation: int) -> Path:
        return journal_path(self.folder, generation)

    # -- loading ------------------------------------------------------------

    async def async_load(self, now: datetime) -> IncidentBook:
        """Read everything that can be read; report the rest (never raises)."""
        try:
            loaded = await self.hass.async_add_executor_job(
                log_reading.load, self.folder, now
            )
        except Exception as err:  # an unreadable folder must not stop the alarm
            _LOGGER.exception("The incident log could not be read")
            self.frozen = self.partial = True
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
        self.left_ahead = sorted(loaded.ahead.values(), key=lambda i: i.created_at)
        self._snapshots_held = bool(self.left_ahead)
        # A new generation each start: a file that was refused stays untouched.
        self._start_generation(max(loaded.generations, default=0) + 1)
        log_reading.report(self.hass, loaded, self._journal.path.name)
        self.partial = bool(loaded.frozen or loaded.damaged)
        if loaded.frozen:
            self.frozen = True
        elif loaded.damaged or loaded.legacy or len(loaded.generations) > 1:
            self.async_request_snapshot()
        return self.book

    def _start_generation(self, generation: int) -> None:
        self._generation = generation
        self._journal = durable.Journal(self._journal_path(generation))

    # -- writing --------------------------------------------------------------

    @property
    def closed(self) -> bool:
        """Whether the log was closed (the entry is unloading or HA stopping)."""
        return self._closed

    @property
    def generation(self) -> int:
        """The journal generation written now (a snapshot moves it on)."""
        return self._generation

    @callback
    def async_record(
        self, incident: Incident, *, ahead: bool = False
    ) -> asyncio.Future[bool]:
        """Append the incident as it is now; the future is True once on disk.

        `ahead`: an alarm written before it is due, not in the book yet.

        False when it could not be written now (a failing disk, a closed log):
        the change is kept and retried where it can be, and the caller
        announces it anyway — an alarm is never held back by a disk. Futures
        are resolved in the order of the changes.
        """
        done: asyncio.Future[bool] = self.hass.loop.create_future()
        line = records.encode_journal_line(incident, ahead=ahead)
        self._pending.append(_Line(line, done))
        self._start_writer()
        return done

    @callback
    def async_record_later(self, incident: Incident) -> None:
        """Append the incident without anyone waiting (e.g. delivery times)."""
        self._pending.append(_Line(records.encode_journal_line(incident), None))
        self._start_writer()

    @callback
    def async_withdraw_later(self, incident_id: str) -> None:
        """Take back an alarm written ahead (nobody waits for it)."""
        self._pending.append(_Line(records.encode_withdrawal(incident_id), None))
        self._start_writer()

    def _start_writer(self) -> None:
        """Write what is pending at the end of this turn of the event loop.

        Alarms that fall due together (their timers run in one turn) go into
        one write, and so are published together. This costs no time: the
        writing thread could not start before the loop lets go anyway.
        """
        if not self._flush_soon:
            self._flush_soon = True
            self.hass.loop.call_soon(self._flush)

    def _flush(self) -> None:
        """Hand what is pending to the writer thread (it writes batches in order).

        While the disk is failing, or once the log is closed, nothing is
        written: the lines wait (in order) for the retry, and their changes
        are announced at once.
        """
        self._flush_soon = False
        if not self._pending:
            return
        if self._closed or self._failing:
            held, self._pending = self._pending, []
            if self._closed:
                _LOGGER.error(
                    "%d change(s) to the incident log came after it was closed",
                    len(held),
                )
            else:
                self._failed_lines.extend(held)
            _resolve(held, False)
            self._settled()
            return
        batch, self._pending = self._pending, []
        written: asyncio.Future[None] = self.hass.loop.create_future()
        self._in_flight.append((self._journal, written))
        self._writer.submit(self._journal, batch, written)
        # Waited for by Home Assistant's "until done" (tests, shutdown).
        self.hass.async_create_task(
            _wait(written), f"{DOMAIN} journal write", eager_start=False
        )

    @callback
    def _appended(
        self,
        journal: durable.Journal,
        items: list[_Item],
        error: Exception | None,
    ) -> None:
        """Batches are on disk (or failed): settle them, then publish their changes."""
        for _, batch, written in items:
            self._in_flight.remove((journal, written))
            written.set_result(None)
            if error is not None:
                # Kept in order; written again, before anything newer, on the retry.
                self._failed_lines.extend(batch)
                _resolve(batch, False)
            else:
                _resolve(batch, True)
                self._written += sum(len(line.data) for line in batch)
        if journal is not self._journal and all(
            j is not journal for j, _ in self._in_flight
        ):
            journal.close()  # a snapshot moved on to a new generation
        if error is not None:
            self._failed(error)
        elif not self._in_flight and not self._failing:
            self._succeeded()
        self._settled()
        if self._retry_when_settled and not self._in_flight:
            self._retry_when_settled = False
            self._retry_now(None)
        if self._written >= COMPACT_AFTER_BYTES and self._compact_later is None:
            self._compact_later = async_call_later(
                self.hass, COMPACT_DELAY, self._compact_now
            )

    def _settled(self) -> None:
        if self.on_written is not None:
            self.on_written()

    @property
    def _failing(self) -> bool:
        return self._retry is not None or self._retry_when_settled

    def _failed(self, err: Exception) -> None:
        """The journal could not be written: tell, and retry until it can."""
        if self._failing:
            return  # already retrying
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
        delay = RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS) - 1)]
        self._failures += 1
        if not self._closed:
            self._retry = async_call_later(self.hass, delay, self._retry_now)

    def _cancel_retry(self) -> bool:
        """Stop a pending retry; whether there was one."""
        had = self._failing
        if self._retry is not None:
            self._retry()
            self._retry = None
        self._retry_when_settled = False
        return had

    @callback
    def _retry_now(self, _now: datetime | None) -> None:
        self._retry = None
        if self._in_flight:
            # Batches that will fail are still out; their lines must go first.
            self._retry_when_settled = True
            return
        # What failed goes first, in its order, then what came meanwhile.
        self._pending[:0] = self._failed_lines
        self._failed_lines = []
        self._writer.resume()  # the thread is idle: nothing is in flight
        self._flush()

    def _succeeded(self) -> None:
        if self._failures:
            self._failures = 0
            _LOGGER.warning("The incident log is written again")
            notices.async_clear(self.hass, ISSUE_STORAGE_FAILED)

    # -- snapshots --------------------------------------------------------------

    @callback
    def _compact_now(self, _now: datetime) -> None:
        self._compact_later = None
        self.async_request_snapshot()

    @callback
    def async_request_snapshot(self) -> None:
        """Write a snapshot soon and drop the journal generations it covers."""
        if self.frozen or self._closed:
            return
        if self._snapshots_held:
            self._snapshot_wanted = True
            return
        self._snapshot_again = True
        if self._snapshot is None and self._snapshot_retry is None:
            self._snapshot = self.hass.async_create_task(
                self._write_snapshots(), f"{DOMAIN} snapshot"
            )

    @callback
    def async_resume_snapshots(self) -> None:
        """The alarms left written ahead are raised: snapshots may drop them."""
        self._snapshots_held = False
        if self._snapshot_wanted:
            self._snapshot_wanted = False
            self.async_request_snapshot()

    async def _write_snapshots(self) -> None:
        try:
            while self._snapshot_again and not self._closed:
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
                    self._snapshot_failed(err)
                    return
                if self._snapshot_failures:
                    self._snapshot_failures = 0
                    notices.async_clear(self.hass, ISSUE_SNAPSHOT_FAILED)
        finally:
            self._snapshot = None

    def _snapshot_failed(self, err: Exception) -> None:
        """A snapshot failed: the journal still holds everything; retry later."""
        if not self._snapshot_failures:
            _LOGGER.error("Could not write the incident log's snapshot: %s", err)
            notices.async_raise(
                self.hass,
                ISSUE_SNAPSHOT_FAILED,
                ISSUE_SNAPSHOT_FAILED,
                {"error": str(err)},
                critical=False,
            )
        delay = RETRY_DELAYS[min(self._snapshot_failures, len(RETRY_DELAYS) - 1)]
        self._snapshot_failures += 1
        self._snapshot_again = True

        @callback
        def _again(_now: datetime) -> None:
            self._snapshot_retry = None
            self.async_request_snapshot()

        self._snapshot_retry = async_call_later(self.hass, delay, _again)

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
        """Finish what is being written; stop retrying; stop the writer thread.

        Called more than once (unload and Home Assistant stopping) it does its
        work once.
        """
        if self._closed or self._closing:
            return
        self._closing = True
        for timer in (self._snapshot_retry, self._compact_later):
            if timer is not None:
                timer()
        self._snapshot_retry = self._compact_later = None
        while self._in_flight:
            await self._in_flight[-1][1]
        if self._cancel_retry():  # one more try for what failed
            self._pending[:0] = self._failed_lines
            self._failed_lines = []
            self._writer.resume()
        self._flush()
        while self._in_flight:
            await self._in_flight[-1][1]
        self._cancel_retry()
        self._closed = True
        if self._snapshot is not None:
            await self._snapshot
        lost = self._failed_lines + self._pending
        if lost:
            _LOGGER.error(
                "%d change(s) to the incident log could not be written before "
                "closing (the disk failed)",
                len(lost),
            )
            _resolve(lost, False)
            self._pending.clear()
            self._failed_lines.clear()
            self._settled()
        await self._writer.async_stop()
        self._journal.close()


type _Item = tuple[durable.Journal, list[_Line], asyncio.Future[None]]
type _Done = Callable[[durable.Journal, list[_Item], Exception | None], None]


class _Writer:
    """A thread that appends batches in the order given, one after the other.

    The next batch starts as soon as the last is on disk, without a trip
    through the event loop; batches queued meanwhile go in one write. After
    a failure nothing more is written (later changes must never land before
    the failed ones) until `resume`.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, done: _Done) -> None:
        self._loop = loop
        self._done = done
        self._queue: SimpleQueue[_Item | None] = SimpleQueue()
        self._thread: Thread | None = None
        self._failure: Exception | None = None

    def submit(
        self,
        journal: durable.Journal,
        batch: list[_Line],
        written: asyncio.Future[None],
    ) -> None:
        """Queue a batch (starting the thread on first use)."""
        if self._thread is None:
            self._thread = Thread(
                target=self._run, name=f"{DOMAIN}_journal", daemon=True
            )
            self._thread.start()
        self._queue.put((journal, batch, written))

    def resume(self) -> None:
        """Write again after a failure (called from the loop, on the retry)."""
        self._failure = None

    async def async_stop(self) -> None:
        """Let the thread finish what it has, and end."""
        if self._thread is not None:
            self._queue.put(None)
            await self._loop.run_in_executor(None, self._thread.join)
            self._thread = None

    def _run(self) -> None:
        """Blocking (the thread): write each batch, grouping what is queued."""
        while (item := self._queue.get()) is not None:
            items = [item]
            # Group commit: whatever else is queued for the same file goes too.
            while not self._queue.empty():
                more = self._queue.get()
                if more is None or more[0] is not item[0]:
                    self._write(items)
                    if more is None:
                        return
                    item, items = more, []
                items.append(more)
            self._write(items)

    def _write(self, items: list[_Item]) -> None:
        journal = items[0][0]
        error = self._failure
        if error is None:
            try:
                journal.append(
                    b"".join(line.data for _, batch, _ in items for line in batch)
                )
            except Exception as err:  # any failure: same answer, never a dead thread
                error = self._failure = err
        # One call back for the whole group: every trip between this thread
        # and the loop may wait for the interpreter lock while the loop is busy.
        self._loop.call_soon_threadsafe(self._done, journal, items, error)


async def _wait(future: asyncio.Future[None]) -> None:
    await future


def _resolve(batch: list[_Line], value: bool) -> None:
    for line in batch:
        if line.done is not None and not line.done.done():
            line.done.set_result(value)
