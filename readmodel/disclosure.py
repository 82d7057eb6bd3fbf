"""What the public instance redacts, beyond the small-number rule itself (``analytics.suppression``):

* counts implied by a value and its denominator (0.01594 % of 18,819 people = 3 people) are suppressed like
  stored numerators;
* sources supplied through the upload page are named by the organisation (``[privacy] organisation``) or as
  "Uploaded data", never by the person who uploaded them;
* a failed refresh shows only "failed: HTTP 502 at <time>", never the upstream reply or a mirror URL;
* the revision history hides who changed a value and every old or new value of a cell that is (or was) small.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from readmodel.policy import UPLOADED_DATA, ReadPolicy

_WHOLE_TOLERANCE = 0.05  # how close value × denominator / multiplier must come to a whole number to imply a count
_HTTP_STATUS = re.compile(r"\bHTTP (\d{3})\b")
_UPLOAD_LICENCE = "Supplied to Densaulyq by the data owner; terms as agreed with the data owner"


def implied_counts(obs: pd.DataFrame, policy: ReadPolicy) -> pd.Series:
    """The count a row reveals where it stores none: value × denominator / multiplier when that is (nearly) a
    whole number of people; NaN elsewhere."""
    if obs.empty or "denominator" not in obs:
        return pd.Series(np.nan, index=obs.index, dtype=float)
    multiplier = obs["indicator_id"].map(policy.multiplier).astype(float)
    value = pd.to_numeric(obs["value"], errors="coerce")
    denominator = pd.to_numeric(obs["denominator"], errors="coerce")
    implied = value * denominator / multiplier
    whole = (implied - implied.round()).abs() <= _WHOLE_TOLERANCE
    return implied.round().where(whole & implied.notna())


def with_implied_numerators(obs: pd.DataFrame, policy: ReadPolicy) -> tuple[pd.DataFrame, pd.Series]:
    """``obs`` with implied counts filled into missing numerators (for the suppression rule) and the mask of rows
    filled, so the caller can blank them again afterwards."""
    out = obs.copy()
    numerator = pd.to_numeric(out["numerator"], errors="coerce") if "numerator" in out \
        else pd.Series(np.nan, index=out.index, dtype=float)
    implied = implied_counts(out, policy)
    filled = numerator.isna() & implied.notna()
    out["numerator"] = numerator.where(~filled, implied)
    return out, filled


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


def public_revisions(history: pd.DataFrame, current: pd.DataFrame, policy: ReadPolicy) -> pd.DataFrame:
    """The revision history as the public pages may show it.

    ``current``: the suppressed public observations of the same cells. A revision's old and new values are
    blanked when the cell is suppressed today, or when the old or new value itself implied a small count (its
    numerator, a count indicator's value, or value × denominator / multiplier). Who changed it and the old
    numerator are never shown."""
    out = history.drop(columns=["changed_by", "old_numerator"], errors="ignore").copy()
    if out.empty:
        return out.assign(suppressed=pd.Series(dtype=bool))
    key = ["indicator_id", "region", "period"]
    suppressed_now = out[key].merge(current.loc[current["suppressed"], key].drop_duplicates().assign(_s=True),
                                    on=key, how="left")["_s"].fillna(False).astype(bool).to_numpy()
    exempt = out["indicator_id"].isin(policy.exempt_indicators).to_numpy()
    denominators = current.drop_duplicates(key).set_index(key)["denominator"] if "denominator" in current \
        else pd.Series(dtype=float)
    denominator_now = pd.Series([denominators.get(tuple(k), np.nan) for k in out[key].itertuples(index=False)],
                                index=out.index, dtype=float)
    is_count = out["indicator_id"].isin(policy.count_indicators)
    old_den = pd.to_numeric(history["old_denominator"], errors="coerce").fillna(denominator_now)
    old = pd.DataFrame({"indicator_id": out["indicator_id"], "value": history["old_value"], "denominator": old_den})
    new = pd.DataFrame({"indicator_id": out["indicator_id"], "value": history["new_value"],
                        "denominator": denominator_now})
    old_count = pd.to_numeric(history["old_numerator"], errors="coerce")
    old_count = old_count.fillna(implied_counts(old, policy)).where(~is_count, pd.to_numeric(old["value"]))
    new_count = implied_counts(new, policy).where(~is_count, pd.to_numeric(new["value"]))
    hide = (suppressed_now | _small(old_count, policy).to_numpy() | _small(new_count, policy).to_numpy()) & ~exempt
    out["suppressed"] = hide
    for col in ("old_value", "new_value"):
        out[col] = pd.to_numeric(out[col], errors="coerce").where(~hide)
    return out
