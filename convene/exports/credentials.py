"""Roster credentials as files: the CSV for a mail merge, and the badges to print
(convene/exports/badges.py).

Every cell a spreadsheet could take for a formula (one starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return: "CSV injection") is written with a leading apostrophe,
which spreadsheets show as text; names come from a roster file anyone may have written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

#: The columns of the credentials CSV, in order.
COLUMNS = ("name", "delegation", "role", "code", "link", "external_id", "contact")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def credentials_csv(entries: Iterable[dict], link: Callable[[str], str]) -> str:
    """``entries``: the ``roster.credentials`` command's; ``link``: a token's personal link.
    UTF-8 with a byte-order mark, so spreadsheets read the names' accents right."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in entries:
        row = {**entry, "link": link(entry["token"]), "contact": entry.get("contact", "")}
        writer.writerow([safe_cell(row.get(column)) for column in COLUMNS])
    return buffer.getvalue()
