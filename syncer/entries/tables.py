"""Tables (pipe or HTML) -> entries: one per row, the name column naming the model."""

from __future__ import annotations

import re

from syncer.documents import Table, read_cell
from syncer.entries.build import MAX_CELL, EntryBuilder, Statement
from syncer.entries.columns import read_table
from syncer.entries.names import clean_name, has_model_link
from syncer.models import ColumnReading, Entry, Notice, Reading
from syncer.rules import Rules

STYLE = {"pipe": "table", "html": "HTML table"}
# A row whose one cell is wholly bold, in a table of three columns or more, heads the rows
# below it: `| **2025 Latest Models** |`.
_SECTION_ROW = re.compile(r"(\*\*|__)(?!\s)[^*_|]+(?<!\s)\1")


def read_table_block(
    table: Table, document: str, builder: EntryBuilder, rules: Rules
) -> tuple[list[Entry], list[Notice], Reading]:
    reading = read_table(table, rules)
    columns = [ColumnReading(header=c.header, role=c.role, how=c.how) for c in reading.columns]
    style = STYLE[table.style]
    headers = ", ".join(c.header for c in reading.columns) or "none"
    if reading.skipped:
        notice = Notice(document=document, line=table.line, message=f"{style} skipped: {reading.skipped} (headers: {headers})")
        explained = Reading(
            document=document, line=table.line, style=style, catalog=False, reason=reading.skipped, columns=columns
        )
        return [], [notice], explained
    name_column = reading.name_column
    assert name_column is not None  # read_table() infers one or skips the table
    notices: list[Notice] = []
    if name_column.how.startswith("inferred"):
        notices.append(
            Notice(
                document=document,
                line=table.line,
                message=f"{style}: name column inferred: {name_column.header or '(no header)'!r} ({name_column.how})",
            )
        )
    unknown = reading.unknown()
    if unknown:
        listed = ", ".join(repr(c.header) for c in unknown)
        notices.append(
            Notice(
                document=document,
                line=table.line,
                message=f"{style}: column(s) {listed} not read: add each header to {rules.words_go()} "
                "with its role (or `ignore`)",
            )
        )
    entries: list[Entry] = []
    linked = 0
    for row in table.rows:
        if len(row.cells) >= 3 and _SECTION_ROW.fullmatch(row.cells[0].strip()) and not any(c.strip() for c in row.cells[1:]):
            heading = read_cell(row.cells[0]).text
            notices.append(Notice(document=document, line=row.line, message=f"row read as a heading, not a model: {heading!r}"))
            continue  # `| **2025 Latest Models** |` over the rows it introduces
        name_cell = read_cell(row.cells[name_column.index])
        # `Qwen 3 Family`, `Claude 3 系列`: the name without the word for a family of models.
        name = clean_name(rules.family_suffix.sub("", name_cell.text), rules) if name_cell.text else ""
        if not name:
            notices.append(Notice(document=document, line=row.line, message="row skipped: empty name cell"))
            continue
        if len(name) > MAX_CELL:
            notices.append(Notice(document=document, line=row.line, message=f"row skipped: a name of {len(name):,} characters"))
            continue
        statements = [
            Statement(role=column.role, header=column.header, markdown=row.cells[column.index], line=row.line, unit=column.unit)
            for column in reading.columns
            if column.role and column.index != name_column.index
        ]
        urls = [url for index, cell in enumerate(row.cells) if index != name_column.index for url in read_cell(cell).urls]
        entry, entry_notices = builder.build(
            name=name,
            name_cell=name_cell,
            statements=statements,
            document=document,
            section=table.section,
            line=row.line,
            text=" | ".join(read_cell(cell).text for cell in row.cells),
            extra_urls=urls,
        )
        linked += has_model_link(name_cell)
        entries.append(entry)
        notices += entry_notices
    reason = f"name column {name_column.header or '(no header)'!r} ({name_column.how})"
    explained = Reading(
        document=document,
        line=table.line,
        style=style,
        catalog=True,
        reason=reason,
        entries=len(entries),
        linked=linked,
        columns=columns,
    )
    return entries, notices, explained
