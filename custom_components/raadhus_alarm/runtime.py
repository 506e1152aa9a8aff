"""The typed runtime object of a loaded town hall, and its config entry type."""

from __future__ import annotations

from dataclasses import dataclass, field

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, callback

from .ban_desk import BanDesk
from .buttons import ButtonHub
from .core import AlarmCore
from .drill_watch import DrillWatch
from .evidence import EvidenceKeeper
from .followup import FollowUp
from .followup_desk import FollowUpDesk
from .meeting_desk import MeetingDesk
from .model import TownHall
from .notifier import Notifier
from .supervision import Supervisor


@dataclass(slots=True)
class RaadhusRuntime:
    """Everything one loaded town hall runs on (`entry.runtime_data`)."""

    config: TownHall
    core: AlarmCore
    buttons: ButtonHub
    supervisor: Supervisor
    notifier: Notifier
    followup: FollowUp
    meetings: MeetingDesk
    bans: BanDesk
    drills: DrillWatch
    followups: FollowUpDesk
    evidence: EvidenceKeeper
    hall_device_id: str = ""
    # Unsubscribers of the other ways in (phone actions).
    input_unsubs: list[CALLBACK_TYPE] = field(default_factory=list)

    @callback
    def async_stop_inputs(self) -> None:
        """Stop everything that raises or moves incidents (before the log closes)."""
        self.buttons.async_stop()
        self.supervisor.async_stop()
        self.meetings.async_stop()
        self.bans.async_stop()
        self.drills.async_stop()
        self.followups.async_stop()
        for unsub in self.input_unsubs:
            unsub()
        self.input_unsubs.clear()

    async def async_shutdown(self) -> None:
        """Stop the inputs, write what is left while the consumers listen."""
        self.async_stop_inputs()
        self.evidence.async_stop()  # the cameras still being asked, its timers
        self.core.async_stop()
        await self.core.log.async_close()


type RaadhusConfigEntry = ConfigEntry[RaadhusRuntime]
