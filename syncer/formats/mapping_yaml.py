"""The mapping `syncer init` writes (and `syncer suggest` prints): `init`'s decisions as the
mapping file's YAML, what it passed over as comments a person can move into `repos`.

Every value from a document or the Hub is written as a JSON string (a YAML double-quoted
scalar), so no answer can add YAML of its own; comments are one line, controls dropped.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from syncer.untrusted import without_controls

if TYPE_CHECKING:  # onboarding renders its decisions with this module
    from syncer.onboarding import Decision

_PLAIN_KEY = re.compile(r"^[^\W\d_][\w-]*$")
YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _key(entry_id: str) -> str:
    return entry_id if _PLAIN_KEY.match(entry_id) and entry_id.lower() not in YAML_WORDS else _quoted(entry_id)


def _comment(text: str) -> str:
    return without_controls(text).replace("\n", " ")


def header(documents: list[str], today: str) -> list[str]:
    return [
        f"# Mapping of {', '.join(documents)} to Hugging Face Hub repos, written by `syncer init` on {today}.",
        "# `source: document`: the document links or names the repo. `source: search`: a Hub search chose it and",
        "# no person has reviewed it: check each, then delete that line (`syncer check --strict` fails while any",
        "# is left; a claim resting only on such repos is never reported contradicted). `todo:` entries need a",
        "# person: move a candidate from the comments into `repos`, or write `not_on_hub: <why>`. Then `syncer check`.",
        "",
    ]


def decisions_yaml(decisions: list[Decision]) -> list[str]:
    lines: list[str] = []
    for decision in decisions:
        entry = decision.entry
        lines.append(f"# {_comment(entry.name)} - {_comment(entry.document)}:{entry.line}")
        lines.append(f"{_key(entry.id)}:")
        lines.append(f"  name: {_quoted(entry.name)}")
        if decision.repos:
            lines.append("  repos:")
            for repo in decision.repos:
                lines.append(f"    - id: {_quoted(repo.id)}")
                lines.append(f"      source: {repo.source}")
                if repo.renamed_from:
                    lines.append(f"      renamed_from: {_quoted(repo.renamed_from)}")
                lines.append(f"      note: {_quoted(repo.note)}")
        if decision.considered:
            lines.append("  # Considered and not chosen (score: reasons; why not) - to keep one, add it under `repos`:")
            for item in decision.considered:
                score = f"score {item.score:g}: " if item.score is not None else ""
                lines.append(f"  #   - {_comment(item.repo_id)}  # {score}{_comment('; '.join(item.reasons))}; "
                             f"not chosen: {_comment(item.why_not)}")  # fmt: skip
        if decision.not_on_hub:
            lines.append(f"  not_on_hub: {_quoted(decision.not_on_hub)}")
        if decision.todo:
            lines.append(f"  todo: {_quoted(decision.todo)}")
        lines.append("")
    return lines
