"""The incident log's export and response statistics.

Pure: rows, CSV, periods, who sees names. Through a real Home Assistant (real
users with real tokens, the log read from disk, a frozen clock in Copenhagen
on Monday 23 November 2026, 11:00): the download of a seeded log of 1,000
incidents, who may download it, a path signed as the panel signs it, the
action, the town hall's statistics sensors and the panel's statistics.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from hypothesis import given, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.raadhus_alarm.const import DOMAIN, Role
from custom_components.raadhus_alarm.incident import (
    Incident,
    IncidentBook,
    IncidentState,
)
from custom_components.raadhus_alarm.log_export import (
    FOLLOWUP_ITEMS,
    HEADER,
    DrillFilter,
    PeriodError,
    cell,
    parse_day,
    parse_drills,
    period,
    row,
    rows,
    select,
    shows_names,
    to_csv,
)
from custom_components.raadhus_alarm.permissions import Caller, CallerKind
from custom_components.raadhus_alarm.sensor import REFRESH_DELAY
from custom_components.raadhus_alarm.statistics import (
    time_to_acknowledge,
    time_to_on_scene,
)

from .bus import ROOT, advance
from .phones import Phones
from .seeded_log import known_book, seeded_book, write_log
from .test_routing import routed_options
from .world import World, async_access_token, async_setup_town_hall

CPH = ZoneInfo("Europe/Copenhagen")
UTC = ZoneInfo("UTC")
URL = "/api/raadhus_alarm/export.csv"
BOM = b"\xef\xbb\xbf"
NAMES = [c for c in HEADER if c.endswith("_by")]
TIMES = ["raised", "acknowledged", "on_scene", "resolved", "debriefed", "cancelled"]


def _incident(book: IncidentBook, due: datetime, **kw: Any) -> Incident:
    incident, _ = book.raise_alarm(
        room_id=kw.get("room_id", "k1"),
        room_name=kw.get("room_name", "Kontaktrum 1"),
        trigger_source="zha-device",
        hold_seconds=2.0,
        at=due,
        actor_name="Knap zha1",
        source="button",
        drill=kw.get("drill", False),
        raised_at=due + timedelta(microseconds=250_000),
    )
    return incident


def _parse(body: bytes) -> list[list[str]]:
    assert body.startswith(BOM)
    return list(
        csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";")
    )


def _seconds(value: str) -> float:
    return float(value.replace(",", "."))


# -- pure ----------------------------------------------------------------------


def test_the_header_is_the_one_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^incident_id;.*$", readme, re.MULTILINE)
    assert tuple(line.split(";")) == HEADER
    for item in FOLLOWUP_ITEMS:
        assert f"`{item}`" in readme


def test_a_row_holds_every_stored_time_in_local_time() -> None:
    book = IncidentBook()
    # 10:00 UTC on 23 November is 11:00 in Copenhagen (winter time).
    due = datetime(2026, 11, 23, 10, 0, 0, 123456, tzinfo=UTC)
    incident = _incident(book, due)
    book.raise_alarm(
        room_id="k1",
        room_name="Kontaktrum 1",
        trigger_source="zha-device",
        hold_seconds=2.5,
        at=due + timedelta(seconds=4),
        source="button",
    )
    for state, seconds, who in (
        (IncidentState.ACKNOWLEDGED, 12.5, "Betjent Bo"),
        (IncidentState.ON_SCENE, 71.25, "Betjent Birte"),
        (IncidentState.RESOLVED, 600, "Betjent Bo"),
        (IncidentState.DEBRIEFED, 86400, "Leder Lis"),
    ):
        book.transition(
            incident.id,
            state,
            at=due + timedelta(seconds=seconds),
            actor_user_id="u",
            actor_name=who,
            source="panel",
            resolution="police_called" if state is IncidentState.RESOLVED else None,
        )
    done = {
        "debrief": datetime(2026, 11, 24, 9, tzinfo=UTC),
        "police_report": None,
    }
    found = row(incident, CPH, names=True, followup=lambda _id: done)
    assert list(found) == list(HEADER)
    assert found == {
        "incident_id": incident.id,
        "room": "Kontaktrum 1",
        "drill": False,
        "state": "debriefed",
        "resolution": "police_called",
        "raised": "2026-11-23T11:00:00.123456+01:00",
        "raised_from": "button",
        "raised_by": "Knap zha1",
        "acknowledged": "2026-11-23T11:00:12.623456+01:00",
        "acknowledged_by": "Betjent Bo",
        "on_scene": "2026-11-23T11:01:11.373456+01:00",
        "on_scene_by": "Betjent Birte",
        "resolved": "2026-11-23T11:10:00.123456+01:00",
        "resolved_by": "Betjent Bo",
        "debriefed": "2026-11-24T11:00:00.123456+01:00",
        "debriefed_by": "Leder Lis",
        "cancelled": None,
        "cancelled_by": None,
        "time_to_acknowledge_s": 12.5,
        "time_to_on_scene_s": 71.25,
        "late_by_s": 0.25,
        "joins": 1,
        "join_times": ["2026-11-23T11:00:04.123456+01:00"],
        "followup_debrief": "2026-11-24T10:00:00+01:00",
        **{f"followup_{k}": None for k in FOLLOWUP_ITEMS if k != "debrief"},
    }
    hidden = row(incident, CPH, names=False)
    assert all(hidden[c] is None for c in NAMES)
    assert {k: v for k, v in hidden.items() if k not in NAMES} == {
        k: v
        for k, v in found.items()
        if k not in NAMES and not k.startswith("followup_")
    } | {f"followup_{k}": None for k in FOLLOWUP_ITEMS}
    # Summer time: the offset of the day.
    summer = _incident(IncidentBook(), datetime(2026, 7, 1, 10, tzinfo=UTC))
    assert row(summer, CPH, names=True)["raised"] == "2026-07-01T12:00:00+02:00"


def test_names_only_for_leaders_the_centre_chief_admins_and_automations() -> None:
    def user(*roles: Role) -> Caller:
        return Caller(CallerKind.USER, user_id="u", roles=frozenset(roles))

    assert shows_names(user(Role.LEADER), is_admin=False)
    assert shows_names(user(Role.CENTRE_CHIEF), is_admin=False)
    assert shows_names(user(), is_admin=True)
    assert shows_names(Caller.system(), is_admin=False)
    assert not shows_names(user(Role.SAFETY_ORGANISATION), is_admin=False)
    assert not shows_names(user(Role.OFFICER), is_admin=False)


def test_csv_opens_in_danish_excel_and_runs_no_formula() -> None:
    book = IncidentBook()
    due = datetime(2026, 11, 2, 9, tzinfo=UTC)
    for name in ('=HYPERLINK("x";"y")', "+45 rum", "-rum", "@rum", 'A; "B"\nC'):
        _incident(book, due, room_name=name, room_id=name)
    cancelled = _incident(book, due, room_id="k2", drill=True)
    book.transition(
        cancelled.id, IncidentState.CANCELLED, at=due + timedelta(seconds=3), source="x"
    )
    body = to_csv(rows(book.all(), CPH, names=True))
    assert body.startswith(BOM + b"incident_id;room;drill;")
    assert body.count(b"\r\n") == 1 + 6  # the line break inside a room is no row
    parsed = _parse(body)
    assert parsed[0] == list(HEADER)
    assert [r[1] for r in parsed[1:]] == [
        '\'=HYPERLINK("x";"y")',
        "'+45 rum",
        "'-rum",
        "'@rum",
        'A; "B"\nC',
        "Kontaktrum 1",
    ]
    last = dict(zip(HEADER, parsed[-1], strict=True))
    assert (last["drill"], last["state"], last["late_by_s"]) == (
        "yes",
        "cancelled",
        "0,25",
    )
    assert last["cancelled"] == "2026-11-02T10:00:03+01:00"
    assert last["acknowledged"] == last["time_to_acknowledge_s"] == ""
    assert parsed[1][HEADER.index("drill")] == "no"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "yes"),
        (3, "3"),
        (12.5, "12,5"),
        (12.0, "12"),
        (0.0004, "0"),
        (-0.0004, "0"),
        (-1.5, "-1,5"),
        (1234.5678, "1234,568"),
        (["a", "b"], "a, b"),
        ("=1+1", "'=1+1"),
        ("\tx", "'\tx"),
    ],
)
def test_cells(value: Any, text: str) -> None:
    assert cell(value) == text


@given(st.text(max_size=40))
def test_any_room_name_reads_back_as_shown(name: str) -> None:
    book = IncidentBook()
    _incident(book, datetime(2026, 11, 2, 9, tzinfo=UTC), room_name=name)
    parsed = _parse(to_csv(rows(book.all(), CPH, names=False)))
    assert len(parsed) == 2
    shown = parsed[1][1]
    clean = name.encode("utf-8", "replace").decode("utf-8").replace("\r\n", "\n")
    if name.startswith(("=", "+", "-", "@", "\t", "\r")):
        assert shown.startswith("'")
        shown = shown[1:]
    # csv may turn a lone CR into a line break; everything else is as stored.
    assert shown.replace("\r\n", "\n").replace("\r", "\n") == clean.replace("\r", "\n")


def test_periods_and_drill_filters() -> None:
    today = date(2026, 11, 23)
    assert period(None, None, today) == (date(2026, 10, 24), today)
    assert period(date(2026, 11, 1), None, today) == (date(2026, 11, 1), today)
    assert period(None, date(2026, 2, 1), today) == (date(2026, 1, 2), date(2026, 2, 1))
    assert period(None, date(1, 1, 5), today) == (date.min, date(1, 1, 5))
    with pytest.raises(PeriodError) as err:
        period(date(2026, 11, 2), date(2026, 11, 1), today)
    assert err.value.key == "export_bad_period"
    assert parse_day("2026-02-28") == date(2026, 2, 28)
    for bad in ("2026-02-30", "20261123", "2026-1-5", "i går", "2026-11-23T10:00"):
        with pytest.raises(PeriodError) as err:
            parse_day(bad)
        assert (err.value.key, err.value.placeholders) == (
            "export_bad_date",
            {"value": bad},
        )
    assert parse_drills(None) is DrillFilter.INCLUDE
    assert parse_drills("only") is DrillFilter.ONLY
    with pytest.raises(PeriodError, match="export_bad_drills"):
        parse_drills("some")

    book = IncidentBook()
    # 23:30 UTC on 31 October is 00:30 on 1 November in Copenhagen.
    november = _incident(book, datetime(2026, 10, 31, 23, 30, tzinfo=UTC))
    october = _incident(book, datetime(2026, 10, 31, 22, 30, tzinfo=UTC), room_id="x")
    drill = _incident(
        book, datetime(2026, 11, 5, 9, tzinfo=UTC), room_id="d", drill=True
    )
    nov = (date(2026, 11, 1), date(2026, 11, 30))
    assert select(book.all(), *nov, CPH) == [november, drill]
    assert select(book.all(), *nov, CPH, DrillFilter.EXCLUDE) == [november]
    assert select(book.all(), *nov, CPH, DrillFilter.ONLY) == [drill]
    assert select(book.all(), date(2026, 10, 31), date(2026, 10, 31), CPH) == [october]
    assert select(reversed(book.all()), date.min, date.max, CPH) == [
        october,
        november,
        drill,
    ]


# -- through Home Assistant ----------------------------------------------------


@pytest.fixture(autouse=True)
def someone_else_owns_home_assistant(hass_owner_user: Any) -> None:
    """An owner before the world's users, so none of them is an administrator.

    (The first user Home Assistant creates becomes its owner.)
    """


@pytest.fixture
async def seeded(hass: HomeAssistant, world: World) -> MockConfigEntry:
    """The town hall, started on a log of 1,000 incidents over 300 days."""
    write_log(hass, seeded_book(dt_util.utcnow()))
    Phones(hass)
    return await async_setup_town_hall(hass, routed_options(world))


async def _get(
    hass: HomeAssistant,
    hass_client: Any,
    world: World,
    who: str,
    query: str = "",
    **headers: str,
) -> tuple[int, dict[str, str], bytes]:
    client = await hass_client(await async_access_token(hass, world.users[who]))
    response = await client.get(f"{URL}{query}", headers=headers)
    return response.status, dict(response.headers), await response.read()


def _check_against_the_log(
    parsed: list[list[str]], book: IncidentBook, *, names: bool
) -> None:
    for values in parsed[1:]:
        found = dict(zip(HEADER, values, strict=True))
        incident = book[found["incident_id"]]
        assert datetime.fromisoformat(found["raised"]) == incident.created_at
        assert found["raised"].endswith(("+01:00", "+02:00"))
        for state in TIMES[1:]:
            step = incident.step_for(IncidentState(state))
            if step is None:
                assert found[state] == found[f"{state}_by"] == ""
                continue
            assert datetime.fromisoformat(found[state]) == step.at
            assert found[f"{state}_by"] == (step.actor_name if names else "")
        assert found["raised_by"] == (incident.steps[0].actor_name if names else "")
        for column, stored in (
            ("time_to_acknowledge_s", time_to_acknowledge(incident)),
            ("time_to_on_scene_s", time_to_on_scene(incident)),
            ("late_by_s", incident.lateness),
        ):
            if stored is None:
                assert found[column] == ""
            else:
                assert _seconds(found[column]) == pytest.approx(stored, abs=5e-4)
        assert int(found["joins"]) == len(incident.joins)
        joins = found["join_times"].split(", ") if found["join_times"] else []
        assert [datetime.fromisoformat(t) for t in joins] == [
            j.at for j in incident.joins
        ]
        assert found["drill"] == ("yes" if incident.drill else "no")
        assert found["resolution"] == (incident.resolution or "")
        assert found["state"] == incident.state.value


async def test_a_leader_downloads_1000_incidents_as_excel_opens_them(
    hass: HomeAssistant, seeded: MockConfigEntry, world: World, hass_client: Any
) -> None:
    book = seeded.runtime_data.core.book
    assert len(book) == 1000
    status, headers, body = await _get(
        hass, hass_client, world, "leder_lis", "?start=2026-01-01&end=2026-11-23"
    )
    assert status == 200
    assert headers["Content-Type"] == "text/csv; charset=utf-8"
    assert headers["Content-Disposition"] == (
        'attachment; filename="raadhus-alarm-2026-01-01-2026-11-23.csv"'
    )
    assert headers["Cache-Control"] == "no-store"
    assert body.startswith(BOM)
    parsed = _parse(body)
    assert tuple(parsed[0]) == HEADER
    assert len(parsed) == 1 + 1000
    ids = [r[0] for r in parsed[1:]]
    assert ids == sorted(ids)  # oldest first (the seed's ids are in due order)
    _check_against_the_log(parsed, book, names=True)
    rooms = {r[1] for r in parsed[1:]}
    assert '\'=HYPERLINK("https://example.invalid";"klik")' in rooms
    assert 'Mødelokale; "Store sal"\nbagved' in rooms
    assert {r[HEADER.index("drill")] for r in parsed[1:]} == {"yes", "no"}


async def test_the_safety_organisation_downloads_it_without_names(
    hass: HomeAssistant, seeded: MockConfigEntry, world: World, hass_client: Any
) -> None:
    status, _, body = await _get(
        hass, hass_client, world, "amr_anne", "?start=2026-01-01&end=2026-11-23"
    )
    assert status == 200
    parsed = _parse(body)
    assert len(parsed) == 1001
    for values in parsed[1:]:
        assert all(values[HEADER.index(c)] == "" for c in NAMES)
    _check_against_the_log(parsed, seeded.runtime_data.core.book, names=False)


async def test_who_may_download(
    hass: HomeAssistant,
    seeded: MockConfigEntry,
    world: World,
    hass_client: Any,
    hass_client_no_auth: Any,
    hass_admin_user: Any,
    hass_access_token: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    for who in ("betjent_bo", "sagsbehandler_sara", "risiko_rita"):
        status, _, body = await _get(hass, hass_client, world, who)
        assert status == 403, who
        assert "Leder" not in body.decode()
    assert "Refused the incident log download for user" in caplog.text
    status, _, body = await _get(
        hass, hass_client, world, "betjent_bo", **{"Accept-Language": "da-DK,da;q=0.9"}
    )
    assert body.decode() == (
        "Din rolle giver ikke lov til dette (export_log); "
        "rettighedstabellen siger, hvem der må."
    )
    anonymous = await hass_client_no_auth()
    assert (await anonymous.get(URL)).status == 401
    for who in ("centerchef_carl", "leder_lis"):
        assert (await _get(hass, hass_client, world, who))[0] == 200
    # An administrator without any role: with names.
    admin = await hass_client(hass_access_token)
    response = await admin.get(f"{URL}?start=2026-01-01")
    assert response.status == 200
    parsed = _parse(await response.read())
    assert any(r[HEADER.index("acknowledged_by")] for r in parsed[1:])


async def test_periods_filters_and_bad_requests(
    hass: HomeAssistant, seeded: MockConfigEntry, world: World, hass_client: Any
) -> None:
    book = seeded.runtime_data.core.book
    status, headers, body = await _get(hass, hass_client, world, "leder_lis")
    assert status == 200
    # By default the 30 days before today, and today.
    assert headers["Content-Disposition"].endswith(
        '"raadhus-alarm-2026-10-24-2026-11-23.csv"'
    )
    since = date(2026, 10, 24)
    expected = [i for i in book.all() if dt_util.as_local(i.created_at).date() >= since]
    assert len(_parse(body)) == 1 + len(expected)
    year = "?start=2026-01-01&end=2026-12-31"
    counts = {}
    for drills in DrillFilter:
        status, _, body = await _get(
            hass, hass_client, world, "leder_lis", f"{year}&drills={drills}"
        )
        parsed = _parse(body)
        counts[drills] = len(parsed) - 1
        column = {r[HEADER.index("drill")] for r in parsed[1:]}
        assert (
            column
            == {
                DrillFilter.INCLUDE: {"yes", "no"},
                DrillFilter.EXCLUDE: {"no"},
                DrillFilter.ONLY: {"yes"},
            }[drills]
        )
    assert counts[DrillFilter.INCLUDE] == 1000
    assert counts[DrillFilter.ONLY] == sum(i.drill for i in book.all())
    assert counts[DrillFilter.EXCLUDE] + counts[DrillFilter.ONLY] == 1000

    for query, english, danish in (
        (
            "?start=2026-13-01",
            "A day is written YYYY-MM-DD, e.g. 2026-11-23; 2026-13-01 is not a date.",
            "En dag skrives ÅÅÅÅ-MM-DD, f.eks. 2026-11-23; 2026-13-01 er ikke en dato.",
        ),
        (
            "?start=2026-11-02&end=2026-11-01",
            "The period starts on 2026-11-02, after its end on 2026-11-01.",
            "Perioden begynder 2026-11-02, efter den slutter 2026-11-01.",
        ),
        (
            "?drills=sometimes",
            "Drills can be include, exclude, only; sometimes is not one of them.",
            "Øvelser kan være include, exclude, only; sometimes er ikke en af dem.",
        ),
    ):
        status, headers, body = await _get(hass, hass_client, world, "leder_lis", query)
        assert (status, body.decode()) == (400, english)
        assert headers["Content-Type"] == "text/plain; charset=utf-8"
        status, _, body = await _get(
            hass, hass_client, world, "amr_anne", query, **{"Accept-Language": "da"}
        )
        assert (status, body.decode()) == (400, danish)


async def test_a_path_signed_by_the_panel_downloads(
    hass: HomeAssistant,
    seeded: MockConfigEntry,
    world: World,
    hass_ws_client: Any,
    hass_client_no_auth: Any,
) -> None:
    assert await async_setup_component(hass, "auth", {})
    client = await hass_client_no_auth()
    path = f"{URL}?start=2026-11-01&end=2026-11-23&drills=exclude"
    for who, expected in (("leder_lis", 200), ("betjent_bo", 403)):
        ws = await hass_ws_client(
            hass, await async_access_token(hass, world.users[who])
        )
        await ws.send_json({"id": 1, "type": "auth/sign_path", "path": path})
        reply = await ws.receive_json()
        assert reply["success"], reply
        signed = reply["result"]["path"]
        assert "authSig=" in signed
        response = await client.get(signed)
        assert response.status == expected, who
        if expected == 200:
            assert _parse(await response.read())[0] == list(HEADER)
        # The signature covers the query: another period is not signed.
        tampered = signed.replace("start=2026-11-01", "start=2026-01-01")
        assert (await client.get(tampered)).status == 401


async def _export(hass: HomeAssistant, user_id: str | None, **data: Any) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        "export_log",
        data,
        blocking=True,
        return_response=True,
        context=Context(user_id=user_id),
    )


async def test_the_action_returns_the_rows(
    hass: HomeAssistant, seeded: MockConfigEntry, world: World
) -> None:
    book = seeded.runtime_data.core.book
    result = await _export(hass, None, start="2026-01-01", end="2026-11-23")
    assert result["header"] == list(HEADER)
    assert (result["start"], result["end"]) == ("2026-01-01", "2026-11-23")
    assert len(result["rows"]) == 1000
    first = result["rows"][0]
    incident = book[first["incident_id"]]
    assert first == row(incident, dt_util.get_default_time_zone(), names=True)
    assert isinstance(first["drill"], bool)
    # An automation gets the names; so does a leader; not the safety organisation.
    assert any(r["acknowledged_by"] for r in result["rows"])
    lis = await _export(hass, world.users["leder_lis"], start="2026-01-01")
    assert lis["rows"] == result["rows"]
    anne = await _export(
        hass, world.users["amr_anne"], start="2026-01-01", drills="only"
    )
    assert anne["rows"]
    assert all(r["drill"] for r in anne["rows"])
    assert all(r[c] is None for r in anne["rows"] for c in NAMES)
    default = await _export(hass, None)
    assert (default["start"], default["end"]) == ("2026-10-24", "2026-11-23")

    with pytest.raises(ServiceValidationError) as err:
        await _export(hass, world.users["betjent_bo"])
    assert err.value.translation_key == "not_permitted"
    with pytest.raises(ServiceValidationError) as err:
        await _export(hass, None, start="2026-11-02", end="2026-11-01")
    assert err.value.translation_key == "export_bad_period"
    assert err.value.translation_placeholders == {
        "start": "2026-11-02",
        "end": "2026-11-01",
    }


STATS = {
    "acknowledge_median": "sensor.radhuset_time_to_acknowledge_median",
    "acknowledge_p90": "sensor.radhuset_time_to_acknowledge_90th_percentile",
    "on_scene_median": "sensor.radhuset_time_to_on_scene_median",
    "on_scene_p90": "sensor.radhuset_time_to_on_scene_90th_percentile",
    "count": "sensor.radhuset_incidents_last_30_days",
}


def _stats(hass: HomeAssistant) -> dict[str, str]:
    found = {}
    for key, entity_id in STATS.items():
        state = hass.states.get(entity_id)
        assert state is not None, entity_id
        found[key] = state.state
    return found


async def test_the_statistics_sensors_on_a_frozen_clock(
    hass: HomeAssistant, world: World, freezer: FrozenDateTimeFactory
) -> None:
    write_log(hass, known_book(dt_util.utcnow()))
    Phones(hass)
    await async_setup_town_hall(hass, routed_options(world))
    # Acknowledged after 10, 20, …, 100 s; on scene 50 s after that.
    assert _stats(hass) == {
        "acknowledge_median": "55.0",
        "acknowledge_p90": "90.0",
        "on_scene_median": "105.0",
        "on_scene_p90": "140.0",
        "count": "11",  # the false alarm counts; the drills and day 40 do not
    }
    state = hass.states.get(STATS["acknowledge_median"])
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "s"
    assert state.attributes["device_class"] == "duration"
    count = hass.states.get(STATS["count"])
    assert count is not None
    assert (count.attributes["cancelled"], count.attributes["drills"]) == (1, 2)

    # A day on, the alarm acknowledged after 100 s is 30 days old: out.
    await advance(hass, freezer, 86400 + 1)
    assert _stats(hass) == {
        "acknowledge_median": "50.0",
        "acknowledge_p90": "90.0",
        "on_scene_median": "100.0",
        "on_scene_p90": "140.0",
        "count": "10",
    }
    # A new alarm, acknowledged 8 s after it was raised, counts within a second.
    await hass.services.async_call(
        DOMAIN, "trigger", {"room": "Kontaktrum 2"}, blocking=True
    )
    await advance(hass, freezer, 8)
    await hass.services.async_call(
        DOMAIN,
        "acknowledge",
        {"room": "Kontaktrum 2"},
        blocking=True,
        context=Context(user_id=world.users["betjent_bo"]),
    )
    await hass.async_block_till_done()
    # Worked out a moment later (a burst of changes once), off the alarm path.
    await advance(hass, freezer, REFRESH_DELAY)
    found = _stats(hass)
    assert found["count"] == "11"
    assert found["acknowledge_median"] == "45.0"  # 8, 10, …, 90: (40 + 50) / 2


async def test_the_panels_statistics_and_download_link(
    hass: HomeAssistant, world: World, hass_ws_client: Any
) -> None:
    write_log(hass, known_book(dt_util.utcnow()))
    Phones(hass)
    await async_setup_town_hall(hass, routed_options(world))
    for who, can_export in (
        ("betjent_bo", False),
        ("amr_anne", True),
        ("leder_lis", True),
    ):
        ws = await hass_ws_client(
            hass, await async_access_token(hass, world.users[who])
        )
        await ws.send_json({"id": 1, "type": "raadhus_alarm/subscribe"})
        assert (await ws.receive_json())["success"]
        assert (await ws.receive_json())["event"]["can_export"] is can_export, who

    ws = await hass_ws_client(
        hass, await async_access_token(hass, world.users["betjent_bo"])
    )
    await ws.send_json({"id": 2, "type": "raadhus_alarm/statistics"})
    reply = await ws.receive_json()
    assert reply["success"], reply
    result = reply["result"]
    assert [m["month"] for m in result["months"]] == [
        "2025-12",
        *(f"2026-{m:02d}" for m in range(1, 12)),
    ]
    months = {m["month"]: m for m in result["months"]}
    # 40 days back is 14 October; 29 days back 25 October; 20 days back 3 November.
    assert months["2026-10"] == {
        "month": "2026-10",
        "count": 2,
        "cancelled": 0,
        "ack_median": 550.0,
        "ack_p90": 1000.0,
        "on_scene_median": 600.0,
        "on_scene_p90": 1050.0,
    }
    assert months["2026-11"]["count"] == 9 + 1  # nine real, one false alarm
    assert months["2026-11"]["cancelled"] == 1
    assert months["2026-11"]["ack_median"] == 50.0
    assert months["2025-12"]["count"] == 0
    assert months["2025-12"]["ack_median"] is None
    assert result["last_30_days"] == {
        "count": 11,
        "cancelled": 1,
        "ack_median": 55.0,
        "ack_p90": 90.0,
        "on_scene_median": 105.0,
        "on_scene_p90": 140.0,
    }
    assert result["drills_last_30_days"] == {
        "count": 2,
        "cancelled": 0,
        "ack_median": 400.0,
        "ack_p90": 500.0,
        "on_scene_median": 450.0,
        "on_scene_p90": 550.0,
    }
    assert "Betjent" not in str(result)


async def test_without_a_loaded_town_hall(
    hass: HomeAssistant, world: World, hass_client: Any, hass_ws_client: Any
) -> None:
    from custom_components.raadhus_alarm import export_view

    entry = await async_setup_town_hall(hass, routed_options(world))
    assert await hass.config_entries.async_unload(entry.entry_id)
    status, _, body = await _get(hass, hass_client, world, "leder_lis")
    assert status == 503
    assert "not loaded" in body.decode().lower()
    ws = await hass_ws_client(
        hass, await async_access_token(hass, world.users["leder_lis"])
    )
    await ws.send_json({"id": 1, "type": "raadhus_alarm/statistics"})
    reply = await ws.receive_json()
    assert (reply["success"], reply["error"]["code"]) == (False, "not_loaded")
    with pytest.raises(ServiceValidationError) as err:
        await _export(hass, None)
    assert err.value.translation_key == "not_loaded"

    class Request:
        def __init__(self) -> None:
            self.headers = {"Accept-Language": "fr-FR, da;q=0.5"}

    # A sentence whose placeholder is missing is still a sentence.
    text = await export_view._text(hass, Request(), "export_bad_date")  # type: ignore[arg-type]
    assert text.startswith("En dag skrives ÅÅÅÅ-MM-DD")
    assert "{value}" in text
