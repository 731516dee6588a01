"""The minutes' and action items' replies."""

from __future__ import annotations

from typing import Annotated, Any

from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class Minutes(Reply, kw_only=True):
    """The minutes document (docs/minutes.md): header, attendance, one entry per agenda item
    (notes, demands, rounds with their count, decisions, speaking), the adopted demands and
    the action items."""

    document_version: int
    convening: dict[str, Any]
    facilitators: list[str]
    attendance: dict[str, Any]
    items: list[dict[str, Any]]
    other: dict[str, Any] | UnsetType = UNSET
    adopted_demands: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    last_seq: int | UnsetType = UNSET
    final: Annotated[bool, Meta(description="false: the live draft.")]
    version: int | None
    approved_by: str | None
    approved_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None


class MinutesNote(Reply, kw_only=True):
    agenda_item_id: int
    text: str


class ActionItem(Reply, kw_only=True):
    id: int
    what: str
    who: str
    due: Annotated[str, Meta(extra_json_schema={"format": "date"})] | None
    agenda_item_id: int | None
    agenda_item: Annotated[str, Meta(description="The item's title.")] | None


class ActionList(Reply, kw_only=True):
    actions: list[ActionItem]


class NewActionItem(Reply, kw_only=True):
    id: int
    what: str
    who: str
    due: Annotated[str, Meta(extra_json_schema={"format": "date"})] | None
    agenda_item_id: int | None
    agenda_item: Annotated[str, Meta(description="The item's title.")] | None
