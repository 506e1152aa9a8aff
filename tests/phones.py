"""The phones of the test world: each person's companion-app notify service,
recorded (only the outside world's push service is replaced)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import slugify

from .world import PEOPLE

PHONES = {
    slug: f"mobile_app_telefon_{slugify(name)}" for slug, name, os in PEOPLE if os
}


class Phones:
    """Records every push per phone; can make a phone fail or vanish."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.received: dict[str, list[dict[str, Any]]] = {p: [] for p in PHONES}
        self.broken: set[str] = set()
        for slug, service in PHONES.items():
            hass.services.async_register("notify", service, self._handler(slug))

    def _handler(self, slug: str) -> Callable[[ServiceCall], Any]:
        async def _push(call: ServiceCall) -> None:
            if slug in self.broken:
                raise HomeAssistantError("push gateway refused the token")
            self.received[slug].append(dict(call.data))

        return _push

    def remove(self, slug: str) -> None:
        self.hass.services.async_remove("notify", PHONES[slug])

    def alarmed(self) -> set[str]:
        """Who got an alarm (critical, with the responders' actions)."""
        return {
            slug
            for slug, pushes in self.received.items()
            if any("actions" in p.get("data", {}) for p in pushes)
        }

    def informed(self) -> set[str]:
        """Who got an information message only."""
        return {
            slug
            for slug, pushes in self.received.items()
            if pushes and slug not in self.alarmed()
        } - {s for s, p in self.received.items() if not p}

    def clear(self) -> None:
        for pushes in self.received.values():
            pushes.clear()
