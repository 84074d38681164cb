"""Evidence: repo ids written as code - `` `Qwen/Qwen-7B` `` in a cell, `from_pretrained("…")`
under a heading, a fenced block of ids below a table.

An id in an entry's own text is that entry's when its name fits the entry's (or fits no
other entry and the entry's name cannot be compared, being all Chinese); elsewhere in the
document, it is the entry's whose name it fits best. An id whose name is not the entry's
(perhaps the base model a row names) is kept as a clue that maps nothing.
"""

from __future__ import annotations

import re

from syncer.evidence import Clue, DocumentText
from syncer.mappings import check_repo_id
from syncer.naming import Owners, fit, name_tokens, stem

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# `org/name` not inside a path or URL: no `/`, `:` or word character glued on either side.
_REPO_ID = re.compile(r"(?<![\w/:.@-])([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})(?![\w/-])")


def code_on_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line, code) for every fenced block line and every code span, in document order."""
    found: list[tuple[int, str]] = []
    fence: str | None = None
    for number, line in enumerate(lines, start=1):
        match = _FENCE.match(line)
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            else:
                found.append((number, line))
            continue
        if match:
            fence = match.group(1)
            continue
        found += [(number, span.group(2)) for span in _CODE_SPAN.finditer(line)]
    return found


def repo_ids_in(code: str) -> list[str]:
    ids = []
    for match in _REPO_ID.finditer(code):
        candidate = match.group(1).rstrip(".")
        try:
            ids.append(check_repo_id(candidate))
        except ValueError:
            continue
    return ids


def gather(document: DocumentText) -> list[Clue]:
    clues = []
    owners = Owners(document.entries)
    for number, code in code_on_lines(document.lines):
        for repo_id in repo_ids_in(code):
            best = owners.of(repo_id)
            around = document.owner_of_line(number)
            where = f"{document.path}:{number}"
            if around is not None and fit(around, repo_id).good and best in (None, around):
                clues.append(Clue(around.id, "repo", repo_id, number, f"named as code in the entry's text ({where})"))
            elif best is not None:
                clues.append(Clue(best.id, "repo", repo_id, number, f"named as code in the document ({where})"))
            elif around is not None:
                # An id in the entry's words whose name is not the entry's (a base model, say):
                # shown, never mapped - unless the entry's name cannot be compared with any
                # repo name at all (all Chinese).
                incomparable = not stem(name_tokens(around.name))
                clues.append(Clue(around.id, "repo", repo_id, number, f"named as code in the entry's text ({where})",
                                  names_the_entry=incomparable))  # fmt: skip
    return clues
