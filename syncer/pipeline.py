"""The whole job, stage after stage: catalog -> mapping -> Hub facts -> verdicts -> report.

Nothing here prints or writes files; the CLI shows progress through `on_repo_done` and
the writer stores the report this returns.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from syncer.errors import NothingReadable, TokenRefused
from syncer.formats.report_json import ENTRY_REPORT
from syncer.guard import DEFAULT_CONFIRM_AFTER, carry_unrefreshed, keep_last_known, unread_counts
from syncer.hub.client import HubClient
from syncer.hub.facts import FetchOptions, Listings, fetch_facts, utc_now
from syncer.hub.releases import ReleaseLog, list_newest
from syncer.mappings import Mappings, is_unreviewed
from syncer.models import Catalog, ClaimKind, Entry
from syncer.reconcile import (
    accept_findings,
    can_decide,
    cite,
    is_size_superlative,
    judge_size_superlative,
    reconcile_entry,
    repo_sizes,
    spare_unreviewed,
)
from syncer.report import (
    READABLE,
    Baseline,
    BaselineEntry,
    BaselineFinding,
    Change,
    ChangeKind,
    Churn,
    EntryReport,
    Finding,
    MappingState,
    Release,
    RepoFacts,
    Report,
    RepoStatus,
    Summary,
    Verdict,
)
from syncer.spool import Spool
from syncer.successors import follow_new_versions, newer_releases, sized_models

# Repo facts whose change between runs is worth a line in the report, in the order a
# maintainer cares about. Not downloads: a trend.
TRACKED_FIELDS = ("license", "license_name", "gated", "layers", "context_length", "parameters", "sha")
# config.json facts that read as null when only config.json failed this time: no change then.
CONFIG_FACTS = {"layers", "context_length"}
LARGEST_KEPT = 5  # the largest models seen, kept in the report for `merge`


@dataclass(frozen=True)
class RunOptions:
    endpoint: str
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # Look for what supersedes each entry (syncer/successors.py): `new_version` chains, and one
    # listing page of newest repos for each author not listed anyway.
    newer: bool = True
    # Runs in a row that must answer 404 for a repo the previous report had read before its
    # facts and verdicts go (syncer.guard.carry_unrefreshed).
    confirm_after: int = DEFAULT_CONFIRM_AFTER


def select_entries(catalog: Catalog, only: tuple[str, ...]) -> list[Entry]:
    """`--only NAME ...`: entries whose name or id is given (case-insensitive)."""
    if not only:
        return list(catalog.entries)
    wanted = {name.lower() for name in only}
    return [entry for entry in catalog.entries if entry.name.lower() in wanted or entry.id in wanted]


def mapping_state(entry: Entry, mappings: Mappings) -> tuple[MappingState, list[str]]:
    mapped = mappings.entries.get(entry.id)
    if mapped is None:
        return MappingState(status="unmapped", reason="no mapping for this entry"), []
    where = f"{mapped.where.path}:{mapped.where.line}"
    if mapped.mapping.repos:
        return MappingState(status="mapped", reason=mapped.mapping.note, where=where), [ref.id for ref in mapped.mapping.repos]
    if not mapped.mapping.not_on_hub:  # a to-do: nothing mapped yet
        return MappingState(status="unmapped", reason=f"to do: {mapped.mapping.todo}", where=where), []
    return MappingState(status="not_on_hub", reason=mapped.mapping.not_on_hub, where=where), []


def unreviewed_repos(entry: Entry, mappings: Mappings) -> frozenset[str]:
    """The entry's repos a search chose that no person has reviewed (and the document does not link)."""
    mapped = mappings.entries.get(entry.id)
    links = {link.lower() for link in entry.hub_links}
    refs = mapped.mapping.repos or [] if mapped else []
    return frozenset(ref.id for ref in refs if is_unreviewed(ref, links))


@dataclass(frozen=True)
class JobItem:
    """What reporting one entry needs: the entry, its mapping, the findings its maintainer
    accepts, and the entry as the previous report had it (None: not in it)."""

    entry: Entry
    mapping: MappingState
    repo_ids: list[str]
    accept: list[Any]
    before: EntryReport | BaselineEntry | None
    unreviewed: frozenset[str] = frozenset()  # repo ids chosen by a search, not reviewed


@dataclass
class Job:
    """One run's work, handed over to `run_sync`, which uses it up.

    `run_sync` takes each item out once its entry is reported. When nothing else holds the
    catalog, the mapping or the previous report (the CLI lets go of them), each entry's
    inputs are freed as its report is made, instead of a large catalog's inputs and report
    peaking side by side (at 50,000 entries, with the previous report read a chunk at a
    time, the peak went from 542 to 444 MB: benchmarks/RESULTS.md).
    """

    items: deque[JobItem]
    # Of the previous report: the facts a run may reuse, what the new report's changes are
    # measured against (None: there is none, so there are no changes), the `new_version`
    # chain ends, and the listing depths.
    previous_facts: dict[str, RepoFacts]
    compared_with: str | None
    successors: list[RepoFacts]
    listings: dict[str, int]

    @classmethod
    def of(cls, entries: list[Entry], mappings: Mappings, previous: Report | Baseline | None) -> Job:
        before: dict[str, EntryReport | BaselineEntry] = {entry.id: entry for entry in previous.entries} if previous else {}
        items: deque[JobItem] = deque()
        for entry in entries:
            state, repo_ids = mapping_state(entry, mappings)
            mapped = mappings.entries.get(entry.id)
            items.append(JobItem(entry, state, repo_ids, mapped.mapping.accept if mapped else [], before.get(entry.id),
                                 unreviewed_repos(entry, mappings)))  # fmt: skip
        return cls(
            items=items,
            previous_facts=repo_facts_of(previous),
            compared_with=previous.generated_at if previous else None,
            successors=list(previous.successors) if previous else [],
            listings=dict(previous.listings) if previous else {},
        )

    def wanted(self) -> list[str]:
        """Every mapped repo of the job, in catalog order (a repo of two entries twice)."""
        return [repo_id for item in self.items for repo_id in item.repo_ids]


def run_sync(
    job: Job,
    client: HubClient,
    options: RunOptions,
    on_repo_done: Callable[[RepoFacts], None] | None = None,
    now: Callable[[], str] = utc_now,
) -> Report:
    """Check every entry of `job` against the Hub; the job is empty when this returns."""
    wanted = job.wanted()
    previous_facts = job.previous_facts
    listings = Listings(job.listings)
    release_log = ReleaseLog(mapped=wanted)
    fetch_options = replace(options.fetch, on_listed=release_log.saw) if options.newer else options.fetch
    facts = fetch_facts(wanted, client, previous_facts, fetch_options, on_repo_done, now, listings)
    if client.settings.token and any((f.error or "").startswith("HTTP 401") for f in facts.values()):
        raise TokenRefused("the Hub refused HF_TOKEN (HTTP 401): set a valid token, or unset HF_TOKEN to read anonymously")
    if wanted and not any(f.status in READABLE for f in facts.values()):
        raise NothingReadable(_why_nothing(facts))
    facts = carry_unrefreshed(facts, previous_facts, options.confirm_after)
    readable_before, unread = unread_counts(wanted, facts, previous_facts)
    facts = {
        repo_id: _keep_fetch_time(
            _with_last_changes(keep_last_known(repo, previous_facts.get(repo_id)), previous_facts.get(repo_id)),
            previous_facts.get(repo_id),
        )
        for repo_id, repo in facts.items()
    }
    job.previous_facts = {}  # let go: what the changes still need of them, each item's `before` holds
    reached: dict[str, RepoFacts] = {}
    if options.newer:
        earlier = {repo.requested_id: repo for repo in job.successors}
        facts, reached = follow_new_versions(facts, client, earlier, fetch_options, listings)
        reached = {key: _keep_fetch_time(repo, earlier.get(key)) for key, repo in reached.items()}
        authors = {repo.repo_id.split("/")[0] for repo in facts.values() if repo.status in READABLE}
        list_newest(authors, client, release_log, options.fetch.concurrency)
    releases = release_log.by_author()
    seen_models = sized_models([*facts.values(), *reached.values()], releases)
    mapped_by_author: dict[str, list[RepoFacts]] = defaultdict(list)
    for repo in facts.values():
        if repo.status in READABLE:
            mapped_by_author[repo.repo_id.split("/")[0].lower()].append(repo)

    reports = []
    changes = Changes() if job.compared_with is not None else None
    while job.items:
        item = job.items.popleft()
        entry = item.entry
        repos = [facts[repo_id] for repo_id in item.repo_ids]
        findings = reconcile_entry(entry, item.mapping, repos, seen_models)
        if item.unreviewed:
            findings = spare_unreviewed(findings, entry, item.mapping, repos, item.unreviewed, seen_models)
        findings = cite_findings(findings, repos, seen_models, options.endpoint, now(), item.before)
        findings = accept_findings(findings, item.accept, now()[:10])
        report = EntryReport(
            id=entry.id, name=entry.name, document=entry.document, section=entry.section, line=entry.line,
            text=entry.text, mapping=item.mapping, repos=repos, claims=findings,
            newer=newer_releases(repos, reached, releases, mapped_by_author),
        )  # fmt: skip
        reports.append(report)
        if changes is not None:
            changes.add(item.before, report)
    requests = {**client.requests.by_bucket, "rate_limited": client.rate_limited}
    return Report(
        generated_at=now(),
        endpoint=options.endpoint,
        summary=summarise(reports, requests),
        entries=reports,
        changes=changes.in_order() if changes is not None else [],
        compared_with=job.compared_with,
        successors=sorted(reached.values(), key=lambda repo: repo.requested_id.lower()),
        largest_seen=seen_models[:LARGEST_KEPT],
        listings=dict(sorted(listings.depths.items())),
        churn=changes.churn(readable_before, unread) if changes is not None else None,
    )


def cite_findings(
    findings: list[Finding], repos: list[RepoFacts], models: list[Release], endpoint: str, read_at: str,
    before: EntryReport | BaselineEntry | None,
) -> list[Finding]:  # fmt: skip
    """Each decided finding with its evidence (reconcile.cite), keeping the time the previous
    report gave the same evidence."""
    earlier: dict[tuple[ClaimKind, str], Finding | BaselineFinding] = (
        {(finding.kind, finding.text): finding for finding in before.claims} if before else {}
    )
    return [cite(finding, repos, models, endpoint, read_at, earlier.get((finding.kind, finding.text))) for finding in findings]


def keep_other_entries(report: Report, previous: Report | None, order: list[str]) -> Report:
    """A run over some entries (`--only`) updates those and carries every other entry of the
    previous report as it was, in catalog order (`order`: the catalog's entry ids): a partial
    run never shrinks the report."""
    if previous is None:
        return report
    fresh = {entry.id: entry for entry in report.entries}
    kept = {entry.id: entry for entry in previous.entries}
    entries = [fresh.get(entry_id) or kept[entry_id] for entry_id in order if entry_id in fresh or entry_id in kept]
    return report.model_copy(
        update={
            "entries": entries,
            "summary": summarise(entries, report.summary.requests),
            "listings": dict(sorted({**previous.listings, **report.listings}.items())),
        }
    )


class ShardEntries:
    """The entries of a shard set, gathered as the snapshots are read: spooled to disk in the
    order read (see syncer.spool), with what putting them in catalog order takes (their
    document and line) and the first entry id read twice."""

    def __init__(self) -> None:
        self.spool: Spool[EntryReport] = Spool(ENTRY_REPORT)
        self._documents: dict[str, int] = {}
        self._document_of = array("l")
        self._lines = array("q")
        self._ids: set[str] = set()
        self.twice: str | None = None

    def add(self, entry: EntryReport) -> None:
        if entry.id in self._ids and self.twice is None:
            self.twice = entry.id
        self._ids.add(entry.id)
        self._document_of.append(self._documents.setdefault(entry.document, len(self._documents)))
        self._lines.append(entry.line)
        self.spool.append(entry)

    def in_catalog_order(self) -> array[int]:
        """Positions by document, then line; entries at the same place keep the order read."""
        names = list(self._documents)
        document_of, lines = self._document_of, self._lines
        return array("q", sorted(range(len(lines)), key=lambda at: (names[document_of[at]], lines[at])))


def merge_reports(
    shards: list[Report], entries: ShardEntries, previous: Baseline | None, before: Mapping[str, BaselineEntry]
) -> Report:
    """One report from the snapshots of shard runs (their outlines, and their entries as
    `entries` gathered them), diffed against the previous merged report (`before`: its
    entries by id).

    Entries keep catalog order (document, then line); the requests of all shards add up.
    The report's entries are read from the spool each time they are gone through, so that
    no more than one of them is held at a time.
    """
    if entries.twice is not None:
        raise ValueError(f"entry {entries.twice!r} is in more than one shard")
    largest = sorted(
        {model.repo_id.lower(): model for shard in shards for model in shard.largest_seen}.values(),
        key=lambda model: -(model.parameters or 0),
    )[:LARGEST_KEPT]
    generated_at = max(shard.generated_at for shard in shards)
    endpoints = sorted({shard.endpoint for shard in shards})
    if len(endpoints) > 1:
        raise ValueError(f"the shards read different Hubs: {', '.join(endpoints)}")
    merged = entries.spool.in_order(
        entries.in_catalog_order(), lambda entry: _judge_superlatives_again(entry, largest, endpoints[0], generated_at)
    )
    tally, changes = Tally(), Changes()
    for entry in merged:
        tally.add(entry)
        changes.add(before.get(entry.id), entry)
    requests: Counter[str] = Counter()
    listings = dict(previous.listings) if previous else {}
    for shard in shards:
        requests.update(shard.summary.requests)
        listings.update(shard.listings)
    # Built, not validated: every part is already a validated value, and validating would
    # read the spooled entries into a list.
    return Report.model_construct(
        generated_at=generated_at,
        endpoint=endpoints[0],
        summary=tally.summary(dict(requests)),
        entries=merged,
        changes=changes.in_order() if previous else [],
        compared_with=previous.generated_at if previous else None,
        successors=[repo for shard in shards for repo in shard.successors],
        largest_seen=largest,
        listings=dict(sorted(listings.items())),
    )


def _judge_superlatives_again(entry: EntryReport, largest: list[Release], endpoint: str, read_at: str) -> EntryReport:
    """A shard saw only its own authors' models; the merged report judges size superlatives
    against what all shards saw, as one run would have."""
    if not any(is_size_superlative(finding) for finding in entry.claims):
        return entry
    readable = [repo for repo in entry.repos if can_decide(repo)]
    own_sizes = [value for repo in readable for value, _ in repo_sizes(repo)]
    own_sizes += [f.claimed for f in entry.claims if f.kind is ClaimKind.PARAMETERS and isinstance(f.claimed, int)]
    own_repos = {repo.repo_id.lower() for repo in readable}
    claims = [
        cite(judge_size_superlative(f, own_sizes, own_repos, largest), entry.repos, largest, endpoint, read_at, f)
        if is_size_superlative(f) else f
        for f in entry.claims
    ]  # fmt: skip
    return replace(entry, claims=claims)


def _why_nothing(facts: dict[str, RepoFacts]) -> str:
    statuses = Counter(f.status.value for f in facts.values())
    reasons = Counter(f.error for f in facts.values() if f.error)
    common = reasons.most_common(1)[0][0] if reasons else "no reason given"
    return f"no mapped repo could be read ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}); e.g. {common}"


def summarise(entries: Iterable[EntryReport], requests: dict[str, int] | None = None) -> Summary:
    tally = Tally()
    for entry in entries:
        tally.add(entry)
    return tally.summary(requests)


@dataclass
class Tally:
    """The counts of a report's summary, gathered entry by entry (a merge goes through its
    spooled entries once for all of them)."""

    entries: int = 0
    mapping: Counter[str] = field(default_factory=Counter)
    repos: Counter[str] = field(default_factory=Counter)
    claims: Counter[str] = field(default_factory=Counter)
    not_refreshed: int = 0

    def add(self, entry: EntryReport) -> None:
        self.entries += 1
        self.mapping[entry.mapping.status] += 1
        for repo in entry.repos:
            self.repos[repo.status.value] += 1
            self.not_refreshed += repo.stale is not None
        for finding in entry.claims:
            self.claims[finding.verdict.value] += 1

    def summary(self, requests: dict[str, int] | None = None) -> Summary:
        return Summary(
            entries=self.entries,
            mapped=self.mapping["mapped"],
            not_on_hub=self.mapping["not_on_hub"],
            unmapped=self.mapping["unmapped"],
            repos={status.value: self.repos[status.value] for status in RepoStatus},
            claims={verdict.value: self.claims[verdict.value] for verdict in Verdict},
            requests=dict(sorted((requests or {}).items())),
            not_refreshed=self.not_refreshed,
        )


def repo_facts_of(previous: Report | Baseline | None) -> dict[str, RepoFacts]:
    if previous is None:
        return {}
    return {repo.requested_id: repo for entry in previous.entries for repo in entry.repos}


LICENCE_AND_GATING = ("license", "gated")


def _with_last_changes(repo: RepoFacts, previous: RepoFacts | None) -> RepoFacts:
    """When the licence or gating last changed, carried from report to report: a change seen
    now is recorded with the value it replaced; otherwise the previous record stands."""
    if previous is None:
        return repo
    changed = dict(previous.last_changed)
    if repo.status in READABLE and previous.status in READABLE:
        for name in LICENCE_AND_GATING:
            if getattr(previous, name) != getattr(repo, name):
                changed[name] = {"at": repo.fetched_at, "from": getattr(previous, name)}
    return replace(repo, last_changed=changed) if changed != repo.last_changed else repo


def _keep_fetch_time(repo: RepoFacts, previous: RepoFacts | None) -> RepoFacts:
    """Facts the Hub still states as before keep the time they were first seen, so that a
    re-run over an unchanged Hub rewrites the report identically but for `generated_at`."""
    if previous is not None and replace(repo, fetched_at=previous.fetched_at) == previous:
        return previous
    return repo


def changes_between(previous: Report | Baseline | None, entries: list[EntryReport]) -> list[Change]:
    """What moved since the previous snapshot (see `Changes`); nothing on a first run."""
    if previous is None:
        return []
    before: dict[str, EntryReport | BaselineEntry] = {entry.id: entry for entry in previous.entries}
    changes = Changes()
    for entry in entries:
        changes.add(before.get(entry.id), entry)
    return changes.in_order()


@dataclass
class Changes:
    """What moved since the previous snapshot, gathered entry by entry: verdicts first (what a
    maintainer acts on), then facts (licence, gating, layers, context, parameters, new
    commits), repo statuses, mappings added, mappings removed. Download counts are never a
    change."""

    verdicts: list[Change] = field(default_factory=list)
    facts: list[Change] = field(default_factory=list)
    statuses: list[Change] = field(default_factory=list)
    added: list[Change] = field(default_factory=list)
    removed: list[Change] = field(default_factory=list)
    # Verdicts the previous report had decided (confirmed, contradicted, partial) of claims
    # still made, and how many of them moved: what --max-flip-share measures.
    decided_before: int = 0
    flipped: int = 0

    def add(self, before: EntryReport | BaselineEntry | None, entry: EntryReport) -> None:
        """The changes of one entry; `before` is the entry in the previous snapshot (None: it
        was not there, so each of its repos is added)."""
        old_findings = {(finding.kind, finding.text): finding for finding in before.claims} if before else {}
        for finding in entry.claims:
            old_finding = old_findings.get((finding.kind, finding.text))
            if old_finding is not None and old_finding.verdict is not Verdict.UNVERIFIABLE:
                self.decided_before += 1
                self.flipped += old_finding.verdict != finding.verdict
            if old_finding is not None and old_finding.verdict != finding.verdict:
                self.verdicts.append(Change(
                    kind=ChangeKind.VERDICT, entry=entry.id, claim=finding.text, repo_id=finding.repo_id,
                    field=finding.kind.value, old=old_finding.verdict.value, new=finding.verdict.value,
                    reason=finding.reason,
                ))  # fmt: skip
        old_repos = {repo.requested_id: repo for repo in before.repos} if before else {}
        for repo in entry.repos:
            old = old_repos.get(repo.requested_id)
            if old is None:
                self.added.append(Change(kind=ChangeKind.MAPPING, entry=entry.id, repo_id=repo.repo_id, old=None, new="added"))
                continue
            if old.status != repo.status:
                self.statuses.append(Change(kind=ChangeKind.STATUS, entry=entry.id, repo_id=repo.repo_id, field="status",
                                            old=old.status.value, new=repo.status.value))  # fmt: skip
            if old.repo_id != repo.repo_id:
                self.statuses.append(Change(kind=ChangeKind.STATUS, entry=entry.id, repo_id=repo.repo_id, field="repo_id",
                                            old=old.repo_id, new=repo.repo_id))  # fmt: skip
            if old.status in READABLE and repo.status in READABLE:
                for name in TRACKED_FIELDS:
                    old_value, new_value = getattr(old, name), getattr(repo, name)
                    if old_value != new_value and not (name in CONFIG_FACTS and None in (old_value, new_value)):
                        self.facts.append(Change(kind=ChangeKind.FACT, entry=entry.id, repo_id=repo.repo_id, field=name,
                                                 old=old_value, new=new_value))  # fmt: skip
        now_repos = {repo.requested_id for repo in entry.repos}
        for repo in before.repos if before else []:
            if repo.requested_id not in now_repos:
                self.removed.append(Change(kind=ChangeKind.MAPPING, entry=entry.id, repo_id=repo.repo_id, old="present",
                                           new="removed"))  # fmt: skip

    def churn(self, readable_before: int, unread: int) -> Churn:
        return Churn(readable_before=readable_before, unread=unread, decided_before=self.decided_before, flipped=self.flipped)

    def in_order(self) -> list[Change]:
        facts = sorted(self.facts, key=lambda change: TRACKED_FIELDS.index(change.field or ""))
        return self.verdicts + facts + self.statuses + self.added + self.removed
