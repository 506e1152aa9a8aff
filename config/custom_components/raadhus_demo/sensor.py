"""Battery sensor of each simulated panic button."""

from __future__ import annotations

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorStateClass,
)
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN, SIGNAL_BUTTON_UPDATE
from .data import DemoButton, DemoData


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add one battery sensor per demo button."""
    data: DemoData = hass.data[DOMAIN]
    async_add_entities(DemoBatterySensor(button) for button in data.buttons)


class DemoBatterySensor(SensorEntity):
    """The simulated battery level; change it with raadhus_demo.set_battery."""

    _attr_has_entity_name = True
    _attr_device_class = SensorDeviceClass.BATTERY
    _attr_state_class = SensorStateClass.MEASUREMENT
    _attr_native_unit_of_measurement = PERCENTAGE
    _attr_entity_category = EntityCategory.DIAGNOSTIC
    _attr_should_poll = False

    def __init__(self, button: DemoButton) -> None:
        self._button = button
        self._attr_unique_id = f"{button.identifier}_battery"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, button.identifier)})

    @property
    def native_value(self) -> int:
        """Return the battery level."""
        return self._button.battery

    @property
    def available(self) -> bool:
        """Offline buttons show as unavailable, like a ZHA device that left."""
        return self._button.available

    async def async_added_to_hass(self) -> None:
        """Follow raadhus_demo.set_battery / set_available."""

        @callback
        def _update(identifier: str) -> None:
            if identifier == self._button.identifier:
                self.async_write_ha_state()

        self.async_on_remove(
            async_dispatcher_connect(self.hass, SIGNAL_BUTTON_UPDATE, _update)
        )
