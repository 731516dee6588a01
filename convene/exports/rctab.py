"""A round's count as the round-by-round summary JSON that RCTab writes.

RCTab (the Universal RCV Tabulator, used for US public elections) writes a
``summary.json`` per contest: ``config`` (contest, date, jurisdiction, office,
generatedBy), ``results`` (per round: ``round``, ``tally`` candidate → votes,
``tallyResults`` listing who was elected or eliminated with the votes each passed on (its
own: the round's transfers grouped by the option they come from; an option elected earlier
whose votes move in a later round is listed again there as elected, see schemas/README),
``threshold``) and ``summary`` (``finalThreshold``, ``numCandidates``, ``numWinners``,
``totalNumBallots``, ``undervotes``). Votes are decimal strings, exact as the meeting
counted them. Candidates are the options' labels. Written from the stored result, so it is
the meeting's own count, not a recount. The shape is checked against two schemas in
``convene/exports/schemas/`` (its README): ``rctab-summary.schema.json``, written for Convene
from RCTab's published output (RCTab publishes no schema file) and requiring every field
below; and ``universaltabulator.schema.json``, the Universal RCV Tabulator schema published
with rcvformats (the library RCVis reads these files with), vendored unchanged. That one
allows no field it does not name, and names fewer than RCTab writes today: the summary is
checked against it with exactly the fields of ``BEYOND_UNIVERSAL_TABULATOR_SCHEMA`` removed.

``config.tiebreakMode`` names how the round broke ties, with the value RCTab's contest
configuration gives its ``tiebreakMode`` rule (RCTab's own summary leaves the rule out; the
auditor who re-runs the count needs it). Convene looks back at earlier rounds first in every
mode, so the seeded lot is ``previousRoundCountsThenRandom`` and a lot drawn in the room
``previousRoundCountsThenAsk``; RCTab has no "look back, then the candidate order", so the
options' order is ``useCandidateOrder``, its nearest mode (docs/voting-methods.md, "Ties").
The seeded lot itself is Convene's (SHA-256 of the seed), not RCTab's random generator: its
seed is in the BLT, CSV and CDF exports, which ``convene tally`` re-counts.
"""

from __future__ import annotations

import json
from fractions import Fraction

from convene.domain.rounds import Round
from convene.domain.tally.result import exact_str

GENERATOR = "Convene"

#: The fields of the summary that the Universal RCV Tabulator schema of rcvformats 0.0.46
#: (``schemas/universaltabulator.schema.json``, ``additionalProperties: false``) does not
#: name, as paths (``"*"``: every item of a list). Each is one RCTab writes in its own
#: summary.json, except ``config.tiebreakMode``, which is Convene's. The tests validate the
#: summary against that schema with these removed and no other field, so a field added to
#: the summary must be listed (with its reason) here and in the schemas' README.
BEYOND_UNIVERSAL_TABULATOR_SCHEMA: tuple[tuple[str, ...], ...] = (
    ("config", "generatedBy"),  # RCTab's: "RCTab" and its version; ours: "Convene"
    ("config", "tiebreakMode"),  # Convene's: the tie rule, with RCTab's names (below)
    ("results", "*", "threshold"),  # RCTab's: the round's threshold
    ("results", "*", "inactiveBallots"),  # RCTab's: exhausted (and RCTab's other causes)
    ("summary",),  # RCTab's: finalThreshold, numCandidates, numWinners, totals
)
#: a round's tie-break (Round.tie_break) as RCTab's ``tiebreakMode`` names it
TIEBREAK_MODES = {
    "lot": "previousRoundCountsThenRandom",
    "order": "useCandidateOrder",
    "room": "previousRoundCountsThenAsk",
}


def _exact(number: dict | None) -> str:
    if not number:
        return "0"
    return str(number.get("exact", "0"))


def _value(number: dict | None) -> Fraction:
    return Fraction(_exact(number))


def _transfers_by_source(transfers: list[dict], name) -> dict[str, dict[str, str]]:
    """A round's transfers grouped by the option they come from (its id as text): for each,
    the votes it passes to each option by label, and to ``exhausted``."""
    by_source: dict[str, dict[str, str]] = {}
    for t in transfers:
        own = by_source.setdefault(str(t.get("from")), {})
        to = "exhausted" if t.get("to") is None else name(t["to"])
        votes = _exact(t.get("votes"))
        own[to] = exact_str(Fraction(own[to]) + Fraction(votes)) if to in own else votes
    return by_source


def summary_data(round_: Round) -> dict:
    result = round_.result or {}
    labels = {str(o.id): o.label for o in round_.options}

    def name(key) -> str:
        return labels.get(str(key), str(key))

    results = []
    stored = result.get("rounds") or []
    elected_before: set[str] = set()
    for number, rnd in enumerate(stored):
        tallies = rnd.get("tallies") or {}
        following = (stored[number + 1].get("tallies") or {}) if number + 1 < len(stored) else {}
        if rnd.get("quota") is not None:
            threshold = _exact(rnd.get("quota"))
        else:  # IRV: more than half of the continuing votes
            live = sum((_value(v) for v in tallies.values()), Fraction(0))
            threshold = exact_str(live // 2 + 1)
        moved = _transfers_by_source(rnd.get("transfers") or [], name)
        eliminated = [str(c) for c in rnd.get("eliminated") or []]
        elected = [str(c) for c in rnd.get("elected") or []]
        tally_results = [{"elected": name(c), "transfers": moved.get(c, {})} for c in elected]
        tally_results += [
            {"eliminated": name(c), "transfers": moved.get(c, {})} for c in eliminated
        ]
        # Votes of an option elected in an earlier round that move in this one: a surplus
        # passed on a round after its election (Scottish STV, one surplus a round), or a
        # Meek keep value lowered (the option's votes fall in the next round's tally). The
        # format gives a round's transfers to the options listed in its tallyResults only:
        # the option is listed again as elected, with the transfers of its own.
        again = [c for c in moved if c in elected_before]
        again += [
            c
            for c in tallies
            if c in elected_before
            and c not in moved
            and c in following
            and _value(following[c]) < _value(tallies[c])
        ]
        tally_results += [{"elected": name(c), "transfers": moved.get(c, {})} for c in again]
        elected_before.update(elected)
        results.append(
            {
                "round": rnd["number"],
                "tally": {name(k): _exact(v) for k, v in tallies.items()},
                "tallyResults": tally_results,
                "threshold": threshold,
                "inactiveBallots": {"exhaustedChoices": _exact(rnd.get("exhausted"))},
            }
        )
    final = results[-1]["threshold"] if results else "0"
    return {
        "config": {
            "contest": round_.title,
            "date": (round_.closed_at.date().isoformat() if round_.closed_at else ""),
            "jurisdiction": "",
            "office": "",
            "generatedBy": GENERATOR,
            "tiebreakMode": TIEBREAK_MODES[round_.tie_break or "lot"],
        },
        "results": results,
        "summary": {
            "finalThreshold": final,
            "numCandidates": len(round_.options),
            "numWinners": round_.seats,
            "totalNumBallots": _exact(result.get("total")),
            "undervotes": 0,
        },
    }


def rctab_summary(round_: Round) -> str:
    return json.dumps(summary_data(round_), indent=2, ensure_ascii=False) + "\n"
