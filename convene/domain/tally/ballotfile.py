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
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction

from convene.domain.tally.result import Number, exact_str

FORMATS = ("blt", "csv", "txt", "cdf")
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
    #: how the file says it was counted (``method``, ``rule``, ``seed``...): the
    #: ``# convene {...}`` line of a BLT file, the ``#key,value`` rows of a CSV file
    meta: dict = field(default_factory=dict)
    #: CSV files with one column per candidate (approval, score): per ballot, the
    #: ``(candidate, mark)`` pairs; ``ballots`` then lists the marked candidates
    marks: dict[tuple[tuple[str, int], ...], Number] | None = None
    #: ranked CSV and CDF files: per ballot, the marks rank by rank as written (a rank
    #: may be empty, a skip, or hold several, an overvote), for the ballot rules of
    #: :mod:`convene.domain.tally.rules`; ``ballots`` is what the default rules make of it
    ranks: dict[tuple[tuple[str, ...], ...], Number] | None = None

    @property
    def total(self) -> Number:
        return sum(self.ballots.values())


def detect_format(text: str) -> str:
    if text.lstrip().startswith("{"):
        return "cdf"
    for line in text.splitlines():
        if not line.strip():
            continue
        if re.fullmatch(r"\s*\d+\s+\d+\s*", line):
            return "blt"
        if re.match(r"\s*\d+(\.\d+)?\s*:", line):
            return "txt"
        return "csv"
    return "csv"


def parse(
    text: str,
    fmt: str | None = None,
    *,
    skip: tuple[str, ...] = (),
    overvote_delimiter: str | None = None,
) -> BallotFile:
    fmt = fmt or detect_format(text)
    if fmt == "blt":
        return parse_blt(text)
    if fmt == "csv":
        return parse_csv(text, skip=skip, overvote_delimiter=overvote_delimiter)
    if fmt == "txt":
        return parse_txt(text)
    if fmt == "cdf":
        return parse_cdf(text)
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


META_PREFIX = "# convene "
#: what a ``# convene`` line (BLT) or a ``#key,value`` row (CSV) may say
META_KEYS = (
    "method",
    "rule",
    "seed",
    "seats",
    "title",
    "candidates",
    "withdrawn",
    "rules",
    "tie_break",
    "tie_order",
    "lots",
)
#: settings that are lists of candidates (a CSV row holds one per cell)
_META_LISTS = ("candidates", "withdrawn", "tie_order", "lots")


def _meta_line(line: str, lineno: int, meta: dict) -> None:
    if not line.startswith(META_PREFIX):
        return
    try:
        data = json.loads(line[len(META_PREFIX) :])
    except ValueError as exc:
        raise BallotFileError(lineno, f"the '# convene' line is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise BallotFileError(lineno, "the '# convene' line must be a JSON object")
    meta.update({k: v for k, v in data.items() if k in META_KEYS or k == "version"})


def parse_blt(text: str) -> BallotFile:
    lines = text.splitlines()
    i = 0

    meta: dict = {}

    def next_line() -> tuple[int, str] | None:
        nonlocal i
        while i < len(lines):
            i += 1
            line = lines[i - 1].strip()
            if line.startswith("#"):  # a comment; "# convene {...}" says how to count
                _meta_line(line, i, meta)
                continue
            if line:
                return i, line
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
        meta=meta,
    )


#: CSV header cells that are not candidates: a ballot's receipt, its voter, its id
_NOT_CANDIDATE = {"receipt", "name", "voter", "id", "ballot id", "ballot_id"}
_WEIGHT = {"count", "weight"}


def _csv_meta(row: list[str], meta: dict) -> None:
    key = row[0].strip()[1:].strip().lower()
    values = [c.strip() for c in row[1:]]
    if key in _META_LISTS:
        meta[key] = [v for v in values if v]
    elif key in META_KEYS or key == "version":
        value = values[0] if values else ""
        if key == "seats" and value.isdigit():
            meta[key] = int(value)
        elif key == "rules":
            try:
                meta[key] = json.loads(value) if value else {}
            except ValueError:
                raise BallotFileError(None, "the '#rules' row is not JSON") from None
        else:
            meta[key] = value


def parse_csv(
    text: str, *, skip: tuple[str, ...] = (), overvote_delimiter: str | None = None
) -> BallotFile:
    """CSV ballots (see the module docstring), with the header and ``#key,value`` rows
    of Convene's export: ``#method``, ``#rule``, ``#seats``, ``#seed``, ``#title``,
    ``#candidates`` (the candidates in order), ``#withdrawn``; other ``#`` rows are
    comments. Header cells ``receipt``, ``name``, ``voter``, ``id`` are not candidates;
    ``count``/``weight`` is the ballot's weight; ``rank1``-style cells hold names in
    order of preference; any other named column is a candidate whose cells are marks
    (approval 1/0, or scores). ``overvote_delimiter`` (e.g. ``|``): a ranked cell holding
    it lists several candidates marked at one rank, an overvote (``ballots`` stops there;
    ``ranks`` keeps the names)."""
    skip_set = {s.strip().lower() for s in skip}
    reader = csv.reader(io.StringIO(text))
    ballots: dict[tuple[str, ...], Number] = {}
    marks: dict[tuple[tuple[str, int], ...], Number] | None = None
    ranks: dict[tuple[tuple[str, ...], ...], Number] = {}
    order: dict[str, None] = {}
    meta: dict = {}
    weight_col: int | None = None
    ignored: set[int] = set()
    columns: list[tuple[int, str]] = []  # marks mode: (column, candidate)
    first = True
    try:
        for row in reader:
            if not row:
                continue
            if row[0].strip().startswith("#"):
                _csv_meta(row, meta)
                continue
            if first:
                first = False
                head = [c.strip() for c in row]
                lowered = [c.lower() for c in head]
                listed = set(meta.get("candidates") or ())
                if listed and meta.get("method") in ("approval", "score"):
                    # Convene's own export: the listed candidates are the mark columns,
                    # whatever their labels say ("Name", "Rank 1"...)
                    columns = [(col, c) for col, c in enumerate(head) if c in listed]
                    lowered = [
                        "" if c in listed else low for c, low in zip(head, lowered, strict=True)
                    ]
                roles = _WEIGHT | _NOT_CANDIDATE
                if lowered[0] in _WEIGHT or any(c in roles for c in lowered):
                    for col, cell in enumerate(lowered):
                        if cell in _WEIGHT and weight_col is None:
                            weight_col = col
                        elif cell in _NOT_CANDIDATE:
                            ignored.add(col)
                    named = [
                        (col, head[col])
                        for col, cell in enumerate(lowered)
                        if cell and col != weight_col and col not in ignored
                    ]
                    if columns:
                        marks = {}
                    elif named and not any(_HEADER_LABEL.match(name) for _, name in named):
                        columns = named
                        marks = {}
                    continue
                labels = [c for c in head if c]
                if labels and all(_HEADER_LABEL.match(c) for c in labels):
                    continue
            weight: Number = 1
            if weight_col is not None:
                weight = _weight(
                    row[weight_col].strip() if weight_col < len(row) else "", reader.line_num
                )
            if marks is not None:
                key_marks = []
                for col, name in columns:
                    cell = row[col].strip() if col < len(row) else ""
                    if not cell:
                        mark = 0
                    elif re.fullmatch(r"\d+", cell):
                        mark = int(cell)
                    else:
                        raise BallotFileError(
                            reader.line_num,
                            f"the mark for {name!r} must be a whole number, got {cell!r}",
                        )
                    key_marks.append((name, mark))
                mkey = tuple(key_marks)
                marks[mkey] = marks.get(mkey, 0) + weight
                key = tuple(name for name, mark in key_marks if mark)
                ballots[key] = ballots.get(key, 0) + weight
                continue
            names = []
            cells = []
            stopped = False
            for col, cell in enumerate(row):
                if col == weight_col or col in ignored:
                    continue
                name = cell.strip()
                if not name or (skip_set and name.lower() in skip_set):
                    cells.append(())
                    continue
                if overvote_delimiter and overvote_delimiter in name:
                    marked = [n.strip() for n in name.split(overvote_delimiter) if n.strip()]
                    cells.append(tuple(marked))
                    for n in marked:
                        order.setdefault(n)
                    if len(set(marked)) > 1:
                        stopped = True  # an overvote: the default rules stop here
                    elif marked and not stopped:
                        names.append(marked[0])
                    continue
                cells.append((name,))
                if not stopped:
                    names.append(name)
                if name not in order:
                    order[name] = None
            key = tuple(names)
            ballots[key] = ballots.get(key, 0) + weight
            rkey = tuple(cells)
            ranks[rkey] = ranks.get(rkey, 0) + weight
    except csv.Error as exc:
        raise BallotFileError(reader.line_num, f"bad CSV: {exc}") from exc
    if not ballots and not meta.get("candidates"):
        raise BallotFileError(None, "no ballots found")
    if marks is not None:
        candidates = [name for _, name in columns]
    elif meta.get("candidates"):
        candidates = list(meta["candidates"])
        candidates += [
            c for c in order if c not in candidates and c not in meta.get("withdrawn", [])
        ]
    else:
        candidates = list(order)
    seats = meta.get("seats") if isinstance(meta.get("seats"), int) else None
    return BallotFile(
        candidates=candidates,
        ballots=ballots,
        seats=seats,
        withdrawn=list(meta.get("withdrawn", [])),
        title=meta.get("title") or None,
        format="csv",
        meta=meta,
        marks=marks,
        ranks=ranks if marks is None else None,
    )


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


MAX_RANK = 1000


def parse_cdf(text: str) -> BallotFile:
    """NIST SP 1500-103 cast-vote records (JSON): the first candidate contest of the first
    election. Candidates are its selections' candidates, in order; each ``CVR.CVR`` is a
    ballot of weight 1 ranking its selections by ``Rank`` (a selection without a rank
    counts in the order given). Two candidates at one rank (an overvote) end the ballot
    there; a rank with nobody (a skip) is passed over. The report's ``Notes``, when it is
    ``convene {json}``, says how the meeting counted."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise BallotFileError(None, f"not JSON: {exc}") from None
    if isinstance(doc, dict) and "results" in doc and "config" in doc:
        raise BallotFileError(
            None,
            "a round-by-round summary (RCTab) holds the count, not the ballots: re-count the "
            "round's BLT, CSV or cast-vote-record (CDF) file",
        )
    if not isinstance(doc, dict) or doc.get("@type") != "CVR.CastVoteRecordReport":
        raise BallotFileError(None, "not a NIST cast-vote record report (CVR.CastVoteRecordReport)")
    meta: dict = {}
    notes = doc.get("Notes")
    if isinstance(notes, str) and notes.startswith("convene "):
        _meta_line("# " + notes, 0, meta)
    try:
        election = doc["Election"][0]
        names = {c["@id"]: c.get("Name") or c["@id"] for c in election.get("Candidate", [])}
        contest = next(
            c
            for c in election["Contest"]
            if c.get("@type", "CVR.CandidateContest") == "CVR.CandidateContest"
        )
        selection: dict[str, str] = {}
        for sel in contest.get("ContestSelection", []):
            ids = sel.get("CandidateIds") or []
            if ids:
                selection[sel["@id"]] = names.get(ids[0], ids[0])
        candidates = list(dict.fromkeys(selection.values()))
        ballots: dict[tuple[str, ...], Number] = {}
        ranks: dict[tuple[tuple[str, ...], ...], Number] = {}
        for cvr in doc.get("CVR", []):
            snaps = cvr.get("CVRSnapshot") or []
            current = cvr.get("CurrentSnapshotId")
            snap = next((x for x in snaps if x.get("@id") == current), snaps[0] if snaps else {})
            marks: list[tuple[int, int, str]] = []
            for cc in snap.get("CVRContest", []):
                if cc.get("ContestId") != contest["@id"]:
                    continue
                for i, cs in enumerate(cc.get("CVRContestSelection", [])):
                    name = selection.get(cs.get("ContestSelectionId"))
                    if name is None:
                        continue  # an undeclared write-in: dropped
                    rank = cs.get("Rank")
                    if rank is None:
                        positions = cs.get("SelectionPosition") or [{}]
                        rank = positions[0].get("Rank", i + 1)
                    rank = int(rank)
                    if not 1 <= rank <= MAX_RANK:
                        raise ValueError(f"rank {rank} is not from 1 to {MAX_RANK}")
                    marks.append((rank, i, name))
            marks.sort()
            ranking: list[str] = []
            by_rank: dict[int, list[str]] = {}
            for rank, _, name in marks:
                by_rank.setdefault(rank, []).append(name)
            for rank in sorted(by_rank):
                at = list(dict.fromkeys(by_rank[rank]))
                if len(at) > 1:
                    break  # an overvote exhausts the ballot here
                ranking.append(at[0])
            key = tuple(ranking)
            ballots[key] = ballots.get(key, 0) + 1
            top = max(by_rank, default=0)
            rkey = tuple(tuple(dict.fromkeys(by_rank.get(r, ()))) for r in range(1, top + 1))
            ranks[rkey] = ranks.get(rkey, 0) + 1
        seats = contest.get("NumberElected")
    except (KeyError, IndexError, TypeError, StopIteration, AttributeError, ValueError) as exc:
        raise BallotFileError(None, f"cannot read the cast-vote records: {exc!r}") from None
    return BallotFile(
        candidates=candidates,
        ballots=ballots,
        seats=seats if isinstance(seats, int) and seats > 0 else None,
        title=election.get("Name") or contest.get("Name"),
        format="cdf",
        meta=meta,
        ranks=ranks,
    )


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
    if bf.meta:
        out.append(META_PREFIX + json.dumps(bf.meta, ensure_ascii=False, sort_keys=True))
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
