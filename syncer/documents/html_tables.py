"""HTML `<table>`s inside Markdown, with rowspan and colspan spread over the grid.

Cells are handed on as inline Markdown (`<a href>` becomes `[text](href)`) so that
every table style is read by the same cell reader afterwards.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from syncer.documents.blocks import Row, Table

_TABLE_START = re.compile(r"<table\b", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
# Spans beyond this are typos or attacks; GitHub caps colspan at 1000 and rowspan at 65534.
_MAX_SPAN = 100


def starts(lines: list[str], index: int) -> bool:
    return bool(_TABLE_START.search(lines[index]))


@dataclass
class _Cell:
    line: int
    header: bool
    rowspan: int
    colspan: int
    parts: list[str] = field(default_factory=list)


class _Grid(HTMLParser):
    """Collects the rows and cells of one table; nested tables are read as their cell's text."""

    def __init__(self, first_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.rows: list[tuple[int, list[_Cell]]] = []
        self.cell: _Cell | None = None
        self.depth = 0
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.first_line + self.getpos()[0] - 1
        attributes = {key: value or "" for key, value in attrs}
        if tag == "table":
            self.depth += 1
        if self.depth > 1:
            return
        if tag == "tr":
            self.rows.append((line, []))
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append((line, []))
            self.cell = _Cell(line, tag == "th", _span(attributes.get("rowspan")), _span(attributes.get("colspan")))
            self.rows[-1][1].append(self.cell)
        elif self.cell is not None:
            if tag == "a" and attributes.get("href"):
                self.cell.parts.append("[")
                self.href = attributes["href"]
            elif tag == "br" or tag in ("p", "div", "li"):
                self.cell.parts.append(" ")
            elif tag == "img" and attributes.get("alt"):
                self.cell.parts.append(attributes["alt"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.depth -= 1
            return
        if self.depth > 1:
            return
        if tag in ("td", "th"):
            self.cell = None
        elif tag == "a" and self.cell is not None and self.href:
            self.cell.parts.append(f"]({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.parts.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), _MAX_SPAN))
    except ValueError:
        return 1


def read(lines: list[str], start: int, section: str | None) -> tuple[Table | None, int]:
    """The table starting on line `start`, and the index after its `</table>`."""
    end = start
    while end < len(lines) and not _TABLE_END.search(lines[end]):
        end += 1
    end = min(end, len(lines) - 1)
    html = "\n".join(lines[start : end + 1])
    html = html[_TABLE_START.search(html).start() :]  # type: ignore[union-attr]  # starts() found it
    grid = _Grid(first_line=start + 1)
    grid.feed(html)
    grid.close()
    table = _to_table(grid.rows, start + 1, section)
    return table, end + 1


def _to_table(raw_rows: list[tuple[int, list[_Cell]]], line: int, section: str | None) -> Table | None:
    # Spread spans over a grid: a rowspan cell repeats its text in the rows below.
    width = 0
    grid: list[tuple[int, list[str]]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows left, text)
    header_rows = 0
    for row_index, (row_line, cells) in enumerate(raw_rows):
        values: list[str] = []
        column = 0
        queue = list(cells)
        while queue or column in pending:
            if column in pending:
                left, text = pending[column]
                values.append(text)
                if left > 1:
                    pending[column] = (left - 1, text)
                else:
                    del pending[column]
                column += 1
                continue
            cell = queue.pop(0)
            text = re.sub(r"\s+", " ", "".join(cell.parts)).strip()
            for _ in range(cell.colspan):
                values.append(text)
                if cell.rowspan > 1:
                    pending[column] = (cell.rowspan - 1, text)
                column += 1
        if cells and all(cell.header for cell in cells) and row_index == header_rows:
            header_rows += 1
        width = max(width, len(values))
        grid.append((row_line, values))
    if not grid or width == 0:
        return None
    header_count = max(header_rows, 1)
    headers = [
        " ".join(dict.fromkeys(part for row in grid[:header_count] if i < len(row[1]) for part in [row[1][i]] if part))
        for i in range(width)
    ]
    rows = [Row(line=row_line, cells=(values + [""] * width)[:width]) for row_line, values in grid[header_count:]]
    return Table(style="html", line=line, section=section, headers=headers, rows=rows)
