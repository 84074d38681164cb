"""`syncer claims` output: a JSON array (the contract) or a table for people."""

from __future__ import annotations

import json

from syncer.formats.text import display_width, fit, human_count
from syncer.models import Catalog, Claim, ClaimKind, ParameterRange
from syncer.rules import load_rules

WORDS_WIDTH = 44


def claims_json(catalog: Catalog) -> str:
    """One object per entry in document order, as DESIGN.md's `claims` contract says."""
    return json.dumps([entry.model_dump(mode="json") for entry in catalog.entries], ensure_ascii=False, indent=2)


def claim_value_text(claim: Claim) -> str:
    value = claim.value
    if isinstance(value, ParameterRange):
        low = human_count(value.min) if value.min is not None else ""
        return f"{low}–{human_count(value.max)}" if low else f"≤{human_count(value.max)}"
    if claim.kind in (ClaimKind.PARAMETERS, ClaimKind.ACTIVE_PARAMETERS, ClaimKind.TRAINING_TOKENS):
        assert isinstance(value, int)
        return human_count(value)
    if claim.kind is ClaimKind.CONTEXT_LENGTH:
        return f"{value:,}"
    if isinstance(value, list):
        return ",".join(value)
    if value is None:
        return "—"
    return str(value)


def claims_table(catalog: Catalog) -> str:
    """One line per claim: entry, document line, kind, value, and the words it came from."""
    rows = [("ENTRY", "LINE", "KIND", "VALUE", "WORDS")]
    for entry in catalog.entries:
        if not entry.claims:
            rows.append((entry.id, str(entry.line), "—", "", "(no claims)"))
        for claim in entry.claims:
            rows.append((entry.id, str(entry.line), claim.kind.value, claim_value_text(claim), claim.text))
    widths = [max(display_width(row[column]) for row in rows) for column in range(4)]
    widths[0] = min(widths[0], 28)
    lines = []
    for row in rows:
        cells = [fit(row[column], widths[column]) for column in range(4)]
        cells[1] = row[1].rjust(widths[1])
        lines.append("  ".join([*cells, fit(row[4], WORDS_WIDTH).rstrip()]))
    count = sum(len(entry.claims) for entry in catalog.entries)
    lines.append(f"{len(catalog.entries)} entries, {count} claims from {len(catalog.documents)} document(s)")
    return "\n".join(lines)


def readings_json(catalog: Catalog) -> str:
    """`syncer claims --explain --format json`: one object per block read."""
    return json.dumps([reading.model_dump(mode="json") for reading in catalog.readings], ensure_ascii=False, indent=2)


def readings_text(catalog: Catalog) -> str:
    """How each block was read, for a person adding a new list: what became a catalog and why."""
    lines = []
    unknown = f"not read (unknown: add it to {load_rules().words_go()})"
    for reading in catalog.readings:
        verdict = f"catalog, {reading.entries} entries" if reading.catalog else "skipped"
        lines.append(f"{reading.document}:{reading.line}: {reading.style}: {verdict}: {reading.reason}")
        for column in reading.columns if reading.catalog else []:
            role = column.role or unknown
            how = f" ({column.how})" if column.how else ""
            lines.append(f"    {column.header or '(no header)'!r} -> {role}{how}")
    catalogs = sum(1 for reading in catalog.readings if reading.catalog)
    lines.append(f"{len(catalog.readings)} blocks read, {catalogs} catalog(s), {len(catalog.entries)} entries")
    return "\n".join(lines)
