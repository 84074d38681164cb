"""Report entries kept on disk while `merge` goes through them, so that its memory does not
grow with the catalog.

A merge at 50,000 entries held every shard's entries as objects (about 2.7 KB each) and the
previous report's (1.3 KB each) at once. A spool writes each item, as soon as it is read, to
an unnamed temporary file as the compact JSON it round-trips through, and keeps only where
it starts (8 bytes). Reading an item back validates it again: a spool is read a few times
(once per report written), each time an item at a time.

The file has no name (it is unlinked as it is made), so nothing is left behind by a killed
merge, and no other process can open it; it is closed when the spool is let go.
"""

from __future__ import annotations

import os
import tempfile
import weakref
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Generic, TypeVar, overload

from pydantic import TypeAdapter

T = TypeVar("T")


class Spool(Generic[T]):
    """Items appended to a temporary file, read back by their position."""

    def __init__(self, adapter: TypeAdapter[T]) -> None:
        self._adapter = adapter
        descriptor, name = tempfile.mkstemp(prefix="syncer-spool-")
        os.unlink(name)  # the open descriptor keeps it; the system frees it when that closes
        self._descriptor = descriptor
        weakref.finalize(self, os.close, descriptor)
        self._starts = array("q", [0])  # where each item starts; the last is where the next one will

    def append(self, item: T) -> int:
        """Write `item`; return its position."""
        data = self._adapter.dump_json(item)
        written = 0
        while written < len(data):
            written += os.pwrite(self._descriptor, data[written:], self._starts[-1] + written)
        self._starts.append(self._starts[-1] + len(data))
        return len(self._starts) - 2

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, position: int) -> T:
        if not -len(self) <= position < len(self):
            raise IndexError(position)
        start, end = self._starts[position % len(self)], self._starts[position % len(self) + 1]
        return self._adapter.validate_json(os.pread(self._descriptor, end - start, start))

    def in_order(self, order: array[int], then: Callable[[T], T] | None = None) -> SpooledSequence[T]:
        """The items at the positions of `order`, in that order, each passed through `then`."""
        return SpooledSequence(self, order, then)

    def size(self) -> int:
        """Bytes written to the file."""
        return self._starts[-1]


class SpooledSequence(Sequence[T]):
    """A read-only sequence of spooled items: each access reads its item from the file again."""

    def __init__(self, spool: Spool[T], order: array[int], then: Callable[[T], T] | None) -> None:
        self._spool, self._order, self._then = spool, order, then

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._read(position) for position in self._order[index]]
        return self._read(self._order[index])

    def __iter__(self) -> Iterator[T]:
        for position in self._order:
            yield self._read(position)

    def _read(self, position: int) -> T:
        item = self._spool[position]
        return self._then(item) if self._then else item


class SpooledById(Mapping[str, T]):
    """Spooled items looked up by an id (the previous report's entries, by entry id); an id
    given twice names the later item, as a dict made from them would."""

    def __init__(self, adapter: TypeAdapter[T], id_of: Callable[[T], str]) -> None:
        self._spool = Spool(adapter)
        self._id_of = id_of
        self._positions: dict[str, int] = {}

    def add(self, item: T) -> None:
        self._positions[self._id_of(item)] = self._spool.append(item)

    def __getitem__(self, key: str) -> T:
        return self._spool[self._positions[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)
