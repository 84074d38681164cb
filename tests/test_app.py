"""`syncer.app` as a library: a run, a plan, a merge and a re-render without click.

The CLI tests (test_cli_run.py, test_shards.py) check what people see; these check what
a caller gets back: the report, the files written and whether the run fails its
`fail_on`, with nothing printed and every event told to the listener.
"""

from __future__ import annotations

import contextlib
import gc
import json
import weakref
from dataclasses import replace

import pytest

from syncer import app
from syncer.app import FailOn, Listener, RenderSettings, RunSettings, breaches
from syncer.errors import CouldNotComplete, InputError, ReportsLocked
from syncer.report import READABLE, Verdict
from syncer.writer import reports_lock, write_reports
from tests.conftest import PROJECT


@pytest.fixture
def seed_hub(fake_hub, monkeypatch):
    # As in test_cli_run.py: the ChatGLM fixtures were read under THUDM/, renamed zai-org/.
    for name in ("chatglm-6b", "chatglm2-6b", "chatglm3-6b-32k"):
        fake_hub.rename(f"THUDM/{name}", f"zai-org/{name}")
    monkeypatch.chdir(PROJECT)  # the default catalog and mappings; the patch's document paths
    monkeypatch.setattr("syncer.hub.client.time.sleep", lambda seconds: None)
    return fake_hub


class Recorder(Listener):
    """Every event a command tells, in order; repos done only counted."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []
        self.repos_done = 0
        self.progress: app.FetchProgress | None = None

    def notice(self, notice: app.Notice) -> None:
        self.events.append(("notice", str(notice)))

    def planned(self, plan) -> None:
        self.events.append(("planned", plan.repos))

    def waiting(self, seconds: float) -> None:
        self.events.append(("waiting", seconds))

    @contextlib.contextmanager
    def fetching(self, total, progress):
        self.events.append(("fetching", total))
        yield
        self.progress = progress()
        self.events.append(("fetched", self.progress.done))

    def repo_done(self, facts) -> None:
        self.repos_done += 1


def test_a_run_is_a_call_that_returns_its_report_and_files(seed_hub, tmp_path, capsys):
    reports = tmp_path / "reports"
    listener = Recorder()
    outcome = app.run(RunSettings(reports=reports, endpoint=seed_hub.url, fail_on=FailOn.CONTRADICTED), listener)

    assert capsys.readouterr() == ("", ""), "the app prints nothing: the listener hears it"
    assert len(outcome.report.entries) == 85 and outcome.report.endpoint == seed_hub.url
    names = [path.name for path in outcome.written]
    assert names[1:] == ["latest.json", "latest.sarif", "suggested.patch", "history.jsonl", "latest.md"]
    assert outcome.written[0].parent == reports / "snapshots" and all(path.is_file() for path in outcome.written)
    assert json.loads((reports / "latest.json").read_text(encoding="utf-8"))["summary"]["claims"] == outcome.report.summary.claims

    assert outcome.report.summary.claims["contradicted"] > 0
    assert outcome.breaches_fail_on is True, "the seed has contradicted claims"
    assert outcome.plan.repos == 251
    assert listener.events == [("planned", 251), ("fetching", 251), ("fetched", 251)]
    assert listener.repos_done == 251 and listener.progress is not None and listener.progress.api > 0
    assert gc.get_freeze_count() == 0, "gc.freeze is undone when the run ends"


def test_warnings_reach_the_listener_and_a_second_run_diffs(seed_hub, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "latest.json").write_text("not a report", encoding="utf-8")
    listener = Recorder()
    first = app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("GROK",)), listener)
    unreadable = f"warning: {reports / 'latest.json'}: not a readable syncer report; this run starts afresh"
    assert ("notice", unreadable) in listener.events
    assert [entry.id for entry in first.report.entries] == ["grok"]

    seed_hub.commit("xai-org/grok-1")
    second = app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("GROK",), fail_on=FailOn.CHANGED))
    assert [(change.entry, change.field) for change in second.report.changes] == [("grok", "sha")]
    assert second.breaches_fail_on is True and breaches(second.report, FailOn.NEVER) is False


def test_the_job_is_the_only_holder_of_the_inputs_while_the_run_uses_it(seed_hub, tmp_path, monkeypatch):
    """The memory contract of pipeline.Job: the app keeps no catalog entry of its own."""
    real_run_sync = app.run_sync
    outlived: list[str] = []

    def watched(job, *args, **kwargs):
        entries = [weakref.ref(item.entry) for item in job.items]
        report = real_run_sync(job, *args, **kwargs)
        outlived.extend(ref().id for ref in entries if ref() is not None)
        return report

    monkeypatch.setattr("syncer.app.run_sync", watched)
    app.run(RunSettings(reports=tmp_path / "reports", endpoint=seed_hub.url, newer=False))
    assert outlived == [], "a catalog entry outlived its job"


def test_a_plan_asks_nothing_of_the_hub(seed_hub, tmp_path):
    plan = app.plan(RunSettings(reports=tmp_path / "reports", endpoint=seed_hub.url))
    assert plan.repos == 251 and plan.api.requests > 0
    assert seed_hub.log == [] and not (tmp_path / "reports").exists()


def test_failures_are_raised_by_type(seed_hub, tmp_path):
    reports = tmp_path / "reports"
    with pytest.raises(InputError, match="--only NOPE: no catalog entry"):
        app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("NOPE",)))
    with reports_lock(reports), pytest.raises(ReportsLocked) as locked:
        app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("GROK",)))
    assert isinstance(locked.value, CouldNotComplete)
    for repo_id in list(seed_hub.repos):
        seed_hub.fail(f"/api/models/{repo_id}", "404", times=99)
    for author in {repo_id.split("/")[0] for repo_id in seed_hub.repos}:
        seed_hub.fail(f"/api/models?author={author}", "404", times=99)
    with pytest.raises(CouldNotComplete, match="no mapped repo could be read"):
        app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("GROK",)))
    assert gc.get_freeze_count() == 0 and not (reports / "latest.json").exists()


def test_a_snapshot_is_rendered_again_without_a_new_snapshot(seed_hub, tmp_path):
    reports = tmp_path / "reports"
    ran = app.run(RunSettings(reports=reports, endpoint=seed_hub.url, only=("GROK",)))
    (reports / "latest.md").unlink()
    rendered = app.render(RenderSettings(snapshot=ran.written[0], reports=reports))
    assert [path.name for path in rendered.written] == ["latest.json", "latest.sarif", "latest.md"]
    assert rendered.report.generated_at == ran.report.generated_at and (reports / "latest.md").is_file()
    assert (reports / "latest.json").read_bytes() == ran.written[0].read_bytes(), "the snapshot as it was"


def test_breaches_decides_from_the_report_alone(seed_hub, tmp_path):
    report = app.run(RunSettings(reports=tmp_path / "reports", endpoint=seed_hub.url)).report
    assert breaches(report, FailOn.CONTRADICTED) and breaches(report, FailOn.ERRORS), "the seed has both"
    assert not breaches(report, FailOn.NEVER) and not breaches(report, FailOn.CHANGED), "a first run changes nothing"

    def accepted(finding):
        if finding.verdict is not Verdict.CONTRADICTED:
            return finding
        return replace(finding, accepted={"reason": "known", "until": None})

    all_accepted = report.model_copy(update={
        "entries": [replace(entry, claims=[accepted(f) for f in entry.claims]) for entry in report.entries],
    })  # fmt: skip
    assert not breaches(all_accepted, FailOn.CONTRADICTED), "accepted findings never fail a run"
    readable_only = report.model_copy(update={
        "entries": [replace(entry, repos=[r for r in entry.repos if r.status in READABLE]) for entry in report.entries],
    })  # fmt: skip
    assert not breaches(readable_only, FailOn.ERRORS)


def test_a_merged_report_is_written_as_the_same_report_held_in_memory(seed_hub, tmp_path):
    shards = [
        app.run(RunSettings(reports=tmp_path / f"shard-{index}", endpoint=seed_hub.url, shard=f"{index}/3", newer=False))
        for index in (1, 2, 3)
    ]
    merged = app.merge(app.MergeSettings(snapshots=tuple(outcome.written[0] for outcome in shards), reports=tmp_path / "m"))
    assert not isinstance(merged.report.entries, list), "the merged entries are read from the spool, not held"
    held = merged.report.model_copy(update={"entries": list(merged.report.entries)})
    assert [(entry.document, entry.line) for entry in held.entries] == sorted((e.document, e.line) for e in held.entries)
    write_reports(held, tmp_path / "held", trends=merged.trends)
    for name in ("latest.json", "latest.md", "latest.sarif"):
        assert (tmp_path / "held" / name).read_bytes() == (tmp_path / "m" / name).read_bytes(), name
    written = json.loads((tmp_path / "m" / "latest.json").read_text(encoding="utf-8"))
    assert merged.report.model_dump(mode="json")["entries"] == written["entries"], "a library caller can dump it whole"


def test_the_shards_of_a_set_merge_into_one_report(seed_hub, tmp_path):
    shards = [
        app.run(RunSettings(reports=tmp_path / f"shard-{index}", endpoint=seed_hub.url, shard=f"{index}/2", newer=False))
        for index in (1, 2)
    ]
    assert [outcome.report.shard for outcome in shards] == ["1/2", "2/2"]
    merged = app.merge(app.MergeSettings(snapshots=(shards[0].written[0], shards[1].written[0]), reports=tmp_path / "merged"))
    assert len(merged.report.entries) == 85 and merged.report.shard is None
    assert merged.written[-1] == tmp_path / "merged" / "latest.md"
    with pytest.raises(InputError, match="incomplete shard set: missing 2/2"):
        app.merge(app.MergeSettings(snapshots=(shards[0].written[0],), reports=tmp_path / "merged"))
