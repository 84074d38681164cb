"""A run's job: what it checks, handed over whole and used up entry by entry.

A large catalog's inputs are freed while its report grows (benchmarks/RESULTS.md measures
the memory); here the contract behind it: the job is empty afterwards, and nothing the
run made holds on to a catalog entry or to the previous report's entries.
"""

from __future__ import annotations

import gc
import weakref

from syncer.entries import load_catalog
from syncer.formats.report_json import parse_report, report_json
from syncer.mappings import load_mappings
from syncer.pipeline import Job, RunOptions, changes_between, run_sync
from syncer.report import EntryReport
from tests.conftest import PROJECT

CATALOG = PROJECT / "catalog" / "open-llm-roundup.zh.md"
MAPPINGS = PROJECT / "mappings"


def _job(previous=None):
    catalog = load_catalog(CATALOG)
    job = Job.of(list(catalog.entries), load_mappings(MAPPINGS), previous)
    return job, [entry.id for entry in catalog.entries], [weakref.ref(entry) for entry in catalog.entries]


def test_the_job_holds_each_entry_with_its_mapping_in_catalog_order():
    job, ids, _ = _job()
    assert [item.entry.id for item in job.items] == ids
    by_id = {item.entry.id: item for item in job.items}
    assert by_id["grok"].mapping.status == "mapped" and by_id["grok"].repo_ids == ["xai-org/grok-1"]
    unmapped_or_off = [item for item in job.items if item.mapping.status != "mapped"]
    assert unmapped_or_off and all(item.repo_ids == [] for item in unmapped_or_off)
    assert job.compared_with is None and all(item.before is None for item in job.items)


def test_a_run_uses_its_job_up_and_keeps_no_catalog_entry(hub_client):
    job, ids, entries = _job()
    report = run_sync(job, hub_client, RunOptions(hub_client.settings.endpoint, newer=False))
    assert not job.items
    assert [entry.id for entry in report.entries] == ids
    assert all(entry() is None for entry in entries), "a catalog entry outlived its job"


def _live(kind: type) -> int:
    """Instances of `kind` alive now (slotted dataclasses take no weak reference)."""
    gc.collect()
    return sum(1 for thing in gc.get_objects() if isinstance(thing, kind))


def test_a_rerun_lets_go_of_the_previous_report_as_it_goes(hub_client, fake_hub):
    already = _live(EntryReport)  # other tests' reports
    first = run_sync(_job()[0], hub_client, RunOptions(hub_client.settings.endpoint, newer=False))
    first_again = parse_report(report_json(first))
    fake_hub.commit("xai-org/grok-1")
    job, _, _ = _job(first)
    assert job.compared_with == first.generated_at
    assert sum(1 for item in job.items if item.before is not None) == len(first.entries)
    del first
    second = run_sync(job, hub_client, RunOptions(hub_client.settings.endpoint, newer=False))
    assert _live(EntryReport) - already == len(second.entries) + len(first_again.entries), "a previous entry outlived its job"
    # Gathered entry by entry, the changes are those of the two whole reports compared.
    assert [(change.entry, change.field) for change in second.changes] == [("grok", "sha")]
    assert second.changes == changes_between(first_again, second.entries)
