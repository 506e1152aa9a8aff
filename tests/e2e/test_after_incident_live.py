"""After the incident, in the real demo Home Assistant (scripts/e2e).

An alarm in Kontaktrum 2 is raised and resolved through the actions (as
Leder Lis); in the panel Lis opens the follow-up, records the debrief with
whom it was held and ticks crisis help off, then marks the alarm debriefed;
the statistics view shows this month's alarm in its chart. Screenshots:
followup-live.png, statistics-live.png (also kept as the README's
docs/panel-followup.png and docs/panel-statistics.png).
"""

from __future__ import annotations

import json
from pathlib import Path
import shutil
from typing import Any
import urllib.request

from conftest import REPO
from playwright.sync_api import Browser, expect
import pytest
from test_panel_live import URL, demo, logged_in, login, shot  # noqa: F401

PANEL = "raadhus-alarm-panel"
pytestmark = pytest.mark.usefixtures("demo")


def _service(tokens: dict[str, Any], service: str, data: dict[str, Any]) -> Any:
    request = urllib.request.Request(
        f"{URL}/api/services/raadhus_alarm/{service}?return_response",
        data=json.dumps(data).encode(),
        headers={
            "Authorization": f"Bearer {tokens['access_token']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_a_leader_follows_up_and_sees_the_statistics(
    browser: Browser, artifacts: Path
) -> None:
    tokens = login("lis", "demo")
    raised = _service(tokens, "trigger", {"room": "Kontaktrum 2"})
    incident_id = raised["service_response"]["incident_id"]
    _service(tokens, "acknowledge", {"incident_id": incident_id})
    _service(
        tokens, "resolve", {"incident_id": incident_id, "resolution": "citizen_left"}
    )
    page = logged_in(browser, tokens)
    page.goto(f"{URL}/raadhus-alarm")
    expect(page.locator(f"{PANEL} [data-room]").first).to_be_visible(timeout=60_000)
    page.locator(f"{PANEL} button.followup-btn").click()
    card = page.locator(f'{PANEL} li.fu-card[data-followup="{incident_id}"]')
    expect(card).to_be_visible(timeout=10_000)
    expect(card.locator(".fu-crisis")).to_be_visible()
    expect(card.locator(".fu-cvr")).to_be_visible()

    card.locator('[data-tick="debrief"]').click()
    persons = page.locator(f'{PANEL} .dialog[data-dialog="debrief_persons"]')
    expect(persons).to_be_visible()
    persons.get_by_label("Betjent Bo").check()
    persons.locator("[data-confirm]").click()
    expect(card.locator('[data-item="debrief"]')).to_have_attribute("data-done", "true")
    expect(card.locator('[data-item="debrief"] .fu-persons')).to_contain_text(
        "Betjent Bo"
    )
    crisis = card.locator('[data-tick="crisis_help_offered"]')
    crisis.click()
    expect(crisis).to_have_attribute("aria-checked", "true")
    card.locator('[data-action="debriefed"]').click()
    page.locator(f'{PANEL} .dialog[data-dialog="debriefed"] [data-confirm]').click()
    expect(card).to_have_attribute("data-state", "debriefed")
    shot(page, artifacts, "followup-live.png")

    page.locator(f"{PANEL} button.stats-btn").click()
    stats = page.locator(f"{PANEL} section.stats")
    expect(stats).not_to_have_attribute("data-loading", "true", timeout=10_000)
    bars = stats.locator("svg.chart rect.bar")
    expect(bars.last).to_be_visible()
    assert int(bars.last.get_attribute("data-count") or "0") >= 1
    last = stats.locator('[data-stat-group="last_30_days"] [data-stat="count"]')
    expect(last.locator(".stat-value")).not_to_have_text("–")
    shot(page, artifacts, "statistics-live.png")
    docs = REPO / "docs"
    shutil.copy(artifacts / "followup-live.png", docs / "panel-followup.png")
    shutil.copy(artifacts / "statistics-live.png", docs / "panel-statistics.png")
    page.context.close()
