"""Incident logs written to disk before a town hall starts (as a restart finds them).

Built through the real `IncidentBook` (raise, join, lifecycle steps) and
written as the log's own snapshot file, so the integration loads them exactly
as it loads its own log.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
import random

from homeassistant.core import HomeAssistant

from custom_components.raadhus_alarm import records
from custom_components.raadhus_alarm.incident import (
    IncidentBook,
    IncidentState,
    StepSource,
)
from custom_components.raadhus_alarm.log_reading import SNAPSHOT_NAME

ROOMS = (
    ("k1", "Kontaktrum 1"),
    ("k2", "Kontaktrum 2"),
    ("a1", "Akutrum 1"),
    ("a2", "Akutrum 2"),
    ("v", "Venteområde"),
    # Rooms since removed, whose names a spreadsheet must show, never run.
    ("gone1", '=HYPERLINK("https://example.invalid";"klik")'),
    ("gone2", 'Mødelokale; "Store sal"\nbagved'),
)
OFFICERS = (("Betjent Bo", "u-bo"), ("Betjent Birte", "u-birte"))
LEADERS = (("Leder Lis", "u-lis"), ("Centerchef Carl", "u-carl"))
RESOLUTIONS = ("citizen_left", "police_called", "other")


def write_log(hass: HomeAssistant, book: IncidentBook) -> None:
    """Put the book where the integration reads its log from."""
    folder = Path(hass.config.path(".storage"))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SNAPSHOT_NAME).write_bytes(
        records.encode_snapshot(SNAPSHOT_NAME, book.to_list())
    )


def _seconds(rng: random.Random, low: float, high: float) -> timedelta:
    """A random span with microseconds, as real stored times have."""
    return timedelta(microseconds=rng.randrange(int(low * 1e6), int(high * 1e6)))


def seeded_book(now: datetime, count: int = 1000, seed: int = 14) -> IncidentBook:
    """`count` closed incidents over the 300 days before `now` (deterministic).

    About one in twenty is a drill and one in ten a false alarm; some were
    raised late, some joined by further presses, some went straight to on
    scene, some were never acknowledged; raised by buttons or by people.
    """
    rng = random.Random(seed)
    book = IncidentBook()
    dues = sorted(now - _seconds(rng, 600, 300 * 86400) for _ in range(count))
    for n, due in enumerate(dues):
        room_id, room_name = rng.choice(ROOMS)
        by_button = rng.random() < 0.6
        raiser = rng.choice(OFFICERS + LEADERS)
        incident, _ = book.raise_alarm(
            room_id=room_id,
            room_name=room_name,
            trigger_source="zha-device" if by_button else raiser[1],
            hold_seconds=2.0 if by_button else None,
            at=due,
            actor_user_id=None if by_button else raiser[1],
            actor_name=f"Knap {room_id}" if by_button else raiser[0],
            source=StepSource.BUTTON if by_button else StepSource.PANEL,
            drill=rng.random() < 0.05,
            raised_at=due + _seconds(rng, 0, 0.8),
            new_id=lambda n=n: f"seed{n:04d}",
        )
        at = due
        for _ in range(rng.choice((0, 0, 0, 1, 2, 3))):
            at += _seconds(rng, 1, 20)
            book.raise_alarm(
                room_id=room_id,
                room_name=room_name,
                trigger_source="zha-device",
                hold_seconds=2.5,
                at=at,
                source=StepSource.BUTTON,
            )
        path = []
        if rng.random() < 0.85:
            path.append(IncidentState.ACKNOWLEDGED)
        if rng.random() < 0.8:
            path.append(IncidentState.ON_SCENE)
        if rng.random() < 0.1:
            path.append(IncidentState.CANCELLED)
        else:
            path.append(IncidentState.RESOLVED)
            if rng.random() < 0.3:
                path.append(IncidentState.DEBRIEFED)
        at = due
        for state in path:
            at += _seconds(rng, 3, 240)
            who = rng.choice(LEADERS if state is IncidentState.DEBRIEFED else OFFICERS)
            book.transition(
                incident.id,
                state,
                at=at,
                actor_user_id=who[1],
                actor_name=who[0],
                source=StepSource.PANEL,
                resolution=(
                    rng.choice(RESOLUTIONS) if state is IncidentState.RESOLVED else None
                ),
            )
    return book


def known_book(now: datetime) -> IncidentBook:
    """A log with response times known by heart (see the sensor tests).

    In the last 30 days ten real alarms acknowledged after 10, 20, …, 100 s
    and on scene 50 s after that (the one after 100 s is the oldest, 29 days
    ago), one false alarm, two drills; a real alarm 40 days ago.
    """
    book = IncidentBook()

    def add(
        due: datetime,
        ack: float,
        *,
        drill: bool = False,
        cancel: bool = False,
        room: str = "k1",
    ) -> None:
        incident, _ = book.raise_alarm(
            room_id=room,
            room_name="Kontaktrum 1",
            trigger_source="zha-device",
            hold_seconds=2.0,
            at=due,
            actor_name="Knap zha1",
            source=StepSource.BUTTON,
            drill=drill,
            raised_at=due,
        )
        steps = [(IncidentState.ACKNOWLEDGED, ack)]
        if cancel:
            steps.append((IncidentState.CANCELLED, ack + 5))
        else:
            steps += [
                (IncidentState.ON_SCENE, ack + 50),
                (IncidentState.RESOLVED, ack + 600),
            ]
        for state, seconds in steps:
            book.transition(
                incident.id,
                state,
                at=due + timedelta(seconds=seconds),
                actor_user_id="u-bo",
                actor_name="Betjent Bo",
                source=StepSource.PANEL,
            )

    add(now - timedelta(days=40), 1000)
    add(now - timedelta(days=29), 100)
    for i, ack in enumerate(range(10, 100, 10)):
        add(now - timedelta(days=20, hours=-i), ack)
    add(now - timedelta(days=3), 1, cancel=True)
    add(now - timedelta(days=2), 300, drill=True)
    add(now - timedelta(days=1), 500, drill=True)
    return book
