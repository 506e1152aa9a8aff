"""What a library model sends for a gesture: its report names, at its timing.

Pure. Built from the model's own data (which names mean press / still held /
release / click / emergency, the first-report delay, the repeat interval), so
every model in the library is replayed as the sources say it reports, and a
figure changed in the data file changes the replay with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from custom_components.raadhus_alarm.device_library import ButtonModel
from custom_components.raadhus_alarm.hold import Signal

# A complete short press is reported this long after the release (Hue: ~0.3 s).
CLICK_LAG = 0.3
TAP = 0.3  # seconds a tap is held


@dataclass(frozen=True)
class Frame:
    """One report: seconds after the physical press, name, carried duration."""

    at: float
    name: str
    duration: float | None = None


def _first(model: ButtonModel, kind: Signal) -> str | None:
    names = model.names(kind)
    return names[0] if names else None


def tap(model: ButtonModel) -> list[Frame]:
    """A quick press and release."""
    if (click := _first(model, Signal.SHORT)) is not None:
        frames = []
        if (press := _first(model, Signal.PRESS)) is not None:
            frames.append(Frame(0.0, press))
        return [*frames, Frame(TAP + CLICK_LAG, click)]
    if (alarm := _first(model, Signal.EMERGENCY)) is not None:
        return [Frame(model.first_report_delay, alarm)]  # any press: one frame
    press = _first(model, Signal.PRESS)
    release = _first(model, Signal.RELEASE)
    assert press is not None, model.id
    assert release is not None, model.id
    return [Frame(0.0, press), Frame(TAP, release)]


def hold(model: ButtonModel, held: float, *, release: bool = True) -> list[Frame]:
    """The button held for `held` seconds (longer than its long-press time)."""
    if not model.measures_hold:
        alarm = _first(model, Signal.EMERGENCY)
        assert alarm is not None, model.id
        frames = [Frame(model.first_report_delay, alarm)]
        if (
            release
            and (end := _first(model, Signal.RELEASE))
            and model.release != "never"
        ):
            frames.append(Frame(held, end))
        return frames
    frames = []
    if (press := _first(model, Signal.PRESS)) is not None:
        frames.append(Frame(0.0, press))
    if (held_name := _first(model, Signal.HOLD)) is not None:
        t = model.first_report_delay
        while t < held:
            duration = round(t, 3) if model.duration_keys else None
            frames.append(Frame(round(t, 3), held_name, duration))
            if model.repeat_interval is None:
                break
            t += model.repeat_interval
    if release and model.release != "never":
        end = _first(model, Signal.RELEASE)
        assert end is not None, model.id
        frames.append(Frame(held, end))
    return frames


def retransmitted(frames: list[Frame]) -> list[Frame]:
    """Every frame sent twice, 20 ms apart (a radio that repeats itself)."""
    out: list[Frame] = []
    for frame in frames:
        out += [frame, Frame(round(frame.at + 0.02, 3), frame.name, frame.duration)]
    return out


def invented_release(model: ButtonModel) -> list[Frame]:
    """A held Z-Wave button whose only KeyHeldDown gets a KeyReleased from
    Z-Wave JS 0.4 s later; the real release is dropped by Z-Wave JS."""
    held = _first(model, Signal.HOLD)
    release = _first(model, Signal.RELEASE)
    assert held is not None, model.id
    assert release is not None, model.id
    delay = model.first_report_delay
    return [Frame(delay, held), Frame(round(delay + 0.4, 3), release)]
