"""Hostile uploads from the security pass of issue 9, built in memory (shared by bench/upload_limits.py and the
tests): one cell at XFD1048576, a zip-bomb workbook, one region repeated 20,000 times."""

from __future__ import annotations

import io
import zipfile

import openpyxl


def far_cell_xlsx() -> bytes:
    """A ~4.7 KB workbook whose only cell is XFD1048576 (the last cell a sheet can have)."""
    book = openpyxl.Workbook()
    book.active["XFD1048576"] = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def far_cell_xls() -> bytes:
    """A ~5.6 KB legacy .xls whose last cell is IV65536 (the last cell a BIFF8 sheet can have)."""
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("s")
    sheet.write(0, 0, "Регион")
    sheet.write(65535, 255, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 600) -> bytes:
    """A valid-looking workbook whose shared strings unpack to ``unpacked_mb`` MB (a few hundred KB packed)."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as stream:
            stream.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>')
            block = b"A" * (1 << 20)
            for _mb in range(unpacked_mb):
                stream.write(block)
            stream.write(b"</t></si></sst>")
    return out.getvalue()


def repeated_region_csv(rows: int = 20_000) -> bytes:
    """A tidy CSV where every row is the same region, indicator and period (each one a duplicate of all others)."""
    lines = ["indicator_id,region,period,value,note"]
    lines += [f"physicians_count,Akmola,2022,{2100 + i % 7},row {i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()
