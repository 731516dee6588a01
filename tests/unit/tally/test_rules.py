"""Real-election rules (issue 12, item 4): ballot rules, batch elimination, counting until two
remain, a published tie order, NIST CDF input; Minneapolis 2013 and Burlington 2009 from
their files reproduce the published counts with the documented options."""

from __future__ import annotations

import json

import pytest

from convene import tallycli
from convene.domain.tally import BallotError, count
from convene.domain.tally.rules import BallotRules
from tests.unit.tally.helpers import election_path

CANDS = {"Ana", "Ben", "Cy"}


def run_json(capsys, *argv):
    code = tallycli.main([*map(str, argv), "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_ballot_rules_defaults_and_each_option():
    ballot = [("Ana", "Ben"), ("Cy",), ()]  # an overvote, then Cy
    assert BallotRules().ranking(ballot, CANDS) == ()
    assert BallotRules(overvote="skip").ranking(ballot, CANDS) == ("Cy",)
    assert BallotRules().ranking([("overvote",), ("Cy",)], CANDS) == ()
    skips = [(), ("undervote",), ("Ben",)]
    assert BallotRules().ranking(skips, CANDS) == ("Ben",)
    assert BallotRules(max_skipped=1).ranking(skips, CANDS) == ()
    assert BallotRules(max_skipped=2).ranking(skips, CANDS) == ("Ben",)
    repeat = [("Ana",), ("Ana",), ("Ben",)]
    assert BallotRules().ranking(repeat, CANDS) == ("Ana", "Ben")
    assert BallotRules(duplicates="exhaust").ranking(repeat, CANDS) == ("Ana",)
    assert BallotRules(max_rankings=1).ranking([("Ana",), ("Ben",)], CANDS) == ("Ana",)
    write_in = [("Zed",), ("UWI",), ("Ben",)]
    with pytest.raises(BallotError, match="Zed"):
        BallotRules().ranking(write_in, CANDS)
    assert BallotRules(write_ins="drop").ranking(write_in, CANDS) == ("Ben",)
    with pytest.raises(BallotError):
        BallotRules(overvote="sometimes")


def test_batch_elimination_and_until_two():
    ballots = {("a",): 9, ("b",): 8, ("c", "b"): 2, ("d", "b"): 1, ("e", "a"): 1}
    cands = ["a", "b", "c", "d", "e"]
    one_by_one = count("irv", ballots, cands)
    batch = count("irv", ballots, cands, batch_elimination=True)
    # c, d and e hold 4 together, fewer than b's 8: out at once
    assert batch.rounds[0].eliminated == ["d", "e", "c"]
    assert batch.rounds[0].reasons[0]["kind"] == "batch_eliminated"
    assert len(batch.rounds) < len(one_by_one.rounds)
    assert batch.winners == one_by_one.winners == ["b"]
    early = {("a",): 6, ("b",): 3, ("c",): 2}
    assert len(count("irv", early, ["a", "b", "c"]).rounds) == 1  # a majority at once
    two = count("irv", early, ["a", "b", "c"], until_two=True)
    assert [sorted(r.tallies) for r in two.rounds] == [["a", "b", "c"], ["a", "b"]]
    assert two.winners == ["a"]
    assert two.details["rules"]["until_two"] is True
    with pytest.raises(BallotError):
        count("stv", early, ["a", "b", "c"], until_two=True)


def test_a_published_order_replaces_the_lot():
    ballots = {("a",): 2, ("b",): 1, ("c",): 1}
    result = count("irv", ballots, ["a", "b", "c"], tie_order=["c", "b", "a"])
    [tie] = result.tie_breaks
    assert tie.how == "order"
    assert result.rounds[0].eliminated == ["b"]  # listed last of the two: excluded
    other = count("irv", ballots, ["a", "b", "c"], tie_order=["b", "c", "a"])
    assert other.rounds[0].eliminated == ["c"]


def _cdf(ballots):
    """A small NIST CDF report: ballots as lists of ranks, each a list of names."""
    names = ["Ana", "Ben", "Cy"]
    records = []
    for ranks in ballots:
        sels = [
            {
                "@type": "CVR.CVRContestSelection",
                "ContestSelectionId": f"s{names.index(n) + 1}",
                "Rank": r,
                "SelectionPosition": [
                    {"@type": "CVR.SelectionPosition", "HasIndication": "yes", "NumberVotes": 1}
                ],
            }
            for r, rank in enumerate(ranks, 1)
            for n in rank
        ]
        records.append(
            {
                "@type": "CVR.CVR",
                "CurrentSnapshotId": "x",
                "CVRSnapshot": [
                    {
                        "@id": "x",
                        "@type": "CVR.CVRSnapshot",
                        "Type": "original",
                        "CVRContest": [
                            {
                                "@type": "CVR.CVRContest",
                                "ContestId": "c1",
                                "CVRContestSelection": sels,
                            }
                        ],
                    }
                ],
            }
        )
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Version": "1.0.0",
        "Election": [
            {
                "@id": "e1",
                "@type": "CVR.Election",
                "Name": "Chair",
                "Candidate": [
                    {"@id": f"k{i}", "@type": "CVR.Candidate", "Name": n}
                    for i, n in enumerate(names, 1)
                ],
                "Contest": [
                    {
                        "@id": "c1",
                        "@type": "CVR.CandidateContest",
                        "ContestSelection": [
                            {
                                "@id": f"s{i}",
                                "@type": "CVR.CandidateSelection",
                                "CandidateIds": [f"k{i}"],
                            }
                            for i in range(1, 4)
                        ],
                    }
                ],
            }
        ],
        "CVR": records,
    }


def test_convene_tally_reads_nist_cast_vote_records_with_overvote_rules(tmp_path, capsys):
    path = tmp_path / "cvr.json"
    ballots = [[["Ana"]]] * 3 + [[["Ben"]]] * 2 + [[["Ben", "Cy"], ["Cy"]]] * 2 + [[[], ["Cy"]]]
    path.write_text(json.dumps(_cdf(ballots)))
    default = run_json(capsys, path)
    assert "overvote" not in default["details"]["rules"]  # the defaults: as a meeting counts
    assert {k: v["exact"] for k, v in default["rounds"][0]["tallies"].items()} == {
        "Ana": "3",
        "Ben": "2",
        "Cy": "1",
    }
    skipping = run_json(capsys, path, "--overvote", "skip")
    assert skipping["details"]["rules"]["overvote"] == "skip"
    assert skipping["rounds"][0]["tallies"]["Cy"]["exact"] == "3"
    assert skipping["rounds"][0]["eliminated"] == ["Ben"]


@pytest.mark.slow
def test_minneapolis_2013_from_the_city_file_reproduces_the_announced_final(capsys):
    path = election_path("irv_minneapolis_2013_mayor", "mn_2013_cast_vote_record.csv.gz")
    # overvotes skipped, undervotes passed over, write-ins (UWI) dropped: the final pair
    # as announced, Hodges 38,870 and Andrew 24,972
    result = run_json(capsys, path, "--overvote", "skip", "--until-two")
    final = {k: v["exact"] for k, v in result["rounds"][-1]["tallies"].items()}
    assert final == {"BETSY HODGES": "38870", "MARK ANDREW": "24972"}
    assert result["winners"] == ["BETSY HODGES"]
    assert result["total"]["exact"] == "80101"
    # exhausting at an overvote (the default) gives the derived 38,857 and 24,962
    strict = run_json(capsys, path, "--until-two")
    final = {k: v["exact"] for k, v in strict["rounds"][-1]["tallies"].items()}
    assert final == {"BETSY HODGES": "38857", "MARK ANDREW": "24962"}


def test_burlington_2009_with_batch_elimination_has_the_official_three_rounds(capsys):
    path = election_path("irv_burlington_vt_2009_mayor", "ballots.txt")
    result = run_json(capsys, path, "--batch-elimination")
    assert len(result["rounds"]) == 3
    assert sorted(result["rounds"][0]["eliminated"]) == ["Dan Smith", "James Simpson", "Write-in"]
    first = {k: v["exact"] for k, v in result["rounds"][0]["tallies"].items()}
    assert (first["Kurt Wright"], first["Bob Kiss"], first["Andy Montroll"]) == (
        "2951",
        "2585",
        "2063",
    )
    semifinal = {k: v["exact"] for k, v in result["rounds"][1]["tallies"].items()}
    assert semifinal == {"Kurt Wright": "3294", "Bob Kiss": "2981", "Andy Montroll": "2554"}
    final = {k: v["exact"] for k, v in result["rounds"][2]["tallies"].items()}
    assert final == {"Kurt Wright": "4060", "Bob Kiss": "4313"}  # the file's known 1-vote gap
    assert result["winners"] == ["Bob Kiss"]


# -- overvotes decided in the count: "exhaust if multiple continuing" ---------------------------

AB = frozenset({"B", "C"})


def _tallies(result):
    return [{k: str(v) for k, v in r.tallies.items()} for r in result.rounds]


def test_an_overvote_rank_counts_for_the_one_marked_candidate_still_in_the_count():
    # C goes first; when A goes, A's ballots reach {B, C}: only B is still in the count
    ballots = {("A", AB): 3, ("B",): 6, ("C",): 2, ("D",): 4}
    result = count("irv", ballots, ["A", "B", "C", "D"])
    assert result.rounds[0].eliminated == ["C"]
    assert result.rounds[1].eliminated == ["A"]
    assert _tallies(result)[2] == {"B": "9", "D": "4"}
    assert result.rounds[2].exhausted == 2  # C's own ballots only
    # the same ballots with the overvote read before round 1 (exhaust): the 3 are lost
    strict = count("irv", {("A",): 3, ("B",): 6, ("C",): 2, ("D",): 4}, ["A", "B", "C", "D"])
    assert _tallies(strict)[2] == {"B": "6", "D": "4"}


def test_an_overvote_rank_with_two_candidates_still_in_the_count_exhausts():
    ballots = {("A", AB, "D"): 3, ("B",): 5, ("C",): 4, ("D",): 1}
    result = count("irv", ballots, ["A", "B", "C", "D"])
    assert result.rounds[0].eliminated == ["D"]
    assert result.rounds[1].eliminated == ["A"]
    # B and C are both in the count when A's ballots reach them: exhausted, D never reached
    assert result.rounds[2].exhausted == 1 + 3
    assert _tallies(result)[2] == {"B": "5", "C": "4"}
    # an overvote at the first rank exhausts before round 1; a withdrawn candidate is out
    first = count("irv", {(AB, "A"): 2, ("A",): 1, ("B",): 1}, ["A", "B", "C"])
    assert first.rounds[0].exhausted == 2
    gone = count("irv", {(AB, "A"): 2, ("A",): 1}, ["A", "B", "C"], withdrawn=["C"])
    assert _tallies(gone)[0] == {"A": "1", "B": "2"}
    # with every marked candidate out, the ballot moves on to its next rank
    moved = count(
        "irv", {("A",): 4, ("E",): 4, ("D", AB, "A"): 3, ("B",): 1, ("C",): 2}, list("ABCDE")
    )
    assert [r.eliminated for r in moved.rounds[:3]] == [["B"], ["C"], ["D"]]
    assert _tallies(moved)[3] == {"A": "7", "E": "4"}


def test_stv_overvote_ranks_scottish_and_meek():
    # Scottish: elected candidates are out of the count, so {A, B} with A elected counts
    # for B at the surplus; Meek: an elected candidate is still in the count, so it exhausts
    ballots = {("A", frozenset({"A2", "B"})): 10, ("B",): 3, ("C",): 4, ("D",): 2}
    cands = ["A", "A2", "B", "C", "D"]
    scottish = count("stv", ballots, cands, seats=2)
    assert scottish.rounds[0].elected == ["A"]  # quota 7
    # the surplus of 3 reaches {A2, B}: both in the count (A2 hopeful), so it exhausts
    assert scottish.rounds[1].exhausted == 3
    elected_first = {("A", frozenset({"A", "B"}), "C"): 10, ("B",): 3, ("C",): 4, ("D",): 2}
    again = count("stv", elected_first, ["A", "B", "C", "D"], seats=2)
    # {A, B} once A is elected: only B is in the count, the surplus goes to B
    assert again.rounds[1].tallies["B"] == 6
    meek = count("stv", elected_first, ["A", "B", "C", "D"], seats=2, rule="meek")
    # Meek keeps A in the count: {A, B} has two, the surplus exhausts and B stays at 3
    assert meek.rounds[1].tallies["B"] == 3
    assert meek.rounds[1].exhausted > 0


def test_schulze_ends_a_ballot_at_an_overvote_of_two_running_candidates():
    ballots = {("A", AB): 3, ("B", "C"): 2, ("C", "B"): 2}
    result = count("schulze", ballots, ["A", "B", "C"])
    plain = count("schulze", {("A",): 3, ("B", "C"): 2, ("C", "B"): 2}, ["A", "B", "C"])
    assert result.details["pairwise"] == plain.details["pairwise"]
    withdrawn = count("schulze", ballots, ["A", "B", "C"], withdrawn=["C"])
    assert withdrawn.details["pairwise"]["B"]["A"] == 4 - 0  # {B, C} without C is B


def test_ballot_rules_make_overvote_ranks_under_the_rule():
    rules = BallotRules(overvote="exhaust_if_multiple_continuing")
    assert rules.ranking([("Ana",), ("Ben", "Cy"), ("Cy",)], CANDS) == (
        "Ana",
        frozenset({"Ben", "Cy"}),
    )
    # a candidate already marked earlier is dropped from the overvote rank
    assert rules.ranking([("Ana",), ("Ana", "Ben")], CANDS) == ("Ana", "Ben")
    stop = BallotRules(overvote="exhaust_if_multiple_continuing", duplicates="exhaust")
    assert stop.ranking([("Ana",), ("Ana", "Ben")], CANDS) == ("Ana",)
    with pytest.raises(BallotError, match="needs their names"):
        rules.ranking([("overvote",), ("Cy",)], CANDS)


def _reference_irv(ballots, candidates):
    """RCTab's way, independently: every round each ballot not yet exhausted is read again
    from its first rank (an exhausted one stays exhausted); None on a tie (not compared)."""
    continuing = list(candidates)
    rounds = []
    gone = set()
    while True:
        tallies = dict.fromkeys(continuing, 0)
        exhausted = 0
        for ranks, weight in ballots.items():
            target = None
            if ranks in gone:
                exhausted += weight
                continue
            for rank in ranks:
                marks = list(rank) if isinstance(rank, frozenset) else [rank]
                live = [m for m in marks if m in continuing]
                if len(live) > 1:
                    break
                if live:
                    target = live[0]
                    break
            if target is None:
                exhausted += weight
                gone.add(ranks)
            else:
                tallies[target] += weight
        rounds.append((tallies, exhausted))
        top = max(tallies.values())
        if 2 * top > sum(tallies.values()) or len(tallies) == 1:
            return rounds
        low = min(tallies.values())
        losers = [c for c in continuing if tallies[c] == low]
        if len(losers) > 1:
            return None  # a tie: not compared
        continuing.remove(losers[0])


def test_property_overvote_ranks_match_a_round_by_round_rescan():
    from hypothesis import assume, given, settings
    from hypothesis import strategies as st

    names = ["A", "B", "C", "D", "E"]
    rank = st.one_of(
        st.sampled_from(names),
        st.frozensets(st.sampled_from(names), min_size=2, max_size=3),
    )
    ranking = st.lists(rank, min_size=1, max_size=4).map(tuple)
    profiles = st.dictionaries(ranking, st.integers(1, 40), min_size=2, max_size=10)

    @settings(max_examples=200, deadline=None)
    @given(profiles)
    def check(ballots):
        expected = _reference_irv(ballots, names)
        assume(expected is not None)
        result = count("irv", ballots, names)
        got = [({c: int(v) for c, v in r.tallies.items()}, int(r.exhausted)) for r in result.rounds]
        assert got == [({c: v for c, v in t.items()}, e) for t, e in expected]

    check()


def test_convene_tally_exhaust_if_multiple_continuing_from_cdf_and_csv(tmp_path, capsys):
    # Ana 3, Ben 2 (+2 overvoted Ben/Cy, then Cy), Cy 1 (+ a skip then Cy)
    ballots = [[["Ana"]]] * 3 + [[["Ben"]]] * 2 + [[["Ben", "Cy"], ["Cy"]]] * 2 + [[[], ["Cy"]]]
    cdf = tmp_path / "cvr.json"
    cdf.write_text(json.dumps(_cdf(ballots)))
    result = run_json(capsys, cdf, "--overvote", "exhaust_if_multiple_continuing")
    assert result["details"]["rules"]["overvote"] == "exhaust_if_multiple_continuing"
    # round 1: the overvote has Ben and Cy in the count: 2 exhausted; Cy (1) goes
    assert result["rounds"][0]["exhausted"]["exact"] == "2"
    assert result["rounds"][0]["eliminated"] == ["Cy"]
    csv_file = tmp_path / "ballots.csv"
    csv_file.write_text(
        "#candidates,Ana,Ben,Cy\nrank1,rank2\n"
        + "Ana\n" * 3
        + "Ben\n" * 2
        + "Ben|Cy,Cy\n" * 2
        + ",Cy\n"
    )
    same = run_json(
        capsys,
        csv_file,
        "--overvote",
        "exhaust_if_multiple_continuing",
        "--overvote-delimiter",
        "|",
    )
    assert same["rounds"] == result["rounds"]
    rule = "exhaust_if_multiple_continuing"
    code = tallycli.main([str(csv_file), "--overvote", rule, "--overvote-label", "Ben|Cy"])
    assert code == 2
    assert "needs their names" in capsys.readouterr().err


# -- ties broken by lots drawn by hand (a meeting's "lot drawn in the room") ---------------------


def test_a_count_with_lots_drawn_by_hand_stops_at_each_tie_that_needs_one():
    from convene.domain.tally import LotNeeded

    ballots = {("a",): 1, ("b",): 1, ("c",): 1}
    with pytest.raises(LotNeeded) as first:
        count("irv", ballots, ["a", "b", "c"], lots=[])
    need = first.value
    assert (need.round, need.purpose, need.pool, need.side, need.draw) == (
        1,
        "exclude",
        ["a", "b", "c"],
        "fewest",
        1,
    )
    with pytest.raises(LotNeeded) as second:
        count("irv", ballots, ["a", "b", "c"], lots=["c"])
    assert (second.value.round, second.value.pool, second.value.draw) == (2, ["a", "b"], 2)
    result = count("irv", ballots, ["a", "b", "c"], lots=["c", "a"])
    assert [r.eliminated for r in result.rounds[:2]] == [["c"], ["a"]]
    assert result.winners == ["b"]
    assert [(t.how, t.chosen, t.draw) for t in result.tie_breaks] == [
        ("room", "c", 1),
        ("room", "a", 2),
    ]
    assert result.details["rules"]["tie_break"] == "room"
    with pytest.raises(BallotError, match="not one of the tied"):
        count("irv", ballots, ["a", "b", "c"], lots=["c", "c"])
    with pytest.raises(BallotError):
        count("irv", ballots, ["a", "b", "c"], lots=["a"], tie_order=["a", "b", "c"])


def test_only_ties_that_decide_something_are_drawn_by_hand():
    # approval, one seat, four level: one lot by hand for the seat, the rest by the seed
    result = count("approval", [{"a"}, {"b"}, {"c"}, {"d"}], list("abcd"), lots=["c"])
    assert result.winners == ["c"]
    assert [t.how for t in result.tie_breaks] == ["room", "lot", "lot"]
    # two seats, four level: both seats are drawn by hand, the order below them by the seed
    two = count("approval", [{"a", "b", "c"}, {"d"}], list("abcd"), seats=2, lots=["b", "c"])
    assert two.winners == ["b", "c"]
    assert [t.how for t in two.tie_breaks] == ["room", "room", "lot"]
    # STV: candidates elected together (no seat in question) are ordered by the seed
    stv = count("stv", {("a",): 1, ("b",): 1}, ["a", "b"], seats=2, lots=[])
    assert sorted(stv.winners) == ["a", "b"]
    assert [t.how for t in stv.tie_breaks] == ["lot"]
    # the same ties without lots by hand are the seeded lot's, as before
    plain = count("approval", [{"a"}, {"b"}, {"c"}, {"d"}], list("abcd"))
    assert [t.how for t in plain.tie_breaks] == ["lot", "lot", "lot"]


def test_convene_tally_lots_by_name_or_number(tmp_path, capsys):
    path = tmp_path / "ballots.txt"
    path.write_text("1: Ana, de Lima\n1: Ben\n1: Cy>Ben\n")
    by_number = run_json(capsys, path, "--lots", "3")
    assert by_number["rounds"][0]["eliminated"] == ["Cy"]
    assert by_number["tie_breaks"][0]["how"] == "room"
    by_name = run_json(capsys, path, "--lots", "Cy")
    assert by_name["rounds"] == by_number["rounds"]
    assert tallycli.main([str(path), "--lots", "1,1"]) == 2  # Ana is out after lot 1
    assert "not one of the tied" in capsys.readouterr().err
