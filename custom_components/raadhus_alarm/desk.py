"""What the meeting desk and the ban desk share (the glue's plumbing).

A desk keeps one town hall's records of one kind (`record_file`), sets timers
per record, tells its listeners (entities, the panel) after every change,
and refuses bad input with a translated error. Its own logic — what a
meeting or a ban is, who is told when — stays in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import logging

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_utc_time
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .core import AlarmCore
from .model import TownHall
from .sender import Sender

_LOGGER = logging.getLogger(__name__)


def refusal(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated refusal of bad input (nothing was changed)."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )


class Desk:
    """Timers per record, listeners, and the stop that silences both."""

    def __init__(
        self, hass: HomeAssistant, config: TownHall, core: AlarmCore, sender: Sender
    ) -> None:
        self.hass = hass
        self.config = config
        self.core = core
        self.sender = sender
        self._timers: dict[str, list[CALLBACK_TYPE]] = {}
        self._listeners: list[CALLBACK_TYPE] = []
        self._stopped = False

    @callback
    def async_stop(self) -> None:
        """Cancel every timer; nothing is written from here after this."""
        self._stopped = True
        for record_id in list(self._timers):
            self._cancel_timers(record_id)

    def _cancel_timers(self, record_id: str) -> None:
        for unsub in self._timers.pop(record_id, []):
            unsub()

    def _at(self, when: datetime, job: Callable[[datetime], None]) -> CALLBACK_TYPE:
        """Run `job` at `when`; at once if that has passed (told late, not never)."""
        if when <= dt_util.utcnow():
            job(when)
            return lambda: None
        return async_track_point_in_utc_time(self.hass, job, when)

    @callback
    def async_add_listener(self, update: CALLBACK_TYPE) -> CALLBACK_TYPE:
        """Call `update` after every change (and timed start or end)."""
        self._listeners.append(update)
        return lambda: self._listeners.remove(update)

    def _tell_listeners(self) -> None:
        for update in list(self._listeners):
            try:
                update()
            except Exception:  # an entity's trouble must not stop the others
                _LOGGER.exception("A listener of %s failed", type(self).__name__)
        self.core.async_request_panel_update()
