"""Constants for the demo-only support integration (never shipped)."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "raadhus_demo"

CONF_BUTTONS: Final = "buttons"
CONF_CAMERAS: Final = "cameras"
CONF_ROOM: Final = "room"
CONF_SOURCE: Final = "source"
CONF_PROFILE: Final = "profile"
CONF_MANUFACTURER: Final = "manufacturer"
CONF_MODEL: Final = "model"
CONF_NODE_ID: Final = "node_id"
CONF_BATTERY: Final = "battery"

SOURCES: Final = ("zha", "zwave_js")
PROFILES: Final = ("press_release", "repeated_held", "single_shot")

# Fired for every push the stand-in push gateway receives.
EVENT_PUSH: Final = "raadhus_demo_push"
# Dispatcher signal: a button's simulated battery/availability changed.
SIGNAL_BUTTON_UPDATE: Final = "raadhus_demo_button_update"

PUSH_URL_PATH: Final = "/api/raadhus_demo/push"
