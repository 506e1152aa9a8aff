"""Video evidence (R6): when to take pictures, what to call them, when to delete (pure).

No Home Assistant imports. An alarm in a room with cameras is photographed
at once and every `interval` seconds up to `window` seconds after, and
filmed where a camera streams. Everything of one incident lives in one
folder named after the incident; file names are made here from the camera's
entity id and the offset, from a small safe alphabet, so neither an id nor
an entity id can reach outside that folder. An incident's evidence is
deleted `retention` after the incident closed, unless it is kept for a
police report (until that flag is cleared). All datetimes are aware.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import re
from typing import Any, Final

SNAPSHOT: Final = "snapshot"
CLIP: Final = "clip"
KINDS: Final = (SNAPSHOT, CLIP)
# What the security coordinator secures: from a minute before the alarm.
BEFORE_ALARM: Final = timedelta(minutes=1)
# File name extension → content type (what is written, what is served).
CONTENT_TYPES: Final[Mapping[str, str]] = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "mp4": "video/mp4",
}
_EXTENSION_OF: Final = {"image/jpg": "jpg"} | {
    kind: ext for ext, kind in CONTENT_TYPES.items()
}
_UNSAFE: Final = re.compile(r"[^a-z0-9_]+")
_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,119}\.(jpg|png|gif|webp|mp4)")
MAX_PART: Final = 64


def snapshot_offsets(interval: int, window: int) -> tuple[int, ...]:
    """Seconds after the alarm to take a picture: 0, interval, … up to window."""
    if interval < 1:
        raise ValueError(f"the interval must be at least a second, got {interval}")
    return tuple(range(0, max(window, 0) + 1, interval))


def safe_part(text: str) -> str:
    """`text` from a small alphabet (a-z, 0-9, _): never a path, never empty."""
    part = _UNSAFE.sub("_", text.strip().lower()).strip("_")[:MAX_PART]
    return part or "x"


def camera_part(entity_id: str) -> str:
    """A camera's part of a file name (its object id, made safe)."""
    return safe_part(entity_id.removeprefix("camera."))


def extension(content_type: str) -> str:
    """The file extension for a picture's content type (JPEG when unknown)."""
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    return _EXTENSION_OF.get(kind, "jpg")


def snapshot_name(camera: str, offset: int, content_type: str) -> str:
    """The picture `offset` seconds after the alarm, e.g. `dor_005s.jpg`."""
    return f"{camera_part(camera)}_{offset:03d}s.{extension(content_type)}"


def clip_name(camera: str) -> str:
    """The camera's clip of the alarm, e.g. `dor_clip.mp4`."""
    return f"{camera_part(camera)}_clip.mp4"


def valid_name(name: str) -> bool:
    """Whether `name` is one this module could have made (no path, no dots)."""
    return _NAME.fullmatch(name) is not None


def content_type(name: str) -> str:
    """The content type a file is served with."""
    return CONTENT_TYPES.get(name.rpartition(".")[2], "application/octet-stream")


def secure_window(alarm_at: datetime, closed_at: datetime) -> tuple[datetime, datetime]:
    """The time the cameras' own recordings should be secured for."""
    return alarm_at - BEFORE_ALARM, closed_at


def delete_at(ended_at: datetime | None, retention_days: int) -> datetime | None:
    """When an incident's evidence is due for deletion (None while it is open)."""
    return None if ended_at is None else ended_at + timedelta(days=retention_days)


def retention_due(
    ended_at: datetime | None, keep: bool, now: datetime, retention_days: int
) -> bool:
    """Whether to delete now: closed `retention_days` ago and not kept."""
    due = delete_at(ended_at, retention_days)
    return not keep and due is not None and now >= due


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A snapshot or a clip in an incident's folder."""

    name: str
    kind: str
    camera: str
    at: datetime

    def __post_init__(self) -> None:
        if not valid_name(self.name) or self.kind not in KINDS:
            raise ValueError(f"not an evidence file: {self.name!r} ({self.kind!r})")
        if self.at.utcoffset() is None:
            raise ValueError("an evidence file's time must be timezone-aware")

    def to_dict(self) -> dict[str, Any]:
        """The file as JSON."""
        return {
            "name": self.name,
            "kind": self.kind,
            "camera": self.camera,
            "at": self.at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EvidenceFile:
        """A file from `to_dict` output; ValueError/TypeError if malformed."""
        return cls(
            name=_text(data, "name"),
            kind=_text(data, "kind"),
            camera=_text(data, "camera"),
            at=datetime.fromisoformat(_text(data, "at")),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """The index of one incident's evidence (its `id` is the incident's)."""

    id: str
    room_id: str
    cameras: tuple[str, ...]
    window_start: datetime  # a minute before the alarm
    window_end: datetime | None = None  # when the incident closed
    files: tuple[EvidenceFile, ...] = ()
    keep: bool = False  # kept for a police report until cleared
    errors: int = 0  # pictures and clips a camera failed to give
    secure_told: bool = False  # the security coordinator was told

    @property
    def folder(self) -> str:
        """The incident's folder name."""
        return safe_part(self.id)

    def file(self, name: str) -> EvidenceFile | None:
        """A listed file by name."""
        return next((f for f in self.files if f.name == name), None)

    def with_file(self, file: EvidenceFile) -> Evidence:
        """The index with one more file (a name already listed is replaced)."""
        others = tuple(f for f in self.files if f.name != file.name)
        return replace(self, files=(*others, file))

    def to_dict(self) -> dict[str, Any]:
        """The index as JSON."""
        return {
            "id": self.id,
            "room_id": self.room_id,
            "cameras": list(self.cameras),
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat() if self.window_end else None,
            "files": [f.to_dict() for f in self.files],
            "keep": self.keep,
            "errors": self.errors,
            "secure_told": self.secure_told,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        """An index from `to_dict` output; ValueError/TypeError if malformed."""
        end = data.get("window_end")
        cameras = data.get("cameras", [])
        files = data.get("files", [])
        if not isinstance(cameras, list) or not isinstance(files, list):
            raise TypeError("cameras and files must be lists")
        if not isinstance(end, str | None):
            raise TypeError("window_end must be a text or null")
        return cls(
            id=_text(data, "id"),
            room_id=_text(data, "room_id"),
            cameras=tuple(str(c) for c in cameras),
            window_start=datetime.fromisoformat(_text(data, "window_start")),
            window_end=datetime.fromisoformat(end) if end else None,
            files=tuple(EvidenceFile.from_dict(f) for f in files),
            keep=data.get("keep") is True,
            errors=int(data.get("errors", 0)),
            secure_told=data.get("secure_told") is True,
        )


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data.get(key) if isinstance(data, Mapping) else None
    if not isinstance(value, str):
        raise TypeError(f"{key} must be a text, got {value!r}")
    return value
