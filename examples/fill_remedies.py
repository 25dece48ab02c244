"""Type remedy plans into the issued remedy workbooks, as the departments would (for the demo).

``fill_remedies.py ISSUED_DIR RETURNED_DIR [--silent ID] [--overdue ID]``: every
remedy workbook in ``ISSUED_DIR`` is filled (cause, remedy, deadline, who is
responsible, progress, result) and saved under ``RETURNED_DIR``, except the
one of department ``--silent`` (it sends no plan).  Department ``--overdue``
sets its first remedy a deadline of 30/11/2023 and leaves it in progress
(overdue when followed up on 20/12/2023); the others finish two remedies in three
by 15/12/2023 and give the third until 31/12/2023.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook

from parcli.rounds.remedy import layout

CAUSES = [
    "Chưa bố trí đủ nhân lực theo dõi, tổng hợp",
    "Văn bản hướng dẫn của Bộ, ngành ban hành chậm",
    "Chưa cập nhật kịp thời số liệu lên hệ thống",
]
PEOPLE = ["Phó Giám đốc phụ trách", "Trưởng phòng Tổ chức – Hành chính", "Chánh Văn phòng"]


def fill(src: Path, dst: Path, *, overdue: bool) -> None:
    """Fill one remedy workbook like its department would and save it as ``dst``."""
    wb = load_workbook(src)
    ws = wb[layout.SHEET_REMEDY]
    header = [c.value for c in ws[layout.HEADER_ROW]]
    col = {label: header.index(label) + 1 for label in header if label}
    index = 0
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=r, column=col[layout.HEADER_CODE]).value
        if not code:
            continue
        late = overdue and index == 0
        done = not late and index % 3 != 2  # two of three remedies completed by the follow-up
        values = {
            layout.HEADER_CAUSE: CAUSES[index % len(CAUSES)],
            layout.HEADER_REMEDY: f"Bổ sung, hoàn thiện nhiệm vụ mục {code} trong kế hoạch quý IV/2023",
            layout.HEADER_DEADLINE: datetime(2023, 11, 30) if late else datetime(2023, 12, 15 if done else 31),
            layout.HEADER_RESPONSIBLE: PEOPLE[index % len(PEOPLE)],
            layout.HEADER_PROGRESS: layout.PROGRESS_DONE if done else layout.PROGRESS_IN_PROGRESS,
            layout.HEADER_RESULT: "Đã hoàn thành, có văn bản kèm theo." if done else None,
        }
        for label, value in values.items():
            ws.cell(row=r, column=col[label], value=value)
        index += 1
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    print(f"  {dst.name}: {index} mục{' (một giải pháp quá hạn)' if overdue else ''}")


def main() -> None:
    """Fill every issued remedy workbook but the silent department's."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issued", type=Path)
    parser.add_argument("returned", type=Path)
    parser.add_argument("--silent", default=None, help="department id that sends no plan")
    parser.add_argument("--overdue", default=None, help="department id whose first remedy is overdue")
    args = parser.parse_args()
    for path in sorted(args.issued.glob("*.xlsx")):
        if args.silent and args.silent in path.name:
            print(f"  {path.name}: không gửi kế hoạch")
            continue
        fill(path, args.returned / path.name, overdue=bool(args.overdue and args.overdue in path.name))


if __name__ == "__main__":
    main()
