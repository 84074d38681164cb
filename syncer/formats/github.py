"""GitHub Actions output: workflow annotations and the job summary.

Annotations put contradicted and partial claims on the document's own lines in a pull
request. The job summary is the Markdown report, cut to GitHub's size limit at a line
boundary with a pointer to the full report.
"""

from __future__ import annotations

from syncer.formats.report_markdown import value_text
from syncer.models import Report, Verdict

# GitHub refuses step summaries over 1 MiB; stay well under it.
SUMMARY_LIMIT = 1_000_000


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_annotations(report: Report) -> list[str]:
    """`::warning file=…,line=…,title=…::…` for every contradicted or partial claim."""
    lines = []
    for entry in report.entries:
        for finding in entry.claims:
            if finding.verdict not in (Verdict.CONTRADICTED, Verdict.PARTIAL):
                continue
            title = f"syncer: {finding.verdict.value} {finding.kind.value} claim"
            message = (
                f"{entry.name}: “{finding.text}” claims {value_text(finding.claimed)}; "
                f"the Hub shows {value_text(finding.observed)}"
                + (f" ({finding.repo_id})" if finding.repo_id else "")
                + f". {finding.reason}"
            )
            lines.append(
                f"::warning file={_property(entry.document)},line={entry.line},title={_property(title)}::{_data(message)}"
            )
    return lines


def step_summary(markdown: str, pointer: str, limit: int = SUMMARY_LIMIT) -> str:
    """The report for $GITHUB_STEP_SUMMARY, cut at a line boundary to fit `limit` bytes."""
    if len(markdown.encode("utf-8")) <= limit:
        return markdown
    note = f"\n\n> The report is cut here to fit GitHub's job summary limit. {pointer}\n"
    budget = limit - len(note.encode("utf-8"))
    kept, used = [], 0
    for line in markdown.splitlines(keepends=True):
        size = len(line.encode("utf-8"))
        if used + size > budget:
            break
        kept.append(line)
        used += size
    return "".join(kept).rstrip("\n") + note
