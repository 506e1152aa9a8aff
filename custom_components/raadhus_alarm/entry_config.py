"""The town hall's configuration as one mapping: options plus subentries.

Rooms, panic buttons and responders are config subentries, each with the
subentry's id as its own id (the ids they had before 2.1 were kept by the
migration, so incidents and entities still find them). Schedules, timings,
contacts and the officers' room are the entry's options. Everything reads the
two through `town_hall_of`, so nothing else knows where a list is stored.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntry

from .const import (
    CONF_BUTTONS,
    CONF_ID,
    CONF_PEOPLE,
    CONF_ROOM_ID,
    CONF_ROOMS,
    SUBENTRY_BUTTON,
    SUBENTRY_RESPONDER,
    SUBENTRY_ROOM,
)
from .model import Button, TownHall, parse_town_hall

# Which list of the configuration a subentry type fills.
LIST_OF_SUBENTRY = {
    SUBENTRY_ROOM: CONF_ROOMS,
    SUBENTRY_BUTTON: CONF_BUTTONS,
    SUBENTRY_RESPONDER: CONF_PEOPLE,
}


def button_title(room_name: str, button_name: str) -> str:
    """How a button is listed on the integration page: its room, then its name."""
    return f"{room_name} · {button_name}"


def config_mapping(entry: ConfigEntry) -> dict[str, Any]:
    """The entry's options with the subentries as the lists they used to be."""
    mapping: dict[str, Any] = {
        **entry.options,
        **{key: [] for key in LIST_OF_SUBENTRY.values()},
    }
    for subentry in entry.subentries.values():
        if key := LIST_OF_SUBENTRY.get(subentry.subentry_type):
            mapping[key].append({**subentry.data, CONF_ID: subentry.subentry_id})
    return mapping


def town_hall_of(entry: ConfigEntry) -> tuple[TownHall, tuple[Button, ...]]:
    """The typed configuration, and the buttons whose room was deleted.

    A button without its room cannot raise an alarm anywhere; it is left out
    of the configuration and reported (see `__init__`), never guessed into
    another room.
    """
    mapping = config_mapping(entry)
    rooms = {room[CONF_ID] for room in mapping[CONF_ROOMS]}
    mapping[CONF_BUTTONS], orphans = (
        [b for b in mapping[CONF_BUTTONS] if b[CONF_ROOM_ID] in rooms],
        [b for b in mapping[CONF_BUTTONS] if b[CONF_ROOM_ID] not in rooms],
    )
    orphaned = parse_town_hall({CONF_BUTTONS: orphans}).buttons
    return parse_town_hall(mapping), orphaned
