"""The one text sanitizer (issue 12): what a cell can hold, parcli writes without dying."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from parcli.xlsx.text import MAX_CELL_TEXT, cell_text, clean, openpyxl_text_cell


@pytest.mark.parametrize(
    ("raw", "text", "dropped", "cut"),
    [
        ("dòng 1\x0bdòng 2", "dòng 1\ndòng 2", False, False),
        ("trang 1\x0ctrang 2", "trang 1\ntrang 2", False, False),
        ("a\r\nb\rc", "a\nb\nc", False, False),
        ("bell\x07 nul\x00 esc\x1b", "bell nul esc", True, False),
        ("=1+1", "=1+1", False, False),
        ("x" * (MAX_CELL_TEXT + 5), "x" * MAX_CELL_TEXT, False, True),
        ("tab\tstays", "tab\tstays", False, False),
    ],
)
def test_cell_text(raw: str, text: str, dropped: bool, cut: bool) -> None:
    got = cell_text(raw)
    assert (got.text, got.dropped_controls, got.cut) == (text, dropped, cut)
    assert clean(raw) == text


def test_openpyxl_never_dies_and_formulas_stay_text(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row, value in enumerate(["a\x0bb", "=1+1", "x\x01y", 3], start=1):
        openpyxl_text_cell(ws, row, 1, value)
    wb.save(tmp_path / "t.xlsx")
    back = load_workbook(tmp_path / "t.xlsx").active
    assert back is not None
    assert [back.cell(row=r, column=1).value for r in range(1, 5)] == ["a\nb", "=1+1", "xy", 3]
    assert back.cell(row=2, column=1).data_type == "s"
