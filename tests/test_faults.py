"""The fault suite: a Hub that misbehaves, a process that dies, input that attacks.

Whatever happens, every mapped repo appears in the report with a status, nothing is
silently dropped, and the previous reports survive a run that cannot finish.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import PROJECT
from tests.fakehub import synthetic_sha

AUTHORS = 8
REPOS_PER_AUTHOR = 5


def synthetic_world(hub, folder, entries=20):
    """A catalog and mapping of `entries` entries over synthetic repos (made-up ids and facts)."""
    rows, mapping = [], {}
    for index in range(entries):
        repos = [f"author-{(index + k) % AUTHORS}/model-{index}-{k}-7b" for k in range(2)]
        for repo_id in repos:
            config = {"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 4096}
            hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 100 + index, "likes": 1, "gated": False,
                              "cardData": {"license": "apache-2.0"}, "tags": ["license:apache-2.0"]},
                    {"config.json": json.dumps(config).encode()})  # fmt: skip
        rows.append(f"| Model {index} | 7B, 4K context, 可商用 |")
        mapping[f"model-{index}"] = {"name": f"Model {index}", "repos": repos}
    (folder / "catalog.md").write_text("| Model | Description |\n| --- | --- |\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(json.dumps(mapping), encoding="utf-8")
    return sum(len(m["repos"]) for m in mapping.values())


@pytest.fixture
def world(fake_hub, tmp_path, monkeypatch):
    monkeypatch.setattr("syncer.hub.client.time.sleep", lambda seconds: None)
    monkeypatch.setattr("huggingface_hub.utils._http.time.sleep", lambda seconds: None)
    count = synthetic_world(fake_hub, tmp_path)

    def run(run_cli, *extra):
        return run_cli("run", "--catalog", str(tmp_path / "catalog.md"), "--mappings", str(tmp_path / "mapping.yaml"),
                       "--endpoint", fake_hub.url, "--reports", str(tmp_path / "reports"), "--timeout", "1", *extra)  # fmt: skip

    return fake_hub, tmp_path, count, run


def _repos(folder):
    report = json.loads((folder / "reports" / "latest.json").read_text(encoding="utf-8"))
    return [repo for entry in report["entries"] for repo in entry["repos"]]


def test_twenty_percent_faults_lose_nothing(world, run_cli):
    hub, folder, count, run = world
    hub.chaos(0.2, ["503", "reset", "slow:1.5", "truncate", "malformed"], seed=7)
    result = run(run_cli)
    assert result.code == 0, result.stderr
    repos = _repos(folder)
    assert len(repos) == count, "every mapped repo appears in the report"
    statuses = {repo["status"] for repo in repos}
    assert statuses <= {"ok", "error"}
    assert sum(repo["status"] == "ok" for repo in repos) >= count * 0.9, "retries recover almost every repo"
    assert all(repo["error"] for repo in repos if repo["status"] == "error")
    faults = sum(1 for _, _, status in hub.log if status != 200)
    assert faults > 0


def test_a_429_storm_is_waited_out(world, run_cli, monkeypatch):
    hub, folder, count, run = world
    monkeypatch.undo()  # real waits: the pacer and the retries honour the advertised reset
    hub.chaos(0.25, ["429"], seed=3)
    result = run(run_cli)
    assert result.code == 0, result.stderr
    assert [repo["status"] for repo in _repos(folder)] == ["ok"] * count
    assert hub.statuses(429) > 5


def test_a_dead_process_leaves_the_previous_reports_whole(world, run_cli, tmp_path):
    _hub, folder, _count, run = world
    assert run(run_cli).code == 0
    reports = folder / "reports"
    before = {p.name: p.read_bytes() for p in reports.iterdir() if p.is_file() and not p.name.startswith(".")}
    # Kill the process the moment it flushes the new latest.json to disk.
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(PROJECT)!r})
        import syncer.writer as writer
        from syncer.formats.report_json import parse_report
        report = parse_report(open({str(reports / "latest.json")!r}, encoding="utf-8").read())
        report = report.model_copy(update={{"generated_at": "2099-01-01T00:00:00Z"}})
        real_fsync = os.fsync
        def die(fd):
            real_fsync(fd)
            os.kill(os.getpid(), signal.SIGKILL)
        writer.os.fsync = die
        writer.write_reports(report, writer.Path({str(reports)!r}), snapshot=False)
    """)
    killed = subprocess.run([sys.executable, "-c", script], check=False)
    assert killed.returncode == -signal.SIGKILL
    after = {p.name: p.read_bytes() for p in reports.iterdir() if p.is_file() and not p.name.startswith(".")}
    assert after == before, "latest.json and latest.md are the previous ones, whole"
    assert run(run_cli).code == 0
    debris = [p.name for p in reports.iterdir() if p.name.startswith(".") and p.name != ".syncer.lock"]
    assert debris == [], "the next run clears the debris (the lock file stays: it is only ever locked)"


def test_hostile_text_from_the_hub_is_escaped(world, run_cli):
    hub, folder, _count, run = world
    for repo_id in ("author-0/model-0-0-7b", "author-1/model-0-1-7b"):
        hub.repos[repo_id]["info"]["cardData"] = {"license": "other", "license_name": "<img src=x onerror=alert(1)>|`x`"}
    assert run(run_cli).code == 0
    markdown = (folder / "reports" / "latest.md").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;\\|\\`x\\`" in markdown
    assert "<img" not in markdown


def test_a_ten_megabyte_document(tmp_path, run_cli):
    prose = "大模型学习资料，免费领取！ " * 40 + "\n"
    table = "| 模型 | 描述 |\n| --- | --- |\n" + "".join(f"| M{i} | 7B，可商用 |\n" for i in range(50))
    huge_cell = "| Giant | " + "基于Llama2微调，超越13B的Llama2，alpaca52K数据，" * 50_000 + " |\n"
    document = tmp_path / "big.md"
    with document.open("w", encoding="utf-8") as file:
        file.write(table + huge_cell)
        while file.tell() < 10_000_000:
            file.write(prose)
    result = run_cli("claims", "--catalog", str(document), "--format", "json")
    assert result.code == 0, result.stderr
    entries = json.loads(result.stdout)
    assert len(entries) == 51
    assert "claims read from the first 2,000" in result.stderr


def test_repo_ids_that_are_paths_or_urls_never_reach_the_network(fake_hub, tmp_path, run_cli):
    (tmp_path / "c.md").write_text("| Model |\n| --- |\n| A |\n| B |\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(
        "a:\n  name: A\n  repos: [../../etc/passwd]\nb:\n  name: B\n  repos: ['https://evil.example/x/y']\n", encoding="utf-8"
    )
    result = run_cli("run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"),
                     "--endpoint", fake_hub.url, "--reports", str(tmp_path / "r"))  # fmt: skip
    assert result.code == 2
    assert result.stderr.count("invalid repo id") == 2
    assert fake_hub.log == [] and not (tmp_path / "r").exists()


POISON = [
    # (what, the repo's API answer, its config.json, the field that must be null, or the status)
    ("downloads as words", {"downloads": "lots"}, None, "downloads"),
    ("a 400-digit download count", {"downloads": int("9" * 400)}, None, "downloads"),
    ("a sha that is a number", {"sha": 12345}, None, "sha"),
    ("gated as an object", {"gated": {}}, None, "gated"),
    ("a licence of control characters only", {"cardData": {"license": "\x00\x1b\u202e"}}, None, "license"),
    ("a NaN rope factor", {}, b'{"model_type":"llama","num_hidden_layers":32,"max_position_embeddings":4096,'
                              b'"rope_scaling":{"type":"linear","factor":NaN}}', "rope_scaling.factor"),
    ("a 400-digit window", {}, b'{"model_type":"llama","num_hidden_layers":1e400,"max_position_embeddings":'
                               + b"9" * 400 + b"}", "context_length"),
    ("a date that is no date", {"lastModified": "not a date"}, None, "last_modified"),
    ("card data that is a list", {"cardData": ["mit"]}, None, "license"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "info", "config", "null"), POISON, ids=[case[0] for case in POISON])
def test_a_poisoned_value_is_null_with_a_reason_and_the_run_goes_on(run_cli, fake_hub, tmp_path, monkeypatch,
                                                                    what, info, config, null):  # fmt: skip
    monkeypatch.chdir(tmp_path)
    synthetic_world(fake_hub, tmp_path, entries=1)
    poisoned = "author-0/model-0-0-7b"
    base = {"sha": synthetic_sha(poisoned), "downloads": 5, "gated": False, "cardData": {"license": "mit"}}
    fake_hub.add(poisoned, {**base, **info}, {"config.json": config} if config else {})
    result = run_cli("run", "--endpoint", fake_hub.url, "--catalog", "catalog.md", "--mappings", "mapping.yaml")
    assert result.code == 0, result.stderr
    assert "Traceback" not in result.stderr
    text = (tmp_path / "reports" / "latest.json").read_text(encoding="utf-8")
    report = json.loads(text, parse_constant=lambda constant: pytest.fail(f"non-strict JSON: {constant}"))
    repos = {repo["requested_id"]: repo for entry in report["entries"] for repo in entry["repos"]}
    assert repos["author-1/model-0-1-7b"]["status"] == "ok", "its healthy neighbour was read"
    repo = repos[poisoned]
    if null.startswith("status:"):
        assert repo["status"] == null.split(":")[1] and repo["error"]
    elif "." in null:
        outer, inner = null.split(".")
        assert repo[outer][inner] is None
    else:
        assert repo[null] is None and (null in repo["unknown"] or null == "context_length")


@pytest.mark.parametrize(("signal_number", "code", "word"), [(signal.SIGINT, 130, "interrupted"),
                                                              (signal.SIGTERM, 143, "terminated")])  # fmt: skip
def test_an_interrupted_run_stops_within_two_seconds_and_keeps_the_reports(fake_hub, tmp_path, signal_number, code, word):
    """Every request of the second run hangs for 20 s; the signal ends it anyway, at once."""
    synthetic_world(fake_hub, tmp_path)
    args = [sys.executable, "-m", "syncer", "run", "--catalog", "catalog.md", "--mappings", "mapping.yaml",
            "--endpoint", fake_hub.url]  # fmt: skip
    assert subprocess.run(args, cwd=tmp_path, capture_output=True, check=False).returncode == 0
    before = {path: path.read_bytes() for path in (tmp_path / "reports").rglob("*") if path.is_file()}
    for repo_id in list(fake_hub.repos):
        fake_hub.fail(f"/api/models/{repo_id}", "slow:20", times=99)
        fake_hub.fail(f"/api/models?author={repo_id.split('/')[0]}", "slow:20", times=99)
    answered = len(fake_hub.log)
    process = subprocess.Popen(args, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Until the probe has answered (on a loaded machine start-up alone can take seconds), then a
    # moment for the repos' requests to be in flight.
    deadline = time.monotonic() + 30
    while len(fake_hub.log) == answered and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(fake_hub.log) > answered, "the run asked the Hub something"
    time.sleep(0.5)
    sent = time.monotonic()
    process.send_signal(signal_number)
    _, stderr = process.communicate(timeout=10)
    assert time.monotonic() - sent < 2.0
    assert process.returncode == code
    assert stderr.strip().splitlines()[-1] == f"{word}; reports left as they were"
    assert "Traceback" not in stderr
    assert {path: path.read_bytes() for path in (tmp_path / "reports").rglob("*") if path.is_file()} == before


def test_off_a_terminal_progress_lines_come(world, run_cli, monkeypatch):
    """A CI log sees a line every PROGRESS_EVERY seconds, as the bar is not drawn there."""
    hub, _, _, run = world
    # Short: `slow:` faults do not slow this world (its time.sleep is patched away), and a
    # run over a fake Hub that answers without delay takes well under a second.
    monkeypatch.setattr("syncer.console.PROGRESS_EVERY", 0.01)
    for repo_id in list(hub.repos)[:6]:
        hub.fail(f"/api/models/{repo_id}", "slow:0.5", times=1)
    result = run(run_cli)
    assert result.code == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("progress: ")]
    assert progress and all(" repos; requests: " in line for line in progress)
    assert any(not line.startswith("progress: 0/") for line in progress), "repos done are counted off a terminal too"


def test_a_wait_is_said_before_it_starts(capsys):
    from syncer.app import _told_before
    from syncer.console import StderrListener

    slept = []
    sleep = _told_before(StderrListener().waiting, slept.append)
    sleep(0.5)
    sleep(61)
    assert slept == [0.5, 61]
    assert capsys.readouterr().err == "waiting 61s for the Hub (rate limit or retry backoff)\n"
