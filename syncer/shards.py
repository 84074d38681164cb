"""`run --shard I/N`: which entries each of N runners reads, so that together they make the
Hub requests one runner would.

The Hub's API work is per author: one listing reads many of an author's repos, and newer
releases are found by listing each author once. So a shard is a set of authors, never a
slice of one: every entry goes with the author of its first mapped repo (an entry with no
repo goes alone), and authors are dealt out largest first to the shard with the fewest
repos so far, so the shards' work is balanced by repo count. The assignment follows from
the catalog and the mapping alone: every job of a matrix computes the same one.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Shard:
    """Part `index` (1-based) of `count`."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`2/4` -> Shard(2, 4); ValueError for anything else."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise ValueError(f"{text!r} is not a shard: expected i/N with 1 <= i <= N, e.g. 1/4")
        return cls(int(match.group(1)), int(match.group(2)))

    def entry_ids(self, entries: Iterable[tuple[str, list[str]]]) -> set[str]:
        """The ids of this shard's entries, of all the catalog's (entry id, its mapped repo ids)."""
        return {entry_id for entry_id, index in assign(entries, self.count).items() if index == self.index}


def author_of(entry_id: str, repo_ids: list[str]) -> str:
    """What keeps entries together: the author of the first mapped repo (the Hub's names
    ignore case); an entry with no repo is its own group."""
    return repo_ids[0].split("/", 1)[0].lower() if repo_ids else f"\0{entry_id}"


def assign(entries: Iterable[tuple[str, list[str]]], count: int) -> dict[str, int]:
    """Entry id -> shard (1-based): authors dealt out largest first (ties by name) to the shard
    with the fewest repos so far (ties: the lowest index)."""
    groups: dict[str, list[str]] = defaultdict(list)
    weights: dict[str, int] = defaultdict(int)
    for entry_id, repo_ids in entries:
        key = author_of(entry_id, repo_ids)
        groups[key].append(entry_id)
        weights[key] += max(1, len(repo_ids))
    loads = [(0, index) for index in range(1, count + 1)]
    heapq.heapify(loads)
    assigned: dict[str, int] = {}
    for key in sorted(groups, key=lambda key: (-weights[key], key)):
        load, index = heapq.heappop(loads)
        for entry_id in groups[key]:
            assigned[entry_id] = index
        heapq.heappush(loads, (load + weights[key], index))
    return assigned
