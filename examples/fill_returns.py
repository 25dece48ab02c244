"""Fill issued scoring workbooks the way the departments would (for the demo).

The texts typed are written for the bundled 2023 example and moved to the campaign's year (documents of
the year before, the year itself and the year after), so that a 2026 campaign is filled with 2026 evidence.

Usage: python examples/fill_returns.py ISSUED_DIR RETURNS_DIR [--only ID …] [--skip ID …] [--mistake ID]

Each workbook is opened with openpyxl, the three input columns are typed for
every item row (found by its code), the cover sheet gets the preparer and the
date sent, and the file is saved under RETURNS_DIR with a name such as a
department would give it.  ``--mistake ID`` makes that department type a
score above the maximum and forget an explanation, so the problem list has
something to show.
"""

from __future__ import annotations

import argparse
import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from parcli.config.campaign import Campaign, default_campaign_path, load_campaign
from parcli.rounds.scoring import layout

EVIDENCE = [
    "Kế hoạch số 204/KH-UBND ngày 23/12/2022 của UBND tỉnh về CCHC nhà nước tỉnh Hưng Yên năm 2023",
    "Kế hoạch số 205/KH-UBND ngày 23/12/2022 của UBND tỉnh về tuyên truyền CCHC năm 2023",
    "Báo cáo số 312/BC-UBND ngày 08/12/2023 về kết quả CCHC năm 2023",
    "Quyết định số 1520/QĐ-UBND ngày 15/08/2023 của Chủ tịch UBND tỉnh",
    "Công văn số 1876/SNV-CCHC ngày 12/10/2023 của Sở Nội vụ",
    "Báo cáo số 45/BC-STP ngày 20/11/2023 về kết quả rà soát văn bản quy phạm pháp luật",
    "Số liệu trên Hệ thống thông tin giải quyết TTHC tỉnh, trích xuất ngày 31/12/2023",
    "Thông báo kết luận kiểm tra số 27/TB-SNV ngày 30/11/2023",
]
DONE = [
    "Đã hoàn thành đầy đủ, đúng thời hạn theo kế hoạch của UBND tỉnh.",
    "Thực hiện đầy đủ; có báo cáo kết quả gửi Bộ, ngành và UBND tỉnh đúng hạn.",
    "Đạt 100% chỉ tiêu đề ra trong năm 2023.",
]
LOST = [
    "Hoàn thành {pct}% kế hoạch; một số nhiệm vụ chuyển sang năm 2024 do chưa bố trí được kinh phí.",
    "Còn {n} nhiệm vụ hoàn thành chậm so với kế hoạch; đơn vị đã đề ra giải pháp khắc phục trong quý I/2024.",
]
PEOPLE = ["Nguyễn Thị Hương", "Trần Văn Nam", "Lê Thu Trang", "Phạm Đức Thắng", "Vũ Thị Lan", "Đỗ Minh Tuấn"]


def in_year(text: str, year: int) -> str:
    """``text`` written for 2023 moved to ``year``: 2022, 2023 and 2024 become the year before, of and after."""
    shift = year - 2023
    return re.sub(r"\b(202[234])\b", lambda m: str(int(m[1]) + shift), text)


def fill(
    campaign: Campaign, src: Path, dst: Path, rng: random.Random, *, mistake: bool = False, sent: date | None = None
) -> None:
    """Fill one issued workbook like its department would and save it as ``dst``."""
    year = campaign.model.year
    meta_dept = None
    wb = load_workbook(src)
    meta = wb[layout.SHEET_META]
    for row in meta.iter_rows(min_row=1, max_row=len(layout.META_KEYS), max_col=2, values_only=True):
        if row[0] == layout.META_DEPARTMENT:
            meta_dept = str(row[1])
    dept = campaign.department_by_id[str(meta_dept)]
    ws = wb[layout.SHEET_SCORES]
    rows = {str(ws.cell(row=r, column=layout.COL_CODE).value): r for r in range(1, ws.max_row + 1)}
    for index, leaf in enumerate(dept.items):
        r = rows[leaf.code]
        options = leaf.allowed_points()
        lose = rng.random() < 0.25
        if options is not None:
            score = sorted(options)[-2] if lose else leaf.max_points
        else:
            score = leaf.max_points - leaf.rule.step if lose else leaf.max_points
        if leaf.not_applicable and rng.random() < 0.3:
            ws.cell(row=r, column=layout.COL_SCORE, value=layout.NOT_APPLICABLE)
            ws.cell(
                row=r,
                column=layout.COL_EXPLANATION,
                value=f"Trong năm {year} không phát sinh nội dung này tại địa phương.",
            )
            continue
        if mistake and index == 0:
            score = leaf.max_points + 1  # typed above the maximum (pasted over the validation)
        explanation = (
            rng.choice(LOST).format(pct=rng.choice([85, 90, 95]), n=rng.choice([1, 2, 3]))
            if score < leaf.max_points
            else rng.choice(DONE)
        )
        if mistake and index == 1:
            explanation = ""
            score = Decimal(0)
        ws.cell(row=r, column=layout.COL_SCORE, value=int(score) if score == int(score) else float(score))
        ws.cell(row=r, column=layout.COL_EXPLANATION, value=in_year(explanation, year) or None)
        ws.cell(row=r, column=layout.COL_EVIDENCE, value=in_year(rng.choice(EVIDENCE), year))
    cover = wb[layout.SHEET_COVER]
    answers = {
        layout.COVER_PREPARER: rng.choice(PEOPLE),
        layout.COVER_POSITION: "Chuyên viên",
        layout.COVER_PHONE: f"0221.3{rng.randint(100000, 999999)}",
        layout.COVER_SENT: sent or date(year + 1, 1, rng.randint(8, 14)),
    }
    for r in range(1, cover.max_row + 1):
        label = cover.cell(row=r, column=1).value
        if label in answers:
            cover.cell(row=r, column=2, value=answers[str(label)])
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("issued", type=Path)
    parser.add_argument("returns", type=Path)
    parser.add_argument("--campaign", type=Path, default=default_campaign_path())
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--skip", nargs="*", default=[])
    parser.add_argument("--mistake", default=None)
    parser.add_argument("--late", default=None, help="department id that sends after the deadline")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument(
        "--source",
        type=Path,
        default=None,
        help="fill this workbook (e.g. a feedback copy) instead of the issued one; needs --only",
    )
    parser.add_argument("--sent", default=None, help="date written on the cover sheet, YYYY-MM-DD")
    args = parser.parse_args()
    campaign = load_campaign(args.campaign)
    rng = random.Random(args.seed)
    for dept in campaign.departments:
        if dept.id in args.skip or (args.only is not None and dept.id not in args.only):
            continue
        src = args.source or args.issued / f"{dept.file_stem}.xlsx"
        # departments rename files as they please; the metadata identifies them
        year = campaign.model.year
        dst = args.returns / (f"{dept.id}-tu-danh-gia-{year}.xlsx" if args.source is None else args.source.name)
        sent = date(year + 1, 1, 16) if dept.id == args.late else None
        if args.sent:
            sent = date.fromisoformat(args.sent)
        fill(campaign, src, dst, rng, mistake=dept.id == args.mistake, sent=sent)
        print(f"  {dept.name}: {dst.name}")


if __name__ == "__main__":
    main()
