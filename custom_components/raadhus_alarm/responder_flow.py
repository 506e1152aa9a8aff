"""The responder subentry flow: a person, their roles, phones and language.

A responder without a companion-app phone cannot be alarmed, so the form
refuses one rather than guessing.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers import selector
import probatio as vol

from .const import (
    CONF_DEVICES,
    CONF_ID,
    CONF_LANGUAGE,
    CONF_PEOPLE,
    CONF_PERSON,
    CONF_ROLES,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Role,
)
from .entry_config import config_mapping
from .flow_helpers import (
    Errors,
    check_entity,
    choice,
    entity_picker,
    is_mobile_app_device,
    suggest,
)
from .lookups import display_name, mobile_app_devices_of_person

type Item = dict[str, Any]


class ResponderFlow(ConfigSubentryFlow):
    """Add or change a responder."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A new responder."""
        errors: Errors = {}
        if user_input is not None:
            errors, item = self._validate(user_input, None)
            if not errors:
                return self.async_create_entry(
                    title=display_name(self.hass, item[CONF_PERSON]), data=item
                )
        return self.async_show_form(
            step_id="user", data_schema=self._schema(user_input or {}), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a responder's roles, phones or language."""
        subentry = self._get_reconfigure_subentry()
        errors: Errors = {}
        if user_input is not None:
            errors, item = self._validate(user_input, subentry.subentry_id)
            if not errors:
                return self.async_update_and_abort(
                    self._get_entry(),
                    subentry,
                    title=display_name(self.hass, item[CONF_PERSON]),
                    data=item,
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self._schema(user_input or dict(subentry.data)),
            errors=errors,
            description_placeholders={"person": subentry.title},
        )

    def _schema(self, d: Item) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_PERSON, description=suggest(d, CONF_PERSON)): (
                    entity_picker("person")
                ),
                vol.Required(CONF_ROLES, default=d.get(CONF_ROLES, [])): choice(
                    [r.value for r in Role], CONF_ROLES, multiple=True
                ),
                vol.Optional(CONF_DEVICES, description=suggest(d, CONF_DEVICES)): (
                    selector.DeviceSelector(
                        selector.DeviceSelectorConfig(
                            integration="mobile_app", multiple=True
                        )
                    )
                ),
                vol.Required(
                    CONF_LANGUAGE, default=d.get(CONF_LANGUAGE, DEFAULT_LANGUAGE)
                ): choice(list(LANGUAGES), CONF_LANGUAGE),
            }
        )

    def _validate(self, data: Item, person_id: str | None) -> tuple[Errors, Item]:
        errors: Errors = {}
        person = data[CONF_PERSON]
        check_entity(self.hass, errors, CONF_PERSON, person, {"person"})
        if any(
            p[CONF_PERSON] == person and p[CONF_ID] != person_id
            for p in config_mapping(self._get_entry())[CONF_PEOPLE]
        ):
            errors[CONF_PERSON] = "duplicate_person"
        if not data[CONF_ROLES]:
            errors[CONF_ROLES] = "roles_required"
        devices = list(data.get(CONF_DEVICES, []))
        if any(not is_mobile_app_device(self.hass, d) for d in devices):
            errors[CONF_DEVICES] = "device_not_mobile_app"
        elif not devices and not mobile_app_devices_of_person(self.hass, person):
            errors[CONF_DEVICES] = "no_mobile_device"
        item = {
            CONF_PERSON: person,
            CONF_ROLES: sorted(data[CONF_ROLES]),
            CONF_DEVICES: devices,
            CONF_LANGUAGE: data[CONF_LANGUAGE],
        }
        return errors, item
