"""Commands on a convening's roster: import (or preview) a roster file; each entry's
credential (a personal link and a badge code): export, redeem, reissue.

Who an entry is as a member: nobody until their link or badge code is first used. Then a
participant (an observer for the roster's observers) is created with the entry's name,
delegation (as caucus), vote weight, and the link's token as its token, so the link and
the code lead to that one member ever after, on any phone. Members are not created at
import: until someone arrives, the people list, the participant count and "joined" mean
what they meant before (people who came), and a roster of 1,500 is not 1,500 participants
before anyone is in the room.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from convene.domain import roster as rules
from convene.domain.convening import (
    Actor,
    Admission,
    Member,
    Role,
    hash_token,
    new_token,
    normalise_join_code,
)
from convene.domain.errors import N_, Conflict, InvalidInput, NotAuthenticated, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.roster import Action, RosterEntry, RosterRole
from convene.domain.text import clean_line
from convene.domain.times import iso
from convene.services.core import (
    Services,
    UnitOfWork,
    convening_id_for_code,
    count_participants,
    parse_after_page,
)
from convene.services.schemas import ROSTER_PAGE_MAX
from convene.services.sealing import SealBroken
from convene.store import tables

_t = tables.roster_entries


def import_roster(
    svc: Services,
    actor: Actor,
    *,
    csv: object = None,
    rows: object = None,
    dry_run: bool = False,
) -> dict:
    """Import a whole roster (facilitator): ``csv`` (the file's text) or ``rows`` (JSON
    objects), exactly one. Every row is checked before anything is written; a re-import
    updates the entries it matches (convene/domain/roster.py) and reports those it no longer
    lists without removing them. ``dry_run``: say what an import would do, change nothing
    (the reply then holds every row with its action, for the console's preview).

    Returns ``{added, updated, unchanged, not_in_file, total, dry_run}`` (and ``rows`` for a
    dry run). Raises RosterInvalid (422) listing every problem with its line and field."""
    actor.require(Role.FACILITATOR)
    if (csv is None) == (rows is None):
        raise InvalidInput(N_("Send the roster as csv or as rows, one of the two."), field="csv")
    parsed = rules.parse_csv(csv) if csv is not None else rules.parse_rows(rows)
    if dry_run:
        with svc.read() as session:
            plan = rules.plan_import(_kept(session, actor.convening_id), parsed)
        return _reply(plan, dry_run=True)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        plan = rules.plan_import(_kept(uow.session, convening.id), parsed)
        added = [row for row, action, _ in plan.steps if action is Action.ADDED]
        if added:
            issuer = _Issuer(svc, uow.session, convening.id)
            uow.session.execute(
                insert(_t),
                [
                    {
                        **_columns(rules.new_entry(row)),
                        **issuer.issue(uow.now).columns,
                        "convening_id": convening.id,
                        "added_at": uow.now,
                        "updated_at": uow.now,
                    }
                    for row in added
                ],
            )
        events: list[DomainEvent] = []
        #: member id → their caucus before, for those whose delegation changed
        caucuses: dict[int, str | None] = {}
        for row, action, entry in plan.steps:
            if action is Action.UPDATED and entry is not None:
                rules.apply_row(entry, row)
                uow.session.execute(
                    update(_t)
                    .where(_t.c.id == entry.id)
                    .values(**_columns(entry), updated_at=uow.now)
                )
                events += _member_follows(uow, entry, caucuses)
        summary = plan.summary()
        total = len(plan.steps) + len(plan.not_in_file)
        # The demands recount once for every new caucus (their handler of roster.imported).
        imported = DomainEvent(
            "roster.imported", {**summary, "total": total}, {"caucuses": caucuses}
        )
        uow.record(convening, actor, [imported, *events])
        uow.commit()
    return _reply(plan, dry_run=False)


def _kept(session, convening_id: int) -> list[RosterEntry]:
    rows = session.execute(
        select(_t).where(_t.c.convening_id == convening_id).order_by(_t.c.id)
    ).all()
    return [
        RosterEntry(
            id=r.id,
            name=r.name,
            delegation=r.delegation,
            role=RosterRole(r.role),
            vote_weight=r.vote_weight,
            external_id=r.external_id,
            contact=r.contact,
            member_id=r.member_id,
        )
        for r in rows
    ]


def _columns(entry: RosterEntry) -> dict:
    return {
        "name": entry.name,
        "delegation": entry.delegation,
        "role": entry.role,
        "vote_weight": entry.vote_weight,
        "external_id": entry.external_id,
        "contact": entry.contact,
    }


def _reply(plan: rules.ImportPlan, *, dry_run: bool) -> dict:
    reply: dict = {
        **plan.summary(),
        "not_in_file": [
            {
                "id": e.id,
                "external_id": e.external_id,
                "name": e.name,
                "delegation": e.delegation,
            }
            for e in plan.not_in_file
        ],
        "total": len(plan.steps) + len(plan.not_in_file),
        "dry_run": dry_run,
    }
    if dry_run:
        reply["rows"] = [
            {
                "line": row.line,
                "name": row.name,
                "delegation": row.delegation,
                "role": str(row.role),
                "vote_weight": row.vote_weight,
                "external_id": row.external_id,
                "contact": row.contact,
                "action": str(action),
            }
            for row, action, _ in plan.steps
        ]
    return reply


# -- credentials ---------------------------------------------------------------------------------

#: At most this many badge codes are drawn for one entry before giving up (a collision among
#: 25^8 codes is rare; twenty in a row is a broken random source).
_CODE_ATTEMPTS = 20


@dataclass(frozen=True)
class Issued:
    """A fresh credential: the secrets (to hand out once) and the columns that keep it."""

    token: str
    code: str
    columns: dict


class _Issuer:
    """Draws credentials for one convening, each badge code unique in it."""

    def __init__(self, svc: Services, session, convening_id: int) -> None:
        self.keys = svc.credentials
        self.taken = set(
            session.execute(
                select(_t.c.code_tag).where(
                    _t.c.convening_id == convening_id, _t.c.code_tag.is_not(None)
                )
            ).scalars()
        )

    def issue(self, now) -> Issued:
        for _ in range(_CODE_ATTEMPTS):
            code = rules.new_badge_code()
            tag = self.keys.tag(code)
            if tag not in self.taken:
                break
        else:  # pragma: no cover - a broken random source
            raise Conflict(N_("Could not find a free badge code; please try again."))
        self.taken.add(tag)
        token = new_token()
        link_hash = hash_token(token)
        return Issued(
            token,
            code,
            {
                "link_hash": link_hash,
                "code_tag": tag,
                "credential": self.keys.seal(link_hash, token, code),
                "issued_at": now,
            },
        )


def _member_follows(
    uow: UnitOfWork, entry: RosterEntry, caucuses: dict[int, str | None]
) -> list[DomainEvent]:
    """A re-import that changes an entry who already joined changes their member too: name,
    delegation (as caucus: a member whose caucus changes goes into ``caucuses`` with the one
    before), vote weight, and role (a delegate the file now lists as an observer no longer
    votes, from this commit on; the event then carries the new count of participants)."""
    if entry.member_id is None:
        return []
    member = uow.session.get(Member, entry.member_id)
    if member is None or not member.active:
        return []
    caucus = rules.caucus_of(entry.delegation)
    if member.caucus != caucus:
        caucuses[member.id] = member.caucus
    member.name = entry.name
    member.caucus = caucus
    member.vote_weight = entry.vote_weight
    role = rules.member_role(RosterRole(entry.role))
    moved = member.role is not role
    member.role = role
    uow.session.flush()
    data = member.public()
    if moved:
        data["participants"] = count_participants(uow.session, member.convening_id)
    return [DomainEvent("participant.updated", data)]


def _issue_missing(svc: Services, uow: UnitOfWork, convening_id: int) -> int:
    """Credentials for the entries that have none (imported before credentials existed)."""
    missing = (
        uow.session.execute(
            select(_t.c.id).where(_t.c.convening_id == convening_id, _t.c.link_hash.is_(None))
        )
        .scalars()
        .all()
    )
    if missing:
        issuer = _Issuer(svc, uow.session, convening_id)
        for entry_id in missing:
            uow.session.execute(
                update(_t).where(_t.c.id == entry_id).values(**issuer.issue(uow.now).columns)
            )
    return len(missing)


def _credential(svc: Services, row) -> tuple[str, str]:
    try:
        return svc.credentials.open(row.link_hash, row.credential)
    except SealBroken:
        raise Conflict(
            N_(
                "The badges were made with another server key: reissue them (or configure "
                "the old key as a fallback)."
            )
        ) from None


def _entry_view(row, token: str, code: str) -> dict:
    return {
        "entry_id": row.id,
        "name": row.name,
        "delegation": row.delegation,
        "role": str(row.role),
        "vote_weight": row.vote_weight,
        "external_id": row.external_id,
        "contact": row.contact,
        "code": rules.show_badge_code(code),
        "token": token,
        "member_id": row.member_id,
    }


def credentials(svc: Services, actor: Actor, *, entry_id: object = None) -> dict:
    """Every roster entry with its badge code and link token (facilitator), by delegation
    then name, for the credentials CSV and the badge PDF; or only ``entry_id``'s (a badge
    printed again). Entries without a credential yet (imported before credentials existed)
    get one first. Each export is a ``roster.credentials_exported`` event in the log (who
    took everyone's links, and when), with no secret in it."""
    actor.require(Role.FACILITATOR)
    if entry_id is not None:
        entry_id = parse_id(entry_id, "entry_id", N_("The roster entry id must be a number."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        events = []
        issued = _issue_missing(svc, uow, convening.id)
        if issued:
            events.append(DomainEvent("roster.credentials_issued", {"count": issued}))
        query = select(_t).where(_t.c.convening_id == convening.id)
        if entry_id is not None:
            query = query.where(_t.c.id == entry_id)
        rows = uow.session.execute(query.order_by(_t.c.delegation, _t.c.name, _t.c.id)).all()
        if entry_id is not None and not rows:
            raise NotFound(N_("There is no roster entry %(id)s in this convening."), id=entry_id)
        exported = {"count": len(rows), "entry_id": entry_id}
        events.append(DomainEvent("roster.credentials_exported", exported))
        uow.record(convening, actor, events)
        title, language = convening.title, convening.language
        uow.commit()
    return {
        "title": title,
        "language": language,
        "entries": [_entry_view(row, *_credential(svc, row)) for row in rows],
    }


def list_entries(
    svc: Services,
    actor: Actor,
    *,
    after: object = 0,
    limit: object = ROSTER_PAGE_MAX,
    search: object = None,
) -> dict:
    """One page of the roster by id, without secrets (facilitator): to find an entry whose
    badge to reissue. ``search``: only entries whose name, delegation or external id
    contain it (case aside). ``next_after``: where the next page starts (None: the last)."""
    actor.require(Role.FACILITATOR)
    after, limit = parse_after_page(after, limit, ROSTER_PAGE_MAX)
    query = select(_t).where(_t.c.convening_id == actor.convening_id, _t.c.id > after)
    words = clean_line(search, "search", 200, required=False).casefold() if search else ""
    with svc.read() as session:
        if not words:
            rows = session.execute(query.order_by(_t.c.id).limit(limit + 1)).all()
        else:  # a roster is at most 5,000 rows: matched here, the same on every database
            rows = [
                r
                for r in session.execute(query.order_by(_t.c.id))
                if words in r.name.casefold()
                or words in r.delegation.casefold()
                or words in (r.external_id or "").casefold()
            ][: limit + 1]
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "entries": [
            {
                "entry_id": r.id,
                "name": r.name,
                "delegation": r.delegation,
                "role": str(r.role),
                "vote_weight": r.vote_weight,
                "external_id": r.external_id,
                "member_id": r.member_id,
                "issued_at": iso(r.issued_at),
            }
            for r in rows
        ],
        "next_after": rows[-1].id if more else None,
    }


def reissue(svc: Services, actor: Actor, *, entry_id: object) -> dict:
    """A lost badge (facilitator): a new link and code for the entry; the old ones stop
    working at once, and a phone that used them is told so and disconnected."""
    actor.require(Role.FACILITATOR)
    entry_id = parse_id(entry_id, "entry_id", N_("The roster entry id must be a number."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        row = uow.session.execute(
            select(_t).where(_t.c.id == entry_id, _t.c.convening_id == convening.id)
        ).one_or_none()
        if row is None:
            raise NotFound(N_("There is no roster entry %(id)s in this convening."), id=entry_id)
        issued = _Issuer(svc, uow.session, convening.id).issue(uow.now)
        uow.session.execute(update(_t).where(_t.c.id == row.id).values(**issued.columns))
        member_id = row.member_id
        if member_id is not None:
            member = uow.session.get(Member, member_id)
            if member is not None:
                member.token_hash = issued.columns["link_hash"]
                uow.session.flush()
        data = {
            "entry_id": row.id,
            "member_id": member_id,
            "name": row.name,
            "delegation": row.delegation,
        }
        uow.record(convening, actor, [DomainEvent("roster.credential_reissued", data)])
        if member_id is not None:
            uow.after_commit(lambda: svc.publisher.member_revoked(member_id))
        uow.commit()
    return _entry_view(row, issued.token, issued.code)


def redeem(
    svc: Services, *, code: object, badge_code: object = None, token: object = None
) -> Admission:
    """Someone arrives with their badge (no token, anyone may): its code typed on the join
    page, or its personal link (``token``). The first time, their member is created from the
    roster entry (module docstring); afterwards the same member is returned, on any phone.
    A badge needs no passcode: the facilitator handed it to that person."""
    code = normalise_join_code(code)
    if (badge_code is None) == (token is None):
        raise InvalidInput(
            N_("Send the badge's code or its link's token, one of the two."), field="badge_code"
        )
    if badge_code is not None:
        found = _t.c.code_tag.in_(svc.credentials.tags(rules.normalise_badge_code(badge_code)))
        return _redeem(svc, code, found, NotFound(N_("No badge has that code in this convening.")))
    return redeem_link(svc, token=token, code=code)


def redeem_link(svc: Services, *, token: object, code: str | None = None) -> Admission:
    """A personal link opened (``/t/<token>``): the member it is, created on first use."""
    if not isinstance(token, str) or not token or len(token) > 200:
        raise NotAuthenticated(N_("This access link is not valid (any more)."))
    found = _t.c.link_hash == hash_token(token)
    return _redeem(
        svc, code, found, NotAuthenticated(N_("This access link is not valid (any more).")), token
    )


def _redeem(svc: Services, code: str | None, found, unknown, token: str | None = None):
    with svc.write() as uow:
        if code is not None:
            convening_id = convening_id_for_code(uow.session, code)
        else:
            convening_id = uow.session.execute(select(_t.c.convening_id).where(found)).scalar()
            if convening_id is None:
                raise unknown
        # The convening's lock first, then the entry: two phones redeeming one badge at once
        # make one member, the second finds it.
        convening = uow.convening(convening_id)
        row = uow.session.execute(
            select(_t).where(_t.c.convening_id == convening.id, found)
        ).one_or_none()
        if row is None:
            raise unknown
        link_token = token if token is not None else _credential(svc, row)[0]
        if row.member_id is not None:
            member = uow.session.get(Member, row.member_id)
            if member is None or not member.active:
                raise NotAuthenticated(N_("This badge's holder was removed from the convening."))
            return Admission(member.id, link_token, member.role)
        member = Member(
            convening_id=convening.id,
            role=rules.member_role(RosterRole(row.role)),
            name=row.name,
            caucus=rules.caucus_of(row.delegation),
            vote_weight=row.vote_weight,
            token_hash=row.link_hash,
            joined_at=uow.now,
        )
        uow.session.add(member)
        uow.session.flush()
        uow.session.execute(update(_t).where(_t.c.id == row.id).values(member_id=member.id))
        data = {
            **member.public(),
            "participants": count_participants(uow.session, convening.id),
            "roster_entry_id": row.id,
        }
        uow.record(convening, None, [DomainEvent("participant.joined", data)])
        uow.commit()
        return Admission(member.id, link_token, member.role)
