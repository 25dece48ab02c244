"""The guarded open bounds the worksheets a caller reads; with ``only`` it leaves the others alone."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from parcli.xlsx.open import WorkbookRefused, open_workbook, sniff_workbook

FAR = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'


def _book(path: Path, *, rels_target: bytes | None = None) -> Path:
    """Sheets "Đọc" (read) and "Bỏ qua" (not read, a cell at XFD1048576)."""
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Đọc").write_string(0, 0, "giá trị")
    wb.add_worksheet("Bỏ qua").write_string(0, 0, "khác")
    wb.close()
    with zipfile.ZipFile(path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    out = []
    for name, body in members:
        if name == "xl/worksheets/sheet2.xml":
            body = body.replace(b"</sheetData>", FAR + b"</sheetData>")
        if name == "xl/_rels/workbook.xml.rels" and rels_target is not None:
            body = body.replace(b"worksheets/sheet1.xml", rels_target)
        out.append((name, body))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in out:
            archive.writestr(name, body)
    return path


def _slugs(path: Path, only: tuple[str, ...] | None) -> list[str]:
    found: list[str] = []
    sniff_workbook(path, lambda slug, _message: found.append(slug), "bảng", only=only)
    return found


def test_an_unread_far_sheet_is_left_alone(tmp_path: Path) -> None:
    path = _book(tmp_path / "a.xlsx")
    assert _slugs(path, None) == ["sheet-too-large"]
    assert _slugs(path, ("Bỏ qua",)) == ["sheet-too-large"]
    assert _slugs(path, ("Đọc",)) == []
    wb = open_workbook(path, fast_sheets=("Đọc",), noun="bảng")
    assert [tuple(r) for r in wb["Đọc"].iter_rows(values_only=True)] == [("giá trị",)]
    with pytest.raises(WorkbookRefused):
        open_workbook(path, fast_sheets=("Đọc", "Bỏ qua"), noun="bảng")


def test_a_part_not_named_literally_bounds_every_sheet(tmp_path: Path) -> None:
    """A sheet whose target is not literally a member of the archive: every worksheet is bounded."""
    path = _book(tmp_path / "b.xlsx", rels_target=b"worksheets/./sheet1.xml")
    assert _slugs(path, ("Đọc",)) == ["sheet-too-large"]
