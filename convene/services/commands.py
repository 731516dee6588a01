"""The catalogue of commands that a token holder can run, by name.

The Socket.IO ``command`` message and every token-authenticated HTTP API route go through
:func:`run_command`, so both adapters validate, authorise and record in exactly one way.
Each command declares its input once, as a schema (convene/services/schemas.py): run_command
checks the arguments against it before the command runs, and the OpenAPI document is
generated from the same schemas.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import NamedTuple

from convene.domain import demands as demand_rules
from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Forbidden, InvalidInput
from convene.services import (
    agenda,
    checkins,
    convenings,
    demands,
    feeders,
    floor,
    live,
    minutes,
    projector,
    roster,
    rounds,
)
from convene.services import schemas as s
from convene.services.core import Services


class Command(NamedTuple):
    """A command: the service function it runs and the schema of its arguments."""

    run: Callable
    schema: type[s.Args]


COMMANDS: dict[str, Command] = {
    "convening.update": Command(convenings.update_convening, s.UpdateConvening),
    "members.invite": Command(convenings.invite, s.Invite),
    "members.list": Command(live.members, s.ListMembers),
    "members.remove": Command(convenings.remove_member, s.MemberRef),
    "agenda.add": Command(agenda.add_item, s.AddItem),
    "agenda.edit": Command(agenda.edit_item, s.EditItem),
    "agenda.remove": Command(agenda.remove_item, s.ItemRef),
    "agenda.reorder": Command(agenda.reorder, s.Order),
    "agenda.start": Command(agenda.start_item, s.ItemRef),
    "agenda.end": Command(agenda.end_item, s.ItemRef),
    "floor.raise": Command(floor.raise_hand, s.RaiseHand),
    "floor.lower": Command(floor.lower_hand, s.RequestRef),
    "floor.next": Command(floor.next_speaker, s.NoArgs),
    "floor.reorder": Command(floor.reorder_queue, s.Order),
    "floor.close": Command(floor.close_queue, s.NoArgs),
    "floor.open": Command(floor.open_queue, s.NoArgs),
    "floor.signal": Command(floor.send_signal, s.SendSignal),
    "floor.stats": Command(floor.speaking_statistics, s.NoArgs),
    "rounds.create": Command(rounds.create_round, s.CreateRound),
    "rounds.open": Command(rounds.open_round, s.RoundRef),
    "rounds.cast": Command(rounds.cast_ballot, s.CastBallot),
    "rounds.paper_ballot": Command(rounds.paper_ballot, s.PaperBallot),
    "rounds.paper_roll": Command(rounds.paper_roll, s.PaperRoll),
    "rounds.close": Command(rounds.close_round, s.RoundRef),
    "rounds.draw_lot": Command(rounds.draw_lot, s.DrawLot),
    "rounds.follow_up": Command(rounds.follow_up, s.FollowUp),
    "rounds.get": Command(rounds.get_round, s.RoundRef),
    "rounds.ballots": Command(rounds.published_ballots, s.RoundRef),
    "rounds.not_voted": Command(rounds.not_voted, s.ListNotVoted),
    "members.set_weight": Command(convenings.set_vote_weight, s.SetWeight),
    "members.set_caucus": Command(demands.set_caucus, s.SetCaucus),
    "roster.import": Command(roster.import_roster, s.ImportRoster),
    "roster.list": Command(roster.list_entries, s.ListRoster),
    "roster.credentials": Command(roster.credentials, s.RosterCredentials),
    "roster.reissue": Command(roster.reissue, s.RosterEntryRef),
    "checkins.add": Command(checkins.check_in, s.CheckIn),
    "checkins.remove": Command(checkins.check_out, s.RosterEntryRef),
    "checkins.search": Command(checkins.search, s.SearchCheckins),
    "feeders.invite": Command(feeders.invite, s.InviteFeeder),
    "feeders.revoke": Command(feeders.revoke, s.FeederInvitationRef),
    "feeders.list": Command(feeders.list_feeders, s.NoArgs),
    "feeders.unlink": Command(feeders.unlink_feeder, s.FeederRef),
    "upstream.link": Command(feeders.link, s.LinkUpstream),
    "upstream.get": Command(feeders.get_upstream, s.NoArgs),
    "upstream.unlink": Command(feeders.unlink, s.NoArgs),
    "demands.list": Command(demands.list_demands, s.ListDemands),
    "demands.get": Command(demands.get_demand, s.DemandRef),
    "demands.supporters": Command(demands.list_supporters, s.ListSupporters),
    "demands.versions": Command(demands.versions, s.DemandRef),
    "demands.compare": Command(demands.compare, s.Compare),
    "demands.propose": Command(demands.propose, s.Propose),
    "demands.edit": Command(demands.edit, s.EditDemand),
    "demands.withdraw": Command(demands.withdraw, s.DemandRef),
    "demands.open": Command(demands.open_demand, s.DemandRef),
    "demands.forward": Command(demands.forward, s.Forward),
    "demands.hide": Command(demands.hide, s.Hide),
    "demands.unhide": Command(demands.unhide, s.DemandRef),
    "demands.merge": Command(demands.merge, s.Merge),
    "demands.reorder": Command(demands.reorder, s.Order),
    "demands.support": Command(demands.support, s.DemandRef),
    "demands.unsupport": Command(demands.unsupport, s.DemandRef),
    "demands.agree": Command(demands.agree, s.Agree),
    "demands.amend": Command(demands.amend, s.Amend),
    "amendments.accept": Command(demands.accept, s.AmendmentRef),
    "amendments.decide": Command(demands.decide, s.Decide),
    "amendments.withdraw": Command(demands.withdraw_amendment, s.AmendmentRef),
    "minutes.get": Command(minutes.get_minutes, s.GetMinutes),
    "minutes.note": Command(minutes.add_note, s.AddNote),
    "minutes.finalize": Command(minutes.finalize, s.NoArgs),
    "actions.add": Command(minutes.add_action, s.AddAction),
    "actions.list": Command(minutes.list_actions, s.NoArgs),
    "projector.show": Command(projector.show, s.ShowOnProjector),
}


#: Commands anyone may run without a token (HTTP only: a socket needs a token to connect).
OPEN_COMMANDS: dict[str, Command] = {
    "convenings.create": Command(convenings.create_convening, s.CreateConvening),
    "convenings.join": Command(convenings.join, s.Join),
    "roster.redeem": Command(roster.redeem, s.RedeemBadge),
}


#: All a teller may run: read a round (as a participant reads it), find whose paper ballot
#: is still to come, enter it. Every other command is refused them, reads included (a named
#: round's published ballots, the minutes, the members, anything a facilitator reads).
TELLER_COMMANDS = frozenset({"rounds.get", "rounds.paper_roll", "rounds.paper_ballot"})
#: All the credentials desk may run: check roster entries in and out, and find them by name
#: (name, delegation, role, checked in or not; convene/services/checkins.py).
DESK_COMMANDS = frozenset({"checkins.add", "checkins.remove", "checkins.search"})


#: Commands that check inside their own transaction that their actor is still an active
#: member (a ballot reads its voter's row anyway). A socket may run them on the identity it
#: resolved when it connected instead of looking the token up again for every ballot.
CHECK_THEIR_ACTOR = frozenset({"rounds.cast"})


#: A participant's writes, each counted against their own limit (docs/limits.md); ballots and
#: hand signals keep their own limiters. Staff commands are limited per token/connection only.
PROPOSALS = frozenset({"demands.propose", "demands.amend"})
PARTICIPANT_WRITES = frozenset(
    {
        "demands.edit",
        "demands.withdraw",
        "demands.support",
        "demands.unsupport",
        "demands.agree",
        "amendments.withdraw",
        "floor.raise",
        "floor.lower",
        "members.set_caucus",
    }
)


#: Reads that cost the server far more than a ballot count as several messages, over either
#: adapter (a socket's ``socket`` limit, a token's ``commands`` limit over HTTP).
COSTS = {
    "members.list": 5,
    "minutes.get": 5,
    "rounds.ballots": 5,
    "rounds.not_voted": 5,
    "rounds.paper_roll": 2,
    "checkins.search": 2,
    "feeders.list": 2,
    "demands.supporters": 2,
    "actions.list": 2,
    "demands.versions": 2,
    "floor.stats": 2,
    "roster.import": 5,
    "roster.credentials": 5,
}
#: ``demands.list`` counts one message per this many demands asked for (``limit``, or the
#: ids asked for when fewer): a page of 100 counts 5, the 20 texts a screen reads at a time 1.
DEMANDS_PER_MESSAGE = 20


def command_label(name: object) -> str:
    """A command's name as a metrics label; anything not in the catalogue is one "unknown"
    (a client must not grow the label set)."""
    if isinstance(name, str) and (name in COMMANDS or name in OPEN_COMMANDS):
        return name
    return "unknown"


def cost_of(name: object, args: object) -> int:
    """How many messages command ``name`` with ``args`` counts as against a rate limit.
    Works on the raw arguments (before they are checked): whatever they hold, a number from
    1 to the largest cost, never an error."""
    if name == "demands.list":
        return -(-_demands_asked(args) // DEMANDS_PER_MESSAGE) or 1
    return COSTS.get(name, 1) if isinstance(name, str) else 1


def _demands_asked(args: object) -> int:
    """The demands a ``demands.list`` asks for at most: its ``limit`` (a JSON number, or the
    digits of a query string), no more than the ``ids`` it names, PAGE_MAX if unreadable."""
    most = demand_rules.PAGE_MAX
    if not isinstance(args, dict):
        return most
    limit = args.get("limit", most)
    if isinstance(limit, str) and limit.isascii() and limit.isdigit() and len(limit) < 6:
        limit = int(limit)
    asked = limit if isinstance(limit, int) and not isinstance(limit, bool) else most
    ids = args.get("ids")
    if isinstance(ids, list):
        asked = min(asked, len(ids))
    return max(0, min(asked, most))


def run_command(
    services: Services,
    token: object,
    name: object,
    args: object,
    *,
    code: str | None = None,
    connected_as: Actor | None = None,
    from_query: bool = False,
) -> object:
    """Authenticate ``token`` (for convening ``code`` if given), check ``args``, run ``name``.

    ``connected_as``: the actor a socket resolved from ``token`` when it connected; used
    instead of a fresh lookup only by the commands in :data:`CHECK_THEIR_ACTOR`.
    ``from_query``: the arguments came from a URL's query string (text that may stand for
    numbers); everywhere else a number must be a JSON number.
    Returns a JSON-ready result. Raises a DomainError for anything refused; nothing changes.
    """
    command = COMMANDS.get(name) if isinstance(name, str) else None
    if command is None:
        raise InvalidInput(N_("Unknown command: %(name)s."), field="name", name=str(name)[:60])
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise InvalidInput(N_("The arguments must be a JSON object."), field="args")
    if connected_as is not None and name in CHECK_THEIR_ACTOR:
        actor = connected_as
    else:
        actor = services.authenticate(token, code)
    if actor.role is Role.TELLER and name not in TELLER_COMMANDS:
        raise Forbidden(N_("A teller may only enter paper ballots."))
    if actor.role is Role.DESK and name not in DESK_COMMANDS:
        raise Forbidden(N_("The credentials desk may only check people in and out."))
    kwargs = s.parse(command.schema, args, strict=not from_query)
    if actor.role is Role.PARTICIPANT:
        if name in PROPOSALS:
            services.limits.hit("proposals", actor.member_id)
        elif name in PARTICIPANT_WRITES:
            services.limits.hit("writes", actor.member_id)
    return to_json(command.run(services, actor, **kwargs))


def run_open_command(services: Services, name: str, args: object, **fixed: object) -> object:
    """Run one of :data:`OPEN_COMMANDS` (no token) with ``args`` checked by its schema;
    ``fixed``: arguments the adapter supplies itself (a convening's code from the URL)."""
    command = OPEN_COMMANDS[name]
    if args is None:
        args = {}
    return command.run(services, **s.parse(command.schema, args), **fixed)


def to_json(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, str):  # StrEnum included
        return str(value)
    return value
