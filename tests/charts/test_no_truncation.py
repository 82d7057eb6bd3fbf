"""Source titles are never cut mid-word: map hover texts wrap them, captions show them whole."""

from __future__ import annotations

import pandas as pd

from catalogue import load_catalogue
from charts.choropleth import _hover_text

LONG_TITLE = ("Number of hospital organisations by region, 2003-2022 (stat.gov.kz data collected by "
              "open-data-kazakhstan), average-life-expectancy Hosp_Amount/data/Hosp_piv.csv @af4fd60")


def test_map_hover_shows_the_whole_source_title_wrapped():
    indicator = load_catalogue()["physicians_per_10k"]
    row = pd.Series({"name": "Almaty", "value": 64.1, "period": "2022", "source_title": LONG_TITLE,
                     "source_id": "x", "ci_lower": None, "ci_upper": None, "synthetic": False, "derived": False})
    text = _hover_text(row, indicator, "en", lambda msgid, **values: msgid.format(**values))
    source_lines = text.split("<br>")[3:]
    assert " ".join(source_lines) == "Source: " + LONG_TITLE
    assert len(source_lines) > 1 and all(len(line) <= 60 for line in source_lines)
