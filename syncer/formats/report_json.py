"""reports/latest.json and snapshots: the report contract, with a stable key order.

Keys follow the models' field order and dictionaries are sorted, so a committed report
diffs line by line between runs. The text is produced entry by entry, so a catalog of
tens of thousands of repos is never held as one tree of Python objects or one string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from pydantic import TypeAdapter

from syncer.models import Baseline, BaselineEntry, Report

_ENTRIES = "\u0000entries\u0000"


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
            body = _dumps(entry.model_dump(mode="json")).replace("\n", "\n    ")
            yield ("\n    " if index == 0 else ",\n    ") + body
        yield "\n  ]"
    yield tail + "\n"


def report_json(report: Report) -> str:
    return "".join(report_json_chunks(report))


def parse_report(text: str) -> Report:
    return Report.model_validate_json(text)


# A JSON string (skipped whole, so brackets inside it do not count) or a bracket.
_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


_ENTRY = TypeAdapter(BaselineEntry)


def parse_baseline(data: bytes) -> Baseline:
    """Of a report's JSON, what the next run needs (see `Baseline`), one entry at a time.

    Parsing the whole document at once builds a tree of it beside the objects made from it
    (tens of megabytes at 10,000 repos); here each entry of `entries` is cut out and read on
    its own, and the rest of the document is read with an empty `entries`."""
    depth, key, element, start, end = 0, b"", 0, -1, -1
    entries: list[BaselineEntry] = []
    for match in _TOKENS.finditer(data):
        token = match.group()
        if token[:1] == b'"':
            if depth == 1:
                key = token  # a key of the report (or a value: it is no key named "entries")
            continue
        if token in (b"{", b"["):
            if depth == 1 and token == b"[" and key == b'"entries"':
                start = element = match.end()
            elif depth == 2 and start >= 0 and end < 0:
                _only_commas(data[element : match.start()])
                element = match.start()
            depth += 1
            continue
        depth -= 1
        if depth == 2 and start >= 0 and end < 0:
            entries.append(_ENTRY.validate_json(data[element : match.end()]))
            element = match.end()
        elif depth == 1 and start >= 0 and end < 0:
            _only_commas(data[element : match.start()])
            start, end = start - 1, match.end()
    if end < 0:
        return Baseline.model_validate_json(data)  # no entries array: let validation say what is wrong
    outline = Baseline.model_validate_json(data[:start] + b"[]" + data[end:])
    return outline.model_copy(update={"entries": entries})


def _only_commas(between: bytes) -> None:
    if between.strip(b" \t\r\n,"):
        raise ValueError("not a syncer report: `entries` holds something that is no entry")
