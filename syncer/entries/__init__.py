"""The entry stage: document blocks -> catalog entries with typed claims.

Every block a document holds is a candidate: pipe and HTML tables (`tables`), list
items and headings (`records`). Each is read as a catalog only when it names models;
what is passed over is reported with its line, and `readings` says how every block was
read (`syncer claims --explain`). A folder is read in sorted path order; entry ids are
unique across the whole catalog, so mapping files can key on them.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from syncer.documents import Prose, RecordList, Table, read_blocks, read_document
from syncer.entries.build import EntryBuilder, hub_repo_of, slugify
from syncer.entries.records import read_record_list
from syncer.entries.statements import apply_statements
from syncer.entries.tables import read_table_block
from syncer.errors import CatalogError
from syncer.models import Catalog, Entry, Notice, Reading
from syncer.rules import Rules, load_rules

__all__ = ["hub_repo_of", "load_catalog", "slugify"]


def load_catalog(path: Path, rules: Rules | None = None, *, require_entries: bool = True) -> Catalog:
    """Read one Markdown document, or every `*.md` in a folder, into entries with claims.

    A document with no catalog in it is reported as a notice. A catalog with no entries
    at all is an error unless `require_entries` is false (`syncer claims` lists nothing
    rather than reject a model's README that has no list of models).
    """
    rules = rules or load_rules()
    if path.is_dir():
        documents = sorted(p for p in path.rglob("*.md") if p.is_file())
        if not documents:
            raise CatalogError("no *.md documents in this folder", path=path)
    elif path.exists() or path.is_symlink():
        documents = [path]
    else:
        raise CatalogError("no such file or directory", path=path)

    builder = EntryBuilder(rules)
    entries: list[Entry] = []
    notices: list[Notice] = []
    readings: list[Reading] = []
    for document in documents:
        shown = _display(document)
        found, document_notices, document_readings = _read_document(document, shown, builder, rules)
        if not found:
            document_notices.append(
                Notice(document=shown, line=1, message="no catalog found: no table, list or headings naming models")
            )
        entries += found
        notices += document_notices
        readings += document_readings
    if not entries and require_entries:
        where = documents[0] if len(documents) == 1 else path
        raise CatalogError(
            "no catalog table or list (a table with a name column such as `Model` or `模型`, or a list of models)",
            path=where,
        )
    return Catalog(documents=[_display(d) for d in documents], entries=entries, notices=notices, readings=readings)


def _read_document(
    document: Path, shown: str, builder: EntryBuilder, rules: Rules
) -> tuple[list[Entry], list[Notice], list[Reading]]:
    blocks = read_blocks(read_document(document)).blocks
    notices: list[Notice] = []
    readings: list[Reading] = []
    tables: list[tuple[int, list[Entry]]] = []
    lists: list[tuple[RecordList, list[Entry], Reading, list[Notice]]] = []
    for block in blocks:
        if isinstance(block, Table):
            found, table_notices, reading = read_table_block(block, shown, builder, rules)
            notices += table_notices
            readings.append(reading)
            if found:
                tables.append((block.line, found))
        elif isinstance(block, RecordList) and block.style != "headings":
            found, list_notices, reading = read_record_list(block, shown, builder, rules)
            lists.append((block, found, reading, list_notices))

    # A heading above a catalog table, or above a list of linked models, is a section; a
    # list of remarks under model headings (`##### Uniqueness`) describes those models.
    headings: list[tuple[RecordList, list[Entry]]] = []
    for block in blocks:
        if not (isinstance(block, RecordList) and block.style == "headings"):
            continue
        if any(first.line <= block.line <= first.end_line for first, _ in headings):
            continue

        catalog_lines = [line for line, _ in tables]
        catalog_lines += [item.line for item, found, reading, _ in lists if found and _strong(reading)]
        models = [record for record in block.records if not any(record.line <= line <= record.end_line for line in catalog_lines)]
        if not models:
            continue
        block = replace(block, records=models)
        found, heading_notices, reading = read_record_list(block, shown, builder, rules)
        readings.append(reading)
        if found:
            notices += heading_notices
            headings.append((block, found))

    # An item over a nested catalog list is that list's group heading, not a model.
    groups = {block.parent_line for block, found, _, _ in lists if found and block.parent_line is not None}
    lists = [(block, [entry for entry in found if entry.line not in groups], reading, list_notices)
             for block, found, reading, list_notices in lists]  # fmt: skip
    entries: list[Entry] = [entry for _, found in tables for entry in found]
    entries += [entry for _, found in headings for entry in found]
    for item, found, reading, list_notices in lists:
        if found and any(
            record.line <= item.line <= record.end_line
            for heading, models in headings
            for record in heading.records
            if any(model.line == record.line for model in models)  # not a maker's heading (`Alibaba`)
        ):
            reading = reading.model_copy(update={"catalog": False, "reason": "describes the model of the heading above it"})
            found = []
        readings.append(reading)
        if found:
            notices += list_notices
        entries += found
    prose = [block for block in blocks if isinstance(block, Prose)]
    entries = apply_statements(sorted(entries, key=lambda entry: entry.line), prose, blocks, rules)
    readings.sort(key=lambda reading: reading.line)
    return builder.assign_ids(entries), sorted(notices, key=lambda notice: notice.line), readings


def _strong(reading: Reading) -> bool:
    """A list whose items mostly link to model repos is a catalog wherever it stands."""
    return reading.linked >= 0.5 * max(1, reading.entries)


def _display(path: Path) -> str:
    return path.as_posix()
