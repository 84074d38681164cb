"""Strings from outside - a document, a mapping, the Hub - reach no output with a control or
direction character in them, and none makes a report balloon."""

from __future__ import annotations

import json
import re

from tests.fakehub import synthetic_sha

# C0 and C1 controls but newline, carriage return and tab (which outputs use for their own
# layout), DEL, zero-width and direction marks and overrides, line and paragraph separators.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")
HOSTILE = "\x1b[31m\u202eevil\x07\x00\u2066\x9b"


def test_a_hostile_string_reaches_no_writer(run_cli, fake_hub, tmp_path, monkeypatch):
    repo_id = "hostile/model-7b"
    config = {"model_type": f"llama{HOSTILE}", "num_hidden_layers": 32, "max_position_embeddings": 4096}
    fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 5, "pipeline_tag": f"text{HOSTILE}",
                           "cardData": {"license": "other", "license_name": f"custom{HOSTILE}" + "x" * (1 << 20),
                                        "base_model": [f"org/base{HOSTILE}"], "language": [f"en{HOSTILE}"]}},
                 {"config.json": json.dumps(config).encode()})  # fmt: skip
    (tmp_path / "c.md").write_text(
        "| Model | Params | Context | Notes |\n| --- | --- | --- | --- |\n"
        f"| Evil{HOSTILE} Model | 7B{HOSTILE} | 8K | {HOSTILE} based on LLaMA, 可商用 {'y' * (1 << 20)} |\n",
        encoding="utf-8",
    )
    (tmp_path / "m.yaml").write_text(
        f"evil-31m-evil-model:\n  name: \"Evil\\e[31m\\u202eevil\\a\\0\\u2066\\x9b Model\"\n  repos: [{repo_id}]\n"
        f"  note: \"reviewed \\e[2J\\u202e by hand\"\n",
        encoding="utf-8",
    )
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    reports = tmp_path / "reports"
    claims = run_cli("claims", "--catalog", str(tmp_path / "c.md"))
    check = run_cli("check", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"))
    result = run_cli("run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"),
                     "--endpoint", fake_hub.url, "--reports", str(reports))  # fmt: skip
    assert result.code == 0, result.stderr
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert report["entries"][0]["repos"][0]["status"] == "ok", "the repo was read"
    written = {path.name: path.read_text(encoding="utf-8") for path in reports.rglob("*") if path.is_file()}
    written |= {"summary": summary.read_text(encoding="utf-8"), "stdout": result.stdout, "stderr": result.stderr,
                "claims": claims.stdout + claims.stderr, "check": check.stdout + check.stderr}  # fmt: skip
    assert {"latest.md", "latest.json", "latest.sarif", "history.jsonl"} <= set(written)
    # suggested.patch is the exception: a diff of the document must carry its lines as they
    # are, or `git apply` would not apply it; it is read with git, not shown raw.
    written.pop("suggested.patch", None)
    for name, text in written.items():
        decoded = json.dumps(json.loads(text), ensure_ascii=False) if name.endswith((".json", ".sarif")) else text
        assert not FORBIDDEN.search(decoded), f"{name}: {FORBIDDEN.search(decoded)!r}"
    assert len(written["latest.json"]) < 200_000, "a 1 MiB string is cut, not copied into the report"


def _poison(value, path=""):
    """Every string of a report, hand-edited to carry HOSTILE (ids and times too)."""
    if isinstance(value, str):
        return value + HOSTILE
    if isinstance(value, list):
        return [_poison(item) for item in value]
    if isinstance(value, dict):
        # Kinds, statuses and verdicts are read as enums: a bad one is refused, not shown.
        keep = {"kind", "status", "verdict", "why", "schema_version"}
        return {key: item if key in keep else _poison(item) for key, item in value.items()}
    return value


def test_a_hand_edited_previous_report_reaches_no_writer_raw(run_cli, fake_hub, tmp_path, monkeypatch):
    """A repo that answers 503 is shown with the previous report's facts and verdicts: what that
    report held passes through every writer, so its strings are as neutral as the Hub's."""
    monkeypatch.setattr("syncer.hub.client.time.sleep", lambda seconds: None)  # retries wait in no time
    repo_id, neighbour = "plain/model-7b", "plain/other-13b"
    for repo in (repo_id, neighbour):
        config = {"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 8192}
        fake_hub.add(repo, {"sha": synthetic_sha(repo), "downloads": 5, "cardData": {"license": "apache-2.0"}},
                     {"config.json": json.dumps(config).encode()})  # fmt: skip
    (tmp_path / "c.md").write_text(
        "| Model | Params | Context | Notes |\n| --- | --- | --- | --- |\n| Plain Model | 7B | 8K | Apache 2.0 |\n"
        "| Other Model | 13B | 8K | Apache 2.0 |\n",
        encoding="utf-8",
    )
    mapping = f"plain-model:\n  name: Plain Model\n  repos: [{repo_id}]\n"
    mapping += f"other-model:\n  name: Other Model\n  repos: [{neighbour}]\n"
    (tmp_path / "m.yaml").write_text(mapping, encoding="utf-8")
    reports = tmp_path / "reports"
    args = ("run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"),
            "--endpoint", fake_hub.url, "--reports", str(reports))  # fmt: skip
    assert run_cli(*args).code == 0
    latest = reports / "latest.json"
    report = json.loads(latest.read_text(encoding="utf-8"))
    assert report["entries"][0]["claims"], "the entry has findings to poison"
    entry = next(entry for entry in report["entries"] if entry["id"] == "plain-model")
    entry |= _poison(entry)
    entry["repos"][0]["repo_id"] = entry["repos"][0]["requested_id"] = repo_id  # the id it is still asked for by
    entry["id"] = "plain-model"
    report["generated_at"] += HOSTILE
    latest.write_text(json.dumps(report), encoding="utf-8")
    fake_hub.fail_repo(repo_id, "503")

    result = run_cli(*args)
    assert result.code == 0, result.stderr
    again = json.loads(latest.read_text(encoding="utf-8"))
    carried = next(entry for entry in again["entries"] if entry["id"] == "plain-model")
    assert "stale" in carried["repos"][0], "the repo's facts were carried from the edited report"
    written = {path.name: path.read_text(encoding="utf-8") for path in reports.rglob("*")
               if path.is_file() and path.name not in ("suggested.patch", ".syncer.lock")}  # fmt: skip
    written |= {"stdout": result.stdout, "stderr": result.stderr}
    for name, text in written.items():
        if name.startswith("20") and name.endswith(".json") and HOSTILE in text:
            continue  # the edited report itself, kept as the snapshot it was
        decoded = json.dumps(json.loads(text), ensure_ascii=False) if name.endswith((".json", ".sarif")) else text
        assert not FORBIDDEN.search(decoded), f"{name}: {FORBIDDEN.search(decoded)!r}"
