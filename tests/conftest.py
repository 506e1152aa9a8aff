"""Shared fixtures for the Rådhus Alarm tests."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

# Import the project's custom_components package before Home Assistant looks
# for one, so the test plugin's own testing_config package does not win.
import custom_components.raadhus_alarm  # noqa: F401
import pytest


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    enable_custom_integrations: None,
) -> Generator[None]:
    """Enable loading the integration from custom_components in every test."""
    yield


def pytest_configure(config: Any) -> None:
    """Register markers used by the suite."""
    config.addinivalue_line("markers", "slow: slower end-to-end tests")
