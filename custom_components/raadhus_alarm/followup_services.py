"""The follow-up action (R6): tick an item of a resolved incident's checklist.

Through the follow-up desk, which passes the one permission gate as the
calling user (leaders and the centre chief; a call without a user is an
automation's). Returns the checklist as the panel shows it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Final

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.util import dt as dt_util
import probatio as vol

from .checklist import Checklist, Item
from .lookups import caller_for_user, display_name
from .permissions import Action
from .runtime import RaadhusRuntime
from .services import async_register_actions, loaded_runtime_or_refuse

# The panel lists the open follow-ups of this many days.
PANEL_DAYS: Final = timedelta(days=30)
FOLLOW_UP_SCHEMA: Final = vol.Schema(
    {
        vol.Required("incident_id"): vol.All(cv.string, vol.Length(max=100)),
        vol.Required("item"): vol.In([i.value for i in Item]),
        vol.Optional("done", default=True): cv.boolean,
        vol.Optional("persons", default=[]): vol.All(
            cv.ensure_list, vol.Length(max=20), [cv.entity_domain("person")]
        ),
    }
)


def checklist_row(hass: HomeAssistant, checklist: Checklist) -> dict[str, Any]:
    """A checklist as the action returns it and the panel shows it."""
    items = []
    for item in Item:
        tick = checklist.tick(item)
        items.append(
            {
                "key": item.value,
                "done": tick.done,
                "done_at": dt_util.as_local(tick.at).isoformat() if tick.at else None,
                "done_by": tick.by,
                "persons": [display_name(hass, p) for p in tick.persons],
                "applies": checklist.applies(item),
            }
        )
    return {
        "incident_id": checklist.incident_id,
        "items": items,
        "complete": checklist.complete,
    }


def open_followups(
    hass: HomeAssistant, runtime: RaadhusRuntime, now: datetime
) -> list[dict[str, Any]]:
    """The checklists still open of the last 30 days, newest first (the panel's)."""
    rows = []
    for checklist in runtime.followups.book:
        incident = runtime.core.book.get(checklist.incident_id)
        if incident is None or incident.drill or checklist.complete:
            continue
        if now - checklist.resolved_at > PANEL_DAYS:
            break  # newest first: the rest are older still
        due = checklist.due(runtime.config.followup_working_days)
        rows.append(
            {
                **checklist_row(hass, checklist),
                "room_name": incident.room_name,
                "raised_at": dt_util.as_local(incident.created_at).isoformat(),
                "resolved_at": dt_util.as_local(checklist.resolved_at).isoformat(),
                "state": incident.state.value,
                "crisis_line": {
                    "name": checklist.crisis_name,
                    "phone": checklist.crisis_phone,
                },
                "cvr": checklist.cvr,
                "overdue": now >= due,
            }
        )
    return rows


async def _follow_up(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    checklist = await runtime.followups.async_tick(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["incident_id"],
        call.data["item"],
        done=call.data["done"],
        persons=tuple(call.data["persons"]),
        context=call.context,
    )
    return checklist_row(call.hass, checklist)


@callback
def async_setup_followup_services(hass: HomeAssistant) -> None:
    """Register the follow-up action."""
    async_register_actions(hass, [(Action.FOLLOW_UP, _follow_up, FOLLOW_UP_SCHEMA)])
