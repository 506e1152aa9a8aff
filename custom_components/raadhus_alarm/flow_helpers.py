"""Form helpers shared by the config, options and subentry flows.

Entity pickers use the selector *filter* (not `domain`) so the UI narrows the
choice while the server-side checks here still turn a wrong entity into a
form error instead of a schema exception. Numbers have no bounds in the
schema for the same reason: the step checks them and says the range.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.core import HomeAssistant, split_entity_id
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    selector,
)
from homeassistant.helpers.translation import async_get_translations

from .const import DOMAIN

type Errors = dict[str, str]


def number_box(unit: str, step: float) -> Any:
    """A number field without bounds in the schema (checked in the step)."""
    return selector.NumberSelector(
        selector.NumberSelectorConfig(
            mode=selector.NumberSelectorMode.BOX, step=step, unit_of_measurement=unit
        )
    )


def suggest(defaults: Mapping[str, Any], key: str) -> dict[str, Any]:
    """A field description that pre-fills the current value, if there is one."""
    value = defaults.get(key)
    return {} if value in (None, "", []) else {"suggested_value": value}


def out_of_range(value: float, low: float, high: float) -> bool:
    """Whether a number falls outside [low, high]."""
    return not low <= value <= high


def entity_picker(domain: str | list[str], *, multiple: bool = False) -> Any:
    """An entity picker narrowed to some domains."""
    return selector.EntitySelector(
        selector.EntitySelectorConfig(
            filter=selector.EntityWithDeviceFilterSelectorConfig(domain=domain),
            multiple=multiple,
        )
    )


def choice(options: list[str], key: str, *, multiple: bool = False) -> Any:
    """A drop-down of translated options."""
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options,
            translation_key=key,
            multiple=multiple,
            mode=selector.SelectSelectorMode.DROPDOWN,
        )
    )


def check_entity(
    hass: HomeAssistant, errors: Errors, field: str, entity_id: str, domains: set[str]
) -> None:
    """A form error when an entity is of the wrong domain or does not exist."""
    if split_entity_id(entity_id)[0] not in domains:
        errors[field] = "wrong_domain"
    elif (
        hass.states.get(entity_id) is None
        and er.async_get(hass).async_get(entity_id) is None
    ):
        errors[field] = "entity_not_found"


def device_integration(
    hass: HomeAssistant, device: dr.DeviceEntry | dr.ChildDeviceEntry
) -> str | None:
    """The integration a device belongs to."""
    entry = hass.config_entries.async_get_entry(device.config_entry_id or "")
    return entry.domain if entry else None


def is_mobile_app_device(hass: HomeAssistant, device_id: str) -> bool:
    """Whether a device is a companion-app phone."""
    device = dr.async_get(hass).async_get(device_id)
    return device is not None and device_integration(hass, device) == "mobile_app"


def decimal_mark(hass: HomeAssistant) -> str:
    """The decimal mark of Home Assistant's language (a comma in Danish)."""
    return "," if hass.config.language.startswith("da") else "."


def local_number(hass: HomeAssistant, value: float, digits: int | None = None) -> str:
    """A number as Home Assistant's language writes it (0,5 in Danish).

    Without `digits` as short as it goes (2, 0.5); with them, that many.
    """
    text = f"{value:g}" if digits is None else f"{value:.{digits}f}"
    return text.replace(".", decimal_mark(hass))


def range_placeholders(
    hass: HomeAssistant, bounds: Mapping[str, tuple[float, float]]
) -> dict[str, str]:
    """`<field>_min` and `<field>_max` of each field, for help texts and errors."""
    return {
        f"{field}_{end}": local_number(hass, value)
        for field, (low, high) in bounds.items()
        for end, value in (("min", low), ("max", high))
    }


def range_errors(
    data: Mapping[str, Any], bounds: Mapping[str, tuple[float, float]]
) -> Errors:
    """`<field>_out_of_range` for each given number outside its bounds.

    One error key per field, so the message can say that field's range.
    """
    return {
        field: f"{field}_out_of_range"
        for field, (low, high) in bounds.items()
        if data.get(field) is not None and out_of_range(data[field], low, high)
    }


async def async_option_label(hass: HomeAssistant, key: str, value: str) -> str:
    """A drop-down option's label in Home Assistant's language, for a text."""
    strings = await async_get_translations(
        hass, hass.config.language, "selector", [DOMAIN]
    )
    return strings.get(f"component.{DOMAIN}.selector.{key}.options.{value}", value)
