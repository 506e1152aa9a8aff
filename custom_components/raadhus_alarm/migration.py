"""Bringing an older town hall's config entry up to date (nothing is lost).

1.1 → 1.2: each button names its model ("auto": read from the device registry).
1.2 → 2.1: rooms, panic buttons and responders move from the options into
config subentries, keeping their ids (incidents, entities and devices refer to
them); each room is placed in the area of its name (matched or created); the
room proxy cameras are gone (the room's real cameras are in its area).

A change of major version means an older version of the integration cannot
read the entry: it refuses to load it rather than misread it.
"""

from __future__ import annotations

import logging
from types import MappingProxyType
from typing import Any

from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
)

from .const import (
    CONF_ALARM_REPORTS,
    CONF_AREA_ID,
    CONF_BUTTONS,
    CONF_FIRST_REPORT_DELAY,
    CONF_ID,
    CONF_MODEL,
    CONF_NAME,
    CONF_PERSON,
    CONF_PROFILE,
    CONF_RELEASE_GAP,
    CONF_ROOM_ID,
    CONF_ROOMS,
    DOMAIN,
    SUBENTRY_BUTTON,
    SUBENTRY_RESPONDER,
    SUBENTRY_ROOM,
    ButtonProfile,
)
from .device_library import AUTO, GENERIC_MODEL
from .entry_config import LIST_OF_SUBENTRY, button_title
from .lookups import display_name

_LOGGER = logging.getLogger(__name__)

VERSION = 2
MINOR_VERSION = 1


async def async_migrate(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Migrate step by step.

    Home Assistant calls this only for an entry older than 2.1, and every such
    entry is a 1.x one; an entry of a newer major version never gets here
    (Home Assistant refuses to load it and leaves it untouched, tested).
    """
    if entry.minor_version < 2:
        _add_button_models(hass, entry)
    _move_lists_to_subentries(hass, entry)
    return True


def _add_button_models(hass: HomeAssistant, entry: ConfigEntry) -> None:
    # A button facilities set to single_shot (any press is an alarm) keeps
    # exactly that: "generic" keeps the chosen profile.
    options = dict(entry.options)
    options[CONF_BUTTONS] = [
        {
            CONF_MODEL: (
                GENERIC_MODEL
                if button.get(CONF_PROFILE) == ButtonProfile.SINGLE_SHOT
                else AUTO
            ),
            CONF_FIRST_REPORT_DELAY: None,
            CONF_RELEASE_GAP: None,
            CONF_ALARM_REPORTS: [],
            **button,
        }
        for button in options.get(CONF_BUTTONS, [])
    ]
    hass.config_entries.async_update_entry(entry, options=options, minor_version=2)
    _LOGGER.debug("Migrated the town hall's options to 1.2")


def _move_lists_to_subentries(hass: HomeAssistant, entry: ConfigEntry) -> None:
    options = dict(entry.options)
    rooms = {room.get(CONF_ID): room for room in options.get(CONF_ROOMS, [])}
    areas = ar.async_get(hass)
    for subentry_type, key in LIST_OF_SUBENTRY.items():
        for item in options.pop(key, []):
            data: dict[str, Any] = {k: v for k, v in item.items() if k != CONF_ID}
            if subentry_type == SUBENTRY_ROOM:
                area = areas.async_get_area_by_name(
                    item[CONF_NAME]
                ) or areas.async_create(item[CONF_NAME])
                data[CONF_AREA_ID] = area.id
            hass.config_entries.async_add_subentry(
                entry,
                ConfigSubentry(
                    data=MappingProxyType(data),
                    subentry_id=item[CONF_ID],
                    subentry_type=subentry_type,
                    title=_title(hass, subentry_type, item, rooms),
                    unique_id=None,
                ),
            )
    _remove_proxy_cameras(hass, entry)
    _move_to_subentries(hass, entry)
    hass.config_entries.async_update_entry(
        entry, options=options, version=VERSION, minor_version=MINOR_VERSION
    )
    _LOGGER.debug("Moved the town hall's rooms, buttons and people to subentries")


def _title(
    hass: HomeAssistant,
    subentry_type: str,
    item: dict[str, Any],
    rooms: dict[str, dict[str, Any]],
) -> str:
    if subentry_type == SUBENTRY_BUTTON:
        room = rooms.get(item[CONF_ROOM_ID], {})
        return button_title(room.get(CONF_NAME, "?"), item[CONF_NAME])
    if subentry_type == SUBENTRY_RESPONDER:
        return display_name(hass, item[CONF_PERSON])
    return str(item[CONF_NAME])


def _move_to_subentries(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """Move each room's device and entities into the room's subentry.

    0.1 made them without subentries; Home Assistant moves a device to
    another subentry only when told to. A button's entities go to the
    button's subentry (set-up gives the button a device of its own there).
    """
    devices = dr.async_get(hass)
    entities = er.async_get(hass)
    for subentry in entry.subentries.values():
        if subentry.subentry_type != SUBENTRY_ROOM:
            continue
        device = devices.async_get_device_by_identifier(
            (DOMAIN, subentry.subentry_id), entry.entry_id
        )
        if device is not None and device.config_subentry_id != subentry.subentry_id:
            devices.async_update_device(
                device.id, new_config_subentry_id=subentry.subentry_id
            )
    owners = {
        f"{subentry.subentry_id}_": subentry.subentry_id
        for subentry in entry.subentries.values()
    }
    for entity in er.async_entries_for_config_entry(entities, entry.entry_id):
        owner = next(
            (
                sub
                for prefix, sub in owners.items()
                if entity.unique_id.startswith(prefix)
            ),
            None,
        )
        if owner is not None and entity.config_subentry_id != owner:
            entities.async_update_entity(entity.entity_id, config_subentry_id=owner)


def _remove_proxy_cameras(hass: HomeAssistant, entry: ConfigEntry) -> None:
    # The proxies showed each room camera a second time on dashboards; the
    # alarm uses the real camera entities, which sit in the room's area.
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.domain == Platform.CAMERA and entity.platform == DOMAIN:
            registry.async_remove(entity.entity_id)
