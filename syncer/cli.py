"""The `syncer` command line: parses flags into `syncer.app` settings, prints what a command
tells as it goes and what it ends with, and maps outcomes and errors to exit codes.

Exit codes (README, "Exit codes"): 0 done; 1 done with findings that breach --fail-on;
2 bad input or usage; 3 could not complete.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click
from tqdm import tqdm

from syncer import __version__, app
from syncer.app import FailOn
from syncer.entries import load_catalog
from syncer.errors import InputError, SyncerError
from syncer.formats.claims import claims_json, claims_table, readings_json, readings_text
from syncer.formats.github import step_summary, workflow_annotations
from syncer.formats.report_markdown import report_markdown
from syncer.formats.suggestions import suggestions_yaml
from syncer.history import Trends
from syncer.hub.client import HubClient, HubSettings
from syncer.mappings import Mappings, check_against_catalog, load_mappings
from syncer.models import Catalog, RepoFacts, Report
from syncer.pipeline import select_entries
from syncer.plan import RunPlan, describe, in_one_line
from syncer.suggest import find_candidates

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INCOMPLETE = 0, 1, 2, 3

catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(path_type=Path),
    default=Path("catalog"),
    show_default=True,
    help="A Markdown document, or a folder whose *.md documents are all read.",
)
mappings_option = click.option(
    "--mappings",
    "mappings_path",
    type=click.Path(path_type=Path),
    default=Path("mappings"),
    show_default=True,
    help="A mapping YAML file, or a folder whose *.yaml files are all read.",
)
reports_option = click.option(
    "--reports",
    "reports_path",
    type=click.Path(path_type=Path),
    default=Path("reports"),
    show_default=True,
    help="Where latest.md, latest.json and snapshots/ are written.",
)
endpoint_option = click.option("--endpoint", help="Hub URL. Default: $HF_ENDPOINT, else https://huggingface.co.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncer")
@click.option("--debug", is_flag=True, help="On an internal error, show its traceback.")
def cli(debug: bool) -> None:
    """Check the claims that lists of open models make against the Hugging Face Hub."""



@cli.command()
@catalog_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="`table` for people; `json` is the stable contract for scripts.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Instead of the claims, show how each table, list and level of headings was read: "
    "catalog or not and why, and which column became what.",
)
def claims(catalog_path: Path, output_format: str, explain: bool) -> None:
    """List the catalog's entries and the claims extracted from them (no network)."""
    catalog = load_catalog(catalog_path, require_entries=False)
    _print_notices(catalog)
    if explain:
        click.echo(readings_json(catalog) if output_format == "json" else readings_text(catalog))
    else:
        click.echo(claims_json(catalog) if output_format == "json" else claims_table(catalog))


@cli.command()
@catalog_option
@mappings_option
def check(catalog_path: Path, mappings_path: Path) -> None:
    """Validate the mappings against the catalog (no network). Exit 2 listing every problem."""
    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    mappings = load_mappings(mappings_path)
    catalog_problems, unmapped = check_against_catalog(mappings, catalog)
    problems = mappings.problems + catalog_problems
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    by_id = {entry.id: entry for entry in catalog.entries}
    for entry_id in unmapped:
        entry = by_id[entry_id]
        click.echo(f"warning: {entry.document}:{entry.line}: {entry_id} is not mapped (try: syncer suggest {entry_id})", err=True)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {', '.join(mappings.files)}")
    mapped = [m for m in mappings.entries.values() if m.mapping.repos]
    repos = sum(len(m.mapping.repos or []) for m in mapped)
    not_on_hub = len(mappings.entries) - len(mapped)
    click.echo(
        f"ok: {len(catalog.entries)} entries: {len(mapped)} mapped to {repos} repos, "
        f"{not_on_hub} not on the Hub, {len(unmapped)} unmapped"
    )


@cli.command()
@click.argument("names", nargs=-1)
@catalog_option
@mappings_option
@endpoint_option
@click.option("--limit", type=click.IntRange(1, 20), default=5, show_default=True, help="Candidates per entry.")
def suggest(names: tuple[str, ...], catalog_path: Path, mappings_path: Path, endpoint: str | None, limit: int) -> None:
    """Rank candidate Hub repos for unmapped (or named) entries; print YAML to paste."""
    catalog = load_catalog(catalog_path)
    mappings = load_mappings(mappings_path) if mappings_path.exists() else Mappings([], {}, [])
    if names:
        entries = select_entries(catalog, names)
        if not entries:
            raise InputError(f"{' '.join(names)}: no catalog entry has that name or id")
    else:
        entries = [entry for entry in catalog.entries if entry.id not in mappings.entries]
        if not entries:
            click.echo("every entry is mapped; name entries (syncer suggest NAME) to see candidates anyway", err=True)
            return
    with HubClient(HubSettings.from_environment(endpoint)) as client:
        proposals = [(entry, find_candidates(entry, client, mappings, limit)) for entry in entries]
    click.echo(suggestions_yaml(proposals))


@cli.command()
@catalog_option
@mappings_option
@reports_option
@endpoint_option
@click.option(
    "--concurrency", type=click.IntRange(1, 64), default=8, show_default=True,
    help="Requests in flight at once per quota bucket: API calls and file downloads each, so up to twice this in all.",
)  # fmt: skip
@click.option("--only", multiple=True, metavar="NAME", help="Only this entry (name or id); repeat for more.")
@click.option(
    "--fail-on",
    type=click.Choice([choice.value for choice in FailOn]),
    default=FailOn.NEVER.value,
    show_default=True,
    help="Exit 1 when claims are contradicted, anything changed, repos could not be read, or entries have newer releases.",
)
@click.option("--shard", metavar="I/N", help="Run only part I of N of the entries (see `syncer merge`).")
@click.option("--timeout", type=click.FloatRange(1, 600), default=30, show_default=True,
              help="Seconds per request, from connecting to the last byte of the answer.")  # fmt: skip
@click.option("--newer/--no-newer", default=True, show_default=True,
              help="Look for releases that supersede each entry (new_version chains, the authors' newest repos).")  # fmt: skip
@click.option("--wait-lock", is_flag=True, help="If another run is writing the same reports, wait for it instead of exiting 3.")
@click.option("--max-wait", type=click.FloatRange(0, 3600), default=300, show_default=True,
              help="Longest wait the Hub may ask for (rate limit, Retry-After); a longer one gives up that request.")  # fmt: skip
@click.option(
    "--plan",
    "plan_only",
    is_flag=True,
    help="Print the requests the run needs per quota bucket and the least time the quota allows; no request.",
)
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=Path),
    help="The snapshot to diff against and reuse facts from. Default: REPORTS/latest.json.",
)
def run(
    catalog_path: Path, mappings_path: Path, reports_path: Path, endpoint: str | None, concurrency: int,
    only: tuple[str, ...], fail_on: str, shard: str | None, timeout: float, max_wait: float, wait_lock: bool,
    previous_path: Path | None, plan_only: bool, newer: bool,
) -> None:  # fmt: skip
    """The whole job: check every claim against the Hub and write reports."""
    settings = app.RunSettings(
        catalog=catalog_path, mappings=mappings_path, reports=reports_path, endpoint=endpoint, concurrency=concurrency,
        only=only, shard=shard, fail_on=FailOn(fail_on), timeout=timeout, max_wait=max_wait, newer=newer,
        wait_lock=wait_lock, previous=previous_path,
    )  # fmt: skip
    listener = _Stderr()
    if plan_only:
        click.echo(describe(app.plan(settings, listener)))
        return
    outcome = app.run(settings, listener)
    click.echo(_run_summary(outcome.report, outcome.written[-1]), err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _github_outputs(outcome.report, reports_path, outcome.trends)
    if outcome.breaches_fail_on:
        click.echo(app.breach_line(outcome.report, settings.fail_on), err=True)
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


PROGRESS_EVERY = 15.0  # seconds between progress lines when stderr is not a terminal
ANNOUNCED_WAIT = 2.0  # waits at least this long are announced


class _Stderr(app.Listener):
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
                with _progress_lines(progress):
                    yield
            finally:
                self._bar = None

    def repo_done(self, facts: RepoFacts) -> None:
        if self._bar is not None:
            self._bar.update(1)


@contextmanager
def _progress_lines(progress: Callable[[], app.FetchProgress]) -> Iterator[None]:
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


def _github_outputs(report: Report, reports_path: Path, trends: Trends | None) -> None:
    """Under GitHub Actions: annotations on the documents' lines, and the job summary."""
    for line in workflow_annotations(report):
        click.echo(line)
    output_file = os.environ.get("GITHUB_OUTPUT")
    if output_file:
        claims = report.summary.claims
        with open(output_file, "a", encoding="utf-8") as outputs:
            outputs.write(f"contradicted={claims.get('contradicted', 0)}\npartial={claims.get('partial', 0)}\n")
            outputs.write(f"changes={len(report.changes)}\n")
            outputs.write(f"stale={sum(1 for entry in report.entries if entry.newer)}\n")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        # The workflow and the composite action upload the reports folder under this name.
        artifact = os.environ.get("SYNCER_ARTIFACT") or "reports"
        pointer = f"The full report is {reports_path / 'latest.md'} in the run's `{artifact}` artifact."
        with open(summary_file, "a", encoding="utf-8") as summary:
            summary.write(step_summary(report_markdown(report, trends), pointer))


@cli.command()
@click.argument("snapshots", nargs=-1, required=True, type=click.Path(path_type=Path))
@reports_option
@click.option("--allow-incomplete", is_flag=True, help="Merge even if some shards of the set are missing.")
def merge(snapshots: tuple[Path, ...], reports_path: Path, allow_incomplete: bool) -> None:
    """Combine the snapshots of `run --shard` jobs into one report (no network)."""
    outcome = app.merge(app.MergeSettings(snapshots, reports_path, allow_incomplete), _Stderr())
    click.echo(_run_summary(outcome.report, outcome.written[-1]), err=True)


@cli.command()
@click.option("--snapshot", "snapshot_path", type=click.Path(path_type=Path), required=True, help="A stored snapshot.")
@reports_option
@click.option("--force", is_flag=True, help="Replace REPORTS/latest.* even when they are newer than the snapshot.")
def report(snapshot_path: Path, reports_path: Path, force: bool) -> None:
    """Re-render latest.md, latest.json and latest.sarif from a stored snapshot (no network).

    Download trends come from REPORTS/history.jsonl, up to the snapshot's time; a snapshot
    written before history.jsonl existed shows the trend it carries. Reports newer than the
    snapshot are replaced only with --force (or written to another --reports DIR)."""
    outcome = app.render(app.RenderSettings(snapshot_path, reports_path, force), _Stderr())
    replaced = f"; replaced the reports of {outcome.replaced}" if outcome.replaced else ""
    click.echo(
        f"wrote {', '.join(str(path) for path in outcome.written)} (snapshot of {outcome.report.generated_at}){replaced}",
        err=True,
    )


def _run_summary(report: Report, written: Path) -> str:
    s = report.summary
    repos = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in s.repos.items() if n) or "none"
    claims = ", ".join(f"{n} {verdict}" for verdict, n in s.claims.items())
    requests = s.requests
    return (
        f"repos: {repos}; requests: {requests.get('api', 0)} API, {requests.get('resolvers', 0)} resolver, "
        f"{requests.get('rate_limited', 0)} rate-limited; claims: {claims}; report: {written}"
    )


def _print_notices(catalog: Catalog) -> None:
    for notice in app.catalog_notices(catalog):
        click.echo(str(notice), err=True)


def redact(text: str) -> str:
    """The token never reaches a message, whatever put it there."""
    token = os.environ.get("HF_TOKEN")
    return text.replace(token, "***") if token else text


EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread like Ctrl-C's KeyboardInterrupt."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise _Terminated


def _stop(code: int, message: str) -> NoReturn:
    """End now: requests still in flight run in worker threads that would keep the process
    alive until their timeouts; nothing is written after an interrupt, so none is waited for."""
    click.echo(message, err=True)
    if threading.active_count() > 1:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: runs the CLI and turns errors into exit codes.

    The one table of outcomes: 0 done; 1 findings breach --fail-on; 2 bad input or usage
    (InputError, click's usage errors); 3 could not complete (any other SyncerError, and any
    unexpected exception: an internal error, its traceback shown only with --debug);
    130 interrupted. Messages never show HF_TOKEN.
    """
    # huggingface_hub logs each retry it makes; syncer reports outcomes in its own summary.
    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)
    debug = "--debug" in (argv if argv is not None else sys.argv[1:])
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        cli.main(args=argv, prog_name="syncer", standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C changes nothing
        _stop(EXIT_INTERRUPTED, "interrupted; reports left as they were")
    except _Terminated:
        _stop(EXIT_TERMINATED, "terminated; reports left as they were")
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_BAD_INPUT)
    except InputError as exc:
        click.echo(f"error: {redact(str(exc))}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    except SyncerError as exc:
        click.echo(f"error: {redact(str(exc))}", err=True)
        sys.exit(EXIT_INCOMPLETE)
    except BrokenPipeError:
        # `syncer claims | head`: the reader left; that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug is exit 3, never 1
        if debug:
            traceback.print_exc()
        click.echo(f"error: internal error ({type(exc).__name__}): {redact(str(exc))[:300]}", err=True)
        click.echo("this is a bug in syncer; run again with --debug for the traceback", err=True)
        sys.exit(EXIT_INCOMPLETE)
    sys.exit(EXIT_OK)
