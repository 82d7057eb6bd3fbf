"""What a reader sees on every public page under AppTest (issue 8 §3): a link value that does not exist gets one
line of notice; no None, nan or machine id on screen."""

from __future__ import annotations

import pytest

from tests.apptest_helpers import MACHINE_IDS, open_page, screen_text

pytestmark = pytest.mark.usefixtures("app_store")  # the public app on the module's seeded store (pages/conftest.py)


@pytest.mark.parametrize(("page", "query", "asked", "shown"), [
    ("pages/regional_map.py", {"indicator": "physicians_per_10k", "period": "2025"}, "2025", "2022"),
    ("pages/region_profile.py", {"region": "KZ-99"}, "KZ-99", None),
    ("pages/regional_map.py", {"indicator": "no_such_indicator"}, "no_such_indicator", None),
    ("pages/compare.py", {"regions": "KZ-71,KZ-99"}, "KZ-99", None),
])
def test_a_link_value_that_does_not_exist_gets_a_one_line_notice(page, query, asked, shown):
    from core.text import plain

    at = open_page(page, query)
    notices = [n.value for n in at.info if plain(asked) in n.value]  # a value from the URL is shown as text
    assert len(notices) == 1 and "\n" not in notices[0], [n.value for n in at.info]
    if shown:
        assert f"showing {shown}" in notices[0]


PUBLIC_PAGES = ["pages/overview.py", "pages/regional_map.py", "pages/region_profile.py", "pages/compare.py",
                "pages/sources_and_data.py", "pages/funnel.py", "pages/resilience_index.py", "pages/capacity_gaps.py",
                "pages/kpi_scorecard.py", "pages/kpi_detail.py"]


@pytest.mark.parametrize("page", PUBLIC_PAGES)
def test_no_none_nan_or_machine_ids_on_screen(page):
    query = {"kpi": "rwe_registries_linked"} if page == "pages/kpi_detail.py" else {}
    text = screen_text(open_page(page, query))
    words = set(text.replace(",", " ").replace("(", " ").replace(")", " ").split())
    assert not {"None", "nan", "NaN", "<NA>"} & words
    assert not [i for i in MACHINE_IDS if i in text], [i for i in MACHINE_IDS if i in text]
