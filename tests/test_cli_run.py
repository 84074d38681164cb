"""`syncer run` and `syncer report` end to end: the seed catalog and mapping against the fake Hub."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import stat
import subprocess
import time

import pytest

from tests.conftest import PROJECT

TOKEN = "hf_TESTTOKENdoNotLeak1234567890"


@pytest.fixture
def seed_hub(fake_hub):
    # The ChatGLM fixtures were read under THUDM/, which the Hub has since renamed to zai-org/.
    for name in ("chatglm-6b", "chatglm2-6b", "chatglm3-6b-32k"):
        fake_hub.rename(f"THUDM/{name}", f"zai-org/{name}")
    return fake_hub


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    monkeypatch.setattr("syncer.hub.client.time.sleep", lambda seconds: None)  # retries wait in no time
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    return tmp_path


def run(run_cli, hub, reports, *extra):
    return run_cli("run", "--endpoint", hub.url, "--reports", str(reports), *extra)


def findings(report, entry_id):
    entry = next(e for e in report["entries"] if e["id"] == entry_id)
    return {(f["kind"], json.dumps(f["claimed"], ensure_ascii=False)): f for f in entry["claims"]}


def test_the_seed_end_to_end(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    result = run(run_cli, seed_hub, reports)
    assert result.code == 0, result.stderr
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert list(report) == [
        "schema_version", "generated_at", "endpoint", "summary", "entries", "changes", "largest_seen", "listings",
    ]  # fmt: skip
    assert len(report["entries"]) == 85
    config_answers = [status for _, path, status in seed_hub.log if "/resolve/" in path]
    assert config_answers and set(config_answers) == {200}, (
        "no config.json asked of a repo whose files show none, nor of a gated repo without a token"
    )
    repos = [repo for entry in report["entries"] for repo in entry["repos"]]
    assert len(repos) == 251, "every mapped repo appears in the report"
    assert all(repo["status"] in {"ok", "not_found", "gated", "moved", "disabled", "error"} for repo in repos)
    assert report["summary"]["mapped"] == 76 and report["summary"]["not_on_hub"] == 9
    assert sum(report["summary"]["claims"].values()) == 141  # OpenChatKit: `6B审核模型` is no size of its own

    assert findings(report, "chatglm2")[("context_length", "32000")]["verdict"] == "confirmed"
    dolly = findings(report, "dolly-v2")["base_model", '"gpt-j"']
    # dolly-v2-12b is gpt_neox, but the fake Hub has no dolly-v2-3b or -7b: they decide nothing
    assert dolly["verdict"] == "unverifiable" and "databricks/dolly-v2-3b (not_found" in dolly["reason"]
    assert findings(report, "mpt")[("context_length", "84000")]["verdict"] == "partial"
    assert findings(report, "xverse-2")[("parameters", "13000000000")]["verdict"] == "confirmed"
    assert findings(report, "gemma")[("license", '"commercial"')]["verdict"] == "partial"
    assert findings(report, "grok")[("parameters", "314000000000")]["verdict"] == "unverifiable"
    assert findings(report, "metalm") == {}

    snapshots = list((reports / "snapshots").glob("*.json"))
    latest = (reports / "latest.json").read_text(encoding="utf-8")
    assert len(snapshots) == 1 and snapshots[0].read_text(encoding="utf-8") == latest
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert markdown.startswith("# syncer report\n\nData fetched **")
    contradicted = next(e for e in report["entries"] if any(f["verdict"] == "contradicted" for f in e["claims"]))
    assert f"### {contradicted['name']} — `catalog/open-llm-roundup.zh.md:{contradicted['line']}`" in markdown
    assert "repos: " in result.stderr and "report: " in result.stderr


def _without_generation_time(path):
    return [line for line in path.read_text(encoding="utf-8").splitlines() if '"generated_at":' not in line]


def test_a_rerun_on_an_unchanged_hub_rewrites_the_report_identically(run_cli, seed_hub, workdir):
    """No fetch times, request counts or history points churn the committed report."""
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    first = _without_generation_time(reports / "latest.json")
    before = len(seed_hub.log)
    assert run(run_cli, seed_hub, reports, "--fail-on", "changed").code == 0
    assert [path for _, path, _ in seed_hub.log[before:] if "/resolve/" in path] == [], "no config.json read again"
    assert _without_generation_time(reports / "latest.json") == first
    assert "## Changes since the last run\n\nNone." in (reports / "latest.md").read_text(encoding="utf-8")


def test_drifting_downloads_are_a_trend_never_a_change(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    first_history = (reports / "history.jsonl").read_bytes()
    for repo in seed_hub.repos.values():
        repo["info"]["downloads"] += 1000
    assert run(run_cli, seed_hub, reports, "--fail-on", "changed").code == 0
    assert (reports / "history.jsonl").read_bytes().startswith(first_history), "appended, never rewritten"
    second = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert second["changes"] == []
    runs = [json.loads(line) for line in (reports / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [run["downloads"]["xverse/XVERSE-13B"] for run in runs] == [
        runs[0]["downloads"]["xverse/XVERSE-13B"], runs[0]["downloads"]["xverse/XVERSE-13B"] + 1000
    ], "one line per run, each with the count it read"
    trends = (reports / "latest.md").read_text(encoding="utf-8").split("## Downloads over the stored runs")[1]
    assert "[xverse/XVERSE-13B]" in trends.split("##")[0], "the trend gained a point"


def test_a_licence_flip_is_a_verdict_change_and_fails_on_changed(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    info = seed_hub.repos["google/gemma-7b"]["info"]
    info["cardData"] = {**info["cardData"], "license": "apache-2.0"}
    info["tags"] = ["license:apache-2.0"]
    result = run(run_cli, seed_hub, reports, "--fail-on", "changed")
    assert result.code == 1, result.stderr
    changes = json.loads((reports / "latest.json").read_text(encoding="utf-8"))["changes"]
    assert changes[0] == {
        "kind": "verdict", "entry": "gemma", "claim": "免费商用", "repo_id": "google/gemma-7b", "field": "license",
        "old": "partial", "new": "confirmed", "reason": "1 repo(s) under apache-2.0",
    }  # fmt: skip
    assert {"kind": "fact", "entry": "gemma", "repo_id": "google/gemma-7b", "field": "license",
            "old": "gemma", "new": "apache-2.0"} in changes  # fmt: skip


def test_report_rerenders_a_snapshot_identically(run_cli, seed_hub, workdir):
    reports, again = workdir / "reports", workdir / "again"
    assert run(run_cli, seed_hub, reports).code == 0
    snapshot = next((reports / "snapshots").glob("*.json"))
    result = run_cli("report", "--snapshot", str(snapshot), "--reports", str(again))
    assert result.code == 0, result.stderr
    for name in ("latest.md", "latest.json"):
        assert (again / name).read_bytes() == (reports / name).read_bytes()


def test_report_does_not_overwrite_newer_reports_with_an_old_snapshot(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports, "--only", "GROK").code == 0
    old = next((reports / "snapshots").glob("*.json"))
    stored = json.loads(old.read_text(encoding="utf-8"))
    stored["generated_at"] = "2020-01-01T00:00:00Z"
    old.write_text(json.dumps(stored, ensure_ascii=False), encoding="utf-8")
    newer = json.loads((reports / "latest.json").read_text(encoding="utf-8"))["generated_at"]
    before = (reports / "latest.json").read_bytes()
    refused = run_cli("report", "--snapshot", str(old), "--reports", str(reports))
    assert refused.code == 2 and (reports / "latest.json").read_bytes() == before
    assert f"is from {newer}, newer than the snapshot (2020-01-01T00:00:00Z); pass --force" in refused.stderr
    forced = run_cli("report", "--snapshot", str(old), "--reports", str(reports), "--force")
    assert forced.code == 0, forced.stderr
    assert f"(snapshot of 2020-01-01T00:00:00Z); replaced the reports of {newer}" in forced.stderr
    elsewhere = run_cli("report", "--snapshot", str(old), "--reports", str(workdir / "elsewhere"))
    assert elsewhere.code == 0 and "replaced" not in elsewhere.stderr


def test_the_token_is_sent_but_never_shown(run_cli, seed_hub, workdir, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    seed_hub.fail("/api/models/xai-org/grok-1", "503", times=99)  # an error path too
    reports = workdir / "reports"
    result = run(run_cli, seed_hub, reports)
    assert result.code == 0
    sent = [{k.lower(): v for k, v in headers.items()}.get("authorization") for headers in seed_hub.headers_seen]
    assert f"Bearer {TOKEN}" in sent
    assert TOKEN not in result.stdout + result.stderr
    for path in reports.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8"), path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_hub_that_is_down_fails_loudly_and_keeps_the_last_reports(run_cli, seed_hub, workdir, monkeypatch):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    before = {path: path.read_bytes() for path in reports.rglob("*") if path.is_file()}
    monkeypatch.setattr("syncer.hub.client.DEFAULT_ATTEMPTS", 1)
    endpoint = f"http://127.0.0.1:{_closed_port()}"
    result = run_cli("run", "--endpoint", endpoint, "--reports", str(reports), "--only", "GROK")
    result.endpoint = endpoint
    assert result.code == 3
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: cannot reach the Hub at {result.endpoint}: the connection was refused; previous reports left as they were"
    )
    assert {path: path.read_bytes() for path in reports.rglob("*") if path.is_file()} == before


def test_reports_that_cannot_be_written_exit_3_before_any_request(run_cli, seed_hub, workdir):
    blocked = workdir / "not-a-folder"
    blocked.write_text("a file where the reports folder should be", encoding="utf-8")
    result = run(run_cli, seed_hub, blocked)
    assert result.code == 3
    assert "reports folder is not writable" in result.stderr
    assert seed_hub.log == []


@pytest.mark.parametrize(
    ("fail_on", "code", "line"),
    [
        ("never", 0, None),
        ("contradicted", 1, r"fail-on contradicted: \d+ claims? contradicted \(first: [\w-]+: .+\)"),
        ("errors", 1, r"fail-on errors: \d+ repos? not read \(first: [\w-]+: \S+/\S+ \w+\)"),
    ],
)
def test_fail_on(run_cli, seed_hub, workdir, fail_on, code, line):
    """Exit 1 says in one line which findings breached --fail-on, and names the first."""
    result = run(run_cli, seed_hub, workdir / "reports", "--fail-on", fail_on)
    assert result.code == code
    said = [text for text in result.stderr.splitlines() if text.startswith("fail-on")]
    assert (said == []) if line is None else (len(said) == 1 and re.fullmatch(line, said[0])), result.stderr


def test_fail_on_changed(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports, "--only", "XVERSE", "--fail-on", "changed").code == 0  # first run: nothing to compare
    assert run(run_cli, seed_hub, reports, "--only", "XVERSE", "--fail-on", "changed").code == 0
    seed_hub.commit("xverse/XVERSE-13B")
    assert run(run_cli, seed_hub, reports, "--only", "XVERSE", "--fail-on", "changed").code == 1


def test_only_limits_the_run_to_named_entries(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports, "--only", "GROK", "--only", "yi").code == 0
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in report["entries"]] == ["grok", "yi"]
    assert run(run_cli, seed_hub, reports, "--only", "nothing-like-this").code == 2


def test_a_bad_mapping_stops_the_run_before_any_request(run_cli, seed_hub, workdir):
    mappings = workdir / "mappings.yaml"
    mappings.write_text("grok:\n  name: Grok\n  repos: [../../etc]\n", encoding="utf-8")
    result = run(run_cli, seed_hub, workdir / "reports", "--mappings", str(mappings))
    assert result.code == 2
    assert "invalid repo id '../../etc'" in result.stderr
    assert seed_hub.log == []


def test_the_suggested_patch_turns_qwens_70b_into_72b_and_git_applies_it(run_cli, seed_hub, workdir):
    for size in ("14B", "72B"):  # the fake Hub serves only Qwen-7B by default; names carry their sizes
        seed_hub.add(f"Qwen/Qwen-{size}", {"sha": f"{size[:2]:0>40}", "downloads": 1})
    reports = workdir / "reports"
    result = run(run_cli, seed_hub, reports, "--only", "Qwen1-7B+14B+70B")
    assert result.code == 0, result.stderr
    qwen = findings(json.loads((reports / "latest.json").read_text(encoding="utf-8")), "qwen1-7b-14b-70b")
    assert (qwen[("parameters", "70000000000")]["verdict"], qwen[("parameters", "70000000000")]["suggested"]) == (
        "contradicted", "72B")  # fmt: skip
    patch = (reports / "suggested.patch").read_text(encoding="utf-8")
    assert patch.startswith("--- a/catalog/open-llm-roundup.zh.md\n+++ b/catalog/open-llm-roundup.zh.md\n")

    copy = workdir / "copy"
    (copy / "catalog").mkdir(parents=True)
    shutil.copy(PROJECT / "catalog" / "open-llm-roundup.zh.md", copy / "catalog")
    subprocess.run(["git", "init", "-q"], cwd=copy, check=True)
    applied = subprocess.run(["git", "apply", str(reports / "suggested.patch")], cwd=copy, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr
    before = (PROJECT / "catalog" / "open-llm-roundup.zh.md").read_text(encoding="utf-8").splitlines()
    after = (copy / "catalog" / "open-llm-roundup.zh.md").read_text(encoding="utf-8").splitlines()
    changed = [(number, old, new) for number, (old, new) in enumerate(zip(before, after, strict=True), 1) if old != new]
    assert changed == [(114, before[113], before[113].replace("14B,70B Base", "14B,72B Base"))]
    assert before[113].startswith("| Qwen1-7B+14B+70B |"), "the name is never edited: the mapping keys on it"


def test_an_accepted_finding_keeps_its_verdict_and_no_longer_fails_the_run(run_cli, seed_hub, workdir):
    for size in ("14B", "72B"):
        seed_hub.add(f"Qwen/Qwen-{size}", {"sha": f"{size[:2]:0>40}", "downloads": 1})
    mappings = workdir / "mappings.yaml"
    text = (PROJECT / "mappings" / "open-llm-roundup.zh.yaml").read_text(encoding="utf-8")
    accept = "  accept:\n  - text: 70B\n    reason: the article rounds 72B down\n"
    mappings.write_text(text.replace("qwen1-7b-14b-70b:\n  name: Qwen1-7B+14B+70B\n",
                                     "qwen1-7b-14b-70b:\n  name: Qwen1-7B+14B+70B\n" + accept), encoding="utf-8")  # fmt: skip
    reports = workdir / "reports"
    only = ("--only", "Qwen1-7B+14B+70B", "--mappings", str(mappings), "--fail-on", "contradicted")
    result = run(run_cli, seed_hub, reports, *only)
    assert result.code == 0, result.stderr
    finding = findings(json.loads((reports / "latest.json").read_text(encoding="utf-8")), "qwen1-7b-14b-70b")
    accepted = finding[("parameters", "70000000000")]
    assert accepted["verdict"] == "contradicted"
    assert accepted["accepted"] == {"reason": "the article rounds 72B down", "until": None}
    assert "## Accepted findings" in (reports / "latest.md").read_text(encoding="utf-8")

    expired = accept + "    until: '2020-01-01'\n"
    mappings.write_text(text.replace("qwen1-7b-14b-70b:\n  name: Qwen1-7B+14B+70B\n",
                                     "qwen1-7b-14b-70b:\n  name: Qwen1-7B+14B+70B\n" + expired), encoding="utf-8")  # fmt: skip
    result = run(run_cli, seed_hub, reports, *only)
    assert result.code == 1
    assert "the acceptance of '70B' (qwen1-7b-14b-70b) expired on 2020-01-01" in result.stderr


def _serve_every_mapped_repo(hub):
    """Beside the fixtures, every repo the seed maps answers, with made-up facts (MIT, 7 downloads)."""
    text = (PROJECT / "mappings" / "open-llm-roundup.zh.yaml").read_text(encoding="utf-8")
    for repo_id in sorted(set(re.findall(r"^  - (?:id: )?([\w.-]+/[\w.-]+)\s*$", text, re.MULTILINE))):
        if repo_id not in hub.repos:
            sha = hashlib.sha1(repo_id.encode()).hexdigest()
            hub.add(repo_id, {"sha": sha, "downloads": 7, "cardData": {"license": "mit"}, "tags": ["license:mit"]})


def test_the_seed_report_fits_a_pull_request_with_a_facts_line_per_readable_repo(run_cli, seed_hub, workdir):
    """Every one of the seed's 251 mapped repos answers (made-up facts beside the fixtures)."""
    _serve_every_mapped_repo(seed_hub)
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert len(markdown) < 65_536, len(markdown)
    readable = [repo for entry in report["entries"] for repo in entry["repos"] if repo["status"] in ("ok", "moved", "gated")]
    assert len(readable) >= 240
    facts = markdown[markdown.index("## Hub facts") :]
    assert all(f"| {repo['repo_id'].replace('_', chr(92) + '_')} |" in facts for repo in readable)


def test_no_claim_is_contradicted_by_a_repo_that_could_not_be_read(run_cli, seed_hub, workdir):
    """Every mapped repo is served, then a third answer 503 (after retries) or 404."""
    _serve_every_mapped_repo(seed_hub)
    served = sorted(seed_hub.repos)
    for index, repo_id in enumerate(served):
        if index % 3 == 0:
            seed_hub.fail(f"/api/models/{repo_id}", "503" if index % 2 else "404", times=99)
            seed_hub.fail(f"/api/models?author={repo_id.split('/')[0]}", "503", times=99)
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    unread = [repo for entry in report["entries"] for repo in entry["repos"] if repo["status"] in ("error", "not_found")]
    assert len(unread) > 100
    contradicted = 0
    for entry in report["entries"]:
        unreadable = [repo["requested_id"] for repo in entry["repos"] if repo["status"] not in ("ok", "moved", "gated")]
        for finding in entry["claims"]:
            if finding["verdict"] != "contradicted":
                continue
            contradicted += 1
            if finding["kind"] != "parameters":
                assert not unreadable, (entry["id"], finding)
            else:  # an unread repo of another size cannot hold it
                size = f"{finding['claimed'] // 10**9}b"
                assert all(re.search(r"\d+(\.\d+)?[bm]\b", r.lower()) and size not in r.lower() for r in unreadable)
    assert contradicted >= 1


EDGES = [
    # (what, endpoint, HF_TOKEN, exit code, the last line of stderr)
    ("no scheme", "127.0.0.1:8080", None, 2,
     "error: --endpoint '127.0.0.1:8080' is not a Hub URL: expected http://host or https://host (with the scheme)"),
    ("not http", "ftp://hub.example", None, 2,
     "error: --endpoint 'ftp://hub.example' is not a Hub URL: expected http://host or https://host (with the scheme)"),
    ("a host that does not resolve", "http://hub.nonexistent.invalid", None, 3,
     "error: cannot reach the Hub at http://hub.nonexistent.invalid: the host name does not resolve; "
     "previous reports left as they were"),
    ("a token with a line break", None, TOKEN + "\n", 2,
     "error: HF_TOKEN holds whitespace, a line break or non-ASCII characters; set it to the token alone"),
    ("a token with a space", None, "hf_ab cd", 2,
     "error: HF_TOKEN holds whitespace, a line break or non-ASCII characters; set it to the token alone"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "endpoint", "token", "code", "message"), EDGES, ids=[edge[0] for edge in EDGES])
def test_bad_endpoints_and_tokens_fail_fast_without_a_request(run_cli, seed_hub, workdir, monkeypatch,
                                                              what, endpoint, token, code, message):  # fmt: skip
    if token is not None:
        monkeypatch.setenv("HF_TOKEN", token)
    before = len(seed_hub.log)
    started = time.monotonic()
    result = run_cli("run", "--endpoint", endpoint or seed_hub.url, "--reports", str(workdir / "reports"))
    assert (result.code, result.stderr.strip().splitlines()[-1]) == (code, message)
    assert time.monotonic() - started < 5
    assert len(seed_hub.log) == before, "no request to the Hub"
    assert not (workdir / "reports" / "latest.json").exists()
    if token:
        assert token.strip() not in result.stderr + result.stdout


def test_a_refused_token_is_named_and_never_shown(run_cli, seed_hub, workdir, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    for repo_id in list(seed_hub.repos):
        seed_hub.fail(f"/api/models/{repo_id}", "401", times=99)
    for author in {repo_id.split("/")[0] for repo_id in seed_hub.repos}:
        seed_hub.fail(f"/api/models?author={author}", "401", times=99)
    result = run(run_cli, seed_hub, workdir / "reports", "--only", "GROK")
    assert result.code == 3, result
    assert result.stderr.strip().splitlines()[-1] == (
        "error: the Hub refused HF_TOKEN (HTTP 401): set a valid token, or unset HF_TOKEN to read anonymously")
    assert TOKEN not in result.stderr + result.stdout


def test_an_internal_error_is_exit_3_never_1(run_cli, seed_hub, workdir, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("syncer.app.run_sync", broken)
    result = run(run_cli, seed_hub, workdir / "reports")
    assert result.code == 3
    assert "error: internal error (ZeroDivisionError): a bug" in result.stderr and "Traceback" not in result.stderr
    debug = run_cli("--debug", "run", "--endpoint", seed_hub.url, "--reports", str(workdir / "reports"))
    assert debug.code == 3 and "Traceback" in debug.stderr


def test_a_run_with_only_updates_its_entries_and_keeps_the_others(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    first = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    seed_hub.repos["xai-org/grok-1"]["info"]["downloads"] += 5
    assert run(run_cli, seed_hub, reports, "--only", "GROK").code == 0
    second = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in second["entries"]] == [entry["id"] for entry in first["entries"]]
    assert len(second["entries"]) == 85
    grok = next(entry for entry in second["entries"] if entry["id"] == "grok")
    assert grok["repos"][0]["downloads"] == next(e for e in first["entries"] if e["id"] == "grok")["repos"][0]["downloads"] + 5
    others = [(e["id"], e["claims"]) for e in second["entries"] if e["id"] != "grok"]
    assert others == [(e["id"], e["claims"]) for e in first["entries"] if e["id"] != "grok"]
    assert second["summary"]["entries"] == 85


def test_one_run_at_a_time_per_reports_folder(run_cli, seed_hub, workdir):
    from syncer.writer import reports_lock

    reports = workdir / "reports"
    with reports_lock(reports):
        result = run(run_cli, seed_hub, reports, "--only", "GROK")
    assert result.code == 3
    assert result.stderr.strip().splitlines()[-1].endswith(
        "another syncer run is writing these reports; try again, or pass --wait-lock")
    assert not (reports / "latest.json").exists()
    assert run(run_cli, seed_hub, reports, "--only", "GROK").code == 0, "the lock goes with its run"


def test_reports_get_the_folders_usual_permissions(run_cli, seed_hub, workdir):
    previous = os.umask(0o022)
    try:
        assert run(run_cli, seed_hub, workdir / "reports", "--only", "GROK").code == 0
    finally:
        os.umask(previous)
    for name in ("latest.json", "latest.md", "suggested.patch"):
        assert stat.S_IMODE((workdir / "reports" / name).stat().st_mode) == 0o644, name


def test_a_shard_file_cannot_name_a_snapshot_outside_the_reports(run_cli, fake_hub, workdir):
    reports = workdir / "shard"
    assert run_cli("run", "--endpoint", fake_hub.url, "--reports", str(reports), "--shard", "1/1").code == 0
    crafted = workdir / "crafted.json"
    text = (reports / "latest.json").read_text(encoding="utf-8")
    generated = json.loads(text)["generated_at"]
    crafted.write_text(text.replace(f'"generated_at": "{generated}"', '"generated_at": "../../escape"'), encoding="utf-8")
    result = run_cli("merge", str(crafted), "--reports", str(workdir / "merged"))
    assert result.code == 3 and "not a UTC timestamp" in result.stderr
    assert not list(workdir.glob("escape*")) and not (workdir.parent / "escape.json").exists()


def test_a_new_version_chain_is_followed_to_its_end_and_reported(run_cli, seed_hub, workdir):
    """Qwen/Qwen-7B's card names Qwen/Qwen2-7B, whose card names Qwen/Qwen2.5-7B (made-up cards
    for the test; the real Qwen-7B card names no successor), and a cycle back is harmless."""
    info = seed_hub.repos["Qwen/Qwen-7B"]["info"]
    info["cardData"] = {**info["cardData"], "new_version": "Qwen/Qwen2-7B"}
    seed_hub.add("Qwen/Qwen2-7B", {"sha": "2" * 40, "downloads": 20, "createdAt": "2024-06-06T00:00:00.000Z",
                                   "cardData": {"new_version": "Qwen/Qwen2.5-7B"}})  # fmt: skip
    seed_hub.add("Qwen/Qwen2.5-7B", {"sha": "5" * 40, "downloads": 25, "createdAt": "2024-09-19T00:00:00.000Z",
                                     "cardData": {"new_version": "Qwen/Qwen2-7B"}})  # fmt: skip
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports, "--only", "Qwen1-7B+14B+70B").code == 0
    entry = next(e for e in json.loads((reports / "latest.json").read_text(encoding="utf-8"))["entries"]
                 if e["id"] == "qwen1-7b-14b-70b")  # fmt: skip
    qwen7b = next(repo for repo in entry["repos"] if repo["repo_id"] == "Qwen/Qwen-7B")
    assert (qwen7b["successor"], qwen7b["new_version"]) == ("Qwen/Qwen2-7B", "Qwen/Qwen2.5-7B")
    assert entry["newer"] == [{"repo_id": "Qwen/Qwen2.5-7B", "created_at": "2024-09-19T00:00:00Z", "downloads": 25,
                               "why": "new_version", "of": "Qwen/Qwen-7B", "parameters": 7 * 10**9, "license": None,
                               "evidence": "the card of Qwen/Qwen-7B names it as `new_version` (through a chain)"}]  # fmt: skip
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert "## Newer releases" in markdown and "| 2024-09-19 | 25 | `new_version`: the card of Qwen/Qwen-7B names it" in markdown
