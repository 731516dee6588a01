"""A ranked round's ballots as NIST SP 1500-103 cast-vote records (Common Data Format, JSON).

One ``CVR.CastVoteRecordReport`` with the round as one ``CVR.Election`` holding one
``CVR.CandidateContest`` (its options are ``CVR.Candidate`` and ``CVR.CandidateSelection``
objects, in option order), and one ``CVR.CVR`` per ballot: its receipt as ``UniqueId``, one
``CVR.CVRContestSelection`` per ranked option with its ``Rank``. A delegate's ballot of
weight 3 is three records (``UniqueId`` ``RECEIPT-1``...), since a CVR has no weight. The
report's ``Notes`` carries ``convene {json}``: how the meeting counted (method, rule, seed),
which ``convene tally`` reads and other readers ignore. Checked against
``convene/exports/schemas/nist-cvr.schema.json``, written for Convene from the published
specification (NIST's own schema file is not on a package registry this project can use).
"""

from __future__ import annotations

import json

from convene.domain.rounds import Round
from convene.exports.ballots_blt import count_settings

VERSION = "1.0.0"


def report(round_: Round, ballots: list) -> dict:
    options = list(round_.options)
    number = {str(o.id): i for i, o in enumerate(options, 1)}
    candidates = [
        {"@id": f"candidate-{i}", "@type": "CVR.Candidate", "Name": o.label}
        for i, o in enumerate(options, 1)
    ]
    selections = [
        {
            "@id": f"selection-{i}",
            "@type": "CVR.CandidateSelection",
            "CandidateIds": [f"candidate-{i}"],
        }
        for i in range(1, len(options) + 1)
    ]
    contest = {
        "@id": "contest-1",
        "@type": "CVR.CandidateContest",
        "Name": round_.title,
        "NumberElected": round_.seats,
        "VotesAllowed": 1,
        "ContestSelection": selections,
    }
    records = []
    for receipt, content, weight, _ in ballots:
        chosen = [
            {
                "@type": "CVR.CVRContestSelection",
                "ContestSelectionId": f"selection-{number[str(o)]}",
                "Rank": rank,
                "SelectionPosition": [
                    {
                        "@type": "CVR.SelectionPosition",
                        "HasIndication": "yes",
                        "IsAllocable": "yes",
                        "NumberVotes": 1,
                        "Rank": rank,
                    }
                ],
            }
            for rank, o in enumerate(content["ranking"], 1)
        ]
        for k in range(1, int(weight) + 1):
            records.append(
                {
                    "@type": "CVR.CVR",
                    "UniqueId": receipt if weight == 1 else f"{receipt}-{k}",
                    "ElectionId": "election-1",
                    "CurrentSnapshotId": f"snapshot-{len(records) + 1}",
                    "CVRSnapshot": [
                        {
                            "@id": f"snapshot-{len(records) + 1}",
                            "@type": "CVR.CVRSnapshot",
                            "Type": "original",
                            "CVRContest": [
                                {
                                    "@type": "CVR.CVRContest",
                                    "ContestId": "contest-1",
                                    "CVRContestSelection": chosen,
                                }
                            ],
                        }
                    ],
                }
            )
    return {
        "@type": "CVR.CastVoteRecordReport",
        "Version": VERSION,
        "GeneratedDate": (
            round_.closed_at.strftime("%Y-%m-%dT%H:%M:%SZ") if round_.closed_at else ""
        ),
        "ReportGeneratingDeviceIds": ["device-1"],
        "ReportType": ["other"],
        "OtherReportType": "convene-round-export",
        "Notes": "convene " + json.dumps(count_settings(round_), sort_keys=True),
        "ReportingDevice": [
            {"@id": "device-1", "@type": "CVR.ReportingDevice", "Application": "Convene"}
        ],
        "GpUnit": [
            {"@id": "unit-1", "@type": "CVR.GpUnit", "Type": "other", "OtherType": "meeting"}
        ],
        "Election": [
            {
                "@id": "election-1",
                "@type": "CVR.Election",
                "Name": round_.title,
                "ElectionScopeId": "unit-1",
                "Candidate": candidates,
                "Contest": [contest],
            }
        ],
        "CVR": records,
    }


def cast_vote_records(round_: Round, ballots: list) -> str:
    return json.dumps(report(round_, ballots), indent=1, ensure_ascii=False) + "\n"
