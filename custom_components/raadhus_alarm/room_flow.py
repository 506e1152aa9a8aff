"""The room subentry flow: add a room on the integration page, or change it.

A room is placed in a Home Assistant area (picked, or by default the area of
the room's name, created if there is none), so the area's page shows the
room's alarm beside its camera. Deleting a room is Home Assistant's own
delete on the integration page; the reconfigure form names the room's buttons
first, and a button left without its room is reported as a repair issue (it
can raise no alarm) until it is moved or deleted.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.helpers import area_registry as ar, selector
import probatio as vol

from .const import (
    CONF_AREA_ID,
    CONF_CAMERAS,
    CONF_CASE_WORKER,
    CONF_ID,
    CONF_KIND,
    CONF_NAME,
    CONF_ROOM_ID,
    CONF_ROOMS,
    SUBENTRY_BUTTON,
    RoomKind,
)
from .entry_config import button_title, config_mapping
from .flow_helpers import Errors, check_entity, choice, entity_picker, suggest

type Item = dict[str, Any]


class RoomFlow(ConfigSubentryFlow):
    """Add or change a room."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """A new room."""
        errors: Errors = {}
        if user_input is not None:
            errors, item = self._validate(user_input, None)
            if not errors:
                return self.async_create_entry(title=item[CONF_NAME], data=item)
        return self.async_show_form(
            step_id="user", data_schema=self._schema(user_input or {}), errors=errors
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a room (its buttons follow a new name)."""
        entry = self._get_entry()
        subentry = self._get_reconfigure_subentry()
        errors: Errors = {}
        if user_input is not None:
            errors, item = self._validate(user_input, subentry.subentry_id)
            if not errors:
                for button in entry.subentries.values():
                    if (
                        button.subentry_type == SUBENTRY_BUTTON
                        and button.data[CONF_ROOM_ID] == subentry.subentry_id
                    ):
                        self.hass.config_entries.async_update_subentry(
                            entry,
                            button,
                            title=button_title(item[CONF_NAME], button.data[CONF_NAME]),
                        )
                return self.async_update_and_abort(
                    entry, subentry, title=item[CONF_NAME], data=item
                )
        buttons = [
            button.data[CONF_NAME]
            for button in entry.subentries.values()
            if button.subentry_type == SUBENTRY_BUTTON
            and button.data[CONF_ROOM_ID] == subentry.subentry_id
        ]
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self._schema(user_input or dict(subentry.data)),
            errors=errors,
            description_placeholders={
                "room": subentry.title,
                "buttons": ", ".join(buttons) or "—",
            },
        )

    def _schema(self, d: Item) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME, description=suggest(d, CONF_NAME)): str,
                vol.Required(CONF_KIND, default=d.get(CONF_KIND, "contact_room")): (
                    choice([k.value for k in RoomKind], CONF_KIND)
                ),
                vol.Optional(CONF_AREA_ID, description=suggest(d, CONF_AREA_ID)): (
                    selector.AreaSelector()
                ),
                vol.Optional(CONF_CAMERAS, description=suggest(d, CONF_CAMERAS)): (
                    entity_picker("camera", multiple=True)
                ),
                vol.Optional(
                    CONF_CASE_WORKER, description=suggest(d, CONF_CASE_WORKER)
                ): entity_picker("person"),
            }
        )

    def _validate(self, data: Item, room_id: str | None) -> tuple[Errors, Item]:
        errors: Errors = {}
        name = data[CONF_NAME].strip()
        rooms = config_mapping(self._get_entry())[CONF_ROOMS]
        if not name:
            errors[CONF_NAME] = "name_required"
        elif any(
            r[CONF_NAME].casefold() == name.casefold() and r[CONF_ID] != room_id
            for r in rooms
        ):
            errors[CONF_NAME] = "duplicate_room"
        for camera in data.get(CONF_CAMERAS, []):
            check_entity(self.hass, errors, CONF_CAMERAS, camera, {"camera"})
        if case_worker := data.get(CONF_CASE_WORKER):
            check_entity(self.hass, errors, CONF_CASE_WORKER, case_worker, {"person"})
        areas = ar.async_get(self.hass)
        area_id = data.get(CONF_AREA_ID) or None
        if area_id is not None and areas.async_get_area(area_id) is None:
            errors[CONF_AREA_ID] = "area_not_found"
        if not errors and area_id is None:
            # The default: the area of the room's name, made if there is none.
            area = areas.async_get_area_by_name(name) or areas.async_create(name)
            area_id = area.id
        item = {
            CONF_NAME: name,
            CONF_KIND: data[CONF_KIND],
            CONF_AREA_ID: area_id,
            CONF_CAMERAS: list(data.get(CONF_CAMERAS, [])),
            CONF_CASE_WORKER: case_worker or None,
        }
        return errors, item
