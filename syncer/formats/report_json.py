"""reports/latest.json and snapshots: the report contract, with a stable key order.

Keys follow the models' field order and dictionaries are sorted, so a committed report
diffs line by line between runs. The text is produced entry by entry, so a catalog of
tens of thousands of repos is never held as one tree of Python objects or one string.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, TypeVar

from pydantic import TypeAdapter, ValidationError

from syncer.report import Baseline, BaselineEntry, EntryReport, Report

_ENTRIES = "\u0000entries\u0000"
ENTRY_REPORT = TypeAdapter(EntryReport)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, allow_nan=False)  # strict JSON: no NaN or Infinity


def report_json_chunks(report: Report) -> Iterator[str]:
    """The report as JSON text, in pieces; joined, it is `json.dumps(report, indent=2)`."""
    outline = report.model_dump(mode="json", exclude={"entries"})
    written = [key for key in Report.model_fields if key in outline or key == "entries"]  # not the excluded fields
    shaped = {key: (_ENTRIES if key == "entries" else outline[key]) for key in written}
    head, tail = _dumps(shaped).split(json.dumps(_ENTRIES), 1)
    yield head
    if not report.entries:
        yield "[]"
    else:
        yield "["
        for index, entry in enumerate(report.entries):
            body = _dumps(ENTRY_REPORT.dump_python(entry, mode="json")).replace("\n", "\n    ")
            yield ("\n    " if index == 0 else ",\n    ") + body
        yield "\n  ]"
    yield tail + "\n"


def report_json(report: Report) -> str:
    return "".join(report_json_chunks(report))


def parse_report(text: str) -> Report:
    return Report.model_validate_json(text)


# From where the last step ended, everything up to the next bracket that is not inside a
# string, and that bracket: one step of the Python loop per bracket, strings skipped by the
# regex engine. Possessive, so that a text cut inside a string (the rest is in the next
# chunk) fails at once rather than backtracking over it.
_STEP = re.compile(rb'(?:[^"\[\]{}]++|"(?:[^"\\]++|\\.)*+")*+([\[\]{}])')
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_KEY = b'"entries"'


BASELINE_ENTRY = TypeAdapter(BaselineEntry)

CHUNK_BYTES = 1 << 20


def parse_baseline(
    source: bytes | BinaryIO, chunk_bytes: int = CHUNK_BYTES, skipped: list[int] | None = None,
    each: Callable[[BaselineEntry], None] | None = None,
) -> Baseline:  # fmt: skip
    """Of a report's JSON, what the next run needs (see `Baseline`), one entry at a time.

    The file is read a chunk at a time, and each element of `entries` is cut out and read
    on its own as soon as it is complete; the rest of the document is read with an empty
    `entries`. Neither the text (150 MB at 50,000 repos) nor a tree of it is ever held
    whole beside the objects made from it. With `skipped`, an entry that cannot be read (a
    hand edit) is left out and the line it starts at added there; otherwise it is an error.
    With `each`, every entry is handed to it as it is read, and the outline's `entries` is empty."""
    return _parse_by_entry(source, BASELINE_ENTRY, Baseline, chunk_bytes, skipped, each)


def parse_report_by_entry(
    source: bytes | BinaryIO, chunk_bytes: int = CHUNK_BYTES, each: Callable[[EntryReport], None] | None = None
) -> Report:
    """A whole report (a stored snapshot), read as `parse_baseline` reads: the text a chunk at
    a time, each entry made as soon as it is complete, so that only the objects are held,
    never the text or a tree of it beside them. With `each`, as there (`merge` spools them)."""
    return _parse_by_entry(source, ENTRY_REPORT, Report, chunk_bytes, each=each)


OutlineT = TypeVar("OutlineT", Baseline, Report)


def _parse_by_entry(
    source: bytes | BinaryIO, entry: TypeAdapter[Any], outline_model: type[OutlineT], chunk_bytes: int,
    skipped: list[int] | None = None, each: Callable[[Any], None] | None = None,
) -> OutlineT:  # fmt: skip
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    buffer, scanned, depth = b"", 0, 0
    head: bytes | None = None  # the text before the `[` of `entries`, once it is found
    element = 0  # inside `entries`: where the element being read starts in `buffer` (or the text before it)
    entries: list[Any] = []
    keep = each or entries.append
    lines_let_go = 0  # newlines in what has been let go of the buffer: for an entry's line
    while True:
        chunk = stream.read(chunk_bytes)
        buffer += chunk
        while (step := _STEP.match(buffer, scanned)) is not None:
            bracket, at = step.group(1), step.end() - 1
            if bracket in (b"{", b"["):
                # The key of a top-level array is the last string before its bracket.
                if depth == 1 and bracket == b"[" and head is None and _STRING.findall(buffer, scanned, at)[-1:] == [_KEY]:
                    head, element = buffer[:at], at + 1
                elif depth == 2 and head is not None:
                    _only_commas(buffer[element:at])
                    element = at
                depth += 1
            else:
                depth -= 1
                if depth == 2 and head is not None:
                    try:
                        keep(entry.validate_json(buffer[element : at + 1]))
                    except ValidationError:
                        if skipped is None:
                            raise
                        skipped.append(lines_let_go + buffer.count(b"\n", 0, element) + 1)
                    element = at + 1
                elif depth == 1 and head is not None:
                    _only_commas(buffer[element:at])
                    outline = outline_model.model_validate_json(head + b"[]" + buffer[at + 1 :] + stream.read())
                    return outline.model_copy(update={"entries": entries})
            scanned = step.end()
        if element > 0:  # what is read of `entries` is let go
            lines_let_go += buffer.count(b"\n", 0, element)
            buffer, scanned, element = buffer[element:], scanned - element, 0
        if not chunk:
            break
    if head is not None:
        raise ValueError("not a syncer report: its `entries` array is not closed")
    return outline_model.model_validate_json(buffer)  # no entries array: let validation say what is wrong


def _only_commas(between: bytes) -> None:
    if between.strip(b" \t\r\n,"):
        raise ValueError("not a syncer report: `entries` holds something that is no entry")
