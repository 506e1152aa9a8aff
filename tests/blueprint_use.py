"""Use one of the project's blueprints as a user would: import it, then make
an automation from it through Home Assistant's automation integration."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

BLUEPRINTS = (
    Path(__file__).parent.parent / "blueprints" / "automation" / "raadhus_alarm"
)


async def async_use_blueprint(
    hass: HomeAssistant, name: str, inputs: dict[str, Any]
) -> None:
    """Install `name` (e.g. "drill_due_reminder.yaml") and automate it."""
    target = Path(hass.config.path("blueprints", "automation", "raadhus_alarm"))

    def _install() -> None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(BLUEPRINTS / name, target)

    await hass.async_add_executor_job(_install)
    automation = {"use_blueprint": {"path": f"raadhus_alarm/{name}", "input": inputs}}
    assert await async_setup_component(hass, "automation", {"automation": [automation]})
    await hass.async_block_till_done()
    (state,) = hass.states.async_all("automation")
    assert state.state == "on"  # the blueprint's inputs were accepted
