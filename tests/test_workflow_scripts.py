"""The scheduled workflow's shell steps (.github/scripts/), run here against local git repositories.

A bare repository stands for GitHub: its default branch `main` holds the catalog and the
reports a merged pull request left; its `syncer/reports` branch is the rolling pull
request's head, with the reports of the runs since. The runner's checkout is a shallow
clone of `main` alone, as actions/checkout makes it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PROJECT

SCRIPTS = PROJECT / ".github" / "scripts"
BOT = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
       "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **BOT})
    assert done.returncode == 0, done.stderr
    return done.stdout


def script(name: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, **BOT, **env}
    environment.pop("GITHUB_OUTPUT", None)
    environment.update(env)
    return subprocess.run(["bash", str(SCRIPTS / name)], cwd=cwd, capture_output=True, text=True, env=environment)


def outputs(path: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in path.read_text(encoding="utf-8").splitlines())


def report_at(time: str) -> str:
    return json.dumps({"schema_version": 1, "generated_at": time}, indent=2) + "\n"


@pytest.fixture
def github(tmp_path):
    """The bare 'GitHub' repository, and a maintainer's clone to push from."""
    origin, seed = tmp_path / "origin.git", tmp_path / "seed"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "catalog").mkdir()
    shutil.copy(PROJECT / "catalog" / "open-llm-roundup.zh.md", seed / "catalog")
    shutil.copytree(PROJECT / "mappings", seed / "mappings")
    (seed / "reports").mkdir()
    (seed / "reports" / "latest.json").write_text(report_at("2026-01-01T05:17:00Z"), encoding="utf-8")
    shutil.copy(PROJECT / ".gitignore", seed / ".gitignore")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "main: the merged reports")
    git(seed, "push", "-q", "origin", "main")
    return origin, seed


def runner_checkout(origin: Path, tmp_path: Path) -> Path:
    work = tmp_path / "runner"
    git(tmp_path, "clone", "-q", "--depth=1", "--single-branch", "--branch", "main", f"file://{origin}", str(work))
    return work


def test_the_previous_report_comes_from_the_reports_branch_when_there_is_one(github, tmp_path):
    origin, seed = github
    git(seed, "checkout", "-q", "-b", "syncer/reports")
    (seed / "reports" / "latest.json").write_text(report_at("2026-03-04T05:17:00Z"), encoding="utf-8")
    (seed / "reports" / "history.jsonl").write_text('{"generated_at":"2026-03-04T05:17:00Z"}\n', encoding="utf-8")
    (seed / "catalog" / "open-llm-roundup.zh.md").write_text("edited on the branch\n", encoding="utf-8")
    git(seed, "commit", "-q", "-am", "reports: Hub sync")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "history")
    git(seed, "push", "-q", "origin", "syncer/reports")

    work = runner_checkout(origin, tmp_path)
    assert "syncer/reports" not in git(work, "branch", "-a"), "the checkout did not fetch the reports branch"
    result = script("previous-report.sh", work, GITHUB_OUTPUT=str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert outputs(tmp_path / "out") == {"source": "reports-branch"}
    assert json.loads((work / "reports" / "latest.json").read_text())["generated_at"] == "2026-03-04T05:17:00Z"
    assert (work / "reports" / "history.jsonl").exists()
    catalog = (work / "catalog" / "open-llm-roundup.zh.md").read_text(encoding="utf-8")
    assert catalog != "edited on the branch\n", "only the reports come from the branch, never its catalog"
    assert "previous report: 2026-03-04T05:17:00Z (from the reports branch)" in result.stderr


def test_without_a_reports_branch_the_default_branchs_report_stays(github, tmp_path):
    origin, _ = github
    work = runner_checkout(origin, tmp_path)
    result = script("previous-report.sh", work, GITHUB_OUTPUT=str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert outputs(tmp_path / "out") == {"source": "default-branch"}
    assert json.loads((work / "reports" / "latest.json").read_text())["generated_at"] == "2026-01-01T05:17:00Z"
    assert git(work, "status", "--porcelain") == ""


def test_the_reports_and_the_suggested_patch_become_two_commits(github, tmp_path, run_cli, fake_hub, monkeypatch):
    origin, _ = github
    work = runner_checkout(origin, tmp_path)
    for size in ("14B", "72B"):  # so that Qwen's "70B" is contradicted, with 72B as its correction
        fake_hub.add(f"Qwen/Qwen-{size}", {"sha": f"{size[:2]:0>40}", "downloads": 1})
    monkeypatch.chdir(work)
    assert run_cli("run", "--endpoint", fake_hub.url, "--only", "Qwen1-7B+14B+70B").code == 0
    assert (work / "reports" / "suggested.patch").stat().st_size > 0
    assert list((work / "reports" / "snapshots").glob("*.json")), "a snapshot was written (for the artifact)"

    result = script("commit-reports.sh", work, GITHUB_OUTPUT=str(tmp_path / "out"), RUNNER_TEMP=str(tmp_path))
    assert result.returncode == 0, result.stderr
    log = git(work, "log", "--format=%s", "origin/main..HEAD").splitlines()
    assert log == ["catalog: apply the edits the Hub's facts call for (reports/suggested.patch)", "reports: Hub sync"]
    reports_commit = git(work, "show", "--name-only", "--format=", "HEAD~1").split()
    assert "reports/latest.sarif" in reports_commit and "reports/history.jsonl" in reports_commit
    assert not [path for path in reports_commit if path.startswith("reports/snapshots/")], "snapshots are not committed"
    edit = git(work, "show", "--format=", "-U0", "HEAD")
    assert "-| Qwen1-7B+14B+70B |" in edit and "14B,72B Base" in edit.split("\n+|", 1)[1]
    assert git(work, "status", "--porcelain") == ""

    out = outputs(tmp_path / "out")
    assert out["patch-applied"] == "true"
    body = Path(out["body"]).read_text(encoding="utf-8")
    assert body.startswith("# syncer report") and "## Contradicted and partial claims" in body
    assert "## Hub facts" not in body and len(body) < 65_536
    assert "The second commit applies `reports/suggested.patch`" in body


def test_the_patch_commit_can_be_turned_off(github, tmp_path):
    origin, _ = github
    work = runner_checkout(origin, tmp_path)
    (work / "reports" / "latest.md").write_text("# syncer report\n\nsummary\n\n## Hub facts\n\nlong\n", encoding="utf-8")
    (work / "reports" / "suggested.patch").write_text("--- a/catalog/x.md\n+++ b/catalog/x.md\n", encoding="utf-8")
    result = script("commit-reports.sh", work, APPLY_PATCH="false", BODY=str(tmp_path / "body.md"))
    assert result.returncode == 0, result.stderr
    assert git(work, "log", "--format=%s", "origin/main..HEAD").splitlines() == ["reports: Hub sync"]
    assert (tmp_path / "body.md").read_text(encoding="utf-8").startswith("# syncer report\n\nsummary\n\n\nThe Hub facts")


@pytest.fixture
def fake_syncer(tmp_path):
    """A stand-in for syncer that prints each argument on a line, then exits with $CODE."""
    path = tmp_path / "fake-syncer"
    path.write_text('#!/usr/bin/env bash\nfor arg in "$@"; do echo "[$arg]"; done\nexit "${CODE:-0}"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def test_only_names_with_spaces_and_stars_stay_one_argument_each(fake_syncer, tmp_path):
    (tmp_path / "Qwen-would-match-a-glob").touch()  # `Qwen*` expanded by the shell would turn into this
    only = "InternLM2 7B+20B\n  Qwen* \n\nAmazon Titan;yi"
    result = script("run-syncer.sh", tmp_path, SYNCER=str(fake_syncer), ONLY=only, REPORTS="my reports",
                    GITHUB_OUTPUT=str(tmp_path / "out"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[run]", "[--fail-on]", "[never]", "[--reports]", "[my reports]",
        "[--only]", "[InternLM2 7B+20B]", "[--only]", "[Qwen*]", "[--only]", "[Amazon Titan]", "[--only]", "[yi]",
    ]  # fmt: skip
    assert outputs(tmp_path / "out") == {"exit-code": "0"}


@pytest.mark.parametrize(("code", "step_fails"), [(1, False), (2, True), (3, True)])
def test_findings_leave_the_step_green_and_bad_input_fails_it(fake_syncer, tmp_path, code, step_fails):
    result = script("run-syncer.sh", tmp_path, SYNCER=str(fake_syncer), CODE=str(code), GITHUB_OUTPUT=str(tmp_path / "o"))
    assert (result.returncode == code) if step_fails else (result.returncode == 0)
    assert outputs(tmp_path / "o") == {"exit-code": str(code)}
    assert "--only" not in result.stdout, "no names given: no --only"


def _steps_running_shell(document: dict) -> list[dict]:
    jobs = document.get("jobs", {}).values() if "jobs" in document else [{"steps": document["runs"]["steps"]}]
    return [step for job in jobs for step in job.get("steps", []) if "run" in step]


@pytest.mark.parametrize("path", ["action.yml", ".github/workflows/sync.yml", ".github/workflows/ci.yml"])
def test_inputs_reach_the_shell_as_environment_variables_only(path):
    """An `${{ }}` expression inside `run:` is pasted into the script before bash reads it:
    an input could inject commands. Inputs go through `env:` and are quoted there."""
    import yaml

    document = yaml.safe_load((PROJECT / path).read_text(encoding="utf-8"))
    for step in _steps_running_shell(document):
        assert "${{" not in step["run"], (path, step.get("name"))


def test_the_action_has_the_inputs_and_outputs_the_readme_documents():
    import yaml

    action = yaml.safe_load((PROJECT / "action.yml").read_text(encoding="utf-8"))
    assert {"catalog", "mappings", "reports", "only", "endpoint", "python-version", "fail-on", "hf-token"} <= set(
        action["inputs"]
    )
    assert {"exit-code", "contradicted", "partial", "changes"} <= set(action["outputs"])
    uploads = [step for step in action["runs"]["steps"] if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "${{ inputs.reports }}", "the artifact the summary points at"
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in ("only", "endpoint", "partial", "python-version"))


def test_each_job_of_the_sync_workflow_holds_only_what_it_uses():
    import yaml

    jobs = yaml.safe_load((PROJECT / ".github/workflows/sync.yml").read_text(encoding="utf-8"))["jobs"]
    assert jobs["sync"]["permissions"] == {"contents": "read"}
    assert [name for name, job in jobs.items() if "security-events" in job["permissions"]] == ["code-scanning"]
    assert [name for name, job in jobs.items() if job["permissions"].get("contents") == "write"] == ["pull-request"]
    upload = next(s for s in jobs["code-scanning"]["steps"] if "upload-sarif@" in str(s.get("uses")))
    assert upload["continue-on-error"] is True and upload["with"]["sarif_file"] == "reports/latest.sarif"
    artifact = next(s for s in jobs["sync"]["steps"] if "upload-artifact@" in str(s.get("uses")))
    assert artifact["with"]["retention-days"] > 0
