"""Benchmark: how the commands that need no Hub scale with the catalog, and how fast syncer starts.

    python -m benchmarks.scale                        # 1k, 10k and 50k entries
    python -m benchmarks.scale --sizes 1000 10000     # a quicker look

For each size N: a synthetic catalog of N entries (one pipe table, the style of
benchmarks/bench.py) and its mapping, one repo per entry over N/10 authors. Each command
runs as a child process, `--runs` times (median taken); wall time and the child's own peak
RSS (ru_maxrss from wait4). The ratio of the largest size to the one before it is printed
for each command: linear work gives the ratio of the sizes (5 for 50k/10k).

Start-up: `syncer --version` and `syncer claims` on a five-entry document, with the number
of modules `import syncer.cli` loads.
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


def make_catalog(folder: Path, entries: int) -> None:
    authors = max(1, entries // 10)
    rows, mapping = [], {}
    for index in range(entries):
        rows.append(f"| Model {index} | 7B, 4K上下文, 可商用 |")
        mapping[f"model-{index}"] = {"name": f"Model {index}", "repos": [f"author-{index % authors}/model-{index}-7b"]}
    (folder / "catalog.md").write_text("| 模型 | 描述 |\n| --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(json.dumps(mapping), encoding="utf-8")


def commands(folder: Path) -> dict[str, list[str]]:
    syncer = [sys.executable, "-m", "syncer"]
    inputs = ["--catalog", str(folder / "catalog.md"), "--mappings", str(folder / "mapping.yaml")]
    return {
        "check": [*syncer, "check", *inputs],
        "claims --format json": [*syncer, "claims", "--catalog", str(folder / "catalog.md"), "--format", "json"],
        "run --plan": [*syncer, "run", *inputs, "--reports", str(folder / "reports"), "--plan"],
    }


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
            make_catalog(folder, size)
            for name, command in commands(folder).items():
                seconds, peak = measure(command, args.runs if size < 50000 else 1)
                results.setdefault(name, []).append((size, seconds, peak))
                print(f"{name:22} {size:>7,} entries: {seconds:7.2f} s, {peak:7.1f} MB", flush=True)
        small = Path(work) / "small.md"
        small.write_text("| Model | Params |\n| --- | --- |\n" + "".join(f"| M{i} | 7B |\n" for i in range(5)), encoding="utf-8")
        version, _ = measure([sys.executable, "-m", "syncer", "--version"], 5)
        claims, _ = measure([sys.executable, "-m", "syncer", "claims", "--catalog", str(small)], 5)
    print()
    print("| command | " + " | ".join(f"{size:,}" for size in args.sizes) + " | ratio of the last two |")
    print("|---|" + "---|" * (len(args.sizes) + 1))
    for name, rows in results.items():
        cells = [f"{seconds:.2f} s / {peak:.0f} MB" for _, seconds, peak in rows]
        ratio = f"{rows[-1][1] / rows[-2][1]:.2f}" if len(rows) > 1 else "-"
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio} |")
    print(f"\nstart-up: syncer --version {version:.2f} s, claims on 5 entries {claims:.2f} s; "
          f"`import syncer.cli` loads {modules_loaded()} modules")  # fmt: skip


if __name__ == "__main__":
    main()
