"""Paper ballots: a teller (or a facilitator) enters a participant's paper ballot, counted
once per seat and final. It is checked by the round's ballot form and stored through the
ballot path (convene/services/rounds/ballots.py: a secret one sealed, opened k at a time
with the others); only the voter's row says "on paper" (docs/rounds.md, "Paper ballots").
"""

from __future__ import annotations

import json
import time

from sqlalchemy import bindparam, func, select

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Conflict, NotFound, TooMany
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.rounds import new_receipt
from convene.domain.seats import VotedInAnotherSeat
from convene.services.core import Services
from convene.services.rounds.ballots import (
    OnPaper,
    cast_named,
    cast_sealed,
    mark_voter,
    round_and_weight,
)
from convene.store import tables

_proxy = tables.members.alias("proxy")
# The participant a paper ballot is for: who they are, and who carries their vote.
_SEAT = (
    select(
        tables.members.c.name,
        tables.members.c.role,
        tables.members.c.removed_at,
        tables.members.c.carried_by_id,
        _proxy.c.name.label("proxy_name"),
    )
    .select_from(tables.members.outerjoin(_proxy, _proxy.c.id == tables.members.c.carried_by_id))
    .where(
        tables.members.c.id == bindparam("member_id"),
        tables.members.c.convening_id == bindparam("convening_id"),
    )
)
_PAPER_COUNT = (
    select(func.count())
    .select_from(tables.round_voters)
    .where(
        tables.round_voters.c.round_id == bindparam("round_id"),
        tables.round_voters.c.paper.is_(True),
    )
)


def paper_ballot(
    svc: Services, actor: Actor, *, round_id: object, member_id: object, **ballot: object
) -> dict:
    """A teller (or a facilitator) enters the paper ballot of participant ``member_id``.

    Counted once per seat and final: refused when the participant already voted in the
    round (by phone or on paper) or a proxy carries their vote, and no phone ballot
    replaces it afterwards. Checked by the round's ballot form and stored through the same
    path as a phone ballot (a secret one sealed, opened k at a time with the others); only
    the voter's row says "on paper", and the event names the voter and the teller, never
    the ballot."""
    actor.require(Role.TELLER, Role.FACILITATOR)
    member_id = parse_id(member_id, "member_id", N_("The participant id must be a number."))
    if not svc.ballot_limiter.allow(actor.member_id, time.monotonic()):
        raise TooMany(N_("Too many ballots at once: wait a moment and try again."))
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)  # the event's number
        connection = uow.session.connection()
        seat = connection.execute(
            _SEAT, {"member_id": member_id, "convening_id": convening.id}
        ).one_or_none()
        if seat is None or seat.role is not Role.PARTICIPANT or seat.removed_at is not None:
            raise NotFound(N_("There is no participant %(id)s in this convening."), id=member_id)
        voter_actor = Actor(member_id, convening.id, Role.PARTICIPANT, seat.name)
        seat_of_voter = round_and_weight(svc, connection, voter_actor, round_id, for_someone=True)
        round_id, round_, weight = seat_of_voter.round_id, seat_of_voter.round, seat_of_voter.weight
        if seat.carried_by_id is not None:
            raise Conflict(
                N_("The vote of %(name)s is carried by a proxy (%(proxy)s): the proxy votes."),
                name=seat.name,
                proxy=seat.proxy_name or "?",
            )
        form = round_.ballot_form()
        content = json.dumps(form.check(ballot), sort_keys=True, separators=(",", ":"))
        voter = {
            "round_id": round_id,
            "member_id": member_id,
            "weight": weight,
            "paper": True,
            "seat_id": seat_of_voter.seat_id,
        }
        try:
            first = mark_voter(connection, round_, seat_of_voter, voter)
        except OnPaper:
            raise Conflict(
                N_("A paper ballot was already entered for %(name)s in this round."),
                name=seat.name,
            ) from None
        except VotedInAnotherSeat:
            first = False
        if not first:
            raise Conflict(N_("%(name)s has already voted in this round."), name=seat.name)
        receipt = new_receipt()
        if form.secret:
            cast_sealed(svc, connection, round_, voter_actor, receipt, content, weight, None, True)
        else:
            cast_named(connection, round_id, voter_actor, receipt, content, weight, True)
        paper = connection.execute(_PAPER_COUNT, {"round_id": round_id}).scalar_one()
        data = {
            "round_id": round_id,
            "member_id": member_id,
            "name": seat.name,
            "teller_id": actor.member_id,
            "paper": paper,
        }
        uow.record(convening, actor, [DomainEvent("round.paper_ballot", data)])
        convening_id = convening.id
        uow.after_commit(lambda: svc.ticker.mark(convening_id, round_id))
        uow.commit()
    return {
        "round_id": round_id,
        "member_id": member_id,
        "name": seat.name,
        "receipt": receipt,
        "weight": weight,
        "paper": paper,
    }
