"""Benchmark: the memory of drawing download trends from a long history.jsonl.

    python -m benchmarks.trends --runs 60 --repos 10000

Writes a history of RUNS runs over REPOS repos in which every repo's count moves at every
run (the worst case for trends: each run is a point), then draws the trends as `syncer run`
does and reports the peak and the retained size of Python allocations (tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import tracemalloc
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from syncer.history import download_trends, history_records  # noqa: E402
from syncer.report import EntryReport, MappingState, RepoFacts, Report, RepoStatus, Summary  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--repos", type=int, default=10_000)
    args = parser.parse_args()
    ids = [f"author-{index % 1500}/model-{index}-7b" for index in range(args.repos)]
    entries = [
        EntryReport(id=str(n), name=repo_id, document="catalog.md", section=None, line=n + 1, text=repo_id,
                    mapping=MappingState(status="mapped"), claims=[],
                    repos=[RepoFacts(repo_id=repo_id, requested_id=repo_id, status=RepoStatus.OK, fetched_at="x")])
        for n, repo_id in enumerate(ids)
    ]  # fmt: skip
    summary = Summary(entries=len(entries), mapped=len(entries), not_on_hub=0, unmapped=0, repos={}, claims={})
    report = Report(generated_at="2099-01-01T00:00:00Z", endpoint="e", summary=summary, entries=entries, changes=[])
    with tempfile.TemporaryDirectory() as temp:
        path = Path(temp) / "history.jsonl"
        with path.open("w", encoding="utf-8") as file:
            for run in range(args.runs):
                downloads = {repo_id: 1000 + run * 7 + n for n, repo_id in enumerate(ids)}
                record = {"generated_at": f"2026-01-01T00:{run // 60:02d}:{run % 60:02d}Z", "endpoint": "e", "claims": {},
                          "downloads": downloads}  # fmt: skip
                file.write(json.dumps(record, separators=(",", ":")) + "\n")
        size = path.stat().st_size
        tracemalloc.start()
        trends = download_trends(history_records(path, []), report)
        retained, peak = tracemalloc.get_traced_memory()
    points = len(next(iter(trends.values()))) if trends else 0
    print(f"{args.runs} runs x {args.repos:,} repos ({size / 1e6:.1f} MB of history): peak {peak / 1e6:.1f} MB, "
          f"trends retained {retained / 1e6:.1f} MB, {points} points per repo")  # fmt: skip


if __name__ == "__main__":
    main()
