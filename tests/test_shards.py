"""`run --shard i/N` and `merge`: N runners together produce the report one runner would."""

from __future__ import annotations

import json

import pytest

from syncer.shards import Shard, assign
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


ASSIGNMENTS = [
    # (entries: id -> mapped repos, shards, the entries each shard gets)
    ({"a": ["x/1"], "b": ["x/2"], "c": ["y/1"], "d": ["z/1"]}, 2, [{"a", "b"}, {"c", "d"}]),
    ({"a": ["X/1"], "b": ["x/2"]}, 2, [{"a", "b"}, set()]),  # the Hub's names ignore case
    ({"big": ["x/1", "x/2", "x/3"], "s1": ["y/1"], "s2": ["z/1"], "s3": ["w/1"]}, 2, [{"big"}, {"s1", "s2", "s3"}]),
    ({"u1": [], "u2": [], "m": ["x/1"]}, 3, [{"u1"}, {"u2"}, {"m"}]),  # an entry with no repo goes alone
]


@pytest.mark.parametrize(("entries", "count", "shards"), ASSIGNMENTS, ids=["by-author", "case", "by-repo-count", "unmapped"])
def test_an_authors_entries_stay_in_one_shard_and_shards_balance_by_repo_count(entries, count, shards):
    assigned = assign(entries.items(), count)
    assert [{entry for entry, index in assigned.items() if index == part} for part in range(1, count + 1)] == shards
    assert assign(reversed(list(entries.items())), count) == assigned, "the order of the catalog does not matter"
    for part in range(1, count + 1):
        assert Shard(part, count).entry_ids(entries.items()) == shards[part - 1]


def test_four_shards_make_about_the_requests_of_one_run(run_cli, fake_hub, tmp_path, monkeypatch):
    """Sharding by author: no author is listed by two shards, so the shards' API requests add
    up to those of one run (within 1.2x), and each does about a quarter of them."""
    from tests.fakehub import synthetic_sha

    rows, mapping = [], {}
    for index in range(120):  # 120 entries, 12 authors of 5 to 15 repos (synthetic ids and facts)
        author = f"author-{index % 12}" if index < 96 else f"author-{index % 4}"
        repo_id = f"{author}/model-{index}-7b"
        fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 10, "cardData": {"license": "mit"}}, {})
        rows.append(f"| Model {index} | 7B |")
        mapping[f"model-{index}"] = {"name": f"Model {index}", "repos": [repo_id]}
    (tmp_path / "catalog.md").write_text("| Model | Size |\n| --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(json.dumps(mapping), encoding="utf-8")
    inputs = ["--catalog", str(tmp_path / "catalog.md"), "--mappings", str(tmp_path / "mapping.yaml"), "--endpoint", fake_hub.url]

    def api_requests(*extra: str) -> int:
        """The run's API requests, but its one probe (each job makes one, whatever its work)."""
        before = len(fake_hub.log)
        reports = tmp_path / "r" / "-".join(extra or ("all",)).replace("/", "of")
        result = run_cli("run", *inputs, "--reports", str(reports), *extra)
        assert result.code == 0, result.stderr
        return sum(1 for _, path, _ in fake_hub.log[before:] if path.startswith("/api/") and path != "/api/models?limit=1")

    whole = api_requests()
    shards = [api_requests("--shard", f"{index}/4") for index in range(1, 5)]
    assert sum(shards) <= 1.2 * whole, (whole, shards)
    assert max(shards) <= 1.2 * whole / 4 + 1, (whole, shards)


def test_the_plan_of_each_shard_adds_up_to_about_the_whole_run(run_cli, monkeypatch):
    """`run --plan --shards 4`: what each job of a matrix will ask for, from the mapping alone."""
    monkeypatch.chdir(PROJECT)
    result = run_cli("run", "--plan", "--shards", "4")
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    shards = [line for line in lines if line.startswith("shard ")]
    assert [line.split(":")[0] for line in shards] == [f"shard {index}/4" for index in range(1, 5)]
    repos = [int(line.split(": ")[1].split(" repos")[0]) for line in shards]
    assert sum(repos) == 251 and max(repos) <= 1.2 * 251 / 4
    api = sum(int(line.split("; ")[1].split(" API")[0]) for line in shards)
    whole = int(next(line for line in lines if line.startswith("  api: ")).split(": ")[1].split(" requests")[0])
    assert api <= 1.2 * whole
    assert run_cli("run", "--shards", "4").code == 2, "a run takes --shard I/N"
