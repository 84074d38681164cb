"""reports/latest.md: the report for people - in a pull request, an issue or a job summary.

Order: a summary, contradicted and partial claims grouped by entry, unmapped entries,
repo problems, changes since the last run, download trends, then every claim. Text from
documents and from the Hub is escaped so no cell can break a table or inject HTML.
"""

from __future__ import annotations

from typing import Any

from syncer.formats.text import human_count
from syncer.models import ChangeKind, EntryReport, Finding, Report, RepoStatus, Verdict

SPARKS = "▁▂▃▄▅▆▇█"
_ESCAPES = {"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;",
            "&": "&amp;"}  # fmt: skip
ICONS = {Verdict.CONFIRMED: "✅", Verdict.CONTRADICTED: "❌", Verdict.PARTIAL: "⚠️", Verdict.UNVERIFIABLE: "❔"}


def escape(text: Any) -> str:
    """Make any text safe inside a Markdown table cell."""
    value = " ".join(str(text).split())
    return "".join(_ESCAPES.get(char, char) for char in value)


def repo_link(endpoint: str, repo_id: str | None) -> str:
    if not repo_id:
        return ""
    return f"[{escape(repo_id)}]({endpoint.rstrip('/')}/{repo_id})"


def value_text(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict) and "max" in value:
        low = human_count(value["min"]) if value.get("min") else ""
        return f"{low}–{human_count(value['max'])}" if low else f"≤{human_count(value['max'])}"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return human_count(value) if value >= 10**6 else f"{value:,}"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def sparkline(points: list[int | None]) -> str:
    known = [p for p in points if p is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low or 1
    return "".join(" " if p is None else SPARKS[round((p - low) / span * (len(SPARKS) - 1))] for p in points)


def report_markdown(report: Report) -> str:
    out: list[str] = ["# syncer report", ""]
    out += _summary(report)
    out += _problem_claims(report)
    out += _unmapped(report)
    out += _repo_problems(report)
    out += _changes(report)
    out += _trends(report)
    out += _all_claims(report)
    return "\n".join(out).rstrip() + "\n"


def _summary(report: Report) -> list[str]:
    s = report.summary
    claims = " · ".join(f"{n} {verdict}" for verdict, n in s.claims.items())
    repos = " · ".join(f"{n} {status.replace('_', ' ')}" for status, n in s.repos.items() if n)
    lines = [
        f"Data fetched **{report.generated_at}** from {escape(report.endpoint)}.",
        "",
        f"- **Entries:** {s.entries} ({s.mapped} mapped, {s.not_on_hub} not on the Hub, {s.unmapped} unmapped)",
        f"- **Claims:** {claims}",
        f"- **Repos:** {repos or 'none'}",
    ]
    return [*lines, ""]


def _finding_row(entry: EntryReport, finding: Finding, endpoint: str) -> str:
    return (
        f"| {ICONS[finding.verdict]} {finding.verdict.value} | {finding.kind.value} | {escape(finding.text)} "
        f"| {escape(value_text(finding.claimed))} | {escape(value_text(finding.observed))} "
        f"| {repo_link(endpoint, finding.repo_id)} | {escape(finding.reason)} |"
    )


FINDING_HEADER = ["| verdict | kind | words | claimed | Hub | repo | why |", "|---|---|---|---|---|---|---|"]


def _problem_claims(report: Report) -> list[str]:
    lines = ["## Contradicted and partial claims", ""]
    grouped = [
        (entry, [f for f in entry.claims if f.verdict in (Verdict.CONTRADICTED, Verdict.PARTIAL)]) for entry in report.entries
    ]
    grouped = [(entry, findings) for entry, findings in grouped if findings]
    if not grouped:
        return [*lines, "None.", ""]
    for entry, findings in grouped:
        findings.sort(key=lambda f: f.verdict is not Verdict.CONTRADICTED)
        lines += [f"### {escape(entry.name)} — `{entry.document}:{entry.line}`", "", *FINDING_HEADER]
        lines += [_finding_row(entry, finding, report.endpoint) for finding in findings]
        lines.append("")
    return lines


def _unmapped(report: Report) -> list[str]:
    unmapped = [entry for entry in report.entries if entry.mapping.status == "unmapped"]
    lines = ["## Unmapped entries", ""]
    if not unmapped:
        return [*lines, "None: every entry is mapped or marked not on the Hub.", ""]
    lines += [
        f"- {escape(entry.name)} (`{entry.id}`, `{entry.document}:{entry.line}`): run `syncer suggest {entry.id}`"
        for entry in unmapped
    ]
    return [*lines, ""]


def _repo_problems(report: Report) -> list[str]:
    lines = ["## Repo problems", ""]
    rows = []
    for entry in report.entries:
        for repo in entry.repos:
            if repo.status is RepoStatus.OK:
                continue
            action = _action(entry, repo)
            rows.append(
                f"| {escape(entry.name)} | {repo_link(report.endpoint, repo.repo_id)} | {repo.status.value} "
                f"| {escape(repo.error or '')} | {action} |"
            )
    if not rows:
        return [*lines, "None: every mapped repo was read.", ""]
    return [*lines, "| entry | repo | status | detail | what to do |", "|---|---|---|---|---|", *rows, ""]


def _action(entry: EntryReport, repo: Any) -> str:
    """What a maintainer should do about a repo problem, as Markdown (ids are escaped)."""
    where = f"`{entry.mapping.where}`" if entry.mapping.where else f"the mapping of `{entry.id}`"
    if repo.status is RepoStatus.MOVED:
        return f"in {where}, replace {escape(repo.requested_id)} with {escape(repo.repo_id)}"
    if repo.status is RepoStatus.NOT_FOUND:
        return f"check the id in {where}; remove it, or mark the entry `not_on_hub`"
    if repo.status is RepoStatus.GATED:
        return "request access on the Hub and set `HF_TOKEN` to read its config.json"
    if repo.status is RepoStatus.DISABLED:
        return f"remove it from {where}"
    return "transient? run again; if it persists, check the repo on the Hub"


def _changes(report: Report) -> list[str]:
    """Verdicts that moved first, with why; then facts, statuses and mappings. Never downloads."""
    lines = ["## Changes since the last run", ""]
    if not report.changes:
        return [*lines, "None.", ""]
    verdicts = [change for change in report.changes if change.kind is ChangeKind.VERDICT]
    others = [change for change in report.changes if change.kind is not ChangeKind.VERDICT]
    if verdicts:
        lines += ["| entry | claim | was | now | why |", "|---|---|---|---|---|"]
        for change in verdicts:
            lines.append(
                f"| {escape(change.entry)} | {escape(change.claim or '')} | {escape(value_text(change.old))} "
                f"| **{escape(value_text(change.new))}** | {escape(change.reason or '')} |"
            )
        lines.append("")
    if others:
        lines += ["| entry | change | repo | field | was | now |", "|---|---|---|---|---|---|"]
        for change in others:
            lines.append(
                f"| {escape(change.entry)} | {change.kind.value} | {repo_link(report.endpoint, change.repo_id)} "
                f"| {escape(change.field or '')} | {escape(value_text(change.old))} | {escape(value_text(change.new))} |"
            )
        lines.append("")
    return lines


def _trends(report: Report) -> list[str]:
    rows = [(repo, points) for repo, points in report.history.items() if len(points) >= 2]
    if not rows:
        return []
    lines = ["## Downloads over the stored runs", "", "| repo | trend | first | last |", "|---|---|---|---|"]
    for repo, points in rows:
        values = [value for _, value in points]
        first, last = value_text(values[0]), value_text(values[-1])
        lines.append(f"| {repo_link(report.endpoint, repo)} | {sparkline(values)} | {first} | {last} |")
    return [*lines, "", "Downloads are the Hub's rolling 30-day count.", ""]


def _all_claims(report: Report) -> list[str]:
    lines = ["## All claims", "", "<details><summary>Every claim and its verdict</summary>", ""]
    lines += ["| entry | verdict | kind | words | claimed | Hub | repo | why |", "|---|---|---|---|---|---|---|---|"]
    for entry in report.entries:
        for finding in entry.claims:
            lines.append(f"| {escape(entry.name)} " + _finding_row(entry, finding, report.endpoint))
    return [*lines, "", "</details>", ""]
