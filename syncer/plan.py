"""What a run will ask of the Hub, and the least time the Hub's quota allows for it.

The Hub counts API and resolver requests in separate buckets, each a fixed window, so a
run can take no less than its slower bucket: the last of its requests cannot go before
the window it falls in opens, (ceil(requests / quota) - 1) windows after the first (with
fresh windows; less of a window left to us means longer). The plan is made
from the mapping and the previous report alone, before any request: how many listing
pages and `model_info` calls (see `syncer.hub.facts.plan_api`), and how many config.json
reads - one per repo not read before, and, if their commits changed, the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from syncer.hub.facts import FetchOptions, Listings, plan_api
from syncer.report import READABLE, RepoFacts

WINDOW = 300.0  # seconds: the Hub's documented fixed window
# hub-docs rate-limits.md (table "as of September '25"): requests per window.
DOCUMENTED_QUOTA = {"anonymous": {"api": 500, "resolvers": 3000}, "free token": {"api": 1000, "resolvers": 5000}}


@dataclass(frozen=True)
class BucketPlan:
    name: str
    requests: int  # at least, if nothing changed on the Hub since the previous report
    most: int  # at most, with every listing read to its page budget
    if_changed: int  # at most this many more, if every repo read before has a new commit
    quota: int
    window: float

    @property
    def least_seconds(self) -> float:
        """The quota's floor for these requests: each window lets `quota` of them through."""
        return max(0, math.ceil(self.requests / self.quota) - 1) * self.window


@dataclass(frozen=True)
class RunPlan:
    repos: int
    listed_authors: int
    single_repos: int
    api: BucketPlan
    resolvers: BucketPlan
    quota_source: str

    @property
    def bound_by(self) -> BucketPlan:
        return max((self.api, self.resolvers), key=lambda bucket: bucket.least_seconds)


def plan_run(
    wanted: Iterable[str], previous: Mapping[str, RepoFacts], listings: Listings, options: FetchOptions, token: bool,
    newer: bool = True,
) -> RunPlan:  # fmt: skip
    """The plan with the Hub's documented quota for an anonymous run or one with a free token.
    `newer`: newer releases are looked for, one listing page of each author not listed."""
    repos = list(dict.fromkeys(wanted))
    if newer and options.on_listed is None:
        options = replace(options, on_listed=lambda author, info: None)  # plan as a run that looks for newer releases
    api = plan_api(repos, listings, options)
    listed = {author.lower() for author, _, _ in api.listings}
    newest_pages = len({repo.split("/", 1)[0].lower() for repo in api.singles} - listed) if newer else 0
    read_before = sum(1 for repo in repos if _reusable(previous.get(repo)))
    source = "free token" if token else "anonymous"
    quota = DOCUMENTED_QUOTA[source]

    def bucket(name: str, requests: int, most: int, if_changed: int) -> BucketPlan:
        return BucketPlan(name, requests, most, if_changed, quota[name], WINDOW)

    return RunPlan(
        repos=len(repos),
        listed_authors=len(api.listings),
        single_repos=len(api.singles),
        # + the probe that starts every run, + the newest-repos pages
        api=bucket("api", api.fewest_requests + 1 + newest_pages, api.most_requests + 1 + newest_pages, 0),
        resolvers=bucket("resolvers", len(repos) - read_before, len(repos) - read_before, read_before),
        quota_source=f"documented, {source}",
    )


def _reusable(previous: RepoFacts | None) -> bool:
    return previous is not None and previous.status in READABLE and bool(previous.sha)


def describe(plan: RunPlan) -> str:
    """The plan in a few lines, for people."""

    def line(bucket: BucketPlan) -> str:
        more = f", up to {bucket.most:,} if listings run long" if bucket.most > bucket.requests else ""
        more += f", +{bucket.if_changed:,} if their commits changed" if bucket.if_changed else ""
        return (
            f"  {bucket.name}: {bucket.requests:,} requests{more}; quota {bucket.quota:,} per {bucket.window:g} s; "
            f"least time {_duration(bucket.least_seconds)}"
        )

    bound = plan.bound_by
    return "\n".join([
        f"plan: {plan.repos:,} repos; {plan.listed_authors:,} authors listed, {plan.single_repos:,} repos asked one by one",
        line(plan.api),
        line(plan.resolvers),
        f"  bound by the {bound.name} bucket: at least {_duration(bound.least_seconds)} (quota {plan.quota_source})",
        "  (API requests include one page of newest repos per author not listed, for newer releases; a listing that "
        "misses a repo adds a model_info; a card's new_version adds one API request)",
    ])  # fmt: skip


def in_one_line(plan: RunPlan) -> str:
    """The plan as the first line of a run's progress."""
    bound = plan.bound_by
    return (
        f"plan: {plan.repos:,} repos; {plan.api.requests:,} API and {plan.resolvers.requests:,} resolver requests; "
        f"bound by the {bound.name} bucket: at least {_duration(bound.least_seconds)} (quota {plan.quota_source})"
    )


def _duration(seconds: float) -> str:
    if seconds == 0:
        return "0 s (all within one window)"
    if seconds < 60:
        return f"{math.ceil(seconds)} s"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} min" if minutes < 120 else f"{minutes / 60:.1f} h"
