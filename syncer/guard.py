"""A scheduled run is judged on its bad days: what a bad answer must not cost the report.

- `carry_unrefreshed`: a repo the Hub failed to serve this run for a transient reason keeps
  its last known facts, marked `stale` (when they were read, why they are not fresh); a repo
  that answers 404 where the previous report had read it keeps them too until
  `confirm_after` runs in a row have answered 404. Its verdicts then rest on those facts.
- `held_back`: the thresholds that hold back a run which would change too much at once
  (most repos unread, many verdicts flipping); such a run's reports go to REPORTS/held/.

The anchors: models.dev's auto-merge refuses more than 10 models created, 10 deleted or 15
changed; genai-prices refuses an update that removes over 20% of models or changes over half
the limits; LiteLLM's sync never removes an entry. None deletes a model because a source
was silent.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from syncer.defaults import DEFAULT_CONFIRM_AFTER, DEFAULT_MAX_FLIP_SHARE, DEFAULT_MAX_UNREAD_SHARE, DEFAULT_MIN_FLIPS
from syncer.report import Churn, RepoFacts, RepoStatus, Staleness, has_facts, read_fresh


def carry_unrefreshed(
    facts: dict[str, RepoFacts], previous: dict[str, RepoFacts], confirm_after: int = DEFAULT_CONFIRM_AFTER
) -> dict[str, RepoFacts]:
    """This run's facts (by requested id), where a bad answer does not erase what the previous
    report knew: a transient failure keeps the previous facts; a first 404 (up to
    `confirm_after` - 1 in a row) is reported as `not_found` and keeps them too."""
    carried = {}
    for repo_id, repo in facts.items():
        before = previous.get(repo_id)
        carried[repo_id] = _carried(repo, before, confirm_after) if before is not None and has_facts(before) else repo
    return carried


def _carried(repo: RepoFacts, before: RepoFacts, confirm_after: int) -> RepoFacts:
    stale = before.stale
    runs = stale.runs + 1 if stale else 1
    since = stale.since if stale else before.fetched_at
    if repo.status is RepoStatus.ERROR and repo.transient:
        # A 503 after an unconfirmed 404 neither confirms nor clears it: the count of 404s stands.
        kept = Staleness(since=since, reason=repo.error or "the Hub did not answer", runs=runs,
                         not_found=stale.not_found if stale else 0)  # fmt: skip
        return replace(before, stale=kept)
    if repo.status is RepoStatus.NOT_FOUND:
        not_found = (stale.not_found if stale else 0) + 1
        if not_found >= confirm_after:
            return repo  # confirmed gone: its facts go, and its claims' verdicts with them
        reason = (
            f"{repo.error or 'not found'}: answered 404 in {not_found} run(s) in a row; its verdicts are held "
            f"until {confirm_after} runs confirm it"
        )
        held = Staleness(since=since, reason=reason, runs=runs, not_found=not_found)
        return replace(before, status=RepoStatus.NOT_FOUND, error=repo.error, stale=held)
    return repo


@dataclass(frozen=True)
class Thresholds:
    """What holds a run back (`--max-unread-share`, `--max-flip-share`): a run over either
    writes REPORTS/held/ instead of latest.* (unless `--accept-churn`)."""

    max_unread_share: float = DEFAULT_MAX_UNREAD_SHARE
    max_flip_share: float = DEFAULT_MAX_FLIP_SHARE
    min_flips: int = DEFAULT_MIN_FLIPS


# A fact and the facts that say where it came from: kept together.
KEPT_WITH = {"parameters": ("parameters_source",), "layers": ("layers_source",), "context_length": ("context_source",)}


# Where a parameter count comes from, most trusted first (syncer/hub/parameters.py).
PARAMETER_SOURCES = ("safetensors", "gguf", "config_estimate", "name")


def _from_a_weaker_source(name: str, repo: RepoFacts, before: RepoFacts) -> bool:
    """`safetensors: "lots"` leaves the size to the repo's name: that is no news either."""
    if name != "parameters" or before.parameters_source not in PARAMETER_SOURCES:
        return False
    now = repo.parameters_source
    return now not in PARAMETER_SOURCES or PARAMETER_SOURCES.index(now) > PARAMETER_SOURCES.index(before.parameters_source)


def keep_last_known(repo: RepoFacts, before: RepoFacts | None) -> RepoFacts:
    """A fact the Hub sent unreadable this run (`repo.unreadable`: a wrong shape, or a failed
    config.json read) is not a fact that changed: the last known value stands, marked in
    `kept` with when it was read and why not now, and no change or licence history records
    it. Facts the Hub left out, or a config.json that no longer states them, are news."""
    if before is None or not repo.unreadable or not read_fresh(before):
        return repo
    updates: dict[str, object] = {}
    kept = dict(repo.kept)
    unknown = dict(repo.unknown)
    for name in sorted(repo.unreadable):
        last = getattr(before, name, None)
        if last is None or not (getattr(repo, name, None) is None or _from_a_weaker_source(name, repo, before)):
            continue
        updates[name] = last
        for companion in KEPT_WITH.get(name, ()):
            updates[companion] = getattr(before, companion)
        earlier = before.kept.get(name)
        since = earlier.since if earlier is not None else before.fetched_at
        kept[name] = Staleness(since=since, reason=unknown.pop(name, "not readable this run"),
                               runs=earlier.runs + 1 if earlier is not None else 1)  # fmt: skip
    if not updates:
        return repo
    return replace(repo, **updates, kept=kept, unknown=unknown)  # type: ignore[arg-type]


def unread_counts(wanted: list[str], facts: dict[str, RepoFacts], previous: dict[str, RepoFacts]) -> tuple[int, int]:
    """Of the repos (by requested id) the previous report had facts for, how many there are,
    and how many this run did not read: failed, answered 404, or carried."""
    readable_before = [repo_id for repo_id in dict.fromkeys(wanted) if repo_id in previous and has_facts(previous[repo_id])]
    unread = [repo_id for repo_id in readable_before if not read_fresh(facts[repo_id])]
    return len(readable_before), len(unread)


def held_back(churn: Churn | None, thresholds: Thresholds) -> list[str]:
    """Why a run would change too much, one line per threshold it is over (empty: it is not)."""
    if churn is None:
        return []
    reasons = []
    if churn.readable_before and churn.unread / churn.readable_before > thresholds.max_unread_share:
        reasons.append(
            f"{churn.unread} of {churn.readable_before} previously readable repos were not read this run "
            f"({_percent(churn.unread / churn.readable_before)}; the limit is {_percent(thresholds.max_unread_share)}, "
            "--max-unread-share)"
        )
    flip_share = churn.flipped / churn.decided_before if churn.decided_before else 0.0
    if flip_share > thresholds.max_flip_share and churn.flipped >= thresholds.min_flips:
        reasons.append(
            f"{churn.flipped} of {churn.decided_before} decided verdicts changed "
            f"({_percent(flip_share)}; the limit is {_percent(thresholds.max_flip_share)}, "
            f"--max-flip-share, and at least {thresholds.min_flips})"
        )
    return reasons


def _percent(share: float) -> str:
    return f"{share:.0%}"
