"""Which Hub failures are worth another try, and how long to wait first.

The decision is kept apart from the loop: `should_retry` looks at status codes, not
exception classes, because huggingface_hub's RepositoryNotFoundError and GatedRepoError
are HTTP errors too and must never be retried.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TypeVar

from huggingface_hub.errors import HfHubHTTPError
from huggingface_hub.utils import httpx as hf_httpx
from huggingface_hub.utils import parse_ratelimit_headers
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from syncer.errors import WaitTooLong
from syncer.hub.ratelimit import MARGIN

RETRY_STATUS = frozenset({408, 429, 500, 502, 503, 504})
NEVER_RETRY_STATUS = frozenset({401, 403, 404})
BASE_WAIT, MAX_WAIT = 1.0, 30.0

T = TypeVar("T")


def status_of(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None) if response is not None else None


def should_retry(exc: BaseException) -> bool:
    """408, 429, 5xx and transport errors: yes. 401/403/404, refusals (an answer too large,
    not JSON, from another host: syncer.errors.AnswerRefused) and the rest: no."""
    if isinstance(exc, HfHubHTTPError):
        return status_of(exc) in RETRY_STATUS
    return isinstance(exc, hf_httpx.TransportError)  # timeouts, resets, refused connections, truncated bodies


def advertised_wait(exc: BaseException) -> float | None:
    """On a 429, the wait the Hub asks for: its RateLimit reset, else Retry-After.

    The reset is in whole seconds from when the request arrived: it may be up to a second
    later than it says, so the wait is the pacer's, `t + 1 + MARGIN`."""
    response = getattr(exc, "response", None)
    if response is None or status_of(exc) != 429:
        return None
    headers = response.headers
    info = parse_ratelimit_headers(headers)
    if info is not None and info.remaining == 0:
        return float(info.reset_in_seconds) + 1 + MARGIN
    retry_after = headers.get("Retry-After", "")
    return float(retry_after) + 1 if retry_after.isdigit() else None


def backoff(attempt: int, rng: random.Random) -> float:
    """Capped exponential backoff with full jitter: up to 1, 2, 4, ... 30 seconds."""
    return rng.uniform(0, min(MAX_WAIT, BASE_WAIT * 2 ** (attempt - 1)))


def call_with_retries(
    call: Callable[[], T],
    *,
    attempts: int,
    sleep: Callable[[float], None],
    rng: random.Random,
    on_rate_limited: Callable[[float], None] | None = None,
    max_wait: float = float("inf"),
) -> T:
    """Run `call`, retrying what `should_retry` allows, at most `attempts` times in all."""

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        advertised = advertised_wait(exc) if exc else None
        if advertised is not None:
            if advertised > max_wait:
                raise WaitTooLong(advertised, max_wait)  # `Retry-After: 999999` gives up this request
            if on_rate_limited:
                on_rate_limited(advertised)
            return advertised
        return backoff(state.attempt_number, rng)

    retrying = Retrying(
        retry=retry_if_exception(should_retry),
        wait=wait,
        stop=stop_after_attempt(attempts),
        sleep=sleep,
        reraise=True,
    )
    return retrying(call)
