"""The incident log's export: a CSV download, and an action that returns the rows.

`GET /api/raadhus_alarm/export.csv?start=YYYY-MM-DD&end=YYYY-MM-DD&drills=…`
(by default the last 30 days, drills included) needs a logged-in user: a
token, or a path signed with `auth/sign_path` (the panel's link). Leaders,
the centre chief, the safety organisation and administrators may download
(`permissions.may_export_log`); anyone else gets 403. People's names are in
it for leaders, the centre chief and administrators, and left empty for the
safety organisation (`log_export.shows_names`).

`raadhus_alarm.export_log` returns `{"header": [...], "rows": [...]}` with
the same columns (JSON values, local ISO times): an automation may call it
(with names), a user needs the same permission as for the download.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from http import HTTPStatus
import logging
from typing import Any, Final

from aiohttp import hdrs, web
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import probatio as vol

from .checklist import Item
from .const import DOMAIN, LANGUAGES
from .core import NotPermitted
from .incident import Incident
from .log_export import (
    HEADER,
    DrillFilter,
    FollowUpLookup,
    PeriodError,
    parse_day,
    parse_drills,
    period,
    rows,
    select,
    shows_names,
    to_csv,
)
from .lookups import caller_for_user
from .permissions import Caller, may_export_log
from .runtime import RaadhusRuntime
from .services import async_register_actions, loaded_runtime_or_refuse
from .websocket_helpers import loaded_runtime

_LOGGER = logging.getLogger(__name__)

EXPORT_URL: Final = "/api/raadhus_alarm/export.csv"
EXPORT_ACTION: Final = "export_log"
EXPORT_SCHEMA: Final = vol.Schema(
    {
        vol.Optional("start"): cv.date,
        vol.Optional("end"): cv.date,
        vol.Optional("drills", default=str(DrillFilter.INCLUDE)): vol.In(
            [str(f) for f in DrillFilter]
        ),
    }
)


def followup_lookup(runtime: RaadhusRuntime) -> FollowUpLookup:
    """When each follow-up item of an incident was done (from its checklist)."""

    def done_at(incident_id: str) -> Mapping[str, datetime | None]:
        checklist = runtime.followups.checklist(incident_id)
        if checklist is None:
            return {}
        return {
            item.value: tick.at if (tick := checklist.tick(item)).done else None
            for item in Item
        }

    return done_at


def _chosen(
    runtime: RaadhusRuntime, start: date, end: date, drills: DrillFilter
) -> list[Incident]:
    tz = dt_util.get_default_time_zone()
    return select(runtime.core.book.all(), start, end, tz, drills)


def _refused(caller: Caller, how: str) -> None:
    # The user id only: which roles they have says who they are.
    _LOGGER.warning(
        "Refused the incident log %s for user %s: not permitted", how, caller.user_id
    )


def _language(request: web.Request) -> str:
    """The first of our languages the browser asks for (English otherwise)."""
    for part in request.headers.get(hdrs.ACCEPT_LANGUAGE, "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


async def _text(
    hass: HomeAssistant,
    request: web.Request,
    key: str,
    placeholders: dict[str, str] | None = None,
) -> str:
    """One of the integration's translated error sentences, as plain text."""
    texts = await async_get_translations(
        hass, _language(request), "exceptions", [DOMAIN]
    )
    template = texts.get(f"component.{DOMAIN}.exceptions.{key}.message", key)
    try:
        return template.format(**(placeholders or {}))
    except KeyError, IndexError, ValueError:
        return template


class ExportView(HomeAssistantView):
    """The incident log of a period as a CSV file (Danish Excel opens it)."""

    url = EXPORT_URL
    name = "api:raadhus_alarm:export"
    requires_auth = True

    async def get(self, request: web.Request) -> web.Response:
        """Check who asks and what for; send the file."""
        hass = request.app[KEY_HASS]
        user = request["hass_user"]
        runtime = loaded_runtime(hass)
        if runtime is None:
            return await self._plain(
                hass, request, HTTPStatus.SERVICE_UNAVAILABLE, "not_loaded"
            )
        caller = caller_for_user(hass, runtime.config, user.id)
        if not may_export_log(caller, is_admin=user.is_admin):
            _refused(caller, "download")
            return await self._plain(
                hass,
                request,
                HTTPStatus.FORBIDDEN,
                "not_permitted",
                {"action": EXPORT_ACTION},
            )
        query = request.query
        try:
            start, end = period(
                parse_day(query["start"]) if "start" in query else None,
                parse_day(query["end"]) if "end" in query else None,
                dt_util.now().date(),
            )
            drills = parse_drills(query.get("drills"))
        except PeriodError as err:
            return await self._plain(
                hass, request, HTTPStatus.BAD_REQUEST, err.key, err.placeholders
            )
        body = to_csv(
            rows(
                _chosen(runtime, start, end, drills),
                dt_util.get_default_time_zone(),
                names=shows_names(caller, is_admin=user.is_admin),
                followup=followup_lookup(runtime),
            )
        )
        filename = f"raadhus-alarm-{start.isoformat()}-{end.isoformat()}.csv"
        return web.Response(
            body=body,
            content_type="text/csv",
            charset="utf-8",
            headers={
                hdrs.CONTENT_DISPOSITION: f'attachment; filename="{filename}"',
                # Names of people and of rooms: not for a shared cache.
                hdrs.CACHE_CONTROL: "no-store",
            },
        )

    @staticmethod
    async def _plain(
        hass: HomeAssistant,
        request: web.Request,
        status: HTTPStatus,
        key: str,
        placeholders: dict[str, str] | None = None,
    ) -> web.Response:
        return web.Response(
            text=await _text(hass, request, key, placeholders),
            status=status,
            content_type="text/plain",
            charset="utf-8",
        )


async def _export_log(call: ServiceCall) -> ServiceResponse:
    hass = call.hass
    runtime = loaded_runtime_or_refuse(hass)
    caller = caller_for_user(hass, runtime.config, call.context.user_id)
    user = (
        await hass.auth.async_get_user(call.context.user_id)
        if call.context.user_id
        else None
    )
    is_admin = user is not None and user.is_admin
    if not may_export_log(caller, is_admin=is_admin):
        _refused(caller, "export")
        raise NotPermitted(
            translation_domain=DOMAIN,
            translation_key="not_permitted",
            translation_placeholders={"action": EXPORT_ACTION},
        )
    try:
        start, end = period(
            call.data.get("start"), call.data.get("end"), dt_util.now().date()
        )
    except PeriodError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=err.key,
            translation_placeholders=err.placeholders,
        ) from err
    found = rows(
        _chosen(runtime, start, end, DrillFilter(call.data["drills"])),
        dt_util.get_default_time_zone(),
        names=shows_names(caller, is_admin=is_admin),
        followup=followup_lookup(runtime),
    )
    result: dict[str, Any] = {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "header": list(HEADER),
        "rows": found,
    }
    return result


@callback
def async_setup(hass: HomeAssistant) -> None:
    """Register the download and the action (once per Home Assistant)."""
    hass.http.register_view(ExportView())
    async_register_actions(hass, [(EXPORT_ACTION, _export_log, EXPORT_SCHEMA)])
