"""Staying inside the Hub's advertised quota, and counting what we asked for.

The Hub answers every request with `RateLimit: "api";r=<left>;t=<seconds to reset>`
for its bucket (`api` for /api/, `resolvers` for /resolve/). The pacer lets requests
through while the bucket has room and holds them until the window resets when it has
none, so a run does not collect 429s in the first place. Requests sent since the last
answer count against the room left, so concurrent workers cannot overshoot together.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from huggingface_hub.utils import parse_ratelimit_headers


class WaitTooLong(Exception):
    """The Hub asked for a wait longer than the run allows (`--max-wait`): that request gives up."""

    def __init__(self, seconds: float, limit: float):
        super().__init__(f"the Hub asked to wait {seconds:.0f}s, more than --max-wait {limit:g}s")
        self.seconds, self.limit = seconds, limit


def bucket_of(path: str) -> str:
    return "resolvers" if "/resolve/" in path else "api"


@dataclass
class _Window:
    remaining: int
    reset_at: float


class Pacer:
    """Blocks a request while its bucket's advertised quota is used up."""

    def __init__(
        self, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
        max_wait: float = float("inf"),
    ):  # fmt: skip
        self._sleep, self._clock, self.max_wait = sleep, clock, max_wait
        self._lock = threading.Lock()
        self._windows: dict[str, _Window] = {}
        # Requests sent and not yet answered: the Hub may not have counted them when it
        # tells us the room left, so they are taken off it.
        self._in_flight: Counter[str] = Counter()
        self.waited_seconds = 0.0

    def before_request(self, bucket: str) -> None:
        while True:
            with self._lock:
                window = self._windows.get(bucket)
                now = self._clock()
                if window is not None and now >= window.reset_at:
                    del self._windows[bucket]  # a new window: the next answer tells its room
                    self._in_flight[bucket] = 0  # forget requests that never got an answer
                    window = None
                if window is None or window.remaining > 0:
                    if window is not None:
                        window.remaining -= 1
                    self._in_flight[bucket] += 1
                    return
                wait = window.reset_at - now
                if wait > self.max_wait:
                    raise WaitTooLong(wait, self.max_wait)
                self.waited_seconds += wait
            self._sleep(wait)

    def after_response(self, bucket: str, headers: Mapping[str, str]) -> None:
        info = parse_ratelimit_headers(headers)
        with self._lock:
            self._in_flight[bucket] = max(0, self._in_flight[bucket] - 1)
            if info is None:
                return
            room = info.remaining - self._in_flight[info.resource_type]
            reset_at = self._clock() + info.reset_in_seconds
            window = self._windows.get(info.resource_type)
            if window is None or reset_at > window.reset_at + 1:
                self._windows[info.resource_type] = _Window(room, reset_at)
            else:
                # Same window: answers to concurrent requests arrive out of order; the
                # lowest room left is the truest.
                window.remaining = min(window.remaining, room)

    def hold_until_reset(self, bucket: str, seconds: float) -> None:
        """After a 429: nobody in this bucket asks again before the advertised reset."""
        with self._lock:
            self._windows[bucket] = _Window(0, self._clock() + seconds)


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
