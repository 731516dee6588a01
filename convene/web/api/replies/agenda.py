"""The agenda's replies: an item, the order."""

from __future__ import annotations

from typing import Annotated, Literal

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class AgendaItem(Reply, kw_only=True):
    id: int
    title: str
    notes: str
    timebox_minutes: int | None
    position: int
    state: Literal["pending", "active", "done"]
    started_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    ended_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None = (
        UNSET
    )
    queue_open: bool | UnsetType = UNSET
    progressive: (
        Annotated[
            Literal["off", "item", "convening"] | None, Meta(description="None: the convening's")
        ]
        | UnsetType
    ) = UNSET
    speaker_limit_seconds: int | UnsetType | None = UNSET


class AgendaOrder(Reply, kw_only=True):
    order: list[int]
