"""WHO GHO connector against replayed replies: dimensions, confidence intervals, nextLink pages, faults."""

from __future__ import annotations

import copy

import pytest
import requests
import responses

from core.access import SYSTEM
from data_sources.refresh import refresh_source
from store import observations_for
from tests.sources_replay import (
    WHO_BASE,
    assert_unchanged,
    client,
    serve_who,
    settings,
    source_row,
    store_contents,
    who_reply,
)

MAPPING = {"country": "KAZ", "indicators": {
    "uhc_service_coverage_index": {"code": "UHC_INDEX_REPORTED"},
    "life_expectancy_years_who": {"code": "WHOSIS_000001", "dims": {"Dim1": "SEX_BTSX"}},
}}
TB = {"country": "KAZ", "indicators": {"tuberculosis_incidence_per_100k": {"code": "MDG_0000000020"}}}


def run(store, mapping=MAPPING):
    return refresh_source(store, SYSTEM, "who_gho", client(), settings(), mapping=mapping)


def kz(store, indicator):
    return observations_for(store, indicator, region="KZ").set_index("period")


def test_fetches_the_mapped_series_and_keeps_only_the_chosen_sex(store):
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "UHC_INDEX_REPORTED")
        serve_who(rsps, "WHOSIS_000001")
        outcome = run(store)
        assert all(c.request.url.endswith("?$filter=SpatialDim%20eq%20'KAZ'") for c in rsps.calls), rsps.calls[0]
    assert outcome.status == "ok", outcome.error
    both = {str(r["TimeDim"]): r["NumericValue"] for r in who_reply("WHOSIS_000001")["value"]
            if r["Dim1"] == "SEX_BTSX"}
    life = kz(store, "life_expectancy_years_who")
    assert life["value"].to_dict() == pytest.approx(both)
    assert life["note"].str.contains("SEX=SEX_BTSX").all()
    assert set(life["source_id"]) == {"who-gho"}
    uhc = {str(r["TimeDim"]): r["NumericValue"] for r in who_reply("UHC_INDEX_REPORTED")["value"]}
    assert kz(store, "uhc_service_coverage_index")["value"].to_dict() == pytest.approx(uhc)
    assert outcome.summary.added == len(both)


def test_low_and_high_become_the_confidence_interval(store):
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "MDG_0000000020")
        run(store, TB)
    tb = kz(store, "tuberculosis_incidence_per_100k")
    expected = {str(r["TimeDim"]): (r["Low"], r["High"]) for r in who_reply("MDG_0000000020")["value"]}
    got = {p: (row.ci_lower, row.ci_upper) for p, row in tb.iterrows() if p in expected}
    assert got.keys() == expected.keys()
    for period, (low, high) in expected.items():  # pytest >= 9.2 no longer compares nested dicts with approx
        assert got[period] == pytest.approx((low, high)), period


def test_follows_odata_next_link(store):
    reply = who_reply("UHC_INDEX_REPORTED")
    first = {**reply, "value": reply["value"][:3], "@odata.nextLink": f"{WHO_BASE}/UHC_INDEX_REPORTED?$skip=3"}
    second = {**reply, "value": reply["value"][3:]}
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, f"{WHO_BASE}/UHC_INDEX_REPORTED", json=second,
                 match=[responses.matchers.query_param_matcher({"$skip": "3"})])
        rsps.add(responses.GET, f"{WHO_BASE}/UHC_INDEX_REPORTED", json=first)
        outcome = run(store, {"country": "KAZ", "indicators": {"uhc_service_coverage_index": "UHC_INDEX_REPORTED"}})
    assert outcome.status == "ok" and outcome.fetched == len(reply["value"]) and outcome.requests == 2


def test_empty_value_list(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "UHC_INDEX_REPORTED", {"@odata.context": "x", "value": []})
        serve_who(rsps, "WHOSIS_000001", {"@odata.context": "x", "value": []})
        outcome = run(store)
    assert outcome.status == "ok" and outcome.fetched == 0
    assert_unchanged(before, store_contents(store))


def _failed(store, before, outcome, fragment):
    assert outcome.status == "failed" and fragment in outcome.error
    assert_unchanged(before, store_contents(store))
    src = source_row(store, "who-gho")
    assert src["last_status"] == "failed" and fragment in src["last_error"]


def test_second_indicator_failing_writes_nothing_of_the_first(store):
    before = store_contents(store)
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "UHC_INDEX_REPORTED")
        rsps.add(responses.GET, f"{WHO_BASE}/WHOSIS_000001", body=requests.exceptions.ReadTimeout())
        outcome = run(store)
    _failed(store, before, outcome, "timed out")


@pytest.mark.parametrize(("kwargs", "fragment"), [
    ({"body": requests.exceptions.ConnectionError("Connection refused")}, "cannot connect"),
    ({"body": '{"@odata.context": "x", "value": [{"Id": 1,'}, "not valid JSON"),
    ({"json": {"@odata.context": "x"}}, "missing field(s) value"),
    ({"json": {"value": [{"SpatialDim": "KAZ", "TimeDim": 2020}]}}, "missing field(s) NumericValue"),
    ({"json": {"value": "nothing"}}, "'value' is not a list"),
    ({"status": 404}, "HTTP 404"),
])
def test_faults_leave_the_store_unchanged(store, kwargs, fragment):
    before = store_contents(store)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.add(responses.GET, f"{WHO_BASE}/UHC_INDEX_REPORTED", **kwargs)
        outcome = run(store)
    _failed(store, before, outcome, fragment)


@pytest.mark.parametrize("status", [500, 429])
def test_transient_error_then_success(store, status):
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, f"{WHO_BASE}/UHC_INDEX_REPORTED", status=status, headers={"Retry-After": "0"})
        serve_who(rsps, "UHC_INDEX_REPORTED")
        serve_who(rsps, "WHOSIS_000001")
        outcome = run(store)
    assert outcome.status == "ok"


def test_a_value_out_of_range_is_rejected_and_the_rest_written(store):
    reply = copy.deepcopy(who_reply("UHC_INDEX_REPORTED"))
    reply["value"][0]["NumericValue"] = -5
    year = str(reply["value"][0]["TimeDim"])
    kept = kz(store, "uhc_service_coverage_index").loc[year, "value"]
    with responses.RequestsMock() as rsps:
        serve_who(rsps, "UHC_INDEX_REPORTED", reply)
        serve_who(rsps, "WHOSIS_000001")
        outcome = run(store)
    assert outcome.status == "ok" and outcome.rejected == 1
    assert "negative" in str(outcome.issues[0]) and "WHO GHO API reply" in str(outcome.issues[0])
    assert kz(store, "uhc_service_coverage_index").loc[year, "value"] == kept
