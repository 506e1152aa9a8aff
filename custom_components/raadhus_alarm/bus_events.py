"""The bus events automations rely on (the contract in the README).

`raadhus_alarm_incident` is fired for every published change, after it is on
disk and after the phones were called; `raadhus_alarm_short_press` for a
press shorter than the threshold.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .const import EVENT_INCIDENT, EVENT_SHORT_PRESS
from .core import AlarmCore, Change, IncidentChange
from .model import Button


def incident_event_data(change: IncidentChange) -> dict[str, Any]:
    """The documented payload of `raadhus_alarm_incident`."""
    incident = change.incident
    step = incident.last_step
    joined = incident.joins[-1] if change.change is Change.JOINED else None
    return {
        "incident_id": incident.id,
        "room_id": incident.room_id,
        "room_name": incident.room_name,
        "state": str(incident.state),
        "previous_state": (
            str(step.previous_state) if step.previous_state is not None else None
        ),
        "change": str(change.change),
        "trigger_source": joined.trigger_source if joined else incident.trigger_source,
        "hold_seconds": joined.hold_seconds if joined else incident.hold_seconds,
        "actor_user_id": joined.actor_user_id if joined else step.actor_user_id,
        "actor_name": joined.actor_name if joined else step.actor_name,
        "source": str(joined.source if joined else step.source),
        "drill": incident.drill,
        "joins": len(incident.joins),
        "time": (joined.at if joined else step.at).isoformat(),
    }


@callback
def async_follow(hass: HomeAssistant, core: AlarmCore) -> CALLBACK_TYPE:
    """Fire `raadhus_alarm_incident` for every change; returns the unsubscriber."""

    @callback
    def _changed(change: IncidentChange) -> None:
        hass.bus.async_fire_internal(
            EVENT_INCIDENT, incident_event_data(change), context=change.context
        )

    return core.async_subscribe(_changed)


@callback
def async_fire_short_press(
    hass: HomeAssistant, button: Button, at: datetime, held: float
) -> None:
    """A press shorter than the threshold: logged on the bus, never an alarm."""
    hass.bus.async_fire_internal(
        EVENT_SHORT_PRESS,
        {
            "room_id": button.room_id,
            "button_id": button.id,
            "hold_seconds": round(held, 3),
            "time": at.isoformat(),
        },
    )
