"""Bullet and numbered lists: items, their continuation lines and nested sub-items.

Three shapes are told apart by structure alone:
- `- [Name](link) - description`, `1. **Name**：描述`: one record per item, the lead
  naming the model and the rest of the item (and its sub-items) describing it;
- `- Meta` with linked sub-items: a group heading, its sub-items are the records;
- `* 名称：…` / `* 地址：…` / `* 简介：…`: every item labelled - one record, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from syncer.documents.blocks import Field, Record, RecordList

ITEM = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+•]|\d{1,3}[.)、])(?P<gap>\s+|$)(?P<text>.*)$")
# `名称：ChatGLM`, `**Paper**: …`, `License - Apache 2.0`: a short label, then the value.
_LABEL = re.compile(
    r"^\s*(?:\*\*|__)?(?P<label>[^\s:：*_\[\]()（）|][^:：*\[\]()（）|]{0,23}?)(?:\*\*|__)?\s*(?:[:：]|\s[-–]\s)\s*(?P<value>.*)$"
)
# The lead: a link, a bold span or a code span at the very start of the item.
_LEAD_SPAN = re.compile(
    r"^\s*(?P<lead>(?:\*\*|__)?\s*(?:\[[^\]]+\]\([^)]*\)|<a\s[^>]*>.*?</a>)\s*(?:\*\*|__)?|(?:\*\*|__)[^*_]+?(?:\*\*|__)|`[^`]+`)"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
# What separates a plain lead from its description: `Name - desc`, `Name: desc`, `名称：描述`.
_LEAD_SEPARATOR = re.compile(r"\s+[-–—]\s+|：\s*|:(?!//)\s*|\s*[|｜]\s*")
# `2021/12, [Gopher](…) (280B)`: a date before the lead dates the item; it is no part of the name.
_DATE_FIRST = re.compile(r"^\s*\d{4}[/.-]\d{1,2}(?:[/.-]\d{1,2})?\s*[,，:：·]\s*")
_REST_SEPARATOR = re.compile(r"^\s*(?:[-–—:：,，|｜]\s*)?")
MAX_PLAIN_LEAD = 60
_FENCE_IN_ITEM = re.compile(r"^\s*(`{3,}|~{3,})")


@dataclass
class Item:
    line: int
    indent: int
    text: list[str]
    end_line: int
    children: list[Item] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.text[0]


def starts(lines: list[str], index: int) -> bool:
    return bool(ITEM.match(lines[index])) and bool(lines[index].strip("-*+ \t"))


def read(lines: list[str], start: int, is_block_start: Callable[[list[str], int], bool]) -> tuple[list[Item], int]:
    """The items of the list starting at `start` (a forest by indentation) and the index after it."""
    roots: list[Item] = []
    stack: list[Item] = []
    index = start
    previous_blank = False
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            previous_blank = True
            index += 1
            continue
        match = ITEM.match(line)
        indent = len(line) - len(line.lstrip())
        fence = _FENCE_IN_ITEM.match(line)
        if stack and fence and indent >= 2:
            # A fenced block indented under an item is the item's: `- **Falcon**` over a YAML
            # block of `Params: 40B` / `Context Length: 2048` describes Falcon.
            marker = fence.group(1)
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(marker):
                if lines[index].strip():
                    stack[-1].text.append(lines[index].strip())
                index += 1
            for open_item in stack:
                open_item.end_line = min(index + 1, len(lines))
            previous_blank = False
            index += 1
            continue
        if match and line.strip("-*+ \t"):
            item = Item(line=index + 1, indent=indent, text=[match.group("text")], end_line=index + 1)
            while stack and stack[-1].indent >= indent:
                stack.pop()
            (stack[-1].children if stack else roots).append(item)
            stack.append(item)
        elif stack and (indent >= 2 or not previous_blank) and not is_block_start(lines, index):
            stack[-1].text.append(line.strip())
        else:
            break
        for open_item in stack:
            open_item.end_line = index + 1
        previous_blank = False
        index += 1
    return roots, index


_LINK_AFTER_PREFIX = re.compile(r"^(?P<lead>[^\s\[\]:：]{1,20}\[[^\]]+\]\([^)]*\))(?P<rest>.*)$")


def split_lead(text: str) -> tuple[str, str]:
    """`[Qwen](url) - desc` -> (`[Qwen](url)`, `desc`); a plain sentence -> (``, sentence)."""
    text = _DATE_FIRST.sub("", text)
    span = _LEAD_SPAN.match(text) or _LINK_AFTER_PREFIX.match(text)  # `Berkeley/[OpenLLaMA](…)`
    if span:
        return span.group("lead").strip(), _REST_SEPARATOR.sub("", span.group("rest"), count=1).strip()
    separator = _LEAD_SEPARATOR.search(text)
    if separator and 0 < separator.start() <= MAX_PLAIN_LEAD:
        return text[: separator.start()].strip(), text[separator.end() :].strip()
    if len(text) <= MAX_PLAIN_LEAD:
        return text.strip(), ""
    return "", text.strip()


# A label is a word (`地址`, `License`, `Paper`); `Claude-v1: …` or `GPT-4: …` leads with a model.
_PRODUCT_SHAPED = re.compile(r"\d|[a-z][A-Z]|[A-Za-z]-[A-Za-z]")


def label_of(text: str) -> tuple[str, str] | None:
    match = _LABEL.match(text)
    label = match.group("label") if match else ""
    if match and match.group("value").strip() and (" " in label.strip() or not _PRODUCT_SHAPED.search(label)):
        return match.group("label").strip(), match.group("value").strip()
    return None


def _fields(item: Item, skip_first: bool) -> list[Field]:
    fields: list[Field] = []
    lines = item.text[1:] if skip_first else item.text
    # `Params: 40B` on a line of its own is a labelled statement; other lines are prose.
    statements = [label_of(line) if not (skip_first is False and index == 0) else None for index, line in enumerate(lines)]
    prose = [line for line, statement in zip(lines, statements, strict=True) if statement is None]
    if prose:
        fields.append(Field(label=None, text=" ".join(prose), line=item.line if not skip_first else item.line + 1))
    fields += [Field(label=statement[0], text=statement[1], line=item.line + 1) for statement in statements if statement]
    for child in item.children:
        labelled = label_of(child.first)
        if labelled and not _LEAD_SPAN.match(child.first):
            fields.append(Field(label=labelled[0], text=" ".join([labelled[1], *child.text[1:]]), line=child.line))
        else:
            fields.append(Field(label=None, text=" ".join(child.text), line=child.line))
        for grandchild in child.children:
            fields += _fields(grandchild, skip_first=False)
    return fields


def _is_linked_lead(item: Item) -> bool:
    lead, _ = split_lead(item.first)
    return bool(lead) and bool(_LEAD_SPAN.match(item.first))


def record_lists(roots: list[Item], section: str | None) -> list[RecordList]:
    """The list as candidate records; a group item (`- Meta` over linked items) yields its own list."""
    if not roots:
        return []
    first, last = roots[0].line, roots[-1].end_line
    labelled = [item for item in roots if label_of(item.first) and not _LEAD_SPAN.match(item.first)]
    if len(roots) >= 2 and len(labelled) >= 0.8 * len(roots):
        fields = []
        for item in roots:
            label = label_of(item.first)
            if label:
                fields.append(Field(label=label[0], text=" ".join([label[1], *item.text[1:]]), line=item.line))
            else:
                fields.append(Field(label=None, text=" ".join(item.text), line=item.line))
            for child in item.children:
                fields += _fields(child, skip_first=False)
        record = Record(line=first, lead="", fields=fields, end_line=last)
        return [RecordList(style="fields", line=first, section=section, records=[record], end_line=last)]

    lists: list[RecordList] = []
    records: list[Record] = []
    for item in roots:
        lead, rest = split_lead(item.first)
        is_group = (
            len(item.children) >= 2
            and not rest
            and len(item.text) == 1
            and not _LEAD_SPAN.match(item.first)
            and sum(_is_linked_lead(child) for child in item.children) >= 0.6 * len(item.children)
        )
        group_section = re.sub(r"[*_`]", "", lead).strip() or section
        if is_group:
            lists += record_lists(item.children, group_section)
            continue
        labelled_children = [child for child in item.children if label_of(child.first) and not _LEAD_SPAN.match(child.first)]
        if item.children and not rest and len(item.text) == 1 and 2 * len(labelled_children) <= len(item.children):
            # `- OpenAI` over `- 2019/02, GPT-2 (1.5B)`: a group, if its items name models.
            lists += [replace(child, parent_line=item.line) for child in record_lists(item.children, group_section)]
        fields = [Field(label=None, text=rest, line=item.line)] if rest else []
        records.append(Record(line=item.line, lead=lead, fields=fields + _fields(item, skip_first=True), end_line=item.end_line))
    if records:
        lists.insert(0, RecordList(style="list", line=first, section=section, records=records, end_line=last))
    return sorted(lists, key=lambda block: block.line)
