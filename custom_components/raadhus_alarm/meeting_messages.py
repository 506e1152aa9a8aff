"""What phones are told about announced meetings and threatening arrivals (pure).

Ordinary notifications (not critical: nobody is in danger yet), in the
person's language, Danish or English. Times are given already written in the
town hall's local time by the caller.
"""

from __future__ import annotations

from typing import Any, Final

from .messages import PANEL_URL, language_of

TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "meeting_title": "Svær samtale: {room}",
        "day_before": "I morgen {when}: svær samtale i {room}.",
        "day_before_later": "{when}: svær samtale i {room}.",
        "soon": "Om lidt, kl. {time}: svær samtale i {room}.",
        "monitored": "I er bedt om at overvåge samtalen (sidde med eller være tæt på).",
        "nearby": "Hold jer i nærheden af kontaktrummene.",
        "announced_by": "Varslet af {name}.",
        "arrival_title": "Truende borger på vej",
        "arrival_leader": (
            "En borger, der har optrådt truende, har meldt sin ankomst uden aftale"
            "{expected}. Det er dit ansvar at fortælle borgeren, at der ikke holdes"
            " nogen samtale; rådhusbetjentene er varslet og hjælper."
        ),
        "arrival_officers": (
            "En borger, der har optrådt truende, har meldt sin ankomst uden aftale"
            "{expected}. {leader} taler med borgeren; vær klar til at hjælpe."
        ),
        "expected": " (forventet kl. {time})",
        "note": "Note: {note}",
    },
    "en": {
        "meeting_title": "Difficult meeting: {room}",
        "day_before": "Tomorrow {when}: difficult meeting in {room}.",
        "day_before_later": "{when}: difficult meeting in {room}.",
        "soon": "Shortly, at {time}: difficult meeting in {room}.",
        "monitored": "You are asked to monitor it (sit in or stay close by).",
        "nearby": "Please stay near the contact rooms.",
        "announced_by": "Announced by {name}.",
        "arrival_title": "Threatening citizen on the way",
        "arrival_leader": (
            "A citizen who has been threatening has announced his arrival without"
            " an appointment{expected}. It is your responsibility to tell the"
            " citizen that no meeting will be held; the officers are forewarned"
            " and will assist."
        ),
        "arrival_officers": (
            "A citizen who has been threatening has announced his arrival without"
            " an appointment{expected}. {leader} will talk to the citizen; be"
            " ready to assist."
        ),
        "expected": " (expected at {time})",
        "note": "Note: {note}",
    },
}


def _t(language: str) -> dict[str, str]:
    return TEXTS[language_of(language)]


def _data(platform: str, tag: str) -> dict[str, Any]:
    link = {"url": PANEL_URL} if platform == "ios" else {"clickAction": PANEL_URL}
    return {"tag": tag, **link}


def forewarning_message(
    *,
    meeting_id: str,
    kind: str,
    room: str,
    when: str,
    time: str,
    tomorrow: bool,
    monitored: bool,
    announced_by: str,
    language: str,
    platform: str,
) -> dict[str, Any]:
    """The officers' forewarning: the day before ("day_before") or just before."""
    t = _t(language)
    if kind == "soon":
        first = t["soon"].format(time=time, room=room)
    else:
        first = t["day_before" if tomorrow else "day_before_later"].format(
            when=when, room=room
        )
    lines = [
        first,
        t["monitored" if monitored else "nearby"],
        t["announced_by"].format(name=announced_by),
    ]
    return {
        "title": t["meeting_title"].format(room=room),
        "message": "\n".join(lines),
        "data": _data(platform, f"raadhus_meeting_{meeting_id}"),
    }


def arrival_message(
    *,
    for_leader: bool,
    leader: str,
    expected: str | None,
    note: str | None,
    language: str,
    platform: str,
) -> dict[str, Any]:
    """A threatening arrival: the leader's responsibility, the officers forewarned."""
    t = _t(language)
    when = t["expected"].format(time=expected) if expected else ""
    text = t["arrival_leader" if for_leader else "arrival_officers"].format(
        expected=when, leader=leader
    )
    lines = [text] + ([t["note"].format(note=note)] if note else [])
    return {
        "title": t["arrival_title"],
        "message": "\n".join(lines),
        "data": _data(platform, "raadhus_arrival"),
    }
