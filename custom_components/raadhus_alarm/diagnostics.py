"""Diagnostics: what a support engineer needs, nothing that identifies a person.

Kept: counts, states, timings, source types, button health, room kinds, the
delivery timing of open incidents. Left out or redacted (GDPR): people and
their roles, user and person ids, names of actors and persons, case workers,
free-text notes, phone numbers and notify service names (they carry names).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.diagnostics import REDACTED
from homeassistant.core import HomeAssistant

from .device_library import Behaviour
from .incident import Incident
from .runtime import RaadhusConfigEntry


def _incident(incident: Incident) -> dict[str, Any]:
    """An incident without who: states, times, sources, counts."""
    return {
        "state": str(incident.state),
        "drill": incident.drill,
        "created_at": incident.created_at.isoformat(),
        "raised_at": incident.raised_at.isoformat() if incident.raised_at else None,
        "hold_seconds": incident.hold_seconds,
        "steps": [
            {
                "state": str(step.state),
                "at": step.at.isoformat(),
                "source": str(step.source),
                "by_user": step.actor_user_id is not None,
            }
            for step in incident.steps
        ],
        "joins": len(incident.joins),
        "notes": len(incident.notes),
        "calls": [
            {
                "tier": call.tier,
                "called_at": call.called_at.isoformat(),
                "answered_at": (
                    call.answered_at.isoformat() if call.answered_at else None
                ),
                "failed": call.error is not None,
            }
            for call in incident.calls
        ],
    }


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: RaadhusConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for the town hall."""
    runtime = entry.runtime_data
    config = runtime.config
    book = runtime.core.book
    return {
        "rooms": [
            {
                "kind": room.kind.value,
                "cameras": len(room.cameras),
                "case_worker": REDACTED if room.case_worker else None,
                "buttons": len(config.buttons_in(room.id)),
            }
            for room in config.rooms
        ],
        "buttons": [
            {
                "source": str(button.source),
                "profile": str(button.profile),
                "hold_threshold": config.threshold_for(button),
                "model_setting": button.model,
                **_detector(runtime.buttons.watchers[button.id].behaviour),
                "alarm_reports_overridden": len(button.alarm_reports),
                "problem": runtime.supervisor.problems.get(button.id),
                "holding": runtime.buttons.watchers[button.id].detector.holding,
                "heard_since_start": runtime.buttons.last_seen(button.id) is not None,
            }
            for button in config.buttons
        ],
        "people": {
            "count": len(config.people),
            "roles": sorted(
                {str(role) for person in config.people for role in person.roles}
            ),
            "with_configured_phones": sum(1 for p in config.people if p.devices),
        },
        "schedules": {
            "officers_on_duty": config.schedules.officers_on_duty is not None,
            "police_present": config.schedules.police_present is not None,
            "crisis_line_hours": config.schedules.crisis_line_hours is not None,
        },
        "timings": {
            "hold_threshold": config.timings.hold_threshold,
            "ack_timeout": config.timings.ack_timeout,
            "unseen_hours": config.timings.unseen_hours,
            "retention_days": config.timings.retention_days,
        },
        "contacts_configured": {
            "crisis_in_hours": bool(config.contacts.crisis_in_hours_phone),
            "crisis_out_of_hours": bool(config.contacts.crisis_out_of_hours_phone),
            "cvr": bool(config.contacts.cvr),
        },
        "officers_room_alerts": len(config.alert_entities),
        "log": {"frozen": runtime.core.log.frozen},
        "incidents": {
            "total": len(book),
            "drills": sum(1 for _ in book.drills()),
            "open": [_incident(i) for i in book.open_incidents()],
        },
        # Counts only: a ban's fields are about a citizen.
        "attendance_bans": {
            "registered": sum(1 for _ in runtime.bans.book),
            "active": len(runtime.bans.active()),
            "remind_days": config.bans.remind_before.days,
            "keep_days": config.bans.keep.days,
        },
        "drill": {
            "last": last.isoformat() if (last := runtime.drills.last_drill()) else None,
            "next_due": runtime.drills.next_due().isoformat(),
        },
    }


def _detector(behaviour: Behaviour) -> dict[str, Any]:
    """What a button's detector runs with: its model (or generic), its figures."""
    return {
        "model": behaviour.model.id if behaviour.model is not None else None,
        "first_report_delay": behaviour.timing.first_report_delay,
        "release_gap": behaviour.timing.release_gap,
    }
