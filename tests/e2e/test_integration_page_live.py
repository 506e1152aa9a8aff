"""The integration page in a real Home Assistant, in Danish (scripts/e2e).

Facilities staff add a room and a panic button the way Home Assistant shows
them: *Indstillinger → Enheder & tjenester → Rådhus Alarm*, the "Tilføj rum"
and "Tilføj alarmtryk" buttons of the config subentries, their dialogs, and
then the room's area page, which shows the room's alarm. Logged in as the
demo's owner (an administrator: only administrators reach these forms), with
the frontend's language set to Danish. The spare button is the demo's
`binary_sensor.reserveknap` (config/configuration.yaml). Screenshots:
integration-page.png, add-room.png, add-button.png, add-button-device.png,
button-model.png, integration-page-added.png, area-page.png.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any
import urllib.request

from playwright.sync_api import Browser, Page, expect
import pytest
from test_panel_live import URL, login

ROOM = "Kontaktrum 3"
BUTTON = "Reserveknap under bordet"
SOURCE = "Binær sensor"
PAGE = f"{URL}/config/integrations/integration/raadhus_alarm"


@pytest.fixture(scope="module")
def owner() -> dict[str, Any]:
    try:
        urllib.request.urlopen(URL + "/manifest.json", timeout=5).close()
    except OSError as err:
        pytest.fail(f"no Home Assistant at {URL} ({err}); run scripts/e2e")
    return login("demo", "demo")


@pytest.fixture
def page(browser: Browser, owner: dict[str, Any]) -> Iterator[Page]:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="da-DK"
    )
    tokens = json.dumps(json.dumps(owner))
    # The frontend's own storage: its login, and the language chosen in the
    # profile (Danish, whatever the browser says).
    context.add_init_script(
        f"localStorage.setItem('hassTokens', {tokens});"
        "localStorage.setItem('selectedLanguage', '\"da\"');"
    )
    page = context.new_page()
    yield page
    context.close()


def _dialog(page: Page) -> Any:
    return page.locator("dialog-data-entry-flow")


def _submit(page: Page) -> None:
    _dialog(page).get_by_role("button", name="Indsend").click()


def _choose(page: Page, field: int, text: str) -> None:
    """Open the form's `field`-th drop-down and choose the option shown as text."""
    _dialog(page).locator("ha-selector-select").nth(field).click()
    page.get_by_role("menuitem", name=text, exact=True).click()


def _pick_entity(page: Page, text: str) -> None:
    """Open the form's entity picker, search, and choose the entity shown as text."""
    _dialog(page).locator("ha-selector-entity").first.click()
    _dialog(page).locator("ha-picker-combo-box").get_by_placeholder("Søg").fill(text)
    page.locator("ha-combo-box-item").filter(has_text=text).last.click()


def test_add_a_room_and_a_button_in_danish(page: Page, artifacts: Path) -> None:
    page.goto(PAGE)
    add_room = page.get_by_role("button", name="Tilføj rum")
    expect(add_room).to_be_visible(timeout=30_000)
    page.screenshot(path=artifacts / "integration-page.png")

    # -- the room: its name; the area is left empty (the area of its name).
    add_room.click()
    dialog = _dialog(page)
    expect(dialog.get_by_text("Tilføj et rum")).to_be_visible()
    dialog.get_by_role("textbox", name=re.compile("^Navn")).fill(ROOM)
    page.screenshot(path=artifacts / "add-room.png")
    _submit(page)
    expect(dialog.get_by_text(f"Oprettede konfiguration for {ROOM}")).to_be_visible()
    dialog.get_by_role("button", name="Afslut").click()

    # -- the button: room, name and source; then only the entity of that source.
    page.get_by_role("button", name="Tilføj alarmtryk").click()
    expect(dialog.get_by_text("Tilføj et alarmtryk")).to_be_visible()
    _choose(page, 0, ROOM)
    dialog.get_by_role("textbox", name=re.compile("^Navn")).fill(BUTTON)
    _choose(page, 1, SOURCE)
    page.screenshot(path=artifacts / "add-button.png")
    _submit(page)
    expect(dialog.get_by_text("Alarmtrykkets enhed")).to_be_visible()
    expect(dialog.get_by_text("Kilde: Binær sensor.")).to_be_visible()
    expect(dialog.get_by_text("Zigbee2MQTT-emne")).to_have_count(0)
    _pick_entity(page, "Reserveknap")  # binary_sensor.reserveknap
    page.screenshot(path=artifacts / "add-button-device.png")
    _submit(page)
    # The model step, with the button test offered.
    expect(dialog.get_by_text("Panikknappens model")).to_be_visible()
    expect(dialog.get_by_text("Test knappen nu").first).to_be_visible()
    page.screenshot(path=artifacts / "button-model.png")
    _submit(page)
    expect(dialog.get_by_text("Oprettede konfiguration for")).to_be_visible()
    dialog.get_by_role("button", name="Afslut").click()

    # Both are listed on the integration page, the button under its room's name.
    expect(dialog.get_by_text("Oprettede konfiguration for")).to_have_count(0)
    expect(page.get_by_text(f"{ROOM} · {BUTTON}", exact=True)).to_be_visible(
        timeout=15_000
    )
    page.screenshot(path=artifacts / "integration-page-added.png", full_page=True)


def test_the_area_page_of_a_room_shows_its_alarm(page: Page, artifacts: Path) -> None:
    page.goto(f"{URL}/config/areas/area/kontaktrum_1")
    expect(page.get_by_text("Kontaktrum 1").first).to_be_visible(timeout=30_000)
    # The room's own device and its button's beside the camera, and the room's
    # alarm and incident state among the area's entities (its activity).
    devices = page.locator("ha-card").filter(has_text="Enheder")
    expect(devices.get_by_text("Kontaktrum 1", exact=True)).to_be_visible()
    expect(devices.get_by_text("Kamera Kontaktrum 1", exact=True)).to_be_visible()
    activity = page.locator("ha-card").filter(has_text="Aktivitet")
    expect(activity.get_by_text("Alarm", exact=True).first).to_be_visible()
    expect(activity.get_by_text("Hændelsesstatus", exact=True).first).to_be_visible()
    page.screenshot(path=artifacts / "area-page.png", full_page=True)
