"""Whether a repo's name is an entry's own: the entry's name, continued by sizes, roles and
revisions, not by another version or a re-packaging.

Names are compared as tokens, sizes set aside: `Qwen1.5-7B-Chat` is qwen, 1.5, chat (size
7B); the entry `Qwen1.5` is qwen, 1.5. A repo fits an entry when the entry's tokens begin
the repo's, and what follows is no bare version number (`Llama-2-7b` is not the original
`LLaMA`; `Mistral-7B-v0.1` is Mistral: a `v` revision is the same model), no word of a
quantisation, adapter, delta or merge the entry's name does not have itself, and no size
the entry does not state. `init` needs this to be right far more than to be complete: a
repo that fits no better than this stays a comment for a person to judge.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from syncer.families import PACKAGING_WORDS, ROLE_WORDS
from syncer.hub.parameters import nominal_size
from syncer.models import ClaimKind, Entry

# Words in a repo name that make it something made from a model, not the model: the
# re-packagings `families` knows, and weight deltas, diffs and merges.
DERIVED_WORDS = PACKAGING_WORDS | {"delta", "diff", "wdiff", "xor", "merge", "merged", "sharded", "distill", "abliterated"}
# Words a model's own repo may glue to its name (`AquilaChat2` is Aquila2's chat model).
GLUED_ROLES = ("chat", "instruct", "base", "sft", "code", "coder")
# Words a repo name may add to the entry's and still be the entry's model: roles, stages and
# generic words. Any other word (`Mistral-Nemo`, `falcon-mamba`, `deepseek-coder`) names
# another line of the family, unless the entry's own text uses it.
SAME_LINE_WORDS = ROLE_WORDS | {"inst", "llm", "lm", "gpt", "alpha", "beta", "preview", "large", "small", "medium", "xl", "xxl"}
SIZE_TOLERANCE = 0.1  # `galactica-6.7b` is the 6.7B the entry states; 62亿 is `chatglm-6b`

_SIZE_TOKEN = re.compile(r"(?:\d+x)?\d+(?:\.\d+)?[bmt]\d*")
_GLUED_VERSION = re.compile(r"([a-z]{2,}?)(\d+(?:\.\d+)*)")
_GLUED_SIZE = re.compile(r"([a-z]{2,}?)(\d+(?:\.\d+)?[bmt])")
_BARE_VERSION = re.compile(r"\d+(?:\.\d+)*")
_REVISION_OR_WINDOW = re.compile(r"v\d+(?:\.\d+)*|\d+k")


def name_tokens(text: str) -> list[str]:
    """`Qwen1.5-7B-Chat` -> qwen, 1.5, 7b, chat; `Mistral7B` -> mistral, 7b; `UltraLM系列` -> ultralm.
    Letters other than ASCII (a Chinese name's words) are no tokens: they cannot be in a repo id."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^a-z0-9.]+", " ", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", text)
    tokens: list[str] = []
    for part in text.split():
        glued = _GLUED_VERSION.fullmatch(part) or _GLUED_SIZE.fullmatch(part)
        if glued and not part.startswith("v"):
            tokens += [glued.group(1), glued.group(2)]
        else:
            tokens.append(part)
    return [_plain_version(token) for token in tokens]


def _plain_version(token: str) -> str:
    """`2.0` is version 2, as `Yuan2` writes it."""
    return re.sub(r"(\.0)+$", "", token) if _BARE_VERSION.fullmatch(token) else token


def stem(tokens: list[str]) -> list[str]:
    """The tokens that name the model: sizes set aside."""
    return [token for token in tokens if not _SIZE_TOKEN.fullmatch(token)]


@dataclass(frozen=True)
class NameFit:
    """How a repo's name fits an entry's: `matched` tokens of the entry's name begin the
    repo's (0: it does not fit); `problem` says why it is still not the entry's own."""

    matched: int
    problem: str | None = None

    @property
    def good(self) -> bool:
        return self.matched > 0 and self.problem is None


def entry_sizes(entry: Entry) -> set[int]:
    return {claim.value for claim in entry.claims if claim.kind is ClaimKind.PARAMETERS and isinstance(claim.value, int)}


def fit(entry: Entry, repo_id: str) -> NameFit:
    own = stem(name_tokens(entry.name))
    if not own:
        return NameFit(0, "the entry's name has no Latin letters to compare with repo names")
    repo_name = repo_id.rsplit("/", 1)[-1]
    theirs = stem(name_tokens(repo_name))
    matched = _prefix(own, theirs)
    if matched is None and own[-1] == "1":  # `Qwen1` is published as `Qwen-7B`: version 1 goes unwritten
        matched = _prefix(own[:-1], theirs)
    if not matched:
        return NameFit(0, f"{repo_name!r} does not begin with the entry's name")
    rest = theirs[matched:]
    if rest and _BARE_VERSION.fullmatch(rest[0]):
        return NameFit(matched, f"{repo_name!r} is another version ({rest[0]}) than the entry names")
    own_words = set(own) | set(name_tokens(entry.text))
    derived = sorted((set(rest) | set(name_tokens(repo_name))) & DERIVED_WORDS - own_words)
    if derived:
        return NameFit(matched, f"{repo_name!r} is a re-packaging or derivative ({', '.join(derived)})")
    other_line = [word for word in rest if word not in SAME_LINE_WORDS | own_words and not _REVISION_OR_WINDOW.fullmatch(word)]
    if other_line:
        return NameFit(matched, f"{repo_name!r} adds {', '.join(other_line)}: another line of the family than the entry names")
    sizes = entry_sizes(entry)
    size = nominal_size(repo_id)
    if sizes and size and not any(abs(size - stated) <= SIZE_TOLERANCE * stated for stated in sizes):
        return NameFit(matched, f"its size ({size / 1e9:g}B) is not one the entry states")
    return NameFit(len(own))


def _prefix(own: list[str], theirs: list[str]) -> int | None:
    """How many tokens of `own` begin `theirs` (all or None); a token may carry a glued role."""
    if not own or len(theirs) < len(own):
        return None
    for mine, other in zip(own, theirs, strict=False):
        if not (other == mine or (other.startswith(mine) and other[len(mine):] in GLUED_ROLES)):
            return None
    return len(own)


class Owners:
    """Which of a catalog's entries a repo's name is (`owner`), asked only of the entries whose
    name the repo's could begin with, not of every entry: `syncer init` asks it of each
    candidate of each unmapped entry (25,000 times for 500 of them), and over a 50,000-entry
    catalog that would be a billion fits.

    A repo fits an entry only if the entry name's tokens begin the repo name's, each as it is
    or with a role glued on (`qwenchat` for `Qwen`), the entry's version 1 perhaps unwritten
    (`Qwen1` as `Qwen-7B`): the index is by those tokens, and the answer is the one `owner`
    gives over the whole catalog."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by_name: dict[tuple[str, ...], list[Entry]] = {}
        for entry in entries:
            own = tuple(stem(name_tokens(entry.name)))
            if own:
                self._by_name.setdefault(own, []).append(entry)
            if len(own) > 1 and own[-1] == "1":
                self._by_name.setdefault(own[:-1], []).append(entry)

    def of(self, repo_id: str) -> Entry | None:
        theirs = stem(name_tokens(repo_id.rsplit("/", 1)[-1]))
        keys: list[tuple[str, ...]] = [()]
        found: dict[int, Entry] = {}
        for token in theirs:
            unglued = [token, *(token[: -len(role)] for role in GLUED_ROLES if token.endswith(role) and token != role)]
            keys = [(*key, variant) for key in keys for variant in unglued]
            for key in keys:
                found |= {id(entry): entry for entry in self._by_name.get(key, [])}
        return owner(repo_id, list(found.values()))


def owner(repo_id: str, entries: list[Entry]) -> Entry | None:
    """The one entry whose name the repo's fits best (`Llama-2-7b-hf` is `LLama2`'s, not
    `LLama`'s), or None when none fits or two fit equally well."""
    fits = [(fit(entry, repo_id), entry) for entry in entries]
    good = [(name_fit.matched, entry) for name_fit, entry in fits if name_fit.good]
    if not good:
        return None
    best = max(matched for matched, _ in good)
    winners = [entry for matched, entry in good if matched == best]
    if len(winners) > 1:
        return None
    # A longer name that fits as well but for a problem (`MPT-30B`'s `mpt-7b`) leaves it to the shorter.
    return winners[0]
