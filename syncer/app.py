"""The application as library calls: `run`, `plan`, `merge` and `render`, one per command.

Each takes typed settings and returns a typed outcome; the CLI parses flags into the
settings and maps the outcome to output and an exit code. Nothing here prints or exits:
what a command tells as it goes (warnings, the plan, waits for the Hub, repos done) goes
to a `Listener`, whose default ignores it all. Failures are raised as `syncer.errors`:
`InputError` for bad input, `CouldNotComplete` (and its kinds) for a run that could not
finish, with the previous reports left as they were. A run that would change too much at
once (syncer.guard) is not a failure: its outcome is `held`, and its reports are under
REPORTS/held/ while latest.* and history.jsonl stay as they were.

    from syncer.app import FailOn, RunSettings, run

    outcome = run(RunSettings(catalog=Path("catalog"), fail_on=FailOn.CONTRADICTED))
    outcome.report.summary.claims, outcome.written, outcome.breaches_fail_on
"""

from __future__ import annotations

import gc
import itertools
import re
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO, NamedTuple, TypeVar

from pydantic import ValidationError

from syncer.defaults import DEFAULT_CONFIRM_AFTER, DEFAULT_MAX_FLIP_SHARE, DEFAULT_MAX_UNREAD_SHARE, DEFAULT_MIN_FLIPS, FailOn
from syncer.entries import load_catalog
from syncer.errors import CouldNotComplete, InputError, NothingReadable
from syncer.formats.patch import suggested_patch
from syncer.formats.report_json import BASELINE_ENTRY, parse_baseline, parse_report_by_entry
from syncer.guard import Thresholds, held_back
from syncer.history import (
    HISTORY_FILE,
    RunRecord,
    Trends,
    download_trends,
    history_records,
    record_line,
    records_of_older_report,
    run_record,
)
from syncer.hub.client import HubClient, HubSettings
from syncer.hub.facts import FetchOptions, Listings
from syncer.mappings import Mappings, check_against_catalog, load_mappings
from syncer.models import Catalog, Entry
from syncer.notices import Notice, catalog_notices
from syncer.pipeline import (
    Job,
    RunOptions,
    ShardEntries,
    keep_other_entries,
    mapping_state,
    merge_reports,
    run_sync,
    select_entries,
)
from syncer.plan import RunPlan, plan_run
from syncer.reconcile import load_policy
from syncer.report import READABLE, Baseline, BaselineEntry, ChangeKind, EntryReport, RepoFacts, Report, Verdict, read_fresh
from syncer.shards import Shard, assign
from syncer.spool import SpooledById
from syncer.writer import reports_lock, write_reports


@dataclass(frozen=True)
class RunSettings:
    """A run, as `syncer run` takes it; the defaults are the CLI's."""

    catalog: Path = Path("catalog")  # a document, or a folder whose *.md are all read
    mappings: Path = Path("mappings")  # a YAML file, or a folder whose *.yaml are all read
    reports: Path = Path("reports")
    endpoint: str | None = None  # None: $HF_ENDPOINT, else https://huggingface.co
    concurrency: int = 8  # requests in flight per quota bucket
    only: tuple[str, ...] = ()  # entry names or ids; the others are carried from the previous report
    shard: str | None = None  # `I/N`: only part I of N of the entries, for `merge`
    fail_on: FailOn = FailOn.NEVER
    timeout: float = 30.0  # seconds per request, connecting to last byte
    max_wait: float = 300.0  # the longest wait the Hub may ask for
    newer: bool = True  # look for releases that supersede each entry
    wait_lock: bool = False  # wait for another run on the same reports instead of failing
    previous: Path | None = None  # the report to diff against; None: REPORTS/latest.json
    # A bad day on the Hub (syncer.guard): a first 404 of a repo read before is held until
    # `confirm_after` runs in a row answer 404; a run over a threshold is held back.
    confirm_after: int = DEFAULT_CONFIRM_AFTER
    max_unread_share: float = DEFAULT_MAX_UNREAD_SHARE  # of the repos read before, not read now
    max_flip_share: float = DEFAULT_MAX_FLIP_SHARE  # of the verdicts decided before, changed now
    min_flips: int = DEFAULT_MIN_FLIPS  # fewer verdict changes never hold a run
    accept_churn: bool = False  # write latest.* whatever the thresholds say


@dataclass(frozen=True)
class MergeSettings:
    """`syncer merge`: the snapshots of one `run --shard` set, merged into `reports`."""

    snapshots: tuple[Path, ...]
    reports: Path = Path("reports")
    allow_incomplete: bool = False


@dataclass(frozen=True)
class RenderSettings:
    """`syncer report`: a stored snapshot, rendered again into `reports`."""

    snapshot: Path
    reports: Path = Path("reports")
    force: bool = False  # replace latest.* even when they are newer than the snapshot


@dataclass(frozen=True)
class Outcome:
    """What a command wrote: the report, its files (latest.md last) and the download trends
    shown with it (None: no history.jsonl, so the trend the report carries)."""

    report: Report
    written: list[Path]
    trends: Trends | None


@dataclass(frozen=True)
class RenderOutcome(Outcome):
    """`syncer report`'s outcome: and the time of the latest.json it replaced (None: there was none)."""

    replaced: str | None


@dataclass(frozen=True)
class RunOutcome(Outcome):
    """A run's outcome, with the plan it was drawn up with, whether findings breach its
    `fail_on` (the CLI's exit 1), and why it was held back (the CLI's exit 4; empty: it was
    not, and latest.* are this run's)."""

    plan: RunPlan
    breaches_fail_on: bool
    held: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchProgress:
    """How far the Hub part of a run is, and what it has asked for so far."""

    done: int  # repos
    total: int
    api: int  # requests, per quota bucket
    resolvers: int
    rate_limited: int


class Listener:
    """What a command tells as it goes. This one ignores it all; subclass what you need."""

    def notice(self, notice: Notice) -> None:
        """A warning (a skipped table, an unreadable previous report, an expired acceptance)."""

    def planned(self, plan: RunPlan) -> None:
        """The run's plan, before its first request."""

    def waiting(self, seconds: float) -> None:
        """The run is about to wait `seconds` for the Hub (a rate-limit window, a backoff)."""

    def fetching(self, total: int, progress: Callable[[], FetchProgress]) -> AbstractContextManager[object]:
        """Held while the `total` repos are read; `progress()` says how far it is, any time."""
        return nullcontext()

    def repo_done(self, facts: RepoFacts) -> None:
        """One repo was read (or failed), from one of the run's worker threads."""


QUIET = Listener()
HELD_FOLDER = "held"  # under the reports folder: where a held-back run's reports go


def breaches(report: Report, fail_on: FailOn) -> bool:
    """Whether `report` holds what `fail_on` fails a run for: a contradicted claim, any
    change since the previous report, a repo that could not be read, or an entry with a
    newer release. Accepted findings (`accept:` in the mapping, not expired) never count."""
    return bool(_breaching(report, fail_on))


def breach_line(report: Report, fail_on: FailOn) -> str | None:
    """One line saying which findings breach `fail_on`, the first of them named; None when
    none does: `fail-on contradicted: 3 claims contradicted (first: gemma: 可商用)`."""
    found = _breaching(report, fail_on)
    if not found:
        return None
    what = {
        FailOn.CONTRADICTED: ("claim contradicted", "claims contradicted"),
        FailOn.CHANGED: ("change since the previous report", "changes since the previous report"),
        FailOn.STALE: ("entry with a newer release", "entries with a newer release"),
        FailOn.ERRORS: ("repo not read", "repos not read"),
    }[fail_on][len(found) > 1]
    return f"fail-on {fail_on.value}: {len(found)} {what} (first: {found[0]})"


def _breaching(report: Report, fail_on: FailOn) -> list[str]:
    """What breaches `fail_on`, each as `entry: what`, in report order."""
    if fail_on is FailOn.CONTRADICTED:
        return [
            f"{entry.id}: {finding.text}"
            for entry in report.entries
            for finding in entry.claims
            if finding.verdict is Verdict.CONTRADICTED and not finding.excused
        ]
    if fail_on is FailOn.CHANGED:
        excused = {(entry.id, finding.text) for entry in report.entries for finding in entry.claims if finding.excused}
        return [
            f"{change.entry}: {change.kind.value} {change.claim or change.field or change.repo_id or ''}".rstrip()
            + f" {change.old!r} -> {change.new!r}"
            for change in report.changes
            if not (change.kind is ChangeKind.VERDICT and (change.entry, change.claim) in excused)
        ]
    if fail_on is FailOn.STALE:
        return [f"{entry.id}: {entry.newer[0].repo_id}" for entry in report.entries if entry.newer]
    if fail_on is FailOn.ERRORS:  # a repo whose facts are carried was not read either
        return [
            f"{entry.id}: {repo.requested_id} {repo.status if repo.status not in READABLE else 'not refreshed'}"
            for entry in report.entries
            for repo in entry.repos
            if not read_fresh(repo)
        ]
    return []


def run(settings: RunSettings, listener: Listener = QUIET) -> RunOutcome:
    """The whole job: check every claim against the Hub and write the reports.

    Input is checked before any request (the rules, the catalog, the mapping, the flags, the
    reports folder), then the run takes the reports folder's lock for its whole length."""
    with ExitStack() as held:
        prepared = _prepare(settings, listener, held)
        hub = prepared.hub
        drawn = _plan(prepared.job, settings, hub)
        listener.planned(drawn)
        hub.sleep = _told_before(listener.waiting, hub.sleep)
        hub.timeout, hub.max_wait = settings.timeout, settings.max_wait
        # What is left of the inputs lives to the end of the run: later garbage collections
        # need not walk it again and again.
        gc.freeze()
        held.callback(gc.unfreeze)
        report = _fetch(prepared.job, hub, settings, listener)
        if prepared.whole_previous is not None:
            report = keep_other_entries(report, prepared.whole_previous, prepared.catalog_order)
        if settings.shard:
            report = report.model_copy(update={"shard": settings.shard.strip()})
        thresholds = Thresholds(settings.max_unread_share, settings.max_flip_share, settings.min_flips)
        held_because = [] if settings.accept_churn else held_back(report.churn, thresholds)
        if held_because:
            report = report.model_copy(update={"held": held_because})
        # A shard's reports are an input of `merge`, which appends the merged run's line; a
        # held run appends none: history.jsonl stays as it was with latest.*.
        trends, history_line = _history(report, settings.reports, listener, append=not (settings.shard or held_because),
                                        migrated=prepared.migrated)  # fmt: skip
        written = write_reports(
            report, settings.reports / HELD_FOLDER if held_because else settings.reports,
            patch=suggested_patch(report, _read_document_text), trends=trends, history_line=history_line,
        )  # fmt: skip
        _tell_expired(report, listener)
        return RunOutcome(report, written, trends, drawn, breaches(report, settings.fail_on), tuple(held_because))


def plan(settings: RunSettings, listener: Listener = QUIET) -> RunPlan:
    """The requests `run(settings)` needs per quota bucket and the least time the quota
    allows: from the mapping and the previous report alone, without any request."""
    load_policy()
    selection = _select(settings, listener)
    baseline = _baseline(_previous_file(settings), listener)
    return _plan(Job.of(selection.entries, selection.mappings, baseline), settings, selection.hub)


def shard_plans(settings: RunSettings, count: int, listener: Listener = QUIET) -> list[RunPlan]:
    """The plan of each of `count` shards (`run --shard I/count`), from one reading of the
    catalog, the mapping and the previous report: what each job of a matrix will ask for."""
    load_policy()
    selection = _select(replace(settings, shard=None), listener)
    baseline = _baseline(_previous_file(settings), listener)
    assigned = assign(((entry.id, mapping_state(entry, selection.mappings)[1]) for entry in selection.entries), count)
    plans = []
    for index in range(1, count + 1):
        entries = [entry for entry in selection.entries if assigned[entry.id] == index]
        plans.append(_plan(Job.of(entries, selection.mappings, baseline), settings, selection.hub))
    return plans


def merge(settings: MergeSettings, listener: Listener = QUIET) -> Outcome:
    """Combine the snapshots of `run --shard` jobs into one report (no network), diffed
    against the report already in `settings.reports`. An incomplete shard set is refused
    unless `allow_incomplete`: a missing shard would silently drop its entries."""
    # The shards' entries and the previous report's go to disk as they are read (see
    # syncer.spool): the merge's memory stays about the same at any catalog size.
    entries = ShardEntries()
    shards = [_read_snapshot(path, entries.add) for path in settings.snapshots]
    if not settings.allow_incomplete:
        _check_complete(shards, settings.snapshots)
    _check_writable(settings.reports)
    # Of the report merged before, only what the changes are measured against.
    before: SpooledById[BaselineEntry] = SpooledById(BASELINE_ENTRY, lambda entry: entry.id)
    previous = _baseline(settings.reports / "latest.json", listener, each=before.add)
    if previous is None:  # unreadable after some entries: the run starts afresh, as a run does
        before = SpooledById(BASELINE_ENTRY, lambda entry: entry.id)
    try:
        merged = merge_reports(shards, entries, previous, before)
    except ValueError as exc:
        raise InputError(f"cannot merge: {exc}") from None
    trends, history_line = _history(merged, settings.reports, listener, append=True)
    written = write_reports(merged, settings.reports, trends=trends, history_line=history_line)
    return Outcome(merged, written, trends)


def render(settings: RenderSettings, listener: Listener = QUIET) -> RenderOutcome:
    """Re-render latest.md, latest.json and latest.sarif from a stored snapshot (no network).

    Download trends come from REPORTS/history.jsonl, up to the snapshot's time; a snapshot
    written before history.jsonl existed shows the trend it carries. Reports newer than the
    snapshot are not replaced unless `force`: an old snapshot would silently undo later runs."""
    stored = _read_snapshot(settings.snapshot)
    replaced = _generated_at(settings.reports / "latest.json")
    if replaced is not None and replaced > stored.generated_at and not settings.force:
        raise InputError(
            f"{settings.reports / 'latest.json'} is from {replaced}, newer than the snapshot "
            f"({stored.generated_at}); pass --force to replace it, or --reports DIR to write elsewhere",
            path=settings.snapshot,
        )
    trends, _ = _history(stored, settings.reports, listener, append=False)
    written = write_reports(stored, settings.reports, snapshot=False, trends=trends)
    return RenderOutcome(stored, written, trends, replaced)


_GENERATED_AT = re.compile(rb'"generated_at"\s*:\s*"([^"]*)"')


def _generated_at(path: Path) -> str | None:
    """The time of an existing report, from its head (the key comes second); None if none is there."""
    try:
        with path.open("rb") as file:
            match = _GENERATED_AT.search(file.read(4096))
    except OSError:
        return None
    return match.group(1).decode("utf-8", "replace") if match else None


class _Selection(NamedTuple):
    entries: list[Entry]
    mappings: Mappings
    hub: HubSettings
    catalog_order: list[str]  # every entry id of the catalog, in its order


@dataclass(frozen=True)
class _Prepared:
    job: Job
    hub: HubSettings
    catalog_order: list[str]
    whole_previous: Report | None  # with `only`: the report whose other entries are carried
    migrated: list[RunRecord] = field(default_factory=list)


def _select(settings: RunSettings, listener: Listener) -> _Selection:
    """The catalog's entries this run is for, their mapping (checked) and the Hub to ask."""
    catalog = load_catalog(settings.catalog)
    for notice in catalog_notices(catalog):
        listener.notice(notice)
    mappings = _valid_mappings(settings.mappings, catalog, listener)
    entries = select_entries(catalog, settings.only)
    if settings.only and not entries:
        raise InputError(f"--only {' '.join(settings.only)}: no catalog entry has that name or id")
    if settings.shard:
        try:
            part = Shard.parse(settings.shard)
        except ValueError as exc:
            raise InputError(f"--shard {exc}") from None
        # Deterministic from the whole catalog and mapping, whatever --only selects.
        ids = part.entry_ids((entry.id, mapping_state(entry, mappings)[1]) for entry in catalog.entries)
        entries = [entry for entry in entries if entry.id in ids]
    hub = HubSettings.from_environment(settings.endpoint)
    return _Selection(entries, mappings, hub, [entry.id for entry in catalog.entries])


def _prepare(settings: RunSettings, listener: Listener, held: ExitStack) -> _Prepared:
    """The run's job, with the reports folder checked and locked (until `held` closes).

    The run uses the job up entry by entry (see Job): the catalog, the mapping and the
    previous report are this function's alone, so that when it returns the job is the only
    holder of what it needs of them, and each entry's inputs are freed as it is reported."""
    load_policy()  # a malformed rules file stops the run before any request
    selection = _select(settings, listener)
    _check_writable(settings.reports)
    held.enter_context(reports_lock(settings.reports, settings.wait_lock))
    # `only` carries every other entry of the previous report as it was: it is read whole.
    # Otherwise a run needs only its repo facts, verdicts, history and listing depths.
    whole = bool(settings.only) and not settings.shard
    previous: Report | Baseline | None = (
        _read_previous(_previous_file(settings), _whole_report, listener) if whole
        else _baseline(_previous_file(settings), listener)
    )  # fmt: skip
    older = previous is not None and previous.history and not (settings.reports / HISTORY_FILE).exists()
    return _Prepared(
        job=Job.of(selection.entries, selection.mappings, previous),
        hub=selection.hub,
        catalog_order=selection.catalog_order,
        whole_previous=previous if whole and isinstance(previous, Report) else None,
        # A report from before history.jsonl: its trend becomes the file's first lines.
        migrated=records_of_older_report(previous.history, selection.hub.endpoint) if older and previous else [],
    )


def _fetch(job: Job, hub: HubSettings, settings: RunSettings, listener: Listener) -> Report:
    """The job checked against the Hub, told to `listener` repo by repo."""
    total = len(job.wanted())
    done = [0]  # repos done, counted here whatever the listener does with them

    def on_repo_done(facts: RepoFacts) -> None:
        done[0] += 1
        listener.repo_done(facts)

    with HubClient(hub) as client:

        def progress() -> FetchProgress:
            buckets = client.requests.by_bucket
            return FetchProgress(done[0], total, buckets.get("api", 0), buckets.get("resolvers", 0), client.rate_limited)

        with listener.fetching(total, progress):
            client.probe()
            options = RunOptions(hub.endpoint, FetchOptions(settings.concurrency), settings.newer, settings.confirm_after)
            try:
                return run_sync(job, client, options, on_repo_done=on_repo_done)
            except NothingReadable as exc:
                raise CouldNotComplete(f"{exc}; previous reports left as they were") from None


def _plan(job: Job, settings: RunSettings, hub: HubSettings) -> RunPlan:
    options = FetchOptions(settings.concurrency)
    return plan_run(job.wanted(), job.previous_facts, Listings(job.listings), options, bool(hub.token), newer=settings.newer)


def _told_before(tell: Callable[[float], None], sleep: Callable[[float], None]) -> Callable[[float], None]:
    """`sleep` that first tells how long it is about to wait."""

    def tell_and_sleep(seconds: float) -> None:
        tell(seconds)
        sleep(seconds)

    return tell_and_sleep


def _history(
    report: Report, reports: Path, listener: Listener, append: bool, migrated: list[RunRecord] | None = None
) -> tuple[Trends | None, str | None]:
    """The download trends to show with `report` (None: no history.jsonl, so the trend an
    older report carries) and, when `append`, the lines this run adds to history.jsonl: the
    `migrated` records of an older report's trend first, then the run's own."""
    path = reports / HISTORY_FILE
    record = run_record(report) if append else None
    unreadable: list[int] = []
    stored = history_records(path, unreadable)
    if path.exists() and not path.is_file():  # a pipe would hang the read; the write replaces it
        listener.notice(Notice(f"{path}: not a regular file; the download trends start afresh"))
        stored = iter(())
    records = itertools.chain(migrated or [], stored, [record] if record is not None else [])
    trends = download_trends(records, report)
    if unreadable:
        lines = ", ".join(map(str, unreadable[:5])) + (" …" if len(unreadable) > 5 else "")
        listener.notice(Notice(f"{path}: line(s) {lines} are not history records; skipped"))
    if record is None:
        return trends, None
    return trends, "".join(record_line(line) for line in [*(migrated or []), record])


def _tell_expired(report: Report, listener: Listener) -> None:
    for entry in report.entries:
        for finding in entry.claims:
            if finding.accepted and finding.accepted.get("expired"):
                listener.notice(Notice(
                    f"{entry.mapping.where or entry.id}: the acceptance of {finding.text!r} ({entry.id}) expired on "
                    f"{finding.accepted['until']}; it counts for --fail-on again"
                ))  # fmt: skip


def _valid_mappings(path: Path, catalog: Catalog, listener: Listener) -> Mappings:
    mappings = load_mappings(path)
    problems = mappings.problems + check_against_catalog(mappings, catalog)[0]
    for problem in problems:
        listener.notice(Notice(str(problem), "error"))
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


def _previous_file(settings: RunSettings) -> Path:
    return settings.previous or settings.reports / "latest.json"


PreviousT = TypeVar("PreviousT", Report, Baseline)


def _read_previous(path: Path, parse: Callable[[BinaryIO], PreviousT], listener: Listener) -> PreviousT | None:
    """The previous report, as a whole `Report` or as the `Baseline` a run needs of it: parsed
    from the file as it is read (never decoded to one large string first)."""
    if not path.exists():
        return None
    if not path.is_file():  # a pipe would hang the read
        listener.notice(Notice(f"{path}: not a regular file; this run starts afresh"))
        return None
    try:
        with path.open("rb") as file:
            return parse(file)
    except (OSError, UnicodeDecodeError, ValidationError, ValueError):
        listener.notice(Notice(f"{path}: not a readable syncer report; this run starts afresh"))
        return None


def _baseline(path: Path, listener: Listener, each: Callable[[BaselineEntry], None] | None = None) -> Baseline | None:
    """The previous report as a run needs it; an entry of it that cannot be read (a hand edit)
    is skipped and named by its line: its repos are read as new, the rest is reused. With
    `each`, its entries are handed there as they are read, not kept in it."""
    skipped: list[int] = []
    baseline = _read_previous(path, lambda file: parse_baseline(file, skipped=skipped, each=each), listener)
    if skipped:
        lines = ", ".join(map(str, skipped[:5])) + (" …" if len(skipped) > 5 else "")
        listener.notice(Notice(f"{path}: the entries at line(s) {lines} are not report entries; skipped"))
    return baseline


def _whole_report(file: BinaryIO) -> Report:
    return Report.model_validate_json(file.read())


def _read_snapshot(path: Path, each: Callable[[EntryReport], None] | None = None) -> Report:
    """A stored report, read a chunk and an entry at a time (a merge reads one per shard and
    hands its entries to `each`)."""
    try:
        if not path.is_file() and path.exists():
            raise InputError("not a regular file", path=path)
        with path.open("rb") as file:
            return parse_report_by_entry(file, each=each)
    except FileNotFoundError:
        raise InputError("no such file", path=path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", path=path) from None
    except ValidationError as exc:
        first = exc.errors()[0]["msg"]
        raise InputError(f"not a syncer snapshot: {exc.error_count()} problem(s), first: {first}", path=path) from None
    except ValueError as exc:  # the entries array is broken
        raise InputError(str(exc), path=path) from None


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
        if part.index in parts:
            raise InputError(f"shard {report.shard} is given twice (also {parts[part.index]})", path=path)
        parts[part.index] = path
        counts.add(part.count)
    if len(counts) > 1:
        raise InputError(f"the snapshots come from different shard sets (of {', '.join(map(str, sorted(counts)))})")
    count = counts.pop()
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in parts]
    if missing:
        raise InputError(f"incomplete shard set: missing {', '.join(missing)}; merge all {count}, or pass --allow-incomplete")


def _read_document_text(document: str) -> str | None:
    """A catalog document's text for the suggested patch; None if it cannot be read now."""
    try:
        with Path(document).open(encoding="utf-8", newline="") as file:  # bytes as they are: BOM, CRLF
            return file.read()
    except (OSError, UnicodeDecodeError):
        return None
