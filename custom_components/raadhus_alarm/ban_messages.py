"""What phones are told about attendance bans and the yearly drill (pure).

Ordinary notifications, in the person's language. A new ban tells the
safety organisation and the leaders only that there is one, where and until
when: no citizen data, not even the case reference (those phones are many).
The reminder goes to the issuing leader alone, who must find the case, so
it names the case reference. Dates come already written in local time.
"""

from __future__ import annotations

from typing import Any, Final

from .messages import PANEL_URL, language_of

TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "new_title": "Nyt fremmødeforbud",
        "new": "Nyt fremmødeforbud: {centre}, til og med {until}.",
        "expiring_title": "Fremmødeforbud udløber snart",
        "expiring": (
            "Fremmødeforbuddet i sag {case} ({centre}) udløber {until}. Forsøg at"
            " normalisere kontakten, før forbuddet udløber."
        ),
        "drill_title": "Overfaldsøvelse",
        "drill_soon": (
            "Den årlige uvarslede overfaldsøvelse skal holdes senest {due}."
            " Marker øvelsens alarm som øvelse i panelet."
        ),
    },
    "en": {
        "new_title": "New attendance ban",
        "new": "New attendance ban: {centre}, until {until}.",
        "expiring_title": "Attendance ban ending soon",
        "expiring": (
            "The attendance ban in case {case} ({centre}) ends {until}. Try to"
            " normalise contact before the ban ends."
        ),
        "drill_title": "Assault drill",
        "drill_soon": (
            "The yearly unannounced assault drill is due by {due}. Mark the"
            " drill's alarm as a drill in the panel."
        ),
    },
}


def _message(
    language: str, platform: str, tag: str, title: str, text: str, **values: str
) -> dict[str, Any]:
    t = TEXTS[language_of(language)]
    link = {"url": PANEL_URL} if platform == "ios" else {"clickAction": PANEL_URL}
    return {
        "title": t[title],
        "message": t[text].format(**values),
        "data": {"tag": tag, **link},
    }


def new_ban_message(
    *, ban_id: str, centre: str, until: str, language: str, platform: str
) -> dict[str, Any]:
    """A new ban, to the safety organisation and the leaders (no citizen data)."""
    return _message(
        language,
        platform,
        f"raadhus_ban_{ban_id}",
        "new_title",
        "new",
        centre=centre,
        until=until,
    )


def expiring_message(
    *, ban_id: str, case: str, centre: str, until: str, language: str, platform: str
) -> dict[str, Any]:
    """The issuing leader's reminder before the end."""
    return _message(
        language,
        platform,
        f"raadhus_ban_{ban_id}",
        "expiring_title",
        "expiring",
        case=case,
        centre=centre,
        until=until,
    )


def drill_message(*, due: str, language: str, platform: str) -> dict[str, Any]:
    """The risk coordinator's reminder a month before the drill is due."""
    return _message(
        language, platform, "raadhus_drill", "drill_title", "drill_soon", due=due
    )
