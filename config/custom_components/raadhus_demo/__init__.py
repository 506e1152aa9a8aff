"""Demo-only hardware for the raadhus_alarm demo town hall (never shipped).

Configured in YAML (``raadhus_demo:``), it provides what a real town hall gets
from ZHA, Z-Wave JS, cameras and the companion-app push service:

* one device per simulated panic button (with a battery sensor), so the buttons
  can be picked in raadhus_alarm's options flow like real ones; the button
  presses themselves are bus events fired by ``scripts/simulate``;
* one camera per room serving a generated still image;
* a stand-in push gateway (``/api/raadhus_demo/push``) that the fake phones
  registered by ``scripts/develop`` point at: each push becomes a persistent
  notification and a log line, so the alarm's phone notifications are visible.
"""

from __future__ import annotations

import logging

from homeassistant.config_entries import SOURCE_IMPORT, ConfigEntry
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.typing import ConfigType
import probatio as vol

from .const import (
    CONF_BATTERY,
    CONF_BUTTONS,
    CONF_CAMERAS,
    CONF_MANUFACTURER,
    CONF_MODEL,
    CONF_NODE_ID,
    CONF_PROFILE,
    CONF_ROOM,
    CONF_SOURCE,
    DOMAIN,
    PROFILES,
    SIGNAL_BUTTON_UPDATE,
    SOURCES,
)
from .data import DemoButton, DemoCamera, DemoData
from .views import async_register_views

_LOGGER = logging.getLogger(__name__)

PLATFORMS = [Platform.CAMERA, Platform.SENSOR]

BUTTON_SCHEMA = vol.Schema(
    {
        vol.Required("name"): cv.string,
        vol.Required(CONF_ROOM): cv.string,
        vol.Required(CONF_SOURCE): vol.In(SOURCES),
        vol.Required(CONF_PROFILE): vol.In(PROFILES),
        vol.Optional(CONF_MANUFACTURER, default="Demo"): cv.string,
        vol.Optional(CONF_MODEL, default="Panikknap (simuleret)"): cv.string,
        vol.Optional(CONF_NODE_ID): vol.All(int, vol.Range(min=2, max=232)),
        vol.Optional(CONF_BATTERY, default=100): vol.All(int, vol.Range(0, 100)),
    }
)
CAMERA_SCHEMA = vol.Schema({vol.Required(CONF_ROOM): cv.string})

CONFIG_SCHEMA = vol.Schema(
    {
        DOMAIN: vol.Schema(
            {
                vol.Optional(CONF_BUTTONS, default=list): [BUTTON_SCHEMA],
                vol.Optional(CONF_CAMERAS, default=list): [CAMERA_SCHEMA],
            }
        )
    },
    extra=vol.ALLOW_EXTRA,
)

SERVICE_SET_BATTERY = "set_battery"
SERVICE_SET_AVAILABLE = "set_available"


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Read the YAML, register the HTTP views and services, import the entry."""
    if DOMAIN not in config:
        return True
    conf = config[DOMAIN]
    node_ids = iter(range(10, 233))
    buttons = []
    for b in conf[CONF_BUTTONS]:
        node_id = b.get(CONF_NODE_ID)
        if b[CONF_SOURCE] == "zwave_js" and node_id is None:
            node_id = next(node_ids)
        buttons.append(
            DemoButton(
                name=b["name"],
                room=b[CONF_ROOM],
                source=b[CONF_SOURCE],
                profile=b[CONF_PROFILE],
                manufacturer=b[CONF_MANUFACTURER],
                model=b[CONF_MODEL],
                node_id=node_id,
                battery=b[CONF_BATTERY],
            )
        )
    data = DemoData(
        buttons=buttons,
        cameras=[DemoCamera(room=c[CONF_ROOM]) for c in conf[CONF_CAMERAS]],
    )
    hass.data[DOMAIN] = data
    async_register_views(hass, data)
    _register_services(hass, data)

    if not hass.config_entries.async_entries(DOMAIN):
        hass.async_create_task(
            hass.config_entries.flow.async_init(
                DOMAIN, context={"source": SOURCE_IMPORT}, data={}
            ),
            "raadhus_demo import",
        )
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Create the demo devices and their entities."""
    data: DemoData | None = hass.data.get(DOMAIN)
    if data is None:
        _LOGGER.warning(
            "raadhus_demo: no 'raadhus_demo:' section in configuration.yaml"
        )
        return False
    registry = dr.async_get(hass)
    wanted: set[str] = set()
    for button in data.buttons:
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, button.identifier)},
            connections=(
                {(dr.CONNECTION_ZIGBEE, button.ieee)}
                if button.source == "zha"
                else set()
            ),
            name=button.name,
            manufacturer=button.manufacturer,
            model=button.model,
            sw_version="demo",
            suggested_area=button.room,
        )
        button.device_id = device.id
        wanted.add(device.id)
    for camera in data.cameras:
        device = registry.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={(DOMAIN, camera.identifier)},
            name=f"Kamera {camera.room}",
            manufacturer="Demo",
            model="Simuleret kamera",
            suggested_area=camera.room,
        )
        camera.device_id = device.id
        wanted.add(device.id)
    # Devices that were removed from the YAML go away.
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if device.id not in wanted:
            registry.async_update_device(
                device.id, remove_config_entry_id=entry.entry_id
            )

    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    """Unload the demo entities."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


def _register_services(hass: HomeAssistant, data: DemoData) -> None:
    def find(call: ServiceCall) -> DemoButton:
        button = data.find_button(call.data["button"])
        if button is None:
            raise ServiceValidationError(f"No demo button {call.data['button']!r}")
        return button

    async def set_battery(call: ServiceCall) -> None:
        button = find(call)
        button.battery = call.data["level"]
        _LOGGER.info("Demo button %s: battery %s%%", button.name, button.battery)
        async_dispatcher_send(hass, SIGNAL_BUTTON_UPDATE, button.identifier)

    async def set_available(call: ServiceCall) -> None:
        button = find(call)
        button.available = call.data["available"]
        _LOGGER.info(
            "Demo button %s: %s",
            button.name,
            "online" if button.available else "offline",
        )
        async_dispatcher_send(hass, SIGNAL_BUTTON_UPDATE, button.identifier)

    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_BATTERY,
        set_battery,
        vol.Schema(
            {
                vol.Required("button"): cv.string,
                vol.Required("level"): vol.All(vol.Coerce(int), vol.Range(0, 100)),
            }
        ),
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SET_AVAILABLE,
        set_available,
        vol.Schema(
            {vol.Required("button"): cv.string, vol.Required("available"): cv.boolean}
        ),
    )
