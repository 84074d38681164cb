"""The curated mapping: which Hub repos each catalog entry is about, and why.

A mapping file is YAML keyed by entry id (DESIGN.md, "Mapping file"). People edit it, so
every problem is reported with its file and line, all at once, and the file is read
strictly: an unknown key is a typo until proven otherwise. YAML is read with the safe
loader only; tags that build objects are errors.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
import yaml.composer
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from syncer.errors import NoMappings
from syncer.models import MAX_ENTRY_TEXT, MAX_NAME, Catalog
from syncer.untrusted import neutral, valid_repo_id

# libyaml's safe loader when PyYAML has it (much faster on big files), the pure one otherwise.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Who chose a repo: `document` - the catalog links or names it; `search` - `syncer init`
# picked it from a Hub search and no person has reviewed it yet (delete the key once you have).
RepoSource = Literal["document", "search"]


class RepoRef(BaseModel):
    """One Hub repo of an entry, optionally with a note on why it is there."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    note: str | None = None
    source: RepoSource | None = None
    # The id the repo had before the Hub renamed it: a document that still links the old id
    # is satisfied by this repo (`check`), and the report's rename advice writes it.
    renamed_from: str | None = None

    @field_validator("id", "renamed_from")
    @classmethod
    def _valid_repo_id(cls, value: str | None) -> str | None:
        return None if value is None else check_repo_id(value)

    @property
    def unreviewed(self) -> bool:
        return self.source == "search"


def check_repo_id(value: str) -> str:
    """A repo id by huggingface_hub's own rules (untrusted.valid_repo_id), as `org/name`: no
    paths, no URLs."""
    if not valid_repo_id(value):
        raise ValueError(f"invalid repo id {value!r}: expected `org/name` with letters, digits, '-', '_' or '.'")
    if "/" not in value:
        raise ValueError(f"invalid repo id {value!r}: expected `org/name` (the organisation is part of the id)")
    return value


class Acceptance(BaseModel):
    """A finding a maintainer has looked at and accepts, for a reason, maybe until a date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str  # the claim's `text`, exactly as `syncer claims` shows it
    reason: str
    until: date | None = None

    @field_validator("text", "reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("until", mode="before")
    @classmethod
    def _iso_date(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"{value!r} is not a date as YYYY-MM-DD")
        return value


class EntryMapping(BaseModel):
    """What one catalog entry maps to: its repos, or why it has none on the Hub."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    repos: list[RepoRef] | None = None
    not_on_hub: str | None = None
    note: str | None = None
    # Repos someone considered and rejected (e.g. a document's link to a fine-tune):
    # `check` stops proposing them.
    declined: list[RepoRef] = []
    # Findings a maintainer accepts: they keep their verdict but do not fail a run.
    accept: list[Acceptance] = []
    # What is left to decide (`syncer init` writes one where nothing was confident): `check`
    # warns on it with its line, and `check --strict` fails.
    todo: str | None = None

    @field_validator("name")
    @classmethod
    def _neutral_name(cls, value: str) -> str:
        """Read as the catalog's names are (models.Entry), so the two compare."""
        return neutral(value, MAX_NAME).strip()

    @field_validator("not_on_hub", "note")
    @classmethod
    def _neutral_words(cls, value: str | None) -> str | None:
        return neutral(value, MAX_ENTRY_TEXT) if value is not None else None

    @field_validator("repos", "declined", mode="before")
    @classmethod
    def _plain_ids_are_refs(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"id": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _repos_or_reason(self) -> EntryMapping:
        if self.repos and self.not_on_hub:
            raise ValueError("has both `repos` and `not_on_hub`; keep one")
        if self.todo is not None and not self.todo.strip():
            raise ValueError("has an empty `todo`; say what is left to decide, or delete it")
        if not self.repos and not (self.not_on_hub and self.not_on_hub.strip()) and not self.todo:
            raise ValueError("needs `repos` (a list of Hub repo ids), `not_on_hub: <reason>` or `todo: <what is left>`")
        return self

    def known_ids(self) -> set[str]:
        """Every repo id (lower case) this mapping accounts for: its repos, the ids they were
        renamed from, and the repos it declines."""
        refs = (self.repos or []) + self.declined
        return {ref.id.lower() for ref in refs} | {ref.renamed_from.lower() for ref in refs if ref.renamed_from}


@dataclass(frozen=True)
class Location:
    path: str
    line: int


@dataclass(frozen=True)
class MappedEntry:
    """An entry's mapping with where it is written, so messages can point at it."""

    entry_id: str
    mapping: EntryMapping
    where: Location
    name_line: int
    repo_lines: tuple[int, ...]
    accept_lines: tuple[int, ...] = ()
    todo_line: int | None = None


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Mappings:
    """Every mapping file read, and every problem found in them."""

    files: list[str]
    entries: dict[str, MappedEntry]
    problems: list[Problem]
    # Ids whose mapping is written but invalid: reported as problems, never as "unmapped".
    invalid: frozenset[str] = frozenset()

    @cached_property
    def publishers(self) -> frozenset[str]:
        """The authors (lower case) of every mapped repo: made once, not once per entry that
        `suggest` or `init` ranks candidates for (which made them quadratic)."""
        return frozenset(ref.id.split("/")[0].lower() for mapped in self.entries.values() for ref in mapped.mapping.repos or [])


WRITE_ONE = "`syncer init` writes one from the catalog (then `syncer check`)"


def mapping_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise NoMappings(f"no *.yaml mapping files in this folder; {WRITE_ONE}", path=path)
        return files
    if not path.exists():
        raise NoMappings(f"no such file or directory; {WRITE_ONE}", path=path)
    return [path]


def load_mappings_if_any(path: Path) -> Mappings:
    """The mappings at `path`, or none at all when there is no mapping file yet (`init`, `suggest`)."""
    try:
        return load_mappings(path)
    except NoMappings:
        return Mappings([], {}, [])


def load_mappings(path: Path) -> Mappings:
    """Read and validate every mapping file; problems are collected, not raised."""
    entries: dict[str, MappedEntry] = {}
    problems: list[Problem] = []
    invalid: set[str] = set()
    files = mapping_files(path)
    for file in files:
        _read_file(file, entries, problems, invalid)
    return Mappings([str(file) for file in files], entries, problems, frozenset(invalid))


class _AliasUsed(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


if TYPE_CHECKING:
    _SafeLoader = yaml.SafeLoader
else:
    _SafeLoader = SAFE_LOADER


class _EntryByEntry(_SafeLoader, yaml.composer.Composer):
    """Composes a mapping file one top-level entry at a time: a file of 50,000 entries is
    never one tree of nodes (several KB each, with their marks) held whole.

    libyaml's parser has no Python `compose_node`; PyYAML's own composer builds the nodes of
    one entry from the events it parses."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.anchors = {}  # what Composer.__init__ sets up, which libyaml's loader does not call

    def compose_node(self, parent: yaml.Node | None, index: int | None) -> yaml.Node | None:
        # An alias can make a few lines expand to billions of values (or loop); mappings need none.
        if self.check_event(yaml.AliasEvent):
            raise _AliasUsed(self.peek_event().start_mark.line + 1)
        # types-PyYAML types `index` as int; PyYAML's composer passes None for a mapping's keys.
        node: yaml.Node | None = super().compose_node(parent, index)  # type: ignore[arg-type]
        return node


def _entry_nodes(loader: _EntryByEntry) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """The (key, value) nodes of a mapping file's top-level mapping, one pair at a time;
    nothing for an empty file, _NotAMapping for a file that holds something else."""
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return
    document = loader.get_event()
    if not loader.check_event(yaml.MappingStartEvent):
        raise _NotAMapping(loader.peek_event().start_mark.line + 1)
    loader.get_event()
    while not loader.check_event(yaml.MappingEndEvent):
        key_node = loader.compose_node(None, None)
        value_node = loader.compose_node(None, None)
        assert key_node is not None and value_node is not None  # an event of a mapping composes a node
        yield key_node, value_node
    loader.get_event()  # mapping end
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        raise yaml.composer.ComposerError(
            "expected a single document in the stream", document.start_mark, "but found another document",
            loader.get_event().start_mark,
        )  # fmt: skip


class _NotAMapping(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _read_file(file: Path, entries: dict[str, MappedEntry], problems: list[Problem], invalid: set[str]) -> None:
    shown = str(file)
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(shown, None, "not UTF-8; save the mapping as UTF-8"))
        return
    except OSError as exc:
        problems.append(Problem(shown, None, f"cannot read: {exc.strerror or exc}"))
        return
    # A file that is not YAML, or uses aliases, is one problem and maps nothing: what is read
    # of it is kept aside until the whole file has been read.
    found: dict[str, MappedEntry] = {}
    found_problems: list[Problem] = []
    found_invalid: set[str] = set()
    loader = _EntryByEntry(text)
    # Both files' entries so far, without copying them for every entry (which made loading quadratic).
    known = ChainMap(found, entries)
    try:
        for key_node, value_node in _entry_nodes(loader):
            _read_entry(shown, key_node, value_node, known, found, found_problems, found_invalid)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(shown, mark.line + 1 if mark else None, f"YAML error: {_yaml_reason(exc)}"))
        return
    except _AliasUsed as alias:
        problems.append(Problem(shown, alias.line, "YAML anchors and aliases (&name, *name) are not allowed in a mapping"))
        return
    except _NotAMapping as not_a_mapping:
        problems.append(Problem(shown, not_a_mapping.line, "expected a mapping of entry ids to entries"))
        return
    finally:
        loader.dispose()
    entries.update(found)
    problems += found_problems
    invalid.update(found_invalid)


_CONSTRUCTOR = SAFE_LOADER("")  # builds values from the nodes; tags that make objects fail


def _read_entry(
    shown: str, key_node: yaml.Node, value_node: yaml.Node, known: Mapping[str, MappedEntry], entries: dict[str, MappedEntry],
    problems: list[Problem], invalid: set[str],
) -> None:  # fmt: skip
    line = key_node.start_mark.line + 1
    entry_id = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
    if not isinstance(entry_id, str) or not entry_id:
        problems.append(Problem(shown, line, "an entry id must be a plain string"))
        return
    if entry_id in known:
        first = known[entry_id].where
        problems.append(Problem(shown, line, f"{entry_id}: mapped twice (first at {first.path}:{first.line})"))
        return
    try:
        value = _CONSTRUCTOR.construct_document(value_node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(shown, mark.line + 1 if mark else line, f"{entry_id}: YAML error: {_yaml_reason(exc)}"))
        invalid.add(entry_id)
        return
    problems += [Problem(shown, dup_line, f"{entry_id}: {message}") for dup_line, message in _duplicate_keys(value_node)]
    try:
        mapping = EntryMapping.model_validate(value)
    except ValidationError as exc:
        for error in exc.errors():
            where = _line_of(value_node, error["loc"]) or line
            problems.append(Problem(shown, where, f"{entry_id}: {_pydantic_reason(error)}"))
        invalid.add(entry_id)
        return
    repo_lines = tuple(_line_of(value_node, ("repos", index)) or line for index in range(len(mapping.repos or [])))
    name_line = _line_of(value_node, ("name",)) or line
    accept_lines = tuple(_line_of(value_node, ("accept", index)) or line for index in range(len(mapping.accept)))
    todo_line = _line_of(value_node, ("todo",)) if mapping.todo else None
    entries[entry_id] = MappedEntry(entry_id, mapping, Location(shown, line), name_line, repo_lines, accept_lines, todo_line)
    problems += [
        Problem(shown, repo_lines[index], f"{entry_id}: {repo.id} is listed twice")
        for index, repo in enumerate(mapping.repos or [])
        if any(repo.id.lower() == earlier.id.lower() for earlier in (mapping.repos or [])[:index])
    ]


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    return f"{context}: {problem}" if context else str(problem)


def _pydantic_reason(error: Any) -> str:
    loc = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        if len(error["loc"]) == 3 and error["loc"][0] in ("repos", "declined"):
            return f"unknown key `{loc}` (a repo allows: id, note, source, renamed_from)"
        return f"unknown key `{loc}` (allowed: name, repos, not_on_hub, todo, note, declined, accept)"
    message = error["msg"].removeprefix("Value error, ")
    return f"`{loc}`: {message}" if loc else message


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    """The YAML line of a pydantic error location (`('repos', 2, 'id')`)."""
    line = None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _duplicate_keys(node: yaml.Node) -> list[tuple[int, str]]:
    """YAML keeps the last of two equal keys silently; a person meant one of them."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    found.append((key.start_mark.line + 1, f"key `{key.value}` appears twice"))
                seen.add(key.value)
            found += _duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += _duplicate_keys(item)
    return found


def check_against_catalog(mappings: Mappings, catalog: Catalog) -> tuple[list[Problem], list[str]]:
    """Problems between the mapping and the catalog, and the ids of unmapped entries.

    A mapping for no entry, a name that differs from the catalog's, and a repo the
    document links to that the mapping neither lists nor declines are problems.
    """
    problems = []
    by_id = {entry.id: entry for entry in catalog.entries}
    for entry_id, mapped in mappings.entries.items():
        where = mapped.where
        entry = by_id.get(entry_id)
        if entry is None:
            problems.append(Problem(where.path, where.line, f"{entry_id}: no catalog entry has this id"))
            continue
        if mapped.mapping.name != entry.name:
            problems.append(
                Problem(
                    where.path,
                    mapped.name_line,
                    f"{entry_id}: name {mapped.mapping.name!r} does not match the catalog's {entry.name!r} "
                    f"({entry.document}:{entry.line})",
                )
            )
        texts = {claim.text for claim in entry.claims}
        for index, accepted in enumerate(mapped.mapping.accept):
            if accepted.text not in texts:
                line = mapped.accept_lines[index] if index < len(mapped.accept_lines) else where.line
                shown_texts = ", ".join(repr(text) for text in sorted(texts)[:6]) or "none"
                problems.append(Problem(where.path, line, f"{entry_id}: `accept` text {accepted.text!r} matches no claim "
                                                          f"of this entry (its claims: {shown_texts})"))  # fmt: skip
        known = mapped.mapping.known_ids()
        for link in entry.hub_links:
            if link.lower() not in known:
                problems.append(
                    Problem(
                        where.path,
                        where.line,
                        f"{entry_id}: the document links {link} ({entry.document}:{entry.line}); "
                        "add it to `repos`, or to `declined` with a note",
                    )
                )
    unmapped = [e.id for e in catalog.entries if e.id not in mappings.entries and e.id not in mappings.invalid]
    return problems, unmapped


def review_notes(mappings: Mappings, catalog: Catalog) -> tuple[list[Problem], list[Problem]]:
    """What a person has still to do in the mappings, each at its line: the to-dos, and the
    repos a search chose (`source: search`) that neither a person nor the document confirmed.
    `check` shows both as warnings; `check --strict` fails on them."""
    links = {entry.id: {link.lower() for link in entry.hub_links} for entry in catalog.entries}
    todos, unreviewed = [], []
    for entry_id, mapped in mappings.entries.items():
        if mapped.mapping.todo:
            line = mapped.todo_line or mapped.where.line
            todos.append(Problem(mapped.where.path, line, f"{entry_id}: to do: {mapped.mapping.todo}"))
        for index, ref in enumerate(mapped.mapping.repos or []):
            if is_unreviewed(ref, links.get(entry_id, set())):
                line = mapped.repo_lines[index] if index < len(mapped.repo_lines) else mapped.where.line
                why = f"{entry_id}: {ref.id} was chosen by a search and is not reviewed; delete `source: search` once it is right"
                unreviewed.append(Problem(mapped.where.path, line, why))
    return todos, unreviewed


def is_unreviewed(ref: RepoRef, document_links: set[str]) -> bool:
    """A search-chosen repo is unreviewed until a person removes the mark, or the document
    itself links it (`document_links`: the entry's links, lower case)."""
    return ref.unreviewed and ref.id.lower() not in document_links and (ref.renamed_from or "").lower() not in document_links
