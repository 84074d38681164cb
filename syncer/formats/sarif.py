"""reports/latest.sarif: contradicted and partial claims as SARIF 2.1.0, for code scanning.

One result per contradicted or partial claim, located at the entry's line in its document
(the path as the catalog was given, relative to the working directory: the repository
root in a workflow). Each claim kind is a rule. A result's `partialFingerprints` hash the
entry id, the claim kind and the claim's words - never the line - so that a finding keeps
its identity when lines above it move, and code scanning closes it only when the claim
is fixed. A finding accepted in the mapping is reported with an external suppression.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath
from typing import Any

from syncer import __version__
from syncer.formats.report_markdown import finding_message
from syncer.models import ClaimKind
from syncer.report import EntryReport, Finding, Report, Verdict

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "syncerClaim/v1"
LEVELS = {Verdict.CONTRADICTED: "error", Verdict.PARTIAL: "warning"}

RULE_TEXT = {
    ClaimKind.PARAMETERS: "A parameter count the document states",
    ClaimKind.PARAMETER_RANGE: "A range of parameter counts the document states",
    ClaimKind.ACTIVE_PARAMETERS: "An active-parameter count (mixture of experts) the document states",
    ClaimKind.CONTEXT_LENGTH: "A context window the document states",
    ClaimKind.LICENSE: "A licence the document describes (commercial use, open source)",
    ClaimKind.LICENSE_ID: "A licence the document names",
    ClaimKind.ARCHITECTURE: "An architecture the document states",
    ClaimKind.BASE_MODEL: "A base model the document names",
    ClaimKind.TRAINING_TOKENS: "A training-token count the document states",
    ClaimKind.LANGUAGES: "Languages the document says the model speaks",
    ClaimKind.QUALITATIVE: "A benchmark or superlative claim",
}


def rule_id(kind: ClaimKind) -> str:
    return f"syncer/{kind.value}"


def claim_fingerprint(entry_id: str, kind: ClaimKind, text: str) -> str:
    """The identity of one claim across runs: what it is about and its words, not where it stands."""
    return hashlib.sha256(f"{entry_id}\u0000{kind.value}\u0000{text}".encode()).hexdigest()


def _rule(kind: ClaimKind) -> dict[str, Any]:
    return {
        "id": rule_id(kind),
        "name": f"{kind.value.replace('_', ' ').title().replace(' ', '')}Claim",
        "shortDescription": {"text": f"{RULE_TEXT[kind]} disagrees with the Hugging Face Hub."},
        "fullDescription": {
            "text": f"{RULE_TEXT[kind]}, checked against the facts of the entry's mapped Hub repos: "
            "contradicted when they disagree, partial when only some repos or some of the words agree."
        },
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["documentation", "hugging-face-hub"]},
    }


def _artifact_uri(document: str) -> str:
    """A relative POSIX path: code scanning resolves it against the repository root."""
    return str(PurePosixPath(document)).removeprefix("./")


def _result(entry: EntryReport, finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": rule_id(finding.kind),
        "ruleIndex": rule_index,
        "level": LEVELS[finding.verdict],
        "message": {"text": finding_message(entry, finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": _artifact_uri(entry.document), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": entry.line},
                },
                "logicalLocations": [{"name": entry.name, "fullyQualifiedName": entry.id, "kind": "member"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": {
            "verdict": finding.verdict.value,
            "entry": entry.id,
            "claimed": finding.claimed,
            "observed": finding.observed,
            "repo_id": finding.repo_id,
            **({"suggested": finding.suggested} if finding.suggested else {}),
            # What decided it, at the revision read: the auditor's evidence.
            **({"evidence": finding.evidence, "fetched_at": finding.fetched_at} if finding.evidence else {}),
            **({"stale": {"since": finding.stale.since, "reason": finding.stale.reason}} if finding.stale else {}),
        },
    }
    if finding.excused:
        reason = (finding.accepted or {}).get("reason", "")
        result["suppressions"] = [{"kind": "external", "justification": f"accepted in the mapping: {reason}"}]
    return result


def report_sarif(report: Report) -> str:
    """The SARIF log for a report; the same report always gives the same text."""
    problems = [
        (entry, finding)
        for entry in report.entries
        for finding in entry.claims
        if finding.verdict in LEVELS
    ]  # fmt: skip
    kinds = sorted({finding.kind for _, finding in problems}, key=list(ClaimKind).index)
    index = {kind: position for position, kind in enumerate(kinds)}
    results, seen = [], set()
    for entry, finding in problems:
        fingerprint = claim_fingerprint(entry.id, finding.kind, finding.text)
        # The same words of one entry judged twice (one claim per size): told apart by their value.
        if fingerprint in seen:
            fingerprint = claim_fingerprint(entry.id, finding.kind, f"{finding.text}\u0000{json.dumps(finding.claimed)}")
        seen.add(fingerprint)
        results.append(_result(entry, finding, index[finding.kind], fingerprint))
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "syncer",
                        "version": __version__,
                        "rules": [_rule(kind) for kind in kinds],
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The working directory of the run."}}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
