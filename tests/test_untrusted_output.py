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
