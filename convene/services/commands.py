"""The catalogue of commands that a token holder can run, by name.

The Socket.IO ``command`` message and every token-authenticated HTTP API route go through
:func:`run_command`, so both adapters validate, authorise and record in exactly one way.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable

from convene.domain.convening import SETTINGS, Actor
from convene.domain.errors import N_, InvalidInput
from convene.services import agenda, convenings, demands, floor, minutes, rounds
from convene.services.core import Services

COMMANDS: dict[str, Callable] = {
    "convening.update": convenings.update_convening,
    "members.invite": convenings.invite,
    "members.remove": convenings.remove_member,
    "agenda.add": agenda.add_item,
    "agenda.edit": agenda.edit_item,
    "agenda.remove": agenda.remove_item,
    "agenda.reorder": agenda.reorder,
    "agenda.start": agenda.start_item,
    "agenda.end": agenda.end_item,
    "floor.raise": floor.raise_hand,
    "floor.lower": floor.lower_hand,
    "floor.next": floor.next_speaker,
    "floor.reorder": floor.reorder_queue,
    "floor.close": floor.close_queue,
    "floor.open": floor.open_queue,
    "floor.signal": floor.send_signal,
    "floor.stats": floor.speaking_statistics,
    "rounds.create": rounds.create_round,
    "rounds.open": rounds.open_round,
    "rounds.cast": rounds.cast_ballot,
    "rounds.close": rounds.close_round,
    "rounds.follow_up": rounds.follow_up,
    "rounds.get": rounds.get_round,
    "rounds.ballots": rounds.published_ballots,
    "members.set_weight": convenings.set_vote_weight,
    "members.set_caucus": demands.set_caucus,
    "demands.list": demands.list_demands,
    "demands.get": demands.get_demand,
    "demands.versions": demands.versions,
    "demands.compare": demands.compare,
    "demands.propose": demands.propose,
    "demands.edit": demands.edit,
    "demands.withdraw": demands.withdraw,
    "demands.open": demands.open_demand,
    "demands.hide": demands.hide,
    "demands.unhide": demands.unhide,
    "demands.merge": demands.merge,
    "demands.reorder": demands.reorder,
    "demands.support": demands.support,
    "demands.unsupport": demands.unsupport,
    "demands.agree": demands.agree,
    "demands.amend": demands.amend,
    "amendments.accept": demands.accept,
    "amendments.decide": demands.decide,
    "amendments.withdraw": demands.withdraw_amendment,
    "minutes.get": minutes.get_minutes,
    "minutes.note": minutes.add_note,
    "minutes.finalize": minutes.finalize,
    "actions.add": minutes.add_action,
    "actions.list": minutes.list_actions,
}

#: Fields a command accepts through ``**changes`` (edits of several optional fields).
_CHANGE_FIELDS = {
    "convening.update": set(SETTINGS),
    "demands.edit": {"title", "body", "typo"},
    "demands.compare": {"from", "to"},
    "agenda.edit": {"title", "notes", "timebox_minutes", "progressive", "speaker_limit_seconds"},
    "rounds.cast": {"ranking", "approve", "scores", "choice"},
}


#: Commands that check inside their own transaction that their actor is still an active
#: member (a ballot reads its voter's row anyway). A socket may run them on the identity it
#: resolved when it connected instead of looking the token up again for every ballot.
CHECK_THEIR_ACTOR = frozenset({"rounds.cast"})


def run_command(
    services: Services,
    token: object,
    name: object,
    args: object,
    *,
    code: str | None = None,
    connected_as: Actor | None = None,
) -> object:
    """Authenticate ``token`` (for convening ``code`` if given), check ``args``, run ``name``.

    ``connected_as``: the actor a socket resolved from ``token`` when it connected; used
    instead of a fresh lookup only by the commands in :data:`CHECK_THEIR_ACTOR`.
    Returns a JSON-ready result. Raises a DomainError for anything refused; nothing changes.
    """
    if not isinstance(name, str) or name not in COMMANDS:
        raise InvalidInput(N_("Unknown command: %(name)s."), field="name", name=str(name)[:60])
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise InvalidInput(N_("The arguments must be a JSON object."), field="args")
    if connected_as is not None and name in CHECK_THEIR_ACTOR:
        actor = connected_as
    else:
        actor = services.authenticate(token, code)
    _check_arguments(name, args)
    return to_json(COMMANDS[name](services, actor, **args))


@functools.cache
def _fields(name: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """(fields the command accepts, fields it requires), from its signature."""
    parameters = inspect.signature(COMMANDS[name]).parameters.values()
    keyword = [p for p in parameters if p.kind is inspect.Parameter.KEYWORD_ONLY]
    accepted = frozenset(p.name for p in keyword) | _CHANGE_FIELDS.get(name, set())
    return accepted, tuple(p.name for p in keyword if p.default is p.empty)


def _check_arguments(name: str, args: dict) -> None:
    accepted, required = _fields(name)
    for key in args:
        if key not in accepted:
            raise InvalidInput(
                N_("Unknown field: %(name)s."), field=str(key)[:60], name=str(key)[:60]
            )
    for field in required:
        if field not in args:
            raise InvalidInput(N_("%(field)s is required."), field=field)


def to_json(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, str):  # StrEnum included
        return str(value)
    return value
