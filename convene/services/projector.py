"""The facilitator steers the projector: `projector.show` (HTTP PUT .../projector, Socket.IO)."""

from __future__ import annotations

from sqlalchemy import select

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, InvalidInput
from convene.domain.events import DomainEvent
from convene.domain.projector import ProjectorView
from convene.domain.times import iso
from convene.services.core import Services
from convene.store import tables


def _belongs(session, table, row_id: int, convening_id: int) -> bool:
    return (
        session.execute(
            select(table.c.id).where(table.c.id == row_id, table.c.convening_id == convening_id)
        ).first()
        is not None
    )


def show(
    svc: Services,
    actor: Actor,
    *,
    show: object,
    demand_id: object = None,
    round_id: object = None,
) -> dict:
    """Put a view on every projector that follows the main choice (facilitators only)."""
    actor.require(Role.FACILITATOR)
    view = ProjectorView.parse(show, demand_id, round_id)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        if view.demand_id is not None and not _belongs(
            uow.session, tables.demands, view.demand_id, convening.id
        ):
            raise InvalidInput(N_("There is no such demand in this convening."), field="demand_id")
        if view.round_id is not None and not _belongs(
            uow.session, tables.rounds, view.round_id, convening.id
        ):
            raise InvalidInput(N_("There is no such round in this convening."), field="round_id")
        if view.show == "auto":
            view = ProjectorView(since=iso(uow.now))
        convening.projector = view.dump()
        uow.record(convening, actor, [DomainEvent("projector.shown", view.public())])
        uow.commit()
        return view.public()


def projector_state(convening) -> dict:
    """The view in a snapshot."""
    return ProjectorView.load(convening.projector).public()
