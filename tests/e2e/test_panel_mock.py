"""The panel against a fake `hass` (tests/e2e/harness.html): no Home Assistant.

Fast checks of what the live test cannot easily reach: every state at once,
both languages, a tablet, reduced motion, errors from the server, a user who
is not a responder, a lost connection. Screenshots: mock-*.png.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
import mimetypes
from pathlib import Path
import re
import struct
import zlib

from conftest import CHROMIUM, CHROMIUM_ARGS, REPO
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
    """Files from the repository; camera proxy URLs answer with one frame.

    The integration's evidence and export views answer only a signed path
    (?authSig=…, as the harness's auth/sign_path gives it), as Home
    Assistant's views that require auth do for an <img> or a download.
    """
    path, _, query = route.request.url.removeprefix(ORIGIN).partition("?")
    if path.startswith("/api/camera_proxy"):
        route.fulfill(status=200, body=FRAME, content_type="image/png")
        return
    if path.startswith("/api/raadhus_alarm/"):
        if "authSig=" not in query:
            route.fulfill(status=401, body="401: Unauthorized")
        elif path.startswith("/api/raadhus_alarm/evidence/") and path.endswith(".mp4"):
            route.fulfill(
                status=200, body=b"\x00\x00\x00\x18ftypmp42", content_type="video/mp4"
            )
        elif path.startswith("/api/raadhus_alarm/evidence/"):
            route.fulfill(status=200, body=FRAME, content_type="image/png")
        elif path == "/api/raadhus_alarm/export.csv":
            # As export_view names the file: the period asked for.
            asked = dict(p.split("=", 1) for p in query.split("&") if "=" in p)
            name = f"raadhus-alarm-{asked.get('start')}-{asked.get('end')}.csv"
            route.fulfill(
                status=200,
                body="incident_id,room\r\nh1,Kontaktrum 2\r\n",
                headers={
                    "Content-Type": "text/csv; charset=utf-8",
                    "Content-Disposition": f'attachment; filename="{name}"',
                },
            )
        else:
            route.fulfill(status=404, body="not found")
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
        clock: str | None = None,
        **params: str,
    ) -> Page:
        context = browser.new_context(
            viewport=viewport, reduced_motion=reduced_motion, locale="da-DK"
        )
        contexts.append(context)
        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        if clock:
            # The page's Date stands still at `clock`; its timers still run.
            page.clock.set_fixed_time(clock)
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
    expect(alarm.locator('[data-action="cancel"]')).to_have_text("Falsk alarm")
    assert alarm.evaluate("e => getComputedStyle(e).animationName") == "pulse"

    acknowledged = tile(page, "Kontaktrum 2")
    expect(acknowledged).to_have_attribute("data-state", "acknowledged")
    expect(acknowledged).to_contain_text("Betjent Birte er på vej")
    expect(acknowledged).to_contain_text("KVITTERET")
    expect(acknowledged).to_contain_text("+2 tryk mere")
    expect(acknowledged.locator("[data-action]")).to_have_count(3)

    on_scene = tile(page, "Akutrum 1")
    expect(on_scene).to_have_attribute("data-state", "on_scene")
    expect(on_scene).to_contain_text("På stedet: Betjent Birte")
    expect(on_scene).to_contain_text("Kvitteret af Betjent Bo")
    expect(on_scene).to_contain_text("ØVELSE")
    expect(on_scene.locator("[data-action]")).to_have_count(2)

    resolved = tile(page, "Akutrum 2")
    expect(resolved).to_have_attribute("data-state", "idle")
    expect(resolved).to_contain_text("Ingen alarm")
    expect(resolved).to_contain_text("af Betjent Bo")
    expect(resolved).to_contain_text("Alarmtryk virker ikke")
    expect(resolved).to_contain_text("lavt batteri")

    waiting = tile(page, "Venteområde")
    expect(waiting.locator('[data-badge="monitored"]')).to_contain_text(
        "Overvåget samtale"
    )
    expect(waiting).to_contain_text("ingen forbindelse")

    expect(page.locator("header")).to_contain_text("Betjente på arbejde")
    expect(page.locator("header")).to_contain_text("Betjent Bo, Betjent Birte")
    expect(page.locator("header")).to_contain_text("Politiet er på rådhuset")
    expect(page.locator(".alarm-banner")).to_contain_text("ALARM: Kontaktrum 1")
    expect(page.locator('.meetings [data-meeting="m1"]')).to_contain_text("overvåget")
    expect(page.locator('.meetings [data-meeting="m2"]')).to_contain_text(
        "Varslet af Leder Lis"
    )
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
    # The kiosk's case: sound on (the alarm banner then offers muting), the
    # header still one row and everything still on one screen.
    page.locator(".alarm-banner .sound-btn").click()
    expect(page.locator(".alarm-banner .mute-btn")).to_have_text("Slå alarmlyd fra")
    # The mute button takes the place of the one tapped: that tap mutes nothing.
    root = page.locator("raadhus-alarm-panel .root")
    expect(root).to_have_attribute("data-siren", "playing")
    page.wait_for_timeout(300)
    expect(root).to_have_attribute("data-muted", "false")
    expect(page.locator("header")).to_contain_text("Lyd til")
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
    for action in ("acknowledge", "on_scene", "resolve", "cancel"):
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
    page.locator(".sound-banner .sound-btn").click()
    expect(root).to_have_attribute("data-sound", "on")
    expect(page.locator(".sound-banner")).to_be_hidden()
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
    page.locator('.dialog [data-resolution="citizen_left"]').click()
    page.locator(".dialog [data-confirm]").click()
    expect(room).to_have_attribute("data-state", "idle")
    expect(room).to_contain_text("Ingen alarm")
    expect(room).to_contain_text("af Betjent Bo")
    expect(room.locator("[data-action]")).to_have_count(0)
    assert [c["action"] for c in page.evaluate("mock.calls")] == [
        "acknowledge",
        "on_scene",
        "resolve",
    ]
    assert page.evaluate("mock.calls[2].resolution") == "citizen_left"
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


# -- closing an alarm: confirmed, with a reason ---------------------------------


def dialog(page: Page, action: str):
    return page.locator(f'.dialog[data-dialog="{action}"]')


def test_resolve_asks_for_confirmation_and_a_reason(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="alarm", lang="da")
    room = tile(page, "Kontaktrum 1")
    incident = room.get_attribute("data-incident")
    room.locator('[data-action="resolve"]').click()
    confirm = dialog(page, "resolve")
    expect(confirm).to_be_visible()
    expect(confirm.locator("h2")).to_have_text("Afslut alarmen i Kontaktrum 1?")
    expect(confirm.locator("[data-resolution]")).to_have_text(
        ["Borgeren bedt om at gå", "Politi tilkaldt", "Andet"]
    )
    # A tap on Afsluttet alone resolves nothing, and without a reason the
    # confirmation cannot be given.
    page.wait_for_timeout(300)
    assert page.evaluate("mock.calls") == []
    expect(room).to_have_attribute("data-state", "triggered")
    expect(confirm.locator("[data-confirm]")).to_have_text("Afslut alarmen")
    expect(confirm.locator("[data-confirm]")).to_be_disabled()
    # Going back (the button, or Escape) leaves the alarm open.
    confirm.locator("[data-dismiss]").click()
    expect(confirm).to_have_count(0)
    room.locator('[data-action="resolve"]').click()
    page.keyboard.press("Escape")
    expect(confirm).to_have_count(0)
    assert page.evaluate("mock.calls") == []
    expect(room).to_have_attribute("data-state", "triggered")

    room.locator('[data-action="resolve"]').click()
    confirm.locator('[data-resolution="police_called"]').click()
    expect(confirm.locator('[data-resolution="police_called"]')).to_have_attribute(
        "aria-checked", "true"
    )
    confirm.locator("textarea").fill("Patruljen tog over")
    expect(confirm.locator("[data-confirm]")).to_be_enabled()
    page.screenshot(path=artifacts / "mock-resolve-dialog-da.png")
    confirm.locator("[data-confirm]").click()
    expect(room).to_have_attribute("data-state", "idle")
    expect(page.locator(".overlay")).to_be_hidden()
    assert page.evaluate("mock.calls") == [
        {
            "type": "raadhus_alarm/act",
            "incident_id": incident,
            "action": "resolve",
            "resolution": "police_called",
            "note": "Patruljen tog over",
        }
    ]
    expect(room.locator(".last")).to_contain_text("af Betjent Bo")
    no_page_errors(page)


def test_a_refused_close_stays_in_the_dialog(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="da")
    room = tile(page, "Kontaktrum 1")
    page.evaluate("mock.failNext = {code: 'invalid_transition', message: 'x'}")
    room.locator('[data-action="resolve"]').click()
    confirm = dialog(page, "resolve")
    confirm.locator('[data-resolution="other"]').click()
    confirm.locator("[data-confirm]").click()
    expect(confirm.locator(".error")).to_have_text(
        "Alarmen er allerede ændret af en anden"
    )
    expect(confirm.locator("[data-confirm]")).to_be_enabled()
    expect(room).to_have_attribute("data-state", "triggered")


def test_false_alarm_is_cancelled_from_the_panel(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="alarm", lang="en")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator(".clock").click()  # sound on: the alarm is sounding
    expect(root).to_have_attribute("data-siren", "playing")
    room = tile(page, "Kontaktrum 1")
    incident = room.get_attribute("data-incident")
    room.locator('[data-action="cancel"]').click()
    confirm = dialog(page, "cancel")
    expect(confirm.locator("h2")).to_have_text("False alarm in Kontaktrum 1?")
    expect(confirm.locator("[data-confirm]")).to_have_text("Yes, it was a false alarm")
    assert page.evaluate("mock.calls") == []
    page.screenshot(path=artifacts / "mock-false-alarm-en.png")
    confirm.locator("[data-confirm]").click()
    expect(room).to_have_attribute("data-state", "idle")
    expect(room.locator(".last")).to_contain_text("Cancelled (false alarm)")
    expect(room.locator(".last")).to_contain_text("by Officer Bo")
    expect(root).to_have_attribute("data-siren", "silent")
    assert page.evaluate("mock.calls") == [
        {"type": "raadhus_alarm/act", "incident_id": incident, "action": "cancel"}
    ]
    assert page.evaluate("mock.past[0].state") == "cancelled"
    no_page_errors(page)


def test_buttons_follow_the_users_permissions(open_harness) -> None:
    # An officer: every step of an alarm, no debriefing.
    page = open_harness(scenario="all", lang="da", role="officer")
    expect(tile(page, "Kontaktrum 1").locator("[data-action]")).to_have_count(4)
    expect(tile(page, "Akutrum 2").locator("[data-action]")).to_have_count(0)
    # A leader also marks today's resolved alarm debriefed, from its tile.
    page = open_harness(scenario="all", lang="da", role="leader")
    resolved = tile(page, "Akutrum 2")
    resolved.locator('[data-action="debriefed"]').click()
    confirm = dialog(page, "debriefed")
    expect(confirm.locator("h2")).to_have_text(
        "Debriefing holdt efter alarmen i Akutrum 2?"
    )
    confirm.locator("[data-confirm]").click()
    expect(resolved.locator(".last")).to_contain_text("debriefing: Betjent Bo")
    expect(resolved.locator("[data-action]")).to_have_count(0)
    assert page.evaluate("mock.calls") == [
        {"type": "raadhus_alarm/act", "incident_id": "h0", "action": "debriefed"}
    ]
    # Someone without a role: no buttons at all.
    page = open_harness(scenario="all", lang="da", role="none")
    expect(page.locator("[data-room] [data-action]")).to_have_count(0)


# -- history ----------------------------------------------------------------------


def test_history_filter_by_room_drills_marked_and_debrief(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="alarm", lang="da", role="leader")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator("button.history-btn").click()
    expect(root).to_have_attribute("data-view", "history")
    expect(page.locator("raadhus-alarm-panel main")).to_be_hidden()
    history = page.locator(".history")
    expect(history.locator("h2")).to_have_text("Alarmer de sidste 30 dage")
    rows = history.locator("[data-history-incident]")
    expect(rows).to_have_count(7)
    assert page.evaluate("mock.calls") == [
        {"type": "raadhus_alarm/history", "days": 30}
    ]
    # Newest first: the open alarm, with the same buttons as on its tile.
    expect(rows.first).to_have_attribute("data-state", "triggered")
    expect(rows.first.locator("[data-action]")).to_have_count(4)
    # Drills are marked (and only drills).
    drills = history.locator('[data-drill="true"]')
    expect(drills).to_have_count(2)
    for i in range(2):
        expect(drills.nth(i).locator(".badge.drill")).to_have_text("ØVELSE")
    expect(history.locator('[data-drill="false"] .badge.drill')).to_have_count(0)
    expect(history.locator('[data-history-incident="h1"]')).to_contain_text(
        "Politi tilkaldt"
    )
    page.screenshot(path=artifacts / "mock-history-da.png")

    history.locator("select.history-room").select_option(label="Kontaktrum 2")
    expect(rows).to_have_count(2)
    assert page.evaluate("mock.calls.at(-1)") == {
        "type": "raadhus_alarm/history",
        "days": 30,
        "room_id": "r2",
    }
    for i in range(2):
        expect(rows.nth(i)).to_have_attribute("data-history-room", "Kontaktrum 2")

    # A resolved alarm waiting for its debriefing: a leader marks it here.
    row = history.locator('[data-history-incident="h1"]')
    expect(row).to_contain_text("Mangler debriefing")
    row.locator('[data-action="debriefed"]').click()
    dialog(page, "debriefed").locator("[data-confirm]").click()
    expect(row).to_have_attribute("data-state", "debriefed")
    expect(row).to_contain_text("Debriefing: Betjent Bo")
    expect(row.locator("[data-action]")).to_have_count(0)
    acts = [c for c in page.evaluate("mock.calls") if c["type"] == "raadhus_alarm/act"]
    assert acts == [
        {"type": "raadhus_alarm/act", "incident_id": "h1", "action": "debriefed"}
    ]
    page.screenshot(path=artifacts / "mock-history-debriefed-da.png")
    history.locator("button.back-btn").click()
    expect(root).to_have_attribute("data-view", "rooms")
    expect(tile(page, "Kontaktrum 1")).to_be_visible()
    no_page_errors(page)


def test_history_in_english_for_an_officer(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="idle", lang="en", role="officer")
    page.locator("button.history-btn").click()
    history = page.locator(".history")
    expect(history.locator("h2")).to_have_text("Alarms in the last 30 days")
    expect(history.locator("[data-history-incident]")).to_have_count(6)
    row = history.locator('[data-history-incident="h3"]')
    expect(row).to_contain_text("False alarm")
    expect(row).to_contain_text("Fejltryk")
    expect(history.locator('[data-drill="true"] .badge.drill').first).to_have_text(
        "DRILL"
    )
    # An officer does not debrief: no button for it.
    expect(history.locator('[data-action="debriefed"]')).to_have_count(0)
    page.screenshot(path=artifacts / "mock-history-en.png")
    no_page_errors(page)


def test_a_new_alarm_takes_the_screen_back_from_the_history(open_harness) -> None:
    page = open_harness(scenario="idle", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator("button.history-btn").click()
    expect(root).to_have_attribute("data-view", "history")
    page.evaluate("mock.trigger('Akutrum 2')")
    expect(root).to_have_attribute("data-view", "rooms")
    expect(tile(page, "Akutrum 2")).to_have_attribute("data-state", "triggered")


# -- escalation and delivery on the tile ----------------------------------------


@pytest.mark.parametrize(
    ("lang", "texts", "shot"),
    [
        (
            "da",
            (
                "Sendt igen 2×",
                "Også sendt til: Centerchef Carl, Vagt Villy",
                "Kunne ikke nå: Leder Lis",
            ),
            "mock-escalated-da.png",
        ),
        (
            "en",
            (
                "Sent again 2×",
                "Also sent to: Centerchef Carl, Vagt Villy",
                "Could not reach: Leder Lis",
            ),
            "mock-escalated-en.png",
        ),
    ],
)
def test_tile_shows_repeats_widening_and_unreached(
    open_harness, artifacts: Path, lang: str, texts: tuple[str, ...], shot: str
) -> None:
    page = open_harness(scenario="all", lang=lang, escalated="1")
    alarm = tile(page, "Kontaktrum 1")
    repeated, widened, unreached = texts
    expect(alarm.locator(".badge.repeated")).to_have_text(repeated)
    expect(alarm.locator(".widened")).to_have_text(widened)
    expect(alarm.locator(".unreachable")).to_have_text(unreached)
    # Only that alarm was repeated.
    expect(page.locator(".badge.repeated")).to_have_count(1)
    expect(page.locator(".unreachable")).to_have_count(1)
    page.screenshot(path=artifacts / shot)
    overflow = page.evaluate(
        "() => { const d = document.documentElement;"
        " return [d.scrollWidth - innerWidth, d.scrollHeight - innerHeight]; }"
    )
    # Never sideways. The Danish wall (the town hall's own language) still
    # fits one 1080p screen with every state at once; English words are
    # longer, and there the page may scroll a little.
    assert overflow[0] == 0
    if lang == "da":
        assert overflow[1] == 0
    no_page_errors(page)


# -- sound: test, blocked banner, after a reload, mute ---------------------------


def test_test_sound_button(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="idle", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    expect(root).to_have_attribute("data-sound", "off")
    banner = page.locator(".sound-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(
        "Browseren har blokeret lyden — tryk her for at slå lyd til"
    )
    page.screenshot(path=artifacts / "mock-sound-blocked-da.png")
    test = page.locator("button.sound-test")
    expect(test).to_have_text("Test lyd")
    test.click()
    # The tap unlocks sound and the siren really plays for a moment.
    expect(root).to_have_attribute("data-siren", "testing")
    expect(test).to_have_text("Tester lyd …")
    assert page.evaluate("panel._siren.ctx.state") == "running"
    assert page.evaluate("panel._siren.nodes !== null")
    expect(banner).to_be_hidden()
    page.screenshot(path=artifacts / "mock-sound-test-da.png")
    expect(root).to_have_attribute("data-siren", "silent", timeout=4000)
    assert page.evaluate("panel._siren.nodes") is None
    expect(test).to_have_text("Test lyd")
    no_page_errors(page)


def test_a_test_during_an_alarm_never_silences_it(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator(".clock").click()
    expect(root).to_have_attribute("data-siren", "playing")
    page.locator("button.sound-test").click()
    page.wait_for_timeout(2500)  # longer than a test
    expect(root).to_have_attribute("data-siren", "playing")


def test_sound_comes_back_after_a_reload_where_the_browser_allows_it(
    browser: Browser, open_harness
) -> None:
    # A browser that asks for a tap: after a reload the sound is blocked
    # again, and the panel says so plainly.
    page = open_harness(scenario="alarm", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator(".clock").click()
    expect(root).to_have_attribute("data-siren", "playing")
    page.reload()
    expect(tile(page, "Kontaktrum 1")).to_have_attribute("data-state", "triggered")
    expect(root).to_have_attribute("data-sound", "off")
    expect(page.locator(".alarm-banner .sound-btn")).to_have_text("Slå lyd til")

    # A kiosk Chromium started with --autoplay-policy=no-user-gesture-required
    # (README): the siren sounds at once, after a reload too, without a tap.
    kiosk = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[
            *(a for a in CHROMIUM_ARGS if not a.startswith("--autoplay-policy")),
            "--autoplay-policy=no-user-gesture-required",
        ],
    )
    try:
        context = kiosk.new_context(viewport=WALL)
        context.route(f"{ORIGIN}/**", serve)
        page = context.new_page()
        page.goto(f"{ORIGIN}/tests/e2e/harness.html?scenario=alarm&lang=da")
        root = page.locator("raadhus-alarm-panel .root")
        for _ in range(2):
            expect(root).to_have_attribute("data-sound", "on")
            expect(root).to_have_attribute("data-siren", "playing")
            expect(page.locator(".alarm-banner .sound-btn")).to_have_count(0)
            expect(page.locator(".sound-banner")).to_be_hidden()
            page.reload()
    finally:
        kiosk.close()


def test_mute_holds_until_a_new_alarm(open_harness) -> None:
    page = open_harness(scenario="alarm", lang="da")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator(".clock").click()
    expect(root).to_have_attribute("data-siren", "playing")
    # (A tap within 0.6 s of sound coming on is taken as the same tap.)
    page.wait_for_timeout(700)
    mute = page.locator("button.mute-btn")
    expect(mute).to_have_text("Slå alarmlyd fra")
    mute.click()
    expect(root).to_have_attribute("data-siren", "silent")
    expect(root).to_have_attribute("data-muted", "true")
    expect(page.locator("header")).to_contain_text("Alarmlyden er slået fra")
    expect(mute).to_have_text("Slå alarmlyd til igen")
    mute.click()
    expect(root).to_have_attribute("data-siren", "playing")
    mute.click()
    expect(root).to_have_attribute("data-siren", "silent")
    # A new alarm always sounds.
    page.evaluate("mock.trigger('Akutrum 2')")
    expect(root).to_have_attribute("data-siren", "playing")
    expect(root).to_have_attribute("data-muted", "false")


# -- announced difficult meetings (R7) ---------------------------------------------

# Monday 23 November 2026, 11:00 in Copenhagen: the unit tests' world, and
# the harness's schedules are theirs (officers Mon 07:30-18:00, Fri
# 07:30-13:00; police Mon 15:30-16:30).
MONDAY_11 = "2026-11-23T10:00:00Z"


def meeting_form(page: Page):
    return page.locator('.dialog[data-dialog="meeting"]')


def calls_of(page: Page, kind: str) -> list[dict]:
    return [c for c in page.evaluate("mock.calls") if c["type"] == kind]


def test_announcing_shows_the_warnings_first_and_offers_the_police_slot(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="idle", lang="da", clock=MONDAY_11)
    page.locator("button.announce-btn").click()
    form = meeting_form(page)
    expect(form.locator("h2")).to_have_text("Varsl svær samtale")
    # A new meeting: the first room, today, the next full hour, an hour long.
    expect(form.locator('[data-field="room"]')).to_have_value("r1")
    expect(form.locator('[data-field="date"]')).to_have_value("2026-11-23")
    expect(form.locator('[data-field="start"]')).to_have_value("12:00")
    expect(form.locator('[data-field="end"]')).to_have_value("13:00")
    expect(form.locator('[data-duration="60"]')).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(form.locator('[data-warning="none"]')).to_contain_text("Ingen advarsler")

    # Friday 14:00, after the officers' Friday.
    form.locator('[data-field="room"]').select_option(label="Kontaktrum 2")
    form.locator('[data-field="date"]').fill("2026-11-27")
    form.locator('[data-field="start"]').fill("14:00")
    form.locator('[data-duration="60"]').click()
    expect(form.locator('[data-field="end"]')).to_have_value("15:00")
    warning = form.locator('[data-warning="outside_officer_hours"]')
    expect(warning).to_contain_text(
        "Uden for betjenttid: rådhusbetjentene er ikke på arbejde under hele samtalen."
    )
    expect(warning.locator(".suggestion")).to_have_text(
        "Næste tid med politi på rådhuset: Mandag 30. november kl. 15:30"
    )
    expect(form.locator('[data-warning="none"]')).to_have_count(0)
    # Saving despite a warning is possible, and the button says so.
    expect(form.locator("[data-save]")).to_have_text("Varsl alligevel")
    expect(form.locator("[data-save]")).to_be_enabled()
    # Warned before anything was saved: only previews were asked for.
    assert calls_of(page, "raadhus_alarm/announce_meeting") == []
    assert calls_of(page, "raadhus_alarm/meeting_preview")[-1] == {
        "type": "raadhus_alarm/meeting_preview",
        "room_id": "r2",
        "start": "2026-11-27T14:00",
        "end": "2026-11-27T15:00",
    }
    page.screenshot(path=artifacts / "mock-meeting-form-da.png")

    # The police's slot, as long as the meeting was: no warning any more.
    warning.locator("[data-use-suggestion]").click()
    expect(form.locator('[data-field="date"]')).to_have_value("2026-11-30")
    expect(form.locator('[data-field="start"]')).to_have_value("15:30")
    expect(form.locator('[data-field="end"]')).to_have_value("16:30")
    expect(form.locator('[data-warning="none"]')).to_be_visible()
    expect(form.locator("[data-save]")).to_have_text("Varsl samtalen")
    form.locator('[data-field="monitored"]').check()
    form.locator('[data-field="note"]').fill("Borgeren har truet før")
    form.locator("[data-save]").click()
    expect(form).to_have_attribute("data-saved", "m-1")
    expect(form.locator("h2")).to_have_text("Samtalen er varslet")
    expect(form.locator(".saved-text")).to_have_text(
        "Kontaktrum 2, Mandag 30. november 15:30–16:30. Betjentene får besked"
        " arbejdsdagen før og kort før den begynder."
    )
    expect(form).to_contain_text("Betjentene er bedt om at overvåge den.")
    assert calls_of(page, "raadhus_alarm/announce_meeting") == [
        {
            "type": "raadhus_alarm/announce_meeting",
            "room_id": "r2",
            "start": "2026-11-30T15:30",
            "end": "2026-11-30T16:30",
            "monitored": True,
            "note": "Borgeren har truet før",
        }
    ]
    form.locator("[data-form-close]").click()
    expect(form).to_have_count(0)
    # Next Monday's meeting is not today's.
    expect(page.locator(".meetings")).to_contain_text("Ingen varslede samtaler i dag")
    no_page_errors(page)


def test_todays_meeting_is_listed_and_its_room_monitored_while_it_runs(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="idle", lang="da", clock=MONDAY_11)
    page.locator("button.announce-btn").click()
    form = meeting_form(page)
    form.locator('[data-field="start"]').fill("13:00")
    form.locator('[data-duration="90"]').click()
    form.locator('[data-field="monitored"]').check()
    expect(form.locator('[data-warning="none"]')).to_be_visible()
    form.locator("[data-save]").click()
    expect(form).to_have_attribute("data-saved", "m-1")
    form.locator("[data-form-close]").click()

    item = page.locator('.meetings [data-meeting="m-1"]')
    expect(item).to_contain_text("13:00–14:30")
    expect(item).to_contain_text("Kontaktrum 1")
    expect(item.locator(".tag.monitored")).to_have_text("overvåget")
    expect(item).to_contain_text("Varslet af Betjent Bo")
    expect(item).to_have_attribute("data-active", "false")
    room = tile(page, "Kontaktrum 1")
    expect(room.locator("[data-badge]")).to_have_count(0)  # not begun
    page.screenshot(path=artifacts / "mock-meetings-today-da.png")

    page.evaluate("mock.begin('m-1')")
    badge = room.locator('[data-badge="monitored"]')
    expect(badge).to_have_text("Overvåget samtale")
    expect(badge).to_have_attribute("title", "13:00–14:30")
    expect(room).to_have_class(re.compile(r"\bmonitored\b"))
    expect(page.locator("[data-badge]")).to_have_count(1)  # that room only
    expect(item).to_have_attribute("data-active", "true")
    expect(item.locator(".tag.now")).to_have_text("NU")
    page.screenshot(path=artifacts / "mock-monitored-da.png")
    page.evaluate("mock.end('m-1')")
    expect(room.locator("[data-badge]")).to_have_count(0)
    expect(item).to_have_attribute("data-active", "false")
    no_page_errors(page)


def test_meeting_form_refusals_an_overlap_and_an_alarm_first(open_harness) -> None:
    page = open_harness(scenario="idle", lang="en", clock=MONDAY_11)
    page.locator("button.announce-btn").click()
    form = meeting_form(page)
    expect(form.locator("h2")).to_have_text("Announce difficult meeting")
    # Ending before it starts: the server says so, and nothing can be saved.
    form.locator('[data-field="end"]').fill("11:30")
    expect(form.locator(".error")).to_have_text("The meeting must end after it starts")
    expect(form.locator("[data-save]")).to_be_disabled()
    form.locator('[data-duration="45"]').click()
    expect(form.locator('[data-field="end"]')).to_have_value("12:45")
    expect(form.locator('[data-warning="none"]')).to_contain_text("No warnings")
    expect(form.locator(".error")).to_have_text("")

    # A CPR number in the note: refused plainly; the form keeps it all.
    form.locator('[data-field="note"]').fill("Borger 010190-1234")
    form.locator("[data-save]").click()
    expect(form.locator(".error")).to_have_text(
        "The note looks like it holds a CPR number. Never write one here; remove it"
        " and try again."
    )
    assert page.evaluate("mock.meetings.length") == 0

    # An alarm takes the screen from the form; what was typed waits.
    page.evaluate("mock.trigger('Akutrum 1')")
    expect(form).to_have_count(0)
    expect(tile(page, "Akutrum 1")).to_have_attribute("data-state", "triggered")
    page.locator("button.announce-btn").click()
    expect(form.locator('[data-field="note"]')).to_have_value("Borger 010190-1234")
    expect(form.locator('[data-field="end"]')).to_have_value("12:45")
    form.locator('[data-field="note"]').fill("")
    expect(form.locator("[data-save]")).to_have_text("Announce the meeting")
    form.locator("[data-save]").click()
    expect(form).to_have_attribute("data-saved", "m-1")
    form.locator("[data-form-close]").click()

    # The next one in the same room at the same time: its overlap is named.
    page.locator("button.announce-btn").click()
    overlap = form.locator('[data-warning="overlap"]')
    expect(overlap).to_have_text(
        "Another meeting is announced in the room 12:00–12:45 (Officer Bo)."
    )
    expect(form.locator("[data-save]")).to_have_text("Announce anyway")
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    assert page.evaluate("mock.meetings.length") == 1
    no_page_errors(page)


# -- attendance bans (R8) -----------------------------------------------------------

TRANSLATIONS = REPO / "custom_components" / "raadhus_alarm" / "translations"


def refusal_text(lang: str, key: str) -> str:
    """A refusal as the integration's translations word it (what the panel shows)."""
    texts = json.loads((TRANSLATIONS / f"{lang}.json").read_text(encoding="utf-8"))
    return texts["exceptions"][key]["message"]


def bans_view(page: Page):
    return page.locator("section.bans")


def ban_form(page: Page):
    return page.locator('.dialog[data-dialog="ban"]')


def shown_bans(page: Page) -> list[str]:
    return (
        bans_view(page)
        .locator("[data-ban]")
        .evaluate_all("rows => rows.map(r => r.dataset.ban)")
    )


def ban_calls(page: Page) -> list[dict]:
    return calls_of(page, "call_service")


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth - innerWidth") == 0


def test_bans_an_officer_at_the_door_finds_the_case(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="idle", lang="da", role="officer", clock=MONDAY_11)
    root = page.locator("raadhus-alarm-panel .root")
    button = page.locator("button.bans-btn")
    # Beside the history, with the number of active bans (a short word on
    # the wall's one-row header; the full name for screen readers).
    expect(button).to_have_text("Forbud3")
    expect(button.locator(".count")).to_have_text("3")
    expect(button).to_have_attribute("aria-label", "Fremmødeforbud: 3 aktive")
    expect(button).to_have_attribute("title", "Fremmødeforbud: 3 aktive")
    button.click()
    expect(root).to_have_attribute("data-view", "bans")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(page.locator("raadhus-alarm-panel main")).to_be_hidden()
    view = bans_view(page)
    expect(view.locator("h2")).to_have_text("Aktive fremmødeforbud (3)")
    # The active bans only (not the one that begins next week, nor the one
    # ended early), soonest ending first, as the server sends them.
    assert shown_bans(page) == ["ban1", "ban2", "ban3"]
    row = view.locator('[data-ban="ban1"]')
    expect(row.locator(".ban-case")).to_have_text("2025-0412")
    expect(row.locator(".ban-centre")).to_have_text("Jobcenter")
    expect(row.locator(".ban-until")).to_have_text("Indtil 05.12.2026")
    expect(row.locator(".ban-by")).to_have_text("Udstedt af Leder Lis")
    expect(row).to_have_attribute("data-letter-filed", "true")
    expect(row.locator(".badge.letter")).to_have_text("Brev journaliseret")
    expect(view.locator('[data-ban="ban2"] .badge.letter')).to_have_text(
        "Brev ikke journaliseret"
    )
    expect(view.locator('[data-ban="ban3"] .ban-until')).to_have_text(
        "Indtil 02.05.2027"
    )
    # Not a leader: the list only — no form, no buttons, no notes.
    expect(view.locator("button.ban-new")).to_be_hidden()
    expect(view.locator("[data-ban-change], [data-ban-end]")).to_have_count(0)
    expect(view.locator(".ban-note")).to_have_count(0)
    expect(view).not_to_contain_text("Truede en medarbejder")
    assert page.evaluate("panel._data.bans.every(b => b.note === null)")
    page.screenshot(path=artifacts / "mock-bans-officer-da.png")
    no_sideways_scroll(page)

    # The search has the focus: the case number is typed straight away.
    search = view.locator("input.ban-search")
    expect(search).to_be_focused()
    expect(
        view.get_by_role("searchbox", name="Søg sagsnummer eller center")
    ).to_be_focused()
    page.keyboard.type("0877")
    assert shown_bans(page) == ["ban2"]
    expect(view.locator(".ban-shown")).to_have_text("1 af 3")
    # Spaces, dashes and case do not matter; the centre is searched too.
    search.fill("2026 1031")
    assert shown_bans(page) == ["ban3"]
    search.fill("JOBCENTER")
    assert shown_bans(page) == ["ban1"]
    search.fill("2026-1200")  # begins next week: not banned today
    expect(view.locator("[data-ban]")).to_have_count(0)
    expect(view.locator("[data-ban-no-match]")).to_have_text(
        "Intet aktivt fremmødeforbud passer til “2026-1200”."
    )
    page.screenshot(path=artifacts / "mock-bans-no-match-da.png")
    # Escape empties the search for the next citizen.
    page.keyboard.press("Escape")
    expect(search).to_have_value("")
    assert shown_bans(page) == ["ban1", "ban2", "ban3"]
    # Only reading: nothing was sent.
    assert ban_calls(page) == []
    view.locator("button.back-btn").click()
    expect(root).to_have_attribute("data-view", "rooms")
    expect(tile(page, "Kontaktrum 1")).to_be_visible()
    # The server's gate decides anyway: an officer's add_ban is refused.
    refused = page.evaluate(
        "() => panel.hass.callWS({type: 'call_service', domain: 'raadhus_alarm',"
        " service: 'add_ban', service_data: {case_reference: '2026-1', centre: 'X'},"
        " return_response: true}).then(() => null, (err) => err)"
    )
    assert refused["code"] == "service_validation_error"
    assert refused["translation_key"] == "not_permitted"
    assert refused["translation_placeholders"] == {"action": "add_ban"}
    assert refused["message"].startswith("Validation error: Your role does not allow")
    assert page.evaluate("mock.bans.length") == 5
    no_page_errors(page)


def test_bans_in_english_and_when_there_are_none(open_harness) -> None:
    page = open_harness(scenario="idle", lang="en", role="officer", clock=MONDAY_11)
    button = page.locator("button.bans-btn")
    expect(button).to_have_text("Bans3")
    expect(button).to_have_attribute("aria-label", "Attendance bans: 3 active")
    button.click()
    view = bans_view(page)
    expect(view.locator("h2")).to_have_text("Active attendance bans (3)")
    row = view.locator('[data-ban="ban1"]')
    expect(row.locator(".ban-until")).to_have_text("Until 5 Dec 2026")
    expect(row.locator(".ban-by")).to_have_text("Issued by Leder Lis")
    expect(row.locator(".badge.letter")).to_have_text("Letter filed")
    expect(view.locator('[data-ban="ban2"] .badge.letter')).to_have_text(
        "Letter not filed"
    )
    view.locator("input.ban-search").fill("nothing like it")
    expect(view.locator("[data-ban-no-match]")).to_have_text(
        "No active attendance ban matches “nothing like it”."
    )
    expect(view.locator("button.back-btn")).to_have_text("Back to the rooms")

    page = open_harness(scenario="idle", lang="en", role="leader", bans="0")
    button = page.locator("button.bans-btn")
    expect(button).to_have_text("Bans")
    expect(button).to_have_attribute("aria-label", "Attendance bans")
    expect(button.locator(".count")).to_have_count(0)
    button.click()
    view = bans_view(page)
    expect(view.locator("[data-ban-empty]")).to_have_text(
        "There are no active attendance bans."
    )
    expect(view.locator("button.ban-new")).to_have_text("New attendance ban")
    no_page_errors(page)


def test_a_leader_adds_changes_and_ends_bans(open_harness, artifacts: Path) -> None:
    page = open_harness(scenario="idle", lang="da", role="leader", clock=MONDAY_11)
    page.locator("button.bans-btn").click()
    view = bans_view(page)
    # Leaders see the notes, and may change and end each ban.
    expect(view.locator('[data-ban="ban1"] .ban-note')).to_have_text(
        "“Truede en medarbejder i receptionen”"
    )
    expect(view.locator("[data-ban-change]")).to_have_count(3)
    expect(view.locator("[data-ban-end]")).to_have_count(3)
    expect(view.locator('[data-ban="ban1"] [data-ban-end]')).to_have_text("Afslut nu")

    # A new ban: from today, six months by default.
    view.locator("button.ban-new").click()
    form = ban_form(page)
    expect(form).to_have_attribute("data-mode", "add")
    expect(form.locator("h2")).to_have_text("Nyt fremmødeforbud")
    case = form.locator('[data-field="case_reference"]')
    expect(case).to_be_focused()
    expect(form.locator('[data-field="start"]')).to_have_value("2026-11-23")
    expect(form.locator('[data-field="end"]')).to_have_value("")
    expect(form.locator(".end-hint")).to_have_text(
        "Standard: 6 måneder (til 23.05.2027)"
    )
    expect(form.locator("[data-save]")).to_have_text("Gem fremmødeforbuddet")
    expect(form.locator("[data-save]")).to_be_disabled()  # no case number, no centre
    for field, label in [
        ("case_reference", "Sagsnummer"),
        ("centre", "Center"),
        ("start", "Fra (dato)"),
        ("end", "Til (dato, valgfri)"),
        ("note", "Note (valgfri)"),
        ("letter_filed", "Brevet om forbuddet er journaliseret"),
    ]:
        expect(form.get_by_label(label, exact=True)).to_have_attribute(
            "data-field", field
        )
    case.fill("2026-2001")
    form.locator('[data-field="centre"]').fill("Jobcenter")
    form.locator('[data-field="note"]').fill("Råbte ad receptionen")
    form.locator('[data-field="letter_filed"]').check()
    page.screenshot(path=artifacts / "mock-ban-form-da.png")
    form.locator("[data-save]").click()
    expect(form).to_have_count(0)
    assert ban_calls(page) == [
        {
            "type": "call_service",
            "domain": "raadhus_alarm",
            "service": "add_ban",
            "service_data": {
                "case_reference": "2026-2001",
                "centre": "Jobcenter",
                "start": "2026-11-23",
                "note": "Råbte ad receptionen",
                "letter_filed": True,
            },
            "return_response": True,
        }
    ]
    # The server pushed the new state: the ban is listed, last to end.
    new = view.locator('[data-ban="ban-6"]')
    expect(new.locator(".ban-until")).to_have_text("Indtil 23.05.2027")
    expect(new.locator(".ban-note")).to_have_text("“Råbte ad receptionen”")
    expect(new).to_have_attribute("data-letter-filed", "true")
    expect(new.locator(".ban-by")).to_have_text("Udstedt af Betjent Bo")
    assert shown_bans(page) == ["ban1", "ban2", "ban3", "ban-6"]
    expect(view.locator(".ban-status")).to_have_text(
        "Fremmødeforbuddet for 2026-2001 er gemt."
    )
    expect(page.locator("button.bans-btn .count")).to_have_text("4")
    expect(view.locator("button.ban-new")).to_be_focused()

    # A change: the same form, filled in; only what changed is sent.
    view.locator('[data-ban-change="ban2"]').click()
    expect(form).to_have_attribute("data-mode", "update")
    expect(form.locator("h2")).to_have_text("Ret fremmødeforbud 2026-0877")
    expect(form.locator('[data-field="case_reference"]')).to_have_value("2026-0877")
    expect(form.locator('[data-field="centre"]')).to_have_value("Borgerservice")
    expect(form.locator('[data-field="start"]')).to_have_value("2026-11-03")
    expect(form.locator('[data-field="end"]')).to_have_value("2027-01-07")
    expect(form.locator('[data-field="letter_filed"]')).not_to_be_checked()
    expect(form.locator("[data-save]")).to_have_text("Gem ændringerne")
    expect(form.locator("[data-save]")).to_be_disabled()  # nothing changed yet
    form.locator('[data-field="end"]').fill("2027-02-01")
    form.locator('[data-field="letter_filed"]').check()
    form.locator("[data-save]").click()
    expect(form).to_have_count(0)
    assert ban_calls(page)[-1] == {
        "type": "call_service",
        "domain": "raadhus_alarm",
        "service": "update_ban",
        "service_data": {"ban_id": "ban2", "end": "2027-02-01", "letter_filed": True},
        "return_response": True,
    }
    changed = view.locator('[data-ban="ban2"]')
    expect(changed.locator(".ban-until")).to_have_text("Indtil 01.02.2027")
    expect(changed).to_have_attribute("data-letter-filed", "true")
    expect(view.locator(".ban-status")).to_have_text(
        "Fremmødeforbuddet for 2026-0877 er gemt."
    )

    # Ending one early is confirmed; going back (Escape) ends nothing.
    view.locator('[data-ban-end="ban1"]').click()
    confirm = dialog(page, "end_ban")
    expect(confirm.locator("h2")).to_have_text(
        "Afslut fremmødeforbuddet for 2025-0412 nu?"
    )
    expect(confirm.locator(".help")).to_have_text(
        "Jobcenter, planlagt indtil 05.12.2026. Forbuddet ophører med det samme."
    )
    expect(confirm.locator("[data-dismiss]")).to_be_focused()
    expect(confirm.locator("textarea")).to_have_count(0)
    page.screenshot(path=artifacts / "mock-ban-end-da.png")
    page.keyboard.press("Escape")
    expect(confirm).to_have_count(0)
    expect(view.locator('[data-ban-end="ban1"]')).to_be_focused()
    assert len(ban_calls(page)) == 2
    view.locator('[data-ban-end="ban1"]').click()
    expect(confirm.locator("[data-confirm]")).to_have_text("Ja, afslut forbuddet nu")
    confirm.locator("[data-confirm]").click()
    expect(confirm).to_have_count(0)
    assert ban_calls(page)[-1] == {
        "type": "call_service",
        "domain": "raadhus_alarm",
        "service": "end_ban",
        "service_data": {"ban_id": "ban1"},
        "return_response": True,
    }
    expect(view.locator('[data-ban="ban1"]')).to_have_count(0)
    assert shown_bans(page) == ["ban2", "ban3", "ban-6"]
    expect(view.locator(".ban-status")).to_have_text(
        "Fremmødeforbuddet for 2025-0412 er afsluttet."
    )
    expect(page.locator("button.bans-btn .count")).to_have_text("3")
    assert page.evaluate("mock.bans.find(b => b.id === 'ban1').ended_early")
    page.screenshot(path=artifacts / "mock-bans-leader-da.png")
    no_sideways_scroll(page)
    no_page_errors(page)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_a_cpr_number_is_refused_by_the_server_and_the_form_kept(
    open_harness, artifacts: Path, lang: str
) -> None:
    page = open_harness(scenario="idle", lang=lang, role="leader", clock=MONDAY_11)
    page.locator("button.bans-btn").click()
    bans_view(page).locator("button.ban-new").click()
    form = ban_form(page)
    form.locator('[data-field="case_reference"]').fill("010190-1234")
    form.locator('[data-field="centre"]').fill("Jobcenter")
    form.locator('[data-field="end"]').fill("2027-01-31")
    form.locator('[data-field="note"]').fill("Kom uanmeldt")
    form.locator("[data-save]").click()
    # The server's refusal, in the user's language; nothing typed is lost.
    expect(form.locator(".error")).to_have_text(refusal_text(lang, "cpr_refused"))
    expect(form.locator('[data-field="case_reference"]')).to_have_value("010190-1234")
    expect(form.locator('[data-field="centre"]')).to_have_value("Jobcenter")
    expect(form.locator('[data-field="end"]')).to_have_value("2027-01-31")
    expect(form.locator('[data-field="note"]')).to_have_value("Kom uanmeldt")
    expect(form.locator("[data-save]")).to_be_enabled()
    page.screenshot(path=artifacts / f"mock-ban-refused-{lang}.png")
    assert ban_calls(page)[-1]["service_data"]["case_reference"] == "010190-1234"
    assert page.evaluate("mock.bans.length") == 5
    expect(bans_view(page).locator("[data-ban]")).to_have_count(3)
    # Typing clears the refusal; the case number fixed, it is saved. It
    # begins next week: not listed until then, and the panel says so.
    form.locator('[data-field="case_reference"]').fill("2026-2002")
    expect(form.locator(".error")).to_have_text("")
    form.locator('[data-field="start"]').fill("2026-12-01")
    form.locator("[data-save]").click()
    expect(form).to_have_count(0)
    assert ban_calls(page)[-1]["service_data"] == {
        "case_reference": "2026-2002",
        "centre": "Jobcenter",
        "start": "2026-12-01",
        "end": "2027-01-31",
        "note": "Kom uanmeldt",
        "letter_filed": False,
    }
    assert page.evaluate("mock.bans.length") == 6
    expect(bans_view(page).locator(".ban-status")).to_have_text(
        {
            "da": "Fremmødeforbuddet for 2026-2002 er gemt. Det gælder fra 01.12.2026"
            " og står på listen fra da.",
            "en": "The attendance ban for 2026-2002 is saved. It applies from"
            " 1 Dec 2026 and is listed from then.",
        }[lang]
    )
    expect(bans_view(page).locator("[data-ban]")).to_have_count(3)
    no_page_errors(page)


def test_a_refusal_is_shown_as_the_server_words_it(open_harness) -> None:
    page = open_harness(scenario="idle", lang="en", role="leader", clock=MONDAY_11)
    page.locator("button.bans-btn").click()
    view = bans_view(page)
    # As the brief's contract has it: {code, message}, the message translated.
    page.evaluate(
        "mock.failNext = {code: 'service_validation_error',"
        " message: 'Your role does not allow this (end_ban). Ask a leader.'}"
    )
    view.locator('[data-ban-end="ban2"]').click()
    confirm = dialog(page, "end_ban")
    confirm.locator("[data-confirm]").click()
    expect(confirm.locator(".error")).to_have_text(
        "Your role does not allow this (end_ban). Ask a leader."
    )
    expect(confirm.locator("[data-confirm]")).to_be_enabled()
    expect(view.locator('[data-ban="ban2"]')).to_be_visible()
    # The focus stays in the dialog: Escape still goes back.
    page.keyboard.press("Escape")
    expect(confirm).to_have_count(0)
    # Home Assistant's own prefix is not shown; nor is an error without words.
    page.evaluate(
        "mock.failNext = {code: 'service_validation_error',"
        " message: 'Validation error: The ban must end after it starts'}"
    )
    view.locator('[data-ban-change="ban2"]').click()
    form = ban_form(page)
    form.locator('[data-field="note"]').fill("Changed")
    form.locator("[data-save]").click()
    expect(form.locator(".error")).to_have_text("The ban must end after it starts")
    page.evaluate("mock.failNext = {code: 3}")
    form.locator("[data-save]").click()
    expect(form.locator(".error")).to_have_text("That did not work. Try again.")
    expect(form.locator('[data-field="note"]')).to_have_value("Changed")
    # The server's own check of the dates, through the harness's refusal.
    form.locator('[data-field="end"]').fill("2026-01-01")
    form.locator("[data-save]").click()
    expect(form.locator(".error")).to_have_text("The ban must end after it starts.")
    no_page_errors(page)


def test_a_new_alarm_takes_the_screen_from_the_bans_and_the_form_waits(
    open_harness,
) -> None:
    page = open_harness(scenario="idle", lang="da", role="leader")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator("button.bans-btn").click()
    bans_view(page).locator("button.ban-new").click()
    form = ban_form(page)
    form.locator('[data-field="case_reference"]').fill("2026-3003")
    page.evaluate("mock.trigger('Kontaktrum 2')")
    expect(root).to_have_attribute("data-view", "rooms")
    expect(form).to_have_count(0)
    expect(tile(page, "Kontaktrum 2")).to_have_attribute("data-state", "triggered")
    # Back in the bans, the form is as it was left.
    page.locator("button.bans-btn").click()
    expect(form.locator('[data-field="case_reference"]')).to_have_value("2026-3003")
    page.keyboard.press("Escape")
    expect(form).to_have_count(0)
    expect(bans_view(page).locator("button.ban-new")).to_be_focused()
    assert ban_calls(page) == []
    no_page_errors(page)


@pytest.mark.parametrize(
    ("viewport", "lang", "shot"),
    [
        (WALL, "en", "mock-bans-wall-en.png"),
        (TABLET, "da", "mock-bans-tablet-da.png"),
        (TABLET, "en", "mock-bans-tablet-en.png"),
    ],
)
def test_bans_fit_the_wall_and_the_tablet(
    open_harness, artifacts: Path, viewport, lang: str, shot: str
) -> None:
    narrow = "1" if viewport == TABLET else "0"
    page = open_harness(
        viewport=viewport, scenario="all", lang=lang, role="leader", narrow=narrow
    )
    page.locator("button.bans-btn").click()
    view = bans_view(page)
    expect(view.locator("[data-ban]")).to_have_count(3)
    no_sideways_scroll(page)
    for row in view.locator("[data-ban]").all():
        # Nothing cut: every part of a row inside the screen, buttons for a finger.
        for part in row.locator(".ban-case, .ban-until, button").all():
            box = part.bounding_box()
            assert box
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= viewport["width"]
        for button in row.locator("button").all():
            box = button.bounding_box()
            assert box
            assert box["height"] >= 48
    size = view.locator(".ban-case").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert size >= 30  # the case number reads from a step away
    page.screenshot(path=artifacts / shot)
    view.locator("button.ban-new").click()
    form = ban_form(page)
    expect(form).to_be_visible()
    no_sideways_scroll(page)
    save = form.locator("[data-save]").bounding_box()
    assert save
    assert save["y"] + save["height"] <= viewport["height"]
    page.screenshot(path=artifacts / shot.replace("mock-bans-", "mock-ban-form-"))
    no_page_errors(page)


# -- follow-up after an incident (R6) -------------------------------------------------


def followups_view(page: Page):
    return page.locator("section.followups")


def followup_card(page: Page, incident: str):
    return page.locator(f'.fu-card[data-followup="{incident}"]')


def shown_followups(page: Page) -> list[str]:
    return (
        followups_view(page)
        .locator("[data-followup]")
        .evaluate_all("cards => cards.map(c => c.dataset.followup)")
    )


def follow_up_call(incident: str, item: str, **data) -> dict:
    """The call_service message the panel sends for a tick (the harness records it)."""
    return {
        "type": "call_service",
        "domain": "raadhus_alarm",
        "service": "follow_up",
        "service_data": {"incident_id": incident, "item": item, **data},
        "return_response": True,
    }


def header_is_one_row(page: Page) -> bool:
    """The wall's header keeps one row (the clock beside the hall's name)."""
    return page.evaluate(
        "() => { const r = panel.shadowRoot;"
        " const a = r.querySelector('.clock').getBoundingClientRect();"
        " const b = r.querySelector('.hall').getBoundingClientRect();"
        " return a.top < b.bottom; }"
    )


def test_followup_a_leader_ticks_the_checklist_off(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="alarm", lang="da", role="leader", clock=MONDAY_11)
    root = page.locator("raadhus-alarm-panel .root")
    button = page.locator("button.followup-btn")
    # One open follow-up (twelve days old, overdue) before this alarm.
    expect(button).to_have_text("Opfølgning1")
    expect(button).to_have_attribute("aria-label", "Opfølgning: 1 åbne, 1 forsinket")
    expect(button).to_have_attribute("data-overdue", "true")
    room = tile(page, "Kontaktrum 1")
    incident = room.get_attribute("data-incident")
    assert incident
    room.locator('[data-action="resolve"]').click()
    dialog(page, "resolve").locator('[data-resolution="citizen_left"]').click()
    dialog(page, "resolve").locator("[data-confirm]").click()
    expect(room).to_have_attribute("data-state", "idle")
    # The resolved real alarm has its checklist: the server's push counts it.
    expect(button.locator(".count")).to_have_text("2")
    button.click()
    expect(root).to_have_attribute("data-view", "followups")
    expect(button).to_have_attribute("aria-pressed", "true")
    view = followups_view(page)
    expect(view.locator("h2")).to_have_text("Opfølgning efter alarmer (2)")
    expect(view.locator("h2")).to_be_focused()
    assert shown_followups(page) == [incident, "h4"]  # newest first

    card = followup_card(page, incident)
    expect(card.locator(".fu-room")).to_have_text("Kontaktrum 1")
    expect(card).to_have_attribute("data-state", "resolved")
    expect(card).to_have_attribute("data-overdue", "false")
    expect(card.locator(".badge.overdue")).to_have_count(0)
    expect(card.locator(".fu-when")).to_have_text(
        re.compile(
            r"^Udløst man\. 23\. nov\. 1[01]:\d\d · afsluttet man\. 23\. nov\. 11:00$"
        )
    )
    expect(card.locator(".fu-progress")).to_have_text("0 af 6 punkter")
    # The crisis line valid when it happened; the municipality's CVR with the
    # police report; the relatives only with the employee's consent.
    expect(card.locator(".fu-crisis")).to_have_text(
        "Krisehjælp: Krisepsykologisk Vagt tlf. 70 10 20 30"
    )
    expect(card.locator(".fu-crisis-phone")).to_have_attribute("href", "tel:70102030")
    items = card.locator("[data-item]")
    assert items.evaluate_all("rows => rows.map(r => r.dataset.item)") == [
        "debrief",
        "crisis_help_offered",
        "relatives_contacted",
        "police_report",
        "safety_organisation_told",
        "work_accident_report",
        "video_requested",
    ]
    police = card.locator('[data-item="police_report"]')
    expect(police.locator(".fu-help")).to_have_text(
        "Med kommunen som anmelder (CVR 12345678) — aldrig medarbejderens"
        " CPR-nummer eller private adresse."
    )
    expect(police.locator(".fu-cvr")).to_have_text("12345678")
    expect(card.locator('[data-item="relatives_contacted"] .fu-help')).to_have_text(
        "Kun efter aftale med medarbejderen."
    )
    expect(card.locator('[data-item="video_requested"] .fu-help')).to_have_text(
        "Bestil optagelserne hos sikkerhedskoordinatoren."
    )
    # A work accident only outside working hours: not applicable, no tick.
    accident = card.locator('[data-item="work_accident_report"]')
    expect(accident).to_have_attribute("data-applies", "false")
    expect(accident.locator("[data-tick]")).to_have_count(0)
    expect(accident.locator(".fu-na")).to_have_text("Ikke relevant")
    expect(card.locator("[data-tick]")).to_have_count(6)

    # A tick: the exact call, the answer shown, the focus kept.
    crisis = card.get_by_role("checkbox", name="Krisehjælp tilbudt")
    expect(crisis).to_have_attribute("aria-checked", "false")
    crisis.click()
    expect(crisis).to_have_attribute("aria-checked", "true")
    assert calls_of(page, "call_service") == [
        follow_up_call(incident, "crisis_help_offered", done=True)
    ]
    expect(crisis).to_be_focused()
    expect(card.locator('[data-item="crisis_help_offered"] .fu-done')).to_have_text(
        "Udført man. 23. nov. 11:00 af Betjent Bo"
    )
    expect(card.locator(".fu-progress")).to_have_text("1 af 6 punkter")
    # Taken back, and ticked again.
    crisis.click()
    expect(crisis).to_have_attribute("aria-checked", "false")
    assert calls_of(page, "call_service")[-1] == follow_up_call(
        incident, "crisis_help_offered", done=False
    )
    expect(card.locator('[data-item="crisis_help_offered"] .fu-done')).to_have_count(0)
    crisis.click()
    expect(crisis).to_have_attribute("aria-checked", "true")

    # "Debriefing holdt" before the debrief is recorded: the server refuses,
    # in the user's language, and the dialog stays.
    card.locator('[data-action="debriefed"]').click()
    confirm = dialog(page, "debriefed")
    confirm.locator("[data-confirm]").click()
    expect(confirm.locator(".error")).to_have_text(
        refusal_text("da", "debrief_not_recorded").replace("{room}", "Kontaktrum 1")
    )
    expect(confirm.locator("[data-confirm]")).to_be_enabled()
    assert calls_of(page, "raadhus_alarm/act")[-1] == {
        "type": "raadhus_alarm/act",
        "incident_id": incident,
        "action": "debriefed",
    }
    page.screenshot(path=artifacts / "mock-followup-refused-da.png")
    page.keyboard.press("Escape")
    expect(confirm).to_have_count(0)
    expect(card).to_have_attribute("data-state", "resolved")

    # The debrief: with whom, from Home Assistant's persons (by name).
    debrief = card.locator('[data-tick="debrief"]')
    debrief.click()
    persons = dialog(page, "debrief_persons")
    expect(persons.locator("h2")).to_have_text(
        "Debriefing efter alarmen i Kontaktrum 1"
    )
    expect(persons.locator(".help")).to_have_text(
        "Hvem blev debriefingen holdt med? Vælg en eller flere."
    )
    expect(persons.locator(".person-filter")).to_be_focused()
    assert persons.locator("label.check").all_inner_texts() == [
        "Betjent Birte",
        "Betjent Bo",
        "Centerchef Carl",
        "Leder Lis",
        "Sagsbehandler Sara",
        "Vagt Villy",
    ]
    expect(persons.locator("[data-confirm]")).to_have_text("Gem debriefingen")
    expect(persons.locator("[data-confirm]")).to_be_disabled()  # with nobody
    assert calls_of(page, "call_service")[-1]["service_data"]["item"] != "debrief"
    page.keyboard.type("sara")
    expect(persons.locator("label.check:visible")).to_have_count(1)
    persons.get_by_label("Sagsbehandler Sara").check()
    persons.locator(".person-filter").fill("")
    expect(persons.locator("label.check:visible")).to_have_count(6)
    persons.get_by_label("Betjent Birte").check()
    expect(persons.locator("[data-confirm]")).to_be_enabled()
    page.screenshot(path=artifacts / "mock-followup-persons-da.png")
    persons.locator("[data-confirm]").click()
    expect(persons).to_have_count(0)
    assert calls_of(page, "call_service")[-1] == follow_up_call(
        incident, "debrief", done=True, persons=["person.birte", "person.sara"]
    )
    item = card.locator('[data-item="debrief"]')
    expect(item).to_have_attribute("data-done", "true")
    expect(item.locator(".fu-persons")).to_have_text(
        "Med: Betjent Birte og Sagsbehandler Sara"
    )
    expect(debrief).to_be_focused()
    # Recorded: now "Debriefing holdt" is allowed (the leader's own step).
    expect(card).to_have_attribute("data-state", "resolved")
    card.locator('[data-action="debriefed"]').click()
    dialog(page, "debriefed").locator("[data-confirm]").click()
    expect(card).to_have_attribute("data-state", "debriefed")
    expect(card.locator('[data-action="debriefed"]')).to_have_count(0)
    assert page.evaluate(f"mock.past.find(r => r.id === '{incident}').state") == (
        "debriefed"
    )
    # The persons can be changed: the dialog has them ticked.
    item.locator("[data-persons]").click()
    expect(persons.get_by_label("Betjent Birte")).to_be_checked()
    expect(persons.get_by_label("Sagsbehandler Sara")).to_be_checked()
    expect(persons.get_by_label("Leder Lis")).not_to_be_checked()
    page.keyboard.press("Escape")
    expect(persons).to_have_count(0)
    expect(debrief).to_be_focused()

    # The rest; when every item that applies is done, the card goes.
    for key in (
        "relatives_contacted",
        "police_report",
        "safety_organisation_told",
        "video_requested",
    ):
        tick = card.locator(f'[data-tick="{key}"]')
        tick.click()
        if key != "video_requested":
            expect(tick).to_have_attribute("aria-checked", "true")
    expect(card).to_have_count(0)
    expect(view.locator(".fu-status")).to_have_text(
        "Opfølgningen efter alarmen i Kontaktrum 1 er færdig."
    )
    expect(view.locator("h2")).to_be_focused()
    expect(button.locator(".count")).to_have_text("1")
    assert [c["service_data"]["item"] for c in calls_of(page, "call_service")][-4:] == [
        "relatives_contacted",
        "police_report",
        "safety_organisation_told",
        "video_requested",
    ]
    assert shown_followups(page) == ["h4"]

    # The overdue one: its own crisis line (the one valid then).
    old = followup_card(page, "h4")
    expect(old).to_have_attribute("data-overdue", "true")
    expect(old.locator(".badge.overdue")).to_contain_text("Forsinket")
    expect(old.locator(".fu-crisis")).to_have_text(
        "Krisehjælp: Psykologhjælp Syd tlf. +45 33 44 55 66"
    )
    expect(old.locator(".fu-crisis-phone")).to_have_attribute("href", "tel:+4533445566")
    expect(old.locator(".badge.fu-state")).to_have_text("Debriefing holdt")
    expect(old.locator(".fu-progress")).to_have_text("2 af 6 punkter")
    expect(old.locator('[data-item="debrief"] .fu-done')).to_have_text(
        "Udført ons. 11. nov. 15:00 af Leder Lis"
    )
    view.locator("button.back-btn").click()
    expect(root).to_have_attribute("data-view", "rooms")
    no_page_errors(page)


def test_followup_in_english_and_only_for_leaders(open_harness) -> None:
    page = open_harness(scenario="idle", lang="en", role="leader", clock=MONDAY_11)
    button = page.locator("button.followup-btn")
    expect(button).to_have_text("Follow-up1")
    expect(button).to_have_attribute("aria-label", "Follow-up: 1 open, 1 overdue")
    button.click()
    view = followups_view(page)
    expect(view.locator("h2")).to_have_text("Follow-up after alarms (1)")
    expect(view.locator(".view-intro")).to_have_text(
        "Alarms of the last 30 days whose checklist is not done. Newest first."
    )
    card = followup_card(page, "h4")
    expect(card.locator(".fu-room")).to_have_text("Kontaktrum 2")
    expect(card.locator(".badge.fu-state")).to_have_text("Debriefed")
    expect(card.locator(".badge.overdue")).to_contain_text("Overdue")
    expect(card.locator(".fu-progress")).to_have_text("2 of 6 items")
    expect(card.locator(".fu-crisis")).to_have_text(
        "Crisis help: Psykologhjælp Syd phone +45 33 44 55 66"
    )
    expect(card.locator('[data-item="debrief"] .fu-persons')).to_have_text(
        "With: Betjent Birte and Sagsbehandler Sara"
    )
    expect(card.locator('[data-item="debrief"] .fu-done')).to_have_text(
        "Done Wed 11 Nov 15:00 by Leder Lis"
    )
    expect(card.locator('[data-item="police_report"] .fu-help')).to_have_text(
        "With the municipality as the reporting party (CVR 12345678) — never the"
        " employee's CPR number or private address."
    )
    expect(card.locator('[data-item="relatives_contacted"] .fu-help')).to_have_text(
        "Only with the employee's consent."
    )
    expect(card.locator('[data-item="work_accident_report"] .fu-na')).to_have_text(
        "Not applicable"
    )
    expect(card.get_by_role("checkbox", name="Police report filed")).to_have_attribute(
        "aria-checked", "false"
    )
    # A refused tick: the server's words in the user's language, on the card.
    page.evaluate(
        "mock.failNext = {code: 'service_validation_error',"
        " message: 'Validation error: Your role does not allow this (follow_up)',"
        " translation_domain: 'raadhus_alarm', translation_key: 'not_permitted',"
        " translation_placeholders: {action: 'follow_up'}}"
    )
    card.locator('[data-tick="police_report"]').click()
    expect(card.locator(".fu-error")).to_have_text(
        refusal_text("en", "not_permitted").replace("{action}", "follow_up")
    )
    expect(card.locator('[data-tick="police_report"]')).to_have_attribute(
        "aria-checked", "false"
    )
    # The next tick goes through and clears it.
    card.locator('[data-tick="police_report"]').click()
    expect(card.locator('[data-tick="police_report"]')).to_have_attribute(
        "aria-checked", "true"
    )
    expect(card.locator(".fu-error")).to_have_text("")
    no_page_errors(page)

    # Not a leader: no button, no view, nothing in the state.
    for role in ("officer", "security", "none"):
        page = open_harness(scenario="idle", lang="en", role=role)
        expect(page.locator("button.history-btn")).to_be_visible()
        expect(page.locator("button.followup-btn")).to_be_hidden()
        assert page.evaluate("panel._data.followups") == []
        assert page.evaluate("panel._data.can_follow_up") is False
        page.evaluate("panel._showView('followups')")
        expect(page.locator("raadhus-alarm-panel .root")).to_have_attribute(
            "data-view", "rooms"
        )
        expect(page.locator(".fu-card")).to_have_count(0)
    # The server's gate decides anyway.
    refused = page.evaluate(
        "() => panel.hass.callWS({type: 'call_service', domain: 'raadhus_alarm',"
        " service: 'follow_up', service_data: {incident_id: 'h4',"
        " item: 'police_report', done: true}, return_response: true})"
        ".then(() => null, (err) => err)"
    )
    assert refused["translation_key"] == "not_permitted"
    assert refused["translation_placeholders"] == {"action": "follow_up"}
    no_page_errors(page)


@pytest.mark.parametrize(
    ("viewport", "lang", "shot"),
    [
        (WALL, "da", "mock-followup-wall-da.png"),
        (TABLET, "en", "mock-followup-tablet-en.png"),
        (TABLET, "da", "mock-followup-tablet-da.png"),
    ],
)
def test_followup_fits_the_wall_and_the_tablet(
    open_harness, artifacts: Path, viewport, lang: str, shot: str
) -> None:
    narrow = "1" if viewport == TABLET else "0"
    page = open_harness(
        viewport=viewport, scenario="all", lang=lang, role="leader", narrow=narrow
    )
    if viewport == WALL:
        # Four view buttons and the clock: still the wall's one header row.
        assert header_is_one_row(page)
    # Kontaktrum 2's alarm (acknowledged) resolved: a fresh checklist.
    room = tile(page, "Kontaktrum 2")
    room.locator('[data-action="resolve"]').click()
    dialog(page, "resolve").locator('[data-resolution="police_called"]').click()
    dialog(page, "resolve").locator("[data-confirm]").click()
    expect(room).to_have_attribute("data-state", "idle")
    expect(page.locator("button.followup-btn .count")).to_have_text("2")
    page.locator("button.followup-btn").click()
    view = followups_view(page)
    expect(view.locator(".fu-card")).to_have_count(2)
    view.locator(".fu-card").first.locator('[data-tick="crisis_help_offered"]').click()
    expect(
        view.locator(".fu-card").first.locator('[data-tick="crisis_help_offered"]')
    ).to_have_attribute("aria-checked", "true")
    page.mouse.move(0, 0)
    no_sideways_scroll(page)
    for card in view.locator(".fu-card").all():
        for part in card.locator("[data-tick], button, .fu-crisis").all():
            box = part.bounding_box()
            assert box
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= viewport["width"]
        for tick in card.locator("[data-tick], button").all():
            box = tick.bounding_box()
            assert box
            assert box["height"] >= 48  # a finger
    page.screenshot(path=artifacts / shot, full_page=True)
    # The persons' dialog fits too.
    view.locator(".fu-card").first.locator('[data-tick="debrief"]').click()
    persons = dialog(page, "debrief_persons")
    expect(persons).to_be_visible()
    no_sideways_scroll(page)
    save = persons.locator("[data-confirm]").bounding_box()
    assert save
    assert save["y"] + save["height"] <= viewport["height"]
    if viewport == TABLET:
        page.screenshot(
            path=artifacts / shot.replace("mock-followup-", "mock-followup-persons-")
        )
    no_page_errors(page)


def test_a_new_alarm_takes_the_screen_from_the_follow_up_and_the_statistics(
    open_harness,
) -> None:
    page = open_harness(scenario="idle", lang="da", role="leader")
    root = page.locator("raadhus-alarm-panel .root")
    page.locator("button.followup-btn").click()
    followup_card(page, "h4").locator('[data-tick="video_requested"]').click()
    expect(
        followup_card(page, "h4").locator('[data-tick="video_requested"]')
    ).to_have_attribute("aria-checked", "true")
    page.locator('.fu-card [data-tick="debrief"]').click()  # done: taken back
    expect(page.locator('.fu-card [data-tick="debrief"]')).to_have_attribute(
        "aria-checked", "false"
    )
    page.locator('.fu-card [data-tick="debrief"]').click()
    expect(dialog(page, "debrief_persons")).to_be_visible()
    page.evaluate("mock.trigger('Akutrum 1')")
    expect(root).to_have_attribute("data-view", "rooms")
    expect(dialog(page, "debrief_persons")).to_have_count(0)
    expect(tile(page, "Akutrum 1")).to_have_attribute("data-state", "triggered")
    page.locator("button.stats-btn").click()
    expect(root).to_have_attribute("data-view", "statistics")
    page.evaluate("mock.trigger('Akutrum 2')")
    expect(root).to_have_attribute("data-view", "rooms")
    expect(tile(page, "Akutrum 2")).to_have_attribute("data-state", "triggered")
    no_page_errors(page)


# -- response statistics ------------------------------------------------------------

STATS = {
    # The harness's last 30 days and its drills, as the panel words them.
    "last_30_days": {
        "count": "4",
        "cancelled": "1",
        "ack_median": "1 min 05 s",
        "ack_p90": "2 min 22 s",
        "on_scene_median": "3 min 08 s",
        "on_scene_p90": "5 min 01 s",
    },
    "drills": {
        "count": "2",
        "cancelled": "0",
        "ack_median": "42 s",
        "ack_p90": "58 s",
        "on_scene_median": "2 min 10 s",
        "on_scene_p90": "2 min 32 s",
    },
}
STATS_TEXTS = {
    "da": {
        "button": "Statistik",
        "title": "Svartider og antal alarmer",
        "groups": [
            "De sidste 30 dage",
            "Øvelser de sidste 30 dage (ikke talt med ovenfor)",
        ],
        "labels": [
            "Alarmer",
            "Heraf falske alarmer",
            "Til kvittering, median",
            "Til kvittering, 9 ud af 10 inden for",
            "Til på stedet, median",
            "Til på stedet, 9 ud af 10 inden for",
        ],
        "first": "dec.2025",
        "last": "nov.",
        "row": "november 2026",
        "none": "ingen data",
    },
    "en": {
        "button": "Stats",
        "title": "Response times and number of alarms",
        "groups": [
            "The last 30 days",
            "Drills in the last 30 days (not counted above)",
        ],
        "labels": [
            "Alarms",
            "False alarms among them",
            "To acknowledge, median",
            "To acknowledge, 90th percentile",
            "To on scene, median",
            "To on scene, 90th percentile",
        ],
        "first": "Dec2025",
        "last": "Nov",
        "row": "November 2026",
        "none": "no data",
    },
}


@pytest.mark.parametrize(
    ("viewport", "lang", "shot"),
    [
        (WALL, "da", "mock-statistics-wall-da.png"),
        (TABLET, "en", "mock-statistics-tablet-en.png"),
    ],
)
def test_statistics_the_last_30_days_and_a_chart_per_month(
    open_harness, artifacts: Path, viewport, lang: str, shot: str
) -> None:
    narrow = "1" if viewport == TABLET else "0"
    texts = STATS_TEXTS[lang]
    page = open_harness(
        viewport=viewport,
        scenario="idle",
        lang=lang,
        role="officer",
        narrow=narrow,
        clock=MONDAY_11,
    )
    root = page.locator("raadhus-alarm-panel .root")
    button = page.locator("button.stats-btn")
    expect(button).to_have_text(texts["button"])
    button.click()
    expect(root).to_have_attribute("data-view", "statistics")
    view = page.locator("section.stats")
    expect(view.locator("h2")).to_have_text(texts["title"])
    expect(view.locator("h2")).to_be_focused()
    assert calls_of(page, "raadhus_alarm/statistics") == [
        {"type": "raadhus_alarm/statistics"}
    ]
    groups = view.locator("[data-stat-group]")
    expect(groups).to_have_count(2)
    expect(groups.locator("h3")).to_have_text(texts["groups"])
    for group, key in (("last_30_days", "last_30_days"), ("drills", "drills")):
        figures = view.locator(f'[data-stat-group="{group}"]')
        expect(figures.locator("dt")).to_have_text(texts["labels"])
        for stat, value in STATS[key].items():
            expect(figures.locator(f'[data-stat="{stat}"] .stat-value')).to_have_text(
                value
            )
    # One bar per month (oldest first), a point per month with a median.
    chart = view.locator("svg.chart")
    expect(chart).to_have_attribute("aria-hidden", "true")
    bars = chart.locator("rect.bar")
    expect(bars).to_have_count(12)
    assert bars.evaluate_all("b => b.map(x => x.dataset.month)") == [
        "2025-12",
        *(f"2026-{m:02d}" for m in range(1, 12)),
    ]
    counts = bars.evaluate_all("b => b.map(x => Number(x.dataset.count))")
    assert counts == [2, 4, 0, 3, 5, 1, 6, 2, 3, 4, 7, 4]
    heights = bars.evaluate_all("b => b.map(x => Number(x.getAttribute('height')))")
    assert heights[10] == max(heights)
    assert heights[2] == 0
    expect(chart.locator("circle.ack-point")).to_have_count(10)
    labels = chart.locator("text.month-label")
    expect(labels).to_have_count(12)
    expect(labels.first).to_have_text(texts["first"])
    expect(labels.last).to_have_text(texts["last"])
    # The same numbers for a screen reader, in a visually hidden table.
    table = view.locator("table.stat-table")
    expect(table.locator("tbody tr")).to_have_count(12)
    row = table.locator('tr[data-month="2026-11"]')
    expect(row.locator("th")).to_have_text(texts["row"])
    expect(row.locator("td")).to_have_text(list(STATS["last_30_days"].values()))
    expect(
        table.locator('tr[data-month="2026-02"] td[data-stat="ack_median"]')
    ).to_have_text(texts["none"])
    box = view.locator(".stat-table-wrap.visually-hidden").bounding_box()
    assert box
    assert box["width"] <= 1
    assert box["height"] <= 1
    no_sideways_scroll(page)
    box = chart.bounding_box()
    assert box
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=artifacts / shot, full_page=True)

    # Asked anew each time the view opens.
    page.evaluate(
        "mock.statistics.last_30_days = {count: 5, cancelled: 0, ack_median: 3725,"
        " ack_p90: null, on_scene_median: 59.6, on_scene_p90: 60}"
    )
    view.locator("button.back-btn").click()
    expect(root).to_have_attribute("data-view", "rooms")
    button.click()
    last = view.locator('[data-stat-group="last_30_days"]')
    expect(last.locator('[data-stat="count"] .stat-value')).to_have_text("5")
    expect(last.locator('[data-stat="ack_median"] .stat-value')).to_have_text(
        {"da": "1 t 02 min", "en": "1 h 02 min"}[lang]
    )
    expect(last.locator('[data-stat="ack_p90"] .stat-value')).to_have_attribute(
        "data-empty", "true"
    )
    expect(last.locator('[data-stat="on_scene_median"] .stat-value')).to_have_text(
        "1 min 00 s"
    )
    assert len(calls_of(page, "raadhus_alarm/statistics")) == 2
    # A server that cannot answer: said so, nothing stale shown.
    page.evaluate("mock.failNext = {code: 'not_loaded', message: 'x'}")
    view.locator("button.back-btn").click()
    button.click()
    expect(view.locator(".stats-error")).to_have_text(
        {
            "da": "Statistikken kunne ikke hentes: Rådhus Alarm er ikke sat op eller"
            " ikke startet",
            "en": "The statistics could not be loaded: Rådhus Alarm is not set up or"
            " not running",
        }[lang]
    )
    expect(view.locator("[data-stat-group]")).to_have_count(0)
    no_page_errors(page)


# -- video evidence in the history --------------------------------------------------

SIGNED = r"\?authSig=sig\d+\.300$"


def history_row(page: Page, incident: str):
    return page.locator(f'.history [data-history-incident="{incident}"]')


def test_evidence_a_reader_sees_signed_thumbnails_and_keeps_them(
    open_harness, artifacts: Path
) -> None:
    page = open_harness(scenario="idle", lang="da", role="leader", clock=MONDAY_11)
    # A leader's four view buttons keep the wall's header one row (police out).
    assert header_is_one_row(page)
    page.locator("button.history-btn").click()
    row = history_row(page, "h1")
    toggle = row.locator("[data-evidence-toggle]")
    expect(toggle).to_have_text("Bevis (3)")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    # Kept for the police already: said on the row.
    expect(history_row(page, "h4").locator(".badge.kept")).to_have_text(
        "Gemmes til politiet"
    )
    # Without files, no evidence to open.
    expect(history_row(page, "h3").locator("[data-evidence-toggle]")).to_have_count(0)
    assert calls_of(page, "auth/sign_path") == []  # nothing signed before it is opened

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    evidence = row.locator(".h-evidence")
    expect(evidence.locator("h3")).to_have_text("Video og billeder fra alarmen")
    images = evidence.locator("img")
    expect(images).to_have_count(2)
    for i, name in enumerate(["snapshot-1.jpg", "snapshot-2.jpg"]):
        expect(images.nth(i)).to_have_attribute(
            "src",
            re.compile(rf"^/api/raadhus_alarm/evidence/h1/{re.escape(name)}{SIGNED}"),
        )
    expect(images.first).to_have_attribute(
        "alt", "Stillbillede fra Kontaktrum 2 kamera søn. 22. nov. 11:00"
    )
    # The view requires auth: only the signed paths load.
    page.wait_for_function(
        "() => [...panel.shadowRoot.querySelectorAll('.h-evidence img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    clip = evidence.locator('[data-kind="clip"] a.ev-clip')
    expect(clip).to_have_attribute(
        "href", re.compile(rf"^/api/raadhus_alarm/evidence/h1/clip-1\.mp4{SIGNED}")
    )
    expect(clip).to_have_text("Videoklip fra Kontaktrum 2 kamera søn. 22. nov. 11:00")
    expect(clip).to_have_attribute("target", "_blank")
    assert sorted(
        (c["path"], c["expires"]) for c in calls_of(page, "auth/sign_path")
    ) == [
        ("/api/raadhus_alarm/evidence/h1/clip-1.mp4", 300),
        ("/api/raadhus_alarm/evidence/h1/snapshot-1.jpg", 300),
        ("/api/raadhus_alarm/evidence/h1/snapshot-2.jpg", 300),
    ]

    # Keep for police report: the switch, the call, the row says so.
    keep = evidence.get_by_role("switch", name="Gem til politianmeldelse")
    expect(keep).to_have_attribute("aria-checked", "false")
    keep.click()
    expect(keep).to_have_attribute("aria-checked", "true")
    expect(row.locator(".badge.kept")).to_have_text("Gemmes til politiet")
    assert calls_of(page, "call_service") == [
        {
            "type": "call_service",
            "domain": "raadhus_alarm",
            "service": "keep_evidence",
            "service_data": {"incident_id": "h1", "keep": True},
        }
    ]
    assert page.evaluate("mock.evidence.h1.keep") is True
    expect(keep).to_be_focused()
    # The history read again: the row stays open, its paths still signed.
    page.wait_for_function(
        "mock.calls.filter(c => c.type === 'raadhus_alarm/history').length >= 2"
    )
    expect(images).to_have_count(2)
    assert len(calls_of(page, "auth/sign_path")) == 3
    page.screenshot(path=artifacts / "mock-evidence-wall-da.png")
    no_sideways_scroll(page)
    # Closed again: the thumbnails go.
    toggle.click()
    expect(row.locator(".h-evidence")).to_have_count(0)
    no_page_errors(page)


def test_evidence_only_for_readers(open_harness, artifacts: Path) -> None:
    # The security coordinator sees and keeps evidence, and debriefs nothing.
    page = open_harness(
        viewport=TABLET, scenario="idle", lang="en", role="security", narrow="1"
    )
    page.locator("button.history-btn").click()
    row = history_row(page, "h1")
    expect(row.locator("[data-evidence-toggle]")).to_have_text("Evidence (3)")
    expect(page.locator('.history [data-action="debriefed"]')).to_have_count(0)
    expect(page.locator(".history .export")).to_be_hidden()
    row.locator("[data-evidence-toggle]").click()
    evidence = row.locator(".h-evidence")
    expect(evidence.locator("h3")).to_have_text("Video and images from the alarm")
    expect(evidence.locator("img")).to_have_count(2)
    keep = evidence.get_by_role("switch", name="Keep for police report")
    expect(keep).to_be_visible()
    page.wait_for_function(
        "() => [...panel.shadowRoot.querySelectorAll('.h-evidence img')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    no_sideways_scroll(page)
    for part in evidence.locator("img, a, button").all():
        box = part.bounding_box()
        assert box
        assert box["x"] + box["width"] <= TABLET["width"]
    page.screenshot(path=artifacts / "mock-evidence-tablet-en.png")
    # A refusal is shown with the evidence, the switch unchanged.
    page.evaluate(
        "mock.failNext = {code: 'service_validation_error',"
        " message: 'Validation error: There is no incident h1'}"
    )
    keep.click()
    expect(evidence.locator(".ev-error")).to_have_text("There is no incident h1")
    expect(keep).to_have_attribute("aria-checked", "false")
    no_page_errors(page)

    # Officers (and the safety organisation) get null: no evidence at all.
    for role in ("officer", "safety"):
        page = open_harness(scenario="idle", lang="da", role=role)
        page.locator("button.history-btn").click()
        expect(page.locator(".history [data-history-incident]")).to_have_count(6)
        expect(
            page.locator("[data-evidence-toggle], .h-evidence, .badge.kept")
        ).to_have_count(0)
        assert page.evaluate("panel._history.rows.every(r => r.evidence === null)")
        assert calls_of(page, "auth/sign_path") == []
        no_page_errors(page)


# -- the log's CSV download ----------------------------------------------------------


def test_export_signs_the_chosen_period_and_downloads(open_harness) -> None:
    page = open_harness(scenario="idle", lang="da", role="leader", clock=MONDAY_11)
    page.locator("button.history-btn").click()
    export = page.locator(".history .export")
    expect(export).to_be_visible()
    expect(export.locator(".export-title")).to_have_text("Hent log som CSV")
    start = export.get_by_label("Fra", exact=True)
    end = export.get_by_label("Til", exact=True)
    drills = export.get_by_role("combobox", name="Øvelser")
    # By default the last 30 days, drills included.
    expect(start).to_have_value("2026-10-24")
    expect(end).to_have_value("2026-11-23")
    expect(drills).to_have_value("include")
    expect(drills.locator("option")).to_have_text(
        ["Med øvelser", "Uden øvelser", "Kun øvelser"]
    )
    button = export.locator("[data-export-download]")
    expect(button).to_have_text("Hent CSV")
    # A period that ends before it starts cannot be asked for.
    start.fill("2026-11-30")
    expect(button).to_be_disabled()
    expect(export.locator(".export-hint")).to_have_text(
        "Fra-datoen må ikke ligge efter til-datoen."
    )
    start.fill("2026-11-01")
    end.fill("2026-11-20")
    drills.select_option("exclude")
    expect(export.locator(".export-hint")).to_have_text("")
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.url == (
        f"{ORIGIN}/api/raadhus_alarm/export.csv?start=2026-11-01&end=2026-11-20"
        "&drills=exclude&authSig=sig1.60"
    )
    assert download.suggested_filename == "raadhus-alarm-2026-11-01-2026-11-20.csv"
    assert calls_of(page, "auth/sign_path") == [
        {
            "type": "auth/sign_path",
            "path": "/api/raadhus_alarm/export.csv"
            "?start=2026-11-01&end=2026-11-20&drills=exclude",
            "expires": 60,
        }
    ]
    expect(export).to_have_attribute(
        "data-export-url", re.compile(r"authSig=sig1\.60$")
    )
    # The panel stays where it was.
    expect(page.locator("raadhus-alarm-panel .root")).to_have_attribute(
        "data-view", "history"
    )
    no_sideways_scroll(page)
    no_page_errors(page)

    # English, only drills; not for an officer.
    page = open_harness(
        viewport=TABLET,
        scenario="idle",
        lang="en",
        role="safety",
        narrow="1",
        clock=MONDAY_11,
    )
    page.locator("button.history-btn").click()
    export = page.locator(".history .export")
    expect(export.locator(".export-title")).to_have_text("Download the log as CSV")
    export.get_by_role("combobox", name="Drills").select_option("only")
    with page.expect_download() as download_info:
        export.get_by_role("button", name="Download CSV").click()
    assert download_info.value.url.endswith(
        "/api/raadhus_alarm/export.csv?start=2026-10-24&end=2026-11-23&drills=only"
        "&authSig=sig1.60"
    )
    no_sideways_scroll(page)
    page = open_harness(scenario="idle", lang="da", role="officer")
    page.locator("button.history-btn").click()
    expect(page.locator(".history [data-history-incident]")).to_have_count(6)
    expect(page.locator(".history .export")).to_be_hidden()
    no_page_errors(page)
