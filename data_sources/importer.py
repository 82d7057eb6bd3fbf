"""File importer: CSV and Excel (.xlsx, .xls) tables from officials and BNS downloads into validated observations.

Layouts understood (the header row is found below any title rows and merged header cells):

* **tidy**: columns region, period (or year), value, and indicator_id unless ``indicator`` is given; optional
  numerator, denominator, ci_lower, ci_upper, note;
* **wide by period** (BNS tables): one row per region, one column per year or quarter; needs ``indicator``;
* **wide by indicator**: one row per region, a period column, one column per catalogue indicator id.

Region names may be spelled any way the resolver knows ("Туркестанская**", "г. Алматы", "Aqtöbe"); the national
row ("Республика Казахстан", "Всего") becomes ``KZ``. "-", "…" and "x" mean "not published" and are skipped.
A file with any bad row is rejected whole unless ``only_valid`` is set; then the skipped rows are listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine

from catalogue import Catalogue, load_catalogue
from core.access import Identity, require
from core.i18n import N_, Message
from data_sources.jumps import jump_warnings
from data_sources.limits import UploadLimits
from data_sources.numbers import decide_decimal
from data_sources.tables import FileRejected, Grid, cell_text, is_missing, parse_number, period_of, read_grid
from data_sources.validation import NUMERIC, Issue, validate
from geo import resolve_names
from geo.vintages import import_boundary_check
from store.revisions import WriteSummary, preview_changes, write_observations

ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "показатель", "көрсеткіш"),
    "region": ("region", "region_code", "iso_code", "code", "region_name", "region_name_en", "name", "регион",
               "область", "регион/область", "наименование", "аймақ", "өңір", "oblast"),
    "period": ("period", "year", "год", "период", "жыл", "кезең"),
    "value": ("value", "значение", "мән"),
    "numerator": ("numerator", "числитель"),
    "denominator": ("denominator", "знаменатель"),
    "ci_lower": ("ci_lower", "low"),
    "ci_upper": ("ci_upper", "high"),
    "note": ("note", "notes", "примечание"),
}
_HEADER_SCAN_ROWS = 15


@dataclass
class ImportResult:
    """What an import did; ``accepted`` is False when the file was rejected and nothing was written."""

    origin: str
    layout: str | None = None
    encoding: str | None = None
    read: int = 0
    resolved: int = 0
    issues: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)  # values to confirm (a jump from the previous period)
    decimal: str | None = None  # the decimal separator decided for the file's numbers written as text
    rejected_rows: list[int] = field(default_factory=list)
    skipped_missing: int = 0
    valid_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    written: WriteSummary | None = None
    planned: WriteSummary | None = None
    accepted: bool = False

    @property
    def file_level(self) -> bool:
        return any(i.row is None for i in self.issues)


def _canonical(header: str | None) -> str | None:
    if header is None:
        return None
    text = header.strip().casefold()
    for name, aliases in ALIASES.items():
        if text in aliases:
            return name
    return None


def _find_header(cells: pd.DataFrame, catalogue: Catalogue) -> int | None:
    """Index of the header row: the first row naming tidy columns, periods or indicator ids."""
    for index in list(cells.index)[:_HEADER_SCAN_ROWS]:
        row = [cell_text(v) for v in cells.loc[index]]
        named = {_canonical(v) for v in row} - {None}
        if {"region", "value"} <= named or ("region" in named and (named & {"period"}) and
                                             any(v in catalogue for v in row if v)):
            return index
        if sum(period_of(v) is not None for v in row) >= 1 and not named & {"value"}:
            return index
    return None


def _region_column(body: pd.DataFrame, header: list[str | None]) -> int | None:
    """The column whose cells are region names: named so, or else the one where most cells resolve."""
    for pos, h in enumerate(header):
        if _canonical(h) == "region":
            return pos
    best, best_hits = None, 0
    for pos, h in enumerate(header):
        if period_of(h) is not None:
            continue
        values = [v for v in body.iloc[:, pos] if v is not None]
        hits = len(resolve_names(values)[0]) if values else 0
        if hits > best_hits:
            best, best_hits = pos, hits
    return best


def _rows(body: pd.DataFrame):
    """(index, tuple of cells) per body row — plain tuples: iterrows builds a Series per row (20,000 rows: ~10 s)."""
    return zip(body.index, body.itertuples(index=False, name=None), strict=True)


def _tidy_records(body, header, region_pos, indicator) -> tuple[list[dict], str]:
    columns = {_canonical(h): pos for pos, h in enumerate(header) if _canonical(h)}
    records = []
    for index, row in _rows(body):
        from_file = row[columns["indicator_id"]] if "indicator_id" in columns else None
        rec = {"_row": index + 1, "region_name": row[region_pos], "indicator_id": indicator or from_file,
               "period": row[columns["period"]]}
        for name in (*NUMERIC, "note"):
            if name in columns:
                rec[name] = row[columns[name]]
        records.append(rec)
    return records, "tidy"


def _wide_records(body, header, region_pos, indicator, catalogue, period_pos) -> tuple[list[dict], str]:
    by_period = {pos: period_of(h) for pos, h in enumerate(header) if period_of(h)}
    by_indicator = {pos: h for pos, h in enumerate(header) if h in catalogue and pos != region_pos}
    records = []
    for index, row in _rows(body):
        if by_period:
            for pos, period in by_period.items():
                records.append({"_row": index + 1, "_column": header[pos], "region_name": row[region_pos],
                                "indicator_id": indicator, "period": period, "value": row[pos]})
        else:
            for pos, ind in by_indicator.items():
                records.append({"_row": index + 1, "_column": ind, "region_name": row[region_pos],
                                "indicator_id": ind, "period": row[period_pos], "value": row[pos]})
    return records, ("wide by period" if by_period else "wide by indicator")


def _records(grid: Grid, origin: str, indicator: str | None, catalogue: Catalogue) -> tuple[list[dict], str]:
    cells = grid.cells
    header_at = _find_header(cells, catalogue)
    if header_at is None:
        raise FileRejected(Message(N_("no header row found; expected columns region, period, value (tidy) or one "
                                      "column per year (wide)")), origin)
    header = [cell_text(v) for v in cells.loc[header_at]]
    body = cells.loc[cells.index > header_at]
    if body.empty:
        raise FileRejected(Message(N_("the table has a header but no data rows")), origin)
    region_pos = _region_column(body, header)
    if region_pos is None:
        raise FileRejected(Message(N_("no column of region names found")), origin)
    names = {_canonical(h) for h in header}
    if "value" in names:
        missing = [c for c in ("period",) if c not in names]
        if indicator is None and "indicator_id" not in names:
            raise FileRejected(Message(N_("missing column(s) {columns} (or choose the indicator)"),
                                       columns=", ".join([*missing, "indicator_id"])), origin)
        if missing:
            raise FileRejected(Message(N_("missing column(s) {columns}"), columns=", ".join(missing)), origin)
        return _tidy_records(body, header, region_pos, indicator)
    if any(period_of(h) for h in header):
        if indicator is None:
            raise FileRejected(Message(N_("a table with one column per year needs the indicator it holds "
                                          "(--indicator ID, or the indicator picker)")), origin)
        return _wide_records(body, header, region_pos, indicator, catalogue, None)
    period_pos = next((p for p, h in enumerate(header) if _canonical(h) == "period"), None)
    if period_pos is not None and any(h in catalogue for h in header):
        return _wide_records(body, header, region_pos, indicator, catalogue, period_pos)
    raise FileRejected(Message(N_("columns {columns} are not a known layout; expected region, period, value (tidy) "
                                  "or one column per year (wide)"), columns=", ".join(repr(h) for h in header if h)),
                       origin)


def _to_frame(records: list[dict], origin: str, result: ImportResult, decimal_hint: str | None) -> pd.DataFrame:
    """Resolve region names and parse numbers with one decimal separator for the whole file; unparseable or
    ambiguous cells become issues, missing marks are skipped."""
    result.decimal = decide_decimal((cell_text(r.get(c)) for r in records for c in NUMERIC if r.get(c) is not None),
                                    decimal_hint)
    for rec in records:
        rec["region_name"] = cell_text(rec["region_name"])
    names = [r["region_name"] for r in records if r["region_name"] is not None]
    mapping, _unmatched = resolve_names(names)
    rows, reported, resolved = [], set(), set()
    for rec in records:
        row_no = rec["_row"]
        column = rec.get("_column") or "value"
        if is_missing(rec.get("value")) and all(is_missing(rec.get(c)) for c in NUMERIC[1:]):
            result.skipped_missing += 1
            continue
        out = {"_row": row_no, "indicator_id": cell_text(rec.get("indicator_id")), "note": cell_text(rec.get("note"))}
        problems = []
        name = rec["region_name"]
        out["region"] = mapping.get(name) if name is not None else None
        if out["region"] is None:
            if row_no not in reported:
                reason = (Message(N_("region name is empty")) if name is None
                          else Message(N_("unknown region {name}"), name=repr(name)))
                result.issues.append(Issue(origin, row_no, "region", reason))
                reported.add(row_no)
            continue
        resolved.add(row_no)
        period = cell_text(rec.get("period"))
        out["period"] = period_of(period) or period
        territory_problem, out["note"] = import_boundary_check(name, out["region"], out["period"], out["note"])
        if territory_problem:  # a region before it existed, or a former name after its territory changed
            result.issues.append(Issue(origin, row_no, "region", territory_problem))
            continue
        for col in NUMERIC:
            try:
                out[col] = parse_number(cell_text(rec.get(col)), result.decimal)
            except ValueError as exc:  # the reason is a Message (data_sources.numbers)
                reason = exc.args[0] if exc.args and isinstance(exc.args[0], Message) else str(exc)
                problems.append(Issue(origin, row_no, column if col == "value" else col, reason))
        if out.get("value") is None and not problems:
            problems.append(Issue(origin, row_no, column, Message(N_("value is missing"))))
        if problems:
            result.issues += problems
            continue
        rows.append(out)
    result.resolved = len(resolved)
    return pd.DataFrame(rows, columns=["_row", "indicator_id", "region", "period", *NUMERIC, "note"])


def _drop_blank_rows(records: list[dict]) -> list[dict]:
    """Leave out rows with no value at all (titles, footnotes, spacer rows, regions with nothing published)."""
    has_data = {r["_row"] for r in records if not all(is_missing(r.get(c)) for c in NUMERIC)}
    return [r for r in records if r["_row"] in has_data]


def upload_source(origin: str, data: bytes, identity: Identity) -> dict:
    """The sources row for an uploaded file (one per distinct file content). The uploader is kept as publisher
    for the internal instance; the public read model names the organisation instead (``readmodel``)."""
    digest = hashlib.sha1(data).hexdigest()[:10]
    return {"id": f"upload-{digest}", "title": f"Upload: {origin}", "publisher": identity.user, "url": None,
            "licence": "Supplied through the upload page; terms as agreed with the data owner", "kind": "upload"}


def import_table(data: bytes, origin: str, engine: Engine | None, identity: Identity | None, *,
                 indicator: str | None = None, sheet: str | None = None, dry_run: bool = False,
                 only_valid: bool = False, confirm_jumps: bool = False, catalogue: Catalogue | None = None,
                 limits: UploadLimits | None = None) -> ImportResult:
    """Read, resolve, validate and (unless ``dry_run``) write one uploaded table; never writes a partial file.

    ``engine`` may be None for a check without a store. Writing needs an editor ``identity``. The file must fit
    ``limits`` (``[uploads]`` in config.toml; checked before parsing). A value that moves more than the limits'
    ``jump_factor`` from the region's previous period is a warning: nothing is written unless ``confirm_jumps``.
    """
    catalogue = catalogue or load_catalogue()
    limits = limits or UploadLimits.configured()
    result = ImportResult(origin=origin)
    if not dry_run:
        require(identity, "editor")
    if indicator is not None and indicator not in catalogue:
        result.issues.append(Issue(origin, None, None, Message(N_("unknown indicator id {indicator}"),
                                                               indicator=repr(indicator))))
        return result
    try:
        grid = read_grid(data, origin, sheet, limits)
        result.encoding = grid.encoding
        records, result.layout = _records(grid, origin, indicator, catalogue)
    except FileRejected as exc:
        result.issues.append(Issue(origin, None, None, exc.reason))
        return result
    records = _drop_blank_rows(records)
    result.read = len({r["_row"] for r in records})
    frame = _to_frame(records, origin, result, "." if grid.delimiter == "," else None)
    report = validate(frame, origin, catalogue, max_listed=limits.max_duplicate_rows_listed)
    result.issues += report.issues
    result.rejected_rows = sorted({i.row for i in result.issues if i.row is not None} | set(report.rejected_rows))
    valid = report.valid[~report.valid["_row"].isin(result.rejected_rows)] if not report.valid.empty \
        else report.valid
    result.valid_rows = valid.drop(columns=["_row"], errors="ignore")
    if result.valid_rows.empty:
        if not result.issues:
            result.issues.append(Issue(origin, None, None, Message(
                N_("no values to import (every cell is empty or missing)"))))
        return result
    if result.issues and not only_valid:
        return result
    if engine is not None:
        result.warnings = jump_warnings(engine, valid, origin, limits.jump_factor)
        if result.warnings and not confirm_jumps and not dry_run:
            return result
        if dry_run:
            result.planned = preview_changes(engine, result.valid_rows)
        else:
            source = upload_source(origin, data, identity)  # type: ignore[arg-type]
            result.written = write_observations(engine, result.valid_rows, source, identity)
    result.accepted = True
    return result


def import_file(path: Path | str, engine: Engine | None, identity: Identity | None, **options) -> ImportResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportResult(origin=path.name, issues=[Issue(path.name, None, None, Message(
        N_("cannot read the file: {error}"), error=exc))])
    return import_table(data, path.name, engine, identity, **options)
