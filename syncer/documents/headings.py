"""Heading-per-model documents: `### ChatGLM` and the prose and lists under it.

Every level of sibling headings becomes a candidate list of records; each record holds
the text under its heading, sub-headings included (`##### Uniqueness` under
`#### GPT-J 6B` still describes GPT-J). Whether a level of headings names models is
decided by the entry stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from syncer.documents.blocks import Field, Record, RecordList


@dataclass
class Heading:
    level: int
    text: str  # inline Markdown
    line: int
    fields: list[Field] = field(default_factory=list)  # prose and list items right under it
    children: list[Heading] = field(default_factory=list)
    parent: Heading | None = None
    end_line: int = 0
    section: str | None = None  # the parent's text, for the report
    outline: tuple[str, ...] = ()  # the texts of every heading above

    def all_fields(self) -> list[Field]:
        collected = list(self.fields)
        for child in self.children:
            collected += [Field(label=None, text=child.text, line=child.line), *child.all_fields()]
        return collected


def record_lists(headings: list[Heading]) -> list[RecordList]:
    """One candidate list per group of sibling headings that have text under them."""
    by_parent: dict[tuple[int, int], list[Heading]] = {}
    for heading in headings:
        key = (id(heading.parent) if heading.parent else 0, heading.level)
        by_parent.setdefault(key, []).append(heading)
    lists = []
    for siblings in by_parent.values():
        records = [
            Record(line=heading.line, lead=heading.text, fields=heading.all_fields(), end_line=heading.end_line)
            for heading in siblings
            if heading.all_fields()
        ]
        if records:
            lists.append(
                RecordList(
                    style="headings",
                    line=records[0].line,
                    section=siblings[0].section,
                    records=records,
                    end_line=max(record.end_line for record in records),
                    outline=siblings[0].outline,
                )
            )
    return lists
