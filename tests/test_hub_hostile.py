"""A hostile Hub on loopback: answers trickled a byte at a time, gzip bombs, listings whose
`next` link loops or leaves for another host. Each is bounded, and the run goes on."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from syncer.hub.client import EXPAND, HubClient, HubSettings
from syncer.hub.facts import fetch_facts
from syncer.hub.transport import origin_of
from syncer.report import RepoStatus

SHA = "a" * 40


def _info(repo_id: str) -> dict:
    return {"id": repo_id, "sha": SHA, "downloads": 3, "cardData": {"license": "mit"}, "tags": ["license:mit"]}


class Hostile(BaseHTTPRequestHandler):
    mode = ""
    requests: ClassVar[list[str]] = []

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        Hostile.requests.append(self.path)
        url = urlsplit(self.path)
        if url.path == "/api/models" and "author" in parse_qs(url.query):
            if self.mode == "loop":
                return self._json([_info("x/one")], link=f"<http://{self.headers['Host']}{self.path}&cursor=1>; rel=\"next\""
                                  if "cursor" not in url.query else f"<http://{self.headers['Host']}{self.path}>; rel=\"next\"")
            if self.mode == "elsewhere":
                return self._json([_info("x/one")], link='<http://elsewhere.invalid/api/models?author=x&cursor=1>; rel="next"')
        if url.path.startswith("/api/models/"):
            repo_id = url.path.removeprefix("/api/models/")
            if self.mode == "trickle" and repo_id == "x/one":
                body = json.dumps(_info(repo_id)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for byte in body:  # every read comes in time; the whole never does
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                return None
            if self.mode == "bomb" and repo_id == "x/one":
                body = gzip.compress(b"{" + b" " * (64 << 20) + b"}")  # 64 MiB of JSON in about 64 KiB
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
            return self._json(_info(repo_id))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def _json(self, value, link: str | None = None) -> None:
        body = json.dumps(value).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if link:
            self.send_header("Link", link)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Hostile.requests = []
    yield server
    server.shutdown()


def _client(server, timeout=1.0) -> HubClient:
    endpoint = f"http://127.0.0.1:{server.server_address[1]}"
    return HubClient(HubSettings(endpoint=endpoint, timeout=timeout, attempts=1, sleep=lambda s: None)).open()


def test_a_trickled_answer_is_cut_at_the_deadline_and_the_neighbour_is_read(hostile):
    Hostile.mode = "trickle"
    client = _client(hostile, timeout=1.0)
    started = time.monotonic()
    facts = fetch_facts(["x/one", "y/two"], client)
    client.close()
    assert time.monotonic() - started < 3, "one deadline, not one timeout per byte"
    assert facts["x/one"].status is RepoStatus.ERROR and "timed out" in (facts["x/one"].error or "")
    assert facts["y/two"].status is RepoStatus.OK


def test_a_gzip_bomb_is_refused_before_it_is_inflated(hostile):
    Hostile.mode = "bomb"
    client = _client(hostile, timeout=10.0)
    facts = fetch_facts(["x/one", "y/two"], client)
    client.close()
    assert facts["x/one"].status is RepoStatus.ERROR
    assert facts["y/two"].status is RepoStatus.OK


@pytest.mark.parametrize("mode", ["loop", "elsewhere"])
def test_a_listing_that_loops_or_leaves_is_not_followed(hostile, mode):
    """Two repos of one author are read by a listing; its bad `next` link ends it, and the repos
    are read one by one instead - never from another host, never forever."""
    Hostile.mode = mode
    client = _client(hostile)
    facts = fetch_facts(["x/one", "x/two"], client)
    client.close()
    assert {repo: f.status for repo, f in facts.items()} == {"x/one": RepoStatus.OK, "x/two": RepoStatus.OK}
    listings = [path for path in Hostile.requests if path.startswith("/api/models?")]
    assert len(listings) <= 3


class Elsewhere(BaseHTTPRequestHandler):
    """Another origin on the same host: it counts what reaches it, and the headers it got."""

    seen: ClassVar[list[dict[str, str]]] = []

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        Elsewhere.seen.append(dict(self.headers))
        body = json.dumps([_info("x/two")]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class OtherPort(Hostile):
    other = ""

    def do_GET(self) -> None:
        Hostile.requests.append(self.path)
        url = urlsplit(self.path)
        if url.path == "/api/models" and "author" in parse_qs(url.query):
            return self._json([_info("x/one")], link=f'<{self.other}/api/models?author=x&cursor=1>; rel="next"')
        if url.path == "/api/models/y/moved":
            self.send_response(307)
            self.send_header("Location", f"{self.other}/api/models/y/moved")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        return super().do_GET()


def test_the_token_never_reaches_another_port_of_the_same_host(monkeypatch):
    """A `next` link and a redirect to the endpoint's host on another port are refused once,
    before any byte is sent there: the token stays with its origin."""
    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    hub = ThreadingHTTPServer(("127.0.0.1", 0), OtherPort)
    for server in (elsewhere, hub):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    Elsewhere.seen, Hostile.requests, Hostile.mode = [], [], ""
    OtherPort.other = f"http://127.0.0.1:{elsewhere.server_address[1]}"
    settings = HubSettings(endpoint=f"http://127.0.0.1:{hub.server_address[1]}", token="hf_secret_for_test", timeout=2.0,
                           sleep=lambda s: None)  # fmt: skip
    try:
        with HubClient(settings) as client:
            facts = fetch_facts(["x/one", "x/two", "y/moved"], client)
    finally:
        hub.shutdown()
        elsewhere.shutdown()
    assert Elsewhere.seen == [], "nothing was sent to the other origin"
    assert (facts["x/one"].status, facts["x/two"].status) == (RepoStatus.OK, RepoStatus.OK), "read one by one instead"
    moved = facts["y/moved"]
    assert moved.status is RepoStatus.ERROR
    assert moved.error == "refused: a link or redirect to another origin than the endpoint's (not retried)"
    assert Hostile.requests.count("/api/models/y/moved?" + "&".join(f"expand={p}" for p in EXPAND)) == 1


@pytest.mark.parametrize(
    ("url", "origin"),
    [("https://huggingface.co/api/models", ("https", "huggingface.co", 443)),
     ("https://HuggingFace.co:443/x", ("https", "huggingface.co", 443)),
     ("http://127.0.0.1:8080/x", ("http", "127.0.0.1", 8080)),
     ("http://127.0.0.1/x", ("http", "127.0.0.1", 80)),
     ("http://127.0.0.1:notaport/x", ("http", "", -1))],
)  # fmt: skip
def test_origins_compare_scheme_host_and_port(url, origin):
    assert origin_of(url) == origin
