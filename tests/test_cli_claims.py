"""`syncer claims` as a user runs it: the JSON contract, the table, and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from syncer.formats.text import display_width
from tests.conftest import DATA, PROJECT, SEED


def test_json_is_the_contract(run_cli):
    result = run_cli("claims", "--catalog", str(PROJECT / "catalog"), "--format", "json")
    assert result.code == 0, result
    entries = json.loads(result.stdout)
    assert len(entries) == 85
    assert list(entries[0]) == ["id", "name", "document", "section", "line", "text", "hub_links", "claims"]
    assert entries[0]["document"].endswith("catalog/open-llm-roundup.zh.md")
    grok = next(entry for entry in entries if entry["id"] == "grok")
    assert grok["claims"][0] == {"kind": "parameters", "value": 314_000_000_000, "text": "3140亿参数", "field": "description"}
    llama = next(entry for entry in entries if entry["id"] == "llama")
    assert llama["claims"][0]["value"] == {"min": 7_000_000_000, "max": 65_000_000_000}
    assert "迄今" in grok["text"] and not result.stderr


def test_table_columns_line_up_with_chinese_text(run_cli):
    result = run_cli("claims", "--catalog", str(SEED))
    assert result.code == 0, result
    header, *rows, summary = result.stdout.splitlines()
    kind_column = header.index("KIND")
    words_column = header.index("WORDS")
    for row in rows:
        entry_id, _line, kind = row.split()[:3]
        assert display_width(row[: row.index(f" {kind} ", len(entry_id)) + 1]) == kind_column, row
        words = row.split("  ")[-1].strip()
        assert display_width(row) - display_width(words) == words_column, row
    assert any(row.startswith("ultralm ") for row in rows), "`UltraLM系列`: the name without the word for a series"
    assert summary == "85 entries, 141 claims from 1 document(s)"  # OpenChatKit: `6B审核模型` is no size of its own


def test_module_entry_point_runs_the_same_cli():
    result = subprocess.run(
        [sys.executable, "-m", "syncer", "claims", "--catalog", str(DATA / "open-llms.en.md"), "--format", "json"],
        capture_output=True, text=True, check=False, cwd=PROJECT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert [entry["id"] for entry in json.loads(result.stdout)][:2] == ["t5", "dolly"]
    assert "warning: " in result.stderr and "table skipped: a benchmark table" in result.stderr


def _fifo(path: Path) -> Path:
    os.mkfifo(path)  # reading it would block forever
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing.md", "missing.md: no such file or directory"),
        (lambda tmp: tmp, "no *.md documents in this folder"),
        (lambda tmp: _write(tmp / "latin1.md", "| Model |\n| --- |\n| caf\xe9 |\n".encode("latin-1")),
         "latin1.md:3: not UTF-8 (byte 0xe9 at column 6)"),
        (lambda tmp: _fifo(tmp / "pipe"), "pipe: not a regular file"),
    ],
    ids=["missing", "empty-folder", "not-utf8", "fifo"],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_file_and_exit_2(run_cli, tmp_path, make, message):
    path = make(tmp_path)
    result = run_cli("claims", "--catalog", str(path))
    assert result.code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreadable_file_is_bad_input(run_cli, tmp_path, monkeypatch):
    path = _write(tmp_path / "locked.md", b"| Model |\n| --- |\n| A |\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = run_cli("claims", "--catalog", str(path))
    assert (result.code, result.stderr.strip()) == (2, f"error: {path}: cannot read: Permission denied")


def test_a_bad_flag_is_a_usage_error(run_cli):
    result = run_cli("claims", "--format", "xml")
    assert result.code == 2
    assert "'xml' is not one of 'table', 'json'" in result.stderr


@pytest.mark.parametrize(
    "text",
    [b"# Just prose\n\nNo table here.\n", b"| Benchmark | Score |\n| --- | --- |\n| MMLU | 1 |\n"],
    ids=["prose", "a-benchmark-table"],
)
def test_a_document_without_a_catalog_lists_nothing_but_cannot_be_checked(run_cli, tmp_path, text):
    """A model's README with no list of models is not bad input to `claims`; `check` needs entries."""
    document = _write(tmp_path / "readme.md", text)
    listed = run_cli("claims", "--catalog", str(document), "--format", "json")
    assert listed.code == 0 and json.loads(listed.stdout) == []
    assert "readme.md:1: no catalog found" in listed.stderr
    checked = run_cli("check", "--catalog", str(document), "--mappings", str(tmp_path))
    assert checked.code == 2 and "readme.md: no catalog table or list" in checked.stderr
    assert "Traceback" not in checked.stderr


def test_explain_says_how_each_block_was_read(run_cli):
    result = run_cli("claims", "--explain", "--catalog", str(DATA / "wild" / "inferred.en.md"))
    assert result.code == 0, result
    lines = result.stdout.splitlines()
    assert lines[0].endswith("inferred.en.md:6: table: catalog, 7 entries: name column '(no header)' "
                             "(inferred: 100% of its cells look like model names)")  # fmt: skip
    assert "    'Max Length' -> context_length (header)" in lines
    assert lines[-1] == "1 blocks read, 1 catalog(s), 7 entries"
    as_json = json.loads(run_cli("claims", "--explain", "--format", "json", "--catalog", str(DATA / "wild")).stdout)
    assert {reading["style"] for reading in as_json} == {"table", "HTML table", "list", "headings"}
    assert all(set(reading) >= {"document", "line", "catalog", "reason", "columns"} for reading in as_json)


@pytest.mark.parametrize(("command", "option"), [
    (["check", "--catalog", str(DATA / "open-llms.en.md"), "--mappings"], "--mappings"),
    (["claims", "--catalog"], "--catalog"),
    (["run", "--catalog", str(DATA / "open-llms.en.md"), "--previous"], "--previous"),
    (["report", "--snapshot"], "--snapshot"),
])  # fmt: skip
def test_a_pipe_given_as_a_path_is_refused_not_read(run_cli, tmp_path, command, option):
    """A FIFO would block the read for ever: it is refused with its option's name, exit 2."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = run_cli(*command, str(fifo))
    assert result.code == 2
    assert result.stderr.count("\n") == 1, "one line"
    assert f"pipe.yaml: not a regular file or folder: a pipe, socket or device (given as {option})" in result.stderr
