"""`run --shard i/N` and `merge`: N runners together produce the report one runner would."""

from __future__ import annotations

import json

import pytest

from syncer.pipeline import Shard
from tests.conftest import PROJECT


def _comparable(report):
    entries = json.loads(json.dumps(report["entries"]))
    for entry in entries:
        for repo in entry["repos"]:
            repo.pop("fetched_at")
        for finding in entry["claims"]:
            finding.pop("fetched_at", None)  # when the evidence was read: each run reads it at its own time
    summary = {k: v for k, v in report["summary"].items() if k != "requests"}
    return entries, summary


def test_three_shards_merge_into_the_single_run_report(run_cli, fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    single = tmp_path / "single"
    assert run_cli("run", "--endpoint", fake_hub.url, "--reports", str(single)).code == 0
    shard_reports = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard-{index}"
        result = run_cli("run", "--endpoint", fake_hub.url, "--reports", str(out), "--shard", f"{index}/3")
        assert result.code == 0, result.stderr
        shard_reports.append(out / "latest.json")
    sizes = [len(json.loads(p.read_text(encoding="utf-8"))["entries"]) for p in shard_reports]
    assert sum(sizes) == 85 and all(size > 10 for size in sizes)

    merged = tmp_path / "merged"
    result = run_cli("merge", *map(str, shard_reports), "--reports", str(merged))
    assert result.code == 0, result.stderr
    one = json.loads((single / "latest.json").read_text(encoding="utf-8"))
    many = json.loads((merged / "latest.json").read_text(encoding="utf-8"))
    assert _comparable(many) == _comparable(one)
    assert list((merged / "snapshots").glob("*.json"))
    # The merged run is one line of history, with every shard's downloads; shards append none.
    assert not any((path.parent / "history.jsonl").exists() for path in shard_reports)
    single_line, merged_lines = (
        [json.loads(line) for line in (folder / "history.jsonl").read_text(encoding="utf-8").splitlines()]
        for folder in (single, merged)
    )
    assert len(merged_lines) == 1 and merged_lines[0]["downloads"] == single_line[0]["downloads"] != {}


def test_merging_a_shard_twice_is_refused(run_cli, fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    out = tmp_path / "shard"
    assert run_cli("run", "--endpoint", fake_hub.url, "--reports", str(out), "--shard", "1/4").code == 0
    result = run_cli("merge", str(out / "latest.json"), str(out / "latest.json"), "--reports", str(tmp_path / "m"))
    assert result.code == 2 and "shard 1/4 is given twice" in result.stderr


def test_an_incomplete_set_of_shards_is_refused_unless_allowed(run_cli, fake_hub, tmp_path, monkeypatch):
    """One shard of two would silently drop half the entries: refused, exit 2, reports untouched."""
    monkeypatch.chdir(PROJECT)
    out = tmp_path / "shard"
    assert run_cli("run", "--endpoint", fake_hub.url, "--reports", str(out), "--shard", "1/2").code == 0
    merged = tmp_path / "merged"
    result = run_cli("merge", str(out / "latest.json"), "--reports", str(merged))
    assert result.code == 2
    assert result.stderr.strip() == "error: incomplete shard set: missing 2/2; merge all 2, or pass --allow-incomplete"
    assert not merged.exists()
    allowed = run_cli("merge", str(out / "latest.json"), "--reports", str(merged), "--allow-incomplete")
    assert allowed.code == 0, allowed.stderr
    single = run_cli("run", "--endpoint", fake_hub.url, "--reports", str(tmp_path / "single"), "--only", "GROK")
    assert single.code == 0
    not_a_shard = run_cli("merge", str(tmp_path / "single" / "latest.json"), "--reports", str(merged))
    assert not_a_shard.code == 2 and "not the snapshot of a `syncer run --shard I/N`" in not_a_shard.stderr


@pytest.mark.parametrize("text", ["0/3", "4/3", "1", "a/b", "1/0", ""])
def test_bad_shards_are_refused(text):
    with pytest.raises(ValueError):
        Shard.parse(text)


def test_a_bad_shard_flag_is_a_usage_error(run_cli, monkeypatch):
    monkeypatch.chdir(PROJECT)
    result = run_cli("run", "--shard", "5/4", "--endpoint", "http://127.0.0.1:9")
    assert result.code == 2 and "not a shard" in result.stderr
