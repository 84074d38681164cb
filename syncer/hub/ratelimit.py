"""Staying inside the Hub's advertised quota, and counting what we asked for.

The Hub answers every request with `RateLimit: "api";r=<left>;t=<seconds to reset>` for
its bucket (`api` for /api/, `resolvers` for /resolve/), each bucket a fixed window of
its own. The pacer keeps one state per bucket, fed only by that bucket's answers:

- The Hub counts a request when it arrives, so an answer's `r` already takes every
  request that arrived before it into account. The requests still in flight may arrive
  after it: a bucket never has more requests in flight than the lowest `r` it was told.
  That alone keeps a run inside the quota, whatever the window length and however much
  of it another client used; nothing is subtracted twice.
- `t` is given in whole seconds and describes the moment the request arrived, so the
  window ends somewhere in `[sent + t - 1, answered + t + 1]`. Every answer narrows that
  interval (as does the window length `w` of `RateLimit-Policy`: a window that had begun
  when the request arrived ends at most `w` later); the pacer waits for its far end (plus
  a small margin) before it trusts a new window, and tells an answer from the next window
  by its near end.
- A Hub that advertises nothing is not slowed down. At its first 429 the bucket holds
  (`Retry-After`, else a doubling backoff) and from then on sends at most as many
  requests per period as were accepted in the period before the 429: the rate, learned.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from huggingface_hub.utils import httpx as hf_httpx
from huggingface_hub.utils import parse_ratelimit_headers

from syncer.errors import WaitTooLong

MARGIN = 0.1  # seconds past the latest moment the window can reset: clocks and rounding
FIRST_BACKOFF = 1.0  # after a 429 that says nothing about when to come back


def bucket_of(path: str) -> str:
    return "resolvers" if "/resolve/" in path else "api"


@dataclass
class _Bucket:
    """What one bucket's answers said about its current window."""

    in_flight: int = 0
    remaining: int | None = None  # the lowest `r` of the current window; None: not told yet
    reset_after: float = -math.inf  # the window cannot reset before this (clock time)
    reset_before: float = math.inf  # ... nor after this
    quota: int | None = None  # `q` of RateLimit-Policy, or the learned rate
    window: float | None = None  # `w` of RateLimit-Policy, or the learned period
    advertised: bool | None = None  # None until the first answer
    counted_here: bool = False  # a learned quota: requests are counted as they are sent
    held_until: float = -math.inf  # after a 429 that advertised nothing
    backoff: float = FIRST_BACKOFF
    accepted: int = 0  # answered without 429 since `accepted_since` (to learn a rate)
    accepted_since: float | None = None


# What `delay` answers when a request must wait for an answer to a request in flight.
AWAIT_ANSWER = -1.0


class Pacer:
    """Holds each request until its bucket has room for it; thread-safe."""

    def __init__(
        self, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
        max_wait: float = float("inf"),
    ):  # fmt: skip
        self._sleep, self._clock, self.max_wait = sleep, clock, max_wait
        self._lock = threading.Condition()
        self._buckets: dict[str, _Bucket] = {}
        self.waited_seconds = 0.0

    def now(self) -> float:
        return self._clock()

    def _bucket(self, name: str) -> _Bucket:
        return self._buckets.setdefault(name, _Bucket())

    # -- deciding ----------------------------------------------------------------------

    def delay(self, name: str) -> float | None:
        """None: send now (and count it in flight). Else seconds to sleep, or AWAIT_ANSWER."""
        with self._lock:
            return self._delay(self._bucket(name), self._clock())

    def _delay(self, bucket: _Bucket, now: float) -> float | None:
        wait = self._wait(bucket, now)
        if wait is None:
            bucket.in_flight += 1
            if bucket.counted_here and bucket.remaining is not None:
                bucket.remaining -= 1
        return wait

    def _wait(self, bucket: _Bucket, now: float) -> float | None:
        if now < bucket.held_until:
            return bucket.held_until - now
        if bucket.remaining is not None and now >= bucket.reset_before + MARGIN - 1e-6:  # float sums
            self._next_window(bucket)
        if bucket.advertised is False and not bucket.counted_here:
            return None  # nothing advertised, no 429 yet: no pacing
        if bucket.remaining is None:
            # Nothing known of this window: one request asks, the others wait for its answer.
            return None if bucket.in_flight == 0 else AWAIT_ANSWER
        in_flight = 0 if bucket.counted_here else bucket.in_flight
        if in_flight < bucket.remaining:
            return None
        if bucket.remaining > 0:
            return AWAIT_ANSWER
        return max(0.0, bucket.reset_before + MARGIN - now)

    def _next_window(self, bucket: _Bucket) -> None:
        """The window has surely reset: the next one starts with the whole quota (if known).

        It ends a window later at the earliest; when at the latest, only its answers can say
        (a Hub may start a window with its first request rather than on the clock)."""
        bucket.remaining = bucket.quota
        bucket.reset_after = bucket.reset_after + bucket.window if bucket.window is not None else -math.inf
        bucket.reset_before = math.inf

    def before_request(self, name: str) -> None:
        """Block until `name` has room; then the request counts as in flight."""
        while True:
            with self._lock:
                wait = self._delay(self._bucket(name), self._clock())
                if wait is None:
                    return
                if wait == AWAIT_ANSWER:
                    self._lock.wait(timeout=1.0)  # woken by the next answer in any bucket
                    continue
                if wait > self.max_wait:
                    raise WaitTooLong(wait, self.max_wait)
                self.waited_seconds += wait
            self._sleep(wait)

    # -- learning from answers ------------------------------------------------------------

    def after_response(self, name: str, headers: Mapping[str, str], status: int = 200, sent_at: float | None = None) -> None:
        """An answer arrived for a request of bucket `name`, sent at clock time `sent_at`."""
        now = self._clock()
        sent_at = now if sent_at is None else sent_at
        info = parse_ratelimit_headers(headers)
        with self._lock:
            bucket = self._bucket(name)
            bucket.in_flight = max(0, bucket.in_flight - 1)
            if info is not None:
                self._advertised(bucket, info.remaining, info.reset_in_seconds, info.limit, info.window_seconds,
                                 sent_at, now)  # fmt: skip
            elif bucket.advertised is None:
                bucket.advertised = False
            retry_after = headers.get("Retry-After", "")
            if info is None and bucket.advertised is False:
                self._learn(bucket, status, retry_after, now)
            elif status == 429 and retry_after.isdigit():
                # Refused with a time to come back: nobody in this bucket asks before it.
                bucket.held_until = max(bucket.held_until, now + float(retry_after))
            self._lock.notify_all()

    def unanswered(self, name: str) -> None:
        """A request failed without an answer (reset, timeout): it is no longer in flight."""
        with self._lock:
            bucket = self._bucket(name)
            bucket.in_flight = max(0, bucket.in_flight - 1)
            self._lock.notify_all()

    def _advertised(self, bucket: _Bucket, remaining: int, reset_in: int, quota: int | None, window: int | None,
                    sent_at: float, now: float) -> None:  # fmt: skip
        bucket.advertised = True
        bucket.counted_here = False
        bucket.quota = quota if quota is not None else bucket.quota
        bucket.window = float(window) if window else bucket.window
        # `t` is whole seconds from the moment the request arrived (between sent_at and now).
        after, before = sent_at + reset_in - 1, now + reset_in + 1
        if bucket.window is not None:
            # The window had begun when the request arrived: it ends at most a window later.
            # Sharper than `t + 1` for the first answer of a window (t = w).
            before = min(before, now + bucket.window)
        if after > bucket.reset_before:
            bucket.remaining, bucket.reset_after, bucket.reset_before = remaining, after, before  # a new window
        elif before < bucket.reset_after:
            return  # a late answer from a window already over
        else:  # the same window: answers to concurrent requests come in any order
            bucket.remaining = remaining if bucket.remaining is None else min(bucket.remaining, remaining)
            bucket.reset_after, bucket.reset_before = max(bucket.reset_after, after), min(bucket.reset_before, before)

    def _learn(self, bucket: _Bucket, status: int, retry_after: str, now: float) -> None:
        """No quota advertised: hold on a 429, and keep to the rate that was accepted before it."""
        if status != 429:
            bucket.accepted += 1
            if bucket.accepted_since is None:
                bucket.accepted_since = now
            bucket.backoff = FIRST_BACKOFF
            return
        hold = float(retry_after) if retry_after.isdigit() else bucket.backoff
        bucket.backoff = min(bucket.backoff * 2, 60.0)
        bucket.held_until = max(bucket.held_until, now + hold)
        if bucket.accepted:
            started = bucket.accepted_since if bucket.accepted_since is not None else now
            bucket.quota, bucket.window = bucket.accepted, bucket.held_until - started
            bucket.counted_here = True
            bucket.remaining = 0
            bucket.reset_after = bucket.reset_before = bucket.held_until - MARGIN
        bucket.accepted, bucket.accepted_since = 0, None


class PacedTransport(hf_httpx.BaseTransport):
    """Every request through the pacer, and every answer counted and fed back to it."""

    def __init__(self, inner: hf_httpx.BaseTransport, pacer: Pacer, log: RequestLog):
        self.inner, self.pacer, self.log = inner, pacer, log

    def handle_request(self, request: hf_httpx.Request) -> hf_httpx.Response:
        bucket = bucket_of(request.url.path)
        self.pacer.before_request(bucket)
        sent_at = self.pacer.now()
        try:
            response = self.inner.handle_request(request)
        except BaseException:
            self.pacer.unanswered(bucket)
            raise
        self.log.record(bucket, response.status_code)
        self.pacer.after_response(bucket, response.headers, response.status_code, sent_at)
        return response

    def close(self) -> None:
        self.inner.close()


class RequestLog:
    """How many requests went to each bucket, and how they were answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.by_bucket: Counter[str] = Counter()
        self.by_status: Counter[int] = Counter()

    def record(self, bucket: str, status: int) -> None:
        with self._lock:
            self.by_bucket[bucket] += 1
            self.by_status[status] += 1

    @property
    def total(self) -> int:
        return sum(self.by_bucket.values())
