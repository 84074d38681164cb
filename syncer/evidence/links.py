"""Evidence: the entry links a model repo (its `hub_links`: the Hub and its mirrors)."""

from __future__ import annotations

from syncer.evidence import Clue, DocumentText


def gather(document: DocumentText) -> list[Clue]:
    return [
        Clue(entry.id, "repo", link, entry.line, f"the document links it ({document.path}:{entry.line})")
        for entry in document.entries
        for link in entry.hub_links
    ]
