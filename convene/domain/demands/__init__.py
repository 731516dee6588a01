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

One concern a module: ``terms`` (limits, statuses, stances, outcomes, and parsing the
commands' inputs), ``passages`` (finding a passage in a Markdown body as people read it),
``demand`` (a demand, its versions and its life), ``amendments`` (proposing, deciding,
rebasing, conflicts, versions compared), ``support`` (seconding, agreement stances and
their figures, sorting by them). This package names them all, as the services and tests
import them.
"""

from __future__ import annotations

from convene.domain.demands.amendments import (
    AMENDMENT_NOTES,
    NOTE_MERGED,
    NOTE_WITHDRAWN,
    Amendment,
    adopt_amendment,
    check_can_accept,
    check_can_decide,
    check_can_withdraw_amendment,
    close_amendments,
    compare,
    conflicts,
    propose_amendment,
    rebase,
    reject_amendment,
    withdraw_amendment,
)
from convene.domain.demands.demand import (
    Demand,
    DemandVersion,
    reorder,
)
from convene.domain.demands.passages import (
    clean_fragment,
    locate_passage,
    occurrences,
    splits_emphasis,
)
from convene.domain.demands.support import (
    SORTS,
    Agreement,
    Support,
    agreement_figures,
    can_go_to_vote,
    check_can_support,
    check_can_take_stance,
    check_can_unsupport,
    merged_support,
    sort_demands,
    sort_views,
)
from convene.domain.demands.terms import (
    ACTIVE,
    AMENDMENTS_MAX,
    AMENDMENTS_PER_PERSON,
    BODY_MAX,
    DEMANDS_MAX,
    DEMANDS_PER_PERSON,
    NOTE_MAX,
    PAGE_MAX,
    RATIONALE_MAX,
    REASON_MAX,
    STATUS_NAMES,
    SUPPORTERS_PAGE_MAX,
    SUPPORTERS_SHOWN,
    TITLE_MAX,
    AmendmentStatus,
    DemandStatus,
    Outcome,
    Stance,
    VersionKind,
    parse_optional_version,
    parse_outcome,
    parse_page,
    parse_stance,
    require_facilitator,
    require_participant,
)

__all__ = [
    "ACTIVE",
    "AMENDMENTS_MAX",
    "AMENDMENTS_PER_PERSON",
    "AMENDMENT_NOTES",
    "BODY_MAX",
    "DEMANDS_MAX",
    "DEMANDS_PER_PERSON",
    "NOTE_MAX",
    "NOTE_MERGED",
    "NOTE_WITHDRAWN",
    "PAGE_MAX",
    "RATIONALE_MAX",
    "REASON_MAX",
    "SORTS",
    "STATUS_NAMES",
    "SUPPORTERS_PAGE_MAX",
    "SUPPORTERS_SHOWN",
    "TITLE_MAX",
    "Agreement",
    "Amendment",
    "AmendmentStatus",
    "Demand",
    "DemandStatus",
    "DemandVersion",
    "Outcome",
    "Stance",
    "Support",
    "VersionKind",
    "adopt_amendment",
    "agreement_figures",
    "can_go_to_vote",
    "check_can_accept",
    "check_can_decide",
    "check_can_support",
    "check_can_take_stance",
    "check_can_unsupport",
    "check_can_withdraw_amendment",
    "clean_fragment",
    "close_amendments",
    "compare",
    "conflicts",
    "locate_passage",
    "merged_support",
    "occurrences",
    "parse_optional_version",
    "parse_outcome",
    "parse_page",
    "parse_stance",
    "propose_amendment",
    "rebase",
    "reject_amendment",
    "reorder",
    "require_facilitator",
    "require_participant",
    "sort_demands",
    "sort_views",
    "splits_emphasis",
    "withdraw_amendment",
]
