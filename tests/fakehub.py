"""A fake Hugging Face Hub on 127.0.0.1 for integration and CLI tests.

It serves what syncer's client asks for, with the headers huggingface_hub relies on:
- `GET /api/models/{org}/{name}?expand=...`      model_info (only the expanded keys)
- `GET /api/models?author=X&expand=...`           list_models, paged with `Link`
- `GET /api/models?search=X`                      search, for `syncer suggest`
- `GET|HEAD /{org}/{name}/resolve/{rev}/{file}`   files, with X-Repo-Commit and ETag

Switches make it misbehave on purpose: a quota advertised in `RateLimit` headers (and
429 past it), and scripted faults per path - 429, 503, connection resets, slow answers,
truncated or malformed bodies. Renamed repos answer a relative 307; gated repos refuse
their files. Every request is logged so tests can count them.

`load_fixture_repos()` builds repos from tests/fixtures/hub/*.json, real config.json and
card facts with their sources; commit shas, dates and download counts are synthetic.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "hub"


@dataclass
class Fault:
    """Misbehave on requests whose path contains `path` (and method matches), `times` times."""

    path: str
    action: str  # "429", "503", "500", "reset", "slow:<s>", "truncate", "malformed"
    times: int = 1
    method: str | None = None


@dataclass
class Quota:
    """An advertised fixed-window quota per bucket, enforced with 429 when exceeded."""

    limit: int
    window: float
    used: dict[str, int] = field(default_factory=dict)
    started: dict[str, float] = field(default_factory=dict)


def synthetic_sha(repo_id: str, version: int = 1) -> str:
    return hashlib.sha1(f"{repo_id}@{version}".encode()).hexdigest()


class FakeHub:
    def __init__(self, repos: dict[str, dict[str, Any]] | None = None, page_size: int = 1000, latency: float = 0.0):
        self.repos: dict[str, dict[str, Any]] = repos or {}
        self.index: dict[str, str] = {key.lower(): key for key in self.repos}  # ids are case-insensitive
        self.authors: dict[str, dict[str, None]] = {}  # author (lower case) -> its repo ids, in order
        for key in self.repos:
            self.authors.setdefault(key.split("/")[0].lower(), {})[key] = None
        self.renamed: dict[str, str] = {}
        self.faults: list[Fault] = []
        self.quota: dict[str, Quota] = {}
        self.page_size = page_size
        self.honours_sort = True  # False: listings come in the order repos were added, as a naive mirror's
        self.latency = latency
        self.log: list[tuple[str, str, int]] = []
        self._chaos: tuple[float, list[str], random.Random] | None = None
        self.headers_seen: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    # -- lifecycle -------------------------------------------------------------------

    def start(self) -> FakeHub:
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- editing the world -----------------------------------------------------------

    def add(self, repo_id: str, info: dict[str, Any], files: dict[str, bytes] | None = None) -> None:
        self.repos[repo_id] = {"info": {"_id": synthetic_sha(repo_id)[:24], "id": repo_id, **info}, "files": files or {}}
        self.index[repo_id.lower()] = repo_id
        self.authors.setdefault(repo_id.split("/")[0].lower(), {})[repo_id] = None

    def rename(self, old: str, new: str) -> None:
        repo = self.repos.pop(old)
        del self.index[old.lower()]
        del self.authors[old.split("/")[0].lower()][old]
        self.authors.setdefault(new.split("/")[0].lower(), {})[new] = None
        repo["info"]["id"] = new
        self.repos[new] = repo
        self.index[new.lower()] = new
        self.renamed[old] = new

    def remove(self, repo_id: str) -> None:
        """The repo is gone (deleted, or made private): every request for it answers 404."""
        del self.repos[repo_id]
        del self.index[repo_id.lower()]
        del self.authors[repo_id.split("/")[0].lower()][repo_id]

    def fail_repo(self, repo_id: str, action: str, times: int = 10**6) -> None:
        """Every request that would show the repo misbehaves: its model_info, its files, and
        its author's listing (whose other repos are then asked for one by one)."""
        self.fail(f"/api/models/{repo_id}?", action, times)
        self.fail(f"/{repo_id}/resolve/", action, times)
        self.fail(f"author={repo_id.split('/')[0]}&", action, times)

    def commit(self, repo_id: str, files: dict[str, bytes] | None = None) -> None:
        """A new commit: new sha, optionally new files."""
        repo = self.repos[repo_id]
        version = repo.get("version", 1) + 1
        repo["version"] = version
        repo["info"]["sha"] = synthetic_sha(repo_id, version)
        if files:
            repo["files"].update(files)

    def repos_of(self, author: str) -> list[dict[str, Any]]:
        return [self.repos[key] for key in self.authors.get(author.lower(), {})]

    def fail(self, path: str, action: str, times: int = 1, method: str | None = None) -> None:
        self.faults.append(Fault(path, action, times, method))

    def chaos(self, rate: float, actions: list[str], seed: int = 0) -> None:
        """Misbehave at random: each request fails with probability `rate`, one of `actions`."""
        self._chaos = (rate, actions, random.Random(seed))

    def limit(self, bucket: str, limit: int, window: float, used: int = 0) -> None:
        """Enforce `limit` requests per `window` seconds on `bucket`. `used` > 0: a window that
        starts now with that many requests already spent (by another client, say)."""
        self.quota[bucket] = Quota(limit, window)
        if used:
            self.quota[bucket].started[bucket], self.quota[bucket].used[bucket] = time.monotonic(), used

    # -- reading the log ---------------------------------------------------------------

    def count(self, contains: str = "", method: str | None = None) -> int:
        return sum(1 for m, path, _ in self.log if contains in path and (method is None or m == method))

    def statuses(self, status: int) -> int:
        return sum(1 for _, _, s in self.log if s == status)

    def _take_fault(self, method: str, path: str) -> str | None:
        with self._lock:
            if self._chaos is not None:
                rate, actions, rng = self._chaos
                if rng.random() < rate:
                    return rng.choice(actions)
            for fault in self.faults:
                if fault.times > 0 and fault.path in path and (fault.method in (None, method)):
                    fault.times -= 1
                    return fault.action
        return None

    def _ratelimit(self, bucket: str) -> tuple[dict[str, str], bool]:
        quota = self.quota.get(bucket)
        if quota is None:
            return {}, False
        with self._lock:
            now = time.monotonic()
            if now - quota.started.get(bucket, -1e9) >= quota.window:
                quota.started[bucket], quota.used[bucket] = now, 0
            quota.used[bucket] += 1
            over = quota.used[bucket] > quota.limit
            remaining = max(0, quota.limit - quota.used[bucket])
            reset = max(1, round(quota.window - (now - quota.started[bucket])))
        headers = {
            "RateLimit": f'"{bucket}";r={remaining};t={reset}',
            "RateLimit-Policy": f'"fixed window";"{bucket}";q={quota.limit};w={int(quota.window)}',
        }
        return headers, over


def _handler(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def setup(self) -> None:
            super().setup()
            # Without it, a body written after its headers waits for the client's delayed
            # ACK (~40 ms on Linux): every answer would be slower than the latency we state.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def handle(self) -> None:
            # The client may give up on us (timeouts, tests that reset connections).
            with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
                super().handle()

        # -- responses -----------------------------------------------------------------

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            with hub._lock:
                hub.log.append((self.command, self.path, status))
            self.send_response(status)
            all_headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
            all_headers.update(self._limit_headers)
            all_headers.update(headers or {})
            for key, value in all_headers.items():
                self.send_header(key, value)
            # Headers and body in one write, as a real server sends a small answer.
            self._headers_buffer.append(b"\r\n" + (body if self.command != "HEAD" else b""))  # type: ignore[attr-defined]
            self.flush_headers()

        def _json(self, value: Any, headers: dict[str, str] | None = None) -> None:
            self._send(200, json.dumps(value).encode(), headers)

        def _error(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
            body = json.dumps({"error": message}).encode()
            self._send(status, body, {"X-Error-Code": code, "X-Error-Message": message, **(headers or {})})

        def _reset(self) -> None:
            with hub._lock:
                hub.log.append((self.command, self.path, 0))
            # SO_LINGER 0: close with a TCP RST, as a dropped connection looks to the client.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        # -- routing ---------------------------------------------------------------------

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            with hub._lock:
                hub.headers_seen.append(dict(self.headers))
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            parts = [part for part in url.path.split("/") if part]
            bucket = "resolvers" if "resolve" in parts else "api"
            self._limit_headers, over = hub._ratelimit(bucket)
            if hub.latency:
                time.sleep(hub.latency)
            if over:
                return self._error(429, "RateLimited", "Too many requests")
            fault = hub._take_fault(self.command, self.path)
            if fault and self._fault(fault):
                return
            if parts[:2] == ["api", "models"] and len(parts) == 2:
                return self._list(query)
            if parts[:2] == ["api", "models"] and len(parts) >= 4:
                return self._model_info("/".join(parts[2:4]), query, fault == "malformed")
            if len(parts) >= 5 and parts[2] == "resolve":
                return self._file("/".join(parts[:2]), parts[3], "/".join(parts[4:]), fault)
            return self._error(404, "RepoNotFound", "Not found")

        def _fault(self, action: str) -> bool:
            """Act out a fault; True when the answer has been given."""
            if action in ("429",):
                self._limit_headers = {"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
                self._error(429, "RateLimited", "Too many requests")
                return True
            if action.isdigit():
                self._error(int(action), "ServerError", "Service unavailable")
                return True
            if action == "reset":
                self._reset()
                return True
            if action.startswith("slow:"):
                time.sleep(float(action.split(":", 1)[1]))
                return False
            if action == "truncate":
                with hub._lock:
                    hub.log.append((self.command, self.path, 200))
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b'{"id": "trunc')
                self.close_connection = True
                return True
            return False  # "malformed" is handled where the body is built

        def _info_view(self, repo: dict[str, Any], expand: list[str]) -> dict[str, Any]:
            info = repo["info"]
            view = {"_id": info["_id"], "id": info["id"], **{k: info[k] for k in expand if k in info}}
            if "siblings" in expand:  # the repo's files, as the Hub lists them
                view["siblings"] = [{"rfilename": name} for name in sorted(repo["files"])]
            return view

        def _model_info(self, repo_id: str, query: dict[str, list[str]], malformed: bool) -> None:
            if repo_id in hub.renamed:
                return self._send(307, b"", {"Location": self.path.replace(repo_id, hub.renamed[repo_id], 1)})
            repo = _find(hub, repo_id)
            if repo is None:
                return self._error(404, "RepoNotFound", "Repository not found")
            if repo["info"].get("disabled"):
                return self._error(403, "DisabledRepo", "Access to this resource is disabled.")
            if malformed:
                return self._send(200, b'{"id": "' + repo_id.encode() + b'", "sha": ')
            self._json(self._info_view(repo, query.get("expand", [])))

        def _list(self, query: dict[str, list[str]]) -> None:
            rows = hub.repos_of(query["author"][0]) if "author" in query else list(hub.repos.values())
            if "search" in query:
                term = query["search"][0].lower()
                rows = [repo for repo in rows if term in repo["info"]["id"].lower()]
                rows.sort(key=lambda repo: -(repo["info"].get("downloads") or 0))
            if query.get("sort") == ["createdAt"] and hub.honours_sort:  # the Hub sorts newest first
                rows = sorted(rows, key=lambda repo: repo["info"].get("createdAt") or "", reverse=True)
            size = min(int(query.get("limit", [hub.page_size])[0]), hub.page_size)
            cursor = int(query.get("cursor", ["0"])[0])
            page = [self._info_view(repo, query.get("expand", [])) for repo in rows[cursor : cursor + size]]
            headers = {}
            if cursor + size < len(rows):
                next_query = {**{k: v for k, v in query.items() if k != "cursor"}, "cursor": [str(cursor + size)]}
                headers["Link"] = f'<{hub.url}/api/models?{urlencode(next_query, doseq=True)}>; rel="next"'
            self._json(page, headers)

        def _file(self, repo_id: str, revision: str, filename: str, fault: str | None) -> None:
            if repo_id in hub.renamed:
                return self._send(307, b"", {"Location": self.path.replace(repo_id, hub.renamed[repo_id], 1)})
            repo = _find(hub, repo_id)
            if repo is None:
                return self._error(404, "RepoNotFound", "Repository not found")
            if repo["info"].get("gated"):
                status = 403 if "authorization" in {k.lower() for k in self.headers} else 401
                return self._error(status, "GatedRepo", f"Access to model {repo_id} is restricted.")
            sha = repo["info"]["sha"]
            if revision not in ("main", sha):
                return self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
            if filename not in repo["files"]:
                return self._error(404, "EntryNotFound", "Entry not found", {"X-Repo-Commit": sha})
            data = repo["files"][filename]
            if fault == "malformed":
                data = data[: len(data) // 2]
            etag = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
            self._send(200, data, {"X-Repo-Commit": sha, "ETag": f'"{etag}"'})

    return Handler


def _find(hub: FakeHub, repo_id: str) -> dict[str, Any] | None:
    """Repo ids are case-insensitive on the Hub."""
    key = hub.index.get(repo_id.lower())
    return hub.repos.get(key) if key else None


def fixture_repo(path: Path) -> tuple[str, dict[str, Any], dict[str, bytes]]:
    """One fixture file -> (repo id, model_info JSON, files). See tests/fixtures/hub/README.md."""
    record = json.loads(path.read_text(encoding="utf-8"))
    repo_id = record["repo_id"]
    config = record.get("config_json")
    card = {k: v for k, v in (record.get("card") or {}).items() if v is not None}
    seed = int(hashlib.sha1(repo_id.encode()).hexdigest(), 16)
    tags = [f"license:{card['license']}"] if isinstance(card.get("license"), str) else []
    tags += [f"base_model:{model}" for model in ([card["base_model"]] if isinstance(card.get("base_model"), str) else [])]
    total = record.get("safetensors_total")
    info = {
        "sha": synthetic_sha(repo_id),
        "lastModified": "2024-05-01T12:00:00.000Z",
        "createdAt": "2024-01-01T00:00:00.000Z",  # synthetic: older than every later release the tests add
        "downloads": seed % 500_000,  # synthetic
        "downloadsAllTime": seed % 50_000_000,  # synthetic
        "likes": seed % 5_000,  # synthetic
        "gated": record.get("gated") or False,
        "disabled": False,
        "cardData": card,
        "tags": tags,
        "pipeline_tag": record.get("pipeline_tag"),
        "safetensors": {"parameters": {"BF16": total}, "total": total} if total else None,
        "config": {k: config[k] for k in ("architectures", "model_type") if k in config} if config else {},
    }
    files = {"config.json": json.dumps(config, indent=2).encode()} if config is not None else {}
    return repo_id, info, files


def load_fixture_repos(hub: FakeHub) -> FakeHub:
    for path in sorted(FIXTURES.glob("*.json")):
        repo_id, info, files = fixture_repo(path)
        hub.add(repo_id, info, files)
    return hub
