"""The manifest and translation checks of `scripts/lint` find what they should."""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any

import pytest

from .bus import ROOT, load_script

INTEGRATION = ROOT / "custom_components" / "raadhus_alarm"


@pytest.fixture(name="copy")
def integration_copy(tmp_path: Path) -> Path:
    """The files the checks read, copied to a repository of their own."""
    target = tmp_path / "custom_components" / "raadhus_alarm"
    (target / "translations").mkdir(parents=True)
    for name in ("manifest.json", "strings.json", "services.yaml"):
        shutil.copy(INTEGRATION / name, target / name)
    for path in (INTEGRATION / "translations").glob("*.json"):
        shutil.copy(path, target / "translations" / path.name)
    shutil.copy(ROOT / "hacs.json", tmp_path / "hacs.json")
    return target


def _edit(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _errors(integration: Path) -> list[str]:
    errors: list[str] = load_script("validate").check(
        integration, integration.parent.parent
    )
    return errors


def test_the_repository_passes(copy: Path) -> None:
    assert _errors(INTEGRATION) == []
    assert _errors(copy) == []
    assert load_script("validate").main([str(INTEGRATION)]) == 0


def test_a_tag_in_a_translation_is_refused(copy: Path) -> None:
    def plant(data: dict[str, Any]) -> None:
        step = data["options"]["step"]["button_add"]["data_description"]
        step["mqtt_topic"] = "Tomt betyder zigbee2mqtt/<enhedens navn>."

    _edit(copy / "translations" / "da.json", plant)
    assert _errors(copy) == [
        "da.json: options.step.button_add.data_description.mqtt_topic "
        "has an HTML-like tag"
    ]
    assert load_script("validate").main([str(copy)]) == 1


def test_a_quoted_placeholder_is_refused(copy: Path) -> None:
    def plant(data: dict[str, Any]) -> None:
        data["options"]["step"]["button_edit_details"]["title"] = "Change '{item}'"

    _edit(copy / "translations" / "en.json", plant)
    assert _errors(copy) == [
        "en.json: options.step.button_edit_details.title quotes a placeholder"
    ]


@pytest.mark.parametrize("owners", [[], ["nobody"], None])
def test_codeowners_must_name_someone(copy: Path, owners: Any) -> None:
    def plant(data: dict[str, Any]) -> None:
        data["codeowners"] = owners

    _edit(copy / "manifest.json", plant)
    assert _errors(copy) == ["manifest.json: codeowners must name at least one @owner"]
