"""Evidence: the entry links an organisation on the Hub (`huggingface.co/01-ai`): its repos are
that organisation's."""

from __future__ import annotations

from urllib.parse import urlsplit

from syncer.documents import read_cell
from syncer.entries.build import HUB_HOSTS, NOT_A_MODEL, REPO_PART
from syncer.evidence import Clue, DocumentText


def organisation_of(url: str) -> str | None:
    """`https://huggingface.co/01-ai` -> `01-ai`; `/organizations/x` too; None for anything else."""
    try:
        parts = urlsplit(url if "://" in url else "https://" + url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    segments = [segment for segment in parts.path.split("/") if segment]
    if host not in HUB_HOSTS or not segments:
        return None
    if segments[0] == "organizations" and len(segments) >= 2:
        segments = segments[1:2]
    if len(segments) != 1 or segments[0].lower() in NOT_A_MODEL or not REPO_PART.match(segments[0]):
        return None
    return segments[0]


def gather(document: DocumentText) -> list[Clue]:
    clues = []
    for entry in document.entries:
        first, last = document.spans[entry.id]
        for number in range(first, last + 1):
            for url in read_cell(document.lines[number - 1]).urls:
                org = organisation_of(url)
                if org:
                    how = f"the document links the organisation ({document.path}:{number})"
                    clues.append(Clue(entry.id, "org", org, number, how))
    return clues
