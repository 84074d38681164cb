"""reports/latest.json and snapshots: the report contract, with a stable key order.

Keys follow the models' field order and dictionaries are sorted, so a committed report
diffs line by line between runs. The text is produced entry by entry, so a catalog of
tens of thousands of repos is never held as one tree of Python objects or one string.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from syncer.models import Report

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
