"""A convening's roster: the delegates, alternates and observers that chapters sent.

Pure Python. :func:`parse_csv` and :func:`parse_rows` read a whole roster file and either
return every row cleaned, or raise :class:`RosterInvalid` listing every problem with its line
and field (nothing is imported if any row is bad). :func:`plan_import` compares the rows
with the roster already kept and says which entries are added, updated, unchanged, and which
kept entries the file no longer lists (reported, never deleted).

How a row finds the entry it updates: by its external id when it has one (an entry kept
without an external id and with the same name and delegation takes it); a row without an
external id by its name and delegation among the entries that have none.
"""

from __future__ import annotations

import csv
import enum
import io
import secrets
from dataclasses import dataclass, field

from convene.domain.convening import CAUCUS_MAX, CODE_ALPHABET, NAME_MAX, VOTE_WEIGHT_MAX, Role
from convene.domain.errors import N_, DomainError, InvalidInput, NotFound
from convene.domain.text import clean_line

#: At most this many rows in one roster (the largest convening seats about 1,300 delegates;
#: their alternates and observers fit too).
ROSTER_MAX_ROWS = 5000
#: At most this many bytes in a roster file (a 5,000-row file with long delegation names is
#: about 1 MB); the HTTP route refuses a larger body with 413 before reading it.
ROSTER_MAX_BYTES = 2 * 1024 * 1024
#: At most this many problems are listed (the count says how many there were in all).
ROSTER_MAX_ERRORS = 200
#: A delegation is its members' caucus (the demands' agreement figures): the same limit.
DELEGATION_MAX = CAUCUS_MAX
EXTERNAL_ID_MAX = 64
CONTACT_MAX = 200

#: The columns of a roster, in the order the file format lists them.
COLUMNS = ("name", "delegation", "role", "vote_weight", "external_id", "contact")
_REQUIRED_COLUMNS = ("name",)


class RosterRole(enum.StrEnum):
    DELEGATE = "delegate"
    ALTERNATE = "alternate"
    OBSERVER = "observer"


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a roster file: its line (1 is a CSV's header; a JSON row's position
    in ``rows``, from 1), the field (a column name, or None for the whole line or file), and a
    message template marked ``N_()`` with its parameters."""

    line: int
    field: str | None
    message: str
    params: dict = field(default_factory=dict)


class RosterInvalid(InvalidInput):
    """The roster has problems; nothing was imported. ``problems``: the first
    :data:`ROSTER_MAX_ERRORS`; ``count``: how many there were in all."""

    code = "invalid_roster"

    def __init__(self, problems: list[Problem], count: int | None = None) -> None:
        count = len(problems) if count is None else count
        super().__init__(
            N_("The roster was not imported: it has problems (%(count)d), listed by line."),
            field="roster",
            count=count,
        )
        self.problems = problems[:ROSTER_MAX_ERRORS]
        self.count = count


@dataclass(frozen=True)
class RosterRow:
    """One person of a roster file, cleaned."""

    line: int
    name: str
    delegation: str
    role: RosterRole = RosterRole.DELEGATE
    vote_weight: int = 1
    external_id: str | None = None
    contact: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """Who the row is when it has no external id: name and delegation, case-folded."""
        return (self.name.casefold(), self.delegation.casefold())


@dataclass(eq=False)
class RosterEntry:
    """One person kept on a convening's roster."""

    name: str
    delegation: str
    role: RosterRole
    vote_weight: int = 1
    external_id: str | None = None
    contact: str = ""
    id: int | None = None
    #: the member this entry became when their link or badge code was first used
    member_id: int | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.name.casefold(), self.delegation.casefold())

    def differs_from(self, row: RosterRow) -> bool:
        return (
            self.name,
            self.delegation,
            self.role,
            self.vote_weight,
            self.contact,
        ) != (row.name, row.delegation, row.role, row.vote_weight, row.contact) or (
            row.external_id is not None and self.external_id != row.external_id
        )

    def public(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "delegation": self.delegation,
            "role": str(self.role),
            "vote_weight": self.vote_weight,
            "external_id": self.external_id,
            "contact": self.contact,
        }


class _Collector:
    """Problems gathered over a whole file, bounded: the count goes on after the list stops."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.count = 0

    def add(self, line: int, field_name: str | None, message: str, **params: object) -> None:
        self.count += 1
        if len(self.problems) < ROSTER_MAX_ERRORS:
            self.problems.append(Problem(line, field_name, message, params))

    def raise_if_any(self) -> None:
        if self.count:
            problems = sorted(self.problems, key=lambda p: p.line)  # stable: fields in order
            raise RosterInvalid(problems, self.count)


# -- reading a file ----------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """A roster file's bytes as text: UTF-8 (a byte-order mark is dropped). Raises
    RosterInvalid naming the line of the first byte that is not UTF-8, or a file too large."""
    if len(data) > ROSTER_MAX_BYTES:
        raise _too_large()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise RosterInvalid(
            [Problem(line, None, N_("The file is not UTF-8 text: save it as CSV UTF-8."))]
        ) from None


def _too_large() -> RosterInvalid:
    return RosterInvalid(
        [
            Problem(
                1,
                None,
                N_("The file is too large (at most %(max)d bytes)."),
                {"max": ROSTER_MAX_BYTES},
            )
        ]
    )


def parse_csv(text: str) -> list[RosterRow]:
    """Every row of a CSV roster (a header line naming the columns, then one person a line;
    comma, semicolon or tab separated), or RosterInvalid with every problem."""
    if not isinstance(text, str):
        raise InvalidInput(N_("%(field)s must be text."), field="csv")
    if len(text.encode("utf-8", "surrogatepass")) > ROSTER_MAX_BYTES:
        raise _too_large()
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems = _Collector()
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if not header or not any(cell.strip() for cell in header):
        raise RosterInvalid(
            [
                Problem(
                    1,
                    None,
                    N_("The first line must name the columns, such as: %(columns)s."),
                    {"columns": ",".join(COLUMNS)},
                )
            ]
        )
    columns = [_column_name(cell) for cell in header]
    for index, column in enumerate(columns):
        if column not in COLUMNS:
            problems.add(
                1,
                header[index].strip()[:60] or None,
                N_("Unknown column %(column)s: the columns are %(columns)s."),
                column=header[index].strip()[:60],
                columns=", ".join(COLUMNS),
            )
        elif columns.index(column) != index:
            problems.add(1, column, N_("The column %(column)s is named twice."), column=column)
    for column in _REQUIRED_COLUMNS:
        if column not in columns:
            problems.add(1, column, N_("The column %(column)s is missing."), column=column)
    problems.raise_if_any()
    rows: list[tuple[int, dict]] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.add(line, None, N_("This line is not valid CSV (check its quotes)."))
            break
        if cells and any(cell.strip() for cell in cells):
            if len(rows) == ROSTER_MAX_ROWS:
                problems.add(
                    line,
                    None,
                    N_("A roster has at most %(max)d people."),
                    max=ROSTER_MAX_ROWS,
                )
                break
            if len(cells) > len(columns):
                problems.add(
                    line,
                    None,
                    N_("This line has %(found)d fields; the header names %(expected)d."),
                    found=len(cells),
                    expected=len(columns),
                )
            rows.append((line, dict(zip(columns, cells, strict=False))))
        line = reader.line_num + 1
    return _check_rows(rows, problems)


def parse_rows(rows: object) -> list[RosterRow]:
    """Every row of a JSON roster (``rows``: a list of objects with the columns as keys;
    a row's line is its position, from 1), or RosterInvalid with every problem."""
    if not isinstance(rows, list):
        raise InvalidInput(N_("%(field)s must be a list."), field="rows")
    problems = _Collector()
    if len(rows) > ROSTER_MAX_ROWS:
        problems.add(
            ROSTER_MAX_ROWS + 1,
            None,
            N_("A roster has at most %(max)d people."),
            max=ROSTER_MAX_ROWS,
        )
        problems.raise_if_any()
    numbered: list[tuple[int, dict]] = []
    for line, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            problems.add(line, None, N_("Each row must be an object."))
            continue
        for key in row:
            if key not in COLUMNS:
                problems.add(
                    line,
                    str(key)[:60],
                    N_("Unknown column %(column)s: the columns are %(columns)s."),
                    column=str(key)[:60],
                    columns=", ".join(COLUMNS),
                )
        numbered.append((line, {k: v for k, v in row.items() if k in COLUMNS}))
    return _check_rows(numbered, problems)


def _column_name(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _check_rows(rows: list[tuple[int, dict]], problems: _Collector) -> list[RosterRow]:
    result: list[RosterRow] = []
    by_external_id: dict[str, int] = {}
    by_key: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        row = _row(line, cells, problems)
        if row is None:
            continue
        if row.external_id is not None:
            if (earlier := by_external_id.get(row.external_id)) is not None:
                problems.add(
                    line,
                    "external_id",
                    N_("The external id %(id)s is also on line %(other)d."),
                    id=row.external_id,
                    other=earlier,
                )
                continue
            by_external_id[row.external_id] = line
        elif (earlier := by_key.get(row.key)) is not None:
            problems.add(
                line,
                "name",
                N_(
                    "The same name and delegation are on line %(other)d: give each an "
                    "external id if they are two people."
                ),
                other=earlier,
            )
            continue
        else:
            by_key[row.key] = line
        result.append(row)
    problems.raise_if_any()
    return result


def _row(line: int, cells: dict, problems: _Collector) -> RosterRow | None:
    before = problems.count
    name = _text(line, cells, "name", NAME_MAX, problems, required=True)
    role = _role(line, cells.get("role"), problems)
    delegation = _text(
        line,
        cells,
        "delegation",
        DELEGATION_MAX,
        problems,
        required=role in (RosterRole.DELEGATE, RosterRole.ALTERNATE),
    )
    weight = _weight(line, cells.get("vote_weight"), problems)
    external_id = _text(line, cells, "external_id", EXTERNAL_ID_MAX, problems) or None
    contact = _text(line, cells, "contact", CONTACT_MAX, problems)
    if problems.count > before or role is None or weight is None:
        return None
    return RosterRow(
        line=line,
        name=name or "",
        delegation=delegation or "",
        role=role,
        vote_weight=weight,
        external_id=external_id,
        contact=contact or "",
    )


def _text(
    line: int,
    cells: dict,
    column: str,
    max_length: int,
    problems: _Collector,
    *,
    required: bool = False,
) -> str | None:
    value = cells.get(column)
    if isinstance(value, int | float) and not isinstance(value, bool) and column == "external_id":
        value = str(value)  # a JSON number as an id: 1042 is "1042"
    if value is not None and not isinstance(value, str):
        problems.add(line, column, N_("%(field)s must be text."), field=column)
        return None
    try:
        return clean_line(value, column, max_length, required=required)
    except DomainError as error:
        problems.add(line, column, error.message, **error.params)
        return None


def _role(line: int, value: object, problems: _Collector) -> RosterRole | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return RosterRole.DELEGATE
    if isinstance(value, str):
        try:
            return RosterRole(value.strip().lower())
        except ValueError:
            pass
    problems.add(
        line,
        "role",
        N_("The role must be delegate, alternate or observer."),
    )
    return None


def _weight(line: int, value: object, problems: _Collector) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    weight: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        weight = value
    elif isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        digits = value.strip()
        weight = int(digits) if len(digits) <= 6 else VOTE_WEIGHT_MAX + 1
    if weight is None or not 1 <= weight <= VOTE_WEIGHT_MAX:
        problems.add(
            line,
            "vote_weight",
            N_("The vote weight must be a whole number from 1 to %(max)d."),
            max=VOTE_WEIGHT_MAX,
        )
        return None
    return weight


# -- comparing with the roster kept ------------------------------------------------------------


class Action(enum.StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ImportPlan:
    """What importing ``rows`` over the kept roster does: for each row its action and the
    entry it updates (None: a new entry); the kept entries that the file does not list."""

    steps: list[tuple[RosterRow, Action, RosterEntry | None]]
    not_in_file: list[RosterEntry]

    def count(self, action: Action) -> int:
        return sum(1 for _, a, _ in self.steps if a is action)

    def summary(self) -> dict:
        return {
            "added": self.count(Action.ADDED),
            "updated": self.count(Action.UPDATED),
            "unchanged": self.count(Action.UNCHANGED),
            "not_in_file": len(self.not_in_file),
        }


def plan_import(kept: list[RosterEntry], rows: list[RosterRow]) -> ImportPlan:
    """Match each row with the kept entry it is (module docstring); nothing is changed."""
    by_external_id = {e.external_id: e for e in kept if e.external_id is not None}
    without_id: dict[tuple[str, str], RosterEntry] = {}
    for entry in kept:
        if entry.external_id is None:
            without_id.setdefault(entry.key, entry)
    matched: set[int] = set()
    steps: list[tuple[RosterRow, Action, RosterEntry | None]] = []
    for row in rows:
        entry = None
        if row.external_id is not None:
            entry = by_external_id.get(row.external_id)
        if entry is None:
            candidate = without_id.get(row.key)
            if candidate is not None and id(candidate) not in matched:
                entry = candidate
        if entry is None:
            steps.append((row, Action.ADDED, None))
            continue
        matched.add(id(entry))
        steps.append((row, Action.UPDATED if entry.differs_from(row) else Action.UNCHANGED, entry))
    not_in_file = [e for e in kept if id(e) not in matched]
    return ImportPlan(steps, not_in_file)


def apply_row(entry: RosterEntry, row: RosterRow) -> None:
    """Update a kept entry from its row (an external id left out keeps the entry's)."""
    entry.name = row.name
    entry.delegation = row.delegation
    entry.role = row.role
    entry.vote_weight = row.vote_weight
    entry.contact = row.contact
    if row.external_id is not None:
        entry.external_id = row.external_id


def new_entry(row: RosterRow) -> RosterEntry:
    return RosterEntry(
        name=row.name,
        delegation=row.delegation,
        role=row.role,
        vote_weight=row.vote_weight,
        external_id=row.external_id,
        contact=row.contact,
    )


# -- credentials ---------------------------------------------------------------------------------

#: A badge code: 8 characters of the join codes' alphabet (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), about
#: 37 bits, printed and typed as two groups of four ("K7PQ-MX3A"). Distinct from a convening's
#: join code (6 characters), so neither can be taken for the other.
BADGE_CODE_LENGTH = 8


def new_badge_code() -> str:
    """A fresh badge code, drawn with :mod:`secrets`."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(BADGE_CODE_LENGTH))


def normalise_badge_code(value: object) -> str:
    """What a person typed as a badge code: upper-cased, without spaces and dashes. Anything
    that cannot be a badge code is refused as "no such badge" (the same as a wrong one)."""
    if not isinstance(value, str):
        raise InvalidInput(N_("The badge code must be text."), field="badge_code")
    code = "".join(ch for ch in value.upper() if ch not in " -")
    if len(code) != BADGE_CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise NotFound(N_("No badge has that code in this convening."))
    return code


def show_badge_code(code: str) -> str:
    """A badge code as printed: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


#: A roster role in words (on the badges, in the convening's language).
ROLE_LABELS = {
    RosterRole.DELEGATE: N_("Delegate"),
    RosterRole.ALTERNATE: N_("Alternate"),
    RosterRole.OBSERVER: N_("Observer"),
}


def member_role(role: RosterRole) -> Role:
    """What an entry joins as: delegates and alternates as participants (who may vote; the
    check-in desk and seating, issue 17 items 3 and 4, will narrow that), observers as
    observers (they follow the meeting and do not vote)."""
    return Role.OBSERVER if role is RosterRole.OBSERVER else Role.PARTICIPANT


def caucus_of(delegation: str) -> str | None:
    """An entry's delegation as their caucus (the demands' agreement and bridging figures):
    the whole name, whatever its length (a delegation fits a caucus); none without one."""
    return delegation or None
