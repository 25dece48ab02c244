"""Survey respondent lists filled the way a unit would: openpyxl, columns found by their header text.

Independent of parcli's reader: a list's rows are typed below the header row of each sheet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from parcli.config.lists_plan import ListsPlan

OFFICIALS = "Đại biểu, lãnh đạo"
CITIZENS = "Người dân, doanh nghiệp"
COVER = "Hướng dẫn"
META = "parcli"
HEADERS = {
    "name": "Họ và tên",
    "position": "Chức vụ",
    "agency": "Cơ quan/đơn vị",
    "group": "Nhóm đối tượng",
    "email": "Email công vụ",
    "phone": "Số điện thoại",
    "dossier": "Mã hồ sơ",
    "procedure": "Thủ tục hành chính",
}
FREE = 2  # people nominated in a group without a fixed number
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Minh", "Nga", "Phúc", "Quỳnh"]

Row = dict[str, Any]
Rows = dict[str, list[Row]]


@dataclasses.dataclass(frozen=True)
class Text:
    """A cell typed as text even though it starts with '=' (a text-formatted cell in Excel)."""

    text: str


def fill_list(
    src: Path, dst: Path, rows: Rows, *, sent: Any = None, edit: Callable[[Workbook], None] | None = None
) -> Path:
    """Type ``rows`` (sheet → [{field: value}]) below the header of each sheet, as a unit would."""
    wb = load_workbook(src)
    for sheet, entries in rows.items():
        ws = wb[sheet]
        header = next(r for r in range(1, 20) if ws.cell(row=r, column=2).value == HEADERS["name"])
        cols = {ws.cell(row=header, column=c).value: c for c in range(1, ws.max_column + 1)}
        for r, entry in enumerate(entries, start=header + 1):
            for fieldname, value in entry.items():
                cell = ws.cell(row=r, column=cols[HEADERS[fieldname]])
                if isinstance(value, Text):
                    cell.value = value.text
                    cell.data_type = "s"
                else:
                    cell.value = value
    if sent is not None:
        cover = wb[COVER]
        for r in range(1, cover.max_row + 1):
            if cover.cell(row=r, column=1).value == "Ngày gửi":
                cover.cell(row=r, column=2).value = sent
    if edit is not None:
        edit(wb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


PHONE_STYLES: list[Callable[[str], Any]] = [
    lambda d: d,  # 0912345678
    lambda d: f"{d[:4]} {d[4:7]} {d[7:]}",  # 0912 345 678
    lambda d: f"{d[:4]}.{d[4:7]}.{d[7:]}",  # 0912.345.678
    lambda d: f"+84 {d[1:]}",  # +84 912345678
    lambda d: "84" + d[1:],  # 84912345678
    lambda d: int(d),  # a number cell: the leading zero is gone
]


def default_rows(plan: ListsPlan, unit_id: str) -> Rows:
    """A realistic, valid list: the quota of each group (or FREE), unique e-mails and mobiles, mixed formats."""
    unit = plan.unit_by_id[unit_id]
    rows: Rows = {}
    for group in plan.groups_of(unit):
        sheet = OFFICIALS if group.kind == "official" else CITIZENS
        alone = len(plan.groups_of(unit, group.kind)) == 1
        for i in range(unit.quotas[group.id] or FREE):
            n = unit.order * 1000 + group.order * 100 + i
            digits = f"09{n:08d}"
            entry: Row = {
                "name": f"{['Nguyễn', 'Trần', 'Lê', 'Phạm'][i % 4]} Văn {GIVEN[n % len(GIVEN)]}",
                # a one-group sheet may leave the group empty: every other row does
                "group": None if alone and i % 2 else group.short,
                "phone": PHONE_STYLES[n % len(PHONE_STYLES)](digits),
            }
            if group.kind == "official":
                domain = "snv.hungyen.gov.vn" if i == 1 else "hungyen.gov.vn"
                entry.update(
                    position="Phó Giám đốc" if i else "Giám đốc",
                    agency=unit.name,
                    email=f"{unit.id}.{group.id}.{i}@{domain}".upper()
                    if i == 2
                    else f"{unit.id}.{group.id}.{i}@{domain}",
                )
            else:
                entry.update(
                    agency="Công ty TNHH Minh Phát" if i % 3 == 0 else None,
                    dossier=f"000.00.{unit.order:02d}.H31-240105-{i:04d}",
                    procedure="Cấp giấy phép xây dựng" if i % 2 else "Đăng ký thành lập hộ kinh doanh",
                )
            rows.setdefault(sheet, []).append(entry)
    return rows
