"""Languages: one set of gettext catalogues (translations/) for Python, Jinja2 and the browser.

The page scripts get their strings from the template that loads them (``<script
type="application/json" data-i18n>`` blocks, merged by static/js/i18n.js), so a translator
edits one catalogue per language. A string with a count is rendered with
:func:`js_ngettext`: the catalogue's forms for each CLDR plural category of the page's
language, which the browser picks with ``Intl.PluralRules`` (the same CLDR rules Babel
uses to number the gettext forms).

Where the language comes from (first match wins): the device's own choice (the language
switch, kept in a cookie), the browser's ``Accept-Language``, then the convening's own
``language`` (set by its facilitators), then English.
"""

from __future__ import annotations

import os
import re
import sys
from functools import cache
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations
from flask import current_app, g, redirect, request, url_for
from flask_babel import get_locale, get_translations

from convene.domain.convening import normalise_join_code
from convene.domain.errors import DomainError

ROOT = Path(__file__).resolve().parents[1]
CATALOGUES = ROOT / "translations"
#: How strings are marked (besides gettext/ngettext/_): N_() marks a message translated when
#: shown; js_ngettext(singular, plural) a page script's counted string.
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "js_ngettext": (1, 2)}
#: Numbers tried to find one example of each plural category (CLDR's "many" in Spanish,
#: French, Italian... is a multiple of a million).
_PLURAL_SAMPLES = (*range(0, 201), 1000, 10_000, 100_000, 1_000_000, 10_000_000)


#: The device's own choice (the language switch on every page), kept for a year.
COOKIE = "convene_lang"
COOKIE_SECONDS = 365 * 24 * 3600
#: Pages that speak to the room: without a choice of the device itself they use the
#: convening's language, whatever the browser asks for.
ROOM_PAGES = {"pages.projector"}


def offered() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def device_choice() -> str | None:
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in offered() else None


def convening_language() -> str | None:
    """The language of the convening this request is about (its ``code`` in the URL), as
    the application's ``convene.language_of`` finds it (set by the factory, convene/app.py:
    the services' lookup, which this module, used by the services, cannot import)."""
    if "convening_language" not in g:
        code = (request.view_args or {}).get("code")
        language = None
        if isinstance(code, str):
            try:
                language = current_app.extensions["convene.language_of"](normalise_join_code(code))
            except DomainError:
                language = None
        g.convening_language = language if language in offered() else None
    return g.convening_language


def select_locale() -> str:
    """The device's choice, then (except on the projector) the browser's Accept-Language,
    then the convening's language, then the default."""
    chosen = device_choice()
    if chosen:
        return chosen
    if request.endpoint not in ROOM_PAGES:
        best = request.accept_languages.best_match(offered())
        if best:
            return best
    return convening_language() or current_app.config["BABEL_DEFAULT_LOCALE"]


def language_name(code: str) -> str:
    """A language in its own words: "English", "Español"."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def choices() -> list[dict]:
    """The language switch: every offered language, in its own words, the current one marked."""
    current = str(get_locale() or "en")
    here = request.full_path.rstrip("?") if request.method == "GET" else request.path
    return [
        {
            "code": code,
            "name": language_name(code),
            "current": code == current,
            "url": url_for("pages.language", language=code, next=here),
        }
        for code in offered()
    ]


def safe_next(target: str | None) -> str:
    """Where to go back after a choice: a path on this site, never another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def choose(language: str, next_path: str | None):
    """The language switch: remember this device's choice and go back to the page."""
    response = redirect(safe_next(next_path), code=303)
    if language in offered():
        response.set_cookie(
            COOKIE,
            language,
            max_age=COOKIE_SECONDS,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure,
        )
    else:
        response.delete_cookie(COOKIE)  # "auto": follow the browser and the convening again
    return response


@cache
def plural_examples(language: str) -> dict[str, int]:
    """One example number for each CLDR plural category of ``language``."""
    rule = Locale.parse(language).plural_form
    examples: dict[str, int] = {}
    for number in _PLURAL_SAMPLES:
        examples.setdefault(rule(number), number)
    return examples


def js_ngettext(singular: str, plural: str, count: str = "n") -> dict[str, str]:
    """``{category: text}`` for a page script's counted string in the page's language; the
    script's ``t(key, params)`` picks the form by ``params[count]``. Marked for extraction
    as ``js_ngettext:1,2`` (:data:`KEYWORDS`)."""
    translations = get_translations()
    language = str(get_locale() or "en")
    forms = {
        category: translations.ngettext(singular, plural, number)
        for category, number in plural_examples(language).items()
    }
    if count != "n":
        forms["_count"] = count
    return forms


def amendment_note_strings() -> dict[str, str]:
    """Why an amendment was outdated, in the page's language, keyed as the browser looks them
    up (``amendment_note:`` and the note as stored, static/js/demands.js amendmentNote).

    Not cached: the page's language is request state (a cache without it served the first
    page's language to every later page of the process)."""
    from flask_babel import gettext

    from convene.domain.demands import AMENDMENT_NOTES

    return {f"amendment_note:{note}": gettext(note) for note in AMENDMENT_NOTES}


def _catalogue(language: str) -> Translations:
    return Translations.load(str(CATALOGUES), [language])


def gettext_in(language: str, message: str, **params: object) -> str:
    """``message`` in ``language``, outside any request (text kept in the record, such as an
    option label made for a convening in its own language)."""
    text = _catalogue(language or "en").ugettext(message)
    return text % params if params else text


def compile_catalogues(directory: Path = CATALOGUES) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/messages.po`` whose ``.mo`` is missing or older
    (``make install`` does this; so do the tests, for a checkout that skipped it)."""
    written = []
    for po_path in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parts[-3])
        partial = mo_path.with_suffix(f".{os.getpid()}.tmp")  # test workers may race here
        with partial.open("wb") as mo_file:
            write_mo(mo_file, catalogue, use_fuzzy=False)
        os.replace(partial, mo_path)
        written.append(mo_path)
    return written


def po_path(language: str, directory: Path = CATALOGUES) -> Path:
    return directory / language / "LC_MESSAGES" / "messages.po"


def languages(directory: Path = CATALOGUES) -> list[str]:
    """The languages that have a catalogue (English is the source and needs none)."""
    return sorted(path.parts[-3] for path in directory.glob("*/LC_MESSAGES/messages.po"))


def extract(root: Path = ROOT) -> Catalog:
    """Every marked string of the code, the templates and the minutes (babel.cfg says where)."""
    with (root / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    template = Catalog(project="Convene", copyright_holder="Convene contributors", fuzzy=False)
    found = extract_from_dir(
        str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def _read(path: Path, language: str) -> Catalog:
    with path.open("rb") as po_file:
        return read_po(po_file, locale=language)


def _write(path: Path, catalogue: Catalog) -> None:
    # No line numbers or wrapping, sorted: two people adding strings rarely touch one line.
    with path.open("wb") as po_file:
        write_po(
            po_file,
            catalogue,
            width=0,
            no_location=True,
            sort_output=True,
            include_previous=False,
        )


def update(directory: Path = CATALOGUES) -> dict[str, int]:
    """Merge the extracted strings into every catalogue (its header dates are kept, so only
    real changes show in a diff); returns how many strings each language still lacks."""
    template = extract()
    _write(directory / "messages.pot", template)
    missing = {}
    for language in languages(directory):
        path = po_path(language, directory)
        catalogue = _read(path, language)
        # A string that left the code keeps its translation as obsolete (#~), so it comes
        # back translated (a template that failed to parse for a moment loses nothing).
        kept = {key: m.string for key, m in catalogue.obsolete.items() if m.string}
        catalogue.update(template, update_creation_date=False)
        for message in catalogue:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            if message.id and not any(forms) and key in kept:
                message.string = kept[key]
        _write(path, catalogue)
        missing[language] = len(problems(language, template, directory))
    return missing


def init(language: str, directory: Path = CATALOGUES) -> Path:
    """Start the catalogue of a new language from the extracted strings."""
    Locale.parse(language)  # refuses a code Babel does not know
    path = po_path(language, directory)
    if path.exists():
        raise SystemExit(f"{path} exists already")
    path.parent.mkdir(parents=True, exist_ok=True)
    catalogue = Catalog(locale=language, project="Convene", fuzzy=False)
    catalogue.update(extract())
    _write(path, catalogue)
    return path


_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{\w+\}")


def placeholders(text: str) -> list[str]:
    """``%(name)s``, ``%d`` and ``{name}`` placeholders, sorted (``%%`` is a percent sign)."""
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def problems(
    language: str, template: Catalog | None = None, directory: Path = CATALOGUES
) -> list[str]:
    """What keeps ``language`` from being complete: strings untranslated, fuzzy, or whose
    translation lost (or invented) a placeholder."""
    template = extract() if template is None else template
    path = po_path(language, directory)
    if not path.exists():
        return [f"{path.relative_to(ROOT)} is missing"]
    catalogue = _read(path, language)
    found = []
    for message in template:
        if not message.id:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        name = repr(key)
        translated = catalogue.get(message.id, context=message.context)
        string = translated.string if translated is not None else ""
        forms = string if isinstance(string, tuple) else (string,)
        if not any(forms):
            found.append(f"untranslated: {name} (run `make translations`, then translate it)")
            continue
        if translated.fuzzy:
            found.append(f"fuzzy: {name}")
        if isinstance(message.id, tuple):
            expected = sorted(set(placeholders(message.id[0]) + placeholders(message.id[1])))
            if len(forms) != catalogue.num_plurals:
                found.append(f"needs {catalogue.num_plurals} plural forms: {name}")
        else:
            expected = sorted(set(placeholders(message.id)))
        for form in forms:
            if not form:
                found.append(f"untranslated plural form: {name}")
            elif sorted(set(placeholders(form))) != expected:
                found.append(f"placeholders differ: {name} → {form!r}")
    return found


def main(argv: list[str]) -> None:
    """python -m convene.i18n [update | compile | check | init LANG] (the Makefile's steps)."""
    command = argv[0] if argv else "compile"
    if command == "update":
        for language, missing in update().items():
            print(f"{language}: {missing or 'no'} strings to translate or fix")
    elif command == "init":
        print(f"created {init(argv[1]).relative_to(ROOT)}")
    elif command == "check":
        template = extract()
        failed = False
        for language in languages():
            for problem in problems(language, template):
                failed = True
                print(f"{language}: {problem}")
        raise SystemExit(1 if failed else 0)
    if command in ("update", "compile", "init"):
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
