"""Plain records (frozen dataclasses) to and from JSON-safe dicts (pure).

Meetings and attendance bans are stored this way. Reading is strict on what
a record is — a field missing or of the wrong type makes it a damaged record
for the glue to skip, never one to guess — and lets the dataclass's own
defaults fill optional fields a record written by an older version lacks.
Unknown keys are ignored (a record written by a newer version).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any, Final

# The field types records use, by annotation text (`from __future__` keeps
# annotations as text, so `Field.type` is e.g. "str | None").
_KINDS: Final[dict[str, type | tuple[type, ...]]] = {
    "str": str,
    "bool": bool,
    "datetime": datetime,
    "str | None": (str, type(None)),
    "datetime | None": (datetime, type(None)),
}


def to_dict(record: Any) -> dict[str, Any]:
    """The record's fields, times in ISO 8601 with their offset."""
    return {
        f.name: v.isoformat() if isinstance(v, datetime) else v
        for f in fields(record)
        for v in [getattr(record, f.name)]
    }


def from_dict[T](cls: type[T], data: Mapping[str, Any], what: str) -> T:
    """Build `cls` from `to_dict` output; ValueError if malformed."""
    if not isinstance(data, Mapping):
        raise ValueError(f"a {what} must be a mapping, got {data!r}")
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        value: Any = data.get(f.name, f.default)  # MISSING if required
        if str(f.type).startswith("datetime") and isinstance(value, str):
            value = datetime.fromisoformat(value)  # ValueError if not ISO
        if not isinstance(value, _KINDS[str(f.type)]):
            raise ValueError(f"{what} field {f.name!r}: bad value {value!r}")
        values[f.name] = value
    return cls(**values)
