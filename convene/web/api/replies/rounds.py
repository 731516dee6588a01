"""Decision rounds' replies: a round and its turnout, receipts (phone and paper), the paper
roll, who has not voted, published ballots, a follow-up."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from convene.domain import methods
from convene.web.api.replies.common import Reply

#: A voting method's name, written out (the records in convene/domain/methods).
MethodName = Literal[methods.names()]


class RoundOptionsItem(Reply, kw_only=True):
    id: int
    label: str
    position: int | UnsetType = UNSET
    demand_id: int | UnsetType | None = UNSET
    amendment_id: int | UnsetType | None = UNSET


class Round(Reply, kw_only=True):
    id: int
    title: str
    method: MethodName
    options: list[RoundOptionsItem]
    seats: int | UnsetType = UNSET
    rule: str | UnsetType | None = UNSET
    threshold: str | UnsetType | None = UNSET
    quorum: int | UnsetType | None = UNSET
    stand_aside_limit: str | UnsetType | None = UNSET
    secret: bool
    live_results: bool
    agenda_item_id: int | UnsetType | None = UNSET
    closes_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    state: Annotated[
        Literal["draft", "open", "paused", "closed"],
        Meta(description="paused: voting is over and the count waits for a lot drawn in the room."),
    ]
    opened_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    closed_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    settled_at: (
        Annotated[
            str,
            Meta(
                extra_json_schema={"format": "date-time"},
                description="When the result became final: the close, or the last lot drawn "
                "in the room entered after a pause (null in rounds from before it was kept: "
                "their closed_at).",
            ),
        ]
        | UnsetType
        | None
    ) = UNSET
    present_at_open: int | UnsetType | None = UNSET
    present_at_close: int | UnsetType | None = UNSET
    follows_round_id: int | UnsetType | None = UNSET
    path: Literal["retry", "fallback"] | UnsetType | None = UNSET
    tie_break: (
        Annotated[
            Literal["lot", "order", "room"],
            Meta(
                description="Ties that looking back cannot break: the seeded lot, the options' "
                "order, or a lot drawn in the room (the count pauses)."
            ),
        ]
        | UnsetType
    ) = UNSET
    lots: (
        Annotated[list[int], Meta(description="The options chosen by the lots drawn in the room.")]
        | UnsetType
    ) = UNSET
    pending_lot: (
        Annotated[
            dict[str, Any],
            Meta(
                description="While paused: the tie the count waits on: `round`, `purpose` "
                "(exclude, elect, surplus, rank), `tied`, `pool` (option ids the lot is drawn "
                "between), `side`, `draw`."
            ),
        ]
        | UnsetType
        | None
    ) = UNSET
    result: (
        Annotated[
            dict[str, Any],
            Meta(
                description=(
                    "Once closed: the tally engine's result (docs/voting-methods.md) with "
                    "`winners` as option ids, `passed`, `rounds`, `labels`."
                )
            ),
        ]
        | UnsetType
    ) = UNSET
    seed: str | UnsetType = UNSET
    decision: str | UnsetType = UNSET
    followed_up: (
        Annotated[
            Literal["amend", "retry", "fallback"] | None,
            Meta(description="A blocked consent round: the last path the facilitator chose."),
        ]
        | UnsetType
    ) = UNSET
    turnout: Turnout | UnsetType = UNSET
    tally: (
        Annotated[
            dict[str, Any],
            Meta(
                description=(
                    "While open, when live_results: the count so far (facilitators and projectors)."
                )
            ),
        ]
        | UnsetType
        | None
    ) = UNSET


class Turnout(Reply, kw_only=True):
    round_id: int
    voted: int
    voted_weight: int
    paper: Annotated[int, Meta(description="How many of those who voted did so on paper.")]
    present: int
    present_at_open: int | UnsetType | None = UNSET
    not_voted: (
        Annotated[
            list[NotVotedPerson],
            Meta(
                description="Named open rounds, facilitators only: the first 20 who have not "
                "voted, by name (`rounds.not_voted` pages through them all).",
                max_length=20,
            ),
        ]
        | UnsetType
    ) = UNSET
    not_voted_count: (
        Annotated[
            int, Meta(description="Named open rounds, facilitators only: how many have not voted.")
        ]
        | UnsetType
    ) = UNSET


class NotVotedPerson(Reply, kw_only=True):
    id: int
    name: str


class NotVotedList(Reply, kw_only=True):
    """One page of who has not voted yet in an open named round, by member id."""

    round_id: int
    not_voted: Annotated[list[NotVotedPerson], Meta(max_length=500)]
    after: int
    limit: int
    total: Annotated[int, Meta(description="How many have not voted.")]
    next_after: Annotated[
        int | None, Meta(description="Ask again with after = this for the next page; null: last.")
    ]


class PaperBallotReceipt(Reply, kw_only=True):
    """A paper ballot entered: whose it is, its receipt (to hand to the voter, who can find
    it in the published list after the close), the weight it counts with."""

    round_id: int
    member_id: int
    name: str
    receipt: str
    weight: int
    paper: Annotated[int, Meta(description="Paper ballots entered in the round so far.")]


class PaperRollPerson(Reply, kw_only=True):
    id: int
    name: str
    weight: Annotated[int, Meta(description="Their vote weight, with the votes they carry.")]


#: The document names this model by its module, for convene/services/schemas.py has a
#: PaperRoll too: ``module`` keeps the name it was published under, from before the replies
#: were split by area (a client may refer to it).
PaperRoll = msgspec.defstruct(
    "PaperRoll",
    [
        ("round_id", int),
        ("search", str),
        ("people", Annotated[list[PaperRollPerson], Meta(max_length=100)]),
        ("total", Annotated[int, Meta(description="How many match (type more to narrow).")]),
    ],
    bases=(Reply,),
    module="convene.web.api.replies",
    namespace={
        "__doc__": "Those whose paper ballot may still be entered, whose name holds `search`, "
        "by name."
    },
    kw_only=True,
)


class BallotReceipt(Reply, kw_only=True):
    receipt: str
    round_id: int
    weight: int


class PublishedBallots(Reply, kw_only=True):
    round_id: int
    secret: bool
    ballots: list[dict[str, Any]]


class FollowUpReply(Reply, kw_only=True):
    round_id: int
    path: str
    reasons: Annotated[str, Meta(description="What the blocks said (shown on the demand).")]
    new_round: Round | UnsetType = UNSET
