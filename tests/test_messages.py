"""The phone messages and who counts as summoned (pure: no Home Assistant).

The glue (which phones get them, after which step) is in test_routing.
"""

from __future__ import annotations

from string import Formatter

import pytest

from custom_components.raadhus_alarm.const import Role, RoomKind
from custom_components.raadhus_alarm.messages import (
    TEXTS,
    AlarmView,
    alarm_message,
    followup_message,
    language_of,
    off_duty_message,
    progress_message,
    spoken_alarm,
)
from custom_components.raadhus_alarm.model import Person, Room, TownHall
from custom_components.raadhus_alarm.router import Delivery, Kind, Note, summoned

ROOM = Room(id="k1", name="Kontaktrum 1", kind=RoomKind.CONTACT_ROOM)
VIEW = AlarmView(
    incident_id="abc", room="Kontaktrum 1", time="11:00", raised_by="Knap zha1"
)
CONTACT = ("Forsikringens krisehjælp", "+45 00 00 00 01")


def _person(slug: str, *roles: Role, language: str = "da") -> Person:
    return Person(
        id=slug, person=f"person.{slug}", roles=frozenset(roles), language=language
    )


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


# -- every text in both languages ------------------------------------------------


def test_every_text_is_in_danish_and_english_with_the_same_placeholders() -> None:
    assert set(TEXTS) == {"da", "en"}
    assert TEXTS["da"].keys() == TEXTS["en"].keys()
    for key, danish in TEXTS["da"].items():
        assert _fields(danish) == _fields(TEXTS["en"][key]), key


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("da", "da"),
        ("en", "en"),
        ("en-GB", "en"),
        ("en_US", "en"),
        ("DA-dk", "da"),
        ("de", "da"),  # not written in German: the town hall's default
        ("", "da"),
        (None, "da"),
    ],
)
def test_language_of(code: str | None, language: str) -> None:
    assert language_of(code) == language


def test_spoken_alarm_in_the_town_halls_language() -> None:
    assert spoken_alarm("Kontaktrum 1", "da") == "Alarm i Kontaktrum 1"
    assert spoken_alarm("Kontaktrum 1", "en-GB") == "Alarm in Kontaktrum 1"


# -- summoned or informed: the title says which -----------------------------------


@pytest.mark.parametrize(
    ("language", "alarm_title", "info_title"),
    [
        ("da", "ALARM: Kontaktrum 1", "Til orientering: alarm i Kontaktrum 1"),
        ("en", "ALARM: Kontaktrum 1", "For your information: alarm in Kontaktrum 1"),
    ],
)
def test_informed_keep_their_title_from_alarm_to_update(
    language: str, alarm_title: str, info_title: str
) -> None:
    person = _person("anne", Role.SAFETY_ORGANISATION, language=language)
    informed = Delivery(person, Kind.INFO, frozenset({Note.INFORMED}))
    summoned_ = Delivery(person, Kind.ALARM, frozenset())
    assert alarm_message(VIEW, informed, "ios")["title"] == info_title
    assert alarm_message(VIEW, summoned_, "ios")["title"] == alarm_title
    for state in ("acknowledged", "on_scene"):
        update = {
            "incident_id": "abc",
            "room": "Kontaktrum 1",
            "state": state,
            "actor": "Betjent Bo",
            "language": language,
            "platform": "android",
        }
        assert progress_message(**update, kind=Kind.INFO)["title"] == info_title
        assert progress_message(**update, kind=Kind.ALARM)["title"] == alarm_title
    # An escalation round to the informed is still not a summons.
    again = alarm_message(VIEW, informed, "ios", tier=2)
    assert again["title"] == info_title
    assert "actions" not in again["data"]


def test_progress_says_who_is_coming_in_the_persons_language() -> None:
    common = {"incident_id": "abc", "room": "Kontaktrum 1", "platform": "ios"}
    danish = progress_message(
        **common, state="on_scene", actor="Betjent Bo", language="da", kind=Kind.INFO
    )
    english = progress_message(
        **common, state="acknowledged", actor=None, language="en", kind=Kind.ALARM
    )
    assert danish["message"] == "Kontaktrum 1: Betjent Bo er på stedet."
    assert english["message"] == "Kontaktrum 1: unknown is on the way."
    assert danish["data"]["tag"] == "raadhus_alarm_abc"  # replaces the alarm


# -- the leaders' checklist ------------------------------------------------------------


def test_checklist_is_one_item_a_line_naming_whom_to_debrief() -> None:
    message = followup_message(
        incident_id="abc",
        room="Kontaktrum 1",
        language="da",
        contact=CONTACT,
        cvr="12345678",
        platform="ios",
        debrief=["Sagsbehandler Sara", "Betjent Bo", "Sagsbehandler Sara", "Bo 2"],
    )
    assert message["title"] == "Efter alarmen i Kontaktrum 1"
    assert message["message"].split("\n") == [
        "• Debriefing med Sagsbehandler Sara, Betjent Bo og Bo 2.",
        "• Krisehjælp nu: Forsikringens krisehjælp +45 00 00 00 01",
        "• Pårørende kontaktes kun efter aftale med medarbejderen.",
        "• Politianmeldelse med kommunen som anmelder (CVR 12345678), "
        "aldrig medarbejderens CPR-nummer eller adresse.",
        "• Indberet til sikkerhedsorganisationen.",
    ]
    assert message["data"]["tag"] == "raadhus_alarm_abc_followup"


@pytest.mark.parametrize(
    ("names", "line"),
    [
        (["Sagsbehandler Sara"], "• Debrief with Sagsbehandler Sara."),
        (["Sara", "Bo"], "• Debrief with Sara and Bo."),
        (["Sara", "Bo", "Birte"], "• Debrief with Sara, Bo and Birte."),
        ([], "• Debrief with the case worker(s) and officer(s)."),
    ],
)
def test_checklist_debrief_line_in_english(names: list[str], line: str) -> None:
    message = followup_message(
        incident_id="abc",
        room="Kontaktrum 1",
        language="en",
        contact=("", ""),
        cvr="",
        platform="android",
        debrief=names,
    )
    lines = message["message"].split("\n")
    assert lines[0] == line
    assert lines[1] == "• Crisis help now: unknown"
    assert "(CVR unknown)" in lines[3]
    assert len(lines) == 5


def test_off_duty_checklist_is_one_item_a_line() -> None:
    message = off_duty_message("Sagsbehandler Sara", "en", CONTACT, "ios")
    assert message["title"] == "Threat/violence outside working hours"
    assert message["message"].split("\n") == [
        "• Sagsbehandler Sara has reported an incident outside working hours.",
        "• Report it as a work accident.",
        "• The employee reports to the police themselves; discuss the report.",
        "• Crisis help now: Forsikringens krisehjælp +45 00 00 00 01",
        "• Contact relatives only with the employee's consent.",
        "• Report to the safety organisation.",
    ]


# -- who was summoned (router) ------------------------------------------------------


def test_summoned_in_any_round_the_rest_only_informed() -> None:
    officer = _person("bo", Role.OFFICER)
    on_call = _person("villy", Role.OUT_OF_HOURS)
    leader = _person("lis", Role.LEADER)
    chief = _person("carl", Role.CENTRE_CHIEF)
    safety = _person("anne", Role.SAFETY_ORGANISATION)
    # A safety representative who is also a leader is summoned as a leader.
    both = _person("lene", Role.SAFETY_ORGANISATION, Role.LEADER)
    config = TownHall(
        rooms=(ROOM,), people=(officer, on_call, leader, chief, safety, both)
    )
    room = Room(
        id="k1",
        name="Kontaktrum 1",
        kind=RoomKind.CONTACT_ROOM,
        case_worker="person.sara",
    )
    first = summoned(config, room, [0, 0])
    # Round 0: the officers or the out-of-hours chain (whichever the schedule
    # was), and the leaders; never the safety organisation or the case worker.
    assert first == {"person.bo", "person.villy", "person.lis", "person.lene"}
    # An escalation round adds the centre chief; round 7 is like round 1.
    assert summoned(config, room, [0, 7]) == first | {"person.carl"}
    assert summoned(config, room, []) == frozenset()
