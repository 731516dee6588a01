"""A demand and its versions: proposed, edited, opened, withdrawn, merged, hidden, put to the
vote and decided; the facilitator's order of the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from convene.domain.convening import Actor
from convene.domain.demands.terms import (
    ACTIVE,
    BODY_MAX,
    RATIONALE_MAX,
    REASON_MAX,
    TITLE_MAX,
    DemandStatus,
    VersionKind,
    require_facilitator,
    require_participant,
)
from convene.domain.errors import N_, Conflict, Forbidden, InvalidInput, NotFound
from convene.domain.ids import is_id_list
from convene.domain.text import clean_block, clean_line
from convene.domain.times import iso


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
