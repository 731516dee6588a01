"""Shared helpers for the tally tests: where the published elections live, and loading them."""

from __future__ import annotations

import gzip
from pathlib import Path

from convene.domain.tally.ballotfile import BallotFile, parse

ELECTIONS = Path(__file__).resolve().parents[2] / "data" / "elections"


def election_path(folder: str, name: str) -> Path:
    path = ELECTIONS / folder / name
    if path.exists():
        return path
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        return gz
    raise FileNotFoundError(path)


def load(folder: str, name: str = "ballots.blt") -> BallotFile:
    path = election_path(folder, name)
    if path.suffix == ".gz":
        text = gzip.decompress(path.read_bytes()).decode("utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    return parse(text)
