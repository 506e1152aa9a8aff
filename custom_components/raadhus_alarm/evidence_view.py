"""Serving the video evidence (R6) to those who may see it, and its list.

`GET /api/raadhus_alarm/evidence/<incident>/<file>` needs a logged-in user
(a bearer token, or a path signed through `auth/sign_path` for the panel's
`<img>` and `<video>`), and then one whose person is a leader, the centre
chief or the security coordinator (`permissions.may_view_evidence`): anyone
else gets 403 before anything is looked up, so a refused user learns nothing
about which incidents have evidence. Only files listed in the incident's
index are served, and only from inside its folder (links followed); anything
else is 404. Evidence is never cached by the browser.
"""

from __future__ import annotations

import logging
from typing import Any, Final

from aiohttp import hdrs, web
from homeassistant.components.http.const import KEY_HASS_USER
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import KEY_HASS, HomeAssistantView

from .evidence_capture import inside
from .evidence_plan import content_type
from .lookups import caller_for_user
from .permissions import may_view_evidence
from .runtime import RaadhusRuntime
from .websocket_helpers import loaded_runtime

_LOGGER = logging.getLogger(__name__)

URL: Final = "/api/raadhus_alarm/evidence"


def evidence_url(incident_id: str, name: str) -> str:
    """Where a file of an incident's evidence is served."""
    return f"{URL}/{incident_id}/{name}"


def evidence_row(runtime: RaadhusRuntime, incident_id: str) -> dict[str, Any] | None:
    """An incident's evidence as the panel lists it (None: it has none).

    Only for those who may view evidence (the caller asks that first).
    """
    record = runtime.evidence.book.get(incident_id)
    if record is None:
        return None
    return {
        "files": [
            {**file.to_dict(), "path": evidence_url(record.id, file.name)}
            for file in sorted(record.files, key=lambda f: (f.at, f.name))
        ],
        "keep": record.keep,
    }


def with_evidence(
    hass: HomeAssistant,
    runtime: RaadhusRuntime,
    user_id: str | None,
    rows: list[dict[str, Any]],
) -> None:
    """Add each history row's `evidence`, if the user may see it at all."""
    if may_view_evidence(caller_for_user(hass, runtime.config, user_id)):
        for row in rows:
            row["evidence"] = evidence_row(runtime, row["id"])


class EvidenceView(HomeAssistantView):
    """One file of an incident's evidence, for leaders and the coordinator."""

    url = URL + "/{incident_id}/{name}"
    name = "api:raadhus_alarm:evidence"
    requires_auth = True

    async def get(
        self, request: web.Request, incident_id: str, name: str
    ) -> web.StreamResponse:
        """The file, 403 for a user who may not see it, 404 when there is none."""
        hass = request.app[KEY_HASS]
        runtime = loaded_runtime(hass)
        if runtime is None:
            raise web.HTTPNotFound
        user = request[KEY_HASS_USER]
        if not may_view_evidence(caller_for_user(hass, runtime.config, user.id)):
            _LOGGER.warning("Refused video evidence to user %s (no role)", user.id)
            raise web.HTTPForbidden
        path = runtime.evidence.file_path(incident_id, name)
        if path is None or not await hass.async_add_executor_job(
            inside, runtime.evidence.base, path
        ):
            raise web.HTTPNotFound
        return web.FileResponse(
            path,
            headers={
                hdrs.CONTENT_TYPE: content_type(name),
                hdrs.CACHE_CONTROL: "no-store",
                hdrs.CONTENT_DISPOSITION: "inline",
            },
        )


@callback
def async_setup(hass: HomeAssistant) -> None:
    """Register the view (once per Home Assistant)."""
    hass.http.register_view(EvidenceView())
