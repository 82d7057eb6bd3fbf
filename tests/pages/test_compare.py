"""The comparison page under AppTest: the scatter says which regions are missing and why."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import open_page

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


def test_compare_scatter_says_which_regions_are_missing_and_why():
    at = open_page("pages/compare.py", {"x": "physicians_per_10k", "y": "life_expectancy_years"})
    notes = [c.value for c in at.caption if c.value.startswith("Not on the plot")]
    assert any("Shymkent" in n and "no value of Physicians per 10,000 for 2022" in n for n in notes), notes
