"""Upload limits, checked on the raw bytes BEFORE any parser runs, so no file can take the server down.

* every file: its size in bytes;
* CSV: its number of lines and the widest line's separators (counted on the text, not parsed);
* .xls: the rows and columns its BIFF records reach (``xls_extent``);
* .xlsx: the zip's declared uncompressed sizes (a zip bomb is refused before a byte is inflated), and the extent
  of every worksheet — its ``<dimension>`` and every row and cell reference, scanned as a stream with the
  decompressed size already bounded — so one cell at XFD1048576 is refused without building the grid.

Limits come from ``[uploads]`` in config.toml.
"""

from __future__ import annotations

import io
import re
import zipfile
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


def check_extent(rows: int, columns: int, limits: UploadLimits, where: Message | None = None) -> None:
    where = where or Message(N_("the table"))
    if rows > limits.max_rows:
        raise LimitExceeded(Message(N_("{where} has {rows} rows; uploads are limited to {limit}"), where=where,
                                    rows=LocalNumber(rows), limit=LocalNumber(limits.max_rows)))
    if columns > limits.max_columns:
        raise LimitExceeded(Message(N_("{where} has {columns} columns; uploads are limited to {limit}"), where=where,
                                    columns=LocalNumber(columns), limit=LocalNumber(limits.max_columns)))
    if rows * columns > limits.max_cells:
        raise LimitExceeded(Message(N_("{where} spans {rows} × {columns} cells; uploads are limited to {limit} cells"),
                                    where=where, rows=LocalNumber(rows), columns=LocalNumber(columns),
                                    limit=LocalNumber(limits.max_cells)))


def check_text_table(text: str, delimiter: str, limits: UploadLimits) -> None:
    """Lines and the widest line of a CSV, counted on the text before the CSV parser runs."""
    rows = text.count("\n") + (0 if text.endswith("\n") else 1)
    widest = max((line.count(delimiter) for line in text.splitlines()), default=0) + 1
    check_extent(rows, widest, limits)


_REF = re.compile(rb'<(?:\w+:)?(row|c|dimension)\b[^>]*?\br(?:ef)?="([A-Z]*)(\d*)(?::([A-Z]*)(\d*))?"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _sheet_extent(stream: io.BufferedIOBase) -> tuple[int, int]:
    """(last row, last column) referenced anywhere in a worksheet's XML, read in chunks."""
    last_row = last_col = 0
    tail = b""
    while chunk := stream.read(1 << 20):
        block = tail + chunk
        cut = block.rfind(b">") + 1
        for match in _REF.finditer(block, 0, cut):
            for letters, digits in ((match.group(2), match.group(3)), (match.group(4), match.group(5))):
                if digits:
                    last_row = max(last_row, int(digits))
                if letters:
                    last_col = max(last_col, _column_number(letters))
        tail = block[cut:]
    return last_row, last_col


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


def check_xlsx(data: bytes, limits: UploadLimits) -> None:
    """Declared uncompressed sizes and every worksheet's extent of an .xlsx, without building a workbook."""
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
        if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
            with book.open(info) as stream:
                rows, columns = _sheet_extent(stream)
            check_extent(rows, columns, limits, Message(N_("sheet file {name}"),
                                                        name=info.filename.rsplit("/", 1)[-1]))
