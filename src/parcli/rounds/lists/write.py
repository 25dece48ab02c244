"""The consolidated respondents workbook: one sheet per group, the counts unit × group, the problems."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any

from parcli import __version__, clock
from parcli.errors import ConsolidatedError, OutputError
from parcli.files import FileStamp, stamp_if_exists
from parcli.glossary import time_vn
from parcli.rounds.lists import layout
from parcli.rounds.lists.layout import STATUS_LABELS, fit_row_height
from parcli.xlsx.style import SMALL_FONT_SIZE, OpenpyxlStyles
from parcli.xlsx.text import openpyxl_text_cell
from parcli.xlsx.write import save_openpyxl

# The problems sheet as people read it: names, not ids; the problem's code last, for the technical reader.
PROBLEM_HEADERS: tuple[str, ...] = (
    "Mức độ",
    "Đơn vị",
    layout.HEADER_FILES,
    "Trang tính",
    "Ô",
    "Nhóm đối tượng",
    "Nội dung",
    "Mã lỗi (kỹ thuật)",
)

if TYPE_CHECKING:
    from parcli.config.lists_plan import ListsPlan
    from parcli.rounds.lists.merge import ListsMergeResult


def check_output(plan: ListsPlan, folder: Path, out: Path) -> FileStamp | None:
    """Refuse an output inside the lists folder or over a file that is not a respondents workbook of this campaign.

    Returns the stamp of ``out`` as it was read (None when there is none yet): the workbook is
    replaced only if still so.  :func:`write_respondents` calls it; a command may call it before
    reading the folder, to fail fast, and pass the stamp on.
    """
    if folder.resolve() in out.resolve().parents:
        raise OutputError(
            f"Tệp kết quả {out} nằm trong thư mục danh sách {folder}; parcli không ghi thêm tệp vào thư mục "
            "đầu vào. Chọn vị trí khác với --out."
        )
    read = stamp_if_exists(out)  # taken before the file is read: a save made from now on is noticed
    if read is not None:
        _check_existing(out, plan)
    return read


def _check_existing(out: Path, plan: ListsPlan) -> None:
    """Refuse to overwrite a file that is not a respondents workbook of this campaign."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(out, read_only=True)
    except Exception as exc:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại nhưng không đọc được ({type(exc).__name__}); parcli không ghi đè. Chọn tên "
            "khác với --out hoặc chuyển tệp đó đi."
        ) from exc
    try:
        from parcli.xlsx.open import read_metadata

        meta = read_metadata(wb, layout.SHEET_META, len(layout.LIST_META_KEYS) + 5)
    finally:
        wb.close()
    if not meta or meta.get(layout.META_KIND) != layout.KIND_RESPONDENTS:
        raise ConsolidatedError(
            f"Tệp {out} đã tồn tại và không phải danh sách tổng hợp đối tượng điều tra của parcli; parcli không ghi "
            "đè. Chọn tên khác với --out."
        )
    if meta.get(layout.META_CAMPAIGN) != plan.campaign.id:
        raise ConsolidatedError(
            f"Tệp {out} là danh sách tổng hợp của đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải "
            f"“{plan.campaign.id}”; parcli không ghi đè. Chọn tên khác với --out."
        )


def write_respondents(
    result: ListsMergeResult, out: Path, *, now: datetime | None = None, read: FileStamp | EllipsisType | None = ...
) -> None:
    """Write the consolidated respondents workbook atomically.

    One sheet per group in the plan's order (STT, name, position, agency, e-mail or
    dossier code and procedure, phone, nominating unit), the count sheet (unit ×
    group against the quota) and the problems.  Every text is written as text,
    never as a formula.  Refuses (``OutputError``) to write inside the lists
    folder, and (``ConsolidatedError``) to overwrite a file that is not a
    respondents workbook of the same campaign.  Like the consolidated workbook, an existing
    file is replaced only if unchanged since it was read (``read``: the stamp
    :func:`check_output` returned when the command started; by default, now), else
    ``OutputError`` and nothing is lost.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    plan = result.plan
    checked = check_output(plan, result.folder, out)
    since = checked if isinstance(read, EllipsisType) else read
    stamp = (now or clock.now()).replace(microsecond=0)

    s = OpenpyxlStyles(size=SMALL_FONT_SIZE)
    border, font, bold, wrap = s.border, s.font, s.bold, s.wrap
    center = Alignment(horizontal="center", vertical="top")  # the STT column (not wrapped, unlike s.center)
    header_fill = s.header_fill
    total_fill = s.subgroup_fill

    def put(ws: Any, r: int, c: int, value: object, *, style: Any = font) -> Any:
        cell = openpyxl_text_cell(ws, r, c, value)  # text from lists stays text, never a formula
        cell.font, cell.border, cell.alignment = style, border, wrap
        return cell

    def header(ws: Any, r: int, labels: tuple[str, ...], widths: tuple[float, ...]) -> None:
        for c, label in enumerate(labels, start=1):
            put(ws, r, c, label, style=bold).fill = header_fill
            ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]

    def page(ws: Any, hr: int, ncols: int, last: int) -> None:
        ws.freeze_panes = ws.cell(row=hr + 1, column=3)
        if last > hr:
            ws.auto_filter.ref = f"A{hr}:{get_column_letter(ncols)}{last}"
        ws.print_title_rows = f"{hr}:{hr}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True

    wb = Workbook()
    first_sheet = wb.active
    assert first_sheet is not None
    wb.remove(first_sheet)
    units = plan.unit_by_id
    when = time_vn(stamp)
    for group, people in zip(plan.groups, result.by_group().values(), strict=True):
        ws = wb.create_sheet(group.short)
        labels = layout.RESPONDENT_COLUMNS[group.kind]
        widths = layout.RESPONDENT_WIDTHS[group.kind]
        ws.cell(row=1, column=1, value=f"DANH SÁCH {group.label.upper()}").font = bold
        ws.cell(
            row=2,
            column=1,
            value=f"{plan.model.title}. {len(people)} người; tổng hợp {when} bằng parcli {__version__}.",
        ).font = font
        hr = layout.RESPONDENTS_HEADER_ROW
        header(ws, hr, labels, widths)
        for i, person in enumerate(people, start=1):
            r = hr + i
            contact = [person.email or ""] if group.kind == "official" else [person.dossier, person.procedure]
            row_values = [i, person.name, person.position, person.agency, *contact, person.phone or ""]
            row_values.append(units[person.unit_id].name)
            for c, value in enumerate(row_values, start=1):
                put(ws, r, c, value if value != "" else None)
            ws.cell(row=r, column=1).alignment = center
            fit_row_height(ws, r, dict(enumerate(widths, start=1)))
        page(ws, hr, len(labels), hr + len(people))

    counts = wb.create_sheet(layout.SHEET_COUNTS)
    counts.cell(row=1, column=1, value="SỐ LƯỢNG ĐỐI TƯỢNG THEO ĐƠN VỊ VÀ NHÓM").font = bold
    counts.cell(row=2, column=1, value=f"{plan.model.title}. Tổng hợp {when}.").font = font
    hr = layout.RESPONDENTS_HEADER_ROW
    header(counts, hr, layout.COUNT_HEADERS, layout.COUNT_WIDTHS)
    r = hr
    for outcome in result.units:
        for count in outcome.counts:
            r += 1
            files = outcome.used or ", ".join(outcome.files)
            for c, value in enumerate(
                [
                    outcome.unit.name,
                    outcome.unit.id,
                    STATUS_LABELS[outcome.status],
                    count.group.short,
                    count.quota,
                    count.nominated if outcome.used else None,
                    count.accepted if outcome.used else None,
                    count.label,
                    files or None,
                ],
                start=1,
            ):
                put(counts, r, c, value)
    for group in plan.groups:
        r += 1
        rows = [c for u in result.units for c in u.counts if c.group.id == group.id]
        quotas = [c.quota for c in rows]
        total_quota = sum(q for q in quotas if q is not None) if all(q is not None for q in quotas) else None
        for c, value in enumerate(
            [
                "Cộng",
                None,
                None,
                group.short,
                total_quota,
                sum(c.nominated for c in rows),
                sum(c.accepted for c in rows),
                None,
                None,
            ],
            start=1,
        ):
            put(counts, r, c, value, style=bold).fill = total_fill
    page(counts, hr, len(layout.COUNT_HEADERS), r)

    problems = wb.create_sheet(layout.SHEET_PROBLEMS)
    header(problems, 1, PROBLEM_HEADERS, (10, 30, 28, 18, 8, 24, 90, 22))
    groups = plan.group_by_id
    for r, p in enumerate(result.problems, start=2):
        unit = units.get(p.department or "")
        named = groups.get(p.item or "")
        for c, value in enumerate(
            [
                "Lỗi" if p.is_error else "Cảnh báo",
                unit.name if unit else "",
                p.file or "",
                p.sheet or "",
                p.cell or "",
                named.label if named else (p.item or ""),
                p.message,
                p.slug,
            ],
            start=1,
        ):
            put(problems, r, c, value if value != "" else None)
    problems.freeze_panes = "A2"
    if result.problems:
        problems.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_HEADERS))}{len(result.problems) + 1}"

    meta = wb.create_sheet(layout.SHEET_META)
    values = {
        layout.META_KIND: layout.KIND_RESPONDENTS,
        layout.META_LAYOUT: layout.LIST_LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: plan.campaign.id,
        layout.META_LISTS_HASH: plan.content_hash,
        layout.META_GENERATED_AT: stamp.isoformat(),
    }
    for i, (key, value) in enumerate(values.items(), start=1):
        meta.cell(row=i, column=1, value=key)
        openpyxl_text_cell(meta, i, 2, value)
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.properties.creator = f"parcli {__version__}"
    wb.properties.title = plan.model.title
    save_openpyxl(wb, out, read=since)
