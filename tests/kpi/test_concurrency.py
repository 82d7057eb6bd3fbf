"""Many editors saving the same KPI-quarter at once: no update is lost (each lands or gets a conflict)."""

from __future__ import annotations

import threading

import pytest

from kpi import Conflict, audit_trail, current_version, save_actual, stored_actuals
from tests.kpi_helpers import EDITOR, kpi_engine


@pytest.fixture()
def db_url(any_db_url):
    """KPI actuals, audit and concurrency hold on SQLite and on PostgreSQL (issue 9 §5)."""
    return any_db_url

WRITERS = 200


def test_200_concurrent_writes_to_one_kpi_quarter_lose_none(any_db_url):
    engine = kpi_engine(any_db_url)  # a SQLite file in WAL mode (store.make_engine), then PostgreSQL
    save_actual(engine, EDITOR, "people_reached", "2025Q3", 0, 0)
    start = threading.Barrier(WRITERS)
    landed: list[int] = []
    conflicts: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        try:
            start.wait()
            version = current_version(engine, "people_reached", "2025Q3")
            save_actual(engine, EDITOR, "people_reached", "2025Q3", n, version, reason=f"writer {n}")
            with lock:
                landed.append(n)
        except Conflict:
            with lock:
                conflicts.append(n)
        except BaseException as exc:  # any other failure would be a lost update
            with lock:
                errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(1, WRITERS + 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(landed) + len(conflicts) == WRITERS and landed
    assert current_version(engine, "people_reached", "2025Q3") == 1 + len(landed)
    trail = audit_trail(engine, "people_reached")
    updates = trail[trail["action"] == "update"]
    assert sorted(updates["new_value"].astype(int)) == sorted(landed)
    assert sorted(trail["version"]) == list(range(1, 2 + len(landed)))
    # every update's old value is the value of the version it replaced: an unbroken chain
    chain = trail.sort_values("version")
    assert chain["old_value"].iloc[1:].tolist() == chain["new_value"].iloc[:-1].tolist()
    assert stored_actuals(engine, "people_reached")["value"].iloc[0] == chain["new_value"].iloc[-1]
