"""Small form helpers shared by the options flow's steps."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.helpers import selector


def number_box(unit: str, step: float) -> Any:
    """A number field without bounds in the schema.

    The bounds are checked in the step, so an out-of-range value is a form
    error, not a schema exception.
    """
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
