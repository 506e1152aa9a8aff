"""Glue: bus events / MQTT messages / state changes → hold detectors → the core.

Report times are the moment the event reached Home Assistant's bus
(`Event.time_fired_timestamp`), so a busy event loop cannot stretch a hold.
A detector's deadline is tracked with a point-in-time timer, so the alarm is
raised the moment the threshold is crossed while the button is still held.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
import logging
import math
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import (
    async_track_point_in_utc_time,
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util

from .const import ButtonProfile, ButtonSource
from .hold import HoldDetector, HoldTiming, Outcome, Report, Verdict
from .model import Button
from .sources import (
    binary_sensor_report,
    event_entity_report,
    z2m_report,
    zha_report,
    zwave_report,
)

if TYPE_CHECKING:
    from .alarm import TownHallAlarm

_LOGGER = logging.getLogger(__name__)

ZHA_EVENT = "zha_event"
ZWAVE_EVENT = "zwave_js_value_notification"
# Z-Wave JS repeats KeyHeldDown every ~200 ms; 400 ms of silence is a release.
RELEASE_GAP = {ButtonSource.ZWAVE_JS: 0.4}
# Other repeating devices (Hue: every ~800 ms) need a wider gap.
DEFAULT_RELEASE_GAP = 1.2
# An `event` entity state older than this when it appears is a restore, not a press.
EVENT_MAX_AGE = 10.0
# Home Assistant's timers carry datetimes with whole microseconds.
TIMER_RESOLUTION = 1e-6


class ButtonWatcher:
    """One button: its detector, its timer and when it was last heard from."""

    def __init__(self, hass: HomeAssistant, alarm: TownHallAlarm, button: Button):
        self.hass = hass
        self.alarm = alarm
        self.button = button
        gap = RELEASE_GAP.get(button.source, DEFAULT_RELEASE_GAP)
        self.detector = HoldDetector(
            button.profile,
            HoldTiming(threshold=alarm.config.threshold_for(button), release_gap=gap),
        )
        self.last_seen: datetime | None = None
        self.last_outcome: Outcome | None = None
        self._timer: CALLBACK_TYPE | None = None
        self._listeners: list[Callable[[Outcome], None]] = []

    @callback
    def async_add_listener(self, update: Callable[[Outcome], None]) -> CALLBACK_TYPE:
        """Call `update` with every outcome (for the button's event entity)."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    @callback
    def seen(self, at: float) -> None:
        """The button (or its radio) said something."""
        self.last_seen = dt_util.utc_from_timestamp(at)

    @callback
    def feed(self, report: Report | None, at: float) -> None:
        """Take a report (None: the device spoke, but not as a button)."""
        self.seen(at)
        if report is None:
            return
        _LOGGER.debug("%s: %s", self.button.name, report)
        self._handle(self.detector.feed(report))

    @callback
    def _tick(self, now: datetime) -> None:
        self._timer = None
        at = now.timestamp()
        deadline = self.detector.deadline
        if deadline is not None and 0 < deadline - at < TIMER_RESOLUTION:
            # The timer carries whole microseconds; the deadline may not. Without
            # this the timer re-arms for the same instant and spins until release.
            at = deadline
        self._handle(self.detector.tick(at))

    @callback
    def _handle(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.last_outcome = outcome
            at = dt_util.utc_from_timestamp(outcome.at)
            if outcome.verdict is Verdict.ALARM:
                held = (
                    None
                    if self.button.profile is ButtonProfile.SINGLE_SHOT
                    else round(outcome.held, 3)
                )
                self.alarm.entry.async_create_task(
                    self.hass,
                    self.alarm.async_button_alarm(self.button, at, held),
                    eager_start=True,
                )
            else:
                self.alarm.async_button_short_press(self.button, at, outcome.held)
            for update in list(self._listeners):
                update(outcome)
        self._schedule()

    @callback
    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer()
            self._timer = None
        if (deadline := self.detector.deadline) is not None:
            # Round up to the timer's microsecond so it never fires before it.
            when = math.ceil(deadline / TIMER_RESOLUTION) * TIMER_RESOLUTION
            self._timer = async_track_point_in_utc_time(
                self.hass, self._tick, dt_util.utc_from_timestamp(when)
            )

    @callback
    def async_stop(self) -> None:
        """Cancel the pending timer."""
        if self._timer is not None:
            self._timer()
            self._timer = None


class ButtonHub:
    """Subscribes to every configured button's source."""

    def __init__(self, hass: HomeAssistant, alarm: TownHallAlarm) -> None:
        self.hass = hass
        self.alarm = alarm
        self.watchers = {
            b.id: ButtonWatcher(hass, alarm, b) for b in alarm.config.buttons
        }
        self._unsubs: list[CALLBACK_TYPE] = []

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

    async def async_start(self) -> None:
        """Start listening."""
        self._listen_bus(ZHA_EVENT, self._by(ButtonSource.ZHA), zha_report)
        self._listen_bus(ZWAVE_EVENT, self._by(ButtonSource.ZWAVE_JS), zwave_report)
        self._listen_entities()
        if mqtt_watchers := self._by(ButtonSource.ZIGBEE2MQTT):
            # MQTT may connect after us; never hold up start-up waiting for it.
            self.alarm.entry.async_create_background_task(
                self.hass,
                self._subscribe_mqtt(mqtt_watchers),
                "raadhus_alarm_mqtt_subscribe",
            )

    @callback
    def async_stop(self) -> None:
        """Stop listening and cancel timers."""
        for unsub in self._unsubs:
            unsub()
        self._unsubs.clear()
        for watcher in self.watchers.values():
            watcher.async_stop()

    def _listen_bus(
        self,
        event_type: str,
        watchers: dict[str, ButtonWatcher],
        adapt: Callable[[Mapping[str, Any], float], Report | None],
    ) -> None:
        if not watchers:
            return

        @callback
        def _filter(data: Mapping[str, Any]) -> bool:
            return data.get("device_id") in watchers

        @callback
        def _handle(event: Event[Mapping[str, Any]]) -> None:
            at = event.time_fired_timestamp
            watchers[event.data["device_id"]].feed(adapt(event.data, at), at)

        self._unsubs.append(
            self.hass.bus.async_listen(event_type, _handle, event_filter=_filter)
        )

    def _listen_entities(self) -> None:
        watchers = {
            **self._by(ButtonSource.EVENT),
            **self._by(ButtonSource.BINARY_SENSOR),
        }
        if not watchers:
            return
        # The last real (not unavailable) state of each binary sensor: a press
        # while the radio was unreachable shows as off → unavailable → on.
        known: dict[str, str | None] = {}
        for entity_id in self._by(ButtonSource.BINARY_SENSOR):
            state = self.hass.states.get(entity_id)
            known[entity_id] = _real(state.state if state else None)

        @callback
        def _handle(event: Event[EventStateChangedData]) -> None:
            entity_id = event.data["entity_id"]
            watcher = watchers[entity_id]
            old, new = event.data["old_state"], event.data["new_state"]
            at = event.time_fired_timestamp
            if watcher.button.source is ButtonSource.BINARY_SENSOR:
                state = new.state if new else STATE_UNKNOWN
                if state == STATE_UNAVAILABLE:
                    return  # never a press; the last real state is kept
                previous, known[entity_id] = known[entity_id], _real(state)
                if state == STATE_UNKNOWN:
                    return  # Home Assistant lost track: the next state is not an edge
                watcher.feed(binary_sensor_report(previous, state, at), at)
                return
            if new is None or new.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
                return  # never a press; supervision reads availability itself
            watcher.feed(_event_entity_change(old.state if old else None, new, at), at)

        self._unsubs.append(
            async_track_state_change_event(self.hass, list(watchers), _handle)
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
            self._unsubs.append(
                await mqtt.async_subscribe(
                    self.hass, topic, _mqtt_handler(watcher), encoding=None
                )
            )


def _mqtt_handler(watcher: ButtonWatcher) -> Callable[[Any], None]:
    @callback
    def _handle(msg: Any) -> None:
        at = dt_util.utcnow().timestamp()
        if msg.retain:
            # A retained action is history replayed by the broker, not a press.
            watcher.seen(at)
            return
        watcher.feed(z2m_report(msg.payload, at), at)

    return _handle


def _real(state: str | None) -> str | None:
    return None if state in (None, STATE_UNAVAILABLE, STATE_UNKNOWN) else state


def _event_entity_change(old: str | None, new: Any, at: float) -> Report | None:
    """A new event on an `event` entity (its state is the event's timestamp)."""
    if new.state == old:
        return None
    fired = dt_util.parse_datetime(new.state)
    if fired is None or at - fired.timestamp() > EVENT_MAX_AGE:
        return None  # restored after a restart/reconnect, not a new press
    return event_entity_report(new.attributes.get("event_type"), at)
