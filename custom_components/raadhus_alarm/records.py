"""The incident log's file formats, and reading them without trusting them (pure).

Two kinds of file (see `store.py` for when each is written):

- a *snapshot*: Home Assistant's storage envelope
  ``{"version", "minor_version", "key", "data": {"incidents": [...]}}``;
  version 1 was written by Home Assistant's storage helper, version 2 by the
  log itself (same shape; incidents gained `raised_at` and `calls`, which
  version-1 incidents simply lack);
- the *journal*: one line per change, ``{"v": 2, "incident": {...}}``, the
  whole incident as it was after the change (so replaying is "last line wins").

Reading never raises. Whatever can be read is returned; whatever cannot is
counted with a reason, so the store can keep a copy of the file and say what
was lost. A file from a newer version is reported and not read at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
import json
import re
from typing import Any, Final

import orjson  # Home Assistant's own JSON library (fast: this is the alarm path)

from .incident import Incident

LOG_VERSION: Final = 2
LOG_MINOR_VERSION: Final = 1
# A whole incident object starts like this in any JSON writer's output.
_INCIDENT_START: Final = re.compile(r'\{\s*"id"\s*:')
_VERSION_HEADER: Final = re.compile(r'^\s*\{\s*"version"\s*:\s*(\d{1,9})\b')
# Every key an incident of each version was written with. An object found in
# damaged text is only an incident if it has all of them: a cut that happens
# to be closed by garbage must not pass for a shorter, older incident.
V1_KEYS: Final = frozenset(
    {
        "id",
        "room_id",
        "room_name",
        "trigger_source",
        "hold_seconds",
        "drill",
        "created_at",
        "steps",
        "joins",
        "notes",
        "resolution",
    }
)
V2_KEYS: Final = V1_KEYS | {"raised_at", "calls"}
_DECODER: Final = json.JSONDecoder()
# Structures nested deeper than this are not an incident log.
_MAX_DEPTH: Final = 64


@dataclass(slots=True)
class FileRead:
    """What could be read from one file."""

    records: list[Any] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    version: int | None = None
    newer_version: int | None = None
    torn_tail: bool = False

    @property
    def damaged(self) -> bool:
        """Whether something in the file could not be read."""
        return bool(self.problems)


@dataclass(slots=True)
class Parsed:
    """Incidents read from several files, newest copy of each."""

    incidents: dict[str, Incident] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _loads(text: str | bytes) -> tuple[bool, Any]:
    try:
        return True, orjson.loads(text)
    except ValueError, RecursionError:
        return False, None


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _keys_for(version: int | None) -> frozenset[str]:
    return V2_KEYS if version == LOG_VERSION else V1_KEYS


def _whole(obj: Any, keys: frozenset[str]) -> bool:
    return isinstance(obj, dict) and obj.keys() >= keys


def salvage(text: str) -> list[Any]:
    """Complete incident objects found in text that is not valid JSON as a whole."""
    header = _VERSION_HEADER.match(text)
    keys = _keys_for(int(header.group(1)) if header else None)
    found: list[Any] = []
    pos = 0
    while (match := _INCIDENT_START.search(text, pos)) is not None:
        try:
            obj, end = _DECODER.raw_decode(text, match.start())
        except ValueError, RecursionError:
            pos = match.end()
            continue
        if _whole(obj, keys):
            found.append(obj)
            pos = end
        else:
            pos = match.end()
    return found


def _incident_like(obj: Any, keys: frozenset[str]) -> Iterator[Any]:
    """Whole incidents anywhere in a decoded structure."""
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > _MAX_DEPTH:
            continue
        if isinstance(item, dict):
            if _whole(item, keys):
                yield item
                continue
            stack.extend((v, depth + 1) for v in reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in reversed(item))


def read_snapshot(data: bytes) -> FileRead:
    """Read a snapshot file's bytes."""
    result = FileRead()
    if not data.strip():
        result.problems.append("the file is empty")
        return result
    text = _text(data)
    ok, envelope = _loads(text)
    if not ok:
        result.records = salvage(text)
        result.problems.append(
            f"not valid JSON; {len(result.records)} whole incident(s) recovered"
        )
        return result
    version = envelope.get("version") if isinstance(envelope, dict) else None
    if isinstance(version, int) and not isinstance(version, bool):
        result.version = version
        if version > LOG_VERSION:
            result.newer_version = version
            return result
    else:
        result.problems.append("no storage version")
    body = envelope.get("data") if isinstance(envelope, dict) else None
    incidents = body.get("incidents") if isinstance(body, dict) else None
    if not isinstance(incidents, list):
        result.records = list(_incident_like(envelope, _keys_for(result.version)))
        result.problems.append(
            "unexpected structure (expected data.incidents to be a list); "
            f"{len(result.records)} incident(s) recovered"
        )
        return result
    result.records = incidents
    return result


def read_journal(data: bytes) -> FileRead:
    """Read the journal's bytes (a torn last line is a write cut short)."""
    result = FileRead()
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty unless the write was cut
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        problem = _journal_line(line, result)
        if problem:
            result.problems.append(f"line {number}: {problem}")
    if tail.strip() and _journal_line(tail, result):
        # Cut short by a crash or power loss: that change was never confirmed
        # as written, so nothing was announced on the strength of it.
        result.torn_tail = True
    return result


def _journal_line(line: bytes, result: FileRead) -> str | None:
    """Take one journal line into `result`; return a problem, or None."""
    ok, entry = _loads(line)
    if not ok or not isinstance(entry, dict):
        return "not a journal entry"
    version = entry.get("v")
    if not isinstance(version, int) or isinstance(version, bool):
        return "no version"
    if version > LOG_VERSION:
        result.newer_version = max(version, result.newer_version or 0)
        return None
    if not _whole(entry.get("incident"), _keys_for(version)):
        return "not a whole incident"
    result.records.append(entry.get("incident"))
    return None


def parse(file: FileRead) -> Parsed:
    """The incidents of one file, in file order (a later copy of an id wins).

    A malformed copy never replaces a good earlier one, so one damaged journal
    line loses at most that change, not the incident.
    """
    parsed = Parsed()
    for raw in file.records:
        try:
            incident = Incident.from_dict(raw)
        except (ValueError, TypeError, OverflowError) as err:
            parsed.problems.append(str(err))
            continue
        parsed.incidents[incident.id] = incident
    return parsed


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value)


def encode_snapshot(key: str, incidents: list[dict[str, Any]]) -> bytes:
    """A snapshot file's bytes, from incidents already turned into dicts."""
    return _dumps(
        {
            "version": LOG_VERSION,
            "minor_version": LOG_MINOR_VERSION,
            "key": key,
            "data": {"incidents": incidents},
        }
    )


def encode_journal_line(incident: Incident) -> bytes:
    """One journal line (with its newline)."""
    return _dumps({"v": LOG_VERSION, "incident": incident.to_dict()}) + b"\n"


def summary(problems: Iterable[str], limit: int = 5) -> str:
    """A short, human-readable list of problems (for a repair issue)."""
    items = list(problems)
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")
