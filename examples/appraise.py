"""Type appraised scores into appraisal workbooks, as an appraiser would (for the demo).

``appraise.py DIR --files GLOB --count N [--note TEXT]``: in each workbook matching
``GLOB`` in ``DIR``, the first ``N`` items with a positive self-score are appraised
one level lower (the next lower option of a choice item, one step less on a scale),
with a note.  ``--agree`` types the self-score instead (an appraisal that keeps it).

``appraise.py DIR --files GLOB --resubmit RETURNS_DIR``: the department of the
first matching workbook sends its return again, with other evidence for the
first item appraised there (that appraisal becomes ``appraisal-stale``).
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.rounds.appraisal import layout
from parcli.rounds.scoring import layout as scoring

NEW_EVIDENCE = "Quyết định số 125/QĐ-UBND ngày 18/01/2024 (gửi bổ sung sau thẩm định lần 1)"
RESENT = date(2024, 1, 19)


def resubmit(book: Path, returns: Path) -> None:
    """The department of ``book`` re-sends its return with new evidence for the first item appraised in ``book``."""
    wb = load_workbook(book, read_only=True)
    rows = list(wb[layout.SHEET_APPRAISAL].iter_rows(min_row=layout.HEADER_ROW, values_only=True))
    wb.close()
    col = {label: i for i, label in enumerate(rows[0]) if label}
    code = next(r[col[layout.HEADER_CODE]] for r in rows[1:] if r[col[layout.HEADER_APPRAISED]] is not None)
    campaign = load_campaign(default_campaign_path())
    dept = campaign.owner_of[str(code)]
    source = returns / f"{dept.id}-tu-danh-gia-2023.xlsx"
    ret = load_workbook(source)
    ws = ret[scoring.SHEET_SCORES]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == code)
    ws.cell(row=row, column=scoring.COL_EVIDENCE, value=NEW_EVIDENCE)
    cover = ret[scoring.SHEET_COVER]
    for r in range(1, cover.max_row + 1):
        if cover.cell(row=r, column=1).value == scoring.COVER_SENT:
            cover.cell(row=r, column=2, value=RESENT)
    target = returns / f"{dept.id}-tu-danh-gia-2023-gui-bo-sung.xlsx"
    ret.save(target)
    print(f"  {dept.name} gửi lại phiếu ({target.name}): mục {code}, tài liệu kiểm chứng mới")


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
    parser.add_argument("--resubmit", type=Path, default=None, help="Returns folder (see the module docstring).")
    args = parser.parse_args()
    if args.resubmit is not None:
        resubmit(sorted(args.folder.glob(args.files))[0], args.resubmit)
        return
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
