"""What the document stage hands on: the structure of a document, not yet its meaning.

A document becomes a sequence of blocks in document order. Whether a block is a catalog
(and which column or lead names the model) is decided later, by the entry stage, which
knows the vocabulary; this stage only knows Markdown and HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

TableStyle = Literal["pipe", "html"]
RecordStyle = Literal["list", "headings", "fields"]


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]  # inline Markdown, one per header
    # How many cells the row wrote, when fewer than its headers (GitHub pads the rest at the end).
    short_by: int = 0


@dataclass(frozen=True)
class Table:
    """A pipe or HTML table: its header cells, body rows and the heading it sits under."""

    style: TableStyle
    line: int
    section: str | None
    headers: list[str]
    rows: list[Row]
    outline: tuple[str, ...] = ()  # every heading above, outermost first


@dataclass(frozen=True)
class Field:
    """One statement about a record: `地址：https://…` (labelled) or a line of prose."""

    label: str | None
    text: str  # inline Markdown, its lines joined by newlines
    line: int


@dataclass(frozen=True)
class Record:
    """A candidate entry outside tables: a list item, or a heading and the text under it."""

    line: int
    lead: str  # inline Markdown that would name the model
    fields: list[Field]
    end_line: int = 0  # last line the record covers


@dataclass(frozen=True)
class RecordList:
    """Sibling records read in one style: the items of one list, or one level of headings.

    `fields` is a list whose items are all labelled (`* 名称：…` / `* 地址：…`): one
    record described field by field, named by its name field or by the heading above.
    """

    style: RecordStyle
    line: int
    section: str | None
    records: list[Record]
    end_line: int = 0
    outline: tuple[str, ...] = ()
    # A list nested under an item that may be a group heading (`- Meta` over `- OPT …`): if
    # this list is a catalog, the item at this line is its section rather than a model.
    parent_line: int | None = None


@dataclass(frozen=True)
class Prose:
    """A paragraph outside tables and lists: it may state something about a whole list."""

    line: int
    section: str | None
    text: str  # inline Markdown, its lines joined by newlines


Block = Table | RecordList | Prose


@dataclass(frozen=True)
class Document:
    blocks: list[Block] = field(default_factory=list)
