"""The events a change of a demand records: its summary, its text when the text changed,
what became of the pending amendments, one amendment in full.
"""

from __future__ import annotations

from convene.domain import demands as rules
from convene.domain.convening import Actor, Convening
from convene.domain.demands import (
    Demand,
    DemandVersion,
)
from convene.domain.events import DomainEvent
from convene.services.core import UnitOfWork
from convene.services.demands.views import summary_of
from convene.store import demands as store_demands


def demand_event(type_: str, view: dict, *, text: bool = False, **extra: object) -> DomainEvent:
    """An event on a demand: its summary (``demand``), and ``text`` (its body, as Markdown and
    rendered) only when ``text`` is true: when the body changed. Bounded whatever the demand
    holds: never its amendments (see :func:`text_event`)."""
    data = {"demand_id": view["id"], "hidden": view["hidden"], **extra, "demand": summary_of(view)}
    if text:
        data["text"] = {"body": view["body"], "body_html": view["body_html"]}
    return DomainEvent(type_, data)


def text_event(
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
    return demand_event(
        type_,
        view,
        text=True,
        **extra,
        rebased=list(moved.get("rebased", [])),
        outdated=list(moved.get("outdated", [])),
        closed=closed,
    )


def amendment_event(type_: str, view: dict, amendment_id: int, **extra: object) -> DomainEvent:
    """An event on one amendment (proposed, rejected, withdrawn): that amendment in full.
    The others did not change, but for whom they conflict with, which a screen derives:
    conflicts are mutual, so a proposed amendment is added to each one it names in its
    ``conflicts_with``, and one no longer pending leaves every other's list."""
    mine = next(a for a in view["amendments"] if a["id"] == amendment_id)
    return demand_event(type_, view, amendment_id=amendment_id, amendment=mine, **extra)


def open_convening(uow: UnitOfWork, actor: Actor) -> Convening:
    return uow.convening(actor.convening_id)


def record_text_change(
    uow: UnitOfWork,
    convening: Convening,
    actor: Actor,
    demand: Demand,
    version: DemandVersion,
) -> dict:
    """A new version was made: store it and carry pending amendments over to it."""
    uow.session.add(version)
    moved = rules.rebase(demand, store_demands.amendments_of(uow.session, demand), uow.now)
    return moved
