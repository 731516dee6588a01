"""Ballot files: parse and write BLT, CSV and ``count: A>B>C`` text. Pure functions.

BLT (as used by OpenSTV, OpaVote, Droop and election offices)::

    4 2                 number of candidates, number of seats
    -3                  optional: withdrawn candidates as negative numbers
    28 1 2 3 0          weight, candidate numbers in order of preference, 0
    3 3 0
    0                   end of ballots
    "Alice"             one quoted name per candidate, in number order
    "Bob"
    "Chris"
    "Don"
    "Title"             quoted title

Accepted: blank lines anywhere; weights that are whole numbers or decimals
(``1.5``); names may share lines and may contain any character but ``"``; an empty
ballot (``5 0``). Not accepted (a clear error names the line): equal rankings
(``=``), skipped ranks (``-``), ballot ids in parentheses, candidate numbers out of
range, a missing final ``0``, or missing names.

CSV: one ballot per row, candidates' names in order of preference left to right;
blank cells are ignored and so are cells listed in ``skip`` (e.g. ``overvote``,
``undervote``). If the first row's first cell is ``count`` or ``weight`` (any
case), that row is a header and the first column of each row is the ballot's
weight; a first row made only of ``rank1``/``choice 2``-style labels is a header
without weights. A row with no names left counts as a ballot that ranks nobody.

Text (``ballots.txt`` of the shared election collection): ``count: A>B>C`` per
line; ``count:`` with nothing after it counts ballots that rank nobody.

Repeated names on a ballot are kept (counting skips a repeat, see
:mod:`convene.domain.tally.profile`). Candidates of CSV and text files are listed in
order of first appearance.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from fractions import Fraction

from convene.domain.tally.result import Number, exact_str

FORMATS = ("blt", "csv", "txt")
_QUOTED = re.compile(r'"([^"]*)"')
_HEADER_LABEL = re.compile(r"^(rank|choice|preference|pref)[\s_#-]*\d*$", re.IGNORECASE)


class BallotFileError(ValueError):
    """A ballot file that cannot be read; ``str()`` is one line naming the line."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass
class BallotFile:
    candidates: list[str]
    ballots: dict[tuple[str, ...], Number]
    seats: int | None = None
    withdrawn: list[str] = field(default_factory=list)
    title: str | None = None
    format: str = "blt"

    @property
    def total(self) -> Number:
        return sum(self.ballots.values())


def detect_format(text: str) -> str:
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.fullmatch(r"\s*\d+\s+\d+\s*", line):
            return "blt"
        if re.match(r"\s*\d+(\.\d+)?\s*:", line):
            return "txt"
        return "csv"
    return "csv"


def parse(text: str, fmt: str | None = None, *, skip: tuple[str, ...] = ()) -> BallotFile:
    fmt = fmt or detect_format(text)
    if fmt == "blt":
        return parse_blt(text)
    if fmt == "csv":
        return parse_csv(text, skip=skip)
    if fmt == "txt":
        return parse_txt(text)
    raise BallotFileError(None, f"unknown ballot file format {fmt!r}")


def _weight(token: str, line: int) -> Number:
    if re.fullmatch(r"\d+", token):
        value: Number = int(token)
    elif re.fullmatch(r"\d*\.\d+|\d+\.\d*", token):
        value = Fraction(token)
        if value.denominator == 1:
            value = value.numerator
    else:
        raise BallotFileError(line, f"ballot weight {token!r} is not a positive number")
    if value <= 0:
        raise BallotFileError(line, f"ballot weight {token!r} must be positive")
    return value


def parse_blt(text: str) -> BallotFile:
    lines = text.splitlines()
    i = 0

    def next_line() -> tuple[int, str] | None:
        nonlocal i
        while i < len(lines):
            i += 1
            if lines[i - 1].strip():
                return i, lines[i - 1].strip()
        return None

    first = next_line()
    if first is None:
        raise BallotFileError(None, "empty file")
    lineno, header = first
    parts = header.split()
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise BallotFileError(lineno, "the first line must be 'CANDIDATES SEATS', two numbers")
    n_cands, seats = int(parts[0]), int(parts[1])
    if n_cands < 1:
        raise BallotFileError(lineno, "there must be at least one candidate")
    if seats < 1:
        raise BallotFileError(lineno, "the number of seats must be at least 1")

    withdrawn_nums: list[int] = []
    raw: dict[tuple[int, ...], Number] = {}
    ended = False
    while True:
        got = next_line()
        if got is None:
            break
        lineno, line = got
        tokens = line.split()
        if not withdrawn_nums and not raw and tokens[0].startswith("-"):
            for t in tokens:
                if not re.fullmatch(r"-\d+", t) or not 1 <= -int(t) <= n_cands:
                    raise BallotFileError(
                        lineno, f"withdrawn candidates must be -1 to -{n_cands}, got {t!r}"
                    )
                withdrawn_nums.append(-int(t))
            continue
        if tokens == ["0"]:
            ended = True
            break
        if "=" in line:
            raise BallotFileError(lineno, "equal rankings ('=') are not supported")
        if tokens[0].startswith("("):
            raise BallotFileError(lineno, "ballot ids in parentheses are not supported")
        weight = _weight(tokens[0], lineno)
        if tokens[-1] != "0" or len(tokens) < 2:
            raise BallotFileError(lineno, "a ballot line must end with 0")
        prefs = []
        for t in tokens[1:-1]:
            if not t.isdigit():
                raise BallotFileError(lineno, f"{t!r} is not a candidate number")
            c = int(t)
            if not 1 <= c <= n_cands:
                raise BallotFileError(
                    lineno, f"candidate number {c} is out of range (1 to {n_cands})"
                )
            prefs.append(c)
        key = tuple(prefs)
        raw[key] = raw.get(key, 0) + weight
    if not ended:
        raise BallotFileError(len(lines), "missing the '0' line that ends the ballots")

    names: list[tuple[int, str]] = []
    while True:
        got = next_line()
        if got is None:
            break
        lineno, line = got
        found = _QUOTED.findall(line)
        if not found:
            if line.count('"') == 1:
                raise BallotFileError(lineno, "unterminated quoted name")
            found = [line]  # tolerate an unquoted name on its own line
        elif _QUOTED.sub("", line).strip():
            raise BallotFileError(lineno, "text outside quotes on a name line")
        names.extend((lineno, n) for n in found)
    if len(names) < n_cands:
        raise BallotFileError(
            len(lines), f"expected {n_cands} candidate names after the ballots, found {len(names)}"
        )
    if len(names) > n_cands + 1:
        raise BallotFileError(names[n_cands + 1][0], "unexpected text after the title")
    cand_names = [n for _, n in names[:n_cands]]
    seen: set[str] = set()
    for lineno, n in names[:n_cands]:
        if n in seen:
            raise BallotFileError(lineno, f"candidate name {n!r} appears twice")
        seen.add(n)
    title = names[n_cands][1] if len(names) > n_cands else None
    ballots: dict[tuple[str, ...], Number] = {}
    for key, w in raw.items():
        named = tuple(cand_names[c - 1] for c in key)
        ballots[named] = ballots.get(named, 0) + w
    return BallotFile(
        candidates=cand_names,
        ballots=ballots,
        seats=seats,
        withdrawn=[cand_names[c - 1] for c in withdrawn_nums],
        title=title,
        format="blt",
    )


def parse_csv(text: str, *, skip: tuple[str, ...] = ()) -> BallotFile:
    skip_set = {s.strip().lower() for s in skip}
    reader = csv.reader(io.StringIO(text))
    ballots: dict[tuple[str, ...], Number] = {}
    order: dict[str, None] = {}
    counted = False
    first = True
    try:
        for row in reader:
            if not row:
                continue
            if first:
                first = False
                head = [c.strip() for c in row]
                if head and head[0].lower() in ("count", "weight"):
                    counted = True
                    continue
                labels = [c for c in head if c]
                if labels and all(_HEADER_LABEL.match(c) for c in labels):
                    continue
            weight: Number = 1
            cells = row
            if counted:
                weight = _weight(row[0].strip(), reader.line_num)
                cells = row[1:]
            names = []
            for cell in cells:
                name = cell.strip()
                if not name or (skip_set and name.lower() in skip_set):
                    continue
                names.append(name)
                if name not in order:
                    order[name] = None
            key = tuple(names)
            ballots[key] = ballots.get(key, 0) + weight
    except csv.Error as exc:
        raise BallotFileError(reader.line_num, f"bad CSV: {exc}") from exc
    if not ballots:
        raise BallotFileError(None, "no ballots found")
    return BallotFile(candidates=list(order), ballots=ballots, format="csv")


def parse_txt(text: str) -> BallotFile:
    ballots: dict[tuple[str, ...], Number] = {}
    order: dict[str, None] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        head, sep, rest = line.partition(":")
        if not sep:
            raise BallotFileError(lineno, "expected 'count: A>B>C'")
        weight = _weight(head.strip(), lineno)
        names = [n.strip() for n in rest.split(">")] if rest.strip() else []
        if any(not n for n in names):
            raise BallotFileError(lineno, "empty candidate name between '>' marks")
        for n in names:
            if n not in order:
                order[n] = None
        key = tuple(names)
        ballots[key] = ballots.get(key, 0) + weight
    if not ballots:
        raise BallotFileError(None, "no ballots found")
    return BallotFile(candidates=list(order), ballots=ballots, format="txt")


def _weight_text(w: Number) -> str:
    text = exact_str(w)
    if "/" in text:
        raise ValueError(f"weight {w} cannot be written as a decimal")
    return text


def write_blt(bf: BallotFile) -> str:
    number = {c: i for i, c in enumerate(bf.candidates, 1)}
    for c in bf.candidates:
        if '"' in c:
            raise ValueError(f"candidate name {c!r} contains a double quote")
    out = [f"{len(bf.candidates)} {bf.seats or 1}"]
    if bf.withdrawn:
        out.append(" ".join(f"-{number[c]}" for c in bf.withdrawn))
    for key, w in bf.ballots.items():
        out.append(" ".join([_weight_text(w), *(str(number[c]) for c in key), "0"]))
    out.append("0")
    out.extend(f'"{c}"' for c in bf.candidates)
    out.append(f'"{bf.title or ""}"')
    return "\n".join(out) + "\n"


def write_csv(bf: BallotFile) -> str:
    buf = io.StringIO()
    width = max((len(k) for k in bf.ballots), default=0)
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["count", *(f"rank{i}" for i in range(1, width + 1))])
    for key, w in bf.ballots.items():
        writer.writerow([_weight_text(w), *key])
    return buf.getvalue()


def write_txt(bf: BallotFile) -> str:
    return "".join(f"{_weight_text(w)}: {'>'.join(k)}\n" for k, w in bf.ballots.items())
