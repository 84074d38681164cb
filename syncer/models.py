"""Typed values passed between the stages: the catalog side (entries, claims, what reading a
document noticed) and what every model shares. The report's values are in syncer.report.

Our own values are strict and frozen (`extra="forbid"`); what comes from the Hub is
modelled leniently where it is read, in the Hub stage. The two modules are apart so that
`claims` and `check`, which never make a report, load neither its models nor pydantic's
dataclasses (about 40 ms of start-up).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import PurePosixPath
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from syncer.untrusted import neutral

_FIELD_NAMES: dict[type, set[str]] = {}


# Caps of strings from documents and mappings (Hub strings are capped in hub/wire.py).
MAX_NAME = 200
MAX_WORDS = 1_000
MAX_ENTRY_TEXT = 20_000
MAX_FACT_TEXT = 1_000  # a Hub string is at most 300 (hub/wire.py); a syncer reason a few hundred


def _neutral_json(value: Any) -> Any:
    """A value read back from a report (a claimed or observed value, a change's old and new):
    its strings neutral, at any depth."""
    if isinstance(value, str):
        return neutral(value, MAX_ENTRY_TEXT)
    if isinstance(value, list):
        return [_neutral_json(item) for item in value]
    if isinstance(value, dict):
        return {_neutral_json(key): _neutral_json(item) for key, item in value.items()}
    return value


# Strings of the models a report is read back into (a previous report, a shard's report: a
# hand edit may hold anything), neutral before any writer shows them, as the Hub's are.
Text = Annotated[str, AfterValidator(lambda value: neutral(value, MAX_ENTRY_TEXT))]
FactText = Annotated[str, AfterValidator(lambda value: neutral(value, MAX_FACT_TEXT))]
Json = Annotated[Any, AfterValidator(_neutral_json)]


class Lean(BaseModel):
    """A frozen model that does not keep its own set of the fields it was given.

    pydantic keeps one `__pydantic_fields_set__` per instance (2.2 KB for a repo's facts,
    more than its values), which only `exclude_unset` reads, and syncer never uses it. Every
    instance of a class shares one set of all its field names instead; the models are
    frozen, and a `model_copy` copies the set before it changes it."""

    model_config = ConfigDict(frozen=True, defer_build=True)

    @model_validator(mode="after")
    def _share_the_fields_set(self) -> Lean:
        cls = type(self)
        shared = _FIELD_NAMES.get(cls)
        if shared is None:
            shared = _FIELD_NAMES.setdefault(cls, set(cls.model_fields))
        object.__setattr__(self, "__pydantic_fields_set__", shared)
        return self


class Frozen(Lean):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class ClaimKind(StrEnum):
    """What a claim is about. The values are part of the JSON contract."""

    PARAMETERS = "parameters"
    PARAMETER_RANGE = "parameter_range"
    ACTIVE_PARAMETERS = "active_parameters"
    CONTEXT_LENGTH = "context_length"
    LICENSE = "license"
    LICENSE_ID = "license_id"
    ARCHITECTURE = "architecture"
    BASE_MODEL = "base_model"
    TRAINING_TOKENS = "training_tokens"
    LANGUAGES = "languages"
    LANGUAGE_COUNT = "language_count"
    QUALITATIVE = "qualitative"


class ParameterRange(Frozen):
    """`70亿到650亿` is min 7e9, max 6.5e10; `up to 175B` has no min."""

    min: int | None
    max: int


INT_KINDS = {
    ClaimKind.PARAMETERS,
    ClaimKind.ACTIVE_PARAMETERS,
    ClaimKind.CONTEXT_LENGTH,
    ClaimKind.TRAINING_TOKENS,
    ClaimKind.LANGUAGE_COUNT,
}
STR_KINDS = {ClaimKind.LICENSE, ClaimKind.LICENSE_ID, ClaimKind.ARCHITECTURE, ClaimKind.BASE_MODEL}


class Claim(Frozen):
    """One thing a document says about an entry, with the exact words it came from.

    `field` names the cell the words are in: `name`, `description`, or the header of a
    fact column such as `Params (B)`.
    """

    kind: ClaimKind
    value: int | ParameterRange | str | list[str] | None
    text: str
    field: str
    # Only for a claim whose words stand elsewhere than the entry's line: a statement
    # above a list ("These LLMs are all licensed for commercial use") applied to each entry.
    line: int | None = Field(default=None, exclude_if=lambda line: line is None)
    # A lower bound rather than a value: `long context (32K+)` is a window of at least 32K.
    at_least: bool = Field(default=False, exclude_if=lambda at_least: not at_least)

    @field_validator("text", "field")
    @classmethod
    def _neutral_words(cls, value: str) -> str:
        return neutral(value, MAX_WORDS)

    @model_validator(mode="after")
    def _value_fits_kind(self) -> Claim:
        value, kind = self.value, self.kind
        ok = (
            (kind in INT_KINDS and isinstance(value, int) and value > 0)
            or (kind in STR_KINDS and isinstance(value, str) and value != "")
            or (kind is ClaimKind.PARAMETER_RANGE and isinstance(value, ParameterRange))
            or (kind is ClaimKind.LANGUAGES and isinstance(value, list) and len(value) > 0)
            or (kind is ClaimKind.QUALITATIVE and value is None)
        )
        if not ok:
            raise ValueError(f"value {value!r} does not fit claim kind {kind}")
        return self

    def value_key(self) -> Any:
        """A hashable form of the value, so one entry states each fact once."""
        if isinstance(self.value, ParameterRange):
            return (self.value.min, self.value.max)
        if isinstance(self.value, list):
            return tuple(self.value)
        if self.kind is ClaimKind.QUALITATIVE:
            return self.text
        return self.value


class Entry(Frozen):
    """One row of a catalog table: a model (or family) the document lists."""

    id: str
    name: str
    document: str
    section: str | None
    line: int
    text: str
    hub_links: list[str]
    claims: list[Claim]

    @field_validator("document")
    @classmethod
    def _posix_path(cls, value: str) -> str:
        return str(PurePosixPath(value))

    @field_validator("name", "section")
    @classmethod
    def _neutral_name(cls, value: str | None) -> str | None:
        return neutral(value, MAX_NAME).strip() if value is not None else None

    @field_validator("text")
    @classmethod
    def _neutral_text(cls, value: str) -> str:
        return neutral(value, MAX_ENTRY_TEXT)


class Notice(Frozen):
    """Something read but not turned into data - a table with no name column, a row
    with an empty name, a licence the rules do not know. Reported, never guessed at."""

    document: str
    line: int
    message: str

    @field_validator("message")
    @classmethod
    def _neutral_message(cls, value: str) -> str:
        return neutral(value, MAX_ENTRY_TEXT)


class ColumnReading(Frozen):
    """How one column (or list label) was read: its role and why."""

    header: str
    role: str | None
    how: str


class Reading(Frozen):
    """How one block of a document was read, for `syncer claims --explain`."""

    document: str
    line: int
    style: str  # pipe table, html table, list, fields, headings
    catalog: bool
    reason: str  # why it is, or is not, a catalog
    entries: int = 0
    linked: int = 0  # entries that link to a model repo or code
    columns: list[ColumnReading] = []


class Catalog(Frozen):
    """Every entry of every document read, in document order, and what was passed over."""

    documents: list[str]
    entries: list[Entry]
    notices: list[Notice]
    readings: list[Reading] = []
