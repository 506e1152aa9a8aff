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
    for path in journals(folder):
        for raw in records.read_journal(path.read_bytes()).records:
            found[raw["id"]] = raw
    return found


def snapshot(hass: HomeAssistant) -> dict[str, Any]:
    """The snapshot file, decoded."""
    path = Path(hass.config.path(".storage")) / SNAPSHOT_NAME
    result: dict[str, Any] = json.loads(path.read_bytes())
    return result


def journal_bytes(hass: HomeAssistant) -> int:
    """How much the journal generations hold in all."""
    return sum(p.stat().st_size for p in journals(Path(hass.config.path(".storage"))))
