"""The files a doubter re-counts a round from, with their names, hashes and commands.

For a closed round, the files its method's record lists (convene/domain/methods): the
ballots as CSV (every method), as BLT (ranked methods), the RCTab-shaped round-by-round
summary (IRV, STV) and the NIST SP 1500-103 cast-vote records (ranked methods). The minutes
print each file's SHA-256 beside the round, with the exact command that re-counts it
(``python -m convene tally FILE``); the API serves the very same bytes, so ``sha256sum`` on
the download matches the minutes.
"""

from __future__ import annotations

import hashlib

from convene.domain.rounds import Method, Round
from convene.exports.ballots_blt import ballots_blt
from convene.exports.ballots_csv import ballots_csv
from convene.exports.cdf import cast_vote_records
from convene.exports.rctab import rctab_summary


def file_names(round_id: int) -> dict[str, str]:
    return {
        "csv": f"round-{round_id}-ballots.csv",
        "blt": f"round-{round_id}.blt",
        "summary": f"round-{round_id}-summary.json",
        "cvr": f"round-{round_id}-cvr.json",
    }


def ranked_profile(round_: Round, ballots: list) -> dict:
    profile: dict = {}
    for _, content, weight, _ in ballots:
        key = tuple(str(i) for i in content["ranking"])
        profile[key] = profile.get(key, 0) + weight
    return profile


def round_files(round_: Round, ballots: list) -> dict[str, str]:
    """``kind → text`` of every export of a closed round (``ballots`` as in the CSV)."""
    exports = Method(round_.method).record.exports
    files = {"csv": ballots_csv(round_, ballots)}
    if "blt" in exports:
        files["blt"] = ballots_blt(round_, ranked_profile(round_, ballots))
    if "cvr" in exports:
        files["cvr"] = cast_vote_records(round_, ballots)
    if "summary" in exports and round_.result:
        files["summary"] = rctab_summary(round_)
    return files


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def listing(round_: Round, ballots: list) -> list[dict]:
    """For the minutes: ``{kind, file, sha256, command}`` per export (command for the ones
    ``convene tally`` re-counts by itself)."""
    if not Method(round_.method).record.recount or not round_.result:
        return []
    names = file_names(round_.id)
    out = []
    for kind, text in round_files(round_, ballots).items():
        command = (
            f"python -m convene tally {names[kind]}" if kind in ("csv", "blt", "cvr") else None
        )
        out.append({"kind": kind, "file": names[kind], "sha256": sha256(text), "command": command})
    return out
