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
