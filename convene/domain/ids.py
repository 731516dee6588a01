"""Row ids, and the whole numbers that travel with them (paging cursors), checked once.

The database's integer columns are 32-bit on PostgreSQL (SQLAlchemy ``Integer``: int4;
SQLite's are 64-bit), so every id and cursor sent to it fits ``0 .. INT_MAX``; a bool is not
a number here, even though Python says ``True == 1``. The commands' schemas
(convene/services/schemas.py) declare the same bounds; these checks hold for a service or a
domain rule called directly.
"""

from __future__ import annotations

from typing import TypeGuard

from convene.domain.errors import N_, InvalidInput

#: The largest value of the database's integer columns (PostgreSQL int4).
INT_MAX = 2**31 - 1


def is_whole(value: object, low: int = 0, high: int = INT_MAX) -> TypeGuard[int]:
    """Whether ``value`` is an ``int`` (not a bool) from ``low`` to ``high``."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def is_id(value: object) -> TypeGuard[int]:
    """Whether ``value`` can be a row's id: a whole number from 1 to INT_MAX."""
    return is_whole(value, 1)


def parse_id(value: object, field: str, message: str = N_("%(field)s must be a number.")) -> int:
    """``value`` if it can be a row's id, else :class:`InvalidInput` on ``field`` with
    ``message`` (an ``N_()`` string; ``%(field)s`` is the field's name)."""
    if not is_id(value):
        raise InvalidInput(message, field=field)
    return value


def is_id_list(value: object) -> TypeGuard[list[int]]:
    """Whether ``value`` is a list of whole numbers that can each be a row's id."""
    return isinstance(value, list) and all(is_id(v) for v in value)
