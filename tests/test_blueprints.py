"""Blueprints: valid, importable, and they fire on the integration's event.

Each blueprint is also run on the real event where it is made: the meeting
forewarning in test_meeting_desk, the ban expiry in test_ban_desk, the drill
reminder in test_drill_watch.
"""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import async_mock_service

from .blueprint_use import async_use_blueprint


async def test_extra_alarm_route_runs_for_chosen_rooms(hass: HomeAssistant) -> None:
    calls = async_mock_service(hass, "test", "route")
    await async_use_blueprint(
        hass,
        "extra_alarm_route.yaml",
        {
            "rooms": ["Kontaktrum 1"],
            "actions": [
                {
                    "action": "test.route",
                    "data": {"room": "{{ trigger.event.data.room_name }}"},
                }
            ],
        },
    )
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
