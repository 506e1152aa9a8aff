"""The demo town hall, configured through Home Assistant's own APIs.

Run by scripts/develop once Home Assistant answers. Every step is idempotent:
it adds only what is missing, so a second start changes nothing and edits made
in the UI survive. All names, numbers and people are invented.

What it does, in the order a person would:

1. onboarding (first start only): owner "Demo", user ``demo``, password ``demo``;
2. removes what onboarding adds for a home (cloud TTS, shopping list,
   living room/kitchen/bedroom areas) — a town hall demo needs none of it;
3. people: a Home Assistant user + person per invented responder (password
   ``demo``), like Settings → People → Add person → "Allow login"; all demo
   accounts, the owner too, may log in from the local network only;
4. phones: each responder's "companion app" logs in as that responder and
   registers through the real registration API, with the demo push gateway
   as its push_url (mobile_app then links the phone's tracker to the person);
5. the ``raadhus_alarm`` entry through the config flow, then rooms, buttons
   and responders through their subentry flows (as "Add room" etc. on the
   integration page), and schedules, timings and contacts through the options
   flow — one flow per change, exactly as facilities staff do in the UI.

Usage: .venv/bin/python scripts/demo/town_hall.py [--url URL]
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
import os
import sys
import time
from typing import Any
import unicodedata

import aiohttp
from ha_client import HAError, HomeAssistant

DEFAULT_URL = "http://127.0.0.1:8123"
OWNER = {"name": "Demo", "username": "demo", "password": "demo"}
RESPONDER_PASSWORD = "demo"
TOWN_HALL = "Demo Rådhus"
PUSH_PATH = "/api/raadhus_demo/push"

# Onboarding sets these up for a home; the town hall demo removes them. (met
# aborts: the demo has no home location; radio_browser, which would reach the
# internet at start-up, is switched off by config/custom_components/radio_browser.)
ONBOARDING_EXTRAS = ("google_translate", "shopping_list")


@dataclass(frozen=True)
class Responder:
    """An invented person with a phone."""

    name: str
    username: str
    roles: tuple[str, ...]
    phone: str
    os: str  # "iOS" or "Android"
    language: str = "da"


PEOPLE: tuple[Responder, ...] = (
    Responder("Betjent Bo", "bo", ("officer",), "Bo iPhone", "iOS"),
    Responder("Betjent Birte", "birte", ("officer",), "Birte Pixel", "Android"),
    Responder("Leder Lis", "lis", ("leader",), "Lis iPhone", "iOS"),
    Responder("Centerchef Carl", "carl", ("centre_chief",), "Carl Galaxy", "Android"),
    Responder("AMR Anne", "anne", ("safety_organisation",), "Anne iPhone", "iOS"),
    Responder(
        "Arbejdsmiljøleder Arne",
        "arne",
        ("safety_organisation",),
        "Arne Pixel",
        "Android",
    ),
    Responder(
        "Vagt Villy", "villy", ("out_of_hours",), "Villy Android", "Android", "en"
    ),
    Responder(
        "Risikokoordinator Rikke", "rikke", ("risk_coordinator",), "Rikke iPhone", "iOS"
    ),
    Responder(
        "Sikkerhedskoordinator Søren",
        "soren",
        ("security_coordinator",),
        "Søren iPhone",
        "iOS",
    ),
    Responder("Drift Dorthe", "dorthe", ("facilities",), "Dorthe Pixel", "Android"),
    # Case workers: no responder role, but informed about alarms in their room.
    Responder("Sagsbehandler Sara", "sara", (), "Sara iPhone", "iOS"),
    Responder("Rådgiver Rasmus", "rasmus", (), "Rasmus Android", "Android"),
)


@dataclass(frozen=True)
class Room:
    """A room of the demo town hall."""

    name: str
    kind: str
    cameras: tuple[str, ...] = ()
    case_worker: str | None = None  # a person's name


ROOMS: tuple[Room, ...] = (
    Room(
        "Kontaktrum 1", "contact_room", ("camera.kontaktrum_1",), "Sagsbehandler Sara"
    ),
    Room("Kontaktrum 2", "contact_room", ("camera.kontaktrum_2",), "Rådgiver Rasmus"),
    Room("Akutrum 1", "emergency_room", ("camera.akutrum_1",)),
    Room("Akutrum 2", "emergency_room", ("camera.akutrum_2",)),
    Room("Venteområde", "waiting_area", ("camera.venteomrade",)),
)

SCHEDULES = {
    "officers_on_duty": "schedule.officers_on_duty",
    "police_present": "schedule.police_present",
    "crisis_line_hours": "schedule.crisis_line_hours",
}
TIMINGS = {
    "hold_threshold": 2.0,
    "ack_timeout": 30,
    "unseen_hours": 25,
    "retention_days": 1825,
}
CONTACTS = {
    "crisis_in_hours_name": "Forsikringens krisehjælp (demo)",
    "crisis_in_hours_phone": "+45 00 00 00 01",
    "crisis_out_of_hours_name": "Krisehjælp døgnvagt (demo)",
    "crisis_out_of_hours_phone": "+45 00 00 00 02",
    "cvr": "00000000",
}


def slug(text: str) -> str:
    """Home Assistant's slugify for the names used here (ASCII-folds æøå)."""
    table = str.maketrans(
        {"æ": "ae", "ø": "o", "å": "a", "Æ": "AE", "Ø": "O", "Å": "A"}
    )
    text = unicodedata.normalize("NFKD", text.translate(table))
    text = text.encode("ascii", "ignore").decode().lower()
    out = "".join(c if c.isalnum() else "_" for c in text)
    return "_".join(part for part in out.split("_") if part)


def say(message: str) -> None:
    print(f"demo: {message}", flush=True)


# ---------------------------------------------------------------------------
# waiting and onboarding
# ---------------------------------------------------------------------------


def _alive(pid: int | None) -> bool:
    if pid is None:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def wait_until_up(url: str, pid: int | None = None, within: float = 180) -> None:
    """Wait until Home Assistant's HTTP server answers (or its process ended)."""
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                # Any HTTP answer will do (not /api/: a 401 there is logged).
                async with session.get(
                    url + "/manifest.json", timeout=aiohttp.ClientTimeout(total=3)
                ):
                    return
            except aiohttp.ClientError, TimeoutError:
                if not _alive(pid):
                    raise SystemExit(
                        "demo: Home Assistant exited during start-up"
                        " (see config/home-assistant.log)"
                    ) from None
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"demo: Home Assistant did not answer on {url}"
                    ) from None
                await asyncio.sleep(0.5)


async def onboard(ha: HomeAssistant) -> bool:
    """Complete onboarding through its API; return True when it ran now."""
    steps = await ha.rest("GET", "/api/onboarding", auth=False, ok=(200, 404))
    if not isinstance(steps, list):
        return False  # onboarded: the onboarding views are gone
    pending = [s["step"] for s in steps if not s["done"]]
    if not pending:
        return False
    if "user" in pending:
        say("onboarding: owner 'Demo' (user demo / password demo)")
        result = await ha.rest(
            "POST",
            "/api/onboarding/users",
            {**OWNER, "client_id": ha.client_id, "language": "da"},
            auth=False,
        )
        await ha.exchange_code(result["auth_code"])
    else:
        await ha.login(OWNER["username"], OWNER["password"])
    if "core_config" in pending:
        await ha.rest("POST", "/api/onboarding/core_config", {})
    if "analytics" in pending:
        # Completing the step leaves analytics off (nothing is sent).
        await ha.rest("POST", "/api/onboarding/analytics", {})
    if "integration" in pending:
        await ha.rest(
            "POST",
            "/api/onboarding/integration",
            {"client_id": ha.client_id, "redirect_uri": ha.client_id},
        )
    say("onboarding: done")
    return True


async def remove_home_extras(ha: HomeAssistant) -> None:
    """Remove what onboarding sets up for a home (it starts them in the background)."""
    removed: set[str] = set()
    expected = set(ONBOARDING_EXTRAS)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not expected <= removed:
        for domain in ONBOARDING_EXTRAS:
            for entry in await ha.config_entries(domain):
                await ha.rest(
                    "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
                )
                removed.add(domain)
        await asyncio.sleep(0.2)
    room_names = {r.name for r in ROOMS}
    for area in await ha.ws("config/area_registry/list"):
        if area["name"] not in room_names:
            await ha.ws("config/area_registry/delete", area_id=area["area_id"])
            removed.add(f"area {area['name']}")
    if removed:
        say(f"removed onboarding extras: {', '.join(sorted(removed))}")


# ---------------------------------------------------------------------------
# people and phones
# ---------------------------------------------------------------------------


async def owner_local_only(ha: HomeAssistant) -> None:
    """The well-known demo password must not work from the internet."""
    for user in await ha.ws("config/auth/list"):
        if user["name"] == OWNER["name"] and not user.get("local_only"):
            await ha.ws("config/auth/update", user_id=user["id"], local_only=True)
            say("owner 'Demo' may log in from the local network only")


async def ensure_people(ha: HomeAssistant) -> None:
    """A user (login allowed, local only) and a person per responder."""
    persons = await ha.ws("person/list")
    existing = {p["name"] for p in persons["storage"]} | {
        p["name"] for p in persons["config"]
    }
    users = {u["name"]: u for u in await ha.ws("config/auth/list")}
    created = []
    for r in PEOPLE:
        if r.name in existing:
            continue
        user = users.get(r.name)
        if user is None:
            user = (
                await ha.ws(
                    "config/auth/create",
                    name=r.name,
                    group_ids=["system-users"],
                    local_only=True,
                )
            )["user"]
            await ha.ws(
                "config/auth_provider/homeassistant/create",
                user_id=user["id"],
                username=r.username,
                password=RESPONDER_PASSWORD,
            )
        await ha.ws(
            "person/create", name=r.name, user_id=user["id"], device_trackers=[]
        )
        created.append(r.name)
    if created:
        say(f"people: created {', '.join(created)}")


async def mobile_app_devices(ha: HomeAssistant) -> dict[str, str]:
    """Companion-app devices: device name -> device registry id."""
    entry_ids = {e["entry_id"] for e in await ha.config_entries("mobile_app")}
    return {
        d["name"]: d["id"]
        for d in await ha.ws("config/device_registry/list")
        if entry_ids & set(d["config_entries"])
    }


async def register_phone(url: str, r: Responder) -> None:
    """The companion app: log in as the responder, register the phone."""
    async with await HomeAssistant.connect(url) as phone:
        await phone.login(r.username, RESPONDER_PASSWORD)
        ios = r.os == "iOS"
        await phone.rest(
            "POST",
            "/api/mobile_app/registrations",
            {
                "app_id": "io.robbie.HomeAssistant"
                if ios
                else "io.homeassistant.companion.android",
                "app_name": "Home Assistant",
                "app_version": "2026.10 (demo)",
                "device_name": r.phone,
                "device_id": f"demo-{slug(r.phone)}",
                "manufacturer": "Apple" if ios else "Google",
                "model": "iPhone (demo)" if ios else "Pixel (demo)",
                "os_name": "iOS" if ios else "Android",
                "os_version": "26.0" if ios else "16",
                "supports_encryption": False,
                "app_data": {
                    "push_token": f"demo-{slug(r.phone)}",
                    "push_url": url + PUSH_PATH,
                },
            },
        )


async def ensure_phones(ha: HomeAssistant) -> dict[str, str]:
    """Register each responder's phone, logged in as that responder."""
    have = await mobile_app_devices(ha)
    todo = [r for r in PEOPLE if r.phone not in have]
    if todo:
        await asyncio.gather(*(register_phone(ha.url, r) for r in todo))
        say(f"phones: registered {', '.join(r.phone for r in todo)}")
    # mobile_app sets the registrations up in the background.
    deadline = time.monotonic() + 10
    while True:
        have = await mobile_app_devices(ha)
        missing = [r.phone for r in PEOPLE if r.phone not in have]
        if not missing:
            return have
        if time.monotonic() > deadline:
            raise HAError(f"phones not in the device registry: {missing}")
        await asyncio.sleep(0.2)


# ---------------------------------------------------------------------------
# the raadhus_alarm entry, its subentries and its options flow
# ---------------------------------------------------------------------------

FLOW = "/api/config/config_entries/flow"
OPTIONS_FLOW = "/api/config/config_entries/options/flow"
SUBENTRY_FLOW = "/api/config/config_entries/subentries/flow"


async def ensure_alarm_entry(ha: HomeAssistant) -> str | None:
    """Create the raadhus_alarm entry through the config flow if missing."""
    entries = await ha.config_entries("raadhus_alarm")
    if entries:
        return entries[0]["entry_id"]
    try:
        result = await ha.rest("POST", FLOW, {"handler": "raadhus_alarm"})
    except HAError as err:
        say(f"WARNING: no raadhus_alarm config flow ({err}); skipping its setup")
        return None
    if result["type"] == "form":
        result = await ha.rest(
            "POST", f"{FLOW}/{result['flow_id']}", {"name": TOWN_HALL}
        )
    if result["type"] != "create_entry":
        say(f"WARNING: raadhus_alarm config flow ended with {result}")
        return None
    say(f"raadhus_alarm: entry '{TOWN_HALL}' created")
    return result["result"]["entry_id"]


def select_options(form: dict[str, Any], field_name: str) -> dict[str, str]:
    """label -> value of a select field in a serialized form schema."""
    for item in form.get("data_schema", []):
        if item.get("name") == field_name:
            options = item.get("selector", {}).get("select", {}).get("options", [])
            return {
                (o["label"] if isinstance(o, dict) else o): (
                    o["value"] if isinstance(o, dict) else o
                )
                for o in options
            }
    return {}


Fill = dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]


async def subentry_add(
    ha: HomeAssistant, entry_id: str, kind: str, steps: list[Fill]
) -> None:
    """Add a room, button or responder as on the integration page: form by form."""
    result = await ha.rest("POST", SUBENTRY_FLOW, {"handler": [entry_id, kind]})
    try:
        for step in steps:
            if result["type"] != "form":
                raise HAError(f"{kind}: expected a form, got {result}")
            data = step(result) if callable(step) else step
            data = {k: v for k, v in data.items() if v is not None}
            result = await ha.rest("POST", f"{SUBENTRY_FLOW}/{result['flow_id']}", data)
            if result["type"] == "form" and result.get("errors"):
                raise HAError(f"{kind} refused {data}: {result['errors']}")
    except HAError:
        await ha.rest("DELETE", f"{SUBENTRY_FLOW}/{result['flow_id']}", ok=(200, 404))
        raise
    if result["type"] != "create_entry":
        raise HAError(f"{kind}: expected it to be created, got {result}")


async def options_change(
    ha: HomeAssistant, entry_id: str, step: str, data: dict[str, Any]
) -> None:
    """One options flow: the menu, one form, back in the menu, save."""
    result = await ha.rest("POST", OPTIONS_FLOW, {"handler": entry_id})
    flow = f"{OPTIONS_FLOW}/{result['flow_id']}"
    try:
        for user_input in ({"next_step_id": step}, data, {"next_step_id": "save"}):
            if result["type"] not in ("menu", "form"):
                raise HAError(f"options flow {step}: unexpected {result}")
            result = await ha.rest("POST", flow, user_input)
            if result["type"] == "form" and result.get("errors"):
                raise HAError(f"options flow {step} refused {data}: {result['errors']}")
    except HAError:
        await ha.rest("DELETE", flow, ok=(200, 404))
        raise
    if result["type"] != "create_entry":
        raise HAError(f"options flow {step}: expected it saved, got {result}")


async def current_options(ha: HomeAssistant, entry_id: str) -> dict[str, Any]:
    """The entry's options, read back through the demo helper view."""
    for entry in await ha.rest("GET", "/api/raadhus_demo/alarm_options"):
        if entry["entry_id"] == entry_id:
            return entry["options"]
    return {}


@dataclass
class Report:
    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


async def configure_town_hall(
    ha: HomeAssistant, entry_id: str, phones: dict[str, str]
) -> Report:
    """Fill rooms, buttons, people, schedules, timings and contacts (missing ones)."""
    report = Report()
    persons = {
        s["attributes"].get("friendly_name"): s["entity_id"]
        for s in await ha.states()
        if s["entity_id"].startswith("person.")
    }

    async def change(label: str, job: Awaitable[None]) -> None:
        try:
            await job
            report.done.append(label)
        except HAError as err:
            report.failed.append(f"{label}: {err}")

    options = await current_options(ha, entry_id)
    have_rooms = {r["name"] for r in options.get("rooms", [])}
    for room in ROOMS:
        if room.name not in have_rooms:
            await change(
                f"room {room.name}",
                subentry_add(
                    ha,
                    entry_id,
                    "room",
                    [
                        {
                            "name": room.name,
                            "kind": room.kind,
                            "cameras": list(room.cameras),
                            "case_worker": persons.get(room.case_worker or ""),
                        }
                    ],
                ),
            )

    options = await current_options(ha, entry_id)
    have_devices = {b.get("device_id") for b in options.get("buttons", [])}
    demo_buttons = await ha.rest("GET", "/api/raadhus_demo/buttons")
    for button in demo_buttons:
        if button["device_id"] in have_devices:
            continue

        def where(
            form: dict[str, Any], button: dict[str, Any] = button
        ) -> dict[str, Any]:
            rooms = select_options(form, "room_id")
            if button["room"] not in rooms:
                raise HAError(
                    f"room {button['room']!r} not offered by the form: {rooms}"
                )
            return {
                "room_id": rooms[button["room"]],
                "name": button["name"],
                "source": button["source"],
            }

        device = {"device_id": button["device_id"], "profile": button["profile"]}
        # The model step: keep the model the device registry says it is.
        steps: list[Fill] = [where, device, {"model": "auto"}]
        await change(
            f"button {button['name']}", subentry_add(ha, entry_id, "button", steps)
        )

    have_people = {p["person"] for p in options.get("people", [])}
    for r in PEOPLE:
        person = persons.get(r.name)
        if not r.roles or person is None or person in have_people:
            continue  # case workers are named on their room, not as responders
        responder = {
            "person": person,
            "roles": list(r.roles),
            "devices": [phones[r.phone]],
            "language": r.language,
        }
        await change(
            f"person {r.name}", subentry_add(ha, entry_id, "responder", [responder])
        )

    if not options.get("schedules"):
        await change("schedules", options_change(ha, entry_id, "schedules", SCHEDULES))
    if not options.get("timings"):
        await change("timings", options_change(ha, entry_id, "timings", TIMINGS))
    if not options.get("contacts"):
        await change("contacts", options_change(ha, entry_id, "contacts", CONTACTS))
    return report


# ---------------------------------------------------------------------------


async def setup(url: str, pid: int | None = None) -> int:
    """Bring a running Home Assistant to the demo town hall."""
    started = time.monotonic()
    await wait_until_up(url, pid)
    async with await HomeAssistant.connect(url) as ha:
        onboarded_now = await onboard(ha)
        if ha.access_token is None:
            await ha.login(OWNER["username"], OWNER["password"])
        # Wait until start-up is complete before configuring anything.
        deadline = time.monotonic() + 120
        while (await ha.rest("GET", "/api/config")).get("state") != "RUNNING":
            if time.monotonic() > deadline:
                break
            await asyncio.sleep(0.5)
        if onboarded_now:
            await remove_home_extras(ha)
        await owner_local_only(ha)
        await ensure_people(ha)
        phones = await ensure_phones(ha)
        entry_id = await ensure_alarm_entry(ha)
        if entry_id is None:
            return 0
        report = await configure_town_hall(ha, entry_id, phones)
        if report.done:
            say(f"raadhus_alarm options: {', '.join(report.done)}")
        for failure in report.failed:
            say(f"WARNING: {failure}")
        if report.failed:
            return 1
        say(
            f"ready: {url}  (login demo / demo)"
            f"  [setup {time.monotonic() - started:.1f} s]"
        )
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--hass-pid", type=int, help="give up if this process ends")
    args = parser.parse_args()
    try:
        return asyncio.run(setup(args.url.rstrip("/"), args.hass_pid))
    except HAError as err:
        print(f"demo: ERROR: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
