"""What the security coordinator is told after an alarm with cameras (pure).

An ordinary notification, in the person's language: which cameras and which
time window to secure in the cameras' own recorder (from a minute before the
alarm until it was resolved), so the recordings are there for a police
report. Names of rooms and cameras only, no one's name; times come already
written in local time.
"""

from __future__ import annotations

from typing import Any, Final

from .messages import PANEL_URL, language_of

TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "secure_title": "Sikr videooptagelser",
        "secure": (
            "Alarmen i {room} er afsluttet. Sikr optagelserne fra {cameras}"
            " fra {start} til {end}."
        ),
        "and": "og",
    },
    "en": {
        "secure_title": "Secure video recordings",
        "secure": (
            "The alarm in {room} is resolved. Secure the recordings of {cameras}"
            " from {start} to {end}."
        ),
        "and": "and",
    },
}


def _listed(names: list[str], word: str) -> str:
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def secure_message(
    *,
    incident_id: str,
    room: str,
    cameras: list[str],
    start: str,
    end: str,
    language: str,
    platform: str,
) -> dict[str, Any]:
    """The security coordinator's request to secure the cameras' recordings."""
    t = TEXTS[language_of(language)]
    link = {"url": PANEL_URL} if platform == "ios" else {"clickAction": PANEL_URL}
    return {
        "title": t["secure_title"],
        "message": t["secure"].format(
            room=room, cameras=_listed(cameras, t["and"]), start=start, end=end
        ),
        "data": {"tag": f"raadhus_evidence_{incident_id}", **link},
    }
