"""The panel in a real Home Assistant with the demo town hall (scripts/e2e).

Needs a running demo (scripts/develop --reset --background; scripts/e2e does
that). Logs in as officer `bo` through Home Assistant's auth API (login flow
→ authorization code → tokens) and hands the tokens to the frontend through
localStorage `hassTokens`, the way the frontend stores its own login. Then it
holds the demo button of Kontaktrum 1 with scripts/simulate and follows the
alarm through the panel: ALARM within 1 s of the hold threshold, acknowledge
(the tile shows who), on scene, resolve (confirmed, with a reason; back to
idle), and the alarm in the history. Screenshots: idle.png, alarm.png,
acknowledged.png, on_scene.png, resolve-dialog.png, resolved.png,
history.png, and button-offline.png (a demo button taken offline shows on
the panel).

Timing, honestly: scripts/simulate prints a wall-clock stamp on the line
just before it starts holding and another when the first event's HTTP call
has returned. Home Assistant received the event between the two, so the
threshold lies between (first stamp + 2.0 s) and (second stamp + 2.0 s). The
test takes the earliest, which can only make the measured delay longer.
The browser records Date.now() in a MutationObserver the moment the tile's
data-state becomes "triggered", and again at the next animation frame (when
it is painted); the assertion uses the painted time. Simulate, pytest and
Chromium run on one machine and read the same clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time as dtime, timedelta
import json
import os
from pathlib import Path
import re
import subprocess
import sys
import threading
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

from conftest import REPO
from playwright.sync_api import Browser, Page, expect
import pytest

URL = os.environ.get("RAADHUS_E2E_URL", "http://127.0.0.1:8123").rstrip("/")
CLIENT_ID = URL + "/"
USER, PASSWORD, USER_NAME = "bo", "demo", "Betjent Bo"
ROOM = "Kontaktrum 1"
# Held well past the threshold: the release must not be what raises the alarm
# (an alarm raised only at the release, 2 s late, must fail this test, not
# pass 0.5 s late as it would with a 2.5 s hold).
HOLD_SECONDS = 4.0
THRESHOLD = 2.0  # the demo's hold threshold (the integration's default)
MAX_DELAY = 1.0  # R12 / issue: ALARM on the panel within 1 s of the threshold
WALL = {"width": 1920, "height": 1080}
TILE = f'[data-room="{ROOM}"]'
ALARM_SENSOR = "binary_sensor.kontaktrum_1_alarm"  # on while an incident is open
STAMP = r"(\d\d:\d\d:\d\d\.\d{3})"
HOLDING = re.compile(rf"^{STAMP} .* holding ")  # printed just before the hold
EVENT = re.compile(rf"^{STAMP} \+\s*[\d.]+s\s")  # printed after an event's call

# The panel's shadow root, found through Home Assistant's own shadow roots.
FIND_PANEL = """
() => {
  const find = (root) => {
    const hit = root.querySelector("raadhus-alarm-panel");
    if (hit) return hit;
    for (const el of root.querySelectorAll("*")) {
      if (el.shadowRoot) {
        const inner = find(el.shadowRoot);
        if (inner) return inner;
      }
    }
    return null;
  };
  return find(document);
}
"""

WATCH_ALARM = """
(panel, selector) => {
  window.__alarmSeen = null;
  const root = panel.shadowRoot;
  const seen = () => {
    if (window.__alarmSeen || !root.querySelector(selector)) return;
    const record = { dom: Date.now(), frame: null };
    window.__alarmSeen = record;
    requestAnimationFrame(() => { record.frame = Date.now(); });
    observer.disconnect();
  };
  const observer = new MutationObserver(seen);
  observer.observe(root, { subtree: true, childList: true, attributes: true,
                           attributeFilter: ["data-state"] });
  seen();
}
"""


def post(path: str, data: dict[str, Any], form: bool = False) -> dict[str, Any]:
    body = urllib.parse.urlencode(data).encode() if form else json.dumps(data).encode()
    kind = "application/x-www-form-urlencoded" if form else "application/json"
    request = urllib.request.Request(
        URL + path, data=body, headers={"Content-Type": kind}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def login(username: str, password: str) -> dict[str, Any]:
    """Tokens for a user, through the same login flow the frontend uses."""
    flow = post(
        "/auth/login_flow",
        {
            "client_id": CLIENT_ID,
            "handler": ["homeassistant", None],
            "redirect_uri": CLIENT_ID,
        },
    )
    result = post(
        f"/auth/login_flow/{flow['flow_id']}",
        {"username": username, "password": password, "client_id": CLIENT_ID},
    )
    assert result.get("type") == "create_entry", result
    tokens = post(
        "/auth/token",
        {
            "grant_type": "authorization_code",
            "code": result["result"],
            "client_id": CLIENT_ID,
        },
        form=True,
    )
    # The frontend's own format (home-assistant-js-websocket saveTokens).
    return tokens | {
        "hassUrl": URL,
        "clientId": CLIENT_ID,
        "expires": int(time.time() * 1000) + tokens["expires_in"] * 1000,
    }


def wall_clock(stamp: str) -> float:
    """simulate's local HH:MM:SS.mmm (printed moments ago) as a Unix time."""
    moment = datetime.combine(date.today(), dtime.fromisoformat(stamp))
    if moment > datetime.now() + timedelta(hours=12):  # printed before midnight
        moment -= timedelta(days=1)
    return moment.timestamp()


class Simulate:
    """scripts/simulate in the background, its stamped lines collected."""

    def __init__(self, *args: str) -> None:
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "scripts" / "simulate"), "--url", URL, *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout
        for line in self.process.stdout:
            print("simulate:", line.rstrip())
            self.lines.append(line.rstrip())

    def first_event(self, timeout: float = 20) -> tuple[float, float]:
        """(stamp before the first event was sent, stamp after its call)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = next(filter(None, map(HOLDING.match, self.lines)), None)
            after = next(filter(None, map(EVENT.match, self.lines)), None)
            if before and after:
                return wall_clock(before[1]), wall_clock(after[1])
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.01)
        pytest.fail("scripts/simulate printed no event:\n" + "\n".join(self.lines))

    def wait(self, timeout: float = 30) -> None:
        assert self.process.wait(timeout) == 0, "\n".join(self.lines)
        self._reader.join(5)


@pytest.fixture(scope="module")
def demo() -> None:
    try:
        urllib.request.urlopen(URL + "/manifest.json", timeout=5).close()
    except (OSError, urllib.error.URLError) as err:
        pytest.fail(
            f"no Home Assistant at {URL} ({err}); run scripts/e2e, or start the "
            "demo first: scripts/develop --reset --background"
        )


@pytest.fixture
def tokens(demo: None) -> dict[str, Any]:
    return login(USER, PASSWORD)


def ha_state(tokens: dict[str, Any], entity_id: str) -> str:
    request = urllib.request.Request(
        f"{URL}/api/states/{entity_id}",
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())["state"]


def logged_in(browser: Browser, tokens: dict[str, Any]) -> Page:
    """A new browser context and page, logged in as the tokens' user."""
    context = browser.new_context(viewport=WALL, locale="da-DK")
    # Logged in before the first script runs, as after a real login.
    context.add_init_script(
        f"if (location.origin === {json.dumps(URL)})"
        f" localStorage.setItem('hassTokens', {json.dumps(json.dumps(tokens))});"
    )
    return context.new_page()


@pytest.fixture
def page(browser: Browser, tokens: dict[str, Any]) -> Iterator[Page]:
    page = logged_in(browser, tokens)
    context = page.context
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "raadhus" in msg.text.lower()
            and errors.append(msg.text)
        ),
    )
    page.errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def shot(page: Page, artifacts: Path, name: str) -> None:
    page.screenshot(path=artifacts / name)
    print(f"screenshot: {artifacts / name}")


def test_alarm_acknowledge_resolve(
    page: Page, tokens: dict[str, Any], artifacts: Path
) -> None:
    opened = time.monotonic()
    page.goto(f"{URL}/raadhus-alarm")
    tile = page.locator(TILE)
    expect(tile).to_have_attribute("data-state", "idle", timeout=60_000)
    print(f"panel ready {time.monotonic() - opened:.1f} s after opening the page")
    root = page.locator("raadhus-alarm-panel .root")
    # The panel follows Home Assistant's language (Danish for this browser).
    expect(page.locator("raadhus-alarm-panel header")).to_contain_text("Demo Rådhus")
    expect(tile).to_contain_text("Ingen alarm")
    expect(page.locator("raadhus-alarm-panel [data-room]")).to_have_count(5)

    # The one-time step browsers may demand before a page makes sound (this
    # Chromium sometimes allows it from the start; the mock tests cover the
    # blocked case).
    if root.get_attribute("data-sound") == "off":
        print("sound blocked until a click: clicking 'Slå lyd til'")
        page.locator("raadhus-alarm-panel .sound-banner .sound-btn").click()
    else:
        print("sound allowed without a click")
    expect(root).to_have_attribute("data-sound", "on")
    expect(root).to_have_attribute("data-siren", "silent")
    shot(page, artifacts, "idle.png")

    panel = page.evaluate_handle(FIND_PANEL)
    panel.evaluate(WATCH_ALARM, f'{TILE}[data-state="triggered"]')
    hold = Simulate("hold", ROOM, str(HOLD_SECONDS))
    earliest, latest = hold.first_event()
    threshold = earliest + THRESHOLD
    expect(tile).to_have_attribute("data-state", "triggered", timeout=10_000)
    page.wait_for_function("() => window.__alarmSeen && window.__alarmSeen.frame")
    seen = page.evaluate("window.__alarmSeen")
    raised = datetime.fromisoformat(tile.get_attribute("data-since") or "").timestamp()
    dom_delay = seen["dom"] / 1000 - threshold
    paint_delay = seen["frame"] / 1000 - threshold
    print(
        f"threshold (earliest) {datetime.fromtimestamp(threshold):%H:%M:%S.%f}; "
        f"(at most {(latest - earliest) * 1000:.0f} ms later); "
        f"incident raised by Home Assistant {(raised - threshold) * 1000:+.0f} ms; "
        f"ALARM in the panel's DOM {dom_delay * 1000:+.0f} ms, painted "
        f"{paint_delay * 1000:+.0f} ms after the threshold"
    )
    assert paint_delay <= MAX_DELAY
    # Not before the threshold either: a hold is not an alarm until 2 s.
    assert seen["dom"] / 1000 >= threshold - 0.01

    expect(tile).to_contain_text("ALARM")
    expect(root).to_have_attribute("data-siren", "playing")
    expect(page.locator("raadhus-alarm-panel .alarm-banner")).to_contain_text(ROOM)
    hold.wait()
    # The room's live camera (MJPEG through Home Assistant's camera proxy).
    camera = tile.locator(".cam img")
    expect(camera).to_have_attribute("src", re.compile(r"^/api/camera_proxy"))
    page.wait_for_function(
        "p => { const i = p.shadowRoot.querySelector("
        "'[data-room=\"Kontaktrum 1\"] .cam img'); return i && i.naturalWidth > 0; }",
        arg=panel,
        timeout=15_000,
    )
    shot(page, artifacts, "alarm.png")

    clicked = time.monotonic()
    tile.locator('[data-action="acknowledge"]').click()
    expect(tile).to_have_attribute("data-state", "acknowledged")
    took = (time.monotonic() - clicked) * 1000
    print(f"acknowledged on the panel {took:.0f} ms after the click")
    expect(tile).to_contain_text(USER_NAME)
    expect(tile).to_contain_text(f"{USER_NAME} er på vej")
    # Acknowledging silences the alarm.
    expect(root).to_have_attribute("data-siren", "silent")
    shot(page, artifacts, "acknowledged.png")
    assert ha_state(tokens, ALARM_SENSOR) == "on"

    tile.locator('[data-action="on_scene"]').click()
    expect(tile).to_have_attribute("data-state", "on_scene")
    expect(tile).to_contain_text(f"På stedet: {USER_NAME}")
    shot(page, artifacts, "on_scene.png")

    # Resolving is confirmed, with how it ended: the tap alone closes nothing.
    tile.locator('[data-action="resolve"]').click()
    dialog = page.locator('raadhus-alarm-panel .dialog[data-dialog="resolve"]')
    expect(dialog).to_contain_text(f"Afslut alarmen i {ROOM}?")
    expect(dialog.locator("[data-confirm]")).to_be_disabled()
    page.wait_for_timeout(500)
    expect(tile).to_have_attribute("data-state", "on_scene")
    assert ha_state(tokens, ALARM_SENSOR) == "on"
    dialog.locator('[data-resolution="citizen_left"]').click()
    dialog.locator("textarea").fill("E2E-test")
    shot(page, artifacts, "resolve-dialog.png")
    dialog.locator("[data-confirm]").click()
    expect(tile).to_have_attribute("data-state", "idle")
    expect(tile).to_contain_text("Ingen alarm")
    expect(tile).to_contain_text(f"af {USER_NAME}")
    expect(tile.locator("[data-action]")).to_have_count(0)
    expect(tile.locator(".cam img")).to_have_count(0)
    shot(page, artifacts, "resolved.png")
    assert ha_state(tokens, ALARM_SENSOR) == "off"

    # The history (raadhus_alarm/history): the alarm just resolved is the
    # newest of the room, with how it ended and who resolved it.
    page.locator("raadhus-alarm-panel button.history-btn").click()
    history = page.locator("raadhus-alarm-panel .history")
    history.locator("select.history-room").select_option(label=ROOM)
    row = history.locator("[data-history-incident]").first
    expect(row).to_have_attribute("data-state", "resolved")
    expect(row).to_have_attribute("data-history-room", ROOM)
    expect(row).to_contain_text("Borgeren bedt om at gå")
    expect(row).to_contain_text(f"Afsluttet af {USER_NAME}")
    expect(row).to_contain_text("E2E-test")
    # Bo is an officer: no debriefing button for him.
    expect(row.locator('[data-action="debriefed"]')).to_have_count(0)
    shot(page, artifacts, "history.png")
    history.locator("button.back-btn").click()

    # Button health (R11 on the panel): a button that goes offline shows.
    other = page.locator('[data-room="Akutrum 1"]')
    expect(other).not_to_contain_text("Alarmtryk virker ikke")
    Simulate("offline", "Akutrum 1").wait()
    expect(other).to_contain_text("Alarmtryk virker ikke")
    expect(page.locator("raadhus-alarm-panel .health")).to_contain_text("Akutrum 1")
    shot(page, artifacts, "button-offline.png")
    Simulate("online", "Akutrum 1").wait()
    expect(other).not_to_contain_text("Alarmtryk virker ikke")
    assert page.errors == []  # type: ignore[attr-defined]
