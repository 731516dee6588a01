"""The live state: the snapshot a screen starts from, the events it catches up with. It is
made of every area's models, so it is the one module of the replies that reads the others
(as convene/services/live.py is of the services)."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.agenda import AgendaItem
from convene.web.api.replies.checkins import CheckinCounts, Seat
from convene.web.api.replies.common import Reply
from convene.web.api.replies.convenings import Convening
from convene.web.api.replies.demands import DemandSummary
from convene.web.api.replies.floor import Floor
from convene.web.api.replies.participants import Member
from convene.web.api.replies.projector import ProjectorView


class Presence(Reply, kw_only=True):
    participants_connected: int
    connected: (
        Annotated[list[int], Meta(description="Member ids connected now (facilitators only).")]
        | UnsetType
    ) = UNSET


class Snapshot(Reply, kw_only=True):
    seq: Annotated[int, Meta(description="The last event this state includes.")]
    server_time: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    me: Member
    convening: Convening
    agenda: list[AgendaItem]
    current_item_id: int | None
    participants: int
    presence: Presence
    floor: Floor | UnsetType | None = UNSET
    projector: ProjectorView | UnsetType = UNSET
    checkins: CheckinCounts | UnsetType = UNSET
    seats: (
        Annotated[
            list[Seat],
            Meta(description="Facilitators: the seats alternates hold now."),
        ]
        | UnsetType
    ) = UNSET
    demands: (
        Annotated[
            list[DemandSummary],
            Meta(
                description="In the facilitator's order; hidden ones for facilitators only. "
                "Without their text (at most 500 demands)."
            ),
        ]
        | UnsetType
    ) = UNSET
    members: (
        Annotated[
            list[Member],
            Meta(
                max_length=500,
                description="Facilitators only: the first page of members (by id); "
                "`members.list` after `members_next` gives the rest.",
            ),
        ]
        | UnsetType
    ) = UNSET
    members_next: (
        Annotated[int, Meta(description="Facilitators only: null when `members` is all.")]
        | UnsetType
        | None
    ) = UNSET
    members_total: (
        Annotated[int, Meta(description="Facilitators only: how many members in all.")] | UnsetType
    ) = UNSET


class Event(Reply, kw_only=True):
    seq: int
    type: Annotated[str, Meta(examples=["agenda.item_started"])]
    data: dict[str, Any]
    at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]


CatchUp = Annotated[
    Any,
    Meta(
        extra_json_schema={
            "oneOf": [
                {
                    "type": "object",
                    "required": ["events", "seq", "next_after"],
                    "properties": {
                        "events": {
                            "type": "array",
                            "maxItems": 500,
                            "items": {"$ref": "#/components/schemas/Event"},
                        },
                        "seq": {"type": "integer", "description": "The latest event's seq."},
                        "next_after": {
                            "type": ["integer", "null"],
                            "description": "More events follow: ask again after this seq "
                            "(null: these reach `seq`).",
                        },
                    },
                },
                {
                    "type": "object",
                    "required": ["snapshot"],
                    "properties": {"snapshot": {"$ref": "#/components/schemas/Snapshot"}},
                },
            ]
        }
    ),
]
