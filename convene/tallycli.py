"""`python -m convene tally FILE`: count a ballot file and explain the result.

Reads BLT, CSV or ``count: A>B>C`` text (optionally gzipped; a ``.blt`` name is
read as BLT, any other file's format is detected from its content, and
``--input-format`` overrides both), counts it with
:func:`convene.domain.tally.count`, and prints a round-by-round table (``text``) or
the result structure (``json``). A file that cannot be read or counted gives one
line on stderr naming the file, the line and the problem, and exit code 2.

Imports only the standard library and ``convene.domain.tally`` so it starts fast.
"""

from __future__ import annotations

import argparse
import gettext
import gzip
import json
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from convene.domain import methods
from convene.domain.minutes import METHOD_NAMES, RULE_NAMES, TIE_BREAK_NAMES, TIE_HOW_NAMES
from convene.domain.tally import BallotError, LotNeeded, Result, count
from convene.domain.tally.ballotfile import FORMATS, BallotFile, BallotFileError, parse
from convene.domain.tally.explain import Explainer
from convene.domain.tally.rules import DUPLICATES, OVERVOTE, WRITE_INS, BallotRules, apply_rules
from convene.numbers import formatter

#: the methods whose ballot files this command re-counts (their records say so)
FILE_METHODS = tuple(record.name for record in methods.RECORDS if record.recount)
PROG = "convene tally"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no traceback
        self.exit(2, f"{PROG}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="python -m convene tally",
        description="Count a ballot file (BLT, CSV or 'count: A>B>C' text; .gz is fine).",
    )
    p.add_argument("file", help="ballot file")
    p.add_argument(
        "--method",
        choices=FILE_METHODS,
        help="counting method (default: stv if the file or --seats asks for more than one "
        "seat, else irv)",
    )
    p.add_argument("--seats", type=int, help="seats to fill (default: the BLT header, or 1)")
    p.add_argument("--rule", choices=("scottish", "meek"), help="STV rule (default scottish)")
    p.add_argument("--format", choices=("text", "json"), default="text", dest="output")
    p.add_argument("--seed", help="seed for the lot that breaks ties looking back cannot")
    p.add_argument(
        "--language", default="en", help="language of the text output: en (default) or es"
    )
    p.add_argument("--input-format", choices=FORMATS, help="override format detection")
    rules = p.add_argument_group(
        "real-election rules",
        "How marks that are not a clean ranking count (ranked CSV and NIST CDF files), and "
        "IRV's count options. Defaults in brackets; the rules used are printed with the result.",
    )
    rules.add_argument(
        "--overvote",
        choices=OVERVOTE,
        default="exhaust",
        help="two or more candidates at one rank: the ballot stops there, the rank is "
        "skipped, or (decided round by round) the ballot stops only if two or more of the "
        "marked candidates are still in the count, else it counts for the one that is "
        "[exhaust]",
    )
    rules.add_argument(
        "--overvote-delimiter",
        metavar="MARK",
        help="CSV: a cell holding MARK (e.g. '|') lists several candidates marked at one "
        "rank [none]",
    )
    rules.add_argument(
        "--max-skipped",
        type=int,
        metavar="N",
        help="the ballot stops after N consecutive skipped ranks [no limit]",
    )
    rules.add_argument(
        "--duplicates",
        choices=DUPLICATES,
        default="skip",
        help="a candidate ranked again: skip the repeat, or stop the ballot [skip]",
    )
    rules.add_argument(
        "--max-rankings", type=int, metavar="N", help="count only the first N ranks [all]"
    )
    rules.add_argument(
        "--write-ins",
        choices=WRITE_INS,
        default="error",
        help="a name that is not a declared candidate (the file's #candidates): refuse the "
        "file, or drop the mark before round 1 [error]",
    )
    rules.add_argument("--overvote-label", default="overvote", help="[overvote]")
    rules.add_argument("--undervote-label", default="undervote", help="[undervote]")
    rules.add_argument(
        "--write-in-label", default="UWI", help="undeclared write-in mark, dropped [UWI]"
    )
    rules.add_argument(
        "--batch-elimination",
        action="store_true",
        help="IRV: eliminate together the lowest candidates whose votes added up are fewer "
        "than the next candidate's [off]",
    )
    rules.add_argument(
        "--until-two",
        action="store_true",
        help="IRV: count on until two candidates remain (the final head-to-head) [off]",
    )
    rules.add_argument(
        "--tie-order",
        metavar="A,B,C",
        help="break ties that looking back cannot by this published order instead of the lot"
        " (to exclude, the one listed last goes; to elect, the one listed first); names or "
        "numbers in the file's list of candidates [the lot]",
    )
    rules.add_argument(
        "--lots",
        metavar="A,B",
        help="ties that looking back cannot break go by these lots drawn by hand (in the "
        "room), in the order they were drawn: each names the candidate its lot chose (to "
        "exclude, or to elect, transfer or place first), by name or by number in the file's "
        "list of candidates [the lot]",
    )
    p.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="MARK",
        help="CSV cell value to ignore, e.g. --skip overvote --skip undervote (repeatable)",
    )
    return p


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    text = data.decode("utf-8")
    return text.removeprefix("\ufeff")


def _score_ballots(bf: BallotFile) -> tuple[dict, list[str]]:
    """CSV cells ``name:score`` (or ``name=score``) for score voting."""
    ballots: dict = {}
    names: dict[str, None] = {}
    for key, w in bf.ballots.items():
        scores = {}
        for cell in key:
            sep = max(cell.rfind(":"), cell.rfind("="))
            if sep < 0 or not cell[sep + 1 :].strip().isdigit():
                raise BallotError(f"score cells are 'name:score', got {cell!r}")
            name = cell[:sep].strip()
            scores[name] = int(cell[sep + 1 :])
            names.setdefault(name)
        k = tuple(sorted(scores.items()))
        ballots[k] = ballots.get(k, 0) + w
    return ballots, list(names)


def _marks(bf: BallotFile, method: str) -> dict:
    """Approval or score ballots from a CSV file with one column per candidate."""
    ballots: dict = {}
    for key, w in (bf.marks or {}).items():
        if method == "approval":
            k = frozenset(name for name, mark in key if mark)
        else:
            k = tuple(sorted((name, mark) for name, mark in key))
        ballots[k] = ballots.get(k, 0) + w
    return ballots


def run(args: argparse.Namespace) -> Result:
    """Count the file. What the command line leaves out, the file says (its BLT
    ``# convene`` line or CSV ``#`` rows: method, rule, seats, seed), else the defaults."""
    path = Path(args.file)
    fmt_hint = args.input_format
    suffixes = [x.lower() for x in path.suffixes if x.lower() != ".gz"]
    if fmt_hint is None and suffixes and suffixes[-1] == ".blt":
        fmt_hint = "blt"  # other names are detected from the content
    bf = parse(
        read_text(path),
        fmt_hint,
        skip=tuple(args.skip),
        overvote_delimiter=args.overvote_delimiter or None,
    )
    meta = bf.meta
    seats = args.seats if args.seats is not None else (bf.seats or 1)
    if seats < 1:
        raise BallotError("--seats must be at least 1")
    method = args.method or meta.get("method") or ("stv" if seats > 1 else "irv")
    if method not in FILE_METHODS:
        raise BallotError(f"the file's method {method!r} is not one of {', '.join(FILE_METHODS)}")
    record = methods.named(method)
    ranked = record.ballot.ranked
    if not record.takes("seats"):
        if args.seats is not None and args.seats > 1:
            raise BallotError(f"{method} elects one candidate; use --method stv for more seats")
        seats = 1
    if args.rule and not record.rules:
        raise BallotError("--rule applies to --method stv only")
    rule = args.rule or (meta.get("rule") if record.rules else None) or None
    ballots, candidates = bf.ballots, bf.candidates
    ballot_rules = BallotRules(
        overvote=args.overvote,
        max_skipped=args.max_skipped,
        duplicates=args.duplicates,
        max_rankings=args.max_rankings,
        write_ins=args.write_ins,
        overvote_label=args.overvote_label,
        undervote_label=args.undervote_label,
        write_in_label=args.write_in_label,
    )
    labels = {args.overvote_label, args.undervote_label, args.write_in_label}
    if bf.ranks is not None and ranked:
        # the declared candidates: the file's list, else every name on the ballots
        declared = meta.get("candidates") or [c for c in candidates if c not in labels]
        candidates = [*declared, *(c for c in bf.withdrawn if c not in declared)]
        ballots = apply_rules(bf.ranks.items(), candidates, ballot_rules)
    if bf.marks is not None and method in ("approval", "score"):
        ballots = _marks(bf, method)
    elif method == "score":
        ballots, candidates = _score_ballots(bf)
    elif method == "approval":
        ballots = {tuple(dict.fromkeys(k)): w for k, w in ballots.items()}
    seed = args.seed if args.seed is not None else meta.get("seed")
    kwargs = {"seed": None if seed in (None, "") else str(seed)}
    if ranked:
        kwargs["withdrawn"] = bf.withdrawn
    if record.takes("seats"):
        kwargs["seats"] = seats
    if record.rules:
        kwargs["rule"] = rule
    if "batch_elimination" in record.engine_options:
        kwargs["batch_elimination"] = args.batch_elimination
        kwargs["until_two"] = args.until_two
    elif args.batch_elimination or args.until_two:
        raise BallotError("--batch-elimination and --until-two apply to IRV only")
    for flag, name in (("--tie-order", "tie_order"), ("--lots", "lots")):
        given = getattr(args, name)
        if given is not None:
            chosen = [c.strip() for c in given.split(",") if c.strip()]
        elif meta.get("tie_break", name) == ("order" if name == "tie_order" else "room") or (
            isinstance(meta.get(name), list) and "tie_break" not in meta
        ):
            # how the meeting broke its ties (lots drawn in the room: every one of them)
            listed = meta.get(name)
            chosen = [str(c) for c in listed] if isinstance(listed, list) else []
            flag = f"the file's {name}"
        else:
            continue
        # a candidate by name, or by number (its place in the file's list, from 1: for names
        # with a comma in them)
        by_number = {str(i): c for i, c in enumerate(candidates, 1)}
        chosen = [c if c in candidates else by_number.get(c, c) for c in chosen]
        unknown = [c for c in chosen if c not in candidates]
        if unknown:
            raise BallotError(f"{flag} names unknown candidate(s): {', '.join(unknown)}")
        kwargs[name] = chosen
    if "tie_order" in kwargs and "lots" in kwargs:
        if args.tie_order is not None and args.lots is None:
            del kwargs["lots"]  # the command line's order replaces the file's lots
        elif args.lots is not None and args.tie_order is None:
            del kwargs["tie_order"]
        else:
            raise BallotError("give --tie-order or --lots, not both")
    result = count(method, ballots, candidates, **kwargs)
    result.details["title"] = bf.title
    if bf.ranks is not None and ranked:
        # the ballot rules: in the JSON when one differs from its default (so that a
        # default recount is field for field the meeting's result), always in the text
        used = ballot_rules.to_dict()
        if used != BallotRules().to_dict():
            result.details.setdefault("rules", {}).update(used)
        result.details["ballot_rules"] = used
    return result


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        result = run(args)
    except LotNeeded as exc:
        number = {c: i for i, c in enumerate(exc.candidates, 1)}
        among = "; ".join(f"{number.get(c, '?')} {c}" for c in exc.pool)
        return _fail(
            f"{args.file}: round {exc.round}: the count needs lot {exc.draw}, drawn by hand, "
            f"to choose among {among}: give the candidate every lot drawn chose, in order, "
            "with --lots (names or numbers, comma-separated)"
        )
    except BallotFileError as exc:
        return _fail(f"{args.file}: {exc}")
    except BallotError as exc:
        return _fail(f"{args.file}: {exc}")
    except FileNotFoundError:
        return _fail(f"{args.file}: no such file")
    except IsADirectoryError:
        return _fail(f"{args.file}: is a directory")
    except (OSError, EOFError, zlib.error) as exc:
        return _fail(f"{args.file}: cannot read: {exc}")
    except UnicodeDecodeError as exc:
        return _fail(f"{args.file}: not UTF-8 text (byte {exc.start})")
    translations = _translations(args.language)
    if translations is None:
        return _fail(f"unknown language {args.language!r}: en, {', '.join(_languages())}")
    text = (
        json.dumps(_json_result(result), indent=1, ensure_ascii=False) + "\n"
        if args.output == "json"
        else render_text(result, translations=translations, language=args.language)
    )
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. piped into `head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _json_result(result: Result) -> dict:
    data = result.to_dict()
    data["details"].pop("ballot_rules", None)  # in "rules" when not the defaults
    return data


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"


def _languages() -> list[str]:
    return sorted(p.parts[-3] for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.mo"))


def _translations(language: str) -> gettext.NullTranslations | None:
    """The catalogue of ``language`` (Babel is imported only for a language other than
    English); None when there is none."""
    code = (language or "en").replace("-", "_").split("_")[0].lower()
    if code == "en":
        return gettext.NullTranslations()
    if code not in _languages():
        return None
    from babel.support import Translations

    return Translations.load(str(TRANSLATIONS), [code])


def rule_phrases(
    rules: dict,
    translations: gettext.NullTranslations | None = None,
    number=str,
) -> list[str]:
    """The rules a count used (``details["rules"]`` and the ballot rules), each in words of
    ``translations``' language, in a fixed order; ``number`` writes a count."""
    translations = translations or gettext.NullTranslations()
    _, ngettext = translations.gettext, translations.ngettext
    rules = dict(rules)
    out: list[str] = []

    def say(key: str, words: dict) -> None:
        """The words for the rule's value (a rule's value these words do not know yet: as
        the engine names it, rather than not at all)."""
        if key in rules:
            value = rules.pop(key)
            out.append(words[value]() if value in words else f"{key} {value}")

    def limit(key: str, unlimited: str, limited) -> None:
        if key in rules:
            n = rules.pop(key)
            out.append(unlimited if n is None else limited(n) % {"num": number(n)})

    order = _("looking back at earlier rounds, then the published order of the candidates")
    say(
        "tie_break",
        {
            "lot": lambda: _("ties: %(how)s") % {"how": _(TIE_BREAK_NAMES["lot"])},
            "order": lambda: _("ties: %(how)s") % {"how": order},  # --tie-order, or the file's
            "room": lambda: _("ties: %(how)s") % {"how": _(TIE_BREAK_NAMES["room"])},
        },
    )
    say(
        "batch_elimination",
        {
            True: lambda: _(
                "batch elimination: the lowest candidates go together when their votes added "
                "up are fewer than the next candidate's"
            ),
            False: lambda: _("one candidate eliminated at a time"),
        },
    )
    say(
        "until_two",
        {
            True: lambda: _("the count goes on until two candidates remain"),
            False: lambda: _("the count stops at a majority"),
        },
    )
    say(
        "overvote",
        {
            "exhaust": lambda: _(
                "an overvote (two or more candidates at one rank) ends the ballot"
            ),
            "skip": lambda: _("an overvote (two or more candidates at one rank) is passed over"),
            "exhaust_if_multiple_continuing": lambda: _(
                "an overvote (two or more candidates at one rank) ends the ballot only if two "
                "or more of them are still in the count"
            ),
        },
    )
    limit(
        "max_skipped",
        _("skipped ranks are passed over"),
        lambda n: ngettext(
            "the ballot ends after more than %(num)s skipped rank in a row",
            "the ballot ends after more than %(num)s skipped ranks in a row",
            n,
        ),
    )
    say(
        "duplicates",
        {
            "skip": lambda: _("a candidate ranked again is passed over"),
            "exhaust": lambda: _("a candidate ranked again ends the ballot"),
        },
    )
    limit(
        "max_rankings",
        _("every rank counts"),
        lambda n: ngettext(
            "only the first %(num)s rank counts", "only the first %(num)s ranks count", n
        ),
    )
    say(
        "write_ins",
        {
            "error": lambda: _("names that are not candidates are refused"),
            "drop": lambda: _("names that are not candidates are dropped before round 1"),
        },
    )
    marks = [rules.pop(k, None) for k in ("overvote_label", "undervote_label", "write_in_label")]
    if any(m is not None for m in marks):
        out.append(
            _(
                'marks: "%(overvote)s" is an overvote, "%(undervote)s" a skipped rank, '
                '"%(write_in)s" a name that is not a candidate'
            )
            % dict(zip(("overvote", "undervote", "write_in"), marks, strict=True))
        )
    out.extend(f"{k} {v}" for k, v in rules.items() if v is not None)
    return out


def render_text(
    result: Result,
    width: int = 110,
    translations: gettext.NullTranslations | None = None,
    language: str = "en",
) -> str:
    """The count as a table and sentences, in ``translations``' words and with ``language``'s
    numbers (1,234.5 in English, 1.234,5 in Spanish)."""
    translations = translations or gettext.NullTranslations()
    _ = translations.gettext
    fmt = formatter(language)
    out: list[str] = []
    title = result.details.get("title")
    if title:
        out.append(title)
    method = _(METHOD_NAMES[result.method]) if result.method in METHOD_NAMES else result.method
    head = _("Method: %(method)s") % {"method": method}
    if result.rule and result.rule != result.method:
        head += f" ({_(RULE_NAMES.get(result.rule, result.rule))})"
    head += _("; seats: %(seats)s; ballots: %(ballots)s") % {
        "seats": result.seats,
        "ballots": fmt(result.total),
    }
    if result.quota is not None:
        head += _("; quota: %(quota)s") % {"quota": fmt(result.quota)}
    out.append(head)
    out.append("")
    names = [c for c in result.candidates if any(c in r.tallies for r in result.rounds)]
    exhausted, lost = _("Exhausted"), _("Lost")
    label_w = min(max((len(c) for c in names), default=10), 32)
    label_w = max(label_w, len(exhausted))
    rows = [*names, exhausted]
    has_lost = any(r.lost for r in result.rounds)
    if has_lost:
        rows.append(lost)

    def cell(rnd, row) -> str:
        if row == exhausted:
            return fmt(rnd.exhausted)
        if row == lost:
            return fmt(rnd.lost)
        if row not in rnd.tallies:
            return ""
        mark = "*" if row in rnd.elected else ("x" if row in rnd.eliminated else " ")
        return fmt(rnd.tallies[row]) + mark

    def round_name(number: int) -> str:
        return _("Round %(n)s") % {"n": fmt(number)}

    col_w = max([len(cell(r, row)) for r in result.rounds for row in rows] + [len(round_name(10))])
    per_line = max(1, (width - label_w - 2) // (col_w + 2))
    for start in range(0, len(result.rounds), per_line):
        chunk = result.rounds[start : start + per_line]
        header = " " * label_w + "".join(f"  {round_name(r.number):>{col_w}}" for r in chunk)
        out.append(header)
        for row in rows:
            label = row if len(row) <= label_w else row[: label_w - 1] + "…"
            out.append(f"{label:<{label_w}}" + "".join(f"  {cell(r, row):>{col_w}}" for r in chunk))
        out.append("")
    rules = {**(result.details.get("rules") or {}), **(result.details.get("ballot_rules") or {})}
    if rules:
        phrases = rule_phrases(rules, translations, fmt)
        out.append(_("Rules: %(rules)s") % {"rules": "; ".join(phrases)})
        out.append("")
    out.append(_("* elected   x eliminated"))
    out.append("")
    data = result.to_dict()
    explain = Explainer(gettext=translations.gettext, ngettext=translations.ngettext, number=fmt)
    for i, rnd in enumerate(result.rounds):
        out.append(f"{round_name(rnd.number)}: {explain.round(data, i)}")
    if result.tie_breaks:
        out.append("")
        out.append(_("Ties broken:"))
        for t in data["tie_breaks"]:
            line = _("round %(n)s (%(how)s): %(text)s") % {
                "n": fmt(t["round"]),
                "how": _(TIE_HOW_NAMES.get(t["how"], t["how"])),
                "text": explain.tie(t),
            }
            out.append(f"  {line}")
    out.append("")
    if result.ranking and result.method in ("schulze", "approval", "score"):
        out.append(_("Ranking: %(ranking)s") % {"ranking": " > ".join(result.ranking)})
    winners = ", ".join(result.winners) if result.winners else _("nobody")
    out.append(_("Elected: %(names)s") % {"names": winners})
    return "\n".join(out) + "\n"
