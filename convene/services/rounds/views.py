"""What the screens read of rounds: a round with its turnout and live count, who has not
voted yet, the rounds of the snapshot, the published ballots; and the deadlines due, for
the live ticker. The queries are convene/store/rounds.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput
from convene.domain.rounds import Round, RoundState
from convene.domain.text import clean_line
from convene.services.core import Services, parse_after_page
from convene.services.presence import present as present_now
from convene.services.schemas import NOT_VOTED_PAGE_MAX as s_NOT_VOTED_PAGE_MAX
from convene.services.schemas import PAPER_ROLL_MAX, PAPER_SEARCH_MAX
from convene.store import rounds as store_rounds
from convene.store.rounds import load_round

#: How many of those who have not voted a facilitator's turnout names.
NOT_VOTED_SHOWN = 20
#: The largest page of ``rounds.not_voted``.
NOT_VOTED_PAGE_MAX = s_NOT_VOTED_PAGE_MAX


def turnout(session: Session, svc: Services, round_: Round, *, staff: bool) -> dict:
    voters, weight, paper = store_rounds.voters(session, round_.id)
    data = {
        "round_id": round_.id,
        "voted": voters,
        "voted_weight": weight,
        "paper": paper,
        "present": present_now(svc, round_.convening_id, session),
        "present_at_open": round_.present_at_open,
    }
    if staff and not round_.secret and round_.state is RoundState.OPEN:
        # Named rounds only: the facilitator may see who has not voted yet. Counted, and the
        # first few by name: this goes to every console each second while the round is open,
        # so it never lists a hall (rounds.not_voted pages through them all).
        data["not_voted_count"] = store_rounds.not_voted_count(session, round_)
        rows = store_rounds.not_voted_by_name(session, round_, NOT_VOTED_SHOWN)
        data["not_voted"] = [{"id": i, "name": n} for i, n in rows]
    return data


def not_voted(
    svc: Services,
    actor: Actor,
    *,
    round_id: object,
    after: object = 0,
    limit: object = NOT_VOTED_PAGE_MAX,
) -> dict:
    """One page of who has not voted yet in an open named round (facilitators): by member
    id, those above ``after``, at most ``limit``; ``next_after``: where the next page starts
    (None: the last); ``total``: how many have not voted. Refused for a secret round (nobody
    may learn who voted there while it is open), and once the round is no longer open."""
    actor.require(Role.FACILITATOR)
    after, limit = parse_after_page(after, limit, NOT_VOTED_PAGE_MAX)
    with svc.read() as session:
        round_ = load_round(session, actor.convening_id, round_id)
        if round_.secret:
            raise Forbidden(N_("Nobody sees who has voted in a secret round."))
        if round_.state is not RoundState.OPEN:
            raise Conflict(N_("Only an open round has people who have not voted yet."))
        total = store_rounds.not_voted_count(session, round_)
        rows = store_rounds.not_voted_after(session, round_, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "round_id": round_.id,
        "not_voted": [{"id": i, "name": n} for i, n in rows],
        "after": after,
        "limit": limit,
        "total": total,
        "next_after": rows[-1][0] if more else None,
    }


def paper_roll(
    svc: Services,
    actor: Actor,
    *,
    round_id: object,
    search: object = "",
    limit: object = PAPER_ROLL_MAX,
) -> dict:
    """For a teller (or a facilitator): those of an open round whose paper ballot may still
    be entered, whose name holds ``search``, by name, at most ``limit`` (type more of the
    name to find someone among many); ``total``: how many match. In a named round those who
    voted are left out; in a secret round only those who voted on paper (nobody learns who
    voted there by phone: entering their ballot is refused then)."""
    actor.require(Role.TELLER, Role.FACILITATOR)
    search = clean_line(search, "search", PAPER_SEARCH_MAX, required=False) or ""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= PAPER_ROLL_MAX:
        raise InvalidInput(
            N_("limit must be a whole number from 1 to %(max)d."),
            field="limit",
            max=PAPER_ROLL_MAX,
        )
    with svc.read() as session:
        round_ = load_round(session, actor.convening_id, round_id)
        if round_.state is not RoundState.OPEN:
            raise Conflict(N_("Paper ballots are entered only while the round is open."))
        total, rows = store_rounds.paper_roll(session, round_, search, limit)
    return {
        "round_id": round_.id,
        "search": search,
        "people": [{"id": i, "name": n, "weight": w} for i, n, w in rows],
        "total": total,
    }


def live_tally(session: Session, round_: Round) -> dict | None:
    """The count so far, when the round shows it while voting."""
    if round_.state is not RoundState.OPEN or not round_.live_results:
        return None
    result = round_.tally(store_rounds.profile_of(session, round_), seed="live", live=True)
    return {"round_id": round_.id, "result": round_.result_json(result)}


def round_view(
    session: Session, svc: Services, round_: Round, actor: Actor, follow_ups: dict | None = None
) -> dict:
    view = round_.public(with_result=True)
    if round_.state is RoundState.CLOSED:
        view["decision"] = round_.decision()
        if follow_ups is None:
            follow_ups = store_rounds.follow_ups(session, round_.convening_id)
        view["followed_up"] = follow_ups.get(round_.id)
    view["turnout"] = turnout(session, svc, round_, staff=actor.is_staff)
    if actor.role in (Role.FACILITATOR, Role.PROJECTOR):
        view["tally"] = live_tally(session, round_)
    return view


def rounds_for_snapshot(
    session: Session, svc: Services, actor: Actor
) -> tuple[list[dict], list[int]]:
    """Every round of the convening, and the rounds the actor has voted in."""
    follow_ups = store_rounds.follow_ups(session, actor.convening_id)
    views = [
        round_view(session, svc, r, actor, follow_ups)
        for r in store_rounds.convening_rounds(session, actor.convening_id)
    ]
    return views, store_rounds.voted_rounds(session, actor.member_id)


def get_round(svc: Services, actor: Actor, *, round_id: object) -> dict:
    with svc.read() as session:
        return round_view(session, svc, load_round(session, actor.convening_id, round_id), actor)


def published_ballots(svc: Services, actor: Actor, *, round_id: object) -> dict:
    """After the close: every ballot with its receipt, so each voter can check theirs."""
    with svc.read() as session:
        round_ = load_round(session, actor.convening_id, round_id)
        if round_.state is not RoundState.CLOSED:
            raise Conflict(N_("The ballots are published when the round closes."))
        rows = store_rounds.published_ballots(session, round_)
        on_paper = store_rounds.paper_receipts(session, round_)
    ballots = []
    for receipt, content, weight, name in rows:
        entry = {"receipt": receipt, "ballot": content, "weight": weight}
        if not round_.secret:
            entry["name"] = name
            entry["paper"] = receipt in on_paper
        ballots.append(entry)
    return {"round_id": round_.id, "secret": round_.secret, "ballots": ballots}


def due_for_closing(svc: Services, now: datetime) -> list[tuple[int, int]]:
    """(convening id, round id) of open rounds whose deadline has passed."""
    with svc.read() as session:
        return store_rounds.due_for_closing(session, now)
