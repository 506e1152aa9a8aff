"""Video evidence (R6): pictures and clips of an alarm, secured, kept, deleted.

A consumer of the core: an incident created in a room with cameras is
photographed at once and every few seconds for the first half minute
(`evidence_plan`), and each streaming camera records a clip through
`camera.record`. Every camera call runs in its own task with its own
timeout, after the phones were called: a camera that hangs or fails is
logged and counted on the incident's evidence, never raised into the core,
and never delays or stops the alarm.

The files lie under `<config>/raadhus_alarm/evidence/<incident>/`, listed in
an index per incident (`.storage/raadhus_alarm.evidence`, version 1). When
the incident is resolved, the security coordinator is told which cameras and
which time window to secure. An incident's evidence is deleted the retention
period after it closed (a daily sweep and one at every start), unless kept
for a police report (`keep_evidence`, through the one permission gate).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
import logging
from pathlib import Path
from typing import Final

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import Role
from .core import AlarmCore, Change, IncidentChange, gate
from .desk import refusal
from .evidence_capture import EvidenceCapture, prepare, remove_folder
from .evidence_messages import secure_message
from .evidence_plan import Evidence, retention_due, valid_name
from .incident import IncidentState
from .model import TownHall
from .permissions import Action, Caller
from .sender import Sender

_LOGGER = logging.getLogger(__name__)

SWEEP_EVERY: Final = timedelta(days=1)
SWEEP: Final = "_sweep"  # the sweep's timer (incident ids are hex)


class EvidenceKeeper(EvidenceCapture):
    """Takes, lists, secures, keeps and deletes the town hall's video evidence."""

    def __init__(
        self, hass: HomeAssistant, config: TownHall, core: AlarmCore, sender: Sender
    ) -> None:
        super().__init__(hass, config, core, sender)
        self._unsub: CALLBACK_TYPE | None = None
        self._allowed: str | None = None

    def file_path(self, incident_id: str, name: str) -> Path | None:
        """A listed file of an incident's evidence (None: no such file)."""
        record = self.book.get(incident_id)
        if record is None or not valid_name(name) or record.file(name) is None:
            return None
        return self.folder(record) / name

    # -- start and stop -----------------------------------------------------

    async def async_start(self) -> None:
        """Read the index, mend what changed while down, sweep, then follow.

        An incident closed while Home Assistant was down (or whose
        coordinator was not yet told) is taken up now.
        """
        await self.book.async_read()
        if any(room.cameras for room in self.config.rooms):
            # camera.record writes only where Home Assistant allows it.
            # Only the staging folder: the evidence folder itself stays out
            # of reach of every file-writing or file-sending action.
            real = await self.hass.async_add_executor_job(prepare, self.staging)
            if real not in self.hass.config.allowlist_external_dirs:
                self.hass.config.allowlist_external_dirs.add(real)
                self._allowed = real
        for record in list(self.book.records()):
            await self._async_closed(record.id)
        await self._async_sweep()
        self._unsub = self.core.async_subscribe(self._on_change)

    @callback
    def async_stop(self) -> None:
        """Stop following, cancel timers and the cameras still being asked."""
        super().async_stop()
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        if self._allowed is not None:
            self.hass.config.allowlist_external_dirs.discard(self._allowed)
            self._allowed = None

    # -- following the incidents ----------------------------------------------

    @callback
    def _on_change(self, change: IncidentChange) -> None:
        incident = change.incident
        if change.change is Change.CREATED:
            room = self.config.room(incident.room_id)
            if room is not None and room.cameras:
                self._capture(incident, room.cameras)
        elif change.change is Change.TRANSITION and not incident.is_open:
            self._spawn(self._async_closed(incident.id), "evidence closed")

    # -- after the alarm ----------------------------------------------------

    async def _async_closed(self, incident_id: str) -> None:
        """Note when the incident closed; ask to secure the video of a resolve."""
        record = self.book.get(incident_id)
        if record is None:
            return
        incident = self.core.book.get(incident_id)
        if incident is not None and incident.is_open:
            return
        if incident is None and self.core.log.partial:
            return  # perhaps only unread: its retention does not start
        resolved = incident.step_for(IncidentState.RESOLVED) if incident else None
        if record.window_end is None:
            closing = resolved or (
                incident.step_for(IncidentState.CANCELLED) if incident else None
            )
            # An incident gone from the log (removed while down): from now.
            end = closing.at if closing else dt_util.utcnow()
            record = replace(record, window_end=end)
            await self.book.async_put(record)
        # Not for a drill: nothing happened that the police need.
        if incident and resolved and not incident.drill and not record.secure_told:
            self._spawn(
                self._async_ask_to_secure(record, incident.room_name),
                "evidence secure",
            )

    async def _async_ask_to_secure(self, record: Evidence, room: str) -> None:
        assert record.window_end is not None
        incident = self.core.book.get(record.id)
        if incident is not None and incident.drill:
            return  # marked a drill meanwhile: nothing for the police
        names = [
            state.name if (state := self.hass.states.get(camera)) else camera
            for camera in record.cameras
        ]
        start, end = _local(record.window_start), _local(record.window_end)
        if not self.config.people_with(Role.SECURITY_COORDINATOR):
            _LOGGER.warning(
                "No security coordinator is set up to secure the video of incident %s",
                record.id,
            )
        await self.sender.async_send_to_role(
            Role.SECURITY_COORDINATOR,
            lambda person, phone: secure_message(
                incident_id=record.id,
                room=room,
                cameras=names,
                start=start,
                end=end,
                language=person.language,
                platform=phone.platform,
            ),
        )
        self._fire(
            "secure_requested",
            record,
            cameras=list(record.cameras),
            start=record.window_start.isoformat(),
            end=record.window_end.isoformat(),
        )
        await self._async_update(record.id, lambda r: replace(r, secure_told=True))

    async def async_set_keep(
        self,
        caller: Caller,
        incident_id: str,
        keep: bool,
        context: Context | None = None,
    ) -> Evidence:
        """Keep an incident's evidence for a police report, or stop keeping it."""
        gate(Action.KEEP_EVIDENCE, caller, about=f"evidence of incident {incident_id}")
        record = self.book.get(incident_id)
        if record is None:
            raise refusal("no_evidence", incident_id=incident_id)
        if record.keep != keep:
            record = replace(record, keep=keep)
            await self.book.async_put(record)
            _LOGGER.info(
                "Video evidence of incident %s %s",
                record.id,
                "kept for a police report" if keep else "no longer kept",
            )
            self._fire("kept" if keep else "released", record, context=context)
            self.core.async_request_panel_update()
        return record

    # -- retention ------------------------------------------------------------

    async def _async_sweep(self) -> None:
        """Delete what has outlived its retention; sweep again in a day."""
        self._cancel_timers(SWEEP)
        if self._stopped:
            return
        now = dt_util.utcnow()
        days = self.config.evidence.retention_days
        for record in list(self.book.records()):
            if retention_due(record.window_end, record.keep, now, days):
                await self._async_delete(record, days)

        @callback
        def _again(_now: datetime) -> None:
            if not self._stopped:
                self._spawn(self._async_sweep(), "evidence sweep")

        self._timers[SWEEP] = [self._at(now + SWEEP_EVERY, _again)]

    async def _async_delete(self, record: Evidence, days: int) -> None:
        self._cancel_timers(record.id)
        try:
            folder = self.folder(record)
            await self.hass.async_add_executor_job(remove_folder, folder)
        except OSError:
            _LOGGER.exception(
                "The video evidence of incident %s was not deleted", record.id
            )
            return
        await self.book.async_delete([record.id])
        # Logged without its content: the evidence is gone on purpose.
        _LOGGER.info(
            "Video evidence of incident %s deleted (%d days after it closed)",
            record.id,
            days,
        )
        self._fire("deleted", record)


def _local(at: datetime) -> str:
    return dt_util.as_local(at).strftime("%d.%m.%Y %H:%M:%S")
