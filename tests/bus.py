"""Shared test helpers: the radios' bus events, the frozen clock, scripts/.

The event shapes are those ZHA and Z-Wave JS put on Home Assistant's bus.
"""

from __future__ import annotations

from datetime import timedelta
import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed_exact,
)

ROOT = Path(__file__).resolve().parent.parent
ZWAVE_RAW = {"KeyPressed": 0, "KeyReleased": 1, "KeyHeldDown": 2}


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let `seconds` pass, running every timer that falls due."""
    freezer.tick(timedelta(seconds=seconds))
    # 1 µs of slack: the loop's timer handles carry float rounding (~0.2 µs at
    # today's timestamps); decisions use the detector's exact deadline.
    async_fire_time_changed_exact(hass, dt_util.utcnow() + timedelta(microseconds=1))
    await hass.async_block_till_done()


def zha_data(device_id: str, command: str, args: Any = None) -> dict[str, Any]:
    """A zha_event's data as ZHA fires it for a remote's button."""
    return {
        "device_ieee": "00:15:8d:00:01:02:03:04",
        "unique_id": "00:15:8d:00:01:02:03:04:1:0x0012",
        "device_id": device_id,
        "endpoint_id": 1,
        "cluster_id": 18,
        "command": command,
        "args": args or [],
        "params": {},
    }


def zwave_data(device_id: str, value: str) -> dict[str, Any]:
    """A Central Scene value notification as Z-Wave JS fires it."""
    return {
        "domain": "zwave_js",
        "node_id": 7,
        "home_id": 3967745454,
        "endpoint": 0,
        "device_id": device_id,
        "command_class": 91,
        "command_class_name": "Central Scene",
        "label": "Scene 001",
        "property": "scene",
        "property_name": "scene",
        "property_key": "001",
        "property_key_name": "001",
        "value": value,
        "value_raw": ZWAVE_RAW.get(value, 3),
    }


def load_script(name: str) -> ModuleType:
    """A module of scripts/ (they are not a package)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def jump_to(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, when: str
) -> None:
    """Let the clock jump to `when` (ISO); every timer due by then runs."""
    target = dt_util.parse_datetime(when)
    assert target is not None
    await advance(hass, freezer, (target - dt_util.utcnow()).total_seconds())
