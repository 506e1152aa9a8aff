"""Routing, escalation, phone payloads, phone actions and delivery failures.

The phones are the outside world: each companion-app notify service is a
recorder registered as `notify.mobile_app_<phone>` (what mobile_app registers
for a phone), so the tests see exactly what would be pushed.
"""

from __future__ import annotations

import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.tts import TextToSpeechEntity, TtsAudioType
from homeassistant.components.tts.media_source import parse_media_source_id
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import Platform
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    async_capture_events,
    mock_config_flow,
    mock_integration,
    mock_platform,
    setup_test_component_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.raadhus_alarm.const import DOMAIN, EVENT_OFF_DUTY

from .phones import Phones
from .test_alarm_bus import advance, zha
from .world import World, async_setup_town_hall, town_hall_options

RESPONDERS = [
    ("person.betjent_bo", ["officer"], "da"),
    ("person.betjent_birte", ["officer"], "en"),
    ("person.leder_lis", ["leader"], "da"),
    ("person.centerchef_carl", ["centre_chief"], "en"),
    ("person.amr_anne", ["safety_organisation"], "da"),
    ("person.vagt_villy", ["out_of_hours"], "da"),
]


def routed_options(world: World) -> dict[str, Any]:
    """The town hall with responders, contacts and a case worker in room k1."""
    options = town_hall_options(world)
    options["people"] = [
        {
            "id": p.split(".")[1],
            "person": p,
            "roles": roles,
            "devices": [],
            "language": lang,
        }
        for p, roles, lang in RESPONDERS
    ]
    options["contacts"] = {
        "crisis_in_hours_name": "Forsikringens krisehjælp",
        "crisis_in_hours_phone": "+45 00 00 00 01",
        "crisis_out_of_hours_name": "Døgnåben krisehjælp",
        "crisis_out_of_hours_phone": "+45 00 00 00 02",
        "cvr": "12345678",
    }
    return options


@pytest.fixture
async def entry(hass: HomeAssistant, world: World, phones: Phones) -> MockConfigEntry:
    """A loaded town hall with responders."""
    entry = await async_setup_town_hall(hass, routed_options(world))
    return entry


async def hold(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, world: World
) -> None:
    """Hold Kontaktrum 1's button for 2 s (the case worker's own alarm)."""
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    zha(hass, world.zha_buttons[0], "release")
    await hass.async_block_till_done()


def messages(phones: Phones, slug: str) -> list[str]:
    return [p["message"] for p in phones.received[slug]]


def titles(phones: Phones, slug: str) -> list[str]:
    return [p["title"] for p in phones.received[slug]]


async def act(hass: HomeAssistant, world: World, action: str, slug: str) -> None:
    """`slug`'s person does `action` on Kontaktrum 1 (as from their phone)."""
    await hass.services.async_call(
        DOMAIN,
        action,
        {"room": "Kontaktrum 1"},
        blocking=True,
        context=Context(user_id=world.users[slug]),
    )
    await hass.async_block_till_done()


def with_person(options: dict[str, Any], person: str, **changes: Any) -> dict[str, Any]:
    """The options with one responder changed (language, roles)."""
    for configured in options["people"]:
        if configured["person"] == person:
            configured.update(changes)
    return options


# -- routing over the real week ------------------------------------------------

ALWAYS_ALARMED = {"leder_lis"}
ALWAYS_INFORMED = {"amr_anne"}


@pytest.mark.parametrize(
    ("world_time", "on_duty", "police"),
    [
        ("2026-11-23 06:29:00+00:00", False, False),  # Mon 07:29
        ("2026-11-23 06:30:00+00:00", True, False),  # Mon 07:30
        ("2026-11-23 14:45:00+00:00", True, True),  # Mon 15:45, police slot
        ("2026-11-27 11:59:00+00:00", True, False),  # Fri 12:59
        ("2026-11-27 12:00:00+00:00", False, False),  # Fri 13:00
        ("2026-11-28 10:00:00+00:00", False, False),  # Saturday
    ],
)
async def test_routing_over_the_week(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    on_duty: bool,
    police: bool,
) -> None:
    await hold(hass, freezer, world)
    officers = {"betjent_bo", "betjent_birte"}
    expected = ALWAYS_ALARMED | (officers if on_duty else {"vagt_villy"})
    assert phones.alarmed() == expected
    assert phones.informed() == ALWAYS_INFORMED
    (alarm,) = phones.received["leder_lis"]
    absent = "Rådhusbetjentene er ikke i huset. Ring 112"
    assert (absent in alarm["message"]) is not on_duty
    assert ("Politiet er på rådhuset nu." in alarm["message"]) is police
    # The case worker pressed her own button: she is not told about it.
    assert "sagsbehandler_sara" not in phones.alarmed() | phones.informed()


async def test_case_worker_informed_when_someone_else_raises(
    hass: HomeAssistant, entry: MockConfigEntry, phones: Phones, world: World
) -> None:
    await hass.services.async_call(
        DOMAIN,
        "trigger",
        {"room": "Kontaktrum 1"},
        blocking=True,
        context=Context(user_id=world.users["betjent_bo"]),
    )
    await hass.async_block_till_done()
    (push,) = phones.received["sagsbehandler_sara"]
    assert "Alarmen for dit rum er udløst af en anden." in push["message"]
    assert "Betjent Bo" in push["message"]
    assert "actions" not in push["data"]


# -- escalation ------------------------------------------------------------------


async def test_escalation_widens_every_timeout_until_acknowledged(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hold(hass, freezer, world)  # alarm at t = 2 s
    assert "centerchef_carl" not in phones.alarmed()
    phones.clear()
    await advance(hass, freezer, 29.9)
    assert phones.alarmed() == set()
    await advance(hass, freezer, 0.1)  # 30 s after the alarm
    round_1 = phones.alarmed()
    assert round_1 == {
        "betjent_bo",
        "betjent_birte",
        "leder_lis",
        "centerchef_carl",
        "vagt_villy",
    }
    assert (
        "Ingen har kvitteret endnu (gentagelse 1)." in messages(phones, "leder_lis")[0]
    )
    assert (
        "Nobody has acknowledged yet (repeat 1)."
        in messages(phones, "centerchef_carl")[0]
    )
    phones.clear()
    await advance(hass, freezer, 30)  # 60 s
    assert phones.alarmed() == round_1
    assert "(gentagelse 2)" in messages(phones, "leder_lis")[0]
    phones.clear()
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"room": "Kontaktrum 1"},
        blocking=True,
        context=Context(user_id=world.users["betjent_bo"]),
    )
    await hass.async_block_till_done()
    await advance(hass, freezer, 120)
    assert phones.alarmed() == set()
    # Everyone who got the alarm sees who is on the way (replacing it by tag).
    assert messages(phones, "vagt_villy") == ["Kontaktrum 1: Betjent Bo er på vej."]
    assert messages(phones, "betjent_birte") == [
        "Kontaktrum 1: Betjent Bo is on the way."
    ]


async def test_acknowledged_at_20_s_never_escalates(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hold(hass, freezer, world)
    await advance(hass, freezer, 18)  # 20 s after the alarm
    await hass.services.async_call(
        DOMAIN, "acknowledge", {"room": "Kontaktrum 1"}, blocking=True
    )
    phones.clear()
    await advance(hass, freezer, 200)
    assert phones.alarmed() == set()
    assert "centerchef_carl" not in {s for s, p in phones.received.items() if p}


# -- informed, not summoned: on the alarm and on every update ----------------------

ALARM_TITLE = "ALARM: Kontaktrum 1"
INFORMED_DA = "Til orientering: alarm i Kontaktrum 1"
INFORMED_EN = "For your information: alarm in Kontaktrum 1"


async def test_informed_keep_their_title_on_every_update(
    hass: HomeAssistant, world: World, phones: Phones, freezer: FrozenDateTimeFactory
) -> None:
    options = with_person(routed_options(world), "person.amr_anne", language="en")
    await async_setup_town_hall(hass, options)
    # Betjent Bo raises Kontaktrum 1's alarm: its case worker is informed too.
    await act(hass, world, "trigger", "betjent_bo")
    await advance(hass, freezer, 30)  # not acknowledged: round 1, widened
    await act(hass, world, "acknowledge", "betjent_birte")
    await act(hass, world, "on_scene", "leder_lis")
    # Alarm, round 1, acknowledged, on scene: never "ALARM" to the informed.
    assert titles(phones, "amr_anne") == [INFORMED_EN] * 4
    assert titles(phones, "sagsbehandler_sara") == [INFORMED_DA] * 4
    assert messages(phones, "amr_anne")[2:] == [
        "Kontaktrum 1: Betjent Birte is on the way.",
        "Kontaktrum 1: Leder Lis is on scene.",
    ]
    assert messages(phones, "sagsbehandler_sara")[3] == (
        "Kontaktrum 1: Leder Lis er på stedet."
    )
    # The summoned keep theirs, the centre chief summoned in round 1 too.
    assert titles(phones, "leder_lis") == [ALARM_TITLE] * 4
    assert titles(phones, "centerchef_carl") == [ALARM_TITLE] * 3
    assert phones.informed() == {"amr_anne", "sagsbehandler_sara"}


# -- payloads ----------------------------------------------------------------------


def _normalised(push: dict[str, Any], incident_id: str, camera: str) -> Any:
    text = json.dumps(push, ensure_ascii=False).replace(incident_id, "<incident>")
    return json.loads(text.replace(camera, "<camera>"))


async def test_payload_snapshots(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    await hold(hass, freezer, world)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    camera = "camera.kontaktrum_1"
    assert hass.states.get(camera) is not None
    pushes = {
        "ios_da_officer": phones.received["betjent_bo"][0],
        "android_en_officer": phones.received["betjent_birte"][0],
        "ios_da_safety_organisation_info": phones.received["amr_anne"][0],
    }
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"room": "Kontaktrum 1"},
        blocking=True,
        context=Context(user_id=world.users["betjent_birte"]),
    )
    await hass.services.async_call(
        DOMAIN, "resolve", {"room": "Kontaktrum 1"}, blocking=True
    )
    await hass.async_block_till_done()
    pushes["android_en_acknowledged"] = phones.received["betjent_birte"][1]
    pushes["ios_da_cleared"] = phones.received["betjent_bo"][-1]
    pushes["ios_da_leader_followup"] = phones.received["leder_lis"][-1]
    assert {
        k: _normalised(v, incident.id, camera) for k, v in pushes.items()
    } == snapshot
    # The critical parts, spelled out.
    ios = pushes["ios_da_officer"]["data"]
    assert ios["push"]["sound"]["critical"] == 1
    assert ios["push"]["interruption-level"] == "critical"
    android = pushes["android_en_officer"]["data"]
    assert (android["ttl"], android["priority"], android["channel"]) == (
        0,
        "high",
        "alarm_stream",
    )
    assert [a["title"] for a in ios["actions"]] == [
        "Jeg kommer",
        "På stedet",
        "Afsluttet",
    ]
    assert [a["title"] for a in android["actions"]] == [
        "On my way",
        "On scene",
        "Resolved",
    ]
    assert ios["image"] == f"/api/camera_proxy/{camera}"
    assert pushes["ios_da_cleared"] == {
        "message": "clear_notification",
        "data": {"tag": f"raadhus_alarm_{incident.id}"},
    }
    followup = pushes["ios_da_leader_followup"]["message"]
    assert "Forsikringens krisehjælp +45 00 00 00 01" in followup  # Monday 11:00
    assert "CVR 12345678" in followup
    assert "aldrig medarbejderens CPR-nummer" in followup


async def test_leaders_checklist_names_whom_to_debrief(
    hass: HomeAssistant, world: World, phones: Phones
) -> None:
    # Centerchef Carl (English) is a leader too: two leaders get the checklist.
    options = with_person(
        routed_options(world),
        "person.centerchef_carl",
        roles=["centre_chief", "leader"],
    )
    await async_setup_town_hall(hass, options)
    await act(hass, world, "trigger", "betjent_bo")
    await act(hass, world, "acknowledge", "betjent_birte")
    await act(hass, world, "on_scene", "leder_lis")
    await act(hass, world, "resolve", "betjent_bo")
    lis = phones.received["leder_lis"][-1]
    carl = phones.received["centerchef_carl"][-1]
    assert lis["title"] == "Efter alarmen i Kontaktrum 1"
    assert carl["title"] == "After the alarm in Kontaktrum 1"
    # The case worker, the raiser, the responders; the reader not herself.
    assert lis["message"].split("\n") == [
        "• Debriefing med Sagsbehandler Sara, Betjent Bo og Betjent Birte.",
        "• Krisehjælp nu: Forsikringens krisehjælp +45 00 00 00 01",
        "• Pårørende kontaktes kun efter aftale med medarbejderen.",
        "• Politianmeldelse med kommunen som anmelder (CVR 12345678), "
        "aldrig medarbejderens CPR-nummer eller adresse.",
        "• Indberet til sikkerhedsorganisationen.",
    ]
    assert carl["message"].split("\n")[0] == (
        "• Debrief with Sagsbehandler Sara, Betjent Bo, Betjent Birte and Leder Lis."
    )
    # Nobody else gets a checklist.
    assert not any(
        "followup" in p["data"].get("tag", "")
        for slug, pushes in phones.received.items()
        if slug not in {"leder_lis", "centerchef_carl"}
        for p in pushes
    )


async def test_checklist_after_a_button_alarm_names_people_not_the_button(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hold(hass, freezer, world)
    await act(hass, world, "acknowledge", "betjent_birte")
    # Resolved by an automation (no user): nobody to name for that step.
    await hass.services.async_call(
        DOMAIN, "resolve", {"room": "Kontaktrum 1"}, blocking=True
    )
    await hass.async_block_till_done()
    (checklist,) = (
        p
        for p in phones.received["leder_lis"]
        if p["data"]["tag"].endswith("_followup")
    )
    assert checklist["message"].split("\n")[0] == (
        "• Debriefing med Sagsbehandler Sara og Betjent Birte."
    )
    assert "Knap" not in checklist["message"]


async def test_checklist_names_only_people_even_when_removed_since(
    hass: HomeAssistant, entry: MockConfigEntry, world: World, phones: Phones
) -> None:
    await act(hass, world, "trigger", "betjent_bo")
    await act(hass, world, "acknowledge", "betjent_birte")
    # Birte's person and the case worker's are deleted before it is resolved.
    hass.states.async_remove("person.betjent_birte")
    hass.states.async_remove("person.sagsbehandler_sara")
    await act(hass, world, "resolve", "betjent_bo")
    checklist = phones.received["leder_lis"][-1]["message"]
    # Birte by the name her step recorded; Sara not as "person.sagsbehandler_sara".
    assert checklist.split("\n")[0] == "• Debriefing med Betjent Bo og Betjent Birte."


# -- phone actions ----------------------------------------------------------------


async def test_phone_action_from_responder_and_from_stranger(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    await hold(hass, freezer, world)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    action = next(
        a["action"]
        for a in phones.received["betjent_bo"][0]["data"]["actions"]
        if a["title"] == "Jeg kommer"
    )
    # Sara is not a responder: her tap changes nothing.
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action},
        context=Context(user_id=world.users["sagsbehandler_sara"]),
    )
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action},
        context=Context(user_id=None),
    )
    await hass.async_block_till_done()
    assert incident.state == "triggered"
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action},
        context=Context(user_id=world.users["betjent_bo"]),
    )
    await hass.async_block_till_done()
    assert incident.state == "acknowledged"
    step = incident.last_step
    assert (step.actor_name, step.actor_user_id, step.source) == (
        "Betjent Bo",
        world.users["betjent_bo"],
        "mobile_app",
    )
    # A second officer taps "Jeg kommer" too: noted, not an error.
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": action},
        context=Context(user_id=world.users["betjent_birte"]),
    )
    await hass.async_block_till_done()
    assert incident.state == "acknowledged"
    assert any("Betjent Birte: ACK" in n for n in incident.notes)
    # Other apps' actions and unknown incidents are ignored.
    for other in ("SOME_OTHER_ACTION", "RAADHUS_ACK_nope"):
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": other},
            context=Context(user_id=world.users["betjent_bo"]),
        )
    await hass.async_block_till_done()
    on_scene = action.replace("RAADHUS_ACK_", "RAADHUS_ON_SCENE_")
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": on_scene},
        context=Context(user_id=world.users["leder_lis"]),
    )
    await hass.async_block_till_done()
    assert incident.state == "on_scene"
    assert incident.last_step.actor_name == "Leder Lis"


# -- failures ---------------------------------------------------------------------


async def test_failing_and_missing_phones_never_stop_the_alarm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    phones.broken.add("betjent_bo")
    phones.remove("leder_lis")
    await hold(hass, freezer, world)
    assert phones.alarmed() == {"betjent_birte"}
    assert phones.informed() == {"amr_anne"}
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert any("Betjent Bo failed" in n and "refused" in n for n in incident.notes)
    assert any(
        "Leder Lis failed" in n and "does not exist" in n for n in incident.notes
    )
    issue = issue_registry.async_get_issue(DOMAIN, "delivery_person_betjent_bo")
    assert issue is not None
    assert issue.translation_placeholders["person"] == "Betjent Bo"
    assert issue_registry.async_get_issue(DOMAIN, "delivery_person_leder_lis")
    # The administrators' repair issue only: no notification every user (and
    # the officers' wall screen) would see with the raw error; the panel
    # names whom it did not reach (test_websocket).
    shown = persistent_notification._async_get_or_create_notifications(hass)
    assert f"{DOMAIN}_delivery_person_betjent_bo" not in shown
    # The phone comes back: the retry (after 5 s) reaches it, the issue clears.
    phones.broken.clear()
    await advance(hass, freezer, 5)
    assert "betjent_bo" in phones.alarmed()
    assert issue_registry.async_get_issue(DOMAIN, "delivery_person_betjent_bo") is None


async def test_person_without_phone_is_recorded(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    issue_registry: ir.IssueRegistry,
) -> None:
    options = routed_options(world)
    options["people"].append(
        {
            "id": "x",
            "person": "person.uden_telefon",
            "roles": ["leader"],
            "devices": [],
            "language": "da",
        }
    )
    entry = await async_setup_town_hall(hass, options)
    await hold(hass, freezer, world)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert any(
        "Uden Telefon failed: no companion-app device" in n for n in incident.notes
    )
    assert "leder_lis" in phones.alarmed()
    assert issue_registry.async_get_issue(DOMAIN, "delivery_person_uden_telefon")


async def test_officers_room_siren_and_light(
    hass: HomeAssistant, world: World, phones: Phones, freezer: FrozenDateTimeFactory
) -> None:
    calls: list[tuple[str, dict[str, Any]]] = []

    async def _record(call: ServiceCall) -> None:
        calls.append((f"{call.domain}.{call.service}", dict(call.data)))

    hass.services.async_register("siren", "turn_on", _record)
    hass.services.async_register("light", "turn_on", _record)
    options = routed_options(world)
    options["officers_room"] = {
        "alert_entities": ["siren.betjentstue", "light.betjentstue", "media_player.tv"]
    }
    entry = await async_setup_town_hall(hass, options)
    await hold(hass, freezer, world)
    assert sorted(calls) == [
        ("light.turn_on", {"entity_id": "light.betjentstue", "flash": "long"}),
        ("siren.turn_on", {"entity_id": "siren.betjentstue"}),
    ]
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert any("media_player.tv: no text-to-speech" in n for n in incident.notes)


class Voice(TextToSpeechEntity):
    """A text-to-speech engine with voices in some languages (no audio made)."""

    _attr_name = "Stemme"

    def __init__(self, languages: list[str]) -> None:
        self._attr_supported_languages = languages
        self._attr_default_language = languages[0]

    def get_tts_audio(
        self, message: str, language: str, options: dict[str, Any]
    ) -> TtsAudioType:
        return "mp3", b""


async def add_voice(hass: HomeAssistant, languages: list[str]) -> str:
    """Set up Home Assistant's text-to-speech with one engine; its entity id."""

    async def _setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.TTS])
        return True

    mock_integration(hass, MockModule("test", async_setup_entry=_setup_entry))
    mock_platform(hass, "test.config_flow")  # an entry's integration has a flow
    setup_test_component_platform(
        hass, Platform.TTS, [Voice(languages)], from_config_entry=True
    )
    assert await async_setup_component(hass, "tts", {})
    voice_entry = MockConfigEntry(domain="test")
    voice_entry.add_to_hass(hass)
    with mock_config_flow("test", ConfigFlow):
        assert await hass.config_entries.async_setup(voice_entry.entry_id)
    await hass.async_block_till_done()
    (engine,) = hass.states.async_entity_ids("tts")
    return engine


@pytest.mark.parametrize(
    ("ha_language", "voices", "spoken", "voice"),
    [
        ("da", ["en-GB", "da-DK"], "Alarm i Kontaktrum 1", "da-DK"),
        ("en", ["da-DK", "en-GB"], "Alarm in Kontaktrum 1", "en-GB"),
        # No Danish voice: still spoken, in the engine's own language.
        ("da", ["en-US"], "Alarm i Kontaktrum 1", None),
    ],
)
async def test_officers_room_speaks_the_town_halls_language(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    ha_language: str,
    voices: list[str],
    spoken: str,
    voice: str | None,
) -> None:
    hass.config.language = ha_language
    engine = await add_voice(hass, voices)
    played: list[dict[str, Any]] = []

    async def _play(call: ServiceCall) -> None:
        played.append(dict(call.data))

    # The speaker in the officers' room (the outside world, as the phones).
    hass.services.async_register("media_player", "play_media", _play)
    options = routed_options(world)
    options["officers_room"] = {"alert_entities": ["media_player.betjentstue"]}
    entry = await async_setup_town_hall(hass, options)
    await hold(hass, freezer, world)
    (play,) = played
    assert play["entity_id"] == ["media_player.betjentstue"]
    speech = parse_media_source_id(play["media_content_id"])
    assert speech["message"] == spoken
    assert speech["options"]["engine"] == engine
    assert speech["options"]["language"] == voice
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert not any("betjentstue" in note for note in incident.notes)


# -- off-duty report (R10) -----------------------------------------------------------


async def test_report_off_duty_incident(
    hass: HomeAssistant, entry: MockConfigEntry, phones: Phones
) -> None:
    events = async_capture_events(hass, EVENT_OFF_DUTY)
    result = await hass.services.async_call(
        DOMAIN,
        "report_off_duty_incident",
        {"employee": "person.sagsbehandler_sara", "note": "Truet i supermarkedet"},
        blocking=True,
        return_response=True,
    )
    assert result == {"leaders_notified": 1}
    (push,) = phones.received["leder_lis"]
    assert push["title"] == "Trussel/vold uden for arbejdstid"
    assert "Sagsbehandler Sara" in push["message"]
    assert "arbejdsulykke" in push["message"]
    assert "Forsikringens krisehjælp" in push["message"]
    assert events[0].data["employee"] == "Sagsbehandler Sara"
    assert not phones.received["betjent_bo"]


async def test_payload_snapshots_other_languages(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """The same alarm for an English iPhone and a Danish Android phone."""
    options = routed_options(world)
    for person in options["people"]:
        if person["person"] == "person.betjent_bo":
            person["language"] = "en"
        if person["person"] == "person.betjent_birte":
            person["language"] = "da"
    entry = await async_setup_town_hall(hass, options)
    await hold(hass, freezer, world)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    camera = "camera.kontaktrum_1"
    pushes = {
        "ios_en_officer": phones.received["betjent_bo"][0],
        "android_da_officer": phones.received["betjent_birte"][0],
    }
    assert {k: _normalised(v, incident.id, camera) for k, v in pushes.items()} == (
        snapshot
    )
    assert pushes["ios_en_officer"]["data"]["push"]["interruption-level"] == "critical"
    assert pushes["android_da_officer"]["data"]["channel"] == "alarm_stream"
    assert [a["title"] for a in pushes["android_da_officer"]["data"]["actions"]] == [
        "Jeg kommer",
        "På stedet",
        "Afsluttet",
    ]


async def test_facilities_are_told_about_a_broken_button_once(
    hass: HomeAssistant, world: World, phones: Phones
) -> None:
    options = routed_options(world)
    options["people"].append(
        {
            "id": "sara",
            "person": "person.sagsbehandler_sara",
            "roles": ["facilities"],
            "devices": [],
            "language": "en",
        }
    )
    entry = await async_setup_town_hall(hass, options)
    hass.states.async_set("binary_sensor.sos_knap", "unavailable")
    await hass.async_block_till_done()
    entry.runtime_data.supervisor.async_check()
    await hass.async_block_till_done()
    (push,) = phones.received["sagsbehandler_sara"]
    assert push["title"] == "Panic button not working: Venteområde"
    assert push["message"] == (
        "The panic button Knap bs1 in Venteområde cannot be reached."
    )
    assert "push" not in push["data"]  # not a critical alert
    # A reload does not tell them again; the problem is already known.
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(phones.received["sagsbehandler_sara"]) == 1
