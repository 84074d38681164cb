"""Both report formats over one shared canned snapshot, compared with golden files.

tests/golden/canned-snapshot.json covers every section: contradicted and partial
claims, an unmapped entry, moved/gated/gone/failed repos, changes, download history
and hostile text. After an intended change of format, regenerate the golden files with
`SYNCER_UPDATE_GOLDEN=1 python -m pytest tests/test_report_formats.py` and review the diff.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os

import pytest

from syncer.formats.report_json import CHUNK_BYTES, parse_baseline, parse_report, parse_report_by_entry, report_json
from syncer.formats.report_markdown import escape, repo_link, report_markdown, sparkline
from syncer.report import Baseline
from tests.conftest import PROJECT

GOLDEN = PROJECT / "tests" / "golden"


@pytest.fixture(scope="module")
def canned():
    return parse_report((GOLDEN / "canned-snapshot.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("render", "golden"), [(report_markdown, "latest.md"), (report_json, "latest.json")])
def test_rendering_matches_the_golden_file(canned, render, golden):
    rendered = render(canned)
    if os.environ.get("SYNCER_UPDATE_GOLDEN"):
        (GOLDEN / golden).write_text(rendered, encoding="utf-8")
    assert rendered == (GOLDEN / golden).read_text(encoding="utf-8")


def test_json_round_trips_byte_for_byte(canned):
    text = (GOLDEN / "canned-snapshot.json").read_text(encoding="utf-8")
    assert report_json(parse_report(text)) == text


def test_sections_come_in_the_order_people_read_them(canned):
    markdown = report_markdown(canned)
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Contradicted and partial claims",
        "## Unverifiable claims",
        "## Unmapped entries",
        "## Repo problems",
        "## Changes since the last run",
        "## Downloads over the stored runs",
        "## Hub facts",
    ]
    assert markdown.index("❌ contradicted | parameters | 70B") < markdown.index("⚠️ partial | license")


def test_each_decision_comes_with_the_hub_facts_of_its_repos(canned):
    """One line per readable repo: downloads, licence, gating, parameters and their source,
    layers, context (and how the config extends it), last modified, commit."""
    markdown = report_markdown(canned)
    qwen = markdown[markdown.index("### Qwen1-7B+14B+70B") : markdown.index("## Unverifiable claims")]
    assert ("| Qwen/Qwen-7B | ok, last read 2026-11-19 | 120,000 | other (tongyi-qianwen) | no "
            "| 7.721B (safetensors) | 32 | 8,192 | 2024-01-10 | aaaaaaa |") in qwen  # fmt: skip


def test_the_report_fits_a_pull_request_body_whatever_the_catalogs_size(canned):
    """5,000 entries with a contradiction and a repo each: capped sections, "and N more", under 65,536."""
    entry = canned.entries[0]
    many = canned.model_copy(update={"entries": [dataclasses.replace(entry, id=f"e{n}", name=f"Model {n}")
                                                 for n in range(5000)]})  # fmt: skip
    markdown = report_markdown(many)
    assert len(markdown) < 65_536
    assert "more entries with contradicted or partial claims: the full data is in `latest.json`." in markdown


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a|b", "a\\|b"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("`code`", "\\`code\\`"),
        ("line\nbreak\r\nend", "line break end"),
        ("[link](javascript:x)", "\\[link\\](javascript:x)"),
        ("**bold** _it_", "\\*\\*bold\\*\\* \\_it\\_"),
        ("&lt;", "&amp;lt;"),
        ("中文｜全角", "中文｜全角"),
        ("red\x1b[31m\u202eevil", "red \\[31m evil"),
    ],
)
def test_cells_are_escaped(text, safe):
    assert escape(text) == safe


def test_every_table_row_has_the_header_s_cell_count(canned):
    # An unescaped pipe or newline in a cell would show up as a row of the wrong width.
    table_width = None
    for line in report_markdown(canned).splitlines():
        if not line.startswith("|"):
            table_width = None
            continue
        cells = len(line.replace("\\|", "").split("|")) - 2
        if table_width is None:
            table_width = cells
        assert cells == table_width, line


@pytest.mark.parametrize(
    ("points", "line"), [([1, 2, 3, 4], "▁▃▆█"), ([5, 5], "▁▁"), ([None, 3, 9], " ▁█"), ([None], "")]
)
def test_sparkline(points, line):
    assert sparkline(points) == line


def test_a_hostile_repo_id_stays_inert_in_a_link():
    link = repo_link("https://huggingface.co", "a/b)[x](javascript:alert(1)")
    assert link == "[a/b)\\[x\\](javascript:alert(1)](https://huggingface.co/a/b%29%5Bx%5D%28javascript%3Aalert%281%29)"


def _tricky(canned):
    """The canned report with text that looks like JSON structure: brackets and quotes in strings."""
    entry = canned.entries[0]
    text = 'a "quoted" {brace} [bracket] \\ backslash ], } "entries": ['
    claims = [dataclasses.replace(finding, text=text) for finding in entry.claims]
    first = dataclasses.replace(entry, claims=claims, text=text)
    return canned.model_copy(update={"entries": [first, *canned.entries[1:]]})


# Chunks of 1 and 7 bytes end inside strings, escapes (`\\"`) and between an entry's brackets.
@pytest.mark.parametrize("chunk_bytes", [1, 7, 64, CHUNK_BYTES])
@pytest.mark.parametrize("shape", ["canned", "tricky", "compact"])
def test_the_baseline_is_read_entry_by_entry_as_a_whole_parse_would(canned, shape, chunk_bytes):
    report = _tricky(canned) if shape != "canned" else canned
    data = report_json(report).encode()
    if shape == "compact":
        data = json.dumps(json.loads(data), separators=(",", ":")).encode()
    baseline = parse_baseline(io.BytesIO(data), chunk_bytes)
    assert baseline == Baseline.model_validate_json(data)
    assert [entry.id for entry in baseline.entries] == [entry.id for entry in report.entries]


@pytest.mark.parametrize("chunk_bytes", [1, 5, CHUNK_BYTES])
@pytest.mark.parametrize(
    "data",
    [b"", b"[]", b'{"entries": [{"id": 1', b'{"generated_at": "x", "entries": [1]}', b'{"entries": [{"id": "a\\"}'],
)
def test_a_broken_report_is_refused(data, chunk_bytes):
    with pytest.raises(ValueError):  # pydantic's ValidationError is a ValueError
        parse_baseline(io.BytesIO(data), chunk_bytes)


@pytest.mark.parametrize("chunk", [7, 64, CHUNK_BYTES])
def test_a_report_read_an_entry_at_a_time_is_the_report(canned, chunk):
    """`merge` reads each shard's snapshot so: whatever the chunks, the same report."""
    text = (GOLDEN / "canned-snapshot.json").read_bytes()
    assert parse_report_by_entry(io.BytesIO(text), chunk_bytes=chunk) == canned
    with pytest.raises(ValueError, match="not closed"):
        parse_report_by_entry(text[: text.index(b'"changes"') - 10], chunk_bytes=chunk)


@pytest.mark.parametrize("chunk", [5, 300, CHUNK_BYTES])
def test_an_entry_that_is_no_entry_is_skipped_and_named_by_its_line(canned, chunk):
    """A hand edit to one entry of latest.json costs that entry, never the whole previous report."""
    report = json.loads((GOLDEN / "canned-snapshot.json").read_text(encoding="utf-8"))
    report["entries"][1]["repos"] = "not a list"
    text = json.dumps(report, indent=2).encode()
    line = text[: text.index(b'"repos": "not a list"')].count(b"\n") + 1
    skipped: list[int] = []
    baseline = parse_baseline(io.BytesIO(text), chunk_bytes=chunk, skipped=skipped)
    assert [entry.id for entry in baseline.entries] == [e["id"] for i, e in enumerate(report["entries"]) if i != 1]
    entry_start = text[: text.index(b'"repos": "not a list"')].rindex(b"\n    {")
    assert skipped == [text[:entry_start].count(b"\n") + 2] and skipped[0] < line
    with pytest.raises(ValueError):
        parse_baseline(text, chunk_bytes=chunk)
