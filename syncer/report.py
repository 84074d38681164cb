"""The report contract's values (DESIGN.md): the facts of each repo, the verdict on each
claim, the changes since the last run, and the previous report as a run reads it back.
Entries and claims, and what every model shares, are in syncer.models.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic.dataclasses import dataclass

from syncer.bounds import CONTEXT, COUNT, EXPERTS, LAYERS, PARAMETERS, Bound
from syncer.models import MAX_ENTRY_TEXT, MAX_FACT_TEXT, ClaimKind, FactText, Frozen, Json, Text
from syncer.untrusted import neutral


def _absent(value: Any) -> bool:
    return value is None


class RepoStatus(StrEnum):
    """How reading one repo ended. Part of the report contract."""

    OK = "ok"
    NOT_FOUND = "not_found"
    GATED = "gated"
    MOVED = "moved"
    DISABLED = "disabled"
    ERROR = "error"


# A repo whose facts the Hub gave this run (gated: its API facts, not its files).
READABLE = frozenset({RepoStatus.OK, RepoStatus.MOVED, RepoStatus.GATED})


class RopeScaling(Frozen):
    type: str | None
    factor: float | None


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))
class Staleness:
    """Why facts (or a verdict) shown in a report are not this run's: the Hub could not be read
    for a transient reason (5xx, 429 past --max-wait, a timeout, a dropped connection), or it
    answered 404 for a repo it had served, which is held until --confirm-after runs agree."""

    since: FactText  # when the facts shown were read (their `fetched_at`)
    reason: FactText  # what this run met instead: "HTTP 503 from the Hub (gave up after 4 attempts)"
    runs: int = 1  # runs in a row that have not refreshed them
    # Of those, runs in a row that answered 404: at --confirm-after the repo is gone and its facts go.
    not_found: int = Field(default=0, exclude_if=lambda value: not value)


def _bounded(bound: Bound) -> BeforeValidator:
    """A number read back from a previous report within its plausible range, else None: one
    edited value (a size of 10**40) must not end a run that reuses it (syncer/bounds.py)."""
    return BeforeValidator(lambda value: bound.check(value) if value is not None else None)


BoundedCount = Annotated[int, _bounded(COUNT)]
BoundedParameters = Annotated[int, _bounded(PARAMETERS)]
BoundedLayers = Annotated[int, _bounded(LAYERS)]
BoundedWindow = Annotated[int, _bounded(CONTEXT)]
BoundedExperts = Annotated[int, _bounded(EXPERTS)]
# Downloads per repo, oldest first, as reports before history.jsonl kept them.
Trends = dict[FactText, list[tuple[FactText, BoundedCount | None]]]


# A slotted dataclass, not a model, as Finding: one per repo, and 37 fields in a dict
# cost 830 bytes where slots cost 300.
@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))
class RepoFacts:
    """What the Hub says about one repo now (DESIGN.md, "Report", RepoFacts).

    A fact that could not be read is null, and `unknown` says why (`{"layers":
    "config.json has no layer count"}`) - never 0 and never a guess.
    """

    repo_id: str
    requested_id: str
    status: RepoStatus
    error: str | None = None
    sha: str | None = None
    last_modified: str | None = None
    downloads: BoundedCount | None = None
    downloads_all_time: BoundedCount | None = None
    likes: BoundedCount | None = None
    license: str | None = None
    license_name: str | None = None
    gated: FactText | bool | None = None
    pipeline_tag: str | None = None
    model_type: str | None = None
    parameters: BoundedParameters | None = None
    parameters_source: str | None = None
    layers: BoundedLayers | None = None
    context_length: BoundedWindow | None = None
    context_source: str | None = None
    rope_scaling: RopeScaling | None = None
    experts: BoundedExperts | None = None
    fetched_at: FactText
    # Extensions of the contract.
    config_read: bool = False
    layers_source: str | None = None
    alibi: bool | None = None
    experts_per_token: BoundedExperts | None = None
    license_link: str | None = None  # the card's link to an `other` licence, when it names none
    created_at: str | None = None
    # The card's `new_version`: the repo that supersedes this one; `new_version` is the end
    # of that chain (DESIGN: RepoFacts.new_version), filled in by the pipeline.
    successor: str | None = None
    new_version: str | None = None
    context_extended: BoundedWindow | None = None  # a limit beyond the native window the config states
    context_extended_source: str | None = None
    # config.json's `sliding_window`: the span each token attends to, not the window.
    sliding_window: BoundedWindow | None = Field(default=None, exclude_if=lambda value: value is None)
    nominal_parameters: BoundedParameters | None = None
    base_models: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    unknown: dict[FactText, FactText] = Field(default_factory=dict)
    # When the licence or gating last changed, as far as the reports go back:
    # {"license": {"at": "2026-11-02T05:17:00Z", "from": "other"}}. Carried from run to run.
    last_changed: dict[FactText, dict[str, Json]] = Field(default_factory=dict, exclude_if=lambda value: not value)
    # A failed read (`status` error) that a later run may not meet: 5xx, 429, a timeout, a
    # dropped connection. What the facts would have been is then carried from the previous report.
    transient: bool = Field(default=False, exclude_if=lambda value: not value)
    # Facts carried from the previous report, not read this run: when they were read and why not now.
    stale: Staleness | None = Field(default=None, exclude_if=_absent)
    # Facts the Hub sent this run in a shape that could not be read (or that only a failed
    # config.json read would have given): the run's own, never written. The last known value
    # stands for each, marked in `kept` (syncer.guard.keep_last_known).
    unreadable: frozenset[str] = Field(default=frozenset(), exclude=True)
    # Per fact: the value shown is the last known one, read at `since`; why it was not read now.
    kept: dict[str, Staleness] = Field(default_factory=dict, exclude_if=lambda value: not value)

    # A previous report is read back into these (a hand edit may hold anything): its strings
    # are neutral as the Hub's are (hub/wire.py) before any writer shows them.
    @field_validator(
        "repo_id", "requested_id", "error", "sha", "last_modified", "license", "license_name", "pipeline_tag",
        "model_type", "parameters_source", "context_source", "layers_source", "license_link", "created_at",
        "successor", "new_version", "context_extended_source",
    )  # fmt: skip
    @classmethod
    def _neutral(cls, value: str | None) -> str | None:
        return neutral(value, MAX_FACT_TEXT) if value is not None else None

    @field_validator("base_models", "languages")
    @classmethod
    def _neutral_items(cls, value: list[str]) -> list[str]:
        return [neutral(item, MAX_FACT_TEXT) for item in value]


def has_facts(repo: RepoFacts) -> bool:
    """Whether a repo's record holds Hub facts: read this run, or carried from an earlier one
    (a repo the Hub failed to serve, or a 404 not yet confirmed, keeps its last known facts)."""
    return repo.status in READABLE or repo.stale is not None


def read_fresh(repo: RepoFacts) -> bool:
    """Whether this run read the repo (its facts are not carried from an earlier report)."""
    return repo.status in READABLE and repo.stale is None


class Release(Frozen):
    """A repo seen in an author's listing: what a newer-release match or a size comparison needs."""

    repo_id: FactText
    created_at: FactText | None = None
    downloads: int | None = None
    parameters: int | None = None
    parameters_source: FactText | None = None
    pipeline_tag: FactText | None = None
    base_models: list[FactText] = Field(default_factory=list)
    # The Hub's `base_model:<relation>:…` tag: quantized, adapter, finetune, merge.
    relation: FactText | None = None
    tags: list[FactText] = Field(default_factory=list)
    successor: FactText | None = None
    # The commit the answer was at: a verdict this release decides cites the repo at it.
    sha: FactText | None = Field(default=None, exclude_if=_absent)


class NewerRelease(Frozen):
    """A release that supersedes an entry's repo (DESIGN: EntryReport.newer)."""

    repo_id: FactText
    created_at: FactText | None
    downloads: int | None
    why: FactText  # "new_version" | "family"
    # Extensions: the mapped repo it supersedes, and the evidence in words.
    of: FactText
    evidence: Text = ""
    parameters: int | None = None
    license: FactText | None = None
    # False when a card names it and the Hub did not answer for it (gone, private, renamed away).
    on_hub: bool = Field(default=True, exclude_if=lambda value: value)


class Verdict(StrEnum):
    CONFIRMED = "confirmed"
    CONTRADICTED = "contradicted"
    PARTIAL = "partial"
    UNVERIFIABLE = "unverifiable"


# A slotted dataclass, not a model: a report holds one per claim (150,000 at 50,000
# entries), and a model's per-instance dict costs 450 bytes more than slots.
# `dataclasses.replace` makes a changed copy, validated like a new one.
@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))
class Finding:
    """One claim's verdict: what was claimed, what the Hub shows, which repo and field
    decided it, and a reason a reader can check."""

    kind: ClaimKind
    text: Text
    claimed: Json
    verdict: Verdict
    observed: Json = None
    repo_id: Text | None = None
    source: Text | None = None
    reason: Text
    # Extensions of the contract.
    field: Text = "description"
    time_sensitive: bool = False
    # The claim's words as the Hub's value would write them (`70B` -> `72B`), where the
    # evidence is unambiguous; collected in reports/suggested.patch.
    suggested: Text | None = Field(default=None, exclude_if=_absent)
    # A maintainer acknowledged this finding in the mapping: {"reason", "until"}; it keeps its
    # verdict and does not count for --fail-on (until `until` has passed: then "expired": true).
    accepted: dict[str, Json] | None = Field(default=None, exclude_if=_absent)
    # What decided it (confirmed, contradicted, partial): the Hub URL of the file or page at the
    # revision read (`…/<repo>/blob/<sha>/config.json`, `…/<repo>/tree/<sha>`), and when it was read.
    evidence: Text | None = Field(default=None, exclude_if=_absent)
    fetched_at: Text | None = Field(default=None, exclude_if=_absent)
    # The verdict rests on facts carried from an earlier run (the deciding repo's `stale`).
    stale: Staleness | None = Field(default=None, exclude_if=_absent)

    @property
    def excused(self) -> bool:
        """Accepted and not expired: reported, but no reason to fail a run."""
        return bool(self.accepted) and not (self.accepted or {}).get("expired")


@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))
class MappingState:
    status: str  # "mapped" | "not_on_hub" | "unmapped"
    reason: str | None = None
    # Extension: where the mapping is written (`mappings/x.yaml:12`), for edits a report asks for.
    where: str | None = None

    @field_validator("reason", "where")
    @classmethod
    def _neutral(cls, value: str | None) -> str | None:
        return neutral(value, MAX_ENTRY_TEXT) if value is not None else None


# Slotted dataclasses, as Finding: one per entry.
@dataclass(frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", defer_build=True))
class EntryReport:
    id: Text
    name: Text
    document: Text
    section: Text | None
    line: int
    text: Text
    mapping: MappingState
    repos: list[RepoFacts]
    claims: list[Finding]
    # Releases that supersede the entry's repos: [{repo_id, created_at, downloads, why}].
    newer: list[NewerRelease] = Field(default_factory=list)


class ChangeKind(StrEnum):
    VERDICT = "verdict"  # a claim's verdict moved: what a maintainer acts on
    FACT = "fact"  # licence, gating, layers, context, parameters, a new commit
    STATUS = "status"  # a repo became unreadable, gated, moved, readable again
    MAPPING = "mapping"  # a repo added to or removed from an entry's mapping


class Change(Frozen):
    """One thing that moved since the previous run. Download counts never are one: they are a
    trend (`history`), and a daily run must not churn on them."""

    kind: ChangeKind
    entry: Text
    claim: Text | None = Field(default=None, exclude_if=_absent)  # a verdict change: the claim's words
    repo_id: Text | None = Field(default=None, exclude_if=_absent)
    field: Text | None = Field(default=None, exclude_if=_absent)
    old: Json = None
    new: Json = None
    reason: Text | None = Field(default=None, exclude_if=_absent)  # a verdict change: why it is so now

    @model_validator(mode="before")
    @classmethod
    def _kind_of_older_snapshots(cls, data: Any) -> Any:
        """Snapshots written before changes had a kind still read: their kind follows from the field."""
        if isinstance(data, dict) and "kind" not in data:
            field = data.get("field")
            kind = "mapping" if field == "repo" else "status" if field in ("status", "repo_id") else "fact"
            return {**data, "kind": kind}
        return data


class Summary(Frozen):
    entries: int
    mapped: int
    not_on_hub: int
    unmapped: int
    repos: dict[str, int]
    claims: dict[str, int]
    # Extension: what the run asked the Hub for.
    # What the run asked the Hub for: printed by `syncer run`, kept out of the report so
    # that two runs over an unchanged Hub write the same report.
    requests: dict[str, int] = Field(default={}, exclude=True)
    # Repos whose facts are carried from an earlier report (each repo's `stale` says why).
    not_refreshed: int = Field(default=0, exclude_if=lambda value: not value)


class Churn(Frozen):
    """How much a run moved against the previous report, for the thresholds that hold a run
    back (syncer.guard): the repos the previous report had read, those this run did not read
    (failed, answered 404, carried), the verdicts it had decided, and those that moved."""

    readable_before: int = 0
    unread: int = 0
    decided_before: int = 0
    flipped: int = 0


class Report(Frozen):
    """A run's result: the report contract (DESIGN.md), and the snapshot the next run diffs against."""

    schema_version: int = 1
    generated_at: FactText
    endpoint: FactText
    summary: Summary
    entries: Sequence[EntryReport]  # a merge gives a spool read from disk (syncer.spool), not a list
    changes: list[Change]
    # Extensions: when the snapshot the changes are measured against was taken (None on a
    # first run).
    compared_with: str | None = Field(default=None, exclude=True)  # read from old snapshots, no longer written
    # `I/N` for the snapshot of a `run --shard I/N`: `merge` checks the set is complete.
    shard: str | None = Field(default=None, exclude_if=_absent)
    # Downloads per repo, oldest first: [[time, n], ...]. Reports written before
    # reports/history.jsonl kept their trend here; it is read and re-rendered from them, and
    # runs now leave it empty (so absent from latest.json), their trend being in history.jsonl.
    history: Trends = Field(default={}, exclude_if=lambda history: not history)
    # Facts of the repos `new_version` chains reached: the next run reuses their config.json
    # facts by commit, as it does for mapped repos.
    successors: list[RepoFacts] = Field(default=[], exclude_if=lambda value: not value)
    # The largest models the run saw (mapped repos, chain ends, the authors' listings): what
    # size superlatives were judged against, kept so that `merge` judges them across shards.
    largest_seen: list[Release] = Field(default=[], exclude_if=lambda value: not value)
    # How deep each author's listing was read (see syncer.hub.facts.Listings): whether the
    # next run lists an author or asks for its repos one by one follows from it.
    listings: dict[FactText, int] = Field(default={}, exclude_if=lambda value: not value)
    # A report a churn threshold held back (written under REPORTS/held/): which, and by how much.
    held: list[Text] = Field(default=[], exclude_if=lambda value: not value)
    # What the run moved, measured against the previous report (None: nothing to measure against).
    churn: Churn | None = Field(default=None, exclude=True)

    @field_serializer("entries", mode="wrap")
    def _entries_as_a_list(self, entries: Sequence[EntryReport], handler: SerializerFunctionWrapHandler) -> Any:
        # A merged report's entries are read from a spool (syncer.spool); dumped whole, they are a list.
        return handler(entries if isinstance(entries, list) else list(entries))


class _Slim(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)  # the rest of a report is read past


# Slotted dataclasses, not models: one per claim of the previous report, each a few words.
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="ignore", defer_build=True))
class BaselineFinding:
    kind: ClaimKind
    text: Text
    verdict: Verdict
    evidence: Text | None = None
    fetched_at: Text | None = None


@dataclass(frozen=True, slots=True, config=ConfigDict(extra="ignore", defer_build=True))
class BaselineEntry:
    id: Text
    repos: list[RepoFacts]
    claims: list[BaselineFinding]


class Baseline(_Slim):
    """Of the previous report, only what a run reuses (repo facts), diffs against (verdicts,
    facts, statuses, mappings) and extends (download history, listing depths): read straight
    from its JSON, never held whole beside the report being made."""

    generated_at: FactText
    entries: list[BaselineEntry]
    history: Trends = {}  # reports from before history.jsonl
    listings: dict[FactText, int] = {}
    successors: list[RepoFacts] = []
