"""The Hub's answers, as syncer reads them: the one place that knows the wire format.

Lenient pydantic models of the subset of the Hub's JSON that syncer uses - a model's API
answer (card data, safetensors, GGUF, siblings, the API's config), a listing page, and
config.json. Every field is validated where it enters. A value of the wrong shape
(`"safetensors": "lots"`, `"cardData": []`, a bool where a count belongs) is dropped to
`None` and its reason kept in the model's `unusable`, keyed by the Hub's field name, so a
fact can be `null` with why; it never raises past the parser, and one bad field never
costs the repo its other facts.

What is not an answer at all (not JSON, not an object, no valid repo id where one must
be) is an `AnswerRefused`: a deterministic refusal, never retried.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from syncer.bounds import CONTEXT, COUNT, EXPERTS, LAYERS, PARAMETERS, WIDTH, YEAR, Bound
from syncer.errors import AnswerRefused
from syncer.untrusted import REPO_ID, without_controls

MAX_TEXT = 300  # a Hub string longer than this is cut: no licence name or tag needs more
MAX_ITEMS = 200  # of a list of strings (tags, languages, base models)
_SHA = re.compile(r"[0-9a-f]{40}")


def _refuse(why: str) -> PydanticCustomError:
    return PydanticCustomError("unusable", why)


# --- value types: each a check that either passes a clean value or says why not ---------


def _within(bound: Bound) -> Callable[[Any], int]:
    """A check that passes a whole number within `bound` (syncer/bounds.py) and says why not."""

    def check(value: Any) -> int:
        number = bound.check(value)
        if number is None:
            raise _refuse(bound.why_not(value))
        return number

    return check


def _text(value: Any) -> str:
    """A string without control or direction characters, of a sane length."""
    if not isinstance(value, str):
        raise _refuse("not a string")
    cleaned = without_controls(value, "").strip()
    if not cleaned:
        raise _refuse("empty")
    return cleaned[:MAX_TEXT]


def _texts(value: Any) -> list[str]:
    """A string or a list of strings, as a list; items that are not strings are left out."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise _refuse("not a string or a list of strings")
    texts = []
    for item in items[: MAX_ITEMS * 2]:
        try:
            texts.append(_text(item))
        except PydanticCustomError:
            continue
    if items and not texts:
        raise _refuse("no usable string in it")
    return list(dict.fromkeys(texts))[:MAX_ITEMS]


def _repo_id(value: Any) -> str:
    if not isinstance(value, str) or not REPO_ID.fullmatch(value):
        raise _refuse("not a repo id")
    return value


def _sha(value: Any) -> str:
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise _refuse("not a 40-hex commit sha")
    return value


def _strict_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise _refuse("not true or false")
    return value


def _gated(value: Any) -> bool | str:
    if isinstance(value, bool) or value in ("auto", "manual"):
        return value
    raise _refuse("not false, 'auto' or 'manual'")


def _dtype_counts(value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise _refuse("not a mapping of dtype to count")
    count = _within(PARAMETERS)
    return {_text(dtype)[:16]: count(number) for dtype, number in list(value.items())[:64]}


def _factor(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1024:  # NaN fails too
        raise _refuse("not a factor between 0 and 1024")
    return float(value)


def _iso_text(value: Any) -> str:
    if not isinstance(value, str):
        raise _refuse("not an ISO time")
    return value


def _plausible_year(moment: datetime) -> datetime:
    if YEAR.check(moment.year) is None:
        raise _refuse(YEAR.why_not(moment.year))
    return moment


# An ISO time the Hub stamps a repo with (a number is not one), in a plausible year.
Moment = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_plausible_year)]
Count = Annotated[int, BeforeValidator(_within(COUNT))]
ParameterCount = Annotated[int, BeforeValidator(_within(PARAMETERS))]
Layers = Annotated[int, BeforeValidator(_within(LAYERS))]
Window = Annotated[int, BeforeValidator(_within(CONTEXT))]
Experts = Annotated[int, BeforeValidator(_within(EXPERTS))]
ConfigInt = Annotated[int, BeforeValidator(_within(WIDTH))]
Text = Annotated[str, BeforeValidator(_text)]
Texts = Annotated[list[str], BeforeValidator(_texts)]
RepoId = Annotated[str, BeforeValidator(_repo_id)]
Sha = Annotated[str, BeforeValidator(_sha)]
StrictBool = Annotated[bool, BeforeValidator(_strict_bool)]
Gated = Annotated[bool | Literal["auto", "manual"], BeforeValidator(_gated)]
DtypeCounts = Annotated[dict[str, int], BeforeValidator(_dtype_counts)]
Factor = Annotated[float, BeforeValidator(_factor)]


class Lenient(BaseModel):
    """A part of an answer in which each field stands alone: a field whose value does not
    validate is left at its default (None), and why is kept in `unusable`."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)
    _unusable: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def unusable(self) -> dict[str, str]:
        """The Hub's field names whose values were dropped, and why."""
        return self._unusable

    @model_validator(mode="wrap")
    @classmethod
    def _drop_what_does_not_validate(cls, data: Any, handler: Any) -> Any:
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            raise _refuse("not an object")
        data = {key: value for key, value in data.items() if isinstance(key, str)}
        unusable: dict[str, str] = {}
        while True:
            try:
                model = handler(data)
                break
            except ValidationError as exc:
                bad: dict[str, str] = {}
                for error in exc.errors(include_url=False, include_input=False):
                    if error["loc"] and str(error["loc"][0]) in data:
                        bad.setdefault(str(error["loc"][0]), error["msg"])
                if not bad:
                    raise
                for key, why in bad.items():
                    unusable[key] = why
                    del data[key]
        model._unusable = unusable
        return model


def _alias(name: str) -> Any:
    return Field(default=None, validation_alias=AliasChoices(name))


class CardData(Lenient):
    license: Texts | None = None
    license_name: Text | None = None
    license_link: Text | None = None
    base_model: Texts | None = None
    language: Texts | None = None
    new_version: RepoId | None = None


class Safetensors(Lenient):
    total: ParameterCount | None = None
    parameters: DtypeCounts | None = None


class Gguf(Lenient):
    total: ParameterCount | None = None
    context_length: Window | None = None


class ApiConfig(Lenient):
    """The API answer's digest of config.json: only its model type is read from it."""

    model_type: Text | None = None


class Sibling(Lenient):
    rfilename: Text | None = None


def _siblings(value: Any) -> list[Sibling]:
    if not isinstance(value, list):
        raise _refuse("not a list of files")
    return [Sibling.model_validate(item) for item in value if isinstance(item, Mapping)]


class ModelAnswer(Lenient):
    """One model as `GET /api/models/{repo}?expand=...` and a listing row describe it."""

    id: RepoId | None = None
    sha: Sha | None = None
    last_modified: Moment | None = _alias("lastModified")
    created_at: Moment | None = _alias("createdAt")
    downloads: Count | None = None
    downloads_all_time: Count | None = _alias("downloadsAllTime")
    likes: Count | None = None
    gated: Gated | None = None
    disabled: StrictBool | None = None
    card_data: CardData | None = _alias("cardData")
    tags: Texts | None = None
    pipeline_tag: Text | None = None
    safetensors: Safetensors | None = None
    gguf: Gguf | None = None
    config: ApiConfig | None = None
    siblings: Annotated[list[Sibling], BeforeValidator(_siblings)] | None = None

    @property
    def file_names(self) -> set[str] | None:
        """The repo's files, when the answer lists them (None: it did not)."""
        if self.siblings is None:
            return None
        return {sibling.rfilename for sibling in self.siblings if sibling.rfilename}


class RopeScalingAnswer(Lenient):
    rope_type: Text | None = None
    type: Text | None = None
    factor: Factor | None = None


class AttnConfig(Lenient):
    alibi: StrictBool | None = None


class QuantizationConfig(Lenient):
    quant_method: Text | None = None


class ConfigSection(Lenient):
    """The keys of a config.json (or of its nested text model) that syncer reads."""

    model_type: Text | None = None
    # layers
    num_hidden_layers: Layers | None = None
    n_layer: Layers | None = None
    n_layers: Layers | None = None
    num_layers: Layers | None = None
    # the window, and limits beyond it
    max_position_embeddings: Window | None = None
    n_positions: Window | None = None
    max_seq_len: Window | None = None
    seq_length: Window | None = None
    n_ctx: Window | None = None
    max_sequence_length: Window | None = None
    max_tokenizer_truncation: Window | None = None
    sliding_window: Window | None = None
    model_max_length: Window | None = None
    # mixtures of experts
    num_local_experts: Experts | None = None
    num_experts: Experts | None = None
    n_routed_experts: Experts | None = None
    moe_num_experts: Experts | None = None
    num_experts_per_tok: Experts | None = None
    moe_topk: Experts | None = None
    moe_k: Experts | None = None
    top_k: Experts | None = None
    moe_intermediate_size: ConfigInt | None = None
    # widths, for the parameter estimate
    hidden_size: ConfigInt | None = None
    intermediate_size: ConfigInt | None = None
    vocab_size: ConfigInt | None = None
    num_attention_heads: ConfigInt | None = None
    num_key_value_heads: ConfigInt | None = None
    head_dim: ConfigInt | None = None
    tie_word_embeddings: StrictBool | None = None
    # positions
    rope_scaling: RopeScalingAnswer | None = None
    alibi: StrictBool | None = None
    attn_config: AttnConfig | None = None
    quantization_config: QuantizationConfig | None = None

    def number(self, key: str) -> int | None:
        value = getattr(self, key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None


class ConfigJson(ConfigSection):
    """config.json; multimodal configs nest their language model under one of these keys."""

    text_config: ConfigSection | None = None
    llm_config: ConfigSection | None = None
    language_config: ConfigSection | None = None

    def sections(self) -> list[tuple[str, ConfigSection]]:
        """The config itself, then its nested text models, each with the prefix of its keys."""
        nested = [(f"{key}.", getattr(self, key)) for key in ("text_config", "llm_config", "language_config")]
        return [("", self), *((prefix, section) for prefix, section in nested if section is not None)]


# --- parsing whole answers --------------------------------------------------------------


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise AnswerRefused(f"{what} was not valid JSON") from None


def parse_model_answer(body: bytes) -> ModelAnswer:
    """A model's API answer. Refused when it is not a JSON object; an id that is not a repo
    id is refused too, so that it is never taken for a rename."""
    data = _json(body, "the Hub's answer")
    if not isinstance(data, dict):
        raise AnswerRefused("the Hub's answer was not a JSON object")
    answer = model_answer(data)
    if answer.id is None:
        raise AnswerRefused("the Hub's answer names no valid repo id")
    return answer


def model_answer(data: Any) -> ModelAnswer:
    """One model object (an API answer or a listing row); never raises."""
    try:
        return ModelAnswer.model_validate(data)
    except (ValidationError, RecursionError):
        return ModelAnswer()


def parse_listing(body: bytes) -> list[ModelAnswer]:
    """A listing page: its rows that are objects with a valid repo id, in order."""
    data = _json(body, "a listing page")
    if not isinstance(data, list):
        raise AnswerRefused("a listing page was not a JSON array")
    rows = (model_answer(row) for row in data if isinstance(row, dict))
    return [row for row in rows if row.id is not None]


def parse_config(body: bytes) -> ConfigJson:
    data = _json(body, "config.json")
    if not isinstance(data, dict):
        raise AnswerRefused("config.json was not a JSON object")
    try:
        return ConfigJson.model_validate(data)
    except (ValidationError, RecursionError):  # only a pathological nesting gets here
        raise AnswerRefused("config.json could not be read") from None
