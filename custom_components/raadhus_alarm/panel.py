"""The officers' room panel: static files and the sidebar entry."""

from __future__ import annotations

import hashlib
from pathlib import Path

from homeassistant.components import frontend, panel_custom
from homeassistant.components.http.server import StaticPathConfig
from homeassistant.core import HomeAssistant

PANEL_URL_PATH = "raadhus-alarm"
STATIC_URL = "/raadhus_alarm_static"
FRONTEND_DIR = Path(__file__).parent / "frontend"
MODULE = "raadhus-alarm-panel.js"
WEBCOMPONENT = "raadhus-alarm-panel"
DATA_STATIC = "raadhus_alarm_static_registered"


def _version() -> str:
    # Cache busting: the URL changes whenever the file does.
    return hashlib.sha256((FRONTEND_DIR / MODULE).read_bytes()).hexdigest()[:12]


async def async_register_panel(hass: HomeAssistant, title: str) -> None:
    """Serve the panel's files and add it to the sidebar for every user."""
    if DATA_STATIC not in hass.data:
        await hass.http.async_register_static_paths(
            [StaticPathConfig(STATIC_URL, str(FRONTEND_DIR), cache_headers=True)]
        )
        hass.data[DATA_STATIC] = True
    version = await hass.async_add_executor_job(_version)
    await panel_custom.async_register_panel(
        hass,
        frontend_url_path=PANEL_URL_PATH,
        webcomponent_name=WEBCOMPONENT,
        sidebar_title=title,
        sidebar_icon="mdi:alarm-light",
        module_url=f"{STATIC_URL}/{MODULE}?v={version}",
        require_admin=False,
    )


def async_remove_panel(hass: HomeAssistant) -> None:
    """Take the panel out of the sidebar."""
    frontend.async_remove_panel(hass, PANEL_URL_PATH)
