"""Adapters: what ZHA, Zigbee2MQTT, Z-Wave JS and entities put on the bus → `Report`.

Pure functions over plain data (no Home Assistant imports), so each source's
real event shapes are tested directly and through the bus. What a report's
name means is the button's `Vocabulary`: a known model's own (see
`device_library`), or the generic table below for any other device. Anything
that does not map returns None: unknown commands, empty Zigbee2MQTT resets,
and `unavailable`/`unknown` states, which are never a press.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import json
import math
from typing import Final

from .hold import Report, Signal

# One table for every source; names are compared lower-cased. Covers ZHA
# commands, Zigbee2MQTT actions, Z-Wave JS Central Scene values and the
# standard button event types of `event` entities (Home Assistant 2026.8).
SIGNAL_NAMES: Mapping[str, Signal] = {
    # a press (hold starts)
    "on": Signal.PRESS,
    "press": Signal.PRESS,
    "press_start": Signal.PRESS,
    "initial_press": Signal.PRESS,
    "move": Signal.PRESS,
    "move_with_on_off": Signal.PRESS,
    "brightness_move_up": Signal.PRESS,  # Zigbee2MQTT: IKEA E1812 hold
    "brightness_move_down": Signal.PRESS,
    # still held (repeated by some devices)
    "hold": Signal.HOLD,
    "held": Signal.HOLD,
    "on_hold": Signal.HOLD,
    "off_hold": Signal.HOLD,
    "long_press": Signal.HOLD,
    "long_press_start": Signal.HOLD,
    "remote_button_long_press": Signal.HOLD,
    "keyhelddown": Signal.HOLD,
    # released
    "off": Signal.RELEASE,
    "release": Signal.RELEASE,
    "press_end": Signal.RELEASE,
    "long_press_end": Signal.RELEASE,
    "long_release": Signal.RELEASE,
    "on_long_release": Signal.RELEASE,
    "off_long_release": Signal.RELEASE,
    "remote_button_long_release": Signal.RELEASE,
    "stop": Signal.RELEASE,
    "stop_with_on_off": Signal.RELEASE,
    "brightness_stop": Signal.RELEASE,
    "keyreleased": Signal.RELEASE,
    # a complete short press (reported after the fact)
    "single": Signal.SHORT,
    "click": Signal.SHORT,
    "double": Signal.SHORT,
    "triple": Signal.SHORT,
    "on_short_release": Signal.SHORT,
    "off_short_release": Signal.SHORT,
    "remote_button_short_press": Signal.SHORT,
    "multi_press_end": Signal.SHORT,
    "keypressed": Signal.SHORT,
    "keypressed2x": Signal.SHORT,
    "keypressed3x": Signal.SHORT,
    "keypressed4x": Signal.SHORT,
    "keypressed5x": Signal.SHORT,
    # emergency frames
    "emergency": Signal.EMERGENCY,
    "sos": Signal.EMERGENCY,
    "panic": Signal.EMERGENCY,
    "alarm": Signal.EMERGENCY,
}

CENTRAL_SCENE = 91
NOT_A_STATE = frozenset({"unavailable", "unknown"})
# A hold that says it has lasted longer than this is not believed.
MAX_REPORTED_DURATION: Final = 600.0


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What one button's report names mean.

    `names` maps lower-cased report names to signals; `duration_unit` is the
    seconds per unit of a duration a hold report carries (Hue: 100 ms), and
    `duration_keys` where in a report that duration is found.
    """

    names: Mapping[str, Signal]
    duration_unit: float = 0.1
    duration_keys: tuple[str, ...] = ("duration",)
    # Told every name that means nothing here (the button test shows them).
    unknown: Callable[[str], None] | None = field(default=None, compare=False)

    def signal(self, name: object) -> Signal | None:
        """Map a command/action/event type name to a signal."""
        if not isinstance(name, str):
            return None
        signal = self.names.get(name.lower())
        if signal is None and self.unknown is not None and name:
            self.unknown(name[:40])
        return signal

    def duration(self, *holders: object) -> float | None:
        """How long the report says the button has been held, if it says."""
        for holder in holders:
            if not isinstance(holder, Mapping):
                continue
            for key in self.duration_keys:
                value = holder.get(key)
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue
                seconds = float(value) * self.duration_unit
                if math.isfinite(seconds) and 0.0 <= seconds <= MAX_REPORTED_DURATION:
                    return seconds
        return None


GENERIC: Final = Vocabulary(SIGNAL_NAMES)


def _report(
    words: Vocabulary, name: object, at: float, *holders: object
) -> Report | None:
    signal = words.signal(name)
    if signal is None:
        return None
    held_for = words.duration(*holders) if signal is Signal.HOLD else None
    return Report(signal, at, held_for, str(name))


def zha_report(data: object, at: float, words: Vocabulary = GENERIC) -> Report | None:
    """Report from a `zha_event`'s data (anything else: None)."""
    if not isinstance(data, Mapping):
        return None
    return _report(words, data.get("command"), at, data.get("args"), data.get("params"))


def zwave_report(data: object, at: float, words: Vocabulary = GENERIC) -> Report | None:
    """Report from a `zwave_js_value_notification` (Central Scene only)."""
    if not isinstance(data, Mapping) or data.get("command_class") != CENTRAL_SCENE:
        return None
    return _report(words, data.get("value"), at)


def z2m_report(
    payload: object, at: float, words: Vocabulary = GENERIC
) -> Report | None:
    """Report from a Zigbee2MQTT message: the JSON state or the plain action topic."""
    text = payload.decode(errors="replace") if isinstance(payload, bytes) else payload
    if not isinstance(text, str):
        return None
    action: object = text.strip()
    parsed: object = None
    if isinstance(action, str) and action.startswith("{"):
        try:
            parsed = json.loads(action)
        except ValueError, RecursionError:
            return None
        action = parsed.get("action") if isinstance(parsed, dict) else None
    return _report(words, action, at, parsed)


def event_entity_report(
    event_type: object, at: float, words: Vocabulary = GENERIC
) -> Report | None:
    """Report from an `event` entity's new event type."""
    return _report(words, event_type, at)


def binary_sensor_report(old: str | None, new: str, at: float) -> Report | None:
    """Report from a binary_sensor edge (on = pressed).

    `old` is the last *real* state (the glue skips `unavailable` in between),
    so only an off→on / on→off edge counts; an unknown previous state (after a
    restart) is never a press.
    """
    if old is None or old in NOT_A_STATE or new in NOT_A_STATE or old == new:
        return None
    return Report(Signal.PRESS if new == "on" else Signal.RELEASE, at, name=new)
