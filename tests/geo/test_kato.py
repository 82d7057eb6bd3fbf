"""KATO codes and every other way data holders write a region land on the right ISO 3166-2:KZ code, by period;
a former or not-yet-existing unit is never placed by guess."""

from __future__ import annotations

import pytest

from geo import REGION_CODES, kato_region, place_region_value, resolve_region_value
from geo.kato import crosswalk, kato_lookup, kato_prefix
from geo.vintages import BOUNDARY_CHANGES, boundary_note, default_vintage


def test_crosswalk_has_every_current_unit_under_its_iso_number_and_the_former_south_kazakhstan() -> None:
    current = {row.prefix: row.maps_to for row in crosswalk() if row.valid_to is None and row.maps_to}
    assert set(current.values()) == set(REGION_CODES)
    assert all(iso == f"KZ-{prefix}" for prefix, iso in current.items())  # the 2022 ISO numbers are KATO prefixes
    assert kato_region("51", "2017") is not None and "51" not in current


def test_crosswalk_dates_and_notes_are_the_boundary_changes_of_geo_vintages() -> None:
    dates = {change.date for change in BOUNDARY_CHANGES}
    for row in crosswalk():
        assert {row.valid_from, row.valid_to} - {None} <= dates
        if row.maps_to and row.valid_to:  # a territory that changed later carries the vintages' note
            vintage = next(c for c in BOUNDARY_CHANGES if c.date == row.valid_to).vintage
            before = {"2018": "pre-2018", "2022": "2018"}[vintage]
            assert row.note == boundary_note(row.maps_to, before)
    changed = {r for c in BOUNDARY_CHANGES for r in c.changed}
    noted = {row.maps_to for row in crosswalk() if row.maps_to and row.valid_to}
    assert noted == changed


@pytest.mark.parametrize(("code", "iso"), [
    ("751110000", "KZ-75"), ("711000000", "KZ-71"), (" 75 ", "KZ-75"), (751110000, "KZ-75"), ("0751110000", "KZ-75"),
    ("075", "KZ-75"), ("791000000.0", "KZ-79"), ("10", "KZ-10"), ("633000000", "KZ-63"), ("59", "KZ-59"),
])
def test_full_and_two_digit_codes_today(code, iso) -> None:
    assert kato_region(code) == kato_region(code, "2024")
    match = kato_region(code)
    assert match is not None and match.iso == iso and match.note is None


@pytest.mark.parametrize("code", ["99", "00", "7511", "KZ-75", "Алматы", "", None, "2023", "75111000", True])
def test_what_is_not_a_known_kato_code_is_not_placed(code) -> None:
    assert kato_region(code) is None


@pytest.mark.parametrize(("code", "period", "iso", "vintage"), [
    ("51", "2017", "KZ-61", "pre-2018"), ("511610000", "2018Q2", "KZ-61", "pre-2018"),
    ("63", "2021", "KZ-63", "2018"), ("191000000", "2022Q2", "KZ-19", "2018"), ("35", "2019", "KZ-35", "2018"),
    ("63", "2022", "KZ-63", "2022"), ("63", "2022Q3", "KZ-63", "2022"), ("61", "2018", "KZ-61", "2022"),
    ("79", "2018Q3", "KZ-79", "2022"), ("10", "2022-06-08", "KZ-10", "2022"),
])
def test_former_boundaries_map_by_period_with_the_boundary_note(code, period, iso, vintage) -> None:
    match = kato_region(code, period)
    assert match is not None and match.iso == iso
    assert match.note == boundary_note(iso, vintage)


@pytest.mark.parametrize(("code", "period"), [
    ("51", "2018"), ("51", "2024"), ("51", "2018Q3"), ("51", "2018-06-19"), ("51", None),
    ("10", "2021"), ("33", "2022Q2"), ("62", "2020"), ("621000000", "2022-06-07"), ("61", "2017"), ("79", "2016"),
])
def test_a_code_that_named_no_unit_then_is_not_placed_and_says_why(code, period) -> None:
    match, problem = kato_lookup(code, period)
    assert match is None
    assert problem is not None and f"KATO code {code}" in problem


def test_mid_year_changes_follow_the_vintage_rule_of_the_observations() -> None:
    # the 2022 annual figure is on the new boundaries (geo.vintages), so Abai's KATO code places it, 2022Q2 does not
    assert default_vintage("2022") == "2022" and kato_region("10", "2022") is not None
    assert kato_region("10", "2022Q2") is None


def test_a_bad_period_is_an_error_not_a_silent_none() -> None:
    with pytest.raises(ValueError):
        kato_region("75", "last year")


def test_prefix_reading() -> None:
    assert kato_prefix("751110000") == "75" and kato_prefix("75") == "75" and kato_prefix("7511") is None


@pytest.mark.parametrize(("value", "period", "iso"), [
    ("KZ-75", None, "KZ-75"), ("kz-ala", "2019", "KZ-75"), ("KZ", "2020", "KZ"), ("751110000", "2023", "KZ-75"),
    ("Туркестанская**", "2023", "KZ-61"), ("Туркестанская 1", "2023", "KZ-61"), ("г. Алматы", None, "KZ-75"),
    ("Республика Казахстан", "2015", "KZ"), ("Восточно-Казахстанская", "2023", "KZ-63"), (711000000, None, "KZ-71"),
])
def test_one_resolver_for_iso_codes_kato_codes_and_names(value, period, iso) -> None:
    assert resolve_region_value(value, period)[0] == iso


@pytest.mark.parametrize(("value", "period"), [
    ("Atlantis", None), ("", None), (None, "2020"), ("51", "2020"), ("KZ-10", "2021"), ("Абай", "2021"),
    ("Южно-Казахстанская область", "2019"), ("KZ-YUZ", "2020"), ("2023", None), ("10", "2021"),
])
def test_the_resolver_places_nothing_it_cannot_know(value, period) -> None:
    assert resolve_region_value(value, period) == (None, None)


def test_former_units_by_period_whatever_way_they_are_written() -> None:
    note_2018 = boundary_note("KZ-61", "pre-2018")
    for value in ("51", "511610000", "Южно-Казахстанская область", "KZ-YUZ", "Туркестанская**"):
        assert resolve_region_value(value, "2017") == ("KZ-61", note_2018), value
    note_2022 = boundary_note("KZ-63", "2018")
    for value in ("63", "KZ-VOS", "KZ-63", "Восточно-Казахстанская область"):
        assert resolve_region_value(value, "2021") == ("KZ-63", note_2022), value
    assert resolve_region_value("63", "2023") == ("KZ-63", None)


def test_a_value_refused_for_its_period_carries_the_reason() -> None:
    placement = place_region_value("51", "2020")
    assert placement.iso is None and placement.kind == "kato" and "2018-06-19" in placement.problem
    assert place_region_value("Atlantis").problem is None  # simply unknown: nothing to explain but the name
