"""A button's alarm written ahead: on disk in the last moment of the hold.

At `LAST_SLEEP` (50 ms) before the threshold a hold still going has its
alarm written to the journal as an "ahead" line; at the threshold the core
takes it into the book and calls the first phone at once (the disk has
nothing left to do). Let go in time, a withdrawal line takes it back.
Time is frozen and advanced by hand; the files are read back from disk.
"""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.raadhus_alarm import records
from custom_components.raadhus_alarm.buttons import LAST_SLEEP
from custom_components.raadhus_alarm.const import EVENT_INCIDENT, EVENT_SHORT_PRESS
from custom_components.raadhus_alarm.core import LEFT_AHEAD_NOTE
from custom_components.raadhus_alarm.incident import Incident

from .logfiles import ahead_on_disk, journal_records, on_disk
from .phones import Phones
from .test_alarm_bus import advance, zha
from .test_lifecycle import call
from .test_routing import routed_options
from .world import World, async_setup_town_hall

# Past the early wake, before the threshold.
IN_THE_LAST_MOMENT = 2.0 - LAST_SLEEP / 2


async def test_the_alarm_is_on_disk_before_it_falls_due(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    book = entry.runtime_data.core.book
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    on_disk_when_told: list[bool] = []

    @callback
    def _told(event: Event) -> None:
        incident_id = event.data["incident_id"]
        on_disk_when_told.append(
            incident_id in ahead_on_disk(hass) or incident_id in on_disk(hass)
        )

    hass.bus.async_listen(EVENT_INCIDENT, _told)
    pressed = dt_util.utcnow()
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, 2.0 - LAST_SLEEP - 0.01)
    assert ahead_on_disk(hass) == {}  # not before the last moment
    await advance(hass, freezer, 0.01 + LAST_SLEEP / 2)
    # In the last moment: on disk, and nowhere else yet.
    (ahead,) = ahead_on_disk(hass).values()
    assert ahead["room_id"] == "k1"
    assert ahead["steps"][0]["state"] == "triggered"
    assert dt_util.parse_datetime(ahead["created_at"]) == pressed + timedelta(seconds=2)
    assert on_disk(hass) == {}
    assert book.open_incidents() == []
    assert incidents == []
    assert not phones.alarmed()

    await advance(hass, freezer, LAST_SLEEP / 2)
    (incident,) = book.open_incidents()
    assert incident.id == ahead["id"]  # the one written ahead, taken as it is
    assert incident.created_at == pressed + timedelta(seconds=2)
    assert incident.raised_at == incident.created_at  # on the frozen clock
    assert incident.hold_seconds == 2.0
    assert [e.data["change"] for e in incidents] == ["created"]
    assert on_disk_when_told == [True]
    assert "betjent_bo" in phones.alarmed()
    # Its own line follows (with the time it was really raised).
    stored = on_disk(hass)[incident.id]
    assert stored["raised_at"] == incident.raised_at.isoformat()
    assert ahead_on_disk(hass) == {}


async def test_let_go_in_the_last_moment_withdraws_it(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    shorts = async_capture_events(hass, EVENT_SHORT_PRESS)
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, IN_THE_LAST_MOMENT)
    (ahead,) = ahead_on_disk(hass).values()
    zha(hass, world.zha_buttons[0], "release")
    await advance(hass, freezer, 1)
    assert incidents == []
    assert [e.data["hold_seconds"] for e in shorts] == [IN_THE_LAST_MOMENT]
    assert not phones.alarmed()
    kinds = [type(r).__name__ for r in journal_records(hass)]
    assert kinds == ["WrittenAhead", "Withdrawn"]
    assert journal_records(hass)[1] == records.Withdrawn(ahead["id"])
    assert ahead_on_disk(hass) == {}
    # A restart finds nothing to raise.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.core.book.open_incidents() == []


async def test_an_unload_in_the_last_moment_withdraws_it(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    entry = await async_setup_town_hall(hass, routed_options(world))
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, IN_THE_LAST_MOMENT)
    assert len(ahead_on_disk(hass)) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert ahead_on_disk(hass) == {}
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.runtime_data.core.book.open_incidents() == []


async def test_an_alarm_that_joins_an_open_one_is_not_written_ahead(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    entry = await async_setup_town_hall(hass, routed_options(world))
    first = await call(hass, "trigger", room="Kontaktrum 1")
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, IN_THE_LAST_MOMENT)
    assert ahead_on_disk(hass) == {}
    await advance(hass, freezer, LAST_SLEEP)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id == first["incident_id"]
    assert len(incident.joins) == 1
    assert on_disk(hass)[incident.id]["joins"][0]["hold_seconds"] == 2.0


async def test_a_snapshot_in_the_last_moment_falls_back_to_the_usual_write(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """The snapshot may drop the file with the ahead line: it is not relied on."""
    phones = Phones(hass)
    entry = await async_setup_town_hall(hass, routed_options(world))
    zha(hass, world.zha_buttons[0], "hold")
    await advance(hass, freezer, IN_THE_LAST_MOMENT)
    (ahead,) = ahead_on_disk(hass).values()
    entry.runtime_data.core.log.async_request_snapshot()
    await hass.async_block_till_done()
    await advance(hass, freezer, LAST_SLEEP)
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id != ahead["id"]  # raised the usual way
    assert on_disk(hass)[incident.id]["steps"][0]["state"] == "triggered"
    assert ahead_on_disk(hass) == {}
    assert "betjent_bo" in phones.alarmed()


async def test_a_storm_of_short_presses_writes_nothing(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    await async_setup_town_hall(hass, routed_options(world))
    for _ in range(50):
        zha(hass, world.zha_buttons[0], "hold")
        await advance(hass, freezer, 0.3)
        zha(hass, world.zha_buttons[0], "release")
        await advance(hass, freezer, 0.2)
    await hass.async_block_till_done()
    assert journal_records(hass) == []


async def test_an_alarm_left_ahead_in_a_room_now_open_joins_it(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Left ahead by a stop, but its room has an open alarm: it joins that one."""
    entry = await async_setup_town_hall(hass, routed_options(world))
    open_one = await call(hass, "trigger", room="Kontaktrum 1")
    left = await _leave_ahead(hass, entry, "k1", world.zha_buttons[0])
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    book = entry.runtime_data.core.book
    (incident,) = book.open_incidents()
    assert incident.id == open_one["incident_id"]
    assert left.id not in book
    (join,) = incident.joins
    assert join.trigger_source == world.zha_buttons[0]
    assert any(LEFT_AHEAD_NOTE in note for note in incident.notes)
    assert [e.data["change"] for e in incidents] == ["joined"]
    assert ahead_on_disk(hass) == {}
    assert (
        on_disk(hass)[incident.id]["joins"][0]["trigger_source"]
        == (world.zha_buttons[0])
    )


async def test_an_alarm_left_ahead_is_raised_like_a_new_one(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Phones, the event (so the officers' room and evidence follow), the entities."""
    entry = await async_setup_town_hall(hass, routed_options(world))
    left = await _leave_ahead(hass, entry, "k2", "a-button")
    assert await hass.config_entries.async_unload(entry.entry_id)
    phones = Phones(hass)
    incidents = async_capture_events(hass, EVENT_INCIDENT)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    (incident,) = entry.runtime_data.core.book.open_incidents()
    assert incident.id == left.id
    assert [(e.data["incident_id"], e.data["change"]) for e in incidents] == [
        (left.id, "created")
    ]
    assert "betjent_bo" in phones.alarmed()
    assert hass.states.get("binary_sensor.kontaktrum_2_alarm").state == "on"
    assert ahead_on_disk(hass) == {}
    assert left.id in on_disk(hass)


async def test_an_alarm_left_ahead_long_ago_gets_the_round_due_not_every_round(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    """Restarted 3 minutes after the stop (6 rounds of 30 s): no burst of rounds."""
    entry = await async_setup_town_hall(hass, routed_options(world))
    left = await _leave_ahead(hass, entry, "k2", "a-button")
    assert await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(timedelta(minutes=3))
    phones = Phones(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    for _ in range(5):
        await advance(hass, freezer, 0.01)
    alarmed = {slug: len(p) for slug, p in phones.received.items() if p}
    assert alarmed["betjent_bo"] <= 2  # round 0, and the round due now
    assert max(alarmed.values()) <= 2
    rounds = entry.runtime_data.notifier.tiers
    assert rounds[left.id] == 6
    # The next round comes on time, 30 s after the one due now.
    await advance(hass, freezer, 10)
    assert {slug: len(p) for slug, p in phones.received.items() if p} == alarmed


async def _leave_ahead(
    hass: HomeAssistant, entry: MockConfigEntry, room_id: str, trigger_source: str
) -> Incident:
    """An alarm written ahead, as a stop in the last 50 ms of a hold leaves it."""
    core = entry.runtime_data.core
    room = core.find_room(room_id)
    left = core.book.new_alarm(
        room_id=room.id,
        room_name=room.name,
        trigger_source=trigger_source,
        hold_seconds=2.0,
        at=dt_util.utcnow(),
        actor_name="Knap",
        source="button",
    )
    core.log.async_record(left, ahead=True)
    await hass.async_block_till_done()
    return left
