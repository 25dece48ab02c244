"""Issuing the survey list workbooks: one protected, validated workbook per nominating unit.

:func:`generate_lists` writes them atomically, file by file; :func:`build_list_workbook`
builds one (a cover with the instructions, one input sheet per kind of group, the
hidden metadata sheet with the group drop-down lists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli import __version__, clock
from parcli.config.deadlines import deadline_words
from parcli.config.lists_plan import KINDS, GroupKind, ListsPlan, NominatingUnit
from parcli.files import staged_folder
from parcli.numbers import date_vn
from parcli.rounds.lists import layout
from parcli.rounds.lists.layout import fit_row_height
from parcli.xlsx.style import DATE_FORMAT, TEXT_FORMAT, OpenpyxlStyles
from parcli.xlsx.text import clean, openpyxl_text_cell
from parcli.xlsx.write import save_openpyxl

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


@dataclass(frozen=True)
class GeneratedList:
    """One issued list workbook."""

    unit: NominatingUnit
    path: Path
    sheets: tuple[str, ...]


@dataclass
class GenerateListsResult:
    """What :func:`generate_lists` produced."""

    out_dir: Path
    lists: list[GeneratedList] = field(default_factory=list)
    note: str | None = None


def generate_lists(
    plan: ListsPlan,
    out_dir: Path,
    *,
    now: datetime | None = None,
    units: list[str] | None = None,
    on_progress: Callable[[NominatingUnit], None] | None = None,
) -> GenerateListsResult:
    """Write one list workbook per unit into ``out_dir``, all or none (staged, see :func:`staged_folder`)."""
    stamp = (now or clock.now()).replace(microsecond=0)
    result = GenerateListsResult(out_dir=out_dir, note=plan.model.note)
    with staged_folder(out_dir) as stage:
        for unit in plan.units:
            if units and unit.id not in units:
                continue
            wb = build_list_workbook(plan, unit, stamp)
            name = f"{unit.file_stem}.xlsx"
            save_openpyxl(wb, stage / name)
            sheets = tuple(layout.LIST_SHEETS[k] for k in plan.kinds_of(unit))
            result.lists.append(GeneratedList(unit=unit, path=out_dir / name, sheets=sheets))
            if on_progress is not None:
                on_progress(unit)
    return result


def build_list_workbook(plan: ListsPlan, unit: NominatingUnit, generated_at: datetime) -> Workbook:
    """Build (not save) the list workbook of one unit."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    styles = OpenpyxlStyles()
    password = plan.campaign.model.protection_password
    wb = Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = layout.SHEET_COVER
    sheets = {kind: wb.create_sheet(layout.LIST_SHEETS[kind]) for kind in plan.kinds_of(unit)}
    meta = wb.create_sheet(layout.SHEET_META)
    _write_list_cover(cover, plan, unit, styles)
    choices = _write_list_meta(meta, plan, unit, generated_at)
    for kind, ws in sheets.items():
        _write_list_sheet(ws, plan, unit, kind, choices[kind], styles)
    meta.sheet_state = "hidden"
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    if password:
        wb.security.workbookPassword = password
    wb.properties.creator = f"parcli {__version__}"
    wb.properties.title = clean(f"{plan.model.title} — {unit.name}")
    return wb


def _quota_text(quota: int | None) -> str:
    return f"{quota} người" if quota is not None else "không quy định số lượng"


def _deadline_words(plan: ListsPlan) -> str:
    """The lists' deadline in the campaign's words: “trước ngày 05/01/2024” or “đến hết ngày …”."""
    return deadline_words(plan.model.deadline, plan.campaign.deadline_rule)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _data_protection(collected: date) -> str:
    """The personal-data rule in force when the lists are collected: Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15
    from 1/1/2026, Nghị định số 13/2023/NĐ-CP before."""
    if collected >= date(2026, 1, 1):
        return "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15"
    return "Nghị định số 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân"


def _write_list_cover(ws: Worksheet, plan: ListsPlan, unit: NominatingUnit, s: OpenpyxlStyles) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    camp = plan.campaign.model
    m = plan.model
    kinds = plan.kinds_of(unit)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 95
    rows: list[tuple[str, str, str]] = [  # (label, value, style)
        (camp.organiser.name.upper(), "", "bold"),
        ("DANH SÁCH ĐỐI TƯỢNG ĐIỀU TRA XÃ HỘI HỌC", "", "title"),
        (m.title, "", "bold"),
        ("", "", ""),
        ("Đơn vị giới thiệu", unit.name, "value"),
        ("Hạn gửi danh sách", f"{_capital(_deadline_words(plan))} (gửi về {camp.organiser.name})", "value"),
        ("Căn cứ", camp.plan or camp.title, "value"),
        ("Mục đích, nơi nhận", f"{plan.purpose_text} ({_data_protection(m.deadline)}).", "value"),
        ("Liên hệ", m.contact or camp.organiser.contact or "", "value"),
    ]
    if m.note:
        rows.append(("Lưu ý", " ".join(m.note.split()), "warning"))
    rows += [("", "", ""), ("NHÓM ĐỐI TƯỢNG ĐƠN VỊ GIỚI THIỆU", "", "bold")]
    for group in plan.groups_of(unit):
        rows.append(
            (
                group.short,
                f"{group.label}. Số lượng đề nghị: {_quota_text(unit.quotas[group.id])}. "
                f"Ghi vào trang tính “{layout.LIST_SHEETS[group.kind]}”.",
                "value",
            )
        )
    steps = [
        "Mỗi người một dòng; chỉ nhập vào các ô nền vàng, các ô khác đã được khóa. Cột "
        f"“{layout.LIST_HEADER_GROUP}”: chọn trong danh sách thả xuống (trang tính chỉ có một nhóm thì "
        "có thể để trống).",
    ]
    if "official" in kinds:
        steps.append(
            f"Trang tính “{layout.LIST_SHEET_OFFICIALS}”: bắt buộc ghi Họ và tên, Chức vụ, Cơ quan/đơn vị, "
            f"Nhóm đối tượng và Email công vụ. Email phải là thư điện tử công vụ ({plan.domain_hint()}) vì "
            "Bộ Nội vụ gửi thư hướng dẫn khảo sát trực tuyến đến địa chỉ này; không dùng hộp thư cá nhân "
            "(Gmail, Yahoo…). Số điện thoại không bắt buộc."
        )
    if "citizen" in kinds:
        steps.append(
            f"Trang tính “{layout.LIST_SHEET_CITIZENS}”: người dân, doanh nghiệp có hồ sơ thủ tục hành chính "
            "được giải quyết trong năm; bắt buộc ghi Họ và tên, Nhóm đối tượng, Mã hồ sơ (ghi trên giấy tiếp "
            "nhận hồ sơ và hẹn trả kết quả), Thủ tục hành chính và Số điện thoại. Chức vụ, Cơ quan/đơn vị "
            "(tên doanh nghiệp) ghi nếu có."
        )
    steps += [
        "Số điện thoại: số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định bắt đầu bằng 02 (ví dụ "
        "0221 3xxx xxx); có thể ghi +84. Mỗi người chỉ được giới thiệu một lần: không trùng email, số "
        "di động với người khác trong danh sách hoặc trong danh sách của đơn vị khác.",
        "Không đổi tên, thêm, xóa hay sắp xếp lại trang tính, cột; không sao chép sang tệp khác. Có thể đổi "
        "tên tệp. Lưu ở định dạng .xlsx (Excel, LibreOffice hoặc WPS).",
        "Danh sách có thông tin cá nhân: khi gửi qua thư điện tử, đề nghị đặt mật khẩu mở tệp (Excel: Tệp › Thông "
        "tin › Bảo vệ sổ làm việc › Mã hóa bằng mật khẩu; LibreOffice: Lưu thành… › Lưu với mật khẩu) theo mật "
        f"khẩu {camp.organiser.name} báo qua điện thoại, không ghi mật khẩu trong thư.",
        "Điền các thông tin dưới đây, lưu tệp và gửi về đơn vị tổng hợp trước hạn.",
    ]
    rows += [("", "", ""), ("CÁCH ĐIỀN", "", "bold")]
    rows += [(f"{i}.", text, "value") for i, text in enumerate(steps, start=1)]
    rows += [("", "", ""), ("THÔNG TIN NGƯỜI LẬP BIỂU", "", "bold")]
    for r, (label, value, style) in enumerate(rows, start=1):
        a = ws.cell(row=r, column=1, value=clean(label) or None)
        b = ws.cell(row=r, column=2, value=clean(value) or None)
        a.font = s.font
        b.font = s.font
        b.alignment = s.wrap
        a.alignment = s.wrap if style in ("value", "warning") else s.nowrap
        for cell in (a, b):
            if isinstance(cell.value, str):
                cell.data_type = "s"
        fit_row_height(ws, r, {2: 95})
        if style == "title":
            a.font = s.title
        elif style == "bold":
            a.font = s.bold
        elif style == "warning":
            a.font = s.warning
            b.font = s.warning
    start = len(rows) + 1
    for offset, label in enumerate(layout.COVER_INPUT_LABELS):
        r = start + offset
        ws.cell(row=r, column=1, value=label).font = s.bold
        cell = ws.cell(row=r, column=2)
        cell.protection = s.unlocked
        cell.fill = s.input_fill
        cell.border = s.border
        cell.font = s.font
        if label == layout.COVER_SENT:
            cell.number_format = DATE_FORMAT
            dv = DataValidation(
                type="date",
                operator="greaterThan",
                formula1="36526",  # 01/01/2000
                allow_blank=True,
                showErrorMessage=True,
                showInputMessage=True,
                errorTitle="Ngày không hợp lệ",
                error=f"Nhập ngày gửi theo dạng ngày/tháng/năm, ví dụ {date_vn(m.deadline - timedelta(days=2))}.",
                promptTitle="Ngày gửi",
                prompt="Ngày đơn vị gửi danh sách (ngày/tháng/năm).",
            )
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        else:
            cell.number_format = TEXT_FORMAT
    ws.protection.sheet = True
    if plan.campaign.model.protection_password:
        ws.protection.password = plan.campaign.model.protection_password
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_list_meta(ws: Worksheet, plan: ListsPlan, unit: NominatingUnit, generated_at: datetime) -> dict[str, str]:
    """Write metadata and the group drop-down lists; return the list range of each sheet kind."""
    from openpyxl.utils import get_column_letter

    values = {
        layout.META_KIND: layout.KIND_SURVEY_LIST,
        layout.META_LAYOUT: layout.LIST_LAYOUT_VERSION,
        layout.META_TOOL_VERSION: __version__,
        layout.META_CAMPAIGN: plan.campaign.id,
        layout.META_LISTS_HASH: plan.content_hash,
        layout.META_UNIT: unit.id,
        layout.META_UNIT_NAME: unit.name,
        layout.META_GROUPS: ",".join(unit.quotas),
        layout.META_GENERATED_AT: generated_at.isoformat(),
    }
    for r, key in enumerate(layout.LIST_META_KEYS, start=1):
        ws.cell(row=r, column=1, value=key)
        openpyxl_text_cell(ws, r, 2, values[key])
    ranges: dict[str, str] = {}
    for offset, kind in enumerate(KINDS):
        groups = plan.groups_of(unit, kind)
        if not groups:
            continue
        row = layout.LIST_META_CHOICES_ROW + offset
        ws.cell(row=row, column=1, value=kind)
        for c, group in enumerate(groups, start=2):
            openpyxl_text_cell(ws, row, c, group.short)
        last = get_column_letter(1 + len(groups))
        ranges[kind] = layout.sheet_ref(layout.SHEET_META, f"$B${row}:${last}${row}")
    return ranges


def _row_styles(wb: Any, s: OpenpyxlStyles) -> tuple[str, str]:
    """Named styles for the numbered column and the input cells, registered once per workbook.

    One named style per cell instead of six style attributes keeps issuing 28 workbooks of
    a few thousand input cells fast.  Input cells are unlocked, yellow, and formatted as
    text, so phone numbers and dossier codes keep their leading zeros.
    """
    from openpyxl.styles import NamedStyle

    names = ("parcli-stt", "parcli-input")
    if names[0] not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=names[0], font=s.font, border=s.border, alignment=s.center))
        wb.add_named_style(
            NamedStyle(
                name=names[1],
                font=s.font,
                border=s.border,
                alignment=s.wrap,
                fill=s.input_fill,
                number_format=TEXT_FORMAT,
                protection=s.unlocked,
            )
        )
    return names


def _email_formula(cell: str, domains: tuple[str, ...]) -> str:
    """A custom validation: one @, no space and, when it fits in 255 characters, an official domain."""
    base = f'AND(ISERROR(FIND(" ",{cell})),LEN({cell})-LEN(SUBSTITUTE({cell},"@",""))=1'
    tests = []
    for entry in domains:
        suffix = entry[1:] if entry.startswith("*.") else "@" + entry
        tests.append(f'RIGHT(LOWER({cell}),{len(suffix)})="{suffix}"')
    full = f"{base},OR({','.join(tests)}))"
    return full if len(full) <= 255 else base + ")"


def _write_list_sheet(
    ws: Worksheet, plan: ListsPlan, unit: NominatingUnit, kind: GroupKind, choices: str, s: OpenpyxlStyles
) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    m = plan.model
    camp = plan.campaign.model
    fields = layout.LIST_FIELDS[kind]
    groups = plan.groups_of(unit, kind)
    title = (
        "DANH SÁCH ĐẠI BIỂU, LÃNH ĐẠO THAM GIA KHẢO SÁT TRỰC TUYẾN"
        if kind == "official"
        else "DANH SÁCH NGƯỜI DÂN, DOANH NGHIỆP CÓ HỒ SƠ THỦ TỤC HÀNH CHÍNH"
    )
    ws.cell(row=1, column=1, value=title).font = s.title
    openpyxl_text_cell(ws, 2, 1, f"{unit.name} — {m.title}").font = s.bold
    openpyxl_text_cell(
        ws,
        3,
        1,
        f"(Gửi {camp.organiser.name} {_deadline_words(plan)}; mỗi người một dòng, chỉ nhập vào các ô nền vàng)",
    ).font = s.italic
    table = layout.LIST_TABLES[kind]
    hr = table.header_row
    headers = table.labels
    for col, column in enumerate(table.columns, start=1):
        c = ws.cell(row=hr, column=col, value=column.label)
        c.font, c.fill, c.border, c.alignment = s.bold, s.header_fill, s.border, s.center
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.row_dimensions[hr].height = 33
    first, last = hr + 1, hr + m.rows_per_sheet
    row_style, input_style = _row_styles(ws.parent, s)
    for r in range(first, last + 1):
        ws.cell(row=r, column=1, value=r - hr).style = row_style
        for col in range(2, len(headers) + 1):
            ws.cell(row=r, column=col).style = input_style

    letter = {f: get_column_letter(i) for i, f in enumerate(fields, start=2)}
    common: dict[str, Any] = {"allow_blank": True, "showInputMessage": True}
    only = " Trang tính chỉ có một nhóm nên có thể để trống." if len(groups) == 1 else ""
    specs: dict[str, dict[str, Any]] = {
        "name": {"promptTitle": "Họ và tên", "prompt": "Họ và tên đầy đủ, có dấu, ví dụ Nguyễn Văn An."},
        "position": {
            "promptTitle": "Chức vụ",
            "prompt": "Chức vụ hiện giữ, ví dụ Giám đốc, Phó Chủ tịch UBND huyện."
            if kind == "official"
            else "Chức vụ (nếu có), ví dụ Giám đốc công ty.",
        },
        "agency": {
            "promptTitle": "Cơ quan/đơn vị",
            "prompt": "Cơ quan, đơn vị công tác." if kind == "official" else "Tên doanh nghiệp, tổ chức (nếu có).",
        },
        "group": {
            "type": "list",
            "formula1": choices,
            "showErrorMessage": True,
            "errorStyle": "stop",
            "errorTitle": "Nhóm không hợp lệ",
            "error": "Chọn một nhóm đối tượng trong danh sách thả xuống.",
            "promptTitle": "Nhóm đối tượng",
            "prompt": clean("Chọn: " + "; ".join(g.short for g in groups) + "." + only)[:255],
        },
        "email": {
            "type": "custom",
            "formula1": _email_formula(f"{letter['email']}{first}", plan.domains) if "email" in letter else None,
            "showErrorMessage": True,
            "errorStyle": "stop",
            "errorTitle": "Email không hợp lệ",
            "error": f"Ghi một địa chỉ thư điện tử công vụ ({plan.domain_hint()}); không dùng hộp thư cá nhân "
            "(Gmail, Yahoo…).",
            "promptTitle": "Email công vụ",
            "prompt": f"Thư điện tử công vụ, ví dụ nguyenvanan@{plan.primary_domain}.",
        },
        "phone": {
            "type": "textLength",
            "operator": "between",
            "formula1": "9",
            "formula2": "20",
            "showErrorMessage": True,
            "errorStyle": "warning",
            "errorTitle": "Số điện thoại",
            "error": "Số di động 10 chữ số hoặc số cố định bắt đầu bằng 02, ví dụ 0912 345 678.",
            "promptTitle": "Số điện thoại",
            "prompt": "Số di động 10 chữ số (ví dụ 0912 345 678) hoặc số cố định bắt đầu bằng 02."
            + (" Bắt buộc." if kind == "citizen" else " Không bắt buộc."),
        },
        "dossier": {
            "promptTitle": "Mã hồ sơ",
            "prompt": "Mã hồ sơ thủ tục hành chính ghi trên giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        },
        "procedure": {"promptTitle": "Thủ tục hành chính", "prompt": "Tên thủ tục hành chính của hồ sơ."},
    }
    for f in fields:
        dv = DataValidation(**common, **specs[f])
        dv.add(f"{letter[f]}{first}:{letter[f]}{last}")
        ws.add_data_validation(dv)

    ws.freeze_panes = ws.cell(row=hr + 1, column=3)
    ws.print_title_rows = f"{hr}:{hr}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    if camp.protection_password:
        ws.protection.password = camp.protection_password
