"""Type appraised scores into appraisal workbooks, as an appraiser would (for the demo).

``appraise.py DIR --files GLOB --count N [--note TEXT]``: in each workbook matching
``GLOB`` in ``DIR``, the first ``N`` items with a positive self-score are appraised
one level lower (the next lower option of a choice item, one step less on a scale),
with a note.  ``--agree`` types the self-score instead (an appraisal that keeps it).
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.rounds.appraisal import layout


def lower(leaf: object, score: Decimal) -> Decimal:
    """The next score below ``score`` the item's rule allows (0 at least)."""
    allowed = leaf.allowed_points()  # type: ignore[attr-defined]
    if allowed is not None:
        below = [p for p in allowed if p < score]
        return max(below) if below else Decimal(0)
    return max(score - leaf.rule.step, Decimal(0))  # type: ignore[attr-defined]


def main() -> None:
    """Appraise a few items in each matching workbook."""
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", default="*.xlsx")
    parser.add_argument("--count", type=int, default=2)
    parser.add_argument("--skip", type=int, default=0, help="Leave the first N candidate items alone.")
    parser.add_argument("--note", default="Tài liệu kiểm chứng chưa thể hiện đủ kết quả.")
    parser.add_argument("--agree", action="store_true")
    args = parser.parse_args()
    campaign = load_campaign(default_campaign_path())
    leaves = campaign.catalogue.leaf_by_code
    for path in sorted(args.folder.glob(args.files)):
        wb = load_workbook(path)
        ws = wb[layout.SHEET_APPRAISAL]
        header = [c.value for c in ws[layout.HEADER_ROW]]
        col = {label: header.index(label) + 1 for label in header if label}
        seen = done = 0
        for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row=r, column=col[layout.HEADER_CODE]).value
            score = ws.cell(row=r, column=col[layout.HEADER_SELF]).value
            if code not in leaves or not isinstance(score, int | float) or score <= 0:
                continue
            seen += 1
            if seen <= args.skip:
                continue
            self_score = Decimal(str(score))
            value = self_score if args.agree else lower(leaves[code], self_score)
            ws.cell(row=r, column=col[layout.HEADER_APPRAISED], value=float(value))
            ws.cell(row=r, column=col[layout.HEADER_NOTE], value="Thống nhất." if args.agree else args.note)
            print(f"  {path.name}: mục {code} {self_score} → {value}")
            done += 1
            if done == args.count:
                break
        wb.save(path)


if __name__ == "__main__":
    main()
