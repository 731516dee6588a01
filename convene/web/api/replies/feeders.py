"""Linked convenings' replies (issue 18): a regional convening's feeder invitations and
feeders, a chapter's upstream."""

from __future__ import annotations

from typing import Annotated

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class FeederInvitation(Reply, kw_only=True):
    id: int
    label: Annotated[str, Meta(description="Whom it was for (the facilitator's note).")]
    created_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    revoked: bool
    revoked_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None
    links: Annotated[int, Meta(description="Current links made with it.")]


class NewFeederInvitation(FeederInvitation, kw_only=True):
    invitation: Annotated[
        str,
        Meta(
            description="Secret. Shown once: only its hash is stored. Give it with this "
            "convening's code to the chapters' facilitators."
        ),
    ]


class Feeder(Reply, kw_only=True):
    link_id: int
    code: Annotated[str, Meta(description="The feeder's join code.")]
    title: str
    linked_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    invitation_id: Annotated[int, Meta(description="The invitation it linked with.")] | None


class FeederList(Reply, kw_only=True):
    feeders: Annotated[
        list[Feeder], Meta(max_length=1000, description="The current feeders, by title.")
    ]
    invitations: Annotated[list[FeederInvitation], Meta(max_length=1000)]


class UpstreamLink(Reply, kw_only=True):
    link_id: int
    code: Annotated[str, Meta(description="The upstream's join code.")]
    title: str
    linked_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]


class Upstream(Reply, kw_only=True):
    upstream: (
        Annotated[
            UpstreamLink, Meta(description="Where this convening sends its demands; null: nowhere.")
        ]
        | None
    )
    already: (
        Annotated[bool, Meta(description="Linked there before this request: nothing changed.")]
        | UnsetType
    ) = UNSET
