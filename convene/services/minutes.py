"""Minutes and action items: gather the recorded state, build the document, finalize it.

The loader (:func:`load_state`) reads everything the minutes need in one consistent read;
the pure function :func:`convene.domain.minutes.build_minutes` turns it into the document.
Finalizing stores the rendered JSON document as a numbered version that never changes; a
later correction is a new version.
"""

from __future__ import annotations

import json

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from convene.domain import minutes as model
from convene.domain.convening import Actor, Convening, Member, Role
from convene.domain.demands import Amendment, Demand, DemandVersion
from convene.domain.errors import N_, Conflict, Forbidden
from convene.domain.events import DomainEvent
from convene.domain.floor import RequestState, speaking_stats
from convene.domain.ids import parse_id
from convene.domain.rounds import Method, Round, RoundState, profile_key
from convene.domain.times import iso
from convene.exports import recount
from convene.services.core import Services
from convene.store import eventlog, tables
from convene.store import floor as store_floor
from convene.store import rounds as store_rounds
from convene.store.rounds import load_round, published_ballots

#: What a finalized version is compared on: everything but its own stamp and the log position.
_STAMP = ("final", "version", "approved_by", "approved_at", "last_seq")


# -- gathering the state --------------------------------------------------------------------


def _actions(session: Session, convening_id: int) -> list[dict]:
    rows = session.execute(
        select(tables.action_items)
        .where(tables.action_items.c.convening_id == convening_id)
        .order_by(tables.action_items.c.id)
    ).all()
    return [
        {
            "id": r.id,
            "what": r.what,
            "who": r.who,
            "due": r.due.isoformat() if r.due else None,
            "agenda_item_id": r.agenda_item_id,
            "author_id": r.author_id,
            "created_at": iso(r.created_at),
        }
        for r in rows
    ]


def load_state(session: Session, convening_id: int, now) -> tuple[dict, list[dict]]:
    """Everything the minutes are made of, as plain dicts, and the event log."""
    convening = session.execute(
        select(Convening).where(tables.convenings.c.id == convening_id)
    ).scalar_one()
    members = session.execute(
        select(Member).where(tables.members.c.convening_id == convening_id)
    ).scalars()
    demands = list(
        session.execute(select(Demand).where(tables.demands.c.convening_id == convening_id))
        .scalars()
        .all()
    )
    demand_ids = [d.id for d in demands]
    versions: dict[int, list] = {}
    amendments: dict[int, list] = {}
    if demand_ids:
        for v in session.execute(
            select(DemandVersion)
            .where(tables.demand_versions.c.demand_id.in_(demand_ids))
            .order_by(tables.demand_versions.c.number)
        ).scalars():
            versions.setdefault(v.demand_id, []).append(v.public())
        for a in session.execute(
            select(Amendment)
            .where(tables.amendments.c.demand_id.in_(demand_ids))
            .order_by(tables.amendments.c.id)
        ).scalars():
            amendments.setdefault(a.demand_id, []).append(
                {
                    "id": a.id,
                    "author_id": a.author_id,
                    "passage": a.passage,
                    "body": a.body,
                    "old_text": a.old_text,
                    "new_text": a.new_text,
                    "rationale": a.rationale,
                    "status": str(a.status),
                    "friendly": a.friendly,
                    "result_version": a.result_version,
                }
            )
    rounds = []
    for r in session.execute(
        select(Round).where(tables.rounds.c.convening_id == convening_id)
    ).scalars():
        voted, weight, paper = store_rounds.voters(session, r.id)
        closed = r.state is RoundState.CLOSED
        rounds.append(
            {
                **r.public(with_result=True),
                "decision": r.decision() if closed else "",
                "voted": voted,
                "voted_weight": int(weight),
                "paper": paper,
                # named rounds: whose ballot a teller entered from paper (a secret round
                # says only how many)
                "paper_names": (
                    store_rounds.paper_names(session, r.id) if paper and not r.secret else []
                ),
                # each export's name, SHA-256 and recount command, printed beside the round
                "exports": recount.listing(r, published_ballots(session, r)) if closed else [],
            }
        )
    history = store_floor.speeches(session, convening_id)
    for speech in history:  # a speech under way counts up to now
        if speech.state is RequestState.SPEAKING:
            speech.ended_at = now
    _, per_item = speaking_stats(history)
    notes = dict(
        session.execute(
            select(tables.minutes_notes.c.agenda_item_id, tables.minutes_notes.c.text).where(
                tables.minutes_notes.c.convening_id == convening_id
            )
        ).all()
    )
    state = {
        "convening": {**convening.public(), "created_at": iso(convening.created_at)},
        "members": [
            {
                **m.public(),
                "joined_at": iso(m.joined_at),
                "removed_at": iso(m.removed_at),
            }
            for m in members
        ],
        "agenda": [item.public() for item in convening.agenda],
        "notes": notes,
        "demands": [
            {
                "id": d.id,
                "title": d.title,
                "body": d.body,
                "status": str(d.status),
                "hidden": d.hidden,
                "position": d.position,
                "item_id": d.item_id,
                "author_id": d.author_id,
                "version": d.version,
                "versions": versions.get(d.id, []),
                "amendments": amendments.get(d.id, []),
            }
            for d in demands
        ],
        "rounds": rounds,
        "speaking": {item_id: stats.public() for item_id, stats in per_item.items()},
        "actions": _actions(session, convening_id),
    }
    events = [
        {"seq": e.seq, "type": e.type, "data": e.data, "at": iso(e.at)}
        for e in eventlog.since(session, convening_id, 0, 10**9)
    ]
    return state, events


def live_document(session: Session, convening_id: int, now) -> dict:
    return model.build_minutes(*load_state(session, convening_id, now))


def _latest_version(session: Session, convening_id: int):
    return session.execute(
        select(tables.minutes_versions)
        .where(tables.minutes_versions.c.convening_id == convening_id)
        .order_by(tables.minutes_versions.c.number.desc())
        .limit(1)
    ).first()


def _comparable(document: dict) -> str:
    return json.dumps({k: v for k, v in document.items() if k not in _STAMP}, sort_keys=True)


# -- reading ----------------------------------------------------------------------------------


def _convening(session: Session, actor: Actor) -> Convening:
    return session.execute(
        select(Convening).where(tables.convenings.c.id == actor.convening_id)
    ).scalar_one()


def get_minutes(svc: Services, actor: Actor, *, live: object = False) -> dict:
    """The latest final version once there is one, else the live minutes (``final: false``).

    Before they are final only facilitators see them; after, participants too when the
    convening's ``minutes_public`` setting allows. ``live``: facilitators may ask for the
    live document even after finalizing (to review a correction before finalizing again).
    """
    with svc.read() as session:
        convening = _convening(session, actor)
        latest = _latest_version(session, actor.convening_id)
        if not actor.is_staff:
            if latest is None:
                raise Forbidden(N_("The minutes are not final yet: only facilitators see them."))
            if not convening.minutes_public:
                raise Forbidden(N_("The facilitators have not made the minutes public."))
            return latest.document
        if latest is not None and live is not True:
            return latest.document
        return live_document(session, actor.convening_id, svc.clock())


def list_actions(svc: Services, actor: Actor) -> dict:
    with svc.read() as session:
        actions = _actions(session, actor.convening_id)
        titles = dict(
            session.execute(
                select(tables.agenda_items.c.id, tables.agenda_items.c.title).where(
                    tables.agenda_items.c.convening_id == actor.convening_id
                )
            ).all()
        )
    for action in actions:
        action["agenda_item"] = titles.get(action["agenda_item_id"])
        del action["author_id"]
    return {"actions": actions}


# -- commands ----------------------------------------------------------------------------------


def add_note(svc: Services, actor: Actor, *, agenda_item_id: object, text: object) -> dict:
    """The facilitator's notes on an agenda item, for the minutes (replaces earlier notes)."""
    actor.require(Role.FACILITATOR)
    cleaned = model.parse_note(text)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item = convening.item(parse_id(agenda_item_id, "agenda_item_id"))
        changed = uow.session.execute(
            update(tables.minutes_notes)
            .where(tables.minutes_notes.c.agenda_item_id == item.id)
            .values(text=cleaned, updated_at=uow.now)
        ).rowcount
        if not changed:
            uow.session.execute(
                insert(tables.minutes_notes).values(
                    convening_id=convening.id,
                    agenda_item_id=item.id,
                    text=cleaned,
                    updated_at=uow.now,
                )
            )
        data = {"agenda_item_id": item.id, "text": cleaned}
        uow.record(convening, actor, [DomainEvent("minutes.noted", data)])
        uow.commit()
        return data


def finalize(svc: Services, actor: Actor) -> dict:
    """Approve the minutes as they stand: a new numbered version, stored and never changed.

    Refused (409) when nothing changed since the last final version.
    """
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        document = live_document(uow.session, convening.id, uow.now)
        latest = _latest_version(uow.session, convening.id)
        if latest is not None and _comparable(latest.document) == _comparable(document):
            raise Conflict(
                N_("The minutes are already final (version %(version)d) and nothing changed."),
                version=latest.number,
            )
        number = 1 if latest is None else latest.number + 1
        final = model.finalized(
            document, version=number, approved_by=actor.name, approved_at=iso(uow.now)
        )
        uow.session.execute(
            insert(tables.minutes_versions).values(
                convening_id=convening.id,
                number=number,
                document=final,
                approved_by_id=actor.member_id,
                approved_by=actor.name,
                approved_at=uow.now,
                last_seq=document["last_seq"],
            )
        )
        data = {"version": number, "approved_by": actor.name, "approved_at": iso(uow.now)}
        uow.record(convening, actor, [DomainEvent("minutes.finalized", data)])
        uow.commit()
        return final


def add_action(
    svc: Services,
    actor: Actor,
    *,
    what: object,
    who: object,
    due: object = None,
    agenda_item_id: object = None,
) -> dict:
    """Record an action item (facilitator; participants too if the convening allows it)."""
    if actor.role is not Role.FACILITATOR and actor.role is not Role.PARTICIPANT:
        raise Forbidden(N_("Only a facilitator may do that."))
    action = model.parse_action(what, who, due)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        if actor.role is Role.PARTICIPANT and not convening.participants_add_actions:
            raise Forbidden(N_("Only facilitators record action items in this convening."))
        item_id = None
        if agenda_item_id is not None:
            item_id = convening.item(parse_id(agenda_item_id, "agenda_item_id")).id
        new_id = uow.session.execute(
            insert(tables.action_items)
            .values(
                convening_id=convening.id,
                agenda_item_id=item_id,
                author_id=actor.member_id,
                created_at=uow.now,
                **action,
            )
            .returning(tables.action_items.c.id)
        ).scalar_one()
        data = {
            "id": new_id,
            "what": action["what"],
            "who": action["who"],
            "due": action["due"].isoformat() if action["due"] else None,
            "agenda_item_id": item_id,
            "agenda_item": convening.item(item_id).title if item_id else None,
        }
        uow.record(convening, actor, [DomainEvent("action.added", data)])
        uow.commit()
        return data


# -- ballots of a round, for the CSV and BLT exports ----------------------------------------------


def closed_round_ballots(svc: Services, actor: Actor, round_id: object) -> tuple[Round, list]:
    """A closed round and its ballots (see convene/store/rounds.py: published_ballots)."""
    if actor.role is Role.TELLER:
        raise Forbidden(N_("A teller may only enter paper ballots."))
    with svc.read() as session:
        round_ = load_round(session, actor.convening_id, round_id)
        if round_.state is not RoundState.CLOSED:
            raise Conflict(N_("The ballots are published when the round closes."))
        _ = list(round_.options)  # loaded before the session closes
        return round_, published_ballots(session, round_)


def round_export(svc: Services, actor: Actor, round_id: object, kind: str) -> tuple[str, str]:
    """One export of a closed round: ``(file name, text)``; the bytes the minutes hash."""
    round_, ballots = closed_round_ballots(svc, actor, round_id)
    files = recount.round_files(round_, ballots)
    if kind not in files:
        if kind == "blt" or kind == "cvr":
            raise Conflict(N_("Only ranked rounds (IRV, STV, Schulze) have this file."))
        raise Conflict(N_("Only IRV and STV rounds have a round-by-round summary."))
    return recount.file_names(round_.id)[kind], files[kind]


def ranked_profile(round_: Round, ballots: list) -> dict:
    """``ranking of option ids (as strings) → weight``, as the tally engine counts them."""
    if not round_.method.ranked:
        raise Conflict(N_("Only ranked rounds (IRV, STV, Schulze) have a BLT file."))
    profile: dict = {}
    for _, content, weight, _ in ballots:
        key = profile_key(Method(round_.method), content)
        profile[key] = profile.get(key, 0) + weight
    return profile
