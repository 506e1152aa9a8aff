"""Lookups that tie users, persons, phones, schedules and cameras together.

Read-only glue: nothing here changes anything. The notifier asks it for a
person's phones and names; the actions, the panel and phone actions ask it
who a user is (`caller_for_user`), which the permission gate then judges.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from homeassistant.components.person import ATTR_DEVICE_TRACKERS
from homeassistant.const import STATE_ON
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, State, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util, slugify

from .model import Person, Room, TownHall
from .permissions import Caller, CallerKind


@dataclass(frozen=True, slots=True)
class Phone:
    """One companion-app phone: its notify service and platform."""

    service: str  # e.g. mobile_app_betjent_bo_iphone
    platform: str  # "ios" or "android"


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


def caller_for_user(
    hass: HomeAssistant, config: TownHall, user_id: str | None
) -> Caller:
    """Who is asking: the system (no user), or a user with their person's roles."""
    if user_id is None:
        return Caller.system()
    person = person_of_user(hass, user_id)
    configured = config.person(person.entity_id) if person else None
    return Caller(
        CallerKind.USER,
        user_id=user_id,
        person=person.entity_id if person else None,
        name=person.name if person else None,
        roles=configured.roles if configured else frozenset(),
    )


def phones_of(hass: HomeAssistant, person: Person) -> list[Phone]:
    """The person's phones (configured, or behind their device trackers)."""
    dev_reg = dr.async_get(hass)
    device_ids = list(person.devices) or mobile_app_devices_of_person(
        hass, person.person
    )
    phones = []
    for device_id in device_ids:
        device = dev_reg.async_get(device_id)
        if device is None or not device.name:
            continue
        entry = hass.config_entries.async_get_entry(device.config_entry_id or "")
        os_name = str(entry.data.get("os_name", "")) if entry else ""
        platform = "android" if os_name.lower() == "android" else "ios"
        phones.append(Phone(notify_service(device.name), platform))
    return phones


class PhoneBook:
    """Everyone's phones, looked up once and kept until something changes.

    An alarm calls the first phone of every new incident before anything
    else; looking phones up through persons, trackers and two registries each
    time would be most of that work. The book is emptied whenever a person,
    a device or an entity changes.
    """

    def __init__(self, hass: HomeAssistant, config: TownHall) -> None:
        self.hass = hass
        self.config = config
        self._phones: dict[tuple[str, tuple[str, ...]], list[Phone]] = {}

    def phones(self, person: Person) -> list[Phone]:
        """The person's phones (see `phones_of`)."""
        key = (person.person, person.devices)
        if (found := self._phones.get(key)) is None:
            found = self._phones[key] = phones_of(self.hass, person)
        return found

    @callback
    def async_start(self) -> CALLBACK_TYPE:
        """Forget what may have changed; returns the unsubscriber."""

        @callback
        def _forget(_event: Event[Any]) -> None:
            self._phones.clear()

        persons = {p.person for p in self.config.people} | {
            r.case_worker for r in self.config.rooms if r.case_worker
        }
        unsubs = [
            self.hass.bus.async_listen(dr.EVENT_DEVICE_REGISTRY_UPDATED, _forget),
            self.hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, _forget),
            async_track_state_change_event(self.hass, list(persons), _forget),
        ]

        @callback
        def _stop() -> None:
            for unsub in unsubs:
                unsub()

        return _stop


@lru_cache(maxsize=1024)
def notify_service(device_name: str) -> str:
    """The companion app's notify service of a phone (slugify is slow: cached)."""
    return f"mobile_app_{slugify(device_name)}"


def display_name(hass: HomeAssistant, person_entity_id: str) -> str:
    """A person's display name (the entity id when the person is gone)."""
    state = hass.states.get(person_entity_id)
    return state.name if state else person_entity_id


def schedule_on(hass: HomeAssistant, entity_id: str | None) -> bool:
    """Whether a schedule helper is on now."""
    state = hass.states.get(entity_id) if entity_id else None
    return state is not None and state.state == STATE_ON


def room_camera(hass: HomeAssistant, room: Room) -> str | None:
    """The room's first camera entity, if it has one (and it still exists).

    The real camera itself: its snapshot is what the phones fetch through
    Home Assistant's camera proxy, and it sits in the room's area.
    """
    for camera in room.cameras:
        if hass.states.get(camera) is not None:
            return camera
    return room.cameras[0] if room.cameras else None


def local_date(at: datetime) -> str:
    """A date as the town hall writes it (dd.mm.yyyy, local)."""
    return dt_util.as_local(at).strftime("%d.%m.%Y")
