"""Panic-button models: what each model's reports mean and how it times a hold.

Pure (no Home Assistant imports). The data is `button_models.json` beside
this module: one entry per model and radio integration, and beside every
figure the public source it was taken from (a file of zha-device-handlers,
zigbee-herdsman-converters, the Z-Wave JS device database, or a thread).

Why the detector needs this: a hold is timed from the first report that
reaches Home Assistant, but most buttons report a hold late, by a delay that
belongs to the model (its own long-press timer, its first repeat), and some
send the same frame for a tap and a hold. Knowing the model, the detector
back-dates the hold to the physical press, ignores the model's click as a
hold start, and waits the model's own release gap. A device that is not in
the library gets the generic behaviour (the profile facilities chose, the
generic names, no back-dating), which never misses a real hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
import functools
import json
import math
from pathlib import Path
import re
from typing import Any, Final

from .const import ButtonProfile, ButtonSource
from .hold import HoldTiming, Signal
from .sources import GENERIC, Vocabulary

LIBRARY_FILE: Final = Path(__file__).with_name("button_models.json")
# Stored in a button's configuration instead of a model id.
AUTO: Final = "auto"  # the model the device registry says, if known
GENERIC_MODEL: Final = "generic"  # the generic behaviour, whatever the device is

# Report kinds the data file uses → the detector's signals.
REPORT_KINDS: Final[Mapping[str, Signal]] = {
    "press": Signal.PRESS,
    "hold": Signal.HOLD,
    "release": Signal.RELEASE,
    "click": Signal.SHORT,
    "emergency": Signal.EMERGENCY,
}
# Generic behaviour: Z-Wave JS repeats KeyHeldDown every ~200 ms, so 400 ms
# of silence is a release; other repeating devices (Hue: ~800 ms) need more.
GENERIC_RELEASE_GAP: Final[Mapping[ButtonSource, float]] = {ButtonSource.ZWAVE_JS: 0.4}
DEFAULT_RELEASE_GAP: Final = 1.2
# Z-Wave JS invents a KeyReleased 0.4 s after a KeyHeldDown that is not
# repeated (node-zwave-js, CentralSceneCC handler), unless it knows the device
# uses slow refresh: the real release is then dropped. A release this long
# after the last KeyHeldDown (seconds, from-to) is not believed.
ZWAVE_JS_INVENTED_RELEASE: Final = (0.3, 0.8)
MAX_DELAY: Final = 10.0  # seconds; a figure beyond this is a typo
# The generic names of a button being held or an emergency: a known model
# hears these too when it does not list them (see `behaviour`).
SAFETY_NET: Final[Mapping[str, Signal]] = {
    n: s for n, s in GENERIC.names.items() if s in (Signal.HOLD, Signal.EMERGENCY)
}
_ID: Final = re.compile(r"^[a-z0-9_]{3,64}$")
_FIGURES: Final = ("reports", "first_report_delay", "repeat_interval", "release")


@dataclass(frozen=True, slots=True)
class ButtonModel:
    """One model of panic-capable button, as one integration reports it."""

    id: str
    name: str
    source: ButtonSource
    manufacturers: tuple[str, ...]
    models: tuple[str, ...]
    reports: Mapping[str, Signal]
    # Physical press → first report of a hold (seconds).
    first_report_delay: float
    # How often "still held" repeats; None: it does not repeat.
    repeat_interval: float | None
    # Silence after the last "held" report that ends a hold (repeating models).
    release_gap: float | None
    # "sent", "unreliable" (may be lost) or "never".
    release: str
    # False: one frame whatever the gesture, so a hold length cannot be known.
    measures_hold: bool
    duration_unit: float | None = None
    duration_keys: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    estimates: frozenset[str] = frozenset()

    @property
    def profile(self) -> ButtonProfile:
        """How the detector times this model.

        A model that cannot measure a hold names its alarm frames
        "emergency" (an alarm under every profile) and its taps "click", so
        the detector needs no hold timing for it at all.
        """
        if self.repeat_interval is not None:
            return ButtonProfile.REPEATED_HELD
        return ButtonProfile.PRESS_RELEASE

    def names(self, kind: Signal) -> tuple[str, ...]:
        """The model's report names that mean `kind`."""
        return tuple(n for n, s in self.reports.items() if s is kind)


@dataclass(frozen=True, slots=True)
class Overrides:
    """What facilities staff set by hand for one button (None: the model's)."""

    first_report_delay: float | None = None
    release_gap: float | None = None
    # Report names that raise an alarm at once, whatever the model says.
    alarm_reports: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Behaviour:
    """Everything the detector of one button needs."""

    model: ButtonModel | None
    profile: ButtonProfile
    timing: HoldTiming
    words: Vocabulary

    @property
    def measures_hold(self) -> bool:
        """False: any alarm frame of the button is an alarm, held or not."""
        if self.model is not None:
            return self.model.measures_hold
        return self.profile is not ButtonProfile.SINGLE_SHOT


def behaviour(
    source: ButtonSource,
    profile: ButtonProfile,
    model: ButtonModel | None,
    threshold: float,
    overrides: Overrides = Overrides(),
) -> Behaviour:
    """The detector settings of a button: its model's, or the generic ones."""
    if model is None:
        names: dict[str, Signal] = dict(GENERIC.names)
        words = GENERIC
        delay = 0.0
        gap = GENERIC_RELEASE_GAP.get(source, DEFAULT_RELEASE_GAP)
    else:
        # The model's own names, and as a safety net the generic names of a
        # button being held or an emergency that the model does not list (a
        # firmware that says more than the sources knew): a hold is never
        # ignored for a name the library lacks.
        names = {**SAFETY_NET, **model.reports}
        words = Vocabulary(
            names, model.duration_unit or 0.1, model.duration_keys or ("duration",)
        )
        profile = model.profile
        delay = model.first_report_delay
        gap = model.release_gap or DEFAULT_RELEASE_GAP
    if overrides.alarm_reports:
        names.update({n.lower(): Signal.EMERGENCY for n in overrides.alarm_reports})
        words = Vocabulary(names, words.duration_unit, words.duration_keys)
    if overrides.first_report_delay is not None:
        delay = overrides.first_report_delay
    if overrides.release_gap is not None:
        gap = overrides.release_gap
    timing = HoldTiming(
        threshold=threshold,
        release_gap=gap,
        first_report_delay=delay,
        stray_release_window=(
            ZWAVE_JS_INVENTED_RELEASE
            if source is ButtonSource.ZWAVE_JS
            and profile is ButtonProfile.PRESS_RELEASE
            else None
        ),
    )
    return Behaviour(model, profile, timing, words)


class Library:
    """The known models, looked up by id or by what the device registry says."""

    def __init__(self, models: Sequence[ButtonModel]) -> None:
        self.models = tuple(models)
        self._by_id = {m.id: m for m in self.models}

    def get(self, model_id: str | None) -> ButtonModel | None:
        """The model with this id (None for auto/generic/unknown ids)."""
        return self._by_id.get(model_id) if model_id else None

    def for_source(self, source: ButtonSource) -> tuple[ButtonModel, ...]:
        """The models one integration can report."""
        return tuple(m for m in self.models if m.source is source)

    def match(
        self,
        source: ButtonSource,
        manufacturer: str | None,
        model: str | None,
        model_id: str | None = None,
    ) -> ButtonModel | None:
        """The model a device registry entry describes, if it is known.

        Registry strings differ by integration (ZHA: the Zigbee model id;
        Zigbee2MQTT: a description with the model in brackets, or the model in
        `model_id`; Z-Wave JS: the label), so each known string is looked for
        as the whole field or as a bracketed part of it. The manufacturer must
        match too where the model names one.
        """
        fields = {_norm(v) for v in (model, model_id) if v}
        fields |= {
            _norm(b) for v in (model, model_id) if v for b in _BRACKETS.findall(v)
        }
        maker = _norm(manufacturer or "")
        for candidate in self.for_source(source):
            if not fields & {_norm(m) for m in candidate.models}:
                continue
            makers = {_norm(m) for m in candidate.manufacturers}
            if not makers or maker in makers:
                return candidate
        return None


_BRACKETS: Final = re.compile(r"\(([^()]+)\)")


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _seconds(
    entry: Mapping[str, Any], key: str, *, optional: bool = False
) -> float | None:
    value = entry.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{entry.get('id')}: {key} must be a number of seconds")
    if not math.isfinite(value) or not 0.0 <= value <= MAX_DELAY:
        raise ValueError(f"{entry.get('id')}: {key} out of range: {value}")
    return float(value)


def _strings(entry: Mapping[str, Any], key: str) -> tuple[str, ...]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{entry.get('id')}: {key} must be a list of strings")
    return tuple(value)


def parse_model(entry: Mapping[str, Any]) -> ButtonModel:
    """One entry of the data file (ValueError says what is wrong)."""
    model_id = entry.get("id")
    if not isinstance(model_id, str) or not _ID.match(model_id):
        raise ValueError(f"bad model id: {model_id!r}")
    raw_reports = entry.get("reports")
    if not isinstance(raw_reports, dict) or not raw_reports:
        raise ValueError(f"{model_id}: reports must name at least one report")
    reports: dict[str, Signal] = {}
    for name, kind in raw_reports.items():
        if kind not in REPORT_KINDS:
            raise ValueError(f"{model_id}: unknown report kind {kind!r} of {name!r}")
        reports[name.lower()] = REPORT_KINDS[kind]
    release = entry.get("release")
    if release not in ("sent", "unreliable", "never"):
        raise ValueError(f"{model_id}: release must be sent, unreliable or never")
    sources = entry.get("sources")
    if not isinstance(sources, dict) or any(f not in sources for f in _FIGURES):
        raise ValueError(f"{model_id}: every figure needs its source: {_FIGURES}")
    measures_hold = entry.get("measures_hold")
    if not isinstance(measures_hold, bool):
        raise ValueError(f"{model_id}: measures_hold must be true or false")
    kinds = set(reports.values())
    if not measures_hold and (
        Signal.EMERGENCY not in kinds or kinds & {Signal.PRESS, Signal.HOLD}
    ):
        raise ValueError(
            f"{model_id}: a model that cannot measure a hold names its alarm "
            "frames emergency and has no press or hold reports"
        )
    if measures_hold and not kinds & {Signal.PRESS, Signal.HOLD}:
        raise ValueError(f"{model_id}: a model that measures a hold reports one")
    repeat = _seconds(entry, "repeat_interval", optional=True)
    gap = _seconds(entry, "release_gap", optional=True)
    if repeat is not None and (gap is None or gap <= repeat):
        raise ValueError(f"{model_id}: a repeating model needs a release_gap > repeat")
    name = entry.get("name")
    if not isinstance(name, str) or not name:
        raise ValueError(f"{model_id}: name required")
    return ButtonModel(
        id=model_id,
        name=name,
        source=ButtonSource(str(entry.get("integration"))),
        manufacturers=_strings(entry, "manufacturers"),
        models=_strings(entry, "models"),
        reports=reports,
        first_report_delay=_seconds(entry, "first_report_delay") or 0.0,
        repeat_interval=repeat,
        release_gap=gap,
        release=release,
        measures_hold=measures_hold,
        duration_unit=_seconds(entry, "duration_unit", optional=True),
        duration_keys=_strings(entry, "duration_keys"),
        sources={str(k): str(v) for k, v in sources.items()},
        estimates=frozenset(_strings(entry, "estimates")),
    )


def parse_library(data: object) -> Library:
    """The whole data file: a list of model entries, ids unique."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise ValueError("the button library must be an object with a models list")
    models = [parse_model(entry) for entry in data["models"]]
    ids = [m.id for m in models]
    if len(ids) != len(set(ids)):
        raise ValueError("model ids must be unique")
    return Library(models)


@functools.cache
def load_library(path: Path = LIBRARY_FILE) -> Library:
    """Read the data file once (blocking: call it from an executor)."""
    return parse_library(json.loads(path.read_text(encoding="utf-8")))
