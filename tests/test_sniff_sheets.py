"""The guarded open bounds the worksheets a caller reads; with ``only`` it leaves the others alone."""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from parcli.xlsx import sheetxml
from parcli.xlsx.open import WorkbookRefused, open_workbook, sniff_workbook
from parcli.xlsx.sheetxml import column_letter

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


def _beyond_by_hand(ref: str, rows: int, columns: int) -> bool:
    """What the bound forbids: a reference not shaped ``[A-Z]{1,3}[0-9]{1,9}"``, or one past the bounds (a
    longer token is greater; as long, the greater text)."""
    match = re.match(r'([A-Z]{1,3})([0-9]{1,9})"', ref)
    if match is None:
        return True

    def greater(token: str, bound: str) -> bool:
        return (len(token), token) > (len(bound), bound)

    return greater(match[1], column_letter(columns)) or greater(match[2], str(rows))


@pytest.mark.parametrize("rows", [1, 5, 9, 10, 11, 20, 99, 100, 28_804, 1_048_576, 999_999_999])
@pytest.mark.parametrize("columns", [1, 2, 14, 26, 27, 52, 702, 703, 16_384, 18_278])
def test_the_bound_on_cell_references(rows: int, columns: int) -> None:
    """The pattern that bounds a sheet finds exactly the references past its bounds or of another shape."""
    rng = random.Random(rows * 31 + columns)
    letters = [column_letter(c) for c in {1, max(columns - 1, 1), columns, columns + 1, 26, 27, 703}]
    numbers = [str(n) for n in {0, 1, rows - 1, rows, rows + 1, 10 * rows}]
    refs = [f'{a}{b}"' for a in letters for b in numbers] + [f'{a}0{b}"' for a in letters for b in numbers]
    for _ in range(400):
        head = "".join(rng.choice("ABMNXZa") for _ in range(rng.randint(0, 4)))
        tail = "".join(rng.choice("0123456789") for _ in range(rng.randint(0, 11)))
        refs.append(head + tail + rng.choice(['"', '"', "x", ""]))
    pattern = sheetxml._beyond_pattern(rows, columns)
    assert pattern is not None
    for ref in refs:
        found = pattern.search(f'<row r="1"><c r="{ref} s="1"/></row>'.encode()) is not None
        assert found == _beyond_by_hand(ref, rows, columns), ref
