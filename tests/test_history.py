"""reports/history.jsonl: the trends come from it; it only ever grows by a line per run."""

from __future__ import annotations

from syncer.formats.report_json import parse_report
from syncer.history import TREND_POINTS, RunRecord, download_trends, read_history, record_line, run_record
from tests.conftest import PROJECT

CANNED = parse_report((PROJECT / "tests" / "golden" / "canned-snapshot.json").read_text(encoding="utf-8"))


def test_a_record_is_one_compact_line_that_reads_back(tmp_path):
    record = run_record(CANNED)
    line = record_line(record)
    assert line.endswith("}\n") and line.count("\n") == 1 and ", " not in line
    assert record.downloads and all(n is not None for n in record.downloads.values())
    path = tmp_path / "history.jsonl"
    path.write_text(line + "not json\n\n" + '{"endpoint": "x"}\n' + line, encoding="utf-8")
    records, unreadable = read_history(path)
    assert records == [record, record] and unreadable == [2, 4]
    assert read_history(tmp_path / "absent.jsonl") == ([], [])


def test_a_trend_gains_a_point_only_when_the_count_moves_and_keeps_the_last_ones():
    repo = next(iter(run_record(CANNED).downloads))
    times = [f"2026-01-01T00:00:{second:02d}Z" for second in range(TREND_POINTS + 5)]
    records = [RunRecord(generated_at=t, endpoint=CANNED.endpoint, downloads={repo: i}) for i, t in enumerate(times)]
    records.insert(3, RunRecord(generated_at="2026-01-01T00:00:03Z", endpoint=CANNED.endpoint, downloads={repo: 3}))
    records.append(RunRecord(generated_at="2026-01-01T00:00:01Z", endpoint="http://another-hub", downloads={repo: -1}))
    report = CANNED.model_copy(update={"generated_at": "2099-01-01T00:00:00Z"})
    points = download_trends(records, report)[repo]
    assert [value for _, value in points] == list(range(5, TREND_POINTS + 5)), "no repeat, no other Hub, the last 30"

    earlier = CANNED.model_copy(update={"generated_at": times[9]})
    assert [value for _, value in download_trends(records, earlier)[repo]] == list(range(10)), "up to the report's time"
    assert set(download_trends(records, report)) <= {r.requested_id for e in CANNED.entries for r in e.repos}
