"""Fill the survey respondent lists the way the units would (for the demo).

Usage: python examples/fill_lists.py ISSUED_DIR RETURNED_DIR

Every unit nominates its quota of each group it may nominate.  Two realistic
mistakes are made so that ``parcli survey merge`` has something to show: one
leader is given a private gmail address, and one citizen is nominated by two
units.  When ``PARCLI_PASSWORD`` is set, the People's Council office saves its
list encrypted with it (Excel's "Encrypt with Password"), as the cover sheet asks
a unit that sends its list by e-mail.
"""

from __future__ import annotations

import argparse
import io
import os
from pathlib import Path

from openpyxl import load_workbook

from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.config.lists_plan import load_lists_plan
from parcli.rounds.lists import layout
from parcli.secret import Password, encrypt_bytes

SEALED = "vp-doan-dbqh-hdnd"  # the unit that sends its list encrypted

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = ["Văn An", "Thị Bình", "Đức Cường", "Thu Hà", "Minh Hoàng", "Thị Lan", "Quốc Hùng", "Thanh Mai"]
PROCEDURES = [
    "Cấp giấy phép xây dựng",
    "Đăng ký thành lập hộ kinh doanh",
    "Cấp phiếu lý lịch tư pháp",
    "Chuyển mục đích sử dụng đất",
    "Cấp giấy chứng nhận quyền sử dụng đất",
]


def main() -> None:
    """Fill every issued list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issued", type=Path)
    parser.add_argument("returned", type=Path)
    args = parser.parse_args()
    plan = load_lists_plan(load_campaign(default_campaign_path()))
    args.returned.mkdir(parents=True, exist_ok=True)
    shared_citizen = None
    for unit in plan.units:
        wb = load_workbook(args.issued / f"{unit.file_stem}.xlsx")
        rows: dict[str, int] = {}
        for group in plan.groups_of(unit):
            sheet = wb[layout.LIST_SHEETS[group.kind]]
            header = next(r for r in range(1, 20) if sheet.cell(row=r, column=2).value == layout.LIST_HEADER_NAME)
            cols = {sheet.cell(row=header, column=c).value: c for c in range(1, sheet.max_column + 1)}
            for i in range(unit.quotas[group.id] or 3):
                n = unit.order * 1000 + group.order * 100 + i
                row = header + 1 + rows.get(group.kind, 0)
                rows[group.kind] = rows.get(group.kind, 0) + 1
                values = {
                    layout.LIST_HEADER_NAME: f"{FAMILY[n % len(FAMILY)]} {GIVEN[n % len(GIVEN)]}",
                    layout.LIST_HEADER_GROUP: group.short,
                    layout.LIST_HEADER_PHONE: f"09{n:08d}"[:4] + " " + f"09{n:08d}"[4:7] + " " + f"09{n:08d}"[7:],
                }
                if group.kind == "official":
                    values[layout.LIST_HEADER_POSITION] = "Phó Giám đốc" if i else "Giám đốc"
                    values[layout.LIST_HEADER_AGENCY] = unit.name
                    values[layout.LIST_HEADER_EMAIL] = f"{unit.id}.{group.id}.{i}@hungyen.gov.vn"
                    if unit.order == 3 and i == 1 and group.order == 2:
                        values[layout.LIST_HEADER_EMAIL] = "pgd.tuphap@gmail.com"  # a private address
                else:
                    values[layout.LIST_HEADER_DOSSIER] = f"000.00.{unit.order:02d}.H31-231215-{i:04d}"
                    values[layout.LIST_HEADER_PROCEDURE] = PROCEDURES[n % len(PROCEDURES)]
                    if i == 0:
                        if shared_citizen is None:
                            shared_citizen = values[layout.LIST_HEADER_PHONE]
                        elif unit.order == 20:
                            values[layout.LIST_HEADER_PHONE] = shared_citizen  # nominated by two units
                for label, value in values.items():
                    if label in cols:
                        cell = sheet.cell(row=row, column=cols[label], value=value)
                        cell.data_type = "s"
        target = args.returned / f"{unit.file_stem}.xlsx"
        password = os.environ.get("PARCLI_PASSWORD")
        if unit.id == SEALED and password:
            buffer = io.BytesIO()
            wb.save(buffer)
            target.write_bytes(encrypt_bytes(buffer.getvalue(), Password(password)))
            print(f"  {unit.name}: danh sách gửi về có đặt mật khẩu mở tệp")
        else:
            wb.save(target)
    print(f"  {len(plan.units)} danh sách trong {args.returned}")


if __name__ == "__main__":
    main()
