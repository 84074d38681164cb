"""Benchmark: syncer against a naive sync, on a synthetic catalog, over a fake Hub with latency.

    python -m benchmarks.bench                      # the full benchmark (several minutes)
    python -m benchmarks.bench --repos 200 --rss-repos 0 --quota-repos 0 --no-naive   # a quick look

The world: N repos over A authors (ids `author-<a>/model-<i>-7b`, synthetic), one catalog
entry per repo, served by tests/fakehub.py with a fixed latency per request and an
advertised RateLimit quota. syncer and the baseline run as child processes, so peak RSS
(from wait4) is theirs alone; request counts come from the fake Hub's log.

Scenarios: a cold run (empty reports folder); a warm re-run with nothing changed; a warm
re-run after 10% of the repos got a new commit; a cold run under a tight quota (pacing);
the naive baseline (one model_info and one hf_hub_download per repo, sequentially); quota
runs (300 repos over 40 authors, both buckets enforced with 6-second windows, fresh and
partly used by someone else at the start), timed against the slower bucket's floor; and a
cold and a warm run at 10,000 repos (or --rss-repos) for peak memory.

Peak memory is the child's peak resident set size, `ru_maxrss` from wait4(2).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from tests.fakehub import FakeHub, synthetic_sha  # noqa: E402

ANONYMOUS_QUOTA = {"api": 500, "resolvers": 3000}  # per 5 minutes (hub-docs rate-limits.md)


@dataclass
class Result:
    scenario: str
    repos: int
    seconds: float
    api: int
    resolvers: int
    rate_limited: int
    peak_rss_mb: float
    exit_code: int
    note: str = ""
    floor: float | None = None  # seconds the slower bucket's quota needs at least


def make_world(folder: Path, hub: FakeHub, repos: int, authors: int) -> None:
    rows, mapping = [], {}
    for index in range(repos):
        repo_id = f"author-{index % authors}/model-{index}-7b"
        config = {"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 4096, "hidden_size": 4096,
                  "intermediate_size": 11008, "num_attention_heads": 32, "vocab_size": 32000}  # fmt: skip
        hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 1000 + index, "likes": 1, "gated": False,
                          "cardData": {"license": "apache-2.0"}, "tags": ["license:apache-2.0"]},
                {"config.json": json.dumps(config).encode()})  # fmt: skip
        rows.append(f"| Model {index} | 7B, 4K上下文, 可商用 |")
        mapping[f"model-{index}"] = {"name": f"Model {index}", "repos": [repo_id]}
    (folder / "catalog.md").write_text("| 模型 | 描述 |\n| --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(json.dumps(mapping), encoding="utf-8")


def check_runs_project(env: dict[str, str], project: Path) -> None:
    """Stop unless a child run with `env` (from outside any checkout: `python -m` looks in the
    working directory first) imports syncer from `project`: an editable install of another
    checkout is found before PYTHONPATH, and would be measured in its place."""
    found = subprocess.run([sys.executable, "-c", "import syncer; print(syncer.__file__)"], env=env, check=True,
                           capture_output=True, text=True, cwd=tempfile.gettempdir()).stdout.strip()  # fmt: skip
    if not Path(found).resolve().is_relative_to(project.resolve()):
        raise SystemExit(f"a child would run the syncer at {found}, not {project}: run the benchmark with a Python "
                         "with no editable install of another checkout (`pip install <checkout>` in a fresh venv)")  # fmt: skip


def run_measured(command: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[int, float, float, str]:
    """Run a child; return exit code, wall seconds, its own peak RSS in MB, and its output."""
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as output:
        child = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, cwd=cwd)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        output.seek(0)
        text = output.read()
    return child.returncode, seconds, usage.ru_maxrss / 1024, text


def scenario(
    name: str, hub: FakeHub, command: list[str], env: dict[str, str], repos: int, note: str = "",
    used: dict[str, int] | None = None,
) -> Result:  # fmt: skip
    """Run one scenario; with a quota set on the hub, also its floor (see `floor_seconds`)."""
    before = len(hub.log)
    code, seconds, rss, output = run_measured(command, env)
    log = hub.log[before:]
    counts = {
        "api": sum(1 for _, path, status in log if "/resolve/" not in path and status != 429),
        "resolvers": sum(1 for _, path, status in log if "/resolve/" in path and status != 429),
    }
    floors = [floor_seconds(counts[b], q.limit, q.window, (used or {}).get(b, 0)) for b, q in hub.quota.items()]
    result = Result(
        scenario=name,
        repos=repos,
        seconds=round(seconds, 1),
        api=sum(1 for _, path, _ in log if "/resolve/" not in path),
        resolvers=sum(1 for _, path, _ in log if "/resolve/" in path),
        rate_limited=sum(1 for _, _, status in log if status == 429),
        peak_rss_mb=round(rss, 1),
        exit_code=code,
        note=note,
        floor=max(floors) if floors and note.startswith("quota") else None,
    )
    print(f"{name}: {result}", file=sys.stderr, flush=True)
    if code not in (0, 1):
        print(output[-2000:], file=sys.stderr)
    return result


def floor_seconds(requests: int, limit: int, window: float, used: int = 0) -> float:
    """The least time `requests` take under `limit` per fixed `window`, `used` of the first
    window spent already: the last one cannot go before its window opens."""
    return max(0, math.ceil((requests + used) / limit) - 1) * window


def syncer_command(folder: Path, hub: FakeHub, reports: str, concurrency: int) -> list[str]:
    return [sys.executable, "-m", "syncer", "run", "--catalog", str(folder / "catalog.md"), "--mappings",
            str(folder / "mapping.yaml"), "--reports", str(folder / reports), "--endpoint", hub.url,
            "--concurrency", str(concurrency)]  # fmt: skip


def reset_quota(hub: FakeHub, quota: dict[str, int], window: float) -> None:
    for bucket, limit in quota.items():
        hub.limit(bucket, limit, window)


QUOTA_WINDOW = 6.0
QUOTA = {"api": 10, "resolvers": 60}  # per QUOTA_WINDOW: both buckets bind 300 repos over 40 authors
PARTLY_USED = {"api": 7, "resolvers": 50}  # spent by another client when the run starts


def benchmark(
    repos: int, authors: int, latency: float, concurrency: int, naive: bool, rss_repos: int, quota_repos: int,
    quota_authors: int,
) -> list[Result]:  # fmt: skip
    env = {**os.environ, "HF_HUB_DISABLE_TELEMETRY": "1", "PYTHONPATH": str(PROJECT)}
    env.pop("HF_TOKEN", None)
    results = []
    if repos:
        results += _speed(repos, authors, latency, concurrency, naive, env)
    if quota_repos:
        results += _quota(quota_repos, quota_authors, latency, concurrency, env)
    if rss_repos:
        results += _memory(rss_repos, max(1, rss_repos * 3 // 20), concurrency, env)  # 15% as many authors, as above
    return results


def _speed(repos: int, authors: int, latency: float, concurrency: int, naive: bool, env: dict[str, str]) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        hub = FakeHub(latency=latency).start()
        try:
            make_world(folder, hub, repos, authors)
            command = syncer_command(folder, hub, "reports", concurrency)
            reset_quota(hub, ANONYMOUS_QUOTA, 300)
            results.append(scenario("syncer, cold", hub, command, env, repos))
            reset_quota(hub, ANONYMOUS_QUOTA, 300)
            results.append(scenario("syncer, warm, nothing changed", hub, command, env, repos))
            for repo_id in random.Random(0).sample(sorted(hub.repos), repos // 10):
                hub.commit(repo_id)
            reset_quota(hub, ANONYMOUS_QUOTA, 300)
            results.append(scenario("syncer, warm, 10% changed", hub, command, env, repos))
            reset_quota(hub, {"api": 50, "resolvers": 3000}, 10)
            results.append(
                scenario("syncer, cold, tight quota", hub, syncer_command(folder, hub, "reports-tight", concurrency), env, repos,
                         "quota 50 API requests per 10 s")
            )  # fmt: skip
            if naive:
                hub.quota.clear()
                naive_command = [sys.executable, str(PROJECT / "benchmarks" / "naive.py"), str(folder / "mapping.yaml"), hub.url]
                results.append(
                    scenario("naive baseline", hub, naive_command, env, repos, "no quota enforced: it would fail at request 501")
                )
        finally:
            hub.stop()
    return results


def _quota(repos: int, authors: int, latency: float, concurrency: int, env: dict[str, str]) -> list[Result]:
    """Both buckets enforced with short windows: fresh, then partly used by another client."""
    results = []
    shape = f"api {QUOTA['api']} + resolvers {QUOTA['resolvers']} per {QUOTA_WINDOW:g} s"
    for name, used in (("quota, two buckets", {}), ("quota, window partly used", PARTLY_USED)):
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            hub = FakeHub(latency=latency).start()
            try:
                make_world(folder, hub, repos, authors)
                for bucket, limit in QUOTA.items():
                    hub.limit(bucket, limit, QUOTA_WINDOW, used=used.get(bucket, 0))
                note = f"quota {shape}" + (f"; {used['api']} API and {used['resolvers']} resolver spent at start" if used else "")
                command = syncer_command(folder, hub, "reports", concurrency)
                result = scenario(name, hub, command, env, repos, note, used)
                reported = _reported_with_layers(folder / "reports" / "latest.json")
                result.note += f"; {reported}/{repos} repos reported with layers"
                results.append(result)
            finally:
                hub.stop()
    return results


def _reported_with_layers(path: Path) -> int:
    report = json.loads(path.read_text(encoding="utf-8"))
    return sum(1 for entry in report["entries"] for repo in entry["repos"] if repo["layers"] is not None)


def _memory(repos: int, authors: int, concurrency: int, env: dict[str, str]) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        hub = FakeHub().start()
        try:
            make_world(folder, hub, repos, authors)
            command = syncer_command(folder, hub, "reports", concurrency)
            results.append(scenario("syncer, cold, memory", hub, command, env, repos, "no latency"))
            results.append(scenario("syncer, warm, memory", hub, command, env, repos, "no latency; nothing changed"))
        finally:
            hub.stop()
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| scenario | repos | wall s | floor s | wall/floor | API req/repo | resolver req/repo | 429s | peak RSS MB | exit "
        "| note |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        floor = f"{r.floor:g} | {r.seconds / r.floor:.2f}" if r.floor else " | "
        lines.append(
            f"| {r.scenario} | {r.repos:,} | {r.seconds} | {floor} | {r.api / r.repos:.3f} | {r.resolvers / r.repos:.3f} "
            f"| {r.rate_limited} | {r.peak_rss_mb} | {r.exit_code} | {r.note} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repos", type=int, default=1000, help="repos for the speed runs; 0 to skip")
    parser.add_argument("--authors", type=int, default=150)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per request at the fake Hub")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--rss-repos", type=int, default=10_000, help="repos for the memory runs; 0 to skip")
    parser.add_argument("--quota-repos", type=int, default=300, help="repos for the quota runs; 0 to skip")
    parser.add_argument("--quota-authors", type=int, default=40)
    parser.add_argument("--no-naive", action="store_true", help="skip the (slow) naive baseline")
    parser.add_argument("--output", type=Path, help="also write the results table to this file")
    args = parser.parse_args()
    results = benchmark(args.repos, args.authors, args.latency, args.concurrency, not args.no_naive, args.rss_repos,
                        args.quota_repos, args.quota_authors)  # fmt: skip
    text = table(results)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
