"""What the leaders are told when a follow-up is overdue (pure).

An ordinary notification in the person's language naming the room and the
items still open (R6); it opens the panel, where they are ticked off.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from .messages import PANEL_URL, language_of, tag

ITEMS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "debrief": "Defusing/debriefing holdt",
        "crisis_help_offered": "Krisehjælp tilbudt",
        "relatives_contacted": "Pårørende kontaktet (kun med samtykke)",
        "police_report": "Politianmeldelse (kommunen anmelder)",
        "safety_organisation_told": "Indberettet til sikkerhedsorganisationen",
        "work_accident_report": "Arbejdsskade anmeldt",
        "video_requested": "Video bestilt hos sikkerhedskoordinatoren",
    },
    "en": {
        "debrief": "Debrief held",
        "crisis_help_offered": "Crisis help offered",
        "relatives_contacted": "Relatives contacted (only with consent)",
        "police_report": "Police report (the municipality reports)",
        "safety_organisation_told": "Reported to the safety organisation",
        "work_accident_report": "Work accident reported",
        "video_requested": "Video requested from the security coordinator",
    },
}
TEXTS: Final[dict[str, dict[str, str]]] = {
    "da": {
        "title": "Opfølgning mangler: {room}",
        "intro": "Opfølgningen efter alarmen i {room} er ikke afsluttet. Mangler:",
    },
    "en": {
        "title": "Follow-up overdue: {room}",
        "intro": "The follow-up after the alarm in {room} is not finished. Open:",
    },
}


def followup_overdue_message(
    *,
    incident_id: str,
    room: str,
    items: Iterable[str],
    language: str,
    platform: str,
) -> dict[str, Any]:
    """The leaders' reminder of a follow-up still open."""
    lang = language_of(language)
    t, names = TEXTS[lang], ITEMS[lang]
    lines = [t["intro"].format(room=room), *(f"• {names[i]}" for i in items)]
    link = {"url": PANEL_URL} if platform == "ios" else {"clickAction": PANEL_URL}
    return {
        "title": t["title"].format(room=room),
        "message": "\n".join(lines),
        "data": {"tag": f"{tag(incident_id)}_followup", **link},
    }
