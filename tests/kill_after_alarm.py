"""Run by test_kill: raise a button alarm, then die by SIGKILL as it is announced.

    python tests/kill_after_alarm.py CONFIG_DIR [backdated|held|before]

Prints the incident id the moment `raadhus_alarm_incident` fires, then kills
its own process (no shutdown, no flush, nothing after the announcement).
`backdated`: a Hue-style hold that says it has lasted 2.5 s (an alarm at
once); `held`: a hold timed on the real clock, whose alarm was written ahead;
`before`: the same hold, killed 20 ms before its threshold (prints "killed").
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import signal
import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# The project's custom_components must win over the test plugin's own.
from homeassistant import loader
from homeassistant.core import Event, callback
from pytest_homeassistant_custom_component.common import async_test_home_assistant

import custom_components.raadhus_alarm  # noqa: F401
from custom_components.raadhus_alarm.const import EVENT_INCIDENT
from tests.world import async_build_world, async_setup_town_hall, town_hall_options


async def main(config_dir: str, mode: str) -> None:
    async with async_test_home_assistant(config_dir=config_dir) as hass:
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
        world = await async_build_world(hass)
        await async_setup_town_hall(hass, town_hall_options(world), "town_hall")

        @callback
        def _announced(event: Event) -> None:
            print(event.data["incident_id"], flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

        hass.bus.async_listen(EVENT_INCIDENT, _announced)
        # backdated: a Hue-style hold that says it has lasted 2.5 s.
        args = {"duration": 25} if mode == "backdated" else {}
        hass.bus.async_fire(
            "zha_event",
            {"device_id": world.zha_buttons[0], "command": "hold", "args": args},
        )
        if mode == "before":
            await asyncio.sleep(2.0 - 0.02)
            print("killed", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        await asyncio.sleep(30)  # never reached: killed on the announcement


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "backdated"))
