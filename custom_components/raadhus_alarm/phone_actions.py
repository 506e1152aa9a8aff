"""Phone actions: a tap on "Jeg kommer / På stedet / Afsluttet" → the core.

The tap arrives as `mobile_app_notification_action` with the user of the
phone's app in its context. It goes through the same entry point (and so the
same permission gate) as the actions and the panel. A refused tap is logged
by the gate and changes nothing; a tap on an alarm someone else already took
is noted on the incident, not an error.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError

from .core import AlarmCore, NotPermitted, Request
from .incident import StepSource
from .lookups import caller_for_user
from .messages import PHONE_ACTIONS, parse_action
from .permissions import Caller, CallerKind

_LOGGER = logging.getLogger(__name__)

ACTION_EVENT: Final = "mobile_app_notification_action"


@callback
def async_listen(hass: HomeAssistant, core: AlarmCore) -> CALLBACK_TYPE:
    """Take phone actions for this town hall; returns the unsubscriber."""

    @callback
    def _ours(data: dict[str, Any]) -> bool:
        return parse_action(data.get("action")) is not None

    async def _tapped(event: Event[dict[str, Any]]) -> None:
        parsed = parse_action(event.data.get("action"))
        if parsed is None:  # pragma: no cover - the filter lets only ours through
            return
        name, incident_id = parsed
        if (incident := core.book.get(incident_id)) is None:
            _LOGGER.debug("Phone action %s for an unknown incident", name)
            return
        user_id = event.context.user_id
        # A tap always comes from a phone's user; one without is nobody's
        # (never the automation a call without a user would be).
        caller = (
            caller_for_user(hass, core.config, user_id)
            if user_id
            else Caller(CallerKind.USER)
        )
        request = Request(
            PHONE_ACTIONS[name],
            caller,
            StepSource.MOBILE_APP,
            incident_id=incident_id,
            context=event.context,
        )
        try:
            await core.async_act(request)
        except NotPermitted:
            return  # logged by the gate; the tap changes nothing
        except ServiceValidationError:
            # E.g. a second officer taps "Jeg kommer": noted, not an error.
            who = caller.name or caller.user_id
            core.async_add_note(incident, f"{who}: {name} (already {incident.state})")

    return hass.bus.async_listen(ACTION_EVENT, _tapped, event_filter=_ours)
