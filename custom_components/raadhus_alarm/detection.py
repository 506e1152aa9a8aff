"""Glue: which library model a configured button is, from the device registry.

Facilities staff do not choose a profile: the model is read from the device
registry (ZHA, Zigbee2MQTT through MQTT discovery, Z-Wave JS) and its
behaviour taken from the library. `event` and `binary_sensor` buttons are
looked up through the device their entity belongs to.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import ButtonSource
from .device_library import (
    AUTO,
    Behaviour,
    ButtonModel,
    Library,
    Overrides,
    behaviour,
)
from .model import Button, TownHall

# Entity sources: the integration whose device the entity belongs to decides
# which of the library's models can match.
_PLATFORM_SOURCE = {
    "zha": ButtonSource.ZHA,
    "mqtt": ButtonSource.ZIGBEE2MQTT,
    "zwave_js": ButtonSource.ZWAVE_JS,
}


def device_of(
    hass: HomeAssistant,
    source: ButtonSource,
    device_id: str | None,
    entity_id: str | None,
) -> dr.DeviceEntry | None:
    """The device registry entry behind a button (device or entity source)."""
    if device_id is None and entity_id is not None:
        entity = er.async_get(hass).async_get(entity_id)
        device_id = entity.device_id if entity else None
    registry = dr.async_get(hass)
    device = registry.async_get(device_id) if device_id else None
    if isinstance(device, dr.ChildDeviceEntry):
        # A sub-device (e.g. one endpoint) has no maker or model of its own.
        device = registry.async_get(device.parent_device_id)
    return device if isinstance(device, dr.DeviceEntry) else None


def detect(
    hass: HomeAssistant,
    library: Library,
    source: ButtonSource,
    device_id: str | None,
    entity_id: str | None = None,
) -> ButtonModel | None:
    """The library model the registry describes for this device, if any."""
    if source is ButtonSource.BINARY_SENSOR:
        return None  # on/off only: see model_of
    device = device_of(hass, source, device_id, entity_id)
    if device is None:
        return None
    model = library.match(source, device.manufacturer, device.model, device.model_id)
    if model is not None or entity_id is None:
        return model
    # An `event` entity of a known device: the reports are that device's.
    entity = er.async_get(hass).async_get(entity_id)
    platform_source = _PLATFORM_SOURCE.get(entity.platform) if entity else None
    if platform_source is None:
        return None
    return library.match(
        platform_source, device.manufacturer, device.model, device.model_id
    )


def model_of(
    hass: HomeAssistant, library: Library, button: Button
) -> ButtonModel | None:
    """The model a button is configured as: chosen, detected, or none (generic).

    A `binary_sensor` button never takes a model: its states say only on and
    off (often an IAS zone that stays on), whatever device it belongs to, so
    the profile facilities chose for it stands.
    """
    if button.source is ButtonSource.BINARY_SENSOR:
        return None
    chosen = library.get(button.model) if button.model != AUTO else None
    if chosen is not None and button.source in (chosen.source, ButtonSource.EVENT):
        return chosen
    if button.model != AUTO and chosen is None:
        return None  # "generic" (or a model no longer in the library)
    # "auto", or a model of another radio (the source was changed since):
    # what the registry says, never another radio's report names.
    return detect(hass, library, button.source, button.device_id, button.entity_id)


def behaviour_of(
    hass: HomeAssistant, library: Library, config: TownHall, button: Button
) -> Behaviour:
    """The detector settings of a configured button."""
    return behaviour(
        button.source,
        button.profile,
        model_of(hass, library, button),
        config.threshold_for(button),
        Overrides(button.first_report_delay, button.release_gap, button.alarm_reports),
    )
