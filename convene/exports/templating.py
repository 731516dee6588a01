"""The Jinja2 environment of the minutes templates (``templates/minutes/``).

Every heading goes through Flask-Babel's ``gettext``: inside a request it follows the
request's language; outside an application (the command line) it is the English text.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_time
from flask_babel import force_locale, get_locale, get_translations
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from convene.domain import methods
from convene.domain.demands import STATUS_NAMES
from convene.domain.errors import N_
from convene.domain.minutes import RULE_NAMES, duration
from convene.domain.tally.explain import Explainer
from convene.numbers import formatter
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


#: The choices of the methods on one proposal, as the tables of the minutes show them
#: (a choice written as its value, as gradients' "1", stays as it is).
_CHOICES = {
    **{
        str(choice.value): choice.short or choice.label
        for record in methods.RECORDS
        if record.ballot.proposal
        for choice in record.ballot.choices
        if (choice.short or choice.label) != str(choice.value)
    },
    "Exhausted": N_("Exhausted"),
}


def _proposal(r: dict) -> bool:
    record = methods.named(r.get("method"))
    return record is not None and record.ballot.proposal


def _choice(value: str) -> str:
    return _tr(_CHOICES[value]) if value in _CHOICES else value


def decision(r: dict) -> str:
    """A closed round's outcome in one sentence, in the minutes' language (the stored
    ``decision`` is English)."""
    translations = get_translations()
    if _proposal(r) and r.get("options"):
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


def round_sentences(r: dict) -> list[str]:
    """Every round of a minutes round in words: its method's own sentence (the methods on
    one proposal tell their count from its table), else each round from its structured
    reasons."""
    record = methods.named(r.get("method"))
    story = r.get("story")
    if record is not None and record.explain is not None and r.get("table"):
        sentence = record.explain(r, explainer((story or {}).get("labels") or {}))
        return [sentence] if sentence else []
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
