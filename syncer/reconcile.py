"""Claims + Hub facts -> a verdict for every claim: one small comparator per claim kind.

A family entry maps to several repos; a claim about the family holds when the repos
bear it out (a size claim needs some repo of that size, a context claim is checked on
every repo that states a window). Only repos that could be read take part: a repo that
is gone, disabled or failed never confirms or contradicts anything. Gated repos take
part with their API facts (licence, sizes, languages); their config.json was refused.

Tolerances, stated once:
- sizes: a measured count confirms a claimed size when it rounds to it at the claim's
  own precision (6.74B -> 7B; 72B does not round to 70B); sizes in repo names are exact.
- context: K is read as 1,000 (so 32K = 32,000 and 32,768 both reach it) with 2% slack; a
  window more than that above the claim (binary K or M, 7%) is one the document understates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

from syncer.formats.text import human_count
from syncer.hub.parameters import nominal_size
from syncer.models import Claim, ClaimKind, Entry, ParameterRange
from syncer.report import READABLE, Finding, MappingState, Release, RepoFacts, Verdict, has_facts
from syncer.rules import load_rules, project_rules
from syncer.vocabulary import LicencePolicy, PolicyRow, read_policy

CONTEXT_SLACK = Decimal("0.98")
# A window up to this much above the claim is the claimed one: K and M may be binary (32K is
# 32,768, 1M is 1,048,576), with the same 2% slack. A larger window is one the document understates.
CONTEXT_CEILING = Decimal(1024**2) / Decimal(1000**2) / CONTEXT_SLACK
EXTENDING_ROPE_TYPES = {"linear", "dynamic", "yarn", "ntk", "longrope", "su", "llama3"}
# Scalings that extrapolate at inference beyond `factor` x the native window (dynamic NTK, YaRN):
# a larger claimed window is plausible, never confirmed.
EXTRAPOLATING_ROPE_TYPES = {"dynamic", "yarn", "ntk", "longrope", "su"}
ENCODER_DECODER_TYPES = {"t5", "mt5", "umt5", "longt5", "bart", "mbart", "pegasus", "marian", "led", "switch_transformers"}
ARCHITECTURE_TYPES = {"t5": {"t5", "mt5", "umt5", "longt5"}, "encoder-decoder": ENCODER_DECODER_TYPES}
# Families whose architecture *is* the family: a matching model_type confirms the lineage.
# For fine-tune families (llama2, vicuna, alpaca...) it is only consistent with it.
ARCHITECTURE_FAMILIES = {"llama", "bloom", "t5", "gpt-j", "gpt-neox", "mistral", "qwen", "baichuan", "falcon"}
_ACTIVE_IN_NAME = re.compile(r"(?:^|[-_])A(\d+(?:\.\d+)?)B(?![A-Za-z0-9])", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    ids: dict[str, dict[str, Any]]
    other: dict[str, dict[str, Any]]
    links: dict[str, str]  # a fragment of a card's license_link -> a key of `other`

    @classmethod
    def from_rows(cls, policy: LicencePolicy) -> Policy:
        def rows(section: dict[str, PolicyRow]) -> dict[str, dict[str, Any]]:
            return {key: row.model_dump(exclude_none=True) for key, row in section.items()}

        return cls(ids=rows(policy.ids), other=rows(policy.other), links=dict(policy.links))

    def of(self, repo: RepoFacts) -> tuple[dict[str, Any] | None, str]:
        """The policy row for a repo's licence, and the licence as shown to people.

        An `other` licence is identified by its `license_name`, then by its `license_link`.
        """
        licence = (repo.license or "").lower()
        if licence == "other":
            name = (repo.license_name or "").lower()
            if name in self.other:
                return self.other[name], f"other ({repo.license_name})"
            link = repo.license_link or ""
            by_link = next((key for fragment, key in self.links.items() if fragment.lower() in link.lower()), None)
            if by_link:
                return self.other[by_link], f"other ({repo.license_name or by_link}, {link})"
            return None, f"other ({repo.license_name or 'no license_name'})"
        return self.ids.get(licence), repo.license or "none"


def load_policy() -> Policy:
    """The licence policy: the packaged rows and the project's (`syncer.rules.use_project_rules`),
    read and checked with the vocabulary once per process."""
    return _policy_of(project_rules())


@cache
def _policy_of(extra: tuple[Path, ...]) -> Policy:
    return Policy.from_rows(load_rules(extra).licence_policy)


def parse_policy(text: str) -> Policy:
    """One licence policy file, checked row by row: a typo is an error naming its line, not a
    KeyError in the middle of a run."""
    return Policy.from_rows(read_policy(text))


def _finding(claim: Claim, verdict: Verdict, reason: str, observed: Any = None, repo: RepoFacts | None = None,
             source: str | None = None) -> Finding:  # fmt: skip
    claimed = claim.value.model_dump() if isinstance(claim.value, ParameterRange) else claim.value
    return Finding(
        kind=claim.kind, text=claim.text, claimed=claimed, verdict=verdict, observed=observed,
        repo_id=repo.repo_id if repo else None, source=source, reason=reason, field=claim.field,
        time_sensitive=claim.kind is ClaimKind.QUALITATIVE,
    )  # fmt: skip


def reconcile_entry(
    entry: Entry, mapping: MappingState, repos: list[RepoFacts], seen_models: list[Release] | None = None
) -> list[Finding]:
    """A finding for every claim of the entry, in the entry's claim order. `seen_models`, every
    model the run saw with a size, largest first, is what size superlatives are checked against."""
    if mapping.status == "not_on_hub":
        return [_finding(c, Verdict.UNVERIFIABLE, f"not on the Hub: {mapping.reason}") for c in entry.claims]
    if mapping.status == "unmapped":
        to_do = mapping.reason if mapping.reason and mapping.reason.startswith("to do:") else None
        reason = f"the mapping's {to_do}" if to_do else f"no mapping for this entry; run `syncer suggest {entry.id}`"
        return [_finding(c, Verdict.UNVERIFIABLE, reason) for c in entry.claims]
    readable = [repo for repo in repos if can_decide(repo)]
    findings = []
    for claim in entry.claims:
        if claim.kind is ClaimKind.QUALITATIVE and load_rules().size_superlative.search(claim.text):
            findings.append(_size_superlative(claim, entry, readable, seen_models or []))
        elif claim.kind is ClaimKind.QUALITATIVE:
            findings.append(_finding(claim, Verdict.UNVERIFIABLE, "benchmark claims are not checked; they age"))
        elif claim.kind is ClaimKind.TRAINING_TOKENS:
            findings.append(_finding(claim, Verdict.UNVERIFIABLE, "the Hub has no field for training tokens; see the model card"))
        elif not readable:
            findings.append(_finding(claim, Verdict.UNVERIFIABLE, "no mapped repo could be read: " + _statuses(repos)))
        else:
            findings.append(_undecided_by_unread(claim, COMPARATORS[claim.kind](claim, readable), repos))
    return findings


def spare_unreviewed(
    findings: list[Finding], entry: Entry, mapping: MappingState, repos: list[RepoFacts], unreviewed: frozenset[str],
    seen_models: list[Release] | None = None,
) -> list[Finding]:  # fmt: skip
    """A search-chosen repo nobody reviewed may be the wrong model: a contradiction stands only
    if the reviewed repos alone contradict the claim too; otherwise it is unverifiable, and says
    why. (The repos a contradiction rests on are all the readable ones: without the unreviewed,
    the claim is judged again.)"""
    if not any(finding.verdict is Verdict.CONTRADICTED for finding in findings):
        return findings
    keys = {repo_id.lower() for repo_id in unreviewed}
    reviewed = [repo for repo in repos if repo.requested_id.lower() not in keys]
    again = reconcile_entry(entry, mapping, reviewed, seen_models) if any(r.status in READABLE for r in reviewed) else None
    shown = ", ".join(sorted(unreviewed))
    spared = []
    for index, finding in enumerate(findings):
        if finding.verdict is Verdict.CONTRADICTED and (again is None or again[index].verdict is not Verdict.CONTRADICTED):
            reason = (f"the mapping is unreviewed: {shown} (source: search) would contradict it ({finding.reason}); "
                      "review the repo and delete `source: search` to have it judged")  # fmt: skip
            finding = replace(finding, verdict=Verdict.UNVERIFIABLE, reason=reason)
        spared.append(finding)
    return spared


def accept_findings(findings: list[Finding], acceptances: list[Any], today: str) -> list[Finding]:
    """Mark the findings a maintainer accepted (`accept:` in the mapping, by the claim's words).

    An acceptance whose `until` (YYYY-MM-DD) is before `today` has expired: the finding says
    so and counts for `--fail-on` again.
    """
    by_text = {acceptance.text: acceptance for acceptance in acceptances}
    marked = []
    for finding in findings:
        acceptance = by_text.get(finding.text)
        if acceptance is None:
            marked.append(finding)
            continue
        until = acceptance.until.isoformat() if acceptance.until else None
        accepted: dict[str, Any] = {"reason": acceptance.reason, "until": until}
        if until and until < today:
            accepted["expired"] = True
        marked.append(replace(finding, accepted=accepted))
    return marked


def _undecided_by_unread(claim: Claim, finding: Finding, repos: list[RepoFacts]) -> Finding:
    """A repo that could not be read decides nothing: the readable repos contradict a claim
    only when no unreadable mapped repo could hold it (`dolly-v2-7b` answering 503 leaves
    Dolly-v2's `7B` open, whatever `dolly-v2-12b` says)."""
    range_open = finding.kind is ClaimKind.PARAMETER_RANGE and finding.verdict is Verdict.PARTIAL
    if finding.verdict is not Verdict.CONTRADICTED and not range_open:
        return finding
    unread = [repo for repo in repos if not can_decide(repo)]
    could_hold = [repo for repo in unread if _could_hold(claim, repo)]
    if not could_hold:
        named = [(repo, nominal_size(repo.requested_id)) for repo in unread]
        sized = [f"{repo.requested_id} ({repo.status.value}) names {human_count(size)}" for repo, size in named if size]
        if sized:  # the maintainer sees every size the mapping names, read or not
            return replace(finding, reason=f"{finding.reason}; unread: {', '.join(sized[:3])}")
        return finding
    holders = "; ".join(f"{repo.requested_id} ({repo.status.value}" + (f": {repo.error}" if repo.error else "") + ")"
                        for repo in could_hold[:3])  # fmt: skip
    reason = f"{finding.reason}; but {holders} could not be read and may hold it"
    return replace(finding, verdict=Verdict.UNVERIFIABLE, reason=reason)


def _could_hold(claim: Claim, repo: RepoFacts) -> bool:
    """Whether an unread repo might bear a claim out: a size claim only if the repo's name
    names that size or no size at all (`dolly-v2-12b` cannot hold `3B`); a range only if it
    names an end of it, or no size (`Cerebras-GPT-111M` may hold the `1亿` of `1亿到130亿`)."""
    named = nominal_size(repo.requested_id)
    if claim.kind is ClaimKind.PARAMETERS and isinstance(claim.value, int):
        return named is None or rounds_to(named, claim.value)
    if claim.kind is ClaimKind.PARAMETER_RANGE and isinstance(claim.value, ParameterRange):
        unit = _unit_of_words(claim.text)
        ends = [end for end in (claim.value.min, claim.value.max) if end is not None]
        return named is None or any(rounds_to(named, end, unit) for end in ends)
    return True


def _statuses(repos: list[RepoFacts]) -> str:
    return "; ".join(f"{repo.requested_id} {repo.status.value}" + (f" ({_why_undecided(repo)})" if _why_undecided(repo) else "")
                     for repo in repos)  # fmt: skip


def _why_undecided(repo: RepoFacts) -> str | None:
    if repo.error:
        return repo.error
    return NO_REVISION if repo.status in READABLE and not repo.sha else None


def can_decide(repo: RepoFacts) -> bool:
    """Whether a repo's facts take part in verdicts: read (this run, or carried from an earlier
    one) at a commit a verdict can cite. A repo the Hub gave no sha for decides nothing."""
    return has_facts(repo) and bool(repo.sha)


NO_REVISION = "the Hub gave no commit sha, so nothing it says can be cited"


# --- evidence ------------------------------------------------------------------------------
# Every decided verdict cites what decided it: the file or page on the Hub at the revision read.

# Finding sources read from the API answer (the model page), not from config.json.
API_SOURCES = ("license", "repo name", "name", "safetensors", "gguf", "cardData.")


def evidence_url(endpoint: str, repo_id: str, sha: str, config_file: bool) -> str:
    """`https://huggingface.co/<repo>/blob/<sha>/config.json` for a config.json fact, the model
    page at `tree/<sha>` for an API fact; on the Hub the run read (`endpoint`). The id comes
    from the Hub's answer: it is percent-encoded, never trusted as a path."""
    page = f"{endpoint.rstrip('/')}/{quote(repo_id, safe='/-._~')}"
    return f"{page}/blob/{sha}/config.json" if config_file else f"{page}/tree/{sha}"


def _from_config_file(source: str | None, repo: RepoFacts) -> bool:
    return repo.config_read and source is not None and not source.startswith(API_SOURCES)


class Cited(Protocol):
    """A finding as the previous report had it: enough to tell whether its evidence moved."""

    @property
    def evidence(self) -> str | None: ...

    @property
    def fetched_at(self) -> str | None: ...


def cite(finding: Finding, repos: list[RepoFacts], models: list[Release], endpoint: str, read_at: str,
         before: Cited | None = None) -> Finding:  # fmt: skip
    """`finding` with its evidence: the deciding repo's URL at the revision read and when it was
    read (a model from an author's listing: `read_at`, the run's time). The same URL as `before`
    keeps `before`'s time: a revision's files do not change, so a re-run over an unchanged Hub
    rewrites no finding. A decided finding with nothing to cite is not decided."""
    if finding.verdict is Verdict.UNVERIFIABLE or finding.repo_id is None:
        return finding
    key = finding.repo_id.lower()
    repo = next((repo for repo in repos if can_decide(repo) and repo.repo_id.lower() == key), None)
    model = next((model for model in models if model.sha and model.repo_id.lower() == key), None)
    if repo is not None and repo.sha:
        url, fetched_at = evidence_url(endpoint, repo.repo_id, repo.sha, _from_config_file(finding.source, repo)), repo.fetched_at
    elif model is not None and model.sha:
        url, fetched_at = evidence_url(endpoint, model.repo_id, model.sha, False), read_at
    else:
        reason = f"{finding.reason}; but {finding.repo_id}: {NO_REVISION}"
        return replace(finding, verdict=Verdict.UNVERIFIABLE, reason=reason)
    if before is not None and before.evidence == url and before.fetched_at:
        fetched_at = before.fetched_at
    return replace(finding, evidence=url, fetched_at=fetched_at, stale=repo.stale if repo is not None else None)


# --- suggested edits ------------------------------------------------------------------------
# A correction is offered in the claim's own words and unit, and only where it is evident.

SUGGEST_WITHIN = Decimal("0.5")  # a size within half the claim's of it is a correction, not another model
_COUNT_IN_WORDS = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>万亿|千亿|百亿|十亿|亿|万|[kKmMbBtT](?![A-Za-z]))")
_UNIT_VALUES = {"万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8, "万": 10**4,
                "k": 10**3, "m": 10**6, "b": 10**9, "t": 10**12}  # fmt: skip


def _number(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def rewrite_count(words: str, claimed: int, value: int) -> str | None:
    """`70B` with 72e9 -> `72B`; `700亿` -> `720亿`: the number in the claim's own unit."""
    match = _COUNT_IN_WORDS.search(words)
    if not match:
        return None
    unit = _UNIT_VALUES[match.group("unit").lower() if match.group("unit").isascii() else match.group("unit")]
    if to_decimal(match.group("num")) * unit != claimed:
        return None  # the words say more than one number; do not guess which
    new = _number(Decimal(value) / unit)
    return words[: match.start("num")] + new + words[match.end("num") :]


_WINDOW_IN_WORDS = re.compile(r"(?P<num>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>[kKmM])?")
_WINDOW_UNITS = {"k": (1024, 1000), "m": (1024**2, 1000**2)}  # binary when the window is a power-of-two multiple


def rewrite_window(words: str, window: int) -> str | None:
    """`32K` with 131,072 -> `128K`; `8Ktoken` with 32,768 -> `32Ktoken`; `2048` -> `4096`.

    Words with more than one number (`4096-16K`) get no edit: which one is the claim's is a guess."""
    numbers = list(_WINDOW_IN_WORDS.finditer(words))
    if len(numbers) != 1:
        return None
    match = numbers[0]
    unit = match.group("unit")
    if unit:
        binary, decimal = _WINDOW_UNITS[unit.lower()]
        new = _number(Decimal(window) / (binary if window % binary == 0 else decimal))
    else:
        new = f"{window}"
    return words[: match.start("num")] + new + words[match.end("num") :]


def to_decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", ""))


# --- sizes ---------------------------------------------------------------------------------


def rounds_to(measured: int, claimed: int, unit_of_claim: int | None = None) -> bool:
    """Whether `measured` rounds to `claimed` at the claim's precision: 6.74B -> 7B, 2.67B -> 2.7B.

    `unit_of_claim` is the unit the words used (`1亿` counts in 1e8): 111M is `1亿`.
    """
    unit = Decimal(unit_of_claim) if unit_of_claim else Decimal(10**9) if claimed >= 10**9 else Decimal(10**6)
    claimed_units = (Decimal(claimed) / unit).normalize()
    exponent = claimed_units.as_tuple().exponent  # "n", "N" or "F" only for NaN and infinity
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return round(Decimal(measured) / unit, places) == claimed_units


def _size_superlative(claim: Claim, entry: Entry, repos: list[RepoFacts], seen_models: list[Release]) -> Finding:
    own_sizes = [value for repo in repos for value, _ in repo_sizes(repo)]
    own_sizes += [c.value for c in entry.claims if c.kind is ClaimKind.PARAMETERS and isinstance(c.value, int)]
    undecided = _finding(claim, Verdict.UNVERIFIABLE, "")
    return judge_size_superlative(undecided, own_sizes, {repo.repo_id.lower() for repo in repos}, seen_models)


def judge_size_superlative(finding: Finding, own_sizes: list[int], own_repos: set[str], seen_models: list[Release]) -> Finding:
    """`迄今参数量最大的开源LLM`: contradicted by a larger model the run has seen, named with its
    size, where that size comes from, and when it was created; else unverifiable, since the
    run has not seen the whole Hub. `merge` judges again with what every shard saw."""
    if not own_sizes:
        reason = "a size superlative, but neither the entry nor its repos state a size"
        return replace(finding, verdict=Verdict.UNVERIFIABLE, reason=reason)
    own = max(own_sizes)
    larger = [
        model for model in seen_models
        if (model.parameters or 0) > own and model.repo_id.lower() not in own_repos and not rounds_to(model.parameters or 0, own)
        and model.sha  # a model decides only at a revision the verdict can cite
    ]  # fmt: skip
    if not larger:
        reason = (
            f"no model larger than {human_count(own)} among the mapped repos and their authors' newest releases; "
            "the whole Hub was not searched"
        )
        return replace(finding, verdict=Verdict.UNVERIFIABLE, reason=reason, observed=None, repo_id=None)
    top = max(larger, key=lambda model: model.parameters or 0)
    created = f", created {top.created_at[:10]}" if top.created_at else ""
    reason = (
        f"{top.repo_id} is larger: {human_count(top.parameters or 0)} ({top.parameters_source}){created}, "
        f"against {human_count(own)} for this entry; the claim has aged"
    )
    observed = top.parameters  # the larger model's size, as a size claim's; which model, and when, in repo_id and reason
    return replace(
        finding, verdict=Verdict.CONTRADICTED, reason=reason, observed=observed, repo_id=top.repo_id,
        source=top.parameters_source,
    )  # fmt: skip


def is_size_superlative(finding: Finding) -> bool:
    return finding.kind is ClaimKind.QUALITATIVE and bool(load_rules().size_superlative.search(finding.text))


def repo_sizes(repo: RepoFacts) -> list[tuple[int, str]]:
    """The sizes a repo states: its name's, and a measured one."""
    sizes = []
    if repo.nominal_parameters:
        sizes.append((repo.nominal_parameters, "repo name"))
    if repo.parameters and repo.parameters_source != "name":
        sizes.append((repo.parameters, repo.parameters_source or "parameters"))
    return sizes


def _parameters(claim: Claim, repos: list[RepoFacts]) -> Finding:
    claimed = claim.value
    assert isinstance(claimed, int)
    every = [(repo, value, source) for repo in repos for value, source in repo_sizes(repo)]
    for repo, value, source in every:
        if rounds_to(value, claimed):
            return _finding(claim, Verdict.CONFIRMED, f"{repo.repo_id} has {human_count(value)} ({source})", value, repo, source)
    if not every:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states its size")
    repo, value, source = min(every, key=lambda item: abs(item[1] - claimed))
    reason = f"no mapped repo has {human_count(claimed)}; nearest: {repo.repo_id} with {human_count(value)} ({source})"
    finding = _finding(claim, Verdict.CONTRADICTED, reason, value, repo, source)
    # One size is the evident correction only when nothing else is as near: `70B` -> `72B`.
    distances = sorted({abs(size - claimed) for _, size, _ in every})
    tied = len({size for _, size, _ in every if abs(size - claimed) == distances[0]}) > 1
    if not tied and abs(value - claimed) <= claimed * SUGGEST_WITHIN:
        finding = replace(finding, suggested=rewrite_count(claim.text, claimed, value))
    return finding


_UNIT_WORDS = (("万亿", 10**12), ("千亿", 10**11), ("百亿", 10**10), ("亿", 10**8), ("万", 10**4))


def _unit_of_words(text: str) -> int | None:
    """The counting unit a claim's words use: `1亿到130亿` counts in 亿 (1e8)."""
    return next((unit for word, unit in _UNIT_WORDS if word in text), None)


def _parameter_range(claim: Claim, repos: list[RepoFacts]) -> Finding:
    claimed = claim.value
    assert isinstance(claimed, ParameterRange)
    sized = [(repo, *repo_sizes(repo)[0]) for repo in repos if repo_sizes(repo)]
    if not sized:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states its size")
    smallest, largest = min(sized, key=lambda item: item[1]), max(sized, key=lambda item: item[1])
    unit = _unit_of_words(claim.text)
    top = rounds_to(largest[1], claimed.max, unit)
    bottom = claimed.min is None or rounds_to(smallest[1], claimed.min, unit)
    observed = {"min": smallest[1], "max": largest[1]}
    seen = (
        f"the mapped repos span {human_count(smallest[1])} ({smallest[0].repo_id})"
        f" to {human_count(largest[1])} ({largest[0].repo_id})"
    )
    if top and bottom:
        return _finding(claim, Verdict.CONFIRMED, seen, observed, largest[0], largest[2])
    # An end the sized repos fall short of may be a repo of unknown size (`3B~11B` over T0_3B
    # and T0pp): the range is judged once every repo states its size.
    short_of_an_end = (not top and largest[1] < claimed.max) or (
        not bottom and claimed.min is not None and smallest[1] > claimed.min
    )
    unsized = [repo.repo_id for repo in repos if not repo_sizes(repo)]
    if short_of_an_end and unsized:
        names = ", ".join(unsized[:3]) + (f" and {len(unsized) - 3} more" if len(unsized) > 3 else "")
        reason = f"{seen}; {names} {'states' if len(unsized) == 1 else 'state'} no size, so the range cannot be judged yet"
        return _finding(claim, Verdict.UNVERIFIABLE, reason, observed)
    verdict = Verdict.PARTIAL if top or bottom else Verdict.CONTRADICTED
    return _finding(claim, verdict, seen, observed, largest[0] if not top else smallest[0], largest[2])


def _active_parameters(claim: Claim, repos: list[RepoFacts]) -> Finding:
    claimed = claim.value
    assert isinstance(claimed, int)
    stated = []
    for repo in repos:
        match = _ACTIVE_IN_NAME.search(repo.repo_id.rsplit("/", 1)[-1])
        if match:
            value = int(Decimal(match.group(1)) * 10**9)
            if rounds_to(value, claimed):
                reason = f"{repo.repo_id} names {human_count(value)} active"
                return _finding(claim, Verdict.CONFIRMED, reason, value, repo, "repo name")
            stated.append((repo, value))
    if not stated:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states its active parameters")
    repo, value = stated[0]
    return _finding(claim, Verdict.CONTRADICTED, f"{repo.repo_id} names {human_count(value)} active", value, repo, "repo name")


# --- context -------------------------------------------------------------------------------


def _context(claim: Claim, repos: list[RepoFacts]) -> Finding:
    claimed = claim.value
    assert isinstance(claimed, int)
    floor, ceiling = Decimal(claimed) * CONTEXT_SLACK, Decimal(claimed) * CONTEXT_CEILING
    if claim.at_least:  # `long context (32K+)`: any window from the claimed one up reaches it
        ceiling = Decimal("Infinity")
    reach: list[RepoFacts] = []
    larger: list[RepoFacts] = []  # a window the document understates
    also_larger: list[RepoFacts] = []  # the claimed window, and a larger one in another key
    short: list[RepoFacts] = []
    extend: list[tuple[RepoFacts, str]] = []
    unbounded: list[RepoFacts] = []  # ALiBi without a training length: nothing to compare with
    sliding: list[RepoFacts] = []  # a larger window; the claimed number is its sliding-window span
    for repo in repos:
        window = repo.context_length
        rope = repo.rope_scaling
        rope_type = (rope.type or "").lower() if rope else ""
        if window is not None and window > ceiling and repo.sliding_window and floor <= repo.sliding_window <= ceiling:
            sliding.append(repo)
        elif window is not None and window > ceiling:
            larger.append(repo)
        elif window is not None and window >= floor:
            extended = repo.context_extended
            (also_larger if extended and extended > ceiling else reach).append(repo)
        elif (
            window is not None and rope and rope.factor and rope_type in EXTENDING_ROPE_TYPES
            and window * rope.factor >= floor
        ):  # fmt: skip
            how = f"{window:,} ({repo.context_source}) x {rope.factor:g} {rope.type} rope scaling"
            extend.append((repo, how))
        elif window is not None and repo.context_extended and repo.context_extended >= floor:
            stated = f"{repo.context_extended:,} ({repo.context_extended_source})"
            how = f"native {window:,} ({repo.context_source}); the config states {stated}"
            extend.append((repo, how))
        elif window is not None and rope_type in EXTRAPOLATING_ROPE_TYPES:
            factor = f" x {rope.factor:g}" if rope and rope.factor else ""
            how = f"native {window:,} ({repo.context_source}) with {rope_type} rope scaling{factor}, which extrapolates past it"
            extend.append((repo, how))
        elif repo.alibi and window is not None:
            extend.append((repo, f"ALiBi extrapolation; trained {window:,} ({repo.context_source})"))
        elif repo.alibi:
            unbounded.append(repo)
        elif window is not None:
            short.append(repo)
    if not (reach or larger or also_larger or short or extend or sliding):
        if unbounded:
            reason = f"{unbounded[0].repo_id} uses ALiBi positions: no fixed window, and its config states no training length"
            return _finding(claim, Verdict.UNVERIFIABLE, reason)
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states its context window")

    def shown(repo: RepoFacts) -> str:
        return f"{repo.repo_id}: {repo.context_length:,} ({repo.context_source})"

    if reach and not (larger or also_larger or short or extend or sliding):
        first = reach[0]
        reason = f"{len(reach)} of {len(reach)} repos reach it; " + "; ".join(shown(r) for r in reach[:3])
        return _finding(claim, Verdict.CONFIRMED, reason, first.context_length, first, first.context_source)
    if short and not (reach or larger or also_larger or extend or sliding):
        return _stated_windows(claim, short, "smaller than claimed: ", shown)
    if larger and not (reach or also_larger or short or extend or sliding):
        return _stated_windows(claim, larger, "larger than claimed (the document understates it): ", shown)
    parts = [f"{len(reach)} repo(s) reach it"] if reach else []
    parts += [f"{repo.repo_id} only through {how}" for repo, how in extend[:2]]
    parts += [
        f"{shown(repo)} as claimed, but the config also states {repo.context_extended:,} ({repo.context_extended_source})"
        for repo in also_larger[:2]
    ]
    parts += [
        f"{shown(repo)} is larger; the claimed {repo.sliding_window:,} is its sliding_window (the attention span), not its window"
        for repo in sliding[:2]
    ]
    parts += [f"{shown(repo)} is smaller" for repo in short[:2]]
    parts += [f"{shown(repo)} is larger" for repo in larger[:2]]
    decided = reach[0] if reach else extend[0][0] if extend else (also_larger or sliding or larger or short)[0]
    return _finding(claim, Verdict.PARTIAL, "; ".join(parts), decided.context_length, decided, decided.context_source)


def _stated_windows(claim: Claim, repos: list[RepoFacts], words: str, shown: Callable[[RepoFacts], str]) -> Finding:
    """Every repo states a window other than the claimed one: contradicted, with the Hub's
    window as the edit when they all state the same one."""
    first = max(repos, key=lambda repo: repo.context_length or 0)
    reason = words + "; ".join(shown(repo) for repo in repos[:3])
    finding = _finding(claim, Verdict.CONTRADICTED, reason, first.context_length, first, first.context_source)
    if len({repo.context_length for repo in repos}) == 1 and first.context_length:
        finding = replace(finding, suggested=rewrite_window(claim.text, first.context_length))
    return finding


# --- licence -------------------------------------------------------------------------------


def _license(claim: Claim, repos: list[RepoFacts]) -> Finding:
    policy = load_policy()
    outcomes: list[tuple[RepoFacts, str, str, str]] = []  # repo, yes|conditional|no, licence shown, condition
    unknown = []
    for repo in repos:
        row, shown = policy.of(repo)
        if row is None:
            unknown.append(f"{repo.repo_id}: {shown}")
            continue
        if claim.value == "open_source":
            answer = "yes" if row.get("open_source") else ("no" if row["commercial"] == "no" else "conditional")
            condition = row.get("condition") or "open weights, but not an open-source licence"
        elif claim.value == "non_commercial":
            answer = {"no": "yes", "yes": "no", "conditional": "conditional"}[row["commercial"]]
            condition = row.get("condition", "")
        elif claim.value == "conditional":
            # `部分可商用`, `free if you have under 700M users`: a licence with a condition agrees.
            answer = {"yes": "yes", "conditional": "yes", "no": "no"}[row["commercial"]]
            condition = row.get("condition", "") if row["commercial"] == "conditional" else ""
        else:
            answer, condition = row["commercial"], row.get("condition", "")
        outcomes.append((repo, answer, shown, condition))
    if not outcomes:
        reason = "no mapped repo has a licence in the policy (syncer/rules/licenses.yaml): " + "; ".join(unknown[:3])
        return _finding(claim, Verdict.UNVERIFIABLE, reason)
    answers = {answer for _, answer, _, _ in outcomes}
    first = outcomes[0]
    if answers == {"yes"}:
        repo, _, shown, _ = first
        reason = f"{len(outcomes)} repo(s) under {_licences(outcomes)}"
        conditions = dict.fromkeys(condition for _, _, _, condition in outcomes if condition and claim.value == "conditional")
        if conditions:  # the conditions the claim speaks of, as the policy words them
            reason += ": " + "; ".join(conditions)
        return _finding(claim, Verdict.CONFIRMED, reason, shown, repo, "license")
    if answers == {"no"}:
        repo, _, shown, _ = first
        return _finding(claim, Verdict.CONTRADICTED, f"{_licences(outcomes)} does not allow it", shown, repo, "license")
    repo, _, shown, condition = next(item for item in outcomes if item[1] != "yes")
    against = [f"{r.repo_id} ({s})" for r, a, s, _ in outcomes if a == "no"]
    reason = f"{shown}: {condition}" if condition else shown
    if against:
        reason += "; not allowed by " + ", ".join(against[:3])
    return _finding(claim, Verdict.PARTIAL, reason, shown, repo, "license")


def _licences(outcomes: list[tuple[RepoFacts, str, str, str]]) -> str:
    return ", ".join(dict.fromkeys(shown for _, _, shown, _ in outcomes))


def _license_id(claim: Claim, repos: list[RepoFacts]) -> Finding:
    with_licence = [repo for repo in repos if repo.license]
    if str(claim.value).lower() == "other" and with_licence:
        return _custom_license(claim, with_licence)
    for repo in with_licence:
        if (repo.license or "").lower() == str(claim.value).lower():
            return _finding(claim, Verdict.CONFIRMED, f"{repo.repo_id} is {repo.license}", repo.license, repo, "license")
    if not with_licence:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states a licence")
    repo = with_licence[0]
    reason = f"{repo.repo_id} is {repo.license}, not {claim.value}"
    return _finding(claim, Verdict.CONTRADICTED, reason, repo.license, repo, "license")


def _custom_license(claim: Claim, repos: list[RepoFacts]) -> Finding:
    """`Custom`: a licence of the model's own. Any licence that is not a standard open one
    (the policy's `open_source: true`) agrees with it: `other`, `llama2`, `gemma`, a RAIL."""
    policy = load_policy()
    standard_open: list[RepoFacts] = []
    unknown: list[RepoFacts] = []
    for repo in repos:
        licence = (repo.license or "").lower()
        row = policy.ids.get(licence)
        if licence == "other" or (row is not None and not row.get("open_source")):
            reason = f"{repo.repo_id} is {policy.of(repo)[1]}, a licence of its own rather than a standard open one"
            return _finding(claim, Verdict.CONFIRMED, reason, repo.license, repo, "license")
        (standard_open if row is not None else unknown).append(repo)
    if unknown:
        repo = unknown[0]
        reason = (
            f"{repo.repo_id} is {repo.license}, which the licence policy (syncer/rules/licenses.yaml) "
            "does not list: whether it is a standard open licence is not known"
        )
        return _finding(claim, Verdict.UNVERIFIABLE, reason, repo.license, repo, "license")
    repo = standard_open[0]
    reason = f"{repo.repo_id} is {repo.license}, a standard open licence, not a custom one"
    return _finding(claim, Verdict.CONTRADICTED, reason, repo.license, repo, "license")


# --- architecture and lineage --------------------------------------------------------------


def _architecture(claim: Claim, repos: list[RepoFacts]) -> Finding:
    value = claim.value
    if value in ("moe", "dense"):
        read = [repo for repo in repos if repo.config_read]
        if not read:
            return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo's config.json could be read")
        experts = [repo for repo in read if (repo.experts or 0) > 1]
        if experts:
            repo = experts[0]
            reason = f"{repo.repo_id} has {repo.experts} experts ({repo.model_type})"
            verdict = Verdict.CONFIRMED if value == "moe" else Verdict.CONTRADICTED
            return _finding(claim, verdict, reason, repo.experts, repo, "config.json experts")
        repo = read[0]
        reason = f"{repo.repo_id} ({repo.model_type}) has no experts key in config.json"
        verdict = Verdict.CONTRADICTED if value == "moe" else Verdict.CONFIRMED
        return _finding(claim, verdict, reason, repo.model_type, repo, "config.json")
    wanted = ARCHITECTURE_TYPES.get(str(value))
    typed = [repo for repo in repos if repo.model_type]
    if wanted is None or not typed:
        reason = "no mapped repo states its model_type" if typed == [] else f"no rule checks `{value}`"
        return _finding(claim, Verdict.UNVERIFIABLE, reason)
    for repo in typed:
        if repo.model_type in wanted:
            reason = f"{repo.repo_id} is model_type {repo.model_type}"
            return _finding(claim, Verdict.CONFIRMED, reason, repo.model_type, repo, "model_type")
    repo = typed[0]
    reason = f"{repo.repo_id} is model_type {repo.model_type}"
    return _finding(claim, Verdict.CONTRADICTED, reason, repo.model_type, repo, "model_type")


def _base_model(claim: Claim, repos: list[RepoFacts]) -> Finding:
    family = str(claim.value)
    rules = load_rules()
    words = [word.lower() for word in rules.lineage_repo_words.get(family, [family])]
    types = set(rules.lineage_model_types.get(family, []))
    consistent: list[RepoFacts] = []
    against: list[RepoFacts] = []
    for repo in repos:
        bases = [base for base in repo.base_models if any(word in base.lower() for word in words)]
        if bases:
            reason = f"{repo.repo_id}'s card names {bases[0]} as its base"
            return _finding(claim, Verdict.CONFIRMED, reason, bases[0], repo, "cardData.base_model")
        if repo.model_type and types:
            (consistent if repo.model_type in types else against).append(repo)
    if consistent and against:
        repo, other = consistent[0], against[0]
        reason = (
            f"a mixed family: {repo.repo_id} is model_type {repo.model_type} ({family}), "
            f"but {other.repo_id} is model_type {other.model_type}"
        )
        return _finding(claim, Verdict.PARTIAL, reason, repo.model_type, repo, "model_type")
    if consistent:
        repo = consistent[0]
        if family in ARCHITECTURE_FAMILIES:
            reason = f"{repo.repo_id} is model_type {repo.model_type}"
            return _finding(claim, Verdict.CONFIRMED, reason, repo.model_type, repo, "model_type")
        # llama2, vicuna, alpaca... share their architecture with other families: the config
        # cannot tell them apart, and only the card's base_model or the model tree could.
        reason = (
            f"{repo.repo_id} is model_type {repo.model_type}, consistent with {family} but shared with other "
            f"families; neither its card's base_model nor its model tree names the base"
        )
        return _finding(claim, Verdict.UNVERIFIABLE, reason, repo.model_type, repo, "model_type")
    if against:
        repo = against[0]
        expected = " or ".join(sorted(types))
        reason = f"{repo.repo_id} is model_type {repo.model_type}, not {expected} as a {family} derivative would be"
        return _finding(claim, Verdict.CONTRADICTED, reason, repo.model_type, repo, "model_type")
    return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo states a base model or a model_type")


# --- languages -----------------------------------------------------------------------------


def _languages(claim: Claim, repos: list[RepoFacts]) -> Finding:
    stated = [repo for repo in repos if repo.languages]
    if not stated:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo's card lists languages")
    union = sorted({code for repo in stated for code in repo.languages})
    claimed = claim.value if isinstance(claim.value, list) else []
    found = [code for code in claimed if code in union]
    verdict = Verdict.CONFIRMED if len(found) == len(claimed) else Verdict.PARTIAL if found else Verdict.CONTRADICTED
    missing = [code for code in claimed if code not in union]
    reason = f"the cards list {', '.join(union[:12])}" + (f"; missing {', '.join(missing)}" if missing else "")
    return _finding(claim, verdict, reason, union, stated[0], "cardData.language")


def _language_count(claim: Claim, repos: list[RepoFacts]) -> Finding:
    stated = [repo for repo in repos if repo.languages]
    if not stated:
        return _finding(claim, Verdict.UNVERIFIABLE, "no mapped repo's card lists languages")
    repo = max(stated, key=lambda r: len(r.languages))
    count = len(repo.languages)
    claimed = claim.value if isinstance(claim.value, int) else 0
    verdict = Verdict.CONFIRMED if count >= claimed else Verdict.CONTRADICTED
    return _finding(claim, verdict, f"{repo.repo_id}'s card lists {count} languages", count, repo, "cardData.language")


COMPARATORS: dict[ClaimKind, Callable[[Claim, list[RepoFacts]], Finding]] = {
    ClaimKind.PARAMETERS: _parameters,
    ClaimKind.PARAMETER_RANGE: _parameter_range,
    ClaimKind.ACTIVE_PARAMETERS: _active_parameters,
    ClaimKind.CONTEXT_LENGTH: _context,
    ClaimKind.LICENSE: _license,
    ClaimKind.LICENSE_ID: _license_id,
    ClaimKind.ARCHITECTURE: _architecture,
    ClaimKind.BASE_MODEL: _base_model,
    ClaimKind.LANGUAGES: _languages,
    ClaimKind.LANGUAGE_COUNT: _language_count,
}
