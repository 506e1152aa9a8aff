"""Glue: bus events / MQTT messages / state changes → hold detectors → callbacks.

Report times are the moment the event reached Home Assistant's bus
(`Event.time_fired_timestamp`), so a busy event loop cannot stretch a hold.
A detector's deadline is tracked with a point-in-time timer, so the alarm is
raised the moment the threshold is crossed while the button is still held.

The hub knows nothing of incidents: it hands what it decided to the callbacks
`__init__` gives it. Input from the bus is not trusted: anything malformed is
dropped, with at most one debug line a minute per source, and never raises.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
import logging
import math
import time
from typing import Any, Final

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.util import dt as dt_util

from .const import ButtonSource
from .device_library import Behaviour
from .hold import HoldDetector, Outcome, Report, Verdict
from .model import Button, TownHall
from .sources import (
    Vocabulary,
    binary_sensor_report,
    event_entity_report,
    z2m_report,
    zha_report,
    zwave_report,
)

_LOGGER = logging.getLogger(__name__)

ZHA_EVENT: Final = "zha_event"
ZWAVE_EVENT: Final = "zwave_js_value_notification"
# An `event` entity state older than this when it appears is not a new press.
EVENT_MAX_AGE: Final = 10.0
# A deadline timer that fires this much early by the wall clock is on time.
EARLY_TOLERANCE: Final = 0.001
# The last sleep before a deadline is at most this long. Linux lets a long
# sleep overrun by 0.1 % of its length (its "timer slack": 2 ms of a 2 s
# hold), a sleep this short by 50 µs; so a longer wait wakes once this much
# before the deadline and sleeps the rest precisely. At that wake a hold
# still going has its alarm written ahead (see `AheadCallback`): a disk sync
# takes well under this, even on an SD card, so at the threshold the alarm
# is on disk already.
LAST_SLEEP: Final = 0.05
# At most one debug line per source this often about dropped input.
DROPPED_LOG_INTERVAL: Final = 60.0
NOT_REAL: Final = (STATE_UNAVAILABLE, STATE_UNKNOWN)

# (button, when the alarm was due, how long it was held, show it on the
# button's event entity: called by the receiver once the alarm is out)
type AlarmCallback = Callable[[Button, datetime, float | None, CALLBACK_TYPE], None]
type ShortPressCallback = Callable[[Button, datetime, float], None]
# (button, when its alarm falls due if it is still held then; None: it will
# not, the hold ended or the button stopped being watched)
type AheadCallback = Callable[[Button, datetime | None], None]
type Adapter = Callable[[Any, float, Vocabulary], Report | None]
# Sees everything a button said, understood (a Report) or not (None), with
# when it said it: the button test step shows it.
type ReportObserver = Callable[[Report | None, float], None]


class _Dropped:
    """Counts malformed input and says so at most once a minute (debug)."""

    def __init__(self) -> None:
        self._counts: dict[str, int] = {}
        self._logged: dict[str, float] = {}

    def __call__(self, source: str) -> None:
        self._counts[source] = self._counts.get(source, 0) + 1
        now = time.monotonic()
        if now - self._logged.get(source, -math.inf) >= DROPPED_LOG_INTERVAL:
            self._logged[source] = now
            count, self._counts[source] = self._counts[source], 0
            _LOGGER.debug("Dropped %d malformed %s report(s)", count, source)


class ButtonWatcher:
    """One button: its detector, its timer and when it was last heard from."""

    def __init__(
        self,
        hass: HomeAssistant,
        button: Button,
        behaviour: Behaviour,
        on_alarm: AlarmCallback,
        on_short_press: ShortPressCallback,
        *,
        on_ahead: AheadCallback | None = None,
    ) -> None:
        self.hass = hass
        self.button = button
        self.behaviour = behaviour
        self.words = behaviour.words
        self.detector = HoldDetector(behaviour.profile, behaviour.timing)
        self.last_seen: datetime | None = None
        # While a button test runs in the options flow, the real detector
        # hears nothing: a test hold must never raise an alarm. The counts
        # live in hass.data (see `button_mutes`), so a reload during a test
        # keeps the new detectors muted too; keyed by device and entity.
        self.mutes: Mapping[str, int] = {}
        self.mute_keys: tuple[str, ...] = ()
        self.observer: ReportObserver | None = None
        self._on_alarm = on_alarm
        self._on_short_press = on_short_press
        self._on_ahead = on_ahead
        # The alarm time announced ahead, until it falls due or is withdrawn.
        self._ahead_of: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._listeners: list[Callable[[Outcome], None]] = []

    @callback
    def async_add_listener(self, update: Callable[[Outcome], None]) -> CALLBACK_TYPE:
        """Call `update` with every outcome (for the button's event entity)."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @property
    def muted(self) -> bool:
        """Whether a button test of this device or entity is running."""
        return bool(self.mutes) and any(self.mutes.get(k) for k in self.mute_keys)

    @callback
    def seen(self, at: float) -> None:
        """The button (or its radio) said something."""
        self.last_seen = dt_util.utc_from_timestamp(at)

    @callback
    def feed(self, report: Report | None, at: float) -> None:
        """Take a report (None: the device spoke, but not as a button)."""
        self.seen(at)
        if self.observer is not None:
            self.observer(report, at)
        if report is None or self.muted:
            return
        self._handle(self.detector.feed(report))

    @callback
    def _tick(self) -> None:
        self._timer = None
        at = time.time()
        deadline = self.detector.deadline
        if deadline is not None and 0 < deadline - at <= EARLY_TOLERANCE:
            # The loop's (monotonic) clock says the deadline has come; the wall
            # clock may trail it by a hair. Settle at the deadline instead of
            # sleeping another turn of the loop (a millisecond, late).
            at = deadline
        self._handle(self.detector.tick(at))

    @callback
    def _handle(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            if outcome.verdict is Verdict.ALARM:
                self._ahead_of = None  # the alarm takes what was written ahead
                single = not self.behaviour.measures_hold
                self._on_alarm(
                    self.button,
                    dt_util.utc_from_timestamp(
                        outcome.at if outcome.due is None else outcome.due
                    ),
                    None if single else round(outcome.held, 3),
                    partial(self._show, outcome),
                )
            else:
                _LOGGER.debug(
                    "Short press (%.2f s) on %s: no alarm",
                    outcome.held,
                    self.button.name,
                )
                self._on_short_press(
                    self.button, dt_util.utc_from_timestamp(outcome.at), outcome.held
                )
                self._show(outcome)
        self._schedule()

    @callback
    def _show(self, outcome: Outcome) -> None:
        for update in list(self._listeners):
            update(outcome)

    @callback
    def _write_ahead(self) -> None:
        """Announce a hold in its last moment; withdraw one that ended."""
        if self._on_ahead is None:
            return
        alarm_at = self.detector.alarm_at
        if self._ahead_of is not None and alarm_at != self._ahead_of:
            self._ahead_of = None
            self._on_ahead(self.button, None)
        if (
            alarm_at is not None
            and self._ahead_of is None
            and alarm_at - time.time() <= LAST_SLEEP + EARLY_TOLERANCE
        ):
            self._ahead_of = alarm_at
            self._on_ahead(self.button, dt_util.utc_from_timestamp(alarm_at))

    @callback
    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if (deadline := self.detector.deadline) is not None:
            # The loop's own timer, not Home Assistant's point-in-time tracker:
            # that one re-arms when it fires a hair early by the wall clock,
            # which costs every alarm a millisecond or more.
            loop = self.hass.loop
            delay = deadline - time.time()
            if delay > LAST_SLEEP:
                delay -= LAST_SLEEP  # wake early once (see LAST_SLEEP)
            self._timer = loop.call_at(loop.time() + delay, self._tick)
        self._write_ahead()  # after the timer is set: it must never be missing

    @callback
    def async_stop(self) -> None:
        """Cancel the pending timer (and withdraw an alarm written ahead)."""
        if self._ahead_of is not None and self._on_ahead is not None:
            self._ahead_of = None
            self._on_ahead(self.button, None)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


class ButtonHub:
    """Subscribes to every configured button's source."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        behaviour_of: Callable[[Button], Behaviour],
        on_alarm: AlarmCallback,
        on_short_press: ShortPressCallback,
        *,
        on_ahead: AheadCallback | None = None,
        mutes: Mapping[str, int] | None = None,
    ) -> None:
        self.hass = hass
        self.watchers = {
            b.id: ButtonWatcher(
                hass, b, behaviour_of(b), on_alarm, on_short_press, on_ahead=on_ahead
            )
            for b in config.buttons
        }
        if mutes is not None:
            for watcher in self.watchers.values():
                watcher.mutes = mutes
                watcher.mute_keys = mute_keys(hass, watcher.button)
        self._stopped = False
        self._unsubs: list[CALLBACK_TYPE] = []
        self._dropped = _Dropped()

    def last_seen(self, button_id: str) -> datetime | None:
        """When a button was last heard from since start-up."""
        watcher = self.watchers.get(button_id)
        return watcher.last_seen if watcher else None

    def _by(self, source: ButtonSource) -> dict[str, ButtonWatcher]:
        key: Callable[[Button], str | None] = (
            (lambda b: b.entity_id)
            if source in (ButtonSource.EVENT, ButtonSource.BINARY_SENSOR)
            else (lambda b: b.device_id)
        )
        return {
            k: w
            for w in self.watchers.values()
            if w.button.source is source and (k := key(w.button)) is not None
        }

    @callback
    def async_start(self, create_task: Callable[[Any, str], Any]) -> None:
        """Start listening (MQTT in the background: it may connect after us)."""
        self._listen_bus(ZHA_EVENT, self._by(ButtonSource.ZHA), zha_report)
        self._listen_bus(ZWAVE_EVENT, self._by(ButtonSource.ZWAVE_JS), zwave_report)
        self._listen_entities()
        if mqtt_watchers := self._by(ButtonSource.ZIGBEE2MQTT):
            create_task(
                self._subscribe_mqtt(mqtt_watchers), "raadhus_alarm_mqtt_subscribe"
            )

    @property
    def arming(self) -> bool:
        """Whether any button is being held towards an alarm right now."""
        return any(w.detector.may_alarm for w in self.watchers.values())

    @callback
    def async_stop(self) -> None:
        """Stop listening and cancel timers."""
        self._stopped = True
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        for watcher in self.watchers.values():
            watcher.async_stop()

    @callback
    def _feed(
        self, watcher: ButtonWatcher, adapt: Adapter, data: Any, at: float, source: str
    ) -> None:
        try:
            report = adapt(data, at, watcher.words)
        except Exception:  # hostile input must never reach a traceback
            self._dropped(source)
            report = None
        watcher.feed(report, at)

    def _listen_bus(
        self, event_type: str, watchers: dict[str, ButtonWatcher], adapt: Adapter
    ) -> None:
        if not watchers:
            return

        @callback
        def _filter(data: Mapping[str, Any]) -> bool:
            device_id = data.get("device_id") if isinstance(data, Mapping) else None
            return isinstance(device_id, str) and device_id in watchers

        @callback
        def _handle(event: Event[Mapping[str, Any]]) -> None:
            at = event.time_fired_timestamp
            watcher = watchers[event.data["device_id"]]
            self._feed(watcher, adapt, event.data, at, event_type)

        self._unsubs.append(
            self.hass.bus.async_listen(event_type, _handle, event_filter=_filter)
        )

    def _listen_entities(self) -> None:
        binary = self._by(ButtonSource.BINARY_SENSOR)
        events = self._by(ButtonSource.EVENT)
        if not binary and not events:
            return
        # The last real (not unavailable) state of each binary sensor: a press
        # while the radio was unreachable shows as off → unavailable → on.
        known: dict[str, str | None] = {
            entity_id: _real(self.hass.states.get(entity_id)) for entity_id in binary
        }
        # When each event entity's last event was fired, as far as we know.
        last_event: dict[str, float | None] = {
            entity_id: _fired(self.hass.states.get(entity_id)) for entity_id in events
        }

        @callback
        def _binary(
            event: Event[EventStateChangedData], watcher: ButtonWatcher
        ) -> None:
            entity_id = event.data["entity_id"]
            new = event.data["new_state"]
            state = new.state if new else STATE_UNKNOWN
            if state == STATE_UNAVAILABLE:
                return  # never a press; the last real state is kept
            previous, known[entity_id] = known[entity_id], _real(new)
            if state == STATE_UNKNOWN:
                return  # Home Assistant lost track: the next state is not an edge
            at = event.time_fired_timestamp
            watcher.feed(binary_sensor_report(previous, state, at), at)

        @callback
        def _event(event: Event[EventStateChangedData], watcher: ButtonWatcher) -> None:
            entity_id = event.data["entity_id"]
            old, new = event.data["old_state"], event.data["new_state"]
            if new is None or new.state in NOT_REAL:
                return  # never a press; supervision reads availability itself
            fired = _fired(new)
            if fired is None:
                return
            before = last_event[entity_id]
            if before is not None and fired <= before:
                return  # the same event written back (a restore), not a new one
            last_event[entity_id] = fired
            coming_back = old is None or old.state == STATE_UNAVAILABLE
            at = event.time_fired_timestamp
            if (coming_back and before is None) or at - fired > EVENT_MAX_AGE:
                return  # restored after a restart or reconnect: never a report
            self._feed(
                watcher,
                event_entity_report,
                new.attributes.get("event_type"),
                at,
                "event",
            )

        @callback
        def _handle(event: Event[EventStateChangedData]) -> None:
            entity_id = event.data["entity_id"]
            if (watcher := binary.get(entity_id)) is not None:
                _binary(event, watcher)
            else:
                _event(event, events[entity_id])

        self._unsubs.append(
            async_track_state_change_event(self.hass, [*binary, *events], _handle)
        )

    async def _subscribe_mqtt(self, watchers: dict[str, ButtonWatcher]) -> None:
        from homeassistant.components import mqtt  # noqa: PLC0415

        if not await mqtt.async_wait_for_mqtt_client(self.hass):
            _LOGGER.error(
                "MQTT is not set up: %d Zigbee2MQTT button(s) cannot be heard",
                len(watchers),
            )
            return
        dev_reg = dr.async_get(self.hass)
        for device_id, watcher in watchers.items():
            topic = watcher.button.mqtt_topic
            if topic is None:
                device = dev_reg.async_get(device_id)
                name = device.name if device and device.name else device_id
                topic = f"zigbee2mqtt/{name}"
            unsub = await mqtt.async_subscribe(
                self.hass, topic, self._mqtt_handler(watcher), encoding=None
            )
            if self._stopped:  # stopped while subscribing: nothing may linger
                unsub()
                return
            self._unsubs.append(unsub)

    def _mqtt_handler(self, watcher: ButtonWatcher) -> Callable[[Any], None]:
        @callback
        def _handle(msg: Any) -> None:
            at = dt_util.utcnow().timestamp()
            if msg.retain:
                # A retained action is history replayed by the broker, not a press.
                watcher.seen(at)
                return
            self._feed(watcher, z2m_report, msg.payload, at, "zigbee2mqtt")

        return _handle


MUTES_KEY: Final = "raadhus_alarm_button_mutes"


@callback
def mute_keys(hass: HomeAssistant, button: Button) -> tuple[str, ...]:
    """What a button test of `button` mutes, and what mutes `button`.

    Its device, its entity, and the device its entity belongs to (as the
    registry has it): the same keys on both sides, so a test of one physical
    button silences every configured way of hearing it.
    """
    keys = [button.device_id, button.entity_id]
    if button.entity_id is not None:
        entity = er.async_get(hass).async_get(button.entity_id)
        keys.append(entity.device_id if entity else None)
    return tuple(sorted({k for k in keys if k}))


@callback
def button_mutes(hass: HomeAssistant) -> dict[str, int]:
    """Running button tests per device or entity id (shared by every hub)."""
    mutes: dict[str, int] = hass.data.setdefault(MUTES_KEY, {})
    return mutes


def _real(state: State | None) -> str | None:
    return None if state is None or state.state in NOT_REAL else state.state


def _fired(state: State | None) -> float | None:
    """When an event entity's event was fired (its state is that timestamp)."""
    if state is None or state.state in NOT_REAL:
        return None
    try:
        fired = dt_util.parse_datetime(state.state)
    except ValueError:
        return None
    return None if fired is None or fired.tzinfo is None else fired.timestamp()
