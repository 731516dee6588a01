"""Decisions on one proposal: yes/no/abstain, consent, gradients of agreement.

Thresholds are written as fractions: ``"1/2"`` (simple majority), ``"2/3"``,
``"3/4"``, ``"1"`` (unanimity), or any ``Fraction``. **"1/2" means more than half;
every other threshold means at least that share.** Quorum is a minimum weight of
ballots cast (abstentions count towards it); if it is not met the proposal does
not pass, whatever the votes say.

yes_no
    Ballots are ``"yes"``, ``"no"`` or ``"abstain"``. Abstentions are not part of
    the share: the proposal passes when ``yes / (yes + no)`` meets the threshold
    (default ``"1/2"``) and the quorum is met. With no yes or no votes it fails.

consent
    Ballots are ``"agree"``, ``"stand_aside"`` or ``"block"``. The proposal passes
    when nobody blocks and stand-asides are fewer than ``stand_aside_limit`` (default
    ``"1/3"``) of all ballots; a share at or above the limit fails.

gradients
    Ballots are whole numbers 1–5 (:data:`GRADIENTS`). Default passing rule: nobody
    is at 5 (block), and at least ``threshold`` (default ``"2/3"``) of the ballots are
    at 1–3 ("support"). ``support_levels`` changes which levels count as support.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

from convene.domain.tally.profile import BallotError, as_profile
from convene.domain.tally.result import Number, Result, Round, fmt, plural

YES_NO = ("yes", "no", "abstain")
CONSENT = ("agree", "stand_aside", "block")
GRADIENTS = {
    1: "wholehearted endorsement",
    2: "agreement with minor reservations",
    3: "support with reservations",
    4: "serious disagreement, but will not block",
    5: "block",
}


def parse_threshold(value: str | int | Fraction | None, default: str) -> Fraction:
    raw = default if value is None else value
    if isinstance(raw, float):
        raise BallotError("thresholds are fractions such as '2/3', not floats")
    try:
        frac = Fraction(raw) if not isinstance(raw, Fraction) else raw
    except (ValueError, ZeroDivisionError) as exc:
        raise BallotError(f"bad threshold {raw!r}: use a fraction such as '2/3'") from exc
    if not 0 < frac <= 1:
        raise BallotError(f"threshold {raw!r} must be above 0 and at most 1")
    return frac


def meets(share_num: Number, share_den: Number, threshold: Fraction) -> bool:
    """``share_num / share_den`` meets ``threshold`` ("1/2": strictly more than half)."""
    if share_den <= 0:
        return False
    if threshold == Fraction(1, 2):
        return share_num * 2 > share_den
    return Fraction(share_num) >= threshold * share_den


def _choice_key(allowed):
    def key(ballot):
        if isinstance(ballot, str):
            ballot = ballot.strip().lower().replace(" ", "_").replace("-", "_")
            if ballot.isdigit():
                ballot = int(ballot)
        if ballot not in allowed:
            raise BallotError(f"ballot {ballot!r} is not one of: {', '.join(map(str, allowed))}")
        return ballot

    return key


def _tallies(ballots, allowed) -> tuple[dict, Number]:
    key = _choice_key(allowed)
    profile = as_profile(ballots, key)
    tallies: dict = dict.fromkeys(allowed, 0)
    for choice, w in profile.items():
        key(choice)
        tallies[choice] += w
    return tallies, sum(tallies.values())


def _quorum(total: Number, quorum: Number | None) -> tuple[bool, str]:
    if quorum is None:
        return True, ""
    if total >= quorum:
        return True, ""
    return False, f"The quorum of {fmt(quorum)} was not met ({fmt(total)} cast)."


def _result(method, rule, tallies, total, passed, explanation, details, quorum) -> Result:
    rnd = Round(
        number=1,
        tallies={str(k): v for k, v in tallies.items()},
        explanation=explanation,
    )
    details = dict(details)
    details["quorum"] = quorum
    return Result(
        method=method,
        rule=rule,
        candidates=[str(k) for k in tallies],
        winners=[],
        seats=0,
        passed=passed,
        total=total,
        rounds=[rnd],
        explanation=explanation,
        details=details,
    )


def count_yes_no(
    ballots: Mapping | Iterable,
    *,
    threshold: str | Fraction | None = None,
    quorum: Number | None = None,
) -> Result:
    t = parse_threshold(threshold, "1/2")
    tallies, total = _tallies(ballots, YES_NO)
    yes, no = tallies["yes"], tallies["no"]
    quorate, why_not = _quorum(total, quorum)
    ok = meets(yes, yes + no, t)
    passed = quorate and ok
    rule = "more than half" if t == Fraction(1, 2) else f"at least {t}"
    counts = f"{plural(yes, 'yes vote')}, {fmt(no)} no, {fmt(tallies['abstain'])} abstaining"
    if not quorate:
        explanation = f"Not passed: {why_not} ({counts})."
    elif passed:
        explanation = f"Passed with {counts}: yes is {rule} of the yes and no votes."
    else:
        explanation = f"Not passed with {counts}: yes needed {rule} of the yes and no votes."
    details = {"threshold": t, "quorate": quorate}
    return _result("yes_no", f"threshold {t}", tallies, total, passed, explanation, details, quorum)


def count_consent(
    ballots: Mapping | Iterable,
    *,
    stand_aside_limit: str | Fraction | None = None,
    quorum: Number | None = None,
) -> Result:
    limit = parse_threshold(stand_aside_limit, "1/3")
    tallies, total = _tallies(ballots, CONSENT)
    quorate, why_not = _quorum(total, quorum)
    blocks, asides = tallies["block"], tallies["stand_aside"]
    asides_ok = total > 0 and Fraction(asides) < limit * total
    passed = quorate and blocks == 0 and asides_ok
    counts = f"{fmt(tallies['agree'])} agree, {fmt(asides)} stand aside, {plural(blocks, 'block')}"
    if not quorate:
        explanation = f"No consent: {why_not} ({counts})."
    elif blocks:
        explanation = f"No consent: {counts}. A single block stops the proposal."
    elif not asides_ok:
        explanation = f"No consent: {counts}; stand-asides must stay under {limit} of the ballots."
    else:
        explanation = f"Consent: {counts}; nobody blocks and stand-asides are under {limit}."
    details = {"stand_aside_limit": limit, "quorate": quorate}
    return _result(
        "consent",
        f"stand-asides under {limit}",
        tallies,
        total,
        passed,
        explanation,
        details,
        quorum,
    )


def count_gradients(
    ballots: Mapping | Iterable,
    *,
    threshold: str | Fraction | None = None,
    quorum: Number | None = None,
    support_levels: int = 3,
) -> Result:
    t = parse_threshold(threshold, "2/3")
    if support_levels not in (1, 2, 3, 4):
        raise BallotError("support_levels must be 1, 2, 3 or 4")
    tallies, total = _tallies(ballots, tuple(GRADIENTS))
    quorate, why_not = _quorum(total, quorum)
    support = sum(tallies[level] for level in range(1, support_levels + 1))
    blocks = tallies[5]
    enough = meets(support, total, t)
    passed = quorate and blocks == 0 and enough
    counts = ", ".join(f"{fmt(tallies[k])} at {k}" for k in GRADIENTS)
    rule = f"no block and at least {t} at 1–{support_levels}"
    if t == Fraction(1, 2):
        rule = f"no block and more than half at 1–{support_levels}"
    if not quorate:
        explanation = f"Not adopted: {why_not} ({counts})."
    elif blocks:
        explanation = f"Not adopted: {plural(blocks, 'block')} ({counts})."
    elif not enough:
        explanation = (
            f"Not adopted: support (1–{support_levels}) is {fmt(support)} of {fmt(total)}; "
        )
        explanation += f"the rule is {rule} ({counts})."
    else:
        explanation = f"Adopted: {rule} ({counts})."
    details = {
        "threshold": t,
        "support_levels": support_levels,
        "support": support,
        "labels": {str(k): v for k, v in GRADIENTS.items()},
        "quorate": quorate,
    }
    return _result("gradients", rule, tallies, total, passed, explanation, details, quorum)
