"""Feedback copies: a department's own workbook with its problems marked, to send back.

Each faulty cell is highlighted and carries a comment saying what is wrong;
a first sheet lists every problem.  Nothing else changes: the hidden metadata,
validations and protection stay, so the corrected copy merges like an original.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from parcli import layout
from parcli.errors import UsageError
from parcli.fsutil import atomic_path
from parcli.merge import MergeResult
from parcli.problems import Problem

FEEDBACK_SHEET = "Cần sửa"
ERROR_FILL = "FFC7CE"
WARNING_FILL = "FFEB9C"


@dataclass(frozen=True)
class FeedbackCopy:
    """One annotated copy."""

    department_id: str
    source: str
    path: Path
    errors: int
    warnings: int


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def write_feedback(
    result: MergeResult, folder: Path, out_dir: Path, *, include_warnings: bool = False
) -> list[FeedbackCopy]:
    """Write an annotated copy of every used return with errors (and warnings, if asked) into ``out_dir``."""
    if _inside(out_dir, folder):
        raise UsageError(
            f"Thư mục ghi bản góp ý ({out_dir}) không được nằm trong thư mục phiếu gửi về ({folder}): "
            "parcli không thêm tệp vào thư mục đó."
        )
    copies = []
    for outcome in result.departments:
        if outcome.used is None or outcome.status not in ("ok", "invalid"):
            continue
        problems = [p for p in result.problems if p.file == outcome.used and p.department == outcome.department.id]
        errors = sum(1 for p in problems if p.is_error)
        if not errors and not (include_warnings and problems):
            continue
        source = folder / outcome.used
        target = out_dir / f"{Path(outcome.used).stem}-can-sua.xlsx"
        _annotate(source, target, outcome.department.name, problems)
        copies.append(FeedbackCopy(outcome.department.id, outcome.used, target, errors, len(problems) - errors))
    return copies


def _annotate(source: Path, target: Path, department: str, problems: list[Problem]) -> None:
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = load_workbook(source)
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.sheet and p.cell and p.sheet in wb.sheetnames:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    for (sheet, cell), found in by_cell.items():
        c = wb[sheet][cell]
        colour = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
        c.fill = PatternFill("solid", fgColor=colour)
        text = "\n".join(f"{'Lỗi' if p.is_error else 'Cảnh báo'}: {p.message}" for p in found)
        comment = Comment(text, "Sở Nội vụ")
        comment.width = 320
        comment.height = 60 + 18 * (len(text) // 45)
        c.comment = comment
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    errors = sum(1 for p in problems if p.is_error)
    ws["A1"] = f"GÓP Ý PHIẾU TỰ ĐÁNH GIÁ — {department.upper()}"
    ws["A1"].font = Font(name="Times New Roman", bold=True, size=13)
    ws["A2"] = (
        f"Phiếu có {errors} lỗi và {len(problems) - errors} cảnh báo. Các ô cần sửa được tô màu trên trang "
        f"“{layout.SHEET_SCORES}” (đỏ: lỗi, vàng: cảnh báo); di chuột vào ô để xem ghi chú. Sửa trực tiếp "
        "trong tệp này, lưu lại và gửi lại cho Sở Nội vụ."
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"].font = Font(name="Times New Roman", size=12)
    ws.merge_cells("A2:E2")
    layout.fit_row_height(ws, 2, {1: 120})
    headers = ("Mức độ", "Ô", "Mục", "Mã lỗi", "Nội dung cần sửa")
    for col, (label, width) in enumerate(zip(headers, (10, 8, 8, 22, 72), strict=True), start=1):
        cell = ws.cell(row=4, column=col, value=label)
        cell.font = Font(name="Times New Roman", bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[cell.column_letter].width = width
    for r, p in enumerate(sorted(problems, key=lambda p: (not p.is_error, p.item or "")), start=5):
        values = ("Lỗi" if p.is_error else "Cảnh báo", p.cell or "", p.item or "", p.slug, p.message)
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col, value=value)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="Times New Roman")
        layout.fit_row_height(ws, r, {5: 72})
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    with atomic_path(target) as tmp:
        wb.save(tmp)
