"""Mapped repos -> their current Hub facts, fetched concurrently, every repo accounted for.

Two kinds of request, in two buckets of the Hub's quota, drained side by side:
- API (`/api/models`): each author's repos from its listing, read page by page, where the
  pages it takes are no more than its mapped repos; `model_info` for the rest (and for
  whatever a listing did not return - renamed, private or gone repos).
- resolvers: config.json pinned to the sha an API answer gave, requested as soon as that
  answer is in, not after the whole API round. No request for a repo whose files (the
  answer's `siblings`) hold no config.json, for a gated repo read without a token, or for
  one whose sha is unchanged since the previous snapshot (its config facts are reused).

Every requested repo comes back with a status. Failures are values, never exceptions.
"""

from __future__ import annotations

import math
import queue
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from huggingface_hub.errors import (
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    RepositoryNotFoundError,
)
from huggingface_hub.utils import httpx as hf_httpx

from syncer.errors import AnswerRefused, WaitTooLong
from syncer.hub.client import HubClient
from syncer.hub.derive import ApiReading, failed_facts, read_api_answer, repo_facts, reused_facts
from syncer.hub.pool import interruptible_pool as _pool
from syncer.hub.retry import status_of
from syncer.hub.wire import ConfigJson, ModelAnswer
from syncer.report import READABLE, RepoFacts, RepoStatus

NO_CONFIG = "the repo has no config.json"
GATED_ERROR = "gated: config.json refused (request access on the Hub, and set HF_TOKEN)"
GATED_REASON = "gated repo: config.json refused"
PAGE_SIZE = 100  # models per listing page, sent as `limit`: the Hub's own default is not documented


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class FetchOptions:
    concurrency: int = 8  # requests in flight at once, per bucket
    # Authors with at least this many mapped repos may be read with a listing.
    list_threshold: int = 2
    page_size: int = PAGE_SIZE
    # Told of every repo an author's listing passes (author, answer): newer releases are
    # found among them (syncer/hub/releases.py), which reads one page of newest repos of every
    # author not listed. That page is the first of a listing: an author with one mapped repo
    # and a listing of one page is then listed (one request, not model_info and that page).
    on_listed: Callable[[str, ModelAnswer], None] | None = None


class Listings:
    """How deep each author's listing had to be read, kept between runs (lower-case author ->
    models listed). It is the listing's size when the listing was read to its end; fewer when
    every mapped repo turned up earlier; one past what was read when the page budget ran out.
    Whether the next run lists an author or asks `model_info` per repo follows from it."""

    def __init__(self, depths: Mapping[str, int] | None = None):
        self.depths: dict[str, int] = {author.lower(): depth for author, depth in (depths or {}).items()}
        self._lock = threading.Lock()

    def pages(self, author: str, page_size: int) -> int | None:
        depth = self.depths.get(author.lower())
        return None if depth is None else max(1, math.ceil(depth / page_size))

    def record(self, author: str, depth: int) -> None:
        with self._lock:
            self.depths[author.lower()] = depth


@dataclass(frozen=True)
class ApiPlan:
    """The API requests a run makes: listings (author, its mapped repos, most pages) and the
    repos asked one by one. Leftovers of a listing add `model_info` calls at run time."""

    listings: list[tuple[str, list[str], int]]
    singles: list[str]
    fewest_pages: int = 0  # an author never listed before has at least its mapped repos

    @property
    def most_requests(self) -> int:
        return sum(pages for _, _, pages in self.listings) + len(self.singles)

    @property
    def fewest_requests(self) -> int:
        return self.fewest_pages + len(self.singles)


def plan_api(wanted: Iterable[str], listings: Listings, options: FetchOptions) -> ApiPlan:
    """Per author, list only when the pages it takes are no more than its mapped repos (each
    of which would otherwise cost one `model_info`). An author never listed before gets a
    budget of that many pages; what it did not return is asked for one by one."""
    by_author: dict[str, list[str]] = defaultdict(list)
    for repo_id in wanted:
        by_author[repo_id.split("/", 1)[0].lower()].append(repo_id)  # the Hub's names ignore case
    chosen: list[tuple[str, list[str], int]] = []
    singles: list[str] = []
    fewest_pages = 0
    for repos in by_author.values():
        author = repos[0].split("/", 1)[0]
        pages = listings.pages(author, options.page_size)
        depth = listings.depths.get(author.lower())
        # (An author whose listing was empty last time is not listed again: its repo is gone.)
        one_page_anyway = options.on_listed is not None and len(repos) == 1 and (depth is None or 0 < depth <= options.page_size)
        if one_page_anyway or (len(repos) >= options.list_threshold and (pages is None or pages <= len(repos))):
            chosen.append((author, repos, pages or len(repos)))
            fewest_pages += pages or math.ceil(len(repos) / options.page_size)
        else:
            singles.extend(repos)
    return ApiPlan(chosen, singles, fewest_pages)


@dataclass
class _ApiResult:
    """One repo after its API round: read (`api`), or already decided (`facts`: gone, gated,
    failed). huggingface_hub's answers are not kept, only what the config round needs."""

    requested_id: str
    api: ApiReading | None = None
    facts: RepoFacts | None = None


class _Collector:
    """Every requested repo settled exactly once, however its tasks end.

    Each task (a listing walk, a model_info, a config round) is counted while it runs; a task
    that raises settles the repos it held with an `error` saying so. When no task is left and
    some repo is still unsettled - a path nobody foresaw - it is settled as an error too, so
    the run always ends with every repo accounted for, never waiting for a result that is not
    coming."""

    def __init__(self, wanted: list[str], now: Callable[[], str]):
        self.wanted, self.now = wanted, now
        self._queue: queue.Queue[tuple[str, RepoFacts] | None] = queue.Queue()
        self._lock = threading.Lock()
        self._running = 0

    def settle(self, repo_id: str, facts: RepoFacts) -> None:
        self._queue.put((repo_id, facts))

    def fail(self, repo_ids: Iterable[str], exc: BaseException) -> None:
        reason = f"syncer could not handle the Hub's answer ({type(exc).__name__}); this is a bug in syncer"
        for repo_id in list(repo_ids):
            self.settle(repo_id, failed_facts(repo_id, RepoStatus.ERROR, reason, self.now()))

    def task(self, holds: Callable[[], Iterable[str]], work: Callable[..., None], *args: Any) -> Callable[[], None]:
        """`work(*args)` as a pool task; if it raises, the repos `holds()` names then are failed."""
        with self._lock:
            self._running += 1

        def run() -> None:
            try:
                work(*args)
            except BaseException as exc:  # noqa: BLE001 - one repo's failure is that repo's error
                self.fail(holds(), exc)
            finally:
                with self._lock:
                    self._running -= 1
                    idle = self._running == 0
                if idle:
                    self._queue.put(None)  # wakes the collector to check for the unforeseen

        return run

    def results(self, on_done: Callable[[RepoFacts], None] | None) -> dict[str, RepoFacts]:
        results: dict[str, RepoFacts] = {}
        while len(results) < len(self.wanted):
            item = self._queue.get()
            if item is None:
                with self._lock:
                    idle = self._running == 0
                if idle and self._queue.empty():
                    lost = [repo_id for repo_id in self.wanted if repo_id not in results]
                    self.fail(lost, RuntimeError("no task settled it"))
                continue
            repo_id, facts = item
            if repo_id in results:
                continue
            results[repo_id] = facts
            if on_done:
                on_done(facts)
        return results


def _holding(repo_id: str) -> Callable[[], list[str]]:
    return lambda: [repo_id]


def fetch_facts(
    repo_ids: Iterable[str],
    client: HubClient,
    previous: dict[str, RepoFacts] | None = None,
    options: FetchOptions = FetchOptions(),
    on_done: Callable[[RepoFacts], None] | None = None,
    now: Callable[[], str] = utc_now,
    listings: Listings | None = None,
) -> dict[str, RepoFacts]:
    """Facts for every requested repo id, keyed by the id as requested, in that order.

    One pool per bucket: a worker held by an empty API window never keeps a config.json
    request waiting, and the other way round. `listings` is read for the plan and updated
    with what this run's listings showed. Nothing one repo's answer holds can raise out of
    here or keep the others waiting (see _Collector)."""
    wanted = list(dict.fromkeys(repo_ids))
    previous = {key.lower(): value for key, value in (previous or {}).items()}
    listings = listings if listings is not None else Listings()
    plan = plan_api(wanted, listings, options)
    collector = _Collector(wanted, now)

    with _pool(options.concurrency) as api_pool, _pool(options.concurrency) as config_pool:

        def hand_over(result: _ApiResult) -> None:
            config_pool.submit(collector.task(_holding(result.requested_id), complete, result))

        def complete(result: _ApiResult) -> None:
            collector.settle(result.requested_id, _complete(result, client, previous.get(result.requested_id.lower())))

        def look_up(repo_id: str) -> None:
            hand_over(_model_info(client, repo_id, now))

        def walk(author: str, held: dict[str, str], pages: int) -> None:
            for repo_id in _list_author(client, author, held, pages, options.page_size, listings, now, hand_over,
                                        options.on_listed):  # fmt: skip
                api_pool.submit(collector.task(_holding(repo_id), look_up, repo_id))
                del held[repo_id.lower()]

        for author, repos, pages in plan.listings:
            # What the walk still holds: a repo leaves it when it is handed to another task.
            held = {repo.lower(): repo for repo in repos}
            api_pool.submit(collector.task(held.values, walk, author, held, pages))
        for repo_id in plan.singles:
            api_pool.submit(collector.task(_holding(repo_id), look_up, repo_id))
        results = collector.results(on_done)
    return {repo_id: results[repo_id] for repo_id in wanted}


# --- API requests ----------------------------------------------------------------------


def _list_author(
    client: HubClient, author: str, wanted: dict[str, str], pages: int, page_size: int, listings: Listings,
    now: Callable[[], str], hand_over: Callable[[_ApiResult], None],
    on_listed: Callable[[str, ModelAnswer], None] | None = None,
) -> list[str]:  # fmt: skip
    """Read the author's listing, at most `pages` pages; hand each mapped repo over as soon as
    its page is in (taking it out of `wanted`, lower-case id -> id as requested); return the
    mapped repos it did not show. Stops when all are seen.

    A listing that fails part-way keeps what it saw; the rest falls back to model_info. Only
    what the wanted answers say is kept; the listing's other models pass by.
    """
    listed, read, ended = 0, 0, False
    try:
        for page in client.list_author_pages(author, page_size):
            read += 1
            listed += len(page)
            for answer in page:
                if on_listed is not None:
                    _tell(on_listed, author, answer)
                requested = wanted.get((answer.id or "").lower())
                if requested is not None:
                    hand_over(_ApiResult(requested, api=read_api_answer(requested, answer, now())))
                    del wanted[(answer.id or "").lower()]
            ended = len(page) < page_size
            if not wanted or read >= pages:
                break
        else:
            ended = True
    except Exception:  # noqa: BLE001 - any failure here is retried per repo below
        return list(wanted.values())
    # One past what was read when the budget ran out: the next run knows the pages exceed it.
    listings.record(author, listed if ended or not wanted else listed + 1)
    return list(wanted.values())


def _tell(on_listed: Callable[[str, ModelAnswer], None], author: str, answer: ModelAnswer) -> None:
    """What a listing passes is news for newer releases only: it never costs a repo its facts."""
    try:
        on_listed(author, answer)
    except Exception:  # noqa: BLE001 - a release not logged is one fewer newer release found, nothing worse
        return


def _model_info(client: HubClient, repo_id: str, now: Callable[[], str]) -> _ApiResult:
    try:
        return _ApiResult(repo_id, api=read_api_answer(repo_id, client.model_info(repo_id), now()))
    except GatedRepoError:
        return _ApiResult(repo_id, facts=failed_facts(repo_id, RepoStatus.GATED, "gated: the Hub refused its API facts", now()))
    except DisabledRepoError:
        return _ApiResult(repo_id, facts=failed_facts(repo_id, RepoStatus.DISABLED, "disabled on the Hub", now()))
    except RepositoryNotFoundError:
        return _ApiResult(repo_id, facts=failed_facts(repo_id, RepoStatus.NOT_FOUND, "not found on the Hub, or private", now()))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a status with a reason
        reason = describe_failure(exc, client)
        return _ApiResult(repo_id, facts=failed_facts(repo_id, RepoStatus.ERROR, reason, now(), transient=is_transient(exc)))


def is_transient(exc: BaseException) -> bool:
    """Whether a failure is the Hub's bad moment rather than its answer: 5xx, 408 and 429 (also
    a wait past --max-wait), timeouts and dropped connections. The next run may well read the
    repo; until then its last known facts stand (syncer.guard). A refused answer, a 4xx or a
    bug in syncer would come back the same, and are not."""
    if isinstance(exc, WaitTooLong):
        return True
    if isinstance(exc, AnswerRefused):
        return False
    status = status_of(exc)
    if isinstance(exc, HfHubHTTPError) and status is not None:
        return status >= 500 or status in (408, 429)
    return isinstance(exc, (hf_httpx.TimeoutException, hf_httpx.TransportError))


def describe_failure(exc: BaseException, client: HubClient) -> str:
    """A short reason that never quotes the exception's text (it can hold URLs and headers);
    refusals say what they refused, in syncer's own words."""
    attempts = client.settings.attempts
    if isinstance(exc, WaitTooLong):
        return f"{exc}; gave up"
    if isinstance(exc, AnswerRefused):
        return f"refused: {exc} (not retried)"
    status = status_of(exc)
    if isinstance(exc, HfHubHTTPError) and status is not None:
        if status >= 500 or status in (408, 429):
            return f"HTTP {status} from the Hub (gave up after {attempts} attempts)"
        return f"HTTP {status} from the Hub"
    if isinstance(exc, hf_httpx.TimeoutException):
        return f"timed out after {client.settings.timeout:g}s (gave up after {attempts} attempts)"
    if isinstance(exc, hf_httpx.TransportError):
        return f"connection failed: {type(exc).__name__} (gave up after {attempts} attempts)"
    return f"the Hub's answer could not be read ({type(exc).__name__})"


# --- the config round --------------------------------------------------------------------


def _complete(result: _ApiResult, client: HubClient, previous: RepoFacts | None) -> RepoFacts:
    """The config round for one repo: reuse, or read config.json at the API's sha."""
    if result.facts is not None:
        return result.facts
    api = result.api
    assert api is not None
    sha = api.sha
    if previous is not None and previous.sha == sha and previous.status in READABLE and sha:
        return reused_facts(api, previous)
    if not sha:
        return repo_facts(api, None, "the Hub gave no commit sha to pin config.json to")
    if api.has_config is False:
        return repo_facts(api, None, NO_CONFIG)  # the answer lists the repo's files: asking would be a sure 404
    if api.facts["gated"] in ("auto", "manual") and not client.settings.token:
        # Without a token the Hub refuses a gated repo's files: the answer is known, not asked.
        return repo_facts(api, None, GATED_REASON, RepoStatus.GATED, GATED_ERROR)
    config: ConfigJson | None = None
    try:
        config = client.config_json(api.facts["repo_id"], sha)
    except GatedRepoError:
        return repo_facts(api, None, GATED_REASON, RepoStatus.GATED, GATED_ERROR)
    except EntryNotFoundError:
        return repo_facts(api, None, NO_CONFIG)
    # Only config.json failed: the repo was read, its API facts stand, and the facts
    # config.json would have given are null with this reason.
    except AnswerRefused as exc:
        return repo_facts(api, None, f"{exc}; not read", config_failed=True)
    except Exception as exc:  # noqa: BLE001 - the API facts stand; the config facts say why not
        return repo_facts(api, None, "config.json could not be read: " + describe_failure(exc, client), config_failed=True)
    return repo_facts(api, config, None)
