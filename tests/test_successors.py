"""Stale entries: what supersedes an entry's repos, and size superlatives that have aged."""

from __future__ import annotations

import json

import pytest

from syncer.families import continues, is_derived, read_name
from syncer.report import Release
from tests.conftest import PROJECT
from tests.test_cli_run import run, seed_hub, workdir  # noqa: F401 - fixtures

LATER = json.loads((PROJECT / "tests" / "fixtures" / "later_releases.json").read_text(encoding="utf-8"))["repos"]

# (mapped repo, release, continues it?) - real repo ids.
FAMILY = [
    ("mistralai/Mistral-7B-v0.1", "mistralai/Mistral-7B-v0.3", True),
    ("mistralai/Mistral-7B-Instruct-v0.1", "mistralai/Mistral-7B-Instruct-v0.3", True),
    ("Qwen/Qwen1.5-7B", "Qwen/Qwen2.5-7B", True),
    ("Qwen/Qwen-7B-Chat", "Qwen/Qwen2.5-7B-Instruct", True),
    ("Qwen/Qwen-7B", "Qwen/Qwen3-8B", True),  # 8B is within half again of 7B
    ("meta-llama/Llama-2-7b-hf", "meta-llama/Llama-3.1-8B", True),
    ("meta-llama/Llama-2-7b-chat-hf", "meta-llama/Meta-Llama-3-8B-Instruct", True),
    ("baichuan-inc/Baichuan-13B-Chat", "baichuan-inc/Baichuan2-13B-Chat", True),
    ("internlm/internlm-chat-7b", "internlm/internlm2_5-7b-chat", True),
    ("01-ai/Yi-34B", "01-ai/Yi-1.5-34B", True),
    ("THUDM/chatglm2-6b", "THUDM/chatglm3-6b", True),
    # another family of the same author
    ("mistralai/Mistral-7B-v0.1", "mistralai/Mixtral-8x7B-v0.1", False),
    ("mistralai/Mistral-7B-Instruct-v0.1", "mistralai/Mistral-Nemo-Instruct-2407", False),
    ("databricks/dolly-v2-12b", "databricks/dbrx-base", False),
    # another line, role or size of the same family
    ("Qwen/Qwen1.5-7B", "Qwen/Qwen2.5-Coder-7B", False),
    ("Qwen/Qwen1.5-7B", "Qwen/Qwen2.5-7B-Instruct", False),
    ("Qwen/Qwen1.5-7B", "Qwen/Qwen2.5-72B", False),
    ("THUDM/chatglm2-6b", "THUDM/chatglm3-6b-32k", False),
    # not newer
    ("Qwen/Qwen2.5-7B", "Qwen/Qwen1.5-7B", False),
    ("mistralai/Mistral-7B-v0.3", "mistralai/Mistral-7B-v0.3", False),
    # re-packagings
    ("Qwen/Qwen1.5-7B-Chat", "Qwen/Qwen2.5-7B-Instruct-AWQ", False),
    ("Qwen/Qwen1.5-7B-Chat", "Qwen/Qwen2.5-7B-Instruct-GGUF", False),
]


@pytest.mark.parametrize(("mapped", "release", "expected"), FAMILY)
def test_which_release_continues_a_family(mapped, release, expected):
    assert (continues(Release(repo_id=release), mapped) is not None) is expected


@pytest.mark.parametrize(
    ("mapped", "release", "sentence"),
    [
        ("Qwen/Qwen-7B", "Qwen/Qwen1.5-7B", "Qwen-7B → Qwen1.5-7B: a later version of the same model"),
        ("mistralai/Mistral-7B-Instruct-v0.1", "mistralai/Mistral-7B-Instruct-v0.3",
         "Mistral-7B-Instruct-v0.1 → Mistral-7B-Instruct-v0.3: a later version of the same model"),
    ],
)  # fmt: skip
def test_why_a_release_continues_a_family_reads_as_a_sentence(mapped, release, sentence):
    assert continues(Release(repo_id=release), mapped) == sentence


@pytest.mark.parametrize(
    ("release", "why"),
    [
        (Release(repo_id="Qwen/Qwen1.5-7B-Chat-AWQ", relation="quantized", base_models=["Qwen/Qwen1.5-7B-Chat"]),
         "a quantized of Qwen/Qwen1.5-7B-Chat"),
        (Release(repo_id="deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", base_models=["Qwen/Qwen2.5-Math-7B"]),
         "a fine-tune of Qwen/Qwen2.5-Math-7B, another author's model"),
        (Release(repo_id="Qwen/Qwen2.5-7B-Instruct", base_models=["Qwen/Qwen2.5-7B"]), None),
        (Release(repo_id="someone/Model-7B", tags=["gguf"]), "a quantised or adapter re-upload"),
    ],
)  # fmt: skip
def test_derived_releases_are_no_new_release(release, why):
    assert is_derived(release) == why


def test_a_name_is_read_as_stem_version_size_and_role():
    name = read_name("meta-llama/Meta-Llama-3.1-70B-Instruct")
    assert (name.stem, name.version, name.size, name.role, name.line) == ("llama", (3, 1), 70 * 10**9, "chat", frozenset())
    assert read_name("deepseek-ai/deepseek-llm-67b-base").stem == "deepseek llm"  # the author's word kept when alone


def _add_later_releases(hub):
    for record in LATER:
        info = {
            "sha": f"{abs(hash(record['repo_id'])) % 16**40:040x}",
            "createdAt": record["createdAt"],
            "downloads": 1000 + len(record["repo_id"]),  # made up
            "cardData": record["card"],
            "tags": record.get("tags", []),
            "pipeline_tag": "text-generation",
        }
        if record.get("safetensors_total"):
            total = record["safetensors_total"]
            info["safetensors"] = {"parameters": {"BF16": total}, "total": total}
        hub.add(record["repo_id"], info)
    # A chain from a seed repo: the first hop is made up for the test; Qwen2-72B-Instruct's card
    # really names Qwen/Qwen2.5-72B-Instruct, which this fake Hub does not hold (a chain to a gone repo).
    chat = seed_hub_repo(hub, "Qwen/Qwen1.5-72B-Chat")
    chat["cardData"] = {**(chat.get("cardData") or {}), "new_version": "Qwen/Qwen2-72B-Instruct"}
    hub.add("Qwen/Qwen2-72B-Instruct", {
        "sha": "7" * 40, "createdAt": "2024-05-28T00:00:00.000Z", "downloads": 5000, "pipeline_tag": "text-generation",
        "cardData": {"license": "other", "license_name": "tongyi-qianwen", "new_version": "Qwen/Qwen2.5-72B-Instruct"},
    })  # fmt: skip


def seed_hub_repo(hub, repo_id):
    if repo_id not in hub.repos:
        hub.add(repo_id, {"sha": "1" * 40, "createdAt": "2024-02-04T00:00:00.000Z", "downloads": 10})
    return hub.repos[repo_id]["info"]


def _entry(report, entry_id):
    return next(entry for entry in report["entries"] if entry["id"] == entry_id)


def test_later_releases_are_reported_for_the_right_entries_and_not_the_decoys(run_cli, seed_hub, workdir):  # noqa: F811
    _add_later_releases(seed_hub)
    reports = workdir / "reports"
    result = run(run_cli, seed_hub, reports)
    assert result.code == 0, result.stderr
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))

    mistral = _entry(report, "mistral7b")["newer"]
    assert [(item["repo_id"], item["why"], item["of"]) for item in mistral] == [
        ("mistralai/Mistral-7B-Instruct-v0.3", "family", "mistralai/Mistral-7B-Instruct-v0.1")
    ]
    assert mistral[0]["evidence"].startswith(
        "Mistral-7B-Instruct-v0.1 → Mistral-7B-Instruct-v0.3: a later version of the same model, created 2024-05-22, after "
    )
    every_newer = {item["repo_id"] for entry in report["entries"] for item in entry["newer"]}
    for decoy in ("mistralai/Mistral-Nemo-Instruct-2407", "mistralai/Codestral-22B-v0.1", "Qwen/Qwen1.5-7B-Chat-AWQ",
                  "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "mistralai/Mistral-7B-Instruct-v0.2"):  # fmt: skip
        assert decoy not in every_newer

    qwen15 = next(e for e in report["entries"] if any(r["repo_id"] == "Qwen/Qwen1.5-72B-Chat" for r in e["repos"]))
    chain = [item for item in qwen15["newer"] if item["why"] == "new_version"]
    assert [(item["repo_id"], item["created_at"], item["of"]) for item in chain] == [
        ("Qwen/Qwen2.5-72B-Instruct", None, "Qwen/Qwen1.5-72B-Chat")
    ]
    assert "the Hub did not answer for it" in chain[0]["evidence"] and chain[0]["on_hub"] is False
    repo = next(r for r in qwen15["repos"] if r["repo_id"] == "Qwen/Qwen1.5-72B-Chat")
    assert repo["new_version"] == "Qwen/Qwen2.5-72B-Instruct"

    grok = {f["text"]: f for f in _entry(report, "grok")["claims"]}["迄今参数量最大的开源LLM"]
    assert grok["verdict"] == "contradicted"
    assert (grok["observed"], grok["repo_id"]) == (685 * 10**9, "deepseek-ai/DeepSeek-V3")
    assert "685B (safetensors), created 2024-12-25" in grok["reason"]

    markdown = (reports / "latest.md").read_text(encoding="utf-8")
    assert "## Newer releases" in markdown and '- "mistralai/Mistral-7B-Instruct-v0.3"  # family: ' in markdown
    assert '- "Qwen/Qwen2.5-72B-Instruct"' not in markdown  # reported, not proposed: the Hub did not answer for it
    assert run(run_cli, seed_hub, workdir / "stale", "--fail-on", "stale").code == 1


def test_without_later_releases_the_superlative_stays_unverifiable(run_cli, seed_hub, workdir):  # noqa: F811
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    grok = {f["text"]: f for f in _entry(report, "grok")["claims"]}["迄今参数量最大的开源LLM"]
    assert grok["verdict"] == "unverifiable" and "no model larger than 314B" in grok["reason"]
    benchmark = {f["text"]: f for f in _entry(report, "mistral7b")["claims"]}
    assert all(f["verdict"] == "unverifiable" for f in benchmark.values() if f["kind"] == "qualitative")


def _api_requests(hub, since):
    return sum(1 for _, path, _ in hub.log[since:] if path.startswith("/api/models"))


def _resolver_requests(hub, since):
    return sum(1 for _, path, _ in hub.log[since:] if "/resolve/" in path)


def test_successor_detection_costs_at_most_one_listing_page_per_author(run_cli, seed_hub, workdir):  # noqa: F811
    """Cold and warm, with and without detection: the extra requests are the newest-repos pages
    of authors the fact round did not list anyway, and a warm run reads no config.json for them."""
    _add_later_releases(seed_hub)
    counts = {}
    for flag in ("--no-newer", "--newer"):
        reports = workdir / flag
        for phase in ("cold", "warm"):
            start = len(seed_hub.log)
            assert run(run_cli, seed_hub, reports, flag).code == 0
            counts[flag, phase] = (_api_requests(seed_hub, start), _resolver_requests(seed_hub, start))
    mapping = (PROJECT / "mappings" / "open-llm-roundup.zh.yaml").read_text(encoding="utf-8")
    authors = {line.split("id: ")[1].split("/")[0] for line in mapping.splitlines() if line.strip().startswith("- id: ")}
    for phase in ("cold", "warm"):
        extra_api = counts["--newer", phase][0] - counts["--no-newer", phase][0]
        assert 0 < extra_api <= len(authors) + 2  # + the chain's two model_info calls
    # Warm: the chain end's config facts are reused by commit, like a mapped repo's.
    assert counts["--newer", "warm"][1] == counts["--no-newer", "warm"][1] == 0
    print(counts)


def test_licence_and_gating_changes_are_dated(run_cli, seed_hub, workdir):  # noqa: F811
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports, "--no-newer").code == 0
    card = seed_hub.repos["xai-org/grok-1"]["info"]["cardData"]
    seed_hub.repos["xai-org/grok-1"]["info"]["cardData"] = {**card, "license": "other"}
    assert run(run_cli, seed_hub, reports, "--no-newer").code == 0
    assert run(run_cli, seed_hub, reports, "--no-newer").code == 0  # an unchanged run keeps the date
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    grok = next(r for r in _entry(report, "grok")["repos"] if r["repo_id"] == "xai-org/grok-1")
    assert grok["license"] == "other"
    assert set(grok["last_changed"]) == {"license"} and grok["last_changed"]["license"]["from"] == "apache-2.0"
    assert "(since " in (reports / "latest.md").read_text(encoding="utf-8")


def test_merged_shards_judge_superlatives_against_what_every_shard_saw(run_cli, seed_hub, workdir):  # noqa: F811
    """Each shard sees only its own authors' models; the merged report judges with all of them."""
    _add_later_releases(seed_hub)
    shards = []
    for index in (1, 2, 3):
        out = workdir / f"shard-{index}"
        assert run(run_cli, seed_hub, out, "--shard", f"{index}/3").code == 0
        shards.append(out / "latest.json")
    verdicts = []
    for path in shards:
        entries = json.loads(path.read_text(encoding="utf-8"))["entries"]
        verdicts += [f["verdict"] for e in entries if e["id"] == "grok" for f in e["claims"] if f["kind"] == "qualitative"]
    merged = workdir / "merged"
    assert run_cli("merge", *map(str, shards), "--reports", str(merged)).code == 0
    report = json.loads((merged / "latest.json").read_text(encoding="utf-8"))
    grok = {f["text"]: f for f in _entry(report, "grok")["claims"]}["迄今参数量最大的开源LLM"]
    assert (grok["verdict"], grok["repo_id"]) == ("contradicted", "deepseek-ai/DeepSeek-V3")
    print("shard verdicts for GROK's superlative:", verdicts)


def test_another_entrys_repo_can_supersede_this_ones():
    """The catalog lists Qwen-7B-Chat and, as its own entry, Qwen1.5-7B-Chat: the first entry is
    told that the second supersedes it; an older repo of the author is not a newer release."""
    from syncer.report import RepoFacts, RepoStatus
    from syncer.successors import newer_releases

    def facts(repo_id, created):
        return RepoFacts(repo_id=repo_id, requested_id=repo_id, status=RepoStatus.OK, created_at=created,
                         downloads=10, fetched_at="2026-11-30T00:00:00Z")  # fmt: skip

    mine = facts("Qwen/Qwen-7B-Chat", "2023-08-03T00:00:00Z")
    others = {"qwen": [
        mine, facts("Qwen/Qwen1.5-7B-Chat", "2024-01-30T00:00:00Z"), facts("Qwen/Qwen-1_8B-Chat", "2023-11-30T00:00:00Z"),
    ]}  # fmt: skip
    newer = newer_releases([mine], {}, {}, others)
    assert [(item.repo_id, item.why, item.of) for item in newer] == [("Qwen/Qwen1.5-7B-Chat", "family", "Qwen/Qwen-7B-Chat")]
    assert newer[0].evidence == (
        "Qwen-7B-Chat → Qwen1.5-7B-Chat: a later version of the same model, created 2024-01-30, "
        "after Qwen/Qwen-7B-Chat (2023-08-03)"
    )
    assert newer_releases([mine], {}, {}, None) == []


def test_a_release_another_entry_maps_is_said_so_and_not_proposed_again():
    """Qwen-7B-Chat is superseded by Qwen1.5-7B-Chat, which the list has as its own entry: the
    newer-releases table says so once; only a release no entry maps is proposed for the mapping."""
    from dataclasses import replace

    from syncer.formats.report_json import parse_report
    from syncer.formats.report_markdown import report_markdown
    from syncer.report import NewerRelease, RepoFacts, RepoStatus

    def facts(repo_id):
        return RepoFacts(repo_id=repo_id, requested_id=repo_id, status=RepoStatus.OK, fetched_at="2026-11-30T00:00:00Z")

    canned = parse_report((PROJECT / "tests" / "golden" / "canned-snapshot.json").read_text(encoding="utf-8"))
    template = canned.entries[0]
    qwen1 = replace(template, id="qwen-7b-chat", name="Qwen-7B-Chat", repos=[facts("Qwen/Qwen-7B-Chat")], claims=[], newer=[
        NewerRelease(repo_id="Qwen/Qwen1.5-7B-Chat", created_at="2024-01-30T00:00:00Z", downloads=10, why="family",
                     of="Qwen/Qwen-7B-Chat", evidence="Qwen-7B-Chat → Qwen1.5-7B-Chat: a later version of the same model"),
    ])  # fmt: skip
    qwen15 = replace(template, id="qwen1-5", name="Qwen1.5", repos=[facts("Qwen/Qwen1.5-7B-Chat")], claims=[], newer=[])
    mistral = replace(template, id="mistral7b", name="Mistral7B", repos=[facts("mistralai/Mistral-7B-Instruct-v0.1")],
                      claims=[], newer=[
        NewerRelease(repo_id="mistralai/Mistral-7B-Instruct-v0.3", created_at="2024-05-22T00:00:00Z", downloads=10,
                     why="family", of="mistralai/Mistral-7B-Instruct-v0.1",
                     evidence="Mistral-7B-Instruct-v0.1 → Mistral-7B-Instruct-v0.3: a later version of the same model"),
    ])  # fmt: skip
    markdown = report_markdown(canned.model_copy(update={"entries": [qwen1, qwen15, mistral]}))

    newer = markdown.split("## Newer releases")[1]
    assert "| family: Qwen-7B-Chat → Qwen1.5-7B-Chat: a later version of the same model; also listed as Qwen1.5 |" in newer
    assert newer.count("also listed as") == 1
    proposal = newer.split("```yaml")[1].split("```")[0]
    assert '- "mistralai/Mistral-7B-Instruct-v0.3"  # family: ' in proposal
    assert "Qwen1.5-7B-Chat" not in proposal and "qwen-7b-chat:" not in proposal


def test_a_hub_that_ignores_the_sort_still_shows_the_newer_release(run_cli, seed_hub, workdir):  # noqa: F811
    """Listings in the order repos were added (a mirror that ignores `sort`): an author with
    fewer repos than a page (100) still shows every release on the page its listing reads.
    (Past a page, such a mirror can hide releases after the last mapped repo.)"""
    for repo_id in ("mistralai/Mixtral-8x7B-Instruct-v0.1", "mistralai/Mixtral-8x22B-v0.1",
                    "mistralai/Mixtral-8x22B-Instruct-v0.1", "mistralai/Mistral-7B-v0.1"):  # fmt: skip
        # The seed's other mapped mistralai repos; sha, date and downloads synthetic, as the fixtures'.
        seed_hub.add(repo_id, {"sha": f"{abs(hash(repo_id)) % 16**40:040x}", "createdAt": "2024-01-01T00:00:00.000Z",
                               "downloads": 10})  # fmt: skip
    _add_later_releases(seed_hub)
    seed_hub.honours_sort = False
    reports = workdir / "reports"
    assert run(run_cli, seed_hub, reports).code == 0
    report = json.loads((reports / "latest.json").read_text(encoding="utf-8"))
    assert [item["repo_id"] for item in _entry(report, "mistral7b")["newer"]] == ["mistralai/Mistral-7B-Instruct-v0.3"]
