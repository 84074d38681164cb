"""The spool `merge` keeps entries in: what goes in comes back, in the order asked
(test_app.py: a merged report read from it is written as the same report held in memory)."""

from __future__ import annotations

from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from syncer.spool import Spool, SpooledById

WORDS = TypeAdapter(list[str])


@given(st.lists(st.lists(st.text(max_size=30), max_size=4), max_size=25))
def test_what_is_spooled_comes_back_by_its_position(items):
    spool = Spool(WORDS)
    assert [spool.append(item) for item in items] == list(range(len(items)))
    assert len(spool) == len(items)
    assert [spool[position] for position in range(len(items))] == items
    if items:
        assert spool[-1] == items[-1]
    with pytest.raises(IndexError):
        spool[len(items)]


def test_a_spooled_sequence_reads_in_its_order_each_time_through():
    spool = Spool(WORDS)
    for item in (["a"], ["b"], ["c"]):
        spool.append(item)
    sequence = spool.in_order(array("q", [2, 0, 1]), lambda words: [*words, "!"])
    assert len(sequence) == 3
    assert list(sequence) == list(sequence) == [["c", "!"], ["a", "!"], ["b", "!"]]
    assert sequence[0] == ["c", "!"] and sequence[-1] == ["b", "!"] and sequence[1:] == [["a", "!"], ["b", "!"]]


def test_spooled_by_id_names_the_later_of_two_items_with_one_id():
    by_id = SpooledById(WORDS, lambda words: words[0])
    for item in (["x", "1"], ["y", "2"], ["x", "3"]):
        by_id.add(item)
    assert by_id["x"] == ["x", "3"] and by_id.get("y") == ["y", "2"] and by_id.get("z") is None
    assert sorted(by_id) == ["x", "y"] and len(by_id) == 2
