"""The incident log's file formats, and reading them without trusting them (pure).

Two kinds of file (see `store.py` for when each is written):

- a *snapshot*: Home Assistant's storage envelope
  ``{"version", "minor_version", "key", "data": {"incidents": [...]}}``;
  version 1 was written by Home Assistant's storage helper, version 2 by the
  log itself (same shape; incidents gained `raised_at` and `calls`, which
  version-1 incidents simply lack);
- the *journal*: one line per change, ``{"v": 2, "incident": {...}}``, the
  whole incident as it was after the change (so replaying is "last line wins").
  Since minor version 2, a button's alarm is also written *ahead* of its
  threshold, ``{"v": 2, "ahead": {...}}`` (an incident not yet raised), and
  ``{"v": 2, "withdrawn": "<id>"}`` takes such a line back (the button was
  released in time). An ahead line that neither an incident line nor a
  withdrawal follows is an alarm that was due when the system stopped.

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
LOG_MINOR_VERSION: Final = 2
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


@dataclass(frozen=True, slots=True)
class WrittenAhead:
    """A journal line written ahead of an alarm's threshold (raw incident)."""

    raw: Any


@dataclass(frozen=True, slots=True)
class Withdrawn:
    """A journal line taking an ahead line back."""

    incident_id: str


@dataclass(slots=True)
class FileRead:
    """What could be read from one file."""

    # Raw incidents; in a journal also WrittenAhead / Withdrawn, in file order.
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
    # Alarms written ahead and not followed (yet) by their incident line or a
    # withdrawal in this file; and the ids this file withdrew.
    ahead: dict[str, Incident] = field(default_factory=dict)
    withdrawn: set[str] = field(default_factory=set)


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
    if "withdrawn" in entry:
        incident_id = entry["withdrawn"]
        if not isinstance(incident_id, str) or not incident_id:
            return "not a withdrawal"
        result.records.append(Withdrawn(incident_id))
        return None
    ahead = "ahead" in entry
    raw = entry.get("ahead" if ahead else "incident")
    if not _whole(raw, _keys_for(version)):
        return "not a whole incident"
    result.records.append(WrittenAhead(raw) if ahead else raw)
    return None


def parse(file: FileRead) -> Parsed:
    """The incidents of one file, in file order (a later copy of an id wins).

    A malformed copy never replaces a good earlier one, so one damaged journal
    line loses at most that change, not the incident.
    """
    parsed = Parsed()
    for record in file.records:
        if isinstance(record, Withdrawn):
            parsed.ahead.pop(record.incident_id, None)
            parsed.withdrawn.add(record.incident_id)
            continue
        ahead = isinstance(record, WrittenAhead)
        try:
            incident = Incident.from_dict(record.raw if ahead else record)
        except (ValueError, TypeError, OverflowError) as err:
            parsed.problems.append(str(err))
            continue
        if ahead:
            parsed.ahead[incident.id] = incident
        else:
            parsed.incidents[incident.id] = incident
            parsed.ahead.pop(incident.id, None)
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


def encode_journal_line(incident: Incident, *, ahead: bool = False) -> bytes:
    """One journal line (with its newline); `ahead`: not raised yet."""
    key = "ahead" if ahead else "incident"
    return _dumps({"v": LOG_VERSION, key: incident.to_dict()}) + b"\n"


def encode_withdrawal(incident_id: str) -> bytes:
    """The journal line that takes an ahead line back."""
    return _dumps({"v": LOG_VERSION, "withdrawn": incident_id}) + b"\n"


def summary(problems: Iterable[str], limit: int = 5) -> str:
    """A short, human-readable list of problems (for a repair issue)."""
    items = list(problems)
    shown = "; ".join(items[:limit])
    return shown + (f"; and {len(items) - limit} more" if len(items) > limit else "")
