"""Issue 9 §1: nothing private leaks from the public read model (revisions, source names, implied counts,
upstream error text), and Streamlit's metrics endpoint is closed."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import update

import readmodel
from catalogue import load_catalogue
from core.access import Identity
from core.config import load_settings
from data_sources.importer import import_table
from store.revisions import record_failure
from store.schema import observations

EDITOR = Identity("aigerim.editor", "editor")
SCREENING = "breast_cancer_screening_coverage_pct"


def policy(mode: str) -> readmodel.ReadPolicy:
    return readmodel.policy_for(load_settings(env={"DENSAULYQ_MODE": mode}), load_catalogue())


def screening_csv(numerator: int, denominator: int = 500) -> bytes:
    value = numerator / denominator * 100
    return (f"region,period,value,numerator,denominator\nKyzylorda,2025Q3,{value},{numerator},{denominator}\n"
            ).encode()


def test_public_revisions_never_reveal_a_suppressed_value_or_who_changed_it(engine):
    for numerator in (4, 6):
        result = import_table(screening_csv(numerator), "kyzylorda.csv", engine, EDITOR, indicator=SCREENING,
                              confirm_jumps=True)
        assert result.accepted, result.issues
    internal = readmodel.revisions(engine, policy("internal"), SCREENING, "KZ-43")
    assert internal.iloc[0]["changed_by"] == EDITOR.user and internal.iloc[0]["old_numerator"] == 4

    public = readmodel.revisions(engine, policy("public"), SCREENING, "KZ-43")
    assert len(public) == len(internal) and public["suppressed"].all()
    assert "changed_by" not in public and "old_numerator" not in public
    assert public[["old_value", "new_value"]].isna().all().all()
    assert EDITOR.user not in public.astype(str).to_csv()


def test_public_revisions_keep_values_of_cells_that_are_not_small(engine):
    for numerator in (400, 420):
        assert import_table(screening_csv(numerator), "k.csv", engine, EDITOR, indicator=SCREENING,
                            confirm_jumps=True).accepted
    public = readmodel.revisions(engine, policy("public"), SCREENING, "KZ-43")
    first = public.iloc[0]
    assert not first["suppressed"] and first["old_value"] == pytest.approx(80) and first["new_value"] == 84


def test_uploads_are_named_by_organisation_never_by_the_uploader(engine):
    assert import_table(screening_csv(420), "aigerim_numbers.csv", engine, EDITOR, indicator=SCREENING,
                        confirm_jumps=True).accepted
    public_obs = readmodel.observations(engine, policy("public"), SCREENING, "2025Q3", "KZ-43")
    public_src = readmodel.sources(engine, policy("public"))
    for frame in (public_obs, public_src):
        assert "aigerim" not in frame.astype(str).to_csv().lower()
    assert public_obs.iloc[0]["source_title"] == "Uploaded data"
    internal_src = readmodel.sources(engine, policy("internal"))
    assert EDITOR.user in set(internal_src["publisher"])


def test_a_value_with_a_denominator_implying_a_small_count_is_suppressed(engine):
    """Ulytau: 0.01594 % of 18,819 people = 3 people, stored without a numerator."""
    key = ((observations.c.indicator_id == SCREENING) & (observations.c.region == "KZ-62")
           & (observations.c.period == "2025Q3"))
    with engine.begin() as conn:
        conn.execute(update(observations).where(key).values(value=0.01594, numerator=None, denominator=18819))
    internal = readmodel.observations(engine, policy("internal"), SCREENING, "2025Q3", "KZ-62")
    assert internal.iloc[0]["value"] == pytest.approx(0.01594)
    public = readmodel.observations(engine, policy("public"), SCREENING, "2025Q3")
    ulytau = public[public["region"] == "KZ-62"].iloc[0]
    assert ulytau["suppressed"] and pd.isna(ulytau["value"]) and pd.isna(ulytau["numerator"])
    # the national total would give it away by subtraction: a second region is suppressed as well
    assert public[public["region"] != "KZ"]["suppressed"].sum() >= 2
    # rows whose counts are large keep their value and show no invented numerator
    shown = public[~public["suppressed"]]
    assert shown["value"].notna().all()


def test_public_sources_show_only_status_and_time_of_a_failed_refresh(engine):
    source = {"id": "worldbank-wdi", "title": "World Bank WDI", "publisher": "World Bank", "url": None,
              "licence": "CC BY 4.0", "kind": "api"}
    error = ("HTTP 502 Bad Gateway from http://mirror.internal.example:8080/v2/country?key=s3cret "
             "(reply '![x](http://evil.example/pixel.png)')")
    record_failure(engine, source, error, EDITOR, at=pd.Timestamp("2026-11-26 10:05", tz="UTC").to_pydatetime())
    row = readmodel.sources(engine, policy("public")).set_index("id").loc["worldbank-wdi"]
    assert row["last_error"] == "failed: HTTP 502 at 2026-11-26 10:05 UTC"
    internal = readmodel.sources(engine, policy("internal")).set_index("id").loc["worldbank-wdi"]
    assert "mirror.internal.example" in internal["last_error"]


def test_metrics_endpoint_answers_404_behind_the_app_middleware():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from server.app import app_middleware, app_routes

    def metrics(_request):
        return PlainTextResponse("session_state_bytes 123")

    inner = Starlette(routes=[*app_routes(), Route("/_stcore/metrics", metrics),
                              Route("/_stcore/health", lambda _r: PlainTextResponse("ok"))],
                      middleware=app_middleware())
    with TestClient(inner) as client:
        for path in ("/_stcore/metrics", "/_stcore/metrics/", "/_stcore/metrics?x=1"):
            reply = client.get(path)
            assert reply.status_code == 404 and "session" not in reply.text, path
        assert client.get("/_stcore/health").status_code == 200
