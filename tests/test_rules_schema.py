"""The vocabulary and licence policy files are checked when loaded: a slip is an error naming
its file and line, never a claim that silently vanishes or a licence no verdict can judge."""

from __future__ import annotations

from pathlib import Path

import pytest

from syncer.claims import cell_claims
from syncer.entries.columns import role_of_header
from syncer.errors import InputError, RulesError
from syncer.models import ClaimKind
from syncer.reconcile import Policy, parse_policy
from syncer.rules import load_rules
from syncer.vocabulary import CLAIMS_FILE, CUSTOM_LICENCE, POLICY_FILE, ColumnRole, load_vocabulary


def test_the_packaged_vocabulary_and_policy_load():
    vocabulary = load_vocabulary()
    assert vocabulary.files == (CLAIMS_FILE, POLICY_FILE)
    emitted = set(vocabulary.words.license_ids.values()) - {CUSTOM_LICENCE}
    assert emitted <= set(vocabulary.policy.ids), "every licence id the words produce has a policy row"


@pytest.mark.parametrize(
    ("licence", "commercial", "open_source"),
    [("llama3.2", "conditional", False), ("llama3.3", "conditional", False), ("llama4", "conditional", False),
     ("cc0-1.0", "yes", True), ("gpl-2.0", "yes", True), ("lgpl-3.0", "yes", True), ("openrail++", "conditional", False)],
)  # fmt: skip
def test_licences_the_words_name_have_a_sourced_policy_row(licence, commercial, open_source):
    row = load_vocabulary().policy.ids[licence]
    assert (row.commercial, row.open_source, row.source.startswith("https://")) == (commercial, open_source, True)


def test_a_column_headed_no_is_a_row_number_not_an_unknown_column():
    """`no` unquoted was YAML's false: the header `No` was unknown while `false` was ignored."""
    assert role_of_header("No", load_rules()) == (ColumnRole.IGNORE, "header")
    assert role_of_header("false", load_rules())[0] is None


def test_the_deepseek_licence_is_a_custom_licence_as_on_the_hub():
    """DeepSeek's repos say `license: other` with `license_name: deepseek`; the Hub has no `deepseek` id."""
    claims, _ = cell_claims("license", "Licence", "DeepSeek License", None, load_rules())
    assert [(claim.kind, claim.value) for claim in claims] == [(ClaimKind.LICENSE_ID, CUSTOM_LICENCE)]


# --- a project's own vocabulary file ---------------------------------------------------------


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "vocabulary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


EXTENSION = """\
columns:
  parameters: [规格]
  name: [model name]     # already the packaged role: harmless
license_ids:
  acme model licence: acme-1.0
licenses:
  ids:
    acme-1.0: {commercial: "no", open_source: false, source: "https://example.org/acme-licence"}
"""


def test_an_extra_file_adds_headers_licence_names_and_policy_rows(tmp_path):
    rules = load_rules((_write(tmp_path, EXTENSION),))
    assert role_of_header("规格", rules) == (ColumnRole.PARAMETERS, "header")
    assert role_of_header("Model Name", rules) == (ColumnRole.NAME, "header")
    claims, _ = cell_claims("license", "Licence", "Acme Model Licence", None, rules)
    assert [(claim.kind, claim.value) for claim in claims] == [(ClaimKind.LICENSE_ID, "acme-1.0")]
    assert Policy.from_rows(rules.licence_policy).ids["acme-1.0"]["commercial"] == "no"
    assert Policy.from_rows(rules.licence_policy).ids["mit"]["commercial"] == "yes"  # the packaged rows stay


def test_an_extra_file_leaves_the_packaged_rules_alone(tmp_path):
    load_rules((_write(tmp_path, EXTENSION),))
    assert role_of_header("规格", load_rules())[0] is None
    assert "acme-1.0" not in load_rules().licence_policy.ids


# Each slip in a small vocabulary file -> the line the error names, and words of its message.
SLIPS = [
    ("unknown section", "paramters:\n  units: [b]\n", 1, "unknown key 'paramters' (known: columns, column_words,"),
    ("unknown key in a section", "parameters:\n  unit: [b]\n", 2, "`parameters`: unknown key 'unit' (known: units,"),
    ("unknown column role", "columns:\n  name: [型号]\n  paramters: [规格]\n", 3,
     "`columns`: unknown key 'paramters'; expected one of name, description, parameters"),
    ("licence value typo", "license:\n  phrases:\n    可以商业化: comercial\n", 3,
     "`license.phrases`: 可以商业化 is 'comercial'; expected commercial, conditional, open_source or non_commercial"),
    ("negated value typo", "license:\n  negated_value: noncommercial\n", 2, "negated_value is 'noncommercial'"),
    ("YAML key given twice", "columns:\n  name: [型号]\n  name: [型号名]\n", 3, "`columns.name` appears twice (first at line 2)"),
    ("header listed twice", "columns:\n  links:\n    - Mirror\n    - mirror\n", 4,
     "`columns.links`: 'mirror' is listed twice (first at line 3)"),
    ("header listed twice on one line", "columns:\n  links: [mirror, 镜像, mirror]\n", 2,
     "'mirror' is listed twice (on this line)"),
    ("header given two roles", "columns:\n  links:\n    - mirror\n  ignore:\n    - mirror\n", 5,
     "`columns.ignore`: 'mirror' already has the role `links` ("),
    ("header given a packaged header's other role", "columns:\n  links: [model name]\n", 2,
     f"'model name' already has the role `name` ({CLAIMS_FILE}:"),
    ("phrase given twice", "license:\n  phrases:\n    Pay Per Use: conditional\n    pay  per use: conditional\n", 4,
     "`license.phrases`: 'pay  per use' is given twice (as 'Pay Per Use' at line 3)"),
    ("phrase given another meaning", "license:\n  phrases:\n    可商用: non_commercial\n", 3,
     f"`license.phrases.可商用`: 'non_commercial' here, but 'commercial' in {CLAIMS_FILE}:"),
    ("licence id with no policy row", "license_ids:\n  acme licence: acme-1.0\n", 2,
     f"'acme licence' names 'acme-1.0', which has no row under `ids:` in {POLICY_FILE}"),
    ("unit with no magnitude", "parameters:\n  units: [bn]\n", 2, "`parameters.units`: the unit 'bn' has no row in `magnitudes`"),
    ("unquoted no", "columns:\n  ignore: [nr, no]\n", 2,
     "YAML reads an unquoted yes/no/on/off as False, not as a word; quote it"),
    ("language that is no ISO code", "languages:\n  words:\n    意大利语: [italian]\n", 3, "`languages.words.意大利语`"),
    ("licence row with a bad answer", "licenses:\n  ids:\n    acme-1.0: {commercial: maybe, open_source: false, source: x}\n", 3,
     "`licenses.ids.acme-1.0`: commercial is 'maybe'; expected yes, conditional or no"),
    ("licence row without its source", "licenses:\n  ids:\n    acme-1.0: {commercial: \"yes\", open_source: true}\n", 3,
     "`licenses.ids.acme-1.0`: `source` is missing"),
    ("licence row changing a packaged one",
     "licenses:\n  ids:\n    mit: {commercial: \"no\", open_source: false, source: x}\n", 3,
     f"`licenses.ids.mit`: differs from the row in {POLICY_FILE}:"),
    ("link to no row", "licenses:\n  links:\n    acme/LICENSE: acme\n", 3,
     "`licenses.links`: 'acme/LICENSE' points at 'acme', which `other:` does not have"),
    ("not YAML", "columns: [\n", 2, "not valid YAML"),
    ("not a mapping", "- a list\n", None, "expected a mapping of the sections `columns:`, `column_words:`"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), [case[1:] for case in SLIPS], ids=[case[0] for case in SLIPS])
def test_a_slip_in_a_vocabulary_file_names_its_file_and_line(tmp_path, text, line, words):
    path = _write(tmp_path, text)
    with pytest.raises(RulesError) as error:
        load_vocabulary((path,))
    assert isinstance(error.value, InputError)  # the CLI exits 2
    assert (error.value.path, error.value.line) == (path, line)
    assert words in str(error.value).splitlines()[0], str(error.value)


def test_every_slip_of_a_file_is_reported_at_once(tmp_path):
    path = _write(tmp_path, "columns:\n  paramters: [规格]\nparameters:\n  units: [bn]\n  unit: [b]\n")
    with pytest.raises(RulesError) as error:
        load_vocabulary((path,))
    assert [line.split(": ")[0] for line in str(error.value).splitlines()] == [f"{path}:2", f"{path}:5"]


def test_a_missing_extra_file_is_an_input_error(tmp_path):
    with pytest.raises(RulesError, match="cannot read"):
        load_vocabulary((tmp_path / "nowhere.yaml",))


# The licence policy file on its own, as `syncer run` reads it before any request.
POLICY_SLIPS = [
    ("ids:\n  mit: {commercial: \"maybe\", open_source: true, source: x}\n", 2,
     "`ids.mit`: commercial is 'maybe'; expected yes, conditional or no"),
    ("ids:\n  mit: {commercial: \"yes\", open_source: true}\n", 2, "`ids.mit`: `source` is missing"),
    ("ids:\n  mit: {commercial: \"yes\", open_source: true, source: \"\"}\n", 2,
     "`ids.mit.source`: String should have at least 1"),
    ("ids:\n  mit: {commercial: \"yes\", open_source: true, source: x, sauce: y}\n", 2,
     "`ids.mit`: unknown key 'sauce' (known: commercial,"),
    ("ids:\n  mit: {commercial: \"yes\", open_source: true, source: x}\n"
     "  MIT: {commercial: \"no\", open_source: false, source: y}\n", 3, "`ids`: 'MIT' is given twice (as 'mit' at line 2)"),
    ("ids: {}\nother: {}\nlinks:\n  \"x/LICENSE\": nothing\n", 4,
     "`links`: 'x/LICENSE' points at 'nothing', which `other:` does not have"),
    ("ids: [\n", 2, "not valid YAML"),
    ("- a list\n", None, "expected a mapping of the sections `ids:`, `other:`, `links:`"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "words"), POLICY_SLIPS)
def test_a_slip_in_the_licence_policy_names_its_line(text, line, words):
    with pytest.raises(RulesError) as error:
        parse_policy(text)
    assert (str(error.value.path), error.value.line) == (POLICY_FILE, line)
    assert words in str(error.value).splitlines()[0], str(error.value)
