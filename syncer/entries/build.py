"""From a name and its statements to an `Entry`: claims, Hub links, a unique id."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from syncer.bounds import ACTIVE_PARAMETERS, CONTEXT, LANGUAGES, PARAMETERS, TRAINING_TOKENS
from syncer.claims import cell_claims, claims_from_name, claims_from_text, dedupe
from syncer.documents import Cell, read_cell
from syncer.entries.names import left_out_of_name
from syncer.models import Claim, ClaimKind, Entry, Notice, ParameterRange
from syncer.rules import Rules
from syncer.vocabulary import CLAIMLESS_ROLES, ColumnRole

# A catalog cell is a sentence or two (the seed's longest is 150 characters). Claims are
# read from the first MAX_CELL characters of longer cells, and the rest is reported.
MAX_CELL = 2_000
# The Hub, and mirrors that serve it under the same paths (a link to one names a Hub repo).
HUB_HOSTS = {"huggingface.co", "www.huggingface.co", "hf.co", "hf-mirror.com", "www.hf-mirror.com"}
# First path segments of huggingface.co pages that are not model repos.
NOT_A_MODEL = {
    "datasets",
    "spaces",
    "docs",
    "blog",
    "papers",
    "models",
    "collections",
    "organizations",
    "settings",
    "join",
    "login",
    "pricing",
    "tasks",
    "learn",
    "api",
    "posts",
    "chat",
    "new",
    "search",
    "enterprise",
    "inference-endpoints",
    "storage",
    "changelog",
    "welcome",
}
REPO_PART = re.compile(r"^[A-Za-z0-9][\w.-]*$")
# The plausible range of each numeric claim (syncer/bounds.py), as of the facts it is checked against.
CLAIM_BOUNDS = {
    ClaimKind.PARAMETERS: PARAMETERS, ClaimKind.PARAMETER_RANGE: PARAMETERS, ClaimKind.ACTIVE_PARAMETERS: ACTIVE_PARAMETERS,
    ClaimKind.CONTEXT_LENGTH: CONTEXT, ClaimKind.TRAINING_TOKENS: TRAINING_TOKENS, ClaimKind.LANGUAGE_COUNT: LANGUAGES,
}  # fmt: skip


def slugify(name: str) -> str:
    """`Qwen1.5` -> `qwen1-5`; `UltraLM系列` -> `ultralm系列`. Ids stay readable in YAML keys."""
    normal = unicodedata.normalize("NFKC", name).lower()
    return re.sub(r"[\W_]+", "-", normal).strip("-")


def hub_repo_of(url: str) -> str | None:
    """The model repo a Hub URL points at, or None for datasets, Spaces, orgs and pages.

    >>> hub_repo_of("https://huggingface.co/mosaicml/mpt-7b/blob/main/config.json")
    'mosaicml/mpt-7b'
    """
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if host not in HUB_HOSTS:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if len(segments) < 2 or segments[0].lower() in NOT_A_MODEL:
        return None
    if not (REPO_PART.match(segments[0]) and REPO_PART.match(segments[1])):
        return None
    return f"{segments[0]}/{segments[1]}"


@dataclass(frozen=True)
class Statement:
    """Something said about an entry: a cell of a fact column, a list label, a paragraph."""

    role: ColumnRole
    header: str  # the claim's `field`
    markdown: str
    line: int
    unit: str | None = None


class EntryBuilder:
    """Builds entries the same way whatever style they came from."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.id_counts: dict[str, int] = {}

    def build(
        self,
        *,
        name: str,
        name_cell: Cell,
        statements: list[Statement],
        document: str,
        section: str | None,
        line: int,
        text: str,
        extra_urls: list[str] | None = None,
    ) -> tuple[Entry, list[Notice]]:
        notices: list[Notice] = []
        claims: list[Claim] = claims_from_name(name, self.rules)
        for part in left_out_of_name(name_cell.text):  # `OPT (125M/350M/…)`: out of the name, still its sizes
            claims += claims_from_name(part, self.rules)
        urls = list(name_cell.urls) + list(extra_urls or [])
        for statement in statements:
            cell = read_cell(statement.markdown)
            urls += cell.urls
            content = cell.text
            if len(content) > MAX_CELL:
                notices.append(
                    Notice(
                        document=document,
                        line=statement.line,
                        message=f"{statement.header}: {len(content):,} characters; claims read from the first {MAX_CELL:,}",
                    )
                )
                content = content[:MAX_CELL]
            if statement.role is ColumnRole.DESCRIPTION:
                claims += claims_from_text(content, "description", self.rules, entry_name=name)
            elif statement.role in CLAIMLESS_ROLES:
                continue
            else:
                found, unread = cell_claims(statement.role, statement.header, content, statement.unit, self.rules)
                claims += found
                notices += [
                    Notice(document=document, line=statement.line, message=f"{statement.header}: could not read {part!r}")
                    for part in unread
                ]
        plausible = []
        for claim in claims:
            bound = CLAIM_BOUNDS.get(claim.kind)
            value = claim.value.max if isinstance(claim.value, ParameterRange) else claim.value
            if bound is not None and bound.check(value) is None:
                # `10**40 parameters` in a cell is no claim: it would be no fact on the Hub either.
                notices.append(Notice(document=document, line=claim.line or line,
                                      message=f"{claim.text!r}: {bound.why_not(value)}; not read as a claim"))  # fmt: skip
            else:
                plausible.append(claim)
        claims = plausible
        hub_links: list[str] = []
        for url in urls:
            repo = hub_repo_of(url)
            if repo and repo not in hub_links:
                hub_links.append(repo)
        entry = Entry(
            id="", name=name, document=document, section=section, line=line, text=text, hub_links=hub_links, claims=dedupe(claims)
        )
        return entry, notices

    def assign_ids(self, entries: list[Entry]) -> list[Entry]:
        """Ids in document order: a repeated name gets `-2`, `-3`, across the whole catalog."""
        named = []
        for entry in entries:
            slug = slugify(entry.name) or f"line-{entry.line}"
            self.id_counts[slug] = self.id_counts.get(slug, 0) + 1
            unique = slug if self.id_counts[slug] == 1 else f"{slug}-{self.id_counts[slug]}"
            named.append(entry.model_copy(update={"id": unique}))
        return named
