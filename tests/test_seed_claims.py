"""The seed catalog, row by row: what each of its 85 entries claims.

This table is the specification of claim extraction for the seed. It was written by
reading every row (the comment above each case is the row's name and description);
a claim is `kind value «exact words»`. Values: sizes as `7B`/`2.7B`/`100M`, token counts
as `3.5T`, ranges as `7B..65B` (`..175B` has no lower end), context lengths in tokens,
languages as ISO codes, `-` for qualitative claims.

Judgement calls, so the next reader does not have to re-derive them:
- A base model's size is part of the lineage claim, not a size of the entry:
  `以LLama13B为基础` is Vicuna's lineage (LLaMA), and `在GPT-J-6B上微调` does not claim
  Dolly-v2 is 6B. A fine-tune may well differ in size from its base (issue 11).
- `规模最大176B` ("largest size 176B") is an upper bound, like `up to 175B`.
- Not claims: compared models and their sizes (`全面超越13B的Llama2`, `碾压LLaMA2`,
  `和Bloom相似`), dataset sizes (`52K数据`, `80k ShareGPT对话`, `100k self-chat`),
  hardware (`A100（40G * 8）`), character counts (`25w 字`), counts of datasets and models
  (`7个指令微调数据集`, `7个模型`), a publisher named like a family (`Mistral AI`,
  `Qwen推出`), a dataset named like a family (`alpaca52K数据`, `Alpaca前成员`), an
  implementation (`implementation of Llama`), a university (`港中文`).
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

import pytest

from syncer.entries import load_catalog
from syncer.models import Claim, ParameterRange
from tests.conftest import SEED

SEED_CLAIMS = [
    # --- 国外开源模型 ---
    # OpenSora | 高效复现类Sora视频生成的完全开源方案
    (59, "opensora", [
        "license open_source «完全开源»",
    ]),
    # GROK | 3140亿参数的混合专家模型，迄今参数量最大的开源LLM
    (60, "grok", [
        "parameters 314B «3140亿参数»",
        "architecture moe «混合专家»",
        "qualitative - «迄今参数量最大的开源LLM»",
    ]),
    # Gemma | 谷歌商场开源模型2B，7B免费商用，开源第一易主了
    (61, "gemma", [
        "parameters 2B «2B»",
        "parameters 7B «7B»",
        "license commercial «免费商用»",
        "qualitative - «开源第一易主了»",
    ]),
    # Mixtral | Mistral AI的突破性大模型，超越GPT3.5，重新定义人工智能性能和多样性
    (62, "mixtral", [
        "qualitative - «Mistral AI的突破性大模型»",
        "qualitative - «超越GPT3.5»",
    ]),
    # Mistral7B | “欧洲OpenAI”的“最强7B开源模型”，全面超越13B的Llama2
    (63, "mistral7b", [
        "parameters 7B «7B»",
        "qualitative - «欧洲OpenAI”的“最强7B开源模型»",
        "qualitative - «全面超越13B的Llama2»",
    ]),
    # LLama2 | Open Meta带着可商用开源的羊驼2模型来了~
    (64, "llama2", [
        "license commercial «可商用»",
    ]),
    # LLama | Meta开源指令微调LLM，规模70亿到650亿不等
    (65, "llama", [
        "parameter_range 7B..65B «70亿到650亿»",
    ]),
    # WizardLM | 微软新发布13B，登顶AlpacaEval开源模型Top3，使用ChatGPT对指令进行复杂度进化微调LLama2
    (66, "wizardlm", [
        "parameters 13B «13B»",
        "qualitative - «登顶AlpacaEval开源模型Top3»",
        "base_model llama2 «微调LLama2»",
    ]),
    # Falcon | 阿联酋技术研究所推出，3.5万亿token训练，性能直接碾压LLaMA2
    (67, "falcon", [
        "training_tokens 3.5T «3.5万亿token»",
        "qualitative - «性能直接碾压LLaMA2»",
    ]),
    # Vicuna | Alpaca前成员等开源以LLama13B为基础使用ShareGPT指令微调的模型，提出了用GPT4来评测模型效果
    (68, "vicuna", [
        "base_model llama «以LLama13B为基础»",
    ]),
    # OpenChat | 80k ShareGPT对话微调LLama-2 13B开源模型中的战斗机
    (69, "openchat", [
        "base_model llama2 «微调LLama-2 13B»",
    ]),
    # Guanaco | LLama 7B基座，在alpaca52K数据上加入534K多语言指令数据微调
    (70, "guanaco", [
        "base_model llama «LLama 7B基座»",
    ]),
    # MPT | MosaicML开源的预训练+指令微调的新模型，可商用，支持84k tokens超长输入
    (71, "mpt", [
        "license commercial «可商用»",
        "context_length 84000 «支持84k tokens»",
    ]),
    # RedPajama | RedPajama项目既开源预训练数据后开源3B，7B的预训练+指令微调模型
    (72, "redpajama", [
        "parameters 3B «3B»",
        "parameters 7B «7B»",
    ]),
    # koala | 使用alpaca、HC3等开源指令集+ShareGPT等ChatGPT数据微调llama，在榜单上排名较高
    (73, "koala", [
        "base_model llama «微调llama»",
        "qualitative - «在榜单上排名较高»",
    ]),
    # ChatLLaMA | 基于RLHF微调了LLaMA
    (74, "chatllama", [
        "base_model llama «微调了LLaMA»",
    ]),
    # Alpaca | 斯坦福开源的使用52k数据在7B的LLaMA上微调得到
    (75, "alpaca", [
        "parameters 7B «7B»",
        "base_model llama «LLaMA上微调»",
    ]),
    # Alpaca-lora | LORA微调的LLaMA
    (76, "alpaca-lora", [
        "base_model llama «微调的LLaMA»",
    ]),
    # Dromedary | IBM self-aligned model with the LLaMA base
    (77, "dromedary", [
        "base_model llama «the LLaMA base»",
    ]),
    # ColossalChat | HPC-AI Tech开源的Llama+RLHF微调
    (78, "colossalchat", [
        "base_model llama «Llama»",
    ]),
    # MiniGPT4 | Vicuna+BLIP2 文本视觉融合
    (79, "minigpt4", [
        "base_model vicuna «Vicuna»",
    ]),
    # StackLLama | LLama使用Stackexchange数据+SFT+RL
    (80, "stackllama", [
        "base_model llama «LLama»",
    ]),
    # Cerebras | Cerebras开源了1亿到130亿的7个模型，从预训练数据到参数全开源
    (81, "cerebras", [
        "parameter_range 100M..13B «1亿到130亿»",
        "license open_source «全开源»",
    ]),
    # Dolly-v2 | 可商用7b指令微调开源模型在GPT-J-6B上微调
    (82, "dolly-v2", [
        "license commercial «可商用»",
        "parameters 7B «7b»",
        "base_model gpt-j «在GPT-J-6B上微调»",
    ]),
    # OpenChatKit | openai研究员打造GPT-NoX-20B微调+6B审核模型过滤
    (83, "openchatkit", [
        "base_model gpt-neox «GPT-NoX-20B微调»",
        # `6B审核模型`: the moderation model's size, not the chat model's (20B, its base's)
    ]),
    # MetaLM | 微软开源的大规模自监督预训练模型
    (84, "metalm", []),
    # Amazon Titan | 亚马逊在aws上增加自家大模型
    (85, "amazon-titan", []),
    # OPT-IML | Meta复刻GPT3，up to 175B, 不过效果并不及GPT3
    (86, "opt-iml", [
        "parameter_range ..175B «up to 175B»",
        "qualitative - «不过效果并不及GPT3»",
    ]),
    # Bloom | BigScience出品，规模最大176B
    (87, "bloom", [
        "parameter_range ..176B «规模最大176B»",
    ]),
    # BloomZ | BigScience出品, 基于Bloom微调
    (88, "bloomz", [
        "base_model bloom «基于Bloom微调»",
    ]),
    # Galacia | 和Bloom相似，更针对科研领域训练的模型
    (89, "galacia", []),
    # T0 | BigScience出品，3B~11B的在T5进行指令微调的模型
    (90, "t0", [
        "parameter_range 3B..11B «3B~11B»",
        "base_model t5 «在T5»",
    ]),
    # EXLLama | Python/C++/CUDA implementation of Llama for use with 4-bit GPTQ weight
    (91, "exllama", []),
    # LongChat | llama-13b使用condensing rotary embedding technique微调的长文本模型
    (92, "longchat", [
        "base_model llama «llama-13b»",
    ]),
    # MPT-30B | MosaicML开源的在8Ktoken上训练的大模型
    (93, "mpt-30b", [
        "parameters 30B «30B»",
        "context_length 8000 «8Ktoken»",
    ]),
    # --- 国内开源模型 ---
    # BayLing | 中科院开源，性能媲美GPT-3.5，基于LLama7B/13B，增强的语言对齐的英语/中文大语言模型
    (99, "bayling", [
        "qualitative - «性能媲美GPT-3.5»",
        "base_model llama «基于LLama7B/13B»",
        "languages en,zh «英语/中文»",
    ]),
    # GLM | 清华发布的中英双语双向密集模型，具有1300亿个参数，使用通用语言模型（GLM）算法进行预训练。
    #   它旨在支持在单台 A100（40G * 8）或V100（32G * 8）服务器上支持 130B 参数的推理任务。
    (100, "glm", [
        "languages zh,en «中英双语»",
        "architecture dense «双向密集模型»",
        "parameters 130B «1300亿个参数»",
    ]),
    # XWin-LM | 一款基于Llama2微调的语言模型,成功在斯坦福AlpacaEval上击败了GPT-4,成为新的榜首模型
    (101, "xwin-lm", [
        "base_model llama2 «基于Llama2微调»",
        "qualitative - «成功在斯坦福AlpacaEval上击败了GPT-4»",
        "qualitative - «成为新的榜首模型»",
    ]),
    # XVERSE | 元象科技自主研发的支持多语言的大语言模型（Large Language Model），参数规模为650亿，底座模型 XVERSE-65B
    (102, "xverse", [
        "parameters 65B «参数规模为650亿»",
    ]),
    # XVERSE-256K | 最大支持 256K 的上下文窗口长度，约 25w 字的输入内容，可以协助进行文献总结、报告分析等任务
    (103, "xverse-256k", [
        "context_length 256000 «256K»",
    ]),
    # ChatGLM3 | 智谱AI训练的第三代大型语言模型，它不仅能理解和生成人类语言，还能执行代码、调用工具，并以markdown格式进行响应
    (104, "chatglm3", []),
    # ChatGLM2 | 具备强大的问答和对话功能，拥有最大32K上下文，并且在授权后可免费商用！
    (105, "chatglm2", [
        "qualitative - «具备强大的问答和对话功能»",
        "context_length 32000 «最大32K上下文»",
        "license commercial «授权后可免费商用»",
    ]),
    # ChatGLM | 清华开源的、支持中英双语的对话语言模型，使用了代码训练，指令微调和RLHF
    (106, "chatglm", [
        "languages zh,en «中英双语»",
    ]),
    # Orion-14B-Base | 具有140亿参数的多语种大模型，该模型在一个包含2.5万亿token的多样化数据集上进行了训练，
    #   涵盖了中文、英语、日语、韩语等多种语言。
    (107, "orion-14b-base", [
        "parameters 14B «14B»",
        "training_tokens 2.5T «2.5万亿token»",
        "languages zh,en,ja,ko «中文、英语、日语、韩语»",
    ]),
    # Baichuan2 | 百川第二代也出第二个版本了，提供了7B/13B Base和chat的版本
    (108, "baichuan2", [
        "parameters 7B «7B»",
        "parameters 13B «13B»",
    ]),
    # Baichuan | 百川智能开源7B大模型可商用免费
    (109, "baichuan", [
        "parameters 7B «7B»",
        "license commercial «可商用免费»",
    ]),
    # ziya2 | 基于Llama2训练的ziya2它终于训练完了
    (110, "ziya2", [
        "base_model llama2 «基于Llama2»",
    ]),
    # ziya | IDEA研究院在7B/13B llama上继续预训练+SFT+RM+PPO+HFTT+COHFT+RBRS
    (111, "ziya", [
        "parameters 7B «7B»",
        "parameters 13B «13B»",
        "base_model llama «llama上继续预训练»",
    ]),
    # Qwen1.5-MoE-A2.7B | Qwen推出MOE版本，推理更快
    (112, "qwen1-5-moe-a2-7b", [
        "architecture moe «MoE»",
        "active_parameters 2.7B «A2.7B»",
        "qualitative - «推理更快»",
    ]),
    # Qwen1.5 | 通义千问升级1.5，支持32K上文
    (113, "qwen1-5", [
        "context_length 32000 «支持32K上文»",
    ]),
    # Qwen1-7B+14B+70B | 阿里开源，可商用，通义千问7B,14B,70B Base和chat模型
    (114, "qwen1-7b-14b-70b", [
        "parameters 7B «7B»",
        "parameters 14B «14B»",
        "parameters 70B «70B»",
        "license commercial «可商用»",
    ]),
    # InternLM2 7B+20B | 商汤的书生模型2支持200K
    (115, "internlm2-7b-20b", [
        "parameters 7B «7B»",
        "parameters 20B «20B»",
        "context_length 200000 «支持200K»",
    ]),
    # Yuan-2.0 | 浪潮发布Yuan2.0 2B，51B，102B
    (116, "yuan-2-0", [
        "parameters 2B «2B»",
        "parameters 51B «51B»",
        "parameters 102B «102B»",
    ]),
    # YI-200K | 元一智能开源超长200K的6B，34B模型
    (117, "yi-200k", [
        "context_length 200000 «200K»",
        "parameters 6B «6B»",
        "parameters 34B «34B»",
    ]),
    # YI | 元一智能开源34B，6B模型
    (118, "yi", [
        "parameters 34B «34B»",
        "parameters 6B «6B»",
    ]),
    # DeepSeek-MOE | 深度求索发布的DeepSeekMoE 16B Base和caht模型
    (119, "deepseek-moe", [
        "architecture moe «MOE»",
        "parameters 16B «16B»",
    ]),
    # DeepSeek | 深度求索发布的7B，67B大模型
    (120, "deepseek", [
        "parameters 7B «7B»",
        "parameters 67B «67B»",
    ]),
    # LLama2-chinese | 没等太久中文预训练微调后的llama2它来了~
    (121, "llama2-chinese", [
        "languages zh «chinese»",
        "base_model llama2 «微调后的llama2»",
    ]),
    # YuLan-chat2 | 高瓴人工智能基于Llama-2中英双语继续预训练+指令微调/对话微调
    (122, "yulan-chat2", [
        "base_model llama2 «基于Llama-2»",
        "languages zh,en «中英双语»",
    ]),
    # BlueLM | Vivo人工智能实验室开源大模型
    (123, "bluelm", []),
    # zephyr-7B | HuggingFace 团队基于 UltraChat 和 UltraFeedback 训练了 Zephyr-7B 模型
    (124, "zephyr-7b", [
        "parameters 7B «7B»",
    ]),
    # Skywork | 昆仑万维集团·天工团队开源13B大模型可商用
    (125, "skywork", [
        "parameters 13B «13B»",
        "license commercial «可商用»",
    ]),
    # Chinese-LLaMA-Alpaca | 哈工大中文指令微调的LLaMA
    (126, "chinese-llama-alpaca", [
        "languages zh «Chinese»",
        "base_model llama «微调的LLaMA»",
    ]),
    # Moss | 为复旦正名！开源了预训练，指令微调的全部数据和模型。可商用
    (127, "moss", [
        "license commercial «可商用»",
    ]),
    # InternLM | 书生浦语在过万亿 token 数据上训练的多语千亿参数基座模型
    (128, "internlm", [
        "training_tokens 1T «过万亿 token»",
        "parameters 100B «千亿参数»",
    ]),
    # Aquila2 | 智源更新Aquila2模型系列包括全新34B
    (129, "aquila2", [
        "parameters 34B «34B»",
    ]),
    # Aquila | 智源开源7B大模型可商用免费
    (130, "aquila", [
        "parameters 7B «7B»",
        "license commercial «可商用免费»",
    ]),
    # UltraLM系列 | 面壁智能开源UltraLM13B，奖励模型UltraRM，和批评模型UltraCM
    (131, "ultralm", [
        "parameters 13B «13B»",
    ]),
    # PandaLLM | LLAMA2上中文wiki继续预训练+COIG指令微调
    (132, "pandallm", [
        "base_model llama2 «LLAMA2上»",
        "languages zh «中文»",
    ]),
    # XVERSE | 据说中文超越llama2的元象开源模型13B模型
    (133, "xverse-2", [
        "qualitative - «据说中文超越llama2的元象开源模型13B模型»",
        "languages zh «中文»",
        "parameters 13B «13B»",
    ]),
    # BiLLa | LLama词表·扩充预训练+预训练和任务1比1混合SFT+指令样本SFT三阶段训练
    (134, "billa", [
        "base_model llama «LLama»",
    ]),
    # Phoenix | 港中文开源凤凰和奇美拉LLM，Bloom基座，40+语言支持
    (135, "phoenix", [
        "base_model bloom «Bloom基座»",
        "language_count 40 «40+语言»",
    ]),
    # Wombat-7B | 达摩院开源无需强化学习使用RRHF对齐的语言模型, alpaca基座
    (136, "wombat-7b", [
        "parameters 7B «7B»",
        "base_model alpaca «alpaca基座»",
    ]),
    # TigerBot | 虎博开源了7B 180B的模型以及预训练和微调语料
    (137, "tigerbot", [
        "parameters 7B «7B»",
        "parameters 180B «180B»",
    ]),
    # Luotuo-Chinese-LLM | 冷子昂@商汤科技, 陈启源@华中师范大学以及李鲁鲁@商汤科技发起的中文大语言模型开源项目，
    #   包含了一系列大语言模型、数据、管线和应用
    (138, "luotuo-chinese-llm", [
        "languages zh «Chinese»",
    ]),
    # OpenBuddy | Llama 多语言对话微调模型
    (139, "openbuddy", [
        "base_model llama «Llama»",
    ]),
    # Chinese Vincuna | LLama 7B基座，使用Belle+Guanaco数据训练
    (140, "chinese-vincuna", [
        "languages zh «Chinese»",
        "base_model llama «LLama 7B基座»",
    ]),
    # Linly | Llama 7B基座，使用belle+guanaco+pclue+firefly+CSL+newscommentary等7个指令微调数据集训练
    (141, "linly", [
        "base_model llama «Llama 7B基座»",
    ]),
    # Firefly | 中文2.6B模型，提升模型中文写作，古文能力，待开源全部训练代码，当前只有模型
    (142, "firefly", [
        "languages zh «中文»",
        "parameters 2.6B «2.6B»",
    ]),
    # Baize | 使用100k self-chat对话数据微调的LLama
    (143, "baize", [
        "base_model llama «微调的LLama»",
    ]),
    # BELLE | 使用ChatGPT生成数据对开源模型进行中文优化
    (144, "belle", [
        "languages zh «中文»",
    ]),
    # Chatyuan | chatgpt出来后最早的国内开源对话模型，T5架构是下面PromptCLUE的衍生模型
    (145, "chatyuan", [
        "qualitative - «chatgpt出来后最早的国内开源对话模型»",
        "architecture t5 «T5架构»",
        "base_model promptclue «PromptCLUE»",
    ]),
    # PromptCLUE | 多任务Prompt语言模型
    (146, "promptclue", []),
    # PLUG | 阿里达摩院发布超大规模语言模型PLUG，上能写诗词歌赋、下能对答如流
    (147, "plug", []),
    # CPM2.0 | 智源发布CPM2.0
    (148, "cpm2-0", []),
]

_SUFFIX = {"M": Decimal(10) ** 6, "B": Decimal(10) ** 9, "T": Decimal(10) ** 12}


def _count(text: str) -> int:
    if text[-1] in _SUFFIX:
        return int(Decimal(text[:-1]) * _SUFFIX[text[-1]])
    return int(text)


def _expected(spec: str) -> tuple[str, object, str]:
    kind, value, text = re.fullmatch(r"(\S+) (\S+) «(.*)»", spec).groups()
    if kind == "parameter_range":
        low, high = value.split("..")
        return kind, (_count(low) if low else None, _count(high)), text
    if kind in {"parameters", "active_parameters", "training_tokens", "context_length", "language_count"}:
        return kind, _count(value), text
    if kind == "languages":
        return kind, tuple(value.split(",")), text
    return kind, (None if value == "-" else value), text


def _actual(claim: Claim) -> tuple[str, object, str]:
    value = claim.value
    if isinstance(value, ParameterRange):
        value = (value.min, value.max)
    elif isinstance(value, list):
        value = tuple(value)
    return claim.kind.value, value, claim.text


@pytest.fixture(scope="module")
def seed_entries():
    return {entry.line: entry for entry in load_catalog(SEED).entries}


def test_the_seed_has_85_entries_in_document_order(seed_entries):
    assert len(seed_entries) == 85
    assert [entry.id for entry in seed_entries.values()] == [case[1] for case in SEED_CLAIMS]
    assert list(seed_entries) == sorted(seed_entries)


def test_sections_are_the_headings_above_the_tables(seed_entries):
    sections = Counter(entry.section for entry in seed_entries.values())
    assert sections == {"国外开源模型": 35, "国内开源模型": 50}


def test_a_repeated_name_gets_a_numbered_id(seed_entries):
    xverse = [entry for entry in seed_entries.values() if entry.name == "XVERSE"]
    assert [(entry.id, entry.line) for entry in xverse] == [("xverse", 102), ("xverse-2", 133)]


@pytest.mark.parametrize(("line", "entry_id", "claims"), SEED_CLAIMS, ids=[case[1] for case in SEED_CLAIMS])
def test_seed_row_claims(seed_entries, line, entry_id, claims):
    entry = seed_entries[line]
    assert entry.id == entry_id
    assert Counter(_actual(claim) for claim in entry.claims) == Counter(_expected(spec) for spec in claims)
    for claim in entry.claims:
        assert claim.text in entry.text, "a claim's words are the document's own"
