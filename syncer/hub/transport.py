"""The wire under every Hub request, guarded: a deadline, a size cap, one origin, no loops.

httpx times each read, not a whole answer: a body trickled a byte at a time never times
out. It decompresses whatever the server says it compressed, so a small gzip bomb becomes
gigabytes. And huggingface_hub follows a listing's `next` link wherever it points, with
the token. This transport wraps the real one so that every answer is read within
`deadline` seconds from the request, decompressed by us within `max_bytes`, only from the
endpoint's origin (scheme, host and port: the token goes nowhere else), and never twice
from the same listing URL. What is refused for its size, encoding or origin is an
`AnswerRefused`: asking again would get the same answer.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

from huggingface_hub.utils import httpx as hf_httpx

from syncer.errors import AnswerRefused

MAX_API_BYTES = 32 << 20  # a listing page of 100 models is well under 1 MiB
MAX_LISTING_PAGES = 500  # 50,000 repos of one author


class _Guarded(hf_httpx.SyncByteStream):
    def __init__(self, inner: hf_httpx.SyncByteStream, request: hf_httpx.Request, started: float, deadline: float,
                 max_bytes: int, encoding: str) -> None:  # fmt: skip
        self.inner, self.request = inner, request
        self.expires = started + deadline
        self.deadline, self.max_bytes = deadline, max_bytes
        self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS) if encoding else None

    def __iter__(self) -> Iterator[bytes]:
        total = 0
        for chunk in self.inner:
            if time.monotonic() > self.expires:
                raise hf_httpx.ReadTimeout(f"the answer took longer than {self.deadline:g}s", request=self.request)
            if self.decoder is not None:
                chunk = self.decoder.decompress(chunk, self.max_bytes - total + 1)
            total += len(chunk)
            if total > self.max_bytes:
                raise AnswerRefused(f"the answer is larger than {self.max_bytes >> 20} MiB")
            yield chunk

    def close(self) -> None:
        self.inner.close()


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) as browsers compare origins: `https://hub` and `https://hub:443` are one."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is no number is no origin of ours
        return scheme, "", -1
    return scheme, (parts.hostname or "").lower(), port if port is not None else DEFAULT_PORTS.get(scheme)


class GuardedTransport(hf_httpx.BaseTransport):
    """Every request to the endpoint's origin only; every answer bounded in time and size."""

    def __init__(self, inner: hf_httpx.BaseTransport, endpoint: str, deadline: float, max_bytes: int = MAX_API_BYTES):
        self.inner, self.origin, self.deadline, self.max_bytes = inner, origin_of(endpoint), deadline, max_bytes
        self._lock = threading.Lock()
        self._cursors: dict[str, set[str]] = {}  # listing -> the page cursors it has been asked for

    def handle_request(self, request: hf_httpx.Request) -> hf_httpx.Response:
        if origin_of(str(request.url)) != self.origin:
            # A `next` link (or a redirect) to another host, port or scheme would take the token with it.
            raise AnswerRefused("a link or redirect to another origin than the endpoint's")
        if request.url.path.rstrip("/") == "/api/models" and request.url.query:
            listing = str(request.url.copy_remove_param("cursor"))  # one author's (or query's) pages
            cursor = request.url.params.get("cursor")
            with self._lock:
                if cursor is None:  # a first page: a new walk through this listing
                    self._cursors[listing] = set()
                else:
                    seen = self._cursors.setdefault(listing, set())
                    if cursor in seen:
                        raise hf_httpx.TooManyRedirects("a listing's next page repeats an earlier one", request=request)
                    if len(seen) >= MAX_LISTING_PAGES:
                        raise hf_httpx.TooManyRedirects(f"more than {MAX_LISTING_PAGES} pages in one listing", request=request)
                    seen.add(cursor)
        started = time.monotonic()
        response = self.inner.handle_request(request)
        encoding = response.headers.get("content-encoding", "").lower().strip()
        if encoding not in ("", "identity", "gzip", "deflate"):
            response.close()
            raise AnswerRefused("the answer's content encoding is not gzip or deflate")
        headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")]
        stream = _Guarded(response.stream, request, started, self.deadline, self.max_bytes,  # type: ignore[arg-type]
                          "" if encoding == "identity" else encoding)  # fmt: skip
        return hf_httpx.Response(response.status_code, headers=headers, stream=stream, extensions=response.extensions,
                                 request=request)  # fmt: skip

    def close(self) -> None:
        self.inner.close()
