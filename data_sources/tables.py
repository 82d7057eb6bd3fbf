"""Reading uploaded tables into a grid of cells: CSV in any common encoding and delimiter, Excel sheets (.xlsx
with openpyxl, the legacy .xls BNS publishes with calamine) with title rows and merged header cells; plus the
cell parsers (numbers in Russian notation, missing-value marks, year headers) shared by the importer.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from dataclasses import dataclass

import pandas as pd
from charset_normalizer import from_bytes

from core.i18n import N_, LocalNumber, Message
from core.text import strip_footnote
from data_sources.limits import (
    LimitExceeded,
    UploadLimits,
    check_size,
    check_text_rows,
    check_text_table,
    check_xls,
    check_xlsx,
)
from data_sources.numbers import ExactNumber, to_float

MISSING_MARKS = {"", "-", "–", "—", "…", "...", "..", "x", "х", "X", "Х", "n/a", "na", "nan", "none", "null"}
_YEAR = re.compile(r"^(?:(?:на\s+)?конец|за|в|end\s+of|as\s+of\s+end)?\s*(\d{4})"
                   r"(?:\s*(?:г\.?|года?|год\.|жыл|ж\.?)(?:\s*(?:соңы|соңында))?)?$", re.IGNORECASE)
_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*(?:Q|К|кв\.?\s*)([1-4])$|^([1-4])\s*(?:Q|кв\.?)\s*(\d{4})$", re.IGNORECASE)
_CYRILLIC_ENCODINGS = ["cp1251", "koi8_r", "cp866"]  # what Windows and DOS tools save in KZ
EMPTY = N_("the file is empty")


class FileRejected(ValueError):
    """The file as a whole cannot be read (empty, undecodable, not a table). ``reason`` says why as a
    :class:`Message` (a page shows it in the reader's language with ``t(exc.reason)``); the exception's text is
    ``"{file}: {reason}"`` in English when the file is named."""

    def __init__(self, reason: Message, file: str | None = None) -> None:
        self.reason, self.file = reason, file
        super().__init__(f"{file}: {reason}" if file else reason)


@dataclass
class Grid:
    """Cells of one sheet as text (None for empty), with how they were read."""

    cells: pd.DataFrame  # header=None: row 0 is the file's first line; index = 0-based line number
    encoding: str | None = None
    sheet: str | None = None
    delimiter: str | None = None  # CSV only


def cell_text(value) -> str | None:
    """A cell as clean text (None when empty); 2019.0 from Excel becomes '2019'."""
    if type(value) is str:  # the common case, first (called for every cell of a file)
        return value.strip() or None
    if value is None:
        return None
    if isinstance(value, ExactNumber):
        return value
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer():
            return str(int(value))
    text = str(value).strip()
    return text or None


def is_missing(value) -> bool:
    text = cell_text(value)
    if text is None:
        return True
    if text[0].isdigit() and text[-1].isdigit():
        return False  # a plain number: no missing mark, no footnote
    return strip_footnote(text).casefold() in MISSING_MARKS


def parse_number(value, decimal: str | None = None) -> float | None:
    """'1 234,5' → 1234.5, '12.3*' → 12.3, '45%' → 45; missing marks → None; raises ValueError for text and for
    a cell whose separators cannot be read with the file's ``decimal`` separator (see ``numbers``)."""
    if is_missing(value):
        return None
    return to_float(cell_text(value), decimal)


def period_of(header: str | None) -> str | None:
    """A column header that names a period ('2019', '2019 г.', '2024Q3', '3 кв. 2024') → '2019' / '2024Q3'."""
    if header is None:
        return None
    text = strip_footnote(str(header))
    match = _YEAR.match(text)
    if match and 1900 <= int(match.group(1)) <= 2100:
        return match.group(1)
    match = _QUARTER.match(text)
    if match:
        year, quarter = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return f"{year}Q{quarter}"
    return None


def decode(data: bytes, filename: str) -> tuple[str, str]:
    """Text of a CSV and the encoding used: UTF-8 first, then the Cyrillic code pages officials' PCs save."""
    for encoding in ("utf-8-sig",):
        try:
            return data.decode(encoding), "utf-8"
        except UnicodeDecodeError:
            pass
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    best = from_bytes(data, cp_isolation=_CYRILLIC_ENCODINGS).best()
    if best is None or b"\x00" in data:
        raise FileRejected(Message(N_("cannot read the text encoding; save the file as CSV UTF-8 and try again")),
                           filename)
    return str(best), best.encoding


def _first_lines(text: str, count: int) -> list[str]:
    """The first ``count`` lines, ended where the CSV reader ends them (never splitting the whole text)."""
    return [line.rstrip("\r\n") for line in itertools.islice(io.StringIO(text, newline=""), count)]


def _delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number of fields most often (quotes respected;
    a title line above the table, or a note full of commas in a semicolon file, does not sway it). A separator
    that leaves a field over the CSV reader's limit is not the table's."""
    lines = [line for line in _first_lines(text, 30) if line.strip()]
    best, best_score = ",", (0, 0)
    for sep in (";", "\t", ","):
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=sep)]
        except csv.Error:
            continue
        wide = [w for w in widths if w > 1]
        if not wide:
            continue
        modal = max(set(wide), key=wide.count)
        score = (wide.count(modal), -len(set(wide)))
        if score > best_score:
            best, best_score = sep, score
    return best


def _csv_rows(text: str, delimiter: str, filename: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return list(reader)
    except csv.Error as exc:
        line = max(1, reader.line_num)  # the line being read when it failed
        if "field larger than field limit" in str(exc):
            raise FileRejected(Message(N_("line {line} holds a cell of more than {limit} characters (a wrong column "
                                          "separator, or a quote that is never closed?)"), line=LocalNumber(line),
                                       limit=LocalNumber(csv.field_size_limit())), filename) from None
        raise FileRejected(Message(N_("not a readable CSV table (line {line}: {error})"), line=LocalNumber(line),
                                   error=str(exc)), filename) from None


def read_csv_grid(data: bytes, filename: str, limits: UploadLimits | None = None) -> Grid:
    limits = limits or UploadLimits()
    text, encoding = decode(data, filename)
    if not text.strip():
        raise FileRejected(Message(EMPTY), filename)
    if "\x00" in text:
        raise FileRejected(Message(N_("holds binary data, not a text table; upload CSV or .xlsx")), filename)
    try:
        check_text_rows(text, limits)  # lines first, on every line ending: nothing is split before it passes
        delimiter = _delimiter(text)
        check_text_table(text, delimiter, limits)
    except LimitExceeded as exc:
        raise FileRejected(exc.reason, filename) from None
    rows = _csv_rows(text, delimiter, filename)
    width = max((len(r) for r in rows), default=0)
    cells = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)
    return Grid(cells.map(cell_text), encoding=encoding, delimiter=delimiter)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (BIFF in an OLE container), as BNS publishes


def _excel_book(data: bytes, limits: UploadLimits | None = None) -> pd.ExcelFile:
    """The workbook, opened only after its size (and, for .xlsx, unpacked size and sheet extents) passed."""
    legacy = data.startswith(_OLE_MAGIC)
    try:
        check_size(data, limits or UploadLimits())
        (check_xls if legacy else check_xlsx)(data, limits or UploadLimits())
    except LimitExceeded as exc:
        raise FileRejected(exc.reason) from None
    try:
        return pd.ExcelFile(io.BytesIO(data), engine="calamine" if legacy else "openpyxl")
    except Exception as exc:  # xlrd and openpyxl raise many kinds of error for a damaged file
        kind = ".xls" if legacy else ".xlsx"
        raise FileRejected(Message(N_("not a readable Excel {kind} file ({error})"), kind=kind,
                                   error=exc.__class__.__name__)) from None


def _excel_cell(value):
    """Number cells stay exact (nothing to interpret); everything else becomes text."""
    if isinstance(value, bool):
        return cell_text(str(value))
    if isinstance(value, int | float) and value == value:
        return ExactNumber(str(int(value)) if float(value).is_integer() else repr(float(value)))
    return cell_text(value)


def read_excel_grid(data: bytes, filename: str, sheet: str | None, limits: UploadLimits | None = None) -> Grid:
    try:
        book = _excel_book(data, limits)
    except FileRejected as exc:
        raise FileRejected(exc.reason, filename) from None
    names = book.sheet_names
    if sheet is not None and sheet not in names:
        raise FileRejected(Message(N_("no sheet named {sheet}; sheets are {sheets}"), sheet=repr(sheet),
                                   sheets=", ".join(map(repr, names))), filename)
    name = sheet if sheet is not None else names[0]
    try:
        cells = pd.read_excel(book, sheet_name=name, header=None, dtype=object)
    except Exception as exc:  # openpyxl and calamine raise many kinds of error for a damaged sheet
        raise FileRejected(Message(N_("sheet {sheet} cannot be read: a damaged Excel file ({error})"),
                                   sheet=repr(name), error=exc.__class__.__name__), filename) from None
    if cells.empty:
        raise FileRejected(Message(N_("sheet {sheet} is empty"), sheet=repr(name)), filename)
    return Grid(cells.map(_excel_cell), sheet=name)


def excel_sheet_names(data: bytes, limits: UploadLimits | None = None) -> list[str]:
    return list(_excel_book(data, limits).sheet_names)


def read_grid(data: bytes, filename: str, sheet: str | None = None, limits: UploadLimits | None = None) -> Grid:
    """The cells of a CSV/TSV or .xlsx file, read only within ``limits`` (checked before parsing); raises
    FileRejected with a message naming the file."""
    limits = limits or UploadLimits()
    try:
        check_size(data, limits)
    except LimitExceeded as exc:
        raise FileRejected(exc.reason, filename) from None
    if not data or not data.strip():
        raise FileRejected(Message(EMPTY), filename)
    lower = filename.lower()
    if lower.endswith((".xls", ".xlsx", ".xlsm")) or data.startswith((b"PK\x03\x04", _OLE_MAGIC)):
        grid = read_excel_grid(data, filename, sheet, limits)
    else:
        grid = read_csv_grid(data, filename, limits)
    grid.cells = grid.cells.dropna(how="all").dropna(axis=1, how="all")
    if grid.cells.empty:
        raise FileRejected(Message(N_("the file has no data")), filename)
    return grid
