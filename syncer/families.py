"""Model families from repo names: which repo continues which.

`Qwen1.5-7B` and `Qwen2.5-7B` are one family (stem `qwen`) at two versions; `Mistral-7B-v0.1`
and `Mistral-7B-v0.3` too. `Mixtral-8x7B` is another family than `Mistral-7B`, `dbrx` than
`dolly`, and `Qwen2.5-Coder-7B` another line than `Qwen2.5-7B`. A release continues a repo
when its name has the same stem, the same line words and role (base or chat), a size within
half again of it, and a higher version. Quantisations, adapters and fine-tunes of another
author's model continue nothing, whatever their names say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from syncer.report import Release

# Role words: a chat model continues a chat model, a base model a base model.
CHAT_WORDS = {"chat", "instruct", "it", "sft", "rlhf", "dpo", "assistant"}
ROLE_WORDS = CHAT_WORDS | {"base", "hf", "pretrain", "pretrained", "model"}
# Names of re-packagings: a release with one of these words is no new model.
PACKAGING_WORDS = {
    "gguf", "ggml", "gptq", "awq", "exl2", "mlx", "bnb", "int4", "int8", "fp8", "fp16", "bf16", "4bit", "8bit", "nf4",
    "hqq", "quantized", "quant", "onnx", "openvino", "lora", "qlora", "adapter", "peft", "w4a16", "w8a8", "marlin",
}  # fmt: skip
PACKAGING_TAGS = {"gguf", "peft", "mlx", "onnx", "gptq", "awq", "exl2"}
DERIVED_RELATIONS = {"quantized", "adapter", "merge"}
SIZE_RATIO = 1.5

_SIZE = re.compile(r"(?:(\d+)x)?(\d+(?:\.\d+)?)([bt])")  # 7b, 1.5b, 8x7b, 1t
_SMALL_SIZE = re.compile(r"(\d+(?:\.\d+)?)m")  # 135m; after a B size, `1m` is a context window
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)")


@dataclass(frozen=True)
class ModelName:
    """A repo name read as family parts: `Qwen/Qwen1.5-7B-Chat` -> stem `qwen`, version (1, 5),
    size 7e9, role `chat`, no line words."""

    stem: str
    version: tuple[int, ...]
    size: int | None
    role: str
    line: frozenset[str]
    packaging: bool


def _tokens(name: str) -> list[str]:
    """`Qwen2.5-7B-Instruct` -> qwen, 2.5, 7b, instruct; `internlm2_5-7b` -> internlm, 2.5, 7b."""
    name = re.sub(r"(?<=\d)_(?=\d)", ".", name.lower())
    tokens: list[str] = []
    for part in re.split(r"[-_\s]+", name):
        # A word glued to its version (`qwen2.5`, `baichuan2`, `falcon3`) is two tokens; a
        # size or version with a letter (`7b`, `v0.3`, `8x7b`) is one.
        glued = re.fullmatch(r"([a-z]{2,}?)(\d+(?:\.\d+)*)", part)
        if glued and not re.fullmatch(r"v\d+(?:\.\d+)*", part):
            tokens += [glued.group(1), glued.group(2)]
        elif part:
            tokens.append(part)
    return tokens


def _size(token: str) -> int | None:
    match = _SIZE.fullmatch(token)
    if not match:
        return None
    experts = int(match.group(1) or 1)
    return int(Decimal(match.group(2)) * (10**9 if match.group(3) == "b" else 10**12)) * experts


def read_name(repo_id: str) -> ModelName:
    author, _, name = repo_id.lower().partition("/")
    author_words = set(re.split(r"[-_]+", author))
    stem: list[str] = []
    version: tuple[int, ...] = ()
    size: int | None = None
    small: int | None = None
    line: set[str] = set()
    role = "base"
    packaging = False
    for token in _tokens(name):
        if token in PACKAGING_WORDS or re.fullmatch(r"q\d(_k(_[msl])?)?|\d+bit", token):
            packaging = True
        elif token in ROLE_WORDS:
            role = "chat" if token in CHAT_WORDS else role
        elif (value := _size(token)) is not None:
            size = size or value
        elif (match := _SMALL_SIZE.fullmatch(token)) and size is None:
            small = small or int(Decimal(match.group(1)) * 10**6)
        elif (match := _VERSION.fullmatch(token)) and not version:
            version = tuple(int(part) for part in match.group(1).split("."))
        elif re.fullmatch(r"[a-z]+", token) and not version and size is None:
            stem.append(token)
        elif not re.fullmatch(r"a\d.*", token):  # an active size (`A2.7B`) is no line of its own
            line.add(token)
    # `Meta-Llama-3` (by meta-llama): the author's name before the family's is no part of the
    # stem; `deepseek-llm` (by deepseek-ai) keeps its first word.
    while len(stem) > 1 and stem[0] in author_words and stem[1] in author_words:
        stem.pop(0)
    return ModelName(
        stem=" ".join(stem), version=version, size=size or small, role=role, line=frozenset(line), packaging=packaging
    )


def is_repackaging(release: Release) -> bool:
    """A quantisation or an adapter: its stored size is not its model's, and it is no release."""
    return (
        release.relation in ("quantized", "adapter")
        or bool(PACKAGING_TAGS & set(release.tags))
        or (read_name(release.repo_id).packaging)
    )


def is_derived(release: Release) -> str | None:
    """Why a release is a re-packaging or someone else's model rather than a new release, or None."""
    if release.relation in DERIVED_RELATIONS:
        return f"a {release.relation} of {release.base_models[0] if release.base_models else 'another model'}"
    if is_repackaging(release):
        return "a quantised or adapter re-upload"
    author = release.repo_id.split("/")[0].lower()
    others = [base for base in release.base_models if base.split("/")[0].lower() != author]
    if others:
        return f"a fine-tune of {others[0]}, another author's model"
    return None


def continues(release: Release, mapped_id: str) -> str | None:
    """Why `release` is a newer version of `mapped_id`'s family, as a sentence, or None when it
    is not: `Qwen-7B → Qwen1.5-7B: a later version of the same model`."""
    old, new = read_name(mapped_id), read_name(release.repo_id)
    if not old.stem or old.stem != new.stem or old.role != new.role or old.line != new.line:
        return None
    if new.version <= old.version:
        return None
    if (old.size is None) != (new.size is None):
        return None
    if old.size and new.size and max(old.size, new.size) > SIZE_RATIO * min(old.size, new.size):
        return None
    if is_derived(release):
        return None
    return f"{_name(mapped_id)} → {_name(release.repo_id)}: a later version of the same model"


def _name(repo_id: str) -> str:
    return repo_id.rsplit("/", 1)[-1]
