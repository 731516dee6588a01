"""Consent on one proposal: agree, stand aside or block; one block stops it, and so do
stand-asides at their limit (convene/domain/tally/consent.py). A blocked proposal goes back
to the room: amendments, a new consent round or a fallback vote
(convene/services/rounds/commands.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Choice, Choices
from convene.domain.methods.proposals import tallied
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.consent import count_consent


def tally(ballots, candidates, *, stand_aside_limit, quorum, **_):
    return count_consent(ballots, stand_aside_limit=stand_aside_limit, quorum=quorum)


def explain(r, words) -> str:
    counted = tallied(r)
    if counted is None:
        return ""
    _, ngettext, num = words.gettext, words.ngettext, words.number
    blocks = counted.of("block")
    limit = r.get("stand_aside_limit") or "1/3"
    asides = counted.of("stand_aside")
    text = _("%(agree)s agree, %(aside)s, %(blocks)s") % {
        "agree": num(counted.written("agree")),
        "aside": ngettext("%(num)s stand aside", "%(num)s stand aside", int(asides))
        % {"num": num(asides)},
        "blocks": ngettext("%(num)s block", "%(num)s blocks", int(blocks))
        % {"num": num(counted.written("block"))},
    }
    if not counted.quorate:
        return _("No consent: the quorum of %(quorum)s was not met (%(counts)s).") % {
            "quorum": num(counted.quorum),
            "counts": text,
        }
    if blocks:
        return _("No consent: %(counts)s. A single block stops the proposal.") % {"counts": text}
    if not counted.passed:
        message = N_(
            "No consent: %(counts)s; stand-asides must stay under %(limit)s of the ballots."
        )
        return _(message) % {"counts": text, "limit": limit}
    message = N_("Consent: %(counts)s; nobody blocks and stand-asides are under %(limit)s.")
    return _(message) % {"counts": text, "limit": limit}


METHOD = VotingMethod(
    name="consent",
    order=70,
    ballot=Choices(
        Choice("agree", N_("Agree"), hint=N_("I support this proposal.")),
        Choice(
            "stand_aside",
            N_("Stand aside"),
            hint=N_("I won't take part in carrying it out, but I won't stop the group."),
        ),
        Choice(
            "block",
            N_("Block"),
            hint=N_("I believe this harms the group: it must not go ahead."),
        ),
    ),
    tally=tally,
    title=N_("Consent"),
    label=N_("Consent"),
    menu=N_("Consent: agree, stand aside or block"),
    settings=frozenset({"stand_aside_limit", "quorum"}),
    defaults={"stand_aside_limit": "1/3"},
    rule_sentence=N_(
        "Passes when nobody blocks and stand-asides stay under {limit} of the ballots."
    ),
    share_bars=True,
    story="counts",
    explain=explain,
)
