"""How an uploaded table is laid out: which row is its header, which columns hold regions, periods and values, and
which columns are left out — each one named in the report, never dropped in silence.

The header is the first row whose cells are *names*: column names (``Регион``, ``Год``, ``Число больничных
организаций``), years (``2021``, ``2022 г.``) or region names (``Годы,Акмолинская,…``). A row holding a value (a
number that is not a year label) is data, so a long table's first row ``Республика Казахстан,2003,1029`` is never
taken for its header. Layouts:

* **tidy**: region, period, ``value`` (and ``indicator_id`` unless the indicator is chosen);
* **long**: region, period and one column of numbers named by what it counts; with several, the caller chooses
  (``value_column``), nothing is guessed;
* **wide by period**: one row per region, one column per year or quarter;
* **regions as columns**: one row per period, one column per region;
* **wide by indicator**: region, period and one column per catalogue indicator id.

A sheet holding two tables under their own headers (BNS sheets put a national summary above the regional table)
is read from the table with the most region rows; the other is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from catalogue import Catalogue
from core.i18n import N_, Message
from data_sources.tables import FileRejected, cell_text, is_missing, period_of
from geo import place_region_value
from geo.kato import kato_prefix

ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_id": ("indicator_id", "indicator", "показатель", "көрсеткіш"),
    "region": ("region", "region_code", "iso_code", "code", "region_name", "region_name_en", "name", "регион",
               "область", "регион/область", "наименование", "аймақ", "өңір", "oblast", "kato", "kato_code",
               "като", "код като", "әаож", "әаож коды", "регионы", "области", "regions"),
    "period": ("period", "year", "год", "период", "жыл", "кезең", "годы", "years", "жылдар"),
    "value": ("value", "значение", "мән"),
    "numerator": ("numerator", "числитель"),
    "denominator": ("denominator", "знаменатель"),
    "ci_lower": ("ci_lower", "low"),
    "ci_upper": ("ci_upper", "high"),
    "note": ("note", "notes", "примечание"),
}
HEADER_SCAN_ROWS = 30
_NUMBER = re.compile(r"^[-−+]?[\d\s\u00a0.,']*\d[\d\s\u00a0.,']*%?\**$")
_INTEGER = re.compile(r"^\d+$")
EXPECTED = N_("a region column with a period column (Год, Year, Период) and a column of values, one column per "
              "year, or one column per region")


class ValueColumnNeeded(FileRejected):
    """A long table with several columns of numbers: ``columns`` are the ones to choose from."""

    def __init__(self, reason: Message, file: str | None, columns: list[str]) -> None:
        super().__init__(reason, file)
        self.columns = columns


@dataclass
class Layout:
    """What was read from the table: records (one per value cell), the layout's name and the columns left out."""

    records: list[dict]
    kind: str
    ignored: list[tuple[str | None, Message]] = field(default_factory=list)  # (column or None, why left out)
    value_column: str | None = None


def canonical(header: str | None) -> str | None:
    if header is None:
        return None
    text = header.strip().casefold()
    for name, aliases in ALIASES.items():
        if text in aliases:
            return name
    return None


def is_number(text: str | None) -> bool:
    return text is not None and _NUMBER.match(text) is not None


@lru_cache(maxsize=4096)
def _names_region(text: str) -> bool:
    """Whether a cell of text (not a number) names a region or the country."""
    return not is_number(text) and place_region_value(text).iso is not None


def header_kind(row: list[str | None]) -> str | None:
    """What kind of header ``row`` is ("named", "wide by period", "regions as columns"), or None for data, titles
    and notes. A cell holding a number that is not a year label makes the row data."""
    cells = [c for c in row if c is not None]
    if len(cells) < 2:
        return None  # a title, a unit, a footnote
    periods = [c for c in cells if period_of(c) is not None]
    if any(is_number(c) for c in cells if period_of(c) is None):
        return None
    named = {canonical(c) for c in cells} - {None}
    if "region" in named and named & {"period", "value"}:
        return "named"
    regions = sum(_names_region(c) for c in cells if period_of(c) is None)
    if periods and not regions:
        return "wide by period"
    if regions >= 2 and not periods:
        return "regions as columns"
    return None


def _rows_of(cells: pd.DataFrame, start: int = 0, stop: int | None = None):
    for index in list(cells.index)[start:stop]:
        yield index, [cell_text(v) for v in cells.loc[index]]


def _seen(cells: pd.DataFrame) -> str:
    """The first row with more than one cell, as the reader sees it (for the no-header message)."""
    for _index, row in _rows_of(cells, 0, HEADER_SCAN_ROWS):
        texts = [c for c in row if c is not None]
        if len(texts) > 1:
            shown = ", ".join(repr(c[:40]) for c in texts[:8])
            return shown + (", …" if len(texts) > 8 else "")
    return "—"


def find_tables(cells: pd.DataFrame) -> list[tuple[int, str]]:
    """(header row index, kind) of each table: the first header within the first rows, then any later row that is
    a header of the same kind (a second table on the sheet)."""
    first = next(((i, k) for i, row in _rows_of(cells, 0, HEADER_SCAN_ROWS) if (k := header_kind(row))), None)
    if first is None:
        return []
    if first[1] == "named":  # merged header cells: "Регион | Годы" above the row of years, empty under "Регион"
        names = [cell_text(v) for v in cells.loc[first[0]]]
        after = next(_rows_of(cells, list(cells.index).index(first[0]) + 1), None)
        if after is not None and header_kind(after[1]) == "wide by period" and \
                all(after[1][p] is None for p, h in enumerate(names) if canonical(h) == "region"):
            first = (after[0], "wide by period")
    tables = [first]
    start = list(cells.index).index(first[0]) + 1
    for index, row in _rows_of(cells, start):
        # a later table's row of years holds years only: "Atlantis,2001,2002" is a data row of an unknown region
        if header_kind(row) == first[1] and (first[1] != "wide by period" or
                                             all(period_of(c) for c in row if c is not None)):
            tables.append((index, first[1]))
    return tables


def _label(header: list[str | None], pos: int) -> str:
    return header[pos] if header[pos] else f"#{pos + 1}"


def _column_values(body: pd.DataFrame, pos: int) -> list[str]:
    return [v for v in (cell_text(x) for x in body.iloc[:, pos]) if v is not None]


def _numeric_column(values: list[str]) -> bool:
    present = [v for v in values if not is_missing(v)]
    return bool(present) and sum(is_number(v) for v in present) * 2 > len(present)


def _index_column(header: list[str | None], body: pd.DataFrame, pos: int) -> bool:
    """A leading column without a header holding distinct whole numbers: the row index a data frame was saved
    with (``df.to_csv()``)."""
    values = _column_values(body, pos)
    return pos == 0 and not header[0] and bool(values) and all(_INTEGER.match(v) for v in values) \
        and len(set(values)) == len(values)


def _place_hits(values: list[str], kato: bool) -> int:
    if kato:
        return sum(kato_prefix(v) is not None and place_region_value(v).iso is not None for v in values)
    return sum(_names_region(v) for v in values)


def region_column(body: pd.DataFrame, header: list[str | None], skip: set[int]) -> int | None:
    """The column of region values: named so, else the one where most cells name a region, else (no names at
    all) the one where most cells are KATO codes."""
    for pos, h in enumerate(header):
        if canonical(h) == "region":
            return pos
    candidates = [p for p in range(len(header)) if p not in skip and period_of(header[p]) is None]
    for kato in (False, True):
        hits = {p: _place_hits(_column_values(body, p), kato) for p in candidates}
        best = max(hits, key=lambda p: hits[p], default=None)
        if best is not None and hits[best] > 0:
            return best
    return None


def choose_table(cells: pd.DataFrame, tables: list[tuple[int, str]]) -> tuple[int, str, pd.DataFrame, list]:
    """The table with the most rows naming a region, its body, and (first row, last row, header row) of the
    others, for the report."""
    index = list(cells.index)
    bounds = []
    for n, (at, kind) in enumerate(tables):
        stop = tables[n + 1][0] if n + 1 < len(tables) else None
        rows = [i for i in index if i > at and (stop is None or i < stop)]
        bounds.append((at, kind, rows))

    def score(rows: list[int]) -> int:
        return sum(any(c is not None and _names_region(c) for c in (cell_text(v) for v in cells.loc[i]))
                   for i in rows)

    scores = [score(rows) for _at, _kind, rows in bounds] if len(bounds) > 1 else [0]
    best = max(range(len(bounds)), key=lambda n: scores[n])
    at, kind, rows = bounds[best]
    others = [(b[2][0] + 1 if b[2] else b[0] + 1, b[2][-1] + 1 if b[2] else b[0] + 1, b[0] + 1)
              for n, b in enumerate(bounds) if n != best]
    return at, kind, cells.loc[rows], others


def no_header(cells: pd.DataFrame, origin: str) -> FileRejected:
    return FileRejected(Message(N_("no header row found; expected {expected}; the table starts with: {seen}"),
                                expected=Message(EXPECTED), seen=_seen(cells)), origin)


def _rows(body: pd.DataFrame):
    """(index, tuple of cells) per body row — plain tuples: iterrows builds a Series per row (20,000 rows: ~10 s)."""
    return zip(body.index, body.itertuples(index=False, name=None), strict=True)


_NOT_READ = N_("header not read as a region, period or value; column not imported")
_NO_HEADER = N_("column without a header; not imported")
_INDEX = N_("unnamed index column (row numbers); not imported")


def _left_out(header: list[str | None], body: pd.DataFrame, used: set[int],
              reason: str = _NOT_READ) -> list[tuple[str, Message]]:
    """The columns not used that have a header or hold something: each with why it is left out."""
    out = []
    for pos in range(len(header)):
        if pos in used or (not header[pos] and not _column_values(body, pos)):
            continue
        if _index_column(header, body, pos):
            out.append((_label(header, pos), Message(_INDEX)))
        elif not header[pos]:
            out.append((_label(header, pos), Message(_NO_HEADER)))
        else:
            out.append((_label(header, pos), Message(reason)))
    return out


def _needs_indicator(origin: str, columns: list[str]) -> FileRejected:
    return FileRejected(Message(N_("missing column(s) {columns} (or choose the indicator)"),
                                columns=", ".join(columns)), origin)


def _named(body, header, origin, indicator, catalogue, value_column) -> Layout:
    """Tidy, long (one column of values named by its meaning) or wide by indicator."""
    index_pos = {0} if _index_column(header, body, 0) else set()
    region_pos = region_column(body, header, index_pos)
    if region_pos is None:
        raise FileRejected(Message(N_("no column of region names found")), origin)
    columns = {}
    for pos, h in enumerate(header):
        name = canonical(h)
        if name and name not in columns and pos != region_pos:
            columns[name] = pos
    if "period" not in columns:
        raise FileRejected(Message(N_("missing column(s) {columns}"), columns="period"), origin)
    by_indicator = {pos: h for pos, h in enumerate(header) if h in catalogue and pos != region_pos}
    if "value" not in columns and by_indicator and value_column is None:
        used = {region_pos, columns["period"], *by_indicator}
        records = [{"_row": i + 1, "_column": ind, "region_name": row[region_pos], "indicator_id": ind,
                    "period": row[columns["period"]], "value": row[pos]}
                   for i, row in _rows(body) for pos, ind in by_indicator.items()]
        return Layout(records, "wide by indicator", _left_out(header, body, used))
    kind, value_label = "tidy", None
    if "value" not in columns or value_column is not None:
        kind = "long"
        columns["value"] = _value_column(body, header, origin, {region_pos, *columns.values(), *index_pos},
                                         value_column)
        value_label = header[columns["value"]]
    if indicator is None and "indicator_id" not in columns:
        raise _needs_indicator(origin, ["indicator_id"])
    records = []
    for index, row in _rows(body):
        from_file = row[columns["indicator_id"]] if "indicator_id" in columns else None
        rec = {"_row": index + 1, "region_name": row[region_pos], "indicator_id": indicator or from_file,
               "period": row[columns["period"]]}
        if value_label:
            rec["_column"] = value_label
        for name in ("value", "numerator", "denominator", "ci_lower", "ci_upper", "note"):
            if name in columns:
                rec[name] = row[columns[name]]
        records.append(rec)
    used = {region_pos, *columns.values()}
    ignored = _left_out(header, body, used)
    if value_label:  # say why another column of numbers is not the one imported
        numeric = _numeric_labels(body, header, used)
        ignored = [(col, Message(N_("holds numbers but is not the value column {value}; not imported"),
                                 value=repr(value_label)) if col in numeric and why.msgid == _NOT_READ else why)
                   for col, why in ignored]
    return Layout(records, kind, ignored, value_label)


def _numeric_labels(body: pd.DataFrame, header: list[str | None], used: set[int]) -> set[str]:
    return {_label(header, p) for p in range(len(header))
            if p not in used and header[p] and _numeric_column(_column_values(body, p))}


def _value_column(body, header, origin, used: set[int], chosen: str | None) -> int:
    """The one column of numbers besides region and period, or the one ``chosen``; several without a choice,
    or none, is an error naming the candidates."""
    candidates = [p for p in range(len(header)) if p not in used and header[p]
                  and _numeric_column(_column_values(body, p))]
    names = ", ".join(repr(header[p]) for p in candidates)
    if chosen is not None:
        wanted = chosen.strip().casefold()
        match = [p for p in range(len(header)) if header[p] and header[p].strip().casefold() == wanted]
        if not match:
            raise FileRejected(Message(N_("no column named {name}; the columns of numbers are {columns}"),
                                       name=repr(chosen), columns=names or "—"), origin)
        return match[0]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        seen = ", ".join(repr(h) for h in header if h)
        raise FileRejected(Message(N_("no column of values next to the region and period columns; columns seen: "
                                      "{columns}"), columns=seen), origin)
    raise ValueColumnNeeded(Message(N_("several columns hold numbers: {columns}; choose the one to import "
                                       "(--value-column NAME, or the column picker)"), columns=names), origin,
                            [str(header[p]) for p in candidates])


def _wide_by_period(body, header, origin, indicator) -> Layout:
    by_period = {pos: period_of(h) for pos, h in enumerate(header) if period_of(h)}
    if indicator is None:
        raise FileRejected(Message(N_("a table with one column per year needs the indicator it holds "
                                      "(--indicator ID, or the indicator picker)")), origin)
    region_pos = region_column(body, header, set(by_period))
    if region_pos is None:
        raise FileRejected(Message(N_("no column of region names found")), origin)
    records = [{"_row": i + 1, "_column": header[pos], "region_name": row[region_pos], "indicator_id": indicator,
                "period": period, "value": row[pos]}
               for i, row in _rows(body) for pos, period in by_period.items()]
    ignored = _left_out(header, body, {region_pos, *by_period}, N_("header not read as a year or quarter; "
                                                                   "column not imported"))
    return Layout(records, "wide by period", ignored)


def _regions_as_columns(body, header, origin, indicator) -> Layout:
    by_region = {pos: h for pos, h in enumerate(header) if h and period_of(h) is None and _names_region(h)}
    periods = {p: sum(period_of(v) is not None for v in _column_values(body, p))
               for p in range(len(header)) if p not in by_region}
    period_pos = max(periods, key=lambda p: periods[p], default=None)
    if period_pos is None or periods[period_pos] == 0:
        raise FileRejected(Message(N_("one column per region, but no column of years or quarters")), origin)
    if indicator is None:
        raise FileRejected(Message(N_("a table with one column per region needs the indicator it holds "
                                      "(--indicator ID, or the indicator picker)")), origin)
    records = [{"_row": i + 1, "_column": name, "region_name": name, "indicator_id": indicator,
                "period": period_of(row[period_pos]) or row[period_pos], "value": row[pos]}
               for i, row in _rows(body) for pos, name in by_region.items()]
    ignored = _left_out(header, body, {period_pos, *by_region})
    return Layout(records, "regions as columns", ignored)


def read_layout(cells: pd.DataFrame, origin: str, indicator: str | None, catalogue: Catalogue,
                value_column: str | None = None) -> Layout:
    """Find the header and the layout, and turn the table into records; raises FileRejected saying what was
    expected and what was seen when no layout fits."""
    tables = find_tables(cells)
    if not tables:
        raise no_header(cells, origin)
    at, kind, body, others = choose_table(cells, tables)
    header = [cell_text(v) for v in cells.loc[at]]
    body = body.map(cell_text)
    if body.empty:
        raise FileRejected(Message(N_("the table has a header but no data rows")), origin)
    if kind == "named":
        layout = _named(body, header, origin, indicator, catalogue, value_column)
    elif kind == "wide by period":
        layout = _wide_by_period(body, header, origin, indicator)
    else:
        layout = _regions_as_columns(body, header, origin, indicator)
    for first, last, header_row in others:
        layout.ignored.append((None, Message(N_("rows {first}–{last}: another table, under the header of row {row}; "
                                                "only the table under row {chosen} is imported"),
                                             first=first, last=last, row=header_row, chosen=at + 1)))
    return layout
