"""Extracts shaped like a real OMOP CDM export (tests/rwd_realistic.py: upper-case names, every value as text,
persons abroad, an empty LOCATION) computed in PostgreSQL: all abroad writes nothing and says why; 3 % abroad gives
the same regional values, national sum of the placed and placement report as DuckDB. Needs the test PostgreSQL."""

from __future__ import annotations

import uuid

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from data_sources.seed import init_store
from rwd.__main__ import main
from rwd.compute import compute
from rwd.engines import DuckDBEngine
from store import make_engine
from store.rwd_runs import latest_run
from tests.rwd.test_database import run_in_database


@pytest.fixture(scope="module")
def server():
    from tests.conftest import fresh_pg_database

    with fresh_pg_database() as url:
        yield url


def _load_realistic(url: str, frames: dict[str, pd.DataFrame]) -> str:
    from tests.rwd_realistic import cell_text

    schema = f"cdm_{uuid.uuid4().hex[:8]}"
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        for name, frame in frames.items():
            as_text = frame.astype(object).map(cell_text).astype("string")  # as write_realistic writes CSV values
            as_text.rename(columns=str.upper).to_sql(name.upper(), engine, schema=schema, index=False)
    finally:
        engine.dispose()
    return schema


def test_all_persons_abroad_writes_nothing_and_says_why_in_postgresql(server, tmp_path, monkeypatch, capsys):
    from tests.rwd.test_real_extract import ALL_ABROAD_WHY, PERSON_LIKE
    from tests.rwd_realistic import all_abroad

    schema = _load_realistic(server, all_abroad())
    db_url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", db_url)
    assert main(["compute", "--cdm", server, "--cdm-schema", schema, "--real", "--period", "2024", "--quiet"]) == 2
    captured = capsys.readouterr()
    assert ALL_ABROAD_WHY in captured.err and "nothing written" in captured.err
    assert not any(value in captured.out + captured.err for value in PERSON_LIKE)
    assert latest_run(init_store(make_engine(db_url))) is None


def test_three_percent_abroad_reads_the_same_in_postgresql(server, tmp_path):
    from tests.rwd_realistic import three_percent_abroad, write_realistic

    frames = three_percent_abroad()
    got = run_in_database(server, _load_realistic(server, frames))
    engine = DuckDBEngine()
    try:
        expected = compute(engine, write_realistic(tmp_path / "cdm", frames), ["2024"], synthetic=False)
    finally:
        engine.close()
    for definition, rows in expected.rows.items():
        assert got.rows[definition].to_dict("records") == rows.to_dict("records"), definition
    assert got.placements == expected.placements
    assert got.placements[0]["unplaced"] == [{"reason": "not_kazakh", "value": None, "persons": 3}]
