"""The `syncer` command line: parses flags into `syncer.app` settings, prints what a command
tells as it goes and what it ends with, and maps outcomes and errors to exit codes.

Exit codes (README, "Exit codes"): 0 done; 1 done with findings that breach --fail-on;
2 bad input or usage; 3 could not complete; 4 held back (a run that would change too much
wrote REPORTS/held/ and left latest.* as they were).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

# Only what every command needs: the rest is imported by the command that uses it, so that
# `syncer --help`, `claims` and `check` load no Hub client, HTTP stack or progress bar.
from syncer import __version__
from syncer.defaults import (
    DEFAULT_CONFIRM_AFTER,
    DEFAULT_MAX_FLIP_SHARE,
    DEFAULT_MAX_UNREAD_SHARE,
    DEFAULT_MIN_FLIPS,
    PROJECT_RULES,
    FailOn,
)
from syncer.errors import InputError, NoMappings, SyncerError

if TYPE_CHECKING:
    from syncer.mappings import Mappings
    from syncer.models import Catalog
    from syncer.onboarding import MappingText

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INCOMPLETE, EXIT_HELD = 0, 1, 2, 3, 4

class LocalPath(click.Path):
    """A path option or argument that, when it exists, is a regular file or a folder: a pipe,
    a socket or a device would hang the read or read something else. Bad input (exit 2) in
    one line naming the path and the option."""

    def __init__(self) -> None:
        super().__init__(path_type=Path)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Path:
        converted = super().convert(value, param, ctx)
        path = converted if isinstance(converted, Path) else Path(os.fsdecode(converted))
        if path.exists() and not (path.is_file() or path.is_dir()):
            given = f" (given as {param.opts[0]})" if param is not None and param.opts else ""
            raise InputError(f"not a regular file or folder: a pipe, socket or device{given}", path=path)
        return path


catalog_option = click.option(
    "--catalog",
    "catalog_path",
    type=LocalPath(),
    default=Path("catalog"),
    show_default=True,
    help="A Markdown document, or a folder whose *.md documents are all read.",
)
mappings_option = click.option(
    "--mappings",
    "mappings_path",
    type=LocalPath(),
    default=Path("mappings"),
    show_default=True,
    help="A mapping YAML file, or a folder whose *.yaml files are all read.",
)
reports_option = click.option(
    "--reports",
    "reports_path",
    type=LocalPath(),
    default=Path("reports"),
    show_default=True,
    help="Where latest.md, latest.json and snapshots/ are written.",
)


def _use_rules(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """`--rules PATH`, else the project's `.syncer/claims.yaml` found from the working directory."""
    from syncer.rules import find_project_rules, use_project_rules

    use_project_rules((value,) if value is not None else find_project_rules(Path.cwd()))
    return value


rules_option = click.option(
    "--rules",
    "rules_path",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=_use_rules,
    is_eager=True,
    expose_value=False,
    help=f"A project vocabulary file whose headers, words and licence rows extend the packaged ones. "
    f"Default: {PROJECT_RULES} in the working directory or above it.",
)
endpoint_option = click.option("--endpoint", help="Hub URL. Default: $HF_ENDPOINT, else https://huggingface.co.")


def _inputs_live_to_the_end() -> None:
    """For a command that reads a catalog (and a mapping) whole and then exits: at 50,000
    entries they are millions of objects that live until it ends, and the collector's full
    passes would walk them again and again (a fifth of `claims`' time). They make few
    reference cycles, and young ones are still collected as often as before."""
    import gc

    gc.set_threshold(700, 10, 100)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="syncer")
@click.option("--debug", is_flag=True, help="On an internal error, show its traceback.")
def cli(debug: bool) -> None:
    """Check the claims that lists of open models make against the Hugging Face Hub."""



@cli.command()
@rules_option
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
    _inputs_live_to_the_end()
    from syncer.entries import load_catalog
    from syncer.formats.claims import claims_json, claims_table, readings_json, readings_text

    catalog = load_catalog(catalog_path, require_entries=False)
    _print_notices(catalog)
    if explain:
        click.echo(readings_json(catalog) if output_format == "json" else readings_text(catalog))
    else:
        click.echo(claims_json(catalog) if output_format == "json" else claims_table(catalog))


@cli.command()
@rules_option
@catalog_option
@mappings_option
@click.option("--strict", is_flag=True, help="Also fail on to-dos and on repos a search chose that no person has reviewed (CI).")
def check(catalog_path: Path, mappings_path: Path, strict: bool) -> None:
    """Validate the mappings against the catalog (no network). Exit 2 listing every problem."""
    _inputs_live_to_the_end()
    from syncer.entries import load_catalog
    from syncer.mappings import check_against_catalog, review_notes

    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    mappings = _mappings_or_advice(mappings_path, catalog_path)
    catalog_problems, unmapped = check_against_catalog(mappings, catalog)
    problems = mappings.problems + catalog_problems
    todos, unreviewed = review_notes(mappings, catalog)
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    level = "error" if strict else "warning"
    for note in todos + unreviewed:
        click.echo(f"{level}: {note}", err=True)
    by_id = {entry.id: entry for entry in catalog.entries}
    for entry_id in unmapped:
        entry = by_id[entry_id]
        click.echo(f"warning: {entry.document}:{entry.line}: {entry_id} is not mapped (try: syncer suggest {entry_id})", err=True)
    if strict:
        problems += todos + unreviewed
    if problems:
        raise InputError(f"{len(problems)} problem(s) in {', '.join(mappings.files)}")
    mapped = [m for m in mappings.entries.values() if m.mapping.repos]
    repos = sum(len(m.mapping.repos or []) for m in mapped)
    not_on_hub = sum(1 for m in mappings.entries.values() if not m.mapping.repos and m.mapping.not_on_hub)
    to_do = sum(1 for m in mappings.entries.values() if not m.mapping.repos and not m.mapping.not_on_hub)
    unchecked = f" ({len(unreviewed)} chosen by a search, not reviewed)" if unreviewed else ""
    click.echo(
        f"ok: {len(catalog.entries)} entries: {len(mapped)} mapped to {repos} repos{unchecked}, "
        f"{not_on_hub} not on the Hub, {to_do} to do, {len(unmapped)} unmapped"
    )


def _mappings_or_advice(mappings_path: Path, catalog_path: Path) -> Mappings:
    """The mappings; with none there yet, the error says the command that writes them."""
    from syncer.mappings import load_mappings

    with _advice_when_unmapped(mappings_path, catalog_path):
        return load_mappings(mappings_path)


@contextmanager
def _advice_when_unmapped(mappings_path: Path, catalog_path: Path) -> Iterator[None]:
    """No mapping yet: the error names the `syncer init` that writes one for this catalog.
    (`run` does not write one itself: a mapping nobody has seen would decide its verdicts.)"""
    try:
        yield
    except NoMappings as missing:
        folder = mappings_path if mappings_path.suffix not in (".yaml", ".yml") else mappings_path.parent
        raise NoMappings(f"{missing.message.split(';')[0]}; write one with `syncer init --catalog {catalog_path} "
                         f"--mappings {folder}`, then `syncer check`", path=mappings_path) from None  # fmt: skip


@cli.command()
@rules_option
@click.argument("names", nargs=-1)
@catalog_option
@mappings_option
@endpoint_option
@click.option("--limit", type=click.IntRange(1, 20), default=5, show_default=True, help="Candidates per entry.")
def suggest(names: tuple[str, ...], catalog_path: Path, mappings_path: Path, endpoint: str | None, limit: int) -> None:
    """Rank candidate Hub repos for unmapped (or named) entries; print YAML to paste.

    The same decisions as `syncer init`, printed instead of written: the document's own links
    and repo ids first (never cut by --limit), confident search results marked `source: search`,
    the other candidates as comments."""
    _inputs_live_to_the_end()
    _quiet_hub_logs()
    from syncer.entries import load_catalog
    from syncer.evidence import gather_evidence
    from syncer.formats.suggestions import suggestions_yaml
    from syncer.hub.client import HubClient, HubSettings
    from syncer.mappings import load_mappings_if_any
    from syncer.onboarding import decide
    from syncer.pipeline import select_entries

    catalog = load_catalog(catalog_path)
    mappings = load_mappings_if_any(mappings_path)
    if names:
        entries = select_entries(catalog, names)
        if not entries:
            raise InputError(f"{' '.join(names)}: no catalog entry has that name or id")
    else:
        entries = [entry for entry in catalog.entries if entry.id not in mappings.entries]
        if not entries:
            click.echo("every entry is mapped; name entries (syncer suggest NAME) to see candidates anyway", err=True)
            return
    evidence = gather_evidence(catalog)
    with HubClient(HubSettings.from_environment(endpoint)) as client:
        decisions = decide(entries, catalog.entries, evidence, client, mappings, limit)
    click.echo(suggestions_yaml(decisions))


@cli.command()
@rules_option
@catalog_option
@mappings_option
@endpoint_option
@click.option("--limit", type=click.IntRange(1, 20), default=5, show_default=True,
              help="Candidates written as comments per entry.")  # fmt: skip
@click.option("--force", is_flag=True, help="Rewrite DIR/<document>.yaml instead of adding the entries it lacks.")
def init(catalog_path: Path, mappings_path: Path, endpoint: str | None, limit: int, force: bool) -> None:
    """Write a first mapping, DIR/<document>.yaml, for entries that have none: the document's
    own links and repo ids first, confident search results marked `source: search`, to-dos
    for the rest. Its output passes `syncer check` unedited."""
    _inputs_live_to_the_end()
    _quiet_hub_logs()
    from syncer.entries import load_catalog
    from syncer.hub.client import HubSettings
    from syncer.onboarding import describe_decision, init_summary, prepare_init

    catalog = load_catalog(catalog_path)
    _print_notices(catalog)
    outcome = prepare_init(catalog, mappings_path, HubSettings.from_environment(endpoint), limit=limit, force=force)
    for decision in outcome.decisions:
        click.echo(describe_decision(decision), err=True)
    for file in outcome.files:
        _write_mapping(file)
        click.echo(f"{'added to' if file.appended else 'wrote'} {file.path}: {len(file.decisions)} entries", err=True)
    click.echo(init_summary(outcome.decisions) + (" - next: syncer check, then syncer run" if outcome.decisions else ""))


@cli.command()
@rules_option
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
@click.option("--shards", type=click.IntRange(2, 1000), metavar="N",
              help="With --plan: the plan of each of N shards (`--shard I/N`), one line each, then the whole run's.")  # fmt: skip
@click.option(
    "--previous",
    "previous_path",
    type=LocalPath(),
    help="The snapshot to diff against and reuse facts from. Default: REPORTS/latest.json.",
)
@click.option("--confirm-after", type=click.IntRange(1, 100), default=DEFAULT_CONFIRM_AFTER, show_default=True,
              help="Runs in a row that must answer 404 for a repo read before until its facts and verdicts go.")  # fmt: skip
@click.option("--max-unread-share", type=click.FloatRange(0, 1), default=DEFAULT_MAX_UNREAD_SHARE, show_default=True,
              help="Hold the run back (exit 4, reports in REPORTS/held/) when more than this share of the repos "
              "read before were not read: failed, gone, or carried.")  # fmt: skip
@click.option("--max-flip-share", type=click.FloatRange(0, 1), default=DEFAULT_MAX_FLIP_SHARE, show_default=True,
              help=f"Hold the run back when more than this share of the decided verdicts changed "
              f"(and at least {DEFAULT_MIN_FLIPS} did).")  # fmt: skip
@click.option("--accept-churn", is_flag=True, help="Write latest.* even when the run is over a threshold.")
def run(
    catalog_path: Path, mappings_path: Path, reports_path: Path, endpoint: str | None, concurrency: int,
    only: tuple[str, ...], fail_on: str, shard: str | None, timeout: float, max_wait: float, wait_lock: bool,
    previous_path: Path | None, plan_only: bool, newer: bool, confirm_after: int, max_unread_share: float,
    max_flip_share: float, accept_churn: bool, shards: int | None,
) -> None:  # fmt: skip
    """The whole job: check every claim against the Hub and write reports."""
    _quiet_hub_logs()
    from syncer import app
    from syncer.console import StderrListener, github_outputs, run_summary
    from syncer.plan import describe, in_one_line

    settings = app.RunSettings(
        catalog=catalog_path, mappings=mappings_path, reports=reports_path, endpoint=endpoint, concurrency=concurrency,
        only=only, shard=shard, fail_on=FailOn(fail_on), timeout=timeout, max_wait=max_wait, newer=newer,
        wait_lock=wait_lock, previous=previous_path, confirm_after=confirm_after, max_unread_share=max_unread_share,
        max_flip_share=max_flip_share, accept_churn=accept_churn,
    )  # fmt: skip
    listener = StderrListener()
    with _advice_when_unmapped(mappings_path, catalog_path):
        if plan_only and shards:
            plans = app.shard_plans(settings, shards, listener)
            for index, part in enumerate(plans, start=1):
                click.echo(f"shard {index}/{shards}: " + in_one_line(part).removeprefix("plan: "))
            click.echo(f"all {shards} shards: {sum(p.api.requests for p in plans):,} API and "
                       f"{sum(p.resolvers.requests for p in plans):,} resolver requests; the whole run:")  # fmt: skip
        if plan_only:
            click.echo(describe(app.plan(settings, listener)))
            return
        if shards:
            raise InputError("--shards is for --plan; a run takes --shard I/N")
        outcome = app.run(settings, listener)
    click.echo(run_summary(outcome.report, outcome.written[-1]), err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        github_outputs(outcome.report, outcome.written[-1], outcome.trends, held=bool(outcome.held))
    if outcome.held:
        reasons = "; ".join(outcome.held)
        click.echo(
            f"held back: {reasons}; wrote {outcome.written[-1].parent}/, left {reports_path}/latest.* and "
            f"history.jsonl as they were (look, then run again with --accept-churn to accept it)",
            err=True,
        )
        sys.exit(EXIT_HELD)
    if outcome.breaches_fail_on:
        click.echo(app.breach_line(outcome.report, settings.fail_on), err=True)
        sys.exit(EXIT_FINDINGS)
    sys.exit(EXIT_OK)


@cli.command()
@click.argument("snapshots", nargs=-1, required=True, type=LocalPath())
@reports_option
@click.option("--allow-incomplete", is_flag=True, help="Merge even if some shards of the set are missing.")
def merge(snapshots: tuple[Path, ...], reports_path: Path, allow_incomplete: bool) -> None:
    """Combine the snapshots of `run --shard` jobs into one report (no network)."""
    from syncer import app
    from syncer.console import StderrListener, run_summary

    outcome = app.merge(app.MergeSettings(snapshots, reports_path, allow_incomplete), StderrListener())
    click.echo(run_summary(outcome.report, outcome.written[-1]), err=True)


@cli.command()
@click.option("--snapshot", "snapshot_path", type=LocalPath(), required=True, help="A stored snapshot.")
@reports_option
@click.option("--force", is_flag=True, help="Replace REPORTS/latest.* even when they are newer than the snapshot.")
def report(snapshot_path: Path, reports_path: Path, force: bool) -> None:
    """Re-render latest.md, latest.json and latest.sarif from a stored snapshot (no network).

    Download trends come from REPORTS/history.jsonl, up to the snapshot's time; a snapshot
    written before history.jsonl existed shows the trend it carries. Reports newer than the
    snapshot are replaced only with --force (or written to another --reports DIR)."""
    from syncer import app
    from syncer.console import StderrListener

    outcome = app.render(app.RenderSettings(snapshot_path, reports_path, force), StderrListener())
    replaced = f"; replaced the reports of {outcome.replaced}" if outcome.replaced else ""
    click.echo(
        f"wrote {', '.join(str(path) for path in outcome.written)} (snapshot of {outcome.report.generated_at}){replaced}",
        err=True,
    )


def _write_mapping(file: MappingText) -> None:
    """Whole or not at all: a temporary file beside it, then renamed over it."""
    try:
        file.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.path.with_name(f".{file.path.name}.tmp")
        temporary.write_text(file.text.rstrip("\n") + "\n", encoding="utf-8")
        temporary.replace(file.path)
    except OSError as exc:
        raise InputError(f"cannot write the mapping: {exc.strerror or exc}", path=file.path) from None


def _print_notices(catalog: Catalog) -> None:
    from syncer.notices import catalog_notices

    for notice in catalog_notices(catalog):
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


def _quiet_hub_logs() -> None:
    """huggingface_hub logs each retry it makes; syncer reports outcomes in its own summary.
    Called by the commands that reach the Hub: the others never load logging."""
    import logging

    logging.getLogger("huggingface_hub").setLevel(logging.ERROR)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script: runs the CLI and turns errors into exit codes.

    The one table of outcomes: 0 done; 1 findings breach --fail-on; 2 bad input or usage
    (InputError, click's usage errors); 3 could not complete (any other SyncerError, and any
    unexpected exception: an internal error, its traceback shown only with --debug); 4 held
    back: the run is over a churn threshold (--max-unread-share, --max-flip-share), wrote
    REPORTS/held/ and left latest.* and history.jsonl as they were ("held back: …" on
    stderr; --accept-churn writes it anyway); 130 interrupted (143 terminated). Messages
    never show HF_TOKEN.
    """
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
            import traceback

            traceback.print_exc()
        click.echo(f"error: internal error ({type(exc).__name__}): {redact(str(exc))[:300]}", err=True)
        click.echo("this is a bug in syncer; run again with --debug for the traceback", err=True)
        sys.exit(EXIT_INCOMPLETE)
    sys.exit(EXIT_OK)
