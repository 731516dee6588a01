"""Linked convenings (issue 18 item 1): a regional convening's feeders and a chapter's
upstream.

The regional facilitator makes a feeder invitation (a secret shown once; only its SHA-256
is kept) and sends it to chapters; a chapter's facilitator links their convening to the
regional one with its code and the invitation (``upstream.link``). An invitation serves
any number of chapters until it is revoked; a revoked one links no more (the links made
with it stay). Either side removes a link (``upstream.unlink``, ``feeders.unlink``); the
link is kept, ended, as the record of who fed whom. The rules (one upstream at a time, no
link to itself, no circle) are convene/domain/feeders.py's.

Each change is an event in both convenings' logs: ``upstream.linked`` / ``upstream.unlinked``
in the feeder's, ``feeder.linked`` / ``feeder.unlinked`` in the upstream's (by no member of
it: ``actor_id`` null there). Join codes are for the facilitators: everyone else sees the
other convening's title only (convene/domain/events.py). Every change takes the links' lock
(store/feeders.py: lock_links), then both convenings' rows in id order.
"""

from __future__ import annotations

from sqlalchemy import insert, update

from convene.domain import feeders as rules
from convene.domain.convening import Actor, Role, hash_token, new_token, normalise_join_code
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.times import iso
from convene.services.core import Services, UnitOfWork
from convene.store import feeders as store
from convene.store import tables

_l = tables.convening_links
_i = tables.feeder_invitations


def _invitation_view(row, links: int = 0) -> dict:
    return {
        "id": row.id,
        "label": row.label,
        "created_at": iso(row.created_at),
        "revoked": row.revoked_at is not None,
        "revoked_at": iso(row.revoked_at),
        "links": links,
    }


def invite(svc: Services, actor: Actor, *, label: object = None) -> dict:
    """A feeder invitation for chapters to link to this convening (facilitator). The reply
    holds the secret (``invitation``), shown this once; ``label`` says whom it was for."""
    actor.require(Role.FACILITATOR)
    text = rules.parse_label(label)
    secret = new_token()
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        if store.invitation_count(uow.session, convening.id) >= rules.INVITATIONS_MAX:
            raise Conflict(
                N_("A convening has at most %(max)d feeder invitations."),
                max=rules.INVITATIONS_MAX,
            )
        invitation_id = uow.session.execute(
            insert(_i)
            .values(
                convening_id=convening.id,
                token_hash=hash_token(secret),
                label=text,
                created_at=uow.now,
                created_by=actor.member_id,
            )
            .returning(_i.c.id)
        ).scalar_one()
        view = {
            "id": invitation_id,
            "label": text,
            "created_at": iso(uow.now),
            "revoked": False,
            "revoked_at": None,
            "links": 0,
        }
        uow.record(convening, actor, [DomainEvent("feeder.invited", {"invitation": view})])
        uow.commit()
    return {**view, "invitation": secret}


def revoke(svc: Services, actor: Actor, *, invitation_id: object) -> dict:
    """Revoke a feeder invitation (facilitator): it links no more chapters; the links made
    with it stay. Revoked already: nothing changes."""
    actor.require(Role.FACILITATOR)
    invitation_id = parse_id(invitation_id, "invitation_id")
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        row = next(
            (r for r in store.invitations_of(uow.session, convening.id) if r.id == invitation_id),
            None,
        )
        if row is None:
            raise NotFound(
                N_("There is no feeder invitation %(id)s in this convening."), id=invitation_id
            )
        if row.revoked_at is not None:
            return _invitation_view(row, row.links)
        uow.session.execute(update(_i).where(_i.c.id == row.id).values(revoked_at=uow.now))
        view = {**_invitation_view(row, row.links), "revoked": True, "revoked_at": iso(uow.now)}
        uow.record(
            convening, actor, [DomainEvent("feeder.invitation_revoked", {"invitation": view})]
        )
        uow.commit()
    return view


def list_feeders(svc: Services, actor: Actor) -> dict:
    """The convenings that send their demands here now, by title, and this convening's
    feeder invitations (without their secrets) (facilitator)."""
    actor.require(Role.FACILITATOR)
    with svc.read() as session:
        feeders = store.feeders_of(session, actor.convening_id)
        invitations = store.invitations_of(session, actor.convening_id)
    return {
        "feeders": [_feeder_view(row) for row in feeders],
        "invitations": [_invitation_view(row, row.links) for row in invitations],
    }


def _feeder_view(row) -> dict:
    return {
        "link_id": row.id,
        "code": row.code,
        "title": row.title,
        "linked_at": iso(row.linked_at),
        "invitation_id": row.invitation_id,
    }


def _upstream_view(row) -> dict:
    return {
        "link_id": row.id,
        "code": row.code,
        "title": row.title,
        "linked_at": iso(row.linked_at),
    }


def get_upstream(svc: Services, actor: Actor) -> dict:
    """The convening this one sends its demands to (``upstream``, null: none) (facilitator)."""
    actor.require(Role.FACILITATOR)
    with svc.read() as session:
        row = store.current_link(session, actor.convening_id)
    return {"upstream": _upstream_view(row) if row else None}


def _lock_both(uow: UnitOfWork, first: int, second: int) -> dict:
    """Both convenings locked, in id order (so that two links made at once cannot deadlock)."""
    return {i: uow.convening(i) for i in sorted({first, second})}


def link(svc: Services, actor: Actor, *, code: object, invitation: object) -> dict:
    """Send this convening's demands to convening ``code`` from now on (facilitator), with
    its feeder ``invitation``. Linked there already: nothing changes (``already``)."""
    actor.require(Role.FACILITATOR)
    try:
        upstream_code = normalise_join_code(code)
    except NotFound:
        raise NotFound(
            N_("There is no convening with the code %(code)s."), code=str(code)[:20]
        ) from None
    secret = rules.parse_invitation(invitation)
    with svc.write() as uow:
        store.lock_links(uow.session)
        target = store.convening_by_code(uow.session, upstream_code)
        if target is None:
            raise NotFound(N_("There is no convening with the code %(code)s."), code=upstream_code)
        locked = _lock_both(uow, actor.convening_id, target.id)
        feeder, upstream = locked[actor.convening_id], locked[target.id]
        current = store.current_link(uow.session, feeder.id)
        new = rules.check_link(
            feeder.id,
            upstream.id,
            current.upstream_id if current else None,
            lambda i: store.upstream_of(uow.session, i),
        )
        _check_invitation(store.invitation_by_hash(uow.session, hash_token(secret)), upstream)
        if not new:
            return {"upstream": _upstream_view(current), "already": True}
        if store.feeder_count(uow.session, upstream.id) >= rules.FEEDERS_MAX:
            raise Conflict(N_("A convening takes at most %(max)d feeders."), max=rules.FEEDERS_MAX)
        invitation_row = store.invitation_by_hash(uow.session, hash_token(secret))
        link_id = uow.session.execute(
            insert(_l)
            .values(
                feeder_id=feeder.id,
                upstream_id=upstream.id,
                invitation_id=invitation_row.id,
                linked_at=uow.now,
                linked_by=actor.member_id,
            )
            .returning(_l.c.id)
        ).scalar_one()
        count = store.feeder_count(uow.session, upstream.id)
        up = {"code": upstream.code, "title": upstream.title}
        down = {"code": feeder.code, "title": feeder.title}
        uow.record(
            feeder,
            actor,
            [DomainEvent("upstream.linked", {"link_id": link_id, "upstream": up})],
        )
        uow.record(
            upstream,
            None,
            [
                DomainEvent(
                    "feeder.linked",
                    {
                        "link_id": link_id,
                        "feeder": down,
                        "invitation_id": invitation_row.id,
                        "feeders": count,
                    },
                )
            ],
        )
        uow.commit()
        return {
            "upstream": {"link_id": link_id, **up, "linked_at": iso(uow.now)},
            "already": False,
        }


def _check_invitation(row, upstream) -> None:
    """Refuse an invitation that is unknown, revoked, or another convening's (403, each in
    its own words; nothing is changed)."""
    if row is None:
        raise Forbidden(
            N_("That is not a feeder invitation of %(code)s: ask its facilitator for one."),
            code=upstream.code,
        )
    if row.convening_id != upstream.id:
        raise Forbidden(
            N_("That feeder invitation is another convening's, not %(code)s's."),
            code=upstream.code,
        )
    if row.revoked_at is not None:
        raise Forbidden(
            N_(
                "That feeder invitation was revoked: ask the facilitator of %(code)s for a new one."
            ),
            code=upstream.code,
        )


def unlink(svc: Services, actor: Actor) -> None:
    """Stop sending this convening's demands upstream (facilitator of the feeder)."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        store.lock_links(uow.session)
        current = store.current_link(uow.session, actor.convening_id)
        if current is None:
            raise Conflict(N_("This convening does not send its demands to another one."))
        _end(uow, actor, current.id, current.feeder_id, current.upstream_id, "feeder")
        uow.commit()


def unlink_feeder(svc: Services, actor: Actor, *, feeder_code: object) -> None:
    """Remove feeder ``feeder_code``'s link to this convening (facilitator of the upstream)."""
    actor.require(Role.FACILITATOR)
    if not isinstance(feeder_code, str):
        raise InvalidInput(N_("%(field)s must be text."), field="feeder_code")
    missing = NotFound(
        N_("No convening with the code %(code)s sends its demands here."), code=feeder_code[:20]
    )
    try:
        wanted = normalise_join_code(feeder_code)
    except NotFound:
        raise missing from None
    with svc.write() as uow:
        store.lock_links(uow.session)
        feeder = store.convening_by_code(uow.session, wanted)
        current = store.current_link(uow.session, feeder.id) if feeder else None
        if current is None or current.upstream_id != actor.convening_id:
            raise missing
        _end(uow, actor, current.id, current.feeder_id, current.upstream_id, "upstream")
        uow.commit()


def _end(uow: UnitOfWork, actor: Actor, link_id: int, feeder_id: int, upstream_id: int, by: str):
    locked = _lock_both(uow, feeder_id, upstream_id)
    feeder, upstream = locked[feeder_id], locked[upstream_id]
    uow.session.execute(
        update(_l)
        .where(_l.c.id == link_id, _l.c.ended_at.is_(None))
        .values(ended_at=uow.now, ended_by=by)
    )
    up = {"code": upstream.code, "title": upstream.title}
    down = {"code": feeder.code, "title": feeder.title}
    count = store.feeder_count(uow.session, upstream.id)
    feeder_side = DomainEvent("upstream.unlinked", {"link_id": link_id, "upstream": up, "by": by})
    upstream_side = DomainEvent(
        "feeder.unlinked", {"link_id": link_id, "feeder": down, "by": by, "feeders": count}
    )
    mine = feeder.id == actor.convening_id
    uow.record(feeder, actor if mine else None, [feeder_side])
    uow.record(upstream, None if mine else actor, [upstream_side])
