"""The whole job, stage after stage: catalog -> mapping -> Hub facts -> verdicts -> report.

Nothing here prints or writes files; the CLI shows progress through `on_repo_done` and
the writer stores the report this returns.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from syncer.errors import TokenRefused
from syncer.hub.client import HubClient
from syncer.hub.facts import FetchOptions, Listings, fetch_facts, utc_now
from syncer.mappings import Mappings
from syncer.models import (
    Baseline,
    Catalog,
    Change,
    ChangeKind,
    Entry,
    EntryReport,
    MappingState,
    RepoFacts,
    Report,
    RepoStatus,
    Summary,
    Verdict,
)
from syncer.reconcile import READABLE, accept_findings, reconcile_entry

# Repo fields whose change between runs is worth a line in the report.
# Facts whose change is news, in the order a maintainer cares about. Not downloads: a trend.
TRACKED_FIELDS = ("license", "license_name", "gated", "layers", "context_length", "parameters", "sha")
# config.json facts that read as null when only config.json failed this time: no change then.
CONFIG_FACTS = {"layers", "context_length"}
HISTORY_POINTS = 30


class NothingReadable(Exception):
    """Not a single mapped repo could be read: the Hub is down or unreachable."""


@dataclass(frozen=True)
class RunOptions:
    endpoint: str
    only: tuple[str, ...] = ()
    fetch: FetchOptions = field(default_factory=FetchOptions)


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
    facts = fetch_facts(wanted, client, previous_facts, options.fetch, on_repo_done, now, listings)
    if client.settings.token and any((f.error or "").startswith("HTTP 401") for f in facts.values()):
        raise TokenRefused("the Hub refused HF_TOKEN (HTTP 401): set a valid token, or unset HF_TOKEN to read anonymously")
    if wanted and not any(f.status in READABLE for f in facts.values()):
        raise NothingReadable(_why_nothing(facts))
    facts = {repo_id: _keep_fetch_time(repo, previous_facts.get(repo_id)) for repo_id, repo in facts.items()}
    facts, successors = follow_new_versions(facts, client, previous_facts, options, listings)

    reports = []
    for entry in entries:
        state, repo_ids = states[entry.id]
        repos = [facts[repo_id] for repo_id in repo_ids]
        mapped = mappings.entries.get(entry.id)
        acceptances = mapped.mapping.accept if mapped else []
        findings = accept_findings(reconcile_entry(entry, state, repos), acceptances, now()[:10])
        reports.append(
            EntryReport(
                id=entry.id, name=entry.name, document=entry.document, section=entry.section, line=entry.line,
                text=entry.text, mapping=state, repos=repos, claims=findings, newer=_newer(repos, successors),
            )
        )  # fmt: skip
    generated_at = now()
    requests = {**client.requests.by_bucket, "rate_limited": client.rate_limited}
    return Report(
        generated_at=generated_at,
        endpoint=options.endpoint,
        summary=summarise(reports, requests),
        entries=reports,
        changes=changes_between(previous, reports),
        compared_with=previous.generated_at if previous else None,
        history=_history(previous, reports, generated_at),
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
    fresh_repos = {repo.requested_id for entry in report.entries for repo in entry.repos}
    history = {**{repo: points for repo, points in previous.history.items() if repo not in fresh_repos}, **report.history}
    return report.model_copy(
        update={
            "entries": entries,
            "summary": summarise(entries, report.summary.requests),
            "history": dict(sorted(history.items())),
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
        history=_history(previous, entries, generated_at),
        listings=dict(sorted(listings.items())),
    )


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


MAX_CHAIN = 6  # new_version hops followed from a mapped repo; a longer chain is cut there


def follow_new_versions(
    facts: dict[str, RepoFacts], client: HubClient, previous: dict[str, RepoFacts], options: RunOptions,
    listings: Listings | None = None,
) -> tuple[dict[str, RepoFacts], dict[str, RepoFacts]]:
    """The end of every mapped repo's `new_version` chain (`Qwen/Qwen-7B` -> `Qwen/Qwen2-7B` ->
    `Qwen/Qwen2.5-7B`), with its facts: safe against cycles, at most MAX_CHAIN hops, one
    request per repo in a chain. Returns the mapped facts with `new_version` set, and the facts
    of every repo a chain reached."""
    reached: dict[str, RepoFacts] = {}
    known = {repo_id.lower(): repo for repo_id, repo in facts.items()}
    frontier = {repo.successor for repo in facts.values() if repo.successor and repo.successor.lower() not in known}
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        fetched = fetch_facts(sorted(frontier), client, previous, options.fetch, listings=listings)
        reached.update(fetched)
        known.update({repo_id.lower(): repo for repo_id, repo in fetched.items()})
        frontier = {r.successor for r in fetched.values() if r.successor and r.successor.lower() not in known}

    def end_of(repo: RepoFacts) -> str | None:
        seen, current = {repo.requested_id.lower()}, repo
        while current.successor and current.successor.lower() not in seen and len(seen) <= MAX_CHAIN:
            seen.add(current.successor.lower())
            following = known.get(current.successor.lower())
            if following is None or following.status not in READABLE:
                return current.successor  # the card names it; the Hub did not answer for it
            current = following
        return current.repo_id if current is not repo else None

    # A copy only where the chain's end differs: most repos have none, and their facts (often
    # the previous report's own objects, reused) are not duplicated.
    return {repo_id: _with_new_version(repo, end_of(repo)) for repo_id, repo in facts.items()}, reached


def _with_new_version(repo: RepoFacts, end: str | None) -> RepoFacts:
    return repo if repo.new_version == end else repo.model_copy(update={"new_version": end})


def _newer(repos: list[RepoFacts], successors: dict[str, RepoFacts]) -> list[dict[str, Any]]:
    """What supersedes an entry's repos, by their cards' `new_version`: once each, not a mapped repo."""
    mapped = {repo.repo_id.lower() for repo in repos} | {repo.requested_id.lower() for repo in repos}
    newer: dict[str, dict[str, Any]] = {}
    for repo in repos:
        end = repo.new_version
        if end and end.lower() not in mapped and end.lower() not in newer:
            facts = next((f for key, f in successors.items() if key.lower() == end.lower()), None)
            newer[end.lower()] = {
                "repo_id": facts.repo_id if facts else end,
                "created_at": facts.created_at if facts else None,
                "downloads": facts.downloads if facts else None,
                "why": "new_version",
                "of": repo.repo_id,
            }
    return list(newer.values())


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


def _history(
    previous: Report | Baseline | None, entries: list[EntryReport], generated_at: str
) -> dict[str, list[tuple[str, int | None]]]:
    old = previous.history if previous else {}
    earlier_facts = repo_facts_of(previous)
    history: dict[str, list[tuple[str, int | None]]] = {}
    for entry in entries:
        for repo in entry.repos:
            points = list(old.get(repo.requested_id, []))
            if previous and not points:
                earlier = earlier_facts.get(repo.requested_id)
                if earlier is not None:
                    points.append((previous.generated_at, earlier.downloads))
            if not points or points[-1][1] != repo.downloads:  # a new point only when the count moved
                points.append((generated_at, repo.downloads))
            history[repo.requested_id] = points[-HISTORY_POINTS:]
    return dict(sorted(history.items()))
