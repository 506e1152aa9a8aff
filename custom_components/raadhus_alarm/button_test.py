"""Glue: "hold the button for 3 seconds now" — listen to one button, raise nothing.

The options flow runs this while facilities staff hold the button. It listens
to that device exactly as the alarm path would (the same adapters, the model's
vocabulary and a detector with the model's timing), records what arrived and
when, and what the detector would have decided. Nothing is raised or sent: the
test has its own detector whose decisions are only recorded, and the running
town hall's own detector for that button is muted for the length of the test.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from datetime import datetime
import logging
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .buttons import ButtonHub, button_mutes
from .const import ButtonProfile
from .device_library import Behaviour, ButtonModel, Library
from .hold import HoldDetector, Report, Signal, Verdict
from .model import Button, TownHall

_LOGGER = logging.getLogger(__name__)

# The test ends this long after the last report (a release has come, or the
# button went quiet), or this long after it started if nothing came at all.
QUIET_AFTER: Final = 2.5
GIVE_UP_AFTER: Final = 20.0
# However much the button keeps saying, the test (and its mute) ends here.
LONGEST_TEST: Final = 30.0
MAX_HEARD: Final = 40  # a chatty device must not flood the result page


@dataclass(frozen=True, slots=True)
class Heard:
    """One report, seconds after the first one."""

    after: float
    name: str
    signal: Signal | None
    held_for: float | None = None


@dataclass(slots=True)
class ButtonTestResult:
    """What the button said during the test and what would have happened."""

    heard: list[Heard] = field(default_factory=list)
    # Seconds after the first report that the alarm would have been due, and
    # how long the hold was then by the detector's (back-dated) reckoning.
    alarm_after: float | None = None
    alarm_held: float | None = None
    short_presses: list[float] = field(default_factory=list)
    not_understood: int = 0

    @property
    def verdict(self) -> str:
        """Alarm / short_press / nothing."""
        if self.alarm_after is not None:
            return "alarm"
        if self.heard or self.short_presses or self.not_understood:
            return "short_press"
        return "nothing"


async def async_run_button_test(
    hass: HomeAssistant,
    button: Button,
    behaviour: Behaviour,
    mute_keys: tuple[str, ...],
) -> ButtonTestResult:
    """Listen to one button until it has been quiet, then say what it did.

    `mute_keys` (device and entity ids) are muted in every running hub for
    the length of the test, at most `LONGEST_TEST` seconds, whatever the
    button keeps saying. Never raises: a failure ends the test early.
    """
    result = ButtonTestResult()
    first: list[float] = []
    done = asyncio.Event()
    quiet: list[asyncio.TimerHandle] = []

    def _rearm(seconds: float) -> None:
        for handle in quiet:
            handle.cancel()
        quiet[:] = [hass.loop.call_later(seconds, done.set)]

    def _offset(at: float) -> float:
        if not first:
            first.append(at)
        return round(at - first[0], 3)

    # Names the button's vocabulary does not know are shown too: for a
    # device the library lacks they are what facilities need to see.
    unknown: list[str] = []
    behaviour = replace(
        behaviour, words=replace(behaviour.words, unknown=unknown.append)
    )

    @callback
    def _observe(report: Report | None, at: float) -> None:
        offset = _offset(at)
        heard = (
            Heard(offset, report.name, report.signal, report.held_for)
            if report is not None
            else Heard(offset, unknown[-1], None)
            if unknown
            else None
        )
        unknown.clear()
        if heard is None:
            result.not_understood += 1
        elif len(result.heard) < MAX_HEARD:
            result.heard.append(heard)
        _rearm(QUIET_AFTER)

    @callback
    def _alarm(_: Button, due: datetime, held: float | None, __: CALLBACK_TYPE) -> None:
        if result.alarm_after is None:
            result.alarm_after = round(
                due.timestamp() - (first[0] if first else 0.0), 3
            )
            result.alarm_held = held

    @callback
    def _short(_: Button, at: datetime, held: float) -> None:
        result.short_presses.append(round(held, 3))

    mutes = button_mutes(hass)
    for key in mute_keys:
        mutes[key] = mutes.get(key, 0) + 1
    hub: ButtonHub | None = None
    longest = hass.loop.call_later(LONGEST_TEST, done.set)
    try:
        hub = ButtonHub(
            hass, TownHall(buttons=(button,)), lambda _: behaviour, _alarm, _short
        )
        hub.watchers[button.id].observer = _observe
        _rearm(GIVE_UP_AFTER)
        hub.async_start(hass.async_create_task)
        await done.wait()
    except Exception:  # the flow must come back, and the button be unmuted
        _LOGGER.exception("The button test of %s failed", button.name)
    finally:
        if hub is not None:
            hub.async_stop()
        longest.cancel()
        for handle in quiet:
            handle.cancel()
        for key in mute_keys:
            if (left := mutes.get(key, 1) - 1) > 0:
                mutes[key] = left
            else:
                mutes.pop(key, None)
    return result


def propose(
    library: Library, result: ButtonTestResult, candidates: tuple[ButtonModel, ...]
) -> ButtonModel | None:
    """The model whose vocabulary explains every report heard, if one does.

    `candidates` come in order of preference (the detected model first).
    """
    names = {h.name.lower() for h in result.heard}
    if not names:
        return None
    for model in candidates:
        if names <= set(model.reports):
            return model
    return None


def propose_profile(result: ButtonTestResult) -> ButtonProfile | None:
    """For a device no model explains: the profile its reports suggest.

    The test asks for a 3-second hold: one frame and nothing else is a
    single-frame button; a name repeated three times or more is a button that
    repeats while held; anything else reports a start and an end.
    """
    names = [h.name.lower() for h in result.heard]
    if not names:
        return None
    if len(names) == 1:
        return ButtonProfile.SINGLE_SHOT
    if max(names.count(n) for n in set(names)) >= 3:
        return ButtonProfile.REPEATED_HELD
    return ButtonProfile.PRESS_RELEASE


def would_alarm(result: ButtonTestResult, behaviour: Behaviour) -> bool:
    """Whether what was heard would raise an alarm with another set-up.

    A proposal is only offered when it keeps an alarm the current set-up
    raises: a suggestion must never turn a working button into a silent one.
    """
    detector = HoldDetector(behaviour.profile, behaviour.timing)
    outcomes = []
    for heard in result.heard:
        if (signal := behaviour.words.signal(heard.name)) is not None:
            outcomes += detector.feed(Report(signal, heard.after, heard.held_for))
    last = result.heard[-1].after if result.heard else 0.0
    outcomes += detector.tick(last + 2 * behaviour.timing.stale_after)
    return any(o.verdict is Verdict.ALARM for o in outcomes)


def describe(result: ButtonTestResult, decimal: str = ".") -> str:
    """The reports heard, one line each (report names are the radio's own).

    `decimal` is the decimal mark of the form's language (a comma in Danish).
    """

    def seconds(value: float, digits: int) -> str:
        return f"{value:.{digits}f}".replace(".", decimal)

    lines = []
    for heard in result.heard:
        extra = (
            f" ({seconds(heard.held_for, 1)} s)" if heard.held_for is not None else ""
        )
        if heard.signal is None:
            extra = " (?)"  # not a word this button's model knows
        lines.append(f"+{seconds(heard.after, 2)} s: {heard.name}{extra}")
    if result.not_understood:
        lines.append(f"+ {result.not_understood} × ?")
    return "\n".join(lines) if lines else "—"
