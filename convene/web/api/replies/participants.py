"""The participants' replies: a member, joining, an invitation, a page of members."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class Member(Reply, kw_only=True):
    id: int
    name: str
    role: Literal[
        "facilitator", "participant", "projector", "observer", "teller", "desk", "chapter"
    ]
    caucus: str | UnsetType | None = UNSET
    joined_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    supports: (
        Annotated[list[int], Meta(description="`me` only: the ids of the demands I support.")]
        | UnsetType
    ) = UNSET
    stances: (
        Annotated[
            dict[str, Literal["agree", "disagree", "pass"]],
            Meta(description="`me` only: my stance per demand id (never shown to others)."),
        ]
        | UnsetType
    ) = UNSET


class Admission(Reply, kw_only=True):
    id: int
    token: Annotated[str, Meta(description="The participant's secret identity.")]


class Invitation(Reply, kw_only=True):
    id: int
    token: str
    role: Literal["facilitator", "observer", "projector", "teller", "desk"]
    url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]


class MemberList(Reply, kw_only=True):
    """One page of members, by id."""

    members: Annotated[list[Member], Meta(max_length=500)]
    next_after: Annotated[
        int | None, Meta(description="Ask again with after = this for the next page; null: last.")
    ]
    total: Annotated[int, Meta(description="Members in all.")]
    after: int
    limit: int
    seq: Annotated[int, Meta(description="The last event this page includes.")]
