"""Config and options flows, and the subentry types of the integration page.

The config flow names the town hall (one entry per installation). Rooms,
panic buttons and responders are config subentries, each listed, added,
changed and deleted on the integration's page (`room_flow`, `button_flow`,
`responder_flow`). The options flow keeps the town-hall-wide settings
(schedules, timings, contacts, the officers' room) in one menu that stays
open: each form returns to it, and "Save" stores them all at once. Every form
validates fully before anything is stored, so bad input shows a form error
and loses nothing; a saved change reloads the entry (see `__init__`).
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.core import callback
from homeassistant.helpers import selector
import probatio as vol

from .button_flow import ButtonFlow
from .const import (
    ALERT_DOMAINS,
    CONF_ACK_TIMEOUT,
    CONF_ALERT_ENTITIES,
    CONF_BAN_KEEP_DAYS,
    CONF_BAN_REMIND_DAYS,
    CONF_BANS,
    CONF_CLIP_SECONDS,
    CONF_CONTACTS,
    CONF_CRISIS_IN_HOURS_NAME,
    CONF_CRISIS_IN_HOURS_PHONE,
    CONF_CRISIS_LINE_HOURS,
    CONF_CRISIS_OUT_OF_HOURS_NAME,
    CONF_CRISIS_OUT_OF_HOURS_PHONE,
    CONF_CVR,
    CONF_DAY_BEFORE_TIME,
    CONF_EVIDENCE,
    CONF_EVIDENCE_RETENTION_DAYS,
    CONF_FOLLOWUP,
    CONF_HOLD_THRESHOLD,
    CONF_MEETING_KEEP_DAYS,
    CONF_MEETINGS,
    CONF_NAME,
    CONF_OFFICERS_ON_DUTY,
    CONF_OFFICERS_ROOM,
    CONF_POLICE_PRESENT,
    CONF_RETENTION_DAYS,
    CONF_SCHEDULES,
    CONF_SNAPSHOT_INTERVAL,
    CONF_SNAPSHOT_WINDOW,
    CONF_SOON_MINUTES,
    CONF_TIMINGS,
    CONF_UNSEEN_HOURS,
    CONF_WORKING_DAYS,
    DEFAULT_ACK_TIMEOUT,
    DEFAULT_BAN_KEEP_DAYS,
    DEFAULT_BAN_REMIND_DAYS,
    DEFAULT_CLIP_SECONDS,
    DEFAULT_DAY_BEFORE_TIME,
    DEFAULT_EVIDENCE_RETENTION_DAYS,
    DEFAULT_FOLLOWUP_WORKING_DAYS,
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_MEETING_KEEP_DAYS,
    DEFAULT_NAME,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SNAPSHOT_INTERVAL,
    DEFAULT_SNAPSHOT_WINDOW,
    DEFAULT_SOON_MINUTES,
    DEFAULT_UNSEEN_HOURS,
    DOMAIN,
    MAX_ACK_TIMEOUT,
    MAX_BAN_KEEP_DAYS,
    MAX_BAN_REMIND_DAYS,
    MAX_CLIP_SECONDS,
    MAX_EVIDENCE_RETENTION_DAYS,
    MAX_FOLLOWUP_WORKING_DAYS,
    MAX_HOLD_THRESHOLD,
    MAX_MEETING_KEEP_DAYS,
    MAX_RETENTION_DAYS,
    MAX_SNAPSHOT_INTERVAL,
    MAX_SNAPSHOT_WINDOW,
    MAX_SOON_MINUTES,
    MAX_UNSEEN_HOURS,
    MIN_ACK_TIMEOUT,
    MIN_BAN_KEEP_DAYS,
    MIN_BAN_REMIND_DAYS,
    MIN_CLIP_SECONDS,
    MIN_EVIDENCE_RETENTION_DAYS,
    MIN_FOLLOWUP_WORKING_DAYS,
    MIN_HOLD_THRESHOLD,
    MIN_MEETING_KEEP_DAYS,
    MIN_RETENTION_DAYS,
    MIN_SNAPSHOT_INTERVAL,
    MIN_SNAPSHOT_WINDOW,
    MIN_SOON_MINUTES,
    MIN_UNSEEN_HOURS,
    SUBENTRY_BUTTON,
    SUBENTRY_RESPONDER,
    SUBENTRY_ROOM,
)
from .flow_helpers import (
    Errors,
    check_entity,
    entity_picker,
    number_box,
    range_errors,
    range_placeholders,
    suggest,
)
from .migration import MINOR_VERSION, VERSION
from .responder_flow import ResponderFlow
from .room_flow import RoomFlow
from .runtime import RaadhusConfigEntry

TIMING_BOUNDS: dict[str, tuple[float, float]] = {
    CONF_HOLD_THRESHOLD: (MIN_HOLD_THRESHOLD, MAX_HOLD_THRESHOLD),
    CONF_ACK_TIMEOUT: (MIN_ACK_TIMEOUT, MAX_ACK_TIMEOUT),
    CONF_UNSEEN_HOURS: (MIN_UNSEEN_HOURS, MAX_UNSEEN_HOURS),
    CONF_RETENTION_DAYS: (MIN_RETENTION_DAYS, MAX_RETENTION_DAYS),
}
TIMING_DEFAULTS: dict[str, float] = {
    CONF_HOLD_THRESHOLD: DEFAULT_HOLD_THRESHOLD,
    CONF_ACK_TIMEOUT: DEFAULT_ACK_TIMEOUT,
    CONF_UNSEEN_HOURS: DEFAULT_UNSEEN_HOURS,
    CONF_RETENTION_DAYS: DEFAULT_RETENTION_DAYS,
}
TIMING_UNITS: dict[str, tuple[str, float]] = {
    CONF_HOLD_THRESHOLD: ("s", 0.1),
    CONF_ACK_TIMEOUT: ("s", 1),
    CONF_UNSEEN_HOURS: ("h", 1),
    CONF_RETENTION_DAYS: ("d", 1),
}
MEETING_BOUNDS: dict[str, tuple[float, float]] = {
    CONF_SOON_MINUTES: (MIN_SOON_MINUTES, MAX_SOON_MINUTES),
    CONF_MEETING_KEEP_DAYS: (MIN_MEETING_KEEP_DAYS, MAX_MEETING_KEEP_DAYS),
}
# The steps of whole numbers only: option section -> field -> (default,
# unit, lowest, highest).
NUMBER_STEPS: dict[str, dict[str, tuple[int, str, int, int]]] = {
    CONF_BANS: {
        CONF_BAN_REMIND_DAYS: (
            DEFAULT_BAN_REMIND_DAYS,
            "d",
            MIN_BAN_REMIND_DAYS,
            MAX_BAN_REMIND_DAYS,
        ),
        CONF_BAN_KEEP_DAYS: (
            DEFAULT_BAN_KEEP_DAYS,
            "d",
            MIN_BAN_KEEP_DAYS,
            MAX_BAN_KEEP_DAYS,
        ),
    },
    CONF_EVIDENCE: {
        CONF_SNAPSHOT_INTERVAL: (
            DEFAULT_SNAPSHOT_INTERVAL,
            "s",
            MIN_SNAPSHOT_INTERVAL,
            MAX_SNAPSHOT_INTERVAL,
        ),
        CONF_SNAPSHOT_WINDOW: (
            DEFAULT_SNAPSHOT_WINDOW,
            "s",
            MIN_SNAPSHOT_WINDOW,
            MAX_SNAPSHOT_WINDOW,
        ),
        CONF_CLIP_SECONDS: (
            DEFAULT_CLIP_SECONDS,
            "s",
            MIN_CLIP_SECONDS,
            MAX_CLIP_SECONDS,
        ),
        CONF_EVIDENCE_RETENTION_DAYS: (
            DEFAULT_EVIDENCE_RETENTION_DAYS,
            "d",
            MIN_EVIDENCE_RETENTION_DAYS,
            MAX_EVIDENCE_RETENTION_DAYS,
        ),
    },
    CONF_FOLLOWUP: {
        CONF_WORKING_DAYS: (
            DEFAULT_FOLLOWUP_WORKING_DAYS,
            "d",
            MIN_FOLLOWUP_WORKING_DAYS,
            MAX_FOLLOWUP_WORKING_DAYS,
        ),
    },
}
SCHEDULE_FIELDS = (CONF_OFFICERS_ON_DUTY, CONF_POLICE_PRESENT, CONF_CRISIS_LINE_HOURS)
CONTACT_FIELDS = (
    CONF_CRISIS_IN_HOURS_NAME,
    CONF_CRISIS_IN_HOURS_PHONE,
    CONF_CRISIS_OUT_OF_HOURS_NAME,
    CONF_CRISIS_OUT_OF_HOURS_PHONE,
    CONF_CVR,
)


class RaadhusAlarmConfigFlow(ConfigFlow, domain=DOMAIN):
    """Create the town hall entry (one per installation, see manifest)."""

    VERSION = VERSION
    MINOR_VERSION = MINOR_VERSION

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Name the town hall; rooms and the rest are added on its page."""
        if user_input is not None:
            return self.async_create_entry(
                title=user_input[CONF_NAME], data={CONF_NAME: user_input[CONF_NAME]}
            )
        return self.async_show_form(step_id="user", data_schema=self._name_schema())

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the town hall (the entry reloads through its update listener)."""
        entry = self._get_reconfigure_entry()
        if user_input is not None:
            return self.async_update_and_abort(
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
    def async_get_options_flow(
        config_entry: RaadhusConfigEntry,
    ) -> OptionsFlowHandler:
        """Return the options flow."""
        return OptionsFlowHandler()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Rooms, panic buttons and responders, on the integration page."""
        return {
            SUBENTRY_ROOM: RoomFlow,
            SUBENTRY_BUTTON: ButtonFlow,
            SUBENTRY_RESPONDER: ResponderFlow,
        }


class OptionsFlowHandler(OptionsFlow):
    """One menu over the town-hall-wide settings; saved together."""

    def __init__(self) -> None:
        self._options: dict[str, Any] | None = None
        self._changed: list[str] = []

    @property
    def _settings(self) -> dict[str, Any]:
        if self._options is None:
            self._options = dict(self.config_entry.options)
        return self._options

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The menu; "save" appears once something was changed."""
        options = [
            "schedules",
            "timings",
            "meetings",
            "bans",
            "evidence",
            "followup",
            "contacts",
            "officers_room",
        ]
        if self._changed:
            options.append("save")
        return self.async_show_menu(
            step_id="init",
            menu_options=options,
            description_placeholders={"changed": ", ".join(self._changed) or "—"},
        )

    async def async_step_save(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Store every change made in this menu."""
        return self.async_create_entry(data=self._settings)

    async def _back_to_menu(self, key: str, value: Any) -> ConfigFlowResult:
        self._settings[key] = value
        if key not in self._changed:
            self._changed.append(key)
        return await self.async_step_init()

    async def async_step_schedules(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the schedule helpers."""
        errors: Errors = {}
        if user_input is not None:
            for field in SCHEDULE_FIELDS:
                if value := user_input.get(field):
                    check_entity(self.hass, errors, field, value, {"schedule"})
            if not errors:
                return await self._back_to_menu(CONF_SCHEDULES, user_input)
        current = user_input or self._settings.get(CONF_SCHEDULES, {})
        schema = vol.Schema(
            {
                vol.Optional(field, description=suggest(current, field)): (
                    entity_picker("schedule")
                )
                for field in SCHEDULE_FIELDS
            }
        )
        return self.async_show_form(
            step_id="schedules", data_schema=schema, errors=errors
        )

    async def async_step_timings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Hold threshold, acknowledgement timeout and supervision timings."""
        errors = range_errors(user_input or {}, TIMING_BOUNDS)
        if user_input is not None and not errors:
            timings = {
                CONF_HOLD_THRESHOLD: float(user_input[CONF_HOLD_THRESHOLD]),
                CONF_ACK_TIMEOUT: int(user_input[CONF_ACK_TIMEOUT]),
                CONF_UNSEEN_HOURS: int(user_input[CONF_UNSEEN_HOURS]),
                CONF_RETENTION_DAYS: int(user_input[CONF_RETENTION_DAYS]),
            }
            return await self._back_to_menu(CONF_TIMINGS, timings)
        current = {
            **TIMING_DEFAULTS,
            **self._settings.get(CONF_TIMINGS, {}),
            **(user_input or {}),
        }
        schema = vol.Schema(
            {
                vol.Required(field, default=current[field]): number_box(
                    *TIMING_UNITS[field]
                )
                for field in TIMING_BOUNDS
            }
        )
        return self.async_show_form(
            step_id="timings",
            data_schema=schema,
            errors=errors,
            description_placeholders=range_placeholders(self.hass, TIMING_BOUNDS),
        )

    async def async_step_meetings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """When officers are forewarned of meetings; how long past ones are kept."""
        errors = range_errors(user_input or {}, MEETING_BOUNDS)
        if user_input is not None and not errors:
            return await self._back_to_menu(
                CONF_MEETINGS,
                {
                    CONF_DAY_BEFORE_TIME: user_input[CONF_DAY_BEFORE_TIME],
                    CONF_SOON_MINUTES: int(user_input[CONF_SOON_MINUTES]),
                    CONF_MEETING_KEEP_DAYS: int(user_input[CONF_MEETING_KEEP_DAYS]),
                },
            )
        current = {
            CONF_DAY_BEFORE_TIME: DEFAULT_DAY_BEFORE_TIME,
            CONF_SOON_MINUTES: DEFAULT_SOON_MINUTES,
            CONF_MEETING_KEEP_DAYS: DEFAULT_MEETING_KEEP_DAYS,
            **self._settings.get(CONF_MEETINGS, {}),
            **(user_input or {}),
        }
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_DAY_BEFORE_TIME, default=current[CONF_DAY_BEFORE_TIME]
                ): selector.TimeSelector(),
                vol.Required(
                    CONF_SOON_MINUTES, default=current[CONF_SOON_MINUTES]
                ): number_box("min", 1),
                vol.Required(
                    CONF_MEETING_KEEP_DAYS, default=current[CONF_MEETING_KEEP_DAYS]
                ): number_box("d", 1),
            }
        )
        return self.async_show_form(
            step_id="meetings",
            data_schema=schema,
            errors=errors,
            description_placeholders=range_placeholders(self.hass, MEETING_BOUNDS),
        )

    async def async_step_bans(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """When the issuing leader is reminded; how long ended bans are kept."""
        return await self._async_numbers(CONF_BANS, user_input)

    async def async_step_evidence(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pictures and clips of an alarm; how long they are kept."""
        return await self._async_numbers(CONF_EVIDENCE, user_input)

    async def async_step_followup(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """After how many working days open follow-up items remind the leaders."""
        return await self._async_numbers(CONF_FOLLOWUP, user_input)

    async def _async_numbers(
        self, section: str, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """A form of whole numbers (`NUMBER_STEPS[section]`), each in its range."""
        fields = NUMBER_STEPS[section]
        bounds = {key: (low, high) for key, (_, _, low, high) in fields.items()}
        errors = range_errors(user_input or {}, bounds)
        if user_input is not None and not errors:
            return await self._back_to_menu(
                section, {key: int(user_input[key]) for key in fields}
            )
        current = {
            **{key: default for key, (default, *_) in fields.items()},
            **self._settings.get(section, {}),
            **(user_input or {}),
        }
        schema = vol.Schema(
            {
                vol.Required(key, default=current[key]): number_box(unit, 1)
                for key, (_, unit, *_) in fields.items()
            }
        )
        return self.async_show_form(
            step_id=section,
            data_schema=schema,
            errors=errors,
            description_placeholders=range_placeholders(self.hass, bounds),
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
                return await self._back_to_menu(
                    CONF_CONTACTS, {**user_input, CONF_CVR: cvr}
                )
        current = user_input or self._settings.get(CONF_CONTACTS, {})
        schema = vol.Schema(
            {
                vol.Optional(f, description=suggest(current, f)): str
                for f in CONTACT_FIELDS
            }
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
                check_entity(
                    self.hass,
                    errors,
                    CONF_ALERT_ENTITIES,
                    entity_id,
                    set(ALERT_DOMAINS),
                )
            if not errors:
                return await self._back_to_menu(CONF_OFFICERS_ROOM, user_input)
        current = user_input or self._settings.get(CONF_OFFICERS_ROOM, {})
        schema = vol.Schema(
            {
                vol.Optional(
                    CONF_ALERT_ENTITIES,
                    description=suggest(current, CONF_ALERT_ENTITIES),
                ): entity_picker(list(ALERT_DOMAINS), multiple=True)
            }
        )
        return self.async_show_form(
            step_id="officers_room", data_schema=schema, errors=errors
        )
