"""Constants for the Rådhus Alarm integration."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

DOMAIN: Final = "raadhus_alarm"

# Dispatcher signal: the panel state changed (incidents, health, schedules,
# or the entry was loaded/unloaded).
SIGNAL_UPDATE: Final = "raadhus_alarm_update"

# Bus event fired on every incident transition (the contract for automations).
EVENT_INCIDENT: Final = "raadhus_alarm_incident"
# Bus event fired for a short press that did not reach the hold threshold.
EVENT_SHORT_PRESS: Final = "raadhus_alarm_short_press"
# Bus event fired when a threat outside working hours is reported (R10).
EVENT_OFF_DUTY: Final = "raadhus_alarm_off_duty_report"
# A meeting announced, changed, cancelled, forewarned, started or ended.
EVENT_MEETING: Final = "raadhus_alarm_meeting"
EVENT_BAN: Final = "raadhus_alarm_ban"
EVENT_DRILL: Final = "raadhus_alarm_drill"
# Video evidence captured, to be secured, kept, released or deleted (R6).
EVENT_EVIDENCE: Final = "raadhus_alarm_evidence"
EVENT_FOLLOW_UP: Final = "raadhus_alarm_follow_up"
# A threatening citizen announced his arrival without an appointment.
EVENT_ARRIVAL: Final = "raadhus_alarm_arrival_warning"

# Config entry data / options keys.
CONF_ROOMS: Final = "rooms"
CONF_BUTTONS: Final = "buttons"
CONF_PEOPLE: Final = "people"
# Config subentry types: each room, panic button and responder is one
# subentry, listed, added, changed and deleted on the integration's page.
SUBENTRY_ROOM: Final = "room"
SUBENTRY_BUTTON: Final = "button"
SUBENTRY_RESPONDER: Final = "responder"
CONF_SCHEDULES: Final = "schedules"
CONF_TIMINGS: Final = "timings"
CONF_CONTACTS: Final = "contacts"
CONF_OFFICERS_ROOM: Final = "officers_room"
CONF_ALERT_ENTITIES: Final = "alert_entities"
ALERT_DOMAINS: Final = ("siren", "light", "media_player")

CONF_ID: Final = "id"
CONF_NAME: Final = "name"
CONF_KIND: Final = "kind"
CONF_CAMERAS: Final = "cameras"
CONF_AREA_ID: Final = "area_id"
CONF_CASE_WORKER: Final = "case_worker"
CONF_ROOM_ID: Final = "room_id"
CONF_SOURCE: Final = "source"
CONF_DEVICE_ID: Final = "device_id"
CONF_ENTITY_ID: Final = "entity_id"
CONF_PROFILE: Final = "profile"
CONF_HOLD_THRESHOLD: Final = "hold_threshold"
CONF_MQTT_TOPIC: Final = "mqtt_topic"
CONF_MODEL: Final = "model"
CONF_FIRST_REPORT_DELAY: Final = "first_report_delay"
CONF_RELEASE_GAP: Final = "release_gap"
CONF_ALARM_REPORTS: Final = "alarm_reports"
CONF_PERSON: Final = "person"
CONF_ROLES: Final = "roles"
CONF_DEVICES: Final = "devices"
CONF_LANGUAGE: Final = "language"
CONF_OFFICERS_ON_DUTY: Final = "officers_on_duty"
CONF_POLICE_PRESENT: Final = "police_present"
CONF_CRISIS_LINE_HOURS: Final = "crisis_line_hours"
CONF_ACK_TIMEOUT: Final = "ack_timeout"
CONF_UNSEEN_HOURS: Final = "unseen_hours"
CONF_RETENTION_DAYS: Final = "retention_days"
CONF_MEETINGS: Final = "meetings"
CONF_DAY_BEFORE_TIME: Final = "day_before_time"
CONF_SOON_MINUTES: Final = "soon_minutes"
CONF_MEETING_KEEP_DAYS: Final = "keep_days"
CONF_BANS: Final = "bans"
CONF_BAN_REMIND_DAYS: Final = "remind_days"
CONF_BAN_KEEP_DAYS: Final = "keep_days"
CONF_EVIDENCE: Final = "evidence"
CONF_SNAPSHOT_INTERVAL: Final = "snapshot_interval"
CONF_SNAPSHOT_WINDOW: Final = "snapshot_window"
CONF_CLIP_SECONDS: Final = "clip_seconds"
CONF_EVIDENCE_RETENTION_DAYS: Final = "retention_days"
CONF_CRISIS_IN_HOURS_NAME: Final = "crisis_in_hours_name"
CONF_CRISIS_IN_HOURS_PHONE: Final = "crisis_in_hours_phone"
CONF_CRISIS_OUT_OF_HOURS_NAME: Final = "crisis_out_of_hours_name"
CONF_CRISIS_OUT_OF_HOURS_PHONE: Final = "crisis_out_of_hours_phone"
CONF_CVR: Final = "cvr"

DEFAULT_NAME: Final = "Rådhuset"
DEFAULT_HOLD_THRESHOLD: Final = 2.0
MIN_HOLD_THRESHOLD: Final = 0.5
MAX_HOLD_THRESHOLD: Final = 10.0
DEFAULT_ACK_TIMEOUT: Final = 30
MIN_ACK_TIMEOUT: Final = 10
MAX_ACK_TIMEOUT: Final = 600
DEFAULT_UNSEEN_HOURS: Final = 25
MIN_UNSEEN_HOURS: Final = 1
MAX_UNSEEN_HOURS: Final = 24 * 14
DEFAULT_RETENTION_DAYS: Final = 5 * 365
# Meetings (R7): the officers are told the working day before at this time
# (inside their hours every weekday) and again this long before it starts;
# past meetings are kept this long.
DEFAULT_DAY_BEFORE_TIME: Final = "12:00:00"
DEFAULT_SOON_MINUTES: Final = 15
MIN_SOON_MINUTES: Final = 0
MAX_SOON_MINUTES: Final = 240
DEFAULT_MEETING_KEEP_DAYS: Final = 90
MIN_MEETING_KEEP_DAYS: Final = 1
MAX_MEETING_KEEP_DAYS: Final = 3650
# Attendance bans (R8): the issuing leader is reminded this long before the
# end; a ban that has ended is deleted this long after.
DEFAULT_BAN_REMIND_DAYS: Final = 14
MIN_BAN_REMIND_DAYS: Final = 1
MAX_BAN_REMIND_DAYS: Final = 90
DEFAULT_BAN_KEEP_DAYS: Final = 30
MIN_BAN_KEEP_DAYS: Final = 1
MAX_BAN_KEEP_DAYS: Final = 365
# Video evidence (R6): a picture at the alarm and every interval up to the
# window's end, a clip where the camera streams (0: none); deleted this long
# after the incident closed (at most 30 days, as Danish law on camera
# surveillance asks, unless kept for a police report).
DEFAULT_SNAPSHOT_INTERVAL: Final = 5
MIN_SNAPSHOT_INTERVAL: Final = 1
MAX_SNAPSHOT_INTERVAL: Final = 60
DEFAULT_SNAPSHOT_WINDOW: Final = 30
MIN_SNAPSHOT_WINDOW: Final = 0
MAX_SNAPSHOT_WINDOW: Final = 300
DEFAULT_CLIP_SECONDS: Final = 30
MIN_CLIP_SECONDS: Final = 0
MAX_CLIP_SECONDS: Final = 300
DEFAULT_EVIDENCE_RETENTION_DAYS: Final = 30
MIN_EVIDENCE_RETENTION_DAYS: Final = 1
MAX_EVIDENCE_RETENTION_DAYS: Final = 30
# The follow-up (R6): open items remind the leaders this many working days
# after the incident was resolved.
CONF_FOLLOWUP: Final = "followup"
CONF_WORKING_DAYS: Final = "working_days"
DEFAULT_FOLLOWUP_WORKING_DAYS: Final = 3
MIN_FOLLOWUP_WORKING_DAYS: Final = 1
MAX_FOLLOWUP_WORKING_DAYS: Final = 20
MIN_RETENTION_DAYS: Final = 30
MAX_RETENTION_DAYS: Final = 20 * 365
DEFAULT_LANGUAGE: Final = "da"
LANGUAGES: Final = ("da", "en")


class RoomKind(StrEnum):
    """What a room is used for."""

    CONTACT_ROOM = "contact_room"
    EMERGENCY_ROOM = "emergency_room"
    WAITING_AREA = "waiting_area"
    OTHER = "other"


class ButtonSource(StrEnum):
    """Where a panic button's reports come from on Home Assistant's bus."""

    ZHA = "zha"
    ZIGBEE2MQTT = "zigbee2mqtt"
    ZWAVE_JS = "zwave_js"
    EVENT = "event"
    BINARY_SENSOR = "binary_sensor"


DEVICE_SOURCES: Final = frozenset(
    {ButtonSource.ZHA, ButtonSource.ZIGBEE2MQTT, ButtonSource.ZWAVE_JS}
)
# The integration that owns a device of each device-based source.
SOURCE_INTEGRATION: Final = {
    ButtonSource.ZHA: "zha",
    ButtonSource.ZIGBEE2MQTT: "mqtt",
    ButtonSource.ZWAVE_JS: "zwave_js",
}
ENTITY_SOURCE_DOMAINS: Final = {
    ButtonSource.EVENT: "event",
    ButtonSource.BINARY_SENSOR: "binary_sensor",
}


class ButtonProfile(StrEnum):
    """How a button reports a hold (see docs in README)."""

    PRESS_RELEASE = "press_release"
    REPEATED_HELD = "repeated_held"
    SINGLE_SHOT = "single_shot"


class Role(StrEnum):
    """Responder roles from the action plan."""

    OFFICER = "officer"
    LEADER = "leader"
    CENTRE_CHIEF = "centre_chief"
    SAFETY_ORGANISATION = "safety_organisation"
    OUT_OF_HOURS = "out_of_hours"
    FACILITIES = "facilities"
    RISK_COORDINATOR = "risk_coordinator"
    SECURITY_COORDINATOR = "security_coordinator"
