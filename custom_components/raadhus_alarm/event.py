"""Event entities: one per panic button (short press / alarm)."""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .entity import RaadhusEntity, add_by_subentry
from .health import Problem
from .hold import Outcome
from .model import Button, Room
from .runtime import RaadhusConfigEntry

PARALLEL_UPDATES = 0
UNAVAILABLE_PROBLEMS = frozenset({Problem.MISSING, Problem.UNAVAILABLE})


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one event entity per button."""
    config = entry.runtime_data.config
    add_by_subentry(
        async_add_entities,
        (
            ButtonEventEntity(entry, button, room)
            for button in config.buttons
            if (room := config.room(button.room_id)) is not None
        ),
    )


class ButtonEventEntity(RaadhusEntity, EventEntity):
    """What the hold detector decided for this button."""

    def __init__(self, entry: RaadhusConfigEntry, button: Button, room: Room) -> None:
        super().__init__(entry, "button", room, button)
        self.button = button
        self._attr_event_types = ["short_press", "alarm"]
        self._attr_unique_id = f"{button.id}_event"

    async def async_added_to_hass(self) -> None:
        """Follow the button's detector and its health (not every core change)."""
        await super().async_added_to_hass()
        watcher = self.runtime.buttons.watchers[self.button.id]
        self.async_on_remove(watcher.async_add_listener(self._outcome))
        self.async_on_remove(
            self.runtime.supervisor.async_add_listener(
                self.button.id, self.async_write_ha_state
            )
        )

    @property
    def available(self) -> bool:
        """Unavailable while the button is gone or its radio says it is.

        A low battery or a long silence leave it available: the button may
        still raise an alarm, and its problem entity says what is wrong.
        """
        problem = self.runtime.supervisor.problems.get(self.button.id)
        return problem not in UNAVAILABLE_PROBLEMS

    @callback
    def _outcome(self, outcome: Outcome) -> None:
        self._trigger_event(
            str(outcome.verdict), {"hold_seconds": round(outcome.held, 3)}
        )
        self.async_write_ha_state()
