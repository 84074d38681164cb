"""`syncer init`: a first mapping for a document, from its own evidence first, then the Hub's search.

For each entry with no mapping yet:
1. The document's evidence (`syncer.evidence`): a repo it links is mapped (`source: document`)
   whatever the Hub says - one the Hub moved under its new id with the old one as
   `renamed_from`, one it answers 404 for with a note, so the run reports it. A repo id
   written as code whose name is the entry's is mapped when the Hub has it.
2. Where the document is silent, a search (`syncer.suggest`), and only confident candidates
   become repos, marked `source: search` until a person reviews them: the entry's name
   continued by sizes, roles and revisions (`syncer.naming`), a size the entry states,
   no re-packaging, and a publisher the evidence points at - the organisation the entry
   links, the publisher of the document's links, an organisation named like the model, or
   one known to publish its own models. The rest are written as comments with their score
   and why they were passed over.
3. An entry with nothing confident gets `todo: <why>`; `not_on_hub` only when its own
   words say so, with those words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from syncer.documents import read_document
from syncer.errors import InputError
from syncer.evidence import Clue, gather_evidence
from syncer.formats.mapping_yaml import decisions_yaml, header
from syncer.hub.client import HubClient, HubSettings
from syncer.hub.facts import describe_failure, utc_now
from syncer.hub.retry import status_of
from syncer.hub.wire import ModelAnswer
from syncer.mappings import Mappings, RepoSource, load_mappings_if_any
from syncer.models import Catalog, Entry
from syncer.naming import Owners, fit, name_tokens, stem
from syncer.suggest import Candidate, find_candidates

# Organisations that publish their own models under their own names: a repo of theirs whose
# name is the entry's is the original, not a re-upload. Re-uploaders (TheBloke, huggyllama,
# NousResearch, unsloth, mlx-community) are deliberately absent.
KNOWN_PUBLISHERS = frozenset(name.lower() for name in (
    "01-ai", "ai21labs", "allenai", "apple", "BAAI", "baichuan-inc", "bigcode", "bigscience", "cerebras", "CohereForAI",
    "databricks", "deepseek-ai", "EleutherAI", "facebook", "fnlp", "google", "hfl", "HuggingFaceH4", "HuggingFaceTB",
    "ibm-granite", "IDEA-CCNL", "IEITYuan", "internlm", "lmsys", "meta-llama", "microsoft", "mistralai", "mosaicml",
    "nvidia", "openbmb", "OrionStarAI", "Qwen", "Salesforce", "Skywork", "stabilityai", "THUDM", "tiiuae",
    "togethercomputer", "upstage", "vivo-ai", "xai-org", "xverse", "zai-org",
))  # fmt: skip
# Organisation words that mark a community of re-uploads, whatever the rest of the name says.
REUPLOAD_ORG_WORDS = {"community", "fans", "unofficial", "gguf", "quant", "quants", "mlx", "onnx", "archive"}
ORG_SUFFIXES = ("", "ai", "inc", "team", "group", "org", "lab", "labs", "research", "official")
# An entry's own words that say its weights are not public.
CLOSED_WORDS = re.compile(
    r"API[- ]only|only (?:through|via) (?:an? |the )?API|closed[- ](?:source|weights)|not open[- ]sourced?|"
    r"no public weights|weights (?:are|were) not (?:released|public)|闭源|未开源|不开源|暂未开源|没有开源|仅提供\s*API|仅\s*API",
    re.IGNORECASE,
)
MAX_SEARCHED = 8  # search-chosen repos per entry: a family's main sizes, not every fine-tune
CANDIDATE_POOL = 50  # candidates ranked before the confident are picked


@dataclass(frozen=True)
class ChosenRepo:
    id: str
    source: RepoSource
    note: str
    renamed_from: str | None = None


@dataclass(frozen=True)
class Considered:
    """A repo looked at and not chosen, with its rank and why it was passed over."""

    repo_id: str
    score: float | None
    reasons: tuple[str, ...]
    why_not: str


@dataclass
class Decision:
    """What `init` writes for one entry: repos, or `not_on_hub`, or a to-do; and what it passed over."""

    entry: Entry
    repos: list[ChosenRepo] = field(default_factory=list)
    considered: list[Considered] = field(default_factory=list)
    not_on_hub: str | None = None
    todo: str | None = None

    @property
    def searched(self) -> int:
        return sum(1 for repo in self.repos if repo.source == "search")


class HubLookups:
    """What the Hub says about repos the document names, each asked once."""

    def __init__(self, client: HubClient) -> None:
        self.client = client
        self._known: dict[str, tuple[str | None, str | None]] = {}

    def look_up(self, repo_id: str) -> tuple[str | None, str | None]:
        """(the id the Hub names it by now, None) or (None, why not)."""
        key = repo_id.lower()
        if key not in self._known:
            try:
                answer = self.client.model_info(repo_id)
                self._known[key] = (answer.id or repo_id, None)
            except Exception as exc:  # noqa: BLE001 - one repo's failure is that repo's note
                gone = status_of(exc) == 404
                self._known[key] = (None, "the Hub has no such repo (HTTP 404)" if gone else describe_failure(exc, self.client))
        return self._known[key]


def decide(
    entries: list[Entry], catalog_entries: list[Entry], evidence: dict[str, list[Clue]], client: HubClient,
    mappings: Mappings, limit: int = 5,
) -> list[Decision]:  # fmt: skip
    """A decision for each of `entries`; `catalog_entries` are all the catalog's, so a repo whose
    name is another entry's own goes to that one."""
    lookups = HubLookups(client)
    owners = Owners(catalog_entries)
    document_orgs = _document_orgs(catalog_entries)
    reviewed = [ref for mapped in mappings.entries.values() for ref in mapped.mapping.repos or [] if not ref.unreviewed]
    reviewed_orgs = {ref.id.split("/")[0].lower() for ref in reviewed}
    decisions = []
    for entry in entries:
        decision = Decision(entry)
        clues = evidence.get(entry.id, [])
        _from_the_document(decision, [clue for clue in clues if clue.kind == "repo"], lookups)
        if not decision.repos:
            orgs = {clue.value.lower() for clue in clues if clue.kind == "org"}
            trusted = document_orgs.get(entry.document, set()) | reviewed_orgs
            _from_a_search(decision, owners, client, mappings, orgs, trusted, limit)
        if not decision.repos:
            closed = CLOSED_WORDS.search(entry.text)
            if closed:
                decision.not_on_hub = f"the document says so: {_clause(entry.text, closed.start(), closed.end())!r}"
            else:
                decision.todo = _todo(decision)
        decisions.append(decision)
    return decisions


def _document_orgs(entries: Iterable[Entry]) -> dict[str, set[str]]:
    """The publishers each document links to: a name-matching repo of theirs is no stranger's."""
    orgs: dict[str, set[str]] = {}
    for entry in entries:
        orgs.setdefault(entry.document, set()).update(link.split("/")[0].lower() for link in entry.hub_links)
    return orgs


def _from_the_document(decision: Decision, clues: list[Clue], lookups: HubLookups) -> None:
    for clue in clues:
        linked = clue.how.startswith("the document links")
        if not clue.names_the_entry:
            decision.considered.append(Considered(clue.value, None, (clue.how,), "its name is not the entry's (a base model?)"))
            continue
        now, failure = lookups.look_up(clue.value)
        if now is not None and now.lower() != clue.value.lower():
            decision.repos.append(ChosenRepo(now, "document", f"{clue.how}; the Hub renamed it", renamed_from=clue.value))
        elif now is not None:
            decision.repos.append(ChosenRepo(clue.value, "document", clue.how))
        elif linked:
            # The document links it: the mapping keeps it, and the run reports what the Hub says.
            decision.repos.append(ChosenRepo(clue.value, "document", f"{clue.how}; when `syncer init` asked: {failure}"))
        else:
            decision.considered.append(Considered(clue.value, None, (clue.how,), failure or "not on the Hub"))


def _from_a_search(
    decision: Decision, owners: Owners, client: HubClient, mappings: Mappings, orgs: set[str], trusted: set[str],
    limit: int,
) -> None:  # fmt: skip
    entry = decision.entry
    # The organisation the entry links is read whole (its newest 100): its repo may not be
    # among a name search's most downloaded.
    also = [Candidate(answer.id, answer.downloads, answer.gated) for org in sorted(orgs) for answer in _newest(client, org)
            if answer.id]  # fmt: skip
    candidates = find_candidates(entry, client, mappings, CANDIDATE_POOL, also)
    # A publisher is also trusted when it is the only one whose repos' names are the entry's:
    # popular models have re-uploads under many names; a model nobody re-uploaded has one.
    publishers = {c.repo_id.split("/")[0].lower() for c in candidates if fit(entry, c.repo_id).good}
    if len(publishers) == 1:
        trusted = trusted | publishers
    passed_over = []
    for candidate in candidates:
        why_not = _why_not_confident(candidate, entry, owners, orgs, trusted)
        if why_not is None and decision.searched < MAX_SEARCHED:
            note = f"chosen by a search: score {candidate.score:g} ({'; '.join(candidate.reasons)})"
            decision.repos.append(ChosenRepo(candidate.repo_id, "search", note))
        elif why_not is not None:
            passed_over.append(Considered(candidate.repo_id, candidate.score, tuple(candidate.reasons), why_not))
    decision.considered += passed_over[:limit]


def _newest(client: HubClient, org: str) -> list[ModelAnswer]:
    """An organisation's newest 100 repos; none when it cannot be listed (the search still runs)."""
    try:
        return next(iter(client.list_author_pages(org, 100)), [])
    except Exception:  # noqa: BLE001 - a listing that fails leaves the name search to decide
        return []


def _why_not_confident(candidate: Candidate, entry: Entry, owners: Owners, orgs: set[str], trusted: set[str]) -> str | None:
    org = candidate.repo_id.split("/")[0]
    if orgs and org.lower() not in orgs:
        return f"not under the organisation the document links ({', '.join(sorted(orgs))})"
    name_fit = fit(entry, candidate.repo_id)
    if not name_fit.good:
        return name_fit.problem or "its name is not the entry's"
    belongs = owners.of(candidate.repo_id)
    if belongs is None or belongs.id != entry.id:
        return f"its name is {belongs.name!r}'s as much or more" if belongs else "its name fits another entry as well"
    if not (org.lower() in orgs or org.lower() in trusted or org.lower() in KNOWN_PUBLISHERS or _named_like(org, entry)):
        return f"{org} is not a publisher the document links or one known to publish its own models (a re-upload?)"
    return None


def _named_like(org: str, entry: Entry) -> bool:
    """`mistralai` publishes Mistral, `project-baize` Baize; `huggyllama` and `llama-community` publish no LLaMA of their own."""
    words = re.split(r"[-_]+", org.lower())
    if REUPLOAD_ORG_WORDS & set(words):
        return False
    own = stem(name_tokens(entry.name))
    joined = "".join(own)
    if not joined:
        return False
    squashed = "".join(words)
    return any(squashed == joined + suffix for suffix in ORG_SUFFIXES) or (own[0] in words and len(own[0]) >= 4)


def _clause(text: str, start: int, end: int) -> str:
    """The clause around the words at start:end, as the document writes it."""
    left = max((text.rfind(mark, 0, start) for mark in "。；;.!！\n|"), default=-1) + 1
    rights = [index for index in (text.find(mark, end) for mark in "。；;.!！\n|") if index != -1]
    return text[left : min(rights) if rights else len(text)].strip()


def _todo(decision: Decision) -> str:
    if not decision.considered:
        return "no candidate on the Hub; map its repos by hand, or write `not_on_hub: <why>`"
    best = decision.considered[0]
    return (f"no confident candidate (best: {best.repo_id}, not chosen: {best.why_not}); "
            "move a candidate above into `repos`, or write `not_on_hub: <why>`")  # fmt: skip


@dataclass(frozen=True)
class MappingText:
    """A mapping file `init` writes: its whole new text, and the entries it adds."""

    path: Path
    text: str
    decisions: list[Decision]
    appended: bool  # the file existed and keeps its entries; the new ones follow them


@dataclass(frozen=True)
class InitOutcome:
    decisions: list[Decision]
    files: list[MappingText]


def prepare_init(
    catalog: Catalog, folder: Path, hub: HubSettings, *, limit: int = 5, force: bool = False,
    read: Callable[[Path], str] = read_document, today: str | None = None,
) -> InitOutcome:  # fmt: skip
    """What `syncer init` writes: `folder/<document stem>.yaml` for each document with entries
    no mapping in `folder` has (with `force`, that file is written anew for all the entries
    it had or lacks). The caller writes the files."""
    if folder.exists() and not folder.is_dir():
        raise InputError("`syncer init` writes into a folder (DIR/<document>.yaml); this is a file", path=folder)
    mappings = load_mappings_if_any(folder) if folder.is_dir() else Mappings([], {}, [])
    if mappings.problems and not force:
        shown = "; ".join(str(problem) for problem in mappings.problems[:3])
        raise InputError(f"the mappings have problems ({shown}); fix them (`syncer check`) or rewrite with `--force`")
    targets = {document: folder / f"{Path(document).stem}.yaml" for document in catalog.documents}
    kept = mappings.entries
    if force:  # the target files are written anew: what they held is decided again
        rewritten = {str(path) for path in targets.values()}
        kept = {key: mapped for key, mapped in kept.items() if mapped.where.path not in rewritten}
    wanted = [entry for entry in catalog.entries if entry.id not in kept and entry.id not in mappings.invalid]
    evidence = gather_evidence(catalog, read)
    with HubClient(hub) as client:
        if wanted:
            client.probe()
        decisions = decide(wanted, catalog.entries, evidence, client, Mappings(mappings.files, kept, []), limit)
    files = []
    day = today or utc_now()[:10]
    for document, path in targets.items():
        mine = [decision for decision in decisions if decision.entry.document == document]
        if not mine:
            continue
        body = decisions_yaml(mine)
        if path.exists() and not force:
            before = path.read_text(encoding="utf-8").rstrip("\n")
            text = "\n".join([before, "", f"# Added by `syncer init` on {day}; see the top of the file for the marks.", *body])
            files.append(MappingText(path, text, mine, appended=True))
        else:
            files.append(MappingText(path, "\n".join([*header([document], day), *body]), mine, appended=False))
    return InitOutcome(decisions, files)


def describe_decision(decision: Decision) -> str:
    """One line per entry for `init`'s output: what it mapped and from where, or what is left."""
    entry = decision.entry
    where = f"{entry.document}:{entry.line}: {entry.id}"
    if decision.repos:
        from_document = len(decision.repos) - decision.searched
        parts = [f"{from_document} from the document"] if from_document else []
        parts += [f"{decision.searched} from a search (not reviewed)"] if decision.searched else []
        renamed = [f"{repo.renamed_from} -> {repo.id}" for repo in decision.repos if repo.renamed_from]
        return f"{where}: {', '.join(parts)}" + (f"; renamed on the Hub: {', '.join(renamed)}" if renamed else "")
    if decision.not_on_hub:
        return f"{where}: not on the Hub ({decision.not_on_hub})"
    return f"{where}: to do: {decision.todo}"


def init_summary(decisions: list[Decision]) -> str:
    if not decisions:
        return "every entry already has a mapping; nothing to add"
    mapped = [decision for decision in decisions if decision.repos]
    repos = sum(len(decision.repos) for decision in mapped)
    searched = sum(decision.searched for decision in mapped)
    closed = sum(1 for decision in decisions if decision.not_on_hub)
    todos = sum(1 for decision in decisions if decision.todo)
    return (f"{len(decisions)} entries: {len(mapped)} mapped to {repos} repos ({repos - searched} from the document, "
            f"{searched} from a search, not reviewed), {closed} not on the Hub, {todos} to do")  # fmt: skip
