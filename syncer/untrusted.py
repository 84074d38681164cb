"""Text from outside - the Hub's answers, documents - before it is shown anywhere.

Control characters (a terminal escape, a NUL) and Unicode direction overrides (which make
text read differently from what it is) are never content a report needs.
"""

from __future__ import annotations

import re

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def without_controls(text: str, replacement: str = " ") -> str:
    return CONTROL_CHARACTERS.sub(replacement, text)


def neutral(text: str, cap: int) -> str:
    """A string from outside as every output may show it: control and direction characters
    gone (a terminal escape, a NUL, a right-to-left override), at most `cap` characters (a
    1 MiB name would make a report of megabytes). Applied where strings enter the report
    model (models.py), so Markdown, JSON, SARIF, annotations and the terminal all get it."""
    cleaned = without_controls(text)
    return cleaned if len(cleaned) <= cap else cleaned[: cap - 1] + "…"


REPO_ID = re.compile(r"[A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95}")


def repo_id_or_none(value: object) -> str | None:
    """A Hub value that should be a repo id (`Qwen/Qwen2-7B`, a card's `new_version`), if it is one."""
    return value if isinstance(value, str) and REPO_ID.fullmatch(value) else None


def lines_of(text: str, keepends: bool = False) -> list[str]:
    """The lines of a document as git and GitHub count them: split at `\n` only (a `\r`
    before it goes with it). `str.splitlines` also splits at U+2028, form feeds and other
    separators, which would shift every line number after one of them."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # a final newline ends the last line; it does not start another
    elif lines and keepends:
        return [line + "\n" for line in lines[:-1]] + [lines[-1]]
    if keepends:
        return [line + "\n" for line in lines]
    return [line.removesuffix("\r") for line in lines]


# huggingface_hub.utils.validate_repo_id's rules, here so that reading a mapping loads no Hub
# client: 1-96 word characters, '-' or '.' per part, an optional namespace, not starting or
# ending with '-' or '.', no '--' or '..', not ending in '.git'.
_HUB_REPO_ID = re.compile(r"(\b[\w\-.]{1,96}\b/)?\b[\w\-.]{1,96}\b")


def valid_repo_id(value: object) -> bool:
    return (
        isinstance(value, str) and value.count("/") <= 1 and _HUB_REPO_ID.fullmatch(value) is not None
        and "--" not in value and ".." not in value and not value.endswith(".git")
    )  # fmt: skip
