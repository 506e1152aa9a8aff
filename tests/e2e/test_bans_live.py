"""The attendance-ban view in the real demo Home Assistant (scripts/e2e).

Leder Lis (a leader) registers a ban through the panel's form; Betjent Bo
(an officer at the door) finds it by its case number in the list, with no
form, no buttons and no note. The ban is removed again through the action,
as Lis, so the demo stays as it was. Screenshots: bans-leader-form.png,
bans-leader.png, bans-officer.png.
"""

from __future__ import annotations

import json
from pathlib import Path
import time
from typing import Any
import urllib.request

from playwright.sync_api import Browser, Page, expect
import pytest
from test_panel_live import URL, demo, logged_in, login, shot  # noqa: F401

PANEL = "raadhus-alarm-panel"
pytestmark = pytest.mark.usefixtures("demo")  # a running demo, or a clear failure


def _open_bans(page: Page) -> None:
    page.goto(f"{URL}/raadhus-alarm")
    expect(page.locator(f"{PANEL} [data-room]").first).to_be_visible(timeout=60_000)
    page.locator(f"{PANEL} button.bans-btn").click()
    expect(page.locator(f"{PANEL} .root")).to_have_attribute("data-view", "bans")


def _remove(tokens: dict[str, Any], ban_id: str) -> None:
    request = urllib.request.Request(
        f"{URL}/api/services/raadhus_alarm/remove_ban",
        data=json.dumps({"ban_id": ban_id}).encode(),
        headers={
            "Authorization": f"Bearer {tokens['access_token']}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()


def test_a_leader_registers_a_ban_and_an_officer_finds_it(
    browser: Browser, artifacts: Path
) -> None:
    case = f"E2E-{int(time.time())}"
    lis_tokens = login("lis", "demo")
    lis = logged_in(browser, lis_tokens)
    _open_bans(lis)
    lis.locator(f"{PANEL} button.ban-new").click()
    form = lis.locator(f'{PANEL} .dialog[data-dialog="ban"]')
    expect(form).to_be_visible()
    form.locator('[data-field="case_reference"]').fill(case)
    form.locator('[data-field="centre"]').fill("Jobcenter")
    form.locator('[data-field="note"]').fill("Kun til registret")
    shot(lis, artifacts, "bans-leader-form.png")
    form.locator("[data-save]").click()
    row = lis.locator(f"{PANEL} li.ban-row", has_text=case)
    expect(row).to_be_visible(timeout=10_000)
    expect(row.locator(".ban-note")).to_contain_text("Kun til registret")
    ban_id = row.get_attribute("data-ban")
    assert ban_id
    shot(lis, artifacts, "bans-leader.png")
    try:
        bo = logged_in(browser, login("bo", "demo"))
        _open_bans(bo)
        bo.locator(f"{PANEL} input.ban-search").fill(case)
        found = bo.locator(f"{PANEL} li.ban-row")
        expect(found).to_have_count(1)
        expect(found).to_contain_text("Jobcenter")
        expect(found).to_contain_text("Leder Lis")
        expect(bo.locator(f"{PANEL} button.ban-new")).to_be_hidden()
        expect(
            found.locator("[data-ban-change], [data-ban-end], .ban-note")
        ).to_have_count(0)
        shot(bo, artifacts, "bans-officer.png")
        bo.context.close()
    finally:
        _remove(lis_tokens, ban_id)
        lis.context.close()
