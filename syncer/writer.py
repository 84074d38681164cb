"""Writing reports: every file replaced atomically, so a failed run leaves the last ones whole.

Each report is first written in full to a temporary file beside its target and flushed
to disk; only when all of them are written are they renamed over the old files. A crash
at any point leaves the old files or the new ones, never half of one; the temporary
files a killed run leaves behind are cleared by the next write.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from syncer.errors import ReportsLocked, ReportsNotWritable
from syncer.formats.report_json import report_json_chunks
from syncer.formats.report_markdown import report_markdown
from syncer.formats.sarif import report_sarif
from syncer.history import HISTORY_FILE, Trends
from syncer.report import Report


def _file_mode() -> int:
    """The mode a new file gets in this process (0o644 under the usual umask 022)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _temporary(path: Path, fill: Callable[[BinaryIO], None]) -> Path:
    """A new file beside `path`, filled by `fill` and flushed to disk; removed if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(temporary, _file_mode())  # mkstemp makes 0600; reports are for everyone who reads the folder
    try:
        with os.fdopen(handle, "wb") as file:
            fill(file)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _write_temporary(path: Path, chunks: Iterable[str]) -> Path:
    def fill(file: BinaryIO) -> None:
        for chunk in chunks:
            file.write(chunk.encode("utf-8"))

    return _temporary(path, fill)


def _copy_temporary(source: Path, path: Path) -> Path:
    def fill(file: BinaryIO) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, file)

    return _temporary(path, fill)


_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def snapshot_name(report: Report) -> str:
    """`2026-11-27T04:50:12Z` -> `2026-11-27T04-50-12Z.json` (no colons: portable file names).

    The time may come from a shard file someone wrote: anything but a plain UTC timestamp
    (`../../x`) is refused rather than used as a path.
    """
    if not _TIMESTAMP.fullmatch(report.generated_at):
        raise ReportsNotWritable(f"refusing a snapshot named by {report.generated_at[:40]!r}: not a UTC timestamp")
    return report.generated_at.replace(":", "-") + ".json"


def clear_debris(folder: Path) -> None:
    """Remove temporary files a killed run left behind (`.latest.json.<random>.tmp`)."""
    for directory in (folder, folder / "snapshots"):
        if directory.is_dir():
            for leftover in directory.glob(".*.tmp"):
                leftover.unlink(missing_ok=True)


def write_reports(
    report: Report,
    folder: Path,
    snapshot: bool = True,
    patch: str | None = None,
    trends: Trends | None = None,
    history_line: str | None = None,
) -> list[Path]:
    """Write the snapshot, latest.json, latest.sarif, (given) suggested.patch, (given) a line
    appended to history.jsonl, and latest.md; return their paths.

    history.jsonl is append-only: its earlier bytes are copied as they are, the new line
    after them, and the whole replaces the file with the other reports - a failed run
    appends nothing. latest.md comes last, so that it is what the caller names.
    """
    # The report JSON is made once: the snapshot is a copy of latest.json's bytes.
    snapshot_path = folder / "snapshots" / snapshot_name(report) if snapshot else None
    targets: list[tuple[Path, Iterable[str]]] = [(folder / "latest.json", report_json_chunks(report))]
    targets.append((folder / "latest.sarif", [report_sarif(report)]))
    if patch is not None:
        targets.append((folder / "suggested.patch", [patch]))
    if history_line is not None:
        targets.append((folder / HISTORY_FILE, _appended(folder / HISTORY_FILE, history_line)))
    targets.append((folder / "latest.md", [report_markdown(report, trends)]))
    written: list[tuple[Path, Path]] = []
    try:
        clear_debris(folder)
        for path, chunks in targets:
            written.append((_write_temporary(path, chunks), path))
            if snapshot_path is not None and path.name == "latest.json":
                written.append((_copy_temporary(written[-1][0], snapshot_path), snapshot_path))
        for temporary, path in written:
            os.replace(temporary, path)
    except OSError as exc:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise ReportsNotWritable(f"{folder}: cannot write reports: {exc.strerror or exc}") from None
    return ([snapshot_path] if snapshot_path else []) + [path for path, _ in targets]


def _appended(path: Path, line: str) -> Iterator[str]:
    """The file's text as it is, a chunk at a time (a year of daily runs at 50,000 repos is
    hundreds of MB), then `line` (after a newline, if the last line lacked one)."""
    last = ""
    if path.exists() and not path.is_file():
        yield line  # a pipe would hang the read (app._history said so); the new file replaces it
        return
    try:
        with path.open(encoding="utf-8", errors="replace") as existing:  # a stray byte must not stop the run
            while chunk := existing.read(APPEND_CHUNK):
                last = chunk
                yield chunk
    except FileNotFoundError:
        pass
    if last and not last.endswith("\n"):
        yield "\n"
    yield line


APPEND_CHUNK = 1 << 20  # characters


@contextmanager
def reports_lock(folder: Path, wait: bool = False) -> Iterator[None]:
    """One run at a time per reports folder: two would diff against, and overwrite, each other."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".syncer.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            message = f"{folder}: another syncer run is writing these reports; try again, or pass --wait-lock"
            raise ReportsLocked(message) from None
        yield
    finally:
        os.close(handle)
