"""A room, button, responder or setting changed while an alarm is open.

Every change on the integration page (or in the options) sets the town hall
up again. An open alarm must come through that exactly as it was: still
open, nobody rung twice for it, its next escalation round on time, and still
answerable.
"""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.incident import IncidentState

from .test_alarm_bus import advance, alarm_on, zha
from .test_routing import Phones, hold, routed_options
from .world import World, async_setup_town_hall


async def _rename_button(
    hass: HomeAssistant, entry: MockConfigEntry, world: World
) -> None:
    """Facilities rename Kontaktrum 1's button through its change form."""
    result = await entry.start_subentry_reconfigure_flow(hass, "zha1")
    flow_id = result["flow_id"]
    configure = hass.config_entries.subentries.async_configure
    await configure(flow_id, {"room_id": "k1", "name": "Under bordet", "source": "zha"})
    result = await configure(
        flow_id, {"device_id": world.zha_buttons[0], "profile": "press_release"}
    )
    result = await configure(flow_id, {"model": "auto"})
    assert result["type"] is FlowResultType.ABORT
    await hass.async_block_till_done()


def _pushes(phones: Phones) -> dict[str, int]:
    return {slug: len(pushes) for slug, pushes in phones.received.items()}


async def test_a_change_keeps_the_alarm_its_timers_and_its_escalation(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hold(hass, freezer, world)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    first_round = _pushes(phones)
    assert first_round["betjent_bo"] == 1
    runtime_before = entry.runtime_data

    await advance(hass, freezer, 10)
    await _rename_button(hass, entry, world)
    assert entry.runtime_data is not runtime_before  # set up again
    assert entry.runtime_data.config.buttons[0].name == "Under bordet"
    # Still open, the same incident, and nobody was rung again by the reload.
    (after,) = entry.runtime_data.core.book.open_incidents()
    assert (after.id, after.state) == (incident.id, IncidentState.TRIGGERED)
    assert alarm_on(hass, "kontaktrum_1")
    assert _pushes(phones) == first_round

    # The escalation comes when it was due (30 s after the alarm), once.
    await advance(hass, freezer, 19)  # 29 s after the alarm
    assert _pushes(phones) == first_round
    await advance(hass, freezer, 2)  # 31 s
    second = _pushes(phones)
    assert second["betjent_bo"] == 2
    assert second["centerchef_carl"] >= 1  # widened to the centre chief
    await advance(hass, freezer, 5)
    assert _pushes(phones) == second

    # Still answerable: the officer acknowledges, the escalation stops.
    await hass.services.async_call(
        "raadhus_alarm",
        "acknowledge",
        {"incident_id": incident.id},
        blocking=True,
    )
    await hass.async_block_till_done()
    acknowledged = entry.runtime_data.core.book[incident.id]
    assert acknowledged.state is IncidentState.ACKNOWLEDGED
    await advance(hass, freezer, 1)  # the "on the way" updates go out at once
    settled = _pushes(phones)
    await advance(hass, freezer, 120)  # four timeouts: no round comes any more
    assert _pushes(phones) == settled


async def test_the_renamed_button_still_raises_alarms(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    await _rename_button(hass, entry, world)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.room_id == "k1"


async def test_a_restart_still_resends_the_due_round(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Only a reload in the same process keeps the rounds: a restart resends."""
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hold(hass, freezer, world)
    first_round = _pushes(phones)
    await advance(hass, freezer, 5)
    hass.data.pop("raadhus_alarm_rounds_sent")  # what a new process starts with
    await hass.config_entries.async_reload(entry.entry_id)
    await advance(hass, freezer, 0)
    assert _pushes(phones)["betjent_bo"] == first_round["betjent_bo"] + 1
