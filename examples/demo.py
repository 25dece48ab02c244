"""The whole job on the bundled Hưng Yên 2023 example, as an officer would run it; then the first day of 2026.

Run by ``make demo``.  Every step is a real ``parcli`` command; the departments'
part (filling the workbooks) is simulated by ``examples/fill_returns.py``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARCLI = [sys.executable, "-m", "parcli"]
LATE = "thanh-tra"  # Thanh tra tỉnh sends after the first merge
MISTAKE = "so-tu-phap"  # Sở Tư pháp's return has mistakes
PRELIMINARY = "so-bo-9-thang"  # the campaign's preliminary round (9 months)
SILENT = "so-y-te"  # Sở Y tế sends no remedy plan
OVERDUE = "so-noi-vu"  # Sở Nội vụ's first remedy is overdue at the December follow-up
# The password of the survey step (an EXAMPLE, printed because this is a demo): a real office sets its own in
# PARCLI_PASSWORD or types it with --password-prompt, and never writes it in a script or a file.
EXAMPLE_PASSWORD = "VI-DU-mat-khau-2023"  # noqa: S105 - an example, said so wherever it is shown


def step(title: str) -> None:
    """Print a step heading."""
    print(f"\n=== {title} ===", flush=True)


def run(args: list[str], *, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None) -> int:
    """Run a command, echo it, fail the demo on an unexpected exit code; ``env``: variables added for it."""
    print(
        "$ "
        + "".join(f"{key}={value} " for key, value in (env or {}).items())
        + (
            " ".join(a if " " not in a else repr(a) for a in args[2:] if a)
            if args[:2] == PARCLI[:2]
            else " ".join(args)
        ),
        flush=True,
    )
    code = subprocess.run(args, check=False, env={**os.environ, **env} if env else None).returncode
    if code not in ok:
        sys.exit(f"demo: '{' '.join(args)}' exited with {code}")
    return code


def main() -> None:
    """Run the demo."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("demo-output"))
    out: Path = parser.parse_args().out
    if out.exists():
        shutil.rmtree(out)
    issued = out / "1-phieu-phat-hanh"
    returns = out / "2-phieu-gui-ve"
    consolidated = out / "3-tong-hop" / "tong-hop-chi-so-cchc-2023.xlsx"
    fill = [sys.executable, str(HERE / "fill_returns.py"), str(issued), str(returns)]
    summary = out / "3-tong-hop" / "tong-hop.json"

    appraisals = out / "8-tham-dinh"
    prelim = out / "0-so-bo-9-thang"
    prelim_consolidated = prelim / "tong-hop-so-bo-9-thang-2023.xlsx"
    remedies = out / "11-khac-phuc"
    tracking = remedies / "theo-doi-khac-phuc.xlsx"

    def merge(ok: int, *extra: str) -> None:
        run([*PARCLI, "merge", str(returns), "--out", str(consolidated), "--json", str(summary), *extra], ok=(ok,))

    step("0. Đánh giá sơ bộ 9 tháng: phát hành, các cơ quan tự chấm (một số mục bị trừ điểm), tổng hợp")
    run([*PARCLI, "generate", "--round", PRELIMINARY, "--out", str(prelim / "phat-hanh")])
    run([*PARCLI, "cover-letter", "--round", PRELIMINARY, "--out", str(prelim / "cong-van-gui-phieu")])
    pre_fill = [sys.executable, str(HERE / "fill_returns.py"), str(prelim / "phat-hanh"), str(prelim / "gui-ve")]
    run([*pre_fill, "--seed", "9", "--sent", "2023-10-09"])
    run([*PARCLI, "merge", "--round", PRELIMINARY, str(prelim / "gui-ve"), "--out", str(prelim_consolidated)])

    step(f"0a. Kế hoạch khắc phục các mục bị trừ điểm; theo dõi ngày 20/12/2023 ({SILENT} chưa gửi, {OVERDUE} quá hạn)")
    run([*PARCLI, "remedy", "issue", str(prelim_consolidated), "--out", str(remedies / "phat-hanh")])
    request = [*PARCLI, "remedy", "request", str(prelim_consolidated), "--out", str(remedies / "cong-van-de-nghi")]
    run([*request, "--deadline", "2023-10-31", "--today", "2023-10-20"])
    run(
        [
            sys.executable,
            str(HERE / "fill_remedies.py"),
            str(remedies / "phat-hanh"),
            str(remedies / "gui-ve"),
            "--silent",
            SILENT,
            "--overdue",
            OVERDUE,
        ]
    )
    remedy_merge = [*PARCLI, "remedy", "merge", str(remedies / "gui-ve"), "--preliminary", str(prelim_consolidated)]
    run([*remedy_merge, "--out", str(tracking), "--today", "2023-12-20"], ok=(1,))
    remedy_remind = [*PARCLI, "remedy", "remind", str(remedies / "gui-ve"), "--preliminary", str(prelim_consolidated)]
    run([*remedy_remind, "--out", str(remedies / "nhac-nho"), "--today", "2023-12-20"], ok=(1,))

    step("1. Sở Nội vụ phát hành phiếu chấm điểm cho 17 cơ quan")
    run([*PARCLI, "generate", "--out", str(issued)])
    run([*PARCLI, "cover-letter", "--out", str(out / "1-cong-van-gui-phieu")])

    step(f"2. Các cơ quan điền và gửi về (trừ {LATE}; {MISTAKE} có sai sót)")
    run([*fill, "--skip", LATE, "--mistake", MISTAKE])

    step("3. Kiểm tra phiếu của Sở Tư pháp trước khi tổng hợp")
    run([*PARCLI, "check", str(next(returns.glob(f"*{MISTAKE}*.xlsx")))], ok=(1,))

    step("4. Tổng hợp lần 1 (còn cơ quan chưa nộp, có phiếu lỗi → mã thoát 1)")
    merge(ok=1)

    step("5. Tình trạng, bản góp ý cho phiếu có lỗi, văn bản đôn đốc (tính đến 16/01/2024)")
    run([*PARCLI, "status", str(returns), "--today", "2024-01-16"], ok=(1,))
    feedback = out / "5-gop-y"
    run([*PARCLI, "feedback", str(returns), "--out", str(feedback)])
    run([*PARCLI, "remind", str(returns), "--out", str(out / "6-nhac-nho"), "--today", "2024-01-16"])

    step("6. Phát hành phiếu thẩm định; hai thành viên tổ thẩm định nhập song song (theo cơ quan, theo lĩnh vực)")
    run([*PARCLI, "appraise", "issue", str(returns), "--out", str(appraisals)])
    run([*PARCLI, "appraise", "issue", str(returns), "--out", str(appraisals), "--by", "field"])
    typer_ = [sys.executable, str(HERE / "appraise.py"), str(appraisals)]
    run([*typer_, "--files", "tham-dinh-lan1-PL01-*.xlsx", "--count", "3"])
    run([*typer_, "--files", "tham-dinh-lan1-linh-vuc-6.xlsx", "--count", "2"])

    step(f"7. {LATE} gửi phiếu muộn; {MISTAKE} sửa trên bản góp ý và gửi lại; tổng hợp lại")
    run([*fill, "--only", LATE, "--late", LATE])
    corrected = next(feedback.glob(f"*{MISTAKE}*.xlsx"))
    run([*fill, "--only", MISTAKE, "--source", str(corrected), "--sent", "2024-01-17"])
    merge(0, "--appraisals", str(appraisals))

    step("7a. Sở Nội vụ gửi lại phiếu sau thẩm định lần 1: một mục phải thẩm định lại (appraisal-stale)")
    run([*typer_, "--files", "tham-dinh-lan1-PL01-*.xlsx", "--resubmit", str(returns)])
    run([*PARCLI, "status", str(returns), "--appraisals", str(appraisals), "--today", "2024-01-19"], ok=(0, 1))
    merge(0, "--appraisals", str(appraisals))

    step("7b. Thông báo kết quả thẩm định lần 1; thẩm định lần 2 (kết quả cuối cùng) và tổng hợp lại")
    notices = out / "9-thong-bao-tham-dinh"
    run(
        [
            *PARCLI,
            "appraise",
            "notices",
            str(returns),
            "--appraisals",
            str(appraisals),
            "--out",
            str(notices),
            "--deadline",
            "2024-01-25",
        ],
        ok=(0, 1),
    )
    record = [*PARCLI, "appraise", "record", str(returns), "--appraisals", str(appraisals)]
    run([*record, "--out", str(notices / "bien-ban-tham-dinh-lan-1.docx"), "--round", "1"], ok=(0, 1))
    run([*PARCLI, "appraise", "issue", str(returns), "--out", str(appraisals), "--round", "2"])
    # round 2 settles another item; the item Sở Nội vụ re-sent stays to be re-appraised, and the report lists it
    run([*typer_, "--files", "tham-dinh-lan2-PL01-*.xlsx", "--count", "1", "--skip", "1", "--agree"])
    merge(0, "--appraisals", str(appraisals))
    final_notices = [*PARCLI, "appraise", "notices", str(returns), "--appraisals", str(appraisals), "--round", "2"]
    run([*final_notices, "--out", str(notices / "lan-2")], ok=(0, 1))
    run([*record, "--out", str(notices / "bien-ban-tham-dinh-lan-2.docx"), "--round", "2"], ok=(0, 1))

    step("8. Lập báo cáo tổng hợp gửi UBND tỉnh (Word, HTML, Markdown), có phần kết quả khắc phục sau đánh giá sơ bộ")
    reports = out / "4-bao-cao"
    remedy_args = ["--preliminary", str(prelim_consolidated), "--remedies", str(remedies / "gui-ve")]
    for name in ("bao-cao-chi-so-cchc-2023.docx", "bao-cao-chi-so-cchc-2023.html", "bao-cao-chi-so-cchc-2023.md"):
        target = reports / name
        submit = ["--to-trinh"] if name.endswith(".docx") else []  # the Tờ trình and the Committee's draft report
        report = [*PARCLI, "report", str(consolidated), "--appraisals", str(appraisals), *remedy_args, *submit]
        run([*report, "--out", str(target)])

    step("9. Khi có kết quả điều tra xã hội học: báo cáo đầy đủ Chỉ số")
    run(
        [
            *PARCLI,
            "report",
            str(consolidated),
            "--survey",
            str(HERE / "hung-yen-2023" / "survey-example.csv"),
            "--appraisals",
            str(appraisals),
            "--out",
            str(reports / "bao-cao-chi-so-cchc-2023-day-du.html"),
        ]
    )

    step("10. Danh sách đối tượng điều tra xã hội học: phát hành, các đơn vị điền, tổng hợp có mật khẩu")
    lists = out / "7-dieu-tra-xhh"
    # the password of this step only, in the environment (never an option): an EXAMPLE, shown because this is a demo
    secret = {"PARCLI_PASSWORD": EXAMPLE_PASSWORD}
    print(f"(Mật khẩu VÍ DỤ của bước này: {EXAMPLE_PASSWORD} — cơ quan đặt mật khẩu riêng, không ghi vào tệp.)")
    run([*PARCLI, "survey", "generate", "--out", str(lists / "phat-hanh")])
    # one unit sends its list encrypted with the password agreed by phone
    run([sys.executable, str(HERE / "fill_lists.py"), str(lists / "phat-hanh"), str(lists / "gui-ve")], env=secret)
    merged_lists = lists / "danh-sach-tong-hop.xlsx"
    run([*PARCLI, "survey", "merge", str(lists / "gui-ve"), "--out", str(merged_lists)], ok=(1,), env=secret)
    # once the survey is over: what holds personal data, what parcli may remove (a dry run: nothing is removed)
    run([*PARCLI, "survey", "purge", str(lists)], env=secret)

    step("11. Tài liệu kiểm chứng: 4 cơ quan gửi phiếu kèm tệp (thư mục, .zip); hồ sơ kiểm chứng, kết quả thẩm định")
    evidence = out / "10-tai-lieu-kiem-chung"
    shutil.copytree(returns, evidence / "gui-ve")
    run([sys.executable, str(HERE / "evidence_packages.py"), str(evidence / "gui-ve")])
    # the appraisal workbooks of steps 6-7b: an item whose evidence a department changed since shows as stale
    ho_so = [*PARCLI, "evidence", str(evidence / "gui-ve"), "--out", str(evidence / "ho-so"), "--zip"]
    run([*ho_so, "--appraisals", str(appraisals)], ok=(1,))

    step("12. Bộ tiêu chí năm sau: nhập phụ lục Word (VÍ DỤ do demo tạo), bảng xem lại, so sánh với bộ đi kèm")
    annex_dir = out / "12-bo-tieu-chi-nam-sau"
    bundled = HERE.parent / "criteria" / "par-province-2023.yaml"
    annex = annex_dir / "phu-luc-vi-du-2024.docx"
    new_catalogue = annex_dir / "bo-tieu-chi-2024.yaml"
    run([sys.executable, str(HERE / "make_annex.py"), str(bundled), str(annex), "--next-year"])
    run([*PARCLI, "catalogue", "import", str(annex), "-o", str(new_catalogue)])
    changes = annex_dir / "thay-doi.md"
    mapping = annex_dir / "doi-chieu-ma.csv"
    run([*PARCLI, "catalogue", "diff", str(bundled), str(new_catalogue), "-o", str(changes), "--mapping", str(mapping)])

    from demo_units import run_units  # the unit-level campaign (each-unit-scores), ranked with its remedy section

    units = run_units(out / "13-xep-hang-don-vi", run, step)

    from demo_year import run_year  # the first day of a real year: init for the merged Hưng Yên in 2026, its forms

    year_2026 = run_year(out / "14-nam-2026", PARCLI, run, step)
    ministry = ministry_result(out / "15-ket-qua-bo-noi-vu", consolidated, appraisals, new_catalogue, mapping)

    step("Kết quả")
    print(f"Phiếu đã phát hành:   {issued.resolve()}")
    print(f"Phiếu các cơ quan gửi: {returns.resolve()}")
    print(f"Bảng tổng hợp:         {consolidated.resolve()}")
    print(f"Tóm tắt JSON:          {(out / '3-tong-hop' / 'tong-hop.json').resolve()}")
    print(f"Báo cáo:               {(out / '4-bao-cao').resolve()} (kèm Tờ trình, dự thảo báo cáo của UBND tỉnh)")
    print(f"Công văn gửi phiếu:    {(out / '1-cong-van-gui-phieu').resolve()} (và phiếu chuyển nội bộ)")
    print(f"Bản góp ý, đôn đốc:    {feedback.resolve()}, {(out / '6-nhac-nho').resolve()}")
    print(f"Danh sách điều tra XHH: {merged_lists.resolve()} (có mật khẩu, VÍ DỤ: {EXAMPLE_PASSWORD})")
    print(f"Phiếu thẩm định:       {appraisals.resolve()} (lần 1 và lần 2)")
    print(f"Thông báo thẩm định:   {notices.resolve()} (lần 1; lần 2 trong lan-2/; biên bản thẩm định lần 1, 2)")
    print(f"Kết quả thẩm định:     mục 5 của báo cáo trong {reports.resolve()}")
    print(f"Hồ sơ kiểm chứng:      {(evidence / 'ho-so' / 'trang-kiem-chung' / 'index.html').resolve()}")
    print(f"Đánh giá sơ bộ 9 tháng: {prelim_consolidated.resolve()}")
    print(f"Kế hoạch khắc phục:    {(remedies / 'phat-hanh').resolve()} (phát hành)")
    print(f"                       {(remedies / 'cong-van-de-nghi').resolve()} (công văn đề nghị)")
    print(f"                       {(remedies / 'nhac-nho').resolve()} (đôn đốc cơ quan chưa gửi)")
    print(f"                       {(remedies / 'gui-ve').resolve()} (các cơ quan gửi về)")
    print(f"Theo dõi khắc phục:    {tracking.resolve()}")
    print(f"Kết quả khắc phục:     phần cuối báo cáo trong {reports.resolve()}")
    print(f"Bộ tiêu chí năm sau:   {annex_dir.resolve()} (phụ lục ví dụ, bảng xem lại, thay đổi, đối chiếu mã)")
    print("\nXếp hạng các sở, ban, ngành và UBND cấp huyện (mỗi đơn vị tự chấm bộ tiêu chí của nhóm mình):")
    for label, path, note in units:
        print(f"  {(label + ':') if label else '':22s} {path.resolve()}" + (f" ({note})" if note else ""))
    print("\nNăm 2026 (tỉnh Hưng Yên sau hợp nhất; danh sách xã, phường minh họa):")
    for label, path in year_2026:
        print(f"  {label + ':':22s} {path.resolve()}")
    print("\nKết quả thẩm định của Bộ Nội vụ (VÍ DỤ dựng từ kết quả của demo) và so sánh với tỉnh:")
    for label, path in ministry:
        print(f"  {label + ':':22s} {path.resolve()}" + (" (và .html, .md, .xlsx)" if path.suffix == ".docx" else ""))


def ministry_result(
    folder: Path, consolidated: Path, appraisals: Path, next_catalogue: Path, mapping: Path
) -> list[tuple[str, Path]]:
    """The Ministry's appraisal (an EXAMPLE built from the demo's own result), the comparison, next year's plans."""
    step("15. Kết quả thẩm định của Bộ Nội vụ (VÍ DỤ): nhập, so sánh với kết quả của tỉnh, kế hoạch khắc phục năm sau")
    example = folder / "ket-qua-tham-dinh-cua-bo-VI-DU.xlsx"
    next_year = folder / "ke-hoach-2024-VI-DU.yaml"
    make = [sys.executable, str(HERE / "ministry_result.py"), str(consolidated), str(example)]
    run([*make, "--next-campaign", str(next_year), "--next-catalogue", str(next_catalogue)])
    result = folder / "ket-qua-bo-noi-vu.xlsx"
    run([*PARCLI, "result", "import", str(example), "--out", str(result)])
    compare = [*PARCLI, "result", "compare", str(consolidated), "--result", str(result)]
    compare += ["--appraisals", str(appraisals)]
    for name in ("so-sanh-ket-qua.docx", "so-sanh-ket-qua.html", "so-sanh-ket-qua.md", "so-sanh-ket-qua.xlsx"):
        run([*compare, "--out", str(folder / name)])
    plans = folder / "khac-phuc-nam-sau"
    run([*PARCLI, "remedy", "issue", "--result", str(result), "-c", str(next_year), "--mapping", str(mapping), "-o",
         str(plans)])  # fmt: skip
    return [
        ("Kết quả của Bộ (VÍ DỤ)", result),
        ("So sánh với tỉnh", folder / "so-sanh-ket-qua.docx"),
        ("Khắc phục năm sau", plans),
    ]


if __name__ == "__main__":
    main()
