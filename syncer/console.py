"""What a long command tells people as it goes and when it ends: on stderr, warnings, the
plan's line, waits worth noticing and progress (a bar on a terminal, a line every
PROGRESS_EVERY seconds off one); under GitHub Actions, annotations, outputs and the job
summary. Imported by the commands that reach the Hub only: `syncer --help`, `claims` and
`check` load no progress bar, no Hub client.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from tqdm import tqdm

from syncer import app
from syncer.formats.github import step_summary, workflow_annotations
from syncer.formats.report_markdown import report_markdown
from syncer.history import Trends
from syncer.plan import RunPlan, in_one_line
from syncer.report import RepoFacts, Report

PROGRESS_EVERY = 15.0  # seconds between progress lines when stderr is not a terminal
ANNOUNCED_WAIT = 2.0  # waits at least this long are announced


class StderrListener(app.Listener):
    """What a command tells as it goes, on stderr: warnings, the plan's line, waits worth
    noticing, and the repos done - a bar on a terminal, a line every PROGRESS_EVERY seconds
    off one (a CI log)."""

    def __init__(self) -> None:
        self._bar: tqdm | None = None

    def notice(self, notice: app.Notice) -> None:
        click.echo(str(notice), err=True)

    def planned(self, plan: RunPlan) -> None:
        click.echo(in_one_line(plan), err=True)

    def waiting(self, seconds: float) -> None:
        if seconds >= ANNOUNCED_WAIT:
            click.echo(f"waiting {seconds:.0f}s for the Hub (rate limit or retry backoff)", err=True)

    @contextmanager
    def fetching(self, total: int, progress: Callable[[], app.FetchProgress]) -> Iterator[None]:
        with tqdm(total=total, file=sys.stderr, disable=not sys.stderr.isatty(), unit="repo", desc="Hub") as bar:
            self._bar = bar
            try:
                with progress_lines(progress):
                    yield
            finally:
                self._bar = None

    def repo_done(self, facts: RepoFacts) -> None:
        if self._bar is not None:
            self._bar.update(1)


@contextmanager
def progress_lines(progress: Callable[[], app.FetchProgress]) -> Iterator[None]:
    """Off a terminal (a CI log), a line every PROGRESS_EVERY seconds: the bar is not drawn there."""
    if sys.stderr.isatty():
        yield
        return
    stop = threading.Event()

    def report() -> None:
        while not stop.wait(PROGRESS_EVERY):
            now = progress()
            click.echo(
                f"progress: {now.done}/{now.total} repos; requests: {now.api} API, "
                f"{now.resolvers} resolver, {now.rate_limited} rate-limited",
                err=True,
            )

    thread = threading.Thread(target=report, name="syncer-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()


def github_outputs(report: Report, markdown: Path, trends: Trends | None, held: bool) -> None:
    """Under GitHub Actions: annotations on the documents' lines, the step's outputs (`held`:
    whether the run was held back, its reports at REPORTS/held/), and the job summary, which
    is the held report for a held run."""
    for line in workflow_annotations(report):
        click.echo(line)
    output_file = os.environ.get("GITHUB_OUTPUT")
    if output_file:
        claims = report.summary.claims
        with open(output_file, "a", encoding="utf-8") as outputs:
            outputs.write(f"contradicted={claims.get('contradicted', 0)}\npartial={claims.get('partial', 0)}\n")
            outputs.write(f"changes={len(report.changes)}\n")
            outputs.write(f"stale={sum(1 for entry in report.entries if entry.newer)}\n")
            outputs.write(f"held={str(held).lower()}\nnot_refreshed={report.summary.not_refreshed}\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        # The workflow and the composite action upload the reports folder under this name.
        artifact = os.environ.get("SYNCER_ARTIFACT") or "reports"
        pointer = f"The full report is {markdown} in the run's `{artifact}` artifact."
        with open(summary_file, "a", encoding="utf-8") as summary:
            summary.write(step_summary(report_markdown(report, trends), pointer))


def run_summary(report: Report, written: Path) -> str:
    s = report.summary
    repos = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in s.repos.items() if n) or "none"
    claims = ", ".join(f"{n} {verdict}" for verdict, n in s.claims.items())
    requests = s.requests
    return (
        f"repos: {repos}; requests: {requests.get('api', 0)} API, {requests.get('resolvers', 0)} resolver, "
        f"{requests.get('rate_limited', 0)} rate-limited; claims: {claims}; report: {written}"
    )
