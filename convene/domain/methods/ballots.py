"""Ballot shapes: what one kind of ballot holds, and how it is checked, stored and grouped.

Pure Python. A ballot is a JSON object with one field, the shape's :attr:`~BallotShape.key`
(``{"ranking": [12, 10]}``). Its shape turns what a phone sent into the canonical value
that is stored (:meth:`~BallotShape.check`, raising InvalidInput), gives the longest value
a round's ballot can store (secret ballots are sealed padded to it), the key the tally
engine groups a stored value by (ballots with the same content are counted once), the
value with its option ids replaced (imports), its cells in the ballots' CSV, and what the
phone's ballot form needs (:meth:`~BallotShape.browser`). Several methods share a shape
(IRV, STV and Schulze rank); a method with a new kind of ballot brings a new shape.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from convene.domain.errors import N_, InvalidInput
from convene.domain.ids import is_id_list
from convene.domain.tally.scored import MAX_SCORE

#: How a shape's field is declared in the API schema (convene/services/schemas.py):
#: ``ids`` a list of option ids, ``marks`` an object of whole numbers by option id,
#: ``choice`` text or a whole number.
WIRES = ("ids", "marks", "choice")


def _compact(value: object) -> int:
    return len(json.dumps(value, sort_keys=True, separators=(",", ":")))


def option_list(value: object, key: str, option_ids: Sequence[int]) -> list[int]:
    """A list of this round's option ids, each at most once."""
    if not is_id_list(value):
        raise InvalidInput(N_("%(field)s must be a list of option ids."), field=key)
    valid = set(option_ids)
    unknown = [v for v in value if v not in valid]
    if unknown:
        raise InvalidInput(N_("Option %(id)s is not in this round."), field=key, id=unknown[0])
    if len(set(value)) != len(value):
        raise InvalidInput(N_("An option appears twice in the ballot."), field=key)
    return value


class BallotShape:
    """One kind of ballot. Subclasses set the class attributes and the methods."""

    #: the ballot's one field
    key: str
    #: the form the phone renders (static/js/ballot-forms.js): ranking, approval, score, choice
    form: str
    #: of :data:`WIRES`
    wire: str
    #: the options are ranked in order of preference
    ranked: bool = False
    #: the ballot decides one proposal (choices), not between options: the round has one
    #: option, the proposal, and the count needs no list of candidates
    proposal: bool = False

    def check(self, value: object, option_ids: Sequence[int]) -> object:
        """The canonical value to store, or InvalidInput naming what is wrong."""
        raise NotImplementedError

    def longest(self, option_ids: Sequence[int]) -> object:
        """The value whose stored form (compact JSON) is the longest a round can hold."""
        raise NotImplementedError

    def group(self, value: object) -> object:
        """The hashable key the tally engine groups a stored value by."""
        raise NotImplementedError

    def remap(self, value: object, ids: Mapping[int, int]) -> object:
        """The stored value with its option ids replaced (``ids``: old → new)."""
        return value

    def csv_columns(self, labels: Sequence[str], values: Sequence[object]) -> list[str]:
        """The CSV's ballot columns for a round with these option labels and ballots."""
        raise NotImplementedError

    def csv_cells(self, value: object, options: Sequence[tuple[int, str]], width: int) -> list:
        """One ballot's cells (``options``: (id, label) in option order)."""
        raise NotImplementedError

    def browser(self, gettext: Callable[[str], str]) -> dict:
        """What the phone's form needs besides the round's options."""
        return {"form": self.form, "key": self.key}


class _OptionList(BallotShape):
    wire = "ids"

    def longest(self, option_ids):
        return list(option_ids)


class Ranking(_OptionList):
    """Options in order of preference: ``{"ranking": [12, 10, 11]}``; at least one."""

    key = "ranking"
    form = "ranking"
    ranked = True

    def check(self, value, option_ids):
        ranking = option_list(value, self.key, option_ids)
        if not ranking:
            raise InvalidInput(N_("Rank at least one option."), field="ranking")
        return ranking

    def group(self, value):
        return tuple(str(i) for i in value)

    def remap(self, value, ids):
        return [ids[i] for i in value]

    def csv_columns(self, labels, values):
        width = max((len(v) for v in values), default=1)
        return [f"rank{i}" for i in range(1, width + 1)]

    def csv_cells(self, value, options, width):
        names = dict(options)
        ranking = [names.get(i, str(i)) for i in value]
        return ranking + [""] * (width - len(ranking))


class Approval(_OptionList):
    """The options approved, in any order (stored sorted): ``{"approve": [10, 12]}``;
    none is an abstention."""

    key = "approve"
    form = "approval"

    def check(self, value, option_ids):
        return sorted(option_list(value, self.key, option_ids))

    def group(self, value):
        return frozenset(str(i) for i in value)

    def remap(self, value, ids):
        return sorted(ids[i] for i in value)

    def csv_columns(self, labels, values):
        return list(labels)

    def csv_cells(self, value, options, width):
        approved = set(value)
        return [1 if i in approved else 0 for i, _ in options]


class Scores(BallotShape):
    """A whole number from 0 to ``top`` for each option, by option id as text:
    ``{"scores": {"10": 5, "11": 0}}``; an option left out scores 0, and is stored so."""

    key = "scores"
    form = "score"
    wire = "marks"

    def __init__(self, top: int = MAX_SCORE) -> None:
        self.top = top

    def check(self, value, option_ids):
        if not isinstance(value, Mapping):
            raise InvalidInput(N_("scores must map option ids to scores."), field="scores")
        valid = {str(i) for i in option_ids}
        scores = {}
        for key, score in value.items():
            if str(key) not in valid:
                raise InvalidInput(
                    N_("Option %(id)s is not in this round."), field="scores", id=str(key)[:20]
                )
            if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= self.top:
                raise InvalidInput(
                    N_("A score is a whole number from 0 to %(max)d."),
                    field="scores",
                    max=self.top,
                )
            scores[str(key)] = score
        return {str(i): scores.get(str(i), 0) for i in option_ids}

    def longest(self, option_ids):
        return {str(i): self.top for i in option_ids}

    def group(self, value):
        return tuple(sorted(value.items()))

    def remap(self, value, ids):
        return {str(ids[int(k)]): v for k, v in value.items()}

    def csv_columns(self, labels, values):
        return list(labels)

    def csv_cells(self, value, options, width):
        scores = {str(k): v for k, v in value.items()}
        return [scores.get(str(i), 0) for i, _ in options]

    def browser(self, gettext):
        return {**super().browser(gettext), "max": self.top}


@dataclass(frozen=True)
class Choice:
    """One choice of a ballot on one proposal."""

    value: str | int
    #: its name on the ballot and in the tables ("1 · Wholehearted endorsement")
    label: str
    #: its name beside a count and in the minutes' tables when shorter than the label
    #: ("1"); None: the label
    short: str | None = None
    #: what choosing it means, under its name on the ballot
    hint: str = ""


class Choices(BallotShape):
    """One of a few choices on one proposal: ``{"choice": "yes"}``, ``{"choice": 3}``."""

    key = "choice"
    form = "choice"
    wire = "choice"
    proposal = True

    def __init__(self, *choices: Choice) -> None:
        self.choices = choices
        self.values = tuple(c.value for c in choices)

    def check(self, value, option_ids):
        if value not in self.values or isinstance(value, bool):
            shown = ", ".join(str(a) for a in self.values)
            raise InvalidInput(
                N_("This round's choices are: %(choices)s."), field="choice", choices=shown
            )
        return value

    def longest(self, option_ids):
        return max(self.values, key=_compact)

    def group(self, value):
        return value

    def csv_columns(self, labels, values):
        return ["choice"]

    def csv_cells(self, value, options, width):
        return [value]

    def browser(self, gettext):
        return {
            **super().browser(gettext),
            "choices": [
                {
                    "value": c.value,
                    "label": gettext(c.label),
                    "short": gettext(c.short or c.label),
                    "hint": gettext(c.hint) if c.hint else "",
                }
                for c in self.choices
            ],
        }
