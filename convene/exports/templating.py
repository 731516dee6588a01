"""The Jinja2 environment of the minutes templates (``templates/minutes/``).

Every heading goes through Flask-Babel's ``gettext``: inside a request it follows the
request's language; outside an application (the command line) it is the English text.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask_babel import force_locale, get_translations, gettext, ngettext
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from convene.domain.minutes import duration
from convene.domain.tally.explain import Explainer
from convene.rendering import render_diff

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "minutes"


def _when(value: str | None) -> str:
    """``2026-11-23T18:05:00Z`` → ``2026-11-23 18:05 UTC``."""
    if not value:
        return ""
    day, _, time = value.partition("T")
    return f"{day} {time[:5]} UTC" if time else day


def _time(value: str | None) -> str:
    if not value:
        return ""
    return value.partition("T")[2][:5]


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
    return Explainer(labels, translations.gettext, translations.ngettext)


def round_sentences(r: dict) -> list[str]:
    """Every round of a minutes round in words, from its structured reasons."""
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
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.update(round_sentences=round_sentences, tie_sentences=tie_sentences)
    env.filters.update(
        when=_when, time=_time, cell=_md_cell, quote=_quote, duration=duration, change=_change
    )
    return env


def render(template: str, document: dict) -> str:
    """The minutes in the convening's own language, whoever downloads them."""
    with force_locale(document.get("convening", {}).get("language") or "en"):
        return environment().get_template(template).render(m=document)
