"""The rounds' commands (facilitators, and the deadline): create a round, open it, close it
and count it, enter a lot drawn in the room, follow up a blocked consent round. A
participant's ballot is convene/services/rounds/ballots.py.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.orm import Session

from convene.domain.convening import Actor, Convening, Role
from convene.domain.errors import N_, Conflict, InvalidInput
from convene.domain.events import DomainEvent
from convene.domain.ids import parse_id
from convene.domain.rounds import LABEL_MAX, Method, Round, RoundOption, RoundState
from convene.domain.tally import LotNeeded, Result
from convene.domain.text import clean_block, clean_line
from convene.services.core import Services, UnitOfWork
from convene.services.presence import present as present_now
from convene.services.rounds.ballots import open_all_and_reshuffle
from convene.store import rounds as store_rounds
from convene.store.rounds import load_round

FOLLOW_UP_PATHS = ("amend", "retry", "fallback")
REASONS_MAX = 2000


def _parse_deadline(value: object, now: datetime) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidInput(N_("The deadline must be an ISO 8601 time."), field="closes_at")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(
            N_("The deadline must be an ISO 8601 time."), field="closes_at"
        ) from None
    if moment.tzinfo is None:
        raise InvalidInput(N_("The deadline must name its time zone (e.g. Z)."), field="closes_at")
    return moment


# -- options ------------------------------------------------------------------------------------


def _options(
    svc: Services, uow: UnitOfWork, convening: Convening, specs: object, *, again: bool = False
) -> list[RoundOption]:
    """The options of a new round: labels, and demands and amendments as the demands allow
    (``svc.ballot_options``). ``again``: a follow-up of a blocked consent round."""
    if not isinstance(specs, list):
        raise InvalidInput(N_("options must be a list."), field="options")
    options = []
    for spec in specs:
        if not isinstance(spec, dict) or len(spec) != 1:
            raise InvalidInput(
                N_("Each option is {label}, {demand_id} or {amendment_id}."), field="options"
            )
        ((kind, value),) = spec.items()
        if kind == "label":
            options.append(RoundOption(label=clean_line(value, "label", LABEL_MAX), position=0))
        elif kind == "demand_id":
            demand_id, label = svc.ballot_options.demand(
                uow, convening, parse_id(value, "demand_id"), again=again
            )
            options.append(RoundOption(label=label, position=0, demand_id=demand_id))
        elif kind == "amendment_id":
            amendment_id, label = svc.ballot_options.amendment(
                uow, convening, parse_id(value, "amendment_id")
            )
            options.append(
                RoundOption(label=label[:LABEL_MAX], position=0, amendment_id=amendment_id)
            )
        else:
            raise InvalidInput(
                N_("Each option is {label}, {demand_id} or {amendment_id}."), field="options"
            )
    return options


# -- commands ------------------------------------------------------------------------------------


def create_round(
    svc: Services,
    actor: Actor,
    *,
    title: object,
    method: object,
    options: object,
    seats: object = None,
    rule: object = None,
    threshold: object = None,
    quorum: object = None,
    stand_aside_limit: object = None,
    secret: object = True,
    live_results: object = False,
    agenda_item_id: object = None,
    closes_at: object = None,
    tie_break: object = None,
) -> dict:
    """A draft round (facilitator). Open it to start the vote."""
    actor.require(Role.FACILITATOR)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        item_id = None
        if agenda_item_id is not None:
            item_id = convening.item(parse_id(agenda_item_id, "agenda_item_id")).id
        round_ = Round.create(
            convening_id=convening.id,
            title=title,
            method=method,
            options=_options(svc, uow, convening, options),
            now=uow.now,
            seats=seats,
            rule=rule,
            threshold=threshold,
            quorum=quorum,
            stand_aside_limit=stand_aside_limit,
            secret=secret,
            live_results=live_results,
            agenda_item_id=item_id,
            closes_at=_parse_deadline(closes_at, uow.now),
            tie_break=tie_break,
        )
        uow.session.add(round_)
        uow.session.flush()
        uow.record(convening, actor, [DomainEvent("round.created", round_.public())])
        uow.commit()
        return round_.public()


def open_round(svc: Services, actor: Actor, *, round_id: object) -> dict:
    actor.require(Role.FACILITATOR)
    # Presence may be a Redis call: read it before taking the convening's lock (under
    # accredited voting: the checked-in voters).
    present = present_now(svc, actor.convening_id)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        round_ = load_round(uow.session, convening.id, round_id, for_update=True)
        events = round_.open(uow.now, present)
        if round_.secret:
            round_.seal = svc.sealer.new_seal()
        uow.record(convening, actor, events)  # and the demands put to the vote (their handler)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        uow.commit()
        return round_.public()


def close_round(
    svc: Services, actor: Actor | None, *, round_id: object, convening_id: int | None = None
) -> dict:
    """Close a round (facilitator, or the deadline): count the stored ballots once more."""
    if actor is not None:
        actor.require(Role.FACILITATOR)
        convening_id = actor.convening_id
    present = present_now(svc, convening_id)  # before the lock (Redis?)
    with svc.write() as uow:
        convening = uow.convening(convening_id)
        round_ = load_round(uow.session, convening.id, round_id, for_update=True)
        round_.require_open()
        if round_.secret:
            open_all_and_reshuffle(svc, uow.session, round_)
        seed = secrets.token_hex(8)
        events = round_.close(uow.now, present, _count(uow.session, round_, seed), seed)
        uow.record(convening, actor, events)  # closed: the demands decided (their handler)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        if round_.secret:
            uow.after_commit(svc.ticker.shred_soon)
        uow.commit()
        return round_.public(with_result=True)


def _count(session: Session, round_: Round, seed: str) -> Result | LotNeeded:
    """The round's count from its stored ballots, or the tie it pauses on (tie-break room)."""
    try:
        return round_.tally(store_rounds.profile_of(session, round_), seed)
    except LotNeeded as pause:
        return pause


def draw_lot(svc: Services, actor: Actor, *, round_id: object, option_id: object) -> dict:
    """The count paused on a tie (tie-break ``room``): the facilitator enters the option that
    the lot drawn in the room chose. The count runs again from the start with every lot
    drawn so far, and closes the round, or pauses on the next tie that needs a lot."""
    actor.require(Role.FACILITATOR)
    option_id = parse_id(option_id, "option_id")
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        round_ = load_round(uow.session, convening.id, round_id, for_update=True)
        drawn = round_.draw_lot(option_id)
        events = [DomainEvent("round.lot_drawn", drawn)]
        events += round_.settle(_count(uow.session, round_, round_.seed), uow.now)
        uow.record(convening, actor, events)
        uow.after_commit(lambda: svc.ticker.mark(convening.id, round_.id))
        uow.commit()
        return round_.public(with_result=True)


def follow_up(
    svc: Services, actor: Actor, *, round_id: object, path: object, reasons: object = ""
) -> dict:
    """After a blocked consent round: back to amendments, a new consent round, or a fallback
    vote by the convening's supermajority. The path is recorded for the minutes; ``reasons``
    (what the blocks said) is shown to everyone on the demand."""
    actor.require(Role.FACILITATOR)
    if not isinstance(path, str) or path not in FOLLOW_UP_PATHS:
        raise InvalidInput(N_("The path is amend, retry or fallback."), field="path")
    reasons = clean_block(reasons, "reasons", REASONS_MAX)
    with svc.write() as uow:
        convening = uow.convening(actor.convening_id)
        blocked = load_round(uow.session, convening.id, round_id)
        if blocked.method is not Method.CONSENT or blocked.state is not RoundState.CLOSED:
            raise Conflict(
                N_("“%(title)s” is not a closed consent round: it has no follow-up."),
                title=blocked.title,
            )
        if not blocked.blocked:
            raise Conflict(
                N_("The consent round “%(title)s” passed: there is nothing to follow up."),
                title=blocked.title,
            )
        data = {"round_id": blocked.id, "path": path, "reasons": reasons}
        if path != "amend":
            option = blocked.options[0]
            spec = (
                {"demand_id": option.demand_id}
                if option.demand_id
                else {"amendment_id": option.amendment_id}
                if option.amendment_id
                else {"label": option.label}
            )
            fallback = path == "fallback"
            follow = Round.create(
                convening_id=convening.id,
                title=blocked.title,
                method=Method.YES_NO if fallback else Method.CONSENT,
                options=_options(svc, uow, convening, [spec], again=True),
                now=uow.now,
                threshold=convening.fallback_threshold if fallback else None,
                stand_aside_limit=None if fallback else blocked.stand_aside_limit,
                quorum=blocked.quorum,
                secret=blocked.secret,
                live_results=blocked.live_results,
                agenda_item_id=blocked.agenda_item_id,
            )
            follow.follows_round_id, follow.path = blocked.id, path
            uow.session.add(follow)
            uow.session.flush()
            data["new_round"] = follow.public()
            uow.record(convening, actor, [DomainEvent("round.created", follow.public())])
        uow.record(convening, actor, [DomainEvent("round.followed_up", data)])
        uow.commit()
        return data
