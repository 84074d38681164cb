"""`syncer suggest` against the fake Hub: typos survive, the right repo ranks first."""

from __future__ import annotations

import re

import pytest
import yaml

from syncer.suggest import search_queries
from tests.conftest import PROJECT
from tests.fakehub import synthetic_sha

# Real repo ids (from the curated mapping) that the fixtures do not hold; their Hub
# answers here are minimal and synthetic.
EXTRA = ["Chinese-Vicuna/Chinese-Vicuna-lora-7b-belle-and-guanaco", "lmsys/vicuna-7b-v1.5",
         "facebook/galactica-1.3b", "openbmb/UltraLM-13b"]  # fmt: skip


@pytest.fixture
def search_hub(fake_hub):
    for repo_id in EXTRA:
        fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 1000, "likes": 1, "gated": False})
    return fake_hub


@pytest.mark.parametrize(
    ("name", "queries"),
    [("Chinese Vincuna", ["chinese-vincuna", "chinese", "vincuna", "chines", "chine", "chin"]),
     ("Galacia", ["galacia", "galaci", "galac", "gala"]),
     ("UltraLM系列", ["ultralm", "ultral", "ultra"])],
)  # fmt: skip
def test_queries_try_words_and_prefixes(name, queries):
    assert search_queries(name)[: len(queries)] == queries


@pytest.mark.parametrize(
    ("entry", "best"),
    [("galacia", "facebook/galactica-"), ("chinese-vincuna", "Chinese-Vicuna/Chinese-Vicuna-lora-7b-belle-and-guanaco"),
     ("ultralm", "openbmb/UltraLM-13b"), ("mistral7b", "mistralai/Mistral-7B-Instruct-v0.1")],
)  # fmt: skip
def test_the_right_repo_ranks_first_despite_typos(run_cli, search_hub, monkeypatch, tmp_path, entry, best):
    monkeypatch.chdir(PROJECT)
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    result = run_cli("suggest", entry, "--endpoint", search_hub.url, "--mappings", str(empty))
    assert result.code == 0, result.stderr
    proposal = yaml.safe_load(result.stdout)
    assert list(proposal) == [entry]
    assert first_candidate(proposal[entry], result.stdout).startswith(best)
    assert "score " in result.stdout and "name similarity" in result.stdout


def first_candidate(proposal, stdout):
    """The best candidate, whether confident (the first of `repos`) or only a comment."""
    if proposal.get("repos"):
        return proposal["repos"][0]["id"]
    return re.search(r"^  #   - (\S+)", stdout, re.MULTILINE).group(1)


def test_repos_already_mapped_or_declined_are_not_proposed(run_cli, search_hub, monkeypatch):
    monkeypatch.chdir(PROJECT)
    result = run_cli("suggest", "mistral7b", "--endpoint", search_hub.url)
    proposal = yaml.safe_load(result.stdout)
    assert "mistralai/Mistral-7B-Instruct-v0.1" not in [repo["id"] for repo in proposal["mistral7b"].get("repos") or []]
    assert "mistralai/Mistral-7B-Instruct-v0.1" not in result.stdout


def test_without_names_only_unmapped_entries_are_searched(run_cli, search_hub, monkeypatch):
    monkeypatch.chdir(PROJECT)
    result = run_cli("suggest", "--endpoint", search_hub.url)
    assert result.code == 0
    assert result.stdout == "" and "every entry is mapped" in result.stderr
    assert search_hub.log == []


def test_an_unknown_name_is_bad_input(run_cli, search_hub, monkeypatch):
    monkeypatch.chdir(PROJECT)
    assert run_cli("suggest", "no-such-model", "--endpoint", search_hub.url).code == 2


def test_an_unreachable_hub_is_a_clear_error(run_cli, monkeypatch):
    import socket

    monkeypatch.chdir(PROJECT)
    monkeypatch.setattr("huggingface_hub.utils._http.time.sleep", lambda seconds: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli("suggest", "galacia", "--endpoint", f"http://127.0.0.1:{port}")
    assert result.code == 3
    assert result.stderr.strip() == (
        "error: could not search the Hub for 'Galacia': connection failed: ConnectError (gave up after 6 attempts)"
    )
