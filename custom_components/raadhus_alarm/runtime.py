"""The typed runtime object of a loaded town hall, and its config entry type."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .buttons import ButtonHub
from .core import AlarmCore
from .followup import FollowUp
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
    hall_device_id: str = ""


type RaadhusConfigEntry = ConfigEntry[RaadhusRuntime]
