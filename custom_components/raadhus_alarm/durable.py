"""Writing files so that a power cut leaves the old or the new, never neither.

Blocking file operations (run in an executor, never on the event loop):

- `write_atomic`: write a temporary file, fsync it, rename it over the
  target, fsync the folder (the rename itself must survive a power cut);
- `Journal.append`: append bytes to an open journal, synced to disk (O_DSYNC,
  or fdatasync where that is missing); a write that fails part-way is cut
  back so the journal never keeps half a line;
- `keep_copy`: copy a file beside itself under a name that is never reused.

Errors are raised to the caller (unlike Home Assistant's storage helper, which
logs them), so the log can report and retry its own failures.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
import os
from pathlib import Path
import shutil

_sync_data = getattr(os, "fdatasync", os.fsync)
# Where the system has it, the journal is opened for synchronous data writes:
# one call writes and syncs (one trip out of Python, not two).
_DSYNC: int = getattr(os, "O_DSYNC", 0)


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: the old file or the new, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    fsync_folder(path.parent)


def read_bytes(path: Path) -> bytes | None:
    """A file's bytes, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def keep_copy(path: Path, label: str, now: datetime) -> Path:
    """Copy `path` beside itself as `<name>.<label>-<time>[-n]`; never overwrite."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    for n in range(1000):
        suffix = f".{label}-{stamp}" + (f"-{n}" if n else "")
        copy = path.with_name(path.name + suffix)
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        fsync_folder(path.parent)
        return copy
    raise FileExistsError(f"no free name for a copy of {path}")


class Journal:
    """An append-only file written with a sync (one thread at a time)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._size = 0  # known good length: a failed write is cut back to it
        self._folder_synced = False

    def _open(self) -> int:
        if self._fd is not None:
            return self._fd
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Read and write: the last byte is checked when the file is opened.
        flags = os.O_RDWR | os.O_CREAT | os.O_APPEND | _DSYNC
        fd = os.open(self.path, flags, 0o644)
        try:
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                # A write was cut short and could not be cut back: end that
                # line, so the next one is not glued to it.
                os.write(fd, b"\n")
                size += 1
            if not self._folder_synced:
                fsync_folder(self.path.parent)  # the new file's name, durably
                self._folder_synced = True
        except BaseException:
            os.close(fd)
            raise
        self._fd, self._size = fd, size
        return fd

    def append(self, data: bytes) -> None:
        """Append `data` durably; on failure the journal is left as it was.

        No other system call than the write itself (and the sync where
        O_DSYNC is missing): each one is a trip that may wait for the
        interpreter lock while the event loop is busy.
        """
        fd = self._open()
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if not _DSYNC:
                _sync_data(fd)
        except BaseException:
            # Never leave half a line for the next append to run into.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, self._size)
            self.close()
            raise
        self._size += len(data)

    def reset(self) -> None:
        """Empty the journal (its content is safely in a snapshot)."""
        fd = self._open()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self._size = 0

    def close(self) -> None:
        """Close the file (it is reopened on the next append)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
