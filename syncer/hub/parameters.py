"""How many parameters a repo has, and how we know.

In order of trust: the safetensors header total the Hub computes, the GGUF total, an
estimate from config.json, and last the nominal size in the repo's name. Packed
quantised checkpoints (GPTQ/AWQ/bitsandbytes) store several weights per I32/U8 element,
so their safetensors total under-counts; that is detected and said, not trusted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from syncer.bounds import parameters_from
from syncer.hub.config import estimate_parameters
from syncer.hub.wire import ConfigJson, Gguf, Safetensors

PACKED_DTYPES = {"I32", "U32", "I8", "U8", "I16", "U16"}
# `7B`, `1.3b`, `111M`, and `2b6` (2.6B, as in `firefly-2b6`).
_NAME_SIZE = re.compile(r"(?<![A-Za-z0-9.])(\d+(?:\.\d+)?)([bBmM])(\d*)(?![A-Za-z0-9])")

_UNDERSCORE_DECIMAL = re.compile(r"(?<=[-_])(\d+)_(\d+)(?=[bBmM](?![A-Za-z]))")


@dataclass(frozen=True)
class Parameters:
    value: int | None
    source: str | None
    unknown_reason: str | None = None


def nominal_size(repo_id: str) -> int | None:
    """The size a repo's name states: `chatglm2-6b` -> 6e9, `Cerebras-GPT-111M` -> 1.11e8,
    `Qwen-1_8B` -> 1.8e9.

    `8x7B` (experts x size) and `A2.7B` (active parameters) are not totals and give None.
    """
    # `Qwen-1_8B`, `internlm2-1_8b`: an underscore between digits is a decimal point where
    # a separator stands before them (`T0_3B` is T0 at 3B).
    name = _UNDERSCORE_DECIMAL.sub(r"\1.\2", repo_id.rsplit("/", 1)[-1]).replace("_", "-")
    for match in _NAME_SIZE.finditer(name):
        before = name[: match.start()]
        if before.endswith(("x", "X")) or re.search(r"(?:^|-)[Aa]$", before):
            continue
        multiplier = 10**9 if match.group(2) in "bB" else 10**6
        number = match.group(1) + (f".{match.group(3)}" if match.group(3) and "." not in match.group(1) else "")
        return parameters_from(Decimal(number), multiplier)
    return None


def is_packed_quantised(safetensors: Safetensors | None, config: ConfigJson | None) -> bool:
    quantised = config is not None and config.quantization_config is not None
    dtypes = (safetensors.parameters if safetensors is not None else None) or {}
    packed = sum(count for dtype, count in dtypes.items() if dtype.upper() in PACKED_DTYPES)
    total = sum(dtypes.values())
    return quantised or (total > 0 and packed / total > 0.5)


def resolve_parameters(
    repo_id: str, safetensors: Safetensors | None, gguf: Gguf | None, config: ConfigJson | None
) -> Parameters:
    total = safetensors.total if safetensors is not None else None
    if total is not None:
        if not is_packed_quantised(safetensors, config):
            return Parameters(total, "safetensors")
        packed_note = f"safetensors total {total:,} counts packed quantised weights (too low)"
    else:
        packed_note = None
    if gguf is not None and gguf.total is not None:
        return Parameters(gguf.total, "gguf")
    if config is not None:
        estimate = estimate_parameters(config)
        if estimate:
            return Parameters(estimate, "config_estimate")
    nominal = nominal_size(repo_id)
    if nominal:
        return Parameters(nominal, "name")
    reasons = [packed_note] if packed_note else []
    reasons.append("no safetensors or GGUF total, no estimable config.json, no size in the name")
    return Parameters(None, None, "; ".join(reasons))
