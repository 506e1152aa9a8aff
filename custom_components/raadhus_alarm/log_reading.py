"""Reading the incident log at start-up, without trusting what is on disk.

Everything that can be read is kept; a file with anything that cannot be read
is copied beside itself (never overwritten) before the log writes anything;
a file from a newer version is reported and not read. See `store.py` for the
files and `records.py` for their formats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
import logging
from pathlib import Path
from typing import Final

from homeassistant.core import HomeAssistant

from . import durable, notices, records
from .const import DOMAIN
from .incident import Incident, IncidentBook

_LOGGER = logging.getLogger(__name__)

SNAPSHOT_NAME: Final = f"{DOMAIN}.incidents"
LEGACY_ARCHIVE_NAME: Final = f"{DOMAIN}.archive"
JOURNAL_PREFIX: Final = f"{DOMAIN}.journal."
ISSUE_LOG_DAMAGED: Final = "log_damaged"
ISSUE_LOG_NEWER: Final = "log_newer_version"
ISSUE_LOG_UNREADABLE: Final = "log_unreadable"


def journal_path(folder: Path, generation: int) -> Path:
    """The journal file of a generation."""
    return folder / f"{JOURNAL_PREFIX}{generation}"


def generations(folder: Path) -> list[int]:
    """The journal generations in a folder, oldest first (blocking)."""
    return sorted(
        int(path.name.removeprefix(JOURNAL_PREFIX))
        for path in folder.glob(f"{JOURNAL_PREFIX}*")
        if path.name.removeprefix(JOURNAL_PREFIX).isdigit()
    )


@dataclass(slots=True)
class Loaded:
    """What loading found."""

    book: IncidentBook
    generations: list[int]
    damaged: dict[str, list[str]] = field(default_factory=dict)
    copies: list[str] = field(default_factory=list)
    newer: dict[str, int] = field(default_factory=dict)
    legacy: bool = False
    torn: list[str] = field(default_factory=list)
    # Files that could not be read at all, or whose copy could not be made.
    unreadable: dict[str, str] = field(default_factory=dict)
    # Alarms written ahead of their threshold, neither raised nor withdrawn:
    # the system stopped within the last moment of a hold, or just after the
    # alarm (before its own line was written).
    ahead: dict[str, Incident] = field(default_factory=dict)

    @property
    def frozen(self) -> bool:
        """Whether no file may be rewritten or deleted (see `IncidentLog`)."""
        return bool(self.newer or self.unreadable)


def load(folder: Path, now: datetime) -> Loaded:
    """Blocking: read, parse and (for damaged files) copy."""
    found = generations(folder)
    sources: list[tuple[Path, bool]] = [
        (folder / LEGACY_ARCHIVE_NAME, False),
        (folder / SNAPSHOT_NAME, False),
        *((journal_path(folder, g), True) for g in found),
    ]
    incidents: dict[str, Incident] = {}
    result = Loaded(IncidentBook(), found)
    for path, is_journal in sources:
        try:
            data = durable.read_bytes(path)
        except OSError as err:  # one unreadable file must not cost the others
            result.unreadable[path.name] = str(err)
            continue
        if data is None:
            continue
        read = records.read_journal(data) if is_journal else records.read_snapshot(data)
        parsed = records.parse(read)
        problems = read.problems + parsed.problems
        if read.newer_version is not None:
            result.newer[path.name] = read.newer_version
        if read.torn_tail:
            result.torn.append(path.name)
        if problems:
            result.damaged[path.name] = problems
            try:
                result.copies.append(durable.keep_copy(path, "damaged", now).name)
            except OSError as err:
                # Without a copy the file must stay as it is: keep what was read.
                result.unreadable[path.name] = f"no copy could be made: {err}"
        if path.name == LEGACY_ARCHIVE_NAME or read.version == 1:
            result.legacy = True
        for incident_id in (*parsed.withdrawn, *parsed.incidents):
            result.ahead.pop(incident_id, None)
        result.ahead.update(parsed.ahead)
        incidents.update(parsed.incidents)
    for incident_id in incidents:
        result.ahead.pop(incident_id, None)
    result.book = IncidentBook.from_incidents(
        sorted(incidents.values(), key=lambda i: i.created_at)
    )
    return result


def report(hass: HomeAssistant, loaded: Loaded, journal: str) -> None:
    """Log and tell the administrators what loading found."""
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
            hass,
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
    if loaded.unreadable:
        found = "; ".join(f"{n}: {e}" for n, e in loaded.unreadable.items())
        _LOGGER.error(
            "Parts of the incident log could not be read or copied (%s); "
            "nothing stored will be changed until that is fixed",
            found,
        )
        notices.async_raise(
            hass,
            ISSUE_LOG_UNREADABLE,
            ISSUE_LOG_UNREADABLE,
            {"error": found},
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
            hass,
            ISSUE_LOG_NEWER,
            ISSUE_LOG_NEWER,
            {"files": found, "journal": journal},
            persistent=True,
        )
