"""The healthcare resilience index: a transparent composite of regional indicators, after the OECD/JRC Handbook
on Constructing Composite Indicators (2008).

Steps (each one visible on the Resilience index page):
1. Selection: indicators grouped into four domains (``DEFAULT_DOMAINS``), each at its latest period with
   regional values.
2. Normalisation, polarity-aware so that a higher score is always better: min–max to 0–100
   (``(x − min)/(max − min) × 100``, or ``(max − x)/(max − min) × 100`` where lower is better) or z-scores
   (``(x − mean)/sd``, sign flipped where lower is better).
3. Domain score: the unweighted mean of the normalised indicators of the domain that the region reports.
4. Aggregation: the weighted arithmetic mean of the domain scores (default weights equal, ``DEFAULT_WEIGHTS``);
   a region missing a whole domain is scored on the domains it has, weights renormalised, and flagged.
5. Sensitivity: ranks recomputed under random weights (Dirichlet(1, …, 1), i.e. uniform over all weightings),
   under each domain left out, and under the other normalisation; the spread of ranks shows how much a
   region's place depends on those choices.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analytics.ranking import latest_period
from core.i18n import N_

NATIONAL = "KZ"
DEFAULT_DOMAINS: dict[str, tuple[str, ...]] = {
    "screening": ("breast_cancer_screening_coverage_pct", "cervical_cancer_screening_coverage_pct",
                  "colorectal_cancer_screening_coverage_pct"),
    "diagnostics": ("ct_units_per_million", "mri_units_per_million", "mammographs_per_100k_women_40_70",
                    "hospital_beds_per_10k"),
    "workforce": ("physicians_per_10k",),
    "outcomes": ("life_expectancy_years", "cancer_mortality_per_100k"),
}
DOMAIN_LABELS: dict[str, str] = {
    "screening": N_("Screening coverage"), "diagnostics": N_("Diagnostic capacity"), "workforce": N_("Workforce"),
    "outcomes": N_("Health outcomes"),
}
DEFAULT_WEIGHTS: dict[str, float] = dict.fromkeys(DEFAULT_DOMAINS, 1.0)
NORMALISATIONS: tuple[str, ...] = ("minmax", "zscore")


def indicator_table(obs: pd.DataFrame, indicator_ids: Sequence[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Regions × indicators at each indicator's latest period with regional data; also the periods used."""
    columns, used = {}, {}
    regional = obs[(obs["region"] != NATIONAL) & obs["indicator_id"].isin(indicator_ids)]
    for ind in indicator_ids:
        rows = regional[(regional["indicator_id"] == ind) & regional["value"].notna()]
        period = latest_period(rows["period"])
        if period is None:
            continue
        used[ind] = period
        columns[ind] = rows[rows["period"] == period].set_index("region")["value"].astype(float)
    return pd.DataFrame(columns), used


def normalise(values: pd.Series, polarity: str, method: str = "minmax") -> pd.Series:
    """Polarity-aware normalisation: higher is always better afterwards."""
    x = values.astype(float)
    sign = -1.0 if polarity == "lower_is_better" else 1.0
    if method == "minmax":
        lo, hi = x.min(), x.max()
        if not np.isfinite(hi - lo) or hi == lo:
            return pd.Series(np.where(x.notna(), 50.0, np.nan), index=x.index)
        scaled = (x - lo) / (hi - lo) * 100
        return scaled if sign > 0 else 100 - scaled
    if method == "zscore":
        sd = x.std(ddof=0)
        if not np.isfinite(sd) or sd == 0:
            return pd.Series(np.where(x.notna(), 0.0, np.nan), index=x.index)
        return sign * (x - x.mean()) / sd
    raise ValueError(f"normalisation must be one of {', '.join(NORMALISATIONS)}, not {method!r}")


def domain_scores(table: pd.DataFrame, polarities: Mapping[str, str], domains: Mapping[str, Sequence[str]],
                  method: str = "minmax") -> pd.DataFrame:
    """Regions × domains: mean of the normalised indicators of each domain."""
    normalised = pd.DataFrame({c: normalise(table[c], polarities.get(c, "none"), method) for c in table.columns})
    out = {}
    for domain, members in domains.items():
        present = [m for m in members if m in normalised]
        if present:
            out[domain] = normalised[present].mean(axis=1, skipna=True)
    return pd.DataFrame(out, index=table.index)


def composite(scores: pd.DataFrame, weights: Mapping[str, float]) -> pd.Series:
    """Weighted mean of the domain scores per region; weights renormalised over the domains a region has."""
    w = pd.Series({d: float(weights.get(d, 0.0)) for d in scores.columns})
    present = scores.notna()
    weight_sum = present.mul(w, axis=1).sum(axis=1)
    total = scores.fillna(0.0).mul(w, axis=1).sum(axis=1)
    return (total / weight_sum).where(weight_sum > 0)


def ranks(index: pd.Series) -> pd.Series:
    """Rank 1 = highest index; ties share the best rank."""
    return index.rank(ascending=False, method="min").astype("Int64")


def compute_index(table: pd.DataFrame, polarities: Mapping[str, str], domains: Mapping[str, Sequence[str]],
                  weights: Mapping[str, float], method: str = "minmax") -> pd.DataFrame:
    """Per region: the domain scores, the index, its rank, and how many domains it is scored on."""
    scores = domain_scores(table, polarities, domains, method)
    out = scores.copy()
    out["index"] = composite(scores, weights)
    out["rank"] = ranks(out["index"])
    out["domains_used"] = scores.notna().sum(axis=1)
    return out.sort_values(["rank"], na_position="last")


def sensitivity(table: pd.DataFrame, polarities: Mapping[str, str], domains: Mapping[str, Sequence[str]],
                weights: Mapping[str, float], method: str = "minmax", draws: int = 500, seed: int = 2008
                ) -> pd.DataFrame:
    """Rank of each region under the chosen weights, random Dirichlet weights, each domain left out, and the
    other normalisation: the min, 5th percentile, median, 95th percentile and max rank per region."""
    scores = domain_scores(table, polarities, domains, method)
    names = list(scores.columns)
    runs = []
    rng = np.random.default_rng(seed)
    for w in rng.dirichlet(np.ones(len(names)), size=draws):
        runs.append(ranks(composite(scores, dict(zip(names, w, strict=True)))))
    if len(names) > 1:
        for left_out in names:
            runs.append(ranks(composite(scores, {d: (0.0 if d == left_out else weights.get(d, 1.0))
                                                 for d in names})))
    other = "zscore" if method == "minmax" else "minmax"
    runs.append(ranks(composite(domain_scores(table, polarities, domains, other), weights)))
    all_ranks = pd.concat(runs, axis=1).astype(float)
    chosen = ranks(composite(scores, weights))
    out = pd.DataFrame({
        "rank": chosen,
        "rank_min": all_ranks.min(axis=1), "rank_p05": all_ranks.quantile(0.05, axis=1),
        "rank_median": all_ranks.median(axis=1), "rank_p95": all_ranks.quantile(0.95, axis=1),
        "rank_max": all_ranks.max(axis=1),
    })
    return out.sort_values("rank", na_position="last")


def synthetic_flags(obs: pd.DataFrame, periods_used: Mapping[str, str]) -> pd.DataFrame:
    """Regions × indicators: whether the value the index uses is illustrative (same shape as ``indicator_table``)."""
    columns = {}
    regional = obs[obs["region"] != NATIONAL]
    for ind, period in periods_used.items():
        rows = regional[(regional["indicator_id"] == ind) & (regional["period"] == period) & regional["value"].notna()]
        columns[ind] = rows.set_index("region")["synthetic"].astype(bool)
    return pd.DataFrame(columns)


def index_illustrative(table: pd.DataFrame, flags: pd.DataFrame, domains: Mapping[str, Sequence[str]],
                       weights: Mapping[str, float]) -> pd.Series:
    """Per region, whether its index (and rank) is illustrative: it rests on an illustrative value of its own, or on
    any illustrative value of the indicators weighed at all, since every score is scaled against the other regions'
    values (illustrative is contagious)."""
    share = illustrative_share(table, flags, domains, weights)
    weighted = [i for d, members in domains.items() if weights.get(d, 0) > 0 for i in members if i in flags]
    anywhere = bool(flags[weighted].fillna(False).astype(bool).to_numpy().any()) if weighted else False
    return (share > 0) | anywhere


def illustrative_share(table: pd.DataFrame, flags: pd.DataFrame, domains: Mapping[str, Sequence[str]],
                       weights: Mapping[str, float]) -> pd.Series:
    """Per region, the share (0–1) of its index, by weight, that rests on illustrative values: each domain weighs
    its weight (renormalised over the domains the region has), split equally over the indicators it reports."""
    share = pd.Series(0.0, index=table.index)
    total = pd.Series(0.0, index=table.index)
    for domain, members in domains.items():
        present = [m for m in members if m in table]
        w = float(weights.get(domain, 0.0))
        if not present or w <= 0:
            continue
        reported = table[present].notna()
        count = reported.sum(axis=1)
        has = count > 0
        flagged = flags.reindex(index=table.index, columns=present).fillna(False).astype(bool)
        synthetic = (reported & flagged).sum(axis=1)
        share += (w * synthetic / count.where(has, 1)).where(has, 0.0)
        total += w * has
    return (share / total.where(total > 0)).fillna(0.0)
