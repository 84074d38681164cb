"""syncer.guard, one table each: what a run keeps of the previous report when the Hub fails
it, and what holds a run back."""

from __future__ import annotations

from dataclasses import replace

import pytest

from syncer.guard import Thresholds, carry_unrefreshed, held_back
from syncer.report import Churn, RepoFacts, RepoStatus, Staleness

SHA = "1d248985a5d501b4dfe21d1bd4c33db4becb7bf7"  # made up
THEN, NOW = "2026-11-26T04:00:00Z", "2026-11-27T04:00:00Z"
READ = RepoFacts(repo_id="a/m-7b", requested_id="a/m-7b", status=RepoStatus.OK, sha=SHA, license="mit", layers=32,
                 fetched_at=THEN)  # fmt: skip


def failed(status: RepoStatus, error: str, transient: bool = False) -> RepoFacts:
    return RepoFacts(repo_id="a/m-7b", requested_id="a/m-7b", status=status, error=error, transient=transient, fetched_at=NOW)


E503 = failed(RepoStatus.ERROR, "HTTP 503 from the Hub (gave up after 6 attempts)", transient=True)
REFUSED = failed(RepoStatus.ERROR, "refused: the Hub's answer was not valid JSON (not retried)")
GONE = failed(RepoStatus.NOT_FOUND, "not found on the Hub, or private")
HELD_ONCE = replace(READ, status=RepoStatus.NOT_FOUND, error=GONE.error,
                    stale=Staleness(since=THEN, reason="…", runs=1, not_found=1))  # fmt: skip
CARRIED_ONCE = replace(READ, stale=Staleness(since=THEN, reason="HTTP 503", runs=1))
FRESH = replace(READ, fetched_at=NOW, layers=40)

CARRY = [
    # (case, previous, this run, confirm_after, status, stale (since, runs, not_found) or None, facts kept)
    ("503 after a read: carried", READ, E503, 2, "ok", (THEN, 1, 0), True),
    ("503 again: carried, counted", CARRIED_ONCE, E503, 2, "ok", (THEN, 2, 0), True),
    ("a refusal is no bad moment", READ, REFUSED, 2, "error", None, False),
    ("a first 404: gone, facts held", READ, GONE, 2, "not_found", (THEN, 1, 1), True),
    ("a second 404 confirms it", HELD_ONCE, GONE, 2, "not_found", None, False),
    ("a second 404 of three", HELD_ONCE, GONE, 3, "not_found", (THEN, 2, 2), True),
    ("confirm after 1: no hold", READ, GONE, 1, "not_found", None, False),
    ("503 after a 404: the count stands", HELD_ONCE, E503, 2, "not_found", (THEN, 2, 1), True),
    ("read again: fresh, unmarked", CARRIED_ONCE, FRESH, 2, "ok", None, True),
    ("no facts before: nothing to carry", REFUSED, E503, 2, "error", None, False),
]


@pytest.mark.parametrize(("case", "previous", "now", "confirm_after", "status", "stale", "kept"), CARRY,
                         ids=[case[0] for case in CARRY])  # fmt: skip
def test_what_a_run_keeps_of_the_previous_report(case, previous, now, confirm_after, status, stale, kept):
    repo = carry_unrefreshed({"a/m-7b": now}, {"a/m-7b": previous}, confirm_after)["a/m-7b"]
    assert repo.status.value == status
    assert (None if repo.stale is None else (repo.stale.since, repo.stale.runs, repo.stale.not_found)) == stale
    assert (repo.sha is not None and repo.license == "mit") is kept
    if repo.stale is not None:
        assert now.error and now.error in repo.stale.reason, "it says what this run met instead"
        assert repo.fetched_at == THEN, "the facts' own time, never this run's"


HOLD = [
    # (case, churn, thresholds, reasons: the start of each)
    ("a quiet day", Churn(readable_before=28, unread=2, decided_before=24, flipped=1), Thresholds(), []),
    ("most repos unread", Churn(readable_before=28, unread=21, decided_before=24), Thresholds(),
     ["21 of 28 previously readable repos were not read this run (75%; the limit is 50%"]),
    ("exactly half is not more than half", Churn(readable_before=28, unread=14), Thresholds(), []),
    ("many verdicts flip", Churn(readable_before=28, decided_before=24, flipped=7), Thresholds(),
     ["7 of 24 decided verdicts changed (29%; the limit is 25%"]),
    ("a quarter is not more than a quarter", Churn(readable_before=28, decided_before=24, flipped=6), Thresholds(), []),
    ("one flip of three is too few to hold", Churn(readable_before=3, decided_before=3, flipped=1), Thresholds(), []),
    ("five flips of six are enough", Churn(readable_before=6, decided_before=6, flipped=5), Thresholds(),
     ["5 of 6 decided verdicts changed"]),
    ("both at once", Churn(readable_before=10, unread=9, decided_before=10, flipped=9), Thresholds(),
     ["9 of 10 previously readable", "9 of 10 decided verdicts"]),
    ("a stricter flag", Churn(readable_before=28, unread=8), Thresholds(max_unread_share=0.2), ["8 of 28 previously"]),
    ("a first run measures nothing", None, Thresholds(), []),
]


@pytest.mark.parametrize(("case", "churn", "thresholds", "reasons"), HOLD, ids=[case[0] for case in HOLD])
def test_what_holds_a_run_back(case, churn, thresholds, reasons):
    held = held_back(churn, thresholds)
    assert len(held) == len(reasons) and all(line.startswith(start) for line, start in zip(held, reasons, strict=True))
