"""reports/latest.sarif: valid SARIF 2.1.0, findings at their document lines, identities that last.

tests/schemas/sarif-schema-2.1.0.json is the OASIS schema (sarif-2.1/schema/sarif-schema-2.1.0.json
in github.com/oasis-tcs/sarif-spec, errata01), kept here so the check runs offline.
"""

from __future__ import annotations

import json
import shutil

import jsonschema
import pytest

from syncer.formats.report_json import parse_report
from syncer.formats.sarif import FINGERPRINT_KEY, claim_fingerprint, report_sarif
from syncer.models import ClaimKind
from tests.conftest import PROJECT, SEED

SCHEMA = json.loads((PROJECT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def valid(log: dict) -> dict:
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


@pytest.fixture(scope="module")
def canned():
    return parse_report((PROJECT / "tests" / "golden" / "canned-snapshot.json").read_text(encoding="utf-8"))


def test_the_schema_is_the_real_one_and_catches_a_broken_log():
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    with pytest.raises(jsonschema.ValidationError):
        valid({"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]})  # a driver needs a name


def test_one_result_per_contradicted_or_partial_claim(canned):
    log = valid(json.loads(report_sarif(canned)))
    results = log["runs"][0]["results"]
    problems = [(e, f) for e in canned.entries for f in e.claims if f.verdict.value in ("contradicted", "partial")]
    assert len(results) == len(problems) > 0
    rules = [rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]]
    for result, (entry, finding) in zip(results, problems, strict=True):
        assert result["ruleId"] == f"syncer/{finding.kind.value}" == rules[result["ruleIndex"]]
        assert result["level"] == {"contradicted": "error", "partial": "warning"}[finding.verdict.value]
        region = result["locations"][0]["physicalLocation"]
        assert region["artifactLocation"]["uri"] == entry.document and region["region"]["startLine"] == entry.line
        assert finding.text in result["message"]["text"]
        assert result["partialFingerprints"] == {FINGERPRINT_KEY: claim_fingerprint(entry.id, finding.kind, finding.text)}


def test_a_fingerprint_names_the_claim_not_its_line():
    assert claim_fingerprint("qwen", ClaimKind.PARAMETERS, "70B") == claim_fingerprint("qwen", ClaimKind.PARAMETERS, "70B")
    assert claim_fingerprint("qwen", ClaimKind.PARAMETERS, "70B") != claim_fingerprint("qwen", ClaimKind.PARAMETERS, "72B")
    assert claim_fingerprint("qwen", ClaimKind.PARAMETERS, "70B") != claim_fingerprint("qwen-2", ClaimKind.PARAMETERS, "70B")


@pytest.fixture
def seed_hub(fake_hub):
    for name in ("chatglm-6b", "chatglm2-6b", "chatglm3-6b-32k"):
        fake_hub.rename(f"THUDM/{name}", f"zai-org/{name}")
    for size in ("7B", "14B", "72B"):  # so that Qwen's "70B" is contradicted, as on the real Hub
        fake_hub.add(f"Qwen/Qwen-{size}", {"sha": f"{size[:2]:0>40}", "downloads": 1})
    return fake_hub


def sarif_of_a_run(run_cli, hub, catalog, reports):
    result = run_cli("run", "--endpoint", hub.url, "--catalog", str(catalog), "--reports", str(reports))
    assert result.code == 0, result.stderr
    return valid(json.loads((reports / "latest.sarif").read_text(encoding="utf-8")))


def test_the_seed_puts_each_contradicted_claim_at_its_line_with_an_identity_that_survives(
    run_cli, seed_hub, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEED.parent, tmp_path / "catalog")
    shutil.copytree(PROJECT / "mappings", tmp_path / "mappings")
    first = sarif_of_a_run(run_cli, seed_hub, "catalog", tmp_path / "reports")
    report = json.loads((tmp_path / "reports" / "latest.json").read_text(encoding="utf-8"))
    document = (tmp_path / "catalog" / SEED.name).read_text(encoding="utf-8").splitlines()

    contradicted = [(e, f) for e in report["entries"] for f in e["claims"] if f["verdict"] == "contradicted"]
    located = {}
    for result in first["runs"][0]["results"]:
        where = result["locations"][0]["physicalLocation"]
        located[(result["properties"]["entry"], result["ruleId"], result["properties"]["verdict"])] = where
        assert where["artifactLocation"]["uri"] == f"catalog/{SEED.name}"
    assert contradicted, "the seed against its fixtures contradicts Qwen's 70B"
    for entry, finding in contradicted:
        where = located[(entry["id"], f"syncer/{finding['kind']}", "contradicted")]
        line = where["region"]["startLine"]
        assert line == entry["line"] and finding["text"] in document[line - 1], (entry["id"], finding["text"])

    # A second run over the same Hub: the same findings, the same identities, the same file.
    again = sarif_of_a_run(run_cli, seed_hub, "catalog", tmp_path / "reports")
    assert again == first
    # Lines inserted above every entry: the lines move, the identities do not.
    (tmp_path / "catalog" / SEED.name).write_text("\n\n\n" + "\n".join(document) + "\n", encoding="utf-8")
    moved = sarif_of_a_run(run_cli, seed_hub, "catalog", tmp_path / "moved")
    fingerprints = [r["partialFingerprints"] for r in first["runs"][0]["results"]]
    assert [r["partialFingerprints"] for r in moved["runs"][0]["results"]] == fingerprints
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in first["runs"][0]["results"]]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved["runs"][0]["results"]] == [
        line + 3 for line in lines
    ]


def test_report_rerenders_the_sarif(run_cli, seed_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    reports, again = tmp_path / "reports", tmp_path / "again"
    assert run_cli("run", "--endpoint", seed_hub.url, "--reports", str(reports)).code == 0
    snapshot = next((reports / "snapshots").glob("*.json"))
    assert run_cli("report", "--snapshot", str(snapshot), "--reports", str(again)).code == 0
    assert (again / "latest.sarif").read_bytes() == (reports / "latest.sarif").read_bytes()
