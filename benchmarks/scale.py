"""Benchmark: how the commands that need no Hub scale with the catalog, and how fast syncer starts.

    python -m benchmarks.scale                        # 1k, 10k and 50k entries
    python -m benchmarks.scale --sizes 1000 10000     # a quicker look

For each size N: a synthetic catalog of N entries (one pipe table, the style of
benchmarks/bench.py) and its mapping, one repo per entry over N/10 authors. Each command
runs as a child process, `--runs` times (median taken); wall time and the child's own peak
RSS (ru_maxrss from wait4). The ratio of the largest size to the one before it is printed
for each command: linear work gives the ratio of the sizes (5 for 50k/10k).

`suggest` runs with the last 500 entries left out of the mapping, against a fake Hub on
127.0.0.1 that holds only their 500 repos: its 500 searches cost the same at every size, so
the ratio is syncer's own.

Start-up: `syncer --version` and `syncer claims` on a five-entry document, each paired run
by run with `hf --help` (huggingface_hub's own CLI: a command that imports the Hub client),
and the number of modules `import syncer.cli` loads.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.bench import run_measured  # noqa: E402
from tests.fakehub import FakeHub, synthetic_sha  # noqa: E402

UNMAPPED = 500  # entries `suggest` looks for


def make_catalog(folder: Path, entries: int, hub: FakeHub) -> None:
    """The catalog, its whole mapping, and a mapping without the last UNMAPPED entries, whose
    repos `hub` holds."""
    authors = max(1, entries // 10)
    rows, mapping = [], {}
    for index in range(entries):
        repo_id = f"author-{index % authors}/model-{index}-7b"
        rows.append(f"| Model {index} | 7B, 4K上下文, 可商用 |")
        mapping[f"model-{index}"] = {"name": f"Model {index}", "repos": [repo_id]}
        if index >= entries - UNMAPPED:
            hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 1000 + index, "cardData": {"license": "mit"}})
    (folder / "catalog.md").write_text("| 模型 | 描述 |\n| --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(json.dumps(mapping), encoding="utf-8")
    partial = dict(list(mapping.items())[: entries - UNMAPPED])
    (folder / "partial.yaml").write_text(json.dumps(partial), encoding="utf-8")


def commands(folder: Path, hub: FakeHub) -> dict[str, list[str]]:
    syncer = [sys.executable, "-m", "syncer"]
    inputs = ["--catalog", str(folder / "catalog.md"), "--mappings", str(folder / "mapping.yaml")]
    return {
        "check": [*syncer, "check", *inputs],
        "claims --format json": [*syncer, "claims", "--catalog", str(folder / "catalog.md"), "--format", "json"],
        "run --plan": [*syncer, "run", *inputs, "--reports", str(folder / "reports"), "--plan"],
        f"suggest ({UNMAPPED} unmapped)": [*syncer, "suggest", "--catalog", str(folder / "catalog.md"),
                                           "--mappings", str(folder / "partial.yaml"), "--endpoint", hub.url],
    }  # fmt: skip


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """Median wall seconds and peak RSS (MB) over `runs` runs; a failing command stops the benchmark."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), "HF_HUB_DISABLE_TELEMETRY": "1"}
    timings, peaks = [], []
    for _ in range(runs):
        code, seconds, peak, output = run_measured(command, env)
        if code != 0:
            raise SystemExit(f"{' '.join(command)} exited {code}:\n{output[-2000:]}")
        timings.append(seconds)
        peaks.append(peak)
    return statistics.median(timings), max(peaks)


def paired(command: list[str], yardstick: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of `command`, of `yardstick`, and of their ratio taken run by run (A B A B ...:
    a drift in the machine's speed moves both of a pair)."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PROJECT), "HF_HUB_DISABLE_TELEMETRY": "1"}
    mine, theirs, ratios = [], [], []
    for _ in range(runs):
        a, b = run_measured(command, env)[1], run_measured(yardstick, env)[1]
        mine.append(a)
        theirs.append(b)
        ratios.append(a / b)
    return statistics.median(mine), statistics.median(theirs), statistics.median(ratios)


def modules_loaded() -> int:
    code = "import sys, syncer.cli; print(len(sys.modules))"
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[tuple[int, float, float]]] = {}
    with tempfile.TemporaryDirectory() as work:
        for size in args.sizes:
            folder = Path(work) / str(size)
            folder.mkdir()
            hub = FakeHub().start()
            make_catalog(folder, size, hub)
            for name, command in commands(folder, hub).items():
                seconds, peak = measure(command, args.runs if size < 50000 else 1)
                results.setdefault(name, []).append((size, seconds, peak))
                print(f"{name:22} {size:>7,} entries: {seconds:7.2f} s, {peak:7.1f} MB", flush=True)
            hub.stop()
        small = Path(work) / "small.md"
        small.write_text("| Model | Params |\n| --- | --- |\n" + "".join(f"| M{i} | 7B |\n" for i in range(5)), encoding="utf-8")
        hf = [str(Path(sys.executable).parent / "hf"), "--help"]
        version = paired([sys.executable, "-m", "syncer", "--version"], hf, 15)
        claims = paired([sys.executable, "-m", "syncer", "claims", "--catalog", str(small)], hf, 15)
    print()
    print("| command | " + " | ".join(f"{size:,}" for size in args.sizes) + " | ratio of the last two |")
    print("|---|" + "---|" * (len(args.sizes) + 1))
    for name, rows in results.items():
        cells = [f"{seconds:.2f} s / {peak:.0f} MB" for _, seconds, peak in rows]
        ratio = f"{rows[-1][1] / rows[-2][1]:.2f}" if len(rows) > 1 else "-"
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
    print(f"\nstart-up (medians of 15 pairs with hf --help at {claims[1]:.2f} s): syncer --version {version[0]:.2f} s "
          f"({version[2]:.2f}x), claims on 5 entries {claims[0]:.2f} s ({claims[2]:.2f}x); "
          f"`import syncer.cli` loads {modules_loaded()} modules")  # fmt: skip


if __name__ == "__main__":
    main()
