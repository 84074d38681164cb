"""From the Hub's answers (syncer/hub/wire.py) to facts: pure functions, one reading of each field.

- `read_api_answer`: what one API answer (model_info or a listing row) says of a repo, and
  what its config round needs;
- `repo_facts`: that reading with config.json's (or without it, and why) -> `RepoFacts`;
- `reused_facts`: the same, reusing the previous report's config facts at an unchanged sha;
- `release_of`: a listing row as a `Release`, for newer releases and size superlatives.

A field the Hub sent in a shape syncer cannot use is `null` in the facts, with the reason
in `unknown` under the fact's name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from syncer.hub.config import read_config
from syncer.hub.parameters import nominal_size, resolve_parameters
from syncer.hub.wire import ConfigJson, Gguf, ModelAnswer, Safetensors
from syncer.report import Release, RepoFacts, RepoStatus

# Fields that come from config.json; reused as a block when the sha has not changed.
CONFIG_FIELDS = (
    "config_read", "model_type", "layers", "layers_source", "context_length", "context_source", "rope_scaling", "alibi",
    "experts", "experts_per_token", "parameters", "parameters_source", "context_extended", "context_extended_source",
    "sliding_window",
)  # fmt: skip
MAX_BASE_MODELS = 20
RELEASE_TAGS = ("gguf", "peft", "mlx", "onnx", "gptq", "awq", "exl2")

# The fact each field of an answer gives: where a field was unusable, that fact says so.
ANSWER_FIELDS = {
    "sha": "sha", "lastModified": "last_modified", "createdAt": "created_at", "downloads": "downloads",
    "downloadsAllTime": "downloads_all_time", "likes": "likes", "gated": "gated", "pipeline_tag": "pipeline_tag",
    "tags": "license", "safetensors": "parameters", "gguf": "parameters", "config": "model_type",
}  # fmt: skip
CARD_FIELDS = {
    "license": "license", "license_name": "license_name", "license_link": "license_link", "base_model": "base_models",
    "language": "languages", "new_version": "successor",
}  # fmt: skip
# The facts a failed config.json read leaves unread (null now, not changed).
CONFIG_UNREADABLE = ("layers", "context_length", "parameters")
WHOLE_CARD = ("license", "license_name", "license_link", "base_models", "languages", "successor")
COUNTS = ("downloads", "downloads_all_time", "likes")


def timestamp(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment is not None else None


def licence_of(answer: ModelAnswer) -> str | None:
    """The card's licence, else the `license:` tag's."""
    card = answer.card_data.license if answer.card_data is not None else None
    tags = [tag.split(":", 1)[1] for tag in answer.tags or [] if tag.startswith("license:")]
    return next(iter(card or tags), None)


def base_models_of(answer: ModelAnswer) -> list[str]:
    """The card's `base_model`, then the model tree's `base_model:…` tags that name a repo."""
    named = list(answer.card_data.base_model or []) if answer.card_data is not None else []
    for tag in answer.tags or []:
        if tag.startswith("base_model:"):
            candidate = tag.rsplit(":", 1)[1]
            if "/" in candidate and candidate not in named:
                named.append(candidate)
    return named[:MAX_BASE_MODELS]


def relation_of(answer: ModelAnswer) -> str | None:
    """`base_model:quantized:…`, `…:adapter:…`, `…:finetune:…`, `…:merge:…`: how the model
    tree relates this repo to its base."""
    return next((tag.split(":")[1] for tag in answer.tags or [] if tag.startswith("base_model:") and tag.count(":") >= 2), None)


def _unknown(answer: ModelAnswer) -> dict[str, str]:
    """Why each fact the answer should have given is missing: left out, or not usable."""
    unknown: dict[str, str] = {}
    for name in COUNTS:
        unknown[name] = "the Hub's answer did not include it"
    for wire, why in answer.unusable.items():
        if wire == "cardData":
            for name in WHOLE_CARD:
                unknown.setdefault(name, f"the Hub's cardData was not usable ({why})")
        elif wire in ANSWER_FIELDS:
            unknown[ANSWER_FIELDS[wire]] = f"the Hub's {wire} was not usable ({why})"
    parts = [("cardData", answer.card_data, CARD_FIELDS), ("config", answer.config, {"model_type": "model_type"})]
    for prefix, part, names in parts:
        for wire, why in part.unusable.items() if part is not None else ():
            if wire in names:
                unknown[names[wire]] = f"the Hub's {prefix}.{wire} was not usable ({why})"
    for prefix, sized in (("safetensors", answer.safetensors), ("gguf", answer.gguf)):
        for wire, why in sized.unusable.items() if sized is not None else ():
            unknown["parameters"] = f"the Hub's {prefix}.{wire} was not usable ({why})"
    return unknown


@dataclass(frozen=True)
class ApiReading:
    """What one API answer says of a repo (RepoFacts fields), and what its config round
    needs: the sha to pin config.json to, the sizes the answer carries, whether the repo's
    files include config.json (None: the answer did not list them)."""

    facts: dict[str, Any]
    safetensors: Safetensors | None
    gguf: Gguf | None
    has_config: bool | None
    unknown: dict[str, str] = field(default_factory=dict)
    unreadable: frozenset[str] = frozenset()

    @property
    def sha(self) -> str | None:
        sha = self.facts["sha"]
        return sha if isinstance(sha, str) else None


def read_api_answer(requested_id: str, answer: ModelAnswer, fetched_at: str) -> ApiReading:
    """`answer` must name a repo (wire.parse_model_answer refuses one that does not); an id
    other than the one requested is a rename."""
    repo_id = answer.id or requested_id
    moved = repo_id.lower() != requested_id.lower()
    card = answer.card_data
    facts: dict[str, Any] = {
        "repo_id": repo_id,
        "requested_id": requested_id,
        "status": RepoStatus.MOVED if moved else RepoStatus.OK,
        "error": f"renamed on the Hub: {requested_id} is now {repo_id}" if moved else None,
        "sha": answer.sha,
        "last_modified": timestamp(answer.last_modified),
        "downloads": answer.downloads,
        "downloads_all_time": answer.downloads_all_time,
        "likes": answer.likes,
        "license": licence_of(answer),
        "license_name": card.license_name if card is not None else None,
        "license_link": card.license_link if card is not None else None,
        "created_at": timestamp(answer.created_at),
        "successor": card.new_version if card is not None else None,
        "gated": answer.gated,
        "pipeline_tag": answer.pipeline_tag,
        "model_type": answer.config.model_type if answer.config is not None else None,
        "base_models": base_models_of(answer),
        "languages": list(card.language or [])[:200] if card is not None else [],
        "nominal_parameters": nominal_size(repo_id),
        "fetched_at": fetched_at,
    }
    unknown = {name: why for name, why in _unknown(answer).items() if facts.get(name) in (None, [])}
    files = answer.file_names
    return ApiReading(
        facts=facts,
        safetensors=answer.safetensors,
        gguf=answer.gguf,
        has_config=None if files is None else "config.json" in files,
        unknown=unknown,
        # Sent but not usable: no statement that the fact changed (syncer.guard.keep_last_known).
        unreadable=frozenset(name for name, why in unknown.items() if "was not usable" in why),
    )


def failed_facts(repo_id: str, status: RepoStatus, reason: str, fetched_at: str, transient: bool = False) -> RepoFacts:
    return RepoFacts(repo_id=repo_id, requested_id=repo_id, status=status, error=reason, fetched_at=fetched_at,
                     transient=transient)  # fmt: skip


def repo_facts(
    api: ApiReading, config: ConfigJson | None, config_reason: str | None, status: RepoStatus | None = None,
    error: str | None = None, config_failed: bool = False,
) -> RepoFacts:  # fmt: skip
    """The repo's facts from its API answer and its config.json (None: not read, and
    `config_reason` says why; `config_failed`: because reading it failed, not because the
    repo has none). `status`/`error` override the API's (a gated config.json)."""
    facts = dict(api.facts)
    unreadable = set(api.unreadable) | (set(CONFIG_UNREADABLE) if config_failed else set())
    facts["unreadable"] = frozenset(unreadable)
    if status is not None:
        facts["status"], facts["error"] = status, error
    unknown = dict(api.unknown)
    parameters = resolve_parameters(facts["repo_id"], api.safetensors, api.gguf, config)
    if parameters.value is None and parameters.unknown_reason:
        unknown["parameters"] = "; ".join(filter(None, [parameters.unknown_reason, api.unknown.get("parameters")]))
    else:
        unknown.pop("parameters", None)
    facts.update(parameters=parameters.value, parameters_source=parameters.source)
    if config is None:
        for name in ("layers", "context_length"):
            unknown[name] = config_reason or "no config.json"
        gguf_context = api.gguf.context_length if api.gguf is not None else None
        if gguf_context is not None:
            facts.update(context_length=gguf_context, context_source="gguf.context_length")
            unknown.pop("context_length")
        return RepoFacts(**facts, unknown=unknown)
    read = read_config(config)
    unknown.update(read.unknown)
    # A key config.json has but in a shape that cannot be read: unread, not gone.
    facts["unreadable"] = facts["unreadable"] | {name for name, why in read.unknown.items() if "was not usable" in why}
    if read.model_type:
        unknown.pop("model_type", None)
    facts.update(
        config_read=True,
        model_type=read.model_type or facts["model_type"],
        layers=read.layers,
        layers_source=read.layers_source,
        context_length=read.context_length,
        context_source=read.context_source,
        rope_scaling=read.rope_scaling,
        alibi=read.alibi,
        experts=read.experts,
        experts_per_token=read.experts_per_token,
        context_extended=read.context_extended,
        context_extended_source=read.context_extended_source,
        sliding_window=read.sliding_window,
    )
    return RepoFacts(**facts, unknown=unknown)


def reused_facts(api: ApiReading, previous: RepoFacts) -> RepoFacts:
    """At an unchanged sha the previous report's config facts still hold: config.json is not
    asked for again. A repo gated then stays gated."""
    facts = dict(api.facts)
    reused = {name: getattr(previous, name) for name in CONFIG_FIELDS}
    unknown = {**api.unknown, **{k: v for k, v in previous.unknown.items() if k in CONFIG_FIELDS}}
    if previous.status is RepoStatus.GATED:
        facts["status"], facts["error"] = RepoStatus.GATED, previous.error
    return RepoFacts(**{**facts, **reused}, unknown=unknown)


def release_of(answer: ModelAnswer) -> Release | None:
    """A listing row, as much of it as the comparison needs; None for a row with no repo id."""
    if answer.id is None:
        return None
    parameters = resolve_parameters(answer.id, answer.safetensors, answer.gguf, None)
    return Release(
        repo_id=answer.id,
        created_at=timestamp(answer.created_at),
        downloads=answer.downloads,
        parameters=parameters.value,
        parameters_source=parameters.source,
        pipeline_tag=answer.pipeline_tag,
        base_models=base_models_of(answer),
        relation=relation_of(answer),
        tags=[tag for tag in answer.tags or [] if tag in RELEASE_TAGS],
        successor=answer.card_data.new_version if answer.card_data is not None else None,
        sha=answer.sha,
    )
