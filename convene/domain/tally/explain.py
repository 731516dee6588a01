"""Results in words: structured reasons rendered with option labels, through gettext.

The engine records *what happened* in each round as structured reasons (see
``docs/voting-methods.md``, "Reasons"); this module turns them into sentences for the
minutes, the CLI and anything else that prints a count. Every sentence is one gettext
message with named placeholders (``ngettext`` where a count decides the form), so a
translation can reorder it. Pure Python: callers pass the translation functions
(``gettext(message)`` and ``ngettext(singular, plural, n)``, the standard library's
convention, e.g. ``babel.support.Translations.gettext``) and a ``label`` function
from option id to label; both default to English and the ids themselves.

It reads the ``to_dict()`` form of a result (``{"exact": ...}`` numbers), stored or
fresh. Results counted before reasons existed carry none: :func:`round_reasons`
derives them from the round's figures (elected, eliminated, transfers, quota), so
old stored rounds read the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from convene.domain.tally.result import fmt


def _identity(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


def value_of(number: Any) -> int | Fraction:
    """A count from a result: ``{"exact": "2.5"}``, ``"7/3"``, an int or a Fraction."""
    if isinstance(number, Mapping):
        number = number.get("exact", 0)
    if number is None:
        return 0
    if isinstance(number, str):
        number = Fraction(number)
    if isinstance(number, Fraction) and number.denominator == 1:
        return number.numerator
    return number


def on_one_proposal(result: Mapping) -> bool:
    """The count decided one proposal (it says whether it passed), not between options:
    its sentences are its own (every count of a proposal has said so since the first)."""
    return result.get("passed") is not None


def plural_n(value: int | Fraction) -> int:
    """The ``n`` given to ngettext for a count: itself when whole, else 2 (a fraction is
    never singular in the languages Convene speaks)."""
    if isinstance(value, int):
        return value
    return value.numerator if value.denominator == 1 else 2


def round_reasons(result: Mapping, index: int) -> list[dict]:
    """The reasons of round ``index``: stored, or derived for results stored before them."""
    rnd = result["rounds"][index]
    if "reasons" in rnd:
        return rnd["reasons"]
    method = result.get("method")
    if on_one_proposal(result):
        return []
    tallies = rnd.get("tallies") or {}
    if method == "schulze":
        winner = (result.get("winners") or [None])[0]
        if winner is None:
            return []
        winner = str(winner)
        lot = any(
            t.get("how") == "lot" and str(t.get("chosen")) == winner
            for t in result.get("tie_breaks") or []
        )
        details = result.get("details") or {}
        how = "lot" if lot else "condorcet" if details.get("condorcet_winner") else "paths"
        return [
            {"kind": "schulze", "how": how, "options": [winner], "ranking": result.get("ranking")}
        ]
    if method in ("approval", "score"):
        return [
            {
                "kind": "totals",
                "unit": "approval" if method == "approval" else "point",
                "options": list(result.get("ranking") or tallies),
                "elected": [str(w) for w in result.get("winners") or []],
                "ballots": result.get("total"),
                "seats": result.get("seats", 1),
            }
        ]
    reasons: list[dict] = []
    elected = [str(c) for c in rnd.get("elected") or []]
    eliminated = [str(c) for c in rnd.get("eliminated") or []]
    transfers = rnd.get("transfers") or []
    if method == "irv":
        for c in elected:
            votes = tallies.get(c)
            if len(tallies) == 1:
                reasons.append(
                    {
                        "kind": "elected_last",
                        "options": [c],
                        "votes": votes,
                        "exhausted": rnd.get("exhausted"),
                    }
                )
            else:
                live = sum(value_of(v) for v in tallies.values())
                reasons.append(
                    {"kind": "elected_majority", "options": [c], "votes": votes, "continuing": live}
                )
        for c in eliminated:
            reasons.append({"kind": "eliminated", "options": [c], "votes": tallies.get(c)})
        return reasons
    quota = rnd.get("quota")
    q = value_of(quota) if quota is not None else None
    reached = [c for c in elected if q is not None and value_of(tallies.get(c)) >= q]
    rest = [c for c in elected if c not in reached]
    if reached:
        reasons.append({"kind": "elected_quota", "options": reached, "quota": quota})
    if rest:
        reasons.append({"kind": "elected_remaining", "options": rest})
    source = str(transfers[0]["from"]) if transfers else None
    if eliminated:
        for c in eliminated:
            reasons.append({"kind": "excluded", "options": [c], "votes": tallies.get(c)})
    elif source is not None and q is not None and method == "stv":
        surplus = value_of(tallies.get(source)) - q
        reasons.append({"kind": "surplus", "options": [source], "votes": surplus})
    return reasons


class Explainer:
    """Renders reasons, ties and outcomes for one reader (language and labels)."""

    def __init__(
        self,
        label: Callable[[str], str] | Mapping[str, str] | None = None,
        gettext: Callable[[str], str] | None = None,
        ngettext: Callable[[str, str, int], str] | None = None,
        number: Callable[[int | Fraction], str] = fmt,
    ) -> None:
        if isinstance(label, Mapping):
            labels = {str(k): v for k, v in label.items()}
            self.label: Callable[[str], str] = lambda c: labels.get(str(c), str(c))
        else:
            self.label = label or (lambda c: str(c))
        self.gettext = gettext or _identity
        self.ngettext = ngettext or _english_plural
        self.number = number

    # -- pieces --------------------------------------------------------------------------------

    def names(self, ids: Sequence[str]) -> str:
        _ = self.gettext
        labels = [self.label(str(i)) for i in ids]
        if not labels:
            return ""
        if len(labels) == 1:
            return labels[0]
        return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}

    def votes(self, value: Any) -> str:
        ngettext = self.ngettext
        v = value_of(value)
        return ngettext("%(num)s vote", "%(num)s votes", plural_n(v)) % {"num": self.number(v)}

    def _unit(self, value: Any, unit: str) -> str:
        ngettext = self.ngettext
        v = value_of(value)
        n, num = plural_n(v), self.number(v)
        if unit == "approval":
            return ngettext("%(num)s approval", "%(num)s approvals", n) % {"num": num}
        if unit == "point":
            return ngettext("%(num)s point", "%(num)s points", n) % {"num": num}
        if unit == "continuing":
            return ngettext("%(num)s continuing vote", "%(num)s continuing votes", n) % {"num": num}
        return self.votes(v)

    def _moves(self, transfers: Sequence[Mapping], *, surplus_style: bool) -> list[str]:
        """The transfers of a round, at most four parts (three and "the rest")."""
        _ = self.gettext
        ngettext = self.ngettext
        limit = 3 if surplus_style else 4
        shown = transfers if len(transfers) <= limit else transfers[:3]
        parts = []
        for t in shown:
            v = value_of(t.get("votes"))
            votes = self.number(v)
            n = plural_n(v)
            if t.get("to") is None:
                parts.append(
                    ngettext("%(num)s vote exhausts", "%(num)s votes exhaust", n) % {"num": votes}
                )
            elif surplus_style:
                parts.append(
                    ngettext("%(num)s vote to %(name)s", "%(num)s votes to %(name)s", n)
                    % {"num": votes, "name": self.label(str(t["to"]))}
                )
            else:
                parts.append(
                    ngettext(
                        "%(num)s vote transfers to %(name)s",
                        "%(num)s votes transfer to %(name)s",
                        n,
                    )
                    % {"num": votes, "name": self.label(str(t["to"]))}
                )
        if len(transfers) > limit:
            more = len(transfers) - 3
            if surplus_style:
                parts.append(
                    ngettext("the rest to %(num)d more", "the rest to %(num)d more", more)
                    % {"num": more}
                )
            else:
                parts.append(
                    ngettext("the rest go to %(num)d more", "the rest go to %(num)d more", more)
                    % {"num": more}
                )
        return parts

    # -- one reason ----------------------------------------------------------------------------

    def reason(self, reason: Mapping, rnd: Mapping | None = None) -> str:
        """One reason as a clause (no final full stop)."""
        _ = self.gettext
        ngettext = self.ngettext
        kind = reason.get("kind")
        options = [str(o) for o in reason.get("options") or []]
        name = self.names(options)
        transfers = (rnd or {}).get("transfers") or []
        if kind == "elected_majority":
            return _("%(name)s is elected with %(votes)s of %(continuing)s, a majority") % {
                "name": name,
                "votes": self.votes(reason.get("votes")),
                "continuing": self._unit(reason.get("continuing"), "continuing"),
            }
        if kind == "elected_last":
            return _(
                "%(name)s is elected as the last candidate standing, with %(votes)s "
                "(%(exhausted)s exhausted)"
            ) % {
                "name": name,
                "votes": self.votes(reason.get("votes")),
                "exhausted": self.votes(reason.get("exhausted")),
            }
        if kind == "eliminated":
            head = _("%(name)s is eliminated with %(votes)s") % {
                "name": name,
                "votes": self.votes(reason.get("votes")),
            }
            moves = self._moves(transfers, surplus_style=False)
            if not moves:
                return head
            return _("%(what)s; %(moves)s") % {"what": head, "moves": ", ".join(moves)}
        if kind == "batch_eliminated":
            head = _(
                "%(names)s are eliminated together, with %(votes)s between them, fewer than "
                "any other candidate has"
            ) % {"names": name, "votes": self.votes(reason.get("votes"))}
            together: dict = {}  # the moves of all of them, by where they went
            for t in transfers:
                together[t.get("to")] = together.get(t.get("to"), 0) + value_of(t.get("votes"))
            combined = sorted(
                ({"to": to, "votes": str(v)} for to, v in together.items() if to is not None),
                key=lambda t: -Fraction(t["votes"]),
            )
            if together.get(None):
                combined.append({"to": None, "votes": str(together[None])})
            moves = self._moves(combined, surplus_style=False)
            if not moves:
                return head
            return _("%(what)s; %(moves)s") % {"what": head, "moves": ", ".join(moves)}
        if kind == "elected_quota":
            return ngettext(
                "%(names)s is elected, reaching the quota of %(quota)s",
                "%(names)s are elected, reaching the quota of %(quota)s",
                len(options),
            ) % {"names": name, "quota": self.votes(reason.get("quota"))}
        if kind == "elected_remaining":
            return ngettext(
                "%(names)s is elected as the continuing candidates fill the remaining seats",
                "%(names)s are elected as the continuing candidates fill the remaining seats",
                len(options),
            ) % {"names": name}
        if kind in ("surplus", "excluded"):
            if kind == "surplus":
                head = _("%(name)s's surplus of %(votes)s is transferred") % {
                    "name": name,
                    "votes": self.votes(reason.get("votes")),
                }
            else:
                head = _("%(name)s is excluded with %(votes)s") % {
                    "name": name,
                    "votes": self.votes(reason.get("votes")),
                }
            moves = self._moves(transfers, surplus_style=True)
            if not moves:
                return head
            return _("%(what)s: %(moves)s") % {"what": head, "moves": ", ".join(moves)}
        if kind == "elected_list":
            if not options:
                return _("No one was elected")
            return _("Elected: %(names)s") % {"names": name}
        if kind == "schulze":
            how = reason.get("how")
            if how == "lot":
                text = _(
                    "%(name)s wins after a tie among unbeaten candidates was broken by lot."
                ) % {"name": name}
            elif how == "condorcet":
                text = _(
                    "%(name)s beats every other candidate head to head (a Condorcet winner)."
                ) % {"name": name}
            else:
                text = _(
                    "%(name)s wins: there is no Condorcet winner, but no candidate has a "
                    "stronger path to %(name)s than %(name)s has back."
                ) % {"name": name}
            ranking = [self.label(str(c)) for c in reason.get("ranking") or []]
            if ranking:
                text += " " + _("Ranking: %(ranking)s") % {"ranking": " > ".join(ranking)}
            return text
        if kind == "totals":
            unit = reason.get("unit", "approval")
            tallies = (rnd or {}).get("tallies") or {}
            listed = ", ".join(
                _("%(name)s %(count)s")
                % {"name": self.label(c), "count": self._unit(tallies.get(c), unit)}
                for c in options
            )
            elected = [str(c) for c in reason.get("elected") or []]
            text = (
                listed
                + ". "
                + _("Elected: %(names)s") % {"names": ", ".join(map(self.label, elected))}
            )
            if reason.get("seats", 1) == 1 and elected:
                ballots = value_of(reason.get("ballots"))
                first = ngettext(
                    "%(name)s wins with %(count)s from %(num)s ballot.",
                    "%(name)s wins with %(count)s from %(num)s ballots.",
                    plural_n(ballots),
                ) % {
                    "name": self.label(elected[0]),
                    "count": self._unit(tallies.get(elected[0]), unit),
                    "num": self.number(ballots),
                }
                text = first + " " + text
            return text
        return ""

    # -- rounds, ties, outcomes ----------------------------------------------------------------

    def round(self, result: Mapping, index: int) -> str:
        """Round ``index`` (0-based) of ``result`` in one or more sentences."""
        rnd = result["rounds"][index]
        if on_one_proposal(result):
            return rnd.get("explanation") or result.get("explanation") or ""
        reasons = round_reasons(result, index)
        clauses = [c for c in (self.reason(r, rnd) for r in reasons) if c]
        if not clauses:
            return self.gettext("Nobody is elected or excluded in this round.")
        text = "; ".join(clauses)
        return text if text.endswith(".") else text + "."

    def rounds(self, result: Mapping) -> list[str]:
        return [self.round(result, i) for i in range(len(result.get("rounds") or []))]

    def outcome(self, result: Mapping) -> str:
        """The whole result in one sentence."""
        method = result.get("method")
        if on_one_proposal(result):
            return result.get("explanation") or ""
        reasons = result.get("reasons")
        if reasons is None:  # stored before reasons: from the winners
            if method == "stv":
                reasons = [{"kind": "elected_list", "options": result.get("winners") or []}]
            elif result.get("rounds"):
                return self.round(result, len(result["rounds"]) - 1)
            else:
                return ""
        rnd = result["rounds"][-1] if result.get("rounds") else None
        clauses = [c for c in (self.reason(r, rnd) for r in reasons) if c]
        text = "; ".join(clauses)
        return text if not text or text.endswith(".") else text + "."

    def tie(self, tie: Mapping) -> str:
        """How one tie was broken, naming the options."""
        _ = self.gettext
        tied = self.names([str(c) for c in tie.get("tied") or []])
        chosen = self.label(str(tie.get("chosen")))
        side = tie.get("side") or ("fewest" if tie.get("purpose") == "exclude" else "most")
        if tie.get("how") == "lookback":
            looked = tie.get("looked_back") or []
            params = {"tied": tied, "name": chosen, "round": looked[-1] if looked else 0}
            if not looked:
                if side == "fewest":
                    return (
                        _("%(tied)s were tied; %(name)s had the fewest votes in an earlier round.")
                        % params
                    )
                return (
                    _("%(tied)s were tied; %(name)s had the most votes in an earlier round.")
                    % params
                )
            if side == "fewest":
                return (
                    _(
                        "%(tied)s were tied; %(name)s had the fewest votes in round %(round)d, the "
                        "most recent earlier round where they differed."
                    )
                    % params
                )
            return (
                _(
                    "%(tied)s were tied; %(name)s had the most votes in round %(round)d, the most "
                    "recent earlier round where they differed."
                )
                % params
            )
        if tie.get("how") in ("room", "facilitator"):
            return _("%(tied)s were tied; %(name)s was chosen by a lot drawn in the room.") % {
                "tied": tied,
                "name": chosen,
            }
        if tie.get("how") == "order":
            return _("%(tied)s were tied; %(name)s was chosen by the published order.") % {
                "tied": tied,
                "name": chosen,
            }
        pool = [str(c) for c in tie.get("pool") or []]
        params = {"tied": tied, "name": chosen, "pool": self.names(pool)}
        if pool and set(pool) != {str(c) for c in tie.get("tied") or []}:
            return (
                _("%(tied)s were tied; looking back left %(pool)s; %(name)s was chosen by lot.")
                % params
            )
        return _("%(tied)s were tied; %(name)s was chosen by lot.") % params
