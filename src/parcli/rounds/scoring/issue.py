"""Issue one protected, validated scoring workbook per department.

The layout comes from :mod:`parcli.rounds.scoring.layout`.  Each workbook has a cover sheet
with instructions, the scoring sheet (group rows with subtotals, one row per
assigned item, only the three input columns unlocked, a data validation on
every score cell) and a hidden metadata sheet that identifies the return
whatever its file name.

Workbooks are written with xlsxwriter (several times faster than openpyxl for
this write-only job); returns are read back with openpyxl
(:mod:`parcli.rounds.scoring.read`).  More than :data:`PARALLEL_MIN` workbooks are spread
over two worker processes, each loading the campaign once.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign, Department, load_campaign
from parcli.config.catalogue import ChoiceRule, Leaf
from parcli.errors import OutputError
from parcli.files import atomic_path
from parcli.numbers import fmt_points
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.layout import estimate_row_height

PARALLEL_MIN = 20  # more workbooks than this are written by worker processes
PARALLEL_WORKERS = 2


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
    """Write one scoring workbook per department into ``out_dir`` (atomically, file by file).

    The result lists the workbooks in department order; ``on_progress`` is
    called in this process as each workbook is done.
    """
    stamp = (now or clock.now()).replace(microsecond=0)
    unverified, total = campaign.verification()
    result = GenerateResult(out_dir=out_dir, unverified_nodes=unverified, total_nodes=total)
    selected = [d for d in campaign.departments if not departments or d.id in departments]
    for dept in _write_all(campaign, selected, stamp, out_dir):
        result.workbooks.append(
            GeneratedWorkbook(
                department=dept, path=_target(out_dir, dept), items=len(dept.items), max_points=dept.max_points
            )
        )
        if on_progress is not None:
            on_progress(dept)
    return result


def _target(out_dir: Path, dept: Department) -> Path:
    return out_dir / f"{dept.file_stem}.xlsx"


def write_return_workbook(campaign: Campaign, dept: Department, generated_at: datetime, target: Path) -> None:
    """Write the scoring workbook of one department to ``target`` (atomically)."""
    from xlsxwriter.exceptions import XlsxWriterException

    with atomic_path(target) as tmp:
        # in_memory: the parts are built in memory, not in temporary files, then zipped to tmp
        wb = _workbook_class()(str(tmp), {"constant_memory": False, "in_memory": True})
        try:
            _build(wb, campaign, dept, generated_at)
        except BaseException:
            with contextlib.suppress(Exception):
                wb.close()  # xlsxwriter complains about unclosed workbooks; atomic_path drops the file
            raise
        try:
            wb.close()  # writes and closes the file before atomic_path renames it
        except XlsxWriterException as exc:
            raise OutputError(f"Không ghi được tệp {target}: {exc}") from exc


# --- one workbook ------------------------------------------------------------------------------


@cache
def _workbook_class() -> type[Any]:
    """xlsxwriter's Workbook with workbook (structure) protection, which it has no method for."""
    import xlsxwriter

    class ProtectedWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
        lock_structure = False
        structure_password = ""

        def _write_workbook_pr(self) -> None:
            super()._write_workbook_pr()
            if self.lock_structure:  # <workbookProtection> follows <workbookPr> (ECMA-376 CT_Workbook)
                attributes: list[tuple[str, object]] = []
                if self.structure_password:
                    attributes.append(("workbookPassword", legacy_password_hash(self.structure_password)))
                attributes.append(("lockStructure", 1))
                self._xml_empty_tag("workbookProtection", attributes)

    return ProtectedWorkbook


def legacy_password_hash(password: str) -> str:
    """The legacy 16-bit protection hash of sheets and workbooks (ECMA-376 Part 4, §14.7.1)."""
    digest = 0
    for char in reversed(password):
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password) ^ 0xCE4B
    return f"{digest:X}"


def _width_px(width: float) -> int:
    """Pixels that xlsxwriter writes back as exactly ``width`` characters (Calibri 11: 7 px a digit)."""
    return round(width * 7)


class _Formats:
    """The cell formats of one workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, wb: Any) -> None:
        # "automatic": no <color> element, as openpyxl wrote these fonts (xlsxwriter would write theme 1)
        font = {"font_name": "Times New Roman", "font_size": 12, "font_color": "automatic"}
        bold = {**font, "bold": True}
        border = {"border": 1, "border_color": "#808080"}
        wrap = {"text_wrap": True, "valign": "top"}
        nowrap = {"valign": "top"}
        center = {"align": "center", "valign": "top", "text_wrap": True}
        unlocked_input = {"locked": False, "pattern": 1, "bg_color": "#" + layout.INPUT_FILL}
        header_fill = {"pattern": 1, "bg_color": "#D9E1F2"}

        def fmt(*parts: Mapping[str, object]) -> Any:
            props: dict[str, object] = {}
            for part in parts:
                props.update(part)
            return wb.add_format(props)

        cover_fonts = {
            "": font,
            "value": font,
            "bold": bold,
            "title": {**font, "font_size": 14, "bold": True},
            "warning": {**bold, "font_color": "#C00000"},
        }
        # cover rows by style: (label format, value format)
        self.cover = {
            style: (
                fmt(f, wrap if style in ("value", "warning") else nowrap),
                fmt(cover_fonts["warning"] if style == "warning" else font, wrap),
            )
            for style, f in cover_fonts.items()
        }
        self.cover_input_label = fmt(bold)
        self.cover_input = fmt(font, border, unlocked_input)
        self.cover_date = fmt(font, border, unlocked_input, {"num_format": "DD/MM/YYYY"})
        self.title = fmt(cover_fonts["title"])
        self.bold = fmt(bold)
        self.italic = fmt(font, {"italic": True})
        self.header = fmt(bold, header_fill, border, center)
        self.field = fmt(bold, {"pattern": 1, "bg_color": "#DDEBF7"}, border, wrap)
        self.criterion = fmt(bold, {"pattern": 1, "bg_color": "#F2F2F2"}, border, wrap)
        center_cols = (layout.COL_CODE, layout.COL_MAX, layout.COL_SCORE)
        self.item = {
            col: fmt(
                font,
                border,
                center if col in center_cols else wrap,
                unlocked_input if col in layout.INPUT_COLUMNS else {},
            )
            for col in range(1, len(layout.SCORE_HEADERS) + 1)
        }
        self.total_bold = fmt(bold, border, header_fill)
        self.total = fmt(border, header_fill)  # default font, as the cells openpyxl wrote


def _build(wb: Any, campaign: Campaign, dept: Department, generated_at: datetime) -> None:
    f = _Formats(wb)
    cover = wb.add_worksheet(layout.SHEET_COVER)
    scores = wb.add_worksheet(layout.SHEET_SCORES)
    meta = wb.add_worksheet(layout.SHEET_META)
    password = campaign.model.protection_password or ""
    _write_cover(cover, campaign, dept, f, password)
    lists = _write_meta(meta, campaign, dept, generated_at)
    _write_scores(scores, campaign, dept, f, lists, password)
    meta.hide()
    cover.activate()
    wb.lock_structure = True
    wb.structure_password = password
    created = generated_at.astimezone(UTC) if generated_at.tzinfo else generated_at
    wb.set_properties(
        {
            "title": f"{campaign.model.title} — {dept.label} — {dept.name}",
            "author": f"parcli {__version__}",
            "created": created,
        }
    )


def _page(ws: Any, *, landscape: bool) -> None:
    """A4, fit to one page wide; the margins openpyxl wrote (0.75/1 inch, header/footer 0.5)."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    _margins(ws)


def _margins(ws: Any) -> None:
    ws.set_margins(left=0.75, right=0.75, top=1, bottom=1)
    ws.set_header("", {"margin": 0.5})
    ws.set_footer("", {"margin": 0.5})


def _protect(ws: Any, password: str, *, format_rows_and_columns: bool) -> None:
    """Protect a sheet as openpyxl did: objects and scenarios stay editable; optionally row/column sizes."""
    options = {"objects": True, "scenarios": True}
    if format_rows_and_columns:
        options.update(format_columns=True, format_rows=True)
    ws.protect(password, options)


def _validate(ws: Any, row: int, col: int, options: dict[str, object]) -> None:
    """Add a data validation to one cell (1-based); xlsxwriter refuses bad ones with a code, not an error."""
    if ws.data_validation(row - 1, col - 1, row - 1, col - 1, options) != 0:
        raise ValueError(f"xlsxwriter refused the data validation of {ws.name}!R{row}C{col}: {options}")


def _write_cover(ws: Any, campaign: Campaign, dept: Department, f: _Formats, password: str) -> None:
    m = campaign.model
    cat = dept.catalogue
    unverified, total = cat.verification()
    ws.set_column_pixels(0, 0, _width_px(28))
    ws.set_column_pixels(1, 1, _width_px(95))
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
    for r, (label, value, style) in enumerate(rows):
        label_fmt, value_fmt = f.cover[style]
        _text(ws, r, 0, label, label_fmt)
        _text(ws, r, 1, value, value_fmt)
        height = estimate_row_height({2: value or None}, {2: 95})
        if height is not None:
            ws.set_row(r, height)
    start = len(rows)
    for offset, label in enumerate(layout.COVER_INPUT_LABELS):
        r = start + offset
        ws.write_string(r, 0, label, f.cover_input_label)
        if label == layout.COVER_SENT:
            ws.write_blank(r, 1, None, f.cover_date)
            _validate(
                ws,
                r + 1,
                2,
                {
                    "validate": "date",
                    "criteria": ">",
                    "value": "36526",  # 01/01/2000
                    "ignore_blank": True,
                    "show_error": True,
                    "show_input": True,
                    "error_title": "Ngày không hợp lệ",
                    "error_message": "Nhập ngày gửi theo dạng ngày/tháng/năm, ví dụ 12/01/2024.",
                    "input_title": "Ngày gửi",
                    "input_message": "Ngày cơ quan gửi kết quả tự đánh giá (ngày/tháng/năm).",
                },
            )
        else:
            ws.write_blank(r, 1, None, f.cover_input)
    _protect(ws, password, format_rows_and_columns=False)
    _page(ws, landscape=False)


def _write_meta(ws: Any, campaign: Campaign, dept: Department, generated_at: datetime) -> dict[str, str]:
    """Write metadata and drop-down lists; return the list range of each choice item."""
    from xlsxwriter.utility import xl_col_to_name

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
    for r, key in enumerate(layout.META_KEYS):
        ws.write_string(r, 0, key)
        _text(ws, r, 1, values[key])  # always text, even "1"
    ranges: dict[str, str] = {}
    row = layout.META_LISTS_FIRST_ROW
    for leaf in dept.items:
        allowed = leaf.allowed_points()
        if allowed is None:
            continue
        ws.write_string(row - 1, 0, leaf.code)
        for c, points in enumerate(allowed, start=1):
            ws.write_number(row - 1, c, _num(points))
        last = len(allowed)
        if leaf.not_applicable:
            last += 1
            ws.write_string(row - 1, last, layout.NOT_APPLICABLE)
        ranges[leaf.code] = layout.sheet_ref(layout.SHEET_META, f"$B${row}:${xl_col_to_name(last)}${row}")
        row += 1
    _margins(ws)
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


def _validation_for(leaf: Leaf, cell: str, lists: dict[str, str]) -> dict[str, object]:
    """xlsxwriter options of the data validation of a score cell."""
    title, prompt = _prompt(leaf)
    options: dict[str, object] = {
        "ignore_blank": True,
        "show_error": True,
        "show_input": True,
        "error_type": "stop",
        "error_title": "Điểm không hợp lệ",
        "input_title": title,
        "input_message": prompt,
    }
    top = fmt_points(leaf.max_points, comma=False).replace(",", "")
    if leaf.code in lists:
        options["validate"] = "list"
        options["source"] = lists[leaf.code]
        options["error_message"] = f"Mục {leaf.code}: chỉ được chọn một trong các mức trong danh sách."
    elif leaf.not_applicable:
        na = layout.NOT_APPLICABLE
        options["validate"] = "custom"
        options["value"] = f'OR({cell}="{na}",AND(ISNUMBER({cell}),{cell}>=0,{cell}<={top}))'
        options["error_message"] = f"Mục {leaf.code}: nhập số từ 0 đến {fmt_points(leaf.max_points)} hoặc “{na}”."
    else:
        options["validate"] = "decimal"
        options["criteria"] = "between"
        options["minimum"] = "0"
        options["maximum"] = top
        options["error_message"] = f"Mục {leaf.code}: nhập số từ 0 đến {fmt_points(leaf.max_points)}."
    return options


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


def _write_scores(
    ws: Any, campaign: Campaign, dept: Department, f: _Formats, lists: dict[str, str], password: str
) -> None:
    from xlsxwriter.utility import xl_col_to_name

    cat = dept.catalogue
    m = campaign.model
    heading = f"PHỤ LỤC {dept.appendix}" if dept.appendix else dept.name.upper()
    ws.write_string(0, 0, heading, f.title)
    ws.write_string(1, 0, f"KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {m.year} — {dept.name.upper()}", f.bold)
    ws.write_string(
        2,
        0,
        f"(Gửi {m.organiser.name} trước ngày {date_vn(m.deadlines.returns)}; chỉ nhập vào các ô nền vàng)",
        f.italic,
    )
    hr = layout.SCORE_HEADER_ROW
    for col, label in enumerate(layout.SCORE_HEADERS):
        ws.write_string(hr - 1, col, label, f.header)
    for col, width in layout.COLUMN_WIDTHS.items():
        ws.set_column_pixels(col - 1, col - 1, _width_px(width))
    ws.set_row(hr - 1, 33)

    widths = layout.COLUMN_WIDTHS
    n_cols = len(layout.SCORE_HEADERS)
    score_col = xl_col_to_name(layout.COL_SCORE - 1)
    row = hr + 1  # 1-based, as in the layout
    groups: list[tuple[int, Any]] = []  # (row of the group, its format) to fill subtotals later
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
            groups.append((row, f.field))
            _group_row(
                ws, row, leaf.field_code, f"Lĩnh vực {leaf.field_code}. {cat.node_titles[leaf.field_code]}", f.field
            )
            row += 1
        if leaf.criterion_code != leaf.code and leaf.criterion_code != current_criterion:
            current_criterion = leaf.criterion_code
            criterion_row = row
            groups.append((row, f.criterion))
            title = cat.node_titles[leaf.criterion_code]
            _group_row(ws, row, leaf.criterion_code, title, f.criterion)
            _fit(ws, row, {layout.COL_CODE: leaf.criterion_code, layout.COL_TITLE: title}, widths)
            row += 1
        guidance = _guidance(leaf)
        r0 = row - 1
        ws.write_string(r0, layout.COL_CODE - 1, leaf.code, f.item[layout.COL_CODE])
        _text(ws, r0, layout.COL_TITLE - 1, leaf.title, f.item[layout.COL_TITLE])
        ws.write_number(r0, layout.COL_MAX - 1, _num(leaf.max_points), f.item[layout.COL_MAX])
        for col in layout.INPUT_COLUMNS:
            ws.write_blank(r0, col - 1, None, f.item[col])
        _text(ws, r0, layout.COL_GUIDANCE - 1, guidance, f.item[layout.COL_GUIDANCE])
        _fit(ws, row, {layout.COL_CODE: leaf.code, layout.COL_TITLE: leaf.title, layout.COL_GUIDANCE: guidance}, widths)
        _validate(ws, row, layout.COL_SCORE, _validation_for(leaf, f"{score_col}{row}", lists))
        group_spans[field_row] = (field_row + 1, row)
        group_max[field_row] = group_max.get(field_row, Decimal(0)) + leaf.max_points
        if leaf.criterion_code != leaf.code:
            group_spans[criterion_row] = (criterion_row + 1, row)
            group_max[criterion_row] = group_max.get(criterion_row, Decimal(0)) + leaf.max_points
        row += 1
    last_item_row = row - 1
    for grow, fmt in groups:
        first, last = group_spans[grow]
        ws.write_number(grow - 1, layout.COL_MAX - 1, _num(group_max[grow]), fmt)
        ws.write_formula(grow - 1, layout.COL_SCORE - 1, f"=SUBTOTAL(9,{score_col}{first}:{score_col}{last})", fmt)
    t0 = row - 1
    for col in range(n_cols):
        ws.write_blank(t0, col, None, f.total)
    ws.write_string(t0, layout.COL_CODE - 1, layout.TOTAL_LABEL, f.total_bold)
    ws.write_number(t0, layout.COL_MAX - 1, _num(dept.max_points), f.total_bold)
    ws.write_formula(
        t0,
        layout.COL_SCORE - 1,
        f"=SUBTOTAL(9,{score_col}{first_item_row}:{score_col}{last_item_row})",
        f.total_bold,
    )

    ws.freeze_panes(hr, layout.COL_MAX - 1)
    ws.repeat_rows(hr - 1)
    _page(ws, landscape=True)
    _protect(ws, password, format_rows_and_columns=True)


def _group_row(ws: Any, row: int, code: str, title: str, fmt: Any) -> None:
    """A field or criterion row: code and title; maximum and subtotal are written once the span is known."""
    ws.write_string(row - 1, layout.COL_CODE - 1, code, fmt)
    _text(ws, row - 1, layout.COL_TITLE - 1, title, fmt)
    for col in range(layout.COL_MAX, len(layout.SCORE_HEADERS) + 1):
        ws.write_blank(row - 1, col - 1, None, fmt)


def _text(ws: Any, row: int, col: int, text: str, fmt: Any = None) -> None:
    """Write text (0-based cell); empty text leaves an empty cell (xlsxwriter would store "")."""
    if text:
        ws.write_string(row, col, text, fmt)
    elif fmt is not None:
        ws.write_blank(row, col, None, fmt)


def _fit(ws: Any, row: int, texts: Mapping[int, object], widths: Mapping[int, float]) -> None:
    height = estimate_row_height(texts, widths)
    if height is not None:
        ws.set_row(row - 1, height)


def _num(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- many workbooks: worker processes ------------------------------------------------------------


def _write_all(campaign: Campaign, selected: list[Department], stamp: datetime, out_dir: Path) -> Iterator[Department]:
    """Write the workbooks of ``selected``; yield each department, in order, once its file is written."""
    workers = min(PARALLEL_WORKERS, os.cpu_count() or 1)
    done = 0
    if len(selected) > PARALLEL_MIN and workers > 1 and campaign.path.is_file():
        for dept in _write_parallel(campaign, selected, stamp, out_dir, workers):
            done += 1
            yield dept
    for dept in selected[done:]:  # all of them, or those left when the workers could not be used
        write_return_workbook(campaign, dept, stamp, _target(out_dir, dept))
        yield dept


class _CampaignChangedError(Exception):
    """A worker's campaign (loaded again from its file) is not the one being generated."""


_worker_campaign: Campaign | None = None


def _init_worker(campaign_path: str, content_hash: str) -> None:
    global _worker_campaign
    try:
        loaded = load_campaign(Path(campaign_path))
    except Exception:  # the parent goes on without workers (see _write_parallel)
        loaded = None
    _worker_campaign = loaded if loaded is not None and loaded.content_hash == content_hash else None


def _work(dept_id: str, stamp: datetime, out_dir: str) -> str:
    camp = _worker_campaign
    if camp is None or dept_id not in camp.department_by_id:
        raise _CampaignChangedError(dept_id)
    dept = camp.department_by_id[dept_id]
    write_return_workbook(camp, dept, stamp, _target(Path(out_dir), dept))
    return dept_id


def _start_method() -> str:
    """fork when it is safe (Linux, no other thread: fast, nothing re-imported); else forkserver or spawn.

    A parent that runs threads (the CLI's progress bar) is never forked: a lock held by another thread
    at that moment would stay held in the child.
    """
    import multiprocessing
    import sys
    import threading

    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and threading.active_count() == 1 and "fork" in methods:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _mp_context() -> Any:
    import multiprocessing

    context = multiprocessing.get_context(_start_method())
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["parcli.rounds.scoring.issue"])  # workers start with the writer imported
    return context


def _write_parallel(
    campaign: Campaign, selected: list[Department], stamp: datetime, out_dir: Path, workers: int
) -> Iterator[Department]:
    """Yield the departments written by worker processes, in order; stop early if the workers cannot be used.

    Workers load the campaign from its file once (initializer) and receive only department ids.  When
    that file no longer gives the same campaign, or the pool cannot start or breaks, the departments not
    yet yielded are left to the caller, which writes them in this process.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_mp_context(),
            initializer=_init_worker,
            initargs=(str(campaign.path.resolve()), campaign.content_hash),
        )
    except (OSError, ValueError, NotImplementedError):
        return
    try:
        chunk = max(1, min(8, len(selected) // (workers * 8)))
        results = pool.map(
            _work, [d.id for d in selected], [stamp] * len(selected), [str(out_dir)] * len(selected), chunksize=chunk
        )
        for dept, dept_id in zip(selected, results, strict=True):
            assert dept_id == dept.id
            yield dept
    except (_CampaignChangedError, BrokenProcessPool):
        return
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- openpyxl styles, still used by the openpyxl writers of other modules (parcli.rounds.lists.issue) ----


class OpenpyxlStyles:
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
