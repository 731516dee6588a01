"""What a demand looks like on every screen (its summary, its full view with the text and the
amendments' diffs, the snapshot's list, the actor's own supports and stances), the loaders
the commands share, and the reads: one page of demands, one demand, its supporters, its
versions, two versions compared.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from convene.domain import demands as rules
from convene.domain.convening import Actor, Convening
from convene.domain.demands import (
    Amendment,
    AmendmentStatus,
    Demand,
)
from convene.domain.errors import N_, Forbidden, InvalidInput, NotFound
from convene.domain.ids import parse_id
from convene.rendering import render_diff, render_markdown
from convene.services.core import Services, UnitOfWork
from convene.store import demands as store_demands
from convene.store import feeders as store_feeders
from convene.store import members as store_members
from convene.store import tables

_d = tables.demands
_m = tables.members


SUPPORTERS_SHOWN, SUPPORTERS_PAGE_MAX = rules.SUPPORTERS_SHOWN, rules.SUPPORTERS_PAGE_MAX


def shown_supporters(supporters: dict[int, list[int]]) -> set[int]:
    return {m for ms in supporters.values() for m in ms[:SUPPORTERS_SHOWN]}


def support_figures(
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
        counts, pending = store_demands.amendment_counts(session, ids)
        authors_of_amendments: set[int] = set()
    else:
        counts = {i: len(amendments[i]) for i in ids}
        pending = {
            i: [a.id for a in amendments[i] if a.status is AmendmentStatus.PENDING] for i in ids
        }
        authors_of_amendments = {a.author_id for ams in amendments.values() for a in ams}
    people = {m for d in demands for m in d.authors}
    if not convening.anonymous:
        people |= shown_supporters(supporters)
    names = store_members.names(session, people | authors_of_amendments)
    origins = store_feeders.origins(session, ids)
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
                **support_figures(convening, demand, supporters[demand.id], names),
                "agreement": agreement[demand.id],
                "amendment_count": counts[demand.id],
                "pending_amendments": pending[demand.id],
                "origin": origins.get(demand.id),
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


def view_of(
    session: Session, convening: Convening, demand: Demand, *, diffs: set[int] | None = None
) -> dict:
    session.flush()
    return demand_views(session, convening, [demand], diffs=diffs)[0]


def reply_view(uow: UnitOfWork, convening: Convening, demand: Demand) -> dict:
    """The full view of a demand whose text was rewritten, for the command's reply: read
    after ``uow.commit()``, in a read transaction of its own, so the diffs of every pending
    amendment against the new text (about 10 ms each: 2 s at 200) are computed outside the
    convening's write lock; the events, inside it, carry none of them."""
    return view_of(uow.session, convening, demand)


def demand_list(session: Session, convening: Convening, actor: Actor) -> list:
    """The summaries of the demands ``actor`` may see (hidden ones for facilitators only), in
    the facilitator's order: the snapshot's list (at most DEMANDS_MAX, without their text)."""
    visible = [
        d for d in store_demands.convening_demands(session, convening.id) if d.visible_to(actor)
    ]
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


def find_demand(session: Session, convening: Convening, demand_id: object, actor: Actor) -> Demand:
    demand_id = parse_id(demand_id, "demand_id")
    demand = session.get(Demand, demand_id)
    if demand is None or demand.convening_id != convening.id or not demand.visible_to(actor):
        raise NotFound(N_("There is no demand %(id)s in this convening."), id=demand_id)
    return demand


def find_amendment(
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
            candidates = store_demands.convening_demands(session, convening.id)
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
        return view_of(session, convening, find_demand(session, convening, demand_id, actor))


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
        demand = find_demand(session, convening, demand_id, actor)
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
        demand = find_demand(session, convening, demand_id, actor)
        return {
            "demand_id": demand.id,
            "current": demand.version,
            "versions": [v.public() for v in store_demands.versions_of(session, demand).values()],
        }


def compare(svc: Services, actor: Actor, *, demand_id: object, **numbers: object) -> dict:
    """The word-level difference between versions ``from`` and ``to`` of a demand."""
    for name in ("from", "to"):
        if name not in numbers:
            raise InvalidInput(N_("%(field)s is required."), field=name)
    with svc.read() as session:
        convening = _read_convening(session, actor)
        demand = find_demand(session, convening, demand_id, actor)
        versions = store_demands.versions_of(session, demand)
        result = rules.compare(versions, numbers["from"], numbers["to"])
        result["diff_html"] = render_diff(
            versions[result["from"]].body, versions[result["to"]].body
        )
        return {"demand_id": demand.id, **result}
