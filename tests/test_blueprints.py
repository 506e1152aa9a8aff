"""Blueprints: valid, importable, and they fire on the integration's event."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import async_mock_service

BLUEPRINTS = (
    Path(__file__).parent.parent / "blueprints" / "automation" / "raadhus_alarm"
)


async def test_extra_alarm_route_runs_for_chosen_rooms(hass: HomeAssistant) -> None:
    target = Path(hass.config.path("blueprints", "automation", "raadhus_alarm"))

    def _install() -> None:
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(BLUEPRINTS / "extra_alarm_route.yaml", target)

    await hass.async_add_executor_job(_install)
    calls = async_mock_service(hass, "test", "route")
    automation: dict[str, Any] = {
        "use_blueprint": {
            "path": "raadhus_alarm/extra_alarm_route.yaml",
            "input": {
                "rooms": ["Kontaktrum 1"],
                "actions": [
                    {
                        "action": "test.route",
                        "data": {"room": "{{ trigger.event.data.room_name }}"},
                    }
                ],
            },
        }
    }
    try:
        assert await async_setup_component(
            hass, "automation", {"automation": [automation]}
        )
        await hass.async_block_till_done()
        state = hass.states.async_all("automation")
        assert len(state) == 1
        assert state[0].state == "on"
        fire = hass.bus.async_fire
        fire(
            "raadhus_alarm_incident",
            {"change": "created", "room_name": "Kontaktrum 2", "drill": False},
        )
        fire(
            "raadhus_alarm_incident",
            {"change": "created", "room_name": "Kontaktrum 1", "drill": True},
        )
        fire(
            "raadhus_alarm_incident",
            {"change": "transition", "room_name": "Kontaktrum 1", "drill": False},
        )
        fire(
            "raadhus_alarm_incident",
            {"change": "created", "room_name": "Kontaktrum 1", "drill": False},
        )
        await hass.async_block_till_done()
        assert [c.data for c in calls] == [{"room": "Kontaktrum 1"}]
    finally:
        shutil.rmtree(target)
