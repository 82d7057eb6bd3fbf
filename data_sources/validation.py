"""The schema every incoming frame passes before it reaches the store (pandera).

Two stages, so each message says one clear thing:

1. *shape*: known indicator ids (the catalogue), known region codes (20 units + ``KZ``), period format, numbers
   that are numbers;
2. *meaning*, on the rows that passed stage 1: ranges per unit (a percentage within 0–100, rates and counts
   non-negative), numerator ≤ denominator, value = numerator / denominator × multiplier, national-only
   indicators given for ``KZ`` only, quarterly indicators with quarterly periods, and no duplicate keys.

Each problem becomes an :class:`Issue` naming the file (or API reply), the row, the column and the reason.
The frame's ``_row`` column, when present, holds the row number the user sees in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from catalogue import Catalogue, load_catalogue
from core import periods
from core.i18n import N_, Message
from geo import NATIONAL_CODE, REGION_CODES

KEY = ["indicator_id", "region", "period"]
PERIOD_ERROR = "period must look like 2024 or 2024Q3"
NUMERIC = ["value", "numerator", "denominator", "ci_lower", "ci_upper"]
PERIOD_PATTERN = periods.PERIOD_PATTERN  # a year 1900–2099 or a quarter of one: what the app can place on an axis
_VALUE_TOLERANCE = 0.01  # relative gap allowed between value and numerator / denominator × multiplier (rounding)


@dataclass(frozen=True)
class Issue:
    """One reason a row (or a whole file, when ``row`` is None) cannot be imported."""

    origin: str
    row: int | None
    column: str | None
    reason: str

    def __str__(self) -> str:
        where = [self.origin]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}"


@dataclass
class ValidationReport:
    valid: pd.DataFrame
    issues: list[Issue] = field(default_factory=list)
    rejected_rows: list[int] = field(default_factory=list)  # file row numbers of the rows left out

    @property
    def ok(self) -> bool:
        return not self.issues


def _shape_schema(catalogue: Catalogue) -> pa.DataFrameSchema:
    optional = {c: pa.Column(float, nullable=True, coerce=True, required=False) for c in NUMERIC[1:]}
    return pa.DataFrameSchema({
        "indicator_id": pa.Column(str, pa.Check.isin(list(catalogue), error="unknown indicator id"),
                                  nullable=False, coerce=True),
        "region": pa.Column(str, pa.Check.isin([*REGION_CODES, NATIONAL_CODE], error="unknown region code"),
                            nullable=False, coerce=True),
        "period": pa.Column(str, pa.Check.str_matches(PERIOD_PATTERN, error=PERIOD_ERROR),
                            nullable=False, coerce=True),
        "value": pa.Column(float, nullable=False, coerce=True),
        **optional,
    })


def _multiplier(df: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    return df["indicator_id"].map(lambda i: catalogue[i].multiplier or 1.0).astype(float)


def _value_type(df: pd.DataFrame, catalogue: Catalogue) -> pd.Series:
    return df["indicator_id"].map(lambda i: catalogue[i].value_type)


def _col(df: pd.DataFrame, name: str) -> pd.Series:
    return df[name].astype(float) if name in df else pd.Series(float("nan"), index=df.index)


# name -> (column the reason is about, row test, reason for a failing row)
RowRule = tuple[str, Callable[[pd.DataFrame, Catalogue], pd.Series], Callable[[pd.Series, Catalogue], str]]


def _rules() -> dict[str, RowRule]:
    def pct_ok(df, cat):
        is_share = _value_type(df, cat) == "proportion"
        return ~is_share | df["value"].between(0, _multiplier(df, cat))

    def pct_reason(row, cat):
        top = cat[row["indicator_id"]].multiplier or 1
        if top == 100:
            return Message(N_("{value} is outside 0–{top} for a percentage"), value=f"{row['value']:g}", top="100")
        return Message(N_("{value} is outside 0–{top} for a proportion per {top}"), value=f"{row['value']:g}",
                       top=f"{top:,.0f}")

    def nonneg_ok(df, _cat):
        return df["value"] >= 0

    def nonneg_reason(row, cat):
        return Message(N_("{value} is negative; a {value_type} cannot be below 0"), value=f"{row['value']:g}",
                       value_type=cat[row["indicator_id"]].value_type)

    def parts_ok(_df, _cat):
        return pd.Series(True, index=_df.index) if "numerator" not in _df else \
            (_col(_df, "numerator").fillna(0) >= 0) & (_col(_df, "denominator").fillna(1) > 0)

    def parts_reason(row, _cat):
        return Message(N_("numerator must be 0 or more and denominator above 0"))

    def num_den_ok(df, _cat):
        return ~(_col(df, "numerator") > _col(df, "denominator"))

    def num_den_reason(row, _cat):
        return Message(N_("numerator {numerator} is larger than denominator {denominator}"),
                       numerator=f"{row['numerator']:g}", denominator=f"{row['denominator']:g}")

    def consistent_ok(df, cat):
        expected = _col(df, "numerator") / _col(df, "denominator") * _multiplier(df, cat)
        gap = (df["value"] - expected).abs()
        return expected.isna() | (gap <= _VALUE_TOLERANCE * expected.abs().clip(lower=1e-9) + 1e-9)

    def consistent_reason(row, cat):
        mult = cat[row["indicator_id"]].multiplier or 1
        expected = row["numerator"] / row["denominator"] * mult
        return Message(N_("value {value} does not match numerator / denominator × {multiplier} = {expected}"),
                       value=f"{row['value']:g}", multiplier=f"{mult:,.0f}", expected=f"{expected:g}")

    def ci_ok(df, _cat):
        low, high = _col(df, "ci_lower"), _col(df, "ci_upper")
        return ~((low > df["value"]) | (high < df["value"]))

    def ci_reason(row, _cat):
        return Message(N_("confidence interval [{lower}, {upper}] does not contain {value}"),
                       lower=row.get("ci_lower"), upper=row.get("ci_upper"), value=f"{row['value']:g}")

    def level_ok(df, cat):
        national = df["indicator_id"].map(lambda i: cat[i].level == "national")
        return ~national | (df["region"] == NATIONAL_CODE)

    def level_reason(row, _cat):
        return Message(N_("{indicator} is a national indicator; only the Kazakhstan total (KZ) is accepted"),
                       indicator=row["indicator_id"])

    def frequency_ok(df, cat):
        quarterly = df["indicator_id"].map(lambda i: cat[i].frequency == "quarterly")
        has_quarter = df["period"].str.contains("Q")
        return quarterly == has_quarter

    def frequency_reason(row, cat):
        if cat[row["indicator_id"]].frequency == "quarterly":
            return Message(N_("{indicator} is quarterly; period {period} should look like 2024Q3"),
                           indicator=row["indicator_id"], period=repr(row["period"]))
        return Message(N_("{indicator} is annual; period {period} should look like 2024"),
                       indicator=row["indicator_id"], period=repr(row["period"]))

    def whole_ok(df, cat):
        is_count = _value_type(df, cat) == "count"
        value_whole = ~is_count | (df["value"] % 1 == 0)
        numerator = _col(df, "numerator")
        return value_whole & (numerator.isna() | (numerator % 1 == 0))

    def whole_reason(row, cat):
        if cat[row["indicator_id"]].value_type == "count" and row["value"] % 1:
            return Message(N_("{value} is not a whole number; {indicator} is a count (check the decimal and "
                              "thousands separators)"), value=f"{row['value']:g}", indicator=row["indicator_id"])
        return Message(N_("numerator {numerator} is not a whole number of people or events"),
                       numerator=f"{row['numerator']:g}")

    return {
        "whole_counts": ("value", whole_ok, whole_reason),
        "percentage_range": ("value", pct_ok, pct_reason),
        "non_negative": ("value", nonneg_ok, nonneg_reason),
        "parts_positive": ("denominator", parts_ok, parts_reason),
        "numerator_le_denominator": ("numerator", num_den_ok, num_den_reason),
        "value_matches_parts": ("value", consistent_ok, consistent_reason),
        "ci_contains_value": ("ci_lower", ci_ok, ci_reason),
        "national_only": ("region", level_ok, level_reason),
        "period_frequency": ("period", frequency_ok, frequency_reason),
    }


def _meaning_schema(catalogue: Catalogue) -> tuple[pa.DataFrameSchema, dict[str, RowRule]]:
    rules = _rules()
    checks = [pa.Check(lambda df, fn=fn: fn(df, catalogue), name=name, error=name)
              for name, (_col_name, fn, _reason) in rules.items()]
    return pa.DataFrameSchema(checks=checks), rules


def _row_number(df: pd.DataFrame, index) -> int | None:
    if "_row" in df:
        return int(df.at[index, "_row"])
    try:
        return int(index) + 1
    except (TypeError, ValueError):
        return None


def _failure_indices(err: SchemaErrors) -> pd.DataFrame:
    cases = err.failure_cases
    cases = cases[cases["index"].notna()]
    return cases.drop_duplicates(["index", "check"])


def _shape_issues(df: pd.DataFrame, catalogue: Catalogue, origin: str) -> tuple[list[Issue], set]:
    try:
        _shape_schema(catalogue).validate(df, lazy=True)
        return [], set()
    except SchemaErrors as err:
        cases = _failure_indices(err)
    issues, bad = [], set()
    for case in cases.itertuples():
        check = str(case.check)
        reason = check
        if check.startswith("coerce_dtype") or check.startswith("dtype"):
            if (case.index, case.column) in bad:
                continue
            reason = Message(N_("{value} is not a number"), value=repr(case.failure_case))
        elif check == "not_nullable":
            reason = Message(N_("missing value"))
        elif check == PERIOD_ERROR:
            reason = Message(N_("period {period} is not a year from 1900 to 2099 or a quarter like 2024Q3"),
                             period=repr(case.failure_case))
        else:
            reason = f"{case.failure_case!r}: {check}"
        issues.append(Issue(origin, _row_number(df, case.index), case.column, reason))
        bad.add(case.index)
        bad.add((case.index, case.column))
    return issues, {b for b in bad if not isinstance(b, tuple)}


def _duplicate_issues(df: pd.DataFrame, origin: str, max_listed: int) -> tuple[list[Issue], set]:
    """One issue per repeated key (at its first row), naming at most ``max_listed`` of the other rows, so a file
    with one region repeated 20,000 times gives one short message, not 20,000 lists of 20,000 rows."""
    dup = df.duplicated(KEY, keep=False)
    issues, bad = [], set()
    row_of = df["_row"].to_dict() if "_row" in df else {}
    for _key, group in df[dup].groupby(KEY, sort=False):
        rows = [int(row_of[i]) if i in row_of else _row_number(df, i) for i in group.index]
        others = [str(r) for r in rows[1:max_listed + 1]]
        more = len(rows) - 1 - len(others)
        first = group.index[0]
        values = {"rows": ", ".join(others), "period": df.at[first, "period"], "more": f"{more:,}"}
        if more > 0:
            reason = Message(N_("repeated in rows {rows} and {more} more (same indicator, region and period "
                                "{period})"), **values)
        elif len(rows) > 2:
            reason = Message(N_("repeated in rows {rows} (same indicator, region and period {period})"),
                             rows=values["rows"], period=values["period"])
        else:
            reason = Message(N_("repeated in row {rows} (same indicator, region and period {period})"),
                             rows=values["rows"], period=values["period"])
        issues.append(Issue(origin, rows[0], "period", reason))
        bad.update(group.index)
    return issues, bad


def validate(frame: pd.DataFrame, origin: str, catalogue: Catalogue | None = None,
             max_listed: int = 10) -> ValidationReport:
    """Check ``frame`` (tidy observation columns, optional ``_row``); return the valid rows and every issue."""
    catalogue = catalogue or load_catalogue()
    missing = [c for c in ("indicator_id", "region", "period", "value") if c not in frame]
    if missing:
        issue = Issue(origin, None, None, Message(N_("missing column(s): {columns}"), columns=", ".join(missing)))
        return ValidationReport(frame.iloc[0:0], [issue], [])
    df = frame.copy()
    issues, bad = _shape_issues(df, catalogue, origin)
    good = df.drop(index=list(bad))
    for col in NUMERIC:
        if col in good:
            good[col] = pd.to_numeric(good[col], errors="coerce")
    good["period"] = good["period"].astype(str)
    schema, rules = _meaning_schema(catalogue)
    try:
        schema.validate(good, lazy=True)
    except SchemaErrors as err:
        for case in _failure_indices(err).itertuples():
            column, _fn, reason = rules[str(case.check)]
            row = good.loc[case.index]
            issues.append(Issue(origin, _row_number(good, case.index), column, reason(row, catalogue)))
            bad.add(case.index)
    dup_issues, dup_bad = _duplicate_issues(good, origin, max_listed)
    issues += dup_issues
    bad |= dup_bad
    valid = df.drop(index=list(bad))
    for col in NUMERIC:
        if col in valid:
            valid[col] = pd.to_numeric(valid[col], errors="coerce").astype(float)
    valid["period"] = valid["period"].astype(str)
    row_of = df["_row"].to_dict() if "_row" in df else {}
    rejected = sorted({r for r in (int(row_of[i]) if i in row_of else _row_number(df, i) for i in bad)
                       if r is not None})
    issues.sort(key=lambda i: (i.row if i.row is not None else -1, i.column or ""))
    return ValidationReport(valid, issues, rejected)
