"""Writing reports: every file replaced atomically, so a failed run leaves the last ones whole.

A file is written to a temporary name in the same folder, flushed to disk and renamed
over the old one; a crash at any point leaves either the old file or the new one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from syncer.errors import SyncerError
from syncer.formats.report_json import report_json
from syncer.formats.report_markdown import report_markdown
from syncer.models import Report


class ReportsNotWritable(SyncerError):
    """The reports folder cannot be written. The CLI exits 3."""


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def snapshot_name(report: Report) -> str:
    """`2026-11-27T04:50:12Z` -> `2026-11-27T04-50-12Z.json` (no colons: portable file names)."""
    return report.generated_at.replace(":", "-") + ".json"


def clear_debris(folder: Path) -> None:
    """Remove temporary files a killed run left behind (`.latest.json.<random>.tmp`)."""
    for directory in (folder, folder / "snapshots"):
        if directory.is_dir():
            for leftover in directory.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)


def write_reports(report: Report, folder: Path, snapshot: bool = True) -> list[Path]:
    """Render first, then write: the snapshot, latest.json, latest.md. Returns what was written."""
    as_json, as_markdown = report_json(report), report_markdown(report)
    targets = []
    if snapshot:
        targets.append((folder / "snapshots" / snapshot_name(report), as_json))
    targets += [(folder / "latest.json", as_json), (folder / "latest.md", as_markdown)]
    try:
        clear_debris(folder)
        for path, text in targets:
            write_atomically(path, text)
    except OSError as exc:
        raise ReportsNotWritable(f"{folder}: cannot write reports: {exc.strerror or exc}") from None
    return [path for path, _ in targets]
