"""Amendments: proposed against a version (the whole body or one passage), accepted as
friendly, decided, withdrawn; conflicts between pending ones; carried over (rebased) or
outdated when the text they change changes; and two versions compared. The word diffs
(convene/domain/textdiff.py) are taken here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from convene.domain.convening import Actor
from convene.domain.demands.demand import Demand, DemandVersion
from convene.domain.demands.passages import (
    clean_fragment,
    locate_passage,
    occurrences,
    splits_emphasis,
)
from convene.domain.demands.terms import (
    ACTIVE,
    BODY_MAX,
    RATIONALE_MAX,
    AmendmentStatus,
    VersionKind,
    parse_optional_version,
    require_facilitator,
    require_participant,
)
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.text import clean_block
from convene.domain.textdiff import word_diff
from convene.domain.times import iso

#: Why a pending amendment was outdated: stored as the English message id (the amendment's
#: ``note``), shown in each screen's language (the strings of templates/_demands_strings.html
#: carry these, as ``amendment_note:<message id>``).
NOTE_TEXT_CHANGED = N_("The demand's text changed after this amendment was proposed.")
NOTE_PASSAGE_GONE = N_("The passage it changes no longer occurs exactly once in the demand.")
NOTE_ALREADY_MADE = N_("The demand's new text already makes this change.")
NOTE_WITHDRAWN = N_("The demand was withdrawn.")
NOTE_MERGED = N_("The demand was merged into another one.")
AMENDMENT_NOTES = (
    NOTE_TEXT_CHANGED,
    NOTE_PASSAGE_GONE,
    NOTE_ALREADY_MADE,
    NOTE_WITHDRAWN,
    NOTE_MERGED,
)


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
            note = NOTE_TEXT_CHANGED
        elif occurrences(demand.body, amendment.passage) != 1:
            note = NOTE_PASSAGE_GONE
        else:
            new_text = _replace_once(demand.body, amendment.passage, amendment.body).strip()
            if new_text == demand.body or not new_text or len(new_text) > BODY_MAX:
                note = NOTE_ALREADY_MADE
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
    """The demand left the active statuses: its pending amendments are outdated, with
    ``note``: the services pass one of AMENDMENT_NOTES, which the screens translate."""
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
