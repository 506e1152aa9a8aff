"""Lookups that tie Home Assistant users, persons and their phones together."""

from __future__ import annotations

from homeassistant.components.person import ATTR_DEVICE_TRACKERS
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er


def mobile_app_devices_of_person(hass: HomeAssistant, person: str) -> list[str]:
    """The companion-app devices behind a person's device trackers."""
    state = hass.states.get(person)
    trackers = state.attributes.get(ATTR_DEVICE_TRACKERS, []) if state else []
    ent_reg = er.async_get(hass)
    devices: list[str] = []
    for tracker in trackers:
        entry = ent_reg.async_get(tracker)
        if entry and entry.platform == "mobile_app" and entry.device_id:
            devices.append(entry.device_id)
    return devices


def person_of_user(hass: HomeAssistant, user_id: str | None) -> State | None:
    """The person (state) linked to a Home Assistant user."""
    if user_id is None:
        return None
    for state in hass.states.async_all("person"):
        if state.attributes.get("user_id") == user_id:
            return state
    return None
