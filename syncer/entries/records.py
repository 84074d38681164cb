"""Lists and headings -> entries: a record is a catalog entry when its lead names a model.

A list (or a level of headings) is a catalog when most of its leads look like model
names (`[ChatGLM2-6B](…)`, `**Falcon**`, `### Qwen`), not topics (`Tools`, `简介`) or
sentences. Labelled statements (`地址：…`, `License: …`) are read like table columns.
"""

from __future__ import annotations

import re

from syncer.documents import Cell, Field, Record, RecordList, read_cell
from syncer.entries.build import EntryBuilder, Statement
from syncer.entries.columns import role_of_header, section_is_not_a_catalog
from syncer.entries.names import (
    clean_name,
    could_be_model_name,
    has_model_link,
    is_vendor,
    lead_description,
    looks_like_model_name,
)
from syncer.models import ColumnReading, Entry, Notice, Reading
from syncer.rules import Rules
from syncer.vocabulary import ColumnRole

MOSTLY = 0.6
STYLE = {"list": "list", "fields": "labelled list", "headings": "headings"}


def read_record_list(
    block: RecordList, document: str, builder: EntryBuilder, rules: Rules
) -> tuple[list[Entry], list[Notice], Reading]:
    style = STYLE[block.style]
    off_topic = section_is_not_a_catalog(block.outline, rules)
    if off_topic:
        return [], [], Reading(document=document, line=block.line, style=style, catalog=False, reason=off_topic)
    # A maker's lead (`- Meta` over its models) is a group: neither a model nor a sign that the
    # list is about something else.
    records = [_named(record, block, rules) for record in block.records if not _is_group(record, block, rules)]
    named = [(record, name) for record, name in records if name is not None]
    # A list under a group item (`- Nvidia` over one model) may be short; it still has to name models.
    nested = block.parent_line is not None
    # Makers over their models (`- Meta` over `- Llama 3`, a `<summary>Apple</summary>` over one
    # model): a model among them is a catalog of one.
    grouped = len(records) < len(block.records) or bool(block.section and is_vendor(block.section, rules))
    # `* ChatLaw` over `* 地址：…` / `* 简介：…`: one item labelled as the catalog's items are is one too.
    labelled = all(any(_role_of(field, rules)[0] in _DESCRIBING for field in record.fields) for record in block.records)
    wanted = 1 if block.style == "fields" or nested or grouped or labelled else 2
    share = len(named) / len(records) if records else 0.0
    if len(named) < wanted or share < (0.5 if nested else MOSTLY):
        reason = f"{len(named)} of {len(records)} {'items' if block.style != 'headings' else 'headings'} name a model"
        return [], [], Reading(document=document, line=block.line, style=style, catalog=False, reason=reason)
    if block.style != "fields":
        # Most leads name models: a short lead among them that is no topic is one too.
        records = [(record, name if name is not None else _plausible(record, rules)) for record, name in records]
        named = [(record, name) for record, name in records if name is not None]
    entries: list[Entry] = []
    notices: list[Notice] = []
    labels: dict[str, ColumnReading] = {}
    linked = 0
    for record, name in named:
        assert name is not None
        opening = read_cell(record.fields[0].text).text if record.fields else ""
        if rules.described_as_data.match(opening):
            notices.append(Notice(document=document, line=record.line, message=f"item read as data, not a model: {name!r}"))
            continue  # `The Pile: 2020/12/31, a 300B token … dataset`
        statements = []
        for field in record.fields:
            role, how = _role_of(field, rules)
            if field.label and field.label not in labels:
                labels[field.label] = ColumnReading(header=field.label, role=role, how=how)
            header = field.label or "description"
            statements.append(Statement(role=role or ColumnRole.DESCRIPTION, header=header, markdown=field.text, line=field.line))
        lead = read_cell(record.lead)
        entry, entry_notices = builder.build(
            name=name,
            name_cell=lead,
            statements=statements,
            document=document,
            section=block.section,
            line=record.line,
            text=_text(name, record.fields),
        )
        linked += has_model_link(lead) or any(has_model_link(read_cell(field.text)) for field in record.fields)
        entries.append(entry)
        notices += entry_notices
    unknown = [label for label, reading in labels.items() if reading.role is None]
    if unknown:
        notices.append(
            Notice(
                document=document,
                line=block.line,
                message=f"{style}: label(s) {', '.join(map(repr, unknown))} read as description: "
                f"add each to {rules.words_go()} with its role (or `ignore`)",
            )
        )
    reason = f"{len(named)} of {len(records)} {'headings' if block.style == 'headings' else 'items'} name a model"
    reading = Reading(
        document=document,
        line=block.line,
        style=style,
        catalog=True,
        reason=reason,
        entries=len(entries),
        linked=linked,
        columns=list(labels.values()),
    )
    return entries, notices, reading


# Labels that describe a model: a lone item under them is a catalog entry.
_DESCRIBING = frozenset({ColumnRole.LINKS, ColumnRole.PARAMETERS, ColumnRole.LICENSE, ColumnRole.CONTEXT_LENGTH})


def _is_group(record: Record, block: RecordList, rules: Rules) -> bool:
    return block.style != "fields" and is_vendor(clean_lead(read_cell(record.lead).text, rules), rules)


def _role_of(field: Field, rules: Rules) -> tuple[ColumnRole | None, str]:
    if field.label is None:
        return ColumnRole.DESCRIPTION, "unlabelled text"
    return role_of_header(field.label, rules)


def _named(record: Record, block: RecordList, rules: Rules) -> tuple[Record, str | None]:
    """The record and the model it names, or None when its lead is not a model name."""
    if block.style == "fields":
        for field in record.fields:
            if field.label and role_of_header(field.label, rules)[0] is ColumnRole.NAME:
                cell = read_cell(field.text)
                if cell.text:
                    rest = [f for f in record.fields if f is not field]
                    return Record(line=record.line, lead=field.text, fields=rest, end_line=record.end_line), cell.text
        section = block.section
        return record, (section if section and looks_like_model_name(read_cell(section), rules) else None)
    lead = read_cell(record.lead)
    name = clean_lead(lead.text, rules)
    if not looks_like_model_name(Cell(text=name, urls=lead.urls), rules):
        return record, None
    description = lead_description(lead.text)
    if description:  # `XrayGLM，首个会看胸部X光片的中文多模态医学大模型`: the words after the name describe it
        fields = [Field(label=None, text=description, line=record.line), *record.fields]
        record = Record(line=record.line, lead=record.lead, fields=fields, end_line=record.end_line)
    return record, name


_BRACKETED_TAG = re.compile(r"^\s*(?:【[^】]*】|\[[^\]]*\](?!\())\s*")
_DATE_PREFIX = re.compile(r"^\s*(?:\d{4}[-/.年]\d{1,2}(?:[-/.月]\d{1,2}日?)?|\d{1,2}[-/.]\d{1,2})\s*[·•|:：\-–—,，]?\s*")
_ORDINAL = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百千\d]+[重章节部篇个期]|[一二三四五六七八九十]+[、.．]|\d+(?:\.\d+)*[、.．)）]|[(（]\d+[)）])\s*"
)


def _plausible(record: Record, rules: Rules) -> str | None:
    lead = read_cell(record.lead)
    name = clean_lead(lead.text, rules)
    return name if could_be_model_name(Cell(text=name, urls=lead.urls), rules) else None


def clean_lead(text: str, rules: Rules) -> str:
    """`第五重 GPT4ALL` -> `GPT4ALL`; `【入门 —— 八】聚宝盆(Cornucopia) 模型学习与实战` -> `聚宝盆(Cornucopia)`;
    `ChatLaw-法律大模型` -> `ChatLaw` (and what `clean_name` cuts)."""
    name = _ORDINAL.sub("", _DATE_PREFIX.sub("", _BRACKETED_TAG.sub("", clean_name(text, rules))))
    previous = None
    while previous != name:
        previous = name
        name = clean_name(re.sub(r"\s*[:：]\s*$", "", rules.lead_suffix.sub("", name)), rules).strip()
    return name or text.strip()


def _text(name: str, fields: list[Field]) -> str:
    parts = [name] + [(f"{field.label}: " if field.label else "") + read_cell(field.text).text for field in fields]
    text = " | ".join(part for part in parts if part)
    return text if len(text) <= 4_000 else text[:4_000] + "…"
