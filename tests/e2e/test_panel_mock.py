"""The panel against a fake `hass` (tests/e2e/harness.html): no Home Assistant.

Fast checks of what the live test cannot easily reach: every state at once,
both languages, a tablet, reduced motion, errors from the server, a user who
is not a responder, a lost connection. Screenshots: mock-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
import mimetypes
from pathlib import Path
import struct
import zlib

from conftest import REPO
from playwright.sync_api import Browser, Page, Route, expect
import pytest

ORIGIN = "http://panel.test"
WALL = {"width": 1920, "height": 1080}
TABLET = {"width": 1024, "height": 768}
TABLET_PORTRAIT = {"width": 768, "height": 1024}


def camera_png(width: int = 320, height: int = 180) -> bytes:
    """A stand-in camera frame: a dark gradient with a lighter 'window'."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            v = 40 + (x * 60) // width + (y * 30) // height
            window = 200 <= x <= 290 and 30 <= y <= 110
            rows += bytes((v + 90, v + 90, v + 70) if window else (v, v, v + 10))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows)))
        + chunk(b"IEND", b"")
    )


FRAME = camera_png()


def serve(route: Route) -> None:
    """Files from the repository; camera proxy URLs answer with one frame."""
    path = route.request.url.removeprefix(ORIGIN).split("?", 1)[0]
    if path.startswith("/api/camera_proxy"):
        route.fulfill(status=200, body=FRAME, content_type="image/png")
        return
    file = (REPO / path.lstrip("/")).resolve()
    if REPO not in file.parents or not file.is_file():
        route.fulfill(status=404, body="not found")
        return
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    if file.suffix == ".js":
        content_type = "text/javascript"
    route.fulfill(status=200, body=file.read_bytes(), content_type=content_type)


@pytest.fixture
def open_harness(browser: Browser) -> Iterator:
    contexts = []

    def _open(
        viewport: dict[str, int] = WALL,
        reduced_motion: str = "no-preference",
        **params: str,
    ) -> Page:
        context = browser.new_context(
            viewport=viewport, reduced_motion=reduced_motion, locale="da-DK"
        )
        contexts.append(context)
        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.errors = errors  # type: ignore[attr-defined]
        query = "&".join(f"{k}={v}" for k, v in params.items())
        page.goto(f"{ORIGIN}/tests/e2e/harness.html?{query}")
        expect(page.locator("[data-room]").first).to_be_visible()
        return page

    yield _open
    for context in contexts:
        context.close()


def tile(page: Page, room: str):
    return page.locator(f'[data-room="{room}"]')


def no_page_errors(page: Page) -> None:
    assert page.errors == []  # type: ignore[attr-defined]


def test_wall_every_state_danish(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="all", lang="da")
    tiles = page.locator("[data-room]")
    expect(tiles).to_have_count(5)
    # Open incidents first, oldest first; then the rest in configured order.
    names = [tiles.nth(i).get_attribute("data-room") for i in range(5)]
    assert names == [
        "Kontaktrum 1",
        "Kontaktrum 2",
        "Akutrum 1",
        "Akutrum 2",
        "Venteområde",
    ]

    alarm = tile(page, "Kontaktrum 1")
    expect(alarm).to_have_attribute("data-state", "triggered")
    expect(alarm).to_contain_text("ALARM")
    expect(alarm).to_contain_text("Udløst af Knap under bordet")
    expect(alarm.locator('[data-action="acknowledge"]')).to_have_text("Jeg kommer")
    expect(alarm.locator('[data-action="on_scene"]')).to_have_text("På stedet")
    expect(alarm.locator('[data-action="resolve"]')).to_have_text("Afsluttet")
    assert alarm.evaluate("e => getComputedStyle(e).animationName") == "pulse"

    acknowledged = tile(page, "Kontaktrum 2")
    expect(acknowledged).to_have_attribute("data-state", "acknowledged")
    expect(acknowledged).to_contain_text("Betjent Birte er på vej")
    expect(acknowledged).to_contain_text("KVITTERET")
    expect(acknowledged).to_contain_text("+2 tryk mere")
    expect(acknowledged.locator("[data-action]")).to_have_count(2)

    on_scene = tile(page, "Akutrum 1")
    expect(on_scene).to_have_attribute("data-state", "on_scene")
    expect(on_scene).to_contain_text("På stedet: Betjent Birte")
    expect(on_scene).to_contain_text("Kvitteret af Betjent Bo")
    expect(on_scene).to_contain_text("ØVELSE")
    expect(on_scene.locator("[data-action]")).to_have_count(1)

    resolved = tile(page, "Akutrum 2")
    expect(resolved).to_have_attribute("data-state", "idle")
    expect(resolved).to_contain_text("Ingen alarm")
    expect(resolved).to_contain_text("af Betjent Bo")
    expect(resolved).to_contain_text("Alarmtryk virker ikke")
    expect(resolved).to_contain_text("lavt batteri")

    waiting = tile(page, "Venteområde")
    expect(waiting).to_contain_text("Overvåget møde")
    expect(waiting).to_contain_text("ingen forbindelse")

    expect(page.locator("header")).to_contain_text("Betjente på arbejde")
    expect(page.locator("header")).to_contain_text("Betjent Bo, Betjent Birte")
    expect(page.locator("header")).to_contain_text("Politiet er på rådhuset")
    expect(page.locator(".alarm-banner")).to_contain_text("ALARM: Kontaktrum 1")
    expect(page.locator(".meetings")).to_contain_text("Borgermøde")
    expect(page.locator(".health")).to_contain_text("Akutrum 2 — Knap: lavt batteri")

    # Large type: room names at least 2.5rem (40 px) on a 1080p wall, and
    # never cut or broken.
    for i in range(5):
        name = tiles.nth(i).locator(".name")
        size, cut = name.evaluate(
            "e => [parseFloat(getComputedStyle(e).fontSize),"
            " e.scrollWidth > e.clientWidth || e.getClientRects().length !== 1"
            " || e.offsetHeight > 1.5 * parseFloat(getComputedStyle(e).fontSize)]"
        )
        assert size >= 40
        assert not cut
    # The alarm is big: a double cell, with the live camera.
    big = alarm.bounding_box()
    small = resolved.bounding_box()
    assert big
    assert small
    assert big["width"] > 1.8 * small["width"]
    camera = alarm.locator(".cam img")
    expect(camera).to_have_attribute(
        "src", "/api/camera_proxy_stream/camera.kontaktrum_1?token=tok-r1"
    )
    page.wait_for_function(
        "() => { const p = document.querySelector('raadhus-alarm-panel');"
        " const i = p.shadowRoot.querySelector("
        " '[data-room=\"Kontaktrum 1\"] .cam img');"
        " return i && i.naturalWidth > 0; }"
    )
    page.screenshot(path=artifacts / "mock-wall-da.png")
    # Everything fits the wall: no scrolling at 1920x1080.
    overflow = page.evaluate(
        "() => { const d = document.documentElement;"
        " return [d.scrollWidth - innerWidth, d.scrollHeight - innerHeight]; }"
    )
    assert overflow == [0, 0]
    no_page_errors(page)


@pytest.mark.parametrize(
    ("viewport", "shot"),
    [(TABLET, "mock-tablet-en.png"), (TABLET_PORTRAIT, "mock-tablet-portrait-en.png")],
)
def test_tablet_english(open_harness, artifacts: Path, viewport, shot) -> None:
    page = open_harness(viewport=viewport, scenario="all", lang="en", narrow="1")
    alarm = tile(page, "Kontaktrum 1")
    expect(alarm).to_contain_text("ALARM")
    expect(alarm.locator('[data-action="acknowledge"]')).to_have_text("I'm coming")
    expect(tile(page, "Kontaktrum 2")).to_contain_text("Betjent Birte is on the way")
    expect(tile(page, "Akutrum 1")).to_contain_text("On scene: Betjent Birte")
    expect(tile(page, "Akutrum 2")).to_contain_text("No alarm")
    expect(tile(page, "Akutrum 2")).to_contain_text("Panic button not working")
    expect(page.locator("header")).to_contain_text("Officers on duty")
    expect(page.locator("header")).to_contain_text("Police are in the town hall")
    expect(page.locator(".sound-btn").first).to_contain_text("Enable sound")
    expect(page.locator("button.menu")).to_be_visible()
    # Nothing sideways on a tablet.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - innerWidth")
    assert overflow == 0
    for action in ("acknowledge", "on_scene", "resolve"):
        box = alarm.locator(f'[data-action="{action}"]').bounding_box()
        assert box
        assert box["height"] >= 56  # a finger, not a mouse
        assert box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=artifacts / shot)
    no_page_errors(page)


def test_sound_acknowledge_on_scene_resolve(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="idle", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    # Browsers block sound until the user acts: the one-time step.
    expect(root).to_have_attribute("data-sound", "off")
    page.locator("header .sound-btn").click()
    expect(root).to_have_attribute("data-sound", "on")
    expect(page.locator("header")).to_contain_text("Lyd til")
    expect(root).to_have_attribute("data-siren", "silent")

    page.evaluate("mock.trigger('Kontaktrum 1')")
    room = tile(page, "Kontaktrum 1")
    expect(room).to_have_attribute("data-state", "triggered")
    expect(root).to_have_attribute("data-siren", "playing")
    state = page.evaluate("panel._siren.ctx.state")
    assert state == "running"

    room.locator('[data-action="acknowledge"]').click()
    expect(room).to_have_attribute("data-state", "acknowledged")
    expect(room).to_contain_text("Betjent Bo er på vej")
    # Acknowledging silences the alarm.
    expect(root).to_have_attribute("data-siren", "silent")
    incident = page.evaluate("mock.calls[0].incident_id")
    assert page.evaluate("mock.calls") == [
        {"type": "raadhus_alarm/act", "incident_id": incident, "action": "acknowledge"}
    ]

    room.locator('[data-action="on_scene"]').click()
    expect(room).to_have_attribute("data-state", "on_scene")
    expect(room).to_contain_text("På stedet: Betjent Bo")

    room.locator('[data-action="resolve"]').click()
    expect(room).to_have_attribute("data-state", "idle")
    expect(room).to_contain_text("Ingen alarm")
    expect(room).to_contain_text("af Betjent Bo")
    expect(room.locator("[data-action]")).to_have_count(0)
    assert [c["action"] for c in page.evaluate("mock.calls")] == [
        "acknowledge",
        "on_scene",
        "resolve",
    ]
    no_page_errors(page)


def test_any_click_unlocks_sound(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    expect(root).to_have_attribute("data-sound", "off")
    # The blocked sound is offered right in the alarm banner too.
    expect(page.locator(".alarm-banner .sound-btn")).to_have_text("Slå lyd til")
    page.locator(".clock").click()
    expect(root).to_have_attribute("data-sound", "on")
    expect(root).to_have_attribute("data-siren", "playing")
    expect(page.locator(".alarm-banner .sound-btn")).to_have_count(0)


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("not_permitted", "Det har din rolle ikke lov til"),
        ("invalid_transition", "Alarmen er allerede ændret af en anden"),
        ("unknown_incident", "Alarmen findes ikke længere"),
        ("home_assistant_error", "Det lykkedes ikke: boom"),
    ],
)
def test_action_errors_are_shown(open_harness, code: str, text: str) -> None:
    page = open_harness(scenario="alarm", lang="da")
    page.evaluate(f"mock.failNext = {{code: '{code}', message: 'boom'}}")
    room = tile(page, "Kontaktrum 1")
    room.locator('[data-action="acknowledge"]').click()
    expect(room.locator(".error")).to_have_text(text)
    expect(room).to_have_attribute("data-state", "triggered")
    expect(room.locator('[data-action="acknowledge"]')).to_be_enabled()


def test_not_a_responder_sees_no_controls(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="da", can_act="0")
    room = tile(page, "Kontaktrum 1")
    expect(room).to_have_attribute("data-state", "triggered")
    expect(room.locator("[data-action]")).to_have_count(0)
    expect(room).to_contain_text("Kun beredskabet kan kvittere her")


def test_reduced_motion_static_thick_border(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="alarm", lang="da", reduced_motion="reduce")
    room = tile(page, "Kontaktrum 1")
    style = room.evaluate(
        "e => { const s = getComputedStyle(e);"
        " return [s.animationName, parseFloat(s.borderTopWidth)]; }"
    )
    assert style[0] == "none"
    assert style[1] >= 12
    page.screenshot(path=artifacts / "mock-reduced-motion.png")


def test_lost_connection_and_not_loaded(open_harness) -> None:
    page = open_harness(scenario="idle", lang="da")
    banner = page.locator(".conn-banner")
    expect(banner).to_be_hidden()
    page.evaluate("mock.setConnected(false)")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Ingen forbindelse til Home Assistant")
    page.evaluate("mock.setConnected(true)")
    expect(banner).to_be_hidden()


def test_integration_not_loaded(browser: Browser) -> None:
    context = browser.new_context(viewport=WALL)
    try:
        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        page.goto(f"{ORIGIN}/tests/e2e/harness.html?loaded=0&lang=en")
        expect(page.locator(".message.error")).to_contain_text(
            "Rådhus Alarm is not set up or not running"
        )
    finally:
        context.close()


def test_out_of_hours_header(open_harness) -> None:
    page = open_harness(scenario="idle", lang="da")
    page.evaluate(
        "mock.state.officers_on_duty = false;"
        " mock.state.on_duty = ['Vagt Villy']; mock.push()"
    )
    header = page.locator("header")
    expect(header).to_contain_text("Uden for betjenttid — vagt")
    expect(header).to_contain_text("Vagt Villy")
    expect(header).to_contain_text("Politiet er ikke på rådhuset")


def test_resubscribes_when_a_reconnect_loses_the_subscription(open_harness) -> None:
    """After Home Assistant restarts, the panel must not keep showing old state."""
    page = open_harness(scenario="idle", lang="da")
    # Home Assistant restarted; the integration is not loaded yet when the
    # websocket library re-sends the subscription, so that one is lost.
    page.evaluate("mock.loaded = false; mock.reconnect(true)")
    assert page.evaluate("mock.subscribers.size") == 0
    expect(page.locator(".message.error")).to_contain_text(
        "Rådhus Alarm er ikke sat op eller ikke startet", timeout=6000
    )
    page.evaluate("mock.loaded = true")
    # The panel retries by itself and shows live state again.
    expect(tile(page, "Kontaktrum 1")).to_have_attribute(
        "data-state", "idle", timeout=8000
    )
    page.evaluate("mock.trigger('Kontaktrum 1')")
    expect(tile(page, "Kontaktrum 1")).to_have_attribute("data-state", "triggered")
    assert page.evaluate("mock.subscribers.size") == 1


def test_reconnect_with_working_resubscription_keeps_one_subscription(
    open_harness,
) -> None:
    page = open_harness(scenario="idle", lang="da")
    page.evaluate("mock.reconnect(false)")
    page.wait_for_timeout(3500)
    assert page.evaluate("mock.subscribers.size") == 1
    page.evaluate("mock.trigger('Kontaktrum 2')")
    expect(tile(page, "Kontaktrum 2")).to_have_attribute("data-state", "triggered")


def test_a_push_without_rooms_clears_the_rooms(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="en")
    expect(tile(page, "Kontaktrum 1")).to_have_attribute("data-state", "triggered")
    page.evaluate("for (const cb of mock.subscribers) cb({loaded: false})")
    expect(page.locator("[data-room]")).to_have_count(0)
    expect(page.locator(".message.error")).to_contain_text("not set up or not running")
    expect(page.locator("raadhus-alarm-panel .root")).to_have_attribute(
        "data-siren", "silent"
    )
    page.evaluate("mock.push()")
    expect(tile(page, "Kontaktrum 1")).to_have_attribute("data-state", "triggered")
