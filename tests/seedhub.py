"""A fake Hub to measure `syncer init` on the seed: its search index is every repo of the
curated mapping (mappings/open-llm-roundup.zh.yaml), plus decoys a real search also finds -
re-uploads, quantisations, adapters, later versions and look-alike families.

Repos with a fixture (tests/fixtures/hub) carry its real facts; every other repo's answer is
minimal and **synthetic** (sha, dates, downloads and likes derived from a hash of the id).
Decoy ids marked `real` are repos that exist on the Hub; those marked `synthetic` are made up
for the test (their organisations say so) and exist nowhere.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml

from tests.fakehub import FakeHub, load_fixture_repos, synthetic_sha

PROJECT = Path(__file__).resolve().parent.parent
CURATED = PROJECT / "mappings" / "open-llm-roundup.zh.yaml"

DECOYS = {
    # real: re-uploads and quantisations of the seed's models
    "huggyllama/llama-7b": "real", "huggyllama/llama-13b": "real", "huggyllama/llama-65b": "real",
    "NousResearch/Llama-2-7b-hf": "real", "NousResearch/Llama-2-13b-hf": "real",
    "TheBloke/Llama-2-7B-GGUF": "real", "TheBloke/Llama-2-13B-chat-GPTQ": "real", "TheBloke/Mistral-7B-v0.1-GGUF": "real",
    "TheBloke/Mixtral-8x7B-v0.1-GGUF": "real", "TheBloke/falcon-7b-instruct-GPTQ": "real",
    "TheBloke/vicuna-7B-v1.5-GGUF": "real", "TheBloke/Yi-34B-GGUF": "real", "TheBloke/zephyr-7B-beta-GGUF": "real",
    "unsloth/mistral-7b-bnb-4bit": "real", "TheBloke/baichuan-7B-GPTQ": "real",
    # real: later versions and look-alike families of the same publishers
    "Qwen/Qwen2-7B": "real", "Qwen/Qwen2.5-7B-Instruct": "real", "meta-llama/Meta-Llama-3-8B": "real",
    "THUDM/glm-10b": "real", "tiiuae/falcon-mamba-7b": "real", "internlm/internlm2_5-7b-chat": "real",
    "baichuan-inc/Baichuan-13B-Chat": "real", "01-ai/Yi-1.5-9B": "real", "deepseek-ai/deepseek-coder-6.7b-base": "real",
    "mistralai/Mistral-Nemo-Base-2407": "real", "google/gemma-2-9b": "real", "bigscience/bloomz-560m": "real",
    # synthetic: a re-upload under a look-alike organisation, a LoRA of another family, a delta, a merge
    "synthetic-reuploads/Baichuan2-7B-Chat": "synthetic", "synthetic-reuploads/Skywork-13B-base": "synthetic",
    "llama-community-synthetic/llama-7b": "synthetic", "synthetic-adapters/vicuna-7b-lora-on-qwen": "synthetic",
    "synthetic-adapters/codellama-lora-of-baichuan": "synthetic", "synthetic-deltas/gpt-j-6b-wombat-delta": "synthetic",
    "synthetic-merges/zephyr-7b-merge": "synthetic", "synthetic-quants/chatglm2-6b-int4": "synthetic",
}  # fmt: skip


def curated_repos() -> dict[str, set[str]]:
    """Entry id -> the curated mapping's repo ids (lower case)."""
    data = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    return {
        entry_id: {(ref if isinstance(ref, str) else ref["id"]).lower() for ref in mapping.get("repos") or []}
        for entry_id, mapping in data.items()
    }


def seed_search_hub() -> FakeHub:
    """Not started: the caller starts and stops it."""
    hub = load_fixture_repos(FakeHub())
    # The ChatGLM fixtures were read under THUDM/, which the Hub has since renamed to zai-org/.
    for name in ("chatglm-6b", "chatglm2-6b", "chatglm3-6b-32k"):
        hub.rename(f"THUDM/{name}", f"zai-org/{name}")
    wanted = sorted({repo for repos in curated_repos().values() for repo in repos} | {d.lower() for d in DECOYS})
    original_case = {ref.lower(): ref for ref in _all_ids()}
    for key in wanted:
        repo_id = original_case.get(key, key)
        if key in hub.index:
            continue
        seed = int(hashlib.sha1(repo_id.encode()).hexdigest(), 16)
        hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": seed % 200_000, "likes": seed % 900, "gated": False})
    return hub


def _all_ids() -> list[str]:
    data = yaml.safe_load(CURATED.read_text(encoding="utf-8"))
    ids = [ref if isinstance(ref, str) else ref["id"] for mapping in data.values() for ref in mapping.get("repos") or []]
    return ids + list(DECOYS)
