"""Every ballot of a closed round as CSV, in a shape `python -m convene tally` recounts.

``#key,value`` rows first (``#method``, ``#rule``, ``#seats``, ``#seed``, ``#title``,
``#candidates``: the options' labels in option order), then a header and one row per
ballot: ``receipt`` (never a candidate), ``weight``, then the ballot: ranked rounds
``rank1``, ``rank2``... holding labels in order of preference; approval and score rounds
one column per option holding the mark (approval 1 or 0) or the score. Named rounds add a
``name`` column last. Rows are in receipt order (random), never arrival order. Secret
rounds carry receipt codes only, never names (the ballots hold none to begin with).
"""

from __future__ import annotations

import csv
import io

from convene.domain.rounds import Method, Round
from convene.exports.ballots_blt import count_settings


def ballots_csv(round_: Round, ballots: list) -> str:
    """``ballots``: ``(receipt, content, weight, name)`` rows (name None in secret rounds)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    method = Method(round_.method)
    labels = {str(o.id): o.label for o in round_.options}
    settings = count_settings(round_)
    for key in ("version", "method", "rule"):
        if key in settings:
            writer.writerow([f"#{key}", settings[key]])
    writer.writerow(["#seats", round_.seats])
    writer.writerow(["#seed", settings["seed"]])
    writer.writerow(["#title", round_.title])
    writer.writerow(["#candidates", *(o.label for o in round_.options)])
    if "tie_break" in settings:  # how ties looking back cannot break were broken
        writer.writerow(["#tie_break", settings["tie_break"]])
        for key in ("tie_order", "lots"):
            if key in settings:
                writer.writerow([f"#{key}", *settings[key]])
    named = not round_.secret
    tail = ["name"] if named else []
    if method.ranked:
        width = max((len(c["ranking"]) for _, c, _, _ in ballots), default=1)
        writer.writerow(["receipt", "weight", *(f"rank{i}" for i in range(1, width + 1)), *tail])
    elif method in (Method.APPROVAL, Method.SCORE):
        writer.writerow(["receipt", "weight", *(o.label for o in round_.options), *tail])
    else:
        writer.writerow(["receipt", "weight", "choice", *tail])
    for receipt, content, weight, name in ballots:
        if method.ranked:
            ranking = [labels.get(str(i), str(i)) for i in content["ranking"]]
            cells = ranking + [""] * (width - len(ranking))
        elif method is Method.APPROVAL:
            approved = {str(i) for i in content["approve"]}
            cells = [1 if str(o.id) in approved else 0 for o in round_.options]
        elif method is Method.SCORE:
            scores = {str(k): v for k, v in content["scores"].items()}
            cells = [scores.get(str(o.id), 0) for o in round_.options]
        else:
            cells = [content["choice"]]
        writer.writerow([receipt, weight, *cells, *([name or ""] if named else [])])
    return buffer.getvalue()
