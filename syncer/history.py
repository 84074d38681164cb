"""reports/history.jsonl: one compact line per run, appended, never rewritten.

Download counts move every day on the real Hub; kept in latest.json as a trend they would
rewrite hundreds of lines per run, and kept as full snapshots they would add a few hundred
KB per run to the repository. A line here holds only what the trends need: when the run
was, which Hub it read, its claim verdict counts, and the 30-day downloads of every repo it
read this run (`{"generated_at", "endpoint", "claims", "downloads": {requested id: n}}`),
and, when some repos' facts were carried from an earlier run instead (syncer.guard),
`"carried": {requested id: when its facts were read}`.
`syncer run` and `syncer merge` append a line; `run`, `merge` and `report` draw the
"Downloads over the stored runs" section from the file.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Annotated

from pydantic import Field, Strict, ValidationError

from syncer.bounds import COUNT
from syncer.models import Frozen
from syncer.report import Report

HISTORY_FILE = "history.jsonl"
TREND_POINTS = 30  # points per repo in a trend: the last 30 moves of its count

# Per repo, `(run time, downloads)` oldest first: a `RecordedTrends`, or the dict an older
# report carries in its `history`.
Trends = Mapping[str, list[tuple[str, int | None]]]


# A line's numbers are bounded where it is read (syncer/bounds.py): one hand-edited count of
# 10**20 would otherwise end every later run that draws the trend.
StoredCount = Annotated[int, Strict(), Field(ge=COUNT.low, le=COUNT.high)]


class RunRecord(Frozen):
    generated_at: str
    endpoint: str
    claims: dict[str, StoredCount] = Field(default_factory=dict)
    downloads: dict[str, StoredCount] = Field(default_factory=dict)
    # Repos not read this run, whose facts (and verdicts) the report carries: when they were read.
    carried: dict[str, str] = Field(default_factory=dict, exclude_if=lambda value: not value)


def run_record(report: Report) -> RunRecord:
    """The run's line: the downloads it read (never a carried count, which would draw a flat
    trend of a repo nobody read), and which repos it carried from when."""
    downloads: dict[str, int] = {}
    carried: dict[str, str] = {}
    for entry in report.entries:
        for repo in entry.repos:
            if repo.stale is not None:
                carried[repo.requested_id] = repo.stale.since
            elif repo.downloads is not None:
                downloads[repo.requested_id] = repo.downloads
    return RunRecord(
        generated_at=report.generated_at,
        endpoint=report.endpoint,
        claims=dict(report.summary.claims),
        downloads=dict(sorted(downloads.items())),
        carried=dict(sorted(carried.items())),
    )


def records_of_older_report(history: Mapping[str, list[tuple[str, int | None]]], endpoint: str) -> list[RunRecord]:
    """The trend a report from before history.jsonl carried in its `history`, as the records
    history.jsonl would hold (one per run, oldest first), so that upgrading keeps it."""
    by_time: dict[str, dict[str, int]] = {}
    for repo_id, points in history.items():
        for when, downloads in points:
            if downloads is not None and COUNT.check(downloads) is not None:
                by_time.setdefault(when, {})[repo_id] = downloads
    return [
        RunRecord(generated_at=when, endpoint=endpoint, downloads=dict(sorted(counts.items())))
        for when, counts in sorted(by_time.items())
    ]


def record_line(record: RunRecord) -> str:
    """One line of JSON, without spaces: the file grows by the size of the counts, no more."""
    return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"


_GENERATED_AT = re.compile(rb'"generated_at"\s*:\s*"([^"]*)"')


def history_records(path: Path, unreadable: list[int]) -> Iterator[RunRecord]:
    """The records of a history file in time order, read one line at a time: at 50,000 repos
    a record is 3 MB as objects, and a year of daily runs is 365 of them, so they are never
    held together. Lines are ordered by their `generated_at` first (usually the order they
    were appended in), then read in that order. A line that cannot be read (a hand edit, a
    cut-off line) is skipped and its number added to `unreadable`: never fatal, and never
    rewritten."""
    try:
        file = path.open("rb")
    except FileNotFoundError:
        return
    with file:
        lines: list[tuple[bytes, int, int]] = []  # (generated_at, offset, line number)
        offset = 0
        for number, line in enumerate(file, start=1):
            if line.strip():
                found = _GENERATED_AT.search(line)
                lines.append((found.group(1) if found else b"", offset, number))
            offset += len(line)
        lines.sort(key=lambda line: line[0])  # stable: lines of one time stay in file order
        for _, offset, number in lines:
            file.seek(offset)
            try:
                yield RunRecord.model_validate_json(file.readline())
            except (ValidationError, ValueError):
                unreadable.append(number)
    unreadable.sort()


class RecordedTrends(Mapping[str, list[tuple[str, int | None]]]):
    """Trends drawn from history.jsonl, by repo id in order. A repo's points are kept as
    one array of (run, count) pairs, not a list of tuples (30 points for 50,000 repos:
    about 40 MB, against 150 MB as tuples); its list is made when it is asked for."""

    def __init__(self, times: list[str], points: dict[str, array[int]]) -> None:
        self._times = times  # the runs' times, by run index
        self._points = points
        self._order = sorted(points)

    def __getitem__(self, repo_id: str) -> list[tuple[str, int | None]]:
        pairs = self._points[repo_id]
        points: list[tuple[str, int | None]] = [(self._times[pairs[i]], pairs[i + 1]) for i in range(0, len(pairs), 2)]
        return points

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


def download_trends(records: Iterable[RunRecord], report: Report) -> RecordedTrends | None:
    """Per repo of the report, `(run time, downloads)` oldest first: a point where its count
    moved, the last TREND_POINTS of them. `records` come in time order (`history_records`).
    Only runs against the report's Hub count (a test Hub's counts are no trend of the real
    one), up to the report's own time (so that re-rendering an older snapshot shows the trend
    as it was then). None when there is no record at all."""
    wanted = {repo.requested_id for entry in report.entries for repo in entry.repos}
    times: list[str] = []
    points: dict[str, array[int]] = {}
    any_record = False
    for record in records:
        any_record = True
        if record.endpoint != report.endpoint or record.generated_at > report.generated_at:
            continue
        run = len(times)
        times.append(record.generated_at)
        for repo_id, downloads in record.downloads.items():
            if repo_id not in wanted:
                continue
            pairs = points.get(repo_id)
            if pairs is None:
                pairs = points[repo_id] = array("q")
            if not pairs or pairs[-1] != downloads:
                pairs.extend((run, downloads))
                if len(pairs) > 2 * TREND_POINTS:
                    del pairs[:2]
    return RecordedTrends(times, points) if any_record else None
