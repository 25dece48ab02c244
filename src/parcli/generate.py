"""Issue one protected, validated scoring workbook per department.

The layout comes from :mod:`parcli.layout`.  Each workbook has a cover sheet
with instructions, the scoring sheet (group rows with subtotals, one row per
assigned item, only the three input columns unlocked, a data validation on
every score cell) and a hidden metadata sheet that identifies the return
whatever its file name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from parcli import __version__, layout
from parcli.campaign import Campaign, Department
from parcli.catalogue import ChoiceRule, Leaf
from parcli.fsutil import atomic_path
from parcli.layout import fit_row_height
from parcli.numbers import fmt_points

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class GeneratedWorkbook:
    """One issued workbook."""

    department: Department
    path: Path
    items: int
    max_points: Decimal


@dataclass
class GenerateResult:
    """What ``generate_workbooks`` produced."""

    out_dir: Path
    workbooks: list[GeneratedWorkbook] = field(default_factory=list)
    unverified_nodes: int = 0
    total_nodes: int = 0

    @property
    def max_points(self) -> Decimal:
        """Sum of the maximum points over all issued workbooks."""
        return sum((w.max_points for w in self.workbooks), Decimal(0))


def date_vn(value: object) -> str:
    """``2024-01-15`` → ``15/01/2024``."""
    from datetime import date

    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def generate_workbooks(
    campaign: Campaign,
    out_dir: Path,
    *,
    now: datetime | None = None,
    departments: list[str] | None = None,
    on_progress: Callable[[Department], None] | None = None,
) -> GenerateResult:
    """Write one scoring workbook per department into ``out_dir`` (atomically, file by file)."""
    stamp = (now or datetime.now(UTC)).replace(microsecond=0)
    unverified, total = campaign.verification()
    result = GenerateResult(out_dir=out_dir, unverified_nodes=unverified, total_nodes=total)
    for dept in campaign.departments:
        if departments and dept.id not in departments:
            continue
        wb = build_return_workbook(campaign, dept, stamp)
        target = out_dir / f"{dept.file_stem}.xlsx"
        with atomic_path(target) as tmp:
            wb.save(tmp)
        result.workbooks.append(
            GeneratedWorkbook(department=dept, path=target, items=len(dept.items), max_points=dept.max_points)
        )
        if on_progress is not None:
            on_progress(dept)
    return result


class _Styles:
    """Styles created once per workbook."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

        thin = Side(style="thin", color="808080")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.font = Font(name="Times New Roman", size=12)
        self.bold = Font(name="Times New Roman", size=12, bold=True)
        self.title = Font(name="Times New Roman", size=14, bold=True)
        self.italic = Font(name="Times New Roman", size=12, italic=True)
        self.warning = Font(name="Times New Roman", size=12, bold=True, color="C00000")
        self.header_fill = PatternFill("solid", fgColor="D9E1F2")
        self.field_fill = PatternFill("solid", fgColor="DDEBF7")
        self.criterion_fill = PatternFill("solid", fgColor="F2F2F2")
        self.input_fill = PatternFill("solid", fgColor=layout.INPUT_FILL)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.nowrap = Alignment(wrap_text=False, vertical="top")
        self.center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        self.unlocked = Protection(locked=False)


def build_return_workbook(campaign: Campaign, dept: Department, generated_at: datetime) -> Workbook:
    """Build (not save) the scoring workbook of one department."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    styles = _Styles()
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = layout.SHEET_COVER
    scores = wb.create_sheet(layout.SHEET_SCORES)
    meta = wb.create_sheet(layout.SHEET_META)
    _write_cover(cover, campaign, dept, styles)
    lists = _write_meta(meta, campaign, dept, generated_at)
    _write_scores(scores, campaign, dept, styles, lists)
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    if campaign.model.protection_password:
        wb.security.workbookPassword = campaign.model.protection_password
    wb.properties.creator = f"parcli {__version__}"
    wb.properties.title = f"{campaign.model.title} — {dept.label} — {dept.name}"
    return wb


def _write_cover(ws: Worksheet, campaign: Campaign, dept: Department, s: _Styles) -> None:
    m = campaign.model
    cat = dept.catalogue
    unverified, total = cat.verification()
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 95
    rows: list[tuple[str, str, str]] = [  # (label, value, style)
        (m.organiser.name.upper(), "", "bold"),
        ("PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "", "title"),
        (m.title, "", "bold"),
        ("", "", ""),
        ("Cơ quan thực hiện", dept.name, "value"),
        *(
            [("Phụ lục", f"Phụ lục {dept.appendix}", "value")]
            if dept.appendix
            else [("Nhóm đơn vị", campaign.group_name(dept.group or ""), "value")]
        ),
        (
            "Số mục được giao",
            f"{len(dept.items)} tiêu chí thành phần, tổng điểm tối đa {fmt_points(dept.max_points)}",
            "value",
        ),
        *(
            [("Được miễn", "; ".join(f"{c}. {cat.node_titles[c]}" for c in dept.exempt), "value")]
            if dept.exempt
            else []
        ),
        ("Hạn gửi kết quả", f"Trước ngày {date_vn(m.deadlines.returns)} (gửi về {m.organiser.name})", "value"),
        ("Bộ tiêu chí", f"{cat.model.title} — {cat.model.decision}", "value"),
        ("Đơn vị tổng hợp", ", ".join(p for p in (m.organiser.unit, m.organiser.name) if p), "value"),
        ("Liên hệ", m.organiser.contact or "", "value"),
    ]
    if unverified:
        rows.append(
            (
                "Lưu ý",
                f"Bộ tiêu chí có {unverified}/{total} mục chưa được đối chiếu với văn bản chính thức "
                "(tạm tính). Nếu nội dung hoặc điểm tối đa khác với văn bản của Bộ Nội vụ, "
                "đề nghị ghi rõ trong cột Giải trình và báo cho đơn vị tổng hợp.",
                "warning",
            )
        )
    rows += [
        ("", "", ""),
        ("CÁCH ĐIỀN", "", "bold"),
        (
            "1.",
            f"Mở trang tính “{layout.SHEET_SCORES}”. Chỉ nhập vào các ô nền vàng của ba cột "
            f"“{layout.HEADER_SCORE}”, “{layout.HEADER_EXPLANATION}” và “{layout.HEADER_EVIDENCE}”; "
            "các ô khác đã được khoá.",
            "value",
        ),
        (
            "2.",
            f"{layout.HEADER_SCORE}: nhập số điểm (dùng dấu phẩy hoặc dấu chấm thập phân theo cài đặt của máy) "
            "hoặc chọn trong danh sách; không vượt quá điểm tối đa; không nhập công thức. "
            f"Mục nào được phép “{layout.NOT_APPLICABLE}” thì có lựa chọn này trong danh sách.",
            "value",
        ),
        (
            "3.",
            f"{layout.HEADER_EXPLANATION}: nêu căn cứ chấm điểm; bắt buộc với mục bị trừ điểm hoặc không áp dụng.",
            "value",
        ),
        (
            "4.",
            f"{layout.HEADER_EVIDENCE}: ghi số, ký hiệu, ngày, trích yếu của văn bản chứng minh "
            "(ví dụ: Kế hoạch số 204/KH-UBND ngày 23/12/2022 của UBND tỉnh) hoặc đường dẫn tới văn bản "
            "đã đăng tải trên phần mềm chấm điểm.",
            "value",
        ),
        (
            "5.",
            "Không đổi tên, thêm, xoá hay sắp xếp lại dòng, cột, trang tính; không sao chép sang tệp khác. "
            "Có thể đổi tên tệp. Lưu ở định dạng .xlsx (Excel, LibreOffice hoặc WPS).",
            "value",
        ),
        ("6.", "Điền các thông tin dưới đây, lưu tệp và gửi về đơn vị tổng hợp trước hạn.", "value"),
        ("", "", ""),
        ("THÔNG TIN NGƯỜI LẬP BIỂU", "", "bold"),
    ]
    for r, (label, value, style) in enumerate(rows, start=1):
        a = ws.cell(row=r, column=1, value=label)
        b = ws.cell(row=r, column=2, value=value or None)
        a.font = s.font
        b.font = s.font
        b.alignment = s.wrap
        a.alignment = s.wrap if style in ("value", "warning") else s.nowrap
        fit_row_height(ws, r, {2: 95})
        if style == "title":
            a.font = s.title
        elif style == "bold":
            a.font = s.bold
        elif style == "warning":
            a.font = s.warning
            b.font = s.warning
    start = len(rows) + 1
    from openpyxl.worksheet.datavalidation import DataValidation

    for offset, label in enumerate(layout.COVER_INPUT_LABELS):
        r = start + offset
        ws.cell(row=r, column=1, value=label).font = s.bold
        cell = ws.cell(row=r, column=2)
        cell.protection = s.unlocked
        cell.fill = s.input_fill
        cell.border = s.border
        cell.font = s.font
        if label == layout.COVER_SENT:
            cell.number_format = "DD/MM/YYYY"
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 01/01/2000
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="Ngày không hợp lệ",
                error="Nhập ngày gửi theo dạng ngày/tháng/năm, ví dụ 12/01/2024.",
                promptTitle="Ngày gửi",
                prompt="Ngày cơ quan gửi kết quả tự đánh giá (ngày/tháng/năm).",
            )
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
    ws.protection.sheet = True
    if campaign.model.protection_password:
        ws.protection.password = campaign.model.protection_password
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_meta(ws: Worksheet, campaign: Campaign, dept: Department, generated_at: datetime) -> dict[str, str]:
    """Write metadata and drop-down lists; return the list range of each choice item."""
    values = {
        layout.META_KIND: layout.KIND_RETURN,
        layout.META_LAYOUT: layout.LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: campaign.id,
        layout.META_CAMPAIGN_HASH: campaign.content_hash,
        layout.META_CATALOGUE: dept.catalogue.id,
        layout.META_CATALOGUE_HASH: dept.catalogue.content_hash,
        layout.META_DEPARTMENT: dept.id,
        layout.META_DEPARTMENT_NAME: dept.name,
        layout.META_APPENDIX: dept.appendix,
        layout.META_GENERATED_AT: generated_at.isoformat(),
        layout.META_ITEMS: ",".join(leaf.code for leaf in dept.items),
    }
    for r, key in enumerate(layout.META_KEYS, start=1):
        ws.cell(row=r, column=1, value=key)
        ws.cell(row=r, column=2, value=values[key]).data_type = "s"
    ranges: dict[str, str] = {}
    row = layout.META_LISTS_FIRST_ROW
    from openpyxl.utils import get_column_letter

    for leaf in dept.items:
        allowed = leaf.allowed_points()
        if allowed is None:
            continue
        choices: list[object] = [float(p) if p != p.to_integral_value() else int(p) for p in allowed]
        if leaf.not_applicable:
            choices.append(layout.NOT_APPLICABLE)
        ws.cell(row=row, column=1, value=leaf.code)
        for c, value in enumerate(choices, start=2):
            ws.cell(row=row, column=c, value=value)
        last = get_column_letter(1 + len(choices))
        ranges[leaf.code] = layout.sheet_ref(layout.SHEET_META, f"$B${row}:${last}${row}")
        row += 1
    return ranges


def _prompt(leaf: Leaf) -> tuple[str, str]:
    """Input prompt title (≤ 32 chars) and text (≤ 255 chars) for a score cell."""
    title = f"Mục {leaf.code}: tối đa {fmt_points(leaf.max_points)} đ"[:32]
    if isinstance(leaf.rule, ChoiceRule):
        text = "Chọn: " + "; ".join(fmt_points(o.points) for o in leaf.rule.options)
    else:
        text = f"Nhập số từ 0 đến {fmt_points(leaf.max_points)}, bước {fmt_points(leaf.rule.step)}"
    if leaf.not_applicable:
        text += f" hoặc “{layout.NOT_APPLICABLE}”"
    text += ". Xem cột Hướng dẫn chấm điểm."
    return title, text[:255]


def _validation_for(leaf: Leaf, cell: str, lists: dict[str, str]) -> object:
    from openpyxl.worksheet.datavalidation import DataValidation

    title, prompt = _prompt(leaf)
    common = {
        "allow_blank": True,
        "showErrorMessage": True,
        "showInputMessage": True,
        "errorStyle": "stop",
        "errorTitle": "Điểm không hợp lệ",
        "promptTitle": title,
        "prompt": prompt,
    }
    top = fmt_points(leaf.max_points, comma=False).replace(",", "")
    if leaf.code in lists:
        dv = DataValidation(
            type="list",
            formula1=lists[leaf.code],
            error=f"Mục {leaf.code}: chỉ được chọn một trong các mức trong danh sách.",
            **common,  # type: ignore[arg-type]
        )
    elif leaf.not_applicable:
        na = layout.NOT_APPLICABLE
        dv = DataValidation(
            type="custom",
            formula1=f'OR({cell}="{na}",AND(ISNUMBER({cell}),{cell}>=0,{cell}<={top}))',
            error=f"Mục {leaf.code}: nhập số từ 0 đến {fmt_points(leaf.max_points)} hoặc “{na}”.",
            **common,  # type: ignore[arg-type]
        )
    else:
        dv = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2=top,
            error=f"Mục {leaf.code}: nhập số từ 0 đến {fmt_points(leaf.max_points)}.",
            **common,  # type: ignore[arg-type]
        )
    dv.add(cell)
    return dv


def _guidance(leaf: Leaf) -> str:
    parts = [f"Cách chấm: {leaf.rule.describe()}."]
    if leaf.guidance:
        parts.append(leaf.guidance.strip())
    needs = []
    if leaf.evidence_required:
        needs.append("bắt buộc có tài liệu kiểm chứng")
    if leaf.explanation_required:
        needs.append("bắt buộc giải trình")
    if leaf.not_applicable:
        needs.append(f"được chọn “{layout.NOT_APPLICABLE}” nếu không thuộc phạm vi")
    if needs:
        parts.append("Yêu cầu: " + "; ".join(needs) + ".")
    if not leaf.verified:
        parts.append("(Nội dung, điểm tạm tính – chưa đối chiếu văn bản chính thức.)")
    return "\n".join(parts)


def _write_scores(ws: Worksheet, campaign: Campaign, dept: Department, s: _Styles, lists: dict[str, str]) -> None:
    from openpyxl.utils import get_column_letter

    cat = dept.catalogue
    m = campaign.model
    heading = f"PHỤ LỤC {dept.appendix}" if dept.appendix else dept.name.upper()
    ws.cell(row=1, column=1, value=heading).font = s.title
    ws.cell(
        row=2, column=1, value=f"KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {m.year} — {dept.name.upper()}"
    ).font = s.bold
    ws.cell(
        row=3,
        column=1,
        value=f"(Gửi {m.organiser.name} trước ngày {date_vn(m.deadlines.returns)}; chỉ nhập vào các ô nền vàng)",
    ).font = s.italic
    hr = layout.SCORE_HEADER_ROW
    for col, label in enumerate(layout.SCORE_HEADERS, start=1):
        c = ws.cell(row=hr, column=col, value=label)
        c.font = s.bold
        c.fill = s.header_fill
        c.border = s.border
        c.alignment = s.center
    for col, width in layout.COLUMN_WIDTHS.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[hr].height = 33

    score_col = get_column_letter(layout.COL_SCORE)
    row = hr + 1
    groups: list[tuple[int, str]] = []  # (row of the group, level) to fill subtotals later
    group_spans: dict[int, tuple[int, int]] = {}
    group_max: dict[int, Decimal] = {}
    current_field: str | None = None
    current_criterion: str | None = None
    field_row = criterion_row = 0
    first_item_row = row
    for leaf in dept.items:
        if leaf.field_code != current_field:
            current_field = leaf.field_code
            current_criterion = None
            field_row = row
            groups.append((row, "field"))
            _group_row(
                ws,
                row,
                leaf.field_code,
                f"Lĩnh vực {leaf.field_code}. {cat.node_titles[leaf.field_code]}",
                s,
                s.field_fill,
            )
            row += 1
        if leaf.criterion_code != leaf.code and leaf.criterion_code != current_criterion:
            current_criterion = leaf.criterion_code
            criterion_row = row
            groups.append((row, "criterion"))
            _group_row(ws, row, leaf.criterion_code, cat.node_titles[leaf.criterion_code], s, s.criterion_fill)
            fit_row_height(ws, row, layout.COLUMN_WIDTHS)
            row += 1
        _item_row(ws, row, leaf, s)
        fit_row_height(ws, row, layout.COLUMN_WIDTHS)
        dv = _validation_for(leaf, f"{score_col}{row}", lists)
        ws.add_data_validation(dv)  # type: ignore[arg-type]
        group_spans[field_row] = (field_row + 1, row)
        group_max[field_row] = group_max.get(field_row, Decimal(0)) + leaf.max_points
        if leaf.criterion_code != leaf.code:
            group_spans[criterion_row] = (criterion_row + 1, row)
            group_max[criterion_row] = group_max.get(criterion_row, Decimal(0)) + leaf.max_points
        row += 1
    last_item_row = row - 1
    for grow, _level in groups:
        first, last = group_spans[grow]
        ws.cell(row=grow, column=layout.COL_MAX, value=_num(group_max[grow]))
        ws.cell(row=grow, column=layout.COL_SCORE, value=f"=SUBTOTAL(9,{score_col}{first}:{score_col}{last})")
        for col in (layout.COL_MAX, layout.COL_SCORE):
            ws.cell(row=grow, column=col).font = s.bold
    total_row = row
    ws.cell(row=total_row, column=layout.COL_CODE, value=layout.TOTAL_LABEL).font = s.bold
    ws.cell(row=total_row, column=layout.COL_MAX, value=_num(dept.max_points)).font = s.bold
    ws.cell(
        row=total_row,
        column=layout.COL_SCORE,
        value=f"=SUBTOTAL(9,{score_col}{first_item_row}:{score_col}{last_item_row})",
    ).font = s.bold
    for col in range(1, len(layout.SCORE_HEADERS) + 1):
        ws.cell(row=total_row, column=col).border = s.border
        ws.cell(row=total_row, column=col).fill = s.header_fill

    ws.freeze_panes = ws.cell(row=hr + 1, column=layout.COL_MAX)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if campaign.model.protection_password:
        ws.protection.password = campaign.model.protection_password


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _group_row(ws: Worksheet, row: int, code: str, title: str, s: _Styles, fill: object) -> None:
    ws.cell(row=row, column=layout.COL_CODE, value=code)
    ws.cell(row=row, column=layout.COL_TITLE, value=title)
    for col in range(1, len(layout.SCORE_HEADERS) + 1):
        c = ws.cell(row=row, column=col)
        c.font = s.bold
        c.fill = fill  # type: ignore[assignment]
        c.border = s.border
        c.alignment = s.wrap


def _item_row(ws: Worksheet, row: int, leaf: Leaf, s: _Styles) -> None:
    values: dict[int, object] = {
        layout.COL_CODE: leaf.code,
        layout.COL_TITLE: leaf.title,
        layout.COL_MAX: _num(leaf.max_points),
        layout.COL_GUIDANCE: _guidance(leaf),
    }
    for col in range(1, len(layout.SCORE_HEADERS) + 1):
        c = ws.cell(row=row, column=col, value=values.get(col))
        c.font = s.font
        c.border = s.border
        c.alignment = s.center if col in (layout.COL_CODE, layout.COL_MAX, layout.COL_SCORE) else s.wrap
        if col in layout.INPUT_COLUMNS:
            c.protection = s.unlocked
            c.fill = s.input_fill
    ws.cell(row=row, column=layout.COL_CODE).data_type = "s"
