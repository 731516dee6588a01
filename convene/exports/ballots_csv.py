"""Every ballot of a closed round as CSV: receipt, weight, the ballot in words.

Secret rounds carry receipt codes only, never names (the ballots hold none to begin with);
named rounds add a ``name`` column. Rows are in receipt order (random), never arrival order.
"""

from __future__ import annotations

import csv
import io

from convene.domain.rounds import Method, Round


def _in_words(round_: Round, content: dict) -> str:
    labels = {o.id: o.label for o in round_.options}
    method = Method(round_.method)
    if method.ranked:
        return " > ".join(labels.get(i, str(i)) for i in content["ranking"])
    if method is Method.APPROVAL:
        return "; ".join(labels.get(i, str(i)) for i in content["approve"])
    if method is Method.SCORE:
        return "; ".join(f"{labels.get(int(k), k)}: {v}" for k, v in content["scores"].items())
    return str(content["choice"])


def ballots_csv(round_: Round, ballots: list) -> str:
    """``ballots``: ``(receipt, content, weight, name)`` rows (name None in secret rounds)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    named = not round_.secret
    writer.writerow(["receipt", "weight", "ballot", *(["name"] if named else [])])
    for receipt, content, weight, name in ballots:
        row = [receipt, weight, _in_words(round_, content)]
        if named:
            row.append(name or "")
        writer.writerow(row)
    return buffer.getvalue()
