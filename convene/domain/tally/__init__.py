"""The tally engine: pure-Python counting for every decision method Convene offers.

One entry point::

    from convene.domain.tally import count
    result = count("stv", {("Alice", "Bob"): 28, ("Bob",): 26}, ["Alice", "Bob", "Chris"],
                   seats=2)
    result.winners, result.to_dict()

Standard library only; counts are ``int`` / ``Fraction`` (never floats). Methods,
ballot shapes, the tie rule and the result structure are documented in
``docs/voting-methods.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from convene.domain.tally.profile import BallotError, group_ballots
from convene.domain.tally.result import Number, Result, Round, TieBreak, Transfer
from convene.domain.tally.ties import LotNeeded

__all__ = [
    "METHODS",
    "RANKED",
    "BallotError",
    "LotNeeded",
    "Number",
    "Result",
    "Round",
    "TieBreak",
    "Transfer",
    "count",
    "group_ballots",
]


def __getattr__(name: str):
    # METHODS (every method's name) and RANKED (the ranked ones) come from the methods'
    # records, which are built from this engine's modules: read when first asked for.
    if name == "METHODS":
        return _records().names()
    if name == "RANKED":
        return tuple(r.name for r in _records().RECORDS if r.ballot.ranked)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _records():
    from convene.domain import methods

    return methods


def count(
    method: str,
    ballots: Mapping | Iterable,
    candidates: Sequence[str] | None = None,
    *,
    seats: int = 1,
    rule: str | None = None,
    threshold: str | Fraction | None = None,
    quorum: Number | None = None,
    seed: int | str | None = None,
    withdrawn: Iterable[str] = (),
    stand_aside_limit: str | Fraction | None = None,
    support_levels: int = 3,
    max_score: int = 5,
    batch_elimination: bool = False,
    until_two: bool = False,
    tie_order: Sequence[str] | None = None,
    lots: Sequence[str] | None = None,
) -> Result:
    """Count ``ballots`` with ``method`` (one of :data:`METHODS`: its record in
    :mod:`convene.domain.methods` says how).

    ``ballots`` is either a mapping ``ballot → weight`` (grouped; weights positive
    ``int`` or ``Fraction``) or an iterable of ballots, each of weight 1. A ballot is:
    a sequence of candidate ids in order of preference (irv, stv, schulze); a
    collection of approved ids (approval); a mapping id → score 0–5 (score);
    ``"yes"``/``"no"``/``"abstain"`` (yes_no); ``"agree"``/``"stand_aside"``/
    ``"block"`` (consent); an integer 1–5 (gradients).

    ``candidates`` is required for the candidate methods and ignored by the
    single-proposal ones. ``rule`` selects the STV rule (``"scottish"`` default,
    ``"meek"``). ``seed`` seeds the lot used when looking back cannot break a tie;
    ``tie_order`` (a published candidate order) replaces the lot; so does ``lots``, the
    candidates chosen by lots drawn by hand (in the room), in draw order: a count that
    meets a tie needing one more raises :class:`LotNeeded` (see
    :mod:`convene.domain.tally.ties`). IRV only:
    ``batch_elimination`` and ``until_two`` (count on until two candidates remain).
    Raises :class:`BallotError` (a ``ValueError``) on anything that cannot be counted.
    """
    methods = _records()
    record = methods.named(method)
    if record is None:
        names = ", ".join(methods.names())
        raise BallotError(f"unknown method {method!r} (use one of: {names})")
    if not record.ballot.proposal and candidates is None:
        raise BallotError(f"{method} needs the list of candidates")
    only = {"batch_elimination": batch_elimination, "until_two": until_two}
    if any(given for name, given in only.items() if name not in record.engine_options):
        raise BallotError("batch elimination and counting until two remain are IRV rules")
    return record.tally(
        ballots,
        candidates,
        seats=seats,
        rule=rule,
        threshold=threshold,
        quorum=quorum,
        seed=seed,
        withdrawn=withdrawn,
        stand_aside_limit=stand_aside_limit,
        support_levels=support_levels,
        max_score=max_score,
        tie_order=tie_order,
        lots=lots,
        **only,
    )
