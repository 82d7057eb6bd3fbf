"""Hostile uploads from the security passes of issues 9 and 21, built in memory (shared by bench/upload_limits.py
and the tests): one cell at XFD1048576, a zip-bomb workbook, one region repeated 20,000 times; a CSV with
CR-only line endings, a workbook whose rows and cells carry no ``r=`` references, a 1,000,000-column first line, a
field over 131,072 characters, a workbook whose zip declares a false size, a period outside 1900–2099."""

from __future__ import annotations

import io
import struct
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


def cr_only_csv(rows: int = 1_200_000) -> bytes:
    """A ~9.6 MB CSV of ``rows`` rows ending in a bare carriage return (old Mac line endings): one line to a
    counter of ``\\n``."""
    return b"region,value\r" + b"KZ-11,1\r" * rows


def _workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A workbook made by openpyxl whose first worksheet's XML is replaced by ``sheet_xml``."""
    base = io.BytesIO()
    openpyxl.Workbook().save(base)
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, sheet_xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item))
    return out.getvalue()


def reference_free_xlsx(rows: int = 900_000) -> bytes:
    """A small workbook of ``rows`` rows whose ``<row>`` and ``<c>`` elements have no ``r=`` attribute (valid:
    Excel and openpyxl number them in order), with no ``<dimension>``: nothing for a reference scan to read."""
    body = b"<row><c t=\"inlineStr\"><is><t>Akmola</t></is></c><c><v>1</v></c></row>" * rows
    return _workbook_with_sheet(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                                b"<sheetData>" + body + b"</sheetData></worksheet>")


def wide_first_line_csv(columns: int = 1_000_000, delimiter: str = "|") -> bytes:
    """A first line of ``columns`` fields split by ``delimiter`` (a separator the sniffer does not try, so the
    whole line is one field to the CSV reader), then one ordinary row."""
    return (delimiter.join(["Регион", *["2024"] * (columns - 1)]) + "\nАкмолинская;1\n").encode()


def long_field_csv(chars: int = 200_000) -> bytes:
    """A tidy CSV whose note is one quoted field of ``chars`` characters (Python's csv limit is 131,072)."""
    return ("region,period,value,note\nAkmola,2024,2200,\"" + "x" * chars + "\"\n").encode()


def false_size_xlsx() -> bytes:
    """A real little table as .xlsx whose zip declares its worksheet shorter than it is: reading the sheet stops
    at the declared size and its CRC-32 does not match (``BadZipFile: Bad CRC-32``)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["region", "period", "value"])
    for n, region in enumerate(["Akmola", "Aktobe", "Atyrau"]):
        sheet.append([region, "2024", 2200 + n])
    out = io.BytesIO()
    book.save(out)
    data = bytearray(out.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    false_size = info.file_size // 2
    struct.pack_into("<I", data, info.header_offset + 22, false_size)  # the local header
    name = info.filename.encode()
    central = data.find(b"PK\x01\x02", 0)
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + length]) == name:
            struct.pack_into("<I", data, central + 24, false_size)  # the central directory
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def period_csv(year: int) -> bytes:
    """A tidy CSV of one value for the year ``year``."""
    return f"region,period,value\nAkmola,{year},2200\n".encode()
