"""Read the incident log back from disk, as a restart would (for assertions)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant

from custom_components.raadhus_alarm import records
from custom_components.raadhus_alarm.log_reading import (
    JOURNAL_PREFIX,
    LEGACY_ARCHIVE_NAME,
    SNAPSHOT_NAME,
)


def journals(folder: Path) -> list[Path]:
    """The journal generations, oldest first."""
    found = [
        p
        for p in folder.glob(f"{JOURNAL_PREFIX}*")
        if p.name.removeprefix(JOURNAL_PREFIX).isdigit()
    ]
    return sorted(found, key=lambda p: int(p.name.removeprefix(JOURNAL_PREFIX)))


def on_disk(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """Every incident on disk, newest copy of each, as stored dicts."""
    folder = Path(hass.config.path(".storage"))
    found: dict[str, dict[str, Any]] = {}
    for name in (LEGACY_ARCHIVE_NAME, SNAPSHOT_NAME):
        path = folder / name
        if path.exists():
            for raw in records.read_snapshot(path.read_bytes()).records:
                found[raw["id"]] = raw
    for raw in journal_records(hass):
        if isinstance(raw, dict):  # not a line written ahead or a withdrawal
            found[raw["id"]] = raw
    return found


def journal_records(hass: HomeAssistant) -> list[Any]:
    """Every journal line, oldest first: incidents (dicts), written-ahead
    alarms (`records.WrittenAhead`) and withdrawals (`records.Withdrawn`)."""
    folder = Path(hass.config.path(".storage"))
    return [
        record
        for path in journals(folder)
        for record in records.read_journal(path.read_bytes()).records
    ]


def ahead_on_disk(hass: HomeAssistant) -> dict[str, dict[str, Any]]:
    """Alarms written ahead that no incident line or withdrawal has settled."""
    ahead: dict[str, dict[str, Any]] = {}
    for record in journal_records(hass):
        if isinstance(record, records.WrittenAhead):
            ahead[record.raw["id"]] = record.raw
        elif isinstance(record, records.Withdrawn):
            ahead.pop(record.incident_id, None)
        else:
            ahead.pop(record["id"], None)
    return ahead


def snapshot(hass: HomeAssistant) -> dict[str, Any]:
    """The snapshot file, decoded."""
    path = Path(hass.config.path(".storage")) / SNAPSHOT_NAME
    result: dict[str, Any] = json.loads(path.read_bytes())
    return result


def journal_bytes(hass: HomeAssistant) -> int:
    """How much the journal generations hold in all."""
    return sum(p.stat().st_size for p in journals(Path(hass.config.path(".storage"))))
