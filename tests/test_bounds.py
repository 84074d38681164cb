"""Every outside number is a fact only within its plausible range (syncer/bounds.py)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from syncer.bounds import CONTEXT, COUNT, PARAMETERS, Bound, parameters_from
from syncer.hub.derive import read_api_answer, repo_facts
from syncer.hub.parameters import nominal_size
from syncer.hub.wire import model_answer, parse_config
from syncer.untrusted import neutral, without_controls

HOSTILE = [True, False, -1, 0.5, math.nan, math.inf, "4096", [4096], {"n": 4096}, None, 10**40, -(10**40)]


@pytest.mark.parametrize("bound", [PARAMETERS, CONTEXT, COUNT], ids=lambda b: b.what)
@pytest.mark.parametrize("value", HOSTILE, ids=repr)
def test_what_is_not_a_plausible_whole_number_is_no_value(bound, value):
    assert bound.check(value) is None
    assert bound.why_not(value)


@given(st.integers())
def test_a_whole_number_passes_exactly_when_it_is_within_the_bound(value):
    bound = Bound("things", 1, 10**6)
    assert bound.check(value) == (value if 1 <= value <= 10**6 else None)
    assert bound.check(float(value)) == (value if 1 <= value <= 10**6 else None)


@given(st.one_of(st.floats(), st.decimals(), st.text(), st.booleans(), st.none()))
def test_no_value_makes_a_bound_raise(value):
    result = PARAMETERS.check(value)
    assert result is None or PARAMETERS.low <= result <= PARAMETERS.high


@given(st.decimals(allow_nan=True, allow_infinity=True), st.sampled_from([10**6, 10**9, 10**12]))
def test_a_size_and_its_unit_never_raise_and_stay_in_range(number, multiplier):
    result = parameters_from(number, multiplier)
    assert result is None or PARAMETERS.low <= result <= PARAMETERS.high


NAMES = [
    ("org/foo-" + "9" * 40 + "b", None),  # a phantom repo in a mapped author's listing
    ("org/foo-7b", 7 * 10**9),
    ("org/foo-1000000b", None),  # 1,000,000B: past the bound (100T)
]


@pytest.mark.parametrize(("repo_id", "size"), NAMES, ids=[name for name, _ in NAMES])
def test_a_size_in_a_repo_name_is_bounded(repo_id, size):
    assert nominal_size(repo_id) == size


@pytest.mark.parametrize(("value", "window"), [(True, None), (10**40, None), (0, None), (32768, 32768), (32768.0, 32768)],
                         ids=repr)  # fmt: skip
def test_a_gguf_window_is_bounded(value, window):
    answer = model_answer({"id": "org/m", "gguf": {"context_length": value}})
    facts = repo_facts(read_api_answer("org/m", answer, "2026-01-01T00:00:00Z"), None, "no config.json")
    assert facts.context_length == window
    if window is None:
        assert facts.unknown["context_length"] == "no config.json"


@pytest.mark.parametrize("value", [10**40, True, -3, 2.5])
def test_a_config_window_or_layer_count_out_of_range_is_no_value(value):
    config = parse_config(f'{{"num_hidden_layers": {str(value).lower()}, "max_position_embeddings": 4096}}'.encode())
    assert config.num_hidden_layers is None and "num_hidden_layers" in config.unusable
    assert config.max_position_embeddings == 4096


def test_safetensors_totals_past_the_bound_are_no_size():
    answer = model_answer({"id": "org/m", "safetensors": {"total": 10**40, "parameters": {"BF16": 10**40}}})
    assert answer.safetensors is not None and answer.safetensors.total is None
    facts = repo_facts(read_api_answer("org/m", answer, "2026-01-01T00:00:00Z"), None, "no config.json")
    assert facts.parameters is None and "safetensors" in facts.unknown["parameters"]


def test_decimals_too_precise_for_their_context_do_not_raise():
    assert parameters_from(Decimal("1e-999999"), 10**9) is None


def test_a_previous_report_with_numbers_out_of_range_is_read_without_them(run_cli, fake_hub, tmp_path):
    """A hand-edited latest.json (a size of 10**40, downloads of 10**20) never ends the next
    run: the value is no value, and the run reads what it needs again."""
    import json

    from tests.fakehub import synthetic_sha

    repo_id = "org/model-7b"
    config = {"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 4096}
    fake_hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 5, "cardData": {"license": "mit"}},
                 {"config.json": json.dumps(config).encode()})  # fmt: skip
    (tmp_path / "c.md").write_text("| Model | Params |\n| --- | --- |\n| Model | 7B |\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text(f"model:\n  name: Model\n  repos: [{repo_id}]\n", encoding="utf-8")
    args = ["run", "--catalog", str(tmp_path / "c.md"), "--mappings", str(tmp_path / "m.yaml"), "--endpoint", fake_hub.url,
            "--reports", str(tmp_path / "r")]  # fmt: skip
    assert run_cli(*args).code == 0
    latest = tmp_path / "r" / "latest.json"
    report = json.loads(latest.read_text(encoding="utf-8"))
    report["entries"][0]["repos"][0].update(parameters=10**40, layers=10**40, downloads=10**20)
    latest.write_text(json.dumps(report), encoding="utf-8")
    result = run_cli(*args)
    assert result.code == 0, result.stderr
    repo = json.loads(latest.read_text(encoding="utf-8"))["entries"][0]["repos"][0]
    assert repo["downloads"] == 5 and repo["parameters"] != 10**40 and repo["layers"] in (32, None)


def test_a_document_claim_out_of_range_is_no_claim_and_is_said(tmp_path):
    """A 40-digit size in a cell once ended a run with `InvalidOperation`: it is a warning at
    its line now, and the row's other claims stand."""
    from syncer.entries import load_catalog

    document = tmp_path / "list.md"
    document.write_text("| Model | Params | Context |\n| --- | --- | --- |\n"
                        f"| Big | {'9' * 40}B | 4K |\n| Ok | 7B | 100000000000K |\n", encoding="utf-8")  # fmt: skip
    catalog = load_catalog(document)
    assert [(e.name, [(c.kind.value, c.value) for c in e.claims]) for e in catalog.entries] == [
        ("Big", [("context_length", 4000)]), ("Ok", [("parameters", 7 * 10**9)])]  # fmt: skip
    assert [(n.line, "plausible range" in n.message) for n in catalog.notices] == [(3, True), (4, True)]


_NUMBER_WORDS = st.builds(
    "{}{}{}".format,
    st.sampled_from(["", "A", "约", "up to ", "over "]),
    st.sampled_from(["0", "00", "0.0", "1,000,000", "7", "1.5", "9" * 30, "7/13", "0/0"]),
    st.sampled_from(["K", "B", "T", "M", "TB", "亿", "万亿", " tokens", "K上下文", "B参数", "K context", ""]),
)
_FACT_WORDS = st.one_of(_NUMBER_WORDS, st.text(alphabet="0123456789.,~-/+ KkMBTtAx亿万上下文参数tokencontext()约", max_size=24))


@given(st.lists(st.tuples(_FACT_WORDS, _FACT_WORDS, _FACT_WORDS, _FACT_WORDS), min_size=1, max_size=4))
def test_no_fact_cell_and_no_description_stops_a_document(rows):
    """`0K context` and `7/13TB` once stopped every command that reads the catalog with an
    internal error."""
    import tempfile
    from pathlib import Path

    from syncer.entries import load_catalog

    lines = ["| Model | Params | Context | Tokens | Notes |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| M{index} | {' | '.join(cell.replace('|', ' ') for cell in row)} |" for index, row in enumerate(rows)]
    with tempfile.TemporaryDirectory() as folder:
        document = Path(folder) / "list.md"
        document.write_text("\n".join(lines) + "\n", encoding="utf-8")
        catalog = load_catalog(document)
    assert all(claim.value is not None or claim.kind.value == "qualitative" for e in catalog.entries for claim in e.claims)


@pytest.mark.parametrize(("value", "read"), [
    ("2024-03-01T10:00:00.000Z", True), ("0001-01-01T00:00:00Z", False), ("9999-12-31T00:00:00Z", False),
    (1_700_000_000, False), (True, False), ("yesterday", False),
])  # fmt: skip
def test_a_repos_dates_are_iso_times_in_a_plausible_year(value, read):
    answer = model_answer({"id": "org/m", "createdAt": value, "lastModified": value})
    assert (answer.created_at is not None, answer.last_modified is not None) == (read, read)
    if not read:
        assert {"createdAt", "lastModified"} <= set(answer.unusable)


@given(st.text())
def test_a_neutral_string_has_no_control_or_direction_character_and_keeps_to_its_cap(text):
    from tests.test_untrusted_output import FORBIDDEN

    shown = neutral(text, 50)
    assert not FORBIDDEN.search(shown) and "\n" not in shown and "\t" not in shown
    assert len(shown) <= 50
    assert shown == text or len(text) > 50 or without_controls(text) == shown
