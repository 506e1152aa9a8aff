"""Attendance bans (R8): the glue around `bans`, the register's one way in.

Every change of a ban comes through here and passes the one permission gate
first (`core.gate`: only leaders and the centre chief write), before any
input is looked at — a refused caller learns nothing and changes nothing.
A CPR-shaped number in any field refuses the whole ban.

Who is told: a new ban → the safety organisation and the leaders (where
and until when, nothing about the citizen); before the end → the issuing
person, with the case reference (the leaders if no phone of theirs is
reached: the reminder must not be lost); `keep` after a ban ended, its record
is deleted and the deletion logged without its content. Timers are set again
from the register at every start, and what was sent is stored, so a restart
neither loses nor repeats a reminder.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
import logging
from typing import Any, Final
import uuid

from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .ban_book import BanBook
from .ban_messages import expiring_message, new_ban_message
from .bans import (
    Ban,
    active,
    cpr_fields,
    default_end,
    expired_to_delete,
    is_active,
    reminder_due,
)
from .const import DOMAIN, EVENT_BAN, Role
from .core import AlarmCore, gate
from .desk import Desk, refusal
from .lookups import display_name, local_date
from .model import Person, TownHall
from .permissions import Action, Caller
from .sender import Sender

_LOGGER = logging.getLogger(__name__)

# What may be changed on a ban (the rest is its history).
CHANGEABLE: Final = (
    "case_reference",
    "centre",
    "start",
    "end",
    "note",
    "letter_filed",
    "issued_by",
)
# The fields a person types (the id is random hex: never looked at).
TYPED: Final = ("case_reference", "centre", "note", "issued_by", "issued_by_person")
# A ban's times lie within this of now: further is a slip of the keyboard,
# and far enough out the calendar arithmetic would overflow.
REACH_DAYS: Final = 10 * 366


class BanDesk(Desk):
    """Adds, changes, ends, reminds of and deletes the town hall's bans."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: TownHall,
        core: AlarmCore,
        book: BanBook,
        sender: Sender,
    ) -> None:
        super().__init__(hass, config, core, sender)
        self.book = book

    def active(self) -> list[Ban]:
        """The bans in force now, the soonest ending first."""
        return active(self.book, dt_util.utcnow())

    # -- the gate and the changes -----------------------------------------------

    async def async_add(
        self,
        caller: Caller,
        *,
        case_reference: str,
        centre: str,
        start: datetime | None = None,
        end: datetime | None = None,
        note: str = "",
        letter_filed: bool = False,
        issued_by: str | None = None,
        context: Context | None = None,
    ) -> Ban:
        """Add a ban (default: from now, for six months)."""
        gate(Action.ADD_BAN, caller, about="ban new")
        now = dt_util.utcnow()
        person, name = self._issuer(issued_by or caller.person)
        try:
            begin = dt_util.as_local(start or now)
            draft = Ban(
                id=uuid.uuid4().hex,
                case_reference=case_reference.strip(),
                centre=centre.strip(),
                start=dt_util.as_utc(begin),
                end=dt_util.as_utc(end or self._default_end(begin)),
                note=note.strip(),
                letter_filed=letter_filed,
                issued_by=name,
                issued_by_person=person,
                created_by=caller.name or "automation",
                created_at=now,
            )
        except OverflowError:  # a year beyond the calendar's, in some zone
            raise refusal("ban_time_out_of_reach") from None
        except ValueError as err:
            raise refusal("ban_ends_before_it_starts") from err
        ban = self._checked(draft, now)
        await self.book.async_put(ban)
        self._changed(ban, "added", context)
        self.hass.async_create_task(self._async_tell_new(ban), f"{DOMAIN} new ban")
        return ban

    async def async_update(
        self,
        caller: Caller,
        ban_id: str,
        changes: Mapping[str, Any],
        context: Context | None = None,
    ) -> Ban:
        """Change a ban's fields; a new end is reminded of again."""
        gate(Action.UPDATE_BAN, caller, about=f"ban {ban_id}")
        old = self._current(ban_id)
        now = dt_util.utcnow()
        fields: dict[str, Any] = {
            k: v.strip() if isinstance(v, str) else v
            for k, v in changes.items()
            if k in CHANGEABLE and v is not None
        }
        if "issued_by" in fields:
            fields["issued_by_person"], fields["issued_by"] = self._issuer(
                fields["issued_by"]
            )
        try:
            for key in ("start", "end"):
                if key in fields:
                    fields[key] = dt_util.as_utc(fields[key])
            draft = replace(old, **fields)
        except OverflowError:
            raise refusal("ban_time_out_of_reach") from None
        except ValueError as err:
            raise refusal("ban_ends_before_it_starts") from err
        ban = self._checked(draft, now, keep_reminder=draft.end == old.end)
        ban = replace(ban, changed_by=caller.name or "automation", changed_at=now)
        await self.book.async_put(ban)
        self._changed(ban, "changed", context)
        return ban

    async def async_end(
        self, caller: Caller, ban_id: str, context: Context | None = None
    ) -> Ban:
        """End a ban now (it is kept `keep` longer, then deleted)."""
        gate(Action.END_BAN, caller, about=f"ban {ban_id}")
        ban = self._current(ban_id).end_early(
            caller.name or "automation", dt_util.utcnow()
        )
        await self.book.async_put(ban)
        self._changed(ban, "ended", context, early=True)
        return ban

    async def async_remove(
        self, caller: Caller, ban_id: str, context: Context | None = None
    ) -> Ban:
        """Delete a ban's record at once (entered by mistake)."""
        gate(Action.REMOVE_BAN, caller, about=f"ban {ban_id}")
        ban = self.book.get(ban_id)
        if ban is None:
            raise refusal("unknown_ban", ban=ban_id)
        await self._async_delete([ban], by=caller.name or "automation", context=context)
        return ban

    def _current(self, ban_id: str) -> Ban:
        ban = self.book.get(ban_id)
        if ban is None:
            raise refusal("unknown_ban", ban=ban_id)
        if ban.ended_early or ban.end <= dt_util.utcnow():
            raise refusal("ban_has_ended")
        return ban

    def _issuer(self, person: str | None) -> tuple[str, str]:
        """The issuing person (entity id, name); a person Home Assistant knows."""
        if not person:
            raise refusal("ban_needs_issuer")
        state = self.hass.states.get(person)
        if not person.startswith("person.") or state is None:
            raise refusal("unknown_person", person=person)
        return person, display_name(self.hass, person)

    def _default_end(self, begin: datetime) -> datetime:
        try:
            return default_end(begin)
        except ValueError:  # year 10000: beyond the calendar
            raise OverflowError from None

    def _checked(self, ban: Ban, now: datetime, *, keep_reminder: bool = False) -> Ban:
        """The ban if it may be stored: no CPR, no empty fields, sane times."""
        typed = {k: getattr(ban, k) for k in TYPED}
        if cpr_fields(typed):
            raise refusal("cpr_refused")
        for name in ("case_reference", "centre"):
            if not getattr(ban, name):
                raise refusal(f"ban_needs_{name}")
        reach = abs((ban.start - now).days), abs((ban.end - now).days)
        if max(reach) > REACH_DAYS:
            raise refusal("ban_time_out_of_reach")
        if ban.end <= now:
            raise refusal("ban_in_the_past")
        return ban if keep_reminder else replace(ban, reminded=False)

    # -- timers -------------------------------------------------------------------

    async def async_start(self) -> None:
        """Read the register, delete what has outlived its keeping, set timers."""
        await self.book.async_read()
        await self._async_delete_expired()
        for ban in list(self.book):
            self._schedule(ban)

    def _schedule(self, ban: Ban) -> None:
        self._cancel_timers(ban.id)
        now = dt_util.utcnow()
        settings = self.config.bans
        timers: list[CALLBACK_TYPE] = []
        due = reminder_due(ban, settings.remind_before)
        if due is not None and ban.end > now:
            timers.append(self._at(due, self._job(self._async_remind, ban.id)))
        if not ban.ended_early:
            for edge in (ban.start, ban.end):
                if edge > now:
                    timers.append(self._at(edge, self._edge_job(ban.id)))
        ended = ban.changed_at if ban.ended_early and ban.changed_at else ban.end
        timers.append(
            self._at(
                ended + settings.keep,
                self._job(lambda _id: self._async_delete_expired(), ban.id),
            )
        )
        self._timers[ban.id] = timers

    def _job(
        self, run: Callable[[str], Any], ban_id: str
    ) -> Callable[[datetime], None]:
        @callback
        def _due(_now: datetime) -> None:
            if not self._stopped:
                self.hass.async_create_task(run(ban_id), f"{DOMAIN} ban timer")

        return _due

    def _edge_job(self, ban_id: str) -> Callable[[datetime], None]:
        @callback
        def _edge(_now: datetime) -> None:
            ban = self.book.get(ban_id)
            if ban is None or self._stopped:
                return
            if ban.end <= dt_util.utcnow() and not ban.ended_early:
                self._fire(ban, "ended", None, early=False)
            self._tell_listeners()

        return _edge

    async def _async_remind(self, ban_id: str) -> None:
        ban = self.book.get(ban_id)
        if ban is None or reminder_due(ban) is None or ban.end <= dt_util.utcnow():
            return
        issuer = self._issuing_person(ban)
        build = self._expiring_builder(ban)
        results = await self.sender.async_send_to_people(issuer, build)
        if not any(error is None for error in results):
            _LOGGER.warning(
                "The issuer of ban %s has no phone that was reached; the leaders"
                " are reminded instead",
                ban.id,
            )
            await self.sender.async_send_to_people(
                self.config.people_with(Role.LEADER), build
            )
        current = self.book.get(ban_id)
        if self._stopped or current is None or current.end != ban.end:
            return  # changed meanwhile: its own timer reminds of the new end
        if current.ended_early:
            return  # ended while the reminder was on its way: not "expiring"
        await self.book.async_put(current.mark_reminded())
        self._fire(current, "expiring", None)

    def _issuing_person(self, ban: Ban) -> list[Person]:
        if ban.issued_by_person is None:
            return []
        configured = self.config.person(ban.issued_by_person)
        return [
            configured
            or Person(
                id=ban.issued_by_person, person=ban.issued_by_person, roles=frozenset()
            )
        ]

    def _expiring_builder(self, ban: Ban) -> Callable[[Person, Any], dict[str, Any]]:
        return lambda person, phone: expiring_message(
            ban_id=ban.id,
            case=ban.case_reference,
            centre=ban.centre,
            until=local_date(ban.end),
            language=person.language,
            platform=phone.platform,
        )

    async def _async_tell_new(self, ban: Ban) -> None:
        people = {
            p.id: p
            for role in (Role.SAFETY_ORGANISATION, Role.LEADER)
            for p in self.config.people_with(role)
        }
        await self.sender.async_send_to_people(
            list(people.values()),
            lambda person, phone: new_ban_message(
                ban_id=ban.id,
                centre=ban.centre,
                until=local_date(ban.end),
                language=person.language,
                platform=phone.platform,
            ),
        )

    async def _async_delete_expired(self) -> None:
        if not self._stopped:
            gone = expired_to_delete(self.book, dt_util.utcnow(), self.config.bans.keep)
            if gone:
                await self._async_delete(gone, by=None, context=None)

    async def _async_delete(
        self, bans: list[Ban], *, by: str | None, context: Context | None
    ) -> None:
        for ban in await self.book.async_delete([b.id for b in bans]):
            self._cancel_timers(ban.id)
            # Logged without its content: the record is gone on purpose.
            _LOGGER.info(
                "Attendance ban %s deleted (%s)",
                ban.id,
                f"removed by {by}" if by else "kept its time after it ended",
            )
            self._fire(ban, "deleted", context, removed=by is not None)
        self._tell_listeners()

    # -- telling others -------------------------------------------------------

    def _changed(
        self, ban: Ban, what: str, context: Context | None, **extra: Any
    ) -> None:
        self._schedule(ban)
        self._fire(ban, what, context, **extra)
        self._tell_listeners()

    def _fire(self, ban: Ban, what: str, context: Context | None, **extra: Any) -> None:
        # No case reference, no note: events are kept by the recorder and
        # shown in the logbook to everyone.
        self.hass.bus.async_fire(
            EVENT_BAN,
            {
                "type": what,
                "ban_id": ban.id,
                "centre": ban.centre,
                "start": ban.start.isoformat(),
                "end": ban.end.isoformat(),
                "active": is_active(ban, dt_util.utcnow()),
                "issued_by": ban.issued_by,
                "issued_by_person": ban.issued_by_person,
                **extra,
            },
            context=context,
        )
