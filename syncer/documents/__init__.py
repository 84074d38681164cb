"""The document stage: a catalog file -> its text -> blocks (tables, lists, headings, prose).

One module per document style (`pipe_tables`, `html_tables`, `lists`, `headings`),
driven by one scanner (`markdown`). What the blocks mean is the entry stage's business.
"""

from __future__ import annotations

from pathlib import Path

from syncer.documents.blocks import Block, Document, Field, Prose, Record, RecordList, Row, Table
from syncer.documents.inline import Cell, read_cell, split_cells
from syncer.documents.markdown import read_blocks
from syncer.errors import CatalogError

__all__ = [
    "Block",
    "Cell",
    "Document",
    "Field",
    "Prose",
    "Record",
    "RecordList",
    "Row",
    "Table",
    "find_tables",
    "read_blocks",
    "read_cell",
    "read_document",
    "split_cells",
]

# A catalog is a page or a few; a file larger than this is not one (and would be read whole).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


def read_document(path: Path) -> str:
    """The text of a catalog document; a bad file becomes a `CatalogError`."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise CatalogError("not a regular file (a pipe, socket or device); expected a Markdown file", path=path)
    try:
        if path.is_file() and path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise CatalogError(f"larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MiB; not a catalog document", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("no such file", path=path) from None
    except IsADirectoryError:
        raise CatalogError("is a directory, expected a Markdown file", path=path) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise CatalogError(
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at column {column}); save the document as UTF-8",
            path=path,
            line=line,
        ) from None


def find_tables(text: str) -> list[Table]:
    """Every table (pipe or HTML) in a document, in order, with the heading above it."""
    return [block for block in read_blocks(text).blocks if isinstance(block, Table)]
