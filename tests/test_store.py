"""The incident log on disk: damaged files, newer versions, a failing disk, migration.

Every case starts a real Home Assistant on a config folder holding the files
as they would be found, and checks what a town hall needs: the open incidents
that can be read are open, buttons still raise alarms that are sent, the
damaged file is kept beside the new one, and the administrators are told.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm import durable, records
from custom_components.raadhus_alarm.const import DOMAIN
from custom_components.raadhus_alarm.core import LEFT_AHEAD_NOTE, Request
from custom_components.raadhus_alarm.incident import IncidentBook, IncidentState
from custom_components.raadhus_alarm.log_reading import JOURNAL_PREFIX
from custom_components.raadhus_alarm.permissions import Action, Caller

from .logfiles import journals, on_disk
from .phones import Phones
from .test_alarm_bus import advance, alarm_on, zha
from .test_routing import routed_options
from .world import World, async_setup_town_hall

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def old_log() -> IncidentBook:
    """Two open incidents (Akutrum 2, Venteområde) and two closed ones."""
    book = IncidentBook()
    for n, room in enumerate(("a2", "v", "k2", "a1")):
        incident, _ = book.raise_alarm(
            room_id=room,
            room_name={"a2": "Akutrum 2", "v": "Venteområde"}.get(room, room),
            trigger_source="device",
            hold_seconds=2.0,
            at=T0 + timedelta(minutes=n),
            source="button",
            new_id=lambda n=n: f"old{n}",
        )
        if room in ("k2", "a1"):
            book.transition(
                incident.id,
                IncidentState.RESOLVED,
                at=T0 + timedelta(minutes=n, seconds=30),
                source="service",
            )
    return book


def envelope(key: str, incidents: list[dict[str, Any]], version: int = 1) -> bytes:
    """A file as Home Assistant's storage helper (version 1) wrote it."""
    return json.dumps(
        {
            "version": version,
            "minor_version": 1,
            "key": key,
            "data": {"incidents": incidents},
        },
        indent=4,
    ).encode()


def storage(hass: HomeAssistant) -> Path:
    folder = Path(hass.config.path(".storage"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_v1(hass: HomeAssistant, book: IncidentBook) -> tuple[Path, Path]:
    """The version-1 pair: open (and recent) incidents, and the archive."""
    folder = storage(hass)
    active = folder / "raadhus_alarm.incidents"
    archive = folder / "raadhus_alarm.archive"
    active.write_bytes(
        envelope(
            "raadhus_alarm.incidents", [i.to_dict() for i in book.open_incidents()]
        )
    )
    archive.write_bytes(
        envelope(
            "raadhus_alarm.archive",
            [i.to_dict() for i in book.all() if not i.is_open],
        )
    )
    return active, archive


async def start(hass: HomeAssistant, world: World) -> tuple[MockConfigEntry, Phones]:
    phones = Phones(hass)
    return await async_setup_town_hall(hass, routed_options(world)), phones


def copies_of(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.damaged-*"))


def issue(hass: HomeAssistant, issue_id: str) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(DOMAIN, issue_id)


async def assert_buttons_still_alarm(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory, phones: Phones
) -> None:
    """Kontaktrum 1's button raises an alarm that reaches the officers."""
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    assert alarm_on(hass, "kontaktrum_1")
    assert "betjent_bo" in phones.alarmed()


# -- migration -------------------------------------------------------------


async def test_version_1_log_is_migrated_with_its_open_incidents(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    active, archive = write_v1(hass, old_log())
    entry, phones = await start(hass, world)
    book = entry.runtime_data.core.book
    assert sorted(i.id for i in book.open_incidents()) == ["old0", "old1"]
    assert book["old2"].state == "resolved"
    assert alarm_on(hass, "akutrum_2")
    assert alarm_on(hass, "venteomrade")
    await hass.async_block_till_done()  # the migrating snapshot
    snapshot = json.loads(active.read_bytes())
    assert snapshot["version"] == 2
    assert sorted(i["id"] for i in snapshot["data"]["incidents"]) == [
        "old0",
        "old1",
        "old2",
        "old3",
    ]
    assert not archive.exists()
    assert issue(hass, "log_damaged") is None
    # The migrated alarm can be finished, and a new one raised.
    await hass.services.async_call(
        DOMAIN, "resolve", {"incident_id": "old0"}, blocking=True
    )
    assert not alarm_on(hass, "akutrum_2")
    await assert_buttons_still_alarm(hass, world, freezer, phones)


# -- damaged files -------------------------------------------------------------


def _truncate(data: bytes) -> bytes:
    # Cut inside the second incident: the first one is whole.
    second = data.index(b'"id"', data.index(b'"id"') + 1)
    return data[: second + 40]


DAMAGE = {
    "truncated": _truncate,
    "emptied": lambda data: b"",
    "random_bytes": lambda data: bytes(range(256)) * 7,
    "wrong_shape": lambda data: json.dumps({"version": 1, "data": []}).encode(),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
async def test_damaged_active_file(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    damage: str,
) -> None:
    active, _ = write_v1(hass, old_log())
    original = DAMAGE[damage](active.read_bytes())
    active.write_bytes(original)
    entry, phones = await start(hass, world)
    await hass.async_block_till_done()
    book = entry.runtime_data.core.book
    # What could be read is kept: the truncated file still had its first
    # incident whole; the archive (closed ones) was not damaged.
    expected_open = ["old0"] if damage == "truncated" else []
    assert sorted(i.id for i in book.open_incidents()) == expected_open
    assert {"old2", "old3"} <= {i.id for i in book.all()}
    # The damaged file is kept beside the new one, byte for byte.
    (copy,) = copies_of(active)
    assert copy.read_bytes() == original
    found = issue(hass, "log_damaged")
    assert found is not None
    assert found.severity is ir.IssueSeverity.CRITICAL
    assert found.translation_placeholders["copies"] == copy.name
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert any("damaged" in n["title"] for n in notifications.values())
    await assert_buttons_still_alarm(hass, world, freezer, phones)
    # The next start reads the rewritten log cleanly and keeps the copy.
    assert copies_of(active) == [copy]


async def test_one_bad_record_is_quarantined_not_fatal(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    book = old_log()
    active, archive = write_v1(hass, book)
    data = json.loads(active.read_bytes())
    del data["data"]["incidents"][0]["created_at"]  # old0 is unreadable
    active.write_bytes(json.dumps(data).encode())
    arch = json.loads(archive.read_bytes())
    arch["data"]["incidents"][0]["steps"][-1]["state"] = "teleported"  # old2
    archive.write_bytes(json.dumps(arch).encode())
    entry, phones = await start(hass, world)
    core_book = entry.runtime_data.core.book
    assert [i.id for i in core_book.open_incidents()] == ["old1"]
    assert "old3" in core_book
    assert "old2" not in core_book
    found = issue(hass, "log_damaged")
    assert found is not None
    problems = found.translation_placeholders["problems"]
    assert "old0" in problems
    assert "teleported" in problems
    assert len(copies_of(active)) == 1
    assert len(copies_of(archive)) == 1
    await assert_buttons_still_alarm(hass, world, freezer, phones)


async def test_a_newer_version_is_refused_and_never_touched(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    active, archive = write_v1(hass, old_log())
    archive.unlink()
    newer = envelope("raadhus_alarm.incidents", [{"id": "from-the-future"}], 3)
    active.write_bytes(newer)
    entry, phones = await start(hass, world)
    found = issue(hass, "log_newer_version")
    assert found is not None
    assert found.severity is ir.IssueSeverity.CRITICAL
    assert entry.runtime_data.core.log.frozen
    await assert_buttons_still_alarm(hass, world, freezer, phones)
    entry.runtime_data.core.log.async_request_snapshot()
    await hass.async_block_till_done()
    assert active.read_bytes() == newer
    # The new alarm is in a journal of its own, read again after a restart.
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id in on_disk(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert incident.id in entry.runtime_data.core.book
    assert active.read_bytes() == newer


async def test_a_damaged_journal_line_loses_only_that_change(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    entry, _ = await start(hass, world)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"incident_id": incident.id}, blocking=True
    )
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(entry.entry_id)
    (journal,) = journals(storage(hass))
    lines = journal.read_bytes().splitlines(keepends=True)
    last = lines[-1]
    journal.write_bytes(b"".join([*lines[:-1], b"{garbage\n", last[: len(last) // 2]]))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    restored = entry.runtime_data.core.book[incident.id]
    assert restored.is_open  # the torn last line cost one change at most
    assert issue(hass, "log_damaged") is not None
    assert len(copies_of(journal)) == 1


# -- a failing disk -------------------------------------------------------------


def _disk_full(self: durable.Journal, data: bytes) -> None:
    raise OSError(28, "No space left on device")


async def test_a_failing_disk_is_reported_at_once_and_retried(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry, phones = await start(hass, world)

    monkeypatch.setattr(durable.Journal, "append", _disk_full)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    # The alarm went out anyway, and the administrators know within one write.
    assert alarm_on(hass, "kontaktrum_1")
    assert "betjent_bo" in phones.alarmed()
    found = issue(hass, "storage_failed")
    assert found is not None
    assert found.severity is ir.IssueSeverity.CRITICAL
    assert "No space left" in found.translation_placeholders["error"]
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id not in on_disk(hass)
    # Still failing: retried, still reported, nothing lost in memory.
    await advance(hass, freezer, 1)
    assert issue(hass, "storage_failed") is not None
    monkeypatch.undo()
    await advance(hass, freezer, 2)
    assert issue(hass, "storage_failed") is None
    stored = on_disk(hass)[incident.id]
    assert stored["steps"][0]["state"] == "triggered"


async def test_a_failing_snapshot_is_reported_and_never_holds_an_alarm(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry, phones = await start(hass, world)
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 2"}, blocking=True
    )

    def _read_only(path: Path, data: bytes) -> None:
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(durable, "write_atomic", _read_only)
    entry.runtime_data.core.log.async_request_snapshot()
    await hass.async_block_till_done()
    found = issue(hass, "snapshot_failed")
    assert found is not None
    assert found.severity is ir.IssueSeverity.ERROR
    assert issue(hass, "storage_failed") is None  # the journal still works
    # An alarm meanwhile goes out at once and is in the journal.
    await assert_buttons_still_alarm(hass, world, freezer, phones)
    (incident,) = [
        i for i in entry.runtime_data.core.book.open_incidents() if i.room_id == "k1"
    ]
    assert incident.id in on_disk(hass)
    monkeypatch.undo()
    await advance(hass, freezer, 2)
    assert issue(hass, "snapshot_failed") is None
    assert (storage(hass) / "raadhus_alarm.incidents").exists()


async def test_every_alarm_during_a_disk_outage_goes_out_at_once(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not only the first: the later ones must not wait for the retry either."""
    entry, phones = await start(hass, world)

    monkeypatch.setattr(durable.Journal, "append", _disk_full)
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Akutrum 1"}, blocking=True
    )
    assert issue(hass, "storage_failed") is not None
    phones.clear()
    # Still failing, the retry 1 s away: a button alarm is sent at once.
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    assert alarm_on(hass, "kontaktrum_1")
    assert "betjent_bo" in phones.alarmed()
    acknowledged = await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"room": "Akutrum 1"},
        blocking=True,
        return_response=True,
    )
    assert acknowledged is not None
    assert acknowledged["state"] == "acknowledged"
    book = entry.runtime_data.core.book
    assert on_disk(hass) == {}
    monkeypatch.undo()
    await advance(hass, freezer, 10)
    assert issue(hass, "storage_failed") is None
    # Written in the order they were made: the newest copy of each is on disk.
    assert on_disk(hass) == {i.id: i.to_dict() for i in book.all()}
    assert {i.state for i in book.all()} == {"acknowledged", "triggered"}


async def test_an_alarm_during_the_unload_is_written_and_sent(
    hass: HomeAssistant, world: World
) -> None:
    entry, phones = await start(hass, world)
    core = entry.runtime_data.core
    request = Request(
        Action.RAISE, Caller.device("Knap"), "button", room="k2", hold_seconds=2.0
    )
    incident, _ = core.async_submit(request)  # raised, not yet written
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert incident.id in on_disk(hass)
    assert "betjent_bo" in phones.alarmed()


async def test_one_unreadable_file_keeps_the_others(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    active, archive = write_v1(hass, old_log())
    real = durable.read_bytes

    def _archive_unreadable(path: Path) -> bytes | None:
        if path == archive:
            raise OSError(5, "Input/output error", str(path))
        return real(path)

    monkeypatch.setattr(durable, "read_bytes", _archive_unreadable)
    entry, phones = await start(hass, world)
    book = entry.runtime_data.core.book
    assert sorted(i.id for i in book.open_incidents()) == ["old0", "old1"]
    assert issue(hass, "log_unreadable") is not None
    assert entry.runtime_data.core.log.frozen
    await assert_buttons_still_alarm(hass, world, freezer, phones)
    monkeypatch.undo()
    assert archive.exists()
    assert active.exists()


async def test_an_unreadable_log_folder_never_stops_the_alarm(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def _denied(path: Path) -> bytes | None:
        raise PermissionError(13, "Permission denied", str(path))

    write_v1(hass, old_log())
    monkeypatch.setattr(durable, "read_bytes", _denied)
    entry, phones = await start(hass, world)
    assert issue(hass, "log_unreadable") is not None
    assert entry.runtime_data.core.log.frozen
    await assert_buttons_still_alarm(hass, world, freezer, phones)
    monkeypatch.undo()
    # Nothing stored was touched; the new alarm is in a journal of its own.
    assert (storage(hass) / "raadhus_alarm.archive").exists()
    names = [p.name for p in journals(storage(hass))]
    assert len(names) == 1
    assert names[0].startswith(JOURNAL_PREFIX)


async def test_an_ahead_line_is_settled_by_a_later_journal_generation(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Across generations: withdrawn or raised later, it is not raised again."""
    folder = storage(hass)
    incidents = IncidentBook()
    made = []
    for n, room in enumerate(("k1", "k2", "a1")):
        made.append(
            incidents.new_alarm(
                room_id=room,
                room_name=room,
                trigger_source=f"device-{n}",
                hold_seconds=2.0,
                at=T0,
                source="button",
                new_id=lambda n=n: f"ahead{n}",
            )
        )
    withdrawn, raised, _left = made
    raised.raised_at = T0
    (folder / f"{JOURNAL_PREFIX}1").write_bytes(
        b"".join(records.encode_journal_line(i, ahead=True) for i in made)
    )
    (folder / f"{JOURNAL_PREFIX}2").write_bytes(
        records.encode_withdrawal(withdrawn.id) + records.encode_journal_line(raised)
    )
    entry = await async_setup_town_hall(hass, routed_options(world))
    book = entry.runtime_data.core.book
    assert sorted(i.id for i in book.open_incidents()) == ["ahead1", "ahead2"]
    assert book["ahead1"].notes == []  # raised before the stop: as it was
    assert book["ahead2"].raised_at is not None
    assert book["ahead2"].notes[0].endswith(LEFT_AHEAD_NOTE)
    assert "ahead0" not in book
    await hass.async_block_till_done()
    assert on_disk(hass)["ahead2"]["steps"][0]["state"] == "triggered"
