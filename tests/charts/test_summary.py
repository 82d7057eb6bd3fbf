"""A chart's one-sentence text alternative names the highest and lowest region and the national value."""

from __future__ import annotations

import pandas as pd

from analytics.summary import regional_summary
from geo import REGION_CODES, region_name


def _rows(values: dict[str, float], synthetic: set[str] = frozenset()) -> pd.DataFrame:
    return pd.DataFrame({"region": list(values), "value": list(values.values()),
                         "synthetic": [code in synthetic for code in values]})


def _names(lang: str) -> dict[str, str]:
    return {code: region_name(code, lang) for code in REGION_CODES}


def test_names_highest_lowest_and_national_with_unit():
    rows = _rows({"KZ-75": 41.26, "KZ-71": 38.0, "KZ-79": 19.5, "KZ-39": None, "KZ": 27.04})
    text = regional_summary(rows, _names("en"), "en", 1, "per 10,000")
    assert text == (f"Highest: {region_name('KZ-75', 'en')} (41.3 per 10,000); lowest: {region_name('KZ-79', 'en')} "
                    "(19.5 per 10,000); Kazakhstan: 27.0 per 10,000.")


def test_regions_that_read_the_same_are_named_together():
    rows = _rows({"KZ-75": 77.32, "KZ-71": 77.28, "KZ-79": 71.4, "KZ": 74.4})
    text = regional_summary(rows, _names("en"), "en", 1)
    highest = text.split(";")[0]
    assert region_name("KZ-75", "en") in highest and region_name("KZ-71", "en") in highest and "(77.3)" in highest


def test_ties_name_every_region_and_a_missing_national_value_is_said():
    rows = _rows({"KZ-75": 5.0, "KZ-71": 5.0, "KZ-79": 1.0})
    text = regional_summary(rows, _names("en"), "en", 0)
    assert region_name("KZ-75", "en") in text.split(";")[0] and region_name("KZ-71", "en") in text.split(";")[0]
    assert text.endswith("no national value.")


def test_a_sentence_resting_on_an_illustrative_value_says_so_in_the_readers_language():
    rows = _rows({"KZ-75": 9.0, "KZ-79": 2.0, "KZ": 5.0}, synthetic={"KZ"})
    text = regional_summary(rows, _names("kk"), "kk", 0)
    assert text.startswith("Иллюстративтік мәндер. Ең жоғары мән: " + region_name("KZ-75", "kk"))
    assert "Иллюстратив" not in regional_summary(_rows({"KZ-75": 9.0, "KZ-79": 2.0}), _names("kk"), "kk", 0)


def test_no_regional_value():
    text = regional_summary(_rows({"KZ": 5.0}), _names("ru"), "ru", 0)
    assert text == "Ни у одного региона нет значения за этот период."
