"""Reading the log's files without trusting them (pure, exhaustive and fuzzed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.raadhus_alarm import records
from custom_components.raadhus_alarm.incident import IncidentBook, IncidentState

T0 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def book(n: int = 3) -> IncidentBook:
    result = IncidentBook()
    for i in range(n):
        incident, _ = result.raise_alarm(
            room_id=f"r{i}",
            room_name=f"Rum {i}",
            trigger_source="device",
            hold_seconds=2.0,
            at=T0 + timedelta(minutes=i),
            source="button",
            raised_at=T0 + timedelta(minutes=i, seconds=0.004),
            new_id=lambda i=i: f"i{i}",
        )
        incident.call_started("person.bo", "mobile_app_bo", 0, T0)
        incident.call_ended(0, T0 + timedelta(seconds=0.1))
    result.transition("i0", IncidentState.RESOLVED, at=T0, source="service")
    return result


def snapshot_bytes(incidents: IncidentBook) -> bytes:
    return records.encode_snapshot(
        "raadhus_alarm.incidents", [i.to_dict() for i in incidents.all()]
    )


def test_snapshot_round_trip_keeps_every_field() -> None:
    original = book()
    read = records.read_snapshot(snapshot_bytes(original))
    assert not read.damaged
    assert read.version == 2
    parsed = records.parse(read)
    assert parsed.problems == []
    assert {k: v.to_dict() for k, v in parsed.incidents.items()} == {
        i.id: i.to_dict() for i in original.all()
    }
    assert parsed.incidents["i1"].lateness == 0.004
    assert parsed.incidents["i1"].calls[0].answered_at == T0 + timedelta(seconds=0.1)


def test_version_1_incidents_read_without_the_new_fields() -> None:
    old = book().all()[1].to_dict()
    del old["raised_at"], old["calls"]
    data = json.dumps({"version": 1, "data": {"incidents": [old]}}).encode()
    parsed = records.parse(records.read_snapshot(data))
    assert parsed.incidents["i1"].raised_at is None
    assert parsed.incidents["i1"].calls == []
    assert parsed.incidents["i1"].lateness is None


def test_truncated_snapshot_keeps_the_whole_incidents() -> None:
    data = snapshot_bytes(book())
    cut = data[: data.index(b'"id":"i2"') + 30]
    read = records.read_snapshot(cut)
    assert read.damaged
    assert [r["id"] for r in read.records] == ["i0", "i1"]
    assert "2 whole incident(s) recovered" in read.problems[0]


def test_wrong_shapes_and_newer_versions() -> None:
    assert records.read_snapshot(b"").problems == ["the file is empty"]
    assert records.read_snapshot(b" \n").damaged
    wrong = records.read_snapshot(json.dumps({"version": 2, "data": []}).encode())
    assert wrong.damaged
    assert wrong.records == []
    nested = {"version": 2, "data": {"list": [book().all()[0].to_dict()]}}
    found = records.read_snapshot(json.dumps(nested).encode())
    assert [r["id"] for r in found.records] == ["i0"]
    assert records.read_snapshot(b'{"data": {"incidents": []}}').problems == [
        "no storage version"
    ]
    newer = records.read_snapshot(b'{"version": 3, "data": {"incidents": [1]}}')
    assert newer.newer_version == 3
    assert newer.records == []
    assert not newer.damaged


def test_journal_torn_tail_bad_lines_and_newer_lines() -> None:
    lines = [records.encode_journal_line(i) for i in book().all()]
    torn = b"".join(lines[:2]) + lines[2][:20]
    read = records.read_journal(torn)
    assert read.torn_tail
    assert not read.damaged
    assert [r["id"] for r in read.records] == ["i0", "i1"]
    bad = lines[0] + b"not json\n" + b'{"incident": {}}\n' + b'{"v": 9}\n' + lines[1]
    read = records.read_journal(bad)
    assert read.problems == ["line 2: not a journal entry", "line 3: no version"]
    assert read.newer_version == 9
    assert [r["id"] for r in read.records] == ["i0", "i1"]


def test_a_malformed_copy_never_replaces_a_good_one() -> None:
    good = book().all()[1].to_dict()
    broken = {**good, "created_at": "yesterday"}
    read = records.FileRead(records=[good, broken, "junk", None])
    parsed = records.parse(read)
    assert parsed.incidents["i1"].to_dict() == good
    assert len(parsed.problems) == 3


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_without_raising(data: bytes) -> None:
    for read in (records.read_snapshot(data), records.read_journal(data)):
        records.parse(read)
        assert isinstance(read.problems, list)


@pytest.mark.parametrize(
    "junk", [b"", b"\x00\xff\xfe", b"}]}garbage", b"]}", b"}", b"}]}"]
)
def test_a_snapshot_cut_anywhere_keeps_only_whole_incidents(junk: bytes) -> None:
    """Every cut position, followed by junk: what is kept is exactly as written.

    (Junk that happens to supply a missing JSON value, such as `null}`, cannot
    be told from a written one; a checksum would be needed for that.)
    """
    data = snapshot_bytes(book(5))
    original = {i.id: i.to_dict() for i in book(5).all()}
    kept = 0
    for cut in range(len(data)):
        parsed = records.parse(records.read_snapshot(data[:cut] + junk))
        for incident_id, incident in parsed.incidents.items():
            assert incident.to_dict() == original[incident_id], cut
            kept += 1
    assert kept > 0


def test_deep_nesting_does_not_raise() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    assert records.read_snapshot(deep).damaged
    assert records.read_journal(deep + b"\n").damaged


def test_written_ahead_withdrawn_and_raised_lines() -> None:
    """Ahead lines are not incidents; a withdrawal or the incident settles them."""
    incidents = book(3)
    i0, i1, i2 = (incidents[f"i{n}"] for n in range(3))
    journal = b"".join(
        [
            records.encode_journal_line(i0, ahead=True),
            records.encode_journal_line(i1, ahead=True),
            records.encode_journal_line(i2, ahead=True),
            records.encode_withdrawal("i0"),
            records.encode_journal_line(i1),
            b'{"v": 2, "withdrawn": 7}\n',
        ]
    )
    read = records.read_journal(journal)
    assert read.problems == ["line 6: not a withdrawal"]
    parsed = records.parse(read)
    assert set(parsed.incidents) == {"i1"}
    assert set(parsed.ahead) == {"i2"}  # neither raised nor withdrawn
    assert parsed.withdrawn == {"i0"}
    assert parsed.ahead["i2"].to_dict() == i2.to_dict()


def test_an_ahead_line_cut_short_is_a_torn_tail() -> None:
    line = records.encode_journal_line(book(1)["i0"], ahead=True)
    read = records.read_journal(line[:-20])
    assert read.torn_tail
    assert records.parse(read).ahead == {}
