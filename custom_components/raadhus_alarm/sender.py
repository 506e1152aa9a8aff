"""Sending to phones: one notify call with its timeout, and everyone with a role.

Shared by the notifier (alarms) and the follow-up (what comes after). A
call never raises: it returns an error text, so one phone can never stop a
round.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any, Final

from homeassistant.core import HomeAssistant

from .const import Role
from .incident import Incident
from .lookups import Phone, PhoneBook, schedule_on
from .model import Person, TownHall
from .router import crisis_contact

SEND_TIMEOUT: Final = 10.0


class Sender:
    """Calls the companion app's notify services of one town hall's people."""

    def __init__(self, hass: HomeAssistant, config: TownHall) -> None:
        self.hass = hass
        self.config = config
        self.phone_book = PhoneBook(hass, config)

    async def async_call(self, service: str, payload: dict[str, Any]) -> str | None:
        """Call a notify service; return an error text or None."""
        if not self.hass.services.has_service("notify", service):
            return f"notify.{service} does not exist"
        try:
            async with asyncio.timeout(SEND_TIMEOUT):
                await self.hass.services.async_call(
                    "notify", service, payload, blocking=True
                )
        except TimeoutError:
            return f"notify.{service} did not answer within {SEND_TIMEOUT:g} s"
        except Exception as err:  # one phone must never stop a round
            return f"notify.{service} failed: {err}"
        return None

    async def async_send_to_role(
        self, role: Role, build: Callable[[Person, Phone], dict[str, Any]]
    ) -> list[str | None]:
        """Send `build(person, phone)` to every phone of everyone with `role`."""
        return await self.async_send_to_people(self.config.people_with(role), build)

    async def async_send_to_people(
        self,
        people: Iterable[Person],
        build: Callable[[Person, Phone], dict[str, Any]],
    ) -> list[str | None]:
        """Send `build(person, phone)` to every phone of these people."""
        return await asyncio.gather(
            *(
                self.async_call(phone.service, build(person, phone))
                for person in people
                for phone in self.phone_book.phones(person)
            )
        )

    def reached(self, incident: Incident) -> list[tuple[Person, Phone]]:
        """The phones an incident's pushes reached (from its stored calls)."""
        reached: dict[str, tuple[Person, Phone]] = {}
        for call in incident.calls:
            if call.answered_at is None or call.error is not None:
                continue
            person = self.config.person(call.person) or Person(
                id=call.person, person=call.person, roles=frozenset()
            )
            platform = next(
                (
                    p.platform
                    for p in self.phone_book.phones(person)
                    if p.service == call.service
                ),
                "ios",
            )
            reached[call.service] = (person, Phone(call.service, platform))
        return list(reached.values())

    def crisis_contact(self) -> tuple[str, str]:
        """The crisis-help contact valid now."""
        line_open = schedule_on(self.hass, self.config.schedules.crisis_line_hours)
        return crisis_contact(self.config, line_open)
