"""Stage: what supersedes an entry's repos, and every model size the run has seen.

A list goes stale in a way no single repo shows: its model has been superseded. Two kinds
of evidence are read, strongest first:

- `new_version`: a repo's card names the repo that supersedes it. The chain is followed to
  its end (`Qwen/Qwen-7B` -> `Qwen/Qwen2-7B` -> `Qwen/Qwen2.5-7B`), cycle-safe and bounded.
- `family`: a newer repo of the same author whose name continues the mapped repo's family
  (syncer/families.py), created after the entry's newest mapped repo; ranked by downloads.

Both say why each release was matched, in words a maintainer can check.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import replace

from syncer.families import continues, is_repackaging, read_name
from syncer.hub.client import HubClient
from syncer.hub.facts import FetchOptions, Listings, fetch_facts
from syncer.report import READABLE, NewerRelease, Release, RepoFacts

MAX_CHAIN = 6  # new_version hops followed from a mapped repo; a longer chain is cut there
FAMILY_PER_ENTRY = 5  # the most downloaded family releases shown per entry


def follow_new_versions(
    facts: dict[str, RepoFacts], client: HubClient, previous: dict[str, RepoFacts], options: FetchOptions,
    listings: Listings | None = None,
) -> tuple[dict[str, RepoFacts], dict[str, RepoFacts]]:  # fmt: skip
    """The end of every mapped repo's `new_version` chain, with its facts: safe against cycles,
    at most MAX_CHAIN hops, one request per repo in a chain (and its config.json only when its
    commit moved since `previous`). Returns the mapped facts with `new_version` set, and the
    facts of every repo a chain reached."""
    reached: dict[str, RepoFacts] = {}
    known = {repo_id.lower(): repo for repo_id, repo in facts.items()}
    frontier = {repo.successor for repo in facts.values() if repo.successor and repo.successor.lower() not in known}
    for _ in range(MAX_CHAIN):
        if not frontier:
            break
        fetched = fetch_facts(sorted(frontier), client, previous, options, listings=listings)
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
    return repo if repo.new_version == end else replace(repo, new_version=end)


def newer_releases(
    repos: list[RepoFacts], reached: dict[str, RepoFacts], releases: dict[str, list[Release]],
    mapped_by_author: dict[str, list[RepoFacts]] | None = None,
) -> list[NewerRelease]:  # fmt: skip
    """What supersedes an entry's repos: `new_version` ends first, then family releases by
    downloads; each once, never one of the entry's own repos. `mapped_by_author`: the run's
    other mapped repos, by lower-case author - another entry's repo can supersede this one's."""
    mapped = {repo.repo_id.lower() for repo in repos} | {repo.requested_id.lower() for repo in repos}
    reached_by_id = {key.lower(): value for key, value in reached.items()}
    found: dict[str, NewerRelease] = {}
    for repo in repos:
        end = repo.new_version
        if end and end.lower() not in mapped and end.lower() not in found:
            facts = reached_by_id.get(end.lower())
            hops = "directly" if repo.successor and repo.successor.lower() == end.lower() else "through a chain"
            found[end.lower()] = NewerRelease(
                repo_id=facts.repo_id if facts else end,
                created_at=facts.created_at if facts else None,
                downloads=facts.downloads if facts else None,
                why="new_version",
                of=repo.repo_id,
                evidence=f"the card of {repo.repo_id} names it as `new_version` ({hops})"
                + ("" if facts and facts.status in READABLE else "; the Hub did not answer for it"),
                parameters=facts.parameters if facts else None,
                license=facts.license if facts else None,
                on_hub=bool(facts and facts.status in READABLE),
            )
    # A repo a chain passed through is superseded itself: no family release.
    skip = mapped | set(found) | set(reached_by_id)
    candidates = {
        author: [*releases.get(author, []), *(release_from_facts(r) for r in (mapped_by_author or {}).get(author, []))]
        for author in {repo.repo_id.split("/")[0].lower() for repo in repos}
    }
    family = _family_releases([r for r in repos if r.status in READABLE], candidates, skip)
    return list(found.values()) + family


def _family_releases(repos: list[RepoFacts], releases: dict[str, list[Release]], skip: set[str]) -> list[NewerRelease]:
    dated = [repo for repo in repos if repo.created_at]
    newest = max(dated, key=lambda repo: repo.created_at or "") if dated else None
    matches: dict[str, NewerRelease] = {}
    for repo in repos:
        candidates = []
        for release in releases.get(repo.repo_id.split("/")[0].lower(), []):
            if release.repo_id.lower() in skip or release.repo_id.lower() in matches:
                continue
            if newest and release.created_at and release.created_at <= (newest.created_at or ""):
                continue
            why = continues(release, repo.repo_id)
            if why is not None:
                candidates.append((read_name(release.repo_id).version, release, why))
        # Only the latest version continues the repo: Qwen2.5-7B, not also Qwen1.5-7B and Qwen2-7B.
        latest = max((version for version, _, _ in candidates), default=None)
        for version, release, why in candidates:
            if version != latest:
                continue
            when = (
                f", created {release.created_at[:10]}, after {newest.repo_id} ({(newest.created_at or '')[:10]})"
                if newest and release.created_at
                else "; its creation date is not given"
            )
            matches[release.repo_id.lower()] = NewerRelease(
                repo_id=release.repo_id, created_at=release.created_at, downloads=release.downloads, why="family",
                of=repo.repo_id, evidence=why + when, parameters=release.parameters,
            )  # fmt: skip
    ranked = sorted(matches.values(), key=lambda item: -(item.downloads or 0))
    return ranked[:FAMILY_PER_ENTRY]


SIZED_KEPT = 50  # the largest models a superlative is judged against (an entry's own among them)


def release_from_facts(repo: RepoFacts) -> Release:
    """A mapped repo's facts as a release: a candidate for another entry's family, or a size."""
    return Release(
        repo_id=repo.repo_id, created_at=repo.created_at, downloads=repo.downloads, parameters=repo.parameters,
        parameters_source=repo.parameters_source, base_models=repo.base_models, sha=repo.sha,
    )  # fmt: skip


def sized_models(facts: Iterable[RepoFacts], releases: dict[str, list[Release]]) -> list[Release]:
    """The largest models the run has seen - mapped repos, chain ends, the authors' listings -
    largest first, once each; re-packagings (quantised, adapters) left out, since their
    stored size is not the model's. Only the largest SIZED_KEPT are made into values."""
    mapped = heapq.nlargest(
        SIZED_KEPT, (repo for repo in facts if repo.status in READABLE and repo.parameters), key=lambda r: r.parameters or 0
    )
    listed = heapq.nlargest(
        SIZED_KEPT,
        (r for found in releases.values() for r in found if r.parameters and not is_repackaging(r)),
        key=lambda r: r.parameters or 0,
    )
    models = {repo.repo_id.lower(): release_from_facts(repo) for repo in mapped}
    for release in listed:
        models.setdefault(release.repo_id.lower(), release)
    return sorted(models.values(), key=lambda model: -(model.parameters or 0))[:SIZED_KEPT]
