"""Ids and cursors: whole numbers in the database's integer range, never a bool or text."""

from __future__ import annotations

import pytest

from convene.domain.errors import InvalidInput
from convene.domain.ids import INT_MAX, is_id, is_id_list, is_whole, parse_id


def test_an_id_is_a_whole_number_from_1_to_the_columns_largest():
    for good in (1, 42, INT_MAX):
        assert is_id(good)
        assert parse_id(good, "round_id") == good
    for bad in (0, -1, INT_MAX + 1, 2**63, True, False, "1", 1.0, None, [1]):
        assert not is_id(bad)
        with pytest.raises(InvalidInput) as refused:
            parse_id(bad, "round_id")
        assert refused.value.field == "round_id"


def test_a_cursor_starts_at_0_and_a_list_of_ids_holds_only_ids():
    assert [is_whole(v) for v in (0, INT_MAX, -1, INT_MAX + 1, True)] == [1, 1, 0, 0, 0]
    assert [is_whole(v, 1, 5) for v in (1, 5, 0, 6)] == [1, 1, 0, 0]
    assert is_id_list([])
    assert is_id_list([3, 1, 2])
    for bad in ([1, True], [1, "2"], [0], [2**31], (1, 2), None):
        assert not is_id_list(bad)
