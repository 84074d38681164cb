"""Each mapped author's newest repos: where newer releases of an entry's family are found,
and the sizes a "largest open model" claim is checked against.

An author's listing, newest first, is read anyway when the fact round lists that author;
every repo it passes on the way is kept here as a `Release`, so those authors cost nothing
more. Every other author costs one listing page, `RELEASES_PAGE` repos long, per run.
Only what the comparison needs is kept of each answer.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from syncer.hub.client import HubClient
from syncer.hub.derive import release_of
from syncer.hub.pool import interruptible_pool
from syncer.hub.wire import ModelAnswer
from syncer.report import Release

RELEASES_PAGE = 100  # one page: an author's newest hundred repos


class ReleaseLog:
    """Every repo the run saw in an author's listing, by author; fed from several threads.

    The mapped repos themselves are not kept (their facts are in the report already): a
    listing of mapped repos only costs no memory here; the author is still marked as listed."""

    def __init__(self, mapped: Iterable[str] = ()) -> None:
        self._lock = threading.Lock()
        self._by_author: dict[str, dict[str, Release]] = {}
        self._mapped = {repo_id.lower() for repo_id in mapped}

    def saw(self, author: str, answer: ModelAnswer) -> None:
        release = None if answer.id is None or answer.id.lower() in self._mapped else release_of(answer)
        with self._lock:
            releases = self._by_author.setdefault(author.lower(), {})
            if release is not None:
                releases[release.repo_id.lower()] = release

    def authors(self) -> set[str]:
        with self._lock:
            return set(self._by_author)

    def by_author(self) -> dict[str, list[Release]]:
        """Each author's releases, newest first (a release without a date last)."""
        with self._lock:
            return {
                author: sorted(releases.values(), key=lambda r: r.created_at or "", reverse=True)
                for author, releases in sorted(self._by_author.items())
            }


def list_newest(authors: Iterable[str], client: HubClient, log: ReleaseLog, concurrency: int = 8) -> None:
    """One listing page of the newest repos of every author the log has not seen listed yet.

    A failed listing leaves that author without releases; that only means fewer newer
    releases found, never a wrong verdict, so it is not an error of the run."""
    missing = sorted({author.lower(): author for author in authors if author.lower() not in log.authors()}.items())

    def read(author: str) -> None:
        try:
            for answer in client.newest_of_author(author, RELEASES_PAGE):
                log.saw(author, answer)
        except Exception:  # noqa: BLE001 - see the docstring: a missing listing finds less, decides nothing
            return

    with interruptible_pool(concurrency) as pool:
        for future in [pool.submit(read, spelling) for _, spelling in missing]:
            future.result()
