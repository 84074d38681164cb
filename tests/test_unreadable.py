"""An unreadable answer is not a change: the last known value stands, marked, and nothing
moves in `changes` or in the licence history."""

from __future__ import annotations

import json

import pytest

from tests.fakehub import synthetic_sha

REPO = "org/model-7b"
CONFIG = {"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 4096}
GOOD = {"downloads": 5, "gated": False, "pipeline_tag": "text-generation", "cardData": {"license": "mit"},
        "safetensors": {"total": 6_738_415_616, "parameters": {"BF16": 6_738_415_616}}}  # fmt: skip

UNREADABLE = [
    # (what the Hub sends on the second run, the facts that must keep their value)
    ("card data as a list", {"cardData": ["mit"]}, None, ["license"]),
    ("a licence of controls only", {"cardData": {"license": "\x00\x1b"}}, None, ["license"]),
    ("gated as a number", {"gated": 0}, None, ["gated"]),
    ("safetensors as a word", {"safetensors": "lots"}, None, ["parameters"]),
    ("a config.json that is not JSON", {}, b"{not json", ["layers", "context_length"]),
    ("a window of true", {}, json.dumps({**CONFIG, "max_position_embeddings": True}).encode(), ["context_length"]),
]  # fmt: skip


@pytest.mark.parametrize(("what", "info", "config", "kept"), UNREADABLE, ids=[case[0] for case in UNREADABLE])
def test_an_unreadable_value_keeps_the_last_known_one_and_records_no_change(run_cli, fake_hub, tmp_path, what, info,
                                                                            config, kept):  # fmt: skip
    fake_hub.add(REPO, {"sha": synthetic_sha(REPO), **GOOD}, {"config.json": json.dumps(CONFIG).encode()})
    (tmp_path / "c.md").write_text("| Model | Params | License |\n| --- | --- | --- |\n| Model | 7B | MIT |\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"model:\n  name: Model\n  repos: [{REPO}]\n", encoding="utf-8")
    args = ["run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"), "--endpoint", fake_hub.url,
            "--reports", str(tmp_path / "r")]  # fmt: skip
    assert run_cli(*args).code == 0
    first = json.loads((tmp_path / "r" / "latest.json").read_text(encoding="utf-8"))["entries"][0]
    fake_hub.commit(REPO, {"config.json": config} if config else None)  # a new commit: config.json is read again
    fake_hub.repos[REPO]["info"].update(info)
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    report = json.loads((tmp_path / "r" / "latest.json").read_text(encoding="utf-8"))
    repo = report["entries"][0]["repos"][0]
    for name in kept:
        assert repo[name] == first["repos"][0][name] is not None, name
        assert repo["kept"][name]["since"] == first["repos"][0]["fetched_at"] and repo["kept"][name]["reason"]
    assert [c for c in report["changes"] if c["kind"] != "fact" or c["field"] != "sha"] == [], "only the new commit"
    assert "last_changed" not in repo or not set(kept) & set(repo["last_changed"])
    assert [f["verdict"] for f in report["entries"][0]["claims"]] == [f["verdict"] for f in first["claims"]]

    fake_hub.repos[REPO]["info"].update(GOOD)  # readable again: the marks go, nothing moved
    fake_hub.commit(REPO, {"config.json": json.dumps(CONFIG).encode()})
    assert run_cli(*args).code == 0
    again = json.loads((tmp_path / "r" / "latest.json").read_text(encoding="utf-8"))
    assert "kept" not in again["entries"][0]["repos"][0]
    assert [c for c in again["changes"] if c["kind"] != "fact" or c["field"] != "sha"] == []
