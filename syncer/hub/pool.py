"""A thread pool for Hub requests that an interrupt really stops."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager


@contextmanager
def interruptible_pool(workers: int) -> Iterator[ThreadPoolExecutor]:
    """A thread pool that, when the caller is interrupted (Ctrl-C, SIGTERM), cancels what is
    queued and does not wait for requests in flight: the interrupt ends the run now."""
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
