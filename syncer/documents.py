"""Markdown documents -> the tables in them, with line numbers and section headings.

Only the structure that matters for catalogs is understood: YAML front matter, fenced
code blocks (whose contents are never tables), ATX and setext headings, and GitHub
pipe tables. Everything else - prose, lists, images, promotion - is passed over.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from syncer.errors import CatalogError

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+\s*)?$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_DELIMITER_CELL = re.compile(r"^\s*:?-+:?\s*$")


@dataclass(frozen=True)
class Row:
    line: int
    cells: list[str]


@dataclass(frozen=True)
class Table:
    """A pipe table: its header cells, body rows and the heading it sits under."""

    line: int
    section: str | None
    headers: list[str]
    rows: list[Row]


def read_document(path: Path) -> str:
    """The text of a catalog document; a bad file becomes a `CatalogError`."""
    try:
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


def split_cells(line: str) -> list[str]:
    """Split a table row on its unescaped pipes, leaving pipes inside code spans alone."""
    if "\\" not in line and "`" not in line:
        parts = line.strip().split("|")
        if parts and parts[0] == "":
            parts = parts[1:]
        if parts and parts[-1] == "" and line.strip().endswith("|"):
            parts = parts[:-1]
        return [part.strip() for part in parts]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line) and line[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    stripped = line.strip()
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def _is_delimiter_row(line: str) -> bool:
    if "-" not in line:
        return False
    cells = split_cells(line)
    return bool(cells) and all(_DELIMITER_CELL.match(cell) for cell in cells)


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a leading `---` YAML block, or 0 if there is none."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def find_tables(text: str) -> list[Table]:
    """Every pipe table in a Markdown document, in order, with the heading above it."""
    lines = text.splitlines()
    tables: list[Table] = []
    section: str | None = None
    fence: str | None = None
    index = _front_matter_end(lines)
    while index < len(lines):
        line = lines[index]
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            index += 1
            continue
        if fence_match:
            fence = fence_match.group(1)
            index += 1
            continue
        heading = _ATX_HEADING.match(line)
        if heading:
            section = heading.group(2).strip() or section
            index += 1
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if "|" in line and _is_delimiter_row(next_line):
            headers = split_cells(line)
            if len(split_cells(next_line)) == len(headers):
                table, index = _read_table(lines, index, headers, section)
                tables.append(table)
                continue
        if line.strip() and _SETEXT_UNDERLINE.match(next_line) and not line.lstrip().startswith(("-", "*", ">")):
            section = line.strip()
            index += 2
            continue
        index += 1
    return tables


def _read_table(lines: list[str], start: int, headers: list[str], section: str | None) -> tuple[Table, int]:
    rows: list[Row] = []
    index = start + 2
    while index < len(lines) and lines[index].strip() and "|" in lines[index]:
        cells = split_cells(lines[index])
        # GitHub pads short rows and drops the excess of long ones; do the same.
        cells = (cells + [""] * len(headers))[: len(headers)]
        rows.append(Row(line=index + 1, cells=cells))
        index += 1
    return Table(line=start + 1, section=section, headers=headers, rows=rows), index


_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(<\[])\bhttps?://[^\s)<>|]+")
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_EMPHASIS = re.compile(r"(\*\*|__|~~)")


@dataclass(frozen=True)
class Cell:
    """A table cell as a reader sees it: plain text, plus the URLs it links to."""

    text: str
    urls: list[str]


def read_cell(markdown: str) -> Cell:
    """Render the inline Markdown of one cell to plain text and collect its link targets."""
    urls: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        urls.append(match.group(2))
        return match.group(1)

    text = _IMAGE.sub(keep_link, markdown)
    text = _LINK.sub(keep_link, text)
    urls += [match.group(0) for match in _BARE_URL.finditer(text)]
    urls += [match.group(1) for match in _AUTOLINK.finditer(text)]
    text = _AUTOLINK.sub(r"\1", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = _HTML_TAG.sub("", text)
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return Cell(text=text, urls=[url for url in urls if url])
