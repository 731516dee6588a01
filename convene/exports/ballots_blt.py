"""A ranked round as a BLT ballot file: `python -m convene tally round.blt` recounts it.

Candidates are the option labels (in option order: the lot draws from these positions),
the seats are the round's, the title is the round's title. Ballots with the same ranking are
one line with their weights added. After the title, one line says how the meeting counted
(``# convene {"method": ..., "rule": ..., "seed": ...}``, and the round's tie-break when it
is not the seeded lot: ``tie_order``, the options' order, or ``lots``, the option each lot
drawn in the room chose): ``convene tally`` reads it, and
BLT readers that stop at the title, or skip ``#`` comments, ignore it.
"""

from __future__ import annotations

from convene.domain.rounds import Round
from convene.domain.tally.ballotfile import BallotFile, write_blt

FORMAT_VERSION = 1


def _name(label: str) -> str:
    # BLT names are quoted and cannot hold a double quote.
    return label.replace('"', "'")


def count_settings(round_: Round, name=str) -> dict:
    """How the round was counted, for ``convene tally`` (the ``# convene`` line, CSV rows);
    ``name``: how an option's label is written as a candidate in the file."""
    meta = {"version": FORMAT_VERSION, "method": round_.method.value, "seed": round_.seed or ""}
    if round_.rule:
        meta["rule"] = round_.rule
    tie_break = round_.tie_break or "lot"
    if tie_break != "lot":
        labels = {str(o.id): name(o.label) for o in round_.options}
        meta["tie_break"] = tie_break
        if tie_break == "order":  # the options' order, published on the ballot
            meta["tie_order"] = [labels[str(o.id)] for o in round_.options]
        else:  # what each lot drawn in the room chose, in draw order
            meta["lots"] = [labels[str(i)] for i in round_.lots or []]
    return meta


def ballots_blt(round_: Round, profile: dict) -> str:
    """``profile``: ranking of option ids (strings) → weight, as the round was counted."""
    names = {str(o.id): _name(o.label) for o in round_.options}
    ballots: dict = {}
    for ranking, weight in sorted(profile.items(), key=lambda kv: (-kv[1], kv[0])):
        key = tuple(names[i] for i in ranking)
        ballots[key] = ballots.get(key, 0) + weight
    return write_blt(
        BallotFile(
            candidates=[names[str(o.id)] for o in round_.options],
            ballots=ballots,
            seats=round_.seats,
            title=_name(round_.title),
            meta=count_settings(round_, _name),
        )
    )
