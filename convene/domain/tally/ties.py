"""Breaking ties, deterministically.

The rule, everywhere a count must choose between candidates with equal votes:

1. **Look back.** Go to the most recent earlier round in which the tied candidates'
   votes differed. For an exclusion, the candidate(s) with the fewest votes there
   stay in the tie and the others are spared; for an election or a surplus, the
   one(s) with the most votes there are kept. Repeat further back until one
   candidate is left or the first round is reached.
2. **Lot.** If candidates are still tied, a lot is drawn with
   ``random.Random(seed)``, choosing among the tied candidates sorted by id. The
   seed (default ``0``) is stored in the result, so anyone can repeat the draw.

Every tie broken is recorded as a :class:`~convene.domain.tally.result.TieBreak`.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from convene.domain.tally.result import Number, TieBreak

DEFAULT_SEED = 0


class TieBreaker:
    """Chooses among tied candidates and remembers each choice it made."""

    def __init__(self, seed: int | str | None = None) -> None:
        self.seed: int | str = DEFAULT_SEED if seed is None else seed
        self._rng: random.Random | None = None  # seeded on the first lot drawn (it is rare)
        if not isinstance(self.seed, int | float | str | bytes | bytearray):
            random.Random(self.seed)  # noqa: S311 - raises the TypeError it always did
        self.breaks: list[TieBreak] = []

    def choose(
        self,
        tied: Sequence[str],
        *,
        lowest: bool,
        history: Sequence[dict[str, Number]],
        round_number: int,
        purpose: str,
    ) -> str:
        """One of ``tied``: the lowest (to exclude) or highest (to elect / transfer first).

        ``history`` holds the tallies of earlier rounds, oldest first; candidates
        missing from a round count as 0 there.
        """
        tied = list(tied)
        if len(tied) == 1:
            return tied[0]
        remaining = list(tied)
        looked = []
        for back in range(len(history) - 1, -1, -1):
            tallies = history[back]
            values = {c: tallies.get(c, 0) for c in remaining}
            if len(set(values.values())) == 1:
                continue
            target = min(values.values()) if lowest else max(values.values())
            remaining = [c for c in remaining if values[c] == target]
            looked.append(back + 1)
            if len(remaining) == 1:
                break
        side = "fewest" if lowest else "most"
        if len(remaining) == 1:
            chosen = remaining[0]
            how = "lookback"
            explanation = (
                f"{_names(tied)} were tied; {chosen} had the {side} votes in round "
                f"{looked[-1]}, the most recent earlier round where they differed."
            )
        else:
            pool = sorted(remaining)
            if self._rng is None:
                # A documented, repeatable lot from a stored seed: not a security use.
                self._rng = random.Random(self.seed)  # noqa: S311
            chosen = self._rng.choice(pool)
            how = "lot"
            first = f"{_names(tied)} were tied"
            if looked:
                first += f"; looking back left {_names(pool)}"
            explanation = f"{first}; {chosen} was chosen by lot (seed {self.seed!r})."
        self.breaks.append(
            TieBreak(
                round=round_number,
                purpose=purpose,
                tied=sorted(tied),
                chosen=chosen,
                how=how,
                explanation=explanation,
            )
        )
        return chosen

    def order(
        self,
        candidates: Sequence[str],
        key: dict[str, Number],
        *,
        descending: bool,
        history: Sequence[dict[str, Number]],
        round_number: int,
        purpose: str,
    ) -> list[str]:
        """Sort ``candidates`` by ``key``, breaking equal keys with :meth:`choose`."""
        pending = list(candidates)
        out: list[str] = []
        while pending:
            best = max(key[c] for c in pending) if descending else min(key[c] for c in pending)
            tied = [c for c in pending if key[c] == best]
            pick = self.choose(
                tied,
                lowest=not descending,
                history=history,
                round_number=round_number,
                purpose=purpose,
            )
            out.append(pick)
            pending.remove(pick)
        return out


def _names(names: Sequence[str]) -> str:
    names = sorted(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
