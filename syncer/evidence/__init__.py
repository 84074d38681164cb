"""What a document already says about where its models are on the Hub, entry by entry.

Each kind of evidence is one module with one function, `gather(document) -> list[Clue]`:
- `links`: links to model repos (`huggingface.co/org/name`, `blob/`, `tree/`, anchors, and
  mirrors such as `hf-mirror.com`): the entry's own `hub_links`;
- `code`: repo ids in code spans and fenced blocks, in the entry's text or anywhere in the
  document (a block of ids under a table) when an id's name is one entry's own;
- `orgs`: links to an organisation (`huggingface.co/01-ai`), which say whose repos the
  entry's are.

`syncer init` and `syncer suggest` map from this first and search only where it is silent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from syncer.documents import read_document
from syncer.models import Catalog, Entry

ClueKind = Literal["repo", "org"]


@dataclass(frozen=True)
class Clue:
    """One piece of evidence for one entry: a repo id, or an organisation its repos are under."""

    entry_id: str
    kind: ClueKind
    value: str
    line: int
    how: str  # in words, for the mapping's note and init's output
    # False: the id stands in the entry's text but its name is not the entry's (perhaps a base
    # model); it is shown, not mapped.
    names_the_entry: bool = True


@dataclass(frozen=True)
class DocumentText:
    """A document's lines and its entries, each with the lines that are its own."""

    path: str
    lines: list[str]
    entries: list[Entry]
    spans: dict[str, tuple[int, int]]  # entry id -> first and last line (1-based) of its text

    def owner_of_line(self, line: int) -> Entry | None:
        for entry in self.entries:
            first, last = self.spans[entry.id]
            if first <= line <= last:
                return entry
        return None


Gather = Callable[[DocumentText], list[Clue]]

_TABLE_ROW = re.compile(r"^\s*\|")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")


def entry_spans(lines: list[str], entries: list[Entry]) -> dict[str, tuple[int, int]]:
    """The lines that are each entry's own: a table row is its line; a list item or a heading
    runs to the next entry, the next heading at its level or above, or a fenced block."""
    ordered = sorted(entries, key=lambda entry: entry.line)
    spans = {}
    for index, entry in enumerate(ordered):
        start = entry.line
        if start > len(lines) or _TABLE_ROW.match(lines[start - 1]):
            spans[entry.id] = (start, start)
            continue
        limit = ordered[index + 1].line - 1 if index + 1 < len(ordered) else len(lines)
        heading = _HEADING.match(lines[start - 1])
        level = len(heading.group(1)) if heading else 7
        end = start
        for number in range(start + 1, limit + 1):
            text = lines[number - 1]
            other = _HEADING.match(text)
            if (other and len(other.group(1)) <= level) or (_FENCE.match(text) and level == 7):
                break
            end = number
        spans[entry.id] = (start, end)
    return spans


def read_texts(catalog: Catalog, read: Callable[[Path], str] = read_document) -> list[DocumentText]:
    texts = []
    for document in catalog.documents:
        entries = [entry for entry in catalog.entries if entry.document == document]
        lines = read(Path(document)).splitlines()
        texts.append(DocumentText(document, lines, entries, entry_spans(lines, entries)))
    return texts


def gather_evidence(catalog: Catalog, read: Callable[[Path], str] = read_document) -> dict[str, list[Clue]]:
    """Every clue of every document, by entry id, in the order of SOURCES then lines."""
    from syncer.evidence import code, links, orgs

    sources: tuple[Gather, ...] = (links.gather, code.gather, orgs.gather)
    found: dict[str, list[Clue]] = {entry.id: [] for entry in catalog.entries}
    for text in read_texts(catalog, read):
        for gather in sources:
            for clue in gather(text):
                if not any(seen.kind == clue.kind and seen.value.lower() == clue.value.lower() for seen in found[clue.entry_id]):
                    found[clue.entry_id].append(clue)
    return found
