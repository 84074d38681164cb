"""Tables (pipe or HTML) -> entries: one per row, the name column naming the model."""

from __future__ import annotations

import re

from syncer.claims import cell_claims, is_empty_cell
from syncer.documents import Row, Table, read_cell
from syncer.entries.build import MAX_CELL, EntryBuilder, Statement
from syncer.entries.columns import TableReading, read_table
from syncer.entries.names import clean_name, has_model_link, split_names
from syncer.models import ColumnReading, Entry, Notice, Reading
from syncer.rules import Rules
from syncer.vocabulary import ColumnRole

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
        cells, realigned = _realigned(row, reading, rules)
        if realigned:
            notices.append(Notice(document=document, line=row.line, message=realigned))
        named = split_names(cells[name_column.index], read_cell, rules) or [cells[name_column.index]]
        if len(named) > 1:
            notices.append(Notice(document=document, line=row.line, message=f"a row of {len(named)} models: read as an "
                                  "entry each, with the row's other cells"))  # fmt: skip
        for name_markdown in named:
            entry, entry_notices = _entry_of_row(name_markdown, cells, row.line, reading, builder, document, table.section, rules)
            notices += entry_notices
            if entry is not None:
                linked += has_model_link(read_cell(name_markdown))
                entries.append(entry)
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


def _entry_of_row(
    name_markdown: str, cells: list[str], line: int, reading: TableReading, builder: EntryBuilder, document: str,
    section: str | None, rules: Rules,
) -> tuple[Entry | None, list[Notice]]:  # fmt: skip
    """The entry a row gives the model its name cell (or one part of it) names."""
    name_column = reading.name_column
    if name_column is None:
        return None, []
    name_cell = read_cell(name_markdown)
    # `Qwen 3 Family`, `Claude 3 系列`: the name without the word for a family of models.
    name = clean_name(rules.family_suffix.sub("", name_cell.text), rules) if name_cell.text else ""
    if not name:
        return None, [Notice(document=document, line=line, message="row skipped: empty name cell")]
    if len(name) > MAX_CELL:
        return None, [Notice(document=document, line=line, message=f"row skipped: a name of {len(name):,} characters")]
    statements = [
        Statement(role=column.role, header=column.header, markdown=cells[column.index], line=line, unit=column.unit)
        for column in reading.columns
        if column.role and column.index != name_column.index
    ]
    urls = [url for index, cell in enumerate(cells) if index != name_column.index for url in read_cell(cell).urls]
    return builder.build(
        name=name,
        name_cell=name_cell,
        statements=statements,
        document=document,
        section=section,
        line=line,
        text=" | ".join(read_cell(cell).text for cell in cells),
        extra_urls=urls,
    )


_FACT_ROLES = frozenset({
    ColumnRole.PARAMETERS, ColumnRole.ACTIVE_PARAMETERS, ColumnRole.CONTEXT_LENGTH, ColumnRole.TRAINING_TOKENS,
    ColumnRole.LICENSE, ColumnRole.COMMERCIAL, ColumnRole.LANGUAGES, ColumnRole.ARCHITECTURE,
})  # fmt: skip


def _realigned(row: Row, reading: TableReading, rules: Rules) -> tuple[list[str], str]:
    """A row one cell short, as its author meant it. GitHub pads a short row at its end, so
    when a middle cell was left out (an organisation nobody filled in) every fact after it
    sits under the header to its left: `| LLaMA 2 | 2023 | 7B - 70B | 4K tokens | Custom |`
    under `Model | Org | Date | Params | Context | Licence`. The row is read with the
    missing cell where its facts then read under their own headers, if that reads more of
    them than GitHub's padding does; the notice says so."""
    name = reading.name_column
    if row.short_by != 1 or name is None:
        return row.cells, ""
    written = row.cells[:-1]
    github = _facts_read(row.cells, reading, rules)
    best, best_at = github, len(written)
    for at in range(name.index + 1, len(written)):
        score = _facts_read([*written[:at], "", *written[at:]], reading, rules)
        if score > best:
            best, best_at = score, at
    if best_at == len(written):
        return row.cells, ""
    missing = reading.columns[best_at].header  # one column per header, in order
    message = (f"row has {len(written)} cells for {len(row.cells)} columns: read as if its {missing!r} cell "
               "were left out, where its facts fit their headers")  # fmt: skip
    return [*written[:best_at], "", *written[best_at:]], message


def _facts_read(cells: list[str], reading: TableReading, rules: Rules) -> int:
    """Fact cells that read whole under their header, less those that do not."""
    score = 0
    for column in reading.columns:
        if column.role in _FACT_ROLES and column.index < len(cells):
            text = read_cell(cells[column.index]).text
            if not is_empty_cell(text):
                claims, unread = cell_claims(column.role, column.header, text, column.unit, rules)
                score += 1 if claims and not unread else -1
    return score
