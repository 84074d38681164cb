"""Benchmark: do four shards divide the Hub work of one run? Requests counted, not timed.

    python -m benchmarks.shards                     # 10,000 repos over 1,000 authors
    python -m benchmarks.shards --repos 2000 --authors 200

One fake Hub on 127.0.0.1 (benchmarks.bench's world: one entry per repo, ten repos to an
author), one unsharded cold run, then `--shard 1/4` ... `4/4` cold, each its own reports
folder. For each: API requests (`/api/`) and resolver requests (files). The set's API total
over the unsharded run's is the figure the sharding key is for (target <= 1.2), and each
shard's over a quarter of it (target <= 1.2 for every shard).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench import make_world, run_measured, syncer_command  # noqa: E402
from tests.fakehub import FakeHub  # noqa: E402

SHARDS = 4


def requests_of(hub: FakeHub, before: int) -> tuple[int, int]:
    log = hub.log[before:]
    api = sum(1 for _, path, _ in log if path.startswith("/api/"))
    return api, len(log) - api


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repos", type=int, default=10_000)
    parser.add_argument("--authors", type=int, default=1_000)
    args = parser.parse_args()
    env = {**os.environ, "HF_HUB_DISABLE_TELEMETRY": "1", "PYTHONPATH": str(PROJECT)}
    env.pop("HF_TOKEN", None)
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        hub = FakeHub().start()
        make_world(folder, hub, args.repos, args.authors)
        rows = []
        runs = [("unsharded", []), *((f"shard {i}/{SHARDS}", ["--shard", f"{i}/{SHARDS}"]) for i in range(1, SHARDS + 1))]
        for name, extra in runs:
            before = len(hub.log)
            reports = name.replace(" ", "-").replace("/", "-of-")
            code, seconds, _, output = run_measured([*syncer_command(folder, hub, reports, 8), *extra], env)
            if code not in (0, 1):
                raise SystemExit(f"{name} exited {code}:\n{output[-2000:]}")
            rows.append((name, *requests_of(hub, before), seconds))
            print(f"{name:12} API {rows[-1][1]:>6,}  resolvers {rows[-1][2]:>7,}  ({seconds:.1f} s)", flush=True)
        hub.stop()
    single_api = rows[0][1]
    shard_api = [api for _, api, _, _ in rows[1:]]
    print(f"\n{args.repos:,} repos over {args.authors:,} authors: the {SHARDS} shards made {sum(shard_api):,} API requests, "
          f"{sum(shard_api) / single_api:.2f}x the unsharded run's {single_api:,}; the largest shard "
          f"{max(shard_api) / (single_api / SHARDS):.2f}x a quarter of it")  # fmt: skip


if __name__ == "__main__":
    main()
