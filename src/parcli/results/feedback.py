"""Feedback copies: a department's own workbook with its problems marked, to send back.

Each faulty cell is highlighted and carries a comment saying what is wrong;
a first sheet lists every problem.  Nothing else changes: the hidden metadata,
validations and protection stay, so the corrected copy merges like an original.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from parcli.collect.package import form_file
from parcli.errors import UsageError
from parcli.files import staged_folder
from parcli.labels import severity_label
from parcli.problems import Problem
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import MergeResult
from parcli.xlsx.style import ERROR_FILL, FONT_NAME, FONT_SIZE, HEADER_FILL, HEADING_FONT_SIZE, INPUT_FILL, WARNING_FILL
from parcli.xlsx.text import openpyxl_text_cell
from parcli.xlsx.write import save_openpyxl

FEEDBACK_SHEET = "Cần sửa"


@dataclass(frozen=True)
class FeedbackCopy:
    """One annotated copy."""

    department_id: str
    source: str
    path: Path
    errors: int
    warnings: int
    dropped: tuple[str, ...] = ()  # what of the department's workbook the copy could not keep, in Vietnamese


# what openpyxl leaves out of a workbook it re-saves (it warns “… extension is not supported and will be
# removed”), as the officer is told it
_DROPPED = {
    "Data Validation": "danh sách chọn, ràng buộc nhập liệu kiểu Excel 2010 trở lên",
    "Conditional Formatting": "định dạng có điều kiện kiểu Excel 2010 trở lên",
    "Slicer List": "bộ lọc slicer",
    "Sparkline Group": "biểu đồ sparkline",
}
_NOT_KEPT = re.compile(r"^(.+?) extension is not supported and will be removed")


def _inside(child: Path, parent: Path) -> bool:
    try:
        child.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


def check_feedback_dir(folder: Path, out_dir: Path) -> None:
    """Refuse an output folder inside the returns folder (parcli never adds files there)."""
    if _inside(out_dir, folder):
        raise UsageError(
            f"Thư mục ghi bản góp ý ({out_dir}) không được nằm trong thư mục phiếu gửi về ({folder}): "
            "parcli không thêm tệp vào thư mục đó."
        )


def feedback_name(used: str) -> str:
    """``x.xlsx`` → ``x-can-sua.xlsx``; a returned feedback copy keeps its name (no ``-can-sua-can-sua``)."""
    stem = Path(used).stem
    return f"{stem}.xlsx" if stem.endswith("-can-sua") else f"{stem}-can-sua.xlsx"


def write_feedback(
    result: MergeResult, folder: Path, out_dir: Path, *, include_warnings: bool = False
) -> list[FeedbackCopy]:
    """Write an annotated copy of every used return with errors (and warnings, if asked) into ``out_dir``."""
    check_feedback_dir(folder, out_dir)
    returns = {r.file: r for r in result.returns}
    copies: list[FeedbackCopy] = []
    taken: set[str] = set()
    jobs = []
    for outcome in result.departments:
        if outcome.used is None or outcome.status not in ("ok", "invalid"):
            continue
        problems = [p for p in result.problems if p.file == outcome.used and p.department == outcome.department.id]
        errors = sum(1 for p in problems if p.is_error)
        if not errors and not (include_warnings and problems):
            continue
        name = feedback_name(outcome.used)
        stem, n = Path(name).stem, 1
        while name.casefold() in taken:  # "Biểu.xlsx" and "biểu.zip" would share a name on Windows
            n += 1
            name = f"{stem}-{n}.xlsx"
        taken.add(name.casefold())
        jobs.append((returns[outcome.used], name, outcome.department.name, problems))
        copies.append(FeedbackCopy(outcome.department.id, outcome.used, out_dir / name, errors, len(problems) - errors))
    if jobs:  # all copies or none: written into a staging folder, moved in once all are written
        with staged_folder(out_dir) as stage:
            for index, (ret, name, department, problems) in enumerate(jobs):
                with form_file(ret) as source:  # a package's form (a zip's is copied out privately)
                    package = ret.package is not None and ret.file
                    dropped = _annotate(source, stage / name, department, problems, package)
                copies[index] = replace(copies[index], dropped=dropped)
    return copies


def _clear_previous_marks(wb: Any) -> None:
    """Remove an earlier round's feedback: its problem sheet, and the fills and comments it put on cells."""
    from openpyxl.styles import PatternFill

    if FEEDBACK_SHEET in wb.sheetnames:
        del wb[FEEDBACK_SHEET]
    if layout.SHEET_SCORES not in wb.sheetnames:
        return
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    for row in wb[layout.SHEET_SCORES].iter_rows():
        for cell in row:
            colour = (cell.fill.fgColor.rgb or "") if cell.fill is not None and cell.fill.fgColor is not None else ""
            if str(colour).upper().endswith((ERROR_FILL, WARNING_FILL)):
                cell.fill = input_fill
                cell.comment = None


def _annotate(
    source: Path, target: Path, department: str, problems: list[Problem], package: str | bool
) -> tuple[str, ...]:
    """Copy ``source`` to ``target`` with its faulty cells marked and a first sheet listing ``problems``; what of
    the workbook the copy could not keep (openpyxl drops the extensions it does not know), in Vietnamese.

    ``package`` is the name of the package (zip or folder) the form came in, else False: the
    department is then told to put the corrected form back into its package.
    """
    from openpyxl import load_workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        wb = load_workbook(source)
    dropped = []
    for warning in caught:
        kept = _NOT_KEPT.match(str(warning.message))
        if kept is not None:
            words = _DROPPED.get(kept[1], f"phần mở rộng “{kept[1]}” của Excel")
            if words not in dropped:
                dropped.append(words)
    _clear_previous_marks(wb)
    by_cell: dict[tuple[str, str], list[Problem]] = {}
    for p in problems:
        if p.sheet and p.cell and p.sheet in wb.sheetnames:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    for (sheet, cell), found in by_cell.items():
        c = wb[sheet][cell]
        colour = ERROR_FILL if any(p.is_error for p in found) else WARNING_FILL
        c.fill = PatternFill("solid", fgColor=colour)
        text = "\n".join(f"{severity_label(p.is_error)}: {p.message}" for p in found)
        comment = Comment(text, "Sở Nội vụ")
        comment.width = 320
        comment.height = 60 + 18 * (len(text) // 45)
        c.comment = comment
    ws = wb.create_sheet(FEEDBACK_SHEET, 0)
    errors = sum(1 for p in problems if p.is_error)
    ws["A1"] = f"GÓP Ý PHIẾU TỰ ĐÁNH GIÁ — {department.upper()}"
    ws["A1"].font = Font(name=FONT_NAME, bold=True, size=HEADING_FONT_SIZE)
    ws["A2"] = (
        f"Phiếu có {errors} lỗi và {len(problems) - errors} cảnh báo. Các ô cần sửa được tô màu trên trang "
        f"“{layout.SHEET_SCORES}” (đỏ: lỗi, cam: cảnh báo); di chuột vào ô để xem ghi chú. Sửa trực tiếp "
        f"trong tệp này, cập nhật “{layout.COVER_SENT}” trên trang “{layout.SHEET_COVER}”, lưu lại và gửi lại "
        "cho Sở Nội vụ."
        + (
            f" Phiếu này được gửi trong gói “{package}”: đặt tệp đã sửa vào gói thay cho phiếu cũ (giữ nguyên "
            "các tài liệu kiểm chứng) rồi gửi lại cả gói."
            if package
            else ""
        )
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws["A2"].font = Font(name=FONT_NAME, size=FONT_SIZE)
    ws.merge_cells("A2:D2")
    layout.fit_row_height(ws, 2, {1: 120})
    headers = ("Mức độ", "Ô", "Mục", "Nội dung cần sửa")
    for col, (label, width) in enumerate(zip(headers, (10, 8, 8, 90), strict=True), start=1):
        cell = ws.cell(row=4, column=col, value=label)
        cell.font = Font(name=FONT_NAME, bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        ws.column_dimensions[cell.column_letter].width = width
    for r, p in enumerate(sorted(problems, key=lambda p: (not p.is_error, p.item or "")), start=5):
        values = (severity_label(p.is_error), p.cell or "", p.item or "", p.message)
        for col, value in enumerate(values, start=1):
            cell = openpyxl_text_cell(ws, r, col, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name=FONT_NAME)
        layout.fit_row_height(ws, r, {4: 90})
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.active = 0
    save_openpyxl(wb, target)
    return tuple(dropped)


def unreadable_returns(result: MergeResult) -> list[str]:
    """The files too damaged to be read at all: they get no feedback copy (the original must be sent again)."""
    return sorted({p.file for p in result.problems if p.file and p.department is None and p.is_error})
