"""Documents in the wild: every style a list of models comes in, read entry by entry.

Each document under tests/data/wild/ was written for these tests in the style of a real
public list (Chinese awesome lists with `地址`/`简介` sub-items, English link lists with
sizes folded into names and vendors in `<details>`, survey READMEs with HTML tables,
heading-per-model articles, tables with headers no vocabulary lists). Next to each
catalog stands something that is not one - a dataset list, a benchmark table, a tools
section, a quick-start - and none of it may become an entry.

A claim is `kind value`: sizes as `7B`/`700M`, token counts as `1.4T`, ranges as
`500M..72B`, context lengths in tokens, languages as ISO codes, `-` for qualitative.
"""

from __future__ import annotations

import pytest

from syncer.entries import load_catalog
from syncer.models import Claim, ParameterRange
from tests.conftest import DATA

WILD = DATA / "wild"

DOCUMENTS = {
    "bullets.zh.md": [
        (
            8,
            "ChatGLM2-6B",
            ["THUDM/chatglm2-6b"],
            ["parameters 6B", "languages zh,en", "context_length 32000", "training_tokens 1.4T", "license conditional"],
        ),
        (12, "Baichuan2", [], ["parameters 7B", "parameters 13B", "training_tokens 2.6T", "license conditional"]),
        (15, "书生·浦语", [], ["parameters 104B", "training_tokens 1.6T", "context_length 200000"]),
        (18, "Qwen1.5-MoE-A2.7B", ["Qwen/Qwen1.5-MoE-A2.7B"], ["architecture moe", "active_parameters 2.7B", "parameters 14.3B"]),
        (24, "华佗GPT", [], ["base_model baichuan"]),
        (25, "DoctorGLM", [], ["base_model chatglm", "languages zh"]),
        (26, "轩辕", ["xyz-nlp/XuanYuan2.0"], ["qualitative -", "languages zh", "license conditional"]),
    ],
    "headings.zh.md": [
        (7, "ChatYuan", [], ["parameters 700M", "base_model t5", "languages zh,en"]),
        (13, "MOSS", [], ["parameters 16B", "languages zh,en"]),
        (21, "GPTrillion", [], ["qualitative -", "parameters 1.5T"]),
    ],
    "prose.zh.md": [  # issue 21: Alpaca as an inspiration and data, an example's size, languages talked about
        (7, "Vicuna", [], ["base_model llama", "parameters 13B"]),
        (11, "Baize", [], ["base_model llama", "parameters 7B", "parameters 13B"]),
        (15, "Koala", [], ["base_model llama", "parameters 13B", "languages en"]),
        (19, "BELLE", [], ["base_model bloomz", "languages zh"]),  # `BLOOMZ`: a family of its own, made from BLOOM
    ],
    "html-table.en.md": [
        (17, "BLOOM", ["bigscience/bloom"], ["parameters 176B", "license_id bigscience-bloom-rail-1.0"]),
        (23, "Flan-T5", ["google/flan-t5-xxl"], ["parameters 11B", "license_id apache-2.0"]),
        (28, "GLM", [], ["parameters 130B", "license_id other", "license conditional"]),
    ],
    "inferred.en.md": [
        (
            8,
            "Falcon",
            ["tiiuae/falcon-40b"],
            [
                "parameters 7B",
                "parameters 40B",
                "context_length 2048",
                "license_id apache-2.0",
                "training_tokens 1T",
                "license commercial",
            ],
        ),
        (
            9,
            "Llama 3",
            ["meta-llama/Meta-Llama-3-8B"],
            ["parameters 8B", "parameters 70B", "context_length 8000", "license_id llama3", "license conditional"],
        ),
        (
            10,
            "Gemma",
            ["google/gemma-7b"],
            ["parameters 2B", "parameters 7B", "context_length 8192", "license_id gemma", "license conditional"],
        ),
        (
            11,
            "RWKV-4",
            ["BlinkDL/rwkv-4-pile-14b"],
            [
                "parameter_range 100M..14B",
                "context_length 4096",
                "context_length 16000",
                "license_id apache-2.0",
                "license commercial",
            ],
        ),
        (
            12,
            "Pythia",
            ["EleutherAI/pythia-12b"],
            [
                "parameters 70M",
                "parameters 160M",
                "parameters 410M",
                "parameters 1.4B",
                "parameters 12B",
                "context_length 2048",
                "license_id apache-2.0",
                "license commercial",
            ],
        ),
        (13, "Grok-1", ["xai-org/grok-1"], ["parameters 314B", "context_length 8192", "license_id other", "license commercial"]),
        (
            14,
            "BLOOM",
            ["bigscience/bloom"],
            ["parameters 176B", "context_length 2048", "license_id openrail", "license commercial"],
        ),
    ],
    "links.en.md": [
        (
            12,
            "Qwen1.5-0.5B|1.8B|4B|7B|14B|72B",
            [],
            ["parameters 500M", "parameters 1.8B", "parameters 4B", "parameters 7B", "parameters 14B", "parameters 72B"],
        ),
        (13, "Qwen2.5-1M-7|14B", [], ["context_length 1000000", "parameters 7B", "parameters 14B"]),
        (14, "Qwen2-57B-A14B", ["Qwen/Qwen2-57B-A14B"], ["parameters 57B", "active_parameters 14B", "architecture moe"]),
        (
            21,
            "Llama 3.1-8|70|405B",
            [],
            ["parameters 8B", "parameters 70B", "parameters 405B", "license_id llama3.1", "context_length 128000"],
        ),
        (22, "Llama 2-7|13|70B", [], ["parameters 7B", "parameters 13B", "parameters 70B", "license conditional"]),
        (
            29,
            "Mixtral-8x7B",
            ["mistralai/Mixtral-8x7B-v0.1"],
            ["architecture moe", "license_id apache-2.0", "context_length 32000"],
        ),
        (30, "Mistral-7B", ["mistralai/Mistral-7B-v0.1"], ["parameters 7B", "qualitative -"]),
    ],
    "unfamiliar.zh.md": [
        (
            8,
            "Qwen2.5",
            ["Qwen/Qwen2.5-7B"],
            ["parameter_range 500M..72B", "context_length 128000", "training_tokens 18T", "license commercial"],
        ),
        (
            9,
            "DeepSeek-V2",
            ["deepseek-ai/DeepSeek-V2"],
            [
                "parameters 236B",
                "active_parameters 21B",
                "languages zh,en",
                "architecture moe",
                "context_length 128000",
                "training_tokens 8.1T",
                "license commercial",
            ],
        ),
        (
            10,
            "GLM-130B",
            [],
            ["parameters 130B", "languages zh,en", "context_length 2000", "training_tokens 400B", "license commercial"],
        ),
        (11, "Mixtral", [], ["architecture moe", "languages en", "context_length 32000", "license commercial"]),
        (
            12,
            "Tele-FLM",
            [],
            [
                "parameters 52B",
                "parameters 102B",
                "parameters 1T",
                "languages zh,en",
                "context_length 4000",
                "training_tokens 2T",
                "license commercial",
            ],
        ),
        (13, "Qwen3-4B", [], ["parameters 4B", "context_length 256000", "training_tokens 36T", "license commercial"]),
    ],
    # Issue 21's traps in a timeline table: vendors and marks in the names, milestones, custom
    # licences, `Chinese` naming benchmarks and makers, dense/MoE and active sizes in size cells.
    "timeline.en.md": [
        (10, "Llama 1", [], ["parameter_range 7B..65B", "context_length 2000", "license non_commercial"]),
        (
            11,
            "Llama 2",
            [],
            ["parameters 7B", "parameters 13B", "parameters 70B", "context_length 4000", "license_id llama2",
             "license conditional"],
        ),
        (
            12,
            "Mistral 7B",
            [],
            ["parameters 7B", "architecture dense", "context_length 8000", "license_id apache-2.0", "qualitative -"],
        ),
        (
            13,
            "Mixtral 8x7B",
            [],
            ["architecture moe", "context_length 32000", "license_id apache-2.0", "languages en,fr,de,es,it"],
        ),
        (
            14,
            "Llama 3.1",
            [],
            ["parameters 8B", "parameters 70B", "parameters 405B", "context_length 128000", "license_id llama3.1",
             "languages es,pt"],
        ),
        (
            15,
            "Qwen2.5",
            [],
            ["parameter_range 500M..72B", "context_length 128000", "license_id apache-2.0", "training_tokens 18T",
             "license open_source", "license commercial"],
        ),
        (
            16,
            "Hunyuan-Large",
            [],
            ["architecture moe", "parameters 389B", "context_length 256000", "license_id other", "active_parameters 52B"],
        ),
        (
            17,
            "DeepSeek-V3",
            [],
            ["architecture moe", "active_parameters 37B", "parameters 671B", "context_length 128000", "license_id mit"],
        ),
        (18, "MiniCPM-o 2.6", [], ["parameters 8B", "context_length 32000", "license_id apache-2.0"]),
        (
            19,
            "Granite Embedding",
            [],
            ["parameters 30M", "parameters 278M", "context_length 512", "license_id apache-2.0", "languages en"],
        ),
        (20, "OLMo 2 1B", [], ["parameters 1B", "context_length 4096", "license_id apache-2.0", "license open_source"]),
    ],
    # A Chinese list by domain: descriptions run into the leads, one-item sections, the entry's
    # own family and a sibling in its text, what a toolkit tunes, one-character language lists.
    "domains.zh.md": [
        (8, "Qwen-1_8B", ["Qwen/Qwen-1_8B"], ["parameters 1.8B", "context_length 8000", "license commercial"]),
        (11, "Baichuan-7B", [], ["parameters 7B", "languages zh,en", "training_tokens 1.2T"]),
        (14, "PolyLM", [], ["parameters 1.7B", "parameters 13B", "languages zh,en,ru,es,fr,pt,de,it"]),
        (20, "XrayGLM", [], ["qualitative -", "languages zh"]),
        (23, "MeChat", [], ["languages zh", "base_model chatglm"]),
        (29, "ChatLaw", [], ["parameters 13B", "parameters 33B", "license non_commercial"]),
        (35, "轩辕（XuanYuan）", ["xyz-nlp/XuanYuan2.0"], ["base_model bloom", "parameters 176B", "languages zh,en"]),
    ],
}

_SUFFIX = {"M": 10**6, "B": 10**9, "T": 10**12}


def _count(text: str) -> int:
    return round(float(text[:-1]) * _SUFFIX[text[-1]]) if text[-1] in _SUFFIX else int(text)


def _spec(claim: Claim) -> str:
    value = claim.value
    if isinstance(value, ParameterRange):
        low = _short(value.min) if value.min else ""
        return f"{claim.kind.value} {low}..{_short(value.max)}"
    if isinstance(value, list):
        return f"{claim.kind.value} {','.join(value)}"
    if value is None:
        return f"{claim.kind.value} -"
    if isinstance(value, int) and claim.kind.value in ("parameters", "active_parameters", "training_tokens"):
        return f"{claim.kind.value} {_short(value)}"
    return f"{claim.kind.value} {value}"


def _short(number: int) -> str:
    for suffix in ("T", "B", "M"):
        if number >= _SUFFIX[suffix]:
            return f"{number / _SUFFIX[suffix]:g}{suffix}"
    return str(number)


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_every_entry_and_claim_of_each_style(document):
    catalog = load_catalog(WILD / document)
    actual = [(e.line, e.name, e.hub_links, [_spec(c) for c in e.claims]) for e in catalog.entries]
    assert actual == DOCUMENTS[document]


@pytest.mark.parametrize(
    ("document", "line", "style", "reason"),
    [
        ("bullets.zh.md", 30, "list", "its section is about 数据集"),
        ("links.en.md", 36, "list", "its section is about tools"),
        ("links.en.md", 41, "list", "its section is about leaderboard"),
        ("html-table.en.md", 37, "HTML table", "its section is about evaluation"),
        ("headings.zh.md", 5, "headings", "0 of 2 headings name a model"),
        ("headings.zh.md", 33, "headings", "its section is about 快速开始"),
        ("unfamiliar.zh.md", 17, "table", "its section is about 评测"),
        ("unfamiliar.zh.md", 24, "table", "its section is about 数据集"),
        ("timeline.en.md", 24, "table", "its section is about benchmarks"),
        ("domains.zh.md", 41, "list", "its section is about 数据集"),
    ],
)
def test_what_is_not_a_catalog_is_skipped_with_its_reason(document, line, style, reason):
    readings = {(r.line, r.style): r for r in load_catalog(WILD / document).readings}
    reading = readings[(line, style)]
    assert not reading.catalog and reading.reason.startswith(reason)


def test_an_inferred_name_column_and_unknown_columns_are_reported_not_dropped():
    inferred = load_catalog(WILD / "inferred.en.md")
    assert [(n.line, n.message) for n in inferred.notices] == [
        (6, "table: name column inferred: '(no header)' (inferred: 100% of its cells look like model names)"),
    ]
    columns = {c.header: (c.role, c.how) for c in inferred.readings[0].columns}
    assert columns["Model size"] == ("parameters", "header")
    assert columns["Max Length"] == ("context_length", "header")
    assert columns["Terms"] == ("license", "cells: 7 of 7 are licence names")
    unfamiliar = load_catalog(WILD / "unfamiliar.zh.md")
    assert (6, "table: column(s) '星标' not read: add each header to `columns` in a project vocabulary file, "
                ".syncer/claims.yaml (README: \"Your own words\") "
               "with its role (or `ignore`)") in [(n.line, n.message) for n in unfamiliar.notices]  # fmt: skip


def test_a_statement_above_a_list_speaks_for_each_entry_with_its_own_line():
    """ "These LLMs are all licensed for commercial use" reaches every entry that says nothing
    of commercial use itself; Llama 3's own conditional terms win."""
    entries = {e.name: e for e in load_catalog(WILD / "inferred.en.md").entries}
    falcon = [c for c in entries["Falcon"].claims if c.kind.value == "license"]
    assert [(c.value, c.text, c.field, c.line) for c in falcon] == [("commercial", "commercial use", "document", 4)]
    llama = [c for c in entries["Llama 3"].claims if c.kind.value == "license"]
    assert [(c.value, c.field, c.line) for c in llama] == [("conditional", "Terms", None)]


def test_entries_of_several_styles_come_in_document_order(tmp_path):
    document = tmp_path / "mixed.md"
    document.write_text(
        "## Models\n\n| Model | Params (B) |\n| --- | --- |\n| Falcon | 40 |\n\n"
        "<details><summary>More</summary>\n\n- [Qwen-7B](https://huggingface.co/Qwen/Qwen-7B) - 8K context\n"
        "- [Yi-34B](https://huggingface.co/01-ai/Yi-34B) - bilingual\n</details>\n\n"
        "## Articles\n\n### MPT-30B\n\nMosaicML's 30B model with an 8K context window.\n\n"
        "### Falcon-180B\n\nTII's largest model.\n",
        encoding="utf-8",
    )
    entries = load_catalog(document).entries
    assert [(e.line, e.id, e.section) for e in entries] == [
        (5, "falcon", "Models"),
        (9, "qwen-7b", "More"),
        (10, "yi-34b", "More"),
        (15, "mpt-30b", "Articles"),
        (19, "falcon-180b", "Articles"),
    ]


def test_a_list_of_vendors_over_their_models(tmp_path):
    """`- OpenAI` over `- 2019/02, GPT-2 (1.5B)`: the vendor is the models' section, not a model;
    an item over remarks (`- Falcon` over `- trained on 1T tokens`) stays a model."""
    document = tmp_path / "vendors.md"
    document.write_text(
        "- OpenAI\n  - 2019/02, GPT-2 (1.5B)\n  - 2020/06, GPT-3 (175B): davinci\n"
        "- Nvidia\n  - Megatron-Turing NLG (530B): with Microsoft\n"
        "- Anthropic\n  - Claude-v1: 2023/03, context window 9k/100k tokens\n  - Claude Instant: 2023/03, faster\n"
        "- Falcon\n  - trained on 1T tokens\n  - Apache 2.0\n",
        encoding="utf-8",
    )
    entries = load_catalog(document).entries
    assert [(e.line, e.name, e.section, [_spec(c) for c in e.claims]) for e in entries] == [
        (2, "GPT-2 (1.5B)", "OpenAI", ["parameters 1.5B"]),
        (3, "GPT-3 (175B)", "OpenAI", ["parameters 175B"]),
        (5, "Megatron-Turing NLG (530B)", "Nvidia", ["parameters 530B"]),
        (7, "Claude-v1", "Anthropic", ["context_length 9000", "context_length 100000"]),
        (8, "Claude Instant", "Anthropic", []),
        (9, "Falcon", None, ["training_tokens 1T", "license_id apache-2.0"]),
    ]


def test_a_model_table_with_mirror_and_score_columns_is_still_a_catalog(tmp_path):
    """Download tables in model READMEs: `ModelScope(HF)` columns are mirrors, not models, and one
    score column does not make a benchmark table; `模型名称` names the models over `模型类别`."""
    document = tmp_path / "zoo.md"
    document.write_text(
        "| Model | Transformers(HF) | ModelScope(HF) | OpenXLab(HF) | RewardBench Score | Release Date |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
        "| **InternLM2-1.8B-Reward** | [🤗](https://huggingface.co/internlm/internlm2-1_8b-reward) | a | b | 80.6 | 2024-07 |\n"
        "| **InternLM2.5-7B-Chat-1M** | [🤗](https://huggingface.co/internlm/internlm2_5-7b-chat-1m) | a | b | - | 2024-07 |\n"
        "\n| 模型类别 | 模型名称 | 下载地址 |\n| --- | --- | --- |\n"
        "| 预训练 | Llama-3.2-11B-Vision | [HF](https://huggingface.co/meta-llama/Llama-3.2-11B-Vision) |\n"
        "|  | Llama-3.2-90B-Vision | [HF](https://huggingface.co/meta-llama/Llama-3.2-90B-Vision) |\n",
        encoding="utf-8",
    )
    entries = load_catalog(document).entries
    assert [(e.name, [_spec(c) for c in e.claims], e.hub_links) for e in entries] == [
        ("InternLM2-1.8B-Reward", ["parameters 1.8B"], ["internlm/internlm2-1_8b-reward"]),
        ("InternLM2.5-7B-Chat-1M", ["parameters 7B", "context_length 1000000"], ["internlm/internlm2_5-7b-chat-1m"]),
        ("Llama-3.2-11B-Vision", ["parameters 11B"], ["meta-llama/Llama-3.2-11B-Vision"]),
        ("Llama-3.2-90B-Vision", ["parameters 90B"], ["meta-llama/Llama-3.2-90B-Vision"]),
    ]


def test_a_list_item_with_a_fenced_block_of_facts(tmp_path):
    """`- **Falcon** … [[open]](hf link)` over an indented YAML block of `Key: value` lines."""
    document = tmp_path / "huge.md"
    document.write_text(
        "### Language Model\n\n"
        "- **Falcon** [[TII]]() Jun. 2023 [[open]](https://huggingface.co/tiiuae/falcon-40b)\n\n"
        "  ```yaml\n  Params: 40B\n  Training Data: 1T tokens (RefinedWeb)\n  License: Apache 2.0\n"
        "  Context Length: 2048\n  Training petaFLOPs: 2.5B\n  ```\n\n"
        "- **UL2** [[Google]]() May 2022 [[open]](https://huggingface.co/google/ul2)\n\n"
        "  ```yaml\n  Params: 20B (1T tokens)\n  Architecture: En-De\n  ```\n",
        encoding="utf-8",
    )
    entries = load_catalog(document).entries
    assert [(e.line, e.name, [_spec(c) for c in e.claims], e.hub_links) for e in entries] == [
        (3, "Falcon", ["parameters 40B", "training_tokens 1T", "license_id apache-2.0", "context_length 2048"],
         ["tiiuae/falcon-40b"]),
        (13, "UL2", ["parameters 20B", "architecture encoder-decoder"], ["google/ul2"]),
    ]


@pytest.mark.parametrize(
    ("lead", "name"),
    [
        ("📜 Llama 1 (Meta)", "Llama 1"),  # a marker and a vendor are no part of the name
        ("🔥 Qwen2 (Alibaba Cloud)", "Qwen2"),
        ("Falcon (TII)", "Falcon"),
        ("Open Assistant (Pythia family)", "Open Assistant"),
        ("XrayGLM，首个会看胸部X光片的中文多模态医学大模型", "XrayGLM"),  # a description run into the lead
        ("MeChat，中文心理健康支持对话大模型", "MeChat"),
        ("ChatLaw-法律大模型", "ChatLaw"),  # `大模型` goes whole, with the domain before it
        ("夫子•明察司法大模型", "夫子•明察"),
        ("天文大语言模型StarGLM", "StarGLM"),
        ("MOSS （更新于2023年4月21日）", "MOSS"),  # when the entry was written
        ("聚宝盆(Cornucopia)", "聚宝盆(Cornucopia)"),  # an alias stays
        ("GPT-2 (1.5B)", "GPT-2 (1.5B)"),  # one size: how the model is called
        # sizes, variants and a status are not the name (shm007g/LLaMA-Cult-and-More)
        ("OPT (125M/350M/1.3B/2.7B/6.7B/13B/30B/66B/175B)", "OPT"),
        ("GPT-Neo (125M/1.3B/2.7B)(Deprecated)", "GPT-Neo"),
        ("Baichuan 2 (7B, 13B)", "Baichuan 2"),
        ("GPT-4(-8k/32k)", "GPT-4"),
        ("Qwen2.5 1M (Long Context)", "Qwen2.5 1M (Long Context)"),
    ],
)  # fmt: skip
def test_names_as_a_person_would_type_them(lead, name):
    from syncer.entries.records import clean_lead
    from syncer.rules import load_rules

    assert clean_lead(lead, load_rules()) == name


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("[盘古](https://a.example/p),[盘古气象](https://b.example/w),[盘古-Σ](https://c.example/s)",
         ["盘古", "盘古气象", "盘古-Σ"]),
        ("[XrayGLM](https://github.com/WangRongsheng/XrayGLM),[IvyGPT](https://github.com/WangRongsheng/IvyGPT)",
         ["XrayGLM", "IvyGPT"]),
        ("XVERSE-7B, XVERSE-13B, XVERSE-65B", ["XVERSE-7B", "XVERSE-13B", "XVERSE-65B"]),
        ("[华佗](https://h.example)，[凤凰](https://f.example)", ["华佗", "凤凰"]),
        # one model each
        ("Baichuan 2 (7B, 13B)", None),
        ("7B, 13B", None),
        ("Qwen-7B/14B", None),
        ("XrayGLM，首个会看胸部X光片的中文多模态医学大模型", None),
        ("MeChat，中文心理健康支持对话大模型", None),
        ("LLaMA", None),
    ],
)  # fmt: skip
def test_a_name_cell_of_several_models_is_an_entry_each(cell, names):
    from syncer.documents import read_cell
    from syncer.entries.names import split_names
    from syncer.rules import load_rules

    parts = split_names(cell, read_cell, load_rules())
    assert (None if parts is None else [read_cell(part).text for part in parts]) == names


def test_each_model_of_a_row_keeps_its_own_link_and_its_own_lineage(tmp_path):
    document = tmp_path / "makers.md"
    document.write_text(
        "| 序号 | 机构 | 模型 | 备注 |\n|---|---|---|---|\n"
        "| 42 | 澳门理工大学 | [XrayGLM](https://github.com/WangRongsheng/XrayGLM),"
        "[IvyGPT](https://github.com/WangRongsheng/IvyGPT) | IvyGPT基于ChatGLM2，XrayGLM基于VisualGLM-6B |\n"
        "| 47 | 港中文深圳 | [华佗](https://github.com/FreedomIntelligence/HuatuoGPT)，"
        "[凤凰](https://huggingface.co/FreedomIntelligence/phoenix-inst-chat-7b) | |\n",
        encoding="utf-8",
    )
    catalog = load_catalog(document)
    assert [(e.name, e.line, e.hub_links, [_spec(c) for c in e.claims]) for e in catalog.entries] == [
        ("XrayGLM", 3, [], []),
        ("IvyGPT", 3, [], ["base_model chatglm"]),
        ("华佗", 4, [], []),
        ("凤凰", 4, ["FreedomIntelligence/phoenix-inst-chat-7b"], []),  # LLMZoo's README names this repo
    ]
    assert sum("a row of 2 models" in notice.message for notice in catalog.notices) == 2


def test_what_is_taken_out_of_a_name_is_still_read_as_its_claims(tmp_path):
    document = tmp_path / "sizes.md"
    document.write_text("| Model | Notes |\n|---|---|\n| OPT (125M/350M/1.3B) | Meta's open pre-trained models |\n"
                        "| GPT-4(-8k/32k) | OpenAI's |\n", encoding="utf-8")  # fmt: skip
    assert [(e.name, [_spec(c) for c in e.claims]) for e in load_catalog(document).entries] == [
        ("OPT", ["parameters 125M", "parameters 350M", "parameters 1.3B"]),
        ("GPT-4", ["context_length 8000", "context_length 32000"]),
    ]


def test_an_item_that_says_it_is_a_dataset_is_no_model(tmp_path):
    """An English timeline (shm007g/LLaMA-Cult-and-More) lists The Pile among the models it was
    used for; its 300B tokens are the data's, not a model's."""
    document = tmp_path / "timeline.md"
    document.write_text(
        "## Base models\n\n"
        "- GPT-J (6B): 2021/06, trained on the Pile dataset, Apache-2.0 license\n"
        "- The Pile: 2020/12/31, a 300B token open source English-only language modelling dataset\n"
        "- GPT-NeoX (20B): 2022/04, trained on the Pile, Apache-2.0 license\n",
        encoding="utf-8",
    )
    catalog = load_catalog(document)
    assert [e.name for e in catalog.entries] == ["GPT-J (6B)", "GPT-NeoX (20B)"]
    assert [(n.line, n.message) for n in catalog.notices if "data" in n.message] == [
        (4, "item read as data, not a model: 'The Pile'")]  # fmt: skip


def test_makers_over_their_models_are_groups_not_models(tmp_path):
    """`<summary>Alibaba</summary>` over linked models that are not on the Hub: the maker is a
    section, its models the entries - even a maker with one model."""
    document = tmp_path / "makers.md"
    document.write_text(
        "## Open LLM\n<details>\n<summary>Alibaba</summary>\n\n"
        "  - [Qwen2-0.5B|1.5B|7B|72B](https://qwenlm.github.io/blog/qwen2)\n"
        "  - [CodeQwen1.5-7B](https://qwenlm.github.io/blog/codeqwen1.5/)\n\n</details>\n"
        "<details>\n<summary>Apple</summary>\n\n  - [OpenELM-1.1|3B](https://arxiv.org/abs/2404.14619)\n\n</details>\n",
        encoding="utf-8",
    )
    entries = load_catalog(document).entries
    assert [(e.name, e.section) for e in entries] == [
        ("Qwen2-0.5B|1.5B|7B|72B", "Alibaba"), ("CodeQwen1.5-7B", "Alibaba"), ("OpenELM-1.1|3B", "Apple"),
    ]  # fmt: skip


def test_a_context_cell_with_a_plus_is_a_lower_bound():
    """`32K+` in a context column: at least 32K, checked as such (any larger window reaches it)."""
    entries = {e.name: e for e in load_catalog(WILD / "timeline.en.md").entries}
    (context,) = [c for c in entries["MiniCPM-o 2.6"].claims if c.kind.value == "context_length"]
    assert (context.value, context.text, context.at_least) == (32_000, "32K+", True)
