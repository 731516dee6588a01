"""Commands on a convening's roster: import (or preview) a roster file."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from convene.domain import roster as rules
from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, InvalidInput
from convene.domain.events import DomainEvent
from convene.domain.roster import Action, RosterEntry, RosterRole
from convene.services.core import Services
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
            uow.session.execute(
                insert(_t),
                [
                    {
                        **_columns(rules.new_entry(row)),
                        "convening_id": convening.id,
                        "added_at": uow.now,
                        "updated_at": uow.now,
                    }
                    for row in added
                ],
            )
        for row, action, entry in plan.steps:
            if action is Action.UPDATED and entry is not None:
                rules.apply_row(entry, row)
                uow.session.execute(
                    update(_t)
                    .where(_t.c.id == entry.id)
                    .values(**_columns(entry), updated_at=uow.now)
                )
        summary = plan.summary()
        total = len(plan.steps) + len(plan.not_in_file)
        uow.record(convening, actor, [DomainEvent("roster.imported", {**summary, "total": total})])
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
