"""Where each KPI stands: expected value on the straight path, RAG status, and a projection to the target date.

* Expected value at a date: linear from (baseline date, baseline value) to (target date, target value), held at
  the ends.
* The actual that counts: for a *snapshot* KPI the latest quarter's value; for a *cumulative* KPI the baseline
  plus the sum of the quarters so far.
* RAG: the share of the expected progress achieved, ``(actual - baseline) / (expected - baseline)``; this works
  for lower-is-better KPIs too, since both differences then are negative. ``>= green_at`` is green,
  ``>= amber_at`` amber, else red. When no progress is expected yet, holding the baseline is green.
* Projection: a least-squares line through the actuals (cumulative totals for cumulative KPIs) against the
  quarter-end dates, read at the target date (with a single actual, the line runs from the baseline through
  it). The projected share of the target change gives on track (>= on_track_at), at risk (>= at_risk_at) or
  off track. The projection is clipped to the values the KPI can take (its allowed range: no negative days, no
  share above 100 %; a running total of non-negative quarters never falls below its latest value).
* A latest actual the instance does not publish (suppressed: built from too few cases) gives no status and no
  projection ("not published"), never a status from a number the reader cannot see. A cumulative KPI's running
  total is unknown from its first suppressed quarter on.
* A pillar's status is the worst status among its KPIs with a status (red before amber before green); KPIs with
  no data or not published are counted beside it, never folded in. "All KPIs" follows the same rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from core.periods import period_end, sort_key
from kpi.framework import PILLARS, Kpi

NOT_PUBLISHED = "not published"
RAG = ("green", "amber", "red", "no data", NOT_PUBLISHED)
PROJECTION = ("on track", "at risk", "off track", "no data", NOT_PUBLISHED)


@dataclass(frozen=True)
class Thresholds:
    green_at: float = 0.95
    amber_at: float = 0.80
    on_track_at: float = 0.95
    at_risk_at: float = 0.80

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Thresholds:
        defaults = cls()  # the dataclass defaults are the one statement of the default thresholds
        return cls(**{f.name: float(section.get(f.name, getattr(defaults, f.name))) for f in fields(cls)})


@dataclass(frozen=True)
class KpiStatus:
    kpi_id: str
    as_of_quarter: str | None
    actual: float | None
    expected: float | None          # on the straight path at the end of the as-of quarter
    expected_today: float
    progress_ratio: float | None    # share of the expected progress achieved
    rag: str
    projected: float | None         # value the trend reaches at the target date
    projection: str


def expected_value(kpi: Kpi, when: date) -> float:
    span = (kpi.target_date - kpi.baseline_date).days
    share = min(max((when - kpi.baseline_date).days / span, 0.0), 1.0)
    return kpi.baseline_value + (kpi.target_value - kpi.baseline_value) * share


def series_to_count(kpi: Kpi, actuals: pd.DataFrame, up_to: str | None = None) -> pd.DataFrame:
    """Quarter, quarter-end date, the value that counts at that quarter (running total when cumulative) and
    whether it is ``suppressed`` (not published here: a missing value, or a running total built on one)."""
    df = actuals[["quarter", "value"]].copy()
    df["value"] = pd.to_numeric(df["value"], errors="coerce").astype(float)
    hidden = actuals["suppressed"].fillna(False).astype(bool) if "suppressed" in actuals \
        else pd.Series(False, index=actuals.index)
    df["suppressed"] = hidden.to_numpy(dtype=bool) | df["value"].isna().to_numpy()
    if up_to is not None:
        df = df[df["quarter"].map(sort_key) <= sort_key(up_to)]
    df = df.sort_values("quarter", key=lambda s: s.map(sort_key)).reset_index(drop=True)
    if kpi.aggregation == "cumulative":
        df["suppressed"] = df["suppressed"].cummax()
        df["value"] = kpi.baseline_value + df["value"].cumsum()
    df.loc[df["suppressed"], "value"] = np.nan
    df["date"] = df["quarter"].map(period_end)
    return df


def _rag(kpi: Kpi, actual: float, expected: float, th: Thresholds) -> tuple[float | None, str]:
    expected_change = expected - kpi.baseline_value
    if expected_change == 0:
        better_or_equal = actual <= kpi.baseline_value if kpi.lower_is_better else actual >= kpi.baseline_value
        return None, "green" if better_or_equal else "red"
    ratio = (actual - kpi.baseline_value) / expected_change
    return ratio, "green" if ratio >= th.green_at else "amber" if ratio >= th.amber_at else "red"


def project(kpi: Kpi, counted: pd.DataFrame) -> float | None:
    """Value of the least-squares trend of the counted series at the target date, clipped to the values the KPI
    can take (None without published data)."""
    if "suppressed" in counted:
        counted = counted[~counted["suppressed"]]
    if counted.empty:
        return None
    days = np.array([d.toordinal() for d in counted["date"]], dtype=float)
    values = counted["value"].to_numpy(dtype=float)
    if len(counted) == 1:
        days = np.array([kpi.baseline_date.toordinal(), days[0]], dtype=float)
        values = np.array([kpi.baseline_value, values[0]])
    slope, intercept = np.polyfit(days, values, 1)
    return clip_to_range(kpi, float(slope * kpi.target_date.toordinal() + intercept), float(values[-1]))


def clip_to_range(kpi: Kpi, value: float, latest: float) -> float:
    """``value`` held within what the KPI can reach: its allowed range (a snapshot), or for a running total of
    non-negative quarters at least ``latest``."""
    if kpi.aggregation == "cumulative":
        low = latest if kpi.min_value is not None and kpi.min_value >= 0 else None
        high = None
    else:
        low, high = kpi.min_value, kpi.max_value
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value


def kpi_status(kpi: Kpi, actuals: pd.DataFrame, as_of: str | None = None, today: date | None = None,
               thresholds: Thresholds = Thresholds()) -> KpiStatus:
    """Status of one KPI from its actuals up to the quarter ``as_of`` (all quarters when None)."""
    today = today or date.today()
    counted = series_to_count(kpi, actuals, up_to=as_of)
    if counted.empty:
        return KpiStatus(kpi.id, None, None, None, expected_value(kpi, today), None, "no data", None, "no data")
    last = counted.iloc[-1]
    if last["suppressed"]:
        return KpiStatus(kpi.id, str(last["quarter"]), None, None, expected_value(kpi, today), None, NOT_PUBLISHED,
                         None, NOT_PUBLISHED)
    expected = expected_value(kpi, last["date"])
    ratio, rag = _rag(kpi, float(last["value"]), expected, thresholds)
    projected = project(kpi, counted)
    target_change = kpi.target_value - kpi.baseline_value
    share = (projected - kpi.baseline_value) / target_change if target_change else 1.0
    projection = ("on track" if share >= thresholds.on_track_at else
                  "at risk" if share >= thresholds.at_risk_at else "off track")
    return KpiStatus(kpi.id, str(last["quarter"]), float(last["value"]), expected, expected_value(kpi, today),
                     ratio, rag, projected, projection)


def scorecard(kpis: list[Kpi], actuals_by_kpi: Mapping[str, pd.DataFrame], as_of: str | None = None,
              today: date | None = None, thresholds: Thresholds = Thresholds(), lang: str = "en") -> pd.DataFrame:
    """One row per KPI: pillar, names, baseline, latest counted actual, expected, target, RAG and projection."""
    rows = []
    for kpi in kpis:
        acts = actuals_by_kpi.get(kpi.id, pd.DataFrame(columns=["quarter", "value"]))
        st = kpi_status(kpi, acts, as_of, today, thresholds)
        counted = series_to_count(kpi, acts, up_to=as_of)
        rows.append({
            "pillar": kpi.pillar, "kpi_id": kpi.id, "kpi": kpi.name(lang), "unit": kpi.unit_label(lang),
            "direction": kpi.direction, "aggregation": kpi.aggregation, "baseline": kpi.baseline_value,
            "baseline_date": kpi.baseline_date, "latest_quarter": st.as_of_quarter, "latest_actual": st.actual,
            "expected": st.expected, "target": kpi.target_value, "target_date": kpi.target_date, "rag": st.rag,
            "progress_ratio": st.progress_ratio, "projected": st.projected, "projection": st.projection,
            "trend": counted["value"].round(4).tolist(),
            "suppressed": st.rag == NOT_PUBLISHED,
            "illustrative": kpi.illustrative or bool(acts.get("illustrative", pd.Series(dtype=bool)).any()),
        })
    return pd.DataFrame(rows)


RAG_SCORE = {"green": 1.0, "amber": 0.5, "red": 0.0}
WORST_FIRST = ("red", "amber", "green")


def rollup(card: pd.DataFrame) -> pd.DataFrame:
    """Per pillar and overall: counts of each status and the pillar's status, the worst status among its KPIs with
    a status (red before amber before green; "no data" when none has one). ``score`` (green 1, amber ½, red 0)
    is kept as a number for reports, not as the status."""
    def summarise(frame: pd.DataFrame, label: str) -> dict[str, Any]:
        counts = frame["rag"].value_counts()
        scored = frame["rag"].map(RAG_SCORE).dropna()
        rag = next((r for r in WORST_FIRST if counts.get(r, 0)), "no data")
        projections = frame["projection"].value_counts()
        return {"pillar": label, "kpis": len(frame), **{k: int(counts.get(k, 0)) for k in RAG},
                "score": float(scored.mean()) if not scored.empty else None, "rag": rag,
                **{k: int(projections.get(k, 0)) for k in ("on track", "at risk", "off track")},
                "projected": int(projections.get("on track", 0) + projections.get("at risk", 0)
                                 + projections.get("off track", 0))}
    rows = [summarise(card[card["pillar"] == p], p) for p in PILLARS if (card["pillar"] == p).any()]
    rows.append(summarise(card, "overall"))
    return pd.DataFrame(rows)
