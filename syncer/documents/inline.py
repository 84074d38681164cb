"""Inline Markdown: table rows split into cells, and cells rendered to text plus links."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
# One level of brackets inside a link's text: `[[open]](https://…)`.
_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(<\[=\"'])\bhttps?://[^\s)<>|\"'，。；、）]+")
_ANCHOR = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_EMPHASIS = re.compile(r"(\*\*|__|~~)")
_ENTITIES = {"&nbsp;": " ", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&ensp;": " ", "&emsp;": " "}


def split_cells(line: str) -> list[str]:
    """Split a table row on its unescaped pipes, leaving pipes inside code spans alone."""
    if "\\" not in line and "`" not in line:
        parts = line.strip().split("|")
        if parts and parts[0] == "":
            parts = parts[1:]
        if parts and parts[-1] == "" and line.strip().endswith("|"):
            parts = parts[:-1]
        return [part.strip() for part in parts]
    cells: list[str] = []
    current: list[str] = []
    in_code = False
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line) and line[i + 1] == "|":
            current.append("|")
            i += 2
            continue
        if char == "`":
            in_code = not in_code
        if char == "|" and not in_code:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    stripped = line.strip()
    if stripped.startswith("|"):
        cells = cells[1:]
    if stripped.endswith("|") and not stripped.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


@dataclass(frozen=True)
class Cell:
    """A cell (or a list item, or a heading) as a reader sees it: plain text, plus the URLs it links to."""

    text: str
    urls: list[str]


def _styled_to_plain(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


# Letters and digits styled by Unicode rather than Markdown (`𝗟𝗹𝗮𝗺𝗮 𝟮`, `Ｙｉ-３４Ｂ`) and
# typographic hyphens (`Grok‑3`) are read as the plain characters they stand for.
_STYLED = re.compile("[\U0001d400-\U0001d7ff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u00a0": " ", "\u202f": " "})


def read_cell(markdown: str) -> Cell:
    """Render inline Markdown (and the inline HTML lists use) to plain text, collecting link targets."""
    urls: list[str] = []

    def keep_link(match: re.Match[str]) -> str:
        urls.append(match.group(2))
        return match.group(1)

    def keep_anchor(match: re.Match[str]) -> str:
        urls.append(match.group(1))
        return match.group(2)

    text = _STYLED.sub(_styled_to_plain, markdown.translate(_HYPHENS))
    text = _HTML_COMMENT.sub("", text)
    text = _ANCHOR.sub(keep_anchor, text)
    text = _IMAGE.sub(keep_link, text)
    text = _LINK.sub(keep_link, text)
    urls += [match.group(0) for match in _BARE_URL.finditer(text)]
    urls += [match.group(1) for match in _AUTOLINK.finditer(text)]
    text = _AUTOLINK.sub(r"\1", text)
    text = re.sub(r"<br\s*/?>", " ", text, flags=re.IGNORECASE)
    text = _HTML_TAG.sub("", text)
    for entity, char in _ENTITIES.items():
        text = text.replace(entity, char)
    text = _EMPHASIS.sub("", text)
    text = re.sub(r"\s+", " ", text).strip()
    return Cell(text=text, urls=[url for url in urls if url])
