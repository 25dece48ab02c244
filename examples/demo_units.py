"""The unit-level part of the demo: the example units campaign ranked, with its remedy section.

Called at the end of ``examples/demo.py`` (``run_units``).  The example
``examples/hung-yen-units-2023/campaign.yaml`` (17 departments and 10 district-level
units, each scoring its group's whole catalogue) goes through the year: the 9-month
preliminary round (issue, every unit fills, merge), remedy plans for the items that
lost points (one unit silent, one remedy overdue) and their tracking table, the
year-end round (issue, fill, merge), and the ranking report with its remedy section
(points recovered by unit and by unit group, items still losing points) in Word,
HTML and Markdown; then four units send their year-end return with evidence files
(``evidence_packages.py``) and the evidence file is built unit by unit, its site
grouped by unit group.  The units' part is simulated by ``fill_returns.py`` and
``fill_remedies.py``.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARCLI = [sys.executable, "-m", "parcli"]
CAMPAIGN = HERE / "hung-yen-units-2023" / "campaign.yaml"
PRELIMINARY = "so-bo-9-thang"
SILENT = "h-phu-cu"  # UBND huyện Phù Cừ sends no remedy plan
OVERDUE = "so-noi-vu"  # Sở Nội vụ's first remedy is overdue at the December follow-up

Run = Callable[..., int]


def run_units(out: Path, run: Run, step: Callable[[str], None]) -> list[tuple[str, Path, str]]:
    """Run the unit-level year under ``out``; return where the results are: (label, path, note) lines."""
    campaign = ["--campaign", str(CAMPAIGN)]
    fill = [sys.executable, str(HERE / "fill_returns.py"), *campaign]
    prelim = out / "0-so-bo-9-thang"
    prelim_consolidated = prelim / "tong-hop-so-bo.xlsx"
    remedies = out / "1-khac-phuc"
    tracking = remedies / "theo-doi-khac-phuc.xlsx"
    year_end = out / "2-ca-nam"
    consolidated = year_end / "tong-hop-ca-nam.xlsx"
    reports = out / "3-bao-cao-xep-hang"

    step("Xếp hạng đơn vị 1. Đánh giá sơ bộ 9 tháng: phát hành, các đơn vị tự chấm, tổng hợp")
    run([*PARCLI, "generate", *campaign, "--round", PRELIMINARY, "--out", str(prelim / "phat-hanh")])
    run([*fill, str(prelim / "phat-hanh"), str(prelim / "gui-ve"), "--seed", "9", "--sent", "2023-10-09"])
    merge = [*PARCLI, "merge", *campaign]
    run([*merge, "--round", PRELIMINARY, str(prelim / "gui-ve"), "--out", str(prelim_consolidated)])

    step("Xếp hạng đơn vị 2. Kế hoạch khắc phục: phát hành, các đơn vị gửi về (một đơn vị không gửi), theo dõi")
    run([*PARCLI, "remedy", "issue", str(prelim_consolidated), "--out", str(remedies / "phat-hanh")])
    plans = [sys.executable, str(HERE / "fill_remedies.py"), str(remedies / "phat-hanh"), str(remedies / "gui-ve")]
    run([*plans, "--silent", SILENT, "--overdue", OVERDUE])
    merge_plans = [*PARCLI, "remedy", "merge", str(remedies / "gui-ve"), "--preliminary", str(prelim_consolidated)]
    run([*merge_plans, "--out", str(tracking), "--today", "2023-12-20"], ok=(1,))  # a plan missing: exit 1

    step("Xếp hạng đơn vị 3. Cả năm: phát hành, các đơn vị tự chấm, tổng hợp")
    run([*PARCLI, "generate", *campaign, "--out", str(year_end / "phat-hanh")])
    run([*fill, str(year_end / "phat-hanh"), str(year_end / "gui-ve"), "--seed", "2024"])
    run([*merge, str(year_end / "gui-ve"), "--out", str(consolidated)])

    step("Xếp hạng đơn vị 4. Báo cáo xếp hạng kèm kết quả khắc phục (Word, HTML, Markdown)")
    remedy_args = ["--preliminary", str(prelim_consolidated), "--remedies", str(remedies / "gui-ve")]
    for suffix in ("docx", "html", "md"):
        submit = ["--to-trinh"] if suffix == "docx" else []  # the Tờ trình and the draft Quyết định công bố kết quả
        run([*PARCLI, "report", str(consolidated), *remedy_args, *submit, "--out", str(reports / f"xep-hang.{suffix}")])

    step("Xếp hạng đơn vị 5. Tài liệu kiểm chứng: 4 đơn vị gửi phiếu kèm tệp; hồ sơ kiểm chứng theo nhóm đơn vị")
    evidence = out / "4-tai-lieu-kiem-chung"
    shutil.copytree(year_end / "gui-ve", evidence / "gui-ve")
    run([sys.executable, str(HERE / "evidence_packages.py"), str(evidence / "gui-ve")])
    run([*PARCLI, "evidence", str(evidence / "gui-ve"), *campaign, "--out", str(evidence / "ho-so")], ok=(1,))

    return [
        ("Đánh giá sơ bộ 9 tháng", prelim_consolidated, ""),
        ("Kế hoạch khắc phục", remedies / "phat-hanh", "phát hành"),
        ("", remedies / "gui-ve", "các đơn vị gửi về"),
        ("Theo dõi khắc phục", tracking, ""),
        ("Bảng tổng hợp cả năm", consolidated, ""),
        ("Báo cáo xếp hạng", reports, "kèm phần kết quả khắc phục theo đơn vị, nhóm đơn vị"),
        ("Hồ sơ kiểm chứng", evidence / "ho-so" / "trang-kiem-chung" / "index.html", "theo nhóm đơn vị"),
    ]
