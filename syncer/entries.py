"""Catalog documents -> entries: one per row of every table that has a name column.

A folder is read in sorted path order; entry ids are unique across the whole catalog,
so mapping files can key on them.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from syncer.claims import claims_from_column, claims_from_name, claims_from_text, dedupe
from syncer.documents import Table, find_tables, read_cell, read_document
from syncer.errors import CatalogError
from syncer.models import Catalog, Claim, Entry, Notice
from syncer.rules import Rules, load_rules, normalise_header

# A catalog cell is a sentence or two (the seed's longest is 150 characters). Claims are
# read from the first MAX_CELL characters of longer cells, and the rest is reported.
MAX_CELL = 2_000
HUB_HOSTS = {"huggingface.co", "www.huggingface.co", "hf.co"}
# First path segments of huggingface.co pages that are not model repos.
NOT_A_MODEL = {
    "datasets", "spaces", "docs", "blog", "papers", "models", "collections", "organizations",
    "settings", "join", "login", "pricing", "tasks", "learn", "api", "posts", "chat", "new",
    "search", "enterprise", "inference-endpoints", "storage", "changelog", "welcome",
}  # fmt: skip


def slugify(name: str) -> str:
    """`Qwen1.5` -> `qwen1-5`; `UltraLM系列` -> `ultralm系列`. Ids stay readable in YAML keys."""
    normal = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\W_]+", "-", normal).strip("-")


def hub_repo_of(url: str) -> str | None:
    """The model repo a Hub URL points at, or None for datasets, Spaces, orgs and pages.

    >>> hub_repo_of("https://huggingface.co/mosaicml/mpt-7b/blob/main/config.json")
    'mosaicml/mpt-7b'
    """
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in HUB_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0].lower() in NOT_A_MODEL:
        return None
    return f"{segments[0]}/{segments[1]}"


def load_catalog(path: Path, rules: Rules | None = None) -> Catalog:
    """Read one Markdown document, or every `*.md` in a folder, into entries with claims."""
    rules = rules or load_rules()
    if path.is_dir():
        documents = sorted(p for p in path.rglob("*.md") if p.is_file())
        if not documents:
            raise CatalogError("no *.md documents in this folder", path=path)
    elif path.exists() or path.is_symlink():
        documents = [path]
    else:
        raise CatalogError("no such file or directory", path=path)

    entries: list[Entry] = []
    notices: list[Notice] = []
    id_counts: dict[str, int] = {}
    for document in documents:
        tables = find_tables(read_document(document))
        found = 0
        for table in tables:
            roles = _column_roles(table.headers, rules)
            if "name" not in roles.values():
                headers = ", ".join(table.headers) or "none"
                notices.append(
                    Notice(document=_display(document), line=table.line, message=f"table skipped: no name column (headers: {headers})")
                )
                continue
            found += 1
            table_entries, table_notices = _entries_of_table(document, table, roles, rules, id_counts)
            entries += table_entries
            notices += table_notices
        if not found:
            raise CatalogError("no catalog table (a Markdown table with a name column such as `Model` or `模型`)", path=document)
    return Catalog(documents=[_display(d) for d in documents], entries=entries, notices=notices)


def _display(path: Path) -> str:
    return str(PurePosixPath(path.as_posix()))


def _column_roles(headers: list[str], rules: Rules) -> dict[int, str]:
    roles: dict[int, str] = {}
    for index, header in enumerate(headers):
        role = rules.column_roles.get(normalise_header(read_cell(header).text))
        if role and role not in roles.values():
            roles[index] = role
    return roles


def _entries_of_table(
    document: Path, table: Table, roles: dict[int, str], rules: Rules, id_counts: dict[str, int]
) -> tuple[list[Entry], list[Notice]]:
    entries, notices = [], []
    shown = _display(document)
    name_column = next(index for index, role in roles.items() if role == "name")
    headers = {index: read_cell(table.headers[index]).text for index in roles}
    for row in table.rows:
        cells = [read_cell(cell) for cell in row.cells]
        name = cells[name_column].text
        if not name:
            notices.append(Notice(document=shown, line=row.line, message="row skipped: empty name cell"))
            continue
        if len(name) > MAX_CELL:
            notices.append(Notice(document=shown, line=row.line, message=f"row skipped: a name of {len(name):,} characters"))
            continue
        claims: list[Claim] = claims_from_name(name, rules)
        for index, role in roles.items():
            header, text = headers[index], cells[index].text
            if len(text) > MAX_CELL:
                notices.append(
                    Notice(document=shown, line=row.line, message=f"{header}: {len(text):,} characters; claims read from the first {MAX_CELL:,}")
                )
                text = text[:MAX_CELL]
            if role == "description":
                claims += claims_from_text(text, "description", rules)
            elif role != "name":
                column_claims, unread = claims_from_column(role, header, text, rules)
                claims += column_claims
                notices += [Notice(document=shown, line=row.line, message=f"{header}: could not read {part!r}") for part in unread]
        hub_links: list[str] = []
        for cell in cells:
            for url in cell.urls:
                repo = hub_repo_of(url)
                if repo and repo not in hub_links:
                    hub_links.append(repo)
        entries.append(
            Entry(
                id=_unique_id(slugify(name) or f"line-{row.line}", id_counts),
                name=name,
                document=shown,
                section=table.section,
                line=row.line,
                text=" | ".join(cell.text for cell in cells),
                hub_links=hub_links,
                claims=dedupe(claims),
            )
        )
    return entries, notices


def _unique_id(slug: str, id_counts: dict[str, int]) -> str:
    id_counts[slug] = id_counts.get(slug, 0) + 1
    return slug if id_counts[slug] == 1 else f"{slug}-{id_counts[slug]}"
