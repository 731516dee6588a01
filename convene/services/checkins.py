"""The credentials desk (issue 17 item 3): roster entries checked in and out at the door.

A check-in is kept on the roster entry (``checked_in_at``, ``checked_in_by``), not on a
member: an entry is checked in by its badge (the code typed, or the personal link its QR
holds) or found by name, whether or not its link was ever used, and the member it becomes
on first use is checked in with it. A check-out is addressed by the entry's id (every entry
has one; a member exists only once the badge was used). Each is an event in the log
(``checkin.in``, ``checkin.out``: the entry, its member if any, the desk member, the counts
after it); the public sees the counts only.

An alternate takes a delegate's seat through the same command (``seat_of``: the
delegate's entry; the rules in convene/domain/seats.py): ``seat.taken``, and
``seat.returned`` when the delegate checks in again or the alternate checks out; the public
sees the counts only.

With the convening's ``accredited_voting`` on, only checked-in delegates vote (the ballot
path, convene/services/rounds/ballots.py) and "present" is the checked-in voters
(convene/services/presence.py: present), for the quorum, turnout and "present at open/close".

A desk's wrong codes are counted (``checkin_misses``, docs/limits.md): past its rate the
desk is refused for a while before any lookup, so badge codes cannot be guessed at the
desk's pace, while a desk scanning a badge a second never meets it.
"""

from __future__ import annotations

from sqlalchemy import select, update

from convene.domain import roster as rules
from convene.domain.convening import Actor, Role, hash_token
from convene.domain.errors import N_, InvalidInput, NotFound, TooMany
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.roster import RosterRole
from convene.domain.seats import SeatParty, plan_seating
from convene.domain.text import clean_line
from convene.domain.times import iso
from convene.services.core import Services
from convene.store import tables
from convene.store.checkins import counts, open_round_ids

_t = tables.roster_entries
#: What a desk's field or scanner may send (a badge code, a link's token, a whole URL).
SCAN_MAX = 400
#: The most entries a desk's search by name returns.
SEARCH_MAX = 20


def _scanned(value: object) -> tuple[str | None, str | None]:
    """What a desk sent: ``(badge_code, None)`` or ``(None, link_token)``. A scanned QR is
    the personal link (``https://.../t/<token>``); a typed code is 8 characters (dashes and
    spaces aside); anything else longer is taken for a bare token."""
    text = clean_line(value, "code", SCAN_MAX)
    if "/t/" in text:
        token = text.rsplit("/t/", 1)[1].split("?", 1)[0].split("#", 1)[0].strip("/")
        return None, token
    squeezed = "".join(ch for ch in text.upper() if ch not in " -")
    if len(squeezed) == rules.BADGE_CODE_LENGTH:
        return rules.normalise_badge_code(squeezed), None
    if len(text) >= 20 and " " not in text:
        return None, text
    raise NotFound(N_("No badge has that code in this convening."))


def _entry_view(row, seat: dict | None = None) -> dict:
    """An entry as the desk reads it; ``seat``: its ``seat_of`` (an alternate: the seat
    they hold) and ``held_by`` (a delegate: the alternate who holds theirs), each
    ``{entry_id, name}`` or None."""
    return {
        "entry_id": row.id,
        "member_id": row.member_id,
        "name": row.name,
        "delegation": row.delegation,
        "role": str(row.role),
        "checked_in": row.checked_in_at is not None,
        "checked_in_at": iso(row.checked_in_at),
        **(seat or {"seat_of": None, "held_by": None}),
    }


def _ref(row) -> dict | None:
    return None if row is None else {"entry_id": row.id, "name": row.name}


def _seat_of_row(session, row) -> dict:
    """The seat fields of one entry (:func:`_entry_view`)."""
    seat = (
        session.execute(select(_t).where(_t.c.id == row.seat_of)).one_or_none()
        if row.seat_of is not None
        else None
    )
    holder = session.execute(select(_t).where(_t.c.seat_of == row.id)).one_or_none()
    return {"seat_of": _ref(seat), "held_by": _ref(holder)}


def _entry_of(session, convening_id: int, entry_id: int):
    """Roster entry ``entry_id`` of the convening, or NotFound (another convening's too)."""
    row = session.execute(
        select(_t).where(_t.c.id == entry_id, _t.c.convening_id == convening_id)
    ).one_or_none()
    if row is None:
        raise NotFound(N_("There is no roster entry %(id)s in this convening."), id=entry_id)
    return row


def _row(session, entry_id: int):
    return session.execute(select(_t).where(_t.c.id == entry_id)).one()


def check_in(
    svc: Services,
    actor: Actor,
    *,
    code: object = None,
    entry_id: object = None,
    seat_of: object = None,
) -> dict:
    """Check a roster entry in (desk or facilitator): by its badge (``code``: the code typed
    or the personal link the QR holds) or, found by name, by ``entry_id``; exactly one.
    Already in: nothing changes and the reply says so (``already: true``). A delegate
    checking in takes back their seat from the alternate who held it (``seat.returned``).

    ``seat_of``: the roster entry id of a delegate whose seat this alternate takes
    (convene/domain/seats.py: plan_seating): the alternate is checked in if need be, the
    delegate checked out if still in (handing over), and ``seat.taken`` recorded."""
    actor.require(Role.DESK, Role.FACILITATOR)
    if (code is None) == (entry_id is None):
        raise InvalidInput(N_("Send the badge's code or the roster entry's id."), field="code")
    if seat_of is not None:
        seat_of = parse_id(
            seat_of, "seat_of", N_("The delegate's roster entry id must be a number.")
        )
    if svc.limits.blocked("checkin_misses", actor.member_id):
        raise TooMany(
            N_("Too many unknown badges from this desk: wait a moment and try again."),
            retry_after=svc.limits.retry_after("checkin_misses", actor.member_id),
        )
    svc.limits.hit("checkins", actor.member_id)
    where = [_t.c.convening_id == actor.convening_id]
    if entry_id is not None:
        entry_id = parse_id(entry_id, "entry_id", N_("The roster entry id must be a number."))
        where.append(_t.c.id == entry_id)
        missing = NotFound(N_("There is no roster entry %(id)s in this convening."), id=entry_id)
    else:
        try:
            badge_code, token = _scanned(code)
        except NotFound:
            svc.limits.allow("checkin_misses", actor.member_id)
            raise
        if badge_code is not None:
            where.append(_t.c.code_tag.in_(svc.credentials.tags(badge_code)))
        else:
            where.append(_t.c.link_hash == hash_token(token))
        missing = NotFound(N_("No badge has that code in this convening."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        session = uow.session
        row = session.execute(select(_t).where(*where)).one_or_none()
        if row is None:
            svc.limits.allow("checkin_misses", actor.member_id)
            raise missing
        if seat_of is not None:
            return _take_seat(svc, uow, convening, actor, row, seat_of)
        if row.checked_in_at is not None:
            return _reply(session, row, True, counts(session, convening.id))
        session.execute(
            update(_t)
            .where(_t.c.id == row.id)
            .values(checked_in_at=uow.now, checked_in_by=actor.member_id)
        )
        row = _row(session, row.id)
        events = [DomainEvent("checkin.in", _event(row, actor, counts(session, convening.id)))]
        holder = session.execute(select(_t).where(_t.c.seat_of == row.id)).one_or_none()
        if holder is not None:  # the delegate is back: their seat returns to them
            events.append(_unseat(uow, convening, actor, holder, row, "delegate_back"))
        figures = counts(session, convening.id)
        uow.record(convening, actor, events)
        _turnout_moves(svc, uow, convening)
        reply = _reply(session, row, False, figures)
        uow.commit()
    return reply


def _party(row, *, carried: bool = False) -> SeatParty:
    return SeatParty(
        id=row.id,
        name=row.name,
        delegation=row.delegation,
        role=RosterRole(row.role),
        checked_in=row.checked_in_at is not None,
        seat_of=row.seat_of,
        carried=carried,
    )


def _take_seat(svc: Services, uow, convening, actor: Actor, row, seat_of: int) -> dict:
    """Seat the alternate ``row`` in the seat of delegate entry ``seat_of`` (check_in)."""
    session = uow.session
    delegate = _entry_of(session, convening.id, seat_of)
    holder = session.execute(select(_t).where(_t.c.seat_of == delegate.id)).one_or_none()
    holds = None
    if row.seat_of is not None:
        holds = session.execute(select(_t.c.name).where(_t.c.id == row.seat_of)).scalar()
    carried = delegate.member_id is not None and (
        session.execute(
            select(tables.members.c.carried_by_id).where(tables.members.c.id == delegate.member_id)
        ).scalar()
        is not None
    )
    plan = plan_seating(
        _party(row),
        _party(delegate, carried=carried),
        holder=None if holder is None else _party(holder),
        alternate_holds=holds,
    )
    if plan.already:
        return _reply(session, row, True, counts(session, convening.id))
    events = []
    if plan.check_out_delegate:  # handing over
        session.execute(
            update(_t).where(_t.c.id == delegate.id).values(checked_in_at=None, checked_in_by=None)
        )
        delegate = _row(session, delegate.id)
        figures = counts(session, convening.id)
        events.append(DomainEvent("checkin.out", _event(delegate, actor, figures)))
    if plan.check_in_alternate:
        session.execute(
            update(_t)
            .where(_t.c.id == row.id)
            .values(checked_in_at=uow.now, checked_in_by=actor.member_id)
        )
        row = _row(session, row.id)
        figures = counts(session, convening.id)
        events.append(DomainEvent("checkin.in", _event(row, actor, figures)))
    session.execute(
        update(_t).where(_t.c.id == row.id).values(seat_of=delegate.id, seated_at=uow.now)
    )
    row = _row(session, row.id)
    figures = counts(session, convening.id)
    events.append(DomainEvent("seat.taken", _seat_event(row, delegate, actor, figures)))
    uow.record(convening, actor, events)
    _turnout_moves(svc, uow, convening)
    reply = _reply(session, row, False, figures)
    uow.commit()
    return reply


def _unseat(uow, convening, actor: Actor, alternate, delegate, reason: str) -> DomainEvent:
    """Give the seat ``alternate`` holds back to ``delegate`` (in the command's
    transaction); the ``seat.returned`` event to record."""
    session = uow.session
    session.execute(update(_t).where(_t.c.id == alternate.id).values(seat_of=None, seated_at=None))
    figures = counts(session, convening.id)
    return DomainEvent(
        "seat.returned", {**_seat_event(alternate, delegate, actor, figures), "reason": reason}
    )


def _seat_event(alternate, delegate, actor: Actor, figures: dict) -> dict:
    return {
        "entry_id": alternate.id,
        "member_id": alternate.member_id,
        "name": alternate.name,
        "delegation": alternate.delegation,
        "seat_of": delegate.id,
        "seat_member_id": delegate.member_id,
        "seat_name": delegate.name,
        "desk_id": actor.member_id,
        "counts": figures,
    }


def check_out(svc: Services, actor: Actor, *, entry_id: object) -> dict:
    """Check roster entry ``entry_id`` out (desk or facilitator): a delegate leaving, or a
    scan undone. An alternate who leaves gives back the seat they held (``seat.returned``).
    Already out: nothing changes and the reply says so."""
    actor.require(Role.DESK, Role.FACILITATOR)
    entry_id = parse_id(entry_id, "entry_id", N_("The roster entry id must be a number."))
    svc.limits.hit("checkins", actor.member_id)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        session = uow.session
        row = _entry_of(session, convening.id, entry_id)
        if row.checked_in_at is None:
            return _reply(session, row, True, counts(session, convening.id))
        events = []
        if row.seat_of is not None:
            delegate = _row(session, row.seat_of)
            events.append(_unseat(uow, convening, actor, row, delegate, "alternate_out"))
        session.execute(
            update(_t).where(_t.c.id == row.id).values(checked_in_at=None, checked_in_by=None)
        )
        row = _row(session, row.id)
        figures = counts(session, convening.id)
        events.append(DomainEvent("checkin.out", _event(row, actor, figures)))
        uow.record(convening, actor, events)
        _turnout_moves(svc, uow, convening)
        reply = _reply(session, row, False, figures)
        uow.commit()
    return reply


def _turnout_moves(svc: Services, uow, convening) -> None:
    """Under accredited voting a check-in moves "present": the open rounds' turnout goes to
    the screens again at the ticker's next turn."""
    if not convening.accredited_voting:
        return
    for round_id in open_round_ids(uow.session, convening.id):
        uow.after_commit(lambda round_id=round_id: svc.ticker.mark(convening.id, round_id))


def _reply(session, row, already: bool, figures: dict) -> dict:
    return {**_entry_view(row, _seat_of_row(session, row)), "already": already, "counts": figures}


def _event(row, actor: Actor, figures: dict) -> dict:
    return {
        "entry_id": row.id,
        "member_id": row.member_id,
        "name": row.name,
        "delegation": row.delegation,
        "desk_id": actor.member_id,
        "counts": figures,
    }


def search(svc: Services, actor: Actor, *, search: object = None) -> dict:
    """Roster entries for the desk (desk or facilitator): name, delegation, role and
    whether checked in; those whose name or delegation contain ``search`` (case aside), by
    name, at most SEARCH_MAX; and the counts. Nothing else of the roster (no contact, no
    external id, no credential)."""
    actor.require(Role.DESK, Role.FACILITATOR)
    words = clean_line(search, "search", 200, required=False).casefold() if search else ""
    with svc.read() as session:
        query = select(_t).where(_t.c.convening_id == actor.convening_id)
        rows = session.execute(query.order_by(_t.c.name, _t.c.id)).all()
        figures = counts(session, actor.convening_id)
    by_id = {r.id: r for r in rows}
    holders = {r.seat_of: r for r in rows if r.seat_of is not None}
    if words:  # a roster is at most 5,000 rows: matched here, the same on every database
        rows = [r for r in rows if words in r.name.casefold() or words in r.delegation.casefold()]
    more = len(rows) > SEARCH_MAX
    entries = [
        _entry_view(r, {"seat_of": _ref(by_id.get(r.seat_of)), "held_by": _ref(holders.get(r.id))})
        for r in rows[:SEARCH_MAX]
    ]
    return {"entries": entries, "more": more, "counts": figures}
