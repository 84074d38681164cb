"""config.json -> layers, context window, rope scaling and experts, whatever the architecture.

Architectures name the same things differently (GPT-2 `n_layer`, MPT `n_layers`, ChatGLM
`num_layers`, LLaMA `num_hidden_layers`), and multimodal configs nest the language model
under `text_config`. Every value records the key it came from so a verdict can say which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syncer.hub.wire import ConfigJson, ConfigSection
from syncer.report import RopeScaling

LAYER_KEYS = ("num_hidden_layers", "n_layer", "n_layers", "num_layers")
CONTEXT_KEYS = ("max_position_embeddings", "n_positions", "max_seq_len", "seq_length", "n_ctx", "max_sequence_length")
# Where an architecture's real window is not the first key above. Qwen (v1) keeps
# `max_position_embeddings: 32768` for its NTK extension, but trains and serves `seq_length: 8192`.
CONTEXT_KEYS_BY_MODEL_TYPE = {"qwen": ("seq_length", "max_position_embeddings")}
EXPERT_KEYS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")
EXPERTS_PER_TOKEN_KEYS = ("num_experts_per_tok", "moe_topk", "moe_k", "top_k")
NESTED_TEXT_MODEL_KEYS = ("text_config", "llm_config", "language_config")
# Limits beyond the native window that a config states: XVERSE-13B-256K's tokenizer
# truncates at 262,144 tokens; `model_max_length` and `seq_length` name what a repo serves.
EXTENSION_KEYS = ("max_tokenizer_truncation", "model_max_length", "seq_length", "max_sequence_length", "max_seq_len")
# Architectures that use ALiBi position biases: no hard window, extrapolation instead.
ALIBI_MODEL_TYPES = {"bloom", "baichuan_13b"}
# Architectures whose parameters `estimate_parameters` computes exactly (up to biases).
# Others - Qwen v1 halves its `intermediate_size`, MoEs with shared experts or a
# separate `moe_intermediate_size` - get no estimate rather than a wrong one.
ESTIMABLE_MODEL_TYPES = {
    "llama", "mistral", "mixtral", "qwen2", "gemma", "baichuan", "xverse", "internlm2", "orion", "gpt_neox",
}  # fmt: skip
GATED_MLP_MODEL_TYPES = {"llama", "mistral", "mixtral", "qwen2", "gemma", "baichuan", "xverse", "internlm2", "orion"}
# transformers' default when config.json leaves `tie_word_embeddings` out.
TIED_EMBEDDINGS_BY_DEFAULT = {"gemma"}


@dataclass(frozen=True)
class ConfigFacts:
    model_type: str | None = None
    layers: int | None = None
    layers_source: str | None = None
    context_length: int | None = None
    context_source: str | None = None
    rope_scaling: RopeScaling | None = None
    alibi: bool | None = None
    experts: int | None = None
    experts_per_token: int | None = None
    context_extended: int | None = None
    context_extended_source: str | None = None
    sliding_window: int | None = None
    unknown: dict[str, str] = field(default_factory=dict)


Sections = list[tuple[str, ConfigSection]]


def _first(sections: Sections, keys: tuple[str, ...]) -> tuple[int | None, str | None]:
    for prefix, section in sections:
        for key in keys:
            value = section.number(key)
            if value is not None:
                return value, prefix + key
    return None, None


def _unusable_among(sections: Sections, keys: tuple[str, ...]) -> str:
    """`; n_layer was not usable (not a whole number)` when a key was there but unreadable."""
    for prefix, section in sections:
        for key in keys:
            if key in section.unusable:
                return f"; {prefix}{key} was not usable ({section.unusable[key]})"
    return ""


def read_config(config: ConfigJson) -> ConfigFacts:
    """The comparable facts of one config.json; what is missing says why in `unknown`."""
    sections = config.sections()
    model_type = config.model_type
    text_model_type = next((s.model_type for _, s in sections[1:] if s.model_type), model_type)
    unknown: dict[str, str] = {}

    layers, layers_source = _first(sections, LAYER_KEYS)
    if layers is None:
        unknown["layers"] = f"config.json has none of {', '.join(LAYER_KEYS)}" + _unusable_among(sections, LAYER_KEYS)

    context_keys = CONTEXT_KEYS_BY_MODEL_TYPE.get(text_model_type or "", CONTEXT_KEYS)
    context, context_source = _first(sections, context_keys)
    alibi = _alibi(config, model_type)
    if context is None:
        unknown["context_length"] = (
            "ALiBi positions: no fixed window in config.json"
            if alibi
            else f"config.json has none of {', '.join(CONTEXT_KEYS)}" + _unusable_among(sections, context_keys)
        )

    experts, _ = _first(sections, EXPERT_KEYS)
    experts_per_token, _ = _first(sections, EXPERTS_PER_TOKEN_KEYS)
    extended, extended_source = None, None
    for prefix, section in sections:
        for key in EXTENSION_KEYS:
            value = section.number(key)
            if value and value > (context or 0) and value > (extended or 0):
                extended, extended_source = value, prefix + key
    return ConfigFacts(
        model_type=model_type,
        layers=layers,
        layers_source=layers_source,
        context_length=context,
        context_source=context_source,
        rope_scaling=_rope_scaling(sections),
        alibi=alibi,
        experts=experts,
        experts_per_token=experts_per_token if experts else None,
        context_extended=extended if context else None,
        context_extended_source=extended_source if context else None,
        sliding_window=_first(sections, ("sliding_window",))[0],
        unknown=unknown,
    )


def _alibi(config: ConfigJson, model_type: str | None) -> bool | None:
    if config.attn_config is not None and config.attn_config.alibi is not None:
        return config.attn_config.alibi  # MPT
    if config.alibi is not None:
        return config.alibi  # Falcon
    if model_type in ALIBI_MODEL_TYPES:
        return True
    return None


def _rope_scaling(sections: Sections) -> RopeScaling | None:
    for _, section in sections:
        scaling = section.rope_scaling
        if scaling is not None:
            kind = scaling.rope_type or scaling.type
            return RopeScaling(type=kind[:40] if kind else None, factor=scaling.factor)
    return None


def estimate_parameters(config: ConfigJson) -> int | None:
    """Parameters of a decoder-only transformer from its config.json, or None if it cannot say.

    embeddings  V*h (twice unless tied)
    per layer   attention h*h (q) + 2*h*(kv_heads*head_dim) (k, v) + h*h (o)
                MLP 3*h*i for gated activations (SwiGLU/GeGLU), 2*h*i otherwise; times the
                experts of an MoE, plus its router h*E
                two norms of h
    final norm  h
    Biases are left out (a fraction of a percent). Exact for LLaMA-2-7B (6,738,415,616),
    Mistral-7B (7,241,732,096) and Mixtral-8x7B (46,702,792,704); see tests. Only the
    architectures in ESTIMABLE_MODEL_TYPES are estimated.
    """
    section: ConfigSection = config.sections()[-1][1]  # the nested text model, if any
    model_type = section.model_type or config.model_type
    if model_type not in ESTIMABLE_MODEL_TYPES or section.moe_intermediate_size is not None:
        return None
    if "moe_intermediate_size" in section.unusable:
        return None
    hidden, intermediate, vocab, heads = section.hidden_size, section.intermediate_size, section.vocab_size, (
        section.num_attention_heads
    )
    layers, _ = _first([("", section)], LAYER_KEYS)
    if hidden is None or intermediate is None or layers is None or vocab is None or heads is None:
        return None
    kv_heads = section.num_key_value_heads or heads
    head_dim = section.head_dim or hidden // heads
    experts, _ = _first([("", section)], EXPERT_KEYS)
    gated = model_type in GATED_MLP_MODEL_TYPES
    attention = hidden * heads * head_dim + 2 * hidden * kv_heads * head_dim + heads * head_dim * hidden
    mlp = (3 if gated else 2) * hidden * intermediate
    if experts:
        mlp = mlp * experts + hidden * experts
    tied_default = model_type in TIED_EMBEDDINGS_BY_DEFAULT
    tied = next((s.tie_word_embeddings for s in (section, config) if s.tie_word_embeddings is not None), tied_default)
    embeddings = vocab * hidden * (1 if tied else 2)
    return embeddings + layers * (attention + mlp + 2 * hidden) + hidden
