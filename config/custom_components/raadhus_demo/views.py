"""HTTP views: the stand-in push gateway and read-only helpers for the scripts."""

from __future__ import annotations

from datetime import timedelta
from http import HTTPStatus
import itertools
import logging
from typing import Any

from aiohttp import web
from homeassistant.components import persistent_notification
from homeassistant.components.http import KEY_HASS, HomeAssistantView
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util, slugify

from .const import EVENT_PUSH, PUSH_URL_PATH
from .data import DemoData

_LOGGER = logging.getLogger(__name__)

_counter = itertools.count(1)


@callback
def async_register_views(hass: HomeAssistant, data: DemoData) -> None:
    """Register all demo views."""
    hass.http.register_view(PushGatewayView(data))
    hass.http.register_view(PushLogView(data))
    hass.http.register_view(ButtonsView(data))
    hass.http.register_view(PhonesView())
    hass.http.register_view(AlarmOptionsView())


def _phone(hass: HomeAssistant, webhook_id: str | None) -> dict[str, Any]:
    """Find the companion-app registration behind a push."""
    for entry in hass.config_entries.async_entries("mobile_app"):
        if entry.data.get("webhook_id") == webhook_id:
            user_id = entry.data.get("user_id")
            person = next(
                (
                    s.name
                    for s in hass.states.async_all("person")
                    if s.attributes.get("user_id") == user_id
                ),
                None,
            )
            return {
                "device_name": entry.data.get("device_name", entry.title),
                "os_name": entry.data.get("os_name"),
                "person": person,
            }
    return {"device_name": "ukendt telefon", "os_name": None, "person": None}


def _image_markdown(hass: HomeAssistant, url: str) -> str:
    """Markdown for an attached image the browser can show."""
    if url.startswith("/api/camera_proxy/"):
        entity_id = url.removeprefix("/api/camera_proxy/").split("?")[0]
        state = hass.states.get(entity_id)
        token = state.attributes.get("access_token") if state else None
        if token:
            return f"![snapshot]({url.split('?', maxsplit=1)[0]}?token={token})"
    return f"![snapshot]({url})"


class PushGatewayView(HomeAssistantView):
    """Receives what mobile_app would send to Apple/Google's push service.

    Unauthenticated, like the real push gateway. Each push becomes a persistent
    notification (replaced per tag, dismissed by ``clear_notification``), a log
    line and a ``raadhus_demo_push`` bus event.
    """

    url = PUSH_URL_PATH
    name = "api:raadhus_demo:push"
    requires_auth = False

    def __init__(self, data: DemoData) -> None:
        self._data = data

    async def post(self, request: web.Request) -> web.Response:
        """Record one push."""
        hass = request.app[KEY_HASS]
        try:
            body: dict[str, Any] = await request.json()
        except ValueError:
            return self.json_message("invalid JSON", HTTPStatus.BAD_REQUEST)
        reg = body.get("registration_info") or {}
        phone = _phone(hass, reg.get("webhook_id"))
        message = str(body.get("message", ""))
        title = body.get("title")
        extra: dict[str, Any] = body.get("data") or {}
        tag = extra.get("tag")
        record = {
            "n": next(_counter),
            "received_at": dt_util.now().isoformat(),
            **phone,
            "push_token": body.get("push_token"),
            "title": title,
            "message": message,
            "data": extra,
        }
        self._data.pushes.append(record)
        hass.bus.async_fire(EVENT_PUSH, record)

        who = phone["person"] or phone["device_name"]
        notification_id = f"raadhus_demo_push_{slugify(phone['device_name'])}_" + (
            slugify(str(tag)) if tag else str(record["n"])
        )
        if message == "clear_notification":
            _LOGGER.info(
                "Push to %s (%s): clear tag=%s", who, phone["device_name"], tag
            )
            persistent_notification.async_dismiss(hass, notification_id)
            return self._accepted(body)

        critical = (
            (extra.get("push") or {}).get("interruption-level") == "critical"
            or extra.get("channel") == "alarm_stream"
            or extra.get("priority") == "high"
        )
        actions = [
            a.get("title") or a.get("action") for a in extra.get("actions") or []
        ]
        _LOGGER.info(
            "Push to %s (%s)%s: %s — %s%s%s",
            who,
            phone["device_name"],
            " [KRITISK]" if critical else "",
            title or "",
            message,
            f" [tag={tag}]" if tag else "",
            f" [handlinger: {', '.join(map(str, actions))}]" if actions else "",
        )
        lines = [message]
        if actions:
            lines.append("**Handlinger:** " + " · ".join(f"`{a}`" for a in actions))
        if critical:
            lines.append("*Kritisk: bryder igennem lydløs*")
        if image := extra.get("image"):
            lines.append(_image_markdown(hass, str(image)))
        lines.append(
            f"<sub>{phone['device_name']} · {dt_util.now().strftime('%H:%M:%S')}"
            f"{f' · tag {tag}' if tag else ''}</sub>"
        )
        persistent_notification.async_create(
            hass,
            "\n\n".join(lines),
            title=f"Push til {who}: {title}" if title else f"Push til {who}",
            notification_id=notification_id,
        )
        return self._accepted(body)

    @staticmethod
    def _accepted(body: dict[str, Any]) -> web.Response:
        resets = (dt_util.utcnow() + timedelta(days=1)).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
        return web.json_response(
            {
                "message": "Demo push recorded",
                "target": body.get("push_token"),
                "rateLimits": {
                    "successful": 0,
                    "errors": 0,
                    "maximum": 500,
                    "resetsAt": resets.isoformat(),
                },
            },
            status=HTTPStatus.CREATED,
        )


class PushLogView(HomeAssistantView):
    """GET the pushes received since start (newest last)."""

    url = "/api/raadhus_demo/pushes"
    name = "api:raadhus_demo:pushes"

    def __init__(self, data: DemoData) -> None:
        self._data = data

    async def get(self, request: web.Request) -> web.Response:
        """Return the recorded pushes."""
        return self.json(list(self._data.pushes))


class ButtonsView(HomeAssistantView):
    """GET the demo buttons (device ids, fake IEEE / node ids) for scripts/simulate."""

    url = "/api/raadhus_demo/buttons"
    name = "api:raadhus_demo:buttons"

    def __init__(self, data: DemoData) -> None:
        self._data = data

    async def get(self, request: web.Request) -> web.Response:
        """Return the demo buttons."""
        return self.json([b.summary() for b in self._data.buttons])


class PhonesView(HomeAssistantView):
    """GET the fake phones (admin only: includes their webhook ids)."""

    url = "/api/raadhus_demo/phones"
    name = "api:raadhus_demo:phones"

    async def get(self, request: web.Request) -> web.Response:
        """Return the companion-app registrations."""
        if not request["hass_user"].is_admin:
            return self.json_message("admin only", HTTPStatus.FORBIDDEN)
        hass = request.app[KEY_HASS]
        phones = []
        for entry in hass.config_entries.async_entries("mobile_app"):
            phone = _phone(hass, entry.data.get("webhook_id"))
            phones.append(
                {
                    **phone,
                    "webhook_id": entry.data.get("webhook_id"),
                    "app_id": entry.data.get("app_id"),
                    "device_id": entry.data.get("device_id"),
                }
            )
        return self.json(phones)


class AlarmOptionsView(HomeAssistantView):
    """GET raadhus_alarm's stored options (admin only).

    scripts/simulate reads the rooms and buttons here: raadhus_alarm's
    diagnostics carry no names (nothing that could identify a person).
    """

    url = "/api/raadhus_demo/alarm_options"
    name = "api:raadhus_demo:alarm_options"

    async def get(self, request: web.Request) -> web.Response:
        """Return the options of the raadhus_alarm entries."""
        if not request["hass_user"].is_admin:
            return self.json_message("admin only", HTTPStatus.FORBIDDEN)
        hass = request.app[KEY_HASS]
        return self.json(
            [
                {"entry_id": e.entry_id, "title": e.title, "options": _as_one(e)}
                for e in hass.config_entries.async_entries("raadhus_alarm")
            ]
        )


# raadhus_alarm keeps rooms, buttons and responders as config subentries.
LISTS = {"room": "rooms", "button": "buttons", "responder": "people"}


def _as_one(entry: ConfigEntry) -> dict[str, Any]:
    """The entry's options with its subentries as lists (ids: subentry ids)."""
    merged: dict[str, Any] = {**entry.options, **{k: [] for k in LISTS.values()}}
    for subentry in entry.subentries.values():
        if key := LISTS.get(subentry.subentry_type):
            merged[key].append({**subentry.data, "id": subentry.subentry_id})
    return merged
