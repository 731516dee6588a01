"""The Jinja2 environment of the minutes templates (``templates/minutes/``).

Every heading goes through Flask-Babel's ``gettext``: inside a request it follows the
request's language; outside an application (the command line) it is the English text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from fractions import Fraction
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_time
from flask_babel import force_locale, get_locale, get_translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from convene.domain.demands import STATUS_NAMES
from convene.domain.errors import N_
from convene.domain.minutes import RULE_NAMES, duration
from convene.domain.tally.explain import Explainer
from convene.numbers import exact, formatter
from convene.rendering import render_diff

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "minutes"


def _locale() -> str:
    return str(get_locale() or "en")


def _when(value: str | None) -> str:
    """``2026-11-23T18:05:00Z`` → "November 23, 2026, 6:05 PM UTC" / "23 de noviembre de
    2026, 18:05 UTC" (Babel, in the minutes' language; times stay in UTC, said so)."""
    if not value:
        return ""
    day, _, time = value.partition("T")
    if not time:
        return _day(day)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return f"{_day(day)}, {format_time(moment, 'short', tzinfo=UTC, locale=_locale())} UTC"


def _day(value: str | None) -> str:
    """``2026-11-23`` → "November 23, 2026" / "23 de noviembre de 2026"."""
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value[:10]), "long", locale=_locale())
    except ValueError:
        return value


def _time(value: str | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    return format_time(moment, "short", tzinfo=UTC, locale=_locale())


def _tr(value: str | None) -> str:
    """A word the document keeps in English (a method's name, a status) in the language of
    the minutes: the words are marked with N_() where they are defined."""
    if not value:
        return value or ""
    return get_translations().gettext(value)


def _status(value: str | None) -> str:
    return _tr(STATUS_NAMES.get(value or "", value))


def _rule(value: str | None) -> str:
    return _tr(RULE_NAMES.get(value or "", value))


def _num(value: object) -> str:
    """A count, a weight or a fraction the way the minutes' language writes numbers
    (1,234.5 / 1.234,5); nothing for nothing."""
    return formatter(_locale())(value)


#: The choices of one-proposal methods, as the tables of the minutes show them.
_CHOICES = {
    "yes": N_("Yes"),
    "no": N_("No"),
    "abstain": N_("Abstain"),
    "agree": N_("Agree"),
    "stand_aside": N_("Stand aside"),
    "block": N_("Block"),
    "Exhausted": N_("Exhausted"),
}
ONE_PROPOSAL = ("yes_no", "consent", "gradients")


def _choice(value: str) -> str:
    return _tr(_CHOICES[value]) if value in _CHOICES else value


def decision(r: dict) -> str:
    """A closed round's outcome in one sentence, in the minutes' language (the stored
    ``decision`` is English)."""
    translations = get_translations()
    if r.get("method") in ONE_PROPOSAL and r.get("options"):
        key = "{proposal}: passed." if r.get("passed") else "{proposal}: not passed."
        return translations.gettext(key).replace("{proposal}", r["options"][0])
    winners = r.get("winners") or []
    if not winners:
        return translations.gettext("No option was chosen.") if r.get("state") == "closed" else ""
    if len(winners) == 1:
        return translations.gettext("Chosen: {option}.").replace("{option}", winners[0])
    return translations.gettext("Chosen, in order: {options}.").replace(
        "{options}", ", ".join(winners)
    )


def _md_cell(value: object) -> str:
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")


def _change(amendment: dict) -> Markup:
    """An amendment's change on the rendered text (sanitized HTML, see rendering.py)."""
    html = render_diff(amendment.get("old_text") or "", amendment.get("new_text") or "")
    return Markup(html)  # noqa: S704 - sanitized by nh3 in render_diff


def _quote(text: str) -> str:
    """A block of user text as a Markdown block quote."""
    return "\n".join(f"> {line}".rstrip() for line in (text or "").splitlines()) or ">"


def explainer(labels: dict) -> Explainer:
    """Sentences of a count in the current language (the request's; English outside one)."""
    translations = get_translations()
    return Explainer(labels, translations.gettext, translations.ngettext, _num)


def _counts(r: dict) -> dict[str, object]:
    rows = (r.get("table") or {}).get("rows") or []
    return {row["label"]: (row["cells"][0]["count"] if row["cells"] else 0) or 0 for row in rows}


def _amount(value: object) -> int | Fraction:
    """A count as the document keeps it (a number, or its exact text: "12", "2396.13639",
    "7/3"), exactly; 0 for nothing or what is not a number."""
    try:
        return exact(value) or 0
    except (ValueError, ZeroDivisionError):
        return 0


def _share(value: str | None, default: str) -> tuple[str, bool]:
    share = (value or default).replace(" ", "")
    return share, share == "1/2"


def proposal_sentence(r: dict) -> str:
    """The count of a yes/no, consent or gradients round in one sentence, in the minutes'
    language, from its counts and rules (the engine's own sentence is English)."""
    tr = get_translations()
    counts = _counts(r)
    if not counts:
        return ""
    quorate = r.get("quorum_met") is not False
    passed = bool(r.get("passed"))
    quorum = r.get("quorum")
    if r["method"] == "consent":
        blocks = _amount(counts.get("block", 0))
        limit = r.get("stand_aside_limit") or "1/3"
        asides = _amount(counts.get("stand_aside", 0))
        text = tr.gettext("%(agree)s agree, %(aside)s, %(blocks)s") % {
            "agree": _num(counts.get("agree", 0)),
            "aside": tr.ngettext("%(num)s stand aside", "%(num)s stand aside", int(asides))
            % {"num": _num(asides)},
            "blocks": tr.ngettext("%(num)s block", "%(num)s blocks", int(blocks))
            % {"num": _num(counts.get("block", 0))},
        }
        if not quorate:
            return tr.gettext("No consent: the quorum of %(quorum)s was not met (%(counts)s).") % {
                "quorum": _num(quorum),
                "counts": text,
            }
        if blocks:
            return tr.gettext("No consent: %(counts)s. A single block stops the proposal.") % {
                "counts": text
            }
        if not passed:
            message = N_(
                "No consent: %(counts)s; stand-asides must stay under %(limit)s of the ballots."
            )
            return tr.gettext(message) % {"counts": text, "limit": limit}
        message = N_("Consent: %(counts)s; nobody blocks and stand-asides are under %(limit)s.")
        return tr.gettext(message) % {"counts": text, "limit": limit}
    if r["method"] == "yes_no":
        yes = _amount(counts.get("yes", 0))
        share, half = _share(r.get("threshold"), "1/2")
        rule = tr.gettext("more than half") if half else tr.gettext("at least {share}")
        rule = rule.replace("{share}", share)
        text = tr.gettext("%(yes)s, %(no)s no, %(abstain)s abstaining") % {
            "yes": tr.ngettext("%(num)s yes vote", "%(num)s yes votes", int(yes))
            % {"num": _num(counts.get("yes", 0))},
            "no": _num(counts.get("no", 0)),
            "abstain": _num(counts.get("abstain", 0)),
        }
        if not quorate:
            return tr.gettext("Not passed: the quorum of %(quorum)s was not met (%(counts)s).") % {
                "quorum": _num(quorum),
                "counts": text,
            }
        if passed:
            message = N_("Passed with %(counts)s: yes is %(rule)s of the yes and no votes.")
        else:
            message = N_("Not passed with %(counts)s: yes needed %(rule)s of the yes and no votes.")
        return tr.gettext(message) % {"counts": text, "rule": rule}
    if r["method"] == "gradients":
        levels = 3
        share, half = _share(r.get("threshold"), "2/3")
        if half:
            rule = tr.gettext("no block and more than half at 1–%(levels)s") % {"levels": levels}
        else:
            rule = tr.gettext("no block and at least %(share)s at 1–%(levels)s") % {
                "share": share,
                "levels": levels,
            }
        text = ", ".join(
            tr.gettext("%(n)s at %(level)s")
            % {"n": _num(counts.get(str(level), 0)), "level": level}
            for level in range(1, 6)
        )
        blocks = _amount(counts.get("5", 0))
        if not quorate:
            message = N_("Not adopted: the quorum of %(quorum)s was not met (%(counts)s).")
            return tr.gettext(message) % {"quorum": _num(quorum), "counts": text}
        if blocks:
            return tr.gettext("Not adopted: %(blocks)s (%(counts)s).") % {
                "blocks": tr.ngettext("%(num)s block", "%(num)s blocks", int(blocks))
                % {"num": _num(counts.get("5", 0))},
                "counts": text,
            }
        if passed:
            return tr.gettext("Adopted: %(rule)s (%(counts)s).") % {"rule": rule, "counts": text}
        support = sum(_amount(counts.get(str(level), 0)) for level in range(1, levels + 1))
        message = N_(
            "Not adopted: support (1–%(levels)s) is %(support)s of %(total)s; "
            "the rule is %(rule)s (%(counts)s)."
        )
        return tr.gettext(message) % {
            "levels": levels,
            "support": _num(support),
            "total": _num(r.get("total") or sum(_amount(v) for v in counts.values())),
            "rule": rule,
            "counts": text,
        }
    return ""


def round_sentences(r: dict) -> list[str]:
    """Every round of a minutes round in words, from its structured reasons."""
    if r.get("method") in ONE_PROPOSAL and r.get("table"):
        sentence = proposal_sentence(r)
        return [sentence] if sentence else []
    story = r.get("story")
    if not story:
        return list((r.get("table") or {}).get("explanations") or [])
    return explainer(story.get("labels") or {}).rounds(story)


def tie_sentences(r: dict) -> list[str]:
    story = r.get("story")
    if not story:
        return [t.get("explanation", "") for t in r.get("tie_breaks") or []]
    explain = explainer(story.get("labels") or {})
    return [explain.tie(t) for t in story.get("tie_breaks") or []]


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        extensions=["jinja2.ext.i18n"],
        # HTML is escaped; Markdown is plain text (its readers render it themselves).
        autoescape=select_autoescape(["html"], default_for_string=False, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The catalogue's own functions: Jinja's newstyle wrappers fill the placeholders (Flask-
    # Babel's gettext/ngettext would format ngettext's text with only its count).
    env.install_gettext_callables(
        lambda s: get_translations().ugettext(s),
        lambda s, p, n: get_translations().ungettext(s, p, n),
        newstyle=True,
    )
    env.globals.update(
        round_sentences=round_sentences, tie_sentences=tie_sentences, decision=decision
    )
    env.filters.update(
        when=_when,
        day=_day,
        time=_time,
        cell=_md_cell,
        quote=_quote,
        duration=duration,
        tr=_tr,
        num=_num,
        status=_status,
        rule=_rule,
        choice=_choice,
        change=_change,
    )
    return env


def render(template: str, document: dict) -> str:
    """The minutes in the convening's own language, whoever downloads them."""
    with force_locale(document.get("convening", {}).get("language") or "en"):
        return environment().get_template(template).render(m=document)
