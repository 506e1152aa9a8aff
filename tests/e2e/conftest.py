"""Fixtures for the panel's browser tests: Debian's Chromium driven by Playwright.

Playwright's own browser download is never used: the browser is the system's
Chromium (RAADHUS_E2E_CHROMIUM, default /usr/bin/chromium), started headless
with a fresh profile. Screenshots go to RAADHUS_E2E_ARTIFACTS (default
artifacts/screenshots in the repository).
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("RAADHUS_E2E_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(
    os.environ.get("RAADHUS_E2E_ARTIFACTS", REPO / "artifacts" / "screenshots")
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    # What a normal browser does on a site the user has not interacted with:
    # no sound before a click. Explicit, so the "enable sound" step is always
    # exercised (headless Chromium otherwise decides per origin).
    "--autoplay-policy=document-user-activation-required",
]

try:
    from playwright.sync_api import Browser, sync_playwright
except ImportError:  # pragma: no cover - scripts/e2e installs it
    pytest.exit(
        "playwright is not installed in this Python: run scripts/e2e "
        "(it installs requirements_e2e.txt into .venv)",
        returncode=2,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the session (each test gets its own context)."""
    if not CHROMIUM.exists():
        pytest.exit(
            f"no Chromium at {CHROMIUM}: install Debian's (apt-get install chromium "
            "fonts-dejavu) or set RAADHUS_E2E_CHROMIUM",
            returncode=2,
        )
    with sync_playwright() as playwright:
        # launch() gives every run a fresh temporary profile (user-data-dir).
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (kept as CI artifacts)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
