"""A scheduled run on the Hub's bad days (issue 23), the seed against the fake Hub: repos that
answer 503 keep their facts and verdicts, a first 404 is held until a second run confirms it,
a run that would rewrite most of the report is held back, and every verdict cites its evidence."""

from __future__ import annotations

import json
import re

import pytest

from tests import test_cli_run
from tests.test_cli_run import findings, run

seed_hub, workdir = test_cli_run.seed_hub, test_cli_run.workdir  # the seed's fixtures

READABLE = {"ok", "moved", "gated"}
HEX40 = re.compile(r"[0-9a-f]{40}")


def latest(reports):
    return json.loads((reports / "latest.json").read_text(encoding="utf-8"))


def readable_repos(report):
    """Readable repos by id as the report names them, read this run (not carried)."""
    return {
        repo["repo_id"]: repo for entry in report["entries"] for repo in entry["repos"]
        if repo["status"] in READABLE and "stale" not in repo
    }  # fmt: skip


def verdicts(report):
    return {
        (entry["id"], finding["kind"], finding["text"], json.dumps(finding["claimed"])): finding["verdict"]
        for entry in report["entries"] for finding in entry["claims"]
    }  # fmt: skip


def files_outside_held(reports):
    return {
        path.relative_to(reports): path.read_bytes()
        for path in reports.rglob("*")
        if path.is_file() and "held" not in path.relative_to(reports).parts and path.name != ".syncer.lock"
    }  # fmt: skip


def history(reports):
    return [json.loads(line) for line in (reports / "history.jsonl").read_text(encoding="utf-8").splitlines()]


def test_eight_repos_answering_503_keep_their_facts_and_verdicts_and_a_good_run_clears_the_marks(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    first = latest(reports)
    # Renamed repos are asked for under their old id; the eight are asked for by the id they have.
    failing = sorted(repo_id for repo_id, repo in readable_repos(first).items() if repo["status"] == "ok")[:8]
    for repo_id in failing:
        seed_hub.fail_repo(repo_id, "503")

    result = run(run_cli, seed_hub, reports, "--fail-on", "errors")
    assert result.code == 1, "a repo whose facts are carried was not read: --fail-on errors says so"
    second = latest(reports)
    assert second["changes"] == [], "nothing about a repo that could not be read moves"
    assert verdicts(second) == verdicts(first)
    before = {repo["repo_id"]: repo for entry in first["entries"] for repo in entry["repos"]}
    carried = {repo["repo_id"]: repo for entry in second["entries"] for repo in entry["repos"] if "stale" in repo}
    assert sorted(carried) == failing
    for repo_id, repo in carried.items():
        stale = repo.pop("stale")
        assert repo == before[repo_id], f"{repo_id}: every fact as the previous report had it"
        assert stale == {"since": before[repo_id]["fetched_at"], "reason": "HTTP 503 from the Hub (gave up after 6 attempts)",
                         "runs": 1}  # fmt: skip
    resting = [f for e in second["entries"] for f in e["claims"] if f.get("repo_id") in carried and "evidence" in f]
    assert resting and all(f["stale"]["since"] == carried[f["repo_id"]]["fetched_at"] for f in resting)
    assert second["summary"]["not_refreshed"] == 8 and second["summary"]["repos"] == first["summary"]["repos"]
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert "- **Not refreshed:** 8 repos, last read " in markdown
    line = history(reports)[-1]
    assert sorted(line["carried"]) == sorted(r["requested_id"] for r in carried.values())
    assert not set(line["carried"]) & set(line["downloads"]), "a carried count is no point of a trend"

    seed_hub.faults.clear()
    assert run(run_cli, seed_hub, reports, "--fail-on", "errors").code == 1  # the gated and not-found repos of the seed
    third = latest(reports)
    assert third["changes"] == [] and verdicts(third) == verdicts(first)
    assert not any("stale" in repo for entry in third["entries"] for repo in entry["repos"])
    assert not any("stale" in f for entry in third["entries"] for f in entry["claims"])
    assert "summary" in third and "not_refreshed" not in third["summary"]
    assert "Not refreshed" not in (reports / "latest.md").read_text(encoding="utf-8")


def test_a_run_where_three_quarters_of_the_repos_answer_404_is_held_back(run_cli, seed_hub, workdir, monkeypatch):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    readable = sorted(readable_repos(latest(reports)))
    gone = readable[: len(readable) * 3 // 4]
    for repo_id in gone:
        seed_hub.remove(repo_id)
    kept = files_outside_held(reports)
    outputs, summary = workdir / "outputs", workdir / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))

    result = run(run_cli, seed_hub, reports)
    assert result.code == 4, result.stderr
    assert "held=true\n" in outputs.read_text(encoding="utf-8")
    assert summary.read_text(encoding="utf-8").startswith("# syncer report\n\n> **Held back:**"), "the held report"
    outputs.unlink()
    assert result.stderr.strip().splitlines()[-1] == (
        f"held back: {len(gone)} of {len(readable)} previously readable repos were not read this run "
        f"({len(gone) / len(readable):.0%}; the limit is 50%, --max-unread-share); wrote {reports / 'held'}/, "
        f"left {reports}/latest.* and history.jsonl as they were (look, then run again with --accept-churn to accept it)"
    )
    assert files_outside_held(reports) == kept, "latest.*, history.jsonl and snapshots/ byte-identical"
    held = json.loads((reports / "held" / "latest.json").read_text(encoding="utf-8"))
    assert held["held"] and held["held"][0].startswith(f"{len(gone)} of {len(readable)} previously readable repos")
    assert (reports / "held" / "latest.sarif").is_file() and list((reports / "held" / "snapshots").glob("*.json"))
    assert (reports / "held" / "latest.md").read_text(encoding="utf-8").startswith("# syncer report\n\n> **Held back:**")

    accepted = run(run_cli, seed_hub, reports, "--accept-churn")
    assert accepted.code == 0, accepted.stderr
    assert "held=false\n" in outputs.read_text(encoding="utf-8")
    assert (reports / "latest.json").read_bytes() != kept[reports.joinpath("latest.json").relative_to(reports)]
    assert len(history(reports)) == 2
    assert "held" not in latest(reports)


def test_a_lower_unread_share_holds_what_the_default_lets_through(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    for repo_id in sorted(readable_repos(latest(reports)))[:8]:
        seed_hub.remove(repo_id)
    assert run(run_cli, seed_hub, reports, "--max-unread-share", "0.2").code == 4
    assert run(run_cli, seed_hub, reports).code == 0, "8 of 28 is under the default half"


@pytest.mark.parametrize(("confirm_after", "flips_on_run"), [(1, 1), (2, 2), (3, 3)])
def test_a_404_on_a_readable_repo_changes_its_verdicts_only_once_confirmed(run_cli, seed_hub, workdir, confirm_after,
                                                                          flips_on_run):  # fmt: skip
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    claim = ("parameters", "13000000000")
    assert findings(latest(reports), "xverse-2")[claim]["verdict"] == "confirmed"
    seed_hub.remove("xverse/XVERSE-13B")
    for after in range(1, 4):
        assert run(run_cli, seed_hub, reports, "--confirm-after", str(confirm_after)).code == 0
        report = latest(reports)
        finding = findings(report, "xverse-2")[claim]
        repo = next(repo for e in report["entries"] if e["id"] == "xverse-2" for repo in e["repos"])
        assert repo["status"] == "not_found", "reported as gone from the first 404"
        verdict_changes = [c for c in report["changes"] if c["kind"] == "verdict" and c["entry"] == "xverse-2"]
        status_changes = [(c["old"], c["new"]) for c in report["changes"] if c["kind"] == "status"]
        assert status_changes == ([("ok", "not_found")] if after == 1 else [])
        if after < flips_on_run:
            assert finding["verdict"] == "confirmed" and not verdict_changes
            assert repo["stale"]["not_found"] == after and repo["sha"] and repo["parameters"] is not None
            assert f"answered 404 in {after} run(s) in a row" in repo["stale"]["reason"]
            assert finding["stale"] == repo["stale"]
        elif after == flips_on_run:
            assert finding["verdict"] == "unverifiable" and verdict_changes, "confirmed: the verdict goes"
            assert "stale" not in repo and repo["sha"] is None, "and the facts with it"
        else:
            assert finding["verdict"] == "unverifiable" and not verdict_changes


def test_every_decided_finding_cites_the_repo_at_a_40_hex_revision(run_cli, seed_hub, workdir):
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    report = latest(reports)
    decided = [(entry, finding) for entry in report["entries"] for finding in entry["claims"]
               if finding["verdict"] in ("confirmed", "contradicted", "partial")]  # fmt: skip
    assert len(decided) == 24
    kinds = set()
    for entry, finding in decided:
        repo = next(repo for repo in entry["repos"] if repo["repo_id"] == finding["repo_id"])
        page = f"{seed_hub.url}/{repo['repo_id']}"
        assert HEX40.fullmatch(repo["sha"])
        assert finding["evidence"] in (f"{page}/blob/{repo['sha']}/config.json", f"{page}/tree/{repo['sha']}")
        assert finding["fetched_at"] == repo["fetched_at"]
        kinds.add("config.json" if finding["evidence"].endswith("/config.json") else "page")
    context = findings(report, "chatglm2")[("context_length", "32000")]
    assert context["evidence"].endswith("/config.json"), "a config.json fact cites config.json at its revision"
    licence = findings(report, "gemma")[("license", '"commercial"')]
    assert re.search(r"/google/gemma-7b/tree/[0-9a-f]{40}$", licence["evidence"]), "an API fact cites the model page"
    assert kinds == {"config.json", "page"}

    sarif = json.loads((reports / "latest.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert results and all(HEX40.search(result["properties"]["evidence"]) for result in results)
    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert f"]({licence['evidence']}), read {licence['fetched_at'][:10]})" in markdown

    # Downloads drift daily: the evidence, at an unchanged revision, keeps the time it was read.
    for repo in seed_hub.repos.values():
        repo["info"]["downloads"] += 1000
    assert run(run_cli, seed_hub, reports).code == 0
    again = findings(latest(reports), "gemma")[("license", '"commercial"')]
    assert (again["evidence"], again["fetched_at"]) == (licence["evidence"], licence["fetched_at"])
