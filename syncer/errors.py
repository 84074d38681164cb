"""Every error syncer raises on purpose, in two families: bad input (exit 2) and a run that
could not complete (exit 3).

Stages raise these with the context a user needs (file, line); only the CLI turns them
into messages and exit codes, so library callers (`syncer.app`) can catch them by type.
The Hub client's own transport errors stay in `syncer.hub`.
"""

from __future__ import annotations

from pathlib import Path


class SyncerError(Exception):
    """Base of every error syncer raises on purpose."""


class InputError(SyncerError):
    """Bad input the user can fix: a catalog, mapping or flag. The CLI exits 2.

    >>> str(InputError("no catalog table found", path=Path("catalog/x.md")))
    'catalog/x.md: no catalog table found'
    """

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        super().__init__(self.location_prefix() + message)

    def location_prefix(self) -> str:
        if self.path is None:
            return ""
        if self.line is None:
            return f"{self.path}: "
        return f"{self.path}:{self.line}: "


class CatalogError(InputError):
    """A catalog document that cannot be read or holds no catalog table."""


class NoMappings(InputError):
    """No mapping to read where one was expected: the message says how to write one
    (`syncer init`)."""


class RulesError(InputError):
    """A rules file (`syncer/rules/*.yaml`) is malformed: people edit it to teach syncer new
    words, so it is bad input, reported with its file and line. The CLI exits 2."""


class CouldNotComplete(SyncerError):
    """The command could not finish; the previous reports are left as they were. Exit 3."""


class HubUnreachable(CouldNotComplete):
    """The Hub could not be reached at all (name resolution, refused connection, TLS). Exit 3."""


class TokenRefused(CouldNotComplete):
    """The Hub answered 401 to the HF_TOKEN syncer sent. Exit 3; the token is never shown."""


class NothingReadable(CouldNotComplete):
    """Not a single mapped repo could be read: the Hub is down or unreachable. Exit 3."""


class SearchFailed(CouldNotComplete):
    """Every search for an entry failed: the Hub is unreachable or refusing. Exit 3."""


class ReportsNotWritable(CouldNotComplete):
    """The reports folder cannot be written. Exit 3."""


class ReportsLocked(CouldNotComplete):
    """Another run is writing to the same reports folder. Exit 3."""


class AnswerRefused(SyncerError):
    """An answer from the Hub that syncer refuses as it is: larger than its cap, not JSON,
    not the object it should be, naming no valid repo id, or a link to another origin. The
    same request would get the same answer, so it is never retried; the message says what
    it was. It becomes one repo's `error` (or one fact's reason), never the run's."""


class WaitTooLong(SyncerError):
    """The Hub asked for a wait longer than the run allows (`--max-wait`): that request gives
    up, and it becomes that repo's `error` (a transient one: its facts are carried)."""

    def __init__(self, seconds: float, limit: float):
        super().__init__(f"the Hub asked to wait {seconds:.0f}s, more than --max-wait {limit:g}s")
        self.seconds, self.limit = seconds, limit
