"""Hold detection: turns a button's reports into "alarm" or "short press".

Pure logic, no Home Assistant imports. Times are POSIX seconds (floats) taken
from the moment each report reached Home Assistant's bus; the glue calls
`tick()` at `deadline` so an alarm fires the moment the threshold is crossed,
while the button is still held.

The hold is timed from the physical press: a press report marks it; a hold
that starts with a "still held" report is back-dated by the duration it
carries (Hue) or else by the model's first-report delay (`HoldTiming`; the
device library supplies it, 0 for unknown devices).

Profiles (see README, "Button models"):

- press_release: the hold starts at the first press/hold report. At the
  threshold the alarm fires even if no release ever comes (a lost release must
  not hide a real hold); a release before the threshold is a short press.
- repeated_held: the device repeats "held" while held. The hold is alive while
  reports keep coming within `release_gap`; a release is only believed when no
  further "held" report follows within `release_gap` (Z-Wave JS invents stray
  releases). A hold whose reports stop before the threshold is a short press.
- single_shot: any report of the device is an alarm (SOS buttons that send one
  "emergency" frame, or every gesture as "single").

An explicit emergency report is an alarm under every profile. Identical
reports within a short window are radio retransmissions and are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .const import ButtonProfile


class Signal(StrEnum):
    """What a button report means, whatever radio it came from."""

    PRESS = "press"
    HOLD = "hold"
    RELEASE = "release"
    SHORT = "short"
    EMERGENCY = "emergency"


class Verdict(StrEnum):
    """What the detector decided."""

    ALARM = "alarm"
    SHORT_PRESS = "short_press"


@dataclass(frozen=True, slots=True)
class Report:
    """One normalised report from a button.

    `held_for` is how long the device itself says it has been held, used to
    back-date the start when the press was never reported (e.g. Hue buttons).
    `name` is the device's own word for it (shown by the button test).
    """

    signal: Signal
    at: float
    held_for: float | None = None
    name: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A decision: when it was made and how long the button had been held.

    `due` is when an alarm became due (the threshold instant, or the emergency
    frame's arrival); `at` is when the decision was made, which is later when
    the decision waited for a release to be confirmed. Both are kept so the
    log can show an alarm that was raised late.
    """

    verdict: Verdict
    at: float
    held: float
    due: float | None = None


@dataclass(frozen=True, slots=True)
class HoldTiming:
    """Timing parameters of one button."""

    threshold: float = 2.0
    # How long after the physical press the model's first "still held"
    # report arrives (its own long-press timer, its first repeat). A hold that
    # starts with such a report, carrying no duration, is back-dated by this.
    first_report_delay: float = 0.0
    # repeated_held: silence this long ends a hold (and confirms a release).
    release_gap: float = 0.4
    # An alarmed hold whose release never arrives is forgotten after this.
    stale_after: float = 60.0
    # Identical reports this close together are one report.
    dedupe_window: float = 0.1
    # press_release: a release this long after the last "held" report
    # (from, to) may be invented by the radio stack (Z-Wave JS does it 400 ms
    # after a KeyHeldDown that is not repeated, then drops the real release):
    # it is not believed. Wide and lopsided, because both reports can reach
    # the bus late and a lost alarm costs more than a false one. None: every
    # release is believed.
    stray_release_window: tuple[float, float] | None = None
    # Single-shot and emergency frames are repeated by some devices; one alarm.
    single_shot_window: float = 2.0


class HoldDetector:
    """Hold state of one button."""

    def __init__(self, profile: ButtonProfile, timing: HoldTiming) -> None:
        self.profile = profile
        self.timing = timing
        self._start: float | None = None
        self._last = 0.0
        self._last_was_hold = False
        self._alarmed = False
        self._release_at: float | None = None
        self._previous: Report | None = None
        self._last_alarm_frame: float | None = None
        # repeated_held: (start, until) of a hold that went silent, see tick().
        self._resume: tuple[float, float] | None = None

    @property
    def holding(self) -> bool:
        """Whether a hold is in progress."""
        return self._start is not None

    @property
    def may_alarm(self) -> bool:
        """Whether a hold in progress could still raise an alarm.

        Set-up waits while any button may alarm (see `__init__`): a reload
        starts new detectors that know nothing of a press already under way.
        """
        return (self._start is not None and not self._alarmed) or (
            self._resume is not None
        )

    @property
    def alarm_at(self) -> float | None:
        """When the hold alarms if it goes on as it is (None: no hold towards one).

        A repeated_held hold whose release is waiting to be believed, or whose
        reports would stop before the threshold, is not going on as it is.
        """
        if self._start is None or self._alarmed or self._release_at is not None:
            return None
        if self.profile is ButtonProfile.SINGLE_SHOT:
            return None
        threshold_at = self._start + self.timing.threshold
        if (
            self.profile is ButtonProfile.REPEATED_HELD
            and self._last + self.timing.release_gap < threshold_at
        ):
            return None  # the reports stop before it: a short press, unless more come
        return threshold_at

    @property
    def deadline(self) -> float | None:
        """When `tick` must next be called, or None when nothing is pending."""
        if self._start is None:
            return None
        if self._alarmed:
            return self._last + self.timing.stale_after
        if self.profile is not ButtonProfile.REPEATED_HELD:
            return self._start + self.timing.threshold
        if self._release_at is not None:
            return self._release_at + self.timing.release_gap
        return min(
            self._start + self.timing.threshold, self._last + self.timing.release_gap
        )

    def feed(self, report: Report) -> list[Outcome]:
        """Take one report; return the decisions it (and elapsed time) caused."""
        outcomes = self.tick(report.at)
        if self._is_retransmission(report):
            if self._start is not None and report.signal in (Signal.PRESS, Signal.HOLD):
                self._last = max(self._last, report.at)  # still a sign of life
            return outcomes
        self._previous = report
        if report.signal is Signal.EMERGENCY or (
            self.profile is ButtonProfile.SINGLE_SHOT
            and report.signal is not Signal.RELEASE
        ):
            outcomes += self._alarm_frame(report.at)
        elif report.signal in (Signal.PRESS, Signal.HOLD):
            self._held(report)
        elif report.signal is Signal.RELEASE:
            outcomes += self._released(report.at)
        elif self._start is None:  # SHORT while idle: a complete short press
            outcomes.append(Outcome(Verdict.SHORT_PRESS, report.at, 0.0))
        elif self._alarmed:  # SHORT after the alarm ends that hold, no 2nd alarm
            self._reset()
        else:  # SHORT during a hold ends it like a release (a pending one stands)
            ended = report.at if self._release_at is None else self._release_at
            outcomes += self._end(ended, report.at)
        # A late report (e.g. after a stray release) can make a deadline due now.
        return outcomes + self.tick(report.at)

    def tick(self, now: float) -> list[Outcome]:
        """Settle everything due by `now`."""
        deadline = self.deadline
        if deadline is None or now < deadline or self._start is None:
            return []
        start = self._start
        if self._alarmed:  # the release never came
            self._reset()
            return []
        if self.profile is not ButtonProfile.REPEATED_HELD:
            return self._fire(start + self.timing.threshold, now)
        if self._release_at is not None:  # no report after the release: real
            return self._end(self._release_at, now)
        threshold_at = start + self.timing.threshold
        if self._last >= threshold_at - self.timing.release_gap:
            # Still alive at the threshold instant: alarm.
            return self._fire(threshold_at, now)
        # Reports stopped before the threshold. A radio that drops a frame looks
        # the same as a release, so a report soon after resumes this hold.
        self._resume = (start, self._last + 2 * self.timing.release_gap)
        return self._end(self._last, now)

    # -- internals ---------------------------------------------------------

    def _is_retransmission(self, report: Report) -> bool:
        prev = self._previous
        return (
            prev is not None
            and prev.signal is report.signal
            and prev.held_for == report.held_for
            and 0 <= report.at - prev.at < self.timing.dedupe_window
        )

    def _alarm_frame(self, at: float) -> list[Outcome]:
        last = self._last_alarm_frame
        self._last_alarm_frame = at
        if last is not None and at - last < self.timing.single_shot_window:
            return []
        self._start, self._last, self._alarmed = at, at, True
        return [Outcome(Verdict.ALARM, at, 0.0, due=at)]

    def _held(self, report: Report) -> None:
        held_for = report.held_for
        if held_for is not None and not 0.0 <= held_for <= self.timing.stale_after:
            held_for = None  # not a believable duration (or not a number at all)
        if held_for is None:
            # A "still held" report that starts a hold came the model's delay
            # after the physical press; a press report came at the press. Later
            # reports say nothing about when the press was.
            starts = self._start is None and report.signal is Signal.HOLD
            held_for = self.timing.first_report_delay if starts else 0.0
        start = report.at - held_for
        if self._start is None and self._resume and report.at <= self._resume[1]:
            start = min(start, self._resume[0])
        self._resume = None
        if self._start is None:
            self._start = start
        elif not self._alarmed:
            self._start = min(self._start, start)
        self._last = report.at
        self._last_was_hold = report.signal is Signal.HOLD
        self._release_at = None  # a report after a release makes it a stray one

    def _released(self, at: float) -> list[Outcome]:
        if self._start is None:
            return []
        if self._alarmed:
            self._reset()
            return []
        if self.profile is ButtonProfile.REPEATED_HELD:
            self._release_at = at
            return []
        if self._maybe_invented(at):
            # Not believed: if it was real, the hold goes on to the threshold
            # and the alarm errs on the safe side.
            return []
        return self._end(at, at)

    def _maybe_invented(self, at: float) -> bool:
        window = self.timing.stray_release_window
        return (
            window is not None
            and self._last_was_hold
            and window[0] <= at - self._last <= window[1]
        )

    def _fire(self, threshold_at: float, now: float) -> list[Outcome]:
        assert self._start is not None
        self._alarmed = True
        self._last = max(self._last, threshold_at)
        return [
            Outcome(Verdict.ALARM, now, threshold_at - self._start, due=threshold_at)
        ]

    def _end(self, released_at: float, now: float) -> list[Outcome]:
        """The hold ended at `released_at` without an alarm having fired."""
        assert self._start is not None
        start = self._start
        held = released_at - start
        self._reset()
        if held >= self.timing.threshold:
            return [
                Outcome(Verdict.ALARM, now, held, due=start + self.timing.threshold)
            ]
        return [Outcome(Verdict.SHORT_PRESS, now, held)]

    def _reset(self) -> None:
        self._start = None
        self._alarmed = False
        self._release_at = None
