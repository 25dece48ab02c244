"""The index workbook of the evidence pack (``danh-muc-tai-lieu.xlsx``): one row per item and file it cites.

Columns: item, department (or unit group and unit), file in the pack, size,
pages, dates found in the citation, problems; with the appraisal workbooks,
also the self-score, round 1, the final appraised score, the appraisal state
and the appraisers' note.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parcli.results.evidence.book import Card, EvidenceBook, PackedFile

INDEX_HEADERS = ("Mục", "Cơ quan", "Tệp trong gói", "Dung lượng (KB)", "Số trang", "Ngày văn bản", "Vấn đề")
UNIT_HEADERS = ("Nhóm đơn vị", "Mục", "Đơn vị", *INDEX_HEADERS[2:])
APPRAISAL_HEADERS = ("Tự chấm", "Thẩm định lần 1", "Điểm thẩm định", "Tình trạng thẩm định", "Ý kiến thẩm định")
STALE_NOTE = "phiếu tự đánh giá đã thay đổi sau khi thẩm định"


def headers(book: EvidenceBook) -> tuple[str, ...]:
    """The column headers for this book: units add the group, the appraisal workbooks add five columns."""
    base = UNIT_HEADERS if book.units else INDEX_HEADERS
    return base + APPRAISAL_HEADERS if book.appraised else base


def write_index(book: EvidenceBook, target: Path) -> Path:
    """The index workbook: one row per (item, department) with each file it cites, or none."""
    from parcli.xlsx.style import XW, xw_format
    from parcli.xlsx.write import cell_number, page, set_column_widths, write_text, write_xlsxwriter

    columns = headers(book)
    groups = dict(book.groups)

    def build(wb: Any) -> None:
        ws = wb.add_worksheet("Danh mục tài liệu")
        head = xw_format(wb, XW.bold, XW.border, XW.header_fill, XW.center)
        body = xw_format(wb, XW.font, XW.border, XW.wrap)
        number = xw_format(wb, XW.font, XW.border, XW.nowrap)
        ws.write_string(0, 0, f"DANH MỤC TÀI LIỆU KIỂM CHỨNG — {book.title}", xw_format(wb, XW.title))
        for col, label in enumerate(columns):
            ws.write_string(2, col, label, head)

        def num(row: int, col: int, value: float | int | Decimal | None) -> None:
            if value is None:
                ws.write_blank(row, col, None, number)
            else:
                ws.write_number(row, col, cell_number(value) if isinstance(value, Decimal) else value, number)

        row = 3
        for card in book.cards:
            problems = "\n".join(message for _sev, _slug, message in card.problems)
            files: list[PackedFile | None] = list(card.files) or [None]
            for packed in files:
                col = 0
                if book.units:
                    write_text(ws, row, 0, groups.get(card.group or "", card.group or ""), body)
                    col = 1
                write_text(ws, row, col, f"{card.code}. {card.title}", body)
                write_text(ws, row, col + 1, card.department_name, body)
                write_text(ws, row, col + 2, packed.relative if packed else "", body)
                num(row, col + 3, round(packed.size / 1024, 1) if packed is not None else None)
                num(row, col + 4, packed.pages if packed is not None else None)
                write_text(ws, row, col + 5, ", ".join(card.dates), body)
                write_text(ws, row, col + 6, problems, body)
                if book.appraised:
                    _appraisal_cells(ws, row, col + 7, card, body, num)
                row += 1
        widths = [40, 28, 50, 12, 9, 16, 60]
        if book.units:
            widths = [24, *widths]
        if book.appraised:
            widths += [9, 11, 11, 18, 40]
        set_column_widths(ws, {i + 1: w for i, w in enumerate(widths)})
        ws.freeze_panes(3, 0)
        ws.autofilter(2, 0, max(row - 1, 2), len(columns) - 1)
        page(ws, landscape=True, repeat_row=2)

    write_xlsxwriter(target, build)
    return target


def _appraisal_cells(ws: Any, row: int, col: int, card: Card, body: Any, num: Any) -> None:
    """Self-score, round 1, final, state and note of one card, from column ``col`` on."""
    from parcli.results.evidence.book import STALE, STATE_LABELS
    from parcli.xlsx.write import write_text

    a = card.appraisal
    num(row, col, None if card.not_applicable else card.score)
    num(row, col + 1, a.round1 if a else None)
    num(row, col + 2, a.final if a else None)
    state = STATE_LABELS[card.appraisal_state]
    if card.appraisal_state == STALE:
        state = f"{state} ({STALE_NOTE})"
    elif card.not_applicable and not a:
        state = "Không áp dụng"
    write_text(ws, row, col + 3, state, body)
    write_text(ws, row, col + 4, a.note if a else "", body)
