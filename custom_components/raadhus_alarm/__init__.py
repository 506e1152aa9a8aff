"""The Rådhus Alarm integration: panic buttons → incidents → responders.

Data flows one way: button reports (`buttons`) → hold detectors (`hold`) →
the core (`core`: gate, incident, journal) → subscribers, in this order: the
notifier (phones), the officers' room alert, the bus event, then the room's
and the town hall's entities, then the panel. Buttons and supervision hand
the core what they saw through the callbacks wired here; nothing below the
core imports it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
import logging
from pathlib import Path

from homeassistant.const import EVENT_HOMEASSISTANT_STOP, Platform
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.helpers.typing import ConfigType

from . import (
    bus_events,
    evidence_view,
    export_view,
    migration,
    notices,
    officers_room,
    panel,
    phone_actions,
    websocket_api,
)
from .ban_book import BanBook
from .ban_desk import BanDesk
from .ban_services import async_setup_ban_services
from .buttons import ButtonHub, button_mutes
from .const import DOMAIN, SIGNAL_UPDATE
from .core import AlarmCore, Request
from .detection import behaviour_of
from .device_library import Library, load_library
from .devices import async_device_models, async_place_devices, async_sync_devices
from .drill_watch import DrillWatch
from .entry_config import town_hall_of
from .evidence import EvidenceKeeper
from .evidence_services import async_setup_evidence_services
from .followup import FollowUp
from .followup_book import FollowUpBook
from .followup_desk import FollowUpDesk
from .followup_services import async_setup_followup_services
from .health import Problem
from .incident import StepSource
from .meeting_book import MeetingBook
from .meeting_desk import MeetingDesk
from .meeting_services import async_setup_meeting_services
from .model import Button
from .notifier import Notifier
from .permissions import Action, Caller
from .runtime import RaadhusConfigEntry, RaadhusRuntime
from .sender import Sender
from .services import async_setup_services
from .store import IncidentLog
from .supervision import Supervisor

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.CALENDAR,
    Platform.EVENT,
    Platform.SENSOR,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)
ORPHAN_ISSUE = "orphan_button_"
CHANGES_KEY = f"{DOMAIN}_changes_to_reload"
# A reload waits this long at most for a hold in progress to end in an alarm
# (the longest threshold plus the longest back-dating, with room to spare).
HOLD_WAIT = 15.0
HOLD_POLL = 0.1


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register actions and the panel's websocket API (even before an entry loads)."""
    async_setup_services(hass)
    async_setup_meeting_services(hass)
    async_setup_ban_services(hass)
    async_setup_evidence_services(hass)
    async_setup_followup_services(hass)
    websocket_api.async_setup(hass)
    evidence_view.async_setup(hass)
    export_view.async_setup(hass)
    return True


def _trigger_source(button: Button) -> str:
    """What an incident names as the button that raised it."""
    return button.device_id or button.entity_id or button.id


async def async_migrate_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Bring an older town hall's entry up to date (see `migration`)."""
    return await migration.async_migrate(hass, entry)


async def async_setup_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Set up the town hall: restore incidents, then start listening to buttons."""
    # A room, button or responder added, changed or deleted on the
    # integration page, or a setting changed in the options: set up again
    # (open incidents are restored from the log and keep their timers).
    # Listening from the start: a change saved while this set-up runs is
    # not lost (its reload waits for this set-up to finish).
    entry.async_on_unload(entry.add_update_listener(_async_reload))
    config, orphans = town_hall_of(entry)
    _async_report_orphans(hass, entry, orphans)
    log = IncidentLog(hass, Path(hass.config.path(STORAGE_DIR)))
    core = AlarmCore(hass, config, log)
    await core.async_load()  # never raises: a damaged log is reported, not fatal

    def _raise_request(button: Button, due: datetime, held: float | None) -> Request:
        return Request(
            Action.RAISE,
            Caller.device(button.name),
            StepSource.BUTTON,
            room=button.room_id,
            at=due,
            trigger_source=_trigger_source(button),
            hold_seconds=held,
        )

    @callback
    def _button_ahead(button: Button, due: datetime | None) -> None:
        try:
            if due is None:
                core.async_withdraw_ahead(_trigger_source(button))
            else:
                held = config.threshold_for(button)  # as it will be at the threshold
                core.async_write_ahead(_raise_request(button, due, held))
        except Exception:  # never expected; the alarm itself is raised at the threshold
            _LOGGER.exception("The alarm of %s could not be written ahead", button.name)

    @callback
    def _button_alarm(
        button: Button, due: datetime, held: float | None, show: CALLBACK_TYPE
    ) -> None:
        request = _raise_request(button, due, held)
        try:
            _, written = core.async_submit(request)
        except Exception:  # never expected; the log must say so loudly
            _LOGGER.exception("The alarm of %s could not be raised", button.name)
            show()
            return
        # The button's event entity shows it after the phones were called.
        written.add_done_callback(lambda _: show())

    @callback
    def _short_press(button: Button, at: datetime, held: float) -> None:
        bus_events.async_fire_short_press(hass, button, at, held)

    try:
        library = await hass.async_add_executor_job(load_library)
    except Exception:  # any failure: the alarm path must not stop for it
        # Never expected (the file ships with the integration and is tested);
        # the alarm path must not stop for it: every button is generic.
        _LOGGER.exception("The button library could not be read")
        library = Library(())
    buttons = ButtonHub(
        hass,
        config,
        lambda button: behaviour_of(hass, library, config, button),
        _button_alarm,
        _short_press,
        on_ahead=_button_ahead,
        mutes=button_mutes(hass),
    )
    sender = Sender(hass, config)
    notifier = Notifier(hass, config, core, sender)
    followup = FollowUp(hass, core, sender)

    @callback
    def _button_problem(button: Button, problem: Problem | None, tell: bool) -> None:
        core.async_request_panel_update()
        room = config.room(button.room_id)
        if problem is not None and tell:
            entry.async_create_task(
                hass,
                followup.async_button_problem(
                    button.name, room.name if room else "?", problem.value
                ),
                f"raadhus_alarm button {button.id}",
            )

    supervisor = Supervisor(hass, config, buttons.last_seen, _button_problem)
    meetings = MeetingDesk(hass, config, core, MeetingBook(hass), sender)
    notifier.meeting_in = meetings.meeting_in  # an alarm says so during one
    bans = BanDesk(hass, config, core, BanBook(hass), sender)
    drills = DrillWatch(hass, config, core, sender, entry.created_at)
    followups = FollowUpDesk(hass, config, core, FollowUpBook(hass), sender)
    evidence = EvidenceKeeper(hass, config, core, sender)
    runtime = RaadhusRuntime(
        config,
        core,
        buttons,
        supervisor,
        notifier,
        followup,
        meetings,
        bans,
        drills,
        followups,
        evidence,
    )
    entry.runtime_data = runtime
    runtime.hall_device_id = async_sync_devices(
        hass, entry, config, await async_device_models(hass)
    )

    # The order of subscription is the order of the alarm path.
    entry.async_on_unload(notifier.async_start())
    entry.async_on_unload(followup.async_start())
    entry.async_on_unload(officers_room.async_follow(hass, core, config.alert_entities))
    entry.async_on_unload(bus_events.async_follow(hass, core))
    # Normally closed in async_unload_entry; this covers a failed set-up.
    entry.async_on_unload(log.async_close)
    try:
        await meetings.async_start()
    except Exception:  # meetings must never keep the alarm from starting
        _LOGGER.exception("The announced meetings could not be loaded")
    entry.async_on_unload(meetings.async_stop)
    for name, part in (
        ("attendance bans", bans),
        ("drill watch", drills),
        ("follow-up", followups),
        ("video evidence", evidence),
    ):
        try:
            await part.async_start()
        except Exception:  # neither may keep the alarm from starting
            _LOGGER.exception("The %s could not be started", name)
        entry.async_on_unload(part.async_stop)
    # Every consumer listens now (entities read the book when they are added):
    # alarms left written ahead by a stop.
    core.async_raise_left_ahead()
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    async_place_devices(hass, entry, config)
    buttons.async_start(
        lambda coro, name: entry.async_create_background_task(hass, coro, name)
    )
    entry.async_on_unload(buttons.async_stop)
    supervisor.async_start()
    entry.async_on_unload(supervisor.async_stop)
    runtime.input_unsubs.append(phone_actions.async_listen(hass, core))
    entry.async_on_unload(_async_follow_schedules(hass, entry, core))

    async def _stopping(event: Event) -> None:
        await runtime.async_shutdown()
        notifier.async_stop()

    entry.async_on_unload(hass.bus.async_listen(EVENT_HOMEASSISTANT_STOP, _stopping))
    if "frontend" in hass.config.components:
        try:
            await panel.async_register_panel(hass, "Rådhus Alarm")
        except OSError, ValueError:
            # The wall screen is a convenience; the alarm itself must run.
            _LOGGER.exception("The officers' panel could not be registered")
        else:
            entry.async_on_unload(lambda: panel.async_remove_panel(hass))
    # Subscribed panels follow the entry across reloads and unloads.
    entry.async_on_unload(lambda: async_dispatcher_send(hass, SIGNAL_UPDATE))
    async_dispatcher_send(hass, SIGNAL_UPDATE)
    return True


@callback
def _async_follow_schedules(
    hass: HomeAssistant, entry: RaadhusConfigEntry, core: AlarmCore
) -> CALLBACK_TYPE:
    """Changes of the schedules (on duty, police) change what the panel shows."""
    schedules = entry.runtime_data.config.schedules
    watched = [e for e in (schedules.officers_on_duty, schedules.police_present) if e]

    @callback
    def _changed(_event: Event[EventStateChangedData]) -> None:
        core.async_request_panel_update()

    return async_track_state_change_event(hass, watched, _changed)


async def async_unload_entry(hass: HomeAssistant, entry: RaadhusConfigEntry) -> bool:
    """Unload a config entry (the incident log stays on disk).

    The inputs stop first; then the log writes what is left while the notifier
    and the others still listen, so an alarm raised during the unload is
    written and sent; the unload callbacks unsubscribe them afterwards.
    """
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        await entry.runtime_data.async_shutdown()
    return unloaded


async def _async_reload(hass: HomeAssistant, entry: RaadhusConfigEntry) -> None:
    """Set up again after a change; a burst of changes is one reload.

    Renaming a room also renames its buttons' subentries, one change each,
    and each reload is a moment the buttons are not heard. The first call
    yields so the rest of the burst lands, then reloads; the others only
    count themselves. A change that lands during the reload gets one more.
    While a button is being held towards an alarm the reload waits (in the
    background) until that alarm is raised: new detectors would know nothing
    of a press already under way.
    """
    changes: dict[str, int] = hass.data.setdefault(CHANGES_KEY, {})
    changes[entry.entry_id] = changes.get(entry.entry_id, 0) + 1
    if changes[entry.entry_id] > 1:
        return  # a reload is under way and will see this change
    await asyncio.sleep(0)
    if _arming(entry):
        # Not the entry's own background task: those are cancelled when it
        # unloads, which this reload does.
        hass.async_create_background_task(
            _async_reload_when_settled(hass, entry), f"{DOMAIN} reload"
        )
        return
    await _async_reload_all_changes(hass, entry)


async def _async_reload_when_settled(
    hass: HomeAssistant, entry: RaadhusConfigEntry
) -> None:
    waited = 0.0
    while _arming(entry) and waited < HOLD_WAIT:
        await asyncio.sleep(HOLD_POLL)
        waited += HOLD_POLL
    await _async_reload_all_changes(hass, entry)


async def _async_reload_all_changes(
    hass: HomeAssistant, entry: RaadhusConfigEntry
) -> None:
    changes: dict[str, int] = hass.data[CHANGES_KEY]
    try:
        while True:
            seen = changes[entry.entry_id]
            await hass.config_entries.async_reload(entry.entry_id)
            if changes[entry.entry_id] == seen:
                break
            await asyncio.sleep(0)
    finally:
        del changes[entry.entry_id]


def _arming(entry: RaadhusConfigEntry) -> bool:
    """Whether a button of the loaded town hall may be about to alarm."""
    runtime = getattr(entry, "runtime_data", None)
    return isinstance(runtime, RaadhusRuntime) and runtime.buttons.arming


@callback
def _async_report_orphans(
    hass: HomeAssistant, entry: RaadhusConfigEntry, orphans: tuple[Button, ...]
) -> None:
    """A repair issue per button whose room was deleted (it raises no alarm)."""
    orphan_ids = {button.id for button in orphans}
    for domain, issue_id in list(ir.async_get(hass).issues):
        if (
            domain == DOMAIN
            and issue_id.startswith(ORPHAN_ISSUE)
            and issue_id.removeprefix(ORPHAN_ISSUE) not in orphan_ids
        ):
            notices.async_clear(hass, issue_id)
    for button in orphans:
        _LOGGER.warning(
            "Button %s belongs to a deleted room and raises no alarm", button.name
        )
        notices.async_raise(
            hass,
            f"{ORPHAN_ISSUE}{button.id}",
            "button_without_room",
            {"button": entry.subentries[button.id].title},
            # The repair issue is for the administrators, who can mend it.
            notify=False,
        )


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: RaadhusConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Allow removing a device only when no room or button has it any more."""
    config = entry.runtime_data.config
    wanted = (
        {entry.entry_id} | {r.id for r in config.rooms} | {b.id for b in config.buttons}
    )
    return not any(
        domain == DOMAIN and ident in wanted for domain, ident in device.identifiers
    )
