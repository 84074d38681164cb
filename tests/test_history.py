"""reports/history.jsonl: the trends come from it; it only ever grows by a line per run."""

from __future__ import annotations

from syncer.formats.report_json import parse_report
from syncer.history import TREND_POINTS, RunRecord, download_trends, history_records, record_line, run_record
from tests.conftest import PROJECT

CANNED = parse_report((PROJECT / "tests" / "golden" / "canned-snapshot.json").read_text(encoding="utf-8"))


def test_a_record_is_one_compact_line_that_reads_back(tmp_path):
    record = run_record(CANNED)
    line = record_line(record)
    assert line.endswith("}\n") and line.count("\n") == 1 and ", " not in line
    assert record.downloads and all(n is not None for n in record.downloads.values())
    path = tmp_path / "history.jsonl"
    path.write_text(line + "not json\n\n" + '{"endpoint": "x"}\n' + line, encoding="utf-8")
    unreadable: list[int] = []
    assert list(history_records(path, unreadable)) == [record, record] and unreadable == [2, 4]
    assert list(history_records(tmp_path / "absent.jsonl", unreadable := [])) == [] and unreadable == []


def test_records_are_read_in_time_order_whatever_the_order_of_the_lines(tmp_path):
    """Two branches that both appended, merged by git: the lines are read by their time."""
    times = ["2026-01-03T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z"]
    records = [RunRecord(generated_at=t, endpoint="e", downloads={"a/b": n}) for n, t in enumerate(times)]
    path = tmp_path / "history.jsonl"
    path.write_text("".join(record_line(record) for record in records), encoding="utf-8")
    read = list(history_records(path, []))
    assert [(r.generated_at, r.downloads["a/b"]) for r in read] == [
        ("2026-01-01T00:00:00Z", 1), ("2026-01-01T00:00:00Z", 3), ("2026-01-02T00:00:00Z", 2), ("2026-01-03T00:00:00Z", 0),
    ]


def test_a_trend_gains_a_point_only_when_the_count_moves_and_keeps_the_last_ones():
    repo = next(iter(run_record(CANNED).downloads))
    times = [f"2026-01-01T00:00:{second:02d}Z" for second in range(TREND_POINTS + 5)]
    records = [RunRecord(generated_at=t, endpoint=CANNED.endpoint, downloads={repo: i}) for i, t in enumerate(times)]
    records.insert(3, RunRecord(generated_at="2026-01-01T00:00:03Z", endpoint=CANNED.endpoint, downloads={repo: 3}))
    records.append(RunRecord(generated_at="2026-01-01T00:00:01Z", endpoint="http://another-hub", downloads={repo: 999}))
    report = CANNED.model_copy(update={"generated_at": "2099-01-01T00:00:00Z"})
    records.sort(key=lambda record: record.generated_at)  # as history_records gives them
    points = download_trends(records, report)[repo]
    assert [value for _, value in points] == list(range(5, TREND_POINTS + 5)), "no repeat, no other Hub, the last 30"

    earlier = CANNED.model_copy(update={"generated_at": times[9]})
    assert [value for _, value in download_trends(records, earlier)[repo]] == list(range(10)), "up to the report's time"
    assert set(download_trends(records, report) or {}) <= {r.requested_id for e in CANNED.entries for r in e.repos}
    assert download_trends([], report) is None, "no record at all: the report's own trend is shown"


def test_a_long_history_keeps_each_trend_to_its_last_points():
    repo = next(iter(run_record(CANNED).downloads))
    runs = 5 * TREND_POINTS + 7
    records = [RunRecord(generated_at=f"2026-01-01T{n // 60:02d}:{n % 60:02d}:00Z", endpoint=CANNED.endpoint,
                         downloads={repo: n % 2 * 1000 + n}) for n in range(runs)]  # fmt: skip
    report = CANNED.model_copy(update={"generated_at": "2099-01-01T00:00:00Z"})
    trends = download_trends(iter(records), report)
    assert [value for _, value in trends[repo]] == [n % 2 * 1000 + n for n in range(runs - TREND_POINTS, runs)]
    assert [time for time, _ in trends[repo]] == [record.generated_at for record in records[-TREND_POINTS:]]


def test_a_line_is_appended_after_the_file_read_a_chunk_at_a_time(tmp_path, monkeypatch):
    from syncer import writer

    monkeypatch.setattr(writer, "APPEND_CHUNK", 7)
    path = tmp_path / "history.jsonl"
    path.write_bytes('{"a": "ü"}\n{"b": 2}'.encode() + b"\xff")  # a cut-off last line with a stray byte
    assert "".join(writer._appended(path, '{"c": 3}\n')) == '{"a": "ü"}\n{"b": 2}\ufffd\n{"c": 3}\n'
    path.write_text('{"a": 1}\n', encoding="utf-8")
    assert "".join(writer._appended(path, '{"c": 3}\n')) == '{"a": 1}\n{"c": 3}\n'
    assert "".join(writer._appended(tmp_path / "absent.jsonl", '{"c": 3}\n')) == '{"c": 3}\n'


HOSTILE_COUNTS = ["100000000000000000000", "-5", "true", '"12"', "1.5", "NaN", "[1]", "{}"]


def test_a_line_with_a_count_out_of_range_or_of_the_wrong_type_is_skipped_and_named(tmp_path):
    """One hand-edited count of 10**20 once ended every later run that drew the trend."""
    good = record_line(RunRecord(generated_at="2026-01-01T00:00:00Z", endpoint=CANNED.endpoint, downloads={"a/b": 5}))
    bad = [f'{{"generated_at": "2026-01-0{2 + i}T00:00:00Z", "endpoint": "{CANNED.endpoint}", "downloads": {{"a/b": {count}}}}}\n'
           for i, count in enumerate(HOSTILE_COUNTS)]  # fmt: skip
    path = tmp_path / "history.jsonl"
    path.write_text(good + "".join(bad), encoding="utf-8")
    unreadable: list[int] = []
    records = list(history_records(path, unreadable))
    assert [record.downloads for record in records] == [{"a/b": 5}]
    assert unreadable == list(range(2, 2 + len(HOSTILE_COUNTS)))
    assert download_trends(records, CANNED) is not None


def test_a_report_from_before_history_jsonl_keeps_its_trend_on_the_next_run(run_cli, fake_hub, tmp_path):
    """Reports once kept their trend in latest.json's `history`: the first run after the
    upgrade writes it as history.jsonl's first lines, then its own."""
    import json

    from tests.fakehub import synthetic_sha

    repo_id = "org/model-7b"
    fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 40, "cardData": {"license": "mit"}}, {})
    (tmp_path / "c.md").write_text("| Model | Params |\n| --- | --- |\n| Model | 7B |\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"model:\n  name: Model\n  repos: [{repo_id}]\n", encoding="utf-8")
    reports = tmp_path / "r"
    args = ["run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"), "--endpoint", fake_hub.url,
            "--reports", str(reports)]  # fmt: skip
    assert run_cli(*args).code == 0
    (reports / "history.jsonl").unlink()  # as an older syncer left the folder
    older = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    older["history"] = {repo_id: [["2026-01-01T00:00:00Z", 10], ["2026-01-02T00:00:00Z", 20], ["2026-01-03T00:00:00Z", 30]]}
    (reports / "latest.json").write_text(json.dumps(older), encoding="utf-8")
    assert run_cli(*args).code == 0
    lines = [json.loads(line) for line in (reports / "history.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [line["downloads"].get(repo_id) for line in lines] == [10, 20, 30, 40]
    assert [line["endpoint"] for line in lines] == [fake_hub.url] * 4
    report = parse_report((reports / "latest.json").read_text(encoding="utf-8"))
    records = list(history_records(reports / "history.jsonl", []))
    assert [count for _, count in download_trends(records, report)[repo_id]] == [10, 20, 30, 40]
    assert run_cli(*args).code == 0
    assert len((reports / "history.jsonl").read_text(encoding="utf-8").splitlines()) == 5, "migrated once"


def test_a_pipe_in_the_reports_folder_is_not_read_and_the_run_replaces_it(run_cli, fake_hub, tmp_path):
    """history.jsonl and latest.json are the run's own files, but a pipe in their place would
    block the run for ever at its end: each is named, the run starts its trend afresh, and
    writes regular files where the pipes were."""
    import os

    from tests.fakehub import synthetic_sha

    repo_id = "org/model-7b"
    fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 40, "cardData": {"license": "mit"}}, {})
    (tmp_path / "c.md").write_text("| Model | Params |\n| --- | --- |\n| Model | 7B |\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"model:\n  name: Model\n  repos: [{repo_id}]\n", encoding="utf-8")
    reports = tmp_path / "r"
    reports.mkdir()
    for name in ("history.jsonl", "latest.json"):
        os.mkfifo(reports / name)
    result = run_cli("run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"),
                     "--endpoint", fake_hub.url, "--reports", str(reports))  # fmt: skip
    assert result.code == 0, result.stderr
    assert f"{reports / 'history.jsonl'}: not a regular file; the download trends start afresh" in result.stderr
    assert f"{reports / 'latest.json'}: not a regular file; this run starts afresh" in result.stderr
    assert (reports / "history.jsonl").is_file() and (reports / "latest.json").is_file()
    assert len((reports / "history.jsonl").read_text(encoding="utf-8").splitlines()) == 1
