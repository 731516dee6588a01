"""Demand commands: propose, edit, withdraw, open, support, amend, accept and decide
amendments, agreement stances, screening (hide, merge, reorder) and caucuses.

Every command locks the convening row (``uow.convening``), so checks such as "supports
once" cannot race; it records its events and publishes them after commit. What a demand
looks like on every screen is :func:`demand_views`; events carry the changed demand (or
only its changed figures, for support and agreement clicks) and a top-level ``demand_id``
and ``hidden``, from which :func:`convene.domain.events.public_view` redacts hidden
demands for non-facilitators. Stances are never published with member ids or names.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from convene.domain import demands as rules
from convene.domain.convening import CAUCUS_MAX, Actor, Convening, Member, Role
from convene.domain.demands import (
    ACTIVE,
    Agreement,
    Amendment,
    AmendmentStatus,
    Demand,
    DemandStatus,
    DemandVersion,
    Outcome,
    Support,
)
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.rounds import Round
from convene.domain.text import clean_line
from convene.i18n import gettext_in
from convene.rendering import render_diff, render_markdown
from convene.services.core import Handlers, Services, UnitOfWork
from convene.store import demands as store_demands
from convene.store import members as store_members
from convene.store import tables

_d = tables.demands
_m = tables.members


# -- reading ---------------------------------------------------------------------------------


SUPPORTERS_SHOWN, SUPPORTERS_PAGE_MAX = rules.SUPPORTERS_SHOWN, rules.SUPPORTERS_PAGE_MAX


def _shown_supporters(supporters: dict[int, list[int]]) -> set[int]:
    return {m for ms in supporters.values() for m in ms[:SUPPORTERS_SHOWN]}


def _support_figures(
    convening: Convening, demand: Demand, supporters: list[int], names: dict[int, str]
) -> dict:
    """``supported_by``: the first SUPPORTERS_SHOWN supporters (``supporters`` counts them
    all); None when the convening is anonymous."""
    return {
        "supporters": len(supporters),
        "support_required": convening.support_required,
        "can_go_to_vote": rules.can_go_to_vote(demand, len(supporters), convening.support_required),
        "supported_by": None
        if convening.anonymous
        else [{"id": m, "name": names.get(m, "")} for m in supporters[:SUPPORTERS_SHOWN]],
    }


#: The fields of a full demand view that its summary leaves out: its text and amendments.
TEXT_FIELDS = ("body", "body_html", "amendments")
#: A summary's excerpt of the body: about this many characters of its words.
EXCERPT_CHARS = 160


def excerpt(body: str) -> str:
    """The start of a Markdown body as plain words (marks left out), about EXCERPT_CHARS."""
    words = " ".join(_MARKS.sub(" ", _LINK.sub(r"\1", body)).split())
    if len(words) <= EXCERPT_CHARS:
        return words
    return words[: EXCERPT_CHARS - 1].rsplit(" ", 1)[0].rstrip(",;:.") + "…"


_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+|[*_`~]+|\\")


def _pending_ids(session: Session, demand_ids: list[int]) -> tuple[dict, dict]:
    """Per demand: how many amendments it has, and the ids of the pending ones (no text)."""
    counts: dict[int, int] = dict.fromkeys(demand_ids, 0)
    pending: dict[int, list[int]] = {i: [] for i in demand_ids}
    if demand_ids:
        am = tables.amendments
        for demand_id, amendment_id, status in session.execute(
            select(am.c.demand_id, am.c.id, am.c.status)
            .where(am.c.demand_id.in_(demand_ids))
            .order_by(am.c.id)
        ).all():
            counts[demand_id] += 1
            if str(status) == str(AmendmentStatus.PENDING):
                pending[demand_id].append(amendment_id)
    return counts, pending


def demand_summaries(session: Session, convening: Convening, demands: list[Demand]) -> list[dict]:
    """What every screen keeps of ``demands`` (the snapshot, events): everything but their
    text (``body``, ``body_html``, the amendments), which a screen reads with ``demands.get``
    or ``demands.list`` when it shows it. Bounded: an excerpt of the body, the amendments'
    count and the pending ones' ids. A fixed number of queries for all."""
    return _summaries(session, convening, demands, None)[0]


def _summaries(
    session: Session,
    convening: Convening,
    demands: list[Demand],
    amendments: dict[int, list[Amendment]] | None,
) -> tuple[list[dict], dict[int, str]]:
    ids = [d.id for d in demands]
    supporters = store_demands.supporters(session, ids)
    agreement = store_demands.agreement(session, ids)
    if amendments is None:
        counts, pending = _pending_ids(session, ids)
        authors_of_amendments: set[int] = set()
    else:
        counts = {i: len(amendments[i]) for i in ids}
        pending = {
            i: [a.id for a in amendments[i] if a.status is AmendmentStatus.PENDING] for i in ids
        }
        authors_of_amendments = {a.author_id for ams in amendments.values() for a in ams}
    people = {m for d in demands for m in d.authors}
    if not convening.anonymous:
        people |= _shown_supporters(supporters)
    names = store_members.names(session, people | authors_of_amendments)
    views = []
    for demand in demands:
        core = demand.core()
        body = core.pop("body")
        views.append(
            {
                **core,
                "excerpt": excerpt(body),
                "author": {"id": demand.author_id, "name": names.get(demand.author_id, "")},
                "authors": [{"id": m, "name": names.get(m, "")} for m in demand.authors],
                **_support_figures(convening, demand, supporters[demand.id], names),
                "agreement": agreement[demand.id],
                "amendment_count": counts[demand.id],
                "pending_amendments": pending[demand.id],
            }
        )
    return views, names


def demand_views(
    session: Session,
    convening: Convening,
    demands: list[Demand],
    *,
    diffs: set[int] | None = None,
) -> list[dict]:
    """Every screen's full picture of ``demands``: the summary with the text (the body, as
    Markdown and rendered, and every amendment with its diff), with a fixed number of
    queries for all. With ``diffs``, only those amendments get their diffs (an event's view,
    built inside the write lock: after a rewrite each diff is new, ~10 ms apiece)."""
    ids = [d.id for d in demands]
    amendments: dict[int, list[Amendment]] = {i: [] for i in ids}
    if ids:
        for amendment in session.execute(
            select(Amendment)
            .where(tables.amendments.c.demand_id.in_(ids))
            .order_by(tables.amendments.c.id)
        ).scalars():
            amendments[amendment.demand_id].append(amendment)
    summaries, names = _summaries(session, convening, demands, amendments)
    views = []
    for demand, summary in zip(demands, summaries, strict=True):
        conflicts = rules.conflicts(amendments[demand.id])
        views.append(
            {
                **summary,
                "body": demand.body,
                "body_html": render_markdown(demand.body),
                "amendments": [
                    _amendment_view(
                        a, names, conflicts.get(a.id, []), diff=diffs is None or a.id in diffs
                    )
                    for a in amendments[demand.id]
                ],
            }
        )
    return views


def summary_of(view: dict) -> dict:
    """A full demand view without its text: what events and the snapshot carry."""
    return {k: v for k, v in view.items() if k not in TEXT_FIELDS}


def text_of(view: dict) -> dict:
    return {k: view[k] for k in TEXT_FIELDS}


def _amendment_view(
    amendment: Amendment, names: dict[int, str], conflicts: list[int], *, diff: bool = True
) -> dict:
    view = amendment.core(diff=diff)
    if diff:
        view["diff_html"] = render_diff(amendment.old_text, amendment.new_text)
    view["author"] = {"id": amendment.author_id, "name": names.get(amendment.author_id, "")}
    view["conflicts_with"] = conflicts
    return view


def _view(
    session: Session, convening: Convening, demand: Demand, *, diffs: set[int] | None = None
) -> dict:
    session.flush()
    return demand_views(session, convening, [demand], diffs=diffs)[0]


def _reply(uow: UnitOfWork, convening: Convening, demand: Demand) -> dict:
    """The full view of a demand whose text was rewritten, for the command's reply: read
    after ``uow.commit()``, in a read transaction of its own, so the diffs of every pending
    amendment against the new text (about 10 ms each: 2 s at 200) are computed outside the
    convening's write lock; the events, inside it, carry none of them."""
    return _view(uow.session, convening, demand)


def _all(session: Session, convening_id: int) -> list[Demand]:
    return list(
        session.execute(
            select(Demand).where(_d.c.convening_id == convening_id).order_by(_d.c.position, _d.c.id)
        ).scalars()
    )


def demand_list(session: Session, convening: Convening, actor: Actor) -> list:
    """The summaries of the demands ``actor`` may see (hidden ones for facilitators only), in
    the facilitator's order: the snapshot's list (at most DEMANDS_MAX, without their text)."""
    visible = [d for d in _all(session, convening.id) if d.visible_to(actor)]
    return demand_summaries(session, convening, visible)


def my_state(session: Session, actor: Actor) -> dict:
    """The actor's own supports and stances (``me.supports``, ``me.stances``)."""
    s, a = tables.demand_supports, tables.demand_agreements
    supports = session.execute(
        select(s.c.demand_id).where(s.c.member_id == actor.member_id).order_by(s.c.demand_id)
    ).scalars()
    stances = session.execute(
        select(a.c.demand_id, a.c.stance).where(a.c.member_id == actor.member_id)
    ).all()
    return {
        "supports": list(supports),
        "stances": {str(demand_id): str(stance) for demand_id, stance in stances},
    }


def _demand(session: Session, convening: Convening, demand_id: object, actor: Actor) -> Demand:
    demand_id = parse_id(demand_id, "demand_id")
    demand = session.get(Demand, demand_id)
    if demand is None or demand.convening_id != convening.id or not demand.visible_to(actor):
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)
    return demand


def _amendment(
    session: Session, convening: Convening, amendment_id: object, actor: Actor
) -> tuple[Amendment, Demand]:
    amendment_id = parse_id(amendment_id, "amendment_id")
    amendment = session.get(Amendment, amendment_id)
    if amendment is None or amendment.convening_id != convening.id:
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)
    demand = session.get(Demand, amendment.demand_id)
    if not demand.visible_to(actor):
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)
    return amendment, demand


def _amendments_of(session: Session, demand: Demand) -> list[Amendment]:
    return list(
        session.execute(
            select(Amendment)
            .where(tables.amendments.c.demand_id == demand.id)
            .order_by(tables.amendments.c.id)
        ).scalars()
    )


def _versions(session: Session, demand: Demand) -> dict[int, DemandVersion]:
    return {
        v.number: v
        for v in session.execute(
            select(DemandVersion)
            .where(tables.demand_versions.c.demand_id == demand.id)
            .order_by(tables.demand_versions.c.number)
        ).scalars()
    }


# -- events ----------------------------------------------------------------------------------


def _event(type_: str, view: dict, *, text: bool = False, **extra: object) -> DomainEvent:
    """An event on a demand: its summary (``demand``), and ``text`` (its body, as Markdown and
    rendered) only when ``text`` is true: when the body changed. Bounded whatever the demand
    holds: never its amendments (see :func:`_text_event`)."""
    data = {"demand_id": view["id"], "hidden": view["hidden"], **extra, "demand": summary_of(view)}
    if text:
        data["text"] = {"body": view["body"], "body_html": view["body_html"]}
    return DomainEvent(type_, data)


def _text_event(
    type_: str,
    view: dict,
    moved: dict[str, list[int]],
    *,
    amendment_id: int | None = None,
    **extra: object,
) -> DomainEvent:
    """The demand's text changed as a whole (edited, a typo fixed, withdrawn, merged, an
    amendment adopted): its new body, the adopted ``amendment`` in full, and what became of
    the pending ones: ``rebased`` (ids: their change now applies to the new text; a screen
    reads them again when it shows them) and ``outdated`` (ids, with ``closed``: their new
    status and note, so a screen applies them without reading). Not every amendment: a
    demand may hold hundreds, and the event goes to every screen."""
    closing = set(moved.get("outdated", []))
    closed = [
        {k: a[k] for k in ("id", "status", "note", "decided_at")}
        for a in view["amendments"]
        if a["id"] in closing
    ]
    if amendment_id is not None:
        extra["amendment_id"] = amendment_id
        extra["amendment"] = next(a for a in view["amendments"] if a["id"] == amendment_id)
    return _event(
        type_,
        view,
        text=True,
        **extra,
        rebased=list(moved.get("rebased", [])),
        outdated=list(moved.get("outdated", [])),
        closed=closed,
    )


def _amendment_event(type_: str, view: dict, amendment_id: int, **extra: object) -> DomainEvent:
    """An event on one amendment (proposed, rejected, withdrawn): that amendment in full.
    The others did not change, but for whom they conflict with, which a screen derives:
    conflicts are mutual, so a proposed amendment is added to each one it names in its
    ``conflicts_with``, and one no longer pending leaves every other's list."""
    mine = next(a for a in view["amendments"] if a["id"] == amendment_id)
    return _event(type_, view, amendment_id=amendment_id, amendment=mine, **extra)


def _open_convening(uow: UnitOfWork, actor: Actor) -> Convening:
    return uow.convening(actor.convening_id)


def _record_text_change(
    uow: UnitOfWork,
    convening: Convening,
    actor: Actor,
    demand: Demand,
    version: DemandVersion,
) -> dict:
    """A new version was made: store it and carry pending amendments over to it."""
    uow.session.add(version)
    moved = rules.rebase(demand, _amendments_of(uow.session, demand), uow.now)
    return moved


# -- commands: demands -----------------------------------------------------------------------


def propose(
    svc: Services, actor: Actor, *, title: object, body: object, agenda_item_id: object = None
) -> dict:
    """A participant (or facilitator) proposes a demand, optionally under an agenda item."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        item_id = None
        if agenda_item_id is not None:
            item_id = convening.item(parse_id(agenda_item_id, "agenda_item_id")).id
        count, last = uow.session.execute(
            select(func.count(), func.max(_d.c.position)).where(_d.c.convening_id == convening.id)
        ).one()
        if count >= rules.DEMANDS_MAX:
            raise Conflict(N_("A convening has at most %(max)d demands."), max=rules.DEMANDS_MAX)
        if not actor.is_staff:
            mine = uow.session.execute(
                select(func.count()).where(
                    _d.c.convening_id == convening.id, _d.c.author_id == actor.member_id
                )
            ).scalar_one()
            if mine >= rules.DEMANDS_PER_PERSON:
                raise Conflict(
                    N_("One person may propose at most %(max)d demands in a convening."),
                    max=rules.DEMANDS_PER_PERSON,
                )
        demand = Demand.propose(
            convening_id=convening.id,
            actor=actor,
            title=title,
            body=body,
            position=0 if last is None else last + 1,
            item_id=item_id,
            now=uow.now,
        )
        uow.session.add(demand)
        uow.session.flush()
        uow.session.add(demand.first_version())
        view = _view(uow.session, convening, demand)
        uow.record(convening, actor, [_event("demand.proposed", view, text=True)])
        uow.commit()
        return view


def edit(
    svc: Services, actor: Actor, *, demand_id: object, version: object = None, **changes: object
) -> dict:
    """The author edits a draft (``edit``); a facilitator fixes typos (``typo``) while it is
    active. Either way a new version; pending amendments are rebased or outdated."""
    rules.require_participant(actor)
    expected = rules.parse_optional_version(version)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        new = demand.edit(actor, changes, uow.now, version=expected)
        moved = _record_text_change(uow, convening, actor, demand, new)
        view = _view(uow.session, convening, demand, diffs=set())
        change = str(new.kind)
        uow.record(
            convening,
            actor,
            [
                _text_event(
                    "demand.updated", view, moved, change="typo" if change == "typo" else "edited"
                )
            ],
        )
        uow.commit()
        return _reply(uow, convening, demand)


def withdraw(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """The author withdraws a draft; its pending amendments are outdated."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        demand.withdraw(actor, uow.now)
        outdated = rules.close_amendments(
            _amendments_of(uow.session, demand), N_("The demand was withdrawn."), uow.now
        )
        view = _view(uow.session, convening, demand, diffs=set())
        uow.record(
            convening,
            actor,
            [
                _text_event(
                    "demand.updated",
                    view,
                    {"rebased": [], "outdated": outdated},
                    change="withdrawn",
                )
            ],
        )
        uow.commit()
        return _reply(uow, convening, demand)


def open_demand(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """A facilitator puts a draft before the room: its author can no longer edit it."""
    actor.require(Role.FACILITATOR)
    return _simple_change(svc, actor, demand_id, "opened", lambda d, now: d.open(actor, now))


def hide(svc: Services, actor: Actor, *, demand_id: object, reason: object) -> dict:
    """A facilitator hides abusive content: kept (and logged with the reason), shown only to
    facilitators."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        demand.hide(actor, reason, uow.now)
        view = _view(uow.session, convening, demand)
        uow.record(convening, actor, [_event("demand.hidden", view, reason=demand.hidden_reason)])
        uow.commit()
        return view


def unhide(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    return _simple_change(svc, actor, demand_id, "unhidden", lambda d, now: d.unhide(actor, now))


def _simple_change(svc: Services, actor: Actor, demand_id: object, change: str, apply) -> dict:
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        apply(demand, uow.now)
        view = _view(uow.session, convening, demand)
        uow.record(convening, actor, [_event("demand.updated", view, change=change)])
        uow.commit()
        return view


def merge(svc: Services, actor: Actor, *, demand_id: object, into: object) -> dict:
    """A facilitator merges a duplicate into another demand: its supporters carry over and
    its authors are credited; the duplicate becomes ``merged``. Returns the target."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        source = _demand(uow.session, convening, demand_id, actor)
        try:
            target = _demand(uow.session, convening, into, actor)
        except NotFound:
            raise NotFound(
                N_("There is no demand %(id)s in this convening."), id=str(into)[:20]
            ) from None
        except InvalidInput:
            raise InvalidInput(N_("into must be a demand id."), field="into") from None
        source.merge_into(actor, target, uow.now)
        supporters = store_demands.supporters(uow.session, [source.id, target.id])
        keep = rules.merged_support(supporters[source.id], supporters[target.id], target)
        s = tables.demand_supports
        uow.session.execute(
            delete(s).where(s.c.demand_id == target.id, s.c.member_id.not_in(keep or {0}))
        )
        for member_id in supporters[source.id]:
            if member_id in keep and member_id not in supporters[target.id]:
                uow.session.add(Support(target.id, member_id, uow.now))
        outdated = rules.close_amendments(
            _amendments_of(uow.session, source),
            N_("The demand was merged into another one."),
            uow.now,
        )
        source_view = _view(uow.session, convening, source, diffs=set())
        target_view = _view(uow.session, convening, target, diffs=set())
        uow.record(
            convening,
            actor,
            [
                _text_event(
                    "demand.updated",
                    source_view,
                    {"rebased": [], "outdated": outdated},
                    change="merged",
                    into=target.id,
                ),
                _event("demand.updated", target_view, change="merged_in", merged=source.id),
            ],
        )
        uow.commit()
        return _reply(uow, convening, target)


def reorder(svc: Services, actor: Actor, *, order: object) -> dict:
    """A facilitator orders the list: ``order`` lists every demand id once."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        everything = _all(uow.session, convening.id)
        new_order = rules.reorder(everything, order)
        hidden = [d.id for d in everything if d.hidden]
        uow.record(
            convening,
            actor,
            [DomainEvent("demands.reordered", {"order": new_order, "hidden_ids": hidden})],
        )
        uow.commit()
        return {"order": new_order}


# -- commands: support and agreement ---------------------------------------------------------


def _support_change(uow: UnitOfWork, convening: Convening, demand: Demand) -> dict:
    uow.session.flush()
    supporters = store_demands.supporters(uow.session, [demand.id])[demand.id]
    names = (
        {}
        if convening.anonymous
        else store_members.names(uow.session, supporters[:SUPPORTERS_SHOWN])
    )
    return {
        "demand_id": demand.id,
        "hidden": demand.hidden,
        **_support_figures(convening, demand, supporters, names),
    }


def support(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """Second a demand (once). Its author's support is implied and not counted."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        s = tables.demand_supports
        already = uow.session.execute(
            select(s.c.id).where(s.c.demand_id == demand.id, s.c.member_id == actor.member_id)
        ).first()
        rules.check_can_support(demand, actor, already is not None)
        uow.session.add(Support(demand.id, actor.member_id, uow.now))
        figures = _support_change(uow, convening, demand)
        uow.record(convening, actor, [DomainEvent("demand.support_changed", figures)])
        uow.commit()
        return {**figures, "supported": True}


def unsupport(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        s = tables.demand_supports
        row = uow.session.execute(
            select(Support).where(s.c.demand_id == demand.id, s.c.member_id == actor.member_id)
        ).scalar_one_or_none()
        rules.check_can_unsupport(demand, actor, row is not None)
        uow.session.delete(row)
        figures = _support_change(uow, convening, demand)
        uow.record(convening, actor, [DomainEvent("demand.support_changed", figures)])
        uow.commit()
        return {**figures, "supported": False}


def agree(svc: Services, actor: Actor, *, demand_id: object, stance: object) -> dict:
    """Mark a demand agree, disagree or pass. Counted, never shown with a name. Giving the
    same stance again changes nothing and publishes nothing."""
    rules.require_participant(actor)
    chosen = rules.parse_stance(stance)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        rules.check_can_take_stance(demand, actor)
        a = tables.demand_agreements
        row = uow.session.execute(
            select(Agreement).where(a.c.demand_id == demand.id, a.c.member_id == actor.member_id)
        ).scalar_one_or_none()
        changed = row is None or row.stance is not chosen
        if row is None:
            uow.session.add(Agreement(demand.id, actor.member_id, chosen, uow.now))
        elif changed:
            row.stance, row.updated_at = chosen, uow.now
        uow.session.flush()
        figures = store_demands.agreement(uow.session, [demand.id])[demand.id]
        if changed:
            data = {"demand_id": demand.id, "hidden": demand.hidden, "agreement": figures}
            # No actor id in the log either: a stance is anonymous even to facilitators.
            uow.record(convening, None, [DomainEvent("demand.agreement_changed", data)])
        uow.commit()
        return {"demand_id": demand.id, "stance": str(chosen), "agreement": figures}


def recount(session: Session, convening: Convening, demands: list[Demand]) -> DomainEvent | None:
    """One ``demands.recounted`` event with the support and agreement figures of ``demands``
    (after a caucus change, a removal, or a change of the demand settings)."""
    if not demands:
        return None
    session.flush()
    ids = [d.id for d in demands]
    supporters = store_demands.supporters(session, ids)
    agreement = store_demands.agreement(session, ids)
    names = (
        {} if convening.anonymous else store_members.names(session, _shown_supporters(supporters))
    )
    entries = [
        {
            "demand_id": d.id,
            "hidden": d.hidden,
            **_support_figures(convening, d, supporters[d.id], names),
            "agreement": agreement[d.id],
        }
        for d in demands
    ]
    return DomainEvent("demands.recounted", {"demands": entries})


def _touched_by(session: Session, member_id: int) -> list[Demand]:
    s, a = tables.demand_supports, tables.demand_agreements
    ids = (
        select(s.c.demand_id)
        .where(s.c.member_id == member_id)
        .union(select(a.c.demand_id).where(a.c.member_id == member_id))
    )
    return list(session.execute(select(Demand).where(_d.c.id.in_(ids)).order_by(_d.c.id)).scalars())


def member_removed(uow: UnitOfWork, convening: Convening, member: Member) -> list[DomainEvent]:
    """A removed member's supports and stances stop counting: recount what they touched."""
    event = recount(uow.session, convening, _touched_by(uow.session, member.id))
    return [event] if event else []


def settings_changed(uow: UnitOfWork, convening: Convening, changes: dict) -> list[DomainEvent]:
    """``support_required`` or ``anonymous`` changed: every active demand's support figures."""
    if not {"support_required", "anonymous"} & set(changes):
        return []
    active = [d for d in _all(uow.session, convening.id) if d.status in ACTIVE]
    event = recount(uow.session, convening, active)
    return [event] if event else []


def set_caucus(svc: Services, actor: Actor, *, member_id: object, caucus: object) -> dict:
    """A facilitator sets (or clears, with null or "") a member's caucus."""
    actor.require(Role.FACILITATOR)
    member_id = parse_id(member_id, "member_id")
    value = clean_line(caucus, "caucus", CAUCUS_MAX, required=False) or None
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        member = uow.session.get(Member, member_id)
        if member is None or member.convening_id != convening.id or not member.active:
            raise NotFound(N_("There is no participant %(id)s in this convening."), id=member_id)
        if member.caucus == value:
            raise Conflict(N_("That is already their caucus."))
        member.caucus = value
        events = [DomainEvent("participant.updated", member.public())]
        a = tables.demand_agreements
        stanced = list(
            uow.session.execute(
                select(Demand)
                .where(_d.c.id.in_(select(a.c.demand_id).where(a.c.member_id == member.id)))
                .order_by(_d.c.id)
            ).scalars()
        )
        recounted = recount(uow.session, convening, stanced)
        if recounted:
            events.append(recounted)
        uow.record(convening, actor, events)
        uow.commit()
        return member.public()


# -- commands: amendments --------------------------------------------------------------------


def amend(
    svc: Services,
    actor: Actor,
    *,
    demand_id: object,
    body: object,
    rationale: object = "",
    passage: object = None,
    version: object = None,
) -> dict:
    """Propose an amendment: the whole body, or ``passage`` (occurring exactly once in the
    current body) replaced by ``body``. ``version``: the version it was written against;
    a stale one is refused (409)."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        demand = _demand(uow.session, convening, demand_id, actor)
        existing = _amendments_of(uow.session, demand)
        if len(existing) >= rules.AMENDMENTS_MAX:
            raise Conflict(N_("A demand has at most %(max)d amendments."), max=rules.AMENDMENTS_MAX)
        mine = sum(1 for a in existing if a.author_id == actor.member_id)
        if not actor.is_staff and mine >= rules.AMENDMENTS_PER_PERSON:
            raise Conflict(
                N_("One person may propose at most %(max)d amendments to a demand."),
                max=rules.AMENDMENTS_PER_PERSON,
            )
        amendment = rules.propose_amendment(
            demand,
            actor,
            body=body,
            rationale=rationale,
            passage=passage,
            version=version,
            now=uow.now,
        )
        uow.session.add(amendment)
        view = _view(uow.session, convening, demand)
        mine = next(a for a in view["amendments"] if a["id"] == amendment.id)
        uow.record(convening, actor, [_amendment_event("amendment.proposed", view, amendment.id)])
        uow.commit()
        return mine


def _adopt(uow: UnitOfWork, convening, actor, demand, amendment, friendly: bool) -> None:
    """Adopt ``amendment``: a new text, the others rebased; its event (the reply is the
    caller's ``_reply``, after the commit)."""
    version = rules.adopt_amendment(demand, amendment, actor, uow.now, friendly=friendly)
    moved = _record_text_change(uow, convening, actor, demand, version)
    view = _view(uow.session, convening, demand, diffs={amendment.id})
    uow.record(
        convening,
        actor,
        [
            _text_event(
                "amendment.adopted",
                view,
                moved,
                amendment_id=amendment.id,
                friendly=friendly,
                version=version.number,
            )
        ],
    )


def accept(svc: Services, actor: Actor, *, amendment_id: object) -> dict:
    """The demand's author accepts an amendment as friendly: applied at once."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        amendment, demand = _amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_accept(demand, amendment, actor)
        _adopt(uow, convening, actor, demand, amendment, friendly=True)
        uow.commit()
        return _reply(uow, convening, demand)


def decide(svc: Services, actor: Actor, *, amendment_id: object, outcome: object) -> dict:
    """A facilitator records the room's decision on an amendment: adopted or rejected."""
    actor.require(Role.FACILITATOR)
    result = rules.parse_outcome(outcome)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        amendment, demand = _amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_decide(demand, amendment, actor)
        if result is Outcome.ADOPTED:
            _adopt(uow, convening, actor, demand, amendment, friendly=False)
        else:
            rules.reject_amendment(amendment, actor, uow.now)
            view = _view(uow.session, convening, demand, diffs={amendment.id})
            uow.record(
                convening, actor, [_amendment_event("amendment.rejected", view, amendment.id)]
            )
        uow.commit()
        return _reply(uow, convening, demand)


def withdraw_amendment(svc: Services, actor: Actor, *, amendment_id: object) -> dict:
    """The author of a pending amendment withdraws it."""
    rules.require_participant(actor)
    with svc.write() as uow:
        convening = _open_convening(uow, actor)
        amendment, demand = _amendment(uow.session, convening, amendment_id, actor)
        rules.check_can_withdraw_amendment(demand, amendment, actor)
        rules.withdraw_amendment(amendment, uow.now)
        view = _view(uow.session, convening, demand)
        uow.record(convening, actor, [_amendment_event("amendment.withdrawn", view, amendment.id)])
        uow.commit()
        return view


# -- queries ---------------------------------------------------------------------------------


def _read_convening(session: Session, actor: Actor) -> Convening:
    return session.execute(
        select(Convening).where(tables.convenings.c.id == actor.convening_id)
    ).scalar_one()


def list_demands(
    svc: Services,
    actor: Actor,
    *,
    sort: object = None,
    offset: object = 0,
    limit: object = rules.PAGE_MAX,
    ids: list[int] | None = None,
) -> dict:
    """One page of the demands the caller may see, in full (with their text), sorted by
    ``position`` (default), ``agreement`` or ``bridging``, with the caller's own supports and
    stances. ``ids``: only these (at most PAGE_MAX; ids of demands the caller may not see,
    or of another convening, are left out): how a screen reads the text of the demands it
    shows. ``total`` counts them all; ``next_offset`` is where the next page starts (None:
    last)."""
    if sort not in (None, "") and sort not in rules.SORTS:
        raise InvalidInput(N_("sort is position, agreement or bridging."), field="sort")
    offset, limit = rules.parse_page(offset, limit)
    with svc.read() as session:
        convening = _read_convening(session, actor)
        if ids is None:
            candidates = _all(session, convening.id)
        else:
            wanted = set(ids)
            candidates = list(
                session.execute(
                    select(Demand)
                    .where(_d.c.convening_id == convening.id, _d.c.id.in_(wanted))
                    .order_by(_d.c.position, _d.c.id)
                ).scalars()
            )
        visible = [d for d in candidates if d.visible_to(actor)]
        by_position = sort in (None, "", "position")  # needs no figures
        agreement = {} if by_position else store_demands.agreement(session, [d.id for d in visible])
        ordered = rules.sort_demands(visible, agreement, sort)
        page = ordered[offset : offset + limit]
        end = offset + len(page)
        return {
            "sort": sort or "position",
            "demands": demand_views(session, convening, page),
            "offset": offset,
            "limit": limit,
            "total": len(ordered),
            "next_offset": end if end < len(ordered) else None,
            "me": my_state(session, actor),
        }


def get_demand(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    with svc.read() as session:
        convening = _read_convening(session, actor)
        return _view(session, convening, _demand(session, convening, demand_id, actor))


def list_supporters(
    svc: Services,
    actor: Actor,
    *,
    demand_id: object,
    offset: object = 0,
    limit: object = SUPPORTERS_PAGE_MAX,
) -> dict:
    """One page of who supports a demand, in the order they gave their support (the
    summary's ``supported_by`` names only the first SUPPORTERS_SHOWN). ``total`` counts them
    all; ``next_offset`` is where the next page starts (None: the last). Refused (403) when
    the convening is anonymous: nobody sees who supports what there."""
    offset, limit = rules.parse_page(offset, limit, SUPPORTERS_PAGE_MAX)
    with svc.read() as session:
        convening = _read_convening(session, actor)
        demand = _demand(session, convening, demand_id, actor)
        if convening.anonymous:
            raise Forbidden(N_("Support is anonymous in this convening."))
        everyone = store_demands.supporters(session, [demand.id])[demand.id]
        page = everyone[offset : offset + limit]
        names = store_members.names(session, page)
        end = offset + len(page)
        return {
            "demand_id": demand.id,
            "supporters": [{"id": m, "name": names.get(m, "")} for m in page],
            "offset": offset,
            "limit": limit,
            "total": len(everyone),
            "next_offset": end if end < len(everyone) else None,
        }


def versions(svc: Services, actor: Actor, *, demand_id: object) -> dict:
    """Every version of a demand, oldest first."""
    with svc.read() as session:
        convening = _read_convening(session, actor)
        demand = _demand(session, convening, demand_id, actor)
        return {
            "demand_id": demand.id,
            "current": demand.version,
            "versions": [v.public() for v in _versions(session, demand).values()],
        }


def compare(svc: Services, actor: Actor, *, demand_id: object, **numbers: object) -> dict:
    """The word-level difference between versions ``from`` and ``to`` of a demand."""
    for name in ("from", "to"):
        if name not in numbers:
            raise InvalidInput(N_("%(field)s is required."), field=name)
    with svc.read() as session:
        convening = _read_convening(session, actor)
        demand = _demand(session, convening, demand_id, actor)
        versions = _versions(session, demand)
        result = rules.compare(versions, numbers["from"], numbers["to"])
        result["diff_html"] = render_diff(
            versions[result["from"]].body, versions[result["to"]].body
        )
        return {"demand_id": demand.id, **result}


# -- put to the vote and decided by rounds (convene/services/rounds/) ------------------------


def demand_for_vote(
    uow: UnitOfWork, convening: Convening, demand_id: int, *, again: bool = False
) -> Demand:
    """A demand that may go to a vote now: active, visible, and seconded enough (``again``:
    a follow-up of a blocked consent round on it, which had its support already)."""
    demand = uow.session.get(Demand, demand_id)
    if demand is None or demand.convening_id != convening.id or demand.hidden:
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)
    supporters = len(store_demands.supporters(uow.session, [demand.id]).get(demand.id, []))
    demand.check_for_vote(supporters, convening.support_required, again=again)
    return demand


def _amendment_name(uow: UnitOfWork, amendment: Amendment, demand: Demand) -> dict:
    author = store_members.names(uow.session, [amendment.author_id]).get(amendment.author_id, "")
    return {"author": author or "—", "title": demand.title}


def amendment_for_vote(
    uow: UnitOfWork, convening: Convening, amendment_id: int
) -> tuple[Amendment, Demand]:
    amendment = uow.session.get(Amendment, amendment_id)
    if amendment is None or amendment.convening_id != convening.id:
        raise NotFound(N_("There is no amendment %(id)s in this convening."), id=amendment_id)
    demand = uow.session.get(Demand, amendment.demand_id)
    if amendment.status is not AmendmentStatus.PENDING:
        raise Conflict(
            N_("The amendment by %(author)s to “%(title)s” is %(status)s, no longer pending."),
            status=str(amendment.status),
            **_amendment_name(uow, amendment, demand),
        )
    if demand.hidden or demand.status not in rules.ACTIVE:
        raise Conflict(
            N_("“%(title)s” cannot change now: the amendment by %(author)s cannot go to a vote."),
            **_amendment_name(uow, amendment, demand),
        )
    return amendment, demand


def amendment_label(
    uow: UnitOfWork, convening: Convening, amendment: Amendment, demand: Demand
) -> str:
    """An amendment as a round's option: by whom, to what, and the start of its words. Made
    in the convening's language when the round is created and kept as is (the ballots were
    cast on it; the projector and the minutes show it to the room)."""
    names = _amendment_name(uow, amendment, demand)
    words = " ".join(amendment.body.split())
    if len(words) > 60:
        words = words[:59].rstrip() + "…"
    return gettext_in(
        convening.language,
        N_("Amendment by %(author)s to “%(title)s”: “%(words)s”"),
        author=names["author"],
        title=names["title"],
        words=words,
    )


class DemandBallotOptions:
    """The demands and amendments a round may put on its ballot (convene/services/core.py:
    BallotOptions, wired by convene/bootstrap.py)."""

    def demand(
        self, uow: UnitOfWork, convening: Convening, demand_id: int, *, again: bool = False
    ) -> tuple[int, str]:
        demand = demand_for_vote(uow, convening, demand_id, again=again)
        return demand.id, demand.title

    def amendment(
        self, uow: UnitOfWork, convening: Convening, amendment_id: int
    ) -> tuple[int, str]:
        amendment, demand = amendment_for_vote(uow, convening, amendment_id)
        return amendment.id, amendment_label(uow, convening, amendment, demand)


BALLOT_OPTIONS = DemandBallotOptions()


def round_opened(
    uow: UnitOfWork, convening: Convening, actor: Actor, round_: Round
) -> list[DomainEvent]:
    """Demands on the ballot are now under vote."""
    events = []
    for option in round_.options:
        if option.demand_id is None:
            continue
        demand = uow.session.get(Demand, option.demand_id)
        if demand.status in rules.ACTIVE:
            demand.put_to_vote()
            view = _view(uow.session, convening, demand)
            events.append(_event("demand.updated", view, change="under_vote", round_id=round_.id))
    return events


def round_closed(
    uow: UnitOfWork, convening: Convening, actor: Actor | None, round_: Round
) -> list[DomainEvent]:
    """The room decided: demands and amendments on the ballot are adopted or rejected.

    A proposal round (yes/no, consent, gradients) adopts its one option when it passed. A
    choice among options adopts the winners and rejects the others.
    """
    # A deadline closes a round without a person: the record names no one.
    decider = actor or Actor(
        member_id=None, convening_id=convening.id, role=Role.FACILITATOR, name=""
    )
    result = round_.result or {}
    if round_.method.on_one_proposal:
        adopted_ids = {round_.options[0].id} if result.get("passed") else set()
    else:
        adopted_ids = set(result.get("winners", []))
    blocked = round_.blocked
    events = []
    for option in round_.options:
        adopted = option.id in adopted_ids
        if option.demand_id is not None:
            demand = uow.session.get(Demand, option.demand_id)
            if demand.status is DemandStatus.UNDER_VOTE or demand.status in rules.ACTIVE:
                if blocked:
                    demand.blocked(round_.id, round_.title, uow.now)
                    change = "blocked"
                else:
                    demand.decided(adopted, uow.now)
                    change = "adopted" if adopted else "rejected"
                view = _view(uow.session, convening, demand, diffs=set())
                events.append(_event("demand.updated", view, change=change, round_id=round_.id))
        if option.amendment_id is not None:
            amendment = uow.session.get(Amendment, option.amendment_id)
            demand = uow.session.get(Demand, amendment.demand_id)
            if amendment.status is not AmendmentStatus.PENDING or blocked:
                # decided otherwise meanwhile (withdrawn, outdated); or blocked: it stays
                # pending, so that each follow-up of the block works
                continue
            if adopted:
                version = rules.adopt_amendment(demand, amendment, decider, uow.now, friendly=False)
                moved = _record_text_change(uow, convening, decider, demand, version)
                view = _view(uow.session, convening, demand, diffs={amendment.id})
                event = _text_event(
                    "amendment.adopted",
                    view,
                    moved,
                    amendment_id=amendment.id,
                    friendly=False,
                    version=version.number,
                    round_id=round_.id,
                )
            else:
                rules.reject_amendment(amendment, decider, uow.now)
                view = _view(uow.session, convening, demand, diffs={amendment.id})
                event = _amendment_event(
                    "amendment.rejected", view, amendment.id, round_id=round_.id
                )
            events.append(event)
    return events


def round_followed_up(
    uow: UnitOfWork,
    convening: Convening,
    actor: Actor,
    round_: Round,
    path: str,
    reasons: object,
) -> list[DomainEvent]:
    """After a blocked consent round: its demand records the path and the blocks' reasons
    (every screen shows them on the demand)."""
    events = []
    for option in round_.options:
        if option.demand_id is None:
            continue
        demand = uow.session.get(Demand, option.demand_id)
        if demand is None or demand.status not in rules.ACTIVE:
            continue
        demand.followed_up(round_.id, path, reasons, uow.now)
        view = _view(uow.session, convening, demand)
        events.append(_event("demand.updated", view, change="followed_up", round_id=round_.id))
    return events


def _round_of(uow: UnitOfWork, round_id: int) -> Round:
    return uow.session.get(Round, round_id)  # the command's own, loaded already


def _on_round_opened(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return round_opened(uow, convening, actor, _round_of(uow, event.data["id"]))


def _on_round_closed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return round_closed(uow, convening, actor, _round_of(uow, event.data["id"]))


def _on_round_followed_up(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    data = event.data
    round_ = _round_of(uow, data["round_id"])
    return round_followed_up(uow, convening, actor, round_, data["path"], data["reasons"])


def _on_settings_changed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return settings_changed(uow, convening, event.before)


def _on_participant_removed(uow, convening, actor, event: DomainEvent) -> list[DomainEvent]:
    return member_removed(uow, convening, uow.session.get(Member, event.data["id"]))


def register(handlers: Handlers) -> None:
    """What the rounds' events do to the demands and amendments on their ballots, and what a
    change of the settings or a removal does to the demands' figures."""
    handlers.on("round.opened", _on_round_opened)
    handlers.on("round.closed", _on_round_closed)
    handlers.on("round.followed_up", _on_round_followed_up)
    handlers.on("convening.updated", _on_settings_changed)
    handlers.on("participant.removed", _on_participant_removed)
