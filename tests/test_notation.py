"""Notation, as a table: what a size, context, token, licence or language cell says, what a
name says, and the numbers in prose that are about something else.

Each row is the words and every claim they make (`kind value`), or `[]` for no claim.
Sizes are written `7B`/`300M`/`1T`, ranges `500M..72B`, contexts in tokens.
"""

from __future__ import annotations

import pytest

from syncer.claims import cell_claims, claims_from_name, claims_from_text, dedupe
from syncer.models import Claim, ParameterRange
from syncer.rules import load_rules

_SUFFIX = {"M": 10**6, "B": 10**9, "T": 10**12}


def _short(number: int) -> str:
    for suffix in ("T", "B", "M"):
        if number >= _SUFFIX[suffix]:
            return f"{number / _SUFFIX[suffix]:g}{suffix}"
    return str(number)


def spec(claim: Claim) -> str:
    value = claim.value
    if isinstance(value, ParameterRange):
        return f"{claim.kind.value} {_short(value.min) if value.min else ''}..{_short(value.max)}"
    if isinstance(value, list):
        return f"{claim.kind.value} {','.join(value)}"
    if claim.kind.value in ("parameters", "active_parameters", "training_tokens") and isinstance(value, int):
        return f"{claim.kind.value} {_short(value)}"
    return f"{claim.kind.value} {'-' if value is None else value}"


SIZE_CELLS = [
    # (cell, header unit, claims)
    ("7B", None, ["parameters 7B"]),
    ("300M", None, ["parameters 300M"]),
    ("7B/13B/33B/65B", None, ["parameters 7B", "parameters 13B", "parameters 33B", "parameters 65B"]),
    ("7, 13, 70", "b", ["parameters 7B", "parameters 13B", "parameters 70B"]),
    ("0.06 - 11", "b", ["parameter_range 60M..11B"]),
    ("{14,31,70,160,410}M", None, ["parameters 14M", "parameters 31M", "parameters 70M", "parameters 160M", "parameters 410M"]),
    ("255B / A36B", None, ["parameters 255B", "active_parameters 36B"]),
    ("A32/355B", None, ["active_parameters 32B", "parameters 355B"]),
    ("238B (21B active)", None, ["active_parameters 21B", "parameters 238B"]),
    ("8x7B", None, ["architecture moe"]),
    ("20B (1T tokens)", None, ["parameters 20B"]),
    ("8×22B", None, ["architecture moe"]),
    ("0.5~72B (7档)", None, ["parameter_range 500M..72B"]),
    (r"0.5\~110B (7档)", None, ["parameter_range 500M..110B"]),
    ("52B / 102B / 1TB", None, ["parameters 52B", "parameters 102B", "parameters 1T"]),
    ("4B{Hybrid, Thinking-2507}", None, ["parameters 4B"]),
    ("7B/7B-Chat 13B/13B-Chat", None, ["parameters 7B", "parameters 13B"]),
    ("1.76亿", None, ["parameters 176M"]),
    ("8-7B", None, []),  # no range, and not two sizes: reported as unread
    # an architecture word in a size cell (issue 21, seen on real lists)
    ("Dense 7B", None, ["architecture dense", "parameters 7B"]),
    ("1.5B-70B dense", None, ["architecture dense", "parameter_range 1.5B..70B"]),
    ("389B MoE", None, ["architecture moe", "parameters 389B"]),
    ("12B-398B MoE", None, ["architecture moe", "parameter_range 12B..398B"]),
    ("3B MoE (570M active)", None, ["architecture moe", "active_parameters 570M", "parameters 3B"]),
    ("86M, 22M", None, ["parameters 86M", "parameters 22M"]),
    ("-", None, []),
    ("Undisclosed", None, []),
]


@pytest.mark.parametrize(("cell", "unit", "expected"), SIZE_CELLS, ids=[row[0] for row in SIZE_CELLS])
def test_size_cells(cell, unit, expected):
    claims, _ = cell_claims("parameters", "Size", cell, unit, load_rules())
    assert sorted(spec(c) for c in claims) == sorted(expected)


CONTEXT_CELLS = [
    ("2048", ["context_length 2048"]),
    ("4K", ["context_length 4000"]),
    ("2K/32K", ["context_length 2000", "context_length 32000"]),
    (
        "128k, 256k, 512k, 1M",
        ["context_length 128000", "context_length 256000", "context_length 512000", "context_length 1000000"],
    ),
    ("4096-16K with Sliding Windows", ["context_length 4096", "context_length 16000"]),
    ("84k (ALiBi)", ["context_length 84000"]),
    ("unlimited(RNN), trained on 4096 (and 16k for 3b)", ["context_length 4096", "context_length 16000"]),
    ("200k ≈ 400,000 Chinese characters", ["context_length 200000"]),
    ("infinity (RNN)", []),
]


@pytest.mark.parametrize(("cell", "expected"), CONTEXT_CELLS, ids=[row[0] for row in CONTEXT_CELLS])
def test_context_cells(cell, expected):
    claims, _ = cell_claims("context_length", "Context", cell, None, load_rules())
    assert [spec(c) for c in claims] == expected


TOKEN_CELLS = [
    ("1.4T", None, ["training_tokens 1.4T"]),
    ("1T/1.4", None, ["training_tokens 1T", "training_tokens 1.4T"]),
    ("2.6万亿", None, ["training_tokens 2.6T"]),
    ("3", "t", ["training_tokens 3T"]),
    ("Yi-9B: 0.8T tokens more", None, ["training_tokens 800B"]),
]


@pytest.mark.parametrize(("cell", "unit", "expected"), TOKEN_CELLS, ids=[row[0] for row in TOKEN_CELLS])
def test_token_cells(cell, unit, expected):
    claims, _ = cell_claims("training_tokens", "Tokens", cell, unit, load_rules())
    assert [spec(c) for c in claims] == expected


LICENCE_CELLS = [
    ("Apache 2.0", ["license_id apache-2.0"]),
    ("Apache 2.0, CC BY-SA-3.0", ["license_id apache-2.0", "license_id cc-by-sa-3.0"]),
    ("Meta Llama 3 Community License Agreement", ["license_id llama3"]),
    ("Llama 2 Community License: free if you have under 700M users", ["license_id llama2", "license conditional"]),
    ("Gemma Terms of Use Free with usage restriction", ["license_id gemma", "license conditional"]),
    ("OpenRAIL-M v1", ["license_id openrail"]),
    ("Custom", ["license_id other"]),
    ("Sarashina Model NonCommercial License", ["license_id other", "license non_commercial"]),
    ("RAIL License v1.0", ["license_id bigscience-bloom-rail-1.0"]),
    ("CC BY-NC 4.0", ["license_id cc-by-nc-4.0"]),
    # a custom variant of a known licence is a licence of its own (issue 21)
    ("Custom Apache 2.0 with an acceptable use policy", ["license_id other"]),
    ("Modified MIT", ["license_id other"]),
    ("Proprietary", ["license_id other"]),
]


@pytest.mark.parametrize(("cell", "expected"), LICENCE_CELLS, ids=[row[0] for row in LICENCE_CELLS])
def test_licence_cells(cell, expected):
    claims, _ = cell_claims("license", "Licence", cell, None, load_rules())
    assert sorted(spec(c) for c in claims) == sorted(expected)


COMMERCIAL_CELLS = [
    ("可商用", ["license commercial"]),
    ("部分可商用", ["license conditional"]),
    ("商用需授权", ["license conditional"]),
    ("授权后可商用", ["license conditional"]),
    ("是", ["license commercial"]),
    ("否", ["license non_commercial"]),
    ("不可商用", ["license non_commercial"]),
]


@pytest.mark.parametrize(("cell", "expected"), COMMERCIAL_CELLS, ids=[row[0] for row in COMMERCIAL_CELLS])
def test_commercial_use_cells(cell, expected):
    claims, _ = cell_claims("commercial", "是否可商用", cell, None, load_rules())
    assert [spec(c) for c in claims] == expected


LANGUAGE_CELLS = [
    ("中英", ["languages zh,en"]),
    ("en/zh", ["languages en,zh"]),
    ("English, Chinese", ["languages en,zh"]),
    ("英", ["languages en"]),
    ("多语", []),
    ("Spanish/Portuguese", ["languages es,pt"]),
    ("中、英、俄、西、法、葡", ["languages zh,en,ru,es,fr,pt"]),
]


@pytest.mark.parametrize(("cell", "expected"), LANGUAGE_CELLS, ids=[row[0] for row in LANGUAGE_CELLS])
def test_language_cells(cell, expected):
    claims, _ = cell_claims("languages", "语言", cell, None, load_rules())
    assert [spec(c) for c in claims] == expected


NAMES = [
    ("Llama-3.1-8B", ["parameters 8B"]),
    ("源2.0-102B", ["parameters 102B"]),
    ("Qwen2.5-1M", ["context_length 1000000"]),
    ("Qwen2.5 1M (Long Context)", ["context_length 1000000"]),
    ("Qwen2.5-1M-7|14B", ["context_length 1000000", "parameters 7B", "parameters 14B"]),
    ("Mixtral 8x7B", ["architecture moe"]),
    ("Llama 3.1-8|70|405B", ["parameters 8B", "parameters 70B", "parameters 405B"]),
    ("DeepSeek-Coder-1.3|6.7|33B", ["parameters 1.3B", "parameters 6.7B", "parameters 33B"]),
    ("Qwen1.5-MoE-A2.7B", ["architecture moe", "active_parameters 2.7B"]),
    ("pythia-70m", ["parameters 70M"]),
    ("YI-200K", ["context_length 200000"]),
    ("GPT-NeoX-20B", ["parameters 20B"]),
    ("Qwen-1_8B", ["parameters 1.8B"]),  # an underscore decimal, as in the repo `Qwen/Qwen-1_8B`
    ("InternLM2-1_8B", ["parameters 1.8B"]),
    ("Qwen2", []),
    ("ChatGLM3", []),
]


@pytest.mark.parametrize(("name", "expected"), NAMES, ids=[row[0] for row in NAMES])
def test_names(name, expected):
    assert [spec(c) for c in claims_from_name(name, load_rules())] == expected


PROSE = [
    # the entry's own numbers
    ("百亿参数", ["parameters 10B"]),
    (
        "MoE language model with 32B active and 1T total parameters",
        ["architecture moe", "active_parameters 32B", "parameters 1T"],
    ),
    ("1.4T 中英 token 训练", ["training_tokens 1.4T"]),
    ("上下文长度扩展到 32K", ["context_length 32000"]),
    # numbers about something else
    ("月活用户小于7亿可免费商用", ["license conditional"]),
    ("An RLHF framework (70B+ full tuning)", []),
    ("runs 7B models on a laptop", []),
    ("a merge of 3 Mistral-7B models", ["base_model mistral"]),
    ("based on openflamingo-9B", []),
    ("模型主干为LlaMA-7b", ["base_model llama"]),
    ("outperforms Llama 2 13B on all benchmarks", ["qualitative -"]),
    ("release for 70B coming up", []),
    ("52K 条指令数据", []),
    ("tracks 4,000+ models", []),
    ("commercial use allowed under 700M monthly active users", ["license conditional"]),
    ("Apache 2.0 licence", ["license_id apache-2.0"]),
    ("355B/32B MoE 架构", ["parameters 355B", "active_parameters 32B", "architecture moe"]),
    ("支持 100 万 token 长上下文", ["context_length 1000000"]),
    ("上下文窗口长度为4096", ["context_length 4096"]),
    ("MIT 协议开源", ["license_id mit"]),
    ("约 1T 标识符的中英双语训练", ["training_tokens 1T", "languages zh,en"]),
    ("a 300B (deduplicated 207B) token dataset", ["training_tokens 300B"]),
    ("trained on 80% (800B) of its data", []),
    # issue 21: words read as claims they are not, and words missed (each seen on a real list)
    ("First 400B+ open model", []),  # a threshold, not a size
    ("LLaMA-7B+LoRA的金融大模型", ["base_model llama", "parameters 7B"]),  # a plus that joins is no threshold
    ("单卡即可微调70亿参数定制化模型", []),  # what a toolkit can fine-tune
    ("Custom Apache 2.0 with an acceptable use policy", ["license_id other"]),
    ("Dense 7B", ["architecture dense", "parameters 7B"]),
    ("1.5B-70B dense", ["parameter_range 1.5B..70B", "architecture dense"]),
    ("dense retrieval", []),
    ("389B MoE", ["parameters 389B", "architecture moe"]),
    ("3B MoE (570M active)", ["parameters 3B", "architecture moe", "active_parameters 570M"]),
    ("Encoders of 86M, 22M", ["parameters 86M", "parameters 22M"]),
    ("86M, 22M downloads", []),
    ("long context (32K+)", ["context_length 32000"]),
    ("commercial license", ["license commercial"]),
    ("permissive commercial license", ["license commercial"]),
    ("Fully open-source with commercial license", ["license open_source", "license commercial"]),
    ("MIT licensed update", ["license_id mit"]),
    ("MIT and Stanford researchers", []),
    ("native Spanish/Portuguese support", ["languages es,pt"]),
    ("PolyLM覆盖中、英、俄、西、法、葡、德、意等语种", ["languages zh,en,ru,es,fr,pt,de,it"]),
    ("支持中、英两种语言", ["languages zh,en"]),
    ("first Chinese RL reasoning model", []),
    ("tops Chinese benchmarks", []),
    ("Chinese-English bilingual", ["languages zh,en"]),
    # issue 21, heading articles in prose (FindTheChatGPTer): Alpaca and LLaMA as a project, an
    # approach, data or an example; sizes of examples and helper models; languages talked about
    ("基于 Stanford Alpaca ，实现基于Bloom、LLama的监督微调", ["base_model bloom", "base_model llama"]),
    ("斯坦福 Alpaca 模型使用的数据集", []),
    ("随着斯坦福Alpaca的出现，一大堆基于LLama的羊驼家族开始出现", ["base_model llama"]),
    ("斯坦福学者继推出alpaca后，推出一个全新模型", []),
    ("微调部分仍然是经典的Alpaca、CodeAlpaca、Guanaco等", []),
    ("该工作主要针对传统Alpaca等只有单项输入的缺点出发", []),
    ("其在Vicuna GPT-4评测中，性能超过了ChatGPT", []),
    ("成本却大幅度降低。例如，一个130亿参数的类ChatGPT模型，只需1.25小时就能完成训练。", []),
    ("支持个性化训练。例如LLaMA-7B，一张3090耗时 5 个小时即可完成训练。", []),
    ("支持多种尺寸，例如7B和13B", ["parameters 7B", "parameters 13B"]),  # not at a sentence's start: the entry's own
    ("OpenChatKit采用一个60亿参数的审核模型", []),
    ("正在尝试用该项目训练650亿甚至更高参数量的大模型", []),
    ("遗憾的是中文名字起的不错，但目前仍然不支持中文", []),
    ("中文的白泽模型据悉在计划中，未来发布", []),
    ("公开测试显示效果不错，但是中文效果尚有不足", []),
    ("但笔者尝试了中文，可谓一塌糊涂", []),
    ("因为Anima的中文语料过少", []),
    ("Stanford Alpaca 的种子任务都是英语，收集的数据也都是英文", []),
    ("使用ChatGPT生成数据对开源模型进行中文优化", ["languages zh"]),  # the model's, not the data's
    ("在英文等语系上效果惊艳，但中文能力有待提升", ["languages en"]),
    # issue 21, a Chinese bullet list by domain (Awesome-Chinese-LLM): a toolkit's reach, the
    # base's licence, languages of benchmarks, an architecture named after a family
    ("只要一张3090，几个小时即可微调130亿参数的专属模型", []),
    ("本项目基于可商用的Llama 2做了中文增量训练", ["base_model llama2", "languages zh"]),
    ("based on the commercial use friendly Llama 2", ["base_model llama2"]),  # not `based on` right before
    ("开源、可商用的中英双语对话模型", ["license commercial", "languages zh,en"]),
    ("在中文和英文 benchmark 上成绩领先", ["qualitative -"]),
    ("在多个中文评测榜单上排名第一", ["qualitative -"]),
    ("模型采用与 Bloom 相同的网络结构，共 70 亿参数", ["parameters 7B"]),
    ("一个基于QLoRA训练的65B中文对话模型", ["parameters 65B", "languages zh"]),
    ("支持商用许可", ["license commercial"]),
    ("第一步：先用中文语料做增量预训练", ["languages zh"]),  # step one, no superlative
    ("第一个开源的中文法律模型", ["qualitative -", "languages zh"]),
    # a toolkit's list of the models it takes is no lineage; a base cue in it still is one
    ("支持绝大部分主流的开源大模型，如Ziya、Bloom、LLaMA等", []),
    ("supports popular open models such as Llama and Mistral", []),
    ("LoRA fine-tuning that works with Falcon, Bloom and more", []),
    ("支持基于LLaMA的模型", ["base_model llama"]),
    ("该项目开源了支持中文的LLaMA模型", ["languages zh", "base_model llama"]),  # no list: a Chinese LLaMA
    # issue 21, an English timeline of bullets (shm007g/LLaMA-Cult-and-More): compared lists,
    # reproductions, libraries; a non-commercial named licence
    ("trained 7B model beat same class GPT-J/Pythia/LLaMA on HELM", ["parameters 7B"]),
    ("超越LLaMA和Falcon", ["qualitative -"]),
    ("基于LLaMA和Falcon", ["base_model llama", "base_model falcon"]),
    ('for reproducing "LLaMA" foundation models', []),
    ("using gpt-neox library", []),
    ("fine-tuned for chat from EleutherAI’s GPT-NeoX-20B with over OIG-43M instructions dataset",
     ["base_model gpt-neox"]),  # `with` ends what a family's dataset words reach
    ("open source reproduction of Meta AI’s LLaMA 7B/3B trained on the RedPajama dataset", []),  # a maker between
    ("first used in Flan-T5 and Flan-PaLM", []),
    ("under a non-commercial CC BY-NC 4.0 license", ["license non_commercial", "license_id cc-by-nc-4.0"]),
    ("CC-By-SA-3.0 (commercially-usable)", ["license_id cc-by-sa-3.0", "license commercial"]),
    ("BigScience Responsible AI License", ["license_id bigscience-bloom-rail-1.0"]),
    ("pretrained on 1500/1000B tokens", ["training_tokens 1.5T", "training_tokens 1T"]),
    ("trained on 1.4T/1T tokens", ["training_tokens 1.4T", "training_tokens 1T"]),
    ("1,500B tokens", ["training_tokens 1.5T"]),  # was read as 500B
    ("LLaMA 7B on one trillion tokens", ["base_model llama", "training_tokens 1T"]),  # a count in words
    ("trained on a trillion tokens", ["training_tokens 1T"]),
    ("a b token", []),
    ("支持LLaMA、Bloom等模型的指令微调", []),
]


@pytest.mark.parametrize(("text", "expected"), PROSE, ids=[row[0] for row in PROSE])
def test_prose(text, expected):
    assert [spec(c) for c in claims_from_text(text, "description", load_rules())] == expected


def test_a_context_with_a_plus_is_a_lower_bound():
    (bound,) = claims_from_text("long context (32K+)", "description", load_rules())
    (exact,) = claims_from_text("支持32K上文", "description", load_rules())
    assert (bound.at_least, exact.at_least) == (True, False)
    assert bound.model_dump()["at_least"] is True and "at_least" not in exact.model_dump()


@pytest.mark.parametrize(
    ("entry", "text", "expected"),
    [
        ("Qwen", "the first Qwen series", []),
        ("Qwen", "基础模型Qwen", []),
        ("通义千问Qwen-7B", "基于Qwen-7B的对话模型", []),
        ("Llama 3.2 Vision", "first Llama multimodal", []),
        ("Baichuan-7B", "Baichuan-13B也已开源", []),  # a sibling, not a base
        ("Llama2-Chinese", "基于Llama2的中文微调", ["base_model llama2"]),  # the name says more: built on it
        ("Code Llama", "based on Llama 2", ["base_model llama2"]),
        ("Chinese-LLaMA-Alpaca", "基于LLaMA", ["base_model llama"]),
        ("Vicuna", "fine-tuned from LLaMA", ["base_model llama"]),
        # a Chinese name is the family's too (wgwang/awesome-LLMs-In-China names its rows so)
        ("百川", "先后开源了baichuan-7B与Baichuan-13B", ["parameters 7B", "parameters 13B"]),  # its members' sizes
        ("通义千问", "开源了Qwen-7B和Qwen-14B", ["parameters 7B", "parameters 14B"]),
        ("Ziya", "基于百川做了继续预训练", ["base_model baichuan"]),
        ("BloomZ", "基于Bloom微调", ["base_model bloom"]),  # BLOOMZ is a family of its own, made from BLOOM
        ("BELLE", "基于BLOOMZ和LLaMA", ["base_model bloomz", "base_model llama"]),
        # another model's lineage (wgwang/awesome-LLMs-In-China's notes column)
        ("本草", "本草基于LLaMA；另有基于 ChatGLM 的Med-ChatGLM", ["base_model llama"]),
        ("XrayGLM", "IvyGPT基于ChatGLM2，XrayGLM基于VisualGLM-6B", []),
        ("IvyGPT", "IvyGPT基于ChatGLM2，XrayGLM基于VisualGLM-6B", ["base_model chatglm"]),
        ("ChatLaw", "ChatLaw-13B基于Ziya-LLaMA-13B-v1", ["parameters 13B", "base_model llama"]),  # built on a model of the family
        ("Chinese-Mixtral-8x7B", "该项目基于Mixtral-8x7B稀疏混合专家模型进行了中文扩词表增量预训练", ["base_model mixtral"]),
        ("Luotuo", "基于已有开源模型（ChatGLM, MOSS, LLaMA）进行二次微调", ["base_model chatglm", "base_model moss",
                                                               "base_model llama"]),
    ],
)  # fmt: skip
def test_the_entrys_own_family_is_no_lineage_claim(entry, text, expected):
    """A family named in the entry's own name is not a lineage claim, nor is a sibling's size
    the entry's; a name that says more than the family is a model built on it."""
    claims = claims_from_text(text, "description", load_rules(), entry_name=entry)
    assert [spec(c) for c in claims if c.kind.value in ("base_model", "parameters")] == expected


def test_languages_named_twice_are_one_claim():
    claims = claims_from_text("中文医疗模型，支持中英双语，回答可用英语", "description", load_rules())
    assert [spec(c) for c in claims if c.kind.value == "languages"] == ["languages zh", "languages zh,en", "languages en"]
    assert [spec(c) for c in dedupe(claims) if c.kind.value == "languages"] == ["languages zh,en"]


@pytest.mark.parametrize(
    ("entry", "text", "expected"),
    [
        ("DeepSeek-Coder", "beats WizardCoder-33B's record of 79.9%", []),
        ("Phi-4-mini", "matches models in the 7B-9B range such as Llama-3.1-8B-Instruct", []),
        ("Qwen2.5", "Qwen2.5-7B and Qwen2.5-72B are released", ["parameters 7B", "parameters 72B"]),
        ("Code Llama", "in 7B, 13B, and 34B sizes", ["parameters 7B", "parameters 13B", "parameters 34B"]),
        ("WizardLM", "同时该团队又发布了WizardCoder-15B大模型", []),  # a Chinese character before the name
        ("OpenFlamingo", "在C4数据集的5M样本和LAION-2B的10M样本上训练而来", []),  # a data set's name
        # the models it is made of (DSXiangLi/DecryptPrompt), not a base's size or its own
        ("PaLM-E", "540B的PaLM语言模型和22B的ViT视觉模型相结合，得到562B的PaLM-E模型", ["parameters 562B"]),
        ("Alpaca", "使用52k数据在7B的LLaMA上微调得到", ["parameters 7B"]),
        ("Baichuan-7B", "70亿参数的Baichuan模型", ["parameters 7B"]),
    ],
)  # fmt: skip
def test_a_size_glued_to_another_models_name_is_that_models(entry, text, expected):
    claims = claims_from_text(text, "description", load_rules(), entry_name=entry)
    assert [spec(c) for c in claims if c.kind.value == "parameters"] == expected
