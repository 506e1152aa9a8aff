"""Tests for the pure hold detector (no Home Assistant needed).

A small driver plays the glue: it feeds reports stamped with bus time and calls
`tick(deadline)` exactly at every deadline that falls before the next report,
then drains the remaining deadlines. Every run also checks that the detector
never leaves a deadline in the past.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
import itertools

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.raadhus_alarm.const import ButtonProfile
from custom_components.raadhus_alarm.hold import (
    HoldDetector,
    HoldTiming,
    Outcome,
    Report,
    Signal,
    Verdict,
)

PR = ButtonProfile.PRESS_RELEASE
RH = ButtonProfile.REPEATED_HELD
SS = ButtonProfile.SINGLE_SHOT
PRESS, HOLD, RELEASE = Signal.PRESS, Signal.HOLD, Signal.RELEASE
SHORT, EMERGENCY = Signal.SHORT, Signal.EMERGENCY
ALARM, SHORT_PRESS = Verdict.ALARM, Verdict.SHORT_PRESS

# A realistic bus time (POSIX seconds, late 2025): float resolution here is
# ~2.4e-7 s, so durations computed by subtraction are compared with `approx`.
T0 = 1_760_000_000.0
TH = 2.0
GAP = 0.4  # release_gap for repeated_held (Z-Wave JS)
STALE = 60.0
EPS = 1e-6


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the conftest fixture: pure logic needs no hass instance."""


def approx(value: float) -> object:
    return pytest.approx(value, abs=EPS)


def detector(profile: ButtonProfile, **timing: float) -> HoldDetector:
    return HoldDetector(profile, HoldTiming(**{"release_gap": GAP, **timing}))


def rep(signal: Signal, offset: float, held_for: float | None = None) -> Report:
    """A report `offset` seconds after T0."""
    return Report(signal, T0 + offset, held_for)


def holds(start: float, stop: float, every: float = 0.2) -> list[Report]:
    """`HOLD` reports from `start` to `stop` (inclusive), `every` seconds."""
    count = round((stop - start) / every)
    return [rep(HOLD, start + i * every) for i in range(count + 1)]


@dataclass
class Run:
    """What the driver saw, in order: reports fed and outcomes decided."""

    stream: list[Report | Outcome]
    causes: list[Report | None]  # per outcome: the report fed, or None (tick)

    @property
    def outcomes(self) -> list[Outcome]:
        return [o for o in self.stream if isinstance(o, Outcome)]

    @property
    def alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict is ALARM]

    @property
    def shorts(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict is SHORT_PRESS]


def drive(
    det: HoldDetector,
    reports: Iterable[Report],
    *,
    until: float | None = None,
    tick_at_report_time: bool = False,
) -> Run:
    """Feed `reports` like the glue does, ticking at every deadline in between.

    Deadlines before the next report are ticked exactly at the deadline (with
    `tick_at_report_time`, also a deadline equal to the report's time). At the
    end, deadlines are ticked until none is left or one lies after `until`.
    """
    run = Run([], [])

    def tick_until(limit: float | None, *, inclusive: bool) -> None:
        for _ in range(100):
            deadline = det.deadline
            if deadline is None or (
                limit is not None
                and (deadline > limit if inclusive else deadline >= limit)
            ):
                return
            outcomes = det.tick(deadline)
            run.stream += outcomes
            run.causes += [None] * len(outcomes)
            after = det.deadline
            assert after is None or after > deadline, "tick left a past deadline"
        raise AssertionError("deadlines never settle")

    for report in reports:
        tick_until(report.at, inclusive=tick_at_report_time)
        run.stream.append(report)
        outcomes = det.feed(report)
        run.stream += outcomes
        run.causes += [report] * len(outcomes)
        after = det.deadline
        assert after is None or after > report.at, "feed left a past deadline"
    tick_until(until, inclusive=True)
    return run


def verdicts(run: Run) -> list[tuple[Verdict, float]]:
    """(verdict, seconds after T0) of each outcome, rounded to the ms."""
    return [(o.verdict, round(o.at - T0, 3)) for o in run.outcomes]


# -- press_release -------------------------------------------------------------


def test_press_release_release_before_threshold_is_short_press() -> None:
    run = drive(detector(PR), [rep(PRESS, 0.0), rep(RELEASE, 1.99)])
    assert verdicts(run) == [(SHORT_PRESS, 1.99)]
    assert run.outcomes[0].held == approx(1.99)


def test_press_release_alarm_fires_at_threshold_while_still_held() -> None:
    det = detector(PR)
    assert det.feed(rep(PRESS, 0.0)) == []
    assert det.holding
    assert det.deadline == T0 + TH
    assert det.tick(T0 + TH - 0.001) == []  # early tick: nothing yet
    run = drive(det, [], until=T0 + TH)
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]
    assert det.holding  # no release has come: still held
    # The release afterwards only ends the hold.
    assert det.feed(rep(RELEASE, 2.5)) == []
    assert not det.holding
    assert det.deadline is None


def test_press_release_hold_of_201_alarms_at_200() -> None:
    run = drive(detector(PR), [rep(PRESS, 0.0), rep(RELEASE, 2.01)])
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]
    assert run.causes == [None]  # from the timer, before the release arrived


@pytest.mark.parametrize("tick_at_report_time", [False, True])
def test_press_release_release_exactly_at_threshold_alarms_once(
    tick_at_report_time: bool,
) -> None:
    run = drive(
        detector(PR),
        [rep(PRESS, 0.0), rep(RELEASE, 2.0)],
        tick_at_report_time=tick_at_report_time,
    )
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]


def test_press_release_feed_alone_settles_an_overdue_threshold() -> None:
    """A glue whose timer is late still gets the alarm from the next feed."""
    det = detector(PR)
    det.feed(rep(PRESS, 0.0))
    outcomes = det.feed(rep(RELEASE, 2.5))
    assert outcomes == [Outcome(ALARM, T0 + 2.5, 2.0, due=T0 + TH)]
    assert not det.holding


def test_press_release_lost_release_alarms_then_goes_stale() -> None:
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0)], until=T0 + TH)
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]
    assert det.holding
    assert det.deadline == T0 + TH + STALE
    # Stale: forgotten without a further outcome.
    assert det.tick(T0 + TH + STALE) == []
    assert not det.holding
    assert det.deadline is None
    # A new press is a new hold with its own alarm.
    run = drive(det, [rep(PRESS, 100.0), rep(RELEASE, 103.0)])
    assert verdicts(run) == [(ALARM, 102.0)]


def test_press_release_reports_during_alarmed_hold_postpone_stale() -> None:
    """While the alarmed hold is alive, presses are the same hold (no alarm)."""
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0), rep(HOLD, 30.0), rep(PRESS, 50.0)], until=100)
    assert verdicts(run) == [(ALARM, 2.0)]
    assert det.deadline == T0 + 50.0 + STALE
    run = drive(det, [], until=T0 + 200)
    assert run.outcomes == []
    assert not det.holding


def test_press_release_hue_back_dates_start_from_held_for() -> None:
    """Hue: no press report; `on_hold` at +0.8 s says it was held 0.8 s."""
    det = detector(PR)
    det.feed(rep(HOLD, 0.8, held_for=0.8))
    assert det.deadline == approx(T0 + TH)
    run = drive(
        det,
        [rep(HOLD, 1.6, held_for=1.6), rep(HOLD, 2.4, held_for=2.4)],
        until=T0 + 3.0,
    )
    [alarm] = run.outcomes
    assert alarm.verdict is ALARM
    assert alarm.at == approx(T0 + TH)
    assert alarm.held == approx(TH)
    assert det.feed(rep(RELEASE, 3.2)) == []
    assert not det.holding


def test_press_release_hue_short_hold_is_short_press() -> None:
    run = drive(
        detector(PR),
        [rep(HOLD, 0.8, held_for=0.8), rep(HOLD, 1.6, held_for=1.6), rep(RELEASE, 1.9)],
    )
    [short] = run.outcomes
    assert short.verdict is SHORT_PRESS
    assert short.held == approx(1.9)


def test_press_release_first_report_already_past_threshold_alarms_now() -> None:
    """Earlier hold reports lost: the back-dated threshold is already past."""
    det = detector(PR)
    outcomes = det.feed(rep(HOLD, 2.4, held_for=2.4))
    assert len(outcomes) == 1
    assert outcomes[0].verdict is ALARM
    assert outcomes[0].at == T0 + 2.4  # cannot be earlier than now
    assert outcomes[0].held == approx(TH)


def test_press_release_earliest_back_dated_start_wins() -> None:
    det = detector(PR)
    det.feed(rep(PRESS, 0.5))  # press reported late
    det.feed(rep(HOLD, 0.8, held_for=0.8))  # says the press was at 0.0
    assert det.deadline == approx(T0 + TH)
    det.feed(rep(HOLD, 1.6, held_for=1.0))  # an inconsistent report: ignored
    assert det.deadline == approx(T0 + TH)


def test_press_release_back_dating_never_moves_an_alarmed_hold() -> None:
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0), rep(HOLD, 3.0, held_for=30.0)], until=T0 + 5)
    assert verdicts(run) == [(ALARM, 2.0)]


@pytest.mark.parametrize(
    ("release", "expected"),
    [(1.0, [(SHORT_PRESS, 1.0)]), (3.0, [(ALARM, 2.0)])],
)
def test_press_release_ikea_move_and_stop(
    release: float, expected: list[tuple[Verdict, float]]
) -> None:
    """E1812: one `move_with_on_off` (press), one `stop_with_on_off` (release)."""
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0), rep(RELEASE, release)], until=T0 + 100)
    assert verdicts(run) == expected
    assert not det.holding


def test_short_while_idle_is_a_short_press() -> None:
    det = detector(PR)
    assert det.feed(rep(SHORT, 0.0)) == [Outcome(SHORT_PRESS, T0, 0.0)]
    assert not det.holding
    assert det.deadline is None


def test_short_during_hold_ends_it_without_alarm() -> None:
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0), rep(SHORT, 0.5)], until=T0 + 10)
    assert verdicts(run) == [(SHORT_PRESS, 0.5)]
    assert run.outcomes[0].held == approx(0.5)
    assert not det.holding


def test_short_after_alarm_ends_the_hold_without_a_second_alarm() -> None:
    det = detector(PR)
    run = drive(det, [rep(PRESS, 0.0), rep(SHORT, 3.0)], until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0)]
    assert not det.holding


@pytest.mark.parametrize("profile", [PR, RH])
def test_release_while_idle_is_ignored(profile: ButtonProfile) -> None:
    det = detector(profile)
    assert det.feed(rep(RELEASE, 0.0)) == []
    assert not det.holding
    assert det.deadline is None


def test_press_release_further_holds_after_alarm_do_not_alarm_again() -> None:
    det = detector(PR)
    reports = [rep(PRESS, 0.0), *holds(0.8, 20.0, every=0.8), rep(RELEASE, 20.5)]
    run = drive(det, reports, until=T0 + 200)
    assert verdicts(run) == [(ALARM, 2.0)]


def test_press_release_new_hold_after_release_alarms_again() -> None:
    reports = [rep(PRESS, 0.0), rep(RELEASE, 3.0), rep(PRESS, 4.0), rep(RELEASE, 7.0)]
    run = drive(detector(PR), reports)
    assert verdicts(run) == [(ALARM, 2.0), (ALARM, 6.0)]


@pytest.mark.parametrize("threshold", [0.5, 3.0, 10.0])
def test_press_release_threshold_is_configurable(threshold: float) -> None:
    det = detector(PR, threshold=threshold)
    below = drive(det, [rep(PRESS, 0.0), rep(RELEASE, threshold - 0.01)])
    assert [o.verdict for o in below.outcomes] == [SHORT_PRESS]
    run = drive(det, [rep(PRESS, 10.0)], until=T0 + 10 + threshold)
    assert run.outcomes == [
        Outcome(ALARM, T0 + 10 + threshold, threshold, due=T0 + 10 + threshold)
    ]


def test_tick_settles_one_step_per_call() -> None:
    """A very late `tick` fires the alarm; the stale reset needs another call.

    The glue re-schedules after every call, so an overdue deadline is settled
    by the next (immediate) timer; `feed` also settles what is due first.
    """
    det = detector(PR)
    det.feed(rep(PRESS, 0.0))
    assert det.tick(T0 + 500) == [Outcome(ALARM, T0 + 500, 2.0, due=T0 + TH)]
    assert det.deadline is not None
    assert det.deadline < T0 + 500  # overdue: the stale reset
    assert det.tick(T0 + 500) == []
    assert det.deadline is None


# -- repeated_held -------------------------------------------------------------


def test_repeated_held_reports_stopping_well_before_threshold_are_short() -> None:
    """KeyHeldDown every 0.2 s for 1.4 s, then silence: a short press."""
    run = drive(detector(RH), holds(0.0, 1.4), until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.8)]  # decided a release_gap later
    assert run.outcomes[0].held == approx(1.4)


def test_repeated_held_real_release_at_199_is_short_press() -> None:
    """KeyHeldDown every 0.2 s, KeyReleased at 1.99 s: never an alarm."""
    reports = [*holds(0.0, 1.8), rep(RELEASE, 1.99)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 2.39)]  # the release is confirmed
    assert run.outcomes[0].held == approx(1.99)


def test_repeated_held_silence_within_gap_of_threshold_alarms() -> None:
    """Documents a trade-off (see module docstring): silence is not a release.

    KeyHeldDown every 0.2 s up to 1.8 s and then nothing (KeyReleased lost):
    at 2.0 s the hold is still alive (last report < release_gap ago), exactly
    like a hold that goes on, so the alarm fires. A causal detector cannot
    tell the two apart at 2.0 s; it errs towards the alarm. A hold whose
    reports stop more than release_gap before the threshold is short.
    """
    run = drive(detector(RH), holds(0.0, 1.8), until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0)]
    run = drive(detector(RH), holds(0.0, 1.6), until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0)]  # last report exactly gap before
    run = drive(detector(RH), [*holds(0.0, 1.5, every=0.3)], until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.9)]


@pytest.mark.parametrize("stop", [2.0, 2.4, 5.0])
def test_repeated_held_long_hold_alarms_at_threshold(stop: float) -> None:
    det = detector(RH)
    reports = [*holds(0.0, stop), rep(RELEASE, stop + 0.1)]
    run = drive(det, reports, until=T0 + 200)
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]
    assert not det.holding


def test_repeated_held_release_after_alarm_ends_hold_at_once() -> None:
    det = detector(RH)
    drive(det, holds(0.0, 2.4), until=T0 + 2.4)
    assert det.holding
    assert det.feed(rep(RELEASE, 2.5)) == []
    assert not det.holding
    assert det.deadline is None


def test_repeated_held_stray_release_followed_by_hold_is_ignored() -> None:
    """Z-Wave JS invents a release; the next KeyHeldDown within the gap wins."""
    reports = [*holds(0.0, 1.0), rep(RELEASE, 1.05), *holds(1.2, 3.0)]
    run = drive(detector(RH), reports, until=T0 + 3.0)
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]


def test_repeated_held_stray_release_pending_at_threshold_alarms_at_next_report() -> (
    None
):
    """Documented: a release pending at the threshold postpones the decision.

    KeyReleased at 1.9 s is pending until 2.3 s. The next KeyHeldDown (2.1 s)
    shows it was stray; the alarm fires with that report, at most
    release_gap late, and still counts the hold from its real start.
    """
    det = detector(RH)
    drive(det, [*holds(0.0, 1.8), rep(RELEASE, 1.9)], until=T0 + 1.9)
    assert det.deadline == approx(T0 + 1.9 + GAP)  # no tick at 2.0
    run = drive(det, holds(2.1, 3.0), until=T0 + 3.0)
    assert run.outcomes == [Outcome(ALARM, T0 + 2.1, 2.0, due=T0 + TH)]
    assert run.causes == [rep(HOLD, 2.1)]


def test_repeated_held_stray_release_then_hold_exactly_at_threshold() -> None:
    det = detector(RH)
    run = drive(det, [*holds(0.0, 1.8), rep(RELEASE, 1.9), rep(HOLD, 2.0)])
    assert run.outcomes == [Outcome(ALARM, T0 + TH, 2.0, due=T0 + TH)]


def test_repeated_held_real_release_at_15_is_short_after_gap() -> None:
    reports = [*holds(0.0, 1.4), rep(RELEASE, 1.5)]
    det = detector(RH)
    run = drive(det, reports, until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.9)]
    assert run.outcomes[0].held == approx(1.5)
    assert not det.holding


def test_repeated_held_reports_stopping_at_1s_phantom_release_no_alarm() -> None:
    """Reports stop at 1.0 s; zwave-js invents KeyReleased 0.4 s later."""
    run = drive(detector(RH), [*holds(0.0, 1.0), rep(RELEASE, 1.4)], until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.4)]
    assert run.outcomes[0].held == approx(1.0)
    # Lost entirely (no invented release either): the same.
    run = drive(detector(RH), holds(0.0, 1.0), until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.4)]


def test_repeated_held_report_exactly_one_gap_later_starts_a_new_hold() -> None:
    """Boundary: silence of exactly release_gap ends the hold first."""
    reports = [*holds(0.0, 1.0), rep(HOLD, 1.4), rep(RELEASE, 1.5)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.4), (SHORT_PRESS, 1.9)]
    # Just inside the gap it is the same hold.
    reports = [*holds(0.0, 1.0), *holds(1.39, 2.19)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run)[0] == (ALARM, 2.0)


def test_repeated_held_deadline_is_threshold_or_gap() -> None:
    det = detector(RH)
    det.feed(rep(HOLD, 0.0))
    assert det.deadline == T0 + GAP  # silence this long ends the hold
    drive(det, holds(0.2, 1.8), until=T0 + 1.8)
    assert det.deadline == T0 + TH  # the threshold comes first
    det.feed(rep(RELEASE, 1.9))
    assert det.deadline == approx(T0 + 1.9 + GAP)  # confirm the release


def test_repeated_held_after_alarm_silence_does_not_end_the_hold() -> None:
    """After the alarm only a release or the stale timeout ends the hold."""
    det = detector(RH)
    run = drive(det, holds(0.0, 2.4), until=T0 + 30)
    assert verdicts(run) == [(ALARM, 2.0)]
    assert det.holding
    assert det.deadline == approx(T0 + 2.4 + STALE)
    run = drive(det, [*holds(100.0, 103.0), rep(RELEASE, 103.1)], until=T0 + 200)
    assert verdicts(run) == [(ALARM, 102.0)]


def test_repeated_held_new_hold_after_release_alarms_again() -> None:
    reports = [*holds(0.0, 2.4), rep(RELEASE, 2.5), *holds(5.0, 7.4), rep(RELEASE, 7.5)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0), (ALARM, 7.0)]


def test_repeated_held_key_pressed_is_a_short_press() -> None:
    det = detector(RH)
    assert det.feed(rep(SHORT, 0.0)) == [Outcome(SHORT_PRESS, T0, 0.0)]
    run = drive(det, [*holds(1.0, 1.6), rep(SHORT, 1.7)], until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.7)]
    assert run.outcomes[0].held == approx(0.7)


def test_repeated_held_short_after_pending_release_keeps_the_release_time() -> None:
    """KeyReleased at 1.9 s, then a click at 2.1 s: the hold lasted 1.9 s.

    A KeyPressed cannot come while the button is held, so the pending release
    was real; the hold must not be measured up to the click (no alarm).
    """
    det = detector(RH)
    reports = [*holds(0.0, 1.8), rep(RELEASE, 1.9), rep(SHORT, 2.1)]
    run = drive(det, reports, until=T0 + 100)
    assert [o.verdict for o in run.outcomes] == [SHORT_PRESS]
    assert run.outcomes[0].held == approx(1.9)
    assert not det.holding


def test_repeated_held_short_after_alarm_does_not_alarm_again() -> None:
    det = detector(RH)
    run = drive(det, [*holds(0.0, 2.4), rep(SHORT, 2.6)], until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0)]
    assert not det.holding


def test_repeated_held_frames_bunched_by_the_radio_are_merged() -> None:
    """Two distinct KeyHeldDown < dedupe_window apart.

    The second is dropped as a retransmission but still counts as a sign of
    life, so the next report 0.33 s later keeps the hold whole: alarm at 2.0.
    """
    reports = [*holds(0.0, 1.0), rep(HOLD, 1.09), *holds(1.42, 3.02)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0)]


def test_repeated_held_lost_frame_resumes_the_hold() -> None:
    """A dropped frame leaves 0.45 s of silence: the hold resumes, not restarts.

    The silence ends the hold as a short press (logged), but a report within
    one more release gap continues it from its original start, so the alarm
    still comes at 2.0 instead of 2 s after the resumed part began.
    """
    reports = [*holds(0.0, 1.0), *holds(1.45, 3.05)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert verdicts(run) == [(SHORT_PRESS, 1.4), (ALARM, 2.0)]
    assert run.alarms[0].held == TH


def test_repeated_held_resume_window_is_one_more_gap() -> None:
    """A report later than two gaps after the last one starts a new hold."""
    reports = [*holds(0.0, 1.0), *holds(1.81, 2.21)]
    run = drive(detector(RH), reports, until=T0 + 100)
    assert [v for v, _ in verdicts(run)] == [SHORT_PRESS, SHORT_PRESS]


# -- single_shot and emergency -------------------------------------------------


def test_single_shot_emergency_alarms_immediately() -> None:
    det = detector(SS)
    assert det.feed(rep(EMERGENCY, 0.0)) == [Outcome(ALARM, T0, 0.0, due=T0)]


@pytest.mark.parametrize("signal", [PRESS, HOLD, SHORT, EMERGENCY])
def test_single_shot_any_report_alarms(signal: Signal) -> None:
    assert detector(SS).feed(rep(signal, 0.0)) == [Outcome(ALARM, T0, 0.0, due=T0)]


def test_single_shot_release_is_not_an_alarm() -> None:
    det = detector(SS)
    assert det.feed(rep(RELEASE, 0.0)) == []
    assert det.deadline is None


def test_single_shot_repeats_within_window_are_one_alarm() -> None:
    reports = [rep(EMERGENCY, t) for t in (0.0, 0.5, 1.0, 1.99)]
    run = drive(detector(SS), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 0.0)]


def test_single_shot_new_frame_after_window_is_a_new_alarm() -> None:
    reports = [rep(EMERGENCY, 0.0), rep(EMERGENCY, 2.0), rep(SHORT, 10.0)]
    run = drive(detector(SS), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 0.0), (ALARM, 2.0), (ALARM, 10.0)]


def test_single_shot_window_slides_with_each_repeat() -> None:
    """Documented: the window counts from the last frame, not the last alarm.

    A device repeating every 1.5 s is one alarm for as long as it repeats
    (a Hue button held in single_shot: one alarm for the whole hold).
    """
    reports = [rep(EMERGENCY, t) for t in (0.0, 1.5, 3.0, 4.5)]
    assert verdicts(drive(detector(SS), reports)) == [(ALARM, 0.0)]
    hue = [rep(PRESS, 0.0), *holds(0.8, 10.4, every=0.8), rep(RELEASE, 10.5)]
    assert verdicts(drive(detector(SS), hue, until=T0 + 100)) == [(ALARM, 0.0)]


def test_single_shot_alarm_is_forgotten_after_stale() -> None:
    det = detector(SS)
    drive(det, [rep(EMERGENCY, 0.0)], until=T0 + 100)
    assert not det.holding
    assert det.deadline is None


@pytest.mark.parametrize("profile", [PR, RH])
def test_emergency_alarms_under_every_profile(profile: ButtonProfile) -> None:
    det = detector(profile)
    run = drive(det, [rep(EMERGENCY, 0.0)], until=T0 + 100)
    assert run.outcomes == [Outcome(ALARM, T0, 0.0, due=T0)]


@pytest.mark.parametrize("profile", [PR, RH])
def test_emergency_during_a_hold_alarms_once(profile: ButtonProfile) -> None:
    reports = [*holds(0.0, 0.4), rep(EMERGENCY, 0.5), *holds(0.6, 3.0)]
    run = drive(detector(profile), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 0.5)]


def test_emergency_after_a_hold_alarm_is_a_second_alarm() -> None:
    """Documented: an explicit emergency frame always alarms (outside its window)."""
    reports = [rep(PRESS, 0.0), rep(EMERGENCY, 2.5)]
    run = drive(detector(PR), reports, until=T0 + 100)
    assert verdicts(run) == [(ALARM, 2.0), (ALARM, 2.5)]


# -- retransmissions -----------------------------------------------------------


def test_duplicate_short_is_one_short_press() -> None:
    run = drive(detector(PR), [rep(SHORT, 0.0), rep(SHORT, 0.05)])
    assert verdicts(run) == [(SHORT_PRESS, 0.0)]


@pytest.mark.parametrize("profile", [PR, RH, SS])
def test_duplicate_emergency_is_one_alarm(profile: ButtonProfile) -> None:
    # No single-shot window: the retransmission filter alone must catch it.
    det = detector(profile, single_shot_window=0.0)
    run = drive(det, [rep(EMERGENCY, 0.0), rep(EMERGENCY, 0.05)])
    assert verdicts(run) == [(ALARM, 0.0)]


def test_same_report_after_dedupe_window_is_a_new_report() -> None:
    run = drive(detector(PR), [rep(SHORT, 0.0), rep(SHORT, 0.1001)])
    assert verdicts(run) == [(SHORT_PRESS, 0.0), (SHORT_PRESS, 0.1)]
    # Exactly at the window (exact binary times): a new report too.
    det = HoldDetector(PR, HoldTiming(dedupe_window=0.125))
    run = drive(det, [rep(SHORT, 0.0), rep(SHORT, 0.125)])
    assert verdicts(run) == [(SHORT_PRESS, 0.0), (SHORT_PRESS, 0.125)]


def test_dedupe_compares_with_the_last_kept_report() -> None:
    run = drive(detector(PR), [rep(SHORT, t) for t in (0.0, 0.06, 0.12)])
    assert verdicts(run) == [(SHORT_PRESS, 0.0), (SHORT_PRESS, 0.12)]


def test_reports_differing_in_held_for_are_not_duplicates() -> None:
    det = detector(PR)
    det.feed(rep(HOLD, 0.8, held_for=0.8))
    det.feed(rep(HOLD, 0.85, held_for=1.6))  # not a copy: it back-dates further
    assert det.deadline == approx(T0 - 0.75 + TH)


def test_duplicate_press_does_not_restart_or_duplicate() -> None:
    reports = [rep(PRESS, 0.0), rep(PRESS, 0.05), rep(RELEASE, 1.0), rep(RELEASE, 1.05)]
    run = drive(detector(PR), reports)
    assert verdicts(run) == [(SHORT_PRESS, 1.0)]


# -- properties ----------------------------------------------------------------

# Property tests count time in 1/1024 s, so every time, back-dated start and
# difference is exact: boundaries are decided by the module's rules, not by
# rounding. In these units: threshold 2048, release_gap 409.6,
# dedupe_window 102.4.
SEC = 1024


def at(units: int) -> float:
    return T0 + units / SEC


@st.composite
def retransmitted(
    draw: st.DrawFn, case: st.SearchStrategy[tuple[list[Report], int]]
) -> tuple[list[Report], int]:
    """Copy some reports within the dedupe window, before the next report."""
    reports, info = draw(case)
    out: list[Report] = []
    for i, report in enumerate(reports):
        out.append(report)
        room = 102 if i + 1 == len(reports) else (reports[i + 1].at - report.at) * SEC
        if draw(st.integers(0, 3)) == 0:
            delay = draw(st.integers(0, int(min(102, room))))
            out.append(Report(report.signal, report.at + delay / SEC, report.held_for))
    return out, info


@st.composite
def press_release_hold(
    draw: st.DrawFn, *, start: int, long: bool
) -> tuple[list[Report], int]:
    """One press/release hold from `start`, press-first or Hue-style.

    Short: button-down (real press to release/short) is below the threshold.
    Long: released at or after the threshold, or never. Hue-style holds have
    no press; every hold report says how long it has been held. Returns the
    reports and when the hold ended.
    """
    if long:
        release: int | None = draw(st.none() | st.just(2048) | st.integers(2048, 6144))
    else:
        release = draw(st.integers(0, 2047))
    end = 6144 if release is None else release
    hue = draw(st.booleans())
    # The first report comes before the threshold (a later one can only
    # alarm late, at its own time: tested separately).
    first = draw(st.integers(0, min(end, 1536))) if hue else 0
    reports = [
        Report(HOLD, at(start + first), first / SEC)
        if hue
        else Report(PRESS, at(start))
    ]
    for offset in sorted(draw(st.lists(st.integers(first, end), max_size=8))):
        if hue:
            reports.append(Report(HOLD, at(start + offset), offset / SEC))
        else:
            signal = draw(st.sampled_from([PRESS, HOLD]))
            reports.append(Report(signal, at(start + offset)))
    if release is not None:
        ending = RELEASE if long else draw(st.sampled_from([RELEASE, SHORT]))
        reports.append(Report(ending, at(start + release)))
    return reports, start + end


@st.composite
def press_release_short_holds(draw: st.DrawFn) -> tuple[list[Report], int]:
    """Several short holds and idle clicks; returns them and the short presses."""
    reports: list[Report] = []
    expected = 0
    now = 0
    for _ in range(draw(st.integers(1, 4))):
        now += draw(st.integers(300, 3072))
        if draw(st.booleans()):  # an idle click, well apart from the rest
            reports.append(Report(SHORT, at(now)))
            expected += 1
            now += draw(st.integers(300, 1024))
        hold, now = draw(press_release_hold(start=now, long=False))
        reports += hold
        expected += 1
    return reports, expected


@settings(max_examples=150, deadline=None)
@given(retransmitted(press_release_short_holds()))
def test_property_press_release_below_threshold_never_alarms(
    case: tuple[list[Report], int],
) -> None:
    reports, expected = case
    run = drive(detector(PR), reports)
    assert run.alarms == []
    assert len(run.shorts) == expected  # one per hold/click, none per copy
    for short in run.shorts:
        assert 0.0 <= short.held < TH


@settings(max_examples=150, deadline=None)
@given(
    retransmitted(
        st.integers(0, 10 * SEC).flatmap(
            lambda s: press_release_hold(start=s, long=True)
        )
    )
)
def test_property_press_release_long_hold_alarms_once_at_threshold(
    case: tuple[list[Report], int],
) -> None:
    reports, _ = case
    det = detector(PR)
    run = drive(det, reports)
    start = reports[0].at - (reports[0].held_for or 0.0)
    [alarm] = run.outcomes  # one alarm, no short press
    assert alarm.verdict is ALARM
    assert alarm.at == approx(start + TH)
    assert alarm.held == approx(TH)
    if reports[0].held_for is None:
        assert alarm.at == start + TH  # exact: the timer fired at the deadline
    assert not det.holding  # released, or forgotten after stale_after


@st.composite
def repeated_hold(
    draw: st.DrawFn, *, start: int, long: bool
) -> tuple[list[Report], int]:
    """KeyHeldDown every 0.1006-0.35 s (distinct frames, not retransmissions).

    Stray releases may come between two reports before the threshold. A short
    hold ends with KeyReleased (within release_gap of the last report) before
    the threshold, or with silence more than release_gap before it; a long
    one lasts past the threshold, then is released or goes silent. Returns the
    reports and when the hold ended.
    """
    length = draw(st.integers(2048, 4096)) if long else draw(st.integers(0, 2046))
    spacing = st.integers(103, 358)
    times = [start]
    if long:  # reports go on at least until the threshold
        while times[-1] < start + length:
            times.append(times[-1] + draw(spacing))
    else:
        while (nxt := times[-1] + draw(spacing)) <= start + length:
            times.append(nxt)
    reports: list[Report] = []
    for here, there in zip(times, [*times[1:], None], strict=True):
        reports.append(Report(HOLD, at(here)))
        if there is not None and there <= start + 2048 and draw(st.integers(0, 5)) == 0:
            stray = draw(st.integers(here + 1, there - 1))
            reports.append(Report(RELEASE, at(stray)))
    end = times[-1]
    # Dead before the threshold: silent more than release_gap before it, even
    # counting a retransmission of the last report (up to 102/1024 s later),
    # which is a sign of life too.
    may_go_silent = long or end <= start + 2048 - 410 - 102
    if not may_go_silent or draw(st.booleans()):
        limit = end + 409 if long else start + 2047
        end = draw(st.integers(min(end + 1, limit), min(end + 409, limit)))
        reports.append(Report(RELEASE, at(end)))
    return reports, end


@st.composite
def repeated_short_holds(draw: st.DrawFn) -> tuple[list[Report], int]:
    """Several short holds and idle clicks; returns them and the short presses."""
    reports: list[Report] = []
    expected = 0
    now = 0
    for _ in range(draw(st.integers(1, 4))):
        # > 2 x release_gap (+ a retransmission's offset) after the end: a hold
        # that merely went silent may resume within one more gap (a dropped
        # frame), see the tests above.
        now += draw(st.integers(930, 1536))
        if draw(st.booleans()):  # an idle KeyPressed
            reports.append(Report(SHORT, at(now)))
            expected += 1
            now += draw(st.integers(410, 1024))
        hold, now = draw(repeated_hold(start=now, long=False))
        reports += hold
        expected += 1
    return reports, expected


@settings(max_examples=150, deadline=None)
@given(retransmitted(repeated_short_holds()))
def test_property_repeated_held_below_threshold_never_alarms(
    case: tuple[list[Report], int],
) -> None:
    reports, expected = case
    run = drive(detector(RH), reports)
    assert run.alarms == []
    assert len(run.shorts) == expected
    for short in run.shorts:
        assert 0.0 <= short.held < TH


@settings(max_examples=150, deadline=None)
@given(
    retransmitted(
        st.integers(0, 10 * SEC).flatmap(lambda s: repeated_hold(start=s, long=True))
    )
)
def test_property_repeated_held_long_hold_alarms_once_at_threshold(
    case: tuple[list[Report], int],
) -> None:
    reports, _ = case
    det = detector(RH)
    run = drive(det, reports)
    [alarm] = run.outcomes
    assert alarm == Outcome(ALARM, reports[0].at + TH, TH, due=reports[0].at + TH)
    assert not det.holding


@st.composite
def soups(draw: st.DrawFn, *, held_for: bool, emergency: bool) -> list[Report]:
    """Arbitrary reports: any signal, any spacing, incl. stale-length pauses."""
    signals = [PRESS, HOLD, RELEASE, SHORT] + ([EMERGENCY] if emergency else [])
    reports = []
    now = 0
    for _ in range(draw(st.integers(0, 30))):
        now += draw(
            st.one_of(
                st.integers(0, 150),
                st.integers(0, 820),
                st.integers(820, 3 * SEC),
                st.integers(59 * SEC, 62 * SEC),
            )
        )
        signal = draw(st.sampled_from(signals))
        held = None
        if held_for and signal is HOLD:
            held = draw(st.none() | st.integers(0, 40).map(lambda d: d / 8))
        reports.append(Report(signal, at(now), held))
    return reports


def is_frame(profile: ButtonProfile, report: Report) -> bool:
    """An alarm frame: an emergency, or any press-like report when single shot."""
    return report.signal is EMERGENCY or (
        profile is SS and report.signal is not RELEASE
    )


def check_soup_invariants(profile: ButtonProfile, reports: Sequence[Report]) -> Run:
    timing = HoldTiming(release_gap=GAP)
    # After `feed(r)` the deadline is None or later than r.at, even when the
    # glue never ticked: feed settles what is due first. (With ticks, `drive`
    # checks the same after every feed and every tick.)
    lazy = HoldDetector(profile, timing)
    for report in reports:
        lazy.feed(report)
        assert lazy.deadline is None or lazy.deadline > report.at
    # The glue may tick a deadline equal to a report's time before feeding it
    # or not (feed settles it first): the same decisions either way.
    run = drive(HoldDetector(profile, timing), reports, tick_at_report_time=True)
    other = drive(HoldDetector(profile, timing), reports)
    assert other.outcomes == run.outcomes
    # Decisions come in time order, never before what caused them.
    times = [o.at for o in run.outcomes]
    assert times == sorted(times)
    for outcome, cause in zip(run.outcomes, run.causes, strict=True):
        assert cause is None or outcome.at == cause.at
        if outcome.verdict is SHORT_PRESS:
            assert profile is not SS
            assert 0.0 <= outcome.held < timing.threshold
        elif outcome.held == 0.0:  # an alarm frame
            assert cause is not None
            assert is_frame(profile, cause)
        else:  # a hold alarm
            assert profile is not SS
            assert outcome.held >= timing.threshold - EPS
    # Alarm frames are at least single_shot_window apart.
    frames = [o.at for o in run.alarms if o.held == 0.0]
    for a, b in itertools.pairwise(frames):
        assert b - a >= timing.single_shot_window - EPS
    # At most one alarm per hold: before a hold alarm, whatever the previous
    # alarm was, its hold has ended: by a release / short press, or by
    # stale_after without a press/hold report (allowing for retransmissions,
    # which do not count as activity).
    previous: Outcome | None = None
    since: list[Report] = []
    for item in run.stream:
        if isinstance(item, Report):
            since.append(item)
            continue
        if item.verdict is not ALARM:
            continue
        if previous is not None and item.held != 0.0:
            ended = any(r.signal in (RELEASE, SHORT) for r in since)
            active = [previous.at] + [r.at for r in since if r.signal in (PRESS, HOLD)]
            stale = any(
                b - a >= timing.stale_after - timing.dedupe_window
                for a, b in itertools.pairwise(active)
            )
            assert ended or stale, f"two alarms in one hold, at {item.at - T0:.3f}"
        previous, since = item, []
    return run


@pytest.mark.parametrize("profile", [PR, RH, SS])
@settings(max_examples=100, deadline=None)
@given(soup=soups(held_for=True, emergency=True))
def test_property_soup_invariants(profile: ButtonProfile, soup: list[Report]) -> None:
    check_soup_invariants(profile, soup)


@pytest.mark.parametrize("profile", [PR, RH])
@settings(max_examples=100, deadline=None)
@given(soup=soups(held_for=False, emergency=False))
def test_property_soup_hold_alarms_are_a_threshold_apart(
    profile: ButtonProfile, soup: list[Report]
) -> None:
    """Without back-dating or emergency frames, each alarm needs its own
    threshold-long hold, which starts after the previous alarm's hold ended."""
    run = check_soup_invariants(profile, soup)
    for a, b in itertools.pairwise(run.alarms):
        assert b.at - a.at >= TH - EPS


@settings(max_examples=100, deadline=None)
@given(soup=soups(held_for=True, emergency=True))
def test_property_single_shot_alarms_on_each_frame_outside_the_window(
    soup: list[Report],
) -> None:
    """Single shot, as documented: every non-release report is an alarm unless
    it is a retransmission or repeats a frame within single_shot_window."""
    timing = HoldTiming()
    expected: list[float] = []
    kept: Report | None = None
    last_frame: float | None = None
    for report in soup:
        if (
            kept is not None
            and kept.signal is report.signal
            and kept.held_for == report.held_for
            and report.at - kept.at < timing.dedupe_window
        ):
            continue  # a retransmission
        kept = report
        if report.signal is RELEASE:
            continue
        if last_frame is None or report.at - last_frame >= timing.single_shot_window:
            expected.append(report.at)
        last_frame = report.at
    run = drive(HoldDetector(SS, timing), soup)
    assert run.outcomes == [Outcome(ALARM, t, 0.0, due=t) for t in expected]


# -- back-dating by the model's first-report delay ----------------------------


def _delayed(profile: ButtonProfile, delay: float = 1.0) -> HoldDetector:
    return HoldDetector(
        profile, HoldTiming(threshold=TH, release_gap=1.2, first_report_delay=delay)
    )


@pytest.mark.parametrize("profile", [PR, RH])
def test_a_hold_report_that_starts_a_hold_is_back_dated(profile: ButtonProfile) -> None:
    detector = _delayed(profile)
    assert detector.feed(Report(HOLD, T0 + 1.0)) == []
    assert detector.deadline == pytest.approx(T0 + TH)
    (alarm,) = detector.tick(T0 + TH)
    assert alarm.verdict is ALARM
    assert alarm.due == pytest.approx(T0 + TH)
    assert alarm.held == pytest.approx(TH)


def test_a_press_report_marks_the_press_itself() -> None:
    detector = _delayed(PR)
    detector.feed(Report(PRESS, T0))
    # A later "still held" report says nothing more about when the press was.
    detector.feed(Report(HOLD, T0 + 1.0))
    assert detector.deadline == pytest.approx(T0 + TH)


def test_a_carried_duration_wins_over_the_delay() -> None:
    detector = _delayed(RH, delay=0.8)
    detector.feed(Report(HOLD, T0 + 1.2, held_for=1.2))
    assert detector.deadline == pytest.approx(T0 + TH)


def test_a_release_before_the_back_dated_threshold_is_a_short_press() -> None:
    detector = _delayed(PR)
    detector.feed(Report(HOLD, T0 + 1.0))
    (short,) = detector.feed(Report(RELEASE, T0 + 1.9))
    assert short.verdict is SHORT_PRESS
    assert short.held == pytest.approx(1.9)


def test_a_delay_as_long_as_the_threshold_alarms_on_the_first_report() -> None:
    detector = _delayed(PR, delay=2.5)
    outcomes = detector.feed(Report(HOLD, T0 + 2.5))
    assert [o.verdict for o in outcomes] == [ALARM]
    assert outcomes[0].due == pytest.approx(T0 + TH)  # due before it was heard


@pytest.mark.parametrize(
    ("after", "believed"),
    [
        (0.29, True),
        (0.31, False),
        (0.4, False),  # Z-Wave JS's own timing
        (0.55, False),  # both reports reached the bus late, unevenly
        (0.79, False),
        (0.81, True),
        (1.4, True),
    ],
)
def test_a_release_the_radio_stack_may_have_invented_is_not_believed(
    after: float, believed: bool
) -> None:
    timing = HoldTiming(
        threshold=TH, first_report_delay=0.5, stray_release_window=(0.3, 0.8)
    )
    detector = HoldDetector(PR, timing)
    detector.feed(Report(HOLD, T0 + 0.5))
    outcomes = detector.feed(Report(RELEASE, T0 + 0.5 + after))
    if believed:
        assert [o.verdict for o in outcomes] == [SHORT_PRESS]
    else:
        assert outcomes == []  # not believed: the hold goes on
        (alarm,) = detector.tick(T0 + TH)
        assert alarm.verdict is ALARM
    # The next hold starts afresh: its own release is judged by its own report.
    detector.tick(T0 + 100)
    detector.feed(Report(HOLD, T0 + 200.5))
    (short,) = detector.feed(Report(RELEASE, T0 + 201.5))
    assert short.verdict is SHORT_PRESS


def test_a_release_after_a_press_report_is_always_believed() -> None:
    timing = HoldTiming(threshold=TH, stray_release_window=(0.3, 0.8))
    detector = HoldDetector(PR, timing)
    detector.feed(Report(PRESS, T0))
    (short,) = detector.feed(Report(RELEASE, T0 + 0.4))
    assert short.verdict is SHORT_PRESS


# -- alarm_at: what the glue writes ahead -----------------------------------


def test_alarm_at_follows_a_hold_towards_its_threshold() -> None:
    det = detector(PR)
    assert det.alarm_at is None
    det.feed(rep(PRESS, 0))
    assert det.alarm_at == approx(T0 + TH)
    det.feed(rep(RELEASE, 1))
    assert det.alarm_at is None  # a short press: nothing to come
    det.feed(rep(PRESS, 3))
    ahead = det.alarm_at
    assert ahead == approx(T0 + 3 + TH)
    (alarm,) = det.tick(ahead)
    assert alarm.verdict is ALARM
    assert alarm.due == ahead
    assert det.alarm_at is None  # it came: nothing more ahead


def test_alarm_at_of_repeated_held_and_single_shot() -> None:
    det = detector(RH)
    det.feed(rep(HOLD, 0))
    det.feed(rep(HOLD, 0.2))
    assert det.alarm_at is None  # were the reports to stop now: a short press
    for report in holds(0.4, 1.8):
        det.feed(report)
    assert det.alarm_at == approx(T0 + TH)  # alive at the threshold
    det.feed(rep(RELEASE, 1.9))  # not believed yet, but not going on either
    assert det.alarm_at is None
    single = detector(SS)
    assert single.alarm_at is None


@given(
    profile=st.sampled_from([PR, RH]),
    stream=st.lists(
        st.tuples(st.sampled_from([PRESS, HOLD, RELEASE]), st.integers(1, 40)),
        max_size=30,
    ),
)
@settings(max_examples=300, deadline=None)
def test_a_tick_at_alarm_at_raises_the_alarm_written_ahead(
    profile: ButtonProfile, stream: list[tuple[Signal, int]]
) -> None:
    """Whenever the next deadline is `alarm_at`, ticking then alarms, due then.

    So the alarm the glue writes ahead is exactly the alarm that comes, unless
    a report in between changes `alarm_at` (which the glue then withdraws).
    """
    det = detector(profile)
    at = T0
    for signal, step in stream:
        at += step * 0.1
        while (deadline := det.deadline) is not None and deadline < at:
            ahead = det.alarm_at
            outcomes = det.tick(deadline)
            if ahead is not None and deadline == ahead:
                assert [o.due for o in outcomes if o.verdict is ALARM] == [ahead]
            else:
                assert all(o.due != ahead for o in outcomes if o.verdict is ALARM)
        det.feed(rep(signal, at - T0))
