"""Type a few appraised scores into a consolidated workbook, as the reviewer would (for the demo)."""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

from parcli.rounds.scoring import layout


def main() -> None:
    """Appraise the first three self-assessed items that have a score: one point lower, with a note."""
    path = Path(sys.argv[1])
    wb = load_workbook(path)
    ws = wb[layout.SHEET_CONSOLIDATED]
    header = [c.value for c in ws[layout.CONSOLIDATED_HEADER_ROW]]
    col = {label: header.index(label) + 1 for label in layout.CONSOLIDATED_HEADERS}
    done = 0
    for r in range(layout.CONSOLIDATED_HEADER_ROW + 1, ws.max_row + 1):
        score = ws.cell(row=r, column=col[layout.HEADER_SCORE]).value
        level = ws.cell(row=r, column=col[layout.HEADER_LEVEL]).value
        if level != layout.LEVEL_LABELS[3] or not isinstance(score, int | float) or score <= 0:
            continue
        ws.cell(row=r, column=col[layout.HEADER_APPRAISED], value=max(score - 0.25, 0))
        ws.cell(
            row=r,
            column=col[layout.HEADER_APPRAISAL_NOTE],
            value="Tài liệu kiểm chứng chưa thể hiện đủ kết quả; trừ 0,25 điểm.",
        )
        code = ws.cell(row=r, column=col[layout.HEADER_CODE]).value
        print(f"  Thẩm định mục {code}: {score} → {max(score - 0.25, 0)}")
        done += 1
        if done == 3:
            break
    wb.save(path)


if __name__ == "__main__":
    main()
