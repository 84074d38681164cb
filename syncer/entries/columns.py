"""Which column of a table is what: by header first, then by what the cells hold.

Also decides whether a table is a catalog at all: dataset, benchmark, hardware and
price tables, and comparison tables whose columns are models, are not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from syncer.claims import SIZE_CELL, looks_like_context_cell, looks_like_licence_cell
from syncer.documents import Cell, Table, read_cell
from syncer.entries.names import has_model_link, looks_like_model_name
from syncer.rules import Rules, normalise_header
from syncer.vocabulary import REPEATABLE_ROLES, ColumnRole

_UNIT_IN_HEADER = re.compile(r"[(（\[]\s*([kmbt]|亿|万亿)\s*[)）\]]", re.IGNORECASE)
_SCORE = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%?\s*(?:[(（][^)）]*[)）])?\s*$|^\s*[-–—/]?\s*$")
_DATE = re.compile(r"^\s*\d{4}([-/.年]\d{1,2}([-/.月]\d{1,2}日?)?)?\s*$")
MOSTLY = 0.6
# A header that names a model has a version or size in it: `Qwen-Chat (Int4)`, `DeepSeek-V2`, `LLaMA3.1 405B`.
_MODEL_HEADER = re.compile(r"[A-Za-z][-_.]?[vV]?\d|\d+(?:\.\d+)?\s*[BMKbmk]\b|[a-z][A-Z]")
# Columns whose cells may be the model names when no header says so: `#`, `项目`, `Base Model`.
_MAY_HOLD_NAMES = frozenset(
    {ColumnRole.IGNORE, ColumnRole.DESCRIPTION, ColumnRole.VARIANTS, ColumnRole.BASE_MODEL, ColumnRole.LINKS}
)


@dataclass(frozen=True)
class Column:
    index: int
    header: str  # plain text
    role: ColumnRole | None  # None: unknown
    how: str  # `header`, `header word "参数"`, `cells: 9 of 10 are sizes`, `inferred: …`
    unit: str | None = None  # from the header: `b` in `Params (B)`


@dataclass(frozen=True)
class TableReading:
    columns: list[Column]
    skipped: str | None  # why the table is not a catalog, or None

    @property
    def name_column(self) -> Column | None:
        return next((column for column in self.columns if column.role is ColumnRole.NAME), None)

    def unknown(self) -> list[Column]:
        return [column for column in self.columns if column.role is None and column.header]


def role_of_header(header: str, rules: Rules) -> tuple[ColumnRole | None, str]:
    """The role a header names, and how it was matched."""
    plain = normalise_header(header)
    bare = normalise_header(_UNIT_IN_HEADER.sub("", plain).strip(" *:#"))
    for candidate in (plain, bare, plain.lstrip("#").strip(), bare.lstrip("#").strip()):
        if candidate in rules.column_roles:
            return rules.column_roles[candidate], "header"
    for role, pattern in rules.column_words:
        match = pattern.search(plain)
        if match:
            return role, f'header word "{match.group()}"'
    return None, ""


def section_is_not_a_catalog(outline: tuple[str, ...], rules: Rules) -> str | None:
    """`Typical evaluation benchmarks`, `Open LLM datasets for pre-training`, `Tools`: not model lists.

    Every heading above counts but the document's title (`# Awesome-LLM-Eval` holds model
    tables too).
    """
    headings = outline[1:] if len(outline) > 1 else outline
    for index, heading in enumerate(reversed(headings)):
        match = rules.topic_sections.search(heading) or (rules.topic_subsections.search(heading) if index == 0 else None)
        if match:
            return f"its section is about {match.group().lower()} ({heading!r})"
    return None


def read_table(table: Table, rules: Rules) -> TableReading:
    headers = [read_cell(header).text for header in table.headers]
    cells = [[read_cell(row.cells[index]) for row in table.rows] for index in range(len(headers))]
    # Whole headers first, then words in headers, then cells: `模型名称` names the models
    # even when `模型类别` stands left of it.
    found = [role_of_header(header, rules) for header in headers]
    ranked = sorted(range(len(headers)), key=lambda index: (0 if found[index][1] == "header" else 1, index))
    chosen: dict[int, tuple[ColumnRole | None, str]] = {}
    taken: set[ColumnRole] = set()
    for index in ranked:
        role, how = found[index]
        if role is None and headers[index]:
            role, how = _role_from_cells(cells[index])
        if role in taken and role not in REPEATABLE_ROLES:
            role, how = None, f"{how}; but a {role} column was already found"
        if role:
            taken.add(role)
        chosen[index] = (role, how)
    columns: list[Column] = []
    for index, header in enumerate(headers):
        unit_match = _UNIT_IN_HEADER.search(header)
        unit = unit_match.group(1).lower() if unit_match else None
        columns.append(Column(index=index, header=header, role=chosen[index][0], how=chosen[index][1], unit=unit))

    skipped = section_is_not_a_catalog(table.outline, rules) or _not_a_catalog(table, headers, cells, columns, rules)
    if skipped:
        return TableReading(columns=columns, skipped=skipped)
    if not any(column.role is ColumnRole.NAME for column in columns):
        inferred = _infer_name_column(cells, columns, rules)
        if inferred is None:
            return TableReading(columns=columns, skipped="no column names models (no name header, and no column of model names)")
        columns[inferred.index] = inferred
    return TableReading(columns=columns, skipped=None)


def _role_from_cells(column: list[Cell]) -> tuple[ColumnRole | None, str]:
    values = [cell.text for cell in column if cell.text and cell.text not in "-–—/?"]
    if not values:
        return None, ""
    for role, test, what in (
        (ColumnRole.PARAMETERS, lambda text: bool(SIZE_CELL.match(text)), "sizes"),
        (ColumnRole.CONTEXT_LENGTH, looks_like_context_cell, "context lengths"),
        (ColumnRole.LICENSE, looks_like_licence_cell, "licence names"),
    ):
        hits = sum(1 for text in values if test(text))
        if hits >= MOSTLY * len(values) and hits >= 2:
            return role, f"cells: {hits} of {len(values)} are {what}"
    return None, ""


def _not_a_catalog(table: Table, headers: list[str], cells: list[list[Cell]], columns: list[Column], rules: Rules) -> str | None:
    rows = len(table.rows)
    if rows == 0:
        return "no rows"
    named = any(column.role is ColumnRole.NAME and column.how == "header" for column in columns)
    dataset_links = sum(1 for column in cells for cell in column if any("/datasets/" in url for url in cell.urls))
    for reason, pattern in rules.not_a_catalog.items():
        matches = [(index, header) for index, header in enumerate(headers) if pattern.search(header)]
        if not matches:
            continue
        leading = [header for index, header in matches if index <= 1]
        if reason == "dataset":
            decisive = leading or len(matches) >= 2 or dataset_links
        else:
            # A model table may carry a score or memory column: only a table without a name
            # column, or one that is mostly such columns, is a score or hardware table.
            decisive = (not named and (leading or len(matches) >= 2)) or len(matches) > 0.5 * (len(headers) - 1)
        if decisive:
            header = (leading or [header for _, header in matches])[0]
            return f"a {reason} table (header {header!r})"
    if dataset_links >= max(2, rows // 2):
        return f"a dataset table ({dataset_links} links to Hub datasets)"
    model_headers = [
        header
        for header in headers[1:]
        if header
        and _MODEL_HEADER.search(header)
        and looks_like_model_name(Cell(text=header, urls=[]), rules)
        and role_of_header(header, rules)[0] is None
    ]
    if not named and len(model_headers) >= 2 and len(model_headers) >= 0.5 * (len(headers) - 1):
        return f"a comparison table: its columns are models ({', '.join(model_headers[:3])})"
    unknown = [column for column in columns if column.role is None and column.index > 0]
    numeric = [column for column in unknown if _mostly(cells[column.index], lambda text: bool(_SCORE.match(text)))]
    if len(numeric) >= 2 and len(numeric) >= 0.5 * max(1, len(columns) - 1):
        return f"a score table ({len(numeric)} numeric columns: {', '.join(c.header for c in numeric[:3])})"
    return None


def _mostly(column: list[Cell], test: Callable[[str], bool]) -> bool:
    values = [cell.text for cell in column if cell.text]
    return bool(values) and sum(1 for text in values if test(text)) >= MOSTLY * len(values)


def _infer_name_column(cells: list[list[Cell]], columns: list[Column], rules: Rules) -> Column | None:
    best: tuple[float, int] | None = None
    for column in columns:
        if column.role is not None and column.role not in _MAY_HOLD_NAMES:
            continue
        if column.role is ColumnRole.IGNORE and normalise_header(column.header) not in ("", "#"):
            continue
        values = [cell for cell in cells[column.index] if cell.text]
        if not values or _mostly(values, lambda text: bool(_SCORE.match(text) or _DATE.match(text))):
            continue
        named = sum(1 for cell in values if looks_like_model_name(cell, rules) or has_model_link(cell))
        share = named / len(values)
        if share >= 0.5 and (best is None or share > best[0] + 0.15):
            best = (share, column.index)
    if best is None:
        return None
    column = columns[best[1]]
    return Column(
        index=column.index,
        header=column.header,
        role=ColumnRole.NAME,
        how=f"inferred: {round(best[0] * 100)}% of its cells look like model names",
    )
