"""Taking the video evidence (R6): pictures and clips of an alarm, into files.

Pictures come through Home Assistant's camera component (`async_get_image`,
with its timeout), clips through the `camera.record` action; the files go
into the incident's folder, off the event loop, readable by Home Assistant's
user alone, and are listed in the incident's index. Each camera call runs in
its own background task: a failure is logged (the camera and the error, no
content) and counted on the index, never raised. The keeper (`evidence`)
builds on this: when to start, what happens after the alarm.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
import logging
import os
from pathlib import Path
import shutil
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import ATTR_ENTITY_ID, ATTR_SUPPORTED_FEATURES
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_EVIDENCE
from .core import AlarmCore
from .desk import Desk
from .evidence_plan import (
    BEFORE_ALARM,
    CLIP,
    SNAPSHOT,
    Evidence,
    EvidenceFile,
    clip_name,
    snapshot_name,
    snapshot_offsets,
)
from .incident import Incident
from .model import TownHall
from .record_file import RecordFile
from .sender import Sender

if TYPE_CHECKING:
    from homeassistant.components.camera import Image

_LOGGER = logging.getLogger(__name__)
STORAGE_VERSION: Final = 1

# A camera that has not answered by then has failed this picture.
SNAPSHOT_TIMEOUT: Final = 10
# Seconds of a preloaded stream's buffer the clip starts with.
LOOKBACK: Final = 5
# Starting a recording (with lookback: the next segment) takes at most this.
RECORD_CALL_TIMEOUT: Final = 60.0
# A clip is looked for this long after its recording should have ended.
CLIP_GRACE: Final = 30
FOLDER_MODE: Final = 0o700
FILE_MODE: Final = 0o600


# The camera component is imported where it is used, inside the callers'
# error handling: if it cannot be imported (a Home Assistant without its
# stream dependencies, a moved internal), the pictures fail, not the alarm.


async def async_snapshot(hass: HomeAssistant, camera: str) -> Image:
    """A picture from the camera now (HomeAssistantError when it has none)."""
    from homeassistant.components.camera import async_get_image  # noqa: PLC0415

    return await async_get_image(hass, camera, timeout=SNAPSHOT_TIMEOUT)


def streams(hass: HomeAssistant, camera: str) -> bool:
    """Whether the camera has a stream (so a clip can be recorded)."""
    from homeassistant.components.camera.const import (  # noqa: PLC0415
        CameraEntityFeature,
    )

    state = hass.states.get(camera)
    features = int(state.attributes.get(ATTR_SUPPORTED_FEATURES, 0)) if state else 0
    return bool(features & CameraEntityFeature.STREAM)


async def async_lookback(hass: HomeAssistant, camera: str) -> int:
    """Seconds to record from before now: only a preloaded stream has them."""
    from homeassistant.components.camera.prefs import (  # noqa: PLC0415
        get_dynamic_camera_stream_settings,
    )

    try:
        settings = await get_dynamic_camera_stream_settings(hass, camera)
    except HomeAssistantError:
        return 0
    return LOOKBACK if settings.preload_stream else 0


async def async_record(
    hass: HomeAssistant, camera: str, path: Path, duration: int, lookback: int
) -> None:
    """Start a clip through `camera.record` (it is written once it is done)."""
    async with asyncio.timeout(RECORD_CALL_TIMEOUT):
        await hass.services.async_call(
            "camera",
            "record",
            {
                ATTR_ENTITY_ID: camera,
                "filename": str(path),
                "duration": duration,
                "lookback": lookback,
            },
            blocking=True,
        )


def prepare(base: Path) -> str:
    """Make the evidence folder; its real path (for Home Assistant's allowlist)."""
    base.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    return str(base.resolve())


def make_folder(folder: Path) -> None:
    """Make an incident's folder."""
    folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)


def write_file(folder: Path, name: str, content: bytes) -> None:
    """Write one file into an incident's folder (readable by this user alone)."""
    make_folder(folder)
    handle = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(handle, "wb") as file:
        file.write(content)


def exists(path: Path) -> bool:
    """Whether a file is there."""
    return path.is_file()


def take_in(staged: Path, folder: Path) -> bool:
    """Move a finished clip from the staging folder into the incident's folder.

    Only the staging folder is open to Home Assistant's file actions (for
    `camera.record`); evidence itself never is. False if there is no clip.
    """
    if not staged.is_file():
        return False
    make_folder(folder)
    target = folder / staged.name
    os.replace(staged, target)
    target.chmod(FILE_MODE)
    with contextlib.suppress(OSError):
        staged.parent.rmdir()  # the incident's staging folder, once empty
    return True


def remove_folder(folder: Path) -> None:
    """Delete an incident's folder and everything in it (gone already: fine)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(folder)


def inside(base: Path, path: Path) -> bool:
    """Whether `path` is a file really inside `base` (links followed)."""
    try:
        real = path.resolve(strict=True)
        return real.is_file() and real.is_relative_to(base.resolve(strict=True))
    except OSError:
        return False


class EvidenceCapture(Desk):
    """The index of every incident's evidence, and the cameras' tasks."""

    def __init__(
        self, hass: HomeAssistant, config: TownHall, core: AlarmCore, sender: Sender
    ) -> None:
        super().__init__(hass, config, core, sender)
        self.book: RecordFile[Evidence] = RecordFile(
            hass, "evidence", STORAGE_VERSION, Evidence.from_dict
        )
        self.base = Path(hass.config.path(DOMAIN, "evidence"))
        # Where `camera.record` writes (allowlisted while the keeper runs).
        self.staging = Path(hass.config.path(DOMAIN, "recording"))
        self._tasks: set[asyncio.Task[Any]] = set()
        self._pending: dict[str, int] = {}  # pictures still being taken

    def folder(self, record: Evidence) -> Path:
        """An incident's evidence folder."""
        return self.base / record.folder

    @callback
    def async_stop(self) -> None:
        """Cancel the timers and the cameras still being asked."""
        super().async_stop()
        for task in list(self._tasks):
            task.cancel()

    def _spawn(self, job: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `job` apart from everything (never awaited by the alarm)."""
        # Not started eagerly: nothing of the evidence runs inside the core's
        # publication of an alarm (the phones and the entities come first).
        task = self.hass.async_create_background_task(
            job, f"{DOMAIN} {name}", eager_start=False
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _capture(self, incident: Incident, cameras: tuple[str, ...]) -> None:
        record = Evidence(
            id=incident.id,
            room_id=incident.room_id,
            cameras=cameras,
            window_start=incident.created_at - BEFORE_ALARM,
        )
        self._spawn(self.book.async_put(record), "evidence index")
        settings = self.config.evidence
        now = dt_util.utcnow()
        offsets = snapshot_offsets(settings.snapshot_interval, settings.snapshot_window)
        self._pending[record.id] = len(offsets) * len(cameras)
        timers: list[CALLBACK_TYPE] = []
        for offset in offsets:
            timers.append(
                self._at(now + timedelta(seconds=offset), self._shot(record, offset))
            )
        self._timers.setdefault(record.id, []).extend(timers)
        if settings.clip_seconds:
            for camera in cameras:
                if streams(self.hass, camera):
                    self._spawn(self._async_clip(record, camera), "evidence clip")

    def _shot(self, record: Evidence, offset: int) -> Callable[[datetime], None]:
        @callback
        def _due(_now: datetime) -> None:
            if self._stopped:
                return
            for camera in record.cameras:
                self._spawn(
                    self._async_snapshot(record, camera, offset), "evidence snapshot"
                )

        return _due

    async def _async_snapshot(self, record: Evidence, camera: str, offset: int) -> None:
        at = dt_util.utcnow()
        try:
            image = await async_snapshot(self.hass, camera)
            name = snapshot_name(camera, offset, image.content_type)
            await self.hass.async_add_executor_job(
                write_file, self.folder(record), name, image.content
            )
        except Exception as err:  # a camera must never reach the alarm
            await self._async_failed(record.id, camera, "picture", err)
        else:
            await self._async_add(record.id, EvidenceFile(name, SNAPSHOT, camera, at))
        left = self._pending[record.id] = self._pending.get(record.id, 1) - 1
        if left <= 0:
            self._pending.pop(record.id, None)
            if (done := self.book.get(record.id)) is not None:
                snapshots = sum(f.kind == SNAPSHOT for f in done.files)
                self._fire("captured", done, kind=SNAPSHOT, files=snapshots)

    async def _async_clip(self, record: Evidence, camera: str) -> None:
        duration = self.config.evidence.clip_seconds
        name = clip_name(camera)
        path = self.staging / record.folder / name
        try:
            lookback = await async_lookback(self.hass, camera)
            await self.hass.async_add_executor_job(make_folder, path.parent)
            await async_record(self.hass, camera, path, duration, lookback)
        except Exception as err:  # a camera must never reach the alarm
            await self._async_failed(record.id, camera, "clip", err)
            return
        started = dt_util.utcnow()

        @callback
        def _done(_now: datetime) -> None:
            if not self._stopped:
                self._spawn(
                    self._async_clip_written(record, camera, path, started),
                    "evidence clip written",
                )

        ready = started + timedelta(seconds=duration + lookback + CLIP_GRACE)
        self._timers.setdefault(record.id, []).append(self._at(ready, _done))

    async def _async_clip_written(
        self, record: Evidence, camera: str, path: Path, started: datetime
    ) -> None:
        taken = await self.hass.async_add_executor_job(
            take_in, path, self.folder(record)
        )
        if not taken:
            err = FileNotFoundError("the recording was not written")
            await self._async_failed(record.id, camera, "clip", err)
            return
        file = EvidenceFile(path.name, CLIP, camera, started)
        if (done := await self._async_add(record.id, file)) is not None:
            self._fire("captured", done, kind=CLIP, files=1)

    async def _async_failed(
        self, incident_id: str, camera: str, what: str, err: BaseException
    ) -> None:
        _LOGGER.warning(
            "Camera %s gave no %s for incident %s (%s: %s)",
            camera,
            what,
            incident_id,
            type(err).__name__,
            err,
        )
        await self._async_update(incident_id, lambda r: replace(r, errors=r.errors + 1))

    async def _async_add(self, incident_id: str, file: EvidenceFile) -> Evidence | None:
        return await self._async_update(incident_id, lambda r: r.with_file(file))

    async def _async_update(
        self, incident_id: str, change: Callable[[Evidence], Evidence]
    ) -> Evidence | None:
        """Change an incident's index (gone meanwhile: nothing)."""
        record = self.book.get(incident_id)
        if record is None:
            return None
        record = change(record)
        await self.book.async_put(record)
        return record

    def _fire(
        self,
        what: str,
        record: Evidence,
        context: Context | None = None,
        **extra: Any,
    ) -> None:
        self.hass.bus.async_fire(
            EVENT_EVIDENCE,
            {
                "type": what,
                "incident_id": record.id,
                "room_id": record.room_id,
                "keep": record.keep,
                **extra,
            },
            context=context,
        )
