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


def _random_sheet(rng: random.Random) -> bytes:
    """A small worksheet, mostly of the usual shape, with some unusual rows and cells among them."""

    def cell(r: int, c: int) -> str:
        col = column_letter(c)
        if rng.random() < 0.85:
            return f'<c r="{col}{r}" t="inlineStr"><is><t>x</t></is></c>'
        return rng.choice(
            [
                f'<c t="n" r="{col}{r}"><v>1</v></c>',
                "<c><v>1</v></c>",
                "<c/>",
                f'<c\tr="{col}{r}"/>',
                f'<x:c r="{col}{r}"/>',
                f'<c r="{col.lower()}{r}"/>',
                f'<c r="{col}{r * 1000}"/>',
                f'<c r="ZZ{r}"/>',
                f'<c r="{col}"/>',
                f'<c r="{col}0{r}"/>',
                f'<c r="ABCD{r}"/>',
                f'<c r="{col}1234567890"/>',
                f'<c  r="{col}{r}"/>',
            ]
        )

    def row(r: int, width: int) -> str:
        body = "".join(cell(r, c) for c in range(1, width + 1))
        if rng.random() < 0.9:
            return f'<row r="{r}">{body}</row>'
        return rng.choice(
            [
                f'<row spans="1:3" r="{r}">{body}</row>',
                f"<row>{body}</row>",
                f'<row r="{r * 100}">{body}</row>',
                f'<x:row r="{r}">{body}</x:row>',
                f'<row r="abc">{body}</row>',
                f'<row\nr="{r}">{body}</row>',
            ]
        )

    rows, width = rng.randint(0, 12), rng.randint(1, 5)
    dimension = rng.choice(
        [
            f'<dimension ref="A1:{column_letter(width)}{rows}"/>',
            "",
            '<dimension ref="A1"/>',
            '<dimension ref="A1:XFD1048576"/>',
            f'<dimension ref="B2:{column_letter(width + 1)}{rows + 2}"/>',
        ]
    )
    body = "".join(row(r, width) for r in range(1, rows + 1))
    columns = '<cols><col min="1" max="2"/></cols>'
    return f"<worksheet>{dimension}{columns}<sheetData>{body}</sheetData></worksheet>".encode()


def test_the_quick_bound_is_the_full_scan() -> None:
    """Whatever the shape of rows and cells, the extent is what the scan of every reference gives (the quick
    path only when it proves the usual shape within bounds; the full scan also counts a `<rowBreaks`)."""
    rng = random.Random(12)
    for _ in range(2000):
        xml = _random_sheet(rng)
        assert sheetxml.sheet_extent(xml) == sheetxml._sheet_extent_general(xml, *sheetxml._declared(xml)), xml


def test_a_usual_sheet_takes_the_quick_path(monkeypatch: pytest.MonkeyPatch) -> None:
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="B{r}"><v>2</v></c></row>' for r in range(1, 50))
    xml = f'<worksheet><dimension ref="A1:B49"/><sheetData>{cells}</sheetData></worksheet>'.encode()

    def no_scan(*_: object) -> tuple[int, int]:
        raise AssertionError("the full scan ran")

    monkeypatch.setattr(sheetxml, "_sheet_extent_general", no_scan)
    assert sheetxml.sheet_extent(xml) == (49, 2)
    assert sheetxml.sheet_extent(xml.replace(b"</sheetData>", b'</sheetData><rowBreaks count="1"/>')) == (49, 2)
