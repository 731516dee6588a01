"""A convening's replies: its settings, and what creating one gives (the secret links)."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class Convening(Reply, kw_only=True):
    code: str
    title: str
    description: str
    place: str
    date: Annotated[str, Meta(extra_json_schema={"format": "date"})] | None
    requires_passcode: bool
    language: (
        Annotated[
            str,
            Meta(description="The meeting's language: the projector and the minutes use it."),
        ]
        | UnsetType
    ) = UNSET
    started_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    progressive: Literal["off", "item", "convening"] | UnsetType = UNSET
    speaker_limit_seconds: int | UnsetType | None = UNSET
    allow_direct_responses: bool | UnsetType = UNSET
    anonymous: (
        Annotated[
            bool,
            Meta(description="Demands do not name their supporters (stances are never named)."),
        ]
        | UnsetType
    ) = UNSET
    support_required: (
        Annotated[
            int,
            Meta(
                ge=0,
                le=1000,
                description="Supporters (besides its authors) a demand needs to go to a vote.",
            ),
        ]
        | UnsetType
    ) = UNSET
    accredited_voting: (
        Annotated[
            bool,
            Meta(
                description="Only delegates checked in at the desk vote; present, quorum "
                "and turnout count check-ins."
            ),
        ]
        | UnsetType
    ) = UNSET


class CreatedConvening(Reply, kw_only=True):
    code: str
    facilitator_token: Annotated[
        str, Meta(description="Secret. Shown once: only its hash is stored.")
    ]
    projector_token: str
    join_url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
    facilitator_url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
    projector_url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
    qr_url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
