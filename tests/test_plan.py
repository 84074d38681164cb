"""`syncer run --plan`: the requests a run needs per bucket, and the least time the quota allows."""

from __future__ import annotations

from syncer.hub.facts import FetchOptions, Listings
from syncer.plan import describe, plan_run
from syncer.report import RepoFacts, RepoStatus
from tests.conftest import PROJECT


def _repos(authors: int, per_author: int, prefix: str = "org") -> list[str]:
    return [f"{prefix}-{a}/model-{i}" for a in range(authors) for i in range(per_author)]


def test_a_cold_run_of_ten_thousand_repos_is_bound_by_the_resolver_quota():
    wanted = _repos(1400, 1, "solo") + _repos(10, 860)
    plan = plan_run(wanted, {}, Listings(), FetchOptions(), token=False)
    assert plan.repos == 10_000
    assert plan.resolvers.requests == 10_000
    # 1,400 single repos, 10 authors listed: 9 pages each at least, a budget of 860 at most
    assert (plan.api.requests, plan.api.most) == (1400 + 10 * 9 + 1, 1400 + 10 * 860 + 1)
    assert plan.bound_by.name == "resolvers"
    assert plan.resolvers.least_seconds == 3 * 300, "10,000 at 3,000 per window: the fourth window opens after 15 min"
    known = Listings({f"org-{a}": 5000 for a in range(10)})  # 50 pages each: cheaper than 860 model_info
    plan = plan_run(wanted, {}, known, FetchOptions(), token=False)
    assert plan.api.requests == plan.api.most == 1400 + 10 * 50 + 1


def test_a_warm_run_reads_no_config_unless_commits_changed_and_a_token_raises_the_quota():
    repos = _repos(3, 2)
    previous = {
        repo: RepoFacts(repo_id=repo, requested_id=repo, status=RepoStatus.OK, sha="a" * 40, fetched_at="2026-01-01T00:00:00Z")
        for repo in repos[:4]
    }
    plan = plan_run(repos, previous, Listings(), FetchOptions(), token=True)
    assert (plan.resolvers.requests, plan.resolvers.if_changed) == (2, 4)
    assert (plan.api.quota, plan.resolvers.quota) == (1000, 5000)
    assert "quota documented, free token" in describe(plan)


def test_run_plan_prints_the_plan_and_asks_the_hub_nothing(run_cli, fake_hub, tmp_path, monkeypatch):
    monkeypatch.chdir(PROJECT)
    result = run_cli("run", "--plan", "--endpoint", fake_hub.url, "--reports", str(tmp_path / "reports"))
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("plan: 251 repos; ")
    assert "bound by the " in result.stdout
    assert fake_hub.log == []
    assert not (tmp_path / "reports").exists()
