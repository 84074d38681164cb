"""Running under GitHub Actions: annotations on the documents' lines, a job summary that fits."""

from __future__ import annotations

import pytest

from syncer.formats.github import step_summary, workflow_annotations
from syncer.formats.report_json import parse_report
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def canned():
    return parse_report((PROJECT / "tests" / "golden" / "canned-snapshot.json").read_text(encoding="utf-8"))


def test_contradicted_and_partial_claims_become_warnings_on_their_lines(canned):
    lines = workflow_annotations(canned)
    assert len(lines) == 3
    assert lines[0] == (
        "::warning file=catalog/list.md,line=12,title=syncer%3A contradicted parameters claim::"
        "Qwen1-7B+14B+70B: “70B” claims 70B; the Hub shows 72B (Qwen/Qwen-72B). "
        "no mapped repo has 70B; nearest: Qwen/Qwen-72B with 72B (repo name)"
    )
    assert all(line.startswith("::warning file=catalog/list.md,line=") for line in lines)


def test_annotation_text_cannot_break_the_command():
    from syncer.formats.github import _data, _property

    assert _data("50%\nnext::warning") == "50%25%0Anext::warning"
    assert _property("a:b,c") == "a%3Ab%2Cc"


def test_a_long_summary_is_cut_at_a_line_with_a_pointer():
    markdown = "".join(f"| row {i} | 中文 |\n" for i in range(10_000))
    summary = step_summary(markdown, "See the artifact.", limit=5_000)
    assert len(summary.encode("utf-8")) <= 5_000
    assert summary.endswith("> The report is cut here to fit GitHub's job summary limit. See the artifact.\n")
    body = summary.split("\n\n> ")[0]
    assert all(line.startswith("| row ") and line.endswith("|") for line in body.splitlines())
    assert step_summary("short\n", "x") == "short\n"


def test_run_under_github_actions_prints_annotations_and_writes_the_summary(run_cli, fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    result = run_cli(
        "run", "--endpoint", fake_hub.url, "--reports", str(tmp_path / "reports"), "--only", "Dolly-v2", "--only", "MPT"
    )
    assert result.code == 0, result.stderr
    warnings = [line for line in result.stdout.splitlines() if line.startswith("::warning ")]
    assert any("file=catalog/open-llm-roundup.zh.md,line=71," in line and "context_length" in line for line in warnings)
    assert summary.read_text(encoding="utf-8").startswith("# syncer report")
    contradicted = sum(1 for line in warnings if "contradicted" in line.split("::", 2)[1])
    assert outputs.read_text(encoding="utf-8") == (
        f"contradicted={contradicted}\npartial=1\nchanges=0\nstale=0\nheld=false\nnot_refreshed=0\n"
    )


def test_no_annotations_outside_github_actions(run_cli, fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = run_cli("run", "--endpoint", fake_hub.url, "--reports", str(tmp_path / "reports"), "--only", "Dolly-v2")
    assert "::warning" not in result.stdout


def test_contradicted_claims_come_first_and_a_notice_counts_what_github_would_not_show(canned):
    # The canned findings, in reverse document order, five times over: 15 annotations.
    entries = list(reversed(canned.entries)) * 5
    lines = workflow_annotations(canned.model_copy(update={"entries": entries}))
    verdicts = [line.split("title=syncer%3A ", 1)[1].split(" ", 1)[0] for line in lines[:-1]]
    assert verdicts == sorted(verdicts, key=lambda verdict: verdict != "contradicted")
    assert verdicts.count("contradicted") == 5 and len(verdicts) == 15
    hidden_partial = 15 - 10  # all contradicted ones are among the first 10
    assert lines[-1] == (
        "::notice title=syncer%3A 5 more findings::GitHub shows 10 warnings per step; "
        f"5 more (0 contradicted, {hidden_partial} partial) are in latest.md and latest.sarif (code scanning)."
    )
    assert not any(line.startswith("::notice") for line in workflow_annotations(canned))
