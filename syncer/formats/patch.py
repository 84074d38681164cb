"""reports/suggested.patch: the document edits the Hub's facts call for, as a unified diff.

Only contradicted size and context claims with an evident correction (`Finding.suggested`)
are edited, and only their own words: on the entry's line, outside the entry's name (a
renamed entry would no longer match its mapping), the claim's text must occur exactly
once as a word of its own, or nothing is suggested for it. Paths are the
documents' as the catalog was given (relative to the working directory), so `git apply`
takes the patch from there.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable

from syncer.report import Report, Verdict
from syncer.untrusted import lines_of

ReadText = Callable[[str], str | None]


Edit = tuple[str, str, str]  # the entry's name, the claim's words, the words to put instead


def suggested_edits(report: Report) -> dict[str, dict[int, list[Edit]]]:
    """document -> line -> edits, for every evident correction."""
    edits: dict[str, dict[int, list[Edit]]] = {}
    for entry in report.entries:
        for finding in entry.claims:
            if finding.verdict is Verdict.CONTRADICTED and finding.suggested and finding.suggested != finding.text:
                edit = (entry.name, finding.text, finding.suggested)
                edits.setdefault(entry.document, {}).setdefault(entry.line, []).append(edit)
    return edits


def apply_edit(line: str, name: str, old_words: str, new_words: str) -> str:
    """The line with the claim's words replaced, if they occur exactly once outside the name."""
    name_spans = [(m.start(), m.end()) for m in re.finditer(re.escape(name), line)] if name else []
    spots = [
        m for m in re.finditer(rf"(?<![\w.]){re.escape(old_words)}(?![\w])", line)
        if not any(start <= m.start() < end for start, end in name_spans)
    ]  # fmt: skip
    if len(spots) != 1:
        return line
    return line[: spots[0].start()] + new_words + line[spots[0].end() :]


def suggested_patch(report: Report, read_text: ReadText) -> str:
    """The unified diff of every document with an evident correction ('' when there is none)."""
    out: list[str] = []
    for document, lines in sorted(suggested_edits(report).items()):
        text = read_text(document)
        if text is None:
            continue
        before = lines_of(text, keepends=True)
        after = list(before)
        for line, replacements in sorted(lines.items()):
            if not 0 < line <= len(after):
                continue
            new = after[line - 1]
            for name, old_words, new_words in replacements:
                new = apply_edit(new, name, old_words, new_words)
            after[line - 1] = new
        if after != before:
            out += difflib.unified_diff(before, after, fromfile=f"a/{document}", tofile=f"b/{document}")
    return "".join(out)
