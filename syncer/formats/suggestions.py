"""`syncer suggest` output: YAML to paste into a mapping file, reasons as comments."""

from __future__ import annotations

import json

from syncer.formats.mapping_yaml import decisions_yaml
from syncer.onboarding import Decision
from syncer.report import EntryReport
from syncer.untrusted import without_controls


def _comment(text: str) -> str:
    """Text for a YAML comment: one line, no control characters."""
    return without_controls(text)


def suggestions_yaml(decisions: list[Decision]) -> str:
    lines = [
        "# Candidates for the mapping, as `syncer init` would write them: the document's own repos, then",
        "# confident search results marked `source: search` (review each, then delete that line), the other",
        "# candidates as comments. Paste into a mapping file, then run `syncer check`.",
        "",
    ]
    return "\n".join(lines + decisions_yaml(decisions))


def successor_additions_yaml(entries: list[EntryReport]) -> str:
    """Newer releases as mapping lines to add beside the entry's repos, with the evidence as a
    comment. Only the additions: the entry's repos stay as they are written (with their notes,
    marks and `renamed_from`), so following this never undoes what `syncer check` relies on.
    A release the Hub did not answer for is reported, never proposed for the mapping."""
    lines = ["# Newer releases found by the run; add those the entry should now cover under its `repos:`,",
             "# keeping the repos already there, then run `syncer check`."]  # fmt: skip
    for entry in entries:
        newer = [item for item in entry.newer if item.on_hub]
        if not newer:
            continue
        where = f" (mapping: {entry.mapping.where})" if entry.mapping.where else ""
        lines.append(f"# {_comment(entry.name)} - {_comment(entry.document)}:{entry.line}{where}")
        lines.append(f"{entry.id}:")
        lines.append("  repos:")
        lines.append(f"    # ... its {len(entry.repos)} repo(s) as they are, then:")
        for item in newer:
            lines.append(f"    - {json.dumps(item.repo_id)}  # {item.why}: {_comment(item.evidence)}")
    return "\n".join(lines)
