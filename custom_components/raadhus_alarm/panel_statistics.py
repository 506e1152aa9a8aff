"""The panel's response statistics: `raadhus_alarm/statistics`.

For any logged-in user (figures only, no names, no rooms): per calendar month
of the last 12 (the town hall's time zone, oldest first) the real alarms'
count, false alarms and the median and 90th percentile of the times to
acknowledge and to on scene; the same for the last 30 days, and for the
drills of the last 30 days apart (`statistics.report`).
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.websocket_api.connection import ActiveConnection
from homeassistant.components.websocket_api.decorators import websocket_command
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
import probatio as vol

from .statistics import report
from .websocket_helpers import loaded_runtime_or_say


@websocket_command({vol.Required("type"): "raadhus_alarm/statistics"})
@callback
def ws_statistics(
    hass: HomeAssistant,
    connection: ActiveConnection,
    msg: dict[str, Any],
) -> None:
    """The response figures per month and of the last 30 days."""
    runtime = loaded_runtime_or_say(hass, connection, msg["id"])
    if runtime is None:
        return
    connection.send_result(
        msg["id"],
        report(
            runtime.core.book.all(), dt_util.utcnow(), dt_util.get_default_time_zone()
        ),
    )
