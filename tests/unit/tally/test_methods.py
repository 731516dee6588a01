"""Each method's rules on small hand-made ballots, the tie rule, and the result structure."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from convene.domain.tally import METHODS, BallotError, count
from convene.domain.tally.explain import Explainer
from convene.domain.tally.result import exact_str

# --- approval and score --------------------------------------------------------------


def test_approval_counts_each_approval_and_fills_seats():
    ballots = {("a", "b"): 3, ("b",): 2, ("c", "a"): 1, (): 1}
    result = count("approval", ballots, ["a", "b", "c"], seats=2)
    assert result.rounds[0].tallies == {"a": 4, "b": 5, "c": 1}
    assert result.winners == ["b", "a"]
    assert result.ranking == ["b", "a", "c"]
    assert result.total == 7


def test_score_sums_weighted_scores_and_reports_averages():
    ballots = [{"a": 5, "b": 3}, {"a": 0, "b": 4}, {"b": 5, "c": 5}]
    result = count("score", ballots, ["a", "b", "c"])
    assert result.rounds[0].tallies == {"a": 5, "b": 12, "c": 5}
    assert result.winners == ["b"]
    assert result.details["averages"]["a"] == Fraction(5, 2)
    with pytest.raises(BallotError, match="0–5"):
        count("score", [{"a": 6}], ["a"])


def test_approval_tie_is_broken_by_a_recorded_seeded_lot():
    ballots = {("a",): 2, ("b",): 2}
    one = count("approval", ballots, ["a", "b"], seed=1)
    again = count("approval", ballots, ["a", "b"], seed=1)
    assert one.winners == again.winners
    assert one.tie_breaks[0].how == "lot"
    assert set(one.tie_breaks[0].tied) == {"a", "b"}
    assert one.seed == 1
    winners = {count("approval", ballots, ["a", "b"], seed=s).winners[0] for s in range(20)}
    assert winners == {"a", "b"}  # the lot really depends on the seed


# --- yes / no / abstain ------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "threshold", "passed"),
    [
        (5, 5, None, False),  # "1/2" means more than half
        (6, 5, "1/2", True),
        (2, 1, "2/3", True),  # "2/3" means at least two thirds
        (199, 101, "2/3", False),
        (3, 1, "3/4", True),
        (5, 0, "1", True),
        (5, 1, "1", False),
        (0, 0, None, False),
    ],
)
def test_yes_no_thresholds(yes, no, threshold, passed):
    ballots = {k: v for k, v in {"yes": yes, "no": no, "abstain": 4}.items() if v}
    result = count("yes_no", ballots, threshold=threshold)
    assert result.passed is passed
    assert result.rounds[0].tallies["abstain"] == 4


def test_yes_no_quorum_counts_abstentions_and_fails_when_unmet():
    assert count("yes_no", {"yes": 3, "abstain": 2}, quorum=5).passed is True
    result = count("yes_no", {"yes": 3, "abstain": 1}, quorum=5)
    assert result.passed is False
    assert "quorum" in result.explanation


def test_yes_no_accepts_raw_ballots_and_weights():
    assert count("yes_no", ["Yes", "no", "yes", "ABSTAIN"]).passed is True
    assert count("yes_no", {"yes": Fraction(3, 2), "no": 1}).passed is True
    with pytest.raises(BallotError):
        count("yes_no", ["maybe"])
    with pytest.raises(BallotError):
        count("yes_no", {"yes": 0.5})
    with pytest.raises(BallotError):
        count("yes_no", {"yes": 1}, threshold="3/2")


# --- consent and gradients ---------------------------------------------------------------


def test_consent_passes_without_blocks_and_few_stand_asides():
    assert count("consent", {"agree": 8, "stand_aside": 2}).passed is True
    assert count("consent", {"agree": 8, "stand_aside": 2, "block": 1}).passed is False
    # default limit: stand-asides must stay under a third
    assert count("consent", {"agree": 2, "stand_aside": 1}).passed is False
    assert count("consent", {"agree": 2, "stand_aside": 1}, stand_aside_limit="1/2").passed
    assert count("consent", ["agree", "stand aside", "agree", "Agree"]).passed
    assert count("consent", ["stand-aside"]).rounds[0].tallies["stand_aside"] == 1


def test_gradients_default_rule():
    assert count("gradients", {1: 3, 2: 2, 3: 1, 4: 1}).passed is True  # 6/7 support
    assert count("gradients", {1: 3, 5: 1}).passed is False  # a block
    assert count("gradients", {1: 1, 3: 1, 4: 2}).passed is False  # 2/4 support < 2/3
    assert count("gradients", {1: 2, 4: 1}).passed is True  # exactly 2/3
    result = count("gradients", ["1", 2, 4, 4], threshold="1/2", support_levels=2)
    assert result.passed is False  # 2 of 4 is not more than half
    assert result.details["labels"]["1"] == "wholehearted endorsement"


# --- ties in ranked counts -----------------------------------------------------------------


def test_irv_tie_broken_by_looking_back_to_an_earlier_round():
    ballots = {("a",): 6, ("b",): 4, ("c",): 3, ("d", "c"): 1, ("e", "b"): 1, ("f",): 1}
    # round 1: a 6, b 4, c 3, d 1, e 1, f 1 -> d, e, f tied at 1 (no earlier round: lot)
    result = count("irv", ballots, ["a", "b", "c", "d", "e", "f"], seed=3)
    first = result.tie_breaks[0]
    assert first.how == "lot"
    assert first.round == 1
    assert set(first.tied) == {"d", "e", "f"}


def test_lookback_decides_before_the_lot():
    ballots = {("a",): 7, ("b",): 5, ("c",): 6, ("x", "b"): 1, ("x", "d"): 1, ("d",): 1}
    # round 1: a 7, b 5, c 6, x 2, d 1 -> d out (exhausts)
    # round 2: a 7, b 5, c 6, x 2 -> x out: 1 to b, 1 exhausts (d is gone)
    # round 3: a 7, b 6, c 6 -> b and c tie; round 2 had b 5 < c 6: b is excluded
    result = count("irv", ballots, ["a", "b", "c", "x", "d"])
    tie = result.tie_breaks[0]
    assert tie.how == "lookback"
    assert tie.chosen == "b"
    assert tie.round == 3
    assert result.rounds[2].eliminated == ["b"]
    assert tie.looked_back == [2]
    sentence = Explainer({"b": "Bakery co-op", "c": "Clinic"}).tie(tie.to_dict())
    assert "round 2" in sentence
    assert "Bakery co-op" in sentence
    assert "Clinic" in sentence


def test_stv_surplus_order_and_seed_is_stored():
    result = count("stv", {("a", "c"): 5, ("b", "c"): 5, ("c",): 1}, ["a", "b", "c"], seats=2)
    assert result.winners[:2] in (["a", "b"], ["b", "a"])
    assert any(t.purpose == "elect" for t in result.tie_breaks)
    assert result.to_dict()["seed"] == 0


# --- STV details ------------------------------------------------------------------------------


def test_stv_rule_is_named_and_unknown_rule_rejected():
    ballots = {("a", "b"): 4, ("b",): 3, ("c",): 2}
    assert count("stv", ballots, ["a", "b", "c"], seats=2).rule == "scottish"
    meek = count("stv", ballots, ["a", "b", "c"], seats=2, rule="meek")
    assert meek.rule == "meek"
    assert set(meek.winners) == {"a", "b"}
    with pytest.raises(BallotError, match="rule"):
        count("stv", ballots, ["a", "b", "c"], seats=2, rule="irish")


def test_meek_example_keep_factor_and_quota():
    # 2 seats, 9 ballots: quota 3 (+1e-9); a's surplus flows at the keep factor to b
    ballots = {("a", "b"): 6, ("c",): 2, ("b",): 1}
    result = count("stv", ballots, ["a", "b", "c"], seats=2, rule="meek")
    assert result.winners == ["a", "b"]
    keep = result.details["keep_factors"]["a"]
    assert abs(float(keep) - 0.5) < 1e-6
    assert "/" not in exact_str(keep)


def test_stv_with_fewer_candidates_than_seats_elects_all():
    result = count("stv", {("a",): 3, ("b",): 1}, ["a", "b"], seats=3)
    assert result.winners == ["a", "b"]


def test_withdrawn_candidates_are_skipped():
    ballots = {("w", "a"): 3, ("b",): 2}
    result = count("irv", ballots, ["a", "b", "w"], withdrawn=["w"])
    assert result.rounds[0].tallies == {"a": 3, "b": 2}
    assert result.winners == ["a"]


def test_scottish_rejects_weights_finer_than_its_fixed_point():
    with pytest.raises(BallotError, match="1/100000"):
        count("stv", {("a",): Fraction(1, 3)}, ["a", "b"], seats=1)
    # IRV is exact on any Fraction
    assert count("irv", {("a",): Fraction(1, 3), ("b",): Fraction(1, 4)}, ["a", "b"]).winners == [
        "a"
    ]


# --- errors and the result structure -------------------------------------------------------


def test_errors_are_ballot_errors():
    with pytest.raises(BallotError, match="unknown candidate"):
        count("irv", [("a", "zz")], ["a", "b"])
    with pytest.raises(BallotError, match="positive"):
        count("irv", {("a",): -1}, ["a"])
    with pytest.raises(BallotError, match="unknown method"):
        count("borda", [("a",)], ["a"])
    with pytest.raises(BallotError, match="candidates"):
        count("irv", [("a",)])
    assert issubclass(BallotError, ValueError)


def test_exact_strings():
    assert exact_str(17) == "17"
    assert exact_str(Fraction(239613639, 100000)) == "2396.13639"
    assert exact_str(Fraction(7, 3)) == "7/3"
    assert exact_str(Fraction(-1, 8)) == "-0.125"
    assert exact_str(Fraction(1, 100000)) == "0.00001"


def test_every_method_gives_a_json_result_with_the_documented_keys():
    ranked = {("a", "b"): 3, ("b", "a"): 2, ("c",): 1}
    samples = {
        "irv": (ranked, ["a", "b", "c"]),
        "stv": (ranked, ["a", "b", "c"]),
        "schulze": (ranked, ["a", "b", "c"]),
        "approval": ({("a", "b"): 2}, ["a", "b"]),
        "score": ([{"a": 3}], ["a", "b"]),
        "yes_no": ({"yes": 2}, None),
        "consent": ({"agree": 2}, None),
        "gradients": ({1: 2}, None),
    }
    assert set(samples) == set(METHODS)
    keys = {
        "method",
        "rule",
        "seats",
        "candidates",
        "winners",
        "ranking",
        "quota",
        "passed",
        "total",
        "seed",
        "tie_breaks",
        "rounds",
        "explanation",
        "details",
        "reasons",
    }
    round_keys = {
        "number",
        "tallies",
        "elected",
        "eliminated",
        "exhausted",
        "lost",
        "transfers",
        "explanation",
        "quota",
        "reasons",
    }
    for method, (ballots, candidates) in samples.items():
        data = json.loads(json.dumps(count(method, ballots, candidates).to_dict()))
        assert set(data) == keys, method
        assert data["method"] == method
        assert data["rounds"], method
        for rnd in data["rounds"]:
            assert set(rnd) == round_keys
            if method in ("yes_no", "consent", "gradients"):
                assert rnd["explanation"]
            else:
                assert rnd["reasons"]
                assert rnd["explanation"] == ""
            for value in rnd["tallies"].values():
                assert set(value) == {"exact", "float"}
