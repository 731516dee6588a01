"""Yes / no / abstain on one proposal: passes with its threshold of the yes and no votes
(convene/domain/tally/consent.py)."""

from __future__ import annotations

from convene.domain.errors import N_
from convene.domain.methods.ballots import Choice, Choices
from convene.domain.methods.proposals import share, tallied
from convene.domain.methods.record import VotingMethod
from convene.domain.tally.consent import count_yes_no


def tally(ballots, candidates, *, threshold, quorum, **_):
    return count_yes_no(ballots, threshold=threshold, quorum=quorum)


def explain(r, words) -> str:
    counted = tallied(r)
    if counted is None:
        return ""
    _, ngettext, num = words.gettext, words.ngettext, words.number
    yes = counted.of("yes")
    written, half = share(r.get("threshold"), "1/2")
    rule = _("more than half") if half else _("at least {share}")
    rule = rule.replace("{share}", written)
    text = _("%(yes)s, %(no)s no, %(abstain)s abstaining") % {
        "yes": ngettext("%(num)s yes vote", "%(num)s yes votes", int(yes))
        % {"num": num(counted.written("yes"))},
        "no": num(counted.written("no")),
        "abstain": num(counted.written("abstain")),
    }
    if not counted.quorate:
        return _("Not passed: the quorum of %(quorum)s was not met (%(counts)s).") % {
            "quorum": num(counted.quorum),
            "counts": text,
        }
    if counted.passed:
        message = N_("Passed with %(counts)s: yes is %(rule)s of the yes and no votes.")
    else:
        message = N_("Not passed with %(counts)s: yes needed %(rule)s of the yes and no votes.")
    return _(message) % {"counts": text, "rule": rule}


METHOD = VotingMethod(
    name="yes_no",
    order=60,
    ballot=Choices(
        Choice("yes", N_("Yes")), Choice("no", N_("No")), Choice("abstain", N_("Abstain"))
    ),
    tally=tally,
    title=N_("Yes/no"),
    label=N_("Yes / no / abstain"),
    menu=N_("Yes / no / abstain on one proposal"),
    settings=frozenset({"threshold", "quorum"}),
    defaults={"threshold": "1/2"},
    rule_sentence=N_("Passes with {threshold} of the yes and no votes."),
    share_bars=True,
    story="counts",
    explain=explain,
)
