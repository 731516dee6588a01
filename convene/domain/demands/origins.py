"""Where a forwarded demand came from (issue 18 item 2): a chapter's adopted demand, sent
upstream with the chapter's instruction to its delegates (the mandate).

The origin record keeps what the regional convening needs to trust and trace it: the
chapter (code and title), the demand's id and version there, the SHA-256 of that version's
text, the chapter's decision (the round, its method and figures, passed), its agreement and
bridging figures, the mandate and a note, and when it was sent.
"""

from __future__ import annotations

import hashlib

from convene.domain.errors import N_, InvalidInput
from convene.domain.text import clean_block

#: The chapter's instruction to its delegates.
MANDATES = ("as written", "may accept friendly amendments", "advisory")
DEFAULT_MANDATE = MANDATES[0]
MANDATE_NOTE_MAX = 500


def parse_mandate(mandate: object, note: object) -> tuple[str, str]:
    """``(mandate, note)``: one of MANDATES (as written when left out), and a note of at
    most MANDATE_NOTE_MAX characters (empty when left out)."""
    if mandate is None:
        mandate = DEFAULT_MANDATE
    if mandate not in MANDATES:
        raise InvalidInput(
            N_("mandate is “as written”, “may accept friendly amendments” or “advisory”."),
            field="mandate",
        )
    return str(mandate), clean_block(note, "note", MANDATE_NOTE_MAX)


def text_sha256(title: str, body: str) -> str:
    """The SHA-256 (hex) of a version's text: its title, a blank line, its body (UTF-8)."""
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def decision_figures(result: dict | None) -> dict:
    """Each choice's (or option's, by label) count in the last round of a round's count:
    a whole number, or the exact fraction as text when votes were weighted in parts."""
    result = result or {}
    counted = (result.get("rounds") or [{}])[-1].get("tallies") or {}
    labels = result.get("labels") or {}
    return {str(labels.get(str(key), key)): _figure(value) for key, value in counted.items()}


def _figure(value: object) -> object:
    exact = value.get("exact") if isinstance(value, dict) else value
    if isinstance(exact, str) and exact.lstrip("-").isdigit():
        return int(exact)
    return exact
