"""Rows of a table as JSON or CSV, the same values in both: empty/None for missing, ``true``/``false`` for
booleans, ISO 8601 UTC for times, the shortest exact decimal for numbers. In CSV, like every export of the product,
a text that a spreadsheet would run as a formula starts with an apostrophe. Large tables come out in chunks."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from core.exports import neutralise
from server.api.tables import Field

CHUNK_ROWS = 500


def _native(value: object, kind: str) -> object:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if kind == "datetime":
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_convert(UTC).tz_localize(None)
        return datetime.fromisoformat(stamp.isoformat()).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "number":
        return float(value)
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return bool(value)
    return str(value)


def records(df: pd.DataFrame, fields: tuple[Field, ...]) -> list[dict[str, object]]:
    kinds = [(f.name, f.type) for f in fields]
    return [{name: _native(row[name], kind) for name, kind in kinds} for row in df.to_dict("records")]


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def json_chunks(meta: Mapping[str, object], rows: list[dict[str, object]]) -> Iterator[bytes]:
    """``{"meta": {...}, "data": [row, ...]}`` in chunks of rows."""
    yield ('{"meta":' + _dumps(meta) + ',"data":[').encode()
    for start in range(0, len(rows), CHUNK_ROWS):
        part = ",".join(_dumps(r) for r in rows[start:start + CHUNK_ROWS])
        yield ((',' if start else '') + part).encode()
    yield b"]}"


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return neutralise(value)  # a text a spreadsheet would run as a formula gets a leading apostrophe


def csv_chunks(fields: tuple[Field, ...], rows: list[dict[str, object]]) -> Iterator[bytes]:
    """A header line, then the rows, in chunks (UTF-8, no BOM, RFC 4180 quoting and line ends)."""
    names = [f.name for f in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(names)
    for start in range(0, max(len(rows), 1), CHUNK_ROWS):
        for row in rows[start:start + CHUNK_ROWS]:
            writer.writerow([_cell(row[n]) for n in names])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()


def csv_bytes(fields: tuple[Field, ...], rows: list[dict[str, object]]) -> bytes:
    return b"".join(csv_chunks(fields, rows))
