"""File writing that survives a failing disk and never overwrites a kept copy."""

from __future__ import annotations

from datetime import UTC, datetime
import os
from pathlib import Path

import pytest

from custom_components.raadhus_alarm import durable

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_write_atomic_replaces_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "log"
    durable.write_atomic(target, b"old")
    durable.write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["log"]


def test_a_failed_atomic_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "log"
    durable.write_atomic(target, b"old")

    def _full(fd: int, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "write", _full)
    with pytest.raises(OSError, match="No space"):
        durable.write_atomic(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"


def test_copies_are_never_overwritten(tmp_path: Path) -> None:
    source = tmp_path / "log"
    source.write_bytes(b"first")
    first = durable.keep_copy(source, "damaged", NOW)
    source.write_bytes(b"second")
    second = durable.keep_copy(source, "damaged", NOW)
    assert first.name == "log.damaged-20261123T100000Z"
    assert second.name == "log.damaged-20261123T100000Z-1"
    assert first.read_bytes() == b"first"
    assert second.read_bytes() == b"second"


def test_a_write_cut_short_leaves_no_half_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = durable.Journal(tmp_path / "journal")
    journal.append(b"line one\n")
    real_write = os.write
    calls = 0

    def _half_then_fail(fd: int, data: memoryview) -> int:
        nonlocal calls
        calls += 1
        if calls == 1:
            return real_write(fd, bytes(data[:4]))  # half the line reaches disk
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "write", _half_then_fail)
    with pytest.raises(OSError, match="Input/output"):
        journal.append(b"line two\n")
    monkeypatch.undo()
    assert (tmp_path / "journal").read_bytes() == b"line one\n"
    journal.append(b"line three\n")  # reopened on the next append
    assert (tmp_path / "journal").read_bytes() == b"line one\nline three\n"
    journal.reset()
    assert (tmp_path / "journal").read_bytes() == b""
    journal.close()
    journal.close()  # closing twice is harmless


def test_read_bytes_of_a_missing_file(tmp_path: Path) -> None:
    assert durable.read_bytes(tmp_path / "nothing") is None


def test_a_half_line_left_behind_is_ended_before_the_next(tmp_path: Path) -> None:
    path = tmp_path / "journal"
    path.write_bytes(b"line one\nhalf a li")  # a cut-short write, not cut back
    journal = durable.Journal(path)
    journal.append(b"line two\n")
    assert path.read_bytes() == b"line one\nhalf a li\nline two\n"
    journal.close()
