"""Region codes of a KPI framework: retired ISO letter codes are read as today's codes, unknown ones are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpi.errors import ValidationError
from kpi.framework import parse_framework, read_framework_file

ROOT = Path(__file__).resolve().parents[2]
KPI = """
kpis:
  - id: reach
    pillar: young_health
    name: {{en: Reach}}
    unit: count
    direction: higher_is_better
    baseline: {{value: 0, date: 2024-12-31}}
    target: {{value: 100, date: 2027-12-31}}
    aggregation: cumulative
    region_targets: {targets}
"""


def test_retired_codes_are_mapped_to_current_codes():
    (kpi,) = parse_framework(KPI.format(targets="{KZ-ALA: 9000, KZ-AST: 7000, KZ-SHY: 6000, KZ-11: 5}"))
    assert kpi.region_targets == {"KZ-75": 9000, "KZ-71": 7000, "KZ-79": 6000, "KZ-11": 5}


@pytest.mark.parametrize("code", ["KZ-99", "Almaty", "KZ-XYZ"])
def test_an_unknown_code_is_an_error_naming_the_kpi_and_the_code(code):
    with pytest.raises(ValidationError) as err:
        parse_framework(KPI.format(targets=f"{{{code}: 10}}"))
    assert "reach" in str(err.value) and code in str(err.value)


def test_a_code_given_twice_under_old_and_new_names_is_refused():
    with pytest.raises(ValidationError, match="KZ-75"):
        parse_framework(KPI.format(targets="{KZ-ALA: 1, KZ-75: 2}"))


def test_the_shipped_framework_uses_only_current_codes():
    from geo import REGION_CODES

    for kpi in read_framework_file(ROOT / "data" / "kpi_framework.yaml"):
        assert set(kpi.region_targets) <= set(REGION_CODES), kpi.id
