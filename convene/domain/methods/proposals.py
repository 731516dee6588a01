"""What the methods that decide one proposal share: reading their count in the minutes.

Pure Python. The minutes keep a round's count as a table (convene/domain/minutes.py); a
method's ``explain`` reads it back with :func:`tallied` to tell the count in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from convene.domain.tally.explain import value_of


def amount(value: object) -> int | Fraction:
    """A count as the minutes keep it ("12", "2396.13639", "7/3", a number), exactly; 0 for
    nothing or what is not a number."""
    try:
        return value_of(value) or 0
    except (ValueError, ZeroDivisionError):
        return 0


def share(value: str | None, default: str) -> tuple[str, bool]:
    """A threshold as written, and whether it is "more than half"."""
    written = (value or default).replace(" ", "")
    return written, written == "1/2"


@dataclass(frozen=True)
class Tallied:
    """A closed round of the minutes on one proposal: each choice's count, as kept."""

    counts: Mapping[str, object]
    quorate: bool
    passed: bool
    quorum: object

    def written(self, choice: object) -> object:
        """The count as kept (for writing it in the reader's numbers)."""
        return self.counts.get(str(choice), 0)

    def of(self, choice: object) -> int | Fraction:
        """The count as a number."""
        return amount(self.written(choice))


def tallied(r: Mapping) -> Tallied | None:
    """The counts of a minutes round (None before it is counted)."""
    rows = (r.get("table") or {}).get("rows") or []
    counts = {row["label"]: (row["cells"][0]["count"] if row["cells"] else 0) or 0 for row in rows}
    if not counts:
        return None
    return Tallied(
        counts=counts,
        quorate=r.get("quorum_met") is not False,
        passed=bool(r.get("passed")),
        quorum=r.get("quorum"),
    )
