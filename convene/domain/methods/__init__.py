"""The voting methods Convene offers: one module each, defining its record ``METHOD``.

Pure Python. Every module of this package that defines ``METHOD`` (a
:class:`~convene.domain.methods.record.VotingMethod`) is a method; the others
(``record``, ``ballots``, ``proposals``) are what the methods are made of. Everything else
reads the records from here: the rounds (settings, ballots, counting), the tally engine's
:func:`~convene.domain.tally.count`, the API schema (the ``method`` enum and the ballot
fields of ``rounds.cast``), the minutes, the exports, the command line and the page scripts
(the ``methods`` block of the pages, static/js/methods.js). Adding a method is adding one
module here, with its tests: docs/adding-a-method.md.
"""

from __future__ import annotations

import enum
import importlib
import pkgutil
from collections.abc import Callable

from convene.domain.methods.ballots import BallotShape
from convene.domain.methods.record import VotingMethod

__all__ = [
    "RECORDS",
    "Method",
    "VotingMethod",
    "browser_records",
    "discover",
    "named",
    "names",
    "shapes",
]


def discover(package: str = __name__, path=__path__) -> tuple[VotingMethod, ...]:
    """The records of the modules of ``package`` (at ``path``), in their order."""
    found: dict[str, VotingMethod] = {}
    for module in pkgutil.iter_modules(path):
        record = getattr(importlib.import_module(f"{package}.{module.name}"), "METHOD", None)
        if record is None:
            continue
        if not isinstance(record, VotingMethod):
            raise TypeError(f"{module.name}.METHOD is not a VotingMethod")
        if record.name in found:
            raise ValueError(f"two voting methods are named {record.name!r}")
        found[record.name] = record
    records = tuple(sorted(found.values(), key=lambda r: (r.order, r.name)))
    if len({r.order for r in records}) != len(records):
        raise ValueError("two voting methods have the same order")
    return records


#: Every method, in their order.
RECORDS: tuple[VotingMethod, ...] = discover()
_BY_NAME = {record.name: record for record in RECORDS}


def names() -> tuple[str, ...]:
    return tuple(_BY_NAME)


def named(name: str) -> VotingMethod | None:
    """The record of the method called ``name``, or None."""
    return _BY_NAME.get(name) if isinstance(name, str) else None


def shapes() -> tuple[BallotShape, ...]:
    """The ballot fields, once each, in the order of the first method that has each."""
    seen: dict[str, BallotShape] = {}
    for record in RECORDS:
        seen.setdefault(record.ballot.key, record.ballot)
    return tuple(seen.values())


def browser_records(gettext: Callable[[str], str]) -> dict[str, dict]:
    """Every method as the page scripts read it (static/js/methods.js), in one language."""
    return {record.name: record.browser(gettext) for record in RECORDS}


class _MethodName(enum.StrEnum):
    """A method's name as a value of its own type (rounds store it, schemas check it)."""

    @property
    def record(self) -> VotingMethod:
        return _BY_NAME[self.value]

    @property
    def ranked(self) -> bool:
        return self.record.ballot.ranked

    @property
    def on_one_proposal(self) -> bool:
        """Decides one proposal (yes/no, consent, gradients) rather than choose options."""
        return self.record.ballot.proposal


#: ``Method.IRV``, ``Method("irv")``: one member per record, in their order.
Method = _MethodName(
    "Method", [(record.name.upper(), record.name) for record in RECORDS], module=__name__
)
