"""reports/history.jsonl: one compact line per run, appended, never rewritten.

Download counts move every day on the real Hub; kept in latest.json as a trend they would
rewrite hundreds of lines per run, and kept as full snapshots they would add a few hundred
KB per run to the repository. A line here holds only what the trends need: when the run
was, which Hub it read, its claim verdict counts, and the 30-day downloads of every repo it
could read (`{"generated_at", "endpoint", "claims", "downloads": {requested id: n}}`).
`syncer run` and `syncer merge` append a line; `run`, `merge` and `report` draw the
"Downloads over the stored runs" section from the file.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import Field, ValidationError

from syncer.models import Frozen, Report

HISTORY_FILE = "history.jsonl"
TREND_POINTS = 30  # points per repo in a trend: the last 30 moves of its count

Trends = dict[str, list[tuple[str, int | None]]]


class RunRecord(Frozen):
    generated_at: str
    endpoint: str
    claims: dict[str, int] = Field(default_factory=dict)
    downloads: dict[str, int] = Field(default_factory=dict)


def run_record(report: Report) -> RunRecord:
    downloads = {
        repo.requested_id: repo.downloads
        for entry in report.entries
        for repo in entry.repos
        if repo.downloads is not None
    }  # fmt: skip
    return RunRecord(
        generated_at=report.generated_at,
        endpoint=report.endpoint,
        claims=dict(report.summary.claims),
        downloads=dict(sorted(downloads.items())),
    )


def record_line(record: RunRecord) -> str:
    """One line of JSON, without spaces: the file grows by the size of the counts, no more."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


def read_history(path: Path) -> tuple[list[RunRecord], list[int]]:
    """The records of a history file, oldest first, and the numbers of lines that could not be
    read (a hand edit, a cut-off line): those are skipped, never fatal, and never rewritten."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], []
    records, unreadable = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(RunRecord.model_validate_json(line))
        except (ValidationError, ValueError):
            unreadable.append(number)
    return records, unreadable


def download_trends(records: list[RunRecord], report: Report) -> Trends:
    """Per repo of the report, `(run time, downloads)` oldest first: a point where its count
    moved, the last TREND_POINTS of them. Only runs against the report's Hub count (a test
    Hub's counts are no trend of the real one), up to the report's own time (so that
    re-rendering an older snapshot shows the trend as it was then)."""
    wanted = {repo.requested_id for entry in report.entries for repo in entry.repos}
    trends: Trends = {}
    for record in sorted(records, key=lambda record: record.generated_at):
        if record.endpoint != report.endpoint or record.generated_at > report.generated_at:
            continue
        for repo_id, downloads in record.downloads.items():
            if repo_id not in wanted:
                continue
            points = trends.setdefault(repo_id, [])
            if not points or points[-1][1] != downloads:
                points.append((record.generated_at, downloads))
    return {repo_id: points[-TREND_POINTS:] for repo_id, points in sorted(trends.items())}
