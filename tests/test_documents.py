"""Markdown structure: which tables are catalogs, where they sit, what their cells hold."""

from __future__ import annotations

import pytest

from syncer.documents import RecordList, Table, find_tables, read_blocks, read_cell, split_cells
from syncer.documents.lists import split_lead
from syncer.entries import hub_repo_of, load_catalog, slugify
from syncer.untrusted import lines_of
from tests.conftest import DATA

ENGLISH = DATA / "open-llms.en.md"


def test_front_matter_code_blocks_and_headings():
    text = "\n".join(
        [
            "---",
            "title: a | b",
            "---",
            "Intro",
            "=====",
            "```",
            "| Model | Description |",
            "| --- | --- |",
            "| Hidden | in a code block |",
            "```",
            "### Models ###",
            "| Model | Description |",
            "|:--|--:|",
            "| A | first |",
            "| B | second |",
            "",
            "| Model | Description |",
            "| --- | --- |",
            "| C | after a blank line, a new table |",
        ]
    )
    tables = find_tables(text)
    assert [(t.line, t.section, [r.cells[0] for r in t.rows]) for t in tables] == [
        (12, "Models", ["A", "B"]),
        (17, "Models", ["C"]),
    ]
    assert [row.line for row in tables[0].rows] == [14, 15]


def test_setext_heading_names_the_section():
    tables = find_tables("Domestic models\n---------------\n\n| Name |\n| --- |\n| X |\n")
    assert tables[0].section == "Domestic models"


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", ["a", "b"]),
        ("a | b", ["a", "b"]),
        (r"| a \| b | c |", ["a | b", "c"]),
        ("| `x|y` | z |", ["`x|y`", "z"]),
        ("|  | empty first |", ["", "empty first"]),
    ],
)
def test_split_cells(line, cells):
    assert split_cells(line) == cells


def test_short_rows_are_padded_like_github_does():
    table = find_tables("| Model | Description | Licence |\n| --- | --- | --- |\n| A | only two |\n")[0]
    assert table.rows[0].cells == ["A", "only two", ""]


def test_cells_render_to_plain_text_and_keep_their_links():
    cell = read_cell("**[Qwen](https://huggingface.co/Qwen/Qwen-7B)** and <https://hf.co/x/y><br>![logo](https://e.x/l.png)")
    assert cell.text == "Qwen and https://hf.co/x/y logo"
    assert cell.urls == ["https://e.x/l.png", "https://huggingface.co/Qwen/Qwen-7B", "https://hf.co/x/y"]


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("https://huggingface.co/mosaicml/mpt-7b", "mosaicml/mpt-7b"),
        ("https://huggingface.co/mosaicml/mpt-7b#how-is-this-model-different", "mosaicml/mpt-7b"),
        ("https://huggingface.co/tiiuae/falcon-7b/blob/main/config.json", "tiiuae/falcon-7b"),
        ("https://huggingface.co/tiiuae/falcon-7b/tree/main?x=1", "tiiuae/falcon-7b"),
        ("http://www.huggingface.co/google/gemma-2b", "google/gemma-2b"),
        ("https://hf.co/Qwen/Qwen1.5-7B", "Qwen/Qwen1.5-7B"),
        ("huggingface.co/THUDM/chatglm2-6b", "THUDM/chatglm2-6b"),
        ("https://huggingface.co/datasets/tiiuae/falcon-refinedweb", None),
        ("https://huggingface.co/spaces/bigcode/bigcode-model-license-agreement", None),
        ("https://huggingface.co/bigscience", None),
        ("https://huggingface.co/docs/hub/index", None),
        ("https://huggingface.co/blog/llama2", None),
        ("https://discuss.huggingface.co/t/does-t5-truncate/3602", None),
        ("https://github.com/huggingface.co/x", None),
    ],
)
def test_hub_links_name_model_repos_only(url, repo):
    assert hub_repo_of(url) == repo


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Qwen1.5", "qwen1-5"), ("InternLM2 7B+20B", "internlm2-7b-20b"), ("UltraLM系列", "ultralm系列"),
     ("Chinese Vincuna", "chinese-vincuna"), ("Ｙｉ", "yi"), ("  MPT-30B ", "mpt-30b")],
)  # fmt: skip
def test_ids_are_slugs_of_names(name, slug):
    assert slugify(name) == slug


def test_english_catalog_with_fact_columns():
    catalog = load_catalog(ENGLISH)
    by_id = {entry.id: entry for entry in catalog.entries}
    assert list(by_id) == ["t5", "dolly", "mpt-7b", "falcon", "bloom", "llama-2", "gemma", "mistral-7b", "rwkv",
                           "starcoder", "a-b-coder"]  # fmt: skip
    claims = {(c.kind.value, c.field, str(c.value)) for c in by_id["mpt-7b"].claims}
    assert claims == {
        ("parameters", "name", "7000000000"),  # `MPT-7B` says it first; `Params (B)` agrees
        ("context_length", "Context Length", "84000"),
        ("license_id", "Licence", "apache-2.0"),
        ("license_id", "Licence", "cc-by-sa-3.0"),
        ("training_tokens", "description", "1000000000000"),
        ("languages", "description", "['en']"),
    }
    assert [(c.kind.value, c.value) for c in by_id["falcon"].claims if c.field == "Params (B)"] == [
        ("parameters", 180 * 10**9), ("parameters", 40 * 10**9), ("parameters", 7 * 10**9)]  # fmt: skip
    assert {c.value for c in by_id["mistral-7b"].claims if c.kind.value == "context_length"} == {4096, 16000}
    assert by_id["falcon"].hub_links == ["tiiuae/falcon-40b", "tiiuae/falcon-7b"]
    assert by_id["bloom"].hub_links == ["bigscience/bloom"]
    assert by_id["llama-2"].hub_links == []
    assert by_id["starcoder"].section == "Open LLMs for code"
    assert by_id["a-b-coder"].name == "`a|b` coder"


def test_a_wholly_bold_row_heads_the_rows_below_and_a_family_word_is_no_part_of_a_name(tmp_path):
    """A timeline table (as anas-zafar/LLM-Survey writes one): `| **2025 Models** |` over its rows
    is a heading, not a model; `Qwen 3 Family` is searched for as `Qwen 3`."""
    document = tmp_path / "timeline.md"
    document.write_text(
        "| Model | Organization | Params (B) | Licence |\n| --- | --- | --- | --- |\n"
        "| **2025 Models** |\n"
        "| Qwen 3 Family | Alibaba | 235 | Apache 2.0 |\n"
        "| **Gemma 3** | Google | 27 | Gemma |\n"  # a bold name with facts beside it is a model
        "| Claude 3 系列 | Anthropic | | Proprietary |\n",
        encoding="utf-8",
    )
    catalog = load_catalog(document)
    assert [(entry.name, entry.line) for entry in catalog.entries] == [("Qwen 3", 4), ("Gemma 3", 5), ("Claude 3", 6)]
    assert any(n.line == 3 and "row read as a heading, not a model: '2025 Models'" in n.message for n in catalog.notices)


def test_a_row_one_cell_short_is_read_with_the_missing_cell_where_its_facts_fit(tmp_path):
    """GitHub pads a short row at its end; a row that left out a middle cell (an organisation)
    would have each fact under the header to its left. It is read with the gap where its
    facts read under their own headers, and said; a row short only at its end is as GitHub has it."""
    document = tmp_path / "short.md"
    document.write_text(
        "| Model | Organization | Params (B) | Context Length | Licence |\n| --- | --- | --- | --- | --- |\n"
        "| LLaMA 2 | 7B - 70B | 4K tokens | Custom |\n"  # Organization left out
        "| BLOOM | BigScience | 176B | 2K tokens |\n"  # Licence left out, at the end
        "| OPT | Meta | 175B | 2K tokens | MIT |\n",
        encoding="utf-8",
    )
    catalog = load_catalog(document)
    claims = {entry.name: sorted((c.kind.value, str(c.value)) for c in entry.claims) for entry in catalog.entries}
    assert claims["LLaMA 2"] == [("context_length", "4000"), ("license_id", "other"),
                                 ("parameter_range", "min=7000000000 max=70000000000")]  # fmt: skip
    assert claims["BLOOM"] == [("context_length", "2000"), ("parameters", "176000000000")]
    assert [n.line for n in catalog.notices if "cells for 5 columns" in n.message] == [3]
    assert any("read as if its 'Organization' cell were left out" in n.message for n in catalog.notices)


def test_what_is_not_read_is_reported_with_its_line():
    catalog = load_catalog(ENGLISH)
    assert [(n.line, n.message) for n in catalog.notices] == [
        (7, "table skipped: a benchmark table (header 'Benchmark') (headers: Benchmark, Score)"),
        (23, "Context Length: could not read 'infinity (RNN)'"),
        (24, "row skipped: empty name cell"),
    ]


def test_a_folder_is_read_in_path_order_with_ids_unique_across_documents(tmp_path):
    (tmp_path / "b.md").write_text("| Model |\n| --- |\n| Qwen |\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("| Name |\n| --- |\n| Qwen |\n| Yi |\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a document", encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert [(e.document.rsplit("/", 1)[-1], e.id) for e in catalog.entries] == [
        ("a.md", "qwen"), ("a.md", "yi"), ("b.md", "qwen-2")]  # fmt: skip


def test_the_seed_promotion_after_the_tables_yields_nothing():
    catalog = load_catalog(DATA.parent.parent / "catalog")
    assert catalog.notices == []
    assert max(entry.line for entry in catalog.entries) == 148


def test_html_tables_spread_rowspan_and_colspan_over_the_grid():
    html = (
        "<table>\n<tr><th rowspan=2>Group</th><th colspan=2>Facts</th></tr>\n"
        "<tr><th>Model</th><th>Size(B)</th></tr>\n"
        '<tr><td rowspan="2">open</td><td><a href="https://huggingface.co/x/a">A</a></td><td>7</td></tr>\n'
        "<tr><td>B<br>chat</td><td>13</td></tr>\n</table>\n"
    )
    (table,) = find_tables(html)
    assert table.style == "html" and table.line == 1
    assert table.headers == ["Group", "Facts Model", "Facts Size(B)"]
    assert [(row.line, row.cells) for row in table.rows] == [
        (4, ["open", "[A](https://huggingface.co/x/a)", "7"]),
        (5, ["open", "B chat", "13"]),
    ]


def test_details_are_read_as_if_open_and_their_summary_names_the_section():
    blocks = read_blocks("## Open\n<details>\n<summary>Meta</summary>\n\n| Model |\n| --- |\n| Llama |\n</details>\n").blocks
    (table,) = [block for block in blocks if isinstance(block, Table)]
    assert table.section == "Meta" and table.outline == ("Open", "Meta")


@pytest.mark.parametrize(
    ("item", "lead", "rest"),
    [
        ("[Qwen-7B](https://hf.co/Qwen/Qwen-7B) - 8K context", "[Qwen-7B](https://hf.co/Qwen/Qwen-7B)", "8K context"),
        ("**Falcon**: trained on RefinedWeb", "**Falcon**", "trained on RefinedWeb"),
        ("**[百聆](https://github.com/ictnlp)**：基于LLaMA", "**[百聆](https://github.com/ictnlp)**", "基于LLaMA"),
        ("ChatGLM：", "ChatGLM", ""),
        ("MOSS - 复旦大学发布", "MOSS", "复旦大学发布"),
        ("2021/12, [Gopher](https://deepmind.com/gopher) (280B), SOTA", "[Gopher](https://deepmind.com/gopher)",
         "(280B), SOTA"),
        ("A sentence that goes on for a while and names no model up front at all, really.", "",
         "A sentence that goes on for a while and names no model up front at all, really."),
    ],
)  # fmt: skip
def test_a_list_items_lead_is_split_from_its_description(item, lead, rest):
    assert split_lead(item) == (lead, rest)


def test_list_items_keep_continuation_lines_and_labelled_sub_items():
    text = (
        "* ChatGLM2-6B\n  * 地址：https://github.com/THUDM/ChatGLM2-6B\n  * 简介：第二代，\n  上下文 32K\n"
        "* Baichuan2\n  * 简介：7B\n"
    )
    (block,) = [b for b in read_blocks(text).blocks if isinstance(b, RecordList) and b.style == "list"]
    first = block.records[0]
    assert (first.line, first.lead, first.end_line) == (1, "ChatGLM2-6B", 4)
    assert [(field.label, field.text, field.line) for field in first.fields] == [
        ("地址", "https://github.com/THUDM/ChatGLM2-6B", 2),
        ("简介", "第二代， 上下文 32K", 3),
    ]


def test_a_list_of_labelled_items_is_one_record():
    text = "### Baize\n\n- 论文名称：Baize\n- 地址：https://github.com/project-baize/baize-chatbot\n- 介绍：7B 和 13B\n"
    (block,) = [b for b in read_blocks(text).blocks if isinstance(b, RecordList) and b.style == "fields"]
    assert [field.label for field in block.records[0].fields] == ["论文名称", "地址", "介绍"]
    assert block.section == "Baize"


def test_a_group_item_over_linked_items_becomes_their_section():
    text = "- Meta\n  - [Llama 2](https://llama.meta.com/llama2/)\n  - [Llama 3](https://llama.meta.com/llama3/)\n"
    lists = [b for b in read_blocks(text).blocks if isinstance(b, RecordList)]
    assert [(b.section, [r.lead for r in b.records]) for b in lists if b.style == "list"] == [
        ("Meta", ["[Llama 2](https://llama.meta.com/llama2/)", "[Llama 3](https://llama.meta.com/llama3/)"])
    ]


LINE_BREAKS = ["\u2028", "\u2029", "\x0c", "\x0b", "\x85", "\x1c"]


@pytest.mark.parametrize("separator", LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKS])
def test_line_numbers_count_newlines_only_as_git_does(separator, tmp_path):
    """A U+2028 (or a form feed) above a table is not a line break for git or GitHub: the
    table's rows keep the line numbers an annotation or SARIF result points at."""
    document = tmp_path / "list.md"
    document.write_text(f"# Models{separator}and more\n\n| Model | Params |\n| --- | --- |\n| Falcon | 7B |\n", encoding="utf-8")
    catalog = load_catalog(document)
    assert [(entry.name, entry.line) for entry in catalog.entries] == [("Falcon", 5)]


@pytest.mark.parametrize(("text", "lines"), [
    ("a\nb\n", ["a", "b"]), ("a\r\nb", ["a", "b"]), ("a\u2028b\n", ["a\u2028b"]), ("", []), ("\n", [""]),
])  # fmt: skip
def test_lines_of_splits_at_newlines_only(text, lines):
    assert lines_of(text) == lines
    assert "".join(lines_of(text, keepends=True)) == text
