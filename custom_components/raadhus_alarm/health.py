"""Button health assessment (pure, no Home Assistant imports).

A button is a problem when it (or every entity of its device) is unavailable,
reports a low battery, or has not been heard from for too long (R11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

LOW_BATTERY_PERCENT = 20.0


class Problem(StrEnum):
    """Why a button is not trusted to raise an alarm."""

    MISSING = "missing"
    UNAVAILABLE = "unavailable"
    LOW_BATTERY = "low_battery"
    NOT_SEEN = "not_seen"


@dataclass(frozen=True, slots=True)
class Observation:
    """What Home Assistant knows about a button right now."""

    exists: bool
    available: bool
    battery_percent: float | None = None
    battery_low: bool = False
    last_seen: datetime | None = None


def assess(obs: Observation, now: datetime, unseen_after: timedelta) -> Problem | None:
    """The button's most serious problem, or None when it is healthy."""
    if not obs.exists:
        return Problem.MISSING
    if not obs.available:
        return Problem.UNAVAILABLE
    if obs.battery_low or (
        obs.battery_percent is not None and obs.battery_percent < LOW_BATTERY_PERCENT
    ):
        return Problem.LOW_BATTERY
    if obs.last_seen is not None and now - obs.last_seen > unseen_after:
        return Problem.NOT_SEEN
    return None
