"""The content of a scoring workbook: its cover text, the scoring sheet's rows and its metadata.

The layout comes from :mod:`parcli.rounds.scoring.layout`.  A workbook has a cover sheet with
instructions, the scoring sheet (group rows with subtotals, one row per assigned item, only the
three input columns unlocked, a data validation on every score cell, the signature block of the
preparer and the head of the department under the total) and a hidden metadata sheet that identifies
the return whatever its file name.  Maxima, subtotals and scores are numbers shown with two decimals in
the reader's own separator.  Both sheets print A4 landscape (:mod:`parcli.xlsx.printing`): the cover on
one page wide, the scoring sheet on two pages across at a readable size with the code and title columns
and the header row repeated, page numbers in the footer, every row as tall as its wrapped text.  The
signature block starts in columns the reader never takes for an item row (not the code column).
Everything generic (palette, protection, page setup, cells) comes from :mod:`parcli.xlsx`; the
workbooks are written with xlsxwriter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from parcli import __version__
from parcli.collect.issue import HEAD_SIGNS, PREPARER_SIGNS
from parcli.config.campaign import Campaign, Department
from parcli.config.catalogue import NA_SCORING_LABELS, ChoiceRule, Leaf
from parcli.config.review import unreviewed_notes
from parcli.numbers import date_vn, fmt_points
from parcli.rounds.scoring import layout
from parcli.xlsx.printing import (
    DEFAULT_ROW_POINTS,
    Signature,
    fit_row,
    print_layout,
    set_print,
    signature_spans,
    text_lines,
    write_heading,
    write_signature,
)
from parcli.xlsx.style import FONT_SIZE, TITLE_FONT_SIZE, XW, xw_format
from parcli.xlsx.text import clean
from parcli.xlsx.write import cell_number, margins, protect, set_column_widths, validate, write_text

COVER_WIDTHS = {1: 28, 2: 95}
# what tells the scoring sheet's rows apart (code and title): printed again on its second page across
KEY_COLUMNS = layout.COL_TITLE
# the signature block may start in any column but the code's (a code there would read as an item row)
SIGN_ANCHORS = frozenset(range(layout.COL_TITLE - 1, len(layout.SCORE_HEADERS)))


class _Formats:
    """The cell formats of one workbook (xlsxwriter formats belong to their workbook)."""

    def __init__(self, wb: Any) -> None:
        def fmt(*parts: Mapping[str, object]) -> Any:
            return xw_format(wb, *parts)

        cover_fonts = {"": XW.font, "value": XW.font, "bold": XW.bold, "title": XW.title, "warning": XW.warning}
        # cover rows by style: (label format, value format)
        self.cover = {
            style: (
                fmt(font, XW.wrap if style in ("value", "warning") else XW.nowrap),
                fmt(XW.warning if style == "warning" else XW.font, XW.wrap),
            )
            for style, font in cover_fonts.items()
        }
        self.cover_input_label = fmt(XW.bold)
        self.cover_input = fmt(XW.font, XW.border, XW.input)
        self.cover_date = fmt(XW.font, XW.border, XW.input, XW.date)
        self.title = fmt(XW.title, XW.wrap)
        self.bold = fmt(XW.bold, XW.wrap)
        self.italic = fmt(XW.italic, XW.wrap)
        self.header = fmt(XW.bold, XW.header_fill, XW.border, XW.center)
        self.field = fmt(XW.bold, XW.group_fill, XW.border, XW.wrap)
        self.criterion = fmt(XW.bold, XW.subgroup_fill, XW.border, XW.wrap)
        # a group row's maximum and subtotal: numbers, centred as the items'
        self.field_number = fmt(XW.bold, XW.group_fill, XW.border, XW.center, XW.decimal)
        self.criterion_number = fmt(XW.bold, XW.subgroup_fill, XW.border, XW.center, XW.decimal)
        center_cols = (layout.COL_CODE, layout.COL_MAX, layout.COL_SCORE)
        self.item = {
            col: fmt(
                XW.font,
                XW.border,
                XW.center if col in center_cols else XW.wrap,
                XW.input if col in layout.INPUT_COLUMNS else {},
                XW.decimal if col in (layout.COL_MAX, layout.COL_SCORE) else {},
            )
            for col in range(1, len(layout.SCORE_HEADERS) + 1)
        }
        self.total_bold = fmt(XW.bold, XW.border, XW.header_fill)
        self.total_number = fmt(XW.bold, XW.border, XW.header_fill, XW.center, XW.decimal)
        self.total = fmt(XW.border, XW.header_fill)
        self.signature = (fmt(XW.sign_title), fmt(XW.sign_note))


def build_return_workbook(wb: Any, campaign: Campaign, dept: Department, generated_at: datetime) -> None:
    """Fill an empty xlsxwriter workbook (one that can lock its structure) with the return of ``dept``."""
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
            "title": clean(f"{campaign.model.title} — {dept.label} — {dept.name}"),
            "author": f"parcli {__version__}",
            "created": created,
        }
    )


def _write_cover(ws: Any, campaign: Campaign, dept: Department, f: _Formats, password: str) -> None:
    m = campaign.model
    cat = dept.catalogue
    unverified, total = cat.verification()
    set_column_widths(ws, COVER_WIDTHS)
    rows: list[tuple[str, str, str]] = [  # (label, value, style)
        (m.organiser.name.upper(), "", "bold"),
        ("PHIẾU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "", "title"),
        (m.title, "", "bold"),
        ("", "", ""),
        *([("Đợt đánh giá", campaign.round_title, "value")] if campaign.round_id else []),
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
        ("Hạn gửi kết quả", f"{_capital(campaign.deadline_text())} (gửi về {m.organiser.name})", "value"),
        ("Bộ tiêu chí", f"{cat.model.title} — {cat.model.decision}", "value"),
        ("Đơn vị tổng hợp", ", ".join(p for p in (m.organiser.unit, m.organiser.name) if p), "value"),
        ("Liên hệ", m.organiser.contact or "", "value"),
    ]
    rows += [("Lưu ý", text, "warning") for text in unreviewed_notes(campaign)]
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
            "các ô khác đã được khóa.",
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
            f"{layout.HEADER_EVIDENCE}: mỗi tài liệu một dòng (xuống dòng trong ô bằng Alt+Enter), ghi số, ký "
            f"hiệu, ngày, trích yếu của văn bản (ví dụ: Quyết định số 123/QĐ-UBND ngày 05/01/{m.year} của UBND tỉnh), "
            "tên tệp gửi kèm (ví dụ: QD-123-UBND.pdf) và/hoặc đường dẫn tới văn bản đã đăng tải. Tệp kiểm chứng "
            "(PDF, DOCX, XLSX, JPG, PNG) gửi cùng phiếu trong một thư mục hoặc một tệp .zip, phiếu đặt ngoài "
            "cùng, tên tệp ghi đúng như trong gói. Không ghi chung chung như “Đã thực hiện”.",
            "value",
        ),
        (
            "5.",
            "Không đổi tên, thêm, xóa hay sắp xếp lại dòng, cột, trang tính; không sao chép sang tệp khác. "
            "Có thể đổi tên tệp. Lưu ở định dạng .xlsx (Excel, LibreOffice hoặc WPS).",
            "value",
        ),
        ("6.", "Điền các thông tin dưới đây, lưu tệp và gửi về đơn vị tổng hợp trước hạn.", "value"),
        ("", "", ""),
        ("THÔNG TIN NGƯỜI LẬP BIỂU", "", "bold"),
    ]
    height = 0.0  # of all the rows: the cover is printed on one page when it fits at a readable size
    for r, (label, value, style) in enumerate(rows):
        label_fmt, value_fmt = f.cover[style]
        write_text(ws, r, 0, label, label_fmt)
        write_text(ws, r, 1, value, value_fmt)
        size = TITLE_FONT_SIZE if style == "title" else FONT_SIZE
        height += fit_row(ws, r, text_lines(value, COVER_WIDTHS[2], bold=style == "warning"), size=size, auto=True)
    start = len(rows)
    for offset, label in enumerate(layout.COVER_INPUT_LABELS):
        r = start + offset
        ws.write_string(r, 0, label, f.cover_input_label)
        if label == layout.COVER_SENT:
            ws.write_blank(r, 1, None, f.cover_date)
            validate(
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
                    "error_message": "Nhập ngày gửi theo dạng ngày/tháng/năm, ví dụ "
                    f"{date_vn(m.deadlines.returns - timedelta(days=3))}.",
                    "input_title": "Ngày gửi",
                    "input_message": "Ngày cơ quan gửi kết quả tự đánh giá (ngày/tháng/năm).",
                },
            )
        else:
            ws.write_blank(r, 1, None, f.cover_input)
    protect(ws, password, format_rows_and_columns=False)
    height += DEFAULT_ROW_POINTS * len(layout.COVER_INPUT_LABELS)
    set_print(ws, print_layout(list(COVER_WIDTHS.values())), repeat_row=None, last_row=r, rows_points=height)


def _capital(text: str) -> str:
    """“trước ngày 15/01/2024” → “Trước ngày 15/01/2024”."""
    return text[:1].upper() + text[1:]


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
    keys = list(layout.META_KEYS)
    if campaign.round_id is not None:
        values[layout.META_ROUND] = campaign.round_id
        values[layout.META_ROUND_TITLE] = campaign.round_title
        keys += [layout.META_ROUND, layout.META_ROUND_TITLE]
    values[layout.META_YEAR] = str(campaign.model.year)
    keys.append(layout.META_YEAR)
    for r, key in enumerate(keys):
        ws.write_string(r, 0, key)
        write_text(ws, r, 1, values[key])  # always text, even "1"
    ranges: dict[str, str] = {}
    row = layout.META_LISTS_FIRST_ROW
    for leaf in dept.items:
        allowed = leaf.allowed_points()
        if allowed is None:
            continue
        ws.write_string(row - 1, 0, leaf.code)
        for c, points in enumerate(allowed, start=1):
            ws.write_number(row - 1, c, cell_number(points))
        last = len(allowed)
        if leaf.not_applicable:
            last += 1
            ws.write_string(row - 1, last, layout.NOT_APPLICABLE)
        ranges[leaf.code] = layout.sheet_ref(layout.SHEET_META, f"$B${row}:${xl_col_to_name(last)}${row}")
        row += 1
    margins(ws)
    return ranges


def _prompt(leaf: Leaf) -> tuple[str, str]:
    """Input prompt title (≤ 32 chars) and text (≤ 255 chars) for a score cell."""
    title = f"Mục {leaf.code}: tối đa {fmt_points(leaf.max_points)} điểm"[:32]
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
        counted = NA_SCORING_LABELS[leaf.not_applicable_scoring]
        needs.append(f"được chọn “{layout.NOT_APPLICABLE}” nếu không thuộc phạm vi (khi đó mục {counted})")
    if needs:
        parts.append("Yêu cầu: " + "; ".join(needs) + ".")
    if not leaf.verified:
        parts.append("(Nội dung, điểm tạm tính – chưa đối chiếu văn bản chính thức.)")
    return "\n".join(parts)


def _write_scores(
    ws: Any, campaign: Campaign, dept: Department, f: _Formats, lists: dict[str, str], password: str
) -> None:
    """The scoring sheet: heading, header, group and item rows, the total, the signature, how it prints."""
    from xlsxwriter.utility import xl_col_to_name

    cat = dept.catalogue
    m = campaign.model
    widths = list(layout.COLUMN_WIDTHS.values())
    sign = Signature((PREPARER_SIGNS, HEAD_SIGNS), campaign.letterhead()["date_line"])
    paper = print_layout(widths, key_columns=KEY_COLUMNS, anchors=SIGN_ANCHORS, signature=sign)
    span = paper.heading_span
    heading = f"PHỤ LỤC {dept.appendix}" if dept.appendix else dept.name.upper()
    write_heading(ws, 0, heading, span, widths, f.title, bold=True, size=TITLE_FONT_SIZE)
    subtitle = f"KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {m.year} — {dept.name.upper()}"
    write_heading(ws, 1, subtitle, span, widths, f.bold, bold=True)
    note = f"(Gửi {m.organiser.name} {campaign.deadline_text()}; chỉ nhập vào các ô nền vàng)"
    write_heading(ws, 2, note, span, widths, f.italic)
    hr = layout.SCORE_HEADER_ROW
    for col, label in enumerate(layout.SCORE_HEADERS):
        ws.write_string(hr - 1, col, label, f.header)
    set_column_widths(ws, layout.COLUMN_WIDTHS)
    labels = zip(layout.SCORE_HEADERS, widths, strict=True)
    fit_row(ws, hr - 1, max(text_lines(label, width, bold=True) for label, width in labels), auto=True)

    score_col = xl_col_to_name(layout.COL_SCORE - 1)
    row = hr + 1  # 1-based, as in the layout
    groups: list[tuple[int, Any]] = []  # (row of the group, its number format) to fill subtotals later
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
            groups.append((row, f.field_number))
            field_title = f"Lĩnh vực {leaf.field_code}. {cat.node_titles[leaf.field_code]}"
            _group_row(ws, row, leaf.field_code, field_title, f.field)
            row += 1
        if leaf.criterion_code != leaf.code and leaf.criterion_code != current_criterion:
            current_criterion = leaf.criterion_code
            criterion_row = row
            groups.append((row, f.criterion_number))
            _group_row(ws, row, leaf.criterion_code, cat.node_titles[leaf.criterion_code], f.criterion)
            row += 1
        _item_row(ws, row, leaf, f)
        validate(ws, row, layout.COL_SCORE, _validation_for(leaf, f"{score_col}{row}", lists))
        group_spans[field_row] = (field_row + 1, row)
        group_max[field_row] = group_max.get(field_row, Decimal(0)) + leaf.max_points
        if leaf.criterion_code != leaf.code:
            group_spans[criterion_row] = (criterion_row + 1, row)
            group_max[criterion_row] = group_max.get(criterion_row, Decimal(0)) + leaf.max_points
        row += 1
    last_item_row = row - 1
    for grow, fmt in groups:
        first, last = group_spans[grow]
        ws.write_number(grow - 1, layout.COL_MAX - 1, cell_number(group_max[grow]), fmt)
        ws.write_formula(grow - 1, layout.COL_SCORE - 1, f"=SUBTOTAL(9,{score_col}{first}:{score_col}{last})", fmt)
    t0 = row - 1
    for col in range(len(layout.SCORE_HEADERS)):
        ws.write_blank(t0, col, None, f.total)
    ws.write_string(t0, layout.COL_CODE - 1, layout.TOTAL_LABEL, f.total_bold)
    ws.write_number(t0, layout.COL_MAX - 1, cell_number(dept.max_points), f.total_number)
    total = f"=SUBTOTAL(9,{score_col}{first_item_row}:{score_col}{last_item_row})"
    ws.write_formula(t0, layout.COL_SCORE - 1, total, f.total_number)
    fit_row(ws, t0, 1, auto=True)
    # a row left empty, then the signature: never in the code column, so the reader never takes it for an item
    end = write_signature(ws, t0 + 2, sign, signature_spans(paper, SIGN_ANCHORS, sign), widths, f.signature)

    ws.freeze_panes(hr, layout.COL_MAX - 1)
    set_print(ws, paper, repeat_row=hr - 1, last_row=end)
    protect(ws, password, format_rows_and_columns=True)


def _item_row(ws: Any, row: int, leaf: Leaf, f: _Formats) -> None:
    """An item's row (1-based ``row``): code, title, maximum (a number), the three inputs, the guidance."""
    guidance = _guidance(leaf)
    r0 = row - 1
    ws.write_string(r0, layout.COL_CODE - 1, leaf.code, f.item[layout.COL_CODE])
    write_text(ws, r0, layout.COL_TITLE - 1, leaf.title, f.item[layout.COL_TITLE])
    ws.write_number(r0, layout.COL_MAX - 1, cell_number(leaf.max_points), f.item[layout.COL_MAX])
    for col in layout.INPUT_COLUMNS:
        ws.write_blank(r0, col - 1, None, f.item[col])
    write_text(ws, r0, layout.COL_GUIDANCE - 1, guidance, f.item[layout.COL_GUIDANCE])
    texts = {layout.COL_CODE: leaf.code, layout.COL_TITLE: leaf.title, layout.COL_GUIDANCE: guidance}
    fit_row(ws, r0, max(text_lines(text, layout.COLUMN_WIDTHS[col]) for col, text in texts.items()), auto=True)


def _group_row(ws: Any, row: int, code: str, title: str, fmt: Any) -> None:
    """A field or criterion row, as tall as its bold title; its maximum and subtotal come once its span is known."""
    ws.write_string(row - 1, layout.COL_CODE - 1, code, fmt)
    write_text(ws, row - 1, layout.COL_TITLE - 1, title, fmt)
    for col in range(layout.COL_MAX, len(layout.SCORE_HEADERS) + 1):
        ws.write_blank(row - 1, col - 1, None, fmt)
    lines = max(text_lines(text, layout.COLUMN_WIDTHS[col], bold=True) for col, text in enumerate((code, title), 1))
    fit_row(ws, row - 1, lines, auto=True)
