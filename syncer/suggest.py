"""Candidate Hub repos for an entry: searched with the name and its variants, then ranked.

The Hub's search matches a substring of the repo id, so a typo in a document
(`Galacia`, `Chinese Vincuna`) finds nothing by itself. The search therefore also tries
each word of the name and shorter and shorter prefixes of its longest word, and the
ranking - not the search - decides what fits.

Ranking, as points a reader can check:
- name similarity of the repo name to the entry name, 0-60;
- a publisher the mapping already trusts (an organisation it maps elsewhere), 15;
- popularity, log10 of 30-day downloads, up to 20;
- a size in the repo name that the entry claims, 15; a document link to the repo, 40.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from syncer.errors import SearchFailed
from syncer.hub.client import HubClient
from syncer.hub.facts import describe_failure
from syncer.hub.parameters import nominal_size
from syncer.mappings import Mappings
from syncer.models import ClaimKind, Entry

MAX_QUERIES = 6
ENOUGH_CANDIDATES = 25
MIN_PREFIX = 4


@dataclass
class Candidate:
    repo_id: str
    downloads: int | None
    gated: object = None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)


def _normal(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def search_queries(name: str) -> list[str]:
    """`Chinese Vincuna` -> `chinese-vincuna`, `vincuna`, `chinese`, `vincun`, `vincu`, `vinc`."""
    words = sorted(dict.fromkeys(re.findall(r"[A-Za-z][A-Za-z0-9.]{2,}", name)), key=len, reverse=True)
    queries = []
    joined = "-".join(re.findall(r"[A-Za-z0-9.]+", name)).lower()
    if joined:
        queries.append(joined)
    queries += [word.lower() for word in words]
    if words:
        longest = words[0].lower()
        queries += [longest[:size] for size in range(len(longest) - 1, MIN_PREFIX - 1, -1)]
    return list(dict.fromkeys(q for q in queries if q))[: MAX_QUERIES + 4]


def find_candidates(
    entry: Entry, client: HubClient, mappings: Mappings, limit: int = 5, also: Iterable[Candidate] = ()
) -> list[Candidate]:
    """The repos the document links to, then the best `limit` other candidates (searched, and
    `also`: an organisation's listing, say), each with the reasons for its rank. A link is
    never cut by `limit`: the mapping must account for every one (`syncer check`)."""
    mapped = mappings.entries.get(entry.id)
    excluded = mapped.mapping.known_ids() if mapped else set()
    seen: dict[str, Candidate] = {}
    for link in entry.hub_links:
        seen.setdefault(link.lower(), Candidate(link, None))
    for candidate in also:
        seen.setdefault(candidate.repo_id.lower(), candidate)
    queries, failures = 0, []
    for query in search_queries(entry.name):
        if queries >= MAX_QUERIES or len(seen) >= ENOUGH_CANDIDATES:
            break
        queries += 1
        try:
            found = client.search(query)
        except Exception as exc:  # noqa: BLE001 - one failed query should not end the search
            failures.append(describe_failure(exc, client))
            continue
        for answer in found:  # every row names a repo id: wire.parse_listing keeps no other
            if answer.id is not None:
                seen.setdefault(answer.id.lower(), Candidate(answer.id, answer.downloads, answer.gated))
    if queries and len(failures) == queries:
        raise SearchFailed(f"could not search the Hub for {entry.name!r}: {failures[0]}")
    trusted = mappings.publishers
    sizes = {claim.value for claim in entry.claims if claim.kind is ClaimKind.PARAMETERS and isinstance(claim.value, int)}
    ranked = [
        _score(candidate, entry, trusted, sizes)
        for key, candidate in seen.items()
        if key not in excluded
    ]
    ranked.sort(key=lambda c: (-c.score, c.repo_id.lower()))
    links = {link.lower() for link in entry.hub_links}
    linked = [candidate for candidate in ranked if candidate.repo_id.lower() in links]
    return linked + [candidate for candidate in ranked if candidate.repo_id.lower() not in links][:limit]


def _score(candidate: Candidate, entry: Entry, trusted: frozenset[str], sizes: set[int]) -> Candidate:
    org, _, name = candidate.repo_id.partition("/")
    similarity = max(
        SequenceMatcher(None, _normal(entry.name), _normal(name)).ratio(),
        SequenceMatcher(None, _normal(entry.name), _normal(name)[: len(_normal(entry.name)) + 2]).ratio(),
    )
    candidate.score = round(similarity * 60, 1)
    candidate.reasons.append(f"name similarity {similarity:.2f}")
    if candidate.repo_id.lower() in {link.lower() for link in entry.hub_links}:
        candidate.score += 40
        candidate.reasons.append("the document links it")
    if org.lower() in trusted:
        candidate.score += 15
        candidate.reasons.append(f"{org} is a publisher the mapping already uses")
    if candidate.downloads:
        points = min(20.0, math.log10(candidate.downloads + 1) * 3)
        candidate.score += round(points, 1)
        candidate.reasons.append(f"{candidate.downloads:,} downloads in 30 days")
    size = nominal_size(candidate.repo_id)
    if size and size in sizes:
        candidate.score += 15
        candidate.reasons.append("a size the entry claims")
    if candidate.gated:
        candidate.reasons.append(f"gated ({candidate.gated})")
    candidate.score = round(candidate.score, 1)
    return candidate
