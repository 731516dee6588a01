"""Real-election ballot rules: what a marked ballot means before it is counted.

Public counts (and RCTab, the tabulator many of them use) decide how to read marks that are
not a clean ranking. Convene applies them to each ballot, rank by rank, before round 1 (all
of them are decided by the ballot alone). Each has a documented default, and the rules
in force are printed with the result (``details["rules"]``):

``overvote`` (two or more candidates marked at one rank, or the ``overvote_label`` mark)
    ``"exhaust"`` (default): the ballot stops there; ``"skip"``: that rank is passed over
    and the next one counts; ``"exhaust_if_multiple_continuing"`` (RCTab's
    ``exhaustIfMultipleContinuing``): decided in the count, round by round, each time the
    ballot reaches that rank: it counts for the one marked candidate still in the count,
    moves on if none is, and stops if two or more are (the rank stays in the ranking as a
    ``frozenset``, see :mod:`convene.domain.tally.profile`). It needs the marked names:
    the ``overvote_label`` mark, which does not say who was marked, is refused under it
    (as RCTab refuses it).
``max_skipped`` (a rank with no mark, or the ``undervote_label`` mark, is a skip)
    ``None`` (default): skips are passed over; ``N``: the ballot stops at the (N+1)th
    consecutive skip (RCTab's "maximum number of skipped rankings allowed").
``duplicates`` (a candidate ranked again further down)
    ``"skip"`` (default): the repeat is passed over; ``"exhaust"``: the ballot stops there.
``max_rankings``
    ``None`` (default): every rank counts; ``N``: ranks after the Nth are ignored.
``write_ins`` (a name that is not a declared candidate, or the ``write_in_label`` mark)
    ``"error"`` (default, except for the label): the file is refused, naming the name;
    ``"drop"``: the mark is dropped before round 1 (its rank becomes a skip).

A ballot here is a sequence of ranks, each rank a sequence of the marks at that rank
(usually one name, none for a skip, several for an overvote).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass

from convene.domain.tally.profile import BallotError

OVERVOTE = ("exhaust", "skip", "exhaust_if_multiple_continuing")
IN_THE_COUNT = "exhaust_if_multiple_continuing"
DUPLICATES = ("skip", "exhaust")
WRITE_INS = ("error", "drop")


@dataclass(frozen=True)
class BallotRules:
    overvote: str = "exhaust"
    max_skipped: int | None = None
    duplicates: str = "skip"
    max_rankings: int | None = None
    write_ins: str = "error"
    overvote_label: str = "overvote"
    undervote_label: str = "undervote"
    write_in_label: str = "UWI"

    def __post_init__(self) -> None:
        if self.overvote not in OVERVOTE:
            raise BallotError(f"overvote rule is one of {', '.join(OVERVOTE)}")
        if self.duplicates not in DUPLICATES:
            raise BallotError(f"duplicates rule is one of {', '.join(DUPLICATES)}")
        if self.write_ins not in WRITE_INS:
            raise BallotError(f"write-ins rule is one of {', '.join(WRITE_INS)}")
        for name in ("max_skipped", "max_rankings"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 0):
                raise BallotError(f"{name} must be a whole number of 0 or more")

    def to_dict(self) -> dict:
        return asdict(self)

    def ranking(self, ranks: Sequence[Sequence[str]], candidates: set[str]) -> tuple:
        """The ranking that counts, from one ballot's marks rank by rank (under
        ``exhaust_if_multiple_continuing`` an overvote rank is a ``frozenset`` of names)."""
        out: list[str] = []
        seen: set[str] = set()
        skipped = 0
        if self.max_rankings is not None:
            ranks = ranks[: self.max_rankings]
        for rank in ranks:
            marks: list[str] = []
            over = False
            for mark in rank:
                if mark == self.overvote_label:
                    over = True
                elif mark == self.undervote_label or mark == self.write_in_label:
                    continue
                elif mark not in candidates:
                    if self.write_ins == "error":
                        raise BallotError(f"ballots rank unknown candidate(s): {mark}")
                    continue
                elif mark not in marks:
                    marks.append(mark)
            if over and self.overvote == IN_THE_COUNT:
                raise BallotError(
                    f"the {self.overvote_label!r} mark does not say which candidates were "
                    f"marked: the overvote rule {IN_THE_COUNT} needs their names"
                )
            if len(marks) > 1 and self.overvote == IN_THE_COUNT:
                # a candidate marked at an earlier rank is out of the count by the time the
                # ballot reaches this one: only a repeat that stops the ballot matters
                if self.duplicates == "exhaust" and seen.intersection(marks):
                    break
                fresh = [m for m in marks if m not in seen]
                seen.update(fresh)
                skipped = 0
                if len(fresh) > 1:
                    out.append(frozenset(fresh))
                elif fresh:
                    out.append(fresh[0])
                continue
            if over or len(marks) > 1:
                if self.overvote == "exhaust":
                    break
                continue
            if not marks:
                skipped += 1
                if self.max_skipped is not None and skipped > self.max_skipped:
                    break
                continue
            skipped = 0
            name = marks[0]
            if name in seen:
                if self.duplicates == "exhaust":
                    break
                continue
            seen.add(name)
            out.append(name)
        return tuple(out)


def apply_rules(
    ballots: Iterable[tuple[Sequence[Sequence[str]], object]],
    candidates: Sequence[str],
    rules: BallotRules,
) -> dict[tuple[str, ...], object]:
    """``(ranks, weight)`` pairs → the counted profile ``ranking → weight`` (its rankings
    may hold overvote ranks, ``frozenset`` s, under ``exhaust_if_multiple_continuing``:
    :func:`convene.domain.tally.count` counts them as that rule says)."""
    names = set(candidates)
    profile: dict = {}
    for ranks, weight in ballots:
        key = rules.ranking(ranks, names)
        profile[key] = profile.get(key, 0) + weight
    return profile
