"""A small, real Home Assistant world for the tests: schedules, people, phones, buttons.

Everything is created through Home Assistant itself (schedule and person
components set up from YAML, devices in the real device registry under real
config entries). Only names are invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

# Monday 23 November 2026, 11:00 in Copenhagen.
START = "2026-11-23 10:00:00+00:00"

OFFICER_HOURS = {
    "monday": [{"from": "07:30:00", "to": "18:00:00"}],
    "tuesday": [{"from": "07:30:00", "to": "16:00:00"}],
    "wednesday": [{"from": "07:30:00", "to": "16:00:00"}],
    "thursday": [{"from": "07:30:00", "to": "16:00:00"}],
    "friday": [{"from": "07:30:00", "to": "13:00:00"}],
}
POLICE_HOURS = {"monday": [{"from": "15:30:00", "to": "16:30:00"}]}
CRISIS_LINE_HOURS = {
    **{d: [{"from": "08:00:00", "to": "16:00:00"}] for d in ("monday", "tuesday")},
    **{d: [{"from": "08:00:00", "to": "16:00:00"}] for d in ("wednesday", "thursday")},
    "friday": [{"from": "09:00:00", "to": "16:00:00"}],
}

# Invented people: (person slug, name, phone os or None for no phone).
PEOPLE = (
    ("betjent_bo", "Betjent Bo", "iOS"),
    ("betjent_birte", "Betjent Birte", "Android"),
    ("leder_lis", "Leder Lis", "iOS"),
    ("centerchef_carl", "Centerchef Carl", "Android"),
    ("amr_anne", "AMR Anne", "iOS"),
    ("vagt_villy", "Vagt Villy", "Android"),
    ("sagsbehandler_sara", "Sagsbehandler Sara", "iOS"),
    ("uden_telefon", "Uden Telefon", None),
    ("drift_dennis", "Drift Dennis", None),
    ("risiko_rita", "Risiko Rita", None),
    ("sikkerhed_sune", "Sikkerhed Sune", None),
)


@dataclass
class World:
    """Handles to what the world fixture created."""

    phones: dict[str, str] = field(default_factory=dict)  # person slug -> device id
    users: dict[str, str] = field(default_factory=dict)  # person slug -> user id
    zha_buttons: list[str] = field(default_factory=list)
    zwave_buttons: list[str] = field(default_factory=list)
    mqtt_buttons: list[str] = field(default_factory=list)
    entries: dict[str, MockConfigEntry] = field(default_factory=dict)


def _device(
    hass: HomeAssistant, entry: MockConfigEntry, ident: str, name: str, **kw: Any
) -> str:
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(entry.domain, ident)},
        name=name,
        **kw,
    )
    return device.id


async def async_build_world(
    hass: HomeAssistant, mqtt_entry: MockConfigEntry | None = None
) -> World:
    """Create schedules, people with phones, cameras and button devices.

    Pass the MQTT integration's real entry (from `mqtt_mock`) to put the
    Zigbee2MQTT buttons under it.
    """
    world = World()
    await hass.config.async_set_time_zone("Europe/Copenhagen")
    assert await async_setup_component(
        hass,
        "schedule",
        {
            "schedule": {
                "officers_on_duty": {"name": "Betjente på arbejde", **OFFICER_HOURS},
                "police_present": {"name": "Politi til stede", **POLICE_HOURS},
                "crisis_line_hours": {"name": "Krisehjælp åben", **CRISIS_LINE_HOURS},
            }
        },
    )
    for domain in ("mobile_app", "zha", "zwave_js", "mqtt"):
        if domain == "mqtt" and mqtt_entry is not None:
            world.entries[domain] = mqtt_entry
            continue
        entry = MockConfigEntry(domain=domain, title=domain)
        entry.add_to_hass(hass)
        world.entries[domain] = entry

    ent_reg = er.async_get(hass)
    persons = []
    for slug, name, os_name in PEOPLE:
        trackers = []
        # A user made on Home Assistant's people page is in the "users" group.
        user = await hass.auth.async_create_user(name, group_ids=["system-users"])
        world.users[slug] = user.id
        if os_name:
            # One companion-app registration (config entry) per phone, as the
            # app creates it; its notify service is notify.mobile_app_<name>.
            phone_entry = MockConfigEntry(
                domain="mobile_app",
                title=f"Telefon {name}",
                data={"os_name": os_name, "device_name": f"Telefon {name}"},
            )
            phone_entry.add_to_hass(hass)
            device_id = _device(
                hass,
                phone_entry,
                f"phone-{slug}",
                f"Telefon {name}",
                model=os_name,
            )
            world.phones[slug] = device_id
            tracker = ent_reg.async_get_or_create(
                "device_tracker",
                "mobile_app",
                f"tracker-{slug}",
                suggested_object_id=f"telefon_{slug}",
                device_id=device_id,
                config_entry=phone_entry,
            )
            trackers.append(tracker.entity_id)
        else:
            # Someone seen only by the network router: a tracker, but no phone app.
            tracker = ent_reg.async_get_or_create(
                "device_tracker", "ping", f"ping-{slug}", suggested_object_id=slug
            )
            trackers.append(tracker.entity_id)
        persons.append(
            {"id": slug, "name": name, "device_trackers": trackers, "user_id": user.id}
        )
    assert await async_setup_component(hass, "person", {"person": persons})

    for i in range(1, 4):
        world.zha_buttons.append(
            _device(hass, world.entries["zha"], f"zha-{i}", f"ZHA knap {i}")
        )
        world.zwave_buttons.append(
            _device(hass, world.entries["zwave_js"], f"zw-{i}", f"Z-Wave knap {i}")
        )
        world.mqtt_buttons.append(
            _device(hass, world.entries["mqtt"], f"z2m-{i}", f"Z2M knap {i}")
        )
    for cam in ("kontaktrum_1", "kontaktrum_2", "akutrum_1"):
        hass.states.async_set(f"camera.{cam}", "idle")
    hass.states.async_set("event.knap_1_action", "unknown", {"event_types": ["hold"]})
    hass.states.async_set("binary_sensor.sos_knap", "off")
    await hass.async_block_till_done()
    return world


async def async_access_token(hass: HomeAssistant, user_id: str) -> str:
    """A real access token of a user (for the REST and websocket APIs)."""
    user = await hass.auth.async_get_user(user_id)
    assert user is not None
    refresh = await hass.auth.async_create_refresh_token(
        user, "https://example.invalid/"
    )
    return hass.auth.async_create_access_token(refresh)


async def async_teardown_world(hass: HomeAssistant) -> None:
    """Remove the schedule entities so their next-change timers do not linger."""
    ent_reg = er.async_get(hass)
    for entity_id in hass.states.async_entity_ids("schedule"):
        ent_reg.async_remove(entity_id)
    await hass.async_block_till_done()


def room(
    room_id: str, name: str, kind: str = "contact_room", **kw: Any
) -> dict[str, Any]:
    """A room as stored in the options."""
    return {
        "id": room_id,
        "name": name,
        "kind": kind,
        "cameras": [],
        "case_worker": None,
        **kw,
    }


def button(
    button_id: str, room_id: str, source: str, profile: str, **kw: Any
) -> dict[str, Any]:
    """A button as stored in the options."""
    return {
        "id": button_id,
        "room_id": room_id,
        "name": f"Knap {button_id}",
        "source": source,
        "profile": profile,
        "device_id": None,
        "entity_id": None,
        "hold_threshold": None,
        "mqtt_topic": None,
        # As facilities chose it: a single_shot button alarms on any press.
        "model": "generic" if profile == "single_shot" else "auto",
        **kw,
    }


def town_hall_options(world: World) -> dict[str, Any]:
    """A town hall with one button of every kind."""
    return {
        "rooms": [
            room(
                "k1",
                "Kontaktrum 1",
                cameras=["camera.kontaktrum_1"],
                case_worker="person.sagsbehandler_sara",
            ),
            room("k2", "Kontaktrum 2"),
            room("a1", "Akutrum 1", "emergency_room"),
            room("a2", "Akutrum 2", "emergency_room"),
            room("v", "Venteområde", "waiting_area"),
        ],
        "buttons": [
            button(
                "zha1", "k1", "zha", "press_release", device_id=world.zha_buttons[0]
            ),
            button(
                "zw1",
                "k2",
                "zwave_js",
                "repeated_held",
                device_id=world.zwave_buttons[0],
            ),
            button(
                "z2m1",
                "a1",
                "zigbee2mqtt",
                "single_shot",
                device_id=world.mqtt_buttons[0],
                mqtt_topic="zigbee2mqtt/SOS akutrum 1",
            ),
            button(
                "ev1", "a2", "event", "press_release", entity_id="event.knap_1_action"
            ),
            button(
                "bs1",
                "v",
                "binary_sensor",
                "single_shot",
                entity_id="binary_sensor.sos_knap",
            ),
            button(
                "zha2", "k1", "zha", "repeated_held", device_id=world.zha_buttons[1]
            ),
        ],
        "people": [],
        "schedules": {
            "officers_on_duty": "schedule.officers_on_duty",
            "police_present": "schedule.police_present",
            "crisis_line_hours": "schedule.crisis_line_hours",
        },
        "timings": {
            "hold_threshold": 2.0,
            "ack_timeout": 30,
            "unseen_hours": 25,
            "retention_days": 365,
        },
        "contacts": {},
    }


# Which subentry type holds each list of the old (1.x) options layout.
SUBENTRY_OF_LIST = {"rooms": "room", "buttons": "button", "people": "responder"}


def split_options(
    options: dict[str, Any],
) -> tuple[dict[str, Any], list[ConfigSubentryDataWithId]]:
    """The 2.x layout of an old-style options dict: options and subentries.

    Rooms, buttons and people become subentries with their ids as subentry
    ids, exactly as the migration keeps them.
    """
    rest = {k: v for k, v in options.items() if k not in SUBENTRY_OF_LIST}
    names = {r["id"]: r["name"] for r in options.get("rooms", [])}
    subentries: list[ConfigSubentryDataWithId] = []
    for key, subentry_type in SUBENTRY_OF_LIST.items():
        for item in options.get(key, []):
            data = {k: v for k, v in item.items() if k != "id"}
            title = item.get("name") or item.get("person", "")
            if key == "buttons":
                title = f"{names.get(item['room_id'], '?')} · {item['name']}"
            subentries.append(
                ConfigSubentryDataWithId(
                    data=data,
                    subentry_id=item["id"],
                    subentry_type=subentry_type,
                    title=title,
                    unique_id=None,
                )
            )
    return rest, subentries


async def async_setup_town_hall(
    hass: HomeAssistant,
    options: dict[str, Any],
    entry_id: str | None = None,
    created_at: datetime | None = None,
) -> MockConfigEntry:
    """Add and load a town hall entry with these rooms, buttons, people, settings.

    `options` is written in the old one-dict layout for brevity; the entry is
    made in the current layout (`split_options`). `created_at`: when the entry
    was first made (a restarted Home Assistant reads it from its store).
    """
    extra = {"entry_id": entry_id} if entry_id else {}
    settings, subentries = split_options(options)
    entry = MockConfigEntry(
        domain="raadhus_alarm",
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options=settings,
        subentries_data=subentries,
        version=2,
        minor_version=1,
        **extra,
    )
    if created_at is not None:
        object.__setattr__(entry, "created_at", created_at)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def async_call_action(
    hass: HomeAssistant, action: str, user_id: str | None = None, **data: Any
) -> dict[str, Any]:
    """Call one of the integration's actions as a user (None: an automation)."""
    result = await hass.services.async_call(
        "raadhus_alarm",
        action,
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )
    await hass.async_block_till_done()
    assert isinstance(result, dict)
    return result
