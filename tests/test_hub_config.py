"""config.json normalisation across architectures, on the real configs of the fixtures."""

from __future__ import annotations

import json

import pytest

from syncer.hub.config import estimate_parameters, read_config
from syncer.hub.parameters import is_packed_quantised, nominal_size, resolve_parameters
from syncer.hub.wire import ConfigJson, Gguf, Safetensors
from syncer.report import RopeScaling
from tests.fakehub import FIXTURES


def real_config(repo: str) -> ConfigJson:
    return ConfigJson.model_validate(raw_config(repo))


def raw_config(repo: str) -> dict:
    return json.loads((FIXTURES / f"{repo.replace('/', '--')}.json").read_text(encoding="utf-8"))["config_json"]


CONFIGS = [
    # repo, model_type, (layers, key), (context, key), rope scaling, alibi, (experts, per token)
    ("meta-llama/Llama-2-7b-hf", "llama", (32, "num_hidden_layers"), (4096, "max_position_embeddings"), None, None, (None, None)),
    ("THUDM/chatglm-6b", "chatglm", (28, "num_layers"), (2048, "max_sequence_length"), None, None, (None, None)),
    ("THUDM/chatglm2-6b", "chatglm", (28, "num_layers"), (32768, "seq_length"), None, None, (None, None)),
    ("mosaicml/mpt-7b-instruct", "mpt", (32, "n_layers"), (2048, "max_seq_len"), None, True, (None, None)),
    ("bigscience/bloom", "bloom", (70, "n_layer"), (None, None), None, True, (None, None)),
    ("tiiuae/falcon-7b", "RefinedWebModel", (32, "n_layer"), (None, None), None, False, (None, None)),
    ("tiiuae/falcon-40b", "falcon", (60, "num_hidden_layers"), (None, None), None, False, (None, None)),
    ("Qwen/Qwen-7B", "qwen", (32, "num_hidden_layers"), (8192, "seq_length"), None, None, (None, None)),
    ("EleutherAI/gpt-neox-20b", "gpt_neox", (44, "num_hidden_layers"), (2048, "max_position_embeddings"),
     None, None, (None, None)),
    ("bigscience/T0_3B", "t5", (24, "num_layers"), (None, None), None, None, (None, None)),
    ("cerebras/Cerebras-GPT-13B", "gpt2", (40, "n_layer"), (2048, "n_positions"), None, None, (None, None)),
    ("mistralai/Mixtral-8x7B-v0.1", "mixtral", (32, "num_hidden_layers"), (32768, "max_position_embeddings"), None, None, (8, 2)),
    ("Qwen/Qwen1.5-MoE-A2.7B", "qwen2_moe", (24, "num_hidden_layers"), (8192, "max_position_embeddings"), None, None, (60, 4)),
    ("deepseek-ai/deepseek-moe-16b-chat", "deepseek", (28, "num_hidden_layers"), (4096, "max_position_embeddings"),
     None, None, (64, 6)),
    ("lmsys/longchat-13b-16k", "llama", (40, "num_hidden_layers"), (2048, "max_position_embeddings"),
     RopeScaling(type="linear", factor=8.0), None, (None, None)),
    ("internlm/internlm2_5-7b-chat", "internlm2", (32, "num_hidden_layers"), (32768, "max_position_embeddings"),
     RopeScaling(type="dynamic", factor=2.0), None, (None, None)),
    ("llava-hf/llava-1.5-7b-hf", "llava", (None, None), (4096, "text_config.max_position_embeddings"), None, None, (None, None)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("repo", "model_type", "layers", "context", "rope", "alibi", "experts"), CONFIGS, ids=[c[0] for c in CONFIGS]
)
def test_config_facts_and_where_they_came_from(repo, model_type, layers, context, rope, alibi, experts):
    facts = read_config(real_config(repo))
    assert facts.model_type == model_type
    assert (facts.layers, facts.layers_source) == layers
    assert (facts.context_length, facts.context_source) == context
    assert facts.rope_scaling == rope
    assert facts.alibi is alibi
    assert (facts.experts, facts.experts_per_token) == experts
    if layers[0] is None:
        assert "layers" in facts.unknown
    if context[0] is None:
        assert "context_length" in facts.unknown


def test_alibi_models_say_why_they_have_no_window():
    unknown = read_config(real_config("bigscience/bloom")).unknown
    assert unknown["context_length"] == "ALiBi positions: no fixed window in config.json"


ESTIMATES = [
    # Published parameter totals of these checkpoints; the estimate must hit them exactly.
    ("meta-llama/Llama-2-7b-hf", 6_738_415_616),
    ("mistralai/Mistral-7B-Instruct-v0.1", 7_241_732_096),
    ("mistralai/Mixtral-8x7B-v0.1", 46_702_792_704),
    ("google/gemma-2b", 2_506_172_416),
    ("google/gemma-7b", 8_537_680_896),
]


@pytest.mark.parametrize(("repo", "total"), ESTIMATES)
def test_parameter_estimate_matches_published_totals(repo, total):
    assert estimate_parameters(real_config(repo)) == total


@pytest.mark.parametrize("repo", ["Qwen/Qwen-7B", "Qwen/Qwen1.5-MoE-A2.7B", "deepseek-ai/deepseek-moe-16b-chat",
                                  "THUDM/chatglm2-6b", "mosaicml/mpt-7b-instruct"])  # fmt: skip
def test_no_estimate_where_the_formula_does_not_fit(repo):
    assert estimate_parameters(real_config(repo)) is None


@pytest.mark.parametrize(
    ("repo", "size"),
    [("THUDM/chatglm2-6b", 6 * 10**9), ("cerebras/Cerebras-GPT-111M", 111 * 10**6), ("bigscience/T0_3B", 3 * 10**9),
     ("YeungNLP/firefly-2b6", 2_600_000_000), ("bigscience/bloom-7b1", 7_100_000_000), ("tiiuae/falcon-180B", 180 * 10**9),
     ("mistralai/Mixtral-8x7B-v0.1", None), ("Qwen/Qwen1.5-MoE-A2.7B", None), ("openchat/openchat_v3.2", None),
     # an underscore decimal (issue 21: a 1.8B claim was contradicted by "Qwen/Qwen-1_8B names 8B")
     ("Qwen/Qwen-1_8B", 1_800_000_000), ("internlm/internlm2-1_8b-reward", 1_800_000_000)],
)  # fmt: skip
def test_nominal_size_from_the_name(repo, size):
    assert nominal_size(repo) == size


def _value_and_source(parameters):
    return parameters.value, parameters.source


def test_parameters_prefer_safetensors_then_gguf_then_config_then_name():
    config = real_config("meta-llama/Llama-2-7b-hf")
    st = Safetensors(total=6_738_415_616, parameters={"F16": 6_738_415_616})
    assert _value_and_source(resolve_parameters("x/llama-7b", st, None, config)) == (6_738_415_616, "safetensors")
    assert _value_and_source(resolve_parameters("x/llama-7b", None, Gguf(total=6_738_415_616), config)) == (6_738_415_616, "gguf")
    assert _value_and_source(resolve_parameters("x/llama-7b", None, None, config)) == (6_738_415_616, "config_estimate")
    assert _value_and_source(resolve_parameters("x/llama-7b", None, None, None)) == (7 * 10**9, "name")
    unknown = resolve_parameters("x/llama", None, None, None)
    assert unknown.value is None and "no size in the name" in unknown.unknown_reason


def test_packed_quantised_totals_are_not_trusted():
    gptq = Safetensors(total=1_125_000_000, parameters={"I32": 900_000_000, "F16": 225_000_000})
    assert is_packed_quantised(gptq, None)
    resolved = resolve_parameters(
        "TheBloke/Llama-2-7B-GPTQ", gptq, None, ConfigJson.model_validate({"quantization_config": {"quant_method": "gptq"}})
    )
    assert _value_and_source(resolved) == (7 * 10**9, "name")
    assert not is_packed_quantised(Safetensors(total=10, parameters={"BF16": 10}), ConfigJson())
