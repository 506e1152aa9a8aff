"""The action for video evidence (R6): keep an incident's evidence for the police.

`raadhus_alarm.keep_evidence` with `keep: true` holds an incident's pictures
and clips past the retention period (for a police report) until it is called
again with `keep: false`. It goes through the evidence keeper, which passes
the one permission gate as the calling user (a call without a user is an
automation's), and returns what is kept.
"""

from __future__ import annotations

from typing import Final

from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, callback
from homeassistant.helpers import config_validation as cv
import probatio as vol

from .lookups import caller_for_user
from .permissions import Action
from .services import async_register_actions, loaded_runtime_or_refuse, plain_text

MAX_ID: Final = 100
KEEP_SCHEMA: Final = vol.Schema(
    {
        vol.Required("incident_id"): vol.All(
            cv.string, vol.Length(max=MAX_ID), plain_text
        ),
        vol.Required("keep"): cv.boolean,
    }
)


async def _keep(call: ServiceCall) -> ServiceResponse:
    runtime = loaded_runtime_or_refuse(call.hass)
    record = await runtime.evidence.async_set_keep(
        caller_for_user(call.hass, runtime.config, call.context.user_id),
        call.data["incident_id"],
        call.data["keep"],
        call.context,
    )
    return {
        "incident_id": record.id,
        "keep": record.keep,
        "files": [f.to_dict() for f in record.files],
    }


@callback
def async_setup_evidence_services(hass: HomeAssistant) -> None:
    """Register the evidence action."""
    async_register_actions(hass, [(Action.KEEP_EVIDENCE, _keep, KEEP_SCHEMA)])
