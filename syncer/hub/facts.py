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

import json
import math
import queue
import re
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
from huggingface_hub.hf_api import ModelInfo
from huggingface_hub.utils import httpx as hf_httpx

from syncer.hub.client import CONFIG_CAP_BYTES, ConfigTooLarge, HubClient
from syncer.hub.config import read_config
from syncer.hub.parameters import nominal_size, resolve_parameters
from syncer.hub.pool import interruptible_pool as _pool
from syncer.hub.ratelimit import WaitTooLong
from syncer.hub.retry import status_of
from syncer.models import RepoFacts, RepoStatus
from syncer.untrusted import repo_id_or_none, without_controls

# Fields that come from config.json; reused as a block when the sha has not changed.
CONFIG_FIELDS = (
    "config_read", "model_type", "layers", "layers_source", "context_length", "context_source", "rope_scaling", "alibi",
    "experts", "experts_per_token", "parameters", "parameters_source", "context_extended", "context_extended_source",
)  # fmt: skip
REUSABLE = {RepoStatus.OK, RepoStatus.MOVED, RepoStatus.GATED}
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
    on_listed: Callable[[str, ModelInfo], None] | None = None


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
class _Seen:
    """What an API answer leaves for the config.json request: the API facts and what the
    config facts need. huggingface_hub's ModelInfo objects are dropped as soon as they are
    read, so a run over tens of thousands of repos does not hold them all at once."""

    facts: dict[str, Any]
    sha: str | None
    safetensors: dict[str, Any] | None
    gguf: dict[str, Any] | None
    has_config: bool | None  # None: the answer did not list the repo's files


@dataclass
class _ApiResult:
    requested_id: str
    seen: _Seen | None = None
    facts: RepoFacts | None = None  # set when the API answer already decided the outcome


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
    with what this run's listings showed."""
    wanted = list(dict.fromkeys(repo_ids))
    previous = {key.lower(): value for key, value in (previous or {}).items()}
    listings = listings if listings is not None else Listings()
    plan = plan_api(wanted, listings, options)
    done: queue.Queue[tuple[str, RepoFacts] | BaseException] = queue.Queue()

    def guarded(task: Callable[..., None], *args: Any) -> None:
        try:
            task(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread, raised there
            done.put(exc)

    with _pool(options.concurrency) as api_pool, _pool(options.concurrency) as config_pool:

        def hand_over(result: _ApiResult) -> None:
            config_pool.submit(guarded, complete, result)

        def complete(result: _ApiResult) -> None:
            facts = _complete(result, client, previous.get(result.requested_id.lower()), now)
            done.put((result.requested_id, facts))

        def look_up(repo_id: str) -> None:
            hand_over(_model_info(client, repo_id, now))

        def walk(author: str, repos: list[str], pages: int) -> None:
            for repo_id in _list_author(
                client, author, repos, pages, options.page_size, listings, now, hand_over, options.on_listed
            ):
                api_pool.submit(guarded, look_up, repo_id)

        for author, repos, pages in plan.listings:
            api_pool.submit(guarded, walk, author, repos, pages)
        for repo_id in plan.singles:
            api_pool.submit(guarded, look_up, repo_id)
        results: dict[str, RepoFacts] = {}
        while len(results) < len(wanted):
            outcome = done.get()
            if isinstance(outcome, BaseException):
                raise outcome
            results[outcome[0]] = outcome[1]
            if on_done:
                on_done(outcome[1])
    return {repo_id: results[repo_id] for repo_id in wanted}


# --- API requests ----------------------------------------------------------------------


def _list_author(
    client: HubClient, author: str, repos: list[str], pages: int, page_size: int, listings: Listings,
    now: Callable[[], str], hand_over: Callable[[_ApiResult], None],
    on_listed: Callable[[str, ModelInfo], None] | None = None,
) -> list[str]:  # fmt: skip
    """Read the author's listing, at most `pages` pages; hand each mapped repo over as soon as
    its page is in; return the mapped repos it did not show. Stops when all are seen.

    A listing that fails part-way keeps what it saw; the rest falls back to model_info. Only
    what the wanted answers say is kept; the listing's other models pass by.
    """
    wanted = {repo.lower(): repo for repo in repos}
    listed, read, ended = 0, 0, False
    try:
        for page in client.list_author_pages(author, page_size):
            read += 1
            listed += len(page)
            for info in page:
                if on_listed is not None:
                    on_listed(author, info)
                requested = wanted.pop(info.id.lower(), None)
                if requested is not None:
                    hand_over(_ApiResult(requested, seen=_keep(requested, info, now)))
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


def _model_info(client: HubClient, repo_id: str, now: Callable[[], str]) -> _ApiResult:
    try:
        return _ApiResult(repo_id, seen=_keep(repo_id, client.model_info(repo_id), now))
    except GatedRepoError:
        return _ApiResult(repo_id, facts=_failed(repo_id, RepoStatus.GATED, "gated: the Hub refused its API facts", now))
    except DisabledRepoError:
        return _ApiResult(repo_id, facts=_failed(repo_id, RepoStatus.DISABLED, "disabled on the Hub", now))
    except RepositoryNotFoundError:
        return _ApiResult(repo_id, facts=_failed(repo_id, RepoStatus.NOT_FOUND, "not found on the Hub, or private", now))
    except Exception as exc:  # noqa: BLE001 - every failure becomes a status with a reason
        return _ApiResult(repo_id, facts=_failed(repo_id, RepoStatus.ERROR, describe_failure(exc, client), now))


def describe_failure(exc: BaseException, client: HubClient) -> str:
    """A short reason that never quotes the exception's text (it can hold URLs and headers)."""
    attempts = client.settings.attempts
    if isinstance(exc, WaitTooLong):
        return f"{exc}; gave up"
    status = status_of(exc)
    if isinstance(exc, HfHubHTTPError) and status is not None:
        if status >= 500 or status in (408, 429):
            return f"HTTP {status} from the Hub (gave up after {attempts} attempts)"
        return f"HTTP {status} from the Hub"
    if isinstance(exc, hf_httpx.TimeoutException):
        return f"timed out after {client.settings.timeout:g}s (gave up after {attempts} attempts)"
    if isinstance(exc, hf_httpx.TransportError):
        return f"connection failed: {type(exc).__name__} (gave up after {attempts} attempts)"
    if isinstance(exc, json.JSONDecodeError):
        return f"the Hub's answer was not valid JSON (gave up after {attempts} attempts)"
    return f"the Hub's answer could not be read ({type(exc).__name__})"


def _failed(repo_id: str, status: RepoStatus, reason: str, now: Callable[[], str]) -> RepoFacts:
    return RepoFacts(repo_id=repo_id, requested_id=repo_id, status=status, error=reason, fetched_at=now())


# --- from API facts to RepoFacts -----------------------------------------------------------


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


# Bounds of a believable answer. A value outside them is no value: null, with the reason.
MAX_COUNT = 10**13  # downloads, likes: far above any repo's
_SHA = re.compile(r"[0-9a-f]{40}")
MAX_TEXT = 300


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_COUNT else None


def _text(value: Any) -> str | None:
    """A string from the Hub, without control or direction characters, and of a sane length."""
    if not isinstance(value, str):
        return None
    cleaned = without_controls(value, "").strip()
    return cleaned[:MAX_TEXT] if cleaned else None


def _checked(facts: dict[str, Any], raw: dict[str, Any]) -> dict[str, Any]:
    """Every API value validated where it enters: what is not what the Hub documents becomes
    null with a reason in `unknown`, and the run goes on (`"downloads": "lots"`, a 400-digit
    number, `"sha": 12345`, `"gated": {}`)."""
    unknown = dict(facts["unknown"])
    checks: dict[str, Callable[[Any], Any]] = {
        "downloads": _count, "downloads_all_time": _count, "likes": _count,
        "sha": lambda v: v if isinstance(v, str) and _SHA.fullmatch(v) else None,
        "license": _text, "license_name": _text, "license_link": _text, "pipeline_tag": _text, "model_type": _text,
        "gated": lambda v: v if isinstance(v, bool) or v in ("auto", "manual") else None,
    }  # fmt: skip
    for name, check in checks.items():
        value = raw.get(name)
        facts[name] = check(value)
        if value is not None and facts[name] is None:
            unknown[name] = "the Hub's value was not usable (wrong type or out of range)"
    facts["base_models"] = [text for text in (_text(v) for v in facts["base_models"]) if text][:20]
    facts["languages"] = [text for text in (_text(v) for v in facts["languages"]) if text][:200]
    facts["unknown"] = unknown
    return facts


def _api_facts(requested_id: str, info: ModelInfo, now: Callable[[], str]) -> dict[str, Any]:
    card = info.card_data
    card_get = card.get if card is not None else (lambda key, default=None: default)
    tags = info.tags or []
    licence = _as_list(card_get("license"))
    tag_licences = [tag.split(":", 1)[1] for tag in tags if tag.startswith("license:")]
    base_models = _as_list(card_get("base_model"))
    for tag in tags:
        if tag.startswith("base_model:"):
            candidate = tag.rsplit(":", 1)[1]
            if "/" in candidate and candidate not in base_models:
                base_models.append(candidate)
    moved = info.id.lower() != requested_id.lower()
    unknown: dict[str, str] = {}
    for name, value in (("downloads", info.downloads), ("downloads_all_time", info.downloads_all_time), ("likes", info.likes)):
        if value is None:
            unknown[name] = "the Hub's answer did not include it"
    facts: dict[str, Any] = {
        "repo_id": info.id,
        "requested_id": requested_id,
        "status": RepoStatus.MOVED if moved else RepoStatus.OK,
        "error": f"renamed on the Hub: {requested_id} is now {info.id}" if moved else None,
        "sha": info.sha,
        "last_modified": info.last_modified.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(info.last_modified, datetime) else None,
        "downloads": info.downloads,
        "downloads_all_time": info.downloads_all_time,
        "likes": info.likes,
        "license": next(iter(licence or tag_licences), None),
        "license_name": card_get("license_name") if isinstance(card_get("license_name"), str) else None,
        "license_link": card_get("license_link") if isinstance(card_get("license_link"), str) else None,
        "created_at": info.created_at.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(info.created_at, datetime) else None,
        "successor": repo_id_or_none(card_get("new_version")),
        "gated": info.gated,
        "pipeline_tag": info.pipeline_tag,
        "model_type": (info.config or {}).get("model_type") if isinstance(info.config, dict) else None,
        "base_models": base_models,
        "languages": _as_list(card_get("language")),
        "nominal_parameters": nominal_size(info.id),
        "fetched_at": now(),
        "unknown": unknown,
    }
    return _checked(facts, dict(facts))


def _keep(requested_id: str, info: ModelInfo, now: Callable[[], str]) -> _Seen:
    safetensors = (
        {"total": info.safetensors.total, "parameters": info.safetensors.parameters} if info.safetensors else None
    )
    gguf = info.gguf if isinstance(info.gguf, dict) else None
    facts = _api_facts(requested_id, info, now)
    has_config = None if info.siblings is None else any(sibling.rfilename == "config.json" for sibling in info.siblings)
    return _Seen(facts=facts, sha=facts["sha"], safetensors=safetensors, gguf=gguf, has_config=has_config)


def _complete(
    result: _ApiResult, client: HubClient, previous: RepoFacts | None, now: Callable[[], str]
) -> RepoFacts:
    """The config round for one repo: reuse, or read config.json at the API's sha."""
    if result.facts is not None:
        return result.facts
    seen = result.seen
    assert seen is not None
    facts = dict(seen.facts)
    repo_id, sha = facts["repo_id"], seen.sha
    if previous is not None and previous.sha == sha and previous.status in REUSABLE and sha:
        reused = {name: getattr(previous, name) for name in CONFIG_FIELDS}
        reused["unknown"] = {**facts["unknown"], **{k: v for k, v in previous.unknown.items() if k in CONFIG_FIELDS}}
        if previous.status is RepoStatus.GATED:
            facts["status"], facts["error"] = RepoStatus.GATED, previous.error
        return RepoFacts(**{**facts, **reused})

    config, status, error, config_reason = None, facts["status"], facts["error"], None
    if not sha:
        config_reason = "the Hub gave no commit sha to pin config.json to"
    elif seen.has_config is False:
        config_reason = NO_CONFIG  # the answer lists the repo's files: asking would be a sure 404
    elif facts["gated"] in ("auto", "manual") and not client.settings.token:
        # Without a token the Hub refuses a gated repo's files: the answer is known, not asked.
        status, error, config_reason = RepoStatus.GATED, GATED_ERROR, GATED_REASON
    else:
        try:
            raw = client.config_json(repo_id, sha)
            config = json.loads(raw)
            if not isinstance(config, dict):
                raise ValueError("not a JSON object")
        except GatedRepoError:
            status, error, config_reason = RepoStatus.GATED, GATED_ERROR, GATED_REASON
        except EntryNotFoundError:
            config_reason = NO_CONFIG
        # Only config.json failed: the repo was read, its API facts stand, and the facts
        # config.json would have given are null with this reason.
        except ConfigTooLarge:
            config_reason = f"config.json is larger than the {CONFIG_CAP_BYTES // 1024} KiB cap; not read"
        except (ValueError, UnicodeDecodeError):
            config_reason = "config.json is not a valid JSON object"
        except Exception as exc:  # noqa: BLE001 - the API facts stand; the config facts say why not
            config_reason = "config.json could not be read: " + describe_failure(exc, client)
    facts["status"], facts["error"] = status, error
    return RepoFacts(**{**facts, **_config_facts(seen, config, config_reason)})


def _config_facts(seen: _Seen, config: dict[str, Any] | None, reason: str | None) -> dict[str, Any]:
    gguf = seen.gguf
    parameters = resolve_parameters(seen.facts["repo_id"], seen.safetensors, gguf, config)
    unknown = seen.facts["unknown"]
    unknown = dict(unknown)
    if parameters.value is None and parameters.unknown_reason:
        unknown["parameters"] = parameters.unknown_reason
    values: dict[str, Any] = {"parameters": parameters.value, "parameters_source": parameters.source, "unknown": unknown}
    if config is None:
        for name in ("layers", "context_length"):
            unknown[name] = reason or "no config.json"
        gguf_context = (gguf or {}).get("context_length")
        if isinstance(gguf_context, int) and gguf_context > 0:
            values.update(context_length=gguf_context, context_source="gguf.context_length")
            unknown.pop("context_length")
        return values
    read = read_config(config)
    unknown.update(read.unknown)
    values.update(
        config_read=True,
        model_type=read.model_type or seen.facts["model_type"],
        layers=read.layers,
        layers_source=read.layers_source,
        context_length=read.context_length,
        context_source=read.context_source,
        rope_scaling=read.rope_scaling,
        alibi=read.alibi,
        experts=read.experts,
        experts_per_token=read.experts_per_token,
        context_extended=read.context_extended,
        context_extended_source=read.context_extended_source,
    )
    return values
