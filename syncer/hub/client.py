"""The Hub, as syncer uses it: four calls, each with a timeout, retries and pacing.

- `model_info(repo)`: one repo's API facts (`GET /api/models/{repo}?expand=...`).
- `list_author_pages(author, page_size)`: the same facts for an author's repos, newest
  first, one page (one request) at a time; `newest_of_author(author, n)` its first page.
- `config_json(repo, sha)`: config.json pinned to the commit the API facts describe,
  read with a size cap (`GET /{repo}/resolve/{sha}/config.json`).

- `search(query)`: models whose id contains `query`, for `syncer suggest`.

huggingface_hub does the HTTP and the error classes; this module adds retries, a timeout
and, through its client factory, one place that paces and counts every request. Every
answer is parsed where it arrives (syncer/hub/wire.py): callers get only its typed models.
The token is only ever sent, never shown: messages built here never quote an exception's
text, which can carry URLs and headers.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import urlsplit

from huggingface_hub import hf_hub_url, set_client_factory
from huggingface_hub.utils import build_hf_headers, get_session, hf_raise_for_status
from huggingface_hub.utils import httpx as hf_httpx
from huggingface_hub.utils._http import default_client_factory, hf_request_event_hook

from syncer.errors import AnswerRefused, HubUnreachable, InputError
from syncer.hub.ratelimit import PacedTransport, Pacer, RequestLog
from syncer.hub.retry import call_with_retries
from syncer.hub.transport import GuardedTransport
from syncer.hub.wire import ConfigJson, ModelAnswer, parse_config, parse_listing, parse_model_answer

EXPAND = [
    "sha", "lastModified", "createdAt", "downloads", "downloadsAllTime", "likes", "gated", "disabled", "cardData",
    "tags", "pipeline_tag", "safetensors", "gguf", "config", "siblings",
]  # fmt: skip
# siblings: the repo's file names, so that a repo without config.json costs no request for it.
CONFIG_CAP_BYTES = 1 << 20  # real config.json files are a few KB; 1 MiB is generous
DEFAULT_TIMEOUT = 30.0
DEFAULT_ATTEMPTS = 6
DEFAULT_MAX_WAIT = 300.0  # the Hub's rate-limit window is 5 minutes

T = TypeVar("T")
_Query = list[tuple[str, str | int | float | bool | None]]


@dataclass
class HubSettings:
    endpoint: str
    token: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    attempts: int = field(default_factory=lambda: DEFAULT_ATTEMPTS)
    max_wait: float = DEFAULT_MAX_WAIT
    sleep: Callable[[float], None] = field(default_factory=lambda: time.sleep)
    clock: Callable[[], float] = field(default_factory=lambda: time.monotonic)
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_environment(cls, endpoint: str | None) -> HubSettings:
        """`--endpoint`, else HF_ENDPOINT, else huggingface.co; the token from HF_TOKEN only.

        Both are checked before any request: an endpoint must be http(s)://host, and a
        token a single printable ASCII word (a pasted newline would be sent as a header).
        """
        source = "--endpoint" if endpoint else "HF_ENDPOINT" if os.environ.get("HF_ENDPOINT") else "the default endpoint"
        chosen = (endpoint or os.environ.get("HF_ENDPOINT") or "https://huggingface.co").rstrip("/")
        parts = urlsplit(chosen)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{source} {chosen!r} is not a Hub URL: expected http://host or https://host (with the scheme)")
        token = os.environ.get("HF_TOKEN") or None
        if token is not None and not re.fullmatch(r"[\x21-\x7e]+", token):
            raise InputError("HF_TOKEN holds whitespace, a line break or non-ASCII characters; set it to the token alone")
        return cls(endpoint=chosen, token=token)


class HubClient:
    """Talks to one Hub endpoint. Install it with `open()`; it owns huggingface_hub's session."""

    def __init__(self, settings: HubSettings):
        self.settings = settings
        self.pacer = Pacer(sleep=settings.sleep, clock=settings.clock, max_wait=settings.max_wait)
        self.requests = RequestLog()
        self.rate_limited = 0

    # -- session -------------------------------------------------------------------

    def open(self) -> HubClient:
        set_client_factory(self._client)  # also closes a session made by another factory
        return self

    def close(self) -> None:
        set_client_factory(default_client_factory)

    def __enter__(self) -> HubClient:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _client(self) -> hf_httpx.Client:
        guarded = GuardedTransport(hf_httpx.HTTPTransport(), self.settings.endpoint, deadline=self.settings.timeout)
        return hf_httpx.Client(
            event_hooks={"request": [hf_request_event_hook, self._before]},
            follow_redirects=True,
            timeout=self.settings.timeout,
            # Paced outside the guard: a wait for the quota is not part of a request's deadline.
            transport=PacedTransport(guarded, self.pacer, self.requests),
        )

    def _before(self, request: hf_httpx.Request) -> None:
        timeouts = request.extensions.get("timeout") or {}
        if all(value is None for value in timeouts.values()):
            # huggingface_hub passes timeout=None explicitly (list_models has no timeout at all).
            request.extensions["timeout"] = hf_httpx.Timeout(self.settings.timeout).as_dict()

    def _retrying(self, call: Callable[[], T]) -> T:
        def on_rate_limited(seconds: float) -> None:
            self.rate_limited += 1

        return call_with_retries(
            call,
            attempts=self.settings.attempts,
            sleep=self.settings.sleep,
            rng=self.settings.rng,
            on_rate_limited=on_rate_limited,
            max_wait=self.settings.max_wait,
        )

    # -- calls ---------------------------------------------------------------------

    def probe(self, timeout: float = 10.0) -> None:
        """One quick request before a run: a Hub that cannot be reached at all (a name that
        does not resolve, a refused connection, a TLS failure) ends the run now, rather
        than after every repo has spent its retries. Any HTTP answer will do."""
        url = f"{self.settings.endpoint}/api/models?limit=1"
        try:
            get_session().get(url, headers=build_hf_headers(token=False), timeout=timeout).close()
        except hf_httpx.TransportError as exc:
            cause = _transport_cause(exc)
            raise HubUnreachable(
                f"cannot reach the Hub at {self.settings.endpoint}: {cause}; previous reports left as they were"
            ) from None

    def _get(self, url: str, params: _Query | None = None) -> hf_httpx.Response:
        """One GET with the token, the Hub's errors raised as huggingface_hub's classes."""
        headers = build_hf_headers(token=self.settings.token or False)
        response = get_session().get(url, params=params, headers=headers, timeout=self.settings.timeout)
        hf_raise_for_status(response)
        return response

    def model_info(self, repo_id: str) -> ModelAnswer:
        """One repo's API answer (`GET /api/models/{repo}?expand=...`), parsed (wire.py)."""
        url = f"{self.settings.endpoint}/api/models/{repo_id}"
        params: _Query = [("expand", prop) for prop in EXPAND]
        return self._retrying(lambda: parse_model_answer(self._get(url, params).content))

    def newest_of_author(self, author: str, limit: int) -> list[ModelAnswer]:
        """The `limit` newest models of `author`: one listing page."""
        return next(iter(self.list_author_pages(author, limit)), [])

    def list_author_pages(self, author: str, page_size: int) -> Iterator[list[ModelAnswer]]:
        """`author`'s models, newest first, `page_size` per page, one request per page as the
        caller asks for the next: stopping the iteration stops the requests. Each page is
        retried on its own. Newest first, so a listing stopped at the oldest mapped repo has
        passed every newer release of the author (syncer/hub/releases.py)."""
        url: str | None = f"{self.settings.endpoint}/api/models"
        params: _Query | None = [
            ("author", author), ("sort", "createdAt"), ("limit", page_size), *[("expand", prop) for prop in EXPAND],
        ]  # fmt: skip
        while url is not None:

            def call(page_url: str = url, page_params: _Query | None = params) -> tuple[list[ModelAnswer], str | None]:
                response = self._get(page_url, page_params)
                next_link = response.links.get("next", {}).get("url")
                return parse_listing(response.content), next_link if isinstance(next_link, str) else None

            page, url = self._retrying(call)
            params = None  # a next link carries its query
            yield page

    def search(self, query: str, limit: int = 50) -> list[ModelAnswer]:
        """Models whose id contains `query`, most downloaded first: one page of `limit`."""
        params: _Query = [
            ("search", query), ("sort", "downloads"), ("limit", limit), *[("expand", p) for p in ("downloads", "likes", "gated")],
        ]  # fmt: skip
        url = f"{self.settings.endpoint}/api/models"
        return self._retrying(lambda: parse_listing(self._get(url, params).content))[:limit]

    def config_json(self, repo_id: str, sha: str) -> ConfigJson:
        """config.json at commit `sha`, parsed (wire.py); raises huggingface_hub's errors, or
        AnswerRefused for one over CONFIG_CAP_BYTES or not a JSON object."""
        url = hf_hub_url(repo_id, "config.json", revision=sha, endpoint=self.settings.endpoint)
        headers = build_hf_headers(token=self.settings.token or False)
        too_large = AnswerRefused(f"config.json is larger than the {CONFIG_CAP_BYTES // 1024} KiB cap")

        def call() -> bytes:
            with get_session().stream("GET", url, headers=headers, timeout=self.settings.timeout) as response:
                if response.status_code >= 400:
                    response.read()
                    hf_raise_for_status(response)
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > CONFIG_CAP_BYTES:
                    raise too_large
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > CONFIG_CAP_BYTES:
                        raise too_large
                return bytes(body)

        return parse_config(self._retrying(call))


def _transport_cause(exc: BaseException) -> str:
    """What went wrong on the wire, in words, without quoting the exception (it may hold URLs)."""
    text = repr(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text or "name resolution" in text or (
        "getaddrinfo" in text
    ):
        return "the host name does not resolve"
    if "refused" in text:
        return "the connection was refused"
    if "ssl" in text or "certificate" in text or "tls" in text:
        return "TLS failed"
    if isinstance(exc, hf_httpx.TimeoutException):
        return "no answer within the timeout"
    return type(exc).__name__
