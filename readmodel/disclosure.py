"""What the public instance redacts, beyond the small-number rule itself (``analytics.suppression``):

* counts implied by a value and its denominator (0.01594 % of 18,819 people = 3 people; 0.07 % of 5,555 = 4 people
  whatever the rounding) are suppressed like stored numerators, and so are complements (12 of 15 screened: 3 not
  screened) and statistics over a small denominator (a median over 1 person); small denominators are hidden;
* sources supplied through the upload page are named by the organisation (``[privacy] organisation``) or as
  "Uploaded data", never by the person who uploaded them;
* a failed refresh shows only "failed: HTTP 502 at <time>", never the upstream reply or a mirror URL;
* the revision history hides who changed a value, old notes, and every old or new value of a cell that is (or was)
  small or whose change counts fewer than ``min_count`` people (a national total going up by 2).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readmodel.policy import UPLOADED_DATA, ReadPolicy

_HTTP_STATUS = re.compile(r"\bHTTP (\d{3})\b")
_UPLOAD_LICENCE = "Supplied to Densaulyq by the data owner; terms as agreed with the data owner"
_EPS = 1e-9


def _decimals(value: float) -> int:
    """Decimals the stored value is given to (its shortest exact form: 0.07 -> 2, 4.0 -> 0, 1e-05 -> 5)."""
    text = repr(float(value))
    mantissa, _sep, exponent = text.partition("e")
    places = len(mantissa.partition(".")[2].rstrip("0"))
    return max(places - int(exponent or 0), 0)


def implied_count_range(obs: pd.DataFrame, policy: ReadPolicy) -> tuple[pd.Series, pd.Series]:
    """(smallest, largest) number of people a rate or proportion and its denominator allow, given the value's
    rounding: 0.07 % of 5,555 is anything in [0.065, 0.075) %, i.e. 3.6 … 4.2 people, so exactly 4. NaN where the
    row has no denominator or the indicator no multiplier."""
    empty = pd.Series(np.nan, index=obs.index, dtype=float)
    if obs.empty or "denominator" not in obs:
        return empty, empty.copy()
    multiplier = obs["indicator_id"].map(policy.multiplier).astype(float)
    value = pd.to_numeric(obs["value"], errors="coerce")
    denominator = pd.to_numeric(obs["denominator"], errors="coerce")
    half = value.map(lambda v: 0.5 * 10.0 ** -_decimals(v) if pd.notna(v) else np.nan)
    low = ((value - half).clip(lower=0) * denominator / multiplier)
    high = ((value + half) * denominator / multiplier).clip(upper=denominator)
    return np.ceil(low - _EPS), np.floor(high + _EPS)


def disclosure_counts(obs: pd.DataFrame, policy: ReadPolicy) -> pd.Series:
    """The smallest number of people a row lets a reader count, for the small-number rule:

    * its numerator (a count indicator: its value), or, without one, the fewest people its value and denominator
      allow whatever the rounding;
    * for a share of people (a proportion), the complement too: denominator − numerator (those not screened);
    * its denominator: a median, mean or share over fewer than ``min_count`` people describes them.
    NaN where the row reveals no count."""
    numerator = pd.to_numeric(obs["numerator"], errors="coerce") if "numerator" in obs \
        else pd.Series(np.nan, index=obs.index, dtype=float)
    denominator = pd.to_numeric(obs["denominator"], errors="coerce") if "denominator" in obs \
        else pd.Series(np.nan, index=obs.index, dtype=float)
    is_count = obs["indicator_id"].isin(policy.count_indicators)
    low, high = implied_count_range(obs, policy)
    count = numerator.where(numerator.notna(), pd.to_numeric(obs["value"], errors="coerce").where(is_count))
    count = count.where(count.notna(), low)
    most = numerator.where(numerator.notna(), high)
    complement = (denominator - most).where(obs["indicator_id"].isin(policy.proportions))
    return pd.concat([count, complement, denominator], axis=1).min(axis=1, skipna=True)


def with_disclosure_counts(obs: pd.DataFrame, policy: ReadPolicy) -> tuple[pd.DataFrame, pd.Series]:
    """``obs`` with its ``numerator`` replaced by :func:`disclosure_counts` (what the suppression rule reads), and
    the stored numerators, to be put back (unsuppressed rows) afterwards."""
    out = obs.copy()
    stored = pd.to_numeric(out["numerator"], errors="coerce") if "numerator" in out \
        else pd.Series(np.nan, index=out.index, dtype=float)
    out["numerator"] = disclosure_counts(out, policy)
    return out, stored


def redact_error(last_error: str | None, attempted_at) -> str:
    """'failed: HTTP 502 at 2026-11-26 10:00 UTC' (or without the status): no upstream text, no URL."""
    match = _HTTP_STATUS.search(last_error or "")
    when = pd.Timestamp(attempted_at) if attempted_at is not None and pd.notna(attempted_at) else None
    if when is not None:
        when = when.tz_localize("UTC") if when.tzinfo is None else when.tz_convert("UTC")
    text = "failed" + (f": HTTP {match.group(1)}" if match else "")
    return text + (f" at {when:%Y-%m-%d %H:%M} UTC" if when is not None else "")


def public_sources(srcs: pd.DataFrame, policy: ReadPolicy) -> pd.DataFrame:
    """Sources as the public instance names them: uploads by organisation, errors reduced to status and time."""
    out = srcs.copy()
    if out.empty:
        return out
    upload = out["kind"] == "upload"
    name = policy.organisation or UPLOADED_DATA
    out.loc[upload, "title"] = name
    out.loc[upload, "publisher"] = name
    out.loc[upload, "licence"] = _UPLOAD_LICENCE
    out.loc[upload, "url"] = None
    failed = out["last_status"] == "failed"
    out["last_error"] = [redact_error(err, at) if bad else None
                         for err, at, bad in zip(out["last_error"], out["last_attempt_at"], failed, strict=True)]
    return out


def _small(count: pd.Series, policy: ReadPolicy) -> pd.Series:
    return count.notna() & (count < policy.min_count)


def _point_counts(frame: pd.DataFrame, policy: ReadPolicy) -> pd.Series:
    """The number of people a row counts, as exactly as it tells: its numerator, a count's value, or value ×
    denominator / multiplier."""
    numerator = pd.to_numeric(frame["numerator"], errors="coerce")
    value = pd.to_numeric(frame["value"], errors="coerce")
    multiplier = frame["indicator_id"].map(policy.multiplier).astype(float)
    implied = value * pd.to_numeric(frame["denominator"], errors="coerce") / multiplier
    counted = value.where(frame["indicator_id"].isin(policy.count_indicators), implied)
    return numerator.where(numerator.notna(), counted)


def _new_side(history: pd.DataFrame, raw_current: pd.DataFrame) -> pd.DataFrame:
    """Numerator and denominator after each revision: the next revision's old ones, or today's for the newest."""
    key = ["indicator_id", "region", "period"]
    ordered = history.assign(_pos=np.arange(len(history))).sort_values(["changed_at", "id", "_pos"]
                                                                       if "id" in history else ["changed_at", "_pos"])
    group = ordered.groupby(key, sort=False)
    nxt = pd.DataFrame({"numerator": group["old_numerator"].shift(-1),
                        "denominator": group["old_denominator"].shift(-1)})
    newest = group.cumcount(ascending=False).eq(0)
    today = ordered[key].merge(raw_current.drop_duplicates(key)[[*key, "numerator", "denominator"]], on=key,
                               how="left").set_index(ordered.index)
    for col in ("numerator", "denominator"):
        nxt[col] = pd.to_numeric(nxt[col], errors="coerce").where(~newest, pd.to_numeric(today[col], errors="coerce"))
    return nxt.loc[history.index]


def public_revisions(history: pd.DataFrame, current: pd.DataFrame, policy: ReadPolicy,
                     raw_current: pd.DataFrame | None = None) -> pd.DataFrame:
    """The revision history as the public pages may show it.

    ``current``: the suppressed public observations of the same cells; ``raw_current``: the stored ones (today's
    numerators and denominators, the new side of the newest revision). A revision's old and new values are blanked
    when the cell is suppressed today, when the old or new value itself revealed a small count (as
    :func:`disclosure_counts` reads one: numerator, implied count, complement, denominator), or when the change
    counts fewer than ``min_count`` people (a national total 100 -> 102 gives away a suppressed region's 4 -> 6).
    Who changed it, old notes and the old numerator are never shown; an old denominator only when not small."""
    out = history.drop(columns=["changed_by", "old_numerator", "old_note"], errors="ignore").copy()
    if out.empty:
        return out.assign(suppressed=pd.Series(dtype=bool))
    key = ["indicator_id", "region", "period"]
    suppressed_now = out[key].merge(current.loc[current["suppressed"], key].drop_duplicates().assign(_s=True),
                                    on=key, how="left")["_s"].fillna(False).astype(bool).to_numpy()
    exempt = out["indicator_id"].isin(policy.exempt_indicators).to_numpy()
    raw = raw_current if raw_current is not None else current
    after = _new_side(history, raw)
    old = pd.DataFrame({"indicator_id": history["indicator_id"], "value": history["old_value"],
                        "numerator": history["old_numerator"], "denominator": pd.to_numeric(
                            history["old_denominator"], errors="coerce").fillna(after["denominator"])})
    new = pd.DataFrame({"indicator_id": history["indicator_id"], "value": history["new_value"],
                        "numerator": after["numerator"], "denominator": after["denominator"]})
    changes = [(_point_counts(new, policy) - _point_counts(old, policy)).abs().round(),
               (new["denominator"] - old["denominator"]).abs().round()]
    small_change = np.logical_or.reduce([(d > 0) & (d < policy.min_count) for d in changes])
    hide = (suppressed_now | _small(disclosure_counts(old, policy), policy).to_numpy()
            | _small(disclosure_counts(new, policy), policy).to_numpy() | np.asarray(small_change)) & ~exempt
    out["suppressed"] = hide
    for col in ("old_value", "new_value"):
        out[col] = pd.to_numeric(out[col], errors="coerce").where(~hide)
    if "old_denominator" in out:
        den = pd.to_numeric(out["old_denominator"], errors="coerce")
        out["old_denominator"] = den.where(~(hide | (_small(den, policy).to_numpy() & ~exempt)))
    return out
