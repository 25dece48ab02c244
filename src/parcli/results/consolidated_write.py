"""Writing the consolidated workbook (and reading back the appraisals typed into it).

The workbook is parcli's output: it can be deleted and regenerated from the
returns; appraisals typed into an earlier copy are carried over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign
from parcli.config.catalogue import Leaf
from parcli.errors import ConsolidatedError
from parcli.files import atomic_path
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import EXEMPT_STATUS, STATUS_LABELS, MergeResult


@dataclass(frozen=True)
class Appraisal:
    """What a reviewer typed into a consolidated workbook for one item."""

    score: Any
    note: Any


def appraisal_key(unit: str, code: str) -> str:
    """Appraisals are matched by item code, and by unit in each-unit-scores mode."""
    return f"{unit}/{code}" if unit else code


def read_appraisals(path: Path, campaign: Campaign) -> dict[str, Appraisal]:
    """Read the appraised scores and notes typed into an existing consolidated workbook.

    Raises :class:`ConsolidatedError` when the file is not a consolidated
    workbook of this campaign (it is then not overwritten).
    """
    from openpyxl import load_workbook

    from parcli.rounds.scoring.read import CalamineBook

    wb: Any = CalamineBook.open(path, (layout.SHEET_CONSOLIDATED, layout.SHEET_META))
    if wb is None:
        try:
            wb = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:
            raise ConsolidatedError(
                f"Tệp {path} đã tồn tại nhưng không đọc được ({type(exc).__name__}); parcli không ghi đè. "
                "Chọn tên khác với --out hoặc chuyển tệp đó đi."
            ) from exc
    try:
        from parcli.rounds.scoring.read import read_metadata

        meta = read_metadata(wb)
        if not meta or meta.get(layout.META_KIND) != layout.KIND_CONSOLIDATED:
            raise ConsolidatedError(
                f"Tệp {path} đã tồn tại và không phải bảng tổng hợp của parcli; parcli không ghi đè. "
                "Chọn tên khác với --out."
            )
        if meta.get(layout.META_CAMPAIGN) != campaign.id:
            raise ConsolidatedError(
                f"Tệp {path} là bảng tổng hợp của đợt “{meta.get(layout.META_CAMPAIGN)}”, không phải "
                f"“{campaign.id}”; parcli không ghi đè. Chọn tên khác với --out."
            )
        if layout.SHEET_CONSOLIDATED not in wb.sheetnames:
            raise ConsolidatedError(f"Tệp {path} thiếu trang tính “{layout.SHEET_CONSOLIDATED}”; parcli không ghi đè.")
        ws = wb[layout.SHEET_CONSOLIDATED]
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
        header = layout.find_header(
            rows,
            (*layout.CONSOLIDATED_HEADERS, layout.HEADER_UNIT_ID),
            (layout.HEADER_CODE, layout.HEADER_APPRAISED, layout.HEADER_APPRAISAL_NOTE),
        )
        if header is None:
            raise ConsolidatedError(
                f"Không tìm thấy dòng tiêu đề trong {path} › {layout.SHEET_CONSOLIDATED}; parcli không ghi đè."
            )
        c_code = header.columns[layout.HEADER_CODE] - 1
        c_app = header.columns[layout.HEADER_APPRAISED] - 1
        c_note = header.columns[layout.HEADER_APPRAISAL_NOTE] - 1
        c_unit = header.columns.get(layout.HEADER_UNIT_ID)
        out: dict[str, Appraisal] = {}
        for row in rows[header.row :]:
            if len(row) <= max(c_code, c_app, c_note) or row[c_code] is None:
                continue
            score, note = row[c_app], row[c_note]
            if score not in (None, "") or note not in (None, ""):
                unit = str(row[c_unit - 1] or "").strip() if c_unit is not None else ""
                out[appraisal_key(unit, str(row[c_code]).strip())] = Appraisal(score=score, note=note)
        return out
    finally:
        wb.close()


def write_consolidated(result: MergeResult, out: Path, *, now: datetime | None = None) -> int:
    """Write the consolidated workbook atomically; return how many appraisals were carried over."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    campaign = result.campaign
    cat = campaign.catalogue
    appraisals = read_appraisals(out, campaign) if out.exists() else {}
    stamp = (now or clock.now()).replace(microsecond=0)
    if campaign.is_units:
        return _write_units_consolidated(result, out, appraisals, stamp)

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=11)
    bold = Font(name="Times New Roman", size=11, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    field_fill = PatternFill("solid", fgColor="DDEBF7")
    crit_fill = PatternFill("solid", fgColor="F2F2F2")
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    unlocked = Protection(locked=False)

    wb = Workbook()
    wb.properties.created = wb.properties.modified = stamp.astimezone(UTC).replace(tzinfo=None)
    ws = wb.active
    assert ws is not None
    ws.title = layout.SHEET_CONSOLIDATED
    ws.cell(row=1, column=1, value=f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ — {campaign.model.title.upper()}").font = bold
    ws.cell(
        row=2,
        column=1,
        value=f"Tổng hợp lúc {stamp.strftime('%d/%m/%Y %H:%M')} (UTC) bằng parcli {__version__}. "
        f"Cột “{layout.HEADER_APPRAISED}” và “{layout.HEADER_APPRAISAL_NOTE}” dành cho thẩm định; "
        "được giữ lại khi tổng hợp lại.",
    ).font = font
    hr = layout.CONSOLIDATED_HEADER_ROW
    col = {label: i for i, label in enumerate(layout.CONSOLIDATED_HEADERS, start=1)}
    widths = dict(enumerate(layout.CONSOLIDATED_WIDTHS, start=1))
    for label, i in col.items():
        c = ws.cell(row=hr, column=i, value=label)
        c.font, c.fill, c.border, c.alignment = bold, header_fill, border, wrap
    for i, width in enumerate(layout.CONSOLIDATED_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def put_text(r: int, label: str, value: str | None) -> None:
        c = ws.cell(row=r, column=col[label], value=value or None)
        if value:
            c.data_type = "s"  # text from returns stays text, never a formula

    def put_num(r: int, label: str, value: Decimal | None) -> None:
        if value is not None:
            ws.cell(row=r, column=col[label], value=int(value) if value == value.to_integral_value() else float(value))

    totals = result.totals()
    field_scores = {f["code"]: f["score"] for f in totals["fields"]}
    carried = 0
    r = hr + 1
    for f in cat.model.fields:
        _style_row(ws, r, len(col), bold, field_fill, border, wrap)
        put_text(r, layout.HEADER_CODE, f.code)
        put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[1])
        put_text(r, layout.HEADER_TITLE, f.title)
        put_num(r, layout.HEADER_MAX, f.max_points)
        put_num(r, layout.HEADER_SCORE, field_scores[f.code])
        r += 1
        for c in f.criteria:
            leaves = cat.leaves_under(c.code)
            if c.components:
                _style_row(ws, r, len(col), bold, crit_fill, border, wrap)
                put_text(r, layout.HEADER_CODE, c.code)
                put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[2])
                put_text(r, layout.HEADER_TITLE, c.title)
                put_num(r, layout.HEADER_MAX, c.max_points)
                put_num(
                    r, layout.HEADER_SCORE, sum((result.items[x.code].score or Decimal(0) for x in leaves), Decimal(0))
                )
                r += 1
            for leaf in leaves:
                item = result.items[leaf.code]
                _style_row(ws, r, len(col), font, None, border, wrap)
                put_text(r, layout.HEADER_CODE, leaf.code)
                put_text(r, layout.HEADER_LEVEL, layout.LEVEL_LABELS[3] if c.components else layout.LEVEL_LABELS[2])
                put_text(r, layout.HEADER_TITLE, leaf.title)
                put_num(r, layout.HEADER_MAX, leaf.max_points)
                put_text(r, layout.HEADER_SCORED_BY, layout.SCORED_BY_LABELS[leaf.scored_by])
                if item.not_applicable:
                    put_text(r, layout.HEADER_SCORE, layout.NOT_APPLICABLE)
                else:
                    put_num(r, layout.HEADER_SCORE, item.score)
                put_text(r, layout.HEADER_EXPLANATION, item.explanation)
                put_text(r, layout.HEADER_EVIDENCE, item.evidence)
                if leaf.is_self:
                    dept = campaign.owner_of[leaf.code]
                    put_text(r, layout.HEADER_DEPARTMENT, dept.name)
                    put_text(r, layout.HEADER_APPENDIX, dept.appendix)
                    for label in (layout.HEADER_APPRAISED, layout.HEADER_APPRAISAL_NOTE):
                        cell = ws.cell(row=r, column=col[label])
                        cell.protection = unlocked
                        cell.fill = input_fill
                    kept = appraisals.get(leaf.code)
                    if kept is not None:
                        carried += 1
                        ws.cell(row=r, column=col[layout.HEADER_APPRAISED], value=kept.score)
                        put_text(r, layout.HEADER_APPRAISAL_NOTE, None if kept.note is None else str(kept.note))
                put_text(r, layout.HEADER_ITEM_STATUS, item.status)
                put_text(r, layout.HEADER_FILE, item.file)
                layout.fit_row_height(ws, r, widths)
                r += 1
    ws.freeze_panes = ws.cell(row=hr + 1, column=col[layout.HEADER_MAX])
    ws.auto_filter.ref = f"A{hr}:{get_column_letter(len(col))}{r - 1}"
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    _write_departments(wb.create_sheet(layout.SHEET_DEPARTMENTS), result, bold, header_fill, border, wrap)
    _write_problems(wb.create_sheet(layout.SHEET_PROBLEMS), result, bold, header_fill, border, wrap)
    meta = wb.create_sheet(layout.SHEET_META)
    for i, (key, value) in enumerate(_metadata_values(campaign, stamp).items(), start=1):
        meta.cell(row=i, column=1, value=key)
        meta.cell(row=i, column=2, value=value).data_type = "s"
    meta.sheet_state = "hidden"
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return carried


def _metadata_values(campaign: Campaign, stamp: datetime) -> dict[str, str]:
    return {
        layout.META_KIND: layout.KIND_CONSOLIDATED,
        layout.META_LAYOUT: layout.LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: campaign.id,
        layout.META_CAMPAIGN_HASH: campaign.content_hash,
        layout.META_CATALOGUE: campaign.catalogue.id,
        layout.META_CATALOGUE_HASH: campaign.catalogue.content_hash,
        layout.META_GENERATED_AT: stamp.isoformat(),
        "campaign_path": str(campaign.path.resolve()),
        layout.META_MODE: campaign.model.mode,
    }


def _write_units_consolidated(result: MergeResult, out: Path, appraisals: dict[str, Appraisal], stamp: datetime) -> int:
    """each-unit-scores: one long table (unit × item), streamed row by row with xlsxwriter.

    A province-wide commune campaign is ~100,000 rows: xlsxwriter's constant-memory
    mode writes them several times faster than openpyxl and in flat memory.
    """
    import xlsxwriter

    campaign = result.campaign
    carried = 0
    with atomic_path(out) as tmp:
        wb = xlsxwriter.Workbook(
            str(tmp),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        bold = wb.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
        unlocked = wb.add_format({"locked": False, "bg_color": "#" + layout.INPUT_FILL})
        ws = wb.add_worksheet(layout.SHEET_CONSOLIDATED)
        for i, width in enumerate(layout.UNIT_CONSOLIDATED_WIDTHS):
            ws.set_column(i, i, width)
        ws.write_string(0, 0, f"BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ — {campaign.model.title.upper()}")
        ws.write_string(
            1,
            0,
            f"Tổng hợp lúc {stamp.strftime('%d/%m/%Y %H:%M')} (UTC) bằng parcli {__version__}; mỗi dòng là một mục "
            f"của một đơn vị. Cột “{layout.HEADER_APPRAISED}” và “{layout.HEADER_APPRAISAL_NOTE}” dành cho thẩm "
            "định; được giữ lại khi tổng hợp lại.",
        )
        header_row = 3
        for col, label in enumerate(layout.UNIT_CONSOLIDATED_HEADERS):
            ws.write_string(header_row, col, label, bold)
        c_appraised = layout.UNIT_CONSOLIDATED_HEADERS.index(layout.HEADER_APPRAISED)
        row = header_row + 1

        def put(col: int, value: Any, fmt: Any = None) -> None:
            if value is None or value == "":
                if fmt is not None:
                    ws.write_blank(row, col, None, fmt)
                return
            if isinstance(value, Decimal):
                ws.write_number(row, col, int(value) if value == value.to_integral_value() else float(value), fmt)
            elif isinstance(value, bool):
                ws.write_boolean(row, col, value, fmt)
            elif isinstance(value, int | float):
                ws.write_number(row, col, value, fmt)
            else:
                ws.write_string(row, col, str(value), fmt)  # text from returns stays text, never a formula

        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        # the per-item constants of each catalogue, computed once (a commune campaign repeats them 1,000 times)
        constants: dict[str, list[tuple[Leaf, str, str, float, str]]] = {}
        for unit in campaign.departments:
            cat = unit.catalogue
            if cat.id not in constants:
                constants[cat.id] = [
                    (leaf, leaf.code, leaf.title, float(leaf.max_points), layout.SCORED_BY_LABELS[leaf.scored_by])
                    for leaf in cat.leaves
                ]
        c_rest = c_appraised + 2
        for unit in campaign.departments:
            rows = result.unit_items.get(unit.id, {})
            unit_id, unit_name, group = unit.id, unit.name, unit.group or ""
            for leaf, code, title, max_points, scored_by in constants[unit.catalogue.id]:
                item = rows[code]
                exempt = item.status == EXEMPT_STATUS
                write_string(row, 0, unit_id)
                write_string(row, 1, unit_name)
                write_string(row, 2, group)
                write_string(row, 3, code)
                write_string(row, 4, title)
                write_number(row, 5, max_points)
                write_string(row, 6, scored_by)
                if item.not_applicable and not exempt:
                    write_string(row, 7, layout.NOT_APPLICABLE)
                elif item.score is not None:
                    write_number(row, 7, float(item.score))
                if leaf.is_self and not exempt:
                    kept = appraisals.get(appraisal_key(unit_id, code))
                    if kept is None:
                        write_blank(row, c_appraised, None, unlocked)
                        write_blank(row, c_appraised + 1, None, unlocked)
                    else:
                        carried += 1
                        put(c_appraised, kept.score, unlocked)
                        put(c_appraised + 1, None if kept.note is None else str(kept.note), unlocked)
                # text from returns stays text (write_string), never a formula
                if item.explanation:
                    write_string(row, c_rest, item.explanation)
                if item.evidence:
                    write_string(row, c_rest + 1, item.evidence)
                write_string(row, c_rest + 2, item.status)
                if item.file:
                    write_string(row, c_rest + 3, item.file)
                row += 1
        ws.freeze_panes(header_row + 1, 3)
        ws.autofilter(header_row, 0, max(row - 1, header_row), len(layout.UNIT_CONSOLIDATED_HEADERS) - 1)
        ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True})

        for name, headers, rows_ in (
            (layout.SHEET_DEPARTMENTS, layout.DEPARTMENT_HEADERS, _department_rows(result)),
            (layout.SHEET_PROBLEMS, layout.PROBLEM_HEADERS, _problem_rows(result)),
        ):
            sheet = wb.add_worksheet(name)
            date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
            for col, label in enumerate(headers):
                sheet.write_string(0, col, label, bold)
            for r, values in enumerate(rows_, start=1):
                for col, value in enumerate(values):
                    if value is None:
                        continue
                    if isinstance(value, date):
                        sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), date_format)
                    elif isinstance(value, int | float):
                        sheet.write_number(r, col, value)
                    else:
                        sheet.write_string(r, col, str(value))
        meta = wb.add_worksheet(layout.SHEET_META)
        for r, (key, value) in enumerate(_metadata_values(campaign, stamp).items()):
            meta.write_string(r, 0, key)
            meta.write_string(r, 1, value)
        meta.hide()
        wb.close()
    return carried


def _style_row(ws: Any, r: int, ncols: int, font: Any, fill: Any, border: Any, wrap: Any) -> None:
    for i in range(1, ncols + 1):
        c = ws.cell(row=r, column=i)
        c.font, c.border, c.alignment = font, border, wrap
        if fill is not None:
            c.fill = fill


def _write_table(
    ws: Any,
    headers: tuple[str, ...],
    rows: list[list[Any]],
    widths: list[int],
    bold: Any,
    fill: Any,
    border: Any,
    wrap: Any,
) -> None:
    from openpyxl.utils import get_column_letter

    for i, label in enumerate(headers, start=1):
        c = ws.cell(row=1, column=i, value=label)
        c.font, c.fill, c.border, c.alignment = bold, fill, border, wrap
        ws.column_dimensions[get_column_letter(i)].width = widths[i - 1]
    for r, values in enumerate(rows, start=2):
        for i, value in enumerate(values, start=1):
            c = ws.cell(row=r, column=i, value=value)
            if isinstance(value, str):
                c.data_type = "s"
            elif isinstance(value, date):
                c.number_format = "DD/MM/YYYY"
            c.border, c.alignment = border, wrap
    ws.freeze_panes = "A2"
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"


def _department_rows(result: MergeResult) -> list[list[Any]]:
    rows = []
    for d in result.departments:
        dept = d.department
        rows.append(
            [
                dept.appendix or dept.group,
                dept.id,
                dept.name,
                STATUS_LABELS[d.status],
                d.status,
                len(dept.items),
                float(dept.max_points),
                float(d.score),
                d.errors,
                d.warnings,
                ", ".join(d.files),
                date.fromisoformat(d.sent_date) if d.sent_date else None,
                date.fromisoformat(d.received) if d.received else None,
            ]
        )
    return rows


def _problem_rows(result: MergeResult) -> list[list[Any]]:
    names = {d.id: d.name for d in result.campaign.departments}
    return [
        [
            "Lỗi" if p.is_error else "Cảnh báo",
            p.slug,
            names.get(p.department or "", ""),
            p.file or "",
            p.sheet or "",
            p.cell or "",
            p.item or "",
            p.message,
        ]
        for p in result.problems
    ]


def _write_departments(ws: Any, result: MergeResult, *style: Any) -> None:
    rows = _department_rows(result)
    _write_table(ws, layout.DEPARTMENT_HEADERS, rows, [8, 16, 38, 14, 10, 10, 11, 12, 8, 10, 40, 14, 14], *style)


def _write_problems(ws: Any, result: MergeResult, *style: Any) -> None:
    _write_table(ws, layout.PROBLEM_HEADERS, _problem_rows(result), [10, 22, 30, 28, 14, 8, 8, 80], *style)
