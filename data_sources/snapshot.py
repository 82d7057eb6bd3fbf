"""The embedded default data: real reference figures, rates derived from them, and labelled illustrative series.

Reads only files inside the repository (``data/reference``). The result is two frames, ``sources`` and
``observations``, in the store's schema; ``data_sources.seed`` writes them into an empty store on first run.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from catalogue import Catalogue, load_catalogue
from core import provenance_text as texts
from core.paths import REFERENCE_DIR
from data_sources.illustrative import illustrative_observations
from data_sources.national_sums import national_sums, published_rate_notes
from data_sources.provenance import (
    DERIVED_SOURCE,
    ILLUSTRATIVE_SOURCE,
    SNAPSHOT_AS_OF,
    licence_for,
    publisher_for,
    source_id_for,
)

REFERENCE_FILES = ("kz_regional_indicators.csv", "kz_national_indicators.csv", "kz_regional_screening_capacity.csv")
KEY = ["indicator_id", "region", "period"]


def read_reference() -> pd.DataFrame:
    frames = [pd.read_csv(REFERENCE_DIR / name, dtype={"year": str}) for name in REFERENCE_FILES]
    return pd.concat(frames, ignore_index=True)


def _reference_observations(ref: pd.DataFrame, catalogue: Catalogue) -> pd.DataFrame:
    quarterly = {i for i, ind in catalogue.items() if ind.frequency == "quarterly"}
    obs = pd.DataFrame({
        "indicator_id": ref["indicator_id"],
        "region": ref["iso_code"],
        "period": ref["year"].astype(str),
        "value": ref["value"].astype(float),
        "source_id": ref["source_url"].map(source_id_for),
        "note": ref["notes"].where(ref["notes"].notna(), None),
    })
    # A calendar-year figure of a rolling four-quarter indicator is its fourth-quarter value.
    is_q = obs["indicator_id"].isin(quarterly)
    obs.loc[is_q, "period"] = obs.loc[is_q, "period"] + "Q4"
    obs.loc[is_q, "note"] = obs.loc[is_q, "note"].fillna("").str.cat(
        [texts.CALENDAR_YEAR_NOTE] * int(is_q.sum()), sep=" ").str.strip()
    obs["synthetic"] = False
    obs["derived"] = False
    return obs


def _value(obs: pd.DataFrame, indicator: str, period: str) -> pd.Series:
    sel = obs[(obs.indicator_id == indicator) & (obs.period == period)]
    return sel.set_index("region")["value"]


def _ratio_rows(obs: pd.DataFrame, indicator: str, period: str, num: tuple[str, str], den: tuple[str, str],
                multiplier: float, keep_published: bool = True) -> pd.DataFrame:
    """Rows of ``indicator`` = numerator series / denominator series × multiplier, for every region with both."""
    numerator, denominator = _value(obs, *num), _value(obs, *den)
    common = numerator.index.intersection(denominator.index)
    if keep_published:
        published = set(_value(obs, indicator, period).index)
        common = [c for c in common if c not in published]
    rows = [{
        "indicator_id": indicator, "region": code, "period": period,
        "value": numerator[code] / denominator[code] * multiplier,
        "numerator": float(numerator[code]), "denominator": float(denominator[code]),
        "source_id": DERIVED_SOURCE["id"], "synthetic": False, "derived": True,
        "note": texts.DERIVED_NOTE.format(numerator=f"{num[0]} {num[1]}", denominator=f"{den[0]} {den[1]}",
                                          multiplier=f"{multiplier:,.0f}"),
    } for code in common]
    return pd.DataFrame(rows)


def derived_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """Rates computed from two real series; the published rate wins where BNS published one."""
    frames = [
        _ratio_rows(obs, "physicians_per_10k", "2022", ("physicians_count", "2022"), ("population_total", "2023"),
                    1e4),
        _ratio_rows(obs, "hospital_organisations_per_100k", "2022", ("hospital_organisations_count", "2022"),
                    ("population_total", "2023"), 1e5),
        _ratio_rows(obs, "hospital_beds_per_10k", "2023", ("hospital_beds_count", "2023"),
                    ("population_total", "2023"), 1e4),
        _ratio_rows(obs, "ct_units_per_million", "2025", ("ct_scanners_count", "2025"), ("population_total", "2023"),
                    1e6),
        _ratio_rows(obs, "mri_units_per_million", "2025", ("mri_units_count", "2025"), ("population_total", "2023"),
                    1e6),
    ]
    national_beds = obs[obs.indicator_id == "hospital_beds_per_10k_national_stat"].copy()
    national_beds["indicator_id"] = "hospital_beds_per_10k"
    national_beds["derived"] = True
    national_beds["note"] = texts.SAME_FIGURE_NOTE.format(indicator="hospital_beds_per_10k_national_stat")
    frames.append(national_beds)
    return pd.concat([f for f in frames if not f.empty], ignore_index=True)


def _sources(ref: pd.DataFrame) -> pd.DataFrame:
    firsts = ref.drop_duplicates("source_url")
    as_of = datetime.fromisoformat(SNAPSHOT_AS_OF)
    rows = [{
        "id": source_id_for(url), "title": title, "publisher": publisher_for(url), "url": url,
        "licence": licence_for(url), "kind": "snapshot",
    } for url, title in zip(firsts["source_url"], firsts["source_title"], strict=True)]
    rows += [dict(ILLUSTRATIVE_SOURCE), dict(DERIVED_SOURCE)]
    df = pd.DataFrame(rows)
    df["as_of"] = as_of
    df["last_attempt_at"] = as_of
    df["last_status"] = "ok"
    df["last_error"] = None
    return df


def build_snapshot(catalogue: Catalogue | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sources, observations) of the embedded default data; real rows take precedence over illustrative ones."""
    catalogue = catalogue or load_catalogue()
    ref = read_reference()
    real = _reference_observations(ref, catalogue)
    real = real.drop_duplicates(KEY, keep="first")
    derived = derived_observations(real)
    real = published_rate_notes(real, "physicians_per_10k", "2022", ("physicians_count", "2022"),
                                ("population_total", "2023"), 1e4, catalogue["physicians_per_10k"].decimals)
    population = _value(real, "population_total", "2023")
    female = _value(real, "population_female", "2023")
    illustrative = illustrative_observations(population, female)
    illustrative["source_id"] = ILLUSTRATIVE_SOURCE["id"]
    obs = pd.concat([real, derived, illustrative], ignore_index=True).drop_duplicates(KEY, keep="first")
    for col in ("numerator", "denominator"):
        if col not in obs:
            obs[col] = None
    obs = national_sums(obs, illustrative, catalogue)
    obs["retrieved_at"] = datetime.fromisoformat(SNAPSHOT_AS_OF)
    for col in ("numerator", "denominator", "ci_lower", "ci_upper"):
        if col not in obs:
            obs[col] = None
    obs = obs.astype({"synthetic": bool, "derived": bool})
    unknown = set(obs["indicator_id"]) - set(catalogue)
    if unknown:
        raise ValueError(f"snapshot rows name indicators missing from the catalogue: {', '.join(sorted(unknown))}")
    return _sources(ref), obs.sort_values(KEY, ignore_index=True)
