"""The region-name resolver places every spelling seen in real data and reports what it cannot place."""

from __future__ import annotations

import csv

import pytest

from core.paths import GEO_DIR
from geo import REGION_CODES, region_code, resolve_names


def _alias_cases() -> list[tuple[str, str]]:
    """(spelling, code) for every name, alias and former code in the shipped names file."""
    with open(GEO_DIR / "kz_adm1_names.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    cases = []
    for row in rows:
        names = [row["iso_code"], row["iso_code_pre2022"], row["name_en"], row["name_ru"], row["name_kk"],
                 *row["aliases"].split("|")]
        cases += [(name, row["iso_code"]) for name in names if name]
    return cases


ALIASES = _alias_cases()


def test_names_file_covers_the_twenty_units() -> None:
    assert len(REGION_CODES) == 20
    assert {code for _alias, code in ALIASES} == set(REGION_CODES)
    assert len(ALIASES) > 200  # the file lists many spellings per unit, not just one name


@pytest.mark.parametrize(("spelling", "code"), ALIASES, ids=[f"{c}:{s}" for s, c in ALIASES])
def test_every_alias_in_the_names_file_maps_to_its_own_code(spelling: str, code: str) -> None:
    assert region_code(spelling) == code


@pytest.mark.parametrize(("spelling", "code"), [
    # Russian, as in stat.gov.kz tables and ministry reports
    ("Акмолинская область", "KZ-11"),
    ("Акмолинская обл.", "KZ-11"),
    ("Северо-Казахстанская обл.", "KZ-59"),
    ("Восточно-Казахстанская область", "KZ-63"),
    ("Мангистауская область", "KZ-47"),
    ("область Абай", "KZ-10"),
    ("г. Алматы", "KZ-75"),
    ("г.Астана", "KZ-71"),
    ("город Шымкент", "KZ-79"),
    ("г. Нур-Султан", "KZ-71"),
    # Kazakh
    ("Қарағанды облысы", "KZ-35"),
    ("Ақтөбе облысы", "KZ-15"),
    ("Түркістан облысы", "KZ-61"),
    ("Жетісу облысы", "KZ-33"),
    ("Алматы қаласы", "KZ-75"),
    ("Шымкент қаласы", "KZ-79"),
    ("Астана қаласы", "KZ-71"),
    # Latin transliterations
    ("Karagandinskaya oblast", "KZ-35"),
    ("Qostanay oblysy", "KZ-39"),
    ("Aqtöbe", "KZ-15"),
    ("Kyzyl-Orda", "KZ-43"),
    ("Shymkent qalasy", "KZ-79"),
    # old names
    ("Nur-Sultan", "KZ-71"),
    ("Tselinograd", "KZ-71"),
    ("South Kazakhstan", "KZ-61"),
    ("Южно-Казахстанская область", "KZ-61"),
    ("Alma-Ata", "KZ-75"),
    ("Алма-Ата", "KZ-75"),
    ("Chimkent", "KZ-79"),
    # footnote marks, as in BNS bulletins
    ("Туркестанская**", "KZ-61"),
    ("Туркестанская 1", "KZ-61"),  # population-projections-by-regions archive/kazpop.csv
    ("Жамбылская область1)", "KZ-31"),
    ("Atyrau (2)", "KZ-23"),
    # case, spacing, hyphens
    ("  almaty   REGION ", "KZ-19"),
    ("north-kazakhstan", "KZ-59"),
    ("NORTH  KAZAKHSTAN oblast", "KZ-59"),
    ("ЗАПАДНО КАЗАХСТАНСКАЯ ОБЛАСТЬ", "KZ-27"),
    ("Nursultan city", "KZ-71"),
])
def test_real_spellings_from_several_sources(spelling: str, code: str) -> None:
    assert region_code(spelling) == code


@pytest.mark.parametrize("spelling", [
    "Kazakhstan", "Республика Казахстан", "Қазақстан Республикасы", "Всего по республике", "Republic of Kazakhstan",
])
def test_national_total_maps_to_kz(spelling: str) -> None:
    assert region_code(spelling) == "KZ"


@pytest.mark.parametrize(("spelling", "code"), [
    ("Almaty", "KZ-75"), ("Алматы", "KZ-75"),  # bare name: the city
    ("Almaty Region", "KZ-19"), ("Алматинская область", "KZ-19"), ("Алматы облысы", "KZ-19"),
    ("Almaty oblast", "KZ-19"),
])
def test_almaty_city_and_almaty_region_are_told_apart(spelling: str, code: str) -> None:
    assert region_code(spelling) == code


@pytest.mark.parametrize("spelling", ["Mars", "Karaganda city", "", "   ", "Kazakhstan Region", "г. Акмолинская"])
def test_unknown_or_contradictory_names_are_not_guessed(spelling: str) -> None:
    assert region_code(spelling) is None


def test_resolve_names_reports_unmatched_in_first_seen_order_without_dropping_any() -> None:
    names = ["Mars", "г. Алматы", "Туркестанская**", "Karaganda city", "Mars", "Kazakhstan", "", "Nur-Sultan",
             "Atlantis", "г. Алматы"]
    mapping, unmatched = resolve_names(names)
    assert mapping == {"г. Алматы": "KZ-75", "Туркестанская**": "KZ-61", "Kazakhstan": "KZ", "Nur-Sultan": "KZ-71"}
    assert unmatched == ["Mars", "Karaganda city", "", "Atlantis"]
    # every distinct input is accounted for exactly once
    assert set(mapping) | set(unmatched) == set(names)
    assert not set(mapping) & set(unmatched)
