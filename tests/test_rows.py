"""The row engine (:mod:`parcli.collect.rows`) on its own: a toy form kind declares a table, the engine reads it.

Every workbook is written with parcli's own writer and read through both readers a returned form
meets (the python-calamine fast path and openpyxl), which must agree: the header is found at any
row, its columns in any order; a missing header is ``header-missing``; typed text is fixed and
warned about by cell; a kind's own rule (an unknown item) lands on the right cell.  The table-form
builder (:mod:`parcli.collect.issue`) writes what the same declaration reads back.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from parcli.collect.issue import TableForm, build_table_form
from parcli.collect.rows import Column, Row, Table, TableRows, number_text, read_table, shown, text, typed_date
from parcli.problems import Problem, ProblemCollector
from parcli.xlsx.open import read_workbook
from parcli.xlsx.write import write_xlsxwriter

SHEET = "Bảng"
TABLE = Table(
    SHEET,
    (
        Column("code", "Mã", "code", required=True, width=8),
        Column("title", "Nội dung", width=30),
        Column("amount", "Số lượng", "number", required=True, input=True, width=10),
        Column("note", "Ghi chú", expected=True, input=True, width=30),
        Column("status", "Tình trạng", "choice", input=True, allowed=("Đạt", "Không đạt"), width=12),
    ),
    3,
    "có các cột “Mã” và “Số lượng”",
    "Đề nghị dùng mẫu đã phát hành.",
)
MISSING = "Không tìm thấy dòng tiêu đề (có các cột “Mã” và “Số lượng”) trên trang tính. Đề nghị dùng mẫu đã phát hành."
HEADER = ["Mã", "Nội dung", "Số lượng", "Ghi chú", "Tình trạng"]
KNOWN = {"1.1": "Mục một", "1.2": "Mục hai", "2.1": "Mục ba"}


def write_sheet(path: Path, rows: Sequence[Sequence[Any]], *, first_row: int = 1) -> Path:
    """A workbook of one sheet holding ``rows`` from ``first_row`` (1-based); None leaves a cell empty."""

    def build(wb: Any) -> None:
        ws = wb.add_worksheet(SHEET)
        for r, values in enumerate(rows, start=first_row - 1):
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str) and value.startswith("="):
                    ws.write_formula(r, c, value)
                elif isinstance(value, str):
                    ws.write_string(r, c, value)
                elif isinstance(value, datetime | date):
                    ws.write_datetime(r, c, value, wb.add_format({"num_format": "dd/mm/yyyy"}))
                else:
                    ws.write(r, c, value)

    write_xlsxwriter(path, build)
    return path


def read(
    path: Path, fast: bool, rule: Callable[[TableRows], None], table: Table = TABLE, max_rows: int = 100
) -> list[Problem]:
    """Open ``path`` as a returned form would be (fast path or openpyxl) and run ``rule`` on its table."""
    problems: list[Problem] = []
    add = ProblemCollector(problems, path.name)

    def run(wb: Any) -> None:
        found = read_table(wb[SHEET], table, add, max_rows=max_rows)
        if found is not None:
            rule(found)

    assert read_workbook(path, add, run, fast_sheets=(SHEET,) if fast else None, noun="mẫu")
    return problems


def codes_rule(seen: list[dict[str, Any]]) -> Callable[[TableRows], None]:
    """A toy kind: every row is an item of :data:`KNOWN`, else ``unknown-item`` on its code cell."""

    def rule(table: TableRows) -> None:
        for row in table:
            code = row.text("code")
            if code not in KNOWN:
                row.problem("unknown-item", f"Dòng {row.number} có mã “{code}” không có trong danh sách.", "code")
                continue
            seen.append(
                {
                    "row": row.number,
                    "code": code,
                    "amount": row.value("amount"),
                    "note": row.typed("note", item=code),
                    "note_cell": row.ref("note"),
                    "status": row.choice("status"),
                }
            )
        table.report_normalised()

    return rule


FAST = pytest.mark.parametrize("fast", [True, False], ids=["calamine", "openpyxl"])


@FAST
@pytest.mark.parametrize("first_row", [1, 4, 40])
def test_header_found_at_any_row(tmp_path: Path, fast: bool, first_row: int) -> None:
    path = write_sheet(tmp_path / "t.xlsx", [HEADER, ["1.1", "Mục một", 3, "ghi chú", "Đạt"]], first_row=first_row)
    seen: list[dict[str, Any]] = []
    assert read(path, fast, codes_rule(seen)) == []
    assert [(s["row"], s["code"], s["amount"], s["note"], s["note_cell"]) for s in seen] == [
        (first_row + 1, "1.1", 3, "ghi chú", f"D{first_row + 1}")
    ]


@FAST
def test_header_below_the_searched_rows_is_missing(tmp_path: Path, fast: bool) -> None:
    path = write_sheet(tmp_path / "t.xlsx", [HEADER, ["1.1", "Mục một", 3]], first_row=41)
    problems = read(path, fast, lambda table: pytest.fail("no table without its header"))
    assert [(p.slug, p.sheet, p.cell, p.message) for p in problems] == [("header-missing", SHEET, None, MISSING)]


@FAST
def test_columns_in_another_order_and_an_inserted_column(tmp_path: Path, fast: bool) -> None:
    header = ["Ghi chú", "Cột thêm", "Số lượng", "Tình trạng", "  mã ", "Nội dung"]  # labels compared loosely
    path = write_sheet(tmp_path / "t.xlsx", [["Tiêu đề"], header, ["ý kiến", "x", 2.5, "đạt", "1.2", "Mục hai"]])
    seen: list[dict[str, Any]] = []
    assert read(path, fast, codes_rule(seen)) == []
    assert seen == [
        {
            "row": 3,
            "code": "1.2",
            "amount": 2.5,
            "note": "ý kiến",
            "note_cell": "A3",
            "status": ("đạt", "Đạt"),  # a choice named loosely reads as the allowed value
        }
    ]


@FAST
def test_a_required_column_missing_means_no_table(tmp_path: Path, fast: bool) -> None:
    path = write_sheet(tmp_path / "t.xlsx", [["Mã", "Nội dung", "Ghi chú"], ["1.1", "Mục một", "x"]])
    problems = read(path, fast, lambda table: pytest.fail("no table without a required column"))
    assert [(p.slug, p.file, p.sheet, p.cell) for p in problems] == [("header-missing", "t.xlsx", SHEET, None)]


@FAST
def test_an_expected_column_missing_is_an_error_and_the_table_is_read(tmp_path: Path, fast: bool) -> None:
    path = write_sheet(tmp_path / "t.xlsx", [["Mã", "Nội dung", "Số lượng"], ["1.1", "Mục một", 4]], first_row=2)
    seen: list[dict[str, Any]] = []
    problems = read(path, fast, codes_rule(seen))
    assert [(p.slug, p.cell, p.message) for p in problems] == [
        ("header-missing", "E2", "Thiếu cột “Ghi chú” trên trang tính. Đề nghị dùng mẫu đã phát hành.")
    ]
    assert [(s["code"], s["amount"], s["note"], s["note_cell"]) for s in seen] == [("1.1", 4, "", None)]


@FAST
def test_text_warnings_by_cell(tmp_path: Path, fast: bool) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["1.1", "Mục một", 1, "dòng 1\ndòng 2"],
        ["1.2", "Mục hai", 2, "MARKER-LONG"],
        ["2.1", "Mục ba", 3, "Nguye\u0302\u0303n   Văn  An"],
    ]
    path = write_sheet(tmp_path / "t.xlsx", rows)
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:  # more than a cell holds: no writer makes it
        for info, data in members:
            archive.writestr(info, data.replace(b"MARKER-LONG", "chữ".encode() * 12000))
    seen: list[dict[str, Any]] = []
    problems = read(path, fast, codes_rule(seen))
    assert [(p.slug, p.sheet, p.cell, p.item) for p in problems] == [
        ("text-too-long", SHEET, "D3", "1.2"),
        ("text-normalised", SHEET, "D4", None),
    ]
    assert problems[0].message.startswith("Nội dung dài 36.000 ký tự")
    assert problems[1].message.startswith("1 ô có chữ tiếng Việt dạng tổ hợp (NFD)")
    notes = [s["note"] for s in seen]
    assert notes[0] == "dòng 1\ndòng 2"  # a text of several lines keeps its lines
    assert len(notes[1]) == 32_767
    assert notes[2] == "Nguyễn Văn An"  # composed (NFC), single spaces


def test_control_characters_are_dropped_with_a_warning(tmp_path: Path) -> None:
    """Read on the fast path, which decodes the ``_x0001_`` escapes a writer stores control characters as."""
    path = write_sheet(tmp_path / "t.xlsx", [HEADER, ["1.1", "Mục một", 1, "dòng 1\x0bdòng 2\x01"]])
    seen: list[dict[str, Any]] = []
    problems = read(path, True, codes_rule(seen))
    assert [(p.slug, p.sheet, p.cell, p.item) for p in problems] == [("text-control-characters", SHEET, "D2", "1.1")]
    assert seen[0]["note"] == "dòng 1\ndòng 2"  # the vertical tab is a line break, the other character dropped


@FAST
def test_unknown_item_and_blank_rows(tmp_path: Path, fast: bool) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["1.1", "Mục một", 1],
        [None, "chú thích giữa bảng", 9],
        ["  "],
        ["9.9", "Dòng tự thêm", 2],
    ]
    seen: list[dict[str, Any]] = []
    tables: list[TableRows] = []

    def rule(table: TableRows) -> None:
        tables.append(table)
        codes_rule(seen)(table)

    problems = read(write_sheet(tmp_path / "t.xlsx", rows), fast, rule)
    assert [(p.slug, p.cell, p.message) for p in problems] == [
        ("unknown-item", "A5", "Dòng 5 có mã “9.9” không có trong danh sách.")
    ]
    assert [s["row"] for s in seen] == [2]  # rows without a code are not the table's
    assert (tables[0].header_row, tables[0].last) == (1, 5)


@FAST
def test_formulas_are_seen_by_cell(tmp_path: Path, fast: bool) -> None:
    path = write_sheet(tmp_path / "t.xlsx", [HEADER, ["1.1", "Mục một", "=1+2", "x"]])
    found: list[tuple[bool, bool]] = []

    def rule(table: TableRows) -> None:
        found.extend((row.is_formula("amount"), row.is_formula("note")) for row in table)

    assert read(path, fast, rule) == []
    assert found == [(True, False)]


@FAST
def test_spaces_and_whole_numbers_as_a_kind_declares_them(tmp_path: Path, fast: bool) -> None:
    words = Table(
        SHEET,
        (Column("name", "Họ và tên", required=True), Column("phone", "Số điện thoại", required=True)),
        1,
        "có các cột “Họ và tên”, “Số điện thoại”",
        "Đề nghị dùng mẫu đã phát hành.",
        row_key=("name", "phone"),
        spaces="words",
        whole_numbers=True,
    )
    path = write_sheet(tmp_path / "t.xlsx", [["Họ và tên", "Số điện thoại"], ["Lê\nThị  Hoa", 912345678]])
    got: list[tuple[str, str]] = []

    def rule(table: TableRows) -> None:
        got.extend((row.typed("name"), row.typed("phone")) for row in table)

    assert read(path, fast, rule, table=words) == []
    assert got == [("Lê Thị Hoa", "912345678")]


def test_one_text_reading() -> None:
    assert [text(v) for v in (None, "  Ma\u0300 ", 1.5, 7)] == ["", "Mà", "1.5", "7"]
    assert shown(datetime(2024, 1, 2)) == "02/01/2024"
    assert shown(datetime(2024, 1, 2, 10, 30)) == "02/01/2024 10:30"
    assert shown(datetime(2024, 1, 2, 10, 30), whole=True) == "02/01/2024"
    assert (shown(5.0), shown(5.0, whole=True), shown(None)) == ("5.0", "5", "")
    assert [number_text(t) for t in ("7,5", "-1", ".5", "7.", "7,5,1", "")] == [
        Decimal("7.5"),
        Decimal(-1),
        Decimal("0.5"),
        Decimal(7),
        None,
        None,
    ]
    assert [typed_date(v) for v in ("30/11/2023", "2023-11-30", "30.11.2023", "31/02/2023", 5)] == [
        date(2023, 11, 30),
        date(2023, 11, 30),
        date(2023, 11, 30),
        None,
        None,
    ]


def test_the_declaration_drives_the_issued_form(tmp_path: Path) -> None:
    """What the table-form builder writes from a declaration, the engine reads back from the same one."""
    form = TableForm(
        TABLE,
        "BIỂU MẪU",
        "Nhập vào các ô màu vàng.",
        [{"code": code, "title": title, "amount": Decimal(i)} for i, (code, title) in enumerate(KNOWN.items())],
        "muc",
        [("code",), *((code,) for code in KNOWN)],
        {"kind": "toy"},
        frozen=1,
        document="Biểu mẫu",
        password="",
        created=datetime(2024, 1, 2, 9, 0),
    )
    path = tmp_path / "form.xlsx"
    write_xlsxwriter(path, lambda wb: build_table_form(wb, form))
    for fast in (True, False):
        rows: list[tuple[int, str, str, Any, str | None]] = []

        def rule(table: TableRows, rows: list[tuple[int, str, str, Any, str | None]] = rows) -> None:
            assert table.header_row == TABLE.header_row
            rows.extend((r.number, r.text("code"), r.text("title"), r.value("amount"), r.ref("status")) for r in table)

        assert read(path, fast, rule) == []
        assert [(n, c, t, float(a), ref) for n, c, t, a, ref in rows] == [
            (4, "1.1", "Mục một", 0.0, "E4"),
            (5, "1.2", "Mục hai", 1.0, "E5"),
            (6, "2.1", "Mục ba", 2.0, "E6"),
        ]


def test_a_row_is_only_what_its_kind_asks_for() -> None:
    """The declaration's helpers that issuing uses: labels, positions, widths, inputs."""
    assert TABLE.labels == tuple(HEADER)
    assert TABLE.position("amount") == 3
    assert TABLE.widths == {1: 8, 2: 30, 3: 10, 4: 30, 5: 12}
    assert TABLE.inputs == ("amount", "note", "status")
    assert Row.__slots__  # rows stay light: one per filled row of a sheet
