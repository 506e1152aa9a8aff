"""A room, button, responder or setting changed while an alarm is open.

Every change on the integration page (or in the options) sets the town hall
up again. An open alarm must come through that exactly as it was: still
open, nobody rung twice for it, its next escalation round on time, and still
answerable.
"""

from __future__ import annotations

from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.incident import IncidentState
from custom_components.raadhus_alarm.meeting_desk import MeetingDesk

from .phones import Phones
from .test_alarm_bus import advance, alarm_on, zha
from .test_routing import hold, routed_options
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


async def test_a_button_held_while_a_change_is_saved_still_raises_its_alarm(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """The reload waits for the hold: the alarm comes first, then the change."""
    Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 1.0)
    # Someone renames another room meanwhile.
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["k2"], title="Kontaktrum 2B"
    )
    await advance(hass, freezer, 0.5)
    before = entry.runtime_data
    assert entry.runtime_data is before  # not reloaded while the button is held
    await advance(hass, freezer, 0.6)  # 2.1 s: the threshold is passed
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.room_id == "k1"
    for _ in range(10):  # the reload finishes in the background
        await advance(hass, freezer, 0.2)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not before  # then the change is applied
    assert [i.id for i in entry.runtime_data.core.book.open_incidents()] == [
        incident.id
    ]


async def test_a_change_saved_during_set_up_is_applied(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    start = MeetingDesk.async_start

    async def change_meanwhile(desk: MeetingDesk) -> None:
        if entry.subentries["k2"].data["name"] == "Kontaktrum 2":
            hass.config_entries.async_update_subentry(
                entry,
                entry.subentries["k2"],
                data={**entry.subentries["k2"].data, "name": "Kontaktrum 2B"},
            )
        await start(desk)

    with patch.object(MeetingDesk, "async_start", change_meanwhile):
        await hass.config_entries.async_reload(entry.entry_id)
        await advance(hass, freezer, 0)
    room = entry.runtime_data.config.room("k2")
    assert room is not None
    assert room.name == "Kontaktrum 2B"


async def test_after_a_long_gap_only_the_round_due_is_sent(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hold(hass, freezer, world)
    first_round = _pushes(phones)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await advance(hass, freezer, 300)  # ten timeouts with the entry unloaded
    assert await hass.config_entries.async_setup(entry.entry_id)
    for _ in range(10):  # 3 s, a tenth at a time: no burst of missed rounds
        await advance(hass, freezer, 0.3)
    assert _pushes(phones)["betjent_bo"] == first_round["betjent_bo"] + 1


async def test_a_phone_not_reached_before_a_reload_gets_the_alarm_after_it(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    phones.broken.add("betjent_bo")
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hold(hass, freezer, world)
    assert "betjent_bo" not in phones.alarmed()
    phones.broken.clear()
    await _rename_button(hass, entry, world)  # the retry timer went with it
    await advance(hass, freezer, 0)
    assert "betjent_bo" in phones.alarmed()
    # Only the phone not reached got it again.
    assert _pushes(phones)["betjent_birte"] == 1


async def test_an_alarm_whose_room_is_deleted_still_escalates(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    await hold(hass, freezer, world)
    first = _pushes(phones)
    hass.config_entries.async_remove_subentry(entry, "k1")
    await advance(hass, freezer, 1)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.room_name == "Kontaktrum 1"
    await advance(hass, freezer, 30)  # the next round, under the room's old name
    assert _pushes(phones)["betjent_bo"] == first["betjent_bo"] + 1
    assert "Kontaktrum 1" in phones.received["betjent_bo"][-1]["title"]
