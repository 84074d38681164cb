"""`syncer suggest` output: YAML to paste into a mapping file, reasons as comments."""

from __future__ import annotations

import json

from syncer.models import Entry, EntryReport
from syncer.suggest import Candidate
from syncer.untrusted import without_controls


def _comment(text: str) -> str:
    """Text for a YAML comment: one line, no control characters."""
    return without_controls(text)


def suggestions_yaml(proposals: list[tuple[Entry, list[Candidate]]]) -> str:
    lines = [
        "# Candidates for the mapping, best first. Keep the repos that are the entry's own,",
        "# delete the rest (or move them under `declined:` with a note), then run `syncer check`.",
        "",
    ]
    for entry, candidates in proposals:
        lines.append(f"# {_comment(entry.name)} - {_comment(entry.document)}:{entry.line}")
        lines.append(f"{entry.id}:")
        lines.append(f"  name: {json.dumps(entry.name, ensure_ascii=False)}")
        if not candidates:
            lines.append("  not_on_hub: \"no candidate found on the Hub; say why, e.g. API-only or weights elsewhere\"")
        else:
            lines.append("  repos:")
            for candidate in candidates:
                # Ids come from the Hub: quoted, so no answer can add YAML of its own.
                reasons = _comment("; ".join(candidate.reasons))
                lines.append(f"    - {json.dumps(candidate.repo_id)}  # score {candidate.score:g}: {reasons}")
        lines.append("")
    return "\n".join(lines)


def successor_additions_yaml(entries: list[EntryReport]) -> str:
    """Newer releases as mapping lines to paste beside the entry's repos: the same shape as
    `syncer suggest`, with the evidence as a comment. A release the Hub did not answer for is
    reported, never proposed for the mapping."""
    lines = ["# Newer releases found by the run; keep those the entry should now cover, then run `syncer check`."]
    for entry in entries:
        newer = [item for item in entry.newer if item.on_hub]
        if not newer:
            continue
        where = f" (mapping: {entry.mapping.where})" if entry.mapping.where else ""
        lines.append(f"# {_comment(entry.name)} - {_comment(entry.document)}:{entry.line}{where}")
        lines.append(f"{entry.id}:")
        lines.append("  repos:")
        for repo in entry.repos:
            lines.append(f"    - {json.dumps(repo.requested_id)}")
        for item in newer:
            lines.append(f"    - {json.dumps(item.repo_id)}  # {item.why}: {_comment(item.evidence)}")
    return "\n".join(lines)
