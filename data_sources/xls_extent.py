"""The extent of a legacy .xls (BIFF8 in an OLE compound file), read from its records without building a sheet.

Calamine expands a sheet into a dense grid: a 5.6 KB .xls with one cell at IV65536 took 1.3 GB and 87 s. Here
the compound file's ``Workbook`` stream is followed through its sector chains (FAT or mini-FAT), and every
DIMENSIONS, ROW and cell record gives the last row and column it touches.
"""

from __future__ import annotations

import struct

_END_OF_CHAIN = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
# record type -> (offset of row, offset of column) in BIFF8 cell records
_CELLS = {0x0006: (0, 2), 0x00FD: (0, 2), 0x0201: (0, 2), 0x0203: (0, 2), 0x0204: (0, 2), 0x0205: (0, 2),
          0x027E: (0, 2), 0x00D6: (0, 2)}
_MULTI = (0x00BD, 0x00BE)  # MULRK, MULBLANK: row, first column, …, last column (u16 at the end)
_ROW, _DIMENSIONS = 0x0208, 0x0200


class NotCompoundFile(ValueError):
    """The bytes are not a readable OLE compound file (left to the Excel reader to report)."""


def _chain(table: list[int], start: int, limit: int) -> list[int]:
    sectors, seen = [], set()
    while start not in (_END_OF_CHAIN, _FREE) and start < len(table):
        if start in seen or len(sectors) > limit:
            raise NotCompoundFile("sector chain loops")
        seen.add(start)
        sectors.append(start)
        start = table[start]
    return sectors


def workbook_stream(data: bytes) -> bytes:
    """The ``Workbook`` (or ``Book``) stream of an .xls file."""
    if len(data) < 512:
        raise NotCompoundFile("too short")
    shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if not 7 <= shift <= 16 or not 2 <= mini_shift <= shift:
        raise NotCompoundFile("bad sector size")
    size, mini_size = 1 << shift, 1 << mini_shift
    (first_dir,) = struct.unpack_from("<I", data, 0x30)
    cutoff, first_minifat, _n_minifat, first_difat, n_difat = struct.unpack_from("<IIIII", data, 0x38)
    limit = len(data) // size + 1

    def sector(n: int) -> bytes:
        return data[(n + 1) * size:(n + 2) * size]

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s not in (_FREE, _END_OF_CHAIN)]
    next_difat, hops = first_difat, 0
    while next_difat not in (_FREE, _END_OF_CHAIN) and hops < n_difat and hops <= limit:
        entries = struct.unpack(f"<{size // 4}I", sector(next_difat))
        fat_sectors += [s for s in entries[:-1] if s not in (_FREE, _END_OF_CHAIN)]
        next_difat, hops = entries[-1], hops + 1
    fat = [v for s in fat_sectors for v in struct.unpack(f"<{size // 4}I", sector(s).ljust(size, b"\xff"))]

    directory = b"".join(sector(s) for s in _chain(fat, first_dir, limit))
    entries = {}
    for pos in range(0, len(directory) - 127, 128):
        entry = directory[pos:pos + 128]
        name_len = struct.unpack_from("<H", entry, 64)[0]
        name = entry[:max(0, name_len - 2)].decode("utf-16-le", "replace")
        kind = entry[66]
        start, length = struct.unpack_from("<IQ", entry, 116)
        entries[name] = (kind, start, length & 0xFFFFFFFF)
    root = next(((s, n) for k, s, n in entries.values() if k == 5), None)
    target = entries.get("Workbook") or entries.get("Book")
    if target is None or root is None:
        raise NotCompoundFile("no Workbook stream")
    _kind, start, length = target
    if length >= cutoff:
        return b"".join(sector(s) for s in _chain(fat, start, limit))[:length]
    mini_stream = b"".join(sector(s) for s in _chain(fat, root[0], limit))
    minifat_bytes = b"".join(sector(s) for s in _chain(fat, first_minifat, limit))
    minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes[:len(minifat_bytes) // 4 * 4]))
    chunks = [mini_stream[s * mini_size:(s + 1) * mini_size]
              for s in _chain(minifat, start, len(mini_stream) // mini_size + 1)]
    return b"".join(chunks)[:length]


def xls_extent(data: bytes) -> tuple[int, int]:
    """(rows, columns) the largest worksheet of an .xls reaches, by its records."""
    stream = workbook_stream(data)
    rows = cols = 0
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        body = stream[pos + 4:pos + 4 + length]
        pos += 4 + length
        if kind in _CELLS and len(body) >= 4:
            row, col = struct.unpack_from("<HH", body, 0)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif kind in _MULTI and len(body) >= 6:
            row = struct.unpack_from("<H", body, 0)[0]
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            rows, cols = max(rows, row + 1), max(cols, last + 1)
        elif kind == _ROW and len(body) >= 6:
            row, _first, last = struct.unpack_from("<HHH", body, 0)
            rows, cols = max(rows, row + 1), max(cols, last)
        elif kind == _DIMENSIONS and len(body) >= 12:
            _first_row, last_row, _first_col, last_col = struct.unpack_from("<IIHH", body, 0)
            rows, cols = max(rows, last_row), max(cols, last_col)
    return rows, cols
