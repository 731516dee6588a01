"""Demands' and amendments' replies: summaries and full demands, support, agreement,
versions and their differences."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, UnsetType

from convene.web.api.replies.common import Reply


class DiffOp(Reply, kw_only=True):
    """equal+delete texts joined are the old text; equal+insert the new one."""

    op: Literal["equal", "insert", "delete"]
    text: str


class AgreementCaucusesItem(Reply, kw_only=True):
    caucus: Annotated[str, Meta(description="null: participants without a caucus.")] | None
    agree: int
    disagree: int
    pass_: int = msgspec.field(name="pass")
    share: Annotated[float, Meta(ge=0, le=1)] | None
    counted: bool


class Agreement(Reply, kw_only=True):
    """Counts only, never names. share = agree / (agree + disagree); bridging = the lowest share
    among caucus groups with at least one agree or disagree."""

    agree: int
    disagree: int
    pass_: int = msgspec.field(name="pass")
    responses: int
    share: Annotated[float, Meta(ge=0, le=1)] | None
    bridging: Annotated[float, Meta(ge=0, le=1)] | None
    caucuses_counted: int
    caucuses: list[AgreementCaucusesItem]


class AmendmentAuthor(Reply, kw_only=True):
    id: int
    name: str


class Amendment(Reply, kw_only=True):
    id: int
    demand_id: int
    author_id: int | UnsetType = UNSET
    author: AmendmentAuthor
    passage: (
        Annotated[str, Meta(description="The passage it replaces; null: the whole body.")] | None
    )
    body: Annotated[str, Meta(description="The replacement text.")]
    rationale: str
    status: Literal["pending", "adopted", "rejected", "withdrawn", "outdated"]
    note: Annotated[str, Meta(description="Why it is outdated, if it is.")]
    friendly: Annotated[bool, Meta(description="Accepted by the demand's author.")]
    base_version: Annotated[
        int, Meta(description="The version its diff is against (pending: the current one).")
    ]
    result_version: int | None
    new_text: Annotated[str, Meta(description="The whole body it proposes.")]
    diff: list[DiffOp]
    diff_html: Annotated[
        str,
        Meta(
            description="The change as people read it: the rendered text (sanitized HTML) "
            "with deleted words in <del> and inserted ones in <ins>."
        ),
    ]
    conflicts_with: Annotated[
        list[int], Meta(description="Pending amendments whose span overlaps this one's.")
    ]
    created_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    decided_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None


class DemandAuthor(Reply, kw_only=True):
    id: int
    name: str


class DemandAuthorsItem(Reply, kw_only=True):
    id: int
    name: str


class DemandSupportedByItem(Reply, kw_only=True):
    id: int
    name: str


class ConsentBlock(Reply, kw_only=True):
    round_id: int | None
    round_title: str
    reasons: Annotated[str, Meta(description="What the blocks said, as the facilitator wrote it.")]
    path: Literal["amend", "retry", "fallback"] | None


class OriginChapter(Reply, kw_only=True):
    title: str


class OriginDecision(Reply, kw_only=True):
    round_id: int
    title: str
    method: str
    figures: Annotated[
        dict[str, Any], Meta(description="Each choice's (or option's) count in the round.")
    ]
    passed: bool


class DemandOrigin(Reply, kw_only=True):
    """A forwarded demand's origin: the chapter's adopted demand it copies."""

    chapter: OriginChapter
    demand_id: Annotated[int, Meta(description="The demand's id in the chapter's convening.")]
    version: Annotated[int, Meta(description="The version forwarded.")]
    text_sha256: Annotated[
        str, Meta(description="SHA-256 (hex) of that version's title, a blank line, its body.")
    ]
    decision: (
        Annotated[
            OriginDecision, Meta(description="The round that adopted it (null: none on record).")
        ]
        | None
    )
    agreement: dict[str, Any]
    mandate: Literal["as written", "may accept friendly amendments", "advisory"]
    note: str
    sent_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    previous_demand_id: (
        Annotated[int, Meta(description="The demand an earlier version of it became here.")] | None
    )


class DemandSummary(Reply, kw_only=True):
    """A demand without its text: what the snapshot and events carry. A screen reads the
    text (`body`, `body_html`, `amendments`) with `demands.get` or `demands.list` (`ids`)
    when it shows the demand; events that change it carry it (`text`)."""

    id: int
    item_id: Annotated[int, Meta(description="Its agenda item, if any.")] | None
    title: str
    excerpt: Annotated[
        str,
        Meta(
            max_length=160,
            description="The start of the body as plain words (about 160 characters).",
        ),
    ]
    status: Literal["draft", "open", "under_vote", "adopted", "rejected", "withdrawn", "merged"]
    hidden: bool
    hidden_reason: str | UnsetType | None = UNSET
    position: int
    version: Annotated[int, Meta(description="The current version's number.")]
    versions: Annotated[int, Meta(description="How many versions it has.")]
    author_id: int | UnsetType = UNSET
    coauthor_ids: list[int] | UnsetType = UNSET
    author: DemandAuthor
    authors: Annotated[
        list[DemandAuthorsItem],
        Meta(description="The author, then those of demands merged into it."),
    ]
    merged_into: int | UnsetType | None = UNSET
    consent_block: (
        Annotated[
            ConsentBlock,
            Meta(
                description="A consent round on it did not pass and the room works on it "
                "again; cleared when the next round on it opens."
            ),
        ]
        | None
    )
    created_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType = UNSET
    updated_at: (
        Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | UnsetType | None
    ) = UNSET
    supporters: Annotated[int, Meta(description="Members supporting it (not its authors).")]
    support_required: int
    can_go_to_vote: Annotated[
        bool, Meta(description="open, not hidden, and supporters >= support_required.")
    ]
    supported_by: (
        Annotated[
            list[DemandSupportedByItem],
            Meta(
                description="The first 10 who support it, in the order they gave their "
                "support (`supporters` counts them all; `demands.supporters` pages through "
                "them); null when the convening is anonymous.",
                max_length=10,
            ),
        ]
        | None
    )
    agreement: Agreement
    amendment_count: Annotated[int, Meta(description="Its amendments, whatever their status.")]
    pending_amendments: Annotated[
        list[int], Meta(description="The ids of its pending amendments, oldest first.")
    ]
    origin: (
        Annotated[
            DemandOrigin,
            Meta(description="Forwarded by a chapter (issue 18): where it came from; null: not."),
        ]
        | None
    )


class Demand(DemandSummary, kw_only=True):
    """A demand in full: the summary with its text."""

    body: Annotated[str, Meta(description="Markdown.")]
    body_html: Annotated[str, Meta(description="The body rendered and sanitized.")]
    amendments: list[Amendment]


class SupportReplySupportedByItem(Reply, kw_only=True):
    id: int
    name: str


class SupportReply(Reply, kw_only=True):
    demand_id: int
    hidden: bool
    supporters: Annotated[int, Meta(description="Members supporting it (not its authors).")]
    support_required: int
    can_go_to_vote: Annotated[
        bool, Meta(description="open, not hidden, and supporters >= support_required.")
    ]
    supported_by: (
        Annotated[
            list[SupportReplySupportedByItem],
            Meta(
                description="The first 10 who support it, in the order they gave their "
                "support (`supporters` counts them all; `demands.supporters` pages through "
                "them); null when the convening is anonymous.",
                max_length=10,
            ),
        ]
        | None
    )
    supported: Annotated[bool, Meta(description="Whether I support it now.")]


class SupporterListSupportersItem(Reply, kw_only=True):
    id: int
    name: str


class SupporterList(Reply, kw_only=True):
    """One page of a demand's supporters, in the order they gave their support."""

    demand_id: int
    supporters: Annotated[list[SupporterListSupportersItem], Meta(max_length=500)]
    offset: int
    limit: int
    total: Annotated[int, Meta(description="Its supporters in all.")]
    next_offset: Annotated[
        int | None, Meta(description="Ask again with offset = this for the next page; null: last.")
    ]


class DemandVersion(Reply, kw_only=True):
    number: int
    title: str
    body: str
    kind: Literal["original", "edit", "typo", "amendment"]
    created_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})]
    author_id: int | UnsetType | None = UNSET
    amendment_id: int | UnsetType | None = UNSET


class MyDemandState(Reply, kw_only=True):
    supports: list[int]
    stances: dict[str, Literal["agree", "disagree", "pass"]]


class DemandList(Reply, kw_only=True):
    sort: Literal["position", "agreement", "bridging"]
    demands: list[Demand]
    offset: int
    limit: int
    total: int
    next_offset: int | None
    me: MyDemandState


class DemandOrder(Reply, kw_only=True):
    order: list[int]


class AgreementReply(Reply, kw_only=True):
    demand_id: int
    stance: Literal["agree", "disagree", "pass"]
    agreement: Agreement


class VersionList(Reply, kw_only=True):
    demand_id: int
    current: int
    versions: list[DemandVersion]


class VersionComparison(Reply, kw_only=True):
    demand_id: int
    from_: int = msgspec.field(name="from")
    to: int
    title: list[DiffOp]
    diff: list[DiffOp]
    diff_html: Annotated[
        str,
        Meta(
            description="The change as people read it: the rendered text (sanitized HTML) "
            "with deleted words in <del> and inserted ones in <ins>."
        ),
    ]


class ForwardUpstream(Reply, kw_only=True):
    code: str
    title: str


class Forwarded(Reply, kw_only=True):
    forwarded: Annotated[
        bool, Meta(description="False: this version was forwarded before; nothing changed.")
    ]
    upstream: ForwardUpstream
    demand_id: Annotated[int, Meta(description="The demand it is in the upstream convening.")]
    origin: DemandOrigin
