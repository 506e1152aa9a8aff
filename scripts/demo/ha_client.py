"""A small Home Assistant API client (REST + websocket) for the demo scripts.

Only what a browser or the companion app does: the auth login flow, the REST
API with a bearer token, and the websocket API. Standard library + aiohttp.
"""

from __future__ import annotations

from collections.abc import Mapping
import itertools
import json
from typing import Any, Self

import aiohttp


class HAError(Exception):
    """An API call failed."""

    def __init__(self, message: str, status: int | None = None, body: Any = None):
        super().__init__(message)
        self.status = status
        self.body = body


class HomeAssistant:
    """One logged-in (or anonymous) client of a running Home Assistant."""

    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url = url.rstrip("/")
        self.client_id = self.url + "/"
        self.session = session
        self.access_token: str | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._ids = itertools.count(1)

    @classmethod
    async def connect(cls, url: str) -> Self:
        """Open a session (no login yet)."""
        timeout = aiohttp.ClientTimeout(total=60)
        return cls(url, aiohttp.ClientSession(timeout=timeout))

    async def close(self) -> None:
        """Close websocket and session."""
        if self._ws is not None:
            await self._ws.close()
        await self.session.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- auth ----------------------------------------------------------------

    async def login(self, username: str, password: str) -> str:
        """Log in through the auth login flow, like the frontend does."""
        flow = await self.rest(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.client_id,
            },
            auth=False,
        )
        result = await self.rest(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"username": username, "password": password, "client_id": self.client_id},
            auth=False,
        )
        if result.get("type") != "create_entry":
            raise HAError(f"login as {username!r} failed: {result.get('errors')}")
        return await self.exchange_code(result["result"])

    async def exchange_code(self, code: str) -> str:
        """Turn an authorization code into an access token."""
        async with self.session.post(
            f"{self.url}/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        ) as resp:
            body = await resp.json(content_type=None)
            if resp.status != 200:
                raise HAError(f"token exchange failed: {body}", resp.status, body)
        self.access_token = body["access_token"]
        return self.access_token

    # -- REST ----------------------------------------------------------------

    async def rest(
        self,
        method: str,
        path: str,
        payload: Mapping[str, Any] | None = None,
        *,
        auth: bool = True,
        ok: tuple[int, ...] = (200, 201),
    ) -> Any:
        """Call the REST API and return the decoded JSON."""
        headers = {}
        if auth:
            if not self.access_token:
                raise HAError("not logged in")
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self.session.request(
            method, self.url + path, json=payload, headers=headers
        ) as resp:
            text = await resp.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = text
            if resp.status not in ok:
                raise HAError(
                    f"{method} {path}: HTTP {resp.status} {text[:300]}",
                    resp.status,
                    body,
                )
            return body

    # -- websocket -------------------------------------------------------------

    async def ws(self, msg_type: str, **data: Any) -> Any:
        """Send one websocket command and return its result."""
        if self._ws is None:
            self._ws = await self.session.ws_connect(self.url + "/api/websocket")
            hello = await self._ws.receive_json()
            if hello.get("type") != "auth_required":
                raise HAError(f"unexpected websocket greeting {hello}")
            await self._ws.send_json(
                {"type": "auth", "access_token": self.access_token}
            )
            answer = await self._ws.receive_json()
            if answer.get("type") != "auth_ok":
                raise HAError(f"websocket auth failed: {answer}")
        msg_id = next(self._ids)
        await self._ws.send_json({"id": msg_id, "type": msg_type, **data})
        while True:
            msg = await self._ws.receive_json()
            if msg.get("id") != msg_id or msg.get("type") != "result":
                continue
            if not msg.get("success"):
                raise HAError(f"{msg_type}: {msg.get('error')}", body=msg.get("error"))
            return msg.get("result")

    async def subscribe_events(self, event_types: list[str]) -> None:
        """Subscribe to bus events; read them with next_event()."""
        for event_type in event_types:
            await self.ws("subscribe_events", event_type=event_type)

    async def next_event(self) -> dict[str, Any]:
        """The next subscribed event (wrap in asyncio.timeout to bound the wait)."""
        assert self._ws is not None, "subscribe_events first"
        while True:
            msg = await self._ws.receive_json()
            if msg.get("type") == "event":
                event: dict[str, Any] = msg["event"]
                return event

    # -- small helpers ---------------------------------------------------------

    async def config_entries(self, domain: str) -> list[dict[str, Any]]:
        """Config entries of one integration."""
        return await self.rest(
            "GET", f"/api/config/config_entries/entry?domain={domain}"
        )

    async def states(self) -> list[dict[str, Any]]:
        """All entity states."""
        return await self.rest("GET", "/api/states")
