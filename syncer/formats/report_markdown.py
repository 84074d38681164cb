"""reports/latest.md: the report for people - in a pull request, an issue or a job summary.

Decisions first: contradicted and partial claims by entry, each with the suggested edit
and the Hub's facts for the entry's repos; then accepted findings, why claims stayed
unverifiable (grouped), unmapped entries, repo problems, changes since the last run,
download trends, and the facts of every readable repo. Long sections end in "and N
more" with a pointer to latest.json, and the whole stays under MAX_CHARACTERS (GitHub's
limit for a pull-request body is 65,536) whatever the catalog's size. Text from documents
and from the Hub is escaped so no cell can break a table or inject HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import Any, Generic, TypeVar
from urllib.parse import quote

from syncer.formats.suggestions import successor_additions_yaml
from syncer.formats.text import human_count
from syncer.history import Trends
from syncer.report import READABLE, ChangeKind, EntryReport, Finding, NewerRelease, RepoFacts, Report, RepoStatus, Verdict
from syncer.untrusted import without_controls

T = TypeVar("T")
SPARKS = "▁▂▃▄▅▆▇█"
_ESCAPES = {"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "<": "&lt;", ">": "&gt;",
            "&": "&amp;"}  # fmt: skip
ICONS = {Verdict.CONFIRMED: "✅", Verdict.CONTRADICTED: "❌", Verdict.PARTIAL: "⚠️", Verdict.UNVERIFIABLE: "❔"}


def escape(text: Any) -> str:
    """Make any text safe inside a Markdown table cell: one line, no control or direction
    characters, no Markdown or HTML of its own."""
    value = " ".join(without_controls(str(text)).split())
    return "".join(_ESCAPES.get(char, char) for char in value)


def repo_link(endpoint: str, repo_id: str | None) -> str:
    """A link to a repo; the id is escaped as text and percent-encoded in the URL, since it
    comes from the Hub's answer (`a/b)[x](javascript:…` stays inert)."""
    if not repo_id:
        return ""
    return f"[{escape(repo_id)}]({endpoint.rstrip('/')}/{quote(repo_id, safe='/-._~')})"


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


def finding_message(entry: EntryReport, finding: Finding) -> str:
    """One line of plain text on a finding, for annotations and code scanning: the words, the
    claimed and observed values, the deciding repo and why."""
    return (
        f"{entry.name}: “{finding.text}” claims {value_text(finding.claimed)}; "
        f"the Hub shows {value_text(finding.observed)}"
        + (f" ({finding.repo_id})" if finding.repo_id else "")
        + f". {finding.reason}"
    )


def sparkline(points: list[int | None]) -> str:
    known = [p for p in points if p is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = high - low or 1
    return "".join(" " if p is None else SPARKS[round((p - low) / span * (len(SPARKS) - 1))] for p in points)


MAX_CHARACTERS = 60_000  # under GitHub's 65,536 for a pull-request body, with room for a note
# Rows per long section, loosest first: the first set that fits is used.
CAPS = [
    {"entries": 60, "rows": 80, "facts": 400},
    {"entries": 40, "rows": 40, "facts": 150},
    {"entries": 25, "rows": 20, "facts": 60},
    {"entries": 12, "rows": 10, "facts": 0},
]


def report_markdown(report: Report, trends: Trends | None = None) -> str:
    """`trends`: downloads per repo over the stored runs (reports/history.jsonl); by default
    the trend an older report carries in its own `history`.

    The entries are gone through once (a merged report reads them from disk each time), and
    of them only what the sections can show is kept (`Shown`)."""
    trends = report.history if trends is None else trends
    shown = Shown()
    for entry in report.entries:
        shown.add(entry)
    for caps in CAPS:
        text = _render(report, shown, caps, trends)
        if len(text) <= MAX_CHARACTERS:
            return text
    return text[: MAX_CHARACTERS - 200].rsplit("\n", 1)[0] + "\n\n… cut to fit; the full data is in latest.json.\n"


def _render(report: Report, shown: Shown, caps: dict[str, int], trends: Trends) -> str:
    out: list[str] = ["# syncer report", ""]
    out += _held(report)
    out += _summary(report, shown)
    out += _problem_claims(report.endpoint, shown, caps["entries"])
    out += _accepted(shown, caps["rows"])
    out += _unverifiable(shown)
    out += _unmapped(shown, caps["rows"])
    out += _repo_problems(report.endpoint, shown, caps["rows"])
    out += _changes(report, caps["rows"])
    out += _newer(report.endpoint, shown, caps["rows"])
    out += _trends(report.endpoint, trends, caps["rows"])
    out += _facts(report.endpoint, shown, caps["facts"])
    return "\n".join(out).rstrip() + "\n"


NOT_REFRESHED_NAMED = 10  # repo ids named in the one line; the rest are counted
MOST_ENTRIES, MOST_ROWS, MOST_FACTS = (max(caps[key] for caps in CAPS) for key in ("entries", "rows", "facts"))


class _FirstRows(Generic[T]):
    """The first rows of a section, as many as any caps show, and how many there are in all."""

    def __init__(self, most: int) -> None:
        self.rows: list[T] = []
        self.count = 0
        self._most = most

    def add(self, row: T) -> None:
        self.count += 1
        if len(self.rows) < self._most:
            self.rows.append(row)


class Shown:
    """Of a report's entries, what latest.md can show, gathered in one pass: the first rows of
    each section and the counts of the rest, so that the memory it takes does not grow with
    the catalog (but for `listed_as`, an id and a name per repo)."""

    def __init__(self) -> None:
        self.carried = _FirstRows[RepoFacts](NOT_REFRESHED_NAMED)
        self.carried_since: str | None = None
        self.carried_causes: Counter[str] = Counter()
        # Entries with a contradiction come before those with partial findings only.
        self.contradicted = _FirstRows[tuple[EntryReport, list[Finding]]](MOST_ENTRIES)
        self.partial = _FirstRows[tuple[EntryReport, list[Finding]]](MOST_ENTRIES)
        self.accepted = _FirstRows[tuple[EntryReport, Finding]](MOST_ROWS)
        self.unverifiable: Counter[str] = Counter()
        self.unmapped = _FirstRows[EntryReport](MOST_ROWS)
        self.repo_problems = _FirstRows[tuple[EntryReport, RepoFacts]](MOST_ROWS)
        self.newer = _FirstRows[tuple[EntryReport, NewerRelease]](MOST_ROWS)
        self.with_newer: list[EntryReport] = []  # the entries with a newer release on the Hub
        self.listed_as: dict[str, str] = {}  # every repo id of the report, lower-cased: the entry listing it
        self.facts = _FirstRows[tuple[EntryReport, RepoFacts]](MOST_FACTS)

    def add(self, entry: EntryReport) -> None:
        for repo in entry.repos:
            if repo.stale is not None:
                self.carried.add(repo)
                self.carried_since = min(self.carried_since or repo.stale.since, repo.stale.since)
                self.carried_causes[_cause(repo.stale.reason)] += 1
            if repo.status is not RepoStatus.OK:
                self.repo_problems.add((entry, repo))
            if repo.status in READABLE:
                self.facts.add((entry, repo))
            for repo_id in (repo.repo_id, repo.requested_id):
                self.listed_as[repo_id.lower()] = entry.name
        problems = [f for f in entry.claims if f.verdict in (Verdict.CONTRADICTED, Verdict.PARTIAL) and not f.excused]
        if any(f.verdict is Verdict.CONTRADICTED for f in problems):
            self.contradicted.add((entry, problems))
        elif problems:
            self.partial.add((entry, problems))
        for finding in entry.claims:
            if finding.accepted:
                self.accepted.add((entry, finding))
            if finding.verdict is Verdict.UNVERIFIABLE:
                self.unverifiable[_cause(finding.reason)] += 1
        if entry.mapping.status == "unmapped":
            self.unmapped.add(entry)
        for item in entry.newer:
            self.newer.add((entry, item))
        if any(item.on_hub for item in entry.newer):
            self.with_newer.append(entry)


def _more(shown: int, total: int, what: str) -> list[str]:
    return [f"… and {total - shown} more {what}: the full data is in `latest.json`.", ""] if total > shown else []


def _held(report: Report) -> list[str]:
    """A held-back run says so first: this is not the published report."""
    if not report.held:
        return []
    lines = ["> **Held back:** this run would change too much at once, so `latest.*` and `history.jsonl` were left "
             "as they were and this report was written under `held/`. Look at why, then run again (with "
             "`--accept-churn` to accept it).", ">"]  # fmt: skip
    return [*lines, *[f"> - {escape(reason)}" for reason in report.held], ""]


def _summary(report: Report, shown: Shown) -> list[str]:
    s = report.summary
    claims = " · ".join(f"{n} {verdict}" for verdict, n in s.claims.items())
    repos = " · ".join(f"{n} {status.replace('_', ' ')}" for status, n in s.repos.items() if n)
    lines = [
        f"Data fetched **{report.generated_at}** from {escape(report.endpoint)}.",
        "",
        f"- **Entries:** {s.entries} ({s.mapped} mapped, {s.not_on_hub} not on the Hub, {s.unmapped} unmapped)",
        f"- **Claims:** {claims}",
        f"- **Repos:** {repos or 'none'}",
        *_not_refreshed(shown),
    ]
    return [*lines, ""]


def _not_refreshed(shown: Shown) -> list[str]:
    """One line for every repo whose facts (and verdicts) are carried from an earlier run."""
    carried, since = shown.carried, shown.carried_since
    if not carried.count or since is None:
        return []
    names = ", ".join(escape(repo.requested_id) for repo in carried.rows)
    more = f" and {carried.count - NOT_REFRESHED_NAMED} more" if carried.count > NOT_REFRESHED_NAMED else ""
    why = "; ".join(f"{n} × {escape(reason)}" for reason, n in shown.carried_causes.most_common(3))
    return [
        f"- **Not refreshed:** {carried.count} repos, last read {since[:16].replace('T', ' ')} UTC; their facts and "
        f"verdicts are carried from then ({why}): {names}{more}"
    ]


def _finding_row(entry: EntryReport, finding: Finding, endpoint: str) -> str:
    return (
        f"| {ICONS[finding.verdict]} {finding.verdict.value} | {finding.kind.value} | {escape(finding.text)} "
        f"| {escape(value_text(finding.claimed))} | {escape(value_text(finding.observed))} "
        f"| {repo_link(endpoint, finding.repo_id)}{_evidence(finding)} | {escape(finding.reason)} |"
    )


_REVISION = re.compile(r"/(?:blob|tree)/([0-9a-f]{40})(/[^/]+)?$")


def _evidence(finding: Finding) -> str:
    """` ([config.json@1a2b3c4](…), read 2026-11-27)`: what decided the finding, at its revision."""
    if not finding.evidence:
        return ""
    match = _REVISION.search(finding.evidence)
    what = (f"{(match.group(2) or '/tree')[1:]}@{match.group(1)[:7]}") if match else "evidence"
    read = f", read {finding.fetched_at[:10]}" if finding.fetched_at else ""
    stale = f", not refreshed since {finding.stale.since[:10]}" if finding.stale else ""
    return f" ([{escape(what)}]({finding.evidence.replace(')', '%29')}){read}{stale})"


FINDING_HEADER = ["| verdict | kind | words | claimed | Hub | repo | why |", "|---|---|---|---|---|---|---|"]


def _problem_claims(endpoint: str, shown: Shown, cap: int) -> list[str]:
    lines = ["## Contradicted and partial claims", ""]
    total = shown.contradicted.count + shown.partial.count
    if not total:
        return [*lines, "None.", ""]
    # Entries with a contradiction before those with partial findings only.
    grouped = shown.contradicted.rows + shown.partial.rows
    for entry, problems in grouped[:cap]:
        findings = sorted(problems, key=lambda f: f.verdict is not Verdict.CONTRADICTED)
        lines += [f"### {escape(entry.name)} — `{entry.document}:{entry.line}`", "", *FINDING_HEADER]
        lines += [_finding_row(entry, finding, endpoint) for finding in findings]
        lines.append("")
        edits = [f for f in findings if f.suggested and f.verdict is Verdict.CONTRADICTED and f.suggested != f.text]
        lines += [f"Suggested edit: `{escape(f.text)}` → `{escape(f.suggested)}` (in `suggested.patch`)" for f in edits]
        if edits:
            lines.append("")
        readable = [repo for repo in entry.repos if repo.status in READABLE]
        if readable:
            lines += [*FACTS_HEADER[1:], *[_facts_row(endpoint, repo) for repo in readable], ""]
    return [*lines, *_more(min(cap, total), total, "entries with contradicted or partial claims")]


def _accepted(shown: Shown, cap: int) -> list[str]:
    rows = shown.accepted.rows
    if not rows:
        return []
    lines = ["## Accepted findings", "", "| entry | verdict | words | accepted because | until |", "|---|---|---|---|---|"]
    for entry, finding in rows[:cap]:
        accepted = finding.accepted or {}
        until = accepted.get("until") or "—"
        if accepted.get("expired"):
            until = f"**{until} (expired: counts again)**"
        lines.append(
            f"| {escape(entry.name)} | {ICONS[finding.verdict]} {finding.verdict.value} | {escape(finding.text)} "
            f"| {escape(accepted.get('reason', ''))} | {until} |"
        )
    return [*lines, "", *_more(min(cap, shown.accepted.count), shown.accepted.count, "accepted findings")]


def _unverifiable(shown: Shown) -> list[str]:
    """Why claims could not be checked, grouped: a maintainer fixes causes, not rows."""
    causes = shown.unverifiable
    if not causes:
        return []
    lines = ["## Unverifiable claims", "", "| claims | why |", "|---|---|"]
    lines += [f"| {count} | {escape(cause)} |" for cause, count in causes.most_common(12)]
    return [*lines, "", *_more(min(12, len(causes)), len(causes), "reasons")]


_REPO_ID = re.compile(r"\b[\w.-]+/[\w.-]+\b")


def _cause(reason: str) -> str:
    """`no mapped repo could be read: a/b not_found (…)` -> `no mapped repo could be read`."""
    head = re.split(r"[:;]", reason, maxsplit=1)[0]
    return _REPO_ID.sub("<repo>", head).strip()


def _unmapped(shown: Shown, cap: int) -> list[str]:
    unmapped, count = shown.unmapped.rows, shown.unmapped.count
    lines = ["## Unmapped entries", ""]
    if not unmapped:
        return [*lines, "None: every entry is mapped or marked not on the Hub.", ""]
    lines += [
        f"- {escape(entry.name)} (`{entry.id}`, `{entry.document}:{entry.line}`): `syncer init` adds it to the mapping "
        f"(`syncer suggest {entry.id}` shows the candidates)"
        for entry in unmapped[:cap]
    ]
    return [*lines, "", *_more(min(cap, count), count, "unmapped entries")]


def _repo_problems(endpoint: str, shown: Shown, cap: int) -> list[str]:
    lines = ["## Repo problems", ""]
    rows = []
    for entry, repo in shown.repo_problems.rows[:cap]:
        action = _action(entry, repo)
        detail = repo.stale.reason if repo.stale else repo.error or ""
        rows.append(
            f"| {escape(entry.name)} | {repo_link(endpoint, repo.repo_id)} | {repo.status.value} | {escape(detail)} | {action} |"
        )
    if not rows:
        return [*lines, "None: every mapped repo was read.", ""]
    header = ["| entry | repo | status | detail | what to do |", "|---|---|---|---|---|"]
    count = shown.repo_problems.count
    return [*lines, *header, *rows, "", *_more(min(cap, count), count, "repo problems")]


def _action(entry: EntryReport, repo: Any) -> str:
    """What a maintainer should do about a repo problem, as Markdown (ids are escaped)."""
    where = f"`{entry.mapping.where}`" if entry.mapping.where else f"the mapping of `{entry.id}`"
    if repo.status is RepoStatus.MOVED:
        # The old id is kept as `renamed_from`: the document may still link it, and `check` accepts that.
        return (f"in {where}, replace {escape(repo.requested_id)} with {escape(repo.repo_id)} and give that repo "
                f"`renamed_from:` {escape(repo.requested_id)}")  # fmt: skip
    if repo.status is RepoStatus.NOT_FOUND and repo.stale:
        return f"gone? its verdicts stand until the next run confirms it; then check the id in {where}"
    if repo.status is RepoStatus.NOT_FOUND:
        return (f"check the id in {where}; if it is wrong, move it to `declined` with a note (the document may "
                "link it), and if no repo is left, write `not_on_hub: <why>` instead of `repos`")  # fmt: skip
    if repo.status is RepoStatus.GATED:
        return "request access on the Hub and set `HF_TOKEN` to read its config.json"
    if repo.status is RepoStatus.DISABLED:
        return f"move it to `declined` in {where}, with a note"
    return "transient? run again; if it persists, check the repo on the Hub"


def _changes(report: Report, cap: int) -> list[str]:
    """Verdicts that moved first, with why; then facts, statuses and mappings. Never downloads."""
    lines = ["## Changes since the last run", ""]
    if not report.changes:
        return [*lines, "None.", ""]
    verdicts = [change for change in report.changes if change.kind is ChangeKind.VERDICT]
    others = [change for change in report.changes if change.kind is not ChangeKind.VERDICT]
    if verdicts:
        lines += ["| entry | claim | was | now | why |", "|---|---|---|---|---|"]
        for change in verdicts[:cap]:
            lines.append(
                f"| {escape(change.entry)} | {escape(change.claim or '')} | {escape(value_text(change.old))} "
                f"| **{escape(value_text(change.new))}** | {escape(change.reason or '')} |"
            )
        lines += ["", *_more(min(cap, len(verdicts)), len(verdicts), "verdict changes")]
    if others:
        lines += ["| entry | change | repo | field | was | now |", "|---|---|---|---|---|---|"]
        for change in others[:cap]:
            lines.append(
                f"| {escape(change.entry)} | {change.kind.value} | {repo_link(report.endpoint, change.repo_id)} "
                f"| {escape(change.field or '')} | {escape(value_text(change.old))} | {escape(value_text(change.new))} |"
            )
        lines += ["", *_more(min(cap, len(others)), len(others), "changes")]
    return lines


def _newer(endpoint: str, shown: Shown, cap: int) -> list[str]:
    """Releases that supersede an entry's repos: the list may describe an outdated model."""
    rows, count = shown.newer.rows, shown.newer.count
    if not rows:
        return []
    lines = ["## Newer releases", "", "| entry | mapped repo | created | newer release | created | downloads (30 d) | why |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    # A release another entry of the list maps is said so, and not proposed for this entry too.
    listed_as = shown.listed_as
    for entry, item in rows[:cap]:
        mapped = next((repo for repo in entry.repos if repo.repo_id == item.of), None)
        why = "`new_version`" if item.why == "new_version" else "family"
        elsewhere = listed_as.get(item.repo_id.lower())
        evidence = item.evidence + (f"; also listed as {elsewhere}" if elsewhere else "")
        lines.append(
            f"| {escape(entry.name)} | {escape(item.of)} | {((mapped.created_at if mapped else None) or '—')[:10]} "
            f"| {repo_link(endpoint, item.repo_id)} | {(item.created_at or '—')[:10]} | {value_text(item.downloads)} "
            f"| {why}: {escape(evidence)} |"
        )
    lines += ["", *_more(min(cap, count), count, "newer releases")]
    unlisted = (replace(entry, newer=[item for item in entry.newer if item.repo_id.lower() not in listed_as])
                for entry in shown.with_newer)  # fmt: skip
    proposed = [entry for entry in unlisted if any(item.on_hub for item in entry.newer)][:cap]
    if proposed:
        lines += ["<details><summary>To map them too: add to the mapping</summary>", "", "```yaml",
                  successor_additions_yaml(proposed), "```", "", "</details>", ""]  # fmt: skip
    return lines


def _trends(endpoint: str, trends: Trends, cap: int) -> list[str]:
    # The repos past the cap are counted, not kept: a trend's points are made as it is read.
    rows: list[tuple[str, list[tuple[str, int | None]]]] = []
    count = 0
    for repo, points in trends.items():
        if len(points) >= 2:
            count += 1
            if len(rows) < cap:
                rows.append((repo, points))
    if not rows:
        return []
    lines = ["## Downloads over the stored runs", "", "| repo | trend | first | last |", "|---|---|---|---|"]
    for repo, points in rows:
        values = [value for _, value in points]
        first, last = value_text(values[0]), value_text(values[-1])
        lines.append(f"| {repo_link(endpoint, repo)} | {sparkline(values)} | {first} | {last} |")
    return [*lines, "", "Downloads are the Hub's rolling 30-day count.", "", *_more(len(rows), count, "repos")]


FACTS_HEADER = [
    "| entry | repo | status | downloads (30 d) | licence | gated | parameters | layers | context | modified | commit |",
    "| repo | status | downloads (30 d) | licence | gated | parameters | layers | context | modified | commit |",
    "|---|---|---|---|---|---|---|---|---|---|",
]


def _since(change: dict[str, Any] | None) -> str:
    """` (since 2026-11-02; was other)`: when a licence or gating value last changed."""
    if not change:
        return ""
    was = change.get("from")
    was_text = "none" if was is None else ("no" if was is False else str(was))
    return f" (since {str(change.get('at') or '?')[:10]}; was {was_text})"


def _facts_row(endpoint: str, repo: Any) -> str:
    """One line of what the Hub says about a repo; `—` where a fact could not be read."""
    licence = repo.license if repo.license != "other" else f"other ({repo.license_name or '?'})"
    licence = (licence or "—") + _since(repo.last_changed.get("license"))
    parameters = value_text(repo.parameters) + (f" ({repo.parameters_source})" if repo.parameters else "")
    context = f"{repo.context_length:,}" if repo.context_length else "—"
    rope = repo.rope_scaling
    if repo.context_length and rope and rope.type:
        context += f" (rope {rope.type}" + (f" ×{rope.factor:g}" if rope.factor else "") + ")"
    if repo.context_extended:
        context += f", {repo.context_extended:,} ({repo.context_extended_source})"
    if repo.alibi:
        context += " (ALiBi)"
    gated = "—" if repo.gated is None else ("no" if repo.gated is False else str(repo.gated))
    gated += _since(repo.last_changed.get("gated"))
    # The repo id unlinked: the claim rows link it, and a catalog of hundreds of repos must fit.
    status = repo.status.value + (f", last read {repo.stale.since[:10]}" if repo.stale else "")
    return (
        f"| {escape(repo.repo_id)} | {status} | {value_text(repo.downloads)} "
        f"| {escape(licence)} | {escape(gated)} | {escape(parameters)} | {value_text(repo.layers)} "
        f"| {escape(context)} | {(repo.last_modified or '—')[:10]} | {(repo.sha or '—')[:7]} |"
    )


def _facts(endpoint: str, shown: Shown, cap: int) -> list[str]:
    """The Hub's facts for every repo that could be read - what syncer exists to pull."""
    rows, count = shown.facts.rows, shown.facts.count
    if not rows:
        return []
    lines = ["## Hub facts", "", f"<details><summary>{count} repos that could be read</summary>", ""]
    if cap:
        lines += [FACTS_HEADER[0], "|---" * 11 + "|"]
        lines += [f"| {escape(entry.id)} " + _facts_row(endpoint, repo) for entry, repo in rows[:cap]]
        lines.append("")
    lines += _more(min(cap, count), count, "repos")
    return [*lines, "</details>", ""]
