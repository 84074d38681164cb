"""GitHub Actions output: workflow annotations and the job summary.

Annotations put contradicted and partial claims on the document's own lines in a pull
request. The job summary is the Markdown report, cut to GitHub's size limit at a line
boundary with a pointer to the full report.
"""

from __future__ import annotations

from syncer.formats.report_markdown import finding_message
from syncer.report import Report, Verdict

# GitHub refuses step summaries over 1 MiB; stay well under it.
SUMMARY_LIMIT = 1_000_000
# GitHub displays at most 10 warning annotations per step (and 10 errors, 10 notices).
SHOWN_PER_STEP = 10


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_annotations(report: Report) -> list[str]:
    """`::warning file=…,line=…,title=…::…` for every contradicted or partial claim, the
    contradicted ones first: GitHub shows only ANNOTATIONS_SHOWN warnings per step, and
    drops the rest. When there are more, a closing notice says how many and where they are."""
    problems = [
        (entry, finding)
        for entry in report.entries
        for finding in entry.claims
        if finding.verdict in (Verdict.CONTRADICTED, Verdict.PARTIAL)
    ]  # fmt: skip
    problems.sort(key=lambda item: item[1].verdict is not Verdict.CONTRADICTED)  # stable: document order within each
    lines = []
    for entry, finding in problems:
        title = f"syncer: {finding.verdict.value} {finding.kind.value} claim"
        lines.append(
            f"::warning file={_property(entry.document)},line={entry.line},title={_property(title)}"
            f"::{_data(finding_message(entry, finding))}"
        )
    if len(problems) > SHOWN_PER_STEP:
        hidden = problems[SHOWN_PER_STEP:]
        contradicted = sum(1 for _, finding in hidden if finding.verdict is Verdict.CONTRADICTED)
        lines.append(
            f"::notice title={_property(f'syncer: {len(hidden)} more findings')}::"
            f"GitHub shows {SHOWN_PER_STEP} warnings per step; "
            f"{len(hidden)} more ({contradicted} contradicted, {len(hidden) - contradicted} partial) are in "
            "latest.md and latest.sarif (code scanning)."
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
