"""reports/latest.json and snapshots: the report contract, with a stable key order.

Keys follow the models' field order and dictionaries are sorted, so a committed report
diffs line by line between runs.
"""

from __future__ import annotations

import json

from syncer.models import Report


def report_json(report: Report) -> str:
    return json.dumps(report.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def parse_report(text: str) -> Report:
    return Report.model_validate_json(text)
