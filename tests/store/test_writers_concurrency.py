"""The three writers of observations — an import (``data_sources.importer``), a refresh (``data_sources.refresh``)
and an RWD run (``rwd.compute.write``) — share the store's one write path (``store.revisions.write_source_rows``),
so any two of them writing one cell at once lose no revision (SQLite and PostgreSQL).

As in tests/store/test_concurrent_writes.py, the writers are held after planning (a barrier) so that, without locking,
both would plan from the same state. The cell is the national 2024 breast screening coverage: the RWD run computes
it, a table names it, and the refresh gets it from a WHO-shaped reply (the connector mapped to that indicator).
"""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable

import pandas as pd
import pytest
import responses

import store.revisions as revisions
from core.access import SYSTEM, Identity
from data_sources.importer import import_table
from data_sources.refresh import refresh_source
from rwd.compute import RunResult, write
from store import observations_for
from store.revisions import revisions_for, write_observations
from tests.sources_replay import client, serve_who, settings, who_reply

BREAST = "rwd_breast_screening_coverage_pct"
WHO_CODE = "UHC_INDEX_REPORTED"  # any recorded WHO reply: its one row is rewritten to the cell below
WHO_MAPPING = {"country": "KAZ", "indicators": {BREAST: {"code": WHO_CODE}}}
EARLIER = {"id": "upload-earlier", "title": "Upload: earlier.csv", "publisher": "x", "url": None, "licence": "test",
           "kind": "upload"}
EDITORS = (Identity("writer.one", "editor"), Identity("writer.two", "editor"))


def _plans_the_cell(rows) -> bool:
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    return bool(((frame["indicator_id"] == BREAST) & (frame["region"] == "KZ")
                 & (frame["period"].astype(str) == "2024")).any())


@pytest.fixture()
def held_after_planning(monkeypatch):
    """Once called: a writer that has planned a write of the cell (rows read for the write) waits up to 1.5 s for
    the other to have planned its write of the cell too: without locking, both would then write from the same
    stored value."""
    def arm() -> None:
        barrier = threading.Barrier(2)
        plan = revisions.plan_changes

        def plan_then_wait(conn, rows, lock=False):
            planned = plan(conn, rows, lock=lock)
            if lock and _plans_the_cell(rows):
                with contextlib.suppress(threading.BrokenBarrierError):  # the other writer waits for our lock
                    barrier.wait(timeout=1.5)
            return planned
        monkeypatch.setattr(revisions, "plan_changes", plan_then_wait)
    return arm


def _run_value(result: RunResult) -> float:
    rows = result.rows[BREAST]
    return float(rows[(rows["region"] == "KZ") & (rows["period"] == "2024")]["value"].item())


def _shifted(result: RunResult, by: float) -> RunResult:
    rows = {k: v.assign(value=v["value"] + by) for k, v in result.rows.items()}
    return RunResult(result.extract, result.engine, result.periods, rows, result.aggregates, result.coverage,
                     result.seconds, placements=result.placements)


def _importer(value: float) -> Callable[[object, Identity], None]:
    def run(engine, who: Identity) -> None:
        table = f"indicator_id,region,period,value\n{BREAST},KZ,2024,{value}\n".encode()
        result = import_table(table, "screening.csv", engine, who)
        assert result.accepted and result.written is not None, result.issues
    return run


def _refresh(value: float) -> Callable[[object, Identity], None]:
    def run(engine, who: Identity) -> None:
        outcome = refresh_source(engine, who, "who_gho", client(), settings(), mapping=WHO_MAPPING)
        assert outcome.status == "ok", outcome.error
    return run


def _rwd(result: RunResult) -> Callable[[object, Identity], None]:
    def run(engine, who: Identity) -> None:
        write(engine, result, who)
    return run


def _who_reply(value: float) -> dict:
    reply = copy.deepcopy(who_reply(WHO_CODE))
    row = {**reply["value"][0], "TimeDim": 2024, "TimeDimensionValue": "2024", "NumericValue": value,
           "Value": str(value), "Low": None, "High": None}
    return {**reply, "value": [row]}


def _at_once(engine, jobs: list[Callable[[object, Identity], None]]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(job, who):
        try:
            job(engine, who)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
    threads = [threading.Thread(target=run, args=pair) for pair in zip(jobs, EDITORS, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return errors


PAIRS = ["rwd+import", "rwd+refresh", "import+refresh", "rwd+rwd"]


@pytest.mark.parametrize("pair", PAIRS)
def test_two_writers_of_one_cell_at_once_both_succeed_and_every_intermediate_value_is_kept(
        engine, computed, held_after_planning, pair):
    run_value = _run_value(computed)
    stored_first, upload, fetched, second_run = run_value - 5.0, 55.5, 61.0, run_value + 1.0
    write_observations(engine, pd.DataFrame([{"indicator_id": BREAST, "region": "KZ", "period": "2024",
                                              "value": stored_first}]), EARLIER, SYSTEM)
    held_after_planning()
    writers = {"rwd": (_rwd(computed), run_value), "import": (_importer(upload), upload),
               "refresh": (_refresh(fetched), fetched)}
    first, second = pair.split("+")
    jobs = [writers[first], (_rwd(_shifted(computed, 1.0)), second_run) if pair == "rwd+rwd" else writers[second]]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_who(rsps, WHO_CODE, _who_reply(fetched))
        assert _at_once(engine, [job for job, _value in jobs]) == []

    history = revisions_for(engine, BREAST, "KZ").sort_values("id")
    history = history[history["period"] == "2024"]
    assert len(history) == 2, history  # both writes are revisions: no failure, no lost update
    one, two = history.iloc[0], history.iloc[1]
    assert one["old_value"] == pytest.approx(stored_first) and one["old_source_id"] == EARLIER["id"]
    assert two["old_value"] == one["new_value"]  # the second writer revised the first's value, not the stored one
    assert two["old_source_id"] == one["new_source_id"]
    assert sorted([one["new_value"], two["new_value"]]) == pytest.approx(sorted(value for _job, value in jobs))
    assert {one["changed_by"], two["changed_by"]} == {who.user for who in EDITORS}
    stored = observations_for(engine, BREAST, period="2024", region="KZ")
    assert stored["value"].iloc[0] == pytest.approx(two["new_value"])
    assert stored["source_id"].iloc[0] == two["new_source_id"]


def test_every_writer_records_who_changed_a_value_and_what_it_was(engine, computed):
    """One after the other: import, refresh, RWD run, import again — four values, three revisions in order, each
    naming the writer, the value it replaced and that value's source."""
    run_value = _run_value(computed)
    upload, fetched, corrected = run_value + 11.0, run_value + 12.0, run_value + 13.0
    steps = [(_importer(upload), EDITORS[0]), (_refresh(fetched), EDITORS[1]), (_rwd(computed), EDITORS[0]),
             (_importer(corrected), EDITORS[1])]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        serve_who(rsps, WHO_CODE, _who_reply(fetched))
        for job, who in steps:
            job(engine, who)
    history = revisions_for(engine, BREAST, "KZ").sort_values("id")
    history = history[history["period"] == "2024"]
    assert list(history["old_value"]) == pytest.approx([upload, fetched, run_value])
    assert list(history["new_value"]) == pytest.approx([fetched, run_value, corrected])
    assert list(history["changed_by"]) == ["writer.two", "writer.one", "writer.two"]
    assert history["old_source_id"].iloc[1] == "who-gho" and history["new_source_id"].iloc[1].startswith("rwd-")
    assert pd.notna(history["old_retrieved_at"]).all()
