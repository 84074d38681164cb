"""`syncer init`: from "I have this Markdown file" to a mapping `check` passes, with no edits.

The documents in tests/data/init are written for these tests, each in one style of list found
in the wild: links in cells (every form of link, a mirror, a renamed and a missing repo), repo
ids in a code block under the table, an organisation link, and rows with no links at all. The
Hub is tests/seedhub.py: the curated mapping's repos and decoys (re-uploads, quantisations,
adapters, later versions), searchable as the Hub is.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest
import yaml

from tests.conftest import DATA, SEED
from tests.seedhub import curated_repos, seed_search_hub

INIT = DATA / "init"


@pytest.fixture(scope="module")
def init_hub():
    hub = seed_search_hub().start()
    yield hub
    hub.stop()


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("syncer.hub.client.time.sleep", lambda seconds: None)
    return tmp_path


def init(run_cli, hub, document, mappings, *extra):
    return run_cli("init", "--catalog", str(document), "--mappings", str(mappings), "--endpoint", hub.url, *extra)


def written(mappings, document):
    return yaml.safe_load((mappings / f"{document.stem}.yaml").read_text(encoding="utf-8"))


def active(mapping):
    return {repo["id"]: repo["source"] for repo in mapping.get("repos") or []}


# What each document's entries get: repo -> source, or a to-do, or not on the Hub.
EXPECTED = {
    "linked.en.md": {
        "mistral-7b": {"mistralai/Mistral-7B-v0.1": "document"},
        "falcon": {"tiiuae/falcon-7b": "document", "tiiuae/falcon-40b": "document"},  # tree/ and blob/ links
        "chatglm2": {"zai-org/chatglm2-6b": "document"},  # an hf-mirror.com link to a repo the Hub renamed
        "gemma": {"google/gemma-7b": "document"},  # a link with an #anchor
        "dolly-v2": {"databricks/dolly-v2-12b": "document"},  # an autolink
        "mpt-7b-8k": {"mosaicml/mpt-7b-8k": "document"},  # a real repo this fake Hub lacks: 404, still mapped
        "yi": {f"01-ai/Yi-{size}": "search" for size in ("6B", "6B-Chat", "34B", "34B-Chat", "6B-200K", "34B-200K")},
        "vicuna": {f"lmsys/vicuna-{size}-v{v}": "search" for size in ("7b", "13b") for v in ("1.3", "1.5")},
    },
    "code-block.en.md": {
        "qwen1-5": {"Qwen/Qwen1.5-7B": "document", "Qwen/Qwen1.5-14B-Chat": "document"},
        "baichuan-2": {"baichuan-inc/Baichuan2-7B-Base": "document", "baichuan-inc/Baichuan2-13B-Chat": "document"},
        "internlm2": {"internlm/internlm2-7b": "document", "internlm/internlm2-chat-20b": "document"},
        "openchat": {"openchat/openchat_v3.2": "document"},  # inline code; the base model it names is not mapped
    },
    "org-link.zh.md": {
        "yi": {f"01-ai/Yi-{size}": "search" for size in ("6B", "6B-Chat", "34B", "34B-Chat", "6B-200K", "34B-200K")},
        "deepseek-llm": {f"deepseek-ai/deepseek-llm-{size}-{role}": "search"
                         for size in ("7b", "67b") for role in ("base", "chat")},
        "文心一言": "not_on_hub",  # its own words: 闭源，仅提供API调用
        "skywork": {"Skywork/Skywork-13B-base": "search"},
        "bluelm": {f"vivo-ai/BlueLM-7B-{role}": "search" for role in ("Base", "Chat", "Base-32K", "Chat-32K")},
        "百川": "todo",  # a name with no Latin letters: nothing to compare repo names with
    },
}  # fmt: skip


@pytest.mark.parametrize("document", sorted(EXPECTED))
def test_init_writes_a_mapping_that_check_passes_unedited(run_cli, init_hub, workdir, document):
    path = INIT / document
    result = init(run_cli, init_hub, path, workdir / "mappings")
    assert result.code == 0, result.stderr
    assert "next: syncer check" in result.stdout
    mapping = written(workdir / "mappings", path)
    for entry_id, expected in EXPECTED[document].items():
        if expected in ("todo", "not_on_hub"):
            assert expected in mapping[entry_id] and "repos" not in mapping[entry_id], entry_id
        else:
            assert active(mapping[entry_id]) == expected, entry_id
    check = run_cli("check", "--catalog", str(path), "--mappings", str(workdir / "mappings"))
    assert check.code == 0, check.stderr
    assert check.stdout.startswith("ok: ")


def test_a_renamed_repo_is_mapped_under_its_new_id_with_the_old_one_recorded(run_cli, init_hub, workdir):
    init(run_cli, init_hub, INIT / "linked.en.md", workdir / "mappings")
    chatglm2 = written(workdir / "mappings", INIT / "linked.en.md")["chatglm2"]["repos"][0]
    assert (chatglm2["id"], chatglm2["renamed_from"]) == ("zai-org/chatglm2-6b", "THUDM/chatglm2-6b")
    # The document still links the old id, and check accepts it (the test above); without the record it would not:
    text = (workdir / "mappings" / "linked.en.yaml").read_text(encoding="utf-8")
    (workdir / "mappings" / "linked.en.yaml").write_text(text.replace('renamed_from: "THUDM/chatglm2-6b"', ""), "utf-8")
    result = run_cli("check", "--catalog", str(INIT / "linked.en.md"), "--mappings", str(workdir / "mappings"))
    assert result.code == 2 and "the document links THUDM/chatglm2-6b" in result.stderr


def test_a_missing_linked_repo_stays_mapped_with_a_note(run_cli, init_hub, workdir):
    init(run_cli, init_hub, INIT / "linked.en.md", workdir / "mappings")
    mpt = written(workdir / "mappings", INIT / "linked.en.md")["mpt-7b-8k"]["repos"][0]
    assert "the Hub has no such repo (HTTP 404)" in mpt["note"]


def test_candidates_that_are_not_confident_are_comments_with_their_score_and_why(run_cli, init_hub, workdir):
    init(run_cli, init_hub, INIT / "linked.en.md", workdir / "mappings")
    text = (workdir / "mappings" / "linked.en.yaml").read_text(encoding="utf-8")
    decoys = {
        "TheBloke/vicuna-7B-v1.5-GGUF": "is a re-packaging or derivative (gguf)",
        "synthetic-adapters/vicuna-7b-lora-on-qwen": "is a re-packaging or derivative (lora)",
        "lmsys/vicuna-7b-delta-v0": "is a re-packaging or derivative (delta)",
        "01-ai/Yi-1.5-9B": "is another version (1.5) than the entry names",
        "lmsys/vicuna-33b-v1.3": "its size (33B) is not one the entry states",
    }
    for repo_id, why in decoys.items():
        line = next(line for line in text.splitlines() if repo_id in line)
        assert line.startswith("  #   - ") and re.search(r"# score [\d.]+: ", line) and why in line, line


def test_to_dos_are_warnings_with_their_line_and_strict_fails_on_them_and_on_unreviewed_repos(run_cli, init_hub, workdir):
    path = INIT / "org-link.zh.md"
    init(run_cli, init_hub, path, workdir / "mappings")
    mapping_file = workdir / "mappings" / "org-link.zh.yaml"
    todo_line = next(n for n, line in enumerate(mapping_file.read_text("utf-8").splitlines(), 1) if line.startswith("  todo:"))
    result = run_cli("check", "--catalog", str(path), "--mappings", str(workdir / "mappings"))
    assert result.code == 0
    assert f"warning: {mapping_file}:{todo_line}: 百川: to do: no candidate on the Hub" in result.stderr
    assert re.search(rf"warning: {re.escape(str(mapping_file))}:\d+: yi: 01-ai/Yi-6B was chosen by a search", result.stderr)
    assert "1 to do" in result.stdout and "(15 chosen by a search, not reviewed)" in result.stdout
    strict = run_cli("check", "--strict", "--catalog", str(path), "--mappings", str(workdir / "mappings"))
    assert strict.code == 2 and "error: 16 problem(s)" in strict.stderr


def test_init_adds_only_entries_without_a_mapping_and_never_overwrites_without_force(run_cli, init_hub, workdir):
    path = INIT / "code-block.en.md"
    mappings = workdir / "mappings"
    mappings.mkdir()
    kept = '# my own notes\nqwen1-5:\n  name: Qwen1.5\n  repos: [Qwen/Qwen1.5-72B]\n'
    (mappings / "code-block.en.yaml").write_text(kept, encoding="utf-8")
    result = init(run_cli, init_hub, path, mappings)
    assert result.code == 0, result.stderr
    text = (mappings / "code-block.en.yaml").read_text(encoding="utf-8")
    assert text.startswith(kept) and set(yaml.safe_load(text)) == {"qwen1-5", "baichuan-2", "internlm2", "openchat"}
    assert yaml.safe_load(text)["qwen1-5"]["repos"] == ["Qwen/Qwen1.5-72B"]
    again = init(run_cli, init_hub, path, mappings)
    assert again.stdout.strip() == "every entry already has a mapping; nothing to add"
    assert (mappings / "code-block.en.yaml").read_text(encoding="utf-8") == text
    forced = init(run_cli, init_hub, path, mappings, "--force")
    assert forced.code == 0 and "my own notes" not in (mappings / "code-block.en.yaml").read_text(encoding="utf-8")


def test_init_then_check_then_run_needs_no_hand_edit(run_cli, init_hub, workdir):
    path = INIT / "linked.en.md"
    assert init(run_cli, init_hub, path, workdir / "mappings").code == 0
    assert run_cli("check", "--catalog", str(path), "--mappings", str(workdir / "mappings")).code == 0
    result = run_cli("run", "--catalog", str(path), "--mappings", str(workdir / "mappings"), "--endpoint", init_hub.url,
                     "--reports", str(workdir / "reports"), "--no-newer")  # fmt: skip
    assert result.code == 0, result.stderr
    report = json.loads((workdir / "reports" / "latest.json").read_text(encoding="utf-8"))
    statuses = {repo["requested_id"]: repo["status"] for entry in report["entries"] for repo in entry["repos"]}
    assert statuses["zai-org/chatglm2-6b"] == "ok" and statuses["mosaicml/mpt-7b-8k"] == "not_found"


def test_an_unreachable_hub_is_exit_3(run_cli, workdir):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_cli("init", "--catalog", str(INIT / "org-link.zh.md"), "--mappings", str(workdir / "m"),
                     "--endpoint", f"http://127.0.0.1:{port}")  # fmt: skip
    assert result.code == 3 and "cannot reach the Hub" in result.stderr
    assert not (workdir / "m").exists()


@pytest.mark.parametrize("command", ["check", "run"])
def test_check_and_run_without_a_mapping_say_to_run_init(run_cli, workdir, command):
    result = run_cli(command, "--catalog", str(INIT / "linked.en.md"), "--mappings", "mappings")
    assert result.code == 2
    assert result.stderr.strip() == (
        f"error: mappings: no such file or directory; write one with `syncer init --catalog {INIT / 'linked.en.md'} "
        "--mappings mappings`, then `syncer check`"
    )


def test_suggest_keeps_every_document_link_whatever_the_limit(run_cli, init_hub, workdir):
    result = run_cli("suggest", "falcon", "--catalog", str(INIT / "linked.en.md"), "--mappings", str(workdir / "none"),
                     "--endpoint", init_hub.url, "--limit", "1")  # fmt: skip
    assert result.code == 0, result.stderr
    assert active(yaml.safe_load(result.stdout)["falcon"]) == {"tiiuae/falcon-7b": "document", "tiiuae/falcon-40b": "document"}


def test_on_the_seed_without_its_mapping_init_is_precise_and_covers_most_entries(run_cli, init_hub, workdir):
    """The seed's curated mapping is the truth; its repos are the fake Hub's search index, with decoys."""
    catalog = workdir / "catalog"
    catalog.mkdir()
    shutil.copy(SEED, catalog / SEED.name)
    result = init(run_cli, init_hub, catalog, workdir / "mappings")
    assert result.code == 0, result.stderr
    assert run_cli("check", "--catalog", str(catalog), "--mappings", str(workdir / "mappings")).code == 0
    truth = curated_repos()
    mapping = written(workdir / "mappings", SEED)
    chosen = [(entry_id, repo.lower()) for entry_id, entry in mapping.items() for repo in active(entry)]
    right = [pair for pair in chosen if pair[1] in truth.get(pair[0], set())]
    assert len(right) / len(chosen) >= 0.95, sorted(set(chosen) - set(right))
    on_hub = [entry_id for entry_id, repos in truth.items() if repos]
    covered = [entry_id for entry_id in on_hub if mapping[entry_id].get("repos")]
    assert len(covered) / len(on_hub) >= 0.70
    assert not [entry_id for entry_id in on_hub if "not_on_hub" in mapping[entry_id]]


TINY_LIST = "| Model | Params |\n|---|---|\n| Falcon | 180B |\n"


@pytest.mark.parametrize(
    ("repo", "verdict", "reason"),
    [('{id: tiiuae/falcon-7b, source: search}', "unverifiable", "the mapping is unreviewed: tiiuae/falcon-7b (source: search)"),
     ("tiiuae/falcon-7b", "contradicted", "")],
)  # fmt: skip
def test_a_claim_resting_only_on_an_unreviewed_repo_is_never_contradicted(run_cli, fake_hub, workdir, repo, verdict, reason):
    (workdir / "list.md").write_text(TINY_LIST, encoding="utf-8")
    (workdir / "map.yaml").write_text(f"falcon:\n  name: Falcon\n  repos: [{repo}]\n", encoding="utf-8")
    result = run_cli("run", "--catalog", "list.md", "--mappings", "map.yaml", "--endpoint", fake_hub.url, "--no-newer")
    assert result.code == 0, result.stderr
    finding = json.loads((workdir / "reports" / "latest.json").read_text("utf-8"))["entries"][0]["claims"][0]
    assert (finding["text"], finding["verdict"]) == ("180B", verdict)
    assert finding["reason"].startswith(reason)


# A mapping written before the Hub renamed THUDM/ and before mpt-7b-8k was gone from this Hub.
OLD_MAPPING = {
    "mistral-7b": ["mistralai/Mistral-7B-v0.1"], "falcon": ["tiiuae/falcon-7b", "tiiuae/falcon-40b"],
    "chatglm2": ["THUDM/chatglm2-6b"], "gemma": ["google/gemma-7b"], "dolly-v2": ["databricks/dolly-v2-12b"],
    "mpt-7b-8k": ["mosaicml/mpt-7b-8k"], "yi": ["01-ai/Yi-6B"], "vicuna": ["lmsys/vicuna-7b-v1.5"],
}  # fmt: skip
RENAME = re.compile(r"replace (\S+) with (\S+) and give that repo `renamed_from:` (\S+)")
NOT_FOUND = re.compile(r"if it is wrong, move it to `declined` with a note .* write `not_on_hub: <why>` instead of `repos`")


def test_following_every_piece_of_mapping_advice_in_the_report_leaves_check_passing(run_cli, init_hub, workdir):
    path = INIT / "linked.en.md"
    entries = json.loads(run_cli("claims", "--catalog", str(path), "--format", "json").stdout)
    names = {entry["id"]: entry["name"] for entry in entries}
    mapping = {entry_id: {"name": names[entry_id], "repos": [{"id": repo} for repo in repos]}
               for entry_id, repos in OLD_MAPPING.items()}  # fmt: skip
    mapping_file = workdir / "map.yaml"
    mapping_file.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    run_cli("run", "--catalog", str(path), "--mappings", str(mapping_file), "--endpoint", init_hub.url, "--no-newer")
    report = json.loads((workdir / "reports" / "latest.json").read_text("utf-8"))
    section = (workdir / "reports" / "latest.md").read_text("utf-8").split("## Repo problems")[1].split("\n## ")[0]
    problems = [line for line in section.splitlines() if line.startswith("| ") and "what to do" not in line]
    assert len(problems) == 3  # moved, not found, and gated (whose advice is no mapping edit)
    by_name = {entry["name"]: entry["id"] for entry in report["entries"]}
    for row in problems:
        entry_id, advice = by_name[row.split(" | ")[0].removeprefix("| ")], row.rsplit(" | ", 1)[1]
        repos = mapping[entry_id]["repos"]
        if rename := RENAME.search(advice):
            old, new, recorded = (part.replace("\\", "") for part in rename.groups())
            repos[:] = [{"id": new, "renamed_from": recorded} if repo["id"] == old else repo for repo in repos]
        elif "HF_TOKEN" in advice:
            continue
        else:
            assert NOT_FOUND.search(advice), advice
            mapping[entry_id] = {"name": mapping[entry_id]["name"], "declined": repos, "not_on_hub": "gone from the Hub"}
    mapping_file.write_text(yaml.safe_dump(mapping, allow_unicode=True), encoding="utf-8")
    result = run_cli("check", "--catalog", str(path), "--mappings", str(mapping_file))
    assert result.code == 0, result.stderr


UNREAD_HEADER = "| Model | Trained on |\n|---|---|\n| Falcon | 1T tokens |\n| MPT | 1T tokens |\n"


def test_a_project_vocabulary_file_adds_a_header_that_is_then_read(run_cli, workdir):
    (workdir / "list.md").write_text(UNREAD_HEADER, encoding="utf-8")
    before = run_cli("claims", "--catalog", "list.md", "--format", "json")
    assert "add each header to `columns` in a project vocabulary file, .syncer/claims.yaml" in before.stderr
    assert not any(claim["kind"] == "training_tokens" for entry in json.loads(before.stdout) for claim in entry["claims"])
    (workdir / ".syncer").mkdir()
    (workdir / ".syncer" / "claims.yaml").write_text("columns:\n  training_tokens: [Trained on]\n", encoding="utf-8")
    after = run_cli("claims", "--catalog", "list.md", "--format", "json")
    assert after.code == 0 and "Trained on" not in after.stderr
    assert [claim["kind"] for claim in json.loads(after.stdout)[0]["claims"]] == ["training_tokens"]


def test_warnings_point_at_the_project_file_in_use(run_cli, workdir):
    (workdir / "list.md").write_text("| Model | Maintainer |\n|---|---|\n| Falcon | TII |\n| MPT | MosaicML |\n", "utf-8")
    (workdir / "words.yaml").write_text("columns:\n  training_tokens: [Trained on]\n", encoding="utf-8")
    result = run_cli("claims", "--rules", "words.yaml", "--catalog", "list.md")
    assert "add each header to `columns` in words.yaml with its role" in result.stderr
    assert "site-packages" not in result.stderr and "syncer/rules/claims.yaml" not in result.stderr


@pytest.mark.parametrize("command", [("claims",), ("check", "--mappings", "none.yaml")])
def test_a_typo_in_the_project_vocabulary_is_an_error_with_its_file_and_line(run_cli, workdir, command):
    (workdir / "list.md").write_text(UNREAD_HEADER, encoding="utf-8")
    (workdir / ".syncer").mkdir()
    (workdir / ".syncer" / "claims.yaml").write_text("columns:\n  training_tokens: [Trained on]\ncolums:\n  name: [Modell]\n",
                                                      encoding="utf-8")  # fmt: skip
    result = run_cli(*command, "--catalog", "list.md")
    assert result.code == 2
    assert re.search(r"\.syncer/claims\.yaml:3: .*colums", result.stderr), result.stderr


def test_the_licence_rows_of_a_project_file_are_the_policy_verdicts_use(workdir):
    from syncer.reconcile import load_policy
    from syncer.rules import use_project_rules

    rows = ("license_ids:\n  acme model licence: acme-1.0\n"
            "licenses:\n  ids:\n    acme-1.0: {commercial: 'no', open_source: false, source: x}\n")  # fmt: skip
    (workdir / "words.yaml").write_text(rows, encoding="utf-8")
    use_project_rules((workdir / "words.yaml",))
    assert load_policy().ids["acme-1.0"]["commercial"] == "no"
    assert load_policy().ids["mit"]["commercial"] == "yes"
