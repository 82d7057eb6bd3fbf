"""The time slider's fixed classes, the data-completeness counts and the heat map's cells, on small hand-made tables
of observations shaped as the read model returns them (counts and breaks computed by hand in the comments)."""

from __future__ import annotations

import pandas as pd

from analytics.completeness import period_count, period_ranges, region_summary, status_grid
from analytics.heatmap import heat_map_cells, heat_map_indicators, sorted_regions
from analytics.timeline import classes_for_period, fixed_classes, next_period, period_span
from catalogue import load_catalogue
from geo import REGION_CODES


def _obs(rows: list[tuple], indicator: str = "x") -> pd.DataFrame:
    """(region, period, value, synthetic[, boundary_note[, suppressed]]) → observations."""
    out = []
    for row in rows:
        region, period, value, synthetic, *rest = row
        note = rest[0] if rest else None
        suppressed = rest[1] if len(rest) > 1 else False
        out.append({"indicator_id": indicator, "region": region, "period": period, "value": value,
                    "synthetic": synthetic, "boundary_note": note, "suppressed": suppressed,
                    "ci_lower": None, "ci_upper": None, "numerator": None, "denominator": None})
    return pd.DataFrame(out)


def test_class_breaks_are_computed_over_all_periods_and_do_not_move_between_periods():
    # 1..10 over two periods; quantiles of 1..10 into 5 classes: upper bounds 2.8, 4.6, 6.4, 8.2, 10
    rows = [(f"KZ-{c}", "2020", float(v), False) for c, v in zip((11, 15, 19, 23, 27), range(1, 6), strict=True)]
    rows += [(f"KZ-{c}", "2021", float(v), False) for c, v in zip((11, 15, 19, 23, 27), range(6, 11), strict=True)]
    rows += [("KZ", "2020", 99.0, False)]  # the national value takes no part in the regions' breaks
    fixed = fixed_classes(_obs(rows), "lower_is_better")
    assert [round(b, 6) for b in fixed.bounds] == [1.0, 2.8, 4.6, 6.4, 8.2, 10.0]
    early = classes_for_period(fixed, pd.Series([1.0, 3.0, 5.0], index=["KZ-11", "KZ-15", "KZ-19"]))
    late = classes_for_period(fixed, pd.Series([6.0, 9.0, 10.0, None], index=["KZ-11", "KZ-15", "KZ-19", "KZ-23"]))
    assert early.bounds == late.bounds == fixed.bounds and early.colours == late.colours
    assert early.assignment.tolist() == [0, 1, 2]  # 1 ≤ 2.8; 3 in (2.8, 4.6]; 5 in (4.6, 6.4]
    assert late.assignment.tolist() == [2, 4, 4, -1]  # 6 in (4.6, 6.4]; 9 and 10 in (8.2, 10]; no value: -1
    # per-period classing would have put 1 and 10 both in their period's lowest/highest class: not so here
    assert early.assignment["KZ-11"] != late.assignment["KZ-11"]


def test_a_value_on_other_boundaries_takes_no_part_in_the_breaks():
    rows = [("KZ-11", "2020", 1.0, False), ("KZ-15", "2020", 2.0, False), ("KZ-19", "2021", 3.0, False),
            ("KZ-63", "2020", 500.0, False, "pre-2022 boundaries: includes territory of Abai Region")]
    fixed = fixed_classes(_obs(rows), "none")
    assert fixed.bounds == [1.0, 1.0, 2.0, 3.0]  # three distinct comparable values: one class each, 500 left out


def test_breaks_from_an_illustrative_value_are_illustrative():
    rows = [("KZ-11", "2020", 1.0, False), ("KZ-15", "2021", 2.0, True)]
    assert fixed_classes(_obs(rows), "none").illustrative
    assert not fixed_classes(_obs(rows[:1]), "none").illustrative


def test_stepping_through_periods_and_the_span_in_the_legend():
    periods = ["2019", "2020", "2021"]
    assert next_period(periods, "2019") == "2020"
    assert next_period(periods, "2021") is None
    assert next_period(periods, "1990") == "2019"
    assert period_span(["2021", "2019", "2020"]) == "2019–2021"


def test_completeness_counts_published_illustrative_suppressed_missing_and_not_yet_formed():
    periods = ["2021", "2022", "2023"]
    rows = [
        ("KZ-11", "2021", 70.0, False), ("KZ-11", "2022", 71.0, False), ("KZ-11", "2023", 72.0, True),
        ("KZ-15", "2021", 69.0, False), ("KZ-15", "2023", None, False, None, True),  # 2022 missing, 2023 hidden
        ("KZ-10", "2022", 68.0, True), ("KZ-10", "2023", 68.5, False),  # Abai: formed in June 2022
        ("KZ", "2023", 70.0, False),  # the national row is no region
    ]
    grid = status_grid(_obs(rows), periods)
    assert grid.shape == (20, 3)
    assert grid.loc["KZ-11"].tolist() == ["published", "published", "illustrative"]
    assert grid.loc["KZ-15"].tolist() == ["published", "missing", "suppressed"]
    assert grid.loc["KZ-10"].tolist() == ["not_existing", "illustrative", "published"]
    assert grid.loc["KZ-75"].tolist() == ["missing", "missing", "missing"]

    count = period_count(grid, "2023")
    # 2023: KZ-11 (illustrative) and KZ-10 have a value; KZ-15 suppressed; 17 others missing
    assert (count.with_value, count.illustrative, count.suppressed, count.not_existing, count.regions) == \
        (2, 1, 1, 0, 20)
    assert period_count(grid, "2021").not_existing == 3  # Abai, Jetisu, Ulytau were not yet formed

    summary = region_summary(grid).set_index("region")
    assert summary.loc["KZ-11", ["published", "illustrative", "missing", "latest"]].tolist() == [2, 1, 0, "2023"]
    assert summary.loc["KZ-15", "missing_periods"] == ["2022"] and summary.loc["KZ-15", "latest"] == "2021"
    assert summary.loc["KZ-10", "expected"] == 2  # 2021 is not expected of a region formed in 2022
    assert pd.isna(summary.loc["KZ-75", "latest"])  # nothing stored: no latest period


def test_missing_periods_read_as_ranges():
    assert period_ranges(["2001", "1999", "2000", "2005", "2007", "2008"]) == "1999–2001, 2005, 2007–2008"
    assert period_ranges(["2023Q4", "2024Q1", "2024Q3"]) == "2023Q4–2024Q1, 2024Q3"


def test_heat_map_cells_judge_each_region_against_kazakhstan_with_polarity_and_sort_best_first():
    catalogue = load_catalogue()
    screening = catalogue["breast_cancer_screening_coverage_pct"]  # higher is better
    rows = [("KZ", "2024Q4", 60.0, False), ("KZ-11", "2024Q4", 70.0, False), ("KZ-15", "2024Q4", 50.0, False),
            ("KZ-19", "2024Q4", 61.0, True), ("KZ-23", "2023Q4", 80.0, False)]  # KZ-23 only an older period
    obs = _obs(rows, screening.id)
    intervals = {"KZ-11": (65.0, 75.0), "KZ-15": (45.0, 55.0), "KZ-19": (55.0, 67.0), "KZ-23": (75.0, 85.0)}
    obs["ci_lower"] = obs["region"].map(lambda r: intervals.get(r, (None, None))[0])
    obs["ci_upper"] = obs["region"].map(lambda r: intervals.get(r, (None, None))[1])
    cells = heat_map_cells(obs, [screening]).set_index("region")
    assert len(cells) == len(REGION_CODES) == 20
    assert cells.loc["KZ-11", "category"] == "better"  # 65–75 wholly above 60
    assert cells.loc["KZ-15", "category"] == "worse"   # 45–55 wholly below 60
    assert cells.loc["KZ-19", "category"] == "similar" and cells.loc["KZ-19", "illustrative"]
    assert cells.loc["KZ-23", "category"] == "no_value"  # the column is the latest period, 2024Q4
    assert set(cells["period"]) == {"2024Q4"}

    names = {code: code for code in REGION_CODES}
    order = sorted_regions(cells.reset_index(), screening.id, screening.polarity, names)
    assert order[:3] == ["KZ-11", "KZ-19", "KZ-15"]  # better, similar, worse; no value after them
    assert sorted_regions(cells.reset_index(), None, "none", names) == sorted(REGION_CODES)


def test_heat_map_columns_are_the_featured_regional_indicators_of_the_domain_that_have_regional_values():
    catalogue = load_catalogue()
    obs = pd.concat([_obs([("KZ-11", "2024", 1.0, False)], "ct_units_per_million"),
                     _obs([("KZ", "2024", 1.0, False)], "mri_units_per_million")])  # national only: no column
    assert [i.id for i in heat_map_indicators(catalogue, "diagnostic_capacity", obs)] == ["ct_units_per_million"]
