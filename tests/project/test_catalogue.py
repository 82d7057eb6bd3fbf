"""The indicator catalogue: the shipped file is complete, and a broken entry fails loudly and precisely."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from catalogue import DOMAINS, CatalogueError, load_catalogue, load_catalogue_file
from data_sources.snapshot import build_snapshot
from geo import REGION_CODES

VALID = {
    "id": "test_rate_per_10k",
    "name": {"en": "Test rate", "ru": "Тестовый показатель", "kk": "Сынақ көрсеткіші"},
    "domain": "health_system",
    "unit": {"en": "per 10,000", "ru": "на 10 000", "kk": "10 000 адамға"},
    "polarity": "higher_is_better",
    "value_type": "rate",
    "multiplier": 10000,
    "frequency": "annual",
    "level": "regional",
    "definition": {"en": "A test entry."},
    "source": "Test",
    "licence": "CC0",
}


def _write(tmp_path: Path, entries: list[dict]) -> Path:
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return path


def test_shipped_catalogue_loads_with_names_in_three_languages() -> None:
    catalogue = load_catalogue()
    assert len(catalogue) >= 12
    for ind in catalogue.values():
        for lang in ("en", "ru", "kk"):
            assert ind.name.get(lang, "").strip(), f"{ind.id} has no {lang} name"
            assert ind.unit.get(lang, "").strip(), f"{ind.id} has no {lang} unit"
        assert ind.definition_text("en").strip(), f"{ind.id} has no definition"
        assert ind.source and ind.licence


def test_at_least_twelve_indicators_cover_all_twenty_regions_across_the_four_domains() -> None:
    catalogue = load_catalogue()
    _sources, obs = build_snapshot(catalogue)
    regional = obs[obs["region"].isin(REGION_CODES)]
    regions_per_period = regional.groupby(["indicator_id", "period"])["region"].nunique()
    full = sorted({ind for (ind, _period), n in regions_per_period.items() if n == 20})
    assert len(full) >= 12, full
    assert {catalogue[i].domain for i in full} == set(DOMAINS)
    assert all(catalogue[i].level == "regional" for i in full)


def test_a_valid_tmp_catalogue_loads(tmp_path: Path) -> None:
    second = {**copy.deepcopy(VALID), "id": "test_count", "value_type": "count", "polarity": "none"}
    del second["multiplier"]
    catalogue = load_catalogue_file(_write(tmp_path, [VALID, second]))
    assert list(catalogue) == ["test_rate_per_10k", "test_count"]
    assert catalogue["test_rate_per_10k"].multiplier == 10000
    assert catalogue["test_rate_per_10k"].label("kk") == "Сынақ көрсеткіші"


def _broken(**changes) -> dict:
    entry = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            del entry[key]
        else:
            entry[key] = value
    return entry


@pytest.mark.parametrize(("entry", "words"), [
    (_broken(unit=None), ["test_rate_per_10k", "unit"]),
    (_broken(licence=None), ["test_rate_per_10k", "licence"]),
    (_broken(polarity="bigger_is_nicer"), ["test_rate_per_10k", "polarity", "bigger_is_nicer"]),
    (_broken(domain="wellbeing"), ["test_rate_per_10k", "domain", "wellbeing"]),
    (_broken(multiplier=None), ["test_rate_per_10k", "multiplier"]),
    (_broken(value_type="proportion", multiplier=None), ["test_rate_per_10k", "multiplier"]),
    (_broken(name={"en": "Test rate", "ru": "Тест"}), ["test_rate_per_10k", "name", "kk"]),
], ids=["missing unit", "missing licence", "bad polarity", "bad domain", "rate without multiplier",
        "proportion without multiplier", "name without kk"])
def test_broken_entry_names_the_entry_and_the_field(tmp_path: Path, entry: dict, words: list[str]) -> None:
    good = {**copy.deepcopy(VALID), "id": "first_ok"}
    with pytest.raises(CatalogueError) as err:
        load_catalogue_file(_write(tmp_path, [good, entry]))
    message = str(err.value)
    for word in words:
        assert word in message
    assert "entry 2" in message  # the position in the file, so an editor finds it


def test_duplicate_id_is_refused_naming_the_id(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="test_rate_per_10k"):
        load_catalogue_file(_write(tmp_path, [VALID, copy.deepcopy(VALID)]))
