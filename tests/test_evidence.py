"""Video evidence (R6): pictures and clips of an alarm, secured, kept, deleted.

Real Home Assistant, real config entries, a real incident log and a frozen
clock in Copenhagen (Monday 23 November 2026, 11:00). The cameras are real
camera entities of a small test integration, set up through its config
entry and Home Assistant's camera component; pictures come through the
camera component, clips through the real `camera.record` action. Only the
stream behind a recording camera is the test's own (no video decoder is
installed here): it writes the clip where `camera.record` tells it to, after
the same path check Home Assistant's stream makes. The phones are recorded.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
import json
import logging
from pathlib import Path
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant import loader
from homeassistant.components.camera import Camera, CameraEntityFeature
from homeassistant.components.camera.const import DATA_CAMERA_PREFS
from homeassistant.config_entries import ConfigEntry, ConfigFlow
from homeassistant.const import EVENT_CALL_SERVICE, Platform
from homeassistant.core import Context, Event, HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util, slugify
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    async_capture_events,
    async_test_home_assistant,
    mock_config_flow,
    mock_integration,
    mock_platform,
    setup_test_component_platform,
)

from custom_components.raadhus_alarm import evidence_plan as plan
from custom_components.raadhus_alarm.const import DOMAIN, EVENT_EVIDENCE
from custom_components.raadhus_alarm.evidence_messages import secure_message
from custom_components.raadhus_alarm.evidence_view import evidence_row

from .bus import advance
from .phones import Phones
from .test_config_flow import _options, _save, _submit
from .test_routing import routed_options
from .world import (
    START,
    World,
    async_access_token,
    async_build_world,
    async_setup_town_hall,
    async_teardown_world,
)

T0 = dt_util.parse_datetime(START)
assert T0 is not None
PICTURE = b"\xff\xd8\xff\xe0 a picture \xff\xd9"
CLIP = b"\x00\x00\x00\x18ftypmp42 a clip"


class Recording:
    """The stream of a camera that records: writes the clip (no decoder here)."""

    def __init__(self, camera: Kamera) -> None:
        self.camera = camera

    async def async_record(
        self, video_path: str, duration: int = 30, lookback: int = 5
    ) -> None:
        hass = self.camera.hass
        # What Home Assistant's stream checks before it records.
        if not await hass.async_add_executor_job(
            hass.config.is_allowed_path, video_path
        ):
            raise HomeAssistantError(f"Can't write {video_path}, no access to path!")
        self.camera.recordings.append((video_path, duration, lookback))
        if not self.camera.lost:
            await hass.async_add_executor_job(Path(video_path).write_bytes, CLIP)


class Kamera(Camera):
    """A room camera: answers with a picture, fails, or hangs until let go."""

    def __init__(self, name: str, *, stream: bool = False, records: bool = False):
        super().__init__()
        self._attr_name = name
        self._attr_unique_id = slugify(name)
        if stream:
            self._attr_supported_features = CameraEntityFeature.STREAM
        self.records = records
        self.asked: list[datetime] = []
        self.answered = 0
        self.broken = False
        self.hold: asyncio.Event | None = None
        self.recordings: list[tuple[str, int, int]] = []
        self.lost = False  # the stream drops the recording before it is written

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        self.asked.append(dt_util.utcnow())
        if self.broken:
            raise OSError("the camera does not answer")
        if self.hold is not None:
            await self.hold.wait()
        self.answered += 1
        return PICTURE

    async def stream_source(self) -> str | None:
        return "rtsp://kamera.invalid/live"

    async def async_create_stream(self) -> Any:
        if self.records:
            return Recording(self)
        return await super().async_create_stream()  # no stream integration here


async def add_cameras(hass: HomeAssistant, cameras: list[Kamera]) -> None:
    """Set up Home Assistant's camera component with these cameras (one entry)."""

    async def _setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, [Platform.CAMERA])
        return True

    mock_integration(hass, MockModule("test", async_setup_entry=_setup_entry))
    mock_platform(hass, "test.config_flow")
    setup_test_component_platform(
        hass, Platform.CAMERA, cameras, from_config_entry=True
    )
    assert await async_setup_component(hass, "camera", {})
    camera_entry = MockConfigEntry(domain="test")
    camera_entry.add_to_hass(hass)
    with mock_config_flow("test", ConfigFlow):
        assert await hass.config_entries.async_setup(camera_entry.entry_id)
    await hass.async_block_till_done()


def new_cameras() -> dict[str, Kamera]:
    return {
        "a": Kamera("Kamera A"),
        "b": Kamera("Kamera B", stream=True, records=True),
        "c": Kamera("Kamera C"),
        "d": Kamera("Kamera D", stream=True),
    }


def _options_with_cameras(world: World, **evidence: int) -> dict[str, Any]:
    """Kontaktrum 1 filmed by A and B (B streams), Kontaktrum 2 by C and D.

    Vagt Villy (out of hours, a phone) is also the security coordinator.
    """
    options = routed_options(world)
    for room in options["rooms"]:
        if room["id"] == "k1":
            room["cameras"] = ["camera.kamera_a", "camera.kamera_b"]
        elif room["id"] == "k2":
            room["cameras"] = ["camera.kamera_c", "camera.kamera_d"]
    for person in options["people"]:
        if person["person"] == "person.vagt_villy":
            person["roles"] = ["out_of_hours", "security_coordinator"]
    if evidence:
        options["evidence"] = evidence
    return options


@pytest.fixture
async def cameras(hass: HomeAssistant, world: World) -> dict[str, Kamera]:
    found = new_cameras()
    await add_cameras(hass, list(found.values()))
    return found


@pytest.fixture
async def entry(
    hass: HomeAssistant, world: World, phones: Phones, cameras: dict[str, Kamera]
) -> MockConfigEntry:
    return await async_setup_town_hall(hass, _options_with_cameras(world))


async def _settle(hass: HomeAssistant) -> None:
    """Let the cameras' tasks finish (background tasks, never the alarm's)."""
    while True:
        await hass.async_block_till_done()
        ours = [
            task
            for task in asyncio.all_tasks()
            if task.get_name().startswith(f"{DOMAIN} evidence") and not task.done()
        ]
        if not ours:
            return
        await asyncio.wait(ours)


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, s: float) -> None:
    await advance(hass, freezer, s)
    await _settle(hass)


async def _raise(hass: HomeAssistant, room: str) -> str:
    result = await hass.services.async_call(
        DOMAIN, "trigger", {"room": room}, blocking=True, return_response=True
    )
    assert isinstance(result, dict)
    incident_id: str = result["incident_id"]
    return incident_id


async def _act(
    hass: HomeAssistant, action: str, user_id: str | None = None, **data: Any
) -> dict[str, Any]:
    result = await hass.services.async_call(
        DOMAIN,
        action,
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )
    await _settle(hass)
    assert isinstance(result, dict)
    return result


def _folder(hass: HomeAssistant, incident_id: str) -> Path:
    return Path(hass.config.path(DOMAIN, "evidence", incident_id))


def _on_disk(hass: HomeAssistant, incident_id: str) -> list[str]:
    folder = _folder(hass, incident_id)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _pictures(hass: HomeAssistant, incident_id: str) -> list[str]:
    return [name for name in _on_disk(hass, incident_id) if name.endswith(".jpg")]


def _our_log(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.raadhus_alarm")
    )


def _secure(phones: Phones, slug: str) -> list[str]:
    return [
        p["message"]
        for p in phones.received[slug]
        if p.get("title") in {"Sikr videooptagelser", "Secure video recordings"}
    ]


# -- taking the pictures and the clip ---------------------------------------


async def test_pictures_at_the_alarm_and_every_5_s_for_30_s_and_a_clip(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    cameras: dict[str, Kamera],
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_EVIDENCE)
    calls: list[Event] = async_capture_events(hass, EVENT_CALL_SERVICE)
    # Kamera B's stream is preloaded (camera settings): its clip looks back.
    await hass.data[DATA_CAMERA_PREFS].async_update(
        "camera.kamera_b", preload_stream=True
    )
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _settle(hass)
    for _ in range(8):  # to 40 s after the alarm
        await _tick(hass, freezer, 5)
    expected = [T0 + timedelta(seconds=s) for s in range(0, 31, 5)]
    assert cameras["a"].asked == expected
    assert cameras["b"].asked == expected
    assert cameras["c"].asked == []  # another room's camera
    pictures = [f"kamera_{c}_{s:03d}s.jpg" for c in "ab" for s in range(0, 31, 5)]
    assert _on_disk(hass, incident_id) == sorted(pictures)  # the clip: later
    for name in pictures:
        assert (_folder(hass, incident_id) / name).read_bytes() == PICTURE
    # The clip through camera.record, written in the staging folder (the only
    # one open to Home Assistant's file actions), then moved into the
    # incident's folder; nothing is left in staging.
    (record,) = [
        c.data["service_data"]
        for c in calls
        if (c.data["domain"], c.data["service"]) == ("camera", "record")
    ]
    staging = Path(hass.config.path(DOMAIN, "recording"))
    clip = str(staging / incident_id / "kamera_b_clip.mp4")
    assert await hass.async_add_executor_job(Path(clip).read_bytes) == CLIP
    assert not hass.config.is_allowed_path(str(_folder(hass, incident_id)))
    assert record == {
        "entity_id": "camera.kamera_b",
        "filename": clip,
        "duration": 30,
        "lookback": 5,
    }
    assert cameras["b"].recordings == [(clip, 30, 5)]
    index = entry.runtime_data.evidence.book.get(incident_id)
    assert index is not None
    assert index.errors == 0
    assert index.cameras == ("camera.kamera_a", "camera.kamera_b")
    assert index.window_start == T0 - timedelta(minutes=1)
    assert index.window_end is None  # still open
    assert sorted(f.name for f in index.files) == sorted(pictures)
    # Listed once it is written (after its 30 s, the lookback and a margin),
    # and moved out of the staging folder into the incident's.
    await _tick(hass, freezer, 30)
    assert _on_disk(hass, incident_id) == sorted([*pictures, "kamera_b_clip.mp4"])
    assert not await hass.async_add_executor_job(Path(clip).exists)
    row = evidence_row(entry.runtime_data, incident_id)
    assert row is not None
    assert row["keep"] is False
    (listed_clip,) = [f for f in row["files"] if f["kind"] == "clip"]
    assert listed_clip == {
        "name": "kamera_b_clip.mp4",
        "kind": "clip",
        "camera": "camera.kamera_b",
        "at": T0.isoformat(),
        "path": f"/api/raadhus_alarm/evidence/{incident_id}/kamera_b_clip.mp4",
    }
    assert row["files"][0]["name"] == "kamera_a_000s.jpg"
    assert [(e.data["type"], e.data["kind"], e.data["files"]) for e in events] == [
        ("captured", "snapshot", 14),
        ("captured", "clip", 1),
    ]
    assert events[0].data["incident_id"] == incident_id


async def test_the_settings_change_when_and_how_long(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    cameras: dict[str, Kamera],
    freezer: FrozenDateTimeFactory,
) -> None:
    assert entry.runtime_data.config.evidence.retention_days == 30  # defaults
    result = await _options(hass, entry, "evidence")
    assert result["data_schema"]({})["snapshot_interval"] == 5
    result = await _submit(
        hass,
        result,
        {
            "snapshot_interval": 0,
            "snapshot_window": 301,
            "clip_seconds": 30,
            "retention_days": 31,
        },
    )
    assert result["errors"] == {
        "snapshot_interval": "snapshot_interval_out_of_range",
        "snapshot_window": "snapshot_window_out_of_range",
        "retention_days": "retention_days_out_of_range",
    }
    assert result["description_placeholders"]["retention_days_max"] == "30"
    settings = {
        "snapshot_interval": 10,
        "snapshot_window": 20,
        "clip_seconds": 0,
        "retention_days": 7,
    }
    await _save(hass, await _submit(hass, result, settings))
    assert entry.options["evidence"] == settings
    config = entry.runtime_data.config.evidence
    assert (config.snapshot_interval, config.snapshot_window) == (10, 20)
    calls: list[Event] = async_capture_events(hass, EVENT_CALL_SERVICE)
    await _raise(hass, "Kontaktrum 1")
    await _settle(hass)
    for _ in range(3):
        await _tick(hass, freezer, 10)
    assert cameras["a"].asked == [T0 + timedelta(seconds=s) for s in (0, 10, 20)]
    assert not [c for c in calls if c.data["service"] == "record"]  # no clip


async def test_a_failing_camera_never_holds_up_the_alarm(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    cameras: dict[str, Kamera],
    phones: Phones,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Kontaktrum 2: Kamera C hangs, Kamera D fails (and has no stream to record)."""
    cameras["c"].hold = asyncio.Event()
    cameras["d"].broken = True
    started = time.perf_counter()
    incident_id = await _raise(hass, "Kontaktrum 2")
    await hass.async_block_till_done()
    took = time.perf_counter() - started
    # The officers on duty got the alarm while Kamera C still keeps its picture.
    assert {"betjent_bo", "betjent_birte"} <= phones.alarmed()
    assert len(cameras["c"].asked) == 1
    assert cameras["c"].answered == 0
    # Without waiting for it: the camera's own timeout is 10 s.
    assert took < 1.0, took
    incident = entry.runtime_data.core.book[incident_id]
    (first_call, *_) = incident.calls
    assert first_call.called_at == T0  # the frozen clock did not move either
    cameras["c"].hold.set()
    await _settle(hass)
    index = entry.runtime_data.evidence.book.get(incident_id)
    assert index is not None
    assert [f.name for f in index.files] == ["kamera_c_000s.jpg"]
    assert index.errors == 2  # D's picture and D's clip
    log = _our_log(caplog)
    assert "Camera camera.kamera_d gave no picture for incident" in log
    assert "Camera camera.kamera_d gave no clip for incident" in log
    assert incident.state == "triggered"  # the alarm goes on as ever


# -- after the alarm ---------------------------------------------------------


async def test_the_security_coordinator_is_told_what_to_secure_after_resolve(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    phones: Phones,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_EVIDENCE)
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _tick(hass, freezer, 120)
    assert _secure(phones, "vagt_villy") == []  # not while it is open
    await _act(
        hass,
        "resolve",
        world.users["betjent_bo"],
        incident_id=incident_id,
        resolution="citizen_left",
    )
    (told,) = _secure(phones, "vagt_villy")
    assert told == (
        "Alarmen i Kontaktrum 1 er afsluttet. Sikr optagelserne fra Kamera A og"
        " Kamera B fra 23.11.2026 10:59:00 til 23.11.2026 11:02:00."
    )
    for slug in ("betjent_bo", "leder_lis", "centerchef_carl", "amr_anne"):
        assert _secure(phones, slug) == [], slug
    (asked,) = [e for e in events if e.data["type"] == "secure_requested"]
    assert asked.data == {
        "type": "secure_requested",
        "incident_id": incident_id,
        "room_id": "k1",
        "keep": False,
        "cameras": ["camera.kamera_a", "camera.kamera_b"],
        "start": "2026-11-23T09:59:00+00:00",
        "end": "2026-11-23T10:02:00+00:00",
    }
    index = entry.runtime_data.evidence.book.get(incident_id)
    assert index is not None
    assert index.window_end == T0 + timedelta(minutes=2)
    assert index.secure_told
    # A cancelled alarm and a drill: no one is asked to secure anything.
    for drill in (False, True):
        other = await _raise(hass, "Kontaktrum 2")
        if drill:
            await _act(hass, "mark_drill", incident_id=other, drill=True)
            await _act(hass, "resolve", incident_id=other, resolution="other")
        else:
            await _act(hass, "cancel", incident_id=other)
        index = entry.runtime_data.evidence.book.get(other)
        assert index is not None
        assert index.window_end is not None
    assert len(_secure(phones, "vagt_villy")) == 1
    # In English for an English-speaking coordinator.
    english = secure_message(
        incident_id="x",
        room="Kontaktrum 1",
        cameras=["Kamera A", "Kamera B", "Kamera C"],
        start="23.11.2026 10:59:00",
        end="23.11.2026 11:02:00",
        language="en",
        platform="android",
    )
    assert english["message"] == (
        "The alarm in Kontaktrum 1 is resolved. Secure the recordings of Kamera A,"
        " Kamera B and Kamera C from 23.11.2026 10:59:00 to 23.11.2026 11:02:00."
    )
    assert english["data"] == {
        "tag": "raadhus_evidence_x",
        "clickAction": "/raadhus-alarm",
    }


async def test_a_leader_keeps_evidence_for_the_police_an_officer_may_not(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
) -> None:
    events: list[Event] = async_capture_events(hass, EVENT_EVIDENCE)
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _tick(hass, freezer, 1)
    with pytest.raises(ServiceValidationError) as refused:
        await _act(
            hass,
            "keep_evidence",
            world.users["betjent_bo"],
            incident_id=incident_id,
            keep=True,
        )
    assert refused.value.translation_key == "not_permitted"
    index = entry.runtime_data.evidence.book.get(incident_id)
    assert index is not None
    assert not index.keep
    kept = await _act(
        hass,
        "keep_evidence",
        world.users["leder_lis"],
        incident_id=incident_id,
        keep=True,
    )
    assert kept["incident_id"] == incident_id
    assert kept["keep"] is True
    assert sorted(f["name"] for f in kept["files"]) == [
        "kamera_a_000s.jpg",
        "kamera_b_000s.jpg",
    ]
    (event,) = [e for e in events if e.data["type"] == "kept"]
    assert event.context.user_id == world.users["leder_lis"]
    with pytest.raises(ServiceValidationError) as unknown:
        await _act(
            hass,
            "keep_evidence",
            world.users["leder_lis"],
            incident_id="nope",
            keep=True,
        )
    assert unknown.value.translation_key == "no_evidence"
    # The security coordinator may release it again.
    released = await _act(
        hass,
        "keep_evidence",
        world.users["vagt_villy"],
        incident_id=incident_id,
        keep=False,
    )
    assert released["keep"] is False
    assert [e.data["type"] for e in events][-2:] == ["kept", "released"]


async def test_deleted_after_retention_kept_while_flagged(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    events: list[Event] = async_capture_events(hass, EVENT_EVIDENCE)
    plain = await _raise(hass, "Kontaktrum 1")
    await _tick(hass, freezer, 1)
    kept = await _raise(hass, "Kontaktrum 2")
    await _tick(hass, freezer, 30)
    for incident_id in (plain, kept):
        await _act(hass, "resolve", incident_id=incident_id, resolution="other")
    resolved_at = dt_util.utcnow()
    await _act(
        hass, "keep_evidence", world.users["leder_lis"], incident_id=kept, keep=True
    )
    assert len(_pictures(hass, plain)) == 14
    assert len(_pictures(hass, kept)) == 14  # Kamera C's and D's pictures
    await _tick(
        hass,
        freezer,
        (resolved_at + timedelta(days=29) - dt_util.utcnow()).total_seconds(),
    )
    assert len(_pictures(hass, plain)) == 14  # not yet
    await _tick(hass, freezer, timedelta(days=2).total_seconds())
    assert _on_disk(hass, plain) == []
    assert not _folder(hass, plain).exists()
    keeper = entry.runtime_data.evidence
    assert keeper.book.get(plain) is None
    assert len(_pictures(hass, kept)) == 14  # kept for the police report
    assert keeper.book.get(kept) is not None
    (deleted,) = [e for e in events if e.data["type"] == "deleted"]
    assert deleted.data["incident_id"] == plain
    log = _our_log(caplog)
    assert (
        f"Video evidence of incident {plain} deleted (30 days after it closed)" in log
    )
    assert "kamera_a" not in log  # no content, no file names
    # Released: gone at the next daily sweep.
    await _act(
        hass, "keep_evidence", world.users["leder_lis"], incident_id=kept, keep=False
    )
    assert len(_pictures(hass, kept)) == 14
    await _tick(hass, freezer, timedelta(days=1).total_seconds())
    assert _on_disk(hass, kept) == []
    assert keeper.book.get(kept) is None


async def test_a_restart_keeps_the_index_the_flag_and_the_retention(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    await add_cameras(hass, list(new_cameras().values()))
    Phones(hass)
    entry = await async_setup_town_hall(hass, _options_with_cameras(world), "town_hall")
    config_dir = hass.config.config_dir
    plain = await _raise(hass, "Kontaktrum 1")
    await _tick(hass, freezer, 1)
    kept = await _raise(hass, "Kontaktrum 2")
    for _ in range(7):
        await _tick(hass, freezer, 5)
    for incident_id in (plain, kept):
        await _act(hass, "resolve", incident_id=incident_id, resolution="other")
    await _act(hass, "keep_evidence", None, incident_id=kept, keep=True)
    before = {i: entry.runtime_data.evidence.book.get(i) for i in (plain, kept)}
    assert await hass.config_entries.async_unload(entry.entry_id)
    await async_teardown_world(hass)
    await hass.async_stop(force=True)

    for days, present in ((10, {plain, kept}), (31, {kept})):
        freezer.move_to(T0 + timedelta(days=days))
        async with async_test_home_assistant(config_dir=config_dir) as again:
            again.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            world2 = await async_build_world(again)
            await add_cameras(again, list(new_cameras().values()))
            Phones(again)
            entry2 = await async_setup_town_hall(
                again, _options_with_cameras(world2), "town_hall"
            )
            keeper = entry2.runtime_data.evidence
            for incident_id in (plain, kept):
                if incident_id in present:
                    assert keeper.book.get(incident_id) == before[incident_id]
                    assert _on_disk(again, incident_id), (days, incident_id)
                else:
                    assert keeper.book.get(incident_id) is None
                    assert not _folder(again, incident_id).exists()
            row = evidence_row(entry2.runtime_data, kept)
            assert row is not None
            assert row["keep"] is True
            assert await again.config_entries.async_unload(entry2.entry_id)
            await async_teardown_world(again)
            await again.async_stop(force=True)


async def test_a_lost_clip_and_a_missing_coordinator_are_said(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    cameras: dict[str, Kamera],
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    options = _options_with_cameras(world)
    for person in options["people"]:
        person["roles"] = [r for r in person["roles"] if r != "security_coordinator"]
    entry = await async_setup_town_hall(hass, options)
    cameras["b"].lost = True
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _settle(hass)
    await _tick(hass, freezer, 70)
    index = entry.runtime_data.evidence.book.get(incident_id)
    assert index is not None
    assert index.errors == 1
    assert not [f for f in index.files if f.kind == "clip"]
    await _act(hass, "resolve", incident_id=incident_id, resolution="other")
    log = _our_log(caplog)
    assert f"Camera camera.kamera_b gave no clip for incident {incident_id}" in log
    assert "No security coordinator is set up to secure the video" in log


async def test_an_index_from_before_is_mended_and_damage_skipped(
    hass: HomeAssistant,
    world: World,
    phones: Phones,
    cameras: dict[str, Kamera],
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    """An incident gone from the log counts from now; a damaged entry is skipped."""
    gone = plan.Evidence(
        id="0" * 32,
        room_id="k1",
        cameras=("camera.kamera_a",),
        window_start=T0 - timedelta(days=40),
        files=(
            plan.EvidenceFile(
                "kamera_a_000s.jpg", plan.SNAPSHOT, "camera.kamera_a", T0
            ),
        ),
    )
    hass_storage["raadhus_alarm.evidence"] = {
        "version": 1,
        "key": "raadhus_alarm.evidence",
        "data": {"evidence": [gone.to_dict(), {"id": "x", "files": 3}, "junk"]},
    }
    entry = await async_setup_town_hall(hass, _options_with_cameras(world))
    keeper = entry.runtime_data.evidence
    assert [r.id for r in keeper.book.records()] == [gone.id]
    mended = keeper.book.get(gone.id)
    assert mended is not None
    assert mended.window_end == T0
    await _tick(hass, freezer, timedelta(days=31).total_seconds())
    assert keeper.book.get(gone.id) is None


# -- who may see it ----------------------------------------------------------


async def test_only_leaders_and_the_coordinator_see_the_files(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_client_no_auth: Any,
    hass_ws_client: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _settle(hass)
    url = f"/api/raadhus_alarm/evidence/{incident_id}/kamera_a_000s.jpg"
    assert await async_setup_component(hass, "auth", {})  # auth/sign_path
    client = await hass_client_no_auth()

    async def _get(path: str, slug: str | None) -> Any:
        headers = {}
        if slug is not None:
            token = await async_access_token(hass, world.users[slug])
            headers["Authorization"] = f"Bearer {token}"
        return await client.get(path, headers=headers)

    assert (await _get(url, None)).status == 401
    for slug in ("betjent_bo", "amr_anne", "sagsbehandler_sara"):
        assert (await _get(url, slug)).status == 403, slug
        # Refused before anything is looked up: no hint which incidents exist.
        assert (await _get(url.replace(incident_id, "nope"), slug)).status == 403
    assert "Refused video evidence to user" in _our_log(caplog)
    for slug in ("leder_lis", "centerchef_carl", "vagt_villy"):
        response = await _get(url, slug)
        assert response.status == 200, slug
        assert await response.read() == PICTURE
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["Cache-Control"] == "no-store"
    # Only what the index lists, from the incident's own folder.
    (_folder(hass, incident_id) / "planted.jpg").write_bytes(PICTURE)
    for path in (
        url.replace(incident_id, "0" * 32),  # no such incident
        url.replace("000s", "999s"),  # not in its index
        url.replace("kamera_a_000s", "planted"),  # there, but not listed
        f"/api/raadhus_alarm/evidence/{incident_id}/.hidden.jpg",
    ):
        assert (await _get(path, "leder_lis")).status == 404, path
    escape = f"/api/raadhus_alarm/evidence/{incident_id}/..%2F..%2F.storage%2Fauth"
    assert (await _get(escape, "leder_lis")).status in {400, 404}
    # A path signed for the panel's <img>: the same rule.
    for slug, status in (("leder_lis", 200), ("betjent_bo", 403)):
        ws = await hass_ws_client(
            hass, await async_access_token(hass, world.users[slug])
        )
        await ws.send_json({"id": 1, "type": "auth/sign_path", "path": url})
        signed = (await ws.receive_json())["result"]["path"]
        assert (await client.get(signed)).status == status, slug


async def test_the_panel_shows_the_evidence_only_to_those_who_may_see_it(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
) -> None:
    incident_id = await _raise(hass, "Kontaktrum 1")
    await _settle(hass)
    for slug, may in (("leder_lis", True), ("betjent_bo", False)):
        ws = await hass_ws_client(
            hass, await async_access_token(hass, world.users[slug])
        )
        await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
        assert (await ws.receive_json())["success"]
        state = (await ws.receive_json())["event"]
        assert state["can_view_evidence"] is may
        await ws.send_json({"id": 2, "type": "raadhus_alarm/history"})
        reply = await ws.receive_json()
        (row,) = [r for r in reply["result"]["incidents"] if r["id"] == incident_id]
        if may:
            assert row["evidence"]["keep"] is False
            assert [f["name"] for f in row["evidence"]["files"]] == [
                "kamera_a_000s.jpg",
                "kamera_b_000s.jpg",
            ]
        else:
            assert "evidence" not in row
            assert "kamera" not in json.dumps(reply)


# -- the plan (pure) -----------------------------------------------------------


def test_offsets_names_and_retention() -> None:
    assert plan.snapshot_offsets(5, 30) == (0, 5, 10, 15, 20, 25, 30)
    assert plan.snapshot_offsets(7, 20) == (0, 7, 14)
    assert plan.snapshot_offsets(5, 0) == (0,)
    with pytest.raises(ValueError, match="at least a second"):
        plan.snapshot_offsets(0, 30)
    assert plan.snapshot_name("camera.dør_1", 5, "image/jpeg") == "d_r_1_005s.jpg"
    assert plan.snapshot_name("camera.x", 0, "image/png; q=1") == "x_000s.png"
    assert plan.snapshot_name("camera.x", 0, "text/html") == "x_000s.jpg"
    for hostile in ("../../etc/passwd", "camera./..", "", "/", "a/../b"):
        name = plan.snapshot_name(hostile, 0, "image/jpeg")
        assert plan.valid_name(name), name
        assert "/" not in name
        assert ".." not in name
        assert "/" not in plan.safe_part(hostile)
        assert plan.safe_part(hostile)
    for bad in ("../x.jpg", "x/y.jpg", ".x.jpg", "x.jpg.exe", "x.html", "X.jpg"):
        assert not plan.valid_name(bad), bad
    assert plan.content_type("x_clip.mp4") == "video/mp4"
    closed = T0
    for now, keep, due in (
        (T0 + timedelta(days=29, hours=23), False, False),
        (T0 + timedelta(days=30), False, True),
        (T0 + timedelta(days=400), True, False),
    ):
        assert plan.retention_due(closed, keep, now, 30) is due
    assert not plan.retention_due(None, False, T0 + timedelta(days=999), 30)
    assert plan.secure_window(T0, T0 + timedelta(minutes=5)) == (
        T0 - timedelta(minutes=1),
        T0 + timedelta(minutes=5),
    )


def test_a_damaged_index_entry_is_refused() -> None:
    good = plan.Evidence(
        id="abc",
        room_id="k1",
        cameras=("camera.a",),
        window_start=T0,
        files=(plan.EvidenceFile("a_000s.jpg", plan.SNAPSHOT, "camera.a", T0),),
    )
    assert plan.Evidence.from_dict(good.to_dict()) == good
    for broken in (
        {**good.to_dict(), "window_start": 5},
        {**good.to_dict(), "files": [{"name": "../x.jpg", "kind": "snapshot"}]},
        {**good.to_dict(), "files": "nope"},
        {**good.to_dict(), "window_end": 5},
        {"room_id": "k1"},
    ):
        with pytest.raises((ValueError, TypeError)):
            plan.Evidence.from_dict(broken)
    for name, kind, at in (
        ("../x.jpg", plan.SNAPSHOT, T0),
        ("x.jpg", "film", T0),
        ("x.jpg", plan.SNAPSHOT, T0.replace(tzinfo=None)),
    ):
        with pytest.raises(ValueError, match="evidence file"):
            plan.EvidenceFile(name, kind, "camera.x", at)


def test_one_camera_is_named_alone() -> None:
    message = secure_message(
        incident_id="x",
        room="Akutrum 1",
        cameras=["Kamera A"],
        start="23.11.2026 10:59:00",
        end="23.11.2026 11:02:00",
        language="da",
        platform="ios",
    )
    assert message["message"] == (
        "Alarmen i Akutrum 1 er afsluttet. Sikr optagelserne fra Kamera A"
        " fra 23.11.2026 10:59:00 til 23.11.2026 11:02:00."
    )
    assert message["data"]["url"] == "/raadhus-alarm"
