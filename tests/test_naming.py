"""Which entry a repo's name is: `owner` over a whole catalog, and `Owners`, its index by the
name's first token, which must give the same answer (syncer init asks it thousands of times)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from syncer.models import Entry
from syncer.naming import Owners, owner


def entry(name: str, index: int = 0) -> Entry:
    return Entry(id=f"e{index}", name=name, document="d.md", section=None, line=index + 1, text=name, hub_links=[],
                 claims=[])  # fmt: skip


CATALOG = [entry(name, index) for index, name in enumerate(
    ["LLaMA", "Llama 2", "ChatGLM", "ChatGLM2", "Qwen", "Qwen1.5", "MPT-7B", "MPT-30B", "Baichuan", "Mistral7B", "通义千问"]
)]  # fmt: skip


@pytest.mark.parametrize(("repo_id", "expected"), [
    ("meta-llama/Llama-2-7b-hf", "Llama 2"),       # the longer name that fits wins
    ("huggyllama/llama-7b", "LLaMA"),
    ("THUDM/chatglm2-6b", "ChatGLM2"),
    ("Qwen/Qwen1.5-7B-Chat", "Qwen1.5"),
    ("Qwen/QwenChat-7B", "Qwen"),                  # a role glued to the name
    ("mosaicml/mpt-7b", None),                     # MPT-7B and MPT-30B (which state no size) fit alike
    ("mistralai/Mistral-7B-v0.1", "Mistral7B"),
    ("someone/unrelated-7b", None),
])  # fmt: skip
def test_a_repo_belongs_to_the_entry_whose_name_it_fits_best(repo_id, expected):
    found = Owners(CATALOG).of(repo_id)
    assert (found.name if found else None) == expected
    assert found == owner(repo_id, CATALOG)


TOKENS = st.sampled_from(["llama", "qwen", "chat", "glm", "2", "1.5", "7b", "13b", "mpt", "base", "code", "coder", "1"])
names = st.lists(TOKENS, min_size=1, max_size=4).map("-".join)


@settings(max_examples=300, deadline=None)
@given(catalog=st.lists(names, min_size=1, max_size=12), repo_name=st.lists(TOKENS, min_size=1, max_size=5))
def test_the_index_answers_as_a_fit_against_every_entry_would(catalog, repo_name):
    entries = [entry(name, index) for index, name in enumerate(catalog)]
    for joiner in ("-", ""):
        repo_id = "org/" + joiner.join(repo_name)
        assert Owners(entries).of(repo_id) == owner(repo_id, entries)
