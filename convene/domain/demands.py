"""Demands and amendments: what the room proposes, supports, changes and agrees on.

Pure Python. A :class:`Demand` has a title and a Markdown body, and every change of its
text makes a new numbered :class:`DemandVersion` (all are kept). An :class:`Amendment`
replaces the whole body, or one ``passage`` that occurs exactly once in it, and is shown as
a word-level diff (:mod:`convene.domain.textdiff`). Support (seconding) and agreement
stances are one row per member and demand. The rules here decide who may do what and in
which status; the service layer loads, stores and publishes.

Statuses: ``draft`` (proposed; its author may still edit or withdraw it) → ``open`` (the
facilitator put it before the room) → ``under_vote`` (reserved for voting rounds) →
``adopted`` | ``rejected``; or ``withdrawn`` (by its author, while a draft) or ``merged``
(into another demand). ``hidden`` is a separate flag set by a facilitator.

Agreement (see docs/demands.md): ``share = agree / (agree + disagree)`` (passes are not
counted); participants are grouped by caucus (no caucus is a group of its own; names
compared case-insensitively); a group counts once it has at least one agree or disagree;
``bridging`` is the lowest share among the groups that count.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound, TooLarge
from convene.domain.ids import is_id_list, is_whole
from convene.domain.text import clean_block, clean_line
from convene.domain.textdiff import word_diff
from convene.domain.times import iso

TITLE_MAX = 200
BODY_MAX = 5000
RATIONALE_MAX = 2000
REASON_MAX = 500
NOTE_MAX = 300
DEMANDS_MAX = 500
AMENDMENTS_MAX = 200
# What one participant may propose, so that no one person uses up the convening's demands
# or a demand's amendments. Withdrawn ones count too: they count towards those caps as well.
# Facilitators are not capped (they enter what chapters sent on paper).
DEMANDS_PER_PERSON = 10
AMENDMENTS_PER_PERSON = 10  # on one demand


class DemandStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    UNDER_VOTE = "under_vote"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


#: Statuses in which a demand is still being worked on: supported, amended, agreed on.
ACTIVE = (DemandStatus.DRAFT, DemandStatus.OPEN)


class AmendmentStatus(enum.StrEnum):
    PENDING = "pending"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    OUTDATED = "outdated"


#: The statuses in words (both nouns are feminine in Spanish: "la demanda", "la enmienda").
STATUS_NAMES = {
    "draft": N_("draft"),
    "open": N_("open"),
    "under_vote": N_("under vote"),
    "adopted": N_("adopted"),
    "rejected": N_("rejected"),
    "withdrawn": N_("withdrawn"),
    "merged": N_("merged"),
    "pending": N_("pending"),
    "outdated": N_("outdated"),
}


class VersionKind(enum.StrEnum):
    ORIGINAL = "original"
    EDIT = "edit"  # by its author, while a draft
    TYPO = "typo"  # a facilitator's correction
    AMENDMENT = "amendment"  # an adopted or friendly amendment


class Stance(enum.StrEnum):
    AGREE = "agree"
    DISAGREE = "disagree"
    PASS = "pass"  # noqa: S105 - a stance, not a password


class Outcome(enum.StrEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"


# -- parsing ---------------------------------------------------------------------------------

_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_fragment(value: object, field: str, max_length: int) -> str:
    """A piece of a body (a passage or its replacement): cleaned like a block, not trimmed,
    so a selection keeps the spaces that separate it from its neighbours."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(field)s must be text."), field=field)
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = _UNWANTED.sub("", text)
    if len(text) > max_length:
        raise TooLarge(
            N_("%(field)s is too long (at most %(max)d characters)."), field=field, max=max_length
        )
    return text


#: How many supporters a demand's summary names (the first, in the order they gave their
#: support): the summary is in the snapshot and in every support event, which go to every
#: screen, so it names a few, not a hall; ``demands.supporters`` pages through them all.
SUPPORTERS_SHOWN = 10
#: The largest page of ``demands.supporters``.
SUPPORTERS_PAGE_MAX = 500

#: Largest page of demands one read returns (about 1 MB at most with 5,000-character bodies).
PAGE_MAX = 100


def parse_page(offset: object, limit: object, most: int = PAGE_MAX) -> tuple[int, int]:
    """``(offset, limit)`` of a paged read: whole numbers, ``limit`` 1 to ``most``."""
    if not is_whole(offset):
        raise InvalidInput(N_("offset must be a whole number, 0 or more."), field="offset")
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= most:
        raise InvalidInput(
            N_("limit must be a whole number from 1 to %(max)d."), field="limit", max=most
        )
    return offset, limit


def parse_optional_version(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput(N_("version must be a version number."), field="version")
    return value


def parse_stance(value: object) -> Stance:
    try:
        return Stance(value)
    except ValueError:
        raise InvalidInput(N_("A stance is agree, disagree or pass."), field="stance") from None


def parse_outcome(value: object) -> Outcome:
    try:
        return Outcome(value)
    except ValueError:
        raise InvalidInput(N_("The outcome is adopted or rejected."), field="outcome") from None


def require_participant(actor: Actor) -> None:
    """Participants and facilitators take part; projectors and observers only watch."""
    if actor.role not in (Role.PARTICIPANT, Role.FACILITATOR):
        raise Forbidden(N_("Projectors and observers cannot take part; use a participant link."))


def require_facilitator(actor: Actor) -> None:
    actor.require(Role.FACILITATOR)


# A passage as people read it (chosen on the rendered text, or typed as displayed) lacks the
# Markdown around its words: emphasis markers between them, list or heading markers after a
# line break. These match the source with and without them.
_MARKS = r"[*_~`]*"
_BREAK = r"(?:[ \t]*\n[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+)*)"


def _displayed_pattern(passage: str) -> re.Pattern:
    parts = []
    for piece in re.findall(r"\s+|\S", passage.strip()):
        if piece.isspace():
            parts.append(_MARKS + r"(?:" + _BREAK + r"|[ \t]+)+" + _MARKS)
        else:
            parts.append(re.escape(piece))
            parts.append(_MARKS)
    if parts and parts[-1] == _MARKS:
        parts.pop()
    return re.compile("".join(parts))


_LIST_MARK = re.compile(r"(?m)^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+")
_MARK_RUN = re.compile(r"\*+|_+|~+|`+")


def _balanced(text: str) -> bool:
    """Every emphasis marker run in ``text`` has its partner in it (list markers aside)."""
    runs = _MARK_RUN.findall(_LIST_MARK.sub("", text))
    for mark in "*_~`":
        mine = [len(run) for run in runs if run[0] == mark]
        if len(mine) % 2 or sum(mine) % 2:
            return False
    return True


def _with_markers(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span widened over adjacent emphasis markers until its markers pair up, or None."""
    left = start
    while left > 0 and text[left - 1] in "*_~`":
        left -= 1
    right = end
    while right < len(text) and text[right] in "*_~`":
        right += 1
    for s in range(start, left - 1, -1):
        for e in range(end, right + 1):
            if _balanced(text[s:e]):
                return s, e
    return None


def locate_passage(text: str, passage: str) -> list[tuple[int, int]]:
    """Where ``passage`` is in the Markdown ``text``: as written in the source, or else as
    people read it on the rendered text (see :data:`_MARKS`), widened over the emphasis
    markers around it so that a replacement leaves no marker unpaired. One span per
    occurrence; a displayed match that would split an emphasis gives no span (see
    :func:`splits_emphasis`)."""
    if passage in text:
        spans, start = [], 0
        while (found := text.find(passage, start)) >= 0:
            spans.append((found, found + len(passage)))
            start = found + 1
        return spans
    if not passage.strip():
        return []
    spans = []
    for match in _displayed_pattern(passage).finditer(text):
        span = _with_markers(text, match.start(), match.end())
        if span is not None:
            spans.append(span)
    return spans


def splits_emphasis(text: str, passage: str) -> bool:
    """The passage is in the displayed text, but starts or ends inside bold or italic words."""
    if not passage.strip():
        return False
    return _displayed_pattern(passage).search(text) is not None


def occurrences(text: str, passage: str) -> int:
    """How many times ``passage`` occurs in ``text``, overlapping occurrences included."""
    count, start = 0, 0
    while passage:
        found = text.find(passage, start)
        if found < 0:
            break
        count += 1
        start = found + 1
    return count


# -- demands -------------------------------------------------------------------------------


@dataclass(eq=False)
class DemandVersion:
    """One text of a demand. Version 1 is the original; every change adds the next."""

    demand_id: int | None
    number: int
    title: str
    body: str
    kind: VersionKind
    created_at: datetime
    author_id: int | None = None
    amendment_id: int | None = None
    id: int | None = None

    def public(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "body": self.body,
            "kind": str(self.kind),
            "created_at": iso(self.created_at),
            "author_id": self.author_id,
            "amendment_id": self.amendment_id,
        }


@dataclass(eq=False)
class Demand:
    convening_id: int
    author_id: int
    title: str
    body: str
    created_at: datetime
    position: int = 0
    item_id: int | None = None
    status: DemandStatus = DemandStatus.DRAFT
    hidden: bool = False
    hidden_reason: str | None = None
    version: int = 1
    #: authors credited besides ``author_id`` (the authors of demands merged into this one)
    coauthor_ids: list[int] = field(default_factory=list)
    merged_into_id: int | None = None
    updated_at: datetime | None = None
    #: the last consent round that did not pass on this demand, while the room works on it
    #: again: ``{"round_id", "round_title", "reasons", "path"}`` (see :meth:`blocked`)
    consent_block: dict | None = None
    id: int | None = None

    @classmethod
    def propose(
        cls,
        *,
        convening_id: int,
        actor: Actor,
        title: object,
        body: object,
        position: int,
        now: datetime,
        item_id: int | None = None,
    ) -> Demand:
        require_participant(actor)
        return cls(
            convening_id=convening_id,
            author_id=actor.member_id,
            title=clean_line(title, "title", TITLE_MAX),
            body=clean_block(body, "body", BODY_MAX, required=True),
            created_at=now,
            updated_at=now,
            position=position,
            item_id=item_id,
        )

    @property
    def authors(self) -> list[int]:
        return [self.author_id, *self.coauthor_ids]

    def is_author(self, member_id: int) -> bool:
        return member_id in self.authors

    def first_version(self) -> DemandVersion:
        return DemandVersion(
            demand_id=self.id,
            number=1,
            title=self.title,
            body=self.body,
            kind=VersionKind.ORIGINAL,
            created_at=self.created_at,
            author_id=self.author_id,
        )

    def visible_to(self, actor: Actor) -> bool:
        return actor.is_staff or not self.hidden

    def check_visible(self, actor: Actor) -> None:
        """Hidden demands do not exist for anyone but facilitators."""
        if not self.visible_to(actor):
            raise NotFound(N_("There is no demand %(id)s in this convening."), id=self.id)

    def check_active(self) -> None:
        if self.status not in ACTIVE:
            raise Conflict(
                N_("This demand is %(status)s: it can no longer be changed."),
                status=str(self.status),
            )

    def check_version(self, version: int | None) -> None:
        if version is not None and version != self.version:
            raise Conflict(
                N_(
                    "This demand is at version %(current)d now, not %(given)d: "
                    "read the current text and try again."
                ),
                current=self.version,
                given=version,
            )

    # -- the author's and the facilitator's changes ------------------------------------

    def edit(
        self,
        actor: Actor,
        changes: dict,
        now: datetime,
        *,
        version: int | None = None,
    ) -> DemandVersion:
        """The author edits a draft; a facilitator corrects typos at any time while active.

        A facilitator's change to someone else's demand is recorded as a ``typo`` version
        (so is any change sent with ``typo: true``); the author's own is an ``edit``.
        """
        self.check_active()
        allowed = {"title", "body", "typo"}
        unknown = set(changes) - allowed
        if unknown:
            name = sorted(unknown)[0]
            raise InvalidInput(N_("Unknown field: %(name)s."), field=name, name=name)
        typo = changes.get("typo", False)
        if not isinstance(typo, bool):
            raise InvalidInput(N_("typo must be true or false."), field="typo")
        mine = self.is_author(actor.member_id)
        if actor.is_staff and (typo or not mine):
            kind = VersionKind.TYPO
        elif mine:
            if self.status is not DemandStatus.DRAFT:
                raise Conflict(
                    N_(
                        "This demand is before the room: propose an amendment instead of "
                        "editing it."
                    )
                )
            kind = VersionKind.EDIT
        else:
            raise Forbidden(N_("Only the author of a demand may edit it."))
        title = (
            clean_line(changes["title"], "title", TITLE_MAX) if "title" in changes else self.title
        )
        body = (
            clean_block(changes["body"], "body", BODY_MAX, required=True)
            if "body" in changes
            else self.body
        )
        self.check_version(version)
        if title == self.title and body == self.body:
            raise Conflict(N_("That changes nothing."))
        return self._new_version(title, body, kind, now, actor.member_id)

    def _new_version(
        self,
        title: str,
        body: str,
        kind: VersionKind,
        now: datetime,
        author_id: int | None,
        amendment_id: int | None = None,
    ) -> DemandVersion:
        self.title, self.body = title, body
        self.version += 1
        self.updated_at = now
        return DemandVersion(
            demand_id=self.id,
            number=self.version,
            title=title,
            body=body,
            kind=kind,
            created_at=now,
            author_id=author_id,
            amendment_id=amendment_id,
        )

    def withdraw(self, actor: Actor, now: datetime) -> None:
        if not self.is_author(actor.member_id):
            raise Forbidden(N_("Only the author of a demand may withdraw it."))
        if self.status is not DemandStatus.DRAFT:
            raise Conflict(
                N_("Only a draft can be withdrawn; this demand is %(status)s."),
                status=str(self.status),
            )
        self.status = DemandStatus.WITHDRAWN
        self.updated_at = now

    def open(self, actor: Actor, now: datetime) -> None:
        require_facilitator(actor)
        if self.status is not DemandStatus.DRAFT:
            raise Conflict(
                N_("Only a draft can be put before the room; this demand is %(status)s."),
                status=str(self.status),
            )
        self.status = DemandStatus.OPEN
        self.updated_at = now

    def hide(self, actor: Actor, reason: object, now: datetime) -> None:
        require_facilitator(actor)
        reason_text = clean_line(reason, "reason", REASON_MAX)
        if self.hidden:
            raise Conflict(N_("This demand is already hidden."))
        self.hidden = True
        self.hidden_reason = reason_text
        self.updated_at = now

    def unhide(self, actor: Actor, now: datetime) -> None:
        require_facilitator(actor)
        if not self.hidden:
            raise Conflict(N_("This demand is not hidden."))
        self.hidden = False
        self.hidden_reason = None
        self.updated_at = now

    def merge_into(self, actor: Actor, target: Demand, now: datetime) -> None:
        """A duplicate joins ``target``: this one becomes ``merged``, its authors are credited
        on ``target`` (supporters are carried over by the caller, see :func:`merged_support`)."""
        require_facilitator(actor)
        if target is self or target.id == self.id:
            raise InvalidInput(N_("A demand cannot be merged into itself."), field="into")
        self.check_active()
        target.check_active()
        credited = [m for m in self.authors if m not in target.authors]
        target.coauthor_ids = [*target.coauthor_ids, *credited]
        target.updated_at = now
        self.status = DemandStatus.MERGED
        self.merged_into_id = target.id
        self.updated_at = now

    # -- decided by rounds -----------------------------------------------------------------

    def put_to_vote(self) -> None:
        """A round on this demand opened: it is under vote (and the last block is past)."""
        if self.status in ACTIVE:
            self.status = DemandStatus.UNDER_VOTE
            self.consent_block = None

    def decided(self, adopted: bool, now: datetime) -> None:
        """A round on this demand closed with a decision: adopted, or rejected."""
        self.status = DemandStatus.ADOPTED if adopted else DemandStatus.REJECTED
        self.updated_at = now

    def blocked(self, round_id: int, round_title: str, now: datetime) -> None:
        """A consent round on this demand did not pass (a block, or too many stand-asides).

        That is not a decision against it: the demand is open again, so that each follow-up
        works (amend it, a new consent round, a fallback vote); the block is kept on it for
        everyone to see until the next round on it opens.
        """
        self.status = DemandStatus.OPEN
        self.consent_block = {
            "round_id": round_id,
            "round_title": round_title,
            "reasons": "",
            "path": None,
        }
        self.updated_at = now

    def followed_up(self, round_id: int, path: str, reasons: object, now: datetime) -> None:
        """The facilitator chose what follows the block of round ``round_id`` and wrote down
        the reasons the blocks gave (shown to everyone)."""
        text = clean_block(reasons, "reasons", RATIONALE_MAX)
        block = self.consent_block
        if block is None or block.get("round_id") != round_id:
            block = {"round_id": round_id, "round_title": "", "reasons": "", "path": None}
        self.consent_block = {**block, "path": path, "reasons": text or block.get("reasons", "")}
        self.updated_at = now

    def check_for_vote(self, supporters: int, required: int, *, again: bool = False) -> None:
        """May this demand go to a vote now? ``again``: a follow-up of a blocked consent
        round, which already had the support it needed. Errors name the demand by title."""
        if self.status is DemandStatus.DRAFT:
            raise Conflict(
                N_("“%(title)s” is still a draft: put it before the room first."),
                title=self.title,
            )
        if self.status not in ACTIVE:
            raise Conflict(
                N_("“%(title)s” is %(status)s: it cannot go to a vote."),
                title=self.title,
                status=str(self.status).replace("_", " "),
            )
        if not again and supporters < required:
            raise Conflict(
                N_("“%(title)s” needs %(required)d supporters before it can go to a vote."),
                title=self.title,
                required=required,
            )

    def core(self) -> dict:
        """The demand's own fields (the service adds names, html, support and agreement)."""
        return {
            "id": self.id,
            "item_id": self.item_id,
            "title": self.title,
            "body": self.body,
            "status": str(self.status),
            "hidden": self.hidden,
            "hidden_reason": self.hidden_reason,
            "position": self.position,
            "version": self.version,
            "versions": self.version,
            "author_id": self.author_id,
            "coauthor_ids": list(self.coauthor_ids),
            "merged_into": self.merged_into_id,
            "consent_block": dict(self.consent_block) if self.consent_block else None,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
        }


def reorder(demands: list[Demand], order: object) -> list[int]:
    """Give ``demands`` the positions of ``order``, which lists every one of them once."""
    if not is_id_list(order):
        raise InvalidInput(N_("The order must be a list of demand ids."), field="order")
    if sorted(order) != sorted(d.id for d in demands):
        raise InvalidInput(N_("The order must list every demand exactly once."), field="order")
    by_id = {d.id: d for d in demands}
    for position, demand_id in enumerate(order):
        by_id[demand_id].position = position
    return list(order)


# -- support -------------------------------------------------------------------------------


def check_can_support(demand: Demand, actor: Actor, already: bool) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: it no longer takes support."), status=str(demand.status)
        )
    if demand.is_author(actor.member_id):
        raise Conflict(N_("You proposed this demand: it needs support from others."))
    if already:
        raise Conflict(N_("You already support this demand."))


def check_can_unsupport(demand: Demand, actor: Actor, supported: bool) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: its support can no longer change."),
            status=str(demand.status),
        )
    if not supported:
        raise Conflict(N_("You do not support this demand."))


def merged_support(
    source_supporters: Iterable[int], target_supporters: Iterable[int], target: Demand
) -> set[int]:
    """Who supports the target after a merge: everyone who supported either demand, except
    its (now credited) authors, who need no seconding of their own demand."""
    return {m for m in {*source_supporters, *target_supporters} if not target.is_author(m)}


def can_go_to_vote(demand: Demand, supporters: int, required: int) -> bool:
    return demand.status is DemandStatus.OPEN and not demand.hidden and supporters >= required


# -- amendments ----------------------------------------------------------------------------


@dataclass(eq=False)
class Amendment:
    """A proposed change of a demand's body.

    ``old_text`` is the body it was written (or last rebased) against, version
    ``base_version``; ``new_text`` is that body with the change made. Both are kept, so an
    amendment's diff can be shown whatever happened since.
    """

    convening_id: int
    demand_id: int
    author_id: int
    body: str
    rationale: str
    base_version: int
    old_text: str
    new_text: str
    created_at: datetime
    passage: str | None = None
    status: AmendmentStatus = AmendmentStatus.PENDING
    note: str = ""
    friendly: bool = False
    decided_at: datetime | None = None
    decided_by: int | None = None
    result_version: int | None = None
    id: int | None = None

    @property
    def whole(self) -> bool:
        return self.passage is None

    def span(self) -> tuple[int, int]:
        """Where the change falls in ``old_text``: the passage, or all of it."""
        if self.passage is None:
            return (0, max(len(self.old_text), 1))
        start = self.old_text.find(self.passage)
        return (start, start + len(self.passage))

    def diff(self) -> list[dict]:
        return word_diff(self.old_text, self.new_text)

    def core(self, *, diff: bool = True) -> dict:
        """The amendment as screens read it; without its word ``diff`` when ``diff`` is
        false (what an event says of the others: their status)."""
        core = {
            "id": self.id,
            "demand_id": self.demand_id,
            "author_id": self.author_id,
            "passage": self.passage,
            "body": self.body,
            "rationale": self.rationale,
            "status": str(self.status),
            "note": self.note,
            "friendly": self.friendly,
            "base_version": self.base_version,
            "result_version": self.result_version,
            "new_text": self.new_text,
            "diff": None,
            "created_at": iso(self.created_at),
            "decided_at": iso(self.decided_at),
        }
        if diff:
            core["diff"] = self.diff()
        else:
            del core["diff"]
        return core


def propose_amendment(
    demand: Demand,
    actor: Actor,
    *,
    body: object,
    rationale: object,
    passage: object = None,
    version: object = None,
    now: datetime,
) -> Amendment:
    """An amendment to ``demand``'s current body: the whole of it, or one passage of it."""
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: it can no longer be amended."),
            status=str(demand.status),
        )
    base = parse_optional_version(version)
    reason = clean_block(rationale, "rationale", RATIONALE_MAX)
    if passage in (None, ""):
        text = clean_block(body, "body", BODY_MAX, required=True)
        chosen, new_text = None, text
    else:
        chosen = clean_fragment(passage, "passage", BODY_MAX)
        if not chosen.strip():
            raise InvalidInput(N_("The passage must not be blank."), field="passage")
        text = clean_fragment(body, "body", BODY_MAX)
        new_text = None
    demand.check_version(base)
    if chosen is not None:
        spans = locate_passage(demand.body, chosen)
        found = len(spans)
        if found == 0 and splits_emphasis(demand.body, chosen):
            raise InvalidInput(
                N_(
                    "That passage starts or ends inside bold or italic words: choose all of "
                    "those words, or only words inside them."
                ),
                field="passage",
            )
        if found == 0:
            raise InvalidInput(
                N_("That passage does not occur in the current text of the demand."),
                field="passage",
            )
        if found > 1:
            raise InvalidInput(
                N_(
                    "That passage occurs %(count)d times in the demand: select a longer "
                    "passage that occurs only once."
                ),
                field="passage",
                count=found,
            )
        start, end = spans[0]
        chosen = demand.body[start:end]  # as written in the source, markers included
        new_text = demand.body[:start] + text + demand.body[end:]
    new_text = clean_block(new_text, "body", BODY_MAX, required=True)
    if new_text == demand.body:
        raise InvalidInput(N_("That amendment changes nothing."), field="body")
    return Amendment(
        convening_id=demand.convening_id,
        demand_id=demand.id,
        author_id=actor.member_id,
        body=text,
        rationale=reason,
        passage=chosen,
        base_version=demand.version,
        old_text=demand.body,
        new_text=new_text,
        created_at=now,
    )


def _replace_once(text: str, passage: str, replacement: str) -> str:
    start = text.find(passage)
    return text[:start] + replacement + text[start + len(passage) :]


def conflicts(amendments: Iterable[Amendment]) -> dict[int, list[int]]:
    """For every pending amendment, the pending ones it conflicts with.

    Two amendments conflict when their spans in the current body overlap. A whole-body
    amendment spans the whole body, so it conflicts with every other pending amendment.
    """
    pending = [a for a in amendments if a.status is AmendmentStatus.PENDING]
    spans = {a.id: a.span() for a in pending}
    result: dict[int, list[int]] = {a.id: [] for a in pending}
    for i, first in enumerate(pending):
        s1, e1 = spans[first.id]
        for second in pending[i + 1 :]:
            s2, e2 = spans[second.id]
            if s1 < e2 and s2 < e1:
                result[first.id].append(second.id)
                result[second.id].append(first.id)
    return result


def check_can_accept(demand: Demand, amendment: Amendment, actor: Actor) -> None:
    """The demand's author accepts an amendment as friendly."""
    if not demand.is_author(actor.member_id):
        raise Forbidden(N_("Only the author of the demand may accept an amendment as friendly."))
    _check_pending(demand, amendment)


def check_can_decide(demand: Demand, amendment: Amendment, actor: Actor) -> None:
    require_facilitator(actor)
    _check_pending(demand, amendment)


def check_can_withdraw_amendment(demand: Demand, amendment: Amendment, actor: Actor) -> None:
    if amendment.author_id != actor.member_id:
        raise Forbidden(N_("Only the author of an amendment may withdraw it."))
    _check_pending(demand, amendment)


def _check_pending(demand: Demand, amendment: Amendment) -> None:
    if amendment.status is not AmendmentStatus.PENDING:
        raise Conflict(
            N_("This amendment is %(status)s, no longer pending."), status=str(amendment.status)
        )
    demand.check_active()


def withdraw_amendment(amendment: Amendment, now: datetime) -> None:
    amendment.status = AmendmentStatus.WITHDRAWN
    amendment.decided_at = now


def reject_amendment(amendment: Amendment, actor: Actor, now: datetime) -> None:
    amendment.status = AmendmentStatus.REJECTED
    amendment.decided_at = now
    amendment.decided_by = actor.member_id


def adopt_amendment(
    demand: Demand,
    amendment: Amendment,
    actor: Actor,
    now: datetime,
    *,
    friendly: bool,
) -> DemandVersion:
    """Apply ``amendment``: the demand gets a new version with its text."""
    if amendment.base_version != demand.version or amendment.old_text != demand.body:
        raise Conflict(N_("This amendment does not fit the current text of the demand."))
    version = demand._new_version(
        demand.title,
        amendment.new_text,
        VersionKind.AMENDMENT,
        now,
        amendment.author_id,
        amendment.id,
    )
    amendment.status = AmendmentStatus.ADOPTED
    amendment.friendly = friendly
    amendment.decided_at = now
    amendment.decided_by = actor.member_id
    amendment.result_version = version.number
    return version


def rebase(demand: Demand, amendments: Iterable[Amendment], now: datetime) -> dict[str, list[int]]:
    """After the demand's text changed, carry pending amendments over to the new text.

    A passage amendment whose passage still occurs exactly once is rebased (same change,
    against the new text); any other pending amendment becomes ``outdated``, with a note
    saying why. Returns ``{"rebased": [ids], "outdated": [ids]}``.
    """
    result: dict[str, list[int]] = {"rebased": [], "outdated": []}
    for amendment in amendments:
        if amendment.status is not AmendmentStatus.PENDING or amendment.demand_id != demand.id:
            continue
        if amendment.base_version == demand.version and amendment.old_text == demand.body:
            continue
        note = None
        if amendment.passage is None:
            note = N_("The demand's text changed after this amendment was proposed.")
        elif occurrences(demand.body, amendment.passage) != 1:
            note = N_("The passage it changes no longer occurs exactly once in the demand.")
        else:
            new_text = _replace_once(demand.body, amendment.passage, amendment.body).strip()
            if new_text == demand.body or not new_text or len(new_text) > BODY_MAX:
                note = N_("The demand's new text already makes this change.")
            else:
                amendment.old_text, amendment.new_text = demand.body, new_text
                amendment.base_version = demand.version
                result["rebased"].append(amendment.id)
                continue
        amendment.status = AmendmentStatus.OUTDATED
        amendment.note = note
        amendment.decided_at = now
        result["outdated"].append(amendment.id)
    return result


def close_amendments(amendments: Iterable[Amendment], note: str, now: datetime) -> list[int]:
    """The demand left the active statuses: its pending amendments are outdated."""
    closed = []
    for amendment in amendments:
        if amendment.status is AmendmentStatus.PENDING:
            amendment.status = AmendmentStatus.OUTDATED
            amendment.note = note
            amendment.decided_at = now
            closed.append(amendment.id)
    return closed


def compare(versions: dict[int, DemandVersion], first: object, second: object) -> dict:
    """The difference between two versions of a demand (title and body)."""
    numbers = []
    for name, value in (("from", first), ("to", second)):
        if isinstance(value, str) and value.isascii() and value.isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(N_("%(field)s must be a version number."), field=name)
        if value not in versions:
            raise NotFound(N_("This demand has no version %(number)s."), number=value)
        numbers.append(value)
    a, b = versions[numbers[0]], versions[numbers[1]]
    return {
        "from": a.number,
        "to": b.number,
        "title": word_diff(a.title, b.title),
        "diff": word_diff(a.body, b.body),
    }


# -- agreement -----------------------------------------------------------------------------


@dataclass(eq=False)
class Support:
    demand_id: int
    member_id: int
    created_at: datetime
    id: int | None = None


@dataclass(eq=False)
class Agreement:
    demand_id: int
    member_id: int
    stance: Stance
    updated_at: datetime
    id: int | None = None


def check_can_take_stance(demand: Demand, actor: Actor) -> None:
    require_participant(actor)
    demand.check_visible(actor)
    if demand.status not in ACTIVE:
        raise Conflict(
            N_("This demand is %(status)s: stances on it can no longer change."),
            status=str(demand.status),
        )


def _share(agree: int, disagree: int) -> float | None:
    return None if agree + disagree == 0 else round(agree / (agree + disagree), 4)


def agreement_figures(counts: Iterable[tuple[str | None, str, int]]) -> dict:
    """Agreement of one demand from ``(caucus, stance, number)`` rows (one grouped query).

    ``share``: agree / (agree + disagree), None without such a response. ``bridging``: the
    lowest share among the caucus groups that have at least one agree or disagree (members
    without a caucus are one group), None when no group counts. Caucus names are grouped
    case-insensitively and shown as first seen (in sorted order).
    """
    groups: dict[str | None, dict] = {}
    totals = {s: 0 for s in Stance}
    for caucus, stance, number in sorted(counts, key=lambda r: (r[0] is None, r[0] or "", r[1])):
        key = caucus.casefold() if caucus else None
        group = groups.setdefault(key, {"caucus": caucus or None, **{s: 0 for s in Stance}})
        group[Stance(stance)] += number
        totals[Stance(stance)] += number
    caucuses = []
    for group in groups.values():
        share = _share(group[Stance.AGREE], group[Stance.DISAGREE])
        caucuses.append(
            {
                "caucus": group["caucus"],
                "agree": group[Stance.AGREE],
                "disagree": group[Stance.DISAGREE],
                "pass": group[Stance.PASS],
                "share": share,
                "counted": share is not None,
            }
        )
    counted = [c["share"] for c in caucuses if c["counted"]]
    return {
        "agree": totals[Stance.AGREE],
        "disagree": totals[Stance.DISAGREE],
        "pass": totals[Stance.PASS],
        "responses": sum(totals.values()),
        "share": _share(totals[Stance.AGREE], totals[Stance.DISAGREE]),
        "bridging": min(counted) if counted else None,
        "caucuses_counted": len(counted),
        "caucuses": caucuses,
    }


SORTS = ("position", "agreement", "bridging")


def sort_demands(demands: list, agreement: dict[int, dict], sort: object) -> list:
    """``demands`` in the order of :func:`sort_views`, from their agreement figures only."""
    views = [
        {"position": d.position, "agreement": agreement.get(d.id), "demand": d} for d in demands
    ]
    return [view["demand"] for view in sort_views(views, sort)]


def sort_views(views: list[dict], sort: object) -> list[dict]:
    """Order demand views by ``position``, or by ``agreement`` / ``bridging`` share, highest
    first; demands without a figure come last; ties keep the facilitator's order."""
    if sort in (None, ""):
        sort = "position"
    if sort not in SORTS:
        raise InvalidInput(N_("sort is position, agreement or bridging."), field="sort")
    if sort == "position":
        return sorted(views, key=lambda v: v["position"])
    key = "share" if sort == "agreement" else "bridging"

    def rank(view: dict):
        value = view["agreement"][key]
        return (value is None, -(value or 0.0), view["position"])

    return sorted(views, key=rank)
