"""The floor's replies: the speaker list and its requests, what a floor event changed, the
signals, the speaking statistics."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class FloorRequest(Reply, kw_only=True):
    id: int
    item_id: int
    member_id: int
    kind: Literal[
        "speak", "point_of_order", "point_of_process", "clarifying_question", "direct_response"
    ]
    state: Literal["waiting", "speaking", "done", "withdrawn", "removed"]
    raised_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    started_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    ended_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None = (
        UNSET
    )
    limit_seconds: int | UnsetType | None = UNSET
    name: str | UnsetType = UNSET
    reason: (
        Annotated[
            Literal[
                "point_of_order",
                "point_of_process",
                "direct_response",
                "clarifying_question",
                "moved_by_facilitator",
                "first_time_speaking",
                "spoke_less",
                "in_order_raised",
            ],
            Meta(description="Why this request stands where it does (queue entries)."),
        ]
        | UnsetType
    ) = UNSET
    position: Annotated[int, Meta(description="1 is next (queue entries).")] | UnsetType = UNSET


class FloorSettings(Reply, kw_only=True):
    progressive: Literal["off", "item", "convening"] | UnsetType = UNSET
    speaker_limit_seconds: int | UnsetType | None = UNSET
    allow_direct_responses: bool | UnsetType = UNSET


class Floor(Reply, kw_only=True):
    item_id: int
    queue_open: bool
    settings: FloorSettings
    speaker: FloorRequest | None
    queue: list[FloorRequest]


class FloorMove(Reply, kw_only=True):
    id: int
    position: Annotated[int, Meta(description="1 is next.")]
    reason: str


class FloorChange(Reply, kw_only=True):
    """What a ``floor.*`` event changed on the running item's speaker list (its
    ``data.change``; docs/realtime.md, "The floor in events"). Apply it to the list you have:
    drop the ``removed``, ``moved`` and ``added`` ids, put the ``moved`` and ``added``
    entries at their positions from the front, set ``reasons``; what stayed keeps its order.
    ``length`` is the list's length after it: a change that does not fit means read a
    snapshot."""

    item_id: int
    queue_open: bool
    settings: FloorSettings
    speaker: FloorRequest | None
    length: int
    removed: list[int]
    added: list[FloorRequest]
    moved: list[FloorMove]
    reasons: Annotated[
        dict[str, list[int]],
        Meta(description="reason → the ids, in place, whose reason changed"),
    ]


class SpeakingStatsPerPersonItem(Reply, kw_only=True):
    member_id: int | UnsetType = UNSET
    name: str | UnsetType = UNSET
    seconds: float | UnsetType = UNSET


class SpeakingStats(Reply, kw_only=True):
    item_id: int | UnsetType = UNSET
    title: str | UnsetType = UNSET
    speakers: int
    speeches: int
    total_seconds: float
    first_time_speakers: int
    per_person: list[SpeakingStatsPerPersonItem]


class FloorReply(Reply, kw_only=True):
    floor: Floor | None


class SignalAccepted(Reply, kw_only=True):
    accepted: bool


class SpeakingStatistics(Reply, kw_only=True):
    convening: SpeakingStats
    items: list[SpeakingStats]
