"""Event entities: one per panic button (short press / alarm)."""

from __future__ import annotations

from homeassistant.components.event import EventEntity
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import RaadhusConfigEntry
from .alarm import TownHallAlarm
from .entity import RaadhusEntity
from .hold import Outcome
from .model import Button, Room

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: RaadhusConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one event entity per button."""
    alarm = entry.runtime_data
    async_add_entities(
        ButtonEventEntity(alarm, button, room)
        for button in alarm.config.buttons
        if (room := alarm.config.room(button.room_id)) is not None
    )


class ButtonEventEntity(RaadhusEntity, EventEntity):
    """What the hold detector decided for this button."""

    def __init__(self, alarm: TownHallAlarm, button: Button, room: Room) -> None:
        super().__init__(alarm, "button", room)
        self.button = button
        self._attr_event_types = ["short_press", "alarm"]
        self._attr_unique_id = f"{button.id}_event"
        self._attr_translation_placeholders = {"button": button.name}

    async def async_added_to_hass(self) -> None:
        """Follow the button's detector (not every core change)."""
        await EventEntity.async_added_to_hass(self)
        watcher = self.alarm.buttons.watchers[self.button.id]
        self.async_on_remove(watcher.async_add_listener(self._outcome))

    @callback
    def _outcome(self, outcome: Outcome) -> None:
        self._trigger_event(
            str(outcome.verdict), {"hold_seconds": round(outcome.held, 3)}
        )
        self.async_write_ha_state()
