"""Support (seconding) and agreement stances: who may give them, what a merge keeps, whether
a demand may go to a vote, the agreement and bridging figures, and sorting by them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from convene.domain.convening import Actor
from convene.domain.demands.demand import Demand
from convene.domain.demands.terms import ACTIVE, DemandStatus, Stance, require_participant
from convene.domain.errors import N_, Conflict, InvalidInput


def check_can_support(demand: Demand, actor: Actor, already: bool) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: it no longer takes support."), status=str(demand.status)
        )
    if demand.is_author(actor.member_id):
        raise Conflict(N_("You proposed this demand: it needs support from others."))
    if already:
        raise Conflict(N_("You already support this demand."))


def check_can_unsupport(demand: Demand, actor: Actor, supported: bool) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: its support can no longer change."),
            status=str(demand.status),
        )
    if not supported:
        raise Conflict(N_("You do not support this demand."))


def merged_support(
    source_supporters: Iterable[int], target_supporters: Iterable[int], target: Demand
) -> set[int]:
    """Who supports the target after a merge: everyone who supported either demand, except
    its (now credited) authors, who need no seconding of their own demand."""
    return {m for m in {*source_supporters, *target_supporters} if not target.is_author(m)}


def can_go_to_vote(demand: Demand, supporters: int, required: int) -> bool:
    return demand.status is DemandStatus.OPEN and not demand.hidden and supporters >= required


@dataclass(eq=False)
class Support:
    demand_id: int
    member_id: int
    created_at: datetime
    id: int | None = None


@dataclass(eq=False)
class Agreement:
    demand_id: int
    member_id: int
    stance: Stance
    updated_at: datetime
    id: int | None = None


def check_can_take_stance(demand: Demand, actor: Actor) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: stances on it can no longer change."),
            status=str(demand.status),
        )


def _share(agree: int, disagree: int) -> float | None:
    return None if agree + disagree == 0 else round(agree / (agree + disagree), 4)


def agreement_figures(counts: Iterable[tuple[str | None, str, int]]) -> dict:
    """Agreement of one demand from ``(caucus, stance, number)`` rows (one grouped query).

    ``share``: agree / (agree + disagree), None without such a response. ``bridging``: the
    lowest share among the caucus groups that have at least one agree or disagree (members
    without a caucus are one group), None when no group counts. Caucus names are grouped
    case-insensitively and shown as first seen (in sorted order).
    """
    groups: dict[str | None, dict] = {}
    totals = {s: 0 for s in Stance}
    for caucus, stance, number in sorted(counts, key=lambda r: (r[0] is None, r[0] or "", r[1])):
        key = caucus.casefold() if caucus else None
        group = groups.setdefault(key, {"caucus": caucus or None, **{s: 0 for s in Stance}})
        group[Stance(stance)] += number
        totals[Stance(stance)] += number
    caucuses = []
    for group in groups.values():
        share = _share(group[Stance.AGREE], group[Stance.DISAGREE])
        caucuses.append(
            {
                "caucus": group["caucus"],
                "agree": group[Stance.AGREE],
                "disagree": group[Stance.DISAGREE],
                "pass": group[Stance.PASS],
                "share": share,
                "counted": share is not None,
            }
        )
    counted = [c["share"] for c in caucuses if c["counted"]]
    return {
        "agree": totals[Stance.AGREE],
        "disagree": totals[Stance.DISAGREE],
        "pass": totals[Stance.PASS],
        "responses": sum(totals.values()),
        "share": _share(totals[Stance.AGREE], totals[Stance.DISAGREE]),
        "bridging": min(counted) if counted else None,
        "caucuses_counted": len(counted),
        "caucuses": caucuses,
    }


SORTS = ("position", "agreement", "bridging")


def sort_demands(demands: list, agreement: dict[int, dict], sort: object) -> list:
    """``demands`` in the order of :func:`sort_views`, from their agreement figures only."""
    views = [
        {"position": d.position, "agreement": agreement.get(d.id), "demand": d} for d in demands
    ]
    return [view["demand"] for view in sort_views(views, sort)]


def sort_views(views: list[dict], sort: object) -> list[dict]:
    """Order demand views by ``position``, or by ``agreement`` / ``bridging`` share, highest
    first; demands without a figure come last; ties keep the facilitator's order."""
    if sort in (None, ""):
        sort = "position"
    if sort not in SORTS:
        raise InvalidInput(N_("sort is position, agreement or bridging."), field="sort")
    if sort == "position":
        return sorted(views, key=lambda v: v["position"])
    key = "share" if sort == "agreement" else "bridging"

    def rank(view: dict):
        value = view["agreement"][key]
        return (value is None, -(value or 0.0), view["position"])

    return sorted(views, key=rank)
