"""Config and options flows: everything facilities staff configure in the UI.

The config flow only names the town hall (one entry per installation). The
options flow is a menu over rooms, buttons, people, schedules, timings and
contacts. Every form validates fully before anything is stored, so a bad input
shows a form error and loses nothing; saving reloads the entry.

Entity pickers use the selector *filter* (not `domain`) so the UI narrows the
choice while the server-side check below still turns a wrong entity into a
form error instead of a schema exception.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
import uuid

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.core import HomeAssistant, callback, split_entity_id
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    selector,
)
import probatio as vol

from .button_steps import ButtonModelSteps
from .const import (
    ALERT_DOMAINS,
    CONF_ACK_TIMEOUT,
    CONF_ALARM_REPORTS,
    CONF_ALERT_ENTITIES,
    CONF_BUTTONS,
    CONF_CAMERAS,
    CONF_CASE_WORKER,
    CONF_CONTACTS,
    CONF_CRISIS_IN_HOURS_NAME,
    CONF_CRISIS_IN_HOURS_PHONE,
    CONF_CRISIS_LINE_HOURS,
    CONF_CRISIS_OUT_OF_HOURS_NAME,
    CONF_CRISIS_OUT_OF_HOURS_PHONE,
    CONF_CVR,
    CONF_DEVICE_ID,
    CONF_DEVICES,
    CONF_ENTITY_ID,
    CONF_FIRST_REPORT_DELAY,
    CONF_HOLD_THRESHOLD,
    CONF_ID,
    CONF_KIND,
    CONF_LANGUAGE,
    CONF_MODEL,
    CONF_MQTT_TOPIC,
    CONF_NAME,
    CONF_OFFICERS_ON_DUTY,
    CONF_OFFICERS_ROOM,
    CONF_PEOPLE,
    CONF_PERSON,
    CONF_POLICE_PRESENT,
    CONF_PROFILE,
    CONF_RELEASE_GAP,
    CONF_RETENTION_DAYS,
    CONF_ROLES,
    CONF_ROOM_ID,
    CONF_ROOMS,
    CONF_SCHEDULES,
    CONF_SOURCE,
    CONF_TIMINGS,
    CONF_UNSEEN_HOURS,
    DEFAULT_ACK_TIMEOUT,
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_LANGUAGE,
    DEFAULT_NAME,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_UNSEEN_HOURS,
    DEVICE_SOURCES,
    DOMAIN,
    ENTITY_SOURCE_DOMAINS,
    LANGUAGES,
    MAX_ACK_TIMEOUT,
    MAX_HOLD_THRESHOLD,
    MAX_RETENTION_DAYS,
    MAX_UNSEEN_HOURS,
    MIN_ACK_TIMEOUT,
    MIN_HOLD_THRESHOLD,
    MIN_RETENTION_DAYS,
    MIN_UNSEEN_HOURS,
    SOURCE_INTEGRATION,
    ButtonProfile,
    ButtonSource,
    Role,
    RoomKind,
)
from .flow_helpers import (
    number_box as _number,
    out_of_range as _out_of_range,
    suggest as _suggest,
)
from .lookups import mobile_app_devices_of_person

type Item = dict[str, Any]
type Errors = dict[str, str]

CONF_ITEM = "item"
# Set in the model step after the button's form (see button_steps).
BUTTON_MODEL_KEYS = (
    CONF_MODEL,
    CONF_FIRST_REPORT_DELAY,
    CONF_RELEASE_GAP,
    CONF_ALARM_REPORTS,
)


def _entity_picker(domain: str | list[str], *, multiple: bool = False) -> Any:
    return selector.EntitySelector(
        selector.EntitySelectorConfig(
            filter=selector.EntityWithDeviceFilterSelectorConfig(domain=domain),
            multiple=multiple,
        )
    )


def _choice(options: list[str], key: str, *, multiple: bool = False) -> Any:
    return selector.SelectSelector(
        selector.SelectSelectorConfig(
            options=options,
            translation_key=key,
            multiple=multiple,
            mode=selector.SelectSelectorMode.DROPDOWN,
        )
    )


def _entity_exists(hass: HomeAssistant, entity_id: str) -> bool:
    return (
        hass.states.get(entity_id) is not None
        or er.async_get(hass).async_get(entity_id) is not None
    )


def _check_entity(
    hass: HomeAssistant, errors: Errors, field: str, entity_id: str, domains: set[str]
) -> None:
    if split_entity_id(entity_id)[0] not in domains:
        errors[field] = "wrong_domain"
    elif not _entity_exists(hass, entity_id):
        errors[field] = "entity_not_found"


def _device_integration(
    hass: HomeAssistant, device: dr.DeviceEntry | dr.ChildDeviceEntry
) -> str | None:
    entry = hass.config_entries.async_get_entry(device.config_entry_id or "")
    return entry.domain if entry else None


def _is_mobile_app_device(hass: HomeAssistant, device_id: str) -> bool:
    device = dr.async_get(hass).async_get(device_id)
    return device is not None and _device_integration(hass, device) == "mobile_app"


@dataclass(frozen=True, slots=True)
class _Section:
    """One editable list in the options (rooms, buttons or people)."""

    key: str
    schema: Callable[[OptionsFlowHandler, Item], vol.Schema]
    validate: Callable[[OptionsFlowHandler, Item, str | None], tuple[Errors, Item]]
    label: Callable[[OptionsFlowHandler, Item], str]


class RaadhusAlarmConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the town hall entry (one per installation, see manifest)."""

    VERSION = 1
    # 1.2: each button has a model ("auto": detected) and model overrides.
    MINOR_VERSION = 2

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the town hall; rooms and the rest are added in the options."""
        if user_input is not None:
            return self.async_create_entry(
                title=user_input[CONF_NAME], data={CONF_NAME: user_input[CONF_NAME]}
            )
        return self.async_show_form(step_id="user", data_schema=self._name_schema())

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the town hall."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            return self.async_update_reload_and_abort(
                entry, title=user_input[CONF_NAME], data=user_input
            )
        return self.async_show_form(
            step_id="reconfigure", data_schema=self._name_schema(entry.data[CONF_NAME])
        )

    @staticmethod
    def _name_schema(default: str = DEFAULT_NAME) -> vol.Schema:
        return vol.Schema({vol.Required(CONF_NAME, default=default): str})

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> OptionsFlowHandler:
        """Return the options flow."""
        return OptionsFlowHandler()


class OptionsFlowHandler(ButtonModelSteps, OptionsFlowWithReload):
    """Menus and forms for rooms, buttons, people, schedules, timings, contacts."""

    def __init__(self) -> None:
        self._editing: str | None = None

    # -- menus -----------------------------------------------------------

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Top menu."""
        return self.async_show_menu(
            step_id="init",
            menu_options=[
                "rooms",
                "buttons",
                "people",
                "schedules",
                "timings",
                "contacts",
                "officers_room",
            ],
        )

    def _section_menu(self, section: _Section, prefix: str) -> ConfigFlowResult:
        options = [f"{prefix}_add"]
        if self._items(section):
            options += [f"{prefix}_edit", f"{prefix}_remove"]
        return self.async_show_menu(step_id=section.key, menu_options=options)

    async def async_step_rooms(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rooms menu."""
        return self._section_menu(ROOMS, "room")

    async def async_step_buttons(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Buttons menu."""
        return self._section_menu(BUTTONS, "button")

    async def async_step_people(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """People menu."""
        return self._section_menu(PEOPLE, "person")

    # -- rooms -----------------------------------------------------------

    async def async_step_room_add(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a room."""
        return self._add(ROOMS, "room_add", user_input)

    async def async_step_room_edit(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a room to change."""
        return await self._pick(ROOMS, "room_edit", user_input)

    async def async_step_room_edit_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change a room."""
        return self._edit(ROOMS, "room_edit_details", user_input)

    async def async_step_room_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove a room and its buttons."""
        return self._remove(ROOMS, "room_remove", user_input)

    # -- buttons ---------------------------------------------------------

    async def async_step_button_add(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a panic button to a room."""
        if not self._items(ROOMS):
            return self.async_abort(reason="no_rooms")
        await self._async_library()
        return self._add(BUTTONS, "button_add", user_input)

    async def async_step_button_edit(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a button to change."""
        return await self._pick(BUTTONS, "button_edit", user_input)

    async def async_step_button_edit_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change a button."""
        await self._async_library()
        return self._edit(BUTTONS, "button_edit_details", user_input)

    async def async_step_button_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove a button."""
        return self._remove(BUTTONS, "button_remove", user_input)

    # -- people ----------------------------------------------------------

    async def async_step_person_add(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a responder."""
        return self._add(PEOPLE, "person_add", user_input)

    async def async_step_person_edit(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick a responder to change."""
        return await self._pick(PEOPLE, "person_edit", user_input)

    async def async_step_person_edit_details(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change a responder."""
        return self._edit(PEOPLE, "person_edit_details", user_input)

    async def async_step_person_remove(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove a responder."""
        return self._remove(PEOPLE, "person_remove", user_input)

    # -- single forms ----------------------------------------------------

    async def async_step_schedules(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the schedule helpers."""
        fields = (CONF_OFFICERS_ON_DUTY, CONF_POLICE_PRESENT, CONF_CRISIS_LINE_HOURS)
        errors: Errors = {}
        if user_input is not None:
            for field in fields:
                if value := user_input.get(field):
                    _check_entity(self.hass, errors, field, value, {"schedule"})
            if not errors:
                return self._save(CONF_SCHEDULES, user_input)
        current = user_input or self.config_entry.options.get(CONF_SCHEDULES, {})
        schema = vol.Schema(
            {
                vol.Optional(field, description=_suggest(current, field)): (
                    _entity_picker("schedule")
                )
                for field in fields
            }
        )
        return self.async_show_form(
            step_id="schedules", data_schema=schema, errors=errors
        )

    async def async_step_timings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Hold threshold, acknowledgement timeout and supervision timings."""
        bounds: dict[str, tuple[float, float]] = {
            CONF_HOLD_THRESHOLD: (MIN_HOLD_THRESHOLD, MAX_HOLD_THRESHOLD),
            CONF_ACK_TIMEOUT: (MIN_ACK_TIMEOUT, MAX_ACK_TIMEOUT),
            CONF_UNSEEN_HOURS: (MIN_UNSEEN_HOURS, MAX_UNSEEN_HOURS),
            CONF_RETENTION_DAYS: (MIN_RETENTION_DAYS, MAX_RETENTION_DAYS),
        }
        errors: Errors = {
            field: "out_of_range"
            for field, (low, high) in bounds.items()
            if user_input is not None and _out_of_range(user_input[field], low, high)
        }
        if user_input is not None and not errors:
            timings = {
                CONF_HOLD_THRESHOLD: float(user_input[CONF_HOLD_THRESHOLD]),
                CONF_ACK_TIMEOUT: int(user_input[CONF_ACK_TIMEOUT]),
                CONF_UNSEEN_HOURS: int(user_input[CONF_UNSEEN_HOURS]),
                CONF_RETENTION_DAYS: int(user_input[CONF_RETENTION_DAYS]),
            }
            return self._save(CONF_TIMINGS, timings)
        current = {
            CONF_HOLD_THRESHOLD: DEFAULT_HOLD_THRESHOLD,
            CONF_ACK_TIMEOUT: DEFAULT_ACK_TIMEOUT,
            CONF_UNSEEN_HOURS: DEFAULT_UNSEEN_HOURS,
            CONF_RETENTION_DAYS: DEFAULT_RETENTION_DAYS,
            **self.config_entry.options.get(CONF_TIMINGS, {}),
            **(user_input or {}),
        }
        units = {
            CONF_HOLD_THRESHOLD: ("s", 0.1),
            CONF_ACK_TIMEOUT: ("s", 1),
            CONF_UNSEEN_HOURS: ("h", 1),
            CONF_RETENTION_DAYS: ("d", 1),
        }
        schema = vol.Schema(
            {
                vol.Required(field, default=current[field]): _number(*units[field])
                for field in bounds
            }
        )
        placeholders = {
            f"{field}_{end}": f"{value:g}"
            for field, (low, high) in bounds.items()
            for end, value in (("min", low), ("max", high))
        }
        return self.async_show_form(
            step_id="timings",
            data_schema=schema,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_contacts(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Crisis-help contacts and the municipality's CVR number."""
        errors: Errors = {}
        if user_input is not None:
            cvr = user_input.get(CONF_CVR, "").replace(" ", "")
            if cvr and not (cvr.isdigit() and len(cvr) == 8):
                errors[CONF_CVR] = "invalid_cvr"
            else:
                return self._save(CONF_CONTACTS, {**user_input, CONF_CVR: cvr})
        current = user_input or self.config_entry.options.get(CONF_CONTACTS, {})
        fields = (
            CONF_CRISIS_IN_HOURS_NAME,
            CONF_CRISIS_IN_HOURS_PHONE,
            CONF_CRISIS_OUT_OF_HOURS_NAME,
            CONF_CRISIS_OUT_OF_HOURS_PHONE,
            CONF_CVR,
        )
        schema = vol.Schema(
            {vol.Optional(f, description=_suggest(current, f)): str for f in fields}
        )
        return self.async_show_form(
            step_id="contacts", data_schema=schema, errors=errors
        )

    async def async_step_officers_room(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Second channel in the officers' room: siren, light or media player."""
        errors: Errors = {}
        if user_input is not None:
            for entity_id in user_input.get(CONF_ALERT_ENTITIES, []):
                _check_entity(
                    self.hass,
                    errors,
                    CONF_ALERT_ENTITIES,
                    entity_id,
                    set(ALERT_DOMAINS),
                )
            if not errors:
                return self._save(CONF_OFFICERS_ROOM, user_input)
        current = user_input or self.config_entry.options.get(CONF_OFFICERS_ROOM, {})
        schema = vol.Schema(
            {
                vol.Optional(
                    CONF_ALERT_ENTITIES,
                    description=_suggest(current, CONF_ALERT_ENTITIES),
                ): _entity_picker(list(ALERT_DOMAINS), multiple=True)
            }
        )
        return self.async_show_form(
            step_id="officers_room", data_schema=schema, errors=errors
        )

    # -- generic list editing -------------------------------------------

    def _items(self, section: _Section) -> list[Item]:
        items: list[Item] = self.config_entry.options.get(section.key, [])
        return items

    def _item_choice(self, section: _Section) -> vol.Schema:
        options = [
            selector.SelectOptionDict(
                value=item[CONF_ID], label=section.label(self, item)
            )
            for item in self._items(section)
        ]
        return vol.Schema(
            {
                vol.Required(CONF_ITEM): selector.SelectSelector(
                    selector.SelectSelectorConfig(options=options)
                )
            }
        )

    def _add(
        self, section: _Section, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        errors: Errors = {}
        if user_input is not None:
            errors, item = section.validate(self, user_input, None)
            if not errors:
                item[CONF_ID] = uuid.uuid4().hex
                items = [*self._items(section), item]
                if section is BUTTONS:
                    return self._review_button(item, items)
                return self._save(section.key, items)
        return self.async_show_form(
            step_id=step_id,
            data_schema=section.schema(self, user_input or {}),
            errors=errors,
        )

    async def _pick(
        self, section: _Section, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        if user_input is not None:
            self._editing = user_input[CONF_ITEM]
            details = getattr(self, f"async_step_{step_id}_details")
            result: ConfigFlowResult = await details()
            return result
        return self.async_show_form(
            step_id=step_id, data_schema=self._item_choice(section)
        )

    def _edit(
        self, section: _Section, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        items = self._items(section)
        current = next(i for i in items if i[CONF_ID] == self._editing)
        errors: Errors = {}
        if user_input is not None:
            errors, item = section.validate(self, user_input, self._editing)
            if not errors:
                item[CONF_ID] = self._editing
                updated = [item if i[CONF_ID] == self._editing else i for i in items]
                if section is BUTTONS:
                    # The model and overrides chosen before are kept as the
                    # starting point of the model step.
                    for key in BUTTON_MODEL_KEYS:
                        if key in current:
                            item.setdefault(key, current[key])
                    return self._review_button(item, updated)
                return self._save(section.key, updated)
        return self.async_show_form(
            step_id=step_id,
            data_schema=section.schema(self, user_input or current),
            errors=errors,
            description_placeholders={"item": section.label(self, current)},
        )

    def _remove(
        self, section: _Section, step_id: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        if user_input is None:
            return self.async_show_form(
                step_id=step_id, data_schema=self._item_choice(section)
            )
        gone = user_input[CONF_ITEM]
        options = dict(self.config_entry.options)
        options[section.key] = [i for i in self._items(section) if i[CONF_ID] != gone]
        if section is ROOMS:
            # A button without its room would never raise an alarm anywhere.
            options[CONF_BUTTONS] = [
                b for b in options.get(CONF_BUTTONS, []) if b[CONF_ROOM_ID] != gone
            ]
        return self.async_create_entry(data=options)

    def _save(self, key: str, value: Any) -> ConfigFlowResult:
        return self.async_create_entry(data={**self.config_entry.options, key: value})

    # -- rooms: schema and validation ------------------------------------

    def _room_schema(self, d: Item) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_NAME, description=_suggest(d, CONF_NAME)): str,
                vol.Required(CONF_KIND, default=d.get(CONF_KIND, "contact_room")): (
                    _choice([k.value for k in RoomKind], CONF_KIND)
                ),
                vol.Optional(CONF_CAMERAS, description=_suggest(d, CONF_CAMERAS)): (
                    _entity_picker("camera", multiple=True)
                ),
                vol.Optional(
                    CONF_CASE_WORKER, description=_suggest(d, CONF_CASE_WORKER)
                ): _entity_picker("person"),
            }
        )

    def _room_validate(self, data: Item, room_id: str | None) -> tuple[Errors, Item]:
        errors: Errors = {}
        name = data[CONF_NAME].strip()
        if not name:
            errors[CONF_NAME] = "name_required"
        elif any(
            r[CONF_NAME].casefold() == name.casefold() and r[CONF_ID] != room_id
            for r in self._items(ROOMS)
        ):
            errors[CONF_NAME] = "duplicate_room"
        for camera in data.get(CONF_CAMERAS, []):
            _check_entity(self.hass, errors, CONF_CAMERAS, camera, {"camera"})
        if case_worker := data.get(CONF_CASE_WORKER):
            _check_entity(self.hass, errors, CONF_CASE_WORKER, case_worker, {"person"})
        item = {
            CONF_NAME: name,
            CONF_KIND: data[CONF_KIND],
            CONF_CAMERAS: list(data.get(CONF_CAMERAS, [])),
            CONF_CASE_WORKER: case_worker or None,
        }
        return errors, item

    def _room_label(self, item: Item) -> str:
        return str(item[CONF_NAME])

    # -- buttons: schema and validation ----------------------------------

    def _button_schema(self, d: Item) -> vol.Schema:
        rooms = [
            selector.SelectOptionDict(value=r[CONF_ID], label=r[CONF_NAME])
            for r in self._items(ROOMS)
        ]
        return vol.Schema(
            {
                vol.Required(CONF_ROOM_ID, description=_suggest(d, CONF_ROOM_ID)): (
                    selector.SelectSelector(
                        selector.SelectSelectorConfig(options=rooms)
                    )
                ),
                vol.Required(CONF_NAME, description=_suggest(d, CONF_NAME)): str,
                vol.Required(CONF_SOURCE, default=d.get(CONF_SOURCE, "zha")): _choice(
                    [s.value for s in ButtonSource], CONF_SOURCE
                ),
                vol.Optional(CONF_DEVICE_ID, description=_suggest(d, CONF_DEVICE_ID)): (
                    selector.DeviceSelector(
                        selector.DeviceSelectorConfig(
                            filter=[
                                selector.DeviceFilterSelectorConfig(integration=i)
                                for i in SOURCE_INTEGRATION.values()
                            ]
                        )
                    )
                ),
                vol.Optional(CONF_ENTITY_ID, description=_suggest(d, CONF_ENTITY_ID)): (
                    _entity_picker(list(ENTITY_SOURCE_DOMAINS.values()))
                ),
                vol.Required(
                    CONF_PROFILE, default=d.get(CONF_PROFILE, "press_release")
                ): _choice([p.value for p in ButtonProfile], CONF_PROFILE),
                vol.Optional(
                    CONF_HOLD_THRESHOLD, description=_suggest(d, CONF_HOLD_THRESHOLD)
                ): _number("s", 0.1),
                vol.Optional(
                    CONF_MQTT_TOPIC, description=_suggest(d, CONF_MQTT_TOPIC)
                ): str,
            }
        )

    def _button_validate(
        self, data: Item, button_id: str | None
    ) -> tuple[Errors, Item]:
        errors: Errors = {}
        source = ButtonSource(data[CONF_SOURCE])
        device_id = data.get(CONF_DEVICE_ID) or None
        entity_id = data.get(CONF_ENTITY_ID) or None
        if not data[CONF_NAME].strip():
            errors[CONF_NAME] = "name_required"
        if source in DEVICE_SOURCES:
            entity_id = None
            if device_id is None:
                errors[CONF_DEVICE_ID] = "device_required"
            elif (device := dr.async_get(self.hass).async_get(device_id)) is None:
                errors[CONF_DEVICE_ID] = "device_not_found"
            elif (_device_integration(self.hass, device) or "") in (
                set(SOURCE_INTEGRATION.values()) - {SOURCE_INTEGRATION[source]}
            ):
                errors[CONF_DEVICE_ID] = "device_wrong_integration"
        else:
            device_id = None
            if entity_id is None:
                errors[CONF_ENTITY_ID] = "entity_required"
            else:
                _check_entity(
                    self.hass,
                    errors,
                    CONF_ENTITY_ID,
                    entity_id,
                    {ENTITY_SOURCE_DOMAINS[source]},
                )
        for other in self._items(BUTTONS):
            if other[CONF_ID] == button_id:
                continue
            if device_id and other.get(CONF_DEVICE_ID) == device_id:
                errors.setdefault(CONF_DEVICE_ID, "button_in_use")
            if entity_id and other.get(CONF_ENTITY_ID) == entity_id:
                errors.setdefault(CONF_ENTITY_ID, "button_in_use")
        threshold = data.get(CONF_HOLD_THRESHOLD)
        if threshold is not None and _out_of_range(
            threshold, MIN_HOLD_THRESHOLD, MAX_HOLD_THRESHOLD
        ):
            errors[CONF_HOLD_THRESHOLD] = "out_of_range"
        item = {
            CONF_ROOM_ID: data[CONF_ROOM_ID],
            CONF_NAME: data[CONF_NAME].strip(),
            CONF_SOURCE: source.value,
            CONF_DEVICE_ID: device_id,
            CONF_ENTITY_ID: entity_id,
            CONF_PROFILE: data[CONF_PROFILE],
            CONF_HOLD_THRESHOLD: threshold,
            CONF_MQTT_TOPIC: (data.get(CONF_MQTT_TOPIC) or "").strip() or None,
        }
        return errors, item

    def _button_label(self, item: Item) -> str:
        room = next(
            (
                r[CONF_NAME]
                for r in self._items(ROOMS)
                if r[CONF_ID] == item[CONF_ROOM_ID]
            ),
            "?",
        )
        return f"{room}: {item[CONF_NAME]}"

    # -- people: schema and validation -----------------------------------

    def _person_schema(self, d: Item) -> vol.Schema:
        return vol.Schema(
            {
                vol.Required(CONF_PERSON, description=_suggest(d, CONF_PERSON)): (
                    _entity_picker("person")
                ),
                vol.Required(CONF_ROLES, default=d.get(CONF_ROLES, [])): _choice(
                    [r.value for r in Role], CONF_ROLES, multiple=True
                ),
                vol.Optional(CONF_DEVICES, description=_suggest(d, CONF_DEVICES)): (
                    selector.DeviceSelector(
                        selector.DeviceSelectorConfig(
                            integration="mobile_app", multiple=True
                        )
                    )
                ),
                vol.Required(
                    CONF_LANGUAGE, default=d.get(CONF_LANGUAGE, DEFAULT_LANGUAGE)
                ): _choice(list(LANGUAGES), CONF_LANGUAGE),
            }
        )

    def _person_validate(
        self, data: Item, person_id: str | None
    ) -> tuple[Errors, Item]:
        errors: Errors = {}
        person = data[CONF_PERSON]
        _check_entity(self.hass, errors, CONF_PERSON, person, {"person"})
        if any(
            p[CONF_PERSON] == person and p[CONF_ID] != person_id
            for p in self._items(PEOPLE)
        ):
            errors[CONF_PERSON] = "duplicate_person"
        if not data[CONF_ROLES]:
            errors[CONF_ROLES] = "roles_required"
        devices = list(data.get(CONF_DEVICES, []))
        if any(not _is_mobile_app_device(self.hass, d) for d in devices):
            errors[CONF_DEVICES] = "device_not_mobile_app"
        elif not devices and not mobile_app_devices_of_person(self.hass, person):
            # Without a phone the person cannot be alarmed: refuse, do not guess.
            errors[CONF_DEVICES] = "no_mobile_device"
        item = {
            CONF_PERSON: person,
            CONF_ROLES: sorted(data[CONF_ROLES]),
            CONF_DEVICES: devices,
            CONF_LANGUAGE: data[CONF_LANGUAGE],
        }
        return errors, item

    def _person_label(self, item: Item) -> str:
        state = self.hass.states.get(item[CONF_PERSON])
        return state.name if state else str(item[CONF_PERSON])


ROOMS = _Section(
    CONF_ROOMS,
    OptionsFlowHandler._room_schema,
    OptionsFlowHandler._room_validate,
    OptionsFlowHandler._room_label,
)
BUTTONS = _Section(
    CONF_BUTTONS,
    OptionsFlowHandler._button_schema,
    OptionsFlowHandler._button_validate,
    OptionsFlowHandler._button_label,
)
PEOPLE = _Section(
    CONF_PEOPLE,
    OptionsFlowHandler._person_schema,
    OptionsFlowHandler._person_validate,
    OptionsFlowHandler._person_label,
)
