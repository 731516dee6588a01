"""The replies of the JSON API, as msgspec structs: the OpenAPI document's reply schemas.

convene/web/api/spec.py generates the document from these and from the command schemas
(convene/services/schemas.py); the API tests and the fuzz test validate every reply against
it, so a reply that changes shape without its model fails the tests.
Fields that a reply may leave out are ``UnsetType``; all others are always present.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from convene.domain import methods

#: A voting method's name, written out (the records in convene/domain/methods).
MethodName = Literal[methods.names()]


class Reply(Struct, kw_only=True):
    """Base of every reply model (documentation only: replies may carry more fields)."""


class RosterProblem(Reply, kw_only=True):
    line: Annotated[
        int, Meta(description="The line of the CSV file (1: its header), or the JSON row, from 1.")
    ]
    field: str | None
    message: str


class ErrorDetail(Reply, kw_only=True):
    code: Annotated[str, Meta(examples=["invalid_input", "forbidden"])]
    message: str
    field: str | UnsetType = UNSET
    errors: (
        Annotated[
            list[RosterProblem],
            Meta(description="`invalid_roster`: every problem (the first 200), with its line."),
        ]
        | UnsetType
    ) = UNSET
    error_count: (
        Annotated[int, Meta(description="`invalid_roster`: how many problems in all.")] | UnsetType
    ) = UNSET


class Error(Reply, kw_only=True):
    error: ErrorDetail


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


class Presence(Reply, kw_only=True):
    participants_connected: int
    connected: (
        Annotated[list[int], Meta(description="Member ids connected now (facilitators only).")]
        | UnsetType
    ) = UNSET


class ProjectorView(Reply, kw_only=True):
    """What the projector shows (every projector link not pinned to a view with ?show=)."""

    show: Literal["auto", "join", "agenda", "floor", "demand", "round"]
    demand_id: int | None
    round_id: int | None
    since: Annotated[
        str | None,
        Meta(
            description="auto: when it was chosen; results closed before it are not shown again.",
            extra_json_schema={"format": "date-time"},
        ),
    ]
    result_seconds: Annotated[
        int,
        Meta(description="In auto, how long a closed round's result stays before the floor."),
    ]


class CheckinCounts(Reply, kw_only=True):
    checked_in: Annotated[int, Meta(description="Roster entries checked in now.")]
    voters: Annotated[
        int, Meta(description="Of them, who vote: delegates, and alternates in a seat.")
    ]
    seated: Annotated[int, Meta(description="Alternates in a delegate's seat.")]
    roster: Annotated[int, Meta(description="Entries on the roster.")]


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


#: Models of event data (not replies of a route), published in the document's components
#: for clients of the Socket.IO events (docs/realtime.md).
EVENT_DATA = (FloorChange,)


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


class Admission(Reply, kw_only=True):
    id: int
    token: Annotated[str, Meta(description="The participant's secret identity.")]


class RosterRow(Reply, kw_only=True):
    line: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    contact: str
    action: Literal["added", "updated", "unchanged"]


class NotInFile(Reply, kw_only=True):
    id: int
    external_id: str | None
    name: str
    delegation: str


class RosterImport(Reply, kw_only=True):
    """What a roster import did (or, with ``dry_run``, would do)."""

    added: int
    updated: int
    unchanged: int
    not_in_file: Annotated[
        list[NotInFile],
        Meta(description="People on the roster that the file does not list: kept, not removed."),
    ]
    total: Annotated[int, Meta(description="People on the roster after the import.")]
    dry_run: bool
    rows: (
        Annotated[list[RosterRow], Meta(description="A dry run's rows, each with its action.")]
        | UnsetType
    ) = UNSET


class RosterListed(Reply, kw_only=True):
    entry_id: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    member_id: Annotated[
        int | None, Meta(description="The member it became on first use; null until then.")
    ]
    issued_at: Annotated[
        str | None, Meta(description="When its current credential was made (null: not yet).")
    ]


class RosterList(Reply, kw_only=True):
    """One page of the roster (no secrets)."""

    entries: list[RosterListed]
    next_after: Annotated[int | None, Meta(description="Ask again with after=this; null: done.")]


class RosterCredential(Reply, kw_only=True):
    """A roster entry's credential: print it, hand it out, keep it secret."""

    entry_id: int
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    vote_weight: int
    external_id: str | None
    contact: str
    code: Annotated[str, Meta(description="The badge code, as printed (two groups of four).")]
    token: Annotated[str, Meta(description="The personal link's secret token.")]
    url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]
    member_id: Annotated[
        int | None, Meta(description="The member it became on first use; null until then.")
    ]


class BadgeAdmission(Reply, kw_only=True):
    id: int
    token: Annotated[str, Meta(description="The badge holder's secret identity (their link's).")]
    role: Literal["participant", "observer"]
    url: Annotated[str, Meta(extra_json_schema={"format": "uri"})]


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


class AgendaOrder(Reply, kw_only=True):
    order: list[int]


class FloorReply(Reply, kw_only=True):
    floor: Floor | None


class SignalAccepted(Reply, kw_only=True):
    accepted: bool


class SpeakingStatistics(Reply, kw_only=True):
    convening: SpeakingStats
    items: list[SpeakingStats]


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


class PaperRoll(Reply, kw_only=True):
    """Those whose paper ballot may still be entered, whose name holds `search`, by name."""

    round_id: int
    search: str
    people: Annotated[list[PaperRollPerson], Meta(max_length=100)]
    total: Annotated[int, Meta(description="How many match (type more to narrow).")]


class EntryRef(Reply, kw_only=True):
    entry_id: int
    name: str


class CheckinEntry(Reply, kw_only=True):
    entry_id: int
    member_id: Annotated[
        int | None, Meta(description="The member once their badge was first used.")
    ]
    name: str
    delegation: str
    role: Literal["delegate", "alternate", "observer"]
    checked_in: bool
    checked_in_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None
    seat_of: Annotated[
        EntryRef | None, Meta(description="An alternate: the delegate whose seat they hold.")
    ]
    held_by: Annotated[
        EntryRef | None, Meta(description="A delegate: the alternate who holds their seat.")
    ]


class Seat(Reply, kw_only=True):
    """A delegate's seat an alternate holds."""

    entry_id: Annotated[int, Meta(description="The alternate's roster entry.")]
    member_id: int | None
    name: str
    delegation: str
    seat_of: Annotated[int, Meta(description="The delegate's roster entry.")]
    seat_member_id: int | None
    seat_name: str
    seated_at: Annotated[str, Meta(extra_json_schema={"format": "date-time"})] | None


class Checkin(CheckinEntry, kw_only=True):
    """A roster entry checked in or out, and the counts after it."""

    already: Annotated[
        bool, Meta(description="It was already so: nothing changed, nothing recorded.")
    ]
    counts: CheckinCounts


class CheckinSearch(Reply, kw_only=True):
    entries: Annotated[list[CheckinEntry], Meta(max_length=20)]
    more: Annotated[bool, Meta(description="More match than shown: type more.")]
    counts: CheckinCounts


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


# -- linked convenings (issue 18) -----------------------------------------------------------


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
