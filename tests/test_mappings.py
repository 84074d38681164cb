"""`syncer check`: the mapping file is strict, and every problem names its file and line."""

from __future__ import annotations

import textwrap

import pytest

from syncer.mappings import load_mappings
from tests.conftest import PROJECT

CATALOG = """\
# Models

| Model | Description |
| --- | --- |
| Qwen1.5 | [weights](https://huggingface.co/Qwen/Qwen1.5-7B) 支持32K上文 |
| Amazon Titan | API only |
| Yi | 34B |
"""

GOOD = """\
qwen1-5:
  name: Qwen1.5
  repos:
    - Qwen/Qwen1.5-7B
    - id: Qwen/Qwen1.5-72B
      note: largest size
amazon-titan:
  name: Amazon Titan
  not_on_hub: API-only model on AWS Bedrock
yi:
  name: Yi
  repos: [01-ai/Yi-34B]
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "models.md").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "mappings").mkdir()
    monkeypatch.chdir(tmp_path)

    def write(text: str) -> None:
        (tmp_path / "mappings" / "models.yaml").write_text(textwrap.dedent(text), encoding="utf-8")

    return write


def test_a_clean_mapping_passes_with_a_summary(project, run_cli):
    project(GOOD)
    result = run_cli("check")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.strip() == "ok: 3 entries: 2 mapped to 3 repos, 1 not on the Hub, 0 to do, 0 unmapped"


BROKEN = [
    # (what is wrong, the file, the expected `line: message` problems)
    ("neither repos nor not_on_hub", GOOD.replace("  not_on_hub: API-only model on AWS Bedrock\n", ""),
     ["7: amazon-titan: needs `repos` (a list of Hub repo ids), `not_on_hub: <reason>` or `todo: <what is left>`"]),
    ("both repos and not_on_hub", GOOD.replace("  repos: [01-ai/Yi-34B]", "  repos: [01-ai/Yi-34B]\n  not_on_hub: x"),
     ["10: yi: has both `repos` and `not_on_hub`; keep one"]),
    ("a mapping for no entry", GOOD + "mistral:\n  name: Mistral\n  repos: [mistralai/Mistral-7B-v0.1]\n",
     ["13: mistral: no catalog entry has this id"]),
    ("a name mismatch", GOOD.replace("name: Yi", "name: YI"),
     ["11: yi: name 'YI' does not match the catalog's 'Yi' (catalog/models.md:7)"]),
    ("a path as a repo id", GOOD.replace("- Qwen/Qwen1.5-7B", "- ../../etc"),
     ["4: qwen1-5: `repos.0.id`: invalid repo id '../../etc': expected `org/name` with letters, digits, '-', '_' or '.'"]),
    ("a URL as a repo id", GOOD.replace("01-ai/Yi-34B", "https://huggingface.co/01-ai/Yi-34B"),
     ["12: yi: `repos.0.id`: invalid repo id 'https://huggingface.co/01-ai/Yi-34B': expected `org/name` with "
      "letters, digits, '-', '_' or '.'"]),
    ("an id without its organisation", GOOD.replace("01-ai/Yi-34B", "Yi-34B"),
     ["12: yi: `repos.0.id`: invalid repo id 'Yi-34B': expected `org/name` (the organisation is part of the id)"]),
    ("the same repo twice", GOOD.replace("    - Qwen/Qwen1.5-7B\n", "    - Qwen/Qwen1.5-7B\n    - qwen/qwen1.5-7b\n"),
     ["5: qwen1-5: qwen/qwen1.5-7b is listed twice"]),
    ("a typo in a key", GOOD.replace("not_on_hub:", "not_on_hbu:"),
     ["9: amazon-titan: unknown key `not_on_hbu` (allowed: name, repos, not_on_hub, todo, note, declined, accept)"]),
    ("an entry mapped twice", GOOD + "yi:\n  name: Yi\n  repos: [01-ai/Yi-6B]\n",
     ["13: yi: mapped twice (first at mappings/models.yaml:10)"]),
    ("a key written twice", GOOD.replace("  name: Yi\n", "  name: Yi\n  name: Yi\n"),
     ["12: yi: key `name` appears twice"]),
    ("a YAML syntax error", GOOD.replace("  repos: [01-ai/Yi-34B]", "  repos: [01-ai/Yi-34B"),
     ["13: YAML error: while parsing a flow sequence: …"]),  # the rest of the wording is libyaml's
    ("a YAML tag that builds objects", GOOD.replace("largest size", "!!python/object/apply:os.system [echo]"),
     ["6: qwen1-5: YAML error: could not determine a constructor for the tag "
      "'tag:yaml.org,2002:python/object/apply:os.system'"]),
    ("an accept matching no claim", GOOD + "  accept:\n    - text: 35B\n      reason: rounding\n",
     ["14: yi: `accept` text '35B' matches no claim of this entry (its claims: '34B')"]),
    ("an accept with a malformed date", GOOD + "  accept:\n    - text: 34B\n      reason: r\n      until: 31.12.2026\n",
     ["16: yi: `accept.0.until`: '31.12.2026' is not a date as YYYY-MM-DD"]),
    ("an accept without a reason", GOOD + "  accept:\n    - text: 34B\n",
     ["14: yi: `accept.0.reason`: Field required"]),
    ("an alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                      "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
     ["2: YAML anchors and aliases (&name, *name) are not allowed in a mapping"]),
    # The file is read entry by entry; a YAML problem anywhere still stands alone, so the
    # entries read before it report nothing.
    ("a second document", GOOD + "---\nmistral:\n  name: Mistral\n",
     ["13: YAML error: expected a single document in the stream: but found another document"]),
    ("a syntax error after a wrong entry", GOOD.replace("name: Yi", "name: YI") + "mistral: [a\n",
     ["14: YAML error: while parsing a flow sequence: …"]),
    ("a list, not a mapping", "- yi\n- qwen1-5\n", ["1: expected a mapping of entry ids to entries"]),
    ("a self-referencing alias", "yi: &x\n  name: Yi\n  repos: *x\n",
     ["3: YAML anchors and aliases (&name, *name) are not allowed in a mapping"]),
    ("a document link the mapping lacks", GOOD.replace("    - Qwen/Qwen1.5-7B\n", ""),
     ["1: qwen1-5: the document links Qwen/Qwen1.5-7B (catalog/models.md:5); add it to `repos`, or to "
      "`declined` with a note"]),
]


@pytest.mark.parametrize(("case", "text", "expected"), BROKEN, ids=[case[0] for case in BROKEN])
def test_every_problem_is_reported_with_its_line_and_exit_2(project, run_cli, case, text, expected):
    project(text)
    result = run_cli("check")
    assert result.code == 2
    errors = [line.removeprefix("error: ") for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors[:-1]) == len(expected)
    for error, message in zip(errors[:-1], expected, strict=True):
        if message.endswith("…"):
            assert error.startswith(f"mappings/models.yaml:{message[:-1]}"), error
        else:
            assert error == f"mappings/models.yaml:{message}"
    assert errors[-1] == f"{len(expected)} problem(s) in mappings/models.yaml"
    assert "Traceback" not in result.stderr


def test_a_declined_link_is_not_proposed_again(project, run_cli):
    declined = "  declined:\n    - id: Qwen/Qwen1.5-7B\n      note: the article means the 72B\n"
    project(GOOD.replace("    - Qwen/Qwen1.5-7B\n", "").replace("amazon-titan:", declined + "amazon-titan:"))
    assert run_cli("check").code == 0


def test_unmapped_entries_are_warnings_that_point_to_suggest(project, run_cli):
    project(GOOD.replace("yi:\n  name: Yi\n  repos: [01-ai/Yi-34B]\n", ""))
    result = run_cli("check")
    assert result.code == 0
    assert "warning: catalog/models.md:7: yi is not mapped (try: syncer suggest yi)" in result.stderr
    assert result.stdout.strip().endswith("1 unmapped")


def test_all_problems_are_listed_at_once(project, run_cli):
    project(GOOD.replace("name: Yi", "name: YI").replace("Qwen/Qwen1.5-72B", "a/b/c"))
    result = run_cli("check")
    assert result.code == 2
    assert result.stderr.count("error: mappings/models.yaml:") == 2
    assert "not mapped" not in result.stderr, "an invalid mapping is a problem, not a missing one"


def test_the_shipped_mapping_covers_the_seed_catalog(run_cli, monkeypatch):
    monkeypatch.chdir(PROJECT)
    result = run_cli("check")
    assert result.code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("ok: 85 entries: ")
    assert result.stdout.strip().endswith("0 unmapped")


def test_repo_lines_are_kept_for_later_edits():
    mappings = load_mappings(PROJECT / "mappings")
    qwen = mappings.entries["qwen1-5"]
    lines = (PROJECT / "mappings" / "open-llm-roundup.zh.yaml").read_text(encoding="utf-8").splitlines()
    for repo, line in zip(qwen.mapping.repos or [], qwen.repo_lines, strict=True):
        assert repo.id in lines[line - 1]


REPO_IDS = ["foo/bar", "Foo-BAR_foo.bar123/x", "123", "a/b.c", "org/-bad", "org/bad-", "a--b/c", "a/b..c", "x/y.git",
            "a/b/c", "", "org/" + "x" * 97, "org/name with space", "../x"]  # fmt: skip


@pytest.mark.parametrize("repo_id", REPO_IDS)
def test_repo_ids_follow_huggingface_hubs_own_rules(repo_id):
    """syncer reads repo ids by huggingface_hub's rules without importing its client."""
    from huggingface_hub.errors import HFValidationError
    from huggingface_hub.utils import validate_repo_id

    from syncer.untrusted import valid_repo_id

    try:
        validate_repo_id(repo_id)
        theirs = True
    except HFValidationError:
        theirs = False
    assert valid_repo_id(repo_id) is theirs
