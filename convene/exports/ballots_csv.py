"""Every ballot of a closed round as CSV, in a shape `python -m convene tally` recounts.

``#key,value`` rows first (``#method``, ``#rule``, ``#seats``, ``#seed``, ``#title``,
``#candidates``: the options' labels in option order), then a header and one row per
ballot: ``receipt`` (never a candidate), ``weight``, then the ballot, in the columns of its
shape (convene/domain/methods/ballots.py): ranked rounds ``rank1``, ``rank2``... holding
labels in order of preference; approval and score rounds one column per option holding the
mark (approval 1 or 0) or the score; rounds on one proposal ``choice``. Named rounds add a
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
    shape = Method(round_.method).record.ballot
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
    options = [(o.id, o.label) for o in round_.options]
    values = [content[shape.key] for _, content, _, _ in ballots]
    columns = shape.csv_columns([label for _, label in options], values)
    writer.writerow(["receipt", "weight", *columns, *tail])
    for receipt, content, weight, name in ballots:
        cells = shape.csv_cells(content[shape.key], options, len(columns))
        writer.writerow([receipt, weight, *cells, *([name or ""] if named else [])])
    return buffer.getvalue()
