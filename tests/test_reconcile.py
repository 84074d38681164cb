"""Verdicts, one table per claim kind: claim + the facts of the mapped repos -> verdict."""

from __future__ import annotations

import pytest

from syncer.models import Claim, ClaimKind, Entry, ParameterRange
from syncer.reconcile import load_policy, reconcile_entry, rounds_to
from syncer.report import MappingState, RepoFacts, RopeScaling

B = 10**9
MAPPED = MappingState(status="mapped")


SHA = "1d248985a5d501b4dfe21d1bd4c33db4becb7bf7"  # made up: a repo decides only at a commit a verdict can cite


def repo(repo_id="org/model", status="ok", **facts) -> RepoFacts:
    facts.setdefault("sha", SHA)
    return RepoFacts(repo_id=repo_id, requested_id=repo_id, status=status, fetched_at="2026-11-27T00:00:00Z", **facts)


def verdict_of(kind, value, repos, mapping=MAPPED, text="words"):
    claim = Claim(kind=ClaimKind(kind), value=value, text=text, field="description")
    entry = Entry(id="e", name="E", document="d.md", section=None, line=1, text="E", hub_links=[], claims=[claim])
    return reconcile_entry(entry, mapping, repos)[0]


CASES = [
    # (name, kind, claimed, repos, verdict, words the reason must contain)
    ("size in the name", "parameters", 7 * B, [repo("Qwen/Qwen-7B", nominal_parameters=7 * B)],
     "confirmed", "Qwen/Qwen-7B has 7B (repo name)"),
    ("measured rounds to it", "parameters", 7 * B, [repo(parameters=6_738_415_616, parameters_source="safetensors")],
     "confirmed", "6.738B (safetensors)"),
    ("claimed 70B, the Hub has 72B", "parameters", 70 * B,
     [repo("Qwen/Qwen-7B", nominal_parameters=7 * B), repo("Qwen/Qwen-72B", nominal_parameters=72 * B)],
     "contradicted", "no mapped repo has 70B; nearest: Qwen/Qwen-72B with 72B (repo name)"),
    ("precision of the claim", "parameters", 2_700_000_000, [repo(parameters=2_670_000_000, parameters_source="gguf")],
     "confirmed", "2.67B"),
    ("no size anywhere", "parameters", 13 * B, [repo()], "unverifiable", "no mapped repo states its size"),
    ("an unreadable repo never decides", "parameters", 7 * B,
     [repo("a/b-7b", status="error", error="HTTP 503", nominal_parameters=7 * B)],
     "unverifiable", "no mapped repo could be read: a/b-7b error (HTTP 503)"),
    ("range, both ends", "parameter_range", ParameterRange(min=7 * B, max=65 * B),
     [repo("a/m-7b", nominal_parameters=7 * B), repo("a/m-65b", nominal_parameters=65 * B)],
     "confirmed", "7B (a/m-7b) to 65B (a/m-65b)"),
    ("range, top only", "parameter_range", ParameterRange(min=3 * B, max=11 * B),
     [repo("a/T0_3B", nominal_parameters=11 * B)], "partial", "span 11B"),
    ("up to", "parameter_range", ParameterRange(min=None, max=175 * B), [repo("f/opt-175b", nominal_parameters=175 * B)],
     "confirmed", "175B"),
    ("active in the name", "active_parameters", 2_700_000_000, [repo("Qwen/Qwen1.5-MoE-A2.7B")],
     "confirmed", "names 2.7B active"),
    ("context reached", "context_length", 32_000, [repo(context_length=32768, context_source="seq_length")],
     "confirmed", "32,768 (seq_length)"),
    ("context 256K as 262,144", "context_length", 256_000,
     [repo(context_length=262_144, context_source="max_position_embeddings")], "confirmed", "262,144"),
    ("context through rope scaling", "context_length", 16_000,
     [repo(context_length=2048, context_source="max_position_embeddings", rope_scaling=RopeScaling(type="linear", factor=8.0))],
     "partial", "only through 2,048 (max_position_embeddings) x 8 linear rope scaling"),
    ("context through ALiBi", "context_length", 84_000, [repo(context_length=65536, context_source="max_seq_len", alibi=True)],
     "partial", "only through ALiBi extrapolation; trained 65,536 (max_seq_len)"),
    ("context too small", "context_length", 200_000, [repo(context_length=4096, context_source="max_position_embeddings")],
     "contradicted", "smaller than claimed: org/model: 4,096 (max_position_embeddings)"),
    ("family members differ", "context_length", 32_000,
     [repo("a/long", context_length=32768, context_source="seq_length"),
      repo("a/short", context_length=8192, context_source="seq_length")],
     "partial", "a/short: 8,192 (seq_length) is smaller"),
    ("no window known", "context_length", 32_000, [repo()], "unverifiable", "no mapped repo states its context window"),
    ("commercial: apache", "license", "commercial", [repo(license="apache-2.0")], "confirmed", "apache-2.0"),
    ("commercial: llama2 has a condition", "license", "commercial", [repo(license="llama2")], "partial", "700M monthly users"),
    ("commercial: non-commercial licence", "license", "commercial", [repo(license="cc-by-nc-4.0")],
     "contradicted", "does not allow it"),
    ("commercial: one repo of the family is NC", "license", "commercial",
     [repo("m/a", license="apache-2.0"), repo("m/chat", license="cc-by-nc-sa-4.0")],
     "partial", "not allowed by m/chat (cc-by-nc-sa-4.0)"),
    ("commercial: other + license_name", "license", "commercial", [repo(license="other", license_name="tongyi-qianwen")],
     "partial", "100M monthly users"),
    ("commercial: unknown other", "license", "commercial", [repo(license="other", license_name="custom")],
     "unverifiable", "other (custom)"),
    ("commercial: no licence", "license", "commercial", [repo()], "unverifiable", "none"),
    ("open source: MIT", "license", "open_source", [repo(license="mit")], "confirmed", "mit"),
    ("open source: RAIL", "license", "open_source", [repo(license="bigscience-bloom-rail-1.0")],
     "partial", "use-based restrictions"),
    ("non-commercial: NC", "license", "non_commercial", [repo(license="cc-by-nc-4.0")], "confirmed", "cc-by-nc-4.0"),
    ("licence id matches", "license_id", "apache-2.0", [repo(license="apache-2.0")], "confirmed", "is apache-2.0"),
    ("licence id differs", "license_id", "mit", [repo(license="apache-2.0")], "contradicted", "is apache-2.0, not mit"),
    ("MoE with experts", "architecture", "moe", [repo(config_read=True, experts=8, model_type="mixtral")],
     "confirmed", "8 experts"),
    ("MoE without", "architecture", "moe", [repo(config_read=True, model_type="llama")], "contradicted", "no experts key"),
    ("MoE, config refused", "architecture", "moe", [repo(status="gated")], "unverifiable", "config.json could be read"),
    ("T5 architecture", "architecture", "t5", [repo(model_type="t5")], "confirmed", "model_type t5"),
    ("dense", "architecture", "dense", [repo(config_read=True, model_type="llama")], "confirmed", "no experts key"),
    ("GPT-J lineage of a gpt_neox model", "base_model", "gpt-j", [repo("databricks/dolly-v2-12b", model_type="gpt_neox")],
     "contradicted", "is model_type gpt_neox, not gptj"),
    ("base model in the card", "base_model", "llama2", [repo(base_models=["meta-llama/Llama-2-13b-hf"], model_type="llama")],
     "confirmed", "names meta-llama/Llama-2-13b-hf"),
    ("fine-tune family: only consistent", "base_model", "llama2", [repo(model_type="llama")],
     "unverifiable", "consistent with llama2 but shared with other families"),
    ("architecture family", "base_model", "bloom", [repo(model_type="bloom")], "confirmed", "model_type bloom"),
    ("languages all listed", "languages", ["zh", "en"], [repo(languages=["en", "zh"])], "confirmed", "en, zh"),
    ("languages some listed", "languages", ["zh", "en"], [repo(languages=["en"])], "partial", "missing zh"),
    ("languages none listed", "languages", ["zh"], [repo(languages=["fr"])], "contradicted", "missing zh"),
    ("no languages on the card", "languages", ["zh"], [repo()], "unverifiable", "lists languages"),
    ("enough languages", "language_count", 40, [repo(languages=[f"l{i}" for i in range(46)])], "confirmed", "46 languages"),
    ("training tokens", "training_tokens", 3 * 10**12, [repo()], "unverifiable", "no field for training tokens"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "kind", "claimed", "repos", "verdict", "reason"), CASES, ids=[c[0] for c in CASES])
def test_verdicts(name, kind, claimed, repos, verdict, reason):
    finding = verdict_of(kind, claimed, repos)
    assert finding.verdict.value == verdict
    assert reason in finding.reason


def test_qualitative_claims_are_unverifiable_and_time_sensitive():
    finding = verdict_of("qualitative", None, [repo()])
    assert finding.verdict.value == "unverifiable" and finding.time_sensitive


def test_entries_without_repos_say_why():
    not_on_hub = verdict_of("parameters", 7 * B, [], MappingState(status="not_on_hub", reason="API only"))
    assert (not_on_hub.verdict.value, not_on_hub.reason) == ("unverifiable", "not on the Hub: API only")
    unmapped = verdict_of("parameters", 7 * B, [], MappingState(status="unmapped"))
    assert unmapped.reason == "no mapping for this entry; run `syncer suggest e`"


def test_a_verdict_names_the_repo_and_field_that_decided_it():
    finding = verdict_of("context_length", 32_000, [repo("THUDM/chatglm2-6b", context_length=32768, context_source="seq_length")])
    decided = (finding.repo_id, finding.source, finding.observed, finding.claimed)
    assert decided == ("THUDM/chatglm2-6b", "seq_length", 32768, 32_000)


def test_a_context_stated_as_a_lower_bound_is_reached_by_any_larger_window():
    """`long context (32K+)`: 128K reaches it; as a plain 32K claim, 128K would understate it."""
    claim = Claim(kind=ClaimKind.CONTEXT_LENGTH, value=32_000, text="context (32K+)", field="description", at_least=True)
    entry = Entry(id="e", name="E", document="d.md", section=None, line=1, text="E", hub_links=[], claims=[claim])
    larger = [repo(context_length=131_072, context_source="max_position_embeddings")]
    assert reconcile_entry(entry, MAPPED, larger)[0].verdict.value == "confirmed"
    assert verdict_of("context_length", 32_000, larger).verdict.value == "contradicted"
    smaller = [repo(context_length=8192, context_source="max_position_embeddings")]
    assert reconcile_entry(entry, MAPPED, smaller)[0].verdict.value == "contradicted"


@pytest.mark.parametrize(
    ("measured", "claimed", "rounds"),
    [(6_738_415_616, 7 * B, True), (7_241_732_096, 7 * B, True), (72 * B, 70 * B, False), (13_015_864_320, 13 * B, True),
     (2_670_000_000, 2_700_000_000, True), (2_600_000_000, 2_700_000_000, False), (111_000_000, 100_000_000, False),
     (179_500_000_000, 180 * B, True)],
)  # fmt: skip
def test_rounding_at_the_claims_precision(measured, claimed, rounds):
    assert rounds_to(measured, claimed) is rounds


UNREAD_CASES = [
    # (name, kind, claimed, repos, verdict, words the reason must contain)
    ("a 503 on the repo of that size leaves the size open", "parameters", 7 * B,
     [repo("databricks/dolly-v2-12b", nominal_parameters=12 * B),
      repo("databricks/dolly-v2-7b", status="error", error="HTTP 503 from the Hub")],
     "unverifiable", "but databricks/dolly-v2-7b (error: HTTP 503 from the Hub) could not be read and may hold it"),
    ("a 404 on a repo naming no size leaves any size open", "parameters", 3 * B,
     [repo("togethercomputer/RedPajama-INCITE-7B-Base", nominal_parameters=7 * B),
      repo("togethercomputer/RedPajama-INCITE-Chat", status="not_found")],
     "unverifiable", "togethercomputer/RedPajama-INCITE-Chat (not_found) could not be read"),
    ("an unread repo of another size cannot hold it", "parameters", 3 * B,
     [repo("a/m-7b", nominal_parameters=7 * B), repo("a/m-12b", status="not_found")],
     "contradicted", "no mapped repo has 3B; nearest: a/m-7b with 7B (repo name)"),
    ("a licence left open by an unread repo", "license", "commercial",
     [repo("a/m-7b", license="cc-by-nc-4.0"), repo("a/m-13b", status="error", error="timed out")],
     "unverifiable", "a/m-13b (error: timed out) could not be read"),
    ("a range at its words' precision: 1亿到130亿 over 111M..13B", "parameter_range",
     ParameterRange(min=10**8, max=13 * B),
     [repo("cerebras/Cerebras-GPT-111M", nominal_parameters=111 * 10**6),
      repo("cerebras/Cerebras-GPT-13B", nominal_parameters=13 * B)],
     "confirmed", "the mapped repos span 111M"),
    ("a mixed lineage is partial, naming both", "base_model", "bloom",
     [repo("FreedomIntelligence/phoenix-inst-chat-7b", model_type="bloom"),
      repo("FreedomIntelligence/chimera-inst-chat-13b-delta", model_type="llama")],
     "partial", "a mixed family: FreedomIntelligence/phoenix-inst-chat-7b is model_type bloom (bloom), "
                "but FreedomIntelligence/chimera-inst-chat-13b-delta is model_type llama"),
    ("dynamic NTK makes a longer window plausible, not confirmed", "context_length", 200_000,
     [repo("internlm/internlm2-chat-7b", context_length=32768, context_source="max_position_embeddings",
           rope_scaling=RopeScaling(type="dynamic", factor=2.0))],
     "partial", "native 32,768 (max_position_embeddings) with dynamic rope scaling x 2, which extrapolates past it"),
    ("a tokenizer limit the config states", "context_length", 256_000,
     [repo("xverse/XVERSE-13B-256K", context_length=8192, context_source="max_position_embeddings",
           context_extended=262_144, context_extended_source="max_tokenizer_truncation")],
     "partial", "the config states 262,144 (max_tokenizer_truncation)"),
    ("no extension, too short", "context_length", 32_000,
     [repo("a/m", context_length=4096, context_source="max_position_embeddings")],
     "contradicted", "smaller than claimed: a/m: 4,096"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "kind", "claimed", "repos", "verdict", "reason"), UNREAD_CASES,
                         ids=[case[0] for case in UNREAD_CASES])  # fmt: skip
def test_verdicts_a_maintainer_can_act_on(name, kind, claimed, repos, verdict, reason):
    claim = Claim(kind=ClaimKind(kind), value=claimed, text="1亿到130亿" if kind == "parameter_range" else "words",
                  field="description")  # fmt: skip
    entry = Entry(id="e", name="E", document="d.md", section=None, line=1, text="E", hub_links=[], claims=[claim])
    finding = reconcile_entry(entry, MAPPED, repos)[0]
    assert (finding.verdict.value, reason in finding.reason) == (verdict, True), finding.reason


ACTIONABLE_CASES = [
    # Issue 21: a partial means there is something to look at, a confirmed that the Hub states it.
    # (the words that showed it, kind, claimed, repos, verdict, words the reason must contain)
    ("Commercial use allowed under 700M monthly users", "license", "conditional",
     [repo("meta-llama/Llama-2-7b-hf", license="llama2")],
     "confirmed", "1 repo(s) under llama2: Llama 2 Community License: services above 700M monthly users"),
    ("部分可商用", "license", "conditional", [repo("Qwen/Qwen-7B", license="other", license_name="tongyi-qianwen")],
     "confirmed", "other (tongyi-qianwen): Tongyi Qianwen licence: above 100M monthly users"),
    ("free with usage restrictions", "license", "conditional", [repo("google/gemma-7b", license="gemma")],
     "confirmed", "under gemma: Gemma Terms of Use"),
    ("free if you have under 700M users", "license", "conditional", [repo("a/m", license="cc-by-nc-4.0")],
     "contradicted", "cc-by-nc-4.0 does not allow it"),
    ("Custom", "license_id", "other", [repo("meta-llama/Llama-2-7b-hf", license="llama2")],
     "confirmed", "meta-llama/Llama-2-7b-hf is llama2, a licence of its own rather than a standard open one"),
    ("Custom", "license_id", "other", [repo("Qwen/Qwen-7B", license="other", license_name="tongyi-qianwen")],
     "confirmed", "Qwen/Qwen-7B is other (tongyi-qianwen), a licence of its own"),
    ("Custom", "license_id", "other", [repo("xai-org/grok-1", license="apache-2.0")],
     "contradicted", "xai-org/grok-1 is apache-2.0, a standard open licence, not a custom one"),
    ("Custom", "license_id", "other", [repo("a/m", license="artistic-2.0")],
     "unverifiable", "which the licence policy (syncer/rules/licenses.yaml) does not list"),
    ("微调LLama2", "base_model", "llama2", [repo("WizardLMTeam/WizardLM-13B-V1.2", model_type="llama")],
     "unverifiable", "WizardLMTeam/WizardLM-13B-V1.2 is model_type llama, consistent with llama2 but shared with other "
                     "families; neither its card's base_model nor its model tree names the base"),
    ("3B~11B", "parameter_range", ParameterRange(min=3 * B, max=11 * B),
     [repo("bigscience/T0_3B", nominal_parameters=3 * B), repo("bigscience/T0pp")],
     "unverifiable", "span 3B (bigscience/T0_3B) to 3B (bigscience/T0_3B); bigscience/T0pp states no size, "
                     "so the range cannot be judged yet"),
    ("3B~11B", "parameter_range", ParameterRange(min=3 * B, max=11 * B),
     [repo("bigscience/T0_3B", nominal_parameters=3 * B), repo("bigscience/T0pp", status="not_found")],
     "unverifiable", "but bigscience/T0pp (not_found) could not be read and may hold it"),
    ("3B~11B", "parameter_range", ParameterRange(min=3 * B, max=11 * B),
     [repo("bigscience/T0_3B", nominal_parameters=3 * B), repo("bigscience/T0pp", nominal_parameters=11 * B),
      repo("bigscience/T0p")],
     "confirmed", "span 3B (bigscience/T0_3B) to 11B (bigscience/T0pp)"),
    ("1亿到130亿", "parameter_range", ParameterRange(min=10**8, max=13 * B),
     [repo("cerebras/Cerebras-GPT-13B", nominal_parameters=13 * B), repo("cerebras/Cerebras-GPT-111M", status="not_found")],
     "unverifiable", "but cerebras/Cerebras-GPT-111M (not_found) could not be read and may hold it"),
    ("1亿到130亿", "parameter_range", ParameterRange(min=10**8, max=13 * B),
     [repo("cerebras/Cerebras-GPT-13B", nominal_parameters=13 * B), repo("cerebras/Cerebras-GPT-6.7B", status="not_found")],
     "partial", "span 13B (cerebras/Cerebras-GPT-13B) to 13B"),  # an unread 6.7B holds neither end
    ("2048", "context_length", 2048, [repo("bigscience/bloom", model_type="bloom", alibi=True)],
     "unverifiable", "bigscience/bloom uses ALiBi positions: no fixed window, and its config states no training length"),
    ("8Ktoken", "context_length", 8000,
     [repo("mosaicml/mpt-30b-chat", alibi=True, context_length=2048, context_source="max_seq_len")],
     "partial", "mosaicml/mpt-30b-chat only through ALiBi extrapolation; trained 2,048 (max_seq_len)"),
    ("4096", "context_length", 4096,
     [repo("a/m-7b", context_length=32768, context_source="max_position_embeddings")],
     "contradicted", "larger than claimed (the document understates it): a/m-7b: 32,768 (max_position_embeddings)"),
    # Mistral-7B's config.json: max_position_embeddings 32768, sliding_window 4096 (tests/fixtures/hub).
    ("4096", "context_length", 4096,
     [repo("mistralai/Mistral-7B-Instruct-v0.1", context_length=32768, context_source="max_position_embeddings",
           sliding_window=4096)],
     "partial", "mistralai/Mistral-7B-Instruct-v0.1: 32,768 (max_position_embeddings) is larger; the claimed 4,096 is "
                "its sliding_window (the attention span), not its window"),
    ("4096", "context_length", 4096,
     [repo("meta-llama/Llama-2-7b-hf", context_length=4096, context_source="max_position_embeddings"),
      repo("mistralai/Mistral-7B-Instruct-v0.1", context_length=32768, context_source="max_position_embeddings")],
     "partial", "1 repo(s) reach it; mistralai/Mistral-7B-Instruct-v0.1: 32,768 (max_position_embeddings) is larger"),
    ("2K", "context_length", 2000,
     [repo("lmsys/longchat-13b-16k", context_length=2048, context_source="max_position_embeddings",
           rope_scaling=RopeScaling(type="linear", factor=8.0), context_extended=16384,
           context_extended_source="max_sequence_length")],
     "partial", "lmsys/longchat-13b-16k: 2,048 (max_position_embeddings) as claimed, "
                "but the config also states 16,384 (max_sequence_length)"),
    ("最大32K上下文", "context_length", 32_000,
     [repo("zai-org/chatglm2-6b", context_length=32768, context_source="seq_length")], "confirmed", "1 of 1 repos reach it"),
    ("1M", "context_length", 1_000_000,
     [repo("a/m-1m", context_length=1_048_576, context_source="max_position_embeddings")], "confirmed", "1,048,576"),
]  # fmt: skip


@pytest.mark.parametrize(("words", "kind", "claimed", "repos", "verdict", "reason"), ACTIONABLE_CASES,
                         ids=[f"{case[0]} {case[4]}" for case in ACTIONABLE_CASES])  # fmt: skip
def test_every_verdict_says_something_a_maintainer_can_act_on(words, kind, claimed, repos, verdict, reason):
    finding = verdict_of(kind, claimed, repos, text=words)
    assert (finding.verdict.value, reason in finding.reason) == (verdict, True), finding.reason


@pytest.mark.parametrize(
    ("words", "claimed", "window", "suggested"),
    [("4096", 4096, 32768, "32768"), ("8Ktoken", 8000, 32768, "32Ktoken"), ("最大32K上下文", 32_000, 131_072, "最大128K上下文"),
     ("支持84k tokens", 84_000, 65536, "支持64k tokens"), ("4096-16K with Sliding Windows", 4096, 32768, None)],
)  # fmt: skip
def test_a_stale_window_comes_with_the_hubs_value_as_its_edit(words, claimed, window, suggested):
    finding = verdict_of("context_length", claimed, [repo(context_length=window, context_source="max_position_embeddings")],
                         text=words)  # fmt: skip
    assert (finding.observed, finding.suggested) == (window, suggested)


LICENCE_CASES = [
    # (name, repo licence facts, verdict of `可商用`, words of the reason)
    ("Qwen by license_name", dict(license="other", license_name="tongyi-qianwen"), "partial", "above 100M monthly users"),
    ("GLM-4 by license_name", dict(license="other", license_name="glm-4"), "partial", "after registration"),
    ("Yuan 2.0 by license_name", dict(license="other", license_name="license-yuan"), "confirmed", "license-yuan"),
    ("Qwen by license_link when the name is unknown",
     dict(license="other", license_name="qwen-custom",
          license_link="https://github.com/QwenLM/Qwen/blob/main/Tongyi%20Qianwen%20LICENSE%20AGREEMENT"),
     "partial", "above 100M monthly users"),
    ("an unknown other licence decides nothing", dict(license="other", license_name="somebody-license"),
     "unverifiable", "no mapped repo has a licence in the policy"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "facts", "verdict", "reason"), LICENCE_CASES, ids=[case[0] for case in LICENCE_CASES])
def test_other_licences_are_identified_by_name_then_link(name, facts, verdict, reason):
    finding = verdict_of("license", "commercial", [repo("org/model", **facts)])
    assert (finding.verdict.value, reason in finding.reason) == (verdict, True), finding.reason


def test_the_packaged_policy_is_valid():
    assert load_policy().ids["apache-2.0"]["commercial"] == "yes"


def test_a_contradiction_names_the_sizes_of_the_repos_that_could_not_be_read():
    """The maintainer of `Qwen1-7B+14B+70B` learns the 72B repo exists even when it did not answer."""
    finding = verdict_of("parameters", 70 * B, [repo("Qwen/Qwen-7B", nominal_parameters=7 * B),
                                                repo("Qwen/Qwen-72B", status="not_found")])  # fmt: skip
    assert finding.verdict.value == "contradicted"
    assert finding.reason.endswith("; unread: Qwen/Qwen-72B (not_found) names 72B")
