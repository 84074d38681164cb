"""GitHub pipe tables: a header row, a delimiter row, then body rows until a blank line."""

from __future__ import annotations

import re

from syncer.documents.blocks import Row, Table
from syncer.documents.inline import split_cells

_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")


def _is_delimiter_row(line: str) -> bool:
    if "-" not in line:
        return False
    cells = split_cells(line)
    return bool(cells) and all(_DELIMITER_CELL.match(cell) for cell in cells)


def starts(lines: list[str], index: int) -> bool:
    line = lines[index]
    next_line = lines[index + 1] if index + 1 < len(lines) else ""
    return "|" in line and _is_delimiter_row(next_line) and len(split_cells(next_line)) == len(split_cells(line))


def read(lines: list[str], start: int, section: str | None) -> tuple[Table, int]:
    headers = split_cells(lines[start])
    rows: list[Row] = []
    index = start + 2
    while index < len(lines) and lines[index].strip() and "|" in lines[index]:
        cells = split_cells(lines[index])
        short_by = max(0, len(headers) - len(cells))
        # GitHub pads short rows and drops the excess of long ones; do the same.
        cells = (cells + [""] * len(headers))[: len(headers)]
        rows.append(Row(line=index + 1, cells=cells, short_by=short_by))
        index += 1
    return Table(style="pipe", line=start + 1, section=section, headers=headers, rows=rows), index
