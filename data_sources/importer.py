"""File importer: CSV and Excel (.xlsx, .xls) tables from officials and BNS downloads into validated observations.

Layouts understood (``data_sources.layouts``; the header row is the first row of names below any title rows):
tidy (region, period, value), long (region, period and one column of values named by what it counts, e.g.
``Регион,Год,Число больничных организаций``), wide by period (BNS tables: one column per year), regions as columns
(one row per year), wide by indicator (one column per catalogue id). Columns left out are listed in the report.

Region values may be ISO 3166-2:KZ codes, KATO codes (a former unit mapped by the row's period) or names spelled
any way the resolver knows ("Туркестанская**", "г. Алматы", "Aqtöbe"), through the one resolver
``geo.place_region_value``; the national row ("Республика Казахстан", "Всего") becomes ``KZ``. "-", "…" and
"x" mean "not published" and are skipped.
A file with any bad row is rejected whole unless ``only_valid`` is set; then the skipped rows are listed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from catalogue import Catalogue, load_catalogue
from core.access import Identity, require
from core.i18n import N_, Message
from core.periods import is_period
from data_sources.jumps import jump_warnings
from data_sources.layouts import ValueColumnNeeded, read_layout
from data_sources.limits import UploadLimits
from data_sources.numbers import decide_decimal
from data_sources.tables import FileRejected, cell_text, is_missing, parse_number, period_of, read_grid
from data_sources.validation import NUMERIC, Issue, validate
from geo import Placement, place_region_value
from geo.vintages import merged_note
from store.revisions import WriteSummary, preview_changes, write_observations


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
    ignored: list[Issue] = field(default_factory=list)  # columns (and other tables) left out, each with why
    value_column: str | None = None  # the column of values of a long table, as named in the file
    value_columns: list[str] = field(default_factory=list)  # to choose from, when several hold numbers
    valid_rows: pd.DataFrame = field(default_factory=pd.DataFrame)
    written: WriteSummary | None = None
    planned: WriteSummary | None = None
    accepted: bool = False

    @property
    def file_level(self) -> bool:
        return any(i.row is None for i in self.issues)


def _to_frame(records: list[dict], origin: str, result: ImportResult, decimal_hint: str | None) -> pd.DataFrame:
    """Resolve region names and parse numbers with one decimal separator for the whole file; unparseable or
    ambiguous cells become issues, missing marks are skipped."""
    result.decimal = decide_decimal((cell_text(r.get(c)) for r in records for c in NUMERIC if r.get(c) is not None),
                                    decimal_hint)
    for rec in records:
        rec["region_name"] = cell_text(rec["region_name"])
    places: dict[tuple[str, str], Placement] = {}
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
        period = cell_text(rec.get("period"))
        out["period"] = period_of(period) or period
        key = (name, out["period"])
        if name is not None and key not in places:
            places[key] = place_region_value(name, out["period"] if is_period(out["period"]) else None)
        place = places.get(key) if name is not None else None
        if place is None or place.iso is None:
            if (row_no, name) not in reported:
                reason = (Message(N_("region name is empty")) if name is None
                          else place.problem or Message(N_("unknown region {name}"), name=repr(name)))
                result.issues.append(Issue(origin, row_no, "region" if "_column" not in rec or
                                           rec["_column"] != name else column, reason))
                reported.add((row_no, name))
            continue
        resolved.add(row_no)
        out["region"], out["note"] = place.iso, merged_note(out["note"], place.note)
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
                 limits: UploadLimits | None = None, value_column: str | None = None) -> ImportResult:
    """Read, resolve, validate and (unless ``dry_run``) write one uploaded table; never writes a partial file.

    ``engine`` may be None for a check without a store. Writing needs an editor ``identity``. The file must fit
    ``limits`` (``[uploads]`` in config.toml; checked before parsing). ``value_column`` names the column of
    values of a long table with several columns of numbers (the importer asks for it rather than guess). A value
    that moves more than the limits' ``jump_factor`` from the region's previous period is a warning: nothing is
    written unless ``confirm_jumps``.
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
        layout = read_layout(grid.cells, origin, indicator, catalogue, value_column)
    except FileRejected as exc:
        result.issues.append(Issue(origin, None, None, exc.reason))
        if isinstance(exc, ValueColumnNeeded):
            result.value_columns = exc.columns
        return result
    result.layout, result.value_column = layout.kind, layout.value_column
    result.ignored = [Issue(origin, None, column, reason) for column, reason in layout.ignored]
    records = _drop_blank_rows(layout.records)
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
        try:
            result.warnings = jump_warnings(engine, valid, origin, limits.jump_factor)
            if result.warnings and not confirm_jumps and not dry_run:
                return result
            if dry_run:
                result.planned = preview_changes(engine, result.valid_rows)
            else:
                source = upload_source(origin, data, identity)  # type: ignore[arg-type]
                result.written = write_observations(engine, result.valid_rows, source, identity)
        except SQLAlchemyError as exc:  # one transaction: rolled back whole, nothing partial is stored
            result.issues.append(Issue(origin, None, None, store_failure(exc)))
            result.written = None
            return result
    result.accepted = True
    return result


def store_failure(exc: SQLAlchemyError) -> Message:
    """What a failed write tells the editor: the store's own reason in one line (never the SQL or its values)."""
    cause = str(getattr(exc, "orig", None) or exc.__class__.__name__).strip().splitlines()[0][:200]
    if "full" in cause.lower() or "no space left" in cause.lower():
        return Message(N_("the store's disk is full ({error}); nothing was written. Ask the administrator to free "
                          "space, then upload the file again"), error=cause)
    return Message(N_("the store could not be written ({error}); nothing was written. Try again; if it fails "
                      "again, tell the administrator"), error=cause)


def import_file(path: Path | str, engine: Engine | None, identity: Identity | None, **options) -> ImportResult:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportResult(origin=path.name, issues=[Issue(path.name, None, None, Message(
        N_("cannot read the file: {error}"), error=exc))])
    return import_table(data, path.name, engine, identity, **options)
