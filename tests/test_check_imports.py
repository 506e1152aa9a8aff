"""The import-graph check of `scripts/lint` finds what it is there to find."""

from __future__ import annotations

from pathlib import Path
import shutil
from types import ModuleType

import pytest

from .bus import load_script

ROOT = Path(__file__).resolve().parent.parent


def _checker() -> ModuleType:
    return load_script("check_imports")


@pytest.fixture(name="package")
def package_copy(tmp_path: Path) -> Path:
    """A copy of the integration's modules to plant problems in."""
    copy = tmp_path / "raadhus_alarm"
    copy.mkdir()
    for source in (ROOT / "custom_components" / "raadhus_alarm").glob("*.py"):
        shutil.copy(source, copy / source.name)
    return copy


def _plant(package: Path, module: str, line: str) -> None:
    path = package / f"{module}.py"
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_repository_passes() -> None:
    assert _checker().check(ROOT / "custom_components" / "raadhus_alarm") == []


def test_a_cycle_is_found(package: Path) -> None:
    _plant(package, "incident", "from . import core")
    problems = _checker().check(package)
    assert any(p.startswith("import cycle:") and "core" in p for p in problems)
    assert any("incident (layer 0) imports core" in p for p in problems)


def test_the_core_importing_a_consumer_is_found(package: Path) -> None:
    _plant(package, "core", "from .notifier import Notifier")
    problems = _checker().check(package)
    assert any("core (layer 2) imports notifier (layer 3)" in p for p in problems)


def test_buttons_importing_the_core_is_found(package: Path) -> None:
    _plant(package, "buttons", "from .core import AlarmCore")
    problems = _checker().check(package)
    assert any("buttons (layer 1) imports core (layer 2)" in p for p in problems)


def test_home_assistant_in_pure_logic_is_found(package: Path) -> None:
    _plant(package, "hold", "from homeassistant.core import callback")
    problems = _checker().check(package)
    assert "hold is pure logic but imports Home Assistant" in problems


def test_a_module_without_a_layer_is_found(package: Path) -> None:
    (package / "newthing.py").write_text("from . import core\n")
    assert "newthing has no layer in scripts/check_imports.py" in _checker().check(
        package
    )
