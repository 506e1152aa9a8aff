"""Shared fixtures for the Rådhus Alarm tests."""

from __future__ import annotations

from collections.abc import AsyncGenerator
import os
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from hypothesis import settings
import pytest

# Import the project's custom_components package before Home Assistant looks
# for one, so the test plugin's own testing_config package does not win.
import custom_components.raadhus_alarm  # noqa: F401

from .phones import Phones
from .world import START, World, async_build_world, async_teardown_world

# CI runs the property tests with a fixed seed (a landing must not hinge on a
# lucky draw); developers' runs explore new examples each time.
settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Enable loading the integration from custom_components in every test."""


def pytest_configure(config: Any) -> None:
    """Register markers used by the suite."""
    config.addinivalue_line("markers", "slow: slower end-to-end tests")


@pytest.fixture
async def world(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, world_time: str
) -> AsyncGenerator[World]:
    """The test world, by default on a Monday morning in Copenhagen."""
    freezer.move_to(world_time)
    yield await async_build_world(hass)
    await async_teardown_world(hass)


@pytest.fixture
def world_time() -> str:
    """When the world is built (override with parametrize)."""
    return START


@pytest.fixture(autouse=True)
def config_dir_per_test(hass: HomeAssistant, tmp_path: Any) -> None:
    """Give each test its own config folder: the incident log is real files."""
    hass.config.config_dir = str(tmp_path)


@pytest.fixture
def phones(hass: HomeAssistant) -> Phones:
    """The phones' push services, recorded."""
    return Phones(hass)
