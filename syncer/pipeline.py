"""The whole job, stage after stage: catalog -> mapping -> Hub facts -> verdicts -> report.

Nothing here prints or writes files; the CLI shows progress through `on_repo_done` and
the writer stores the report this returns.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from syncer.errors import TokenRefused
from syncer.hub.client import HubClient
from syncer.hub.facts import FetchOptions, Listings, fetch_facts, utc_now
from syncer.hub.releases import ReleaseLog, list_newest
from syncer.mappings import Mappings
from syncer.models import (
    Baseline,
    Catalog,
    Change,
    ChangeKind,
    ClaimKind,
    Entry,
    EntryReport,
    MappingState,
    Release,
    RepoFacts,
    Report,
    RepoStatus,
    Summary,
    Verdict,
)
from syncer.reconcile import (
    READABLE,
    accept_findings,
    is_size_superlative,
    judge_size_superlative,
    reconcile_entry,
    repo_sizes,
)
from syncer.successors import follow_new_versions, newer_releases, sized_models

# Repo fields whose change between runs is worth a line in the report.
# Facts whose change is news, in the order a maintainer cares about. Not downloads: a trend.
TRACKED_FIELDS = ("license", "license_name", "gated", "layers", "context_length", "parameters", "sha")
# config.json facts that read as null when only config.json failed this time: no change then.
CONFIG_FACTS = {"layers", "context_length"}
LARGEST_KEPT = 5  # the largest models seen, kept in the report for `merge`


class NothingReadable(Exception):
    """Not a single mapped repo could be read: the Hub is down or unreachable."""


@dataclass(frozen=True)
class RunOptions:
    endpoint: str
    only: tuple[str, ...] = ()
    fetch: FetchOptions = field(default_factory=FetchOptions)
    # Look for what supersedes each entry (syncer/successors.py): `new_version` chains, and one
    # listing page of newest repos for each author not listed anyway.
    newer: bool = True


def select_entries(catalog: Catalog, only: tuple[str, ...]) -> list[Entry]:
    """`--only NAME ...`: entries whose name or id is given (case-insensitive)."""
    if not only:
        return list(catalog.entries)
    wanted = {name.lower() for name in only}
    return [entry for entry in catalog.entries if entry.name.lower() in wanted or entry.id in wanted]


@dataclass(frozen=True)
class Shard:
    """Part `index` (1-based) of `count`: a stable share of the entries, by a hash of their ids."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """`2/4` -> Shard(2, 4); ValueError for anything else."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
            raise ValueError(f"{text!r} is not a shard: expected i/N with 1 <= i <= N, e.g. 1/4")
        return cls(int(match.group(1)), int(match.group(2)))

    def holds(self, entry: Entry) -> bool:
        # A hash of the id, not the position: adding an entry does not move the others.
        digest = int(hashlib.sha1(entry.id.encode("utf-8")).hexdigest(), 16)
        return digest % self.count == self.index - 1


def mapping_state(entry: Entry, mappings: Mappings) -> tuple[MappingState, list[str]]:
    mapped = mappings.entries.get(entry.id)
    if mapped is None:
        return MappingState(status="unmapped", reason="no mapping for this entry"), []
    where = f"{mapped.where.path}:{mapped.where.line}"
    if mapped.mapping.repos:
        return MappingState(status="mapped", reason=mapped.mapping.note, where=where), [ref.id for ref in mapped.mapping.repos]
    return MappingState(status="not_on_hub", reason=mapped.mapping.not_on_hub, where=where), []


def run_sync(
    entries: list[Entry],
    mappings: Mappings,
    client: HubClient,
    options: RunOptions,
    previous: Report | Baseline | None = None,
    on_repo_done: Callable[[RepoFacts], None] | None = None,
    now: Callable[[], str] = utc_now,
) -> Report:
    states = {entry.id: mapping_state(entry, mappings) for entry in entries}
    wanted = [repo for _, repos in states.values() for repo in repos]
    previous_facts = repo_facts_of(previous)
    listings = Listings(previous.listings if previous else {})
    release_log = ReleaseLog(mapped=wanted)
    fetch_options = replace(options.fetch, on_listed=release_log.saw) if options.newer else options.fetch
    facts = fetch_facts(wanted, client, previous_facts, fetch_options, on_repo_done, now, listings)
    if client.settings.token and any((f.error or "").startswith("HTTP 401") for f in facts.values()):
        raise TokenRefused("the Hub refused HF_TOKEN (HTTP 401): set a valid token, or unset HF_TOKEN to read anonymously")
    if wanted and not any(f.status in READABLE for f in facts.values()):
        raise NothingReadable(_why_nothing(facts))
    facts = {
        repo_id: _keep_fetch_time(_with_last_changes(repo, previous_facts.get(repo_id)), previous_facts.get(repo_id))
        for repo_id, repo in facts.items()
    }
    reached: dict[str, RepoFacts] = {}
    if options.newer:
        earlier = {repo.requested_id: repo for repo in (previous.successors if previous else [])}
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
    for entry in entries:
        state, repo_ids = states[entry.id]
        repos = [facts[repo_id] for repo_id in repo_ids]
        mapped = mappings.entries.get(entry.id)
        acceptances = mapped.mapping.accept if mapped else []
        findings = accept_findings(reconcile_entry(entry, state, repos, seen_models), acceptances, now()[:10])
        reports.append(
            EntryReport(
                id=entry.id, name=entry.name, document=entry.document, section=entry.section, line=entry.line,
                text=entry.text, mapping=state, repos=repos, claims=findings,
                newer=newer_releases(repos, reached, releases, mapped_by_author),
            )
        )  # fmt: skip
    requests = {**client.requests.by_bucket, "rate_limited": client.rate_limited}
    return Report(
        generated_at=now(),
        endpoint=options.endpoint,
        summary=summarise(reports, requests),
        entries=reports,
        changes=changes_between(previous, reports),
        compared_with=previous.generated_at if previous else None,
        successors=sorted(reached.values(), key=lambda repo: repo.requested_id.lower()),
        largest_seen=seen_models[:LARGEST_KEPT],
        listings=dict(sorted(listings.depths.items())),
    )


def keep_other_entries(report: Report, previous: Report | None, catalog: list[Entry]) -> Report:
    """A run over some entries (`--only`) updates those and carries every other entry of the
    previous report as it was, in catalog order: a partial run never shrinks the report."""
    if previous is None:
        return report
    fresh = {entry.id: entry for entry in report.entries}
    kept = {entry.id: entry for entry in previous.entries}
    entries = [fresh.get(entry.id) or kept[entry.id] for entry in catalog if entry.id in fresh or entry.id in kept]
    return report.model_copy(
        update={
            "entries": entries,
            "summary": summarise(entries, report.summary.requests),
            "listings": dict(sorted({**previous.listings, **report.listings}.items())),
        }
    )


def merge_reports(shards: list[Report], previous: Report | None, order: list[tuple[str, int]] | None = None) -> Report:
    """One report from the snapshots of shard runs, diffed against the previous merged report.

    Entries keep catalog order (document, then line); the requests of all shards add up.
    """
    entries = [entry for shard in shards for entry in shard.entries]
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise ValueError(f"entry {entry.id!r} is in more than one shard")
        seen.add(entry.id)
    entries.sort(key=lambda entry: (entry.document, entry.line))
    largest = sorted(
        {model.repo_id.lower(): model for shard in shards for model in shard.largest_seen}.values(),
        key=lambda model: -(model.parameters or 0),
    )[:LARGEST_KEPT]
    entries = [_judge_superlatives_again(entry, largest) for entry in entries]
    requests: Counter[str] = Counter()
    listings = dict(previous.listings) if previous else {}
    for shard in shards:
        requests.update(shard.summary.requests)
        listings.update(shard.listings)
    generated_at = max(shard.generated_at for shard in shards)
    endpoints = sorted({shard.endpoint for shard in shards})
    if len(endpoints) > 1:
        raise ValueError(f"the shards read different Hubs: {', '.join(endpoints)}")
    return Report(
        generated_at=generated_at,
        endpoint=endpoints[0],
        summary=summarise(entries, dict(requests)),
        entries=entries,
        changes=changes_between(previous, entries),
        compared_with=previous.generated_at if previous else None,
        successors=[repo for shard in shards for repo in shard.successors],
        largest_seen=largest,
        listings=dict(sorted(listings.items())),
    )


def _judge_superlatives_again(entry: EntryReport, largest: list[Release]) -> EntryReport:
    """A shard saw only its own authors' models; the merged report judges size superlatives
    against what all shards saw, as one run would have."""
    if not any(is_size_superlative(finding) for finding in entry.claims):
        return entry
    readable = [repo for repo in entry.repos if repo.status in READABLE]
    own_sizes = [value for repo in readable for value, _ in repo_sizes(repo)]
    own_sizes += [f.claimed for f in entry.claims if f.kind is ClaimKind.PARAMETERS and isinstance(f.claimed, int)]
    own_repos = {repo.repo_id.lower() for repo in readable}
    claims = [
        judge_size_superlative(f, own_sizes, own_repos, largest) if is_size_superlative(f) else f
        for f in entry.claims
    ]
    return entry.model_copy(update={"claims": claims})


def _why_nothing(facts: dict[str, RepoFacts]) -> str:
    statuses = Counter(f.status.value for f in facts.values())
    reasons = Counter(f.error for f in facts.values() if f.error)
    common = reasons.most_common(1)[0][0] if reasons else "no reason given"
    return f"no mapped repo could be read ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}); e.g. {common}"


def summarise(entries: list[EntryReport], requests: dict[str, int] | None = None) -> Summary:
    mapping = Counter(entry.mapping.status for entry in entries)
    repos = Counter(repo.status.value for entry in entries for repo in entry.repos)
    claims = Counter(finding.verdict.value for entry in entries for finding in entry.claims)
    return Summary(
        entries=len(entries),
        mapped=mapping["mapped"],
        not_on_hub=mapping["not_on_hub"],
        unmapped=mapping["unmapped"],
        repos={status.value: repos[status.value] for status in RepoStatus},
        claims={verdict.value: claims[verdict.value] for verdict in Verdict},
        requests=dict(sorted((requests or {}).items())),
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
    return repo.model_copy(update={"last_changed": changed}) if changed != repo.last_changed else repo


def _keep_fetch_time(repo: RepoFacts, previous: RepoFacts | None) -> RepoFacts:
    """Facts the Hub still states as before keep the time they were first seen, so that a
    re-run over an unchanged Hub rewrites the report identically but for `generated_at`."""
    if previous is not None and repo.model_copy(update={"fetched_at": previous.fetched_at}) == previous:
        return previous
    return repo


def changes_between(previous: Report | Baseline | None, entries: list[EntryReport]) -> list[Change]:
    """What moved since the previous snapshot: verdicts first (what a maintainer acts on), then
    facts (licence, gating, layers, context, parameters, new commits), repo statuses, mappings.
    Download counts are never a change."""
    if previous is None:
        return []
    before_repos = {(entry.id, repo.requested_id): repo for entry in previous.entries for repo in entry.repos}
    before_findings = {
        (entry.id, finding.kind, finding.text): finding for entry in previous.entries for finding in entry.claims
    }
    verdicts, facts, statuses, mappings = [], [], [], []
    for entry in entries:
        for finding in entry.claims:
            old_finding = before_findings.get((entry.id, finding.kind, finding.text))
            if old_finding is not None and old_finding.verdict != finding.verdict:
                verdicts.append(Change(
                    kind=ChangeKind.VERDICT, entry=entry.id, claim=finding.text, repo_id=finding.repo_id,
                    field=finding.kind.value, old=old_finding.verdict.value, new=finding.verdict.value,
                    reason=finding.reason,
                ))  # fmt: skip
        for repo in entry.repos:
            old = before_repos.get((entry.id, repo.requested_id))
            if old is None:
                mappings.append(Change(kind=ChangeKind.MAPPING, entry=entry.id, repo_id=repo.repo_id, old=None, new="added"))
                continue
            if old.status != repo.status:
                statuses.append(Change(kind=ChangeKind.STATUS, entry=entry.id, repo_id=repo.repo_id, field="status",
                                       old=old.status.value, new=repo.status.value))  # fmt: skip
            if old.repo_id != repo.repo_id:
                statuses.append(Change(kind=ChangeKind.STATUS, entry=entry.id, repo_id=repo.repo_id, field="repo_id",
                                       old=old.repo_id, new=repo.repo_id))  # fmt: skip
            if old.status in READABLE and repo.status in READABLE:
                for name in TRACKED_FIELDS:
                    old_value, new_value = getattr(old, name), getattr(repo, name)
                    if old_value != new_value and not (name in CONFIG_FACTS and None in (old_value, new_value)):
                        facts.append(Change(kind=ChangeKind.FACT, entry=entry.id, repo_id=repo.repo_id, field=name,
                                            old=old_value, new=new_value))  # fmt: skip
    now_keys = {(entry.id, repo.requested_id) for entry in entries for repo in entry.repos}
    current_ids = {entry.id for entry in entries}
    for earlier in previous.entries:
        for repo in earlier.repos:
            if (earlier.id, repo.requested_id) not in now_keys and earlier.id in current_ids:
                mappings.append(Change(kind=ChangeKind.MAPPING, entry=earlier.id, repo_id=repo.repo_id, old="present",
                                       new="removed"))  # fmt: skip
    facts.sort(key=lambda change: TRACKED_FIELDS.index(change.field or ""))
    return verdicts + facts + statuses + mappings
