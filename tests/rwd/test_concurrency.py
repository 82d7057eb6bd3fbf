"""Issue 19 §2: an RWD run writes through the store's one write path (store.revisions), so two runs at once, or a
run and an import at once, lose no revision (SQLite and PostgreSQL).

As in tests/store/test_concurrent_writes.py, both writers are held after planning (a barrier) so that, without
locking, both would plan from the same state; here one of them is a whole RWD run (six definitions and its report).
"""

from __future__ import annotations

import threading

import pandas as pd
import pytest

from core.access import Identity
from rwd.compute import RunResult, write
from store import observations_for
from store.revisions import revisions_for, write_observations
from store.rwd_runs import latest_run
from tests.store_helpers import hold_writers_after_planning

EDITORS = (Identity("analyst.one", "editor"), Identity("analyst.two", "editor"))
BREAST = "rwd_breast_screening_coverage_pct"
UPLOAD = {"id": "upload-rwd-test", "title": "Upload: breast.csv", "publisher": "x", "url": None, "licence": "test",
          "kind": "upload"}


def _shifted(result: RunResult, by: float) -> RunResult:
    """The same run with every value moved by ``by`` (a later extract whose numbers changed)."""
    rows = {k: v.assign(value=v["value"] + by) for k, v in result.rows.items()}
    return RunResult(result.extract, result.engine, result.periods, rows, result.aggregates, result.coverage,
                     result.seconds, placements=result.placements)


@pytest.fixture()
def held_after_planning(monkeypatch):
    """Each writer waits (up to 1.5 s) for the other after planning its first changes."""
    hold_writers_after_planning(monkeypatch)


def _at_once(*jobs) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(job):
        try:
            job()
        except BaseException as exc:  # reported to the test
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


def _cells(result: RunResult) -> int:
    return sum(len(frame) for frame in result.rows.values())


def test_two_runs_at_once_both_succeed_and_the_second_is_a_revision_of_every_cell(engine, computed,
                                                                                  held_after_planning):
    first, second = computed, _shifted(computed, 1.0)
    assert _at_once(lambda: write(engine, first, EDITORS[0]), lambda: write(engine, second, EDITORS[1])) == []
    history = revisions_for(engine)
    history = history[history["indicator_id"].str.startswith("rwd_")]
    assert len(history) == _cells(computed)  # one revision per cell: whichever came second revised it
    assert {first.summary.added + second.summary.added, first.summary.changed + second.summary.changed} == \
        {_cells(computed)}
    for rev in history.itertuples():
        assert abs(rev.new_value - rev.old_value) == pytest.approx(1.0)
    stored = observations_for(engine, BREAST, "2024", "KZ-75")["value"].iloc[0]
    assert stored == history[(history["indicator_id"] == BREAST) & (history["region"] == "KZ-75")]["new_value"].item()
    assert latest_run(engine)["written"]["added"] in (0, _cells(computed))  # both reports stored, the last shown


def test_a_run_and_an_import_of_one_cell_at_once_keep_every_value(engine, computed, held_after_planning):
    cell = pd.DataFrame([{"indicator_id": BREAST, "region": "KZ-75", "period": "2024", "value": 55.5}])
    assert _at_once(lambda: write(engine, computed, EDITORS[0]),
                    lambda: write_observations(engine, cell, UPLOAD, EDITORS[1])) == []
    history = revisions_for(engine, BREAST, "KZ-75")
    assert len(history) == 1  # the cell written second is a revision of the first, never a lost update
    rev = history.iloc[0]
    run_value = computed.rows[BREAST].set_index("region").loc["KZ-75", "value"]
    assert sorted([rev["old_value"], rev["new_value"]]) == pytest.approx(sorted([55.5, run_value]))
    assert observations_for(engine, BREAST, "2024", "KZ-75")["value"].iloc[0] == rev["new_value"]


def test_a_rerun_that_changes_a_value_records_the_old_one_and_keeps_its_note(engine, computed):
    write(engine, computed, EDITORS[0])
    without_notes = {k: v.assign(value=v["value"] + 2.0, note=None) for k, v in computed.rows.items()}
    write(engine, RunResult(computed.extract, computed.engine, computed.periods, without_notes, computed.aggregates,
                            computed.coverage, computed.seconds, placements=computed.placements), EDITORS[1])
    history = revisions_for(engine, "rwd_cancer_stage_iv_share_pct", "KZ-75")
    assert len(history) == 1 and history.iloc[0]["changed_by"] == "analyst.two"
    note = computed.rows["rwd_cancer_stage_iv_share_pct"].set_index("region").loc["KZ-75", "note"]
    assert note and history.iloc[0]["old_note"] == note  # the first run's note (what the share is computed over)
    stored = observations_for(engine, "rwd_cancer_stage_iv_share_pct", "2024", "KZ-75")
    assert stored["note"].iloc[0] == note  # a row without a note keeps it
