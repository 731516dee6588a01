"""Demands, in modules with one job each:

- ``commands``: propose, edit, withdraw, open, hide, unhide, merge, reorder; amend, accept,
  decide and withdraw amendments;
- ``support``: support, unsupport, agreement stances, caucuses, and the recounts they and
  removals and settings changes need;
- ``views``: what a demand looks like on every screen (summaries, full views, the
  snapshot's list) and the reads (list, get, supporters, versions, compare);
- ``events``: the events a change of a demand records;
- ``forwarding``: an adopted demand sent to the convening this one feeds (issue 18);
- ``handlers``: what other aggregates' events do to the demands (a round opened, closed,
  followed up; the settings changed; a member removed), and what a round may put on its
  ballot (``BALLOT_OPTIONS``), wired by convene/bootstrap.py.

Every command locks the convening row (``uow.convening``), so checks such as "supports
once" cannot race; it records its events and publishes them after commit. What a demand
looks like on every screen is :func:`demand_views`; events carry the changed demand (or
only its changed figures, for support and agreement clicks) and a top-level ``demand_id``
and ``hidden``, from which :func:`convene.domain.events.public_view` redacts hidden
demands for non-facilitators. Stances are never published with member ids or names.
This package names what the catalogue, the snapshot and the tests call.
"""

from __future__ import annotations

from convene.services.demands.commands import (
    accept,
    amend,
    decide,
    edit,
    hide,
    merge,
    open_demand,
    propose,
    reorder,
    unhide,
    withdraw,
    withdraw_amendment,
)
from convene.services.demands.forwarding import forward
from convene.services.demands.handlers import (
    BALLOT_OPTIONS,
    DemandBallotOptions,
    amendment_for_vote,
    amendment_label,
    demand_for_vote,
    register,
    round_closed,
    round_followed_up,
    round_opened,
)
from convene.services.demands.support import (
    agree,
    member_removed,
    recount,
    set_caucus,
    settings_changed,
    support,
    unsupport,
)
from convene.services.demands.views import (
    EXCERPT_CHARS,
    SUPPORTERS_PAGE_MAX,
    SUPPORTERS_SHOWN,
    TEXT_FIELDS,
    compare,
    demand_list,
    demand_summaries,
    demand_views,
    excerpt,
    get_demand,
    list_demands,
    list_supporters,
    my_state,
    summary_of,
    text_of,
    versions,
)

__all__ = [
    "BALLOT_OPTIONS",
    "EXCERPT_CHARS",
    "SUPPORTERS_PAGE_MAX",
    "SUPPORTERS_SHOWN",
    "TEXT_FIELDS",
    "DemandBallotOptions",
    "accept",
    "agree",
    "amend",
    "amendment_for_vote",
    "amendment_label",
    "compare",
    "decide",
    "demand_for_vote",
    "demand_list",
    "demand_summaries",
    "demand_views",
    "edit",
    "excerpt",
    "forward",
    "get_demand",
    "hide",
    "list_demands",
    "list_supporters",
    "member_removed",
    "merge",
    "my_state",
    "open_demand",
    "propose",
    "recount",
    "register",
    "reorder",
    "round_closed",
    "round_followed_up",
    "round_opened",
    "set_caucus",
    "settings_changed",
    "summary_of",
    "support",
    "text_of",
    "unhide",
    "unsupport",
    "versions",
    "withdraw",
    "withdraw_amendment",
]
