"""What a voting method is: one record, read by every part of Convene that knows methods.

Pure Python. A :class:`VotingMethod` says what its ballot is (a :mod:`ballot shape
<convene.domain.methods.ballots>`: its field, its checking, storing and grouping, and the
form the phone renders), which round settings it takes, how it is counted, how its result
is put in words, how the screens show it and which files re-count it. Every module of this
package that defines ``METHOD`` is one method (docs/adding-a-method.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from convene.domain.methods.ballots import BallotShape

#: The ``rounds.method`` column is 12 characters (convene/store/tables.py).
NAME_MAX = 12

_NAME = re.compile(rf"[a-z][a-z0-9_]{{0,{NAME_MAX - 1}}}")

#: The settings a round may take besides its title, options, quorum and secrecy; each
#: method lists the ones it takes (convene/domain/rounds.py checks them, the console shows
#: their fields). ``quorum`` here means the console offers it: the domain stores it for
#: every method, and the methods that decide a proposal count with it.
SETTINGS = ("seats", "rule", "tie_break", "threshold", "stand_aside_limit", "quorum")

#: The files a closed round is exported as (convene/exports/recount.py): ``csv`` for every
#: method; ``blt`` and ``cvr`` for ranked ballots; ``summary``, RCTab's round-by-round JSON.
EXPORTS = ("csv", "blt", "cvr", "summary")

#: How the projector tells a count, round by round (static/js/tally-view.js, roundSentence):
#: ``transfers`` (who is elected or eliminated and where the votes go), ``pairwise`` (the
#: head-to-head winner), ``counts`` (each choice and its votes), ``decision`` (the outcome).
STORIES = ("transfers", "pairwise", "counts", "decision")


@dataclass(frozen=True, kw_only=True)
class VotingMethod:
    """One voting method. Labels are English, marked with ``N_()``: each reader translates."""

    #: the name stored, sent and written in files ("irv"); at most :data:`NAME_MAX`
    name: str
    #: where it stands in every list (the console's menu, the API's enum, error messages)
    order: int
    ballot: BallotShape
    #: the count: ``tally(ballots, candidates, **options) → Result``, ``options`` being
    #: every keyword argument of :func:`convene.domain.tally.count`; it takes the ones it
    #: reads and ignores the rest (``**_``)
    tally: Callable[..., Any]
    #: the minutes' and the command line's name ("Instant runoff (IRV)")
    title: str
    #: the screens' short name ("Instant runoff")
    label: str
    #: the console's choice in the list of methods ("Instant runoff: one winner from ...")
    menu: str
    #: what the phone says above the ballot ("" for ballots on one proposal: the proposal
    #: is the question)
    hint: str = ""
    #: of :data:`SETTINGS`
    settings: frozenset[str] = frozenset()
    #: the counting rules it offers (STV's); the first is the default
    rules: tuple[str, ...] = ()
    #: settings' defaults the screens state (the engine applies the same ones)
    defaults: Mapping[str, str] = field(default_factory=dict)
    #: ballots on one proposal: the rule the count applies, for the screens ({threshold}
    #: and {limit} are filled in the screen's language)
    rule_sentence: str = ""
    #: :func:`convene.domain.tally.count` options only this method takes (IRV's)
    engine_options: frozenset[str] = frozenset()
    #: it fills seats proportionally: the screens name the seats even when there is one
    proportional: bool = False
    #: ballots can run out of choices as the count goes on (the tables show "exhausted")
    exhausts: bool = False
    #: the line the projector's bars draw: ``"majority"`` (half the continuing votes),
    #: ``"quota"`` (the round's quota) or None
    win_line: str | None = None
    #: the bars measure shares of the ballots counted (else against the largest value)
    share_bars: bool = False
    #: of :data:`STORIES`
    story: str = "decision"
    #: of :data:`EXPORTS`
    exports: tuple[str, ...] = ("csv",)
    #: ``convene tally`` re-counts its files (the minutes print their hashes and commands)
    recount: bool = False
    #: the count in one sentence in the reader's language (the minutes), from a round of the
    #: minutes (convene/domain/minutes.py: its table, rules and result) and an Explainer
    #: (its gettext, ngettext, number and option labels); the methods on one proposal tell
    #: their count this way. None: the Explainer tells each round from the count's reasons
    explain: Callable[[Mapping, Any], str] | None = None

    def __post_init__(self) -> None:
        problems = []
        if not _NAME.fullmatch(self.name):
            problems.append(f"the name is 1 to {NAME_MAX} of a-z, 0-9 and _, from a letter")
        problems += [f"unknown setting {s!r}" for s in sorted(self.settings - set(SETTINGS))]
        problems += [f"unknown export {e!r}" for e in self.exports if e not in EXPORTS]
        if self.story not in STORIES:
            problems.append(f"unknown story {self.story!r}")
        if self.ballot.proposal and "tie_break" in self.settings:
            problems.append("a ballot on one proposal has no ties between options")
        if bool(self.rules) != ("rule" in self.settings):
            problems.append("rules go with the rule setting")
        if problems:
            raise ValueError(f"voting method {self.name!r}: {'; '.join(problems)}")

    def takes(self, setting: str) -> bool:
        return setting in self.settings

    def browser(self, gettext: Callable[[str], str]) -> dict:
        """What the page scripts know of it (static/js/methods.js), in one language."""
        return {
            "name": self.name,
            "label": gettext(self.label),
            "menu": gettext(self.menu),
            "hint": gettext(self.hint) if self.hint else "",
            "ballot": self.ballot.browser(gettext),
            "ranked": self.ballot.ranked,
            "proposal": self.ballot.proposal,
            "settings": sorted(self.settings),
            "defaults": dict(self.defaults),
            "rule_sentence": gettext(self.rule_sentence) if self.rule_sentence else "",
            "proportional": self.proportional,
            "exhausts": self.exhausts,
            "win_line": self.win_line,
            "share_bars": self.share_bars,
            "story": self.story,
            "exports": list(self.exports),
        }
