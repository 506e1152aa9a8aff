"""Companion-app notification payloads, in Danish and English (pure).

iOS: critical alerts (`push.sound.critical`, `interruption-level: critical`).
Android: `ttl: 0`, `priority: high`, the `alarm_stream` channel. Both: one
`tag` per incident so later messages replace the alarm, actions carrying the
incident id, the room's camera snapshot, and `clear_notification` at the end.

Who is summoned gets "ALARM: <room>"; who is only informed (the safety
organisation, the room's case worker) gets "Til orientering: ..." on the alarm
and on every update after it, so a lock screen never reads as a summons to
someone who is not expected to come. The leaders' checklists are one item a
line: the companion apps show line breaks, and a phone wraps long sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from .const import DEFAULT_LANGUAGE, LANGUAGES
from .permissions import Action
from .router import Delivery, Kind, Note

ACTION_PREFIX: Final = "RAADHUS_"
ACTIONS: Final = ("ACK", "ON_SCENE", "RESOLVE")
# What each phone action asks the core to do.
PHONE_ACTIONS: Final[Mapping[str, Action]] = {
    "ACK": Action.ACKNOWLEDGE,
    "ON_SCENE": Action.ON_SCENE,
    "RESOLVE": Action.RESOLVE,
}
PANEL_URL: Final = "/raadhus-alarm"

TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "alarm_title": "ALARM: {room}",
        "alarm_body": "Alarm i {room} kl. {time}. Udløst af {by}.",
        "info_title": "Til orientering: alarm i {room}",
        "info_body": (
            "Alarmen i {room} gik kl. {time} (udløst af {by}). Til orientering."
        ),
        "officers_absent": (
            "Rådhusbetjentene er ikke i huset. Ring 112, hvis der er brug for politi."
        ),
        "police_present": "Politiet er på rådhuset nu.",
        "meeting_monitored": "Varslet samtale; betjentene er bedt om at overvåge den.",
        "meeting_announced": "Varslet samtale.",
        "escalated": "Ingen har kvitteret endnu (gentagelse {tier}).",
        "raised_by_other": "Alarmen for dit rum er udløst af en anden.",
        "unknown": "ukendt",
        "ACK": "Jeg kommer",
        "ON_SCENE": "På stedet",
        "RESOLVE": "Afsluttet",
        "acknowledged": "{room}: {actor} er på vej.",
        "on_scene": "{room}: {actor} er på stedet.",
        "followup_title": "Efter alarmen i {room}",
        "debrief_with": "Debriefing med {names}.",
        "debrief_roles": "Debriefing med sagsbehandler(e) og rådhusbetjent(e).",
        "and": "og",
        "crisis_now": "Krisehjælp nu: {crisis}",
        "relatives": "Pårørende kontaktes kun efter aftale med medarbejderen.",
        "police_report": (
            "Politianmeldelse med kommunen som anmelder (CVR {cvr}), "
            "aldrig medarbejderens CPR-nummer eller adresse."
        ),
        "report_safety": "Indberet til sikkerhedsorganisationen.",
        "button_title": "Alarmtryk virker ikke: {room}",
        "button_missing": "Alarmtrykket {button} i {room} findes ikke længere.",
        "button_unavailable": "Alarmtrykket {button} i {room} kan ikke nås.",
        "button_low_battery": "Alarmtrykket {button} i {room} har lavt batteri.",
        "button_not_seen": "Alarmtrykket {button} i {room} har ikke meldt sig.",
        "off_duty_title": "Trussel/vold uden for arbejdstid",
        "off_duty_reported": (
            "{employee} har meldt en hændelse uden for arbejdstiden."
        ),
        "work_accident": "Anmeld den som arbejdsulykke.",
        "own_police_report": (
            "Medarbejderen anmelder selv til politiet; drøft anmeldelsen."
        ),
        "spoken_alarm": "Alarm i {room}",
    },
    "en": {
        "alarm_title": "ALARM: {room}",
        "alarm_body": "Alarm in {room} at {time}. Raised by {by}.",
        "info_title": "For your information: alarm in {room}",
        "info_body": (
            "The alarm in {room} went off at {time} (raised by {by}). "
            "For your information."
        ),
        "officers_absent": (
            "The town hall officers are not in the building. "
            "Call the police (112) if needed."
        ),
        "police_present": "The police are at the town hall now.",
        "meeting_monitored": "Announced meeting; the officers are asked to monitor it.",
        "meeting_announced": "Announced meeting.",
        "escalated": "Nobody has acknowledged yet (repeat {tier}).",
        "raised_by_other": "Someone else raised the alarm for your room.",
        "unknown": "unknown",
        "ACK": "On my way",
        "ON_SCENE": "On scene",
        "RESOLVE": "Resolved",
        "acknowledged": "{room}: {actor} is on the way.",
        "on_scene": "{room}: {actor} is on scene.",
        "followup_title": "After the alarm in {room}",
        "debrief_with": "Debrief with {names}.",
        "debrief_roles": "Debrief with the case worker(s) and officer(s).",
        "and": "and",
        "crisis_now": "Crisis help now: {crisis}",
        "relatives": "Contact relatives only with the employee's consent.",
        "police_report": (
            "Police report with the municipality as the reporting party "
            "(CVR {cvr}), never the employee's CPR number or address."
        ),
        "report_safety": "Report to the safety organisation.",
        "button_title": "Panic button not working: {room}",
        "button_missing": "The panic button {button} in {room} no longer exists.",
        "button_unavailable": "The panic button {button} in {room} cannot be reached.",
        "button_low_battery": "The panic button {button} in {room} has a low battery.",
        "button_not_seen": "The panic button {button} in {room} has gone silent.",
        "off_duty_title": "Threat/violence outside working hours",
        "off_duty_reported": (
            "{employee} has reported an incident outside working hours."
        ),
        "work_accident": "Report it as a work accident.",
        "own_police_report": (
            "The employee reports to the police themselves; discuss the report."
        ),
        "spoken_alarm": "Alarm in {room}",
    },
}


@dataclass(frozen=True, slots=True)
class AlarmView:
    """What a message says about an incident."""

    incident_id: str
    room: str
    time: str  # local wall-clock time, e.g. "10:02"
    raised_by: str | None
    image: str | None = None  # camera proxy URL the app can load
    camera_entity: str | None = None
    # An announced meeting runs in the room: "monitored" (officers asked to
    # monitor it) or "announced"; None when there is none.
    meeting: str | None = None


def language_of(code: str | None) -> str:
    """One of LANGUAGES for a language code ("en-GB" is "en").

    Home Assistant's own language may carry a region, or be one the messages
    are not written in: those read Danish, the town hall's default.
    """
    base = (code or "").replace("_", "-").split("-", maxsplit=1)[0].lower()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


def _t(language: str) -> dict[str, str]:
    return TEXTS[language_of(language)]


def tag(incident_id: str) -> str:
    """The notification tag of an incident (updates replace, clear removes)."""
    return f"raadhus_alarm_{incident_id}"


def action_id(action: str, incident_id: str) -> str:
    """Action identifier carrying the incident id (two incidents never mix)."""
    return f"{ACTION_PREFIX}{action}_{incident_id}"


def parse_action(action: object) -> tuple[str, str] | None:
    """(action, incident id) from an action identifier, or None if not ours."""
    if not isinstance(action, str) or not action.startswith(ACTION_PREFIX):
        return None
    rest = action.removeprefix(ACTION_PREFIX)
    for name in sorted(ACTIONS, key=len, reverse=True):
        if rest.startswith(f"{name}_") and len(rest) > len(name) + 1:
            return name, rest[len(name) + 1 :]
    return None


def _platform_data(platform: str, critical: bool) -> dict[str, Any]:
    if platform == "ios":
        if not critical:
            return {}
        return {
            "push": {
                "sound": {"name": "default", "critical": 1, "volume": 1.0},
                "interruption-level": "critical",
            }
        }
    if critical:
        return {"ttl": 0, "priority": "high", "channel": "alarm_stream"}
    return {"ttl": 0, "priority": "high"}


def _link(platform: str) -> dict[str, str]:
    return {"url": PANEL_URL} if platform == "ios" else {"clickAction": PANEL_URL}


def _action(
    name: str, incident_id: str, t: dict[str, str], platform: str
) -> dict[str, Any]:
    action: dict[str, Any] = {"action": action_id(name, incident_id), "title": t[name]}
    if name == "RESOLVE" and platform == "ios":
        # Closing an alarm clears it on every phone: not from a locked phone
        # in a pocket. "Jeg kommer" stays one tap.
        action["authenticationRequired"] = True
        action["destructive"] = True
    return action


def alarm_message(
    view: AlarmView, delivery: Delivery, platform: str, tier: int = 0
) -> dict[str, Any]:
    """Notify service data for one delivery to one device."""
    t = _t(delivery.person.language)
    fields = {
        "room": view.room,
        "time": view.time,
        "by": view.raised_by or t["unknown"],
        "tier": str(tier),
    }
    critical = delivery.kind is Kind.ALARM
    prefix = "alarm" if critical else "info"
    lines = [t[f"{prefix}_body"].format(**fields)]
    for note in (
        Note.OFFICERS_ABSENT,
        Note.POLICE_PRESENT,
        Note.ESCALATED,
        Note.RAISED_BY_OTHER,
    ):
        if note in delivery.notes:
            lines.append(t[note.value].format(**fields))
    if view.meeting:
        lines.append(t[f"meeting_{view.meeting}"])
    data: dict[str, Any] = {
        "tag": tag(view.incident_id),
        **_platform_data(platform, critical),
        **_link(platform),
    }
    if critical:
        data["actions"] = [_action(a, view.incident_id, t, platform) for a in ACTIONS]
    if view.image:
        data["image"] = view.image
    if view.camera_entity and platform == "ios":
        data["entity_id"] = view.camera_entity
    return {
        "title": t[f"{prefix}_title"].format(**fields),
        "message": "\n".join(lines),
        "data": data,
    }


def progress_message(
    *,
    incident_id: str,
    room: str,
    state: str,
    actor: str | None,
    language: str,
    platform: str,
    kind: Kind,
) -> dict[str, Any]:
    """Replace the alarm with who acknowledged / is on scene (not critical).

    `kind` is how the person was reached: the informed keep their title.
    """
    t = _t(language)
    text = t[state].format(room=room, actor=actor or t["unknown"])
    prefix = "alarm" if kind is Kind.ALARM else "info"
    return {
        "title": t[f"{prefix}_title"].format(room=room),
        "message": text,
        "data": {"tag": tag(incident_id), **_platform_data(platform, False)},
    }


def clear_message(incident_id: str) -> dict[str, Any]:
    """Remove the incident's notification from the phone."""
    return {"message": "clear_notification", "data": {"tag": tag(incident_id)}}


def spoken_alarm(room: str, language: str) -> str:
    """What the officers' room's speaker says (in the town hall's language)."""
    return _t(language)["spoken_alarm"].format(room=room)


def _crisis(t: dict[str, str], contact: tuple[str, str]) -> str:
    name, phone = contact
    return " ".join(part for part in (name, phone) if part) or t["unknown"]


def _names(t: dict[str, str], names: Iterable[str]) -> str:
    """'A, B og C': each name once, in the order given."""
    unique = list(dict.fromkeys(n for n in names if n))
    if len(unique) < 2:
        return "".join(unique)
    return f"{', '.join(unique[:-1])} {t['and']} {unique[-1]}"


def _checklist(lines: Iterable[str]) -> str:
    # One item a line, bulleted: a long item wraps on a phone, and the bullet
    # shows where the next one starts.
    return "\n".join(f"• {line}" for line in lines)


def followup_message(
    *,
    incident_id: str,
    room: str,
    language: str,
    contact: tuple[str, str],
    cvr: str,
    platform: str,
    debrief: Iterable[str] = (),
) -> dict[str, Any]:
    """The leader's checklist after an incident (R6).

    `debrief`: the display names of the people to debrief (the room's case
    worker, whoever raised the alarm, the responders); without any, the
    roles are named instead.
    """
    t = _t(language)
    names = _names(t, debrief)
    lines = [
        t["debrief_with"].format(names=names) if names else t["debrief_roles"],
        t["crisis_now"].format(crisis=_crisis(t, contact)),
        t["relatives"],
        t["police_report"].format(cvr=cvr or t["unknown"]),
        t["report_safety"],
    ]
    return {
        "title": t["followup_title"].format(room=room),
        "message": _checklist(lines),
        "data": {
            "tag": f"{tag(incident_id)}_followup",
            **_platform_data(platform, False),
        },
    }


def off_duty_message(
    employee: str, language: str, contact: tuple[str, str], platform: str
) -> dict[str, Any]:
    """The leader's checklist for a threat outside working hours (R10)."""
    t = _t(language)
    lines = [
        t["off_duty_reported"].format(employee=employee),
        t["work_accident"],
        t["own_police_report"],
        t["crisis_now"].format(crisis=_crisis(t, contact)),
        t["relatives"],
        t["report_safety"],
    ]
    return {
        "title": t["off_duty_title"],
        "message": _checklist(lines),
        "data": _platform_data(platform, False),
    }


def button_problem_message(
    *, button: str, room: str, problem: str, language: str, platform: str
) -> dict[str, Any]:
    """Tell facilities staff that a panic button needs attention (R11)."""
    t = _t(language)
    return {
        "title": t["button_title"].format(room=room),
        "message": t[f"button_{problem}"].format(button=button, room=room),
        "data": {
            "tag": f"raadhus_alarm_button_{button}",
            **_platform_data(platform, False),
        },
    }
