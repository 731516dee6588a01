"""Gradients of agreement on one proposal: 1 (wholehearted endorsement) to 5 (block);
passes when nobody blocks and enough ballots are at 1–3 (convene/domain/tally/consent.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Choice, Choices
from convene.domain.methods.proposals import share, tallied
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.consent import count_gradients

#: the levels that count as support (the engine's default)
SUPPORT_LEVELS = 3


def tally(ballots, candidates, *, threshold, quorum, support_levels, **_):
    return count_gradients(
        ballots, threshold=threshold, quorum=quorum, support_levels=support_levels
    )


def explain(r, words) -> str:
    counted = tallied(r)
    if counted is None:
        return ""
    _, ngettext, num = words.gettext, words.ngettext, words.number
    levels = SUPPORT_LEVELS
    written, half = share(r.get("threshold"), "2/3")
    if half:
        rule = _("no block and more than half at 1–%(levels)s") % {"levels": levels}
    else:
        rule = _("no block and at least %(share)s at 1–%(levels)s") % {
            "share": written,
            "levels": levels,
        }
    text = ", ".join(
        _("%(n)s at %(level)s") % {"n": num(counted.written(level)), "level": level}
        for level in range(1, 6)
    )
    blocks = counted.of(5)
    if not counted.quorate:
        message = N_("Not adopted: the quorum of %(quorum)s was not met (%(counts)s).")
        return _(message) % {"quorum": num(counted.quorum), "counts": text}
    if blocks:
        return _("Not adopted: %(blocks)s (%(counts)s).") % {
            "blocks": ngettext("%(num)s block", "%(num)s blocks", int(blocks))
            % {"num": num(counted.written(5))},
            "counts": text,
        }
    if counted.passed:
        return _("Adopted: %(rule)s (%(counts)s).") % {"rule": rule, "counts": text}
    support = sum(counted.of(level) for level in range(1, levels + 1))
    message = N_(
        "Not adopted: support (1–%(levels)s) is %(support)s of %(total)s; "
        "the rule is %(rule)s (%(counts)s)."
    )
    return _(message) % {
        "levels": levels,
        "support": num(support),
        "total": num(r.get("total") or sum(counted.of(k) for k in counted.counts)),
        "rule": rule,
        "counts": text,
    }


METHOD = VotingMethod(
    name="gradients",
    order=80,
    ballot=Choices(
        Choice(1, N_("1 · Wholehearted endorsement"), short="1"),
        Choice(2, N_("2 · Agreement with minor reservations"), short="2"),
        Choice(3, N_("3 · Support with reservations"), short="3"),
        Choice(4, N_("4 · Serious disagreement, but will not block"), short="4"),
        Choice(5, N_("5 · Block"), short="5"),
    ),
    tally=tally,
    title=N_("Gradients of agreement"),
    label=N_("Gradients of agreement"),
    menu=N_("Gradients of agreement (1–5)"),
    settings=frozenset({"threshold", "quorum"}),
    defaults={"threshold": "2/3"},
    rule_sentence=N_("Passes when nobody blocks and {threshold} of the ballots are at 1–3."),
    share_bars=True,
    story="counts",
    explain=explain,
)
