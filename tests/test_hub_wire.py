"""The Hub boundary: every answer parsed once into typed values, whatever shape it comes in.

A field of the wrong shape is None with its reason; an answer that is no answer is refused
once and says why; no shape at any field, and no exception in any stage of one repo, stops
or hangs a run, and the neighbours are read.
"""

from __future__ import annotations

import gzip
import json
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from syncer.errors import AnswerRefused
from syncer.hub import facts as facts_module
from syncer.hub.client import HubClient, HubSettings
from syncer.hub.derive import read_api_answer, release_of, repo_facts
from syncer.hub.facts import FetchOptions, fetch_facts
from syncer.hub.releases import ReleaseLog
from syncer.hub.wire import ConfigJson, model_answer, parse_config, parse_listing, parse_model_answer
from syncer.report import RepoStatus
from tests.fakehub import FakeHub, synthetic_sha

SHA = "a" * 40
HEALTHY = {"id": "org/healthy-7b", "sha": SHA, "downloads": 10, "likes": 2, "cardData": {"license": "mit"}}

# --- one field at a time: the table of what the Hub might send -------------------------------

FIELDS = [
    # (the answer's field, a hostile value, the model attribute that is None, the fact that says why)
    ("downloads", True, "downloads", "downloads"),
    ("downloads", -5, "downloads", "downloads"),
    ("downloads", "12", "downloads", "downloads"),
    ("likes", 10**40, "likes", "likes"),
    ("sha", "not-hex", "sha", "sha"),
    ("gated", "sometimes", "gated", "gated"),
    ("lastModified", "yesterday", "last_modified", "last_modified"),
    ("createdAt", {"a": 1}, "created_at", "created_at"),
    ("cardData", ["mit"], "card_data", "license"),
    ("cardData", "mit", "card_data", "license"),
    ("tags", {"license": "mit"}, "tags", None),
    ("pipeline_tag", 7, "pipeline_tag", "pipeline_tag"),
    ("safetensors", "lots", "safetensors", None),
    ("gguf", [1, 2], "gguf", None),
    ("config", "llama", "config", "model_type"),
    ("siblings", {"rfilename": "config.json"}, "siblings", None),
]  # fmt: skip


@pytest.mark.parametrize(("field", "value", "attribute", "fact"), FIELDS, ids=[f"{f[0]}={f[1]!r}" for f in FIELDS])
def test_a_field_of_the_wrong_shape_is_none_with_its_reason_and_the_rest_stands(field, value, attribute, fact):
    answer = model_answer({**HEALTHY, field: value})
    assert getattr(answer, attribute) is None
    assert field in answer.unusable
    assert answer.id == "org/healthy-7b" and (field == "sha" or answer.sha == SHA)
    facts = repo_facts(read_api_answer("org/healthy-7b", answer, "2026-01-01T00:00:00Z"), None, "not asked")
    assert facts.status is RepoStatus.OK
    if fact is not None:
        assert getattr(facts, fact) is None and field in facts.unknown[fact]


NESTED = [
    # (a part of the answer with one bad field, the fact that is then null)
    ({"cardData": {"license": 5}}, "license"),
    ({"cardData": {"new_version": "<script>x</script>"}}, "successor"),
    ({"cardData": {"base_model": {"a": "b"}}}, "base_models"),
    ({"config": {"model_type": ["llama"]}}, "model_type"),
]


@pytest.mark.parametrize(("answer", "fact"), NESTED, ids=[fact for _, fact in NESTED])
def test_a_nested_field_of_the_wrong_shape_names_its_path(answer, fact):
    read = read_api_answer("org/healthy-7b", model_answer({**HEALTHY, **answer}), "2026-01-01T00:00:00Z")
    facts = repo_facts(read, None, "not asked")
    assert getattr(facts, fact) in (None, [])
    part, field = next(iter(answer)), next(iter(next(iter(answer.values()))))
    assert f"{part}.{field}" in facts.unknown[fact]


def test_safetensors_that_cannot_be_read_leave_the_size_to_the_next_source():
    """`safetensors: "lots"` costs the repo nothing but that source: the name still says 7B."""
    answer = model_answer({**HEALTHY, "safetensors": "lots"})
    facts = repo_facts(read_api_answer("org/healthy-7b", answer, "2026-01-01T00:00:00Z"), None, "not asked")
    assert (facts.parameters, facts.parameters_source) == (7 * 10**9, "name")
    dtypes_as_a_list = model_answer({**HEALTHY, "safetensors": {"total": 6_738_415_616, "parameters": [1, 2]}})
    assert dtypes_as_a_list.safetensors is not None and dtypes_as_a_list.safetensors.total == 6_738_415_616
    assert "parameters" in dtypes_as_a_list.safetensors.unusable


REFUSED = [
    (b"<html>502 Bad Gateway</html>", "not valid JSON"),
    (b"[1, 2, 3]", "not a JSON object"),
    (b'{"id": "<b>evil</b> org/x"}', "no valid repo id"),
    (b'{"sha": "' + SHA.encode() + b'"}', "no valid repo id"),
]


@pytest.mark.parametrize(("body", "why"), REFUSED, ids=[why for _, why in REFUSED])
def test_an_answer_that_is_no_model_is_refused_saying_why(body, why):
    with pytest.raises(AnswerRefused, match=why):
        parse_model_answer(body)


def test_a_listing_keeps_only_rows_that_name_a_repo():
    rows = [HEALTHY, {"id": "not a repo id"}, {"id": None}, "text", None, {"id": "org/two", "cardData": [], "downloads": "many"}]
    assert [answer.id for answer in parse_listing(json.dumps(rows).encode())] == ["org/healthy-7b", "org/two"]
    with pytest.raises(AnswerRefused, match="not a JSON array"):
        parse_listing(b'{"models": []}')


def test_config_values_of_the_wrong_shape_are_dropped_one_by_one():
    config = parse_config(json.dumps({
        "num_hidden_layers": True, "n_layer": 32, "max_position_embeddings": "4096", "seq_length": 4096.0,
        "rope_scaling": [2.0], "text_config": "none", "tie_word_embeddings": "false",
    }).encode())  # fmt: skip
    assert (config.num_hidden_layers, config.n_layer, config.max_position_embeddings, config.seq_length) == (None, 32, None, 4096)
    assert config.rope_scaling is None and config.text_config is None and config.tie_word_embeddings is None
    assert set(config.unusable) == {
        "num_hidden_layers", "max_position_embeddings", "rope_scaling", "text_config", "tie_word_embeddings",
    }  # fmt: skip


# --- arbitrary JSON at every parser and every field ---------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=24,
)
ANSWER_KEYS = ["id", "sha", "lastModified", "createdAt", "downloads", "downloadsAllTime", "likes", "gated", "disabled",
               "cardData", "tags", "pipeline_tag", "safetensors", "gguf", "config", "siblings"]  # fmt: skip
CARD_KEYS = ["license", "license_name", "license_link", "base_model", "language", "new_version"]
CONFIG_KEYS = sorted(ConfigJson.model_fields)


def _derive_everything(requested: str, answer: Any, config: ConfigJson | None) -> None:
    read = read_api_answer(requested, answer, "2026-01-01T00:00:00Z")
    repo_facts(read, config, None if config else "not read")
    release_of(answer)


@settings(max_examples=300, deadline=None)
@given(st.one_of(json_values, st.binary(max_size=64).map(lambda b: b.decode("latin-1"))))
def test_no_json_makes_a_parser_raise_anything_but_a_refusal(value):
    body = json.dumps(value).encode() if not isinstance(value, str) else value.encode("utf-8", "surrogatepass")
    for parse in (parse_model_answer, parse_listing, parse_config):
        try:
            parsed = parse(body)
        except AnswerRefused:
            continue
        if parse is parse_model_answer:
            _derive_everything("org/x", parsed, None)
        elif parse is parse_config:
            _derive_everything("org/x", model_answer(HEALTHY), parsed)


@settings(max_examples=300, deadline=None)
@given(
    answer_field=st.sampled_from(ANSWER_KEYS), answer_value=json_values,
    card_field=st.sampled_from(CARD_KEYS), card_value=json_values,
    config_field=st.sampled_from(CONFIG_KEYS), config_value=json_values,
)  # fmt: skip
def test_any_shape_at_any_field_derives_facts_without_raising(answer_field, answer_value, card_field, card_value,
                                                              config_field, config_value):  # fmt: skip
    raw = {**HEALTHY, "cardData": {"license": "mit", card_field: card_value}, answer_field: answer_value}
    answer = model_answer(raw)
    config = ConfigJson.model_validate({"model_type": "llama", "num_hidden_layers": 32, config_field: config_value})
    _derive_everything("org/healthy-7b", answer if answer.id else model_answer(HEALTHY), config)


# --- through the fake Hub: the run ends and the neighbour is read ---------------------------------

POISONED, NEIGHBOUR = "poison/model-7b", "clean/model-7b"


def _world() -> FakeHub:
    hub = FakeHub()
    config = b'{"model_type": "llama", "num_hidden_layers": 32, "max_position_embeddings": 4096}'
    for repo_id in (POISONED, NEIGHBOUR):
        hub.add(repo_id, {"sha": synthetic_sha(repo_id), "downloads": 5, "cardData": {"license": "mit"}}, {"config.json": config})
    return hub.start()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    where=st.sampled_from(["answer", "card", "config"]),
    field=st.sampled_from(ANSWER_KEYS + CARD_KEYS + CONFIG_KEYS),
    value=json_values,
    listed=st.booleans(),
)
def test_any_shape_at_any_field_through_a_run_ends_with_the_neighbour_read(where, field, value, listed):
    hub = _world()
    try:
        repo = hub.repos[POISONED]
        if where == "answer" and field in ANSWER_KEYS:
            repo["info"][field] = value
        elif where == "card":
            repo["info"]["cardData"] = {"license": "mit", field: value}
        else:
            repo["files"]["config.json"] = json.dumps({"model_type": "llama", field: value}).encode()
        wanted = [POISONED, NEIGHBOUR]
        if listed:  # two repos of one author are read from its listing
            hub.add("poison/other-1b", {"sha": synthetic_sha("poison/other-1b")})
            wanted.append("poison/other-1b")
        client = HubClient(HubSettings(endpoint=hub.url, timeout=2.0, attempts=1, sleep=lambda s: None)).open()
        try:
            log = ReleaseLog()
            facts = fetch_facts(wanted, client, options=FetchOptions(on_listed=log.saw))
        finally:
            client.close()
    finally:
        hub.stop()
    assert set(facts) == set(wanted)
    assert facts[NEIGHBOUR].status is RepoStatus.OK and facts[NEIGHBOUR].layers == 32
    if where == "answer" and field == "id":  # an answer naming no repo is refused whole; another repo is a rename
        assert facts[POISONED].status in (RepoStatus.OK, RepoStatus.ERROR, RepoStatus.MOVED)
    else:  # read: a value that is a real one (`gated: true`) may make it gated, never an error
        assert facts[POISONED].status in (RepoStatus.OK, RepoStatus.GATED), facts[POISONED].error


# --- no stage of one repo can leave the collector waiting ---------------------------------------

STAGES = ["read_api_answer", "_complete", "on_listed", "list_author_pages", "model_info", "config_json"]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("listed", [False, True], ids=["one-by-one", "listed"])
def test_a_repo_that_raises_in_any_stage_is_reported_and_the_run_ends(fake_hub, hub_client, monkeypatch, stage, listed):
    poisoned = "mistralai/Mistral-7B-Instruct-v0.1"
    wanted = [poisoned, "mistralai/Mixtral-8x7B-v0.1", "xai-org/grok-1"] if listed else [poisoned, "xai-org/grok-1"]

    def raises_for_the_poisoned(original):
        def wrapper(*args, **kwargs):
            if any(poisoned in str(arg) or (isinstance(arg, facts_module._ApiResult) and arg.requested_id == poisoned)
                   for arg in args):  # fmt: skip
                raise RuntimeError("a bug")
            return original(*args, **kwargs)

        return wrapper

    options = FetchOptions()
    if stage in ("read_api_answer", "_complete"):
        monkeypatch.setattr(facts_module, stage, raises_for_the_poisoned(getattr(facts_module, stage)))
    elif stage == "on_listed":
        options = FetchOptions(on_listed=lambda author, answer: (_ for _ in ()).throw(RuntimeError("a bug")))
    else:
        monkeypatch.setattr(hub_client, stage, raises_for_the_poisoned(getattr(hub_client, stage)))
    outcome: dict[str, Any] = {}
    thread = threading.Thread(target=lambda: outcome.update(fetch_facts(wanted, hub_client, options=options)), daemon=True)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the collector waited for a result that never came"
    assert set(outcome) == set(wanted)
    # A listing that fails falls back to model_info; a repo read from its listing never asks model_info.
    unharmed = ("on_listed", "list_author_pages", "model_info") if listed else ("on_listed", "list_author_pages")
    for repo_id in wanted:
        if repo_id != poisoned or stage in unharmed:
            assert outcome[repo_id].status is RepoStatus.OK, (repo_id, outcome[repo_id].error)
    if stage in ("read_api_answer", "_complete", "model_info") and stage not in unharmed:
        assert outcome[poisoned].status is RepoStatus.ERROR and outcome[poisoned].error
    if stage == "config_json":
        assert outcome[poisoned].status is RepoStatus.OK
        assert "config.json could not be read" in outcome[poisoned].unknown["layers"]


# --- refusals: once, saying what they are ----------------------------------------------------------


def test_an_answer_over_the_cap_is_refused_once_and_says_it_was_too_large(fake_hub, hub_client):
    """A gzip bomb: 40 MiB of JSON in 40 KiB. Inflated only to the cap, asked for once."""
    bomb = gzip.compress(b'{"id": "xai-org/grok-1", "pad": "' + b" " * (40 << 20) + b'"}')
    fake_hub.add("bomb/model", {"sha": SHA})

    from tests import fakehub

    original = fakehub._handler

    def bombing(hub):
        handler = original(hub)

        class Bombing(handler):  # type: ignore[misc, valid-type]
            def do_GET(self):
                if self.path.startswith("/api/models/bomb/model"):
                    with hub._lock:
                        hub.log.append(("GET", self.path, 200))
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(bomb)))
                    self.end_headers()
                    self.wfile.write(bomb)
                    return None
                return super().do_GET()

        return Bombing

    fake_hub.server.RequestHandlerClass = bombing(fake_hub)
    facts = fetch_facts(["bomb/model", "xai-org/grok-1"], hub_client)
    assert facts["bomb/model"].status is RepoStatus.ERROR
    assert facts["bomb/model"].error == "refused: the answer is larger than 32 MiB (not retried)"
    assert fake_hub.count("/api/models/bomb/model") == 1
    assert facts["xai-org/grok-1"].status is RepoStatus.OK


def test_a_rename_to_something_that_is_no_repo_id_is_an_error_not_a_rename(fake_hub, hub_client):
    fake_hub.add("org/renamed", {"sha": SHA})
    fake_hub.repos["org/renamed"]["info"]["id"] = "<a href=x>click</a>"
    facts = fetch_facts(["org/renamed"], hub_client)["org/renamed"]
    assert (facts.status, facts.repo_id) == (RepoStatus.ERROR, "org/renamed")
    assert facts.error == "refused: the Hub's answer names no valid repo id (not retried)"
    assert fake_hub.count("/api/models/org/renamed") == 1
