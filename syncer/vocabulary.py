"""The shape of the vocabulary (`rules/claims.yaml`) and the licence policy (`rules/licenses.yaml`).

People edit these files to teach syncer new words, so they are read strictly and every slip
is an error naming its file and line: an unknown key or column role, a licence value that is
not one syncer knows, a word listed twice or a header given two roles, a unit with no
magnitude, and a licence id the words can produce that the policy has no row for (a claim
that could never be judged). A file that loads is one `syncer claims` reads in full.

Further vocabulary files (a project's own words) have the same shape, every section
optional, plus a `licenses:` section shaped like `licenses.yaml`; their words are added to
the packaged ones. Repeating a packaged word is harmless; giving it another meaning (a header
another role, a phrase another value, a licence another row) is an error naming both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import yaml
import yaml.constructor
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, StringConstraints, ValidationError

from syncer.errors import RulesError

CLAIMS_FILE = "syncer/rules/claims.yaml"
POLICY_FILE = "syncer/rules/licenses.yaml"


class ColumnRole(StrEnum):
    """What a table column (or a list label such as `* 地址：`) says about an entry."""

    NAME = "name"
    DESCRIPTION = "description"
    PARAMETERS = "parameters"
    ACTIVE_PARAMETERS = "active_parameters"
    CONTEXT_LENGTH = "context_length"
    LICENSE = "license"
    COMMERCIAL = "commercial"
    TRAINING_TOKENS = "training_tokens"
    LANGUAGES = "languages"
    ARCHITECTURE = "architecture"
    BASE_MODEL = "base_model"
    VARIANTS = "variants"
    TRAINING_DATA = "training_data"
    LINKS = "links"
    IGNORE = "ignore"


# A table may have several columns of these (two link columns, notes beside a description);
# a second column of any other role is a different fact and is left unread.
REPEATABLE_ROLES = frozenset({ColumnRole.DESCRIPTION, ColumnRole.LINKS, ColumnRole.IGNORE, ColumnRole.VARIANTS})
# Columns read for their links (or not at all), never for claims.
CLAIMLESS_ROLES = frozenset({ColumnRole.NAME, ColumnRole.LINKS, ColumnRole.IGNORE})

# What a licence phrase says about commercial use (the `license` claim's values).
LicenceValue = Literal["commercial", "conditional", "open_source", "non_commercial"]
# What a licence allows commercially (a row of the policy).
CommercialAnswer = Literal["yes", "conditional", "no"]
# A licence claim's value for a licence of its own, looked up by the repo's `license_name`.
CUSTOM_LICENCE = "other"

Words = list[str]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]  # ISO 639-1


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParameterWords(_Section):
    units: Words = []
    units_with_word: Words = []
    name_units: Words = []
    small_units: Words = []
    active_units: Words = []
    words: Words = []
    upper_bound_words: Words = []
    range_joiners: Words = []
    list_joiners: Words = []
    active_prefixes: Words = []
    architecture_words: dict[str, Words] = {}


class ContextWords(_Section):
    units: Words = []
    words_before: Words = []
    words_after: Words = []
    words_before_plain_number: Words = []


class TokenWords(_Section):
    units: Words = []
    words: Words = []
    over_words: Words = []
    between: Words = []
    number_words: dict[str, int] = {}


class NotAboutTheEntry(_Section):
    after_number: Words = []
    before_number: Words = []
    other_model_after: Words = []
    example_openers: Words = []


class ComparisonWords(_Section):
    before_mention: Words = []
    after_mention: Words = []
    model_names: Words = []


class LicenceWords(_Section):
    phrases: dict[str, LicenceValue] = {}
    negations: Words = []
    negated_value: LicenceValue | None = None
    of_another_before: Words = []
    custom_words: Words = []
    variant_words: Words = []
    licensed_words: Words = []
    conditions: Words = []
    yes_words: Words = []
    no_words: Words = []


class LineageWords(_Section):
    names: dict[str, Words] = {}
    model_types: dict[str, Words] = {}
    repo_words: dict[str, Words] = {}
    not_a_base_after: Words = []
    not_a_base_after_unless: Words = []
    not_a_base_right_after: Words = []
    not_a_base_before: Words = []
    not_a_base_listed_after: Words = []
    another_model_before: Words = []
    member_words: Words = []
    base_cues: Words = []
    phrase_before: Words = []
    phrase_after: Words = []


class LanguageWords(_Section):
    words: dict[str, list[LanguageCode]] = {}
    abbreviations: dict[str, list[LanguageCode]] = {}
    abbreviation_after: Words = []
    not_languages: Words = []
    not_a_language_after: Words = []
    not_a_language_before: Words = []
    negations: Words = []
    shortfalls: Words = []
    plans: Words = []
    data_subjects: Words = []
    data_copulas: Words = []
    joiners: Words = []
    count_words: Words = []


class QualitativeWords(_Section):
    words: Words = []
    size_words: Words = []
    not_words: Words = []


class DocumentWords(_Section):
    not_a_catalog: dict[str, Words] = {}
    generic_words: Words = []
    weak_words: Words = []
    statement_words: Words = []
    topic_sections: Words = []
    topic_subsections: Words = []
    lead_suffixes: Words = []
    family_suffixes: Words = []
    lead_domains: Words = []
    vendors: Words = []
    org_suffixes: Words = []
    data_nouns: Words = []


class ClaimsVocabulary(_Section):
    """`rules/claims.yaml`: the words claims are read with. The comments in the file say what each section does."""

    columns: dict[ColumnRole, Words] = {}
    column_words: dict[ColumnRole, Words] = {}
    magnitudes: dict[str, PositiveInt] = {}
    parameters: ParameterWords = ParameterWords()
    context: ContextWords = ContextWords()
    training_tokens: TokenWords = TokenWords()
    not_about_the_entry: NotAboutTheEntry = NotAboutTheEntry()
    comparison: ComparisonWords = ComparisonWords()
    license: LicenceWords = LicenceWords()
    license_ids: dict[str, str] = {}
    architecture: dict[str, Words] = {}
    lineage: LineageWords = LineageWords()
    languages: LanguageWords = LanguageWords()
    qualitative: QualitativeWords = QualitativeWords()
    clause_separators: Words = []
    documents: DocumentWords = DocumentWords()

    def unit_lists(self) -> dict[tuple[str, str], Words]:
        """Every list of units, by where it stands: each needs a magnitude."""
        sections = {"parameters": self.parameters, "context": self.context, "training_tokens": self.training_tokens}
        return {
            (section, name): units
            for section, words in sections.items()
            for name, units in words
            if name in ("units", "units_with_word", "name_units", "small_units", "active_units")
        }


class PolicyRow(_Section):
    """May a licence's model be used commercially: a decision, with its source."""

    commercial: CommercialAnswer
    open_source: bool  # OSI-approved or an open content licence
    condition: str | None = None  # what `conditional` depends on, shown in verdicts
    source: Annotated[str, Field(min_length=1)]


class LicencePolicy(_Section):
    """`rules/licenses.yaml`: the Hub's licence ids, and `license: other` licences by name or link."""

    ids: dict[str, PolicyRow] = {}
    other: dict[str, PolicyRow] = {}
    links: dict[str, str] = {}  # a fragment of a card's license_link -> a key of `other`


class VocabularyExtension(ClaimsVocabulary):
    """A further vocabulary file: any sections of `claims.yaml`, and licence rows under `licenses:`."""

    licenses: LicencePolicy = LicencePolicy()


@dataclass(frozen=True)
class Vocabulary:
    """The vocabulary and licence policy a run reads with: the packaged files and any extensions."""

    words: ClaimsVocabulary
    policy: LicencePolicy
    files: tuple[str, ...]  # as messages name them, packaged first


def load_vocabulary(extra: tuple[Path, ...] = ()) -> Vocabulary:
    """The packaged vocabulary and policy, extended by `extra` files in order; RulesError if any is malformed."""
    packaged = resources.files("syncer").joinpath("rules")
    parts = [
        _read_part(packaged.joinpath("claims.yaml").read_text(encoding="utf-8"), CLAIMS_FILE, ClaimsVocabulary, None),
        _read_part(packaged.joinpath("licenses.yaml").read_text(encoding="utf-8"), POLICY_FILE, LicencePolicy, ()),
    ]
    for path in extra:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise RulesError(f"cannot read: {exc}", path=path) from None
        parts.append(_read_part(text, str(path), VocabularyExtension, ("licenses",)))
    return _combine(parts)


def read_policy(text: str, shown: str = POLICY_FILE) -> LicencePolicy:
    """One licence policy file on its own, checked."""
    return _combine([_read_part(text, shown, LicencePolicy, ())]).policy


# --- reading a file, with the line of every key and item ---------------------------------


# libyaml's composer when PyYAML has it (a tenth of the time); its nodes carry their marks too.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Problem:
    shown: str  # the file, as messages name it
    line: int | None
    message: str


@dataclass(frozen=True)
class YamlDocument:
    """A YAML file's values as the safe loader builds them, and the line each key and item is on."""

    shown: str
    data: Any
    lines: dict[tuple[Any, ...], int]  # ('columns', 'name', 3) -> 1-based line

    def line_of(self, location: tuple[Any, ...]) -> int | None:
        """The line of `location`, or of the nearest enclosing key that is in the file."""
        for end in range(len(location), 0, -1):
            if location[:end] in self.lines:
                return self.lines[location[:end]]
        return None

    def problem(self, location: tuple[Any, ...], message: str) -> Problem:
        """A problem on the line of `location`, its message led by the section (`columns.name`)."""
        return Problem(self.shown, self.line_of(location), f"`{_dotted(location)}`: {message}")


def read_yaml(text: str, shown: str) -> tuple[YamlDocument, list[Problem]]:
    """The document, and the keys it repeats (PyYAML would keep the last of them, silently)."""
    lines: dict[tuple[Any, ...], int] = {}
    problems: list[Problem] = []
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
        data = _plain(root, (), lines, problems, yaml.constructor.SafeConstructor(), shown)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RulesError(f"not valid YAML: {getattr(exc, 'problem', None) or exc}", path=shown,
                         line=mark.line + 1 if mark else None) from None  # fmt: skip
    return YamlDocument(shown, data, lines), problems


def _plain(node: yaml.Node | None, at: tuple[Any, ...], lines: dict[tuple[Any, ...], int], problems: list[Problem],
           constructor: yaml.constructor.SafeConstructor, shown: str) -> Any:  # fmt: skip
    """The value of `node`, recording where each key and item stands."""
    if isinstance(node, yaml.MappingNode):
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = constructor.construct_object(key_node, deep=True) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                problems.append(Problem(shown, line, f"`{_dotted(at)}`: a key must be a plain word"))
            elif key in mapping:
                first = lines[(*at, key)]
                problems.append(Problem(shown, line, f"`{_dotted((*at, key))}` appears twice (first at line {first})"))
            else:
                lines[(*at, key)] = line
                mapping[key] = _plain(value_node, (*at, key), lines, problems, constructor, shown)
        return mapping
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            lines[(*at, index)] = item.start_mark.line + 1
            items.append(_plain(item, (*at, index), lines, problems, constructor, shown))
        return items
    return None if node is None else constructor.construct_object(node, deep=True)


def _dotted(location: tuple[Any, ...]) -> str:
    """`columns.name`: the keys of a location; an item's line says which item it is."""
    return ".".join(str(part) for part in location if isinstance(part, str) and part != "[key]")


# --- one file: its shape, then its words -------------------------------------------------


@dataclass(frozen=True)
class _Part:
    doc: YamlDocument
    words: ClaimsVocabulary | None  # None: a policy file
    policy: LicencePolicy | None  # None: the packaged claims.yaml, which holds no licence rows
    policy_at: tuple[str, ...]  # where the licence rows stand in the file


def _read_part(text: str, shown: str, schema: type[_Section], policy_at: tuple[str, ...] | None) -> _Part:
    doc, problems = read_yaml(text, shown)
    model: _Section | None = None
    try:
        model = schema.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        problems += [Problem(shown, doc.line_of(tuple(error["loc"])), _reason(error, schema)) for error in exc.errors()]
    problems += _repeated(doc.data, (), doc)
    _raise_if_any(problems)
    assert model is not None  # validation raised otherwise
    words = model if isinstance(model, ClaimsVocabulary) else None
    policy = model if isinstance(model, LicencePolicy) else getattr(model, "licenses", None)
    return _Part(doc, words, policy, policy_at or ())


def _reason(error: Any, schema: type[BaseModel]) -> str:
    """A pydantic error as a person editing the file would put it."""
    location: tuple[Any, ...] = tuple(error["loc"])
    kind, value = error["type"], error.get("input")
    if not location:
        return f"expected a mapping of the sections {', '.join(f'`{name}:`' for name in schema.model_fields)}"
    if location[-1] == "[key]":
        section = _dotted(location[:-2])
        if kind in ("literal_error", "enum"):
            return f"`{section}`: unknown key {value!r}; expected one of {_choices(error)}"
        return f"`{section}`: the key {value!r} must be a word (quote it)"
    where, field = f"`{_dotted(location[:-1])}`: " if len(location) > 1 else "", location[-1]
    if kind == "extra_forbidden":
        known = _fields_at(schema, location[:-1])
        return f"{where}unknown key {field!r}" + (f" (known: {', '.join(known)})" if known else "")
    if kind in ("literal_error", "enum"):
        return f"{where}{field} is {value!r}; expected {_choices(error)}"
    if kind == "missing":
        return f"{where}`{field}` is missing"
    if isinstance(value, bool) and kind == "string_type":
        return f"`{_dotted(location)}`: YAML reads an unquoted yes/no/on/off as {value}, not as a word; quote it (\"no\")"
    return f"`{_dotted(location)}`: {error['msg']} (got {value!r})"


def _choices(error: Any) -> str:
    return str((error.get("ctx") or {}).get("expected", "")).replace("'", "")


def _fields_at(schema: type[BaseModel], location: tuple[Any, ...]) -> list[str]:
    """The keys the section at `location` allows, to tell a typo from a key in the wrong place."""
    annotation: Any = schema
    for part in location:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel) and str(part) in annotation.model_fields:
            annotation = annotation.model_fields[str(part)].annotation
        elif get_origin(annotation) in (dict, list):
            annotation = get_args(annotation)[-1]
        else:
            return []
    return list(annotation.model_fields) if isinstance(annotation, type) and issubclass(annotation, BaseModel) else []


def normalise_word(word: str) -> str:
    """A word as matching sees it: case and runs of spaces do not count."""
    return re.sub(r"\s+", " ", word.strip().lower())


def _repeated(value: Any, at: tuple[Any, ...], doc: YamlDocument) -> list[Problem]:
    """Words listed twice and keys given twice in one file, as matching sees them (`MIT`, `mit`)."""
    problems: list[Problem] = []
    if isinstance(value, list):
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            if not isinstance(item, str):
                problems += _repeated(item, (*at, index), doc)
            elif normalise_word(item) in seen and item.strip():
                first_line, line = doc.lines.get((*at, seen[normalise_word(item)])), doc.lines.get((*at, index))
                where = "on this line" if first_line == line else f"first at line {first_line}"
                problems.append(doc.problem((*at, index), f"{item!r} is listed twice ({where})"))
            else:
                seen.setdefault(normalise_word(item), index)
    elif isinstance(value, dict):
        keys: dict[str, str] = {}
        for key, item in value.items():
            if isinstance(key, str) and normalise_word(key) in keys:
                first = keys[normalise_word(key)]
                message = f"{key!r} is given twice (as {first!r} at line {doc.lines.get((*at, first))})"
                problems.append(Problem(doc.shown, doc.lines.get((*at, key)), f"`{_dotted(at)}`: {message}"))
            elif isinstance(key, str):
                keys[normalise_word(key)] = key
            problems += _repeated(item, (*at, key), doc)
    return problems


def _raise_if_any(problems: list[Problem], files: tuple[str, ...] = ()) -> None:
    """The first problem as the error, the others listed below it: a person fixes them all at once."""
    if not problems:
        return
    order = {shown: index for index, shown in enumerate(files)}
    first, *others = sorted(problems, key=lambda problem: (order.get(problem.shown, 0), problem.line or 0))
    more = "".join(f"\n{problem.shown}:{problem.line or '?'}: {problem.message}" for problem in others)
    raise RulesError(first.message + more, path=first.shown, line=first.line)


# --- the files together ---------------------------------------------------------------------


def _combine(parts: list[_Part]) -> Vocabulary:
    problems: list[Problem] = []
    words: dict[str, Any] = {}
    rows: dict[str, dict[str, Any]] = {"ids": {}, "other": {}, "links": {}}
    for part in parts:
        if part.words is not None:
            problems += _merge_words(words, part.words.model_dump(exclude={"licenses"}), (), part, parts)
        if part.policy is not None:
            problems += _merge_policy(rows, part, parts)
    policy = LicencePolicy.model_validate(rows)
    vocabulary = ClaimsVocabulary.model_validate(words) if words else None
    if vocabulary is not None:
        problems += _empty(vocabulary.model_dump(), (), parts[0])
        problems += _roles_given_twice(parts)
        problems += _units_without_magnitude(vocabulary, parts)
        problems += _licences_without_policy(policy, parts)
    problems += _links_without_row(policy, parts)
    files = tuple(part.doc.shown for part in parts)
    _raise_if_any(problems, files)
    return Vocabulary(words=vocabulary or ClaimsVocabulary(), policy=policy, files=files)


def _merge_words(into: dict[Any, Any], extra: dict[Any, Any], at: tuple[Any, ...], part: _Part,
                 parts: list[_Part]) -> list[Problem]:  # fmt: skip
    """Adds a file's words to those before it: a new word joins its list; a known word may not change its meaning."""
    problems = []
    for key, value in extra.items():
        known = next((had for had in into if normalise_word(had) == normalise_word(key)), key)
        if known not in into:
            into[known] = value
        elif isinstance(value, list):
            had = {normalise_word(word) for word in into[known]}
            into[known] = into[known] + [word for word in value if normalise_word(word) not in had]
        elif isinstance(value, dict):
            problems += _merge_words(into[known], value, (*at, known), part, parts)
        elif into[known] is None:
            into[known] = value
        elif value is not None and value != into[known]:
            was = f"{into[known]!r} in {_where(parts, (*at, known))}"
            problems.append(part.doc.problem((*at, key), f"{value!r} here, but {was}"))
    return problems


def _merge_policy(into: dict[str, dict[str, Any]], part: _Part, parts: list[_Part]) -> list[Problem]:
    """A licence row is one decision: a later file may add rows, not change one."""
    assert part.policy is not None
    problems = []
    for section in ("ids", "other", "links"):
        for key, row in getattr(part.policy, section).items():
            if key in into[section] and into[section][key] != row:
                at = (*part.policy_at, section, key)
                problems.append(part.doc.problem(at, f"differs from the row in {_where(parts, (section, key))}"))
            into[section].setdefault(key, row)
    return problems


def _where(parts: list[_Part], location: tuple[Any, ...]) -> str:
    """`syncer/rules/claims.yaml:12`: the first file that has `location` (licence rows wherever they stand)."""
    for part in parts:
        for at in (location, (*part.policy_at, *location)):
            if at in part.doc.lines:
                return f"{part.doc.shown}:{part.doc.lines[at]}"
    return "an earlier file"


def _roles_given_twice(parts: list[_Part]) -> list[Problem]:
    """A header has one role: roles are tried in order, so a second one would never be used."""
    problems = []
    for section in ("columns", "column_words"):
        roles: dict[str, tuple[ColumnRole, str]] = {}
        for part in parts:
            for role, headers in (getattr(part.words, section) if part.words else {}).items():
                for index, header in enumerate(headers):
                    at = (section, role.value, index)
                    here = f"{part.doc.shown}:{part.doc.line_of(at)}"
                    first_role, where = roles.setdefault(normalise_word(header), (role, here))
                    if first_role != role:
                        problems.append(part.doc.problem(at, f"{header!r} already has the role `{first_role.value}` ({where})"))
    return problems


def _empty(value: Any, at: tuple[Any, ...], packaged: _Part) -> list[Problem]:
    """A section with no words would match everywhere (an empty alternation matches the empty string)."""
    if value is None or value == [] or value == {}:
        return [packaged.doc.problem(at, "missing or empty")]
    if isinstance(value, dict):
        return [problem for key, item in value.items() for problem in _empty(item, (*at, key), packaged)]
    return []


def _units_without_magnitude(vocabulary: ClaimsVocabulary, parts: list[_Part]) -> list[Problem]:
    magnitudes = {normalise_word(unit) for unit in vocabulary.magnitudes}
    return [
        part.doc.problem((*at, index), f"the unit {unit!r} has no row in `magnitudes`")
        for part in parts
        if part.words is not None
        for at, units in part.words.unit_lists().items()
        for index, unit in enumerate(units)
        if normalise_word(unit) not in magnitudes
    ]


def _licences_without_policy(policy: LicencePolicy, parts: list[_Part]) -> list[Problem]:
    """A licence id the words can produce needs a policy row, or its claims could never be judged."""
    return [
        part.doc.problem(("license_ids", name), f"{name!r} names {licence!r}, which has no row under `ids:` in {POLICY_FILE}")
        for part in parts
        if part.words is not None
        for name, licence in part.words.license_ids.items()
        if licence != CUSTOM_LICENCE and licence not in policy.ids
    ]


def _links_without_row(policy: LicencePolicy, parts: list[_Part]) -> list[Problem]:
    return [
        Problem(part.doc.shown, part.doc.line_of((*part.policy_at, "links", fragment)),
                f"`{_dotted((*part.policy_at, 'links'))}`: {fragment!r} points at {key!r}, which `other:` does not have")
        for part in parts
        if part.policy is not None
        for fragment, key in part.policy.links.items()
        if key not in policy.other
    ]
