"""The `syncer` command line: parses flags, runs the stages, prints, and maps errors to exit codes.

Exit codes (README, "Exit codes"): 0 done; 1 done with findings that breach --fail-on;
2 bad input or usage; 3 could not complete.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NoReturn, TypeVar

import click
from pydantic import ValidationError
from tqdm import tqdm

from syncer import __version__
from syncer.entries import load_catalog
from syncer.errors import InputError, SyncerError
from syncer.formats.claims import claims_json, claims_table, readings_json, readings_text
from syncer.formats.github import step_summary, workflow_annotations
from syncer.formats.patch import suggested_patch
from syncer.formats.report_json import parse_baseline, parse_report
from syncer.formats.report_markdown import report_markdown
from syncer.formats.suggestions import suggestions_yaml
from syncer.history import HISTORY_FILE, Trends, download_trends, history_records, record_line, run_record
from syncer.hub.client import HubClient, HubSettings
from syncer.hub.facts import FetchOptions, Listings
from syncer.mappings import Mappings, check_against_catalog, load_mappings
from syncer.models import Baseline, Catalog, ChangeKind, RepoFacts, Report, RepoStatus, Verdict
from syncer.pipeline import (
    Job,
    NothingReadable,
    RunOptions,
    Shard,
    keep_other_entries,
    merge_reports,
    run_sync,
    select_entries,
)
from syncer.plan import RunPlan, describe, in_one_line, plan_run
from syncer.reconcile import load_policy
from syncer.suggest import find_candidates
from syncer.writer import ReportsNotWritable, reports_lock, write_reports

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


PreviousT = TypeVar("PreviousT", Report, Baseline)
FAIL_ON = ("never", "contradicted", "changed", "errors", "stale")


class CouldNotComplete(SyncerError):
    """The run could not finish (nothing readable, reports not writable). Exit 3."""


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
    type=click.Choice(FAIL_ON),
    default="never",
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
    load_policy()  # a malformed rules file stops the run before any request
    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    mappings = _valid_mappings(mappings_path, catalog)
    entries = select_entries(catalog, only)
    if only and not entries:
        raise InputError(f"--only {' '.join(only)}: no catalog entry has that name or id")
    if shard:
        try:
            part = Shard.parse(shard)
        except ValueError as exc:
            raise InputError(f"--shard {exc}") from None
        entries = [entry for entry in entries if part.holds(entry)]
    settings = HubSettings.from_environment(endpoint)
    previous_file = previous_path or reports_path / "latest.json"
    if plan_only:
        baseline = _read_previous(previous_file, parse_baseline)
        click.echo(describe(_plan(Job.of(entries, mappings, baseline), FetchOptions(concurrency), bool(settings.token), newer)))
        return
    _check_writable(reports_path)
    click.get_current_context().with_resource(reports_lock(reports_path, wait_lock))
    # --only carries every other entry of the previous report as it was: it is read whole.
    # Otherwise a run needs only its repo facts, verdicts, history and listing depths.
    previous = (
        _read_previous(previous_file, _whole_report) if only and not shard
        else _read_previous(previous_file, parse_baseline)
    )  # fmt: skip
    job = Job.of(entries, mappings, previous)
    click.echo(in_one_line(_plan(job, FetchOptions(concurrency), bool(settings.token), newer)), err=True)
    settings.sleep = _announced(settings.sleep)
    settings.timeout, settings.max_wait = timeout, max_wait
    catalog_order = [entry.id for entry in catalog.entries]
    whole_previous = previous if only and not shard and isinstance(previous, Report) else None
    # The run uses the job up entry by entry (see Job): nothing else may hold the catalog,
    # the mapping or the previous report meanwhile, or they are never freed.
    del catalog, entries, mappings, previous
    wanted = len(job.wanted())
    done = [0]  # repos done; a disabled tqdm bar (no terminal) does not count them

    def on_repo_done(facts: RepoFacts) -> None:
        done[0] += 1
        bar.update(1)

    # What is left of the inputs lives to the end of the run: later garbage collections need
    # not walk it again and again.
    gc.freeze()
    click.get_current_context().call_on_close(gc.unfreeze)
    with HubClient(settings) as client, tqdm(
        total=wanted, file=sys.stderr, disable=not sys.stderr.isatty(), unit="repo", desc="Hub"
    ) as bar, _progress_lines(client, lambda: done[0], wanted):
        client.probe()
        try:
            options = RunOptions(settings.endpoint, only, FetchOptions(concurrency), newer)
            report = run_sync(job, client, options, on_repo_done=on_repo_done)
        except NothingReadable as exc:
            raise CouldNotComplete(f"{exc}; previous reports left as they were") from None
    if whole_previous is not None:
        report = keep_other_entries(report, whole_previous, catalog_order)
    if shard:
        report = report.model_copy(update={"shard": shard.strip()})
    # A shard's reports are an input of `syncer merge`, which appends the merged run's line.
    trends, history_line = _history(report, reports_path, append=not shard)
    try:
        written = write_reports(
            report, reports_path, patch=suggested_patch(report, _read_document_text), trends=trends,
            history_line=history_line,
        )  # fmt: skip
    except ReportsNotWritable as exc:
        raise CouldNotComplete(str(exc)) from None
    _warn_expired(report)
    click.echo(_run_summary(report, written[-1]), err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        _github_outputs(report, reports_path, trends)
    sys.exit(_exit_code(report, fail_on))


def _plan(job: Job, options: FetchOptions, token: bool, newer: bool) -> RunPlan:
    return plan_run(job.wanted(), job.previous_facts, Listings(job.listings), options, token, newer=newer)


PROGRESS_EVERY = 15.0  # seconds between progress lines when stderr is not a terminal
ANNOUNCED_WAIT = 2.0  # waits at least this long are announced


def _announced(sleep: Callable[[float], None]) -> Callable[[float], None]:
    """Every wait worth noticing (a rate-limit window, a backoff) is said before it starts."""

    def announce_and_sleep(seconds: float) -> None:
        if seconds >= ANNOUNCED_WAIT:
            click.echo(f"waiting {seconds:.0f}s for the Hub (rate limit or retry backoff)", err=True)
        sleep(seconds)

    return announce_and_sleep


@contextmanager
def _progress_lines(client: HubClient, done: Callable[[], int], total: int) -> Iterator[None]:
    """Off a terminal (a CI log), a line every PROGRESS_EVERY seconds: the bar is not drawn there."""
    if sys.stderr.isatty():
        yield
        return
    stop = threading.Event()

    def report() -> None:
        while not stop.wait(PROGRESS_EVERY):
            buckets = client.requests.by_bucket
            click.echo(
                f"progress: {done()}/{total} repos; requests: {buckets.get('api', 0)} API, "
                f"{buckets.get('resolvers', 0)} resolver, {client.rate_limited} rate-limited",
                err=True,
            )

    thread = threading.Thread(target=report, name="syncer-progress", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()


def _read_document_text(document: str) -> str | None:
    """A catalog document's text for the suggested patch; None if it cannot be read now."""
    try:
        with Path(document).open(encoding="utf-8", newline="") as file:  # bytes as they are: BOM, CRLF
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None


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
    shards = [_read_snapshot(path) for path in snapshots]
    if not allow_incomplete:
        _check_complete(shards, snapshots)
    _check_writable(reports_path)
    previous = _read_previous(reports_path / "latest.json", _whole_report)
    try:
        merged = merge_reports(shards, previous)
    except ValueError as exc:
        raise InputError(f"cannot merge: {exc}") from None
    trends, history_line = _history(merged, reports_path, append=True)
    try:
        written = write_reports(merged, reports_path, trends=trends, history_line=history_line)
    except ReportsNotWritable as exc:
        raise CouldNotComplete(str(exc)) from None
    click.echo(_run_summary(merged, written[-1]), err=True)


def _check_complete(shards: list[Report], paths: tuple[Path, ...]) -> None:
    """Every shard of one `I/N` set, once: a missing shard would silently drop its entries."""
    parts: dict[int, Path] = {}
    counts: set[int] = set()
    for report, path in zip(shards, paths, strict=True):
        if report.shard is None:
            raise InputError("not the snapshot of a `syncer run --shard I/N`", path=path)
        try:
            part = Shard.parse(report.shard)
        except ValueError as exc:
            raise InputError(str(exc), path=path) from None
        index, count = part.index, part.count
        if index in parts:
            raise InputError(f"shard {report.shard} is given twice (also {parts[index]})", path=path)
        parts[index] = path
        counts.add(count)
    if len(counts) > 1:
        raise InputError(f"the snapshots come from different shard sets (of {', '.join(map(str, sorted(counts)))})")
    count = counts.pop()
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in parts]
    if missing:
        raise InputError(f"incomplete shard set: missing {', '.join(missing)}; merge all {count}, or pass --allow-incomplete")


def _read_snapshot(path: Path) -> Report:
    try:
        return parse_report(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    except ValidationError as exc:
        first = exc.errors()[0]["msg"]
        raise InputError(f"not a syncer snapshot: {exc.error_count()} problem(s), first: {first}", path=path) from None


@cli.command()
@click.option("--snapshot", "snapshot_path", type=click.Path(path_type=Path), required=True, help="A stored snapshot.")
@reports_option
def report(snapshot_path: Path, reports_path: Path) -> None:
    """Re-render latest.md, latest.json and latest.sarif from a stored snapshot (no network).

    Download trends come from REPORTS/history.jsonl, up to the snapshot's time; a snapshot
    written before history.jsonl existed shows the trend it carries."""
    stored = _read_snapshot(snapshot_path)
    trends, _ = _history(stored, reports_path, append=False)
    try:
        written = write_reports(stored, reports_path, snapshot=False, trends=trends)
    except ReportsNotWritable as exc:
        raise CouldNotComplete(str(exc)) from None
    click.echo(f"wrote {', '.join(str(path) for path in written)}", err=True)


def _history(report: Report, reports_path: Path, append: bool) -> tuple[Trends | None, str | None]:
    """The download trends to show with `report` (None: no history.jsonl, so the trend an
    older report carries) and, when `append`, the line this run adds to history.jsonl."""
    path = reports_path / HISTORY_FILE
    record = run_record(report) if append else None
    unreadable: list[int] = []
    stored = history_records(path, unreadable)
    records = itertools.chain(stored, [record] if record is not None else [])
    trends = download_trends(records, report)
    if unreadable:
        lines = ", ".join(map(str, unreadable[:5])) + (" …" if len(unreadable) > 5 else "")
        click.echo(f"warning: {path}: line(s) {lines} are not history records; skipped", err=True)
    return trends, record_line(record) if record is not None else None


def _valid_mappings(mappings_path: Path, catalog: Catalog) -> Mappings:
    mappings = load_mappings(mappings_path)
    problems = mappings.problems + check_against_catalog(mappings, catalog)[0]
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise InputError(f"{len(problems)} problem(s) in the mappings; `syncer check` lists them")
    return mappings


def _check_writable(folder: Path) -> None:
    """Fail before any network traffic when the reports cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise CouldNotComplete(f"{folder}: reports folder is not writable: {exc.strerror or exc}") from None


def _read_previous(path: Path, parse: Callable[[BinaryIO], PreviousT]) -> PreviousT | None:
    """The previous report, as a whole `Report` or as the `Baseline` a run needs of it: parsed
    from the file as it is read (never decoded to one large string first)."""
    if not path.exists():
        return None
    try:
        with path.open("rb") as file:
            return parse(file)
    except (OSError, UnicodeDecodeError, ValidationError, ValueError):
        click.echo(f"warning: {path}: not a readable syncer report; this run starts afresh", err=True)
        return None


def _whole_report(file: BinaryIO) -> Report:
    return Report.model_validate_json(file.read())


def _run_summary(report: Report, written: Path) -> str:
    s = report.summary
    repos = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in s.repos.items() if n) or "none"
    claims = ", ".join(f"{n} {verdict}" for verdict, n in s.claims.items())
    requests = s.requests
    return (
        f"repos: {repos}; requests: {requests.get('api', 0)} API, {requests.get('resolvers', 0)} resolver, "
        f"{requests.get('rate_limited', 0)} rate-limited; claims: {claims}; report: {written}"
    )


def _exit_code(report: Report, fail_on: str) -> int:
    """Accepted findings (`accept:` in the mapping, not expired) never fail a run."""
    excused = {(entry.id, finding.text) for entry in report.entries for finding in entry.claims if finding.excused}
    if fail_on == "contradicted":
        breached = any(
            finding.verdict is Verdict.CONTRADICTED and not finding.excused
            for entry in report.entries
            for finding in entry.claims
        )
    elif fail_on == "changed":
        breached = any(
            not (change.kind is ChangeKind.VERDICT and (change.entry, change.claim) in excused) for change in report.changes
        )
    elif fail_on == "stale":
        breached = any(entry.newer for entry in report.entries)
    elif fail_on == "errors":
        failed = {RepoStatus.ERROR.value, RepoStatus.NOT_FOUND.value, RepoStatus.DISABLED.value}
        breached = any(report.summary.repos.get(status, 0) for status in failed)
    else:
        breached = False
    return EXIT_FINDINGS if breached else EXIT_OK


def _warn_expired(report: Report) -> None:
    for entry in report.entries:
        for finding in entry.claims:
            if finding.accepted and finding.accepted.get("expired"):
                click.echo(
                    f"warning: {entry.mapping.where or entry.id}: the acceptance of {finding.text!r} ({entry.id}) expired on "
                    f"{finding.accepted['until']}; it counts for --fail-on again",
                    err=True,
                )


def _print_notices(catalog: Catalog) -> None:
    for notice in catalog.notices:
        click.echo(f"warning: {notice.document}:{notice.line}: {notice.message}", err=True)


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
