"""Upload limits, checked on the raw bytes BEFORE any parser runs, so no file can take the server down.

* every file: its size in bytes;
* CSV: its number of lines, ended by ``\\r\\n``, ``\\n`` or a bare ``\\r`` as the CSV reader ends them, and the widest
  line's separators (counted on the text, not parsed);
* .xls: the rows and columns its BIFF records reach (``xls_extent``);
* .xlsx: the zip's declared uncompressed sizes (a zip bomb is refused before a byte is inflated), and the extent
  of every part that may hold a sheet — its ``<dimension>``, every row and cell reference, and rows and cells
  without one counted in order — scanned as a stream with the decompressed size already bounded and stopped at
  the limit, so one cell at XFD1048576 or 900,000 reference-free rows are refused without building the grid.

Limits come from ``[uploads]`` in config.toml.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from core.i18n import N_, LocalNumber, Message


class LimitExceeded(ValueError):
    """The file is larger than the configured upload limits allow; ``reason`` is a :class:`Message` (shown in the
    reader's language)."""

    def __init__(self, reason: Message) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = 10 * 1024 * 1024
    max_rows: int = 50_000
    max_columns: int = 300
    max_cells: int = 2_000_000
    max_decompressed_bytes: int = 60 * 1024 * 1024
    max_duplicate_rows_listed: int = 10  # a duplicate report names at most this many other rows
    jump_factor: float = 10.0  # a value this many times above or below the previous period needs a confirmation

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> UploadLimits:
        return cls(**{k: type(getattr(cls, k))(section[k]) for k in cls.__dataclass_fields__ if k in section})

    @classmethod
    def configured(cls) -> UploadLimits:
        from core.config import load_settings

        return cls.from_config(load_settings().section("uploads"))


def _mb(n: int) -> Message:
    return Message(N_("{size} MB"), size=LocalNumber(round(n / 1024 / 1024, 1), 1))


def check_size(data: bytes, limits: UploadLimits) -> None:
    if len(data) > limits.max_bytes:
        raise LimitExceeded(Message(N_("the file is {size}; uploads are limited to {limit}"), size=_mb(len(data)),
                                    limit=_mb(limits.max_bytes)))


def check_extent(rows: int, columns: int, limits: UploadLimits, where: Message | None = None,
                 at_least: bool = False) -> None:
    """Refuse a table beyond the limits; ``at_least``: the counts are where a scan stopped, not the end."""
    where = where or Message(N_("the table"))
    if rows > limits.max_rows:
        raise LimitExceeded(Message(N_("{where} has at least {rows} rows; uploads are limited to {limit}") if at_least
                                    else N_("{where} has {rows} rows; uploads are limited to {limit}"), where=where,
                                    rows=LocalNumber(rows), limit=LocalNumber(limits.max_rows)))
    if columns > limits.max_columns:
        raise LimitExceeded(Message(N_("{where} has {columns} columns; uploads are limited to {limit}"), where=where,
                                    columns=LocalNumber(columns), limit=LocalNumber(limits.max_columns)))
    if rows * columns > limits.max_cells:
        raise LimitExceeded(Message(N_("{where} spans at least {rows} × {columns} cells; uploads are limited to "
                                       "{limit} cells") if at_least else
                                    N_("{where} spans {rows} × {columns} cells; uploads are limited to {limit} cells"),
                                    where=where, rows=LocalNumber(rows), columns=LocalNumber(columns),
                                    limit=LocalNumber(limits.max_cells)))


def text_lines(text: str) -> int:
    """Lines of a text on every line ending the CSV reader knows: ``\\r\\n``, ``\\n`` and a bare ``\\r``."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (0 if text.endswith(("\n", "\r")) else 1)


def check_text_rows(text: str, limits: UploadLimits) -> None:
    """The lines of a CSV, counted on the text before anything splits or parses it."""
    check_extent(text_lines(text), 1, limits)


def check_text_table(text: str, delimiter: str, limits: UploadLimits) -> None:
    """Lines and the widest line of a CSV, counted on the text before the CSV parser runs (lines end where the
    CSV reader ends them: ``\\r\\n``, ``\\n`` or ``\\r``)."""
    check_text_rows(text, limits)
    widest = max((line.count(delimiter) for line in io.StringIO(text, newline="")), default=0) + 1
    check_extent(text_lines(text), widest, limits)


_TAG = re.compile(rb"<(?:\w+:)?(row|c|dimension)(?=[\s/>])([^>]*)>")  # not <c:chart>, <col>
_REF = re.compile(rb'\br(?:ef)?="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


@dataclass
class _Extent:
    """How far a worksheet's XML reaches. A row or cell without an ``r=`` reference follows the one before it (as
    Excel and openpyxl number them), so a sheet of reference-free rows is counted like any other."""

    rows: int = 0
    columns: int = 0
    row: int = 0     # the current row's number
    column: int = 0  # the current row's last cell

    def tag(self, name: bytes, attributes: bytes) -> None:
        ref = _REF.search(attributes)
        if name == b"dimension":
            if ref:
                for letters, digits in ((ref.group(1), ref.group(2)), (ref.group(3), ref.group(4))):
                    self.rows = max(self.rows, int(digits) if digits else 0)
                    self.columns = max(self.columns, _column_number(letters) if letters else 0)
            return
        if name == b"row":
            self.row = int(ref.group(2)) if ref and ref.group(2) else self.row + 1
            self.column = 0
            self.rows = max(self.rows, self.row)
            return
        if ref and ref.group(1):
            self.column = _column_number(ref.group(1))
            if ref.group(2):
                self.row = max(self.row, int(ref.group(2)))
        else:
            self.column += 1
        self.columns = max(self.columns, self.column)
        self.rows = max(self.rows, self.row or 1)

    def over(self, limits: UploadLimits) -> bool:
        return (self.rows > limits.max_rows or self.columns > limits.max_columns
                or self.rows * self.columns > limits.max_cells)


def _sheet_extent(stream: io.BufferedIOBase, limits: UploadLimits | None = None) -> tuple[int, int, bool]:
    """(last row, last column, complete) of a worksheet's XML, read in chunks: every row and cell counts, with or
    without an ``r=`` reference; with ``limits`` the scan stops (complete False) once the extent exceeds them."""
    extent, tail = _Extent(), b""
    while chunk := stream.read(1 << 20):
        block = tail + chunk
        cut = block.rfind(b">") + 1
        for match in _TAG.finditer(block, 0, cut):
            extent.tag(match.group(1), match.group(2))
        tail = block[cut:]
        if limits is not None and extent.over(limits):
            return extent.rows, extent.columns, not tail.strip() and not stream.read(1)
    return extent.rows, extent.columns, True


def check_xls(data: bytes, limits: UploadLimits) -> None:
    """A legacy .xls: the rows and columns its records reach (its compound file read without building a sheet).
    A file this reader cannot follow is refused rather than handed unchecked to the parser."""
    import struct

    from data_sources.xls_extent import NotCompoundFile, xls_extent

    try:
        rows, columns = xls_extent(data)
    except (NotCompoundFile, struct.error, IndexError, KeyError) as exc:
        raise LimitExceeded(Message(N_("not a readable Excel .xls file (its structure cannot be checked)"))) from exc
    check_extent(rows, columns, limits, Message(N_("the workbook")))


_NOT_SHEETS = (".png", ".jpeg", ".jpg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg")


def check_xlsx(data: bytes, limits: UploadLimits) -> None:
    """Declared uncompressed sizes and the extent of every part of an .xlsx that could hold a sheet (not only
    ``xl/worksheets/``: the workbook may point anywhere), without building a workbook. A zip that cannot be read
    to the end (a false declared size, a bad CRC-32) is refused here, before the Excel reader sees it."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        entries = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a zip: the Excel reader reports it as a damaged file
    total = sum(i.file_size for i in entries)
    if total > limits.max_decompressed_bytes:
        raise LimitExceeded(Message(N_("the workbook unpacks to {size}; uploads are limited to {limit} unpacked"),
                                    size=_mb(total), limit=_mb(limits.max_decompressed_bytes)))
    for info in entries:
        if info.is_dir() or info.filename.lower().endswith(_NOT_SHEETS):
            continue
        try:
            with book.open(info) as stream:
                rows, columns, complete = _sheet_extent(stream, limits)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
            raise LimitExceeded(Message(N_("not a readable Excel .xlsx file: its zip archive is damaged ({error})"),
                                        error=str(exc)[:200])) from exc
        check_extent(rows, columns, limits, Message(N_("sheet file {name}"), name=info.filename.rsplit("/", 1)[-1]),
                     at_least=not complete)
