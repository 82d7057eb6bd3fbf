"""Issue 9 §5: the revision history stays exact when two writers touch one cell at once (SQLite and PostgreSQL).

Both writers are held after planning (a barrier) so that, without locking, both would plan from the same state:
two inserts of one new cell, or two revisions both starting from the same old value."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from sqlalchemy import delete

from core.access import Identity
from store import observations_for
from store.revisions import revisions_for, write_observations
from store.schema import observations
from tests.store_helpers import hold_writers_after_planning

EDITORS = (Identity("editor.one", "editor"), Identity("editor.two", "editor"))
CELL = {"indicator_id": "physicians_count", "region": "KZ-11", "period": "2030"}
SOURCE = {"id": "upload-test", "title": "Upload: t.csv", "publisher": "x", "url": None, "licence": "test",
          "kind": "upload"}
SOURCES = ({**SOURCE, "id": "upload-one"}, {**SOURCE, "id": "upload-two"})  # two different files


@pytest.fixture()
def held_after_planning(monkeypatch):
    """Once called: each writer waits (up to 1.5 s) for the other after planning its changes."""
    return lambda: hold_writers_after_planning(monkeypatch)


def write_at_once(engine, values: tuple[float, float]) -> list[BaseException]:
    errors: list[BaseException] = []

    def run(value, who, source):
        try:
            write_observations(engine, pd.DataFrame([{**CELL, "value": value}]), source, who)
        except BaseException as exc:  # reported to the test
            errors.append(exc)
    threads = [threading.Thread(target=run, args=args) for args in zip(values, EDITORS, SOURCES, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def stored_value(engine) -> float:
    return observations_for(engine, CELL["indicator_id"], CELL["period"], CELL["region"])["value"].iloc[0]


def test_two_imports_of_one_new_cell_at_once_both_succeed_and_the_second_is_a_revision(engine,
                                                                                         held_after_planning):
    with engine.begin() as conn:
        conn.execute(delete(observations).where(observations.c.period == CELL["period"]))
    held_after_planning()
    assert write_at_once(engine, (60.0, 70.0)) == []
    history = revisions_for(engine, CELL["indicator_id"], CELL["region"])
    assert len(history) == 1
    rev = history.iloc[0]
    assert {rev["old_value"], rev["new_value"]} == {60.0, 70.0} and stored_value(engine) == rev["new_value"]


def test_two_updates_of_one_cell_at_once_record_every_intermediate_value(engine, held_after_planning):
    write_observations(engine, pd.DataFrame([{**CELL, "value": 50.0}]), SOURCE, EDITORS[0])
    held_after_planning()
    assert write_at_once(engine, (60.0, 70.0)) == []
    history = revisions_for(engine, CELL["indicator_id"], CELL["region"]).sort_values("id")
    assert len(history) == 2 and history.iloc[0]["old_value"] == 50.0
    first, second = history.iloc[0], history.iloc[1]
    assert second["old_value"] == first["new_value"]  # not 50 twice: the intermediate value is kept
    assert stored_value(engine) == second["new_value"]
