"""A statement about a whole list: "These LLMs are all licensed for commercial use".

A paragraph that says `all`/`均`/`都` and names a licence or commercial use speaks for
every entry of the catalog block right after it in the same section. Each entry gets the
claim with the paragraph's words and line, unless it states a claim of that kind itself.
"""

from __future__ import annotations

from syncer.claims import claims_from_text
from syncer.documents import Block, Prose, RecordList, Table, read_cell
from syncer.models import ClaimKind, Entry
from syncer.rules import Rules

LICENCE_KINDS = {ClaimKind.LICENSE, ClaimKind.LICENSE_ID}


def apply_statements(entries: list[Entry], prose: list[Prose], blocks: list[Block], rules: Rules) -> list[Entry]:
    if not entries or not prose:
        return entries
    starts = {_block_line(entries, block) for block in blocks if isinstance(block, Table | RecordList)}
    catalog_starts = sorted(line for line in starts if line is not None)
    result = []
    for entry in entries:
        statement = _governing(entry, prose, catalog_starts, rules)
        if statement is None:
            result.append(entry)
            continue
        text = read_cell(statement.text).text
        own = {claim.kind for claim in entry.claims}
        added = [
            claim.model_copy(update={"field": "document", "line": _line_of(claim.text, statement)})
            for claim in claims_from_text(text, "document", rules)
            if claim.kind in LICENCE_KINDS and claim.kind not in own  # the entry's own words win
        ]
        result.append(entry.model_copy(update={"claims": entry.claims + added}) if added else entry)
    return result


def _block_line(entries: list[Entry], block: Table | RecordList) -> int | None:
    return block.line if any(entry.line >= block.line for entry in entries) else None


def _governing(entry: Entry, prose: list[Prose], catalog_starts: list[int], rules: Rules) -> Prose | None:
    """The statement right above the catalog block that holds the entry, in its section."""
    starts = [line for line in catalog_starts if line <= entry.line]
    if not starts:
        return None
    block_start = starts[-1]
    previous_start = max((line for line in catalog_starts if line < block_start), default=0)
    for paragraph in reversed(prose):
        if previous_start < paragraph.line < block_start and paragraph.section == entry.section:
            text = read_cell(paragraph.text).text
            if rules.statement_words.search(text) and any(
                claim.kind in LICENCE_KINDS for claim in claims_from_text(text, "document", rules)
            ):
                return paragraph
    return None


def _line_of(words: str, paragraph: Prose) -> int:
    """The line of the paragraph that holds the statement's words."""
    for offset, line in enumerate(paragraph.text.split("\n")):
        if words in read_cell(line).text:
            return paragraph.line + offset
    return paragraph.line
