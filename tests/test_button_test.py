"""The button test's listening engine, on its own (the flow's steps are in
test_button_flow): what it cannot read, what it shows, which alarm it keeps,
and two tests of one device at once. Real bus, frozen clock.
"""

from __future__ import annotations

import asyncio

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant

from custom_components.raadhus_alarm.button_test import (
    MAX_HEARD,
    ButtonTestResult,
    Heard,
    async_run_button_test,
    would_alarm,
)
from custom_components.raadhus_alarm.buttons import button_mutes
from custom_components.raadhus_alarm.const import ButtonProfile, ButtonSource
from custom_components.raadhus_alarm.detection import behaviour_of
from custom_components.raadhus_alarm.device_library import (
    GENERIC_MODEL,
    Behaviour,
    load_library,
)
from custom_components.raadhus_alarm.model import Button, TownHall

from .bus import advance, zha_data
from .world import World


def _button(device_id: str) -> Button:
    return Button(
        id="t",
        room_id="k1",
        name="Knap",
        source=ButtonSource.ZHA,
        profile=ButtonProfile.PRESS_RELEASE,
        device_id=device_id,
        model=GENERIC_MODEL,
    )


def _behaviour(hass: HomeAssistant, button: Button) -> Behaviour:
    return behaviour_of(hass, load_library(), TownHall(buttons=(button,)), button)


def _zha(hass: HomeAssistant, device_id: str, command: str) -> None:
    hass.bus.async_fire("zha_event", zha_data(device_id, command))


def _start(hass: HomeAssistant, button: Button) -> asyncio.Task[ButtonTestResult]:
    return hass.async_create_background_task(
        async_run_button_test(
            hass, button, _behaviour(hass, button), (button.device_id or "",)
        ),
        "button test",
    )


async def test_what_it_cannot_read_what_it_shows_and_the_first_alarm(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    device_id = world.zha_buttons[0]
    test = _start(hass, _button(device_id))
    await advance(hass, freezer, 0)
    _zha(hass, device_id, "")  # the device spoke, but not as a button
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 2.1)  # an alarm
    _zha(hass, device_id, "release")
    _zha(hass, device_id, "hold")
    await advance(hass, freezer, 2.1)  # and another: the first one counts
    for _ in range(MAX_HEARD):  # a chatty device
        _zha(hass, device_id, "release")
        await advance(hass, freezer, 0.05)
    await advance(hass, freezer, 3.0)  # quiet: the test ends
    result = await test
    assert result.not_understood == 1
    assert len(result.heard) == MAX_HEARD  # no more shown than that
    assert result.alarm_after == 2.0
    assert result.verdict == "alarm"


async def test_two_tests_of_one_device_keep_it_muted_until_both_end(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    device_id = world.zha_buttons[0]
    first = _start(hass, _button(device_id))
    await advance(hass, freezer, 10)
    second = _start(hass, _button(device_id))
    await advance(hass, freezer, 0)
    assert button_mutes(hass)[device_id] == 2
    await advance(hass, freezer, 10.5)  # the first gives up (20 s, nothing)
    assert (await first).verdict == "nothing"
    assert button_mutes(hass)[device_id] == 1  # the second still listens
    await advance(hass, freezer, 10)
    assert (await second).verdict == "nothing"
    assert device_id not in button_mutes(hass)


def test_names_a_set_up_does_not_know_never_make_an_alarm(
    hass: HomeAssistant,
) -> None:
    button = _button("d")
    heard = [Heard(0.0, "zz_unknown", None), Heard(3.0, "zz_unknown", None)]
    assert not would_alarm(ButtonTestResult(heard=heard), _behaviour(hass, button))
