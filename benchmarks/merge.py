"""Benchmark: `syncer merge` of ten shard snapshots, time and peak memory, at 10k and 50k entries.

    python -m benchmarks.merge                  # 10,000 and 50,000 entries
    python -m benchmarks.merge --sizes 10000    # a quicker look

The snapshots are synthetic but of the shape a run writes: one entry per repo, each with
its repo's facts (read from config.json) and three findings, dealt into ten shards by
syncer's own assignment; a previous merged report of the same entries stands in the
reports folder, as on every scheduled merge but the first. `syncer merge` runs as a child
process; peak RSS is its own (ru_maxrss from wait4). The snapshots are made, and the output
checked to hold every entry, by other children: a page the benchmark itself held when it
started the merge would count in the merge's peak (it did, 60 MB of it, before the check
moved to a child).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench import check_runs_project, run_measured  # noqa: E402
from syncer.formats.report_json import report_json  # noqa: E402
from syncer.pipeline import summarise  # noqa: E402
from syncer.report import EntryReport, Finding, MappingState, RepoFacts, Report, RepoStatus, Verdict  # noqa: E402
from syncer.shards import assign  # noqa: E402
from tests.fakehub import synthetic_sha  # noqa: E402

SHARDS = 10
WHEN = "2026-12-01T00:00:00Z"


def entry(index: int) -> EntryReport:
    repo_id = f"author-{index % (1 + index // 10)}/model-{index}-7b"
    sha = synthetic_sha(repo_id)
    repo = RepoFacts(
        repo_id=repo_id, requested_id=repo_id, status=RepoStatus.OK, sha=sha, downloads=1000 + index, likes=1,
        license="apache-2.0", gated=False, model_type="llama", parameters=6_738_415_616, parameters_source="config_estimate",
        layers=32, layers_source="num_hidden_layers", context_length=4096, context_source="max_position_embeddings",
        config_read=True, nominal_parameters=7 * 10**9, fetched_at=WHEN,
    )  # fmt: skip
    findings = [
        Finding(kind=kind, text=text, claimed=claimed, verdict=Verdict.CONFIRMED, observed=claimed, repo_id=repo_id,
                source=source, reason=f"{repo_id}: {claimed} ({source})", field="描述")
        for kind, text, claimed, source in [
            ("parameters", "7B", 7 * 10**9, "config_estimate"),
            ("context_length", "4K上下文", 4000, "max_position_embeddings"),
            ("license", "可商用", "commercial", "license"),
        ]
    ]
    return EntryReport(
        id=f"model-{index}", name=f"Model {index}", document="catalog.md", section=None, line=3 + index,
        text=f"Model {index} | 7B, 4K上下文, 可商用", mapping=MappingState(status="mapped", where=f"mapping.yaml:{index + 1}"),
        repos=[repo], claims=findings,
    )  # fmt: skip


def report(entries: list[EntryReport], shard: str | None) -> Report:
    return Report(generated_at=WHEN, endpoint="http://127.0.0.1:1", summary=summarise(entries, {"api": 1}),
                  entries=entries, changes=[], compared_with=None, shard=shard)  # fmt: skip


def make_shards(folder: Path, size: int) -> list[Path]:
    entries = [entry(index) for index in range(size)]
    shard_of = assign(((e.id, [r.requested_id for r in e.repos]) for e in entries), SHARDS)
    paths = []
    for index in range(1, SHARDS + 1):
        path = folder / f"shard-{index}.json"
        path.write_text(report_json(report([e for e in entries if shard_of[e.id] == index], f"{index}/{SHARDS}")), "utf-8")
        paths.append(path)
    (folder / "reports").mkdir()
    (folder / "reports" / "latest.json").write_text(report_json(report(entries, None)), encoding="utf-8")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 50000])
    parser.add_argument("--project", type=Path, default=PROJECT, help="the syncer checkout to run (to compare commits)")
    parser.add_argument("--make", nargs=2, metavar=("FOLDER", "SIZE"), help=argparse.SUPPRESS)
    parser.add_argument("--count", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count:
        print(len(json.loads(args.count.read_text(encoding="utf-8"))["entries"]))
        return
    if args.make:
        make_shards(Path(args.make[0]), int(args.make[1]))
        return
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(args.project), "HF_HUB_DISABLE_TELEMETRY": "1"}
    check_runs_project(env, args.project)
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as work:
            folder = Path(work)
            # Made in a child of its own: a child forked from a parent that built them would
            # start with the parent's pages resident, and wait4 would count them as the merge's.
            subprocess.run([sys.executable, "-m", "benchmarks.merge", "--make", str(folder), str(size)], env=env | {
                "PYTHONPATH": str(PROJECT)}, check=True, cwd=PROJECT)  # fmt: skip
            shards = sorted(folder.glob("shard-*.json"), key=lambda path: int(path.stem.split("-")[1]))
            command = [sys.executable, "-m", "syncer", "merge", *map(str, shards), "--reports", str(folder / "reports")]
            code, seconds, peak, output = run_measured(command, env, cwd=folder)  # not the checkout: see --project
            if code != 0:
                raise SystemExit(f"merge exited {code}:\n{output[-2000:]}")
            # Counted by a child too: the parent's pages at the next fork would count as that merge's.
            count = [sys.executable, "-m", "benchmarks.merge", "--count", str(folder / "reports" / "latest.json")]
            counted = subprocess.run(count, env=env | {"PYTHONPATH": str(PROJECT)}, check=True, cwd=PROJECT,
                                     capture_output=True, text=True)  # fmt: skip
            assert int(counted.stdout) == size, counted.stdout
            rows.append((size, seconds, peak))
            print(f"merge of {SHARDS} shards, {size:,} entries: {seconds:.1f} s, peak {peak:.0f} MB", flush=True)
            shutil.rmtree(folder / "reports")
    if len(rows) > 1:
        (small, _, small_peak), (large, _, large_peak) = rows[-2], rows[-1]
        print(f"growth: {(large_peak - small_peak) * 1024 / (large - small):.2f} KB per entry")


if __name__ == "__main__":
    main()
