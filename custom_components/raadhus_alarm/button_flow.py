"""The panic-button subentry flow: where it is, what it is, how it is held.

Two forms, then the model steps (`button_steps`): first the room, the name
and where the reports come from; then only the fields of that source (the
device of that radio's integration, or the event/binary_sensor entity, the
Zigbee2MQTT topic for Zigbee2MQTT only). Nothing is stored until the model
step is saved.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers import device_registry as dr, selector
import probatio as vol

from .button_steps import ButtonModelSteps
from .const import (
    CONF_BUTTONS,
    CONF_DEVICE_ID,
    CONF_ENTITY_ID,
    CONF_HOLD_THRESHOLD,
    CONF_ID,
    CONF_MQTT_TOPIC,
    CONF_NAME,
    CONF_PROFILE,
    CONF_ROOM_ID,
    CONF_ROOMS,
    CONF_SOURCE,
    DEVICE_SOURCES,
    ENTITY_SOURCE_DOMAINS,
    MAX_HOLD_THRESHOLD,
    MIN_HOLD_THRESHOLD,
    SOURCE_INTEGRATION,
    ButtonProfile,
    ButtonSource,
)
from .entry_config import button_title, config_mapping, town_hall_of
from .flow_helpers import (
    Errors,
    async_option_label,
    check_entity,
    choice,
    device_integration,
    entity_picker,
    number_box,
    range_errors,
    range_placeholders,
    suggest,
)
from .model import TownHall

type Item = dict[str, Any]

# The id a button has in the forms until Home Assistant gives it one.
NEW_BUTTON = "new"
THRESHOLD_BOUNDS = {CONF_HOLD_THRESHOLD: (MIN_HOLD_THRESHOLD, MAX_HOLD_THRESHOLD)}


class ButtonFlow(ButtonModelSteps, ConfigSubentryFlow):
    """Add or change a panic button."""

    def __init__(self) -> None:
        self._item: Item = {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Room, name and source of a new button."""
        if not config_mapping(self._get_entry())[CONF_ROOMS]:
            return self.async_abort(reason="no_rooms")
        self._item = self._item or {CONF_ID: NEW_BUTTON}
        return await self._where(user_input, "user")

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Room, name and source of a configured button."""
        subentry = self._get_reconfigure_subentry()
        self._item = self._item or {**subentry.data, CONF_ID: subentry.subentry_id}
        return await self._where(user_input, "reconfigure")

    async def _where(
        self, user_input: dict[str, Any] | None, step_id: str
    ) -> SubentryFlowResult:
        errors: Errors = {}
        rooms = config_mapping(self._get_entry())[CONF_ROOMS]
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            if not name:
                errors[CONF_NAME] = "name_required"
            else:
                # The room comes from the list (the selector allows no other).
                self._item.update(
                    {
                        CONF_ROOM_ID: user_input[CONF_ROOM_ID],
                        CONF_NAME: name,
                        CONF_SOURCE: user_input[CONF_SOURCE],
                    }
                )
                return await self._device_form()
        shown = {**self._item, **(user_input or {})}
        schema = vol.Schema(
            {
                vol.Required(CONF_ROOM_ID, description=suggest(shown, CONF_ROOM_ID)): (
                    selector.SelectSelector(
                        selector.SelectSelectorConfig(
                            options=[
                                selector.SelectOptionDict(
                                    value=r[CONF_ID], label=r[CONF_NAME]
                                )
                                for r in rooms
                            ]
                        )
                    )
                ),
                vol.Required(CONF_NAME, description=suggest(shown, CONF_NAME)): str,
                vol.Required(
                    CONF_SOURCE, default=shown.get(CONF_SOURCE, ButtonSource.ZHA)
                ): choice([s.value for s in ButtonSource], CONF_SOURCE),
            }
        )
        return self.async_show_form(step_id=step_id, data_schema=schema, errors=errors)

    async def async_step_device(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """The device or entity of the chosen source, its profile and threshold."""
        if user_input is None:
            return await self._device_form()
        errors = self._validate_device(user_input)
        if errors:
            return await self._device_form(user_input, errors)
        await self._async_library()
        return self._review_button(dict(self._item))

    async def _device_form(
        self, user_input: dict[str, Any] | None = None, errors: Errors | None = None
    ) -> SubentryFlowResult:
        source = ButtonSource(self._item[CONF_SOURCE])
        shown = {**self._item, **(user_input or {})}
        fields: dict[Any, Any] = {}
        if source in DEVICE_SOURCES:
            fields[
                vol.Required(CONF_DEVICE_ID, description=suggest(shown, CONF_DEVICE_ID))
            ] = selector.DeviceSelector(
                selector.DeviceSelectorConfig(
                    filter=selector.DeviceFilterSelectorConfig(
                        integration=SOURCE_INTEGRATION[source]
                    )
                )
            )
        else:
            fields[
                vol.Required(CONF_ENTITY_ID, description=suggest(shown, CONF_ENTITY_ID))
            ] = entity_picker(ENTITY_SOURCE_DOMAINS[source])
        fields[
            vol.Required(
                CONF_PROFILE,
                default=shown.get(CONF_PROFILE, ButtonProfile.PRESS_RELEASE),
            )
        ] = choice([p.value for p in ButtonProfile], CONF_PROFILE)
        fields[
            vol.Optional(
                CONF_HOLD_THRESHOLD, description=suggest(shown, CONF_HOLD_THRESHOLD)
            )
        ] = number_box("s", 0.1)
        if source is ButtonSource.ZIGBEE2MQTT:
            fields[
                vol.Optional(
                    CONF_MQTT_TOPIC, description=suggest(shown, CONF_MQTT_TOPIC)
                )
            ] = str
        return self.async_show_form(
            step_id="device",
            data_schema=vol.Schema(fields),
            errors=errors or {},
            description_placeholders={
                "source": await async_option_label(self.hass, CONF_SOURCE, source),
                **range_placeholders(self.hass, THRESHOLD_BOUNDS),
            },
        )

    def _validate_device(self, data: dict[str, Any]) -> Errors:
        source = ButtonSource(self._item[CONF_SOURCE])
        errors = range_errors(data, THRESHOLD_BOUNDS)
        device_id: str | None = None
        entity_id: str | None = None
        if source in DEVICE_SOURCES:
            device_id = data[CONF_DEVICE_ID]
            if (device := dr.async_get(self.hass).async_get(device_id)) is None:
                errors[CONF_DEVICE_ID] = "device_not_found"
            elif (device_integration(self.hass, device) or "") in (
                set(SOURCE_INTEGRATION.values()) - {SOURCE_INTEGRATION[source]}
            ):
                errors[CONF_DEVICE_ID] = "device_wrong_integration"
        else:
            entity_id = data[CONF_ENTITY_ID]
            check_entity(
                self.hass,
                errors,
                CONF_ENTITY_ID,
                entity_id,
                {ENTITY_SOURCE_DOMAINS[source]},
            )
        for other in config_mapping(self._get_entry())[CONF_BUTTONS]:
            if other[CONF_ID] == self._item[CONF_ID]:
                continue
            if device_id and other.get(CONF_DEVICE_ID) == device_id:
                errors.setdefault(CONF_DEVICE_ID, "button_in_use")
            if entity_id and other.get(CONF_ENTITY_ID) == entity_id:
                errors.setdefault(CONF_ENTITY_ID, "button_in_use")
        threshold = data.get(CONF_HOLD_THRESHOLD)
        topic = (data.get(CONF_MQTT_TOPIC) or "").strip()
        self._item.update(
            {
                CONF_DEVICE_ID: device_id,
                CONF_ENTITY_ID: entity_id,
                CONF_PROFILE: data[CONF_PROFILE],
                CONF_HOLD_THRESHOLD: None if threshold is None else float(threshold),
                CONF_MQTT_TOPIC: topic or None,
            }
        )
        return errors

    # -- what the model steps need -----------------------------------------

    def _town_hall(self) -> TownHall:
        return town_hall_of(self._get_entry())[0]

    def _save_button(self, item: dict[str, Any]) -> SubentryFlowResult:
        data = {k: v for k, v in item.items() if k != CONF_ID}
        room = next(
            (
                r[CONF_NAME]
                for r in config_mapping(self._get_entry())[CONF_ROOMS]
                if r[CONF_ID] == data[CONF_ROOM_ID]
            ),
            "?",  # deleted while this form was open: reported as a repair issue
        )
        title = button_title(room, data[CONF_NAME])
        if self.source == "user":
            return self.async_create_entry(title=title, data=data)
        return self.async_update_and_abort(
            self._get_entry(), self._get_reconfigure_subentry(), title=title, data=data
        )
