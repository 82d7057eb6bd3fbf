"""The 2018 and 2022 boundary changes: no value before a region existed, no trend or line across a break, the
former-boundaries view; and national totals that are sums equal the sum of the regions shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import readmodel
from analytics.former import former_boundaries
from analytics.profile import region_profile
from analytics.trends import trends_by_region
from catalogue import load_catalogue
from charts.compare import trend_lines
from core.access import Identity
from core.config import load_settings
from core.periods import parse_period
from data_sources.importer import import_table
from geo import REGION_CODES
from geo.vintages import changed_between, current_segment, exists_in, vintage_of
from store import observations_for
from store.revisions import revisions_for

NEW_REGIONS = ("KZ-10", "KZ-33", "KZ-62")


@pytest.fixture(scope="module")
def obs(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from data_sources.seed import init_store
    from store import make_engine

    engine = init_store(make_engine(f"sqlite:///{tmp_path_factory.mktemp('boundaries') / 'store.sqlite'}"))
    policy = readmodel.policy_for(load_settings(env={}), load_catalogue())
    return readmodel.observations(engine, policy)


def test_vintage_follows_the_period_and_an_explicit_boundary_note() -> None:
    assert vintage_of("2017") == "pre-2018" and vintage_of("2018") == "2018" and vintage_of("2022") == "2022"
    assert vintage_of("2022Q2") == "2018" and vintage_of("2022Q3") == "2022"  # the split was on 8 June 2022
    assert vintage_of("2021", "pre-2022 boundaries: includes territory of Abai Region") == "2018"
    assert vintage_of("2017", "Pre-2018/2022 boundaries") == "pre-2018"
    assert changed_between("KZ-63", "2018", "2022") and not changed_between("KZ-63", "pre-2018", "2018")
    assert changed_between("KZ-61", "pre-2018", "2018") and not changed_between("KZ-11", "pre-2018", "2022")
    assert not exists_in("KZ-10", "2021") and not exists_in("KZ-62", "2022Q2") and exists_in("KZ-33", "2022")


def test_no_value_for_abai_jetisu_or_ulytau_before_they_existed(obs: pd.DataFrame) -> None:
    new = obs[obs["region"].isin(NEW_REGIONS)]
    assert len(new) > 50
    too_early = new[[not exists_in(r, p) for r, p in zip(new["region"], new["period"], strict=True)]]
    assert too_early.empty, too_early[["indicator_id", "region", "period"]].to_string()
    beds_2019 = obs[(obs["indicator_id"] == "hospital_beds_per_10k") & (obs["period"] == "2019")
                    & (obs["region"] != "KZ")]
    assert set(beds_2019["region"]) == set(REGION_CODES) - set(NEW_REGIONS)  # the 2019 map colours 17, not 20


def test_no_trend_spans_the_2022_split(obs: pd.DataFrame) -> None:
    orgs = obs[obs["indicator_id"] == "hospital_organisations_count"]
    trends = trends_by_region(orgs, "count")
    # East Kazakhstan fell from 61 (2021) to 31 (2022) because Abai split off: not a "decrease".
    for code in ("KZ-63", "KZ-19", "KZ-35"):
        assert trends[code].direction == "boundary_break" and trends[code].broken, code
    assert trends["KZ-11"].direction != "boundary_break" and not trends["KZ-11"].broken
    assert trends["KZ-61"].broken  # Turkistan without Shymkent from 2018: only 2018 onwards is used
    assert all(parse_period(p)[0] >= 2018 for p in current_segment(orgs[orgs["region"] == "KZ-61"])["period"])
    beds = obs[(obs["indicator_id"] == "hospital_beds_per_10k") & (obs["region"] == "KZ-63")]
    segment = current_segment(beds)
    assert segment["period"].min() == "2022" and len(segment) < len(beds)


def test_profile_sparkline_starts_after_the_break_and_says_so(obs: pd.DataFrame) -> None:
    profile = region_profile(obs, "KZ-63", load_catalogue()).set_index("indicator_id")
    row = profile.loc["hospital_organisations_count"]
    assert row["trend"] == [31.0] or row["trend"][0] == 31.0  # 2022 onwards only, not 2003–2021's 60-odd
    assert row["series_from"] == "2022"
    old = profile.loc["breast_cancer_incidence_per_100k"]  # a 2017 figure on pre-2022 boundaries
    assert "pre-2022 boundaries" in old["boundary_note"]


def test_compare_lines_are_broken_at_the_split(obs: pd.DataFrame) -> None:
    orgs = obs[obs["indicator_id"] == "hospital_organisations_count"]
    fig = trend_lines(orgs, ["KZ-63"], load_catalogue()["hospital_organisations_count"], {"KZ-63": "East"}, "en",
                      lambda text, **kw: text.format(**kw))
    east = next(tr for tr in fig.data if tr.name == "East")
    ys = list(east.y)
    gap = next(i for i, y in enumerate(ys) if y is None or (isinstance(y, float) and np.isnan(y)))
    assert ys[gap - 1] == 61 and ys[gap + 1] == 31  # 2021 and 2022 are not joined by a line
    assert any("boundaries changed" in (a.text or "") for a in fig.layout.annotations)


def test_former_boundaries_view_sums_the_successors(obs: pd.DataFrame) -> None:
    orgs = obs[obs["indicator_id"] == "hospital_organisations_count"]
    former = former_boundaries(orgs, "count", None)
    east = former[former["region"] == "KZ-63"].set_index("period")
    assert east.loc["2022", "value"] == 31 + 30 and bool(east.loc["2022", "reaggregated"])  # + Abai
    assert east.loc["2021", "value"] == 61 and not bool(east.loc["2021", "reaggregated"])
    assert "KZ-10" not in set(former.loc[former["period"] == "2022", "region"])
    assert trends_by_region(former, "count")["KZ-63"].direction != "boundary_break"
    assert former_boundaries(obs[obs["indicator_id"] == "life_expectancy_years"], "mean", None).empty


def test_generated_national_sums_equal_the_sum_of_the_regions_shown(obs: pd.DataFrame) -> None:
    catalogue = load_catalogue()
    summed = obs[(obs["region"] == "KZ") & obs["synthetic"] & obs["numerator"].notna()]
    assert len(summed) > 40
    for _idx, kz in summed.iterrows():
        regions = obs[(obs["indicator_id"] == kz["indicator_id"]) & (obs["period"] == kz["period"])
                      & (obs["region"] != "KZ")]
        if regions["numerator"].notna().all():
            assert kz["numerator"] == pytest.approx(regions["numerator"].sum()), (kz["indicator_id"], kz["period"])
            assert kz["denominator"] == pytest.approx(regions["denominator"].sum())
        multiplier = catalogue[kz["indicator_id"]].multiplier
        assert kz["value"] == pytest.approx(kz["numerator"] / kz["denominator"] * multiplier)
    ct = obs[(obs["indicator_id"] == "ct_units_per_million") & (obs["period"] == "2025")]
    assert ct.loc[ct["region"] == "KZ", "numerator"].iloc[0] == ct.loc[ct["region"] != "KZ", "numerator"].sum()


def test_national_screening_uses_the_real_regional_value_shown_on_the_map(obs: pd.DataFrame) -> None:
    from data_sources.illustrative import illustrative_observations
    from data_sources.snapshot import _reference_observations, _value, read_reference

    catalogue = load_catalogue()
    real = _reference_observations(read_reference(), catalogue)
    generated = illustrative_observations(_value(real, "population_total", "2023"),
                                          _value(real, "population_female", "2023"))
    key = (generated["indicator_id"] == "breast_cancer_screening_coverage_pct") & (generated["period"] == "2025Q4")
    gen = generated[key].set_index("region")
    shown = obs[(obs["indicator_id"] == "breast_cancer_screening_coverage_pct") & (obs["period"] == "2025Q4")]
    shown = shown.set_index("region")
    assert shown.loc["KZ-27", "value"] == 96.2 and not shown.loc["KZ-27", "synthetic"]
    regions = list(REGION_CODES)
    numerators = [shown.loc[c, "numerator"] if c != "KZ-27" else 0.962 * gen.loc[c, "denominator"] for c in regions]
    expected = round(sum(numerators)) / sum(gen.loc[c, "denominator"] for c in regions) * 100
    assert shown.loc["KZ", "value"] == pytest.approx(expected)
    assert shown.loc["KZ", "value"] != pytest.approx(gen.loc["KZ", "value"])  # no longer the generated KZ-27
    assert bool(shown.loc["KZ", "synthetic"])


def test_published_rate_far_from_its_counts_keeps_the_published_value_with_a_note(obs: pd.DataFrame) -> None:
    almaty = obs[(obs["indicator_id"] == "physicians_per_10k") & (obs["period"] == "2022")
                 & (obs["region"] == "KZ-19")].iloc[0]
    assert almaty["value"] == 23.0 and not almaty["derived"]
    assert "23.96" in almaty["note"] and "more than rounding" in almaty["note"]


# --- the importer: old region names only for the periods they applied to (issue 9 §2) ----------------------------

EDITOR = Identity(user="aigerim", role="editor", mode="internal")


def test_a_former_name_imports_only_for_its_periods_with_its_boundary_note(store) -> None:
    result = import_table("Регион;2017\nЮжно-Казахстанская;71.1\n".encode(), "old.csv", store, EDITOR,
                          indicator="life_expectancy_years")
    assert result.accepted, result.issues
    row = observations_for(store, "life_expectancy_years", "2017", "KZ-61").iloc[0]
    assert row["value"] == 71.1 and "pre-2018 boundaries" in row["note"] and vintage_of("2017", row["note"]) \
        == "pre-2018"
    late = import_table("Регион;2019\nЮжно-Казахстанская;71.5\n".encode(), "late.csv", store, EDITOR,
                        indicator="life_expectancy_years")
    assert not late.accepted
    assert any(i.row is not None and "former name" in i.reason for i in late.issues), late.issues


def test_a_region_cannot_have_a_value_before_it_existed(store) -> None:
    result = import_table("Регион;2021\nобласть Абай;70.0\n".encode(), "abai.csv", store, EDITOR,
                          indicator="life_expectancy_years")
    assert not result.accepted
    assert any("did not exist in 2021" in i.reason for i in result.issues), result.issues


def test_reimporting_old_territory_keeps_the_boundary_note_and_the_revision_keeps_the_old_note(store) -> None:
    before = observations_for(store, "hospital_organisations_count", "2020", "KZ-63").iloc[0]
    assert "pre-2022 boundaries" in before["note"]
    result = import_table("Регион;2020\nВосточно-Казахстанская;63\n".encode(), "east.csv", store, EDITOR,
                          indicator="hospital_organisations_count")
    assert result.accepted, result.issues
    after = observations_for(store, "hospital_organisations_count", "2020", "KZ-63").iloc[0]
    assert after["value"] == 63 and "pre-2022 boundaries: includes territory of Abai Region" in after["note"]
    revision = revisions_for(store, "hospital_organisations_count", "KZ-63").iloc[0]
    assert revision["old_value"] == before["value"] and revision["old_note"] == before["note"]
