"""Typed view of the town hall configuration (pure, no Home Assistant imports).

The config entry stores plain JSON-able dicts (rooms, buttons and responders
in its subentries, the town-hall-wide settings in its options; `entry_config`
joins them into one mapping); everything else reads them through these frozen
dataclasses so a typo in a key is caught once,
here, and not in the alarm path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from typing import Any

from .const import (
    CONF_ACK_TIMEOUT,
    CONF_ALARM_REPORTS,
    CONF_ALERT_ENTITIES,
    CONF_AREA_ID,
    CONF_BAN_KEEP_DAYS,
    CONF_BAN_REMIND_DAYS,
    CONF_BANS,
    CONF_BUTTONS,
    CONF_CAMERAS,
    CONF_CASE_WORKER,
    CONF_CLIP_SECONDS,
    CONF_CONTACTS,
    CONF_CRISIS_IN_HOURS_NAME,
    CONF_CRISIS_IN_HOURS_PHONE,
    CONF_CRISIS_LINE_HOURS,
    CONF_CRISIS_OUT_OF_HOURS_NAME,
    CONF_CRISIS_OUT_OF_HOURS_PHONE,
    CONF_CVR,
    CONF_DAY_BEFORE_TIME,
    CONF_DEVICE_ID,
    CONF_DEVICES,
    CONF_ENTITY_ID,
    CONF_EVIDENCE,
    CONF_EVIDENCE_RETENTION_DAYS,
    CONF_FIRST_REPORT_DELAY,
    CONF_FOLLOWUP,
    CONF_HOLD_THRESHOLD,
    CONF_ID,
    CONF_KIND,
    CONF_LANGUAGE,
    CONF_MEETING_KEEP_DAYS,
    CONF_MEETINGS,
    CONF_MODEL,
    CONF_MQTT_TOPIC,
    CONF_NAME,
    CONF_OFFICERS_ON_DUTY,
    CONF_OFFICERS_ROOM,
    CONF_PEOPLE,
    CONF_PERSON,
    CONF_POLICE_PRESENT,
    CONF_PROFILE,
    CONF_RELEASE_GAP,
    CONF_RETENTION_DAYS,
    CONF_ROLES,
    CONF_ROOM_ID,
    CONF_ROOMS,
    CONF_SCHEDULES,
    CONF_SNAPSHOT_INTERVAL,
    CONF_SNAPSHOT_WINDOW,
    CONF_SOON_MINUTES,
    CONF_SOURCE,
    CONF_TIMINGS,
    CONF_UNSEEN_HOURS,
    CONF_WORKING_DAYS,
    DEFAULT_ACK_TIMEOUT,
    DEFAULT_BAN_KEEP_DAYS,
    DEFAULT_BAN_REMIND_DAYS,
    DEFAULT_CLIP_SECONDS,
    DEFAULT_DAY_BEFORE_TIME,
    DEFAULT_EVIDENCE_RETENTION_DAYS,
    DEFAULT_FOLLOWUP_WORKING_DAYS,
    DEFAULT_HOLD_THRESHOLD,
    DEFAULT_LANGUAGE,
    DEFAULT_MEETING_KEEP_DAYS,
    DEFAULT_RETENTION_DAYS,
    DEFAULT_SNAPSHOT_INTERVAL,
    DEFAULT_SNAPSHOT_WINDOW,
    DEFAULT_SOON_MINUTES,
    DEFAULT_UNSEEN_HOURS,
    ButtonProfile,
    ButtonSource,
    Role,
    RoomKind,
)


@dataclass(frozen=True, slots=True)
class Room:
    """A room with a panic button and (maybe) cameras."""

    id: str
    name: str
    kind: RoomKind
    cameras: tuple[str, ...] = ()
    case_worker: str | None = None
    # The Home Assistant area the room's device is placed in.
    area_id: str | None = None


@dataclass(frozen=True, slots=True)
class Button:
    """A panic button in a room."""

    id: str
    room_id: str
    name: str
    source: ButtonSource
    profile: ButtonProfile
    device_id: str | None = None
    entity_id: str | None = None
    hold_threshold: float | None = None
    mqtt_topic: str | None = None
    # A library model id, "auto" (what the device registry says) or "generic".
    model: str = "auto"
    # Facilities' overrides of the model's figures (None: the model's own).
    first_report_delay: float | None = None
    release_gap: float | None = None
    alarm_reports: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Person:
    """A responder: a Home Assistant person with roles and companion-app devices."""

    id: str
    person: str
    roles: frozenset[Role]
    devices: tuple[str, ...] = ()
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True, slots=True)
class Schedules:
    """Schedule helper entity ids (optional each)."""

    officers_on_duty: str | None = None
    police_present: str | None = None
    crisis_line_hours: str | None = None


@dataclass(frozen=True, slots=True)
class Timings:
    """Time settings."""

    hold_threshold: float = DEFAULT_HOLD_THRESHOLD
    ack_timeout: int = DEFAULT_ACK_TIMEOUT
    unseen_hours: int = DEFAULT_UNSEEN_HOURS
    retention_days: int = DEFAULT_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class MeetingSettings:
    """When officers are forewarned of announced meetings; how long they are kept."""

    day_before_time: time = field(
        default_factory=lambda: time.fromisoformat(DEFAULT_DAY_BEFORE_TIME)
    )
    soon: timedelta = field(
        default_factory=lambda: timedelta(minutes=DEFAULT_SOON_MINUTES)
    )
    keep: timedelta = field(
        default_factory=lambda: timedelta(days=DEFAULT_MEETING_KEEP_DAYS)
    )


@dataclass(frozen=True, slots=True)
class BanSettings:
    """When the issuing leader is reminded of a ban's end; how long it is kept."""

    remind_before: timedelta = field(
        default_factory=lambda: timedelta(days=DEFAULT_BAN_REMIND_DAYS)
    )
    keep: timedelta = field(
        default_factory=lambda: timedelta(days=DEFAULT_BAN_KEEP_DAYS)
    )


@dataclass(frozen=True, slots=True)
class EvidenceSettings:
    """Pictures and clips of an alarm (seconds); how long they are kept (days)."""

    snapshot_interval: int = DEFAULT_SNAPSHOT_INTERVAL
    snapshot_window: int = DEFAULT_SNAPSHOT_WINDOW
    clip_seconds: int = DEFAULT_CLIP_SECONDS
    retention_days: int = DEFAULT_EVIDENCE_RETENTION_DAYS


@dataclass(frozen=True, slots=True)
class Contacts:
    """Crisis-help numbers and the municipality's CVR (configuration, never code)."""

    crisis_in_hours_name: str = ""
    crisis_in_hours_phone: str = ""
    crisis_out_of_hours_name: str = ""
    crisis_out_of_hours_phone: str = ""
    cvr: str = ""


@dataclass(frozen=True, slots=True)
class TownHall:
    """Everything configured for one town hall."""

    rooms: tuple[Room, ...] = ()
    buttons: tuple[Button, ...] = ()
    people: tuple[Person, ...] = ()
    schedules: Schedules = field(default_factory=Schedules)
    timings: Timings = field(default_factory=Timings)
    contacts: Contacts = field(default_factory=Contacts)
    meetings: MeetingSettings = field(default_factory=MeetingSettings)
    bans: BanSettings = field(default_factory=BanSettings)
    evidence: EvidenceSettings = field(default_factory=EvidenceSettings)
    followup_working_days: int = DEFAULT_FOLLOWUP_WORKING_DAYS
    # Second channel in the officers' room: sirens, lights, media players.
    alert_entities: tuple[str, ...] = ()

    def room(self, room_id: str) -> Room | None:
        """Return the room with this id."""
        return next((r for r in self.rooms if r.id == room_id), None)

    def buttons_in(self, room_id: str) -> tuple[Button, ...]:
        """Return the buttons of a room."""
        return tuple(b for b in self.buttons if b.room_id == room_id)

    def threshold_for(self, button: Button) -> float:
        """Return the hold threshold that applies to a button."""
        if button.hold_threshold is not None:
            return button.hold_threshold
        return self.timings.hold_threshold

    def people_with(self, role: Role) -> tuple[Person, ...]:
        """Return the people who have a role."""
        return tuple(p for p in self.people if role in p.roles)

    def person(self, person_entity_id: str) -> Person | None:
        """Return the responder entry for a person entity."""
        return next((p for p in self.people if p.person == person_entity_id), None)


def _opt_str(value: Any) -> str | None:
    return str(value) if value else None


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def parse_town_hall(options: Mapping[str, Any]) -> TownHall:
    """Build the typed model from a config entry's options."""
    rooms = tuple(
        Room(
            id=r[CONF_ID],
            name=r[CONF_NAME],
            kind=RoomKind(r[CONF_KIND]),
            cameras=tuple(r.get(CONF_CAMERAS, ())),
            case_worker=_opt_str(r.get(CONF_CASE_WORKER)),
            area_id=_opt_str(r.get(CONF_AREA_ID)),
        )
        for r in options.get(CONF_ROOMS, ())
    )
    buttons = tuple(
        Button(
            id=b[CONF_ID],
            room_id=b[CONF_ROOM_ID],
            name=b[CONF_NAME],
            source=ButtonSource(b[CONF_SOURCE]),
            profile=ButtonProfile(b[CONF_PROFILE]),
            device_id=_opt_str(b.get(CONF_DEVICE_ID)),
            entity_id=_opt_str(b.get(CONF_ENTITY_ID)),
            hold_threshold=_opt_float(b.get(CONF_HOLD_THRESHOLD)),
            mqtt_topic=_opt_str(b.get(CONF_MQTT_TOPIC)),
            model=str(b.get(CONF_MODEL) or "auto"),
            first_report_delay=_opt_float(b.get(CONF_FIRST_REPORT_DELAY)),
            release_gap=_opt_float(b.get(CONF_RELEASE_GAP)),
            alarm_reports=tuple(str(r) for r in b.get(CONF_ALARM_REPORTS) or ()),
        )
        for b in options.get(CONF_BUTTONS, ())
    )
    people = tuple(
        Person(
            id=p[CONF_ID],
            person=p[CONF_PERSON],
            roles=frozenset(Role(r) for r in p.get(CONF_ROLES, ())),
            devices=tuple(p.get(CONF_DEVICES, ())),
            language=p.get(CONF_LANGUAGE, DEFAULT_LANGUAGE),
        )
        for p in options.get(CONF_PEOPLE, ())
    )
    s = options.get(CONF_SCHEDULES, {})
    t = options.get(CONF_TIMINGS, {})
    c = options.get(CONF_CONTACTS, {})
    m = options.get(CONF_MEETINGS, {})
    b = options.get(CONF_BANS, {})
    e = options.get(CONF_EVIDENCE, {})
    return TownHall(
        rooms=rooms,
        buttons=buttons,
        people=people,
        schedules=Schedules(
            officers_on_duty=_opt_str(s.get(CONF_OFFICERS_ON_DUTY)),
            police_present=_opt_str(s.get(CONF_POLICE_PRESENT)),
            crisis_line_hours=_opt_str(s.get(CONF_CRISIS_LINE_HOURS)),
        ),
        timings=Timings(
            hold_threshold=float(t.get(CONF_HOLD_THRESHOLD, DEFAULT_HOLD_THRESHOLD)),
            ack_timeout=int(t.get(CONF_ACK_TIMEOUT, DEFAULT_ACK_TIMEOUT)),
            unseen_hours=int(t.get(CONF_UNSEEN_HOURS, DEFAULT_UNSEEN_HOURS)),
            retention_days=int(t.get(CONF_RETENTION_DAYS, DEFAULT_RETENTION_DAYS)),
        ),
        contacts=Contacts(
            crisis_in_hours_name=c.get(CONF_CRISIS_IN_HOURS_NAME, ""),
            crisis_in_hours_phone=c.get(CONF_CRISIS_IN_HOURS_PHONE, ""),
            crisis_out_of_hours_name=c.get(CONF_CRISIS_OUT_OF_HOURS_NAME, ""),
            crisis_out_of_hours_phone=c.get(CONF_CRISIS_OUT_OF_HOURS_PHONE, ""),
            cvr=c.get(CONF_CVR, ""),
        ),
        meetings=MeetingSettings(
            day_before_time=time.fromisoformat(
                m.get(CONF_DAY_BEFORE_TIME, DEFAULT_DAY_BEFORE_TIME)
            ),
            soon=timedelta(minutes=int(m.get(CONF_SOON_MINUTES, DEFAULT_SOON_MINUTES))),
            keep=timedelta(
                days=int(m.get(CONF_MEETING_KEEP_DAYS, DEFAULT_MEETING_KEEP_DAYS))
            ),
        ),
        followup_working_days=int(
            options.get(CONF_FOLLOWUP, {}).get(
                CONF_WORKING_DAYS, DEFAULT_FOLLOWUP_WORKING_DAYS
            )
        ),
        bans=BanSettings(
            remind_before=timedelta(
                days=int(b.get(CONF_BAN_REMIND_DAYS, DEFAULT_BAN_REMIND_DAYS))
            ),
            keep=timedelta(days=int(b.get(CONF_BAN_KEEP_DAYS, DEFAULT_BAN_KEEP_DAYS))),
        ),
        evidence=EvidenceSettings(
            snapshot_interval=int(
                e.get(CONF_SNAPSHOT_INTERVAL, DEFAULT_SNAPSHOT_INTERVAL)
            ),
            snapshot_window=int(e.get(CONF_SNAPSHOT_WINDOW, DEFAULT_SNAPSHOT_WINDOW)),
            clip_seconds=int(e.get(CONF_CLIP_SECONDS, DEFAULT_CLIP_SECONDS)),
            retention_days=int(
                e.get(CONF_EVIDENCE_RETENTION_DAYS, DEFAULT_EVIDENCE_RETENTION_DAYS)
            ),
        ),
        alert_entities=tuple(
            options.get(CONF_OFFICERS_ROOM, {}).get(CONF_ALERT_ENTITIES, ())
        ),
    )
