"""An existing town hall updated to config 2.1: nothing lost, open alarms included.

1.2 kept rooms, buttons and people in the entry's options; 2.1 keeps them as
subentries with the same ids, rooms in areas, and no proxy cameras.
"""

from __future__ import annotations

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN

from .test_alarm_bus import advance, alarm_on, zha
from .world import World, button, room

RESPONDER = {
    "id": "p1",
    "person": "person.betjent_bo",
    "roles": ["officer"],
    "devices": [],
    "language": "da",
}


def _options_1_2(world: World) -> dict[str, Any]:
    return {
        "rooms": [
            room("k1", "Kontaktrum 1", cameras=["camera.kontaktrum_1"]),
            room("k2", "Kontaktrum 2"),
        ],
        "buttons": [
            button("b1", "k1", "zha", "press_release", device_id=world.zha_buttons[0]),
            button("b2", "k2", "zha", "single_shot", device_id=world.zha_buttons[1]),
        ],
        "people": [RESPONDER],
        "timings": {"hold_threshold": 2.0, "ack_timeout": 45},
    }


async def _as_1_2(
    hass: HomeAssistant, entry: MockConfigEntry, options: dict[str, Any]
) -> tuple[str, dict[str, str]]:
    """Put the entry back as version 1.2 left it (with its proxy camera).

    Returns the room device's id and the entity id of each unique id.
    """
    for subentry_id in list(entry.subentries):
        hass.config_entries.async_remove_subentry(entry, subentry_id)
    hass.config_entries.async_update_entry(
        entry, options=options, version=1, minor_version=2
    )
    # The registries as 0.1 left them: room devices and their entities in no
    # subentry (removing the subentries above took them away), a proxy camera.
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    for room_id, name in (("k1", "Kontaktrum 1"), ("k2", "Kontaktrum 2")):
        devices.async_get_or_create(
            config_entry_id=entry.entry_id, identifiers={(DOMAIN, room_id)}, name=name
        )
    room_device = devices.async_get_device_by_identifier((DOMAIN, "k1"), entry.entry_id)
    assert room_device is not None
    ids = {
        unique_id: entities.async_get_or_create(
            domain,
            DOMAIN,
            unique_id,
            config_entry=entry,
            device_id=room_device.id,
            suggested_object_id=object_id,
        ).entity_id
        for domain, unique_id, object_id in (
            ("binary_sensor", "k1_alarm", "kontaktrum_1_alarm"),
            ("sensor", "k1_incident_state", "kontaktrum_1_incident_state"),
            ("event", "b1_event", "kontaktrum_1_knap_b1"),
            ("binary_sensor", "b1_health", "kontaktrum_1_knap_b1_problem"),
            ("camera", "k1_camera_1", "kontaktrum_1_camera_1"),
        )
    }
    return room_device.id, ids


async def test_update_to_2_1_keeps_everything_and_the_open_alarm(
    hass: HomeAssistant,
    world: World,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    options = _options_1_2(world)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options=options,
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0)
    (open_before,) = entry.runtime_data.core.book.open_incidents()
    # The previous version's entry, with its alarm open, is updated.
    assert await hass.config_entries.async_unload(entry.entry_id)
    old_room_device, old_ids = await _as_1_2(hass, entry, options)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Devices moved into their subentries explicitly (no implicit move, which
    # Home Assistant warns about and will refuse), and kept: same device.
    assert "silently moves the device" not in caplog.text

    assert (entry.version, entry.minor_version) == (2, 1)
    assert entry.options == {"timings": {"hold_threshold": 2.0, "ack_timeout": 45}}
    subentries = {
        s.subentry_id: (s.subentry_type, s.title) for s in entry.subentries.values()
    }
    assert subentries == {
        "k1": ("room", "Kontaktrum 1"),
        "k2": ("room", "Kontaktrum 2"),
        "b1": ("button", "Kontaktrum 1 · Knap b1"),
        "b2": ("button", "Kontaktrum 2 · Knap b2"),
        "p1": ("responder", "Betjent Bo"),
    }
    assert dict(entry.subentries["p1"].data) == {
        k: v for k, v in RESPONDER.items() if k != "id"
    }
    assert entry.subentries["b1"].data["device_id"] == world.zha_buttons[0]
    # Each room is in the area of its name (made, as none existed).
    areas = ar.async_get(hass)
    area = areas.async_get_area_by_name("Kontaktrum 1")
    assert area is not None
    assert entry.subentries["k1"].data["area_id"] == area.id
    room_device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "k1"), entry.entry_id
    )
    assert room_device is not None
    assert (room_device.area_id, room_device.config_subentry_id) == (area.id, "k1")
    assert room_device.id == old_room_device
    # The proxy camera is gone; the alarm uses the room's own camera.
    ent_reg = er.async_get(hass)
    assert ent_reg.async_get(old_ids["k1_camera_1"]) is None
    assert hass.states.get(old_ids["k1_camera_1"]) is None

    # The open alarm is still open, on the same entities, and the buttons heard.
    (still_open,) = entry.runtime_data.core.book.open_incidents()
    assert (still_open.id, still_open.state) == (open_before.id, open_before.state)
    assert alarm_on(hass, "kontaktrum_1")
    alarm = ent_reg.async_get("binary_sensor.kontaktrum_1_alarm")
    assert alarm is not None
    assert alarm.config_subentry_id == "k1"
    # A button's entities keep their ids, in the button's subentry and device.
    press = ent_reg.async_get(old_ids["b1_event"])
    assert press is not None
    assert press.config_subentry_id == "b1"
    button_device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "b1"), entry.entry_id
    )
    assert button_device is not None
    assert press.device_id == button_device.id
    health = ent_reg.async_get(old_ids["b1_health"])
    assert health is not None
    assert health.config_subentry_id == "b1"
    zha(hass, world.zha_buttons[1], "single")  # the single_shot button in k2
    await hass.async_block_till_done()
    assert alarm_on(hass, "kontaktrum_2")
    assert entry.runtime_data.config.timings.ack_timeout == 45


async def test_a_room_named_as_an_existing_area_goes_there(
    hass: HomeAssistant, world: World
) -> None:
    existing = ar.async_get(hass).async_create("Kontaktrum 2")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options=_options_1_2(world),
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.subentries["k2"].data["area_id"] == existing.id


async def test_a_responder_whose_person_is_gone_keeps_the_entity_id_as_title(
    hass: HomeAssistant, world: World
) -> None:
    options = _options_1_2(world)
    options["people"] = [{**RESPONDER, "person": "person.gone"}]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Rådhuset",
        data={"name": "Rådhuset"},
        options=options,
        version=1,
        minor_version=2,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.subentries["p1"].title == "person.gone"
