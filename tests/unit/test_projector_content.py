"""The projector's test content (tests/data/projector_content.json) is as long as it says:
the STV ballots count in thirty rounds whatever the lot decides, the demand is over 2,000
characters. tests/e2e/test_projector_fit.py relies on both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convene.domain.tally import count

CONTENT = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "projector_content.json").read_text()
)


@pytest.mark.parametrize("seed", range(12))
def test_the_stv_ballots_count_in_thirty_rounds(seed):
    candidates = [str(100 + n) for n in range(len(CONTENT["candidates"]))]
    ballots = [[candidates[i] for i in picks] for picks in CONTENT["stv_ballots"]]
    assert len(ballots) == 40  # one for each person of the e2e meeting
    result = count("stv", ballots, candidates, seats=7, seed=seed)
    assert len(result.rounds) == 30
    assert len(result.winners) == 7


def test_the_demand_is_long():
    body = CONTENT["demand"]["body"]
    assert len(body) > 2000
    assert max(len(p) for p in body.split("\n\n")) > 800
