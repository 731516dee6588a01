"""The catalogue of commands that a token holder can run, by name.

The Socket.IO ``command`` message and every token-authenticated HTTP API route go through
:func:`run_command`, so both adapters validate, authorise and record in exactly one way.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable

from convene.domain.convening import SETTINGS
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


def run_command(
    services: Services, token: object, name: object, args: object, *, code: str | None = None
) -> object:
    """Authenticate ``token`` (for convening ``code`` if given), check ``args``, run ``name``.

    Returns a JSON-ready result. Raises a DomainError for anything refused; nothing changes.
    """
    if not isinstance(name, str) or name not in COMMANDS:
        raise InvalidInput(N_("Unknown command: %(name)s."), field="name", name=str(name)[:60])
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise InvalidInput(N_("The arguments must be a JSON object."), field="args")
    actor = services.authenticate(token, code)
    command = COMMANDS[name]
    _check_arguments(name, command, args)
    return to_json(command(services, actor, **args))


def _check_arguments(name: str, command: Callable, args: dict) -> None:
    parameters = inspect.signature(command).parameters
    accepted = {
        p.name for p in parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY
    } | _CHANGE_FIELDS.get(name, set())
    for key in args:
        if key not in accepted:
            raise InvalidInput(
                N_("Unknown field: %(name)s."), field=str(key)[:60], name=str(key)[:60]
            )
    for p in parameters.values():
        required = p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is p.empty
        if required and p.name not in args:
            raise InvalidInput(N_("%(field)s is required."), field=p.name)


def to_json(value: object) -> object:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: to_json(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, str):  # StrEnum included
        return str(value)
    return value
