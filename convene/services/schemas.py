"""The input of every command, declared once (msgspec structs), checked before it runs.

A command's schema says what its arguments are: their names, JSON types, which are required,
which may be null, and the bounds the database imposes (ids and counts fit its integer
columns). It never coerces: ``"10"`` for a whole number is refused. The domain keeps its own
rules (lengths, ranges that mean something in a meeting, who may do what); the schema only
makes sure it is handed values of the right kinds. The same structs generate the OpenAPI
document (convene/web/api/spec.py), so the two cannot drift.

How a command declares its input (see convene/services/commands.py)::

    class SteerProjector(Args):
        view: Literal["agenda", "round"]
        round_id: Id | UnsetType | None = UNSET   # optional: left out → the service's default

    COMMANDS["projector.steer"] = Command(projector.steer, SteerProjector)

Optional fields default to ``UNSET`` and are then not passed at all, so each service keeps
its own defaults (and "left out" stays different from "null" for partial updates).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from convene.domain.convening import NAME_MAX
from convene.domain.demands import SUPPORTERS_PAGE_MAX, Outcome, Stance
from convene.domain.errors import N_, InvalidInput, TooLarge
from convene.domain.floor import Progressive, RequestKind, Signal
from convene.domain.ids import INT_MAX
from convene.domain.methods import shapes
from convene.domain.rounds import Method

__all__ = ["UNSET", "Args", "Id", "Int", "UnsetType", "parse"]

#: INT_MAX: the database's integer columns are 32-bit on PostgreSQL (convene/domain/ids.py):
#: every id and count sent to the database fits this range.
Int = Annotated[int, Meta(ge=-INT_MAX - 1, le=INT_MAX)]
#: A row id: positive, within the columns' range.
Id = Annotated[int, Meta(ge=1, le=INT_MAX)]
#: A list of ids (a new order of items, demands or speakers; a ranking).
Ids = Annotated[list[Id], Meta(max_length=5000)]
#: Free text: the domain trims, normalises (NFC), removes invisible characters from names
#: and titles and checks the length (413 when too long), so the schema only asks for text.
Text = str


class Args(Struct, forbid_unknown_fields=True, kw_only=True):
    """Base of every command's arguments: a JSON object with no other fields."""


# -- convening and members ---------------------------------------------------------------------


class CreateConvening(Args):
    title: Text
    description: Text | UnsetType = UNSET
    place: Text | UnsetType = UNSET
    date: Text | UnsetType | None = UNSET
    passcode: Text | UnsetType | None = UNSET
    facilitator_name: Text | UnsetType | None = UNSET
    #: one of config LANGUAGES (the domain refuses others, naming them)
    language: Text | UnsetType = UNSET


class Join(Args):
    name: Text
    passcode: Text | UnsetType | None = UNSET
    caucus: Text | UnsetType | None = UNSET


class UpdateConvening(Args):
    title: Text | UnsetType = UNSET
    description: Text | UnsetType = UNSET
    place: Text | UnsetType = UNSET
    date: Text | UnsetType | None = UNSET
    passcode: Text | UnsetType | None = UNSET
    language: Text | UnsetType = UNSET
    progressive: Progressive | UnsetType = UNSET
    speaker_limit_seconds: Int | UnsetType | None = UNSET
    allow_direct_responses: bool | UnsetType = UNSET
    anonymous: bool | UnsetType = UNSET
    support_required: Int | UnsetType = UNSET
    fallback_threshold: Text | UnsetType | None = UNSET
    minutes_public: bool | UnsetType = UNSET
    participants_add_actions: bool | UnsetType = UNSET
    accredited_voting: bool | UnsetType = UNSET


class Invite(Args):
    role: Literal["facilitator", "observer", "projector", "teller", "desk"]
    name: Text | UnsetType | None = UNSET


class MemberRef(Args):
    member_id: Id


#: The largest page of a paged read of members or events (convene/services/live.py).
MEMBERS_PAGE_MAX = 500
EVENTS_PAGE_MAX = 500
#: The largest page of rounds.not_voted (convene/services/rounds/views.py).
NOT_VOTED_PAGE_MAX = 500


class ListMembers(Args):
    """One page of the members, by id: those after ``after`` (the previous page's
    ``next_after``; 0 or left out: from the start), at most ``limit``."""

    after: Annotated[int, Meta(ge=0, le=INT_MAX)] | UnsetType = UNSET
    limit: Annotated[int, Meta(ge=1, le=MEMBERS_PAGE_MAX)] | UnsetType = UNSET


class SetWeight(Args):
    member_id: Id
    vote_weight: Int | UnsetType = UNSET
    carried_by_id: Id | UnsetType | None = UNSET


class SetCaucus(Args):
    member_id: Id
    caucus: Text | None


# -- the roster ---------------------------------------------------------------------------------

#: One cell of a JSON roster row: the domain checks each against its column and reports it
#: with its line (convene/domain/roster.py), so a bad cell is one problem among all of them.
RosterCell = str | int | float | bool | None


class ImportRoster(Args):
    """A whole roster: ``csv`` (a CSV file's text: a header line naming the columns name,
    delegation, role, vote_weight, external_id, contact, then one person a line) or ``rows``
    (objects with those keys), at most 5,000 people; ``dry_run``: say what it would do and
    change nothing."""

    csv: Text | UnsetType = UNSET
    rows: list[dict[str, RosterCell]] | UnsetType = UNSET
    dry_run: bool | UnsetType = UNSET


#: The most roster entries one ``roster.list`` returns.
ROSTER_PAGE_MAX = 500


class ListRoster(Args):
    """One page of the roster, by id (those after ``after``, at most ``limit``), or only
    the entries whose name, delegation or external id contain ``search`` (case aside)."""

    after: Annotated[int, Meta(ge=0, le=INT_MAX)] | UnsetType = UNSET
    limit: Annotated[int, Meta(ge=1, le=ROSTER_PAGE_MAX)] | UnsetType = UNSET
    search: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET


class RosterCredentials(Args):
    """Every entry's credential, or only ``entry_id``'s (one badge to print again)."""

    entry_id: Id | UnsetType = UNSET


class RosterEntryRef(Args):
    """A roster entry (``…/roster/{entry_id}/reissue``)."""

    entry_id: Id


class CheckIn(Args):
    """A badge at the desk: ``code`` (the badge code typed, or what its QR holds: the
    personal link or its token), or ``entry_id`` (someone found by name); exactly one.
    ``seat_of``: an alternate takes the seat of this delegate (their roster entry id)."""

    code: Annotated[str, Meta(max_length=400)] | UnsetType = UNSET
    entry_id: Id | UnsetType = UNSET
    seat_of: Id | UnsetType = UNSET


class SearchCheckins(Args):
    """The roster entries the desk may read, whose name or delegation holds ``search``."""

    search: Annotated[str, Meta(max_length=200)] | UnsetType | None = UNSET


class RedeemBadge(Args):
    """Arrive with a badge: its code as typed (``K7PQ-MX3A``; case, spaces and dashes do
    not matter), or its personal link's token; one of the two."""

    badge_code: Text | UnsetType = UNSET
    token: Text | UnsetType = UNSET


class BadgesQuery(Args):
    """``GET …/roster/badges.pdf?paper=a4|letter`` (A4 when left out)."""

    paper: Literal["a4", "letter"] | UnsetType = UNSET


# -- linked convenings (issue 18) ---------------------------------------------------------------


class InviteFeeder(Args):
    """A feeder invitation; ``label``: whom it is for (the facilitator's note, no secret)."""

    label: Text | UnsetType | None = UNSET


class FeederInvitationRef(Args):
    invitation_id: Id


class LinkUpstream(Args):
    """Send this convening's demands to convening ``code`` (its join code), with the feeder
    ``invitation`` its facilitator made."""

    code: Annotated[str, Meta(max_length=40)]
    invitation: Annotated[str, Meta(max_length=200)]


class FeederRef(Args):
    """A feeder, by its join code (``…/feeders/{feeder_code}``)."""

    feeder_code: Text


# -- agenda -------------------------------------------------------------------------------------


class AddItem(Args):
    title: Text
    notes: Text | UnsetType = UNSET
    timebox_minutes: Int | UnsetType | None = UNSET


class ItemRef(Args):
    item_id: Id


class EditItem(Args):
    item_id: Id
    title: Text | UnsetType = UNSET
    notes: Text | UnsetType = UNSET
    timebox_minutes: Int | UnsetType | None = UNSET
    progressive: Progressive | UnsetType | None = UNSET
    speaker_limit_seconds: Int | UnsetType | None = UNSET


class Order(Args):
    order: Ids


class NoArgs(Args):
    pass


# -- the floor ----------------------------------------------------------------------------------


class RaiseHand(Args):
    kind: RequestKind | UnsetType = UNSET


class RequestRef(Args):
    request_id: Id


class SendSignal(Args):
    signal: Signal


# -- rounds -------------------------------------------------------------------------------------


class RoundOption(Struct, forbid_unknown_fields=True):
    """Exactly one of the three (the domain says so when it is not)."""

    label: Text | UnsetType = UNSET
    demand_id: Id | UnsetType = UNSET
    amendment_id: Id | UnsetType = UNSET


class CreateRound(Args):
    title: Text
    method: Method
    options: Annotated[list[RoundOption], Meta(max_length=200)]
    seats: Int | UnsetType | None = UNSET
    rule: Literal["scottish", "meek"] | UnsetType | None = UNSET
    threshold: Text | UnsetType | None = UNSET
    quorum: Int | UnsetType | None = UNSET
    stand_aside_limit: Text | UnsetType | None = UNSET
    secret: bool | UnsetType = UNSET
    live_results: bool | UnsetType = UNSET
    agenda_item_id: Id | UnsetType | None = UNSET
    closes_at: Text | UnsetType | None = UNSET
    #: ties that looking back cannot break: the seeded lot (default), the options' order,
    #: or a lot drawn in the room (the count pauses for rounds.draw_lot)
    tie_break: Literal["lot", "order", "room"] | UnsetType | None = UNSET


class RoundRef(Args):
    round_id: Id


class ListNotVoted(Args):
    """One page of who has not voted in an open named round: those with a member id above
    ``after`` (the previous page's ``next_after``; 0 or left out: from the start)."""

    round_id: Id
    after: Annotated[int, Meta(ge=0, le=INT_MAX)] | UnsetType = UNSET
    limit: Annotated[int, Meta(ge=1, le=NOT_VOTED_PAGE_MAX)] | UnsetType = UNSET


#: The most people rounds.paper_roll lists at once (a teller types more of the name to find
#: someone among many), and the longest search it takes (a name's bound).
PAPER_ROLL_MAX = 100
PAPER_SEARCH_MAX = NAME_MAX


class PaperRoll(Args):
    """Those whose paper ballot may still be entered in an open round, whose name holds
    ``search`` (any case), by name, at most ``limit``."""

    round_id: Id
    search: Text | UnsetType | None = UNSET
    limit: Annotated[int, Meta(ge=1, le=PAPER_ROLL_MAX)] | UnsetType = UNSET


class DrawLot(Args):
    round_id: Id
    #: the tied option the lot drawn in the room chose
    option_id: Id


#: The JSON type of each kind of ballot field (convene/domain/methods/ballots.py, WIRES).
BALLOT_WIRES = {
    "ids": Ids,
    "marks": Annotated[dict[str, Int], Meta(max_length=1000)],
    "choice": Text | Int,
}

#: The hot path (thousands of ballots in seconds): a handful of plain fields. The ballot's
#: field is one of the methods' ballot shapes (``ranking``, ``approve``, ``scores``,
#: ``choice``...): the round's method says which, and the domain checks it.
CastBallot = msgspec.defstruct(
    "CastBallot",
    [
        ("round_id", Id),
        *((shape.key, BALLOT_WIRES[shape.wire] | UnsetType, UNSET) for shape in shapes()),
        ("receipt", Text | UnsetType | None, UNSET),
        ("replaces", Text | UnsetType | None, UNSET),
    ],
    bases=(Args,),
    module=__name__,
    kw_only=True,
)
CastBallot.__doc__ = "The hot path (thousands of ballots in seconds): a handful of plain fields."

#: A teller's (or a facilitator's) paper ballot: the participant it is for, and the ballot's
#: fields as a phone sends them (no receipt: the server draws it).
PaperBallot = msgspec.defstruct(
    "PaperBallot",
    [
        ("round_id", Id),
        ("member_id", Id),
        *((shape.key, BALLOT_WIRES[shape.wire] | UnsetType, UNSET) for shape in shapes()),
    ],
    bases=(Args,),
    module=__name__,
    kw_only=True,
)
PaperBallot.__doc__ = (
    "A paper ballot entered by a teller for the participant `member_id`: the ballot's "
    "fields as for a phone ballot. Counted once per seat, final."
)


class FollowUp(Args):
    round_id: Id
    path: Literal["amend", "retry", "fallback"]
    #: what the blocks said (shown to everyone on the demand); the service cleans and limits it
    reasons: Text | UnsetType | None = UNSET


# -- demands and amendments ---------------------------------------------------------------------


class ListDemands(Args):
    sort: Literal["position", "agreement", "bridging", ""] | UnsetType | None = UNSET
    # One page: offset 0 or more, limit 1 to 100 (the domain checks the range).
    offset: Int | UnsetType = UNSET
    limit: Int | UnsetType = UNSET
    #: only these demands (the text of the ones a screen shows), at most 100
    ids: Annotated[list[Id], Meta(max_length=100)] | UnsetType = UNSET


class DemandRef(Args):
    demand_id: Id


class ListSupporters(Args):
    """One page of a demand's supporters, in the order they gave their support."""

    demand_id: Id
    offset: Annotated[int, Meta(ge=0, le=INT_MAX)] | UnsetType = UNSET
    limit: Annotated[int, Meta(ge=1, le=SUPPORTERS_PAGE_MAX)] | UnsetType = UNSET


class Compare(Args):
    demand_id: Id
    from_: Id = msgspec.field(name="from")
    to: Id


class Propose(Args):
    title: Text
    body: Text
    agenda_item_id: Id | UnsetType | None = UNSET


class EditDemand(Args):
    demand_id: Id
    version: Int | UnsetType | None = UNSET
    title: Text | UnsetType = UNSET
    body: Text | UnsetType = UNSET
    typo: bool | UnsetType = UNSET


class Forward(Args):
    """An adopted demand sent upstream, with the chapter's instruction to its delegates."""

    demand_id: Id
    mandate: (
        Literal["as written", "may accept friendly amendments", "advisory"] | UnsetType | None
    ) = UNSET
    note: Text | UnsetType | None = UNSET


class Hide(Args):
    demand_id: Id
    reason: Text


class Merge(Args):
    demand_id: Id
    into: Id


class Agree(Args):
    demand_id: Id
    stance: Stance


class Amend(Args):
    demand_id: Id
    body: Text
    rationale: Text | UnsetType = UNSET
    passage: Text | UnsetType | None = UNSET
    version: Int | UnsetType | None = UNSET


class AmendmentRef(Args):
    amendment_id: Id


class Decide(Args):
    amendment_id: Id
    outcome: Outcome


# -- minutes and actions ------------------------------------------------------------------------


class GetMinutes(Args):
    live: bool | UnsetType = UNSET


class AddNote(Args):
    agenda_item_id: Id
    text: Text


class AddAction(Args):
    what: Text
    who: Text
    due: Text | UnsetType | None = UNSET
    agenda_item_id: Id | UnsetType | None = UNSET


# -- query strings of reads that are not commands ----------------------------------------------


class EventsQuery(Args):
    """One page of the events after ``after`` (a seq), at most ``limit``."""

    after: Annotated[int, Meta(ge=0, le=INT_MAX)] | UnsetType = UNSET
    limit: Annotated[int, Meta(ge=1, le=EVENTS_PAGE_MAX)] | UnsetType = UNSET


class Resync(Args):
    """The Socket.IO ``resync`` message: the events after ``seq``, at most ``limit``; or,
    with ``snapshot: true``, a whole snapshot (a screen whose state went stale)."""

    seq: Annotated[int, Meta(ge=0, le=INT_MAX)]
    limit: Annotated[int, Meta(ge=1, le=EVENTS_PAGE_MAX)] | UnsetType = UNSET
    snapshot: bool | UnsetType = UNSET


class MinutesQuery(Args):
    format: Literal["json", "md", "html", "pdf"] | UnsetType = UNSET
    live: Literal["0", "1", "true", "false"] | UnsetType = UNSET


class RosterQuery(Args):
    """``POST …/roster?dry_run=true``: say what the import would do, change nothing."""

    dry_run: Literal["0", "1", "true", "false"] | UnsetType = UNSET


# -- checking -----------------------------------------------------------------------------------


def parse(schema: type[Struct], args: object, *, strict: bool = True) -> dict:
    """``args`` checked against ``schema``: the keyword arguments for the service (fields
    left out are not passed; nested structs become plain dicts, choices plain strings).
    ``strict=False`` only for query strings, whose values are all text: there ``"10"`` is
    the number 10. Raises InvalidInput naming the field."""
    try:
        value = msgspec.convert(args, schema, strict=strict)
    except msgspec.ValidationError as error:
        raise invalid(str(error)) from None
    return msgspec.to_builtins(value)  # UNSET fields are left out, JSON names kept


_MISSING = re.compile(r"Object missing required field `(?P<name>[^`]*)`")
_UNKNOWN = re.compile(r"Object contains unknown field `(?P<name>[^`]*)`")
_EXPECTED = re.compile(r"Expected `(?P<kind>[^`]*)`(?P<bound>[^,]*?)(?:, got `(?P<got>[^`]*)`)?$")
_AT = re.compile(r" - at `\$(?P<path>[^`]*)`$")
_FIRST = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)")
_KINDS = {
    "int": N_("%(field)s must be a whole number."),
    "str": N_("%(field)s must be text."),
    "bool": N_("%(field)s must be true or false."),
    "array": N_("%(field)s must be a list."),
    "object": N_("%(field)s must be an object."),
}


def invalid(detail: str) -> InvalidInput:
    """msgspec's explanation turned into a translatable error naming the top-level field."""
    at = _AT.search(detail)
    path = at.group("path") if at else ""
    detail = detail[: at.start()] if at else detail
    first = _FIRST.match(path)
    field = first.group(1) if first else None
    if match := _MISSING.fullmatch(detail):
        if field is None:
            return InvalidInput(N_("%(field)s is required."), field=match.group("name")[:60])
        return InvalidInput(N_("%(field)s is incomplete."), field=field)
    if match := _UNKNOWN.fullmatch(detail):
        if field is None:
            name = match.group("name")[:60]
            return InvalidInput(N_("Unknown field: %(name)s."), field=name, name=name)
        return InvalidInput(N_("%(field)s is not valid."), field=field)
    if field is None:
        return InvalidInput(N_("The arguments must be a JSON object."), field="args")
    if match := _EXPECTED.fullmatch(detail):
        kind, bound = match.group("kind"), match.group("bound").strip()
        if "length" in bound and "<=" in bound:
            return TooLarge(N_("%(field)s has too many entries."), field=field)
        if bound:
            return InvalidInput(N_("%(field)s is out of range."), field=field)
        if path.count(".") + path.count("[") == 1:
            template = _KINDS.get(kind.split(" | ")[0])
            if template:
                return InvalidInput(template, field=field)
    return InvalidInput(N_("%(field)s is not valid."), field=field)


# -- the projector -----------------------------------------------------------------------------


class ShowOnProjector(Args):
    """What the projector shows (convene/domain/projector.py): an id goes with demand or round."""

    show: Literal["auto", "join", "agenda", "floor", "demand", "round"]
    demand_id: Id | UnsetType | None = UNSET
    round_id: Id | UnsetType | None = UNSET
