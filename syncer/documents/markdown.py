"""The scanner: a Markdown document -> blocks in document order.

It knows the structure that matters for catalogs - YAML front matter, fenced code
(never read), HTML comments, ATX, setext and HTML headings, `<details>` (read as if
open, its `<summary>` naming the section) - and hands each block to the reader of its
style: `pipe_tables`, `html_tables`, `lists`; `headings` works on the whole outline.
"""

from __future__ import annotations

import re
from dataclasses import replace

from syncer.documents import headings as heading_reader
from syncer.documents import html_tables, lists, pipe_tables
from syncer.documents.blocks import Block, Document, Field, Prose
from syncer.documents.headings import Heading
from syncer.documents.inline import read_cell
from syncer.untrusted import lines_of

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ATX_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+\s*)?$")
_HTML_HEADING = re.compile(r"^\s*<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE)
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_DETAILS = re.compile(r"</?details\b[^>]*>", re.IGNORECASE)
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary\s*>", re.IGNORECASE)
# A level below every real heading: a `<summary>` names a section without closing one.
SUMMARY_LEVEL = 7


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after a leading `---` YAML block, or 0 if there is none."""
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return index + 1
    return 0


def is_block_start(lines: list[str], index: int) -> bool:
    """Whether a line begins a block of its own (so it does not continue a paragraph or item)."""
    line = lines[index]
    return bool(
        _FENCE.match(line)
        or _ATX_HEADING.match(line)
        or _HTML_HEADING.match(line)
        or _DETAILS.search(line)
        or _SUMMARY.search(line)
        or html_tables.starts(lines, index)
        or pipe_tables.starts(lines, index)
        or line.lstrip().startswith("<!--")
    )


class _Outline:
    """The heading tree being built, and where prose and list items attach to it."""

    def __init__(self) -> None:
        self.headings: list[Heading] = []
        self.open: list[Heading] = []

    @property
    def section(self) -> str | None:
        return read_cell(self.open[-1].text).text if self.open else None

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(read_cell(heading.text).text for heading in self.open)

    def add(self, level: int, text: str, line: int) -> None:
        while self.open and self.open[-1].level >= level:
            self.open.pop()
        parent = self.open[-1] if self.open else None
        heading = Heading(
            level=level,
            text=text,
            line=line,
            parent=parent,
            end_line=line,
            section=read_cell(parent.text).text if parent else None,
            outline=self.path,
        )
        if parent:
            parent.children.append(heading)
        self.headings.append(heading)
        self.open.append(heading)

    def attach(self, fields: list[Field], end_line: int) -> None:
        if self.open:
            self.open[-1].fields.extend(fields)
        for heading in self.open:
            heading.end_line = max(heading.end_line, end_line)

    def close_summaries(self) -> None:
        while self.open and self.open[-1].level == SUMMARY_LEVEL:
            self.open.pop()


def read_blocks(text: str) -> Document:
    """Every table, list and paragraph of a document, and its outline of headings."""
    lines = lines_of(text)
    blocks: list[Block] = []
    outline = _Outline()
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
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        if stripped.startswith("<!--"):
            while index < len(lines) and "-->" not in lines[index]:
                index += 1
            index += 1
            continue
        if _DETAILS.search(line) or _SUMMARY.search(line):
            if re.search(r"</details", line, re.IGNORECASE):
                outline.close_summaries()
            summary = _SUMMARY.search(line)
            if summary and read_cell(summary.group(1)).text:
                outline.close_summaries()
                outline.add(SUMMARY_LEVEL, summary.group(1).strip(), index + 1)
            rest = _SUMMARY.sub("", _DETAILS.sub("", line)).strip()
            if not rest:
                index += 1
                continue
            lines[index] = rest
            line = rest
        heading = _ATX_HEADING.match(line) or _HTML_HEADING.match(line)
        if heading:
            level = len(heading.group(1)) if heading.group(1).startswith("#") else int(heading.group(1))
            if heading.group(2).strip():
                outline.add(level, heading.group(2).strip(), index + 1)
            index += 1
            continue
        if html_tables.starts(lines, index):
            table, index = html_tables.read(lines, index, outline.section)
            if table is not None:
                blocks.append(replace(table, outline=outline.path))
                outline.attach([], table.rows[-1].line if table.rows else table.line)
            continue
        if pipe_tables.starts(lines, index):
            pipe_table, index = pipe_tables.read(lines, index, outline.section)
            blocks.append(replace(pipe_table, outline=outline.path))
            outline.attach([], index)
            continue
        next_line = lines[index + 1] if index + 1 < len(lines) else ""
        if _SETEXT_UNDERLINE.match(next_line) and not lists.starts(lines, index) and not stripped.startswith(">"):
            level = 1 if next_line.strip().startswith("=") else 2
            outline.add(level, stripped, index + 1)
            index += 2
            continue
        if lists.starts(lines, index):
            items, index = lists.read(lines, index, is_block_start)
            found = lists.record_lists(items, outline.section)
            blocks += [replace(block, outline=outline.path) for block in found]
            outline.attach(_item_fields(items), index)
            continue
        start = index
        paragraph = []
        while index < len(lines) and lines[index].strip() and (index == start or not is_block_start(lines, index)):
            if index > start and lists.starts(lines, index):
                break
            paragraph.append(lines[index].strip())
            index += 1
        text = " ".join(paragraph)
        blocks.append(Prose(line=start + 1, section=outline.section, text="\n".join(paragraph)))
        outline.attach([Field(label=None, text=text, line=start + 1)], index)
    blocks += heading_reader.record_lists(outline.headings)
    return Document(blocks=sorted(blocks, key=lambda block: block.line))


def _item_fields(items: list[lists.Item]) -> list[Field]:
    fields = []
    for item in items:
        labelled = lists.label_of(item.first)
        if labelled:
            fields.append(Field(label=labelled[0], text=" ".join([labelled[1], *item.text[1:]]), line=item.line))
        else:
            fields.append(Field(label=None, text=" ".join(item.text), line=item.line))
        fields += _item_fields(item.children)
    return fields
