"""Typing into a workbook's sheet XML directly, as another program would write it: numbers, inline strings,
spreadsheet error values (``#N/A``) and raw numbers openpyxl would never write (``NaN``, ``INF``)."""

from __future__ import annotations

import html
import re
import zipfile
from decimal import Decimal
from pathlib import Path


class Raw(str):
    """A value written as it stands in a number cell's ``<v>`` (``NaN``, ``INF``)."""


class Error(str):
    """A spreadsheet error value (``#N/A``), written as a ``t="e"`` cell."""


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for name, rid in re.findall(r'<sheet [^>]*?name="([^"]*)"[^>]*?r:id="([^"]+)"', workbook):
        if html.unescape(name) == sheet:
            target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)
            assert target is not None
            part = (target[1] or target[2]).lstrip("/")
            return part if part.startswith("xl/") else "xl/" + part
    raise AssertionError(f"no sheet {sheet}")


def _cell_xml(ref: str, style: str, value: object) -> str:
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, Error):
        return f'<c r="{ref}"{style} t="e"><v>{html.escape(value)}</v></c>'
    if isinstance(value, Raw):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    text = html.escape(str(value), quote=False)
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref)
    assert letters is not None
    number = 0
    for char in letters[0]:
        number = number * 26 + ord(char) - 64
    return number


def _set_in_row(row_xml: str, ref: str, value: object) -> str:
    found = re.search(rf'<c r="{ref}"((?: [^>]*?)?)(?:/>|>.*?</c>)', row_xml, re.S)
    if found is not None:
        style = re.search(r' s="\d+"', found[1] or "")
        return row_xml[: found.start()] + _cell_xml(ref, style[0] if style else "", value) + row_xml[found.end() :]
    cells = list(re.finditer(r'<c r="([A-Z]+)\d+"', row_xml))
    after = next((c for c in cells if _column(c[1]) > _column(ref)), None)
    at = after.start() if after is not None else row_xml.rindex("</row>")
    return row_xml[:at] + _cell_xml(ref, "", value) + row_xml[at:]


def set_cells(path: Path, sheet: str, values: dict[str, object]) -> None:
    """Type ``values`` (cell reference → value) into ``sheet`` of the workbook at ``path``, in place."""
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        members = [(info, archive.read(info)) for info in archive.infolist()]
    xml = {info.filename: data for info, data in members}[part].decode("utf-8")
    for ref, value in values.items():
        row = int(re.sub(r"[A-Z]+", "", ref))
        found = re.search(rf'<row r="{row}"[^>]*?(?:/>|>.*?</row>)', xml, re.S)
        if found is None:
            rows = [m for m in re.finditer(r'<row r="(\d+)"', xml) if int(m[1]) > row]
            at = rows[0].start() if rows else xml.index("</sheetData>")
            xml = xml[:at] + f'<row r="{row}"></row>' + xml[at:]
            found = re.search(rf'<row r="{row}"[^>]*?>.*?</row>', xml, re.S)
            assert found is not None
        row_xml = found[0]
        if row_xml.endswith("/>"):
            row_xml = row_xml[:-2] + "></row>"
        xml = xml[: found.start()] + _set_in_row(row_xml, ref, value) + xml[found.end() :]
    last = max(int(m) for m in re.findall(r'<row r="(\d+)"', xml))
    xml = re.sub(r'<dimension ref="([A-Z]+\d+):([A-Z]+)\d+"', rf'<dimension ref="\1:\g<2>{last}"', xml)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in members:
            out.writestr(info, xml.encode("utf-8") if info.filename == part else data)
