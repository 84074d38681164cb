"""Error classification and retry decisions, with respx standing in for the Hub.

The sleeper is injected: no test here really waits. The endpoint is a loopback address
that nothing listens on, so a request respx failed to intercept could not leave the host.
"""

from __future__ import annotations

import json
import random

import httpx
import pytest
from huggingface_hub.errors import GatedRepoError, HfHubHTTPError, RepositoryNotFoundError

from syncer.errors import AnswerRefused
from syncer.hub.client import HubClient, HubSettings
from syncer.hub.retry import MAX_WAIT, backoff, should_retry
from tests.conftest import FakeClock

ENDPOINT = "http://127.0.0.1:9"
INFO = {"_id": "1", "id": "org/model", "sha": "a" * 40, "downloads": 5}


@pytest.fixture
def hub(respx_mock):
    clock = FakeClock()
    settings = HubSettings(endpoint=ENDPOINT, sleep=clock.sleep, clock=clock, rng=random.Random(0))
    client = HubClient(settings).open()
    route = respx_mock.get(f"{ENDPOINT}/api/models/org/model")
    yield client, route, clock.sleeps
    client.close()


def _error(status, code=None, **headers):
    extra = {"X-Error-Code": code} if code else {}
    return httpx.Response(status, json={"error": "x"}, headers={**extra, **headers})


RETRIED = [
    # (first answers, what the sleeper is asked to wait before each retry)
    ([_error(503)], "backoff"),
    ([_error(500), _error(502), _error(504)], "backoff"),
    ([_error(408)], "backoff"),
    ([_error(429, RateLimit='"api";r=0;t=7', **{"RateLimit-Policy": '"fixed window";"api";q=500;w=300'})], [8.1]),
    ([_error(429, **{"Retry-After": "3"})], [4.0]),
    ([httpx.ConnectError("refused")], "backoff"),
    ([httpx.ReadTimeout("slow")], "backoff"),
    ([httpx.RemoteProtocolError("peer closed connection without sending complete message body")], "backoff"),
]


@pytest.mark.parametrize(("failures", "waits"), RETRIED, ids=["503", "5xx-run", "408", "429-ratelimit", "429-retry-after",
                                                            "connect", "timeout", "reset"])  # fmt: skip
def test_transient_failures_are_retried_then_succeed(hub, failures, waits):
    client, route, sleeps = hub
    route.side_effect = [*failures, httpx.Response(200, json=INFO)]
    assert client.model_info("org/model").id == "org/model"
    assert route.call_count == len(failures) + 1
    assert len(sleeps) == len(failures)
    if waits == "backoff":
        assert all(0 <= wait <= MAX_WAIT for wait in sleeps)
    else:
        assert sleeps == waits


NOT_RETRIED = [
    # A complete answer that is not JSON, or not a model: the same request gets the same answer.
    (httpx.Response(200, content=b'{"id": "org/mo'), AnswerRefused),
    (httpx.Response(200, json=[1, 2]), AnswerRefused),
    (httpx.Response(200, json={"id": "<b>not a repo</b>"}), AnswerRefused),
    (_error(404, "RepoNotFound"), RepositoryNotFoundError),
    (_error(401, "GatedRepo"), GatedRepoError),
    (_error(403, "GatedRepo"), GatedRepoError),
    (_error(401), HfHubHTTPError),
    (_error(403), HfHubHTTPError),
    (_error(400), HfHubHTTPError),
]


@pytest.mark.parametrize(("answer", "error"), NOT_RETRIED, ids=["not-json", "not-an-object", "not-a-repo-id",
                                                        "404", "401-gated", "403-gated", "401", "403", "400"])
def test_permanent_failures_are_not_retried(hub, answer, error):
    client, route, sleeps = hub
    route.side_effect = [answer, httpx.Response(200, json=INFO)]
    with pytest.raises(error):
        client.model_info("org/model")
    assert (route.call_count, sleeps) == (1, [])


def test_retries_stop_after_the_attempt_limit(hub):
    client, route, sleeps = hub
    route.side_effect = [_error(503)] * 10
    with pytest.raises(HfHubHTTPError):
        client.model_info("org/model")
    assert route.call_count == client.settings.attempts == 6
    assert len(sleeps) == 5


def test_every_request_has_a_timeout(hub):
    client, route, _ = hub
    route.respond(200, json=INFO)
    client.model_info("org/model")
    timeouts = route.calls.last.request.extensions["timeout"]
    assert timeouts and all(value == client.settings.timeout for value in timeouts.values())


def test_the_token_is_sent_as_a_bearer_header(respx_mock):
    client = HubClient(HubSettings(endpoint=ENDPOINT, token="hf_secret_for_test", sleep=lambda s: None)).open()
    try:
        route = respx_mock.get(f"{ENDPOINT}/api/models/org/model").respond(200, json=INFO)
        client.model_info("org/model")
        assert route.calls.last.request.headers["authorization"] == "Bearer hf_secret_for_test"
    finally:
        client.close()


@pytest.mark.parametrize(
    ("error", "retry"),
    [(json.JSONDecodeError("x", "", 0), False), (AnswerRefused("too large"), False), (ValueError("x"), False),
     (KeyError("x"), False),
     (httpx.ReadError("x"), True), (httpx.PoolTimeout("x"), True)],
)  # fmt: skip
def test_should_retry_other_errors(error, retry):
    assert should_retry(error) is retry


def test_backoff_is_capped_exponential_with_jitter():
    rng = random.Random(1)
    for attempt in range(1, 12):
        ceiling = min(MAX_WAIT, 2 ** (attempt - 1))
        waits = [backoff(attempt, rng) for _ in range(50)]
        assert all(0 <= wait <= ceiling for wait in waits)
        assert max(waits) > ceiling / 2, "jitter spreads over the whole range"


def test_an_advertised_wait_past_max_wait_gives_up_that_request(fake_hub):
    """`Retry-After: 999999`: obeyed, a run would sleep for eleven days."""
    from syncer.hub.client import HubClient, HubSettings
    from syncer.hub.facts import fetch_facts

    fake_hub.fail("/api/models/xai-org/grok-1", "429", times=99)
    slept: list[float] = []
    settings = HubSettings(endpoint=fake_hub.url, sleep=slept.append, max_wait=0.5)
    with HubClient(settings) as client:
        facts = fetch_facts(["xai-org/grok-1"], client)["xai-org/grok-1"]
    assert facts.status.value == "error"
    assert facts.error.startswith("the Hub asked to wait ") and "more than --max-wait 0.5s; gave up" in facts.error
    assert all(seconds <= 0.5 for seconds in slept)
