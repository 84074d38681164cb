"""Claim extraction from free text: numbers, units and the words around them, as a table.

Each case is `(text, expected)`; expected claims are `kind value` (see test_seed_claims
for the notation). The second table lists numbers that are about something else and
must yield no size or context claim at all.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncer.claims import cell_claims, claims_from_name, claims_from_text
from syncer.models import ParameterRange
from syncer.rules import load_rules

B, M, T = 10**9, 10**6, 10**12

DESCRIPTION_CASES = [
    # sizes and lists of sizes
    ("提供了7B/13B Base和chat的版本", [("parameters", 7 * B), ("parameters", 13 * B)]),
    ("谷歌开源模型2B，7B免费商用", [("parameters", 2 * B), ("parameters", 7 * B), ("license", "commercial")]),
    # With no entry to own it, a family's name is a lineage claim, in Chinese as `Qwen7B` is; on
    # the seed's Qwen entry it is the entry's own (test_seed_claims).
    ("通义千问7B,14B,70B Base和chat模型",
     [("base_model", "qwen"), ("parameters", 7 * B), ("parameters", 14 * B), ("parameters", 70 * B)]),
    ("书生模型7B+20B", [("parameters", 7 * B), ("parameters", 20 * B)]),
    ("sizes 7/13/70B", [("parameters", 7 * B), ("parameters", 13 * B), ("parameters", 70 * B)]),
    ("虎博开源了7B 180B的模型", [("parameters", 7 * B), ("parameters", 180 * B)]),
    ("中文2.6B模型", [("languages", ["zh"]), ("parameters", 2_600_000_000)]),
    ("a 125M parameters model", [("parameters", 125 * M)]),
    # ranges
    ("3B~11B的模型", [("parameter_range", ParameterRange(min=3 * B, max=11 * B))]),
    ("规模70亿到650亿不等", [("parameter_range", ParameterRange(min=7 * B, max=65 * B))]),
    ("开源了1亿到130亿的7个模型", [("parameter_range", ParameterRange(min=100 * M, max=13 * B))]),
    ("Meta复刻GPT3，up to 175B", [("parameter_range", ParameterRange(min=None, max=175 * B))]),
    ("from 7B to 70B", [("parameter_range", ParameterRange(min=7 * B, max=70 * B))]),
    # Chinese units with the word for parameters
    ("具有1300亿个参数", [("parameters", 130 * B)]),
    ("3140亿参数的混合专家模型", [("parameters", 314 * B), ("architecture", "moe")]),
    ("参数规模为650亿", [("parameters", 65 * B)]),
    ("多语千亿参数基座模型", [("parameters", 100 * B)]),
    # context
    ("支持32K上文", [("context_length", 32_000)]),
    ("支持84k tokens超长输入", [("context_length", 84_000)]),
    ("最大支持 256K 的上下文窗口长度", [("context_length", 256_000)]),
    ("在8Ktoken上训练", [("context_length", 8_000)]),
    ("拥有最大32K上下文", [("context_length", 32_000)]),
    ("上下文长度为4096", [("context_length", 4_096)]),
    ("a context window of 128k", [("context_length", 128_000)]),
    ("context length: 2,048", [("context_length", 2_048)]),
    # training tokens
    ("3.5万亿token训练", [("training_tokens", 3_500_000_000_000)]),
    ("在过万亿 token 数据上训练", [("training_tokens", 1 * T)]),
    ("trained on 1.4T tokens", [("training_tokens", 1_400_000_000_000)]),
    ("trained on 300B tokens", [("training_tokens", 300 * B)]),
    # licence
    ("可商用", [("license", "commercial")]),
    ("百川智能开源7B大模型可商用免费", [("parameters", 7 * B), ("license", "commercial")]),
    ("在授权后可免费商用！", [("license", "commercial")]),
    ("free for commercial use", [("license", "commercial")]),
    ("高效复现的完全开源方案", [("license", "open_source")]),
    ("本模型不可商用", [("license", "non_commercial")]),
    ("research only, non-commercial use", [("license", "non_commercial")]),
    # architecture
    ("Qwen推出MOE版本", [("architecture", "moe")]),
    ("a sparse Mixture of Experts", [("architecture", "moe")]),
    ("T5架构", [("architecture", "t5")]),
    # lineage
    ("基于Llama2微调", [("base_model", "llama2")]),
    # a base model's size is its own, not the entry's (`Vicuna-13B` and its base may differ)
    ("LLama 7B基座", [("base_model", "llama")]),
    ("Bloom基座，40+语言支持", [("base_model", "bloom"), ("language_count", 40)]),
    ("在GPT-J-6B上微调", [("base_model", "gpt-j")]),
    ("使用100k self-chat对话数据微调的LLama", [("base_model", "llama")]),
    ("fine-tuned from Mistral 7B", [("base_model", "mistral")]),
    # languages
    ("中英双语对话模型", [("languages", ["zh", "en"])]),
    ("涵盖了中文、英语、日语、韩语等多种语言", [("languages", ["zh", "en", "ja", "ko"])]),
    ("supports 46 languages", [("language_count", 46)]),
    # a compared model's size is not the entry's; the entry's own size after it is
    ("“最强7B开源模型”，全面超越13B的Llama2", [("parameters", 7 * B), ("qualitative", None), ("qualitative", None)]),
    ("据说中文超越llama2的元象开源模型13B模型", [("qualitative", None), ("languages", ["zh"]), ("parameters", 13 * B)]),
]


def _pairs(claims):
    return [(claim.kind.value, claim.value) for claim in claims]


@pytest.mark.parametrize(("text", "expected"), DESCRIPTION_CASES, ids=[case[0] for case in DESCRIPTION_CASES])
def test_description_claims(text, expected):
    claims = claims_from_text(text, "description", load_rules())
    assert sorted(_pairs(claims), key=repr) == sorted(expected, key=repr)
    assert all(claim.text in text for claim in claims)


NOT_ABOUT_THE_ENTRY = [
    "全面超越13B的Llama2",  # a compared model
    "性能直接碾压LLaMA2 70B",  # a compared model and its size
    "Outperforms LLaMA 65B on most benchmarks",
    "在alpaca52K数据上加入534K多语言指令数据微调",  # dataset sizes
    "80k ShareGPT对话微调",
    "使用52k数据在LLaMA上微调",
    "使用100k self-chat对话数据",
    "在单台 A100（40G * 8）或V100（32G * 8）服务器上",  # hardware
    "runs on 8x A100 80GB GPUs",
    "约 25w 字的输入内容",  # a character count
    "等7个指令微调数据集训练",  # a count of datasets
    "开源了7个模型",
    "for use with 4-bit GPTQ weights",  # a bit width
    "超越GPT3.5",  # a version number
    "GPT-4语言模型",  # not a count of languages
    "trained on 10B samples",  # a dataset size in B
    "10亿条数据",
    "under 700M monthly users",  # a user count
]


@pytest.mark.parametrize("text", NOT_ABOUT_THE_ENTRY)
def test_numbers_about_something_else_are_not_sizes_or_contexts(text):
    kinds = {claim.kind.value for claim in claims_from_text(text, "description", load_rules())}
    assert not kinds & {"parameters", "parameter_range", "active_parameters", "context_length", "language_count"}


NAME_CASES = [
    ("MPT-30B", [("parameters", 30 * B)]),
    ("Orion-14B-Base", [("parameters", 14 * B)]),
    ("Mistral7B", [("parameters", 7 * B)]),
    ("Qwen1-7B+14B+70B", [("parameters", 7 * B), ("parameters", 14 * B), ("parameters", 70 * B)]),
    ("InternLM2 7B+20B", [("parameters", 7 * B), ("parameters", 20 * B)]),
    ("Qwen1.5-MoE-A2.7B", [("architecture", "moe"), ("active_parameters", 2_700_000_000)]),
    ("YI-200K", [("context_length", 200_000)]),
    ("longchat-13b-16k", [("parameters", 13 * B), ("context_length", 16_000)]),
    ("Cerebras-GPT-111M", [("parameters", 111 * M)]),
    ("Chinese-LLaMA-Alpaca", [("languages", ["zh"])]),
    ("Qwen1.5", []),
    ("Yuan-2.0", []),
    ("CPM2.0", []),
    ("MiniGPT4", []),
    ("LLama2", []),
]


@pytest.mark.parametrize(("name", "expected"), NAME_CASES, ids=[case[0] for case in NAME_CASES])
def test_name_claims(name, expected):
    assert _pairs(claims_from_name(name, load_rules())) == expected


# Words whose numbers no claim can have: `0K context` stopped `syncer claims` with an internal
# error (exit 3) before. They are no claim; in a fact cell they are reported as unread.
ZERO_WORDS = ["0K context", "0K上下文", "0T token", "1,000,000M tokens", "0亿参数", "context 000K tokens", "A0B"]


@pytest.mark.parametrize("text", ZERO_WORDS)
def test_words_whose_value_no_claim_can_have_are_no_claim(text):
    claims = claims_from_text(text, "description", load_rules())
    assert all(claim.value for claim in claims)


@pytest.mark.parametrize(("role", "text"), [("parameters", "0B"), ("context_length", "0K"), ("training_tokens", "0T"),
                                            ("active_parameters", "A0B"), ("parameters", "0-0B")])  # fmt: skip
def test_a_fact_cell_of_zeros_is_unread_not_a_crash(role, text):
    claims, unread = cell_claims(role, role, text, None, load_rules())
    assert claims == [] and unread == [text]


_DIGITS_AND_UNITS = st.text(alphabet="0123456789.,~-/+ KkMBTt亿万上下文参数tokencontext()A", max_size=30)


@given(_DIGITS_AND_UNITS)
def test_no_words_stop_the_reading_of_a_description(text):
    for claim in claims_from_text(text, "description", load_rules()):
        assert claim.value is not None or claim.kind.value == "qualitative"


@given(_DIGITS_AND_UNITS, st.sampled_from(["parameters", "context_length", "training_tokens", "active_parameters"]))
def test_no_words_stop_the_reading_of_a_fact_cell(text, role):
    cell_claims(role, role, text, None, load_rules())


def test_sizes_in_tb_share_their_unit_as_other_sizes_do():
    """`7/13TB` stopped the document with an internal error (KeyError 'tb'): the 7 takes the
    cell's unit, as in `7/13B`, and TB is a trillion parameters as in `1TB`."""
    claims, unread = cell_claims("parameters", "Params", "7/13TB", None, load_rules())
    assert [claim.value for claim in claims] == [7 * 10**12, 13 * 10**12] and unread == []
