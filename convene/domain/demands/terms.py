"""The demands' terms: limits, statuses, stances and outcomes, and the parsing of the commands'
inputs (pages, versions, stances, outcomes, who may take part).
"""

from __future__ import annotations

import enum

from convene.domain.convening import Actor, Role
from convene.domain.errors import N_, Forbidden, InvalidInput
from convene.domain.ids import is_whole

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
