"""Runtime state of the demo hardware."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
import hashlib
from typing import Any

from homeassistant.util import slugify


@dataclass(slots=True)
class DemoButton:
    """A simulated panic button."""

    name: str
    room: str
    source: str
    profile: str
    manufacturer: str
    model: str
    node_id: int | None = None
    battery: int = 100
    available: bool = True
    device_id: str | None = None

    @property
    def identifier(self) -> str:
        """Device registry identifier (stable across restarts)."""
        return f"button_{slugify(self.name)}"

    @property
    def ieee(self) -> str:
        """A made-up, stable Zigbee IEEE address."""
        digest = hashlib.sha256(self.name.encode()).digest()[:8]
        return ":".join(f"{b:02x}" for b in digest)

    def summary(self) -> dict[str, Any]:
        """Describe the button for scripts/simulate."""
        return {
            "name": self.name,
            "room": self.room,
            "source": self.source,
            "profile": self.profile,
            "device_id": self.device_id,
            "ieee": self.ieee,
            "node_id": self.node_id,
            "battery": self.battery,
            "available": self.available,
        }


@dataclass(slots=True)
class DemoCamera:
    """A simulated room camera."""

    room: str
    device_id: str | None = None

    @property
    def identifier(self) -> str:
        """Device registry identifier."""
        return f"camera_{slugify(self.room)}"

    @property
    def entity_id(self) -> str:
        """The camera's entity id (camera.<room>)."""
        return f"camera.{slugify(self.room)}"


@dataclass(slots=True)
class DemoData:
    """Everything the demo integration keeps in memory."""

    buttons: list[DemoButton]
    cameras: list[DemoCamera]
    pushes: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=200))

    def find_button(self, name_or_room: str) -> DemoButton | None:
        """Find a button by its name or its room (first button of the room)."""
        key = slugify(name_or_room)
        for button in self.buttons:
            if slugify(button.name) == key:
                return button
        for button in self.buttons:
            if slugify(button.room) == key:
                return button
        return None
