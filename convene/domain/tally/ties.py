"""Breaking ties, deterministically and the same on every installation.

The rule, everywhere a count must choose between candidates with equal votes
(documented for other implementations in ``docs/voting-methods.md``, "Ties"):

1. **Look back.** Go to the most recent earlier round in which the tied candidates'
   votes differed. For an exclusion, the candidate(s) with the fewest votes there
   stay in the tie and the others are spared; for an election or a surplus, the
   one(s) with the most votes there are kept. Repeat further back until one
   candidate is left or the first round is reached.
2. **Lot.** If candidates are still tied, a lot is drawn from the seed and the tied
   candidates' *positions* in the candidate list (1 for the first candidate: the
   option order of the round, which is the candidate numbering of its BLT file and
   the column order of its CSV file). Nothing else goes in, so the same ballots,
   candidate order and seed give the same choice in a meeting, in
   ``convene tally`` and on any other installation::

       message = "convene-lot-1|" + SEED + "|" + DRAW + "|" + "P1,P2,...,Pn"
       digest  = SHA-256(UTF-8 bytes of message), read as a big-endian integer
       chosen  = the (digest mod n)-th (0-based) of the tied candidates by position

   ``SEED`` is the seed as text (an integer in decimal), ``DRAW`` the number of this
   lot in the count (1 for the first lot, 2 for the next...), ``P1 < P2 < ...`` the
   positions of the candidates still tied, in decimal, comma-separated. The seed
   (default ``0``) is stored in the result, so anyone can repeat the draw.

Instead of the seeded lot, a count may use a published candidate order (``order``: to
exclude, the tied candidate listed last goes; to elect, transfer or rank, the one listed
first) or **lots drawn by hand** (``lots``, a meeting's "lot drawn in the room"): the
chosen candidates of the lots drawn so far, in draw order. A tie that needs a lot takes the
next one (recorded with ``how="room"``); when none is left the count stops with
:class:`LotNeeded`, saying which candidates the next lot is between, and is run again from
the start once that lot is drawn (the count is deterministic, so it reaches the same tie).
Only ties that decide something are drawn by hand: an exclusion, a surplus, who is
elected; a tie that only orders a list (candidates all elected anyway, or ranked below the
seats) takes the seeded lot.

Every tie broken is recorded as a :class:`~convene.domain.tally.result.TieBreak`,
with the rounds looked at, the candidates the lot chose among and the draw number.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from convene.domain.tally.profile import BallotError
from convene.domain.tally.result import Number, TieBreak

DEFAULT_SEED = 0
LOT_PREFIX = "convene-lot-1"


class LotNeeded(Exception):
    """The count met a tie that only a lot drawn by hand can break, and has no lot left.

    ``pool``: the candidates still tied after looking back, in candidate-list order (the
    lot chooses one of them); ``tied``: every candidate that was tied; ``side``: ``fewest``
    (the chosen one is excluded) or ``most`` (elected, transferred or placed first);
    ``draw``: the number of this lot drawn by hand (1 for the first).
    """

    def __init__(
        self,
        *,
        round: int,
        purpose: str,
        tied: list,
        pool: list,
        side: str,
        draw: int,
        candidates: Sequence[str] = (),
    ) -> None:
        self.round, self.purpose, self.tied, self.pool = round, purpose, tied, pool
        self.side, self.draw = side, draw
        #: the count's candidate list (the positions a file numbers them by)
        self.candidates = list(candidates)
        super().__init__(
            f"round {round}: a lot drawn by hand must choose among {', '.join(map(str, pool))}"
        )

    def to_dict(self) -> dict:
        return {
            "round": self.round,
            "purpose": self.purpose,
            "tied": list(self.tied),
            "pool": list(self.pool),
            "side": self.side,
            "draw": self.draw,
        }


def seed_text(seed: int | str) -> str:
    if isinstance(seed, bool) or not isinstance(seed, int | str):
        raise BallotError(f"the seed must be a whole number or text, got {type(seed).__name__}")
    return str(seed)


def lot_index(seed: int | str, draw: int, positions: Sequence[int]) -> int:
    """The documented lot: which of ``positions`` (ascending, 1-based) is drawn (0-based)."""
    message = f"{LOT_PREFIX}|{seed_text(seed)}|{draw}|{','.join(map(str, positions))}"
    digest = hashlib.sha256(message.encode("utf-8")).digest()
    return int.from_bytes(digest, "big") % len(positions)


class TieBreaker:
    """Chooses among tied candidates and remembers each choice it made.

    ``candidates`` is the count's full candidate list (withdrawn ones included): a
    candidate's position in it is what the lot draws from.
    """

    def __init__(
        self,
        seed: int | str | None = None,
        candidates: Sequence[str] = (),
        order: Sequence[str] | None = None,
        lots: Sequence[str] | None = None,
    ) -> None:
        self.seed: int | str = DEFAULT_SEED if seed is None else seed
        #: a published order replacing the lot: to exclude, the tied candidate listed
        #: last goes; to elect, transfer or rank, the one listed first
        self._order = None if order is None else {c: i for i, c in enumerate(order)}
        #: lots drawn by hand, in draw order (their chosen candidates)
        self._lots = None if lots is None else list(lots)
        if order is not None and lots is not None:
            raise BallotError("a count breaks ties by a published order or by hand, not both")
        self.mode = "lot" if order is None else "order"
        if lots is not None:
            self.mode = "room"
        self.hand_draws = 0
        seed_text(self.seed)
        self._candidates = candidates
        self._position: dict[str, int] | None = None  # built on the first tie (they are rare)
        self.draws = 0
        self.breaks: list[TieBreak] = []

    def position(self, candidate: str) -> int:
        if self._position is None:
            self._position = {c: i for i, c in enumerate(self._candidates, 1)}
        # a candidate outside the list (not in a real count) goes last, by name
        return self._position.get(candidate, len(self._position) + 1)

    def choose(
        self,
        tied: Sequence[str],
        *,
        lowest: bool,
        history: Sequence[dict[str, Number]],
        round_number: int,
        purpose: str,
        decisive: bool = True,
    ) -> str:
        """One of ``tied``: the lowest (to exclude) or highest (to elect / transfer first).

        ``history`` holds the tallies of earlier rounds, oldest first; candidates
        missing from a round count as 0 there. ``decisive``: False for a tie that only
        orders a list (drawn by the seeded lot even when lots are drawn by hand).
        """
        tied = list(tied)
        if len(tied) == 1:
            return tied[0]
        remaining = list(tied)
        looked: list[int] = []
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
        key = lambda c: (self.position(c), c)  # noqa: E731
        pool: list[str] = []
        draw = None
        if len(remaining) == 1:
            chosen = remaining[0]
            how = "lookback"
        elif self._order is not None:
            listed = self._order
            pool = sorted(remaining, key=lambda c: (listed.get(c, len(listed)), key(c)))
            chosen = pool[-1] if lowest else pool[0]
            how = "order"
        elif self._lots is not None and decisive:
            pool = sorted(remaining, key=key)
            self.hand_draws += 1
            draw = self.hand_draws
            if draw > len(self._lots):
                raise LotNeeded(
                    round=round_number,
                    purpose=purpose,
                    tied=sorted(tied, key=key),
                    pool=pool,
                    side="fewest" if lowest else "most",
                    draw=draw,
                    candidates=self._candidates,
                )
            chosen = self._lots[draw - 1]
            if chosen not in pool:
                raise BallotError(
                    f"lot {draw} drawn by hand chose {chosen}, which is not one of the tied "
                    f"{', '.join(map(str, pool))}"
                )
            how = "room"
        else:
            pool = sorted(remaining, key=key)
            self.draws += 1
            draw = self.draws
            chosen = pool[lot_index(self.seed, draw, [self.position(c) for c in pool])]
            how = "lot"
        self.breaks.append(
            TieBreak(
                round=round_number,
                purpose=purpose,
                tied=sorted(tied, key=key),
                chosen=chosen,
                how=how,
                looked_back=looked,
                pool=pool,
                draw=draw,
                side="fewest" if lowest else "most",
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
        places: int | None = None,
    ) -> list[str]:
        """Sort ``candidates`` by ``key``, breaking equal keys with :meth:`choose`.

        ``places``: only the first ``places`` of the order decide anything (seats to
        fill): a tie decides only when it straddles that boundary. None: every tie."""
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
                decisive=places is None or len(out) < places < len(out) + len(tied),
            )
            out.append(pick)
            pending.remove(pick)
        return out
