"""Fetching facts from the fake Hub: every repo gets a status, requests are few, faults are survived."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

from syncer.hub.client import HubClient, HubSettings
from syncer.hub.facts import FetchOptions, Listings, fetch_facts
from syncer.report import RepoStatus
from tests.fakehub import synthetic_sha

REPOS = [
    "mistralai/Mixtral-8x7B-v0.1",
    "mistralai/Mistral-7B-Instruct-v0.1",
    "THUDM/chatglm2-6b",
    "THUDM/chatglm3-6b-32k",
    "meta-llama/Llama-2-7b-hf",
    "xai-org/grok-1",
    "bigscience/bloom",
    "nobody/missing-model",
]


def test_every_repo_gets_a_status_and_its_facts(fake_hub, hub_client):
    fake_hub.rename("THUDM/chatglm3-6b-32k", "zai-org/chatglm3-6b-32k")
    facts = fetch_facts(REPOS, hub_client)
    assert list(facts) == REPOS
    status = {repo: (f.status.value, f.repo_id) for repo, f in facts.items()}
    assert status == {
        "mistralai/Mixtral-8x7B-v0.1": ("ok", "mistralai/Mixtral-8x7B-v0.1"),
        "mistralai/Mistral-7B-Instruct-v0.1": ("ok", "mistralai/Mistral-7B-Instruct-v0.1"),
        "THUDM/chatglm2-6b": ("ok", "THUDM/chatglm2-6b"),
        "THUDM/chatglm3-6b-32k": ("moved", "zai-org/chatglm3-6b-32k"),
        "meta-llama/Llama-2-7b-hf": ("gated", "meta-llama/Llama-2-7b-hf"),
        "xai-org/grok-1": ("ok", "xai-org/grok-1"),
        "bigscience/bloom": ("ok", "bigscience/bloom"),
        "nobody/missing-model": ("not_found", "nobody/missing-model"),
    }
    mixtral = facts["mistralai/Mixtral-8x7B-v0.1"]
    assert (mixtral.layers, mixtral.experts) == (32, 8)
    assert (mixtral.context_length, mixtral.context_source) == (32768, "max_position_embeddings")
    assert (mixtral.parameters, mixtral.parameters_source, mixtral.license) == (46_702_792_704, "config_estimate", "apache-2.0")
    assert mixtral.sha == fake_hub.repos["mistralai/Mixtral-8x7B-v0.1"]["info"]["sha"]
    moved = facts["THUDM/chatglm3-6b-32k"]
    assert moved.error == "renamed on the Hub: THUDM/chatglm3-6b-32k is now zai-org/chatglm3-6b-32k"
    assert moved.layers == 28, "a moved repo's facts are read under its new id"
    gated = facts["meta-llama/Llama-2-7b-hf"]
    assert gated.license == "llama2" and gated.downloads is not None, "a gated repo keeps its API facts"
    assert gated.layers is None and gated.unknown["layers"] == "gated repo: config.json refused"
    grok = facts["xai-org/grok-1"]
    assert grok.unknown["layers"] == "the repo has no config.json" and grok.license == "apache-2.0"
    assert facts["bigscience/bloom"].unknown["context_length"].startswith("ALiBi")
    assert facts["nobody/missing-model"].error == "not found on the Hub, or private"
    assert not facts["nobody/missing-model"].transient, "a 404 is an answer, held by syncer.guard only if it was read before"


def test_one_listing_per_author_and_config_pinned_to_the_sha(fake_hub, hub_client):
    fetch_facts(REPOS[:3], hub_client)
    assert fake_hub.count("/api/models?author=mistralai") == 1
    assert fake_hub.count("/api/models/mistralai/") == 0
    assert fake_hub.count("/api/models/THUDM/chatglm2-6b") == 1
    sha = fake_hub.repos["THUDM/chatglm2-6b"]["info"]["sha"]
    assert fake_hub.count(f"/THUDM/chatglm2-6b/resolve/{sha}/config.json") == 1
    assert hub_client.requests.by_bucket == {"api": 2, "resolvers": 3}


def test_a_rerun_with_no_change_reads_no_config_and_one_api_request_per_author(fake_hub, hub_client):
    first = fetch_facts(REPOS, hub_client)
    before = len(fake_hub.log)
    second = fetch_facts(REPOS, hub_client, previous=first)
    rerun = fake_hub.log[before:]
    assert [path for _, path, _ in rerun if "/resolve/" in path] == []
    authors = {repo.split("/")[0] for repo in REPOS}
    assert len(rerun) <= len(authors) + 1  # +1: the renamed-away repo, if any, is asked for directly
    for repo in REPOS:
        assert dataclasses.replace(second[repo], fetched_at="") == dataclasses.replace(first[repo], fetched_at="")


def test_a_new_commit_is_read_again(fake_hub, hub_client):
    first = fetch_facts(REPOS[:3], hub_client)
    config = json.loads(fake_hub.repos["THUDM/chatglm2-6b"]["files"]["config.json"])
    fake_hub.commit("THUDM/chatglm2-6b", {"config.json": json.dumps({**config, "seq_length": 65536}).encode()})
    before = len(fake_hub.log)
    second = fetch_facts(REPOS[:3], hub_client, previous=first)
    assert sum("/resolve/" in path for _, path, _ in fake_hub.log[before:]) == 1
    assert second["THUDM/chatglm2-6b"].context_length == 65536


FAULTS = [
    # (path fragment, action, times): the repo still ends up ok
    ("/api/models/xai-org/grok-1", "503", 2),
    ("/api/models/xai-org/grok-1", "reset", 2),
    ("/api/models/xai-org/grok-1", "429", 1),
    ("/api/models/xai-org/grok-1", "truncate", 1),
    ("/bigscience/bloom/resolve/", "503", 2),
    ("/bigscience/bloom/resolve/", "reset", 1),
]


@pytest.mark.parametrize(("path", "action", "times"), FAULTS, ids=[f"{f[1]}x{f[2]}:{f[0].split('/')[-2]}" for f in FAULTS])
def test_transient_faults_are_retried(fake_hub, hub_client, path, action, times):
    fake_hub.fail(path, action, times)
    facts = fetch_facts(["xai-org/grok-1", "bigscience/bloom"], hub_client)
    assert {repo: f.status for repo, f in facts.items()} == {"xai-org/grok-1": "ok", "bigscience/bloom": "ok"}
    assert fake_hub.count(path) == times + 1


def test_a_429_waits_the_advertised_reset(fake_hub, hub_client):
    fake_hub.fail("/api/models/xai-org/grok-1", "429")
    fetch_facts(["xai-org/grok-1"], hub_client)
    assert hub_client.clock.sleeps == [2.1]  # RateLimit t=1 (whole seconds: up to 2 s), plus a margin
    assert hub_client.rate_limited == 1


PERMANENT = [
    ("/api/models/xai-org/grok-1", "503", 99, "HTTP 503 from the Hub (gave up after 6 attempts)"),
    ("/api/models/xai-org/grok-1", "reset", 99, "connection failed: ReadError (gave up after 6 attempts)"),
]


@pytest.mark.parametrize(
    ("path", "action", "times", "reason"), PERMANENT, ids=[f"{f[1]}:{f[0].split('/')[-2]}" for f in PERMANENT]
)
def test_lasting_faults_become_an_error_status_with_a_reason(fake_hub, hub_client, path, action, times, reason):
    fake_hub.fail(path, action, times)
    facts = fetch_facts(["xai-org/grok-1"], hub_client)["xai-org/grok-1"]
    assert (facts.status, facts.error) == (RepoStatus.ERROR, reason)
    assert facts.transient, "a later run may read it: its last known facts are carried (syncer.guard)"


REFUSED = [
    # (path fragment, action, reason): the same request would get the same answer - asked once
    ("/api/models/xai-org/grok-1", "malformed", "refused: the Hub's answer was not valid JSON (not retried)"),
]


@pytest.mark.parametrize(("path", "action", "reason"), REFUSED, ids=[f[1] for f in REFUSED])
def test_deterministic_refusals_are_asked_once_and_say_what_they_are(fake_hub, hub_client, path, action, reason):
    fake_hub.fail(path, action, 99)
    facts = fetch_facts(["xai-org/grok-1", "bigscience/bloom"], hub_client)
    assert (facts["xai-org/grok-1"].status, facts["xai-org/grok-1"].error) == (RepoStatus.ERROR, reason)
    assert not facts["xai-org/grok-1"].transient, "the same answer would come again"
    assert facts["bigscience/bloom"].status is RepoStatus.OK
    assert fake_hub.count(path) == 1


CONFIG_FAULTS = [
    ("malformed", 1, "config.json was not valid JSON; not read"),
    ("503", 99, "config.json could not be read: HTTP 503 from the Hub (gave up after 6 attempts)"),
]


@pytest.mark.parametrize(("action", "times", "reason"), CONFIG_FAULTS, ids=[fault[0] for fault in CONFIG_FAULTS])
def test_when_only_config_json_fails_the_repo_keeps_its_api_facts(fake_hub, hub_client, action, times, reason):
    """The repo was read: its status stays ok, its API facts stand, and only what config.json
    would have said is null - with the reason."""
    fake_hub.fail("/bigscience/bloom/resolve/", action, times)
    facts = fetch_facts(["bigscience/bloom"], hub_client)["bigscience/bloom"]
    assert (facts.status, facts.error) == (RepoStatus.OK, None)
    assert facts.license == "bigscience-bloom-rail-1.0" and facts.downloads is not None
    assert (facts.layers, facts.context_length) == (None, None)
    assert facts.unknown["layers"] == reason and facts.unknown["context_length"] == reason


def test_a_slow_hub_times_out(fake_hub):
    fake_hub.fail("/api/models/xai-org/grok-1", "slow:1.5", times=2)
    settings = HubSettings(endpoint=fake_hub.url, timeout=0.3, attempts=2, sleep=lambda s: None)
    with HubClient(settings) as client:
        facts = fetch_facts(["xai-org/grok-1"], client)["xai-org/grok-1"]
    assert (facts.status, facts.error) == (RepoStatus.ERROR, "timed out after 0.3s (gave up after 2 attempts)")
    assert facts.transient


def test_an_oversized_config_is_not_read(fake_hub, hub_client):
    huge = json.dumps({"model_type": "llama", "padding": "x" * (2 << 20)}).encode()
    fake_hub.add("big/model", {"sha": "b" * 40}, {"config.json": huge})
    facts = fetch_facts(["big/model"], hub_client)["big/model"]
    assert facts.status is RepoStatus.OK and facts.error is None, "the API facts stand"
    assert facts.layers is None and "cap" in facts.unknown["layers"]


def test_a_failed_listing_falls_back_to_model_info(fake_hub, hub_client):
    fake_hub.fail("/api/models?author=mistralai", "404", times=1)
    facts = fetch_facts(REPOS[:2], hub_client)
    assert all(f.status is RepoStatus.OK for f in facts.values())
    assert fake_hub.count("/api/models/mistralai/") == 2


def test_pacing_keeps_the_run_inside_the_advertised_quota(fake_hub):
    fake_hub.limit("api", limit=4, window=1.0)
    repos = ["xai-org/grok-1", "bigscience/bloom", "THUDM/chatglm2-6b", "tiiuae/falcon-7b", "01-ai/Yi-34B",
             "google/gemma-2b", "cerebras/Cerebras-GPT-13B", "xverse/XVERSE-13B", "lmsys/longchat-13b-16k"]  # fmt: skip
    started = time.monotonic()
    with HubClient(HubSettings(endpoint=fake_hub.url)) as client:
        facts = fetch_facts(repos, client, options=FetchOptions(concurrency=4))
    assert all(f.status is not RepoStatus.ERROR for f in facts.values())
    assert fake_hub.statuses(429) == 0
    assert client.pacer.waited_seconds > 0
    assert time.monotonic() - started >= 1.0, "9 API requests at 4 per second need at least two windows"


def test_an_author_with_thousands_of_repos_costs_few_requests_cold_and_warm(fake_hub, hub_client):
    """5,000 public repos, 3 mapped: 3 listing pages at most, then model_info; next time only model_info."""
    for index in range(5000):
        fake_hub.add(f"big/model-{index}", {"sha": synthetic_sha(f"big/model-{index}")})
    mapped = ["big/model-1000", "big/model-2500", "big/model-4999"]
    listings = Listings()
    cold = fetch_facts(mapped, hub_client, listings=listings)
    assert all(f.status is RepoStatus.OK for f in cold.values())
    cold_requests = fake_hub.count("/api/models")
    assert cold_requests <= 6
    assert all("limit=100" in path for _, path, _ in fake_hub.log if "author=big" in path), "the page size is sent"
    fetch_facts(mapped, hub_client, previous=cold, listings=listings)
    assert fake_hub.count("/api/models") - cold_requests == 3, "warm: one model_info per mapped repo, no listing"
    assert fake_hub.count("/resolve/") == 0, "no config.json is listed for these repos: none is asked for"


def test_an_author_whose_listing_is_short_is_listed(fake_hub, hub_client):
    listings = Listings()
    fetch_facts(["mistralai/Mixtral-8x7B-v0.1", "mistralai/Mistral-7B-Instruct-v0.1"], hub_client, listings=listings)
    assert fake_hub.count("/api/models?author=mistralai") == 1
    assert fake_hub.count("/api/models/mistralai/") == 0
    assert listings.depths["mistralai"] <= 100


def test_both_buckets_drain_side_by_side_without_a_429(fake_hub):
    """Config.json requests start as soon as a listing gives the sha, not after every listing."""
    authors, per_author = 5, 8
    for a in range(authors):
        for i in range(per_author):
            repo_id = f"org-{a}/model-{i}"
            fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id)}, {"config.json": b'{"num_hidden_layers": 4}'})
    fake_hub.limit("api", limit=3, window=2.0)
    fake_hub.limit("resolvers", limit=15, window=2.0, used=5)  # a window partly used by someone else
    wanted = [f"org-{a}/model-{i}" for a in range(authors) for i in range(per_author)]
    with HubClient(HubSettings(endpoint=fake_hub.url)) as client:
        facts = fetch_facts(wanted, client, options=FetchOptions(concurrency=4))
    assert [f.layers for f in facts.values()] == [4] * len(wanted)
    assert fake_hub.statuses(429) == 0
    paths = [path for _, path, _ in fake_hub.log]
    first_config = next(index for index, path in enumerate(paths) if "/resolve/" in path)
    last_listing = max(index for index, path in enumerate(paths) if "author=" in path)
    assert first_config < last_listing
