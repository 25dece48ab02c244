"""The evidence documents on the command line: ``parcli evidence`` (the upload pack and the evidence site)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import (
    AppraisalsOption,
    CampaignOption,
    PickOption,
    campaign_files,
    command,
    err_console,
    guard,
    load_campaign,
    show_appraisal_problems,
)
from parcli.errors import ExitCode


@command
def evidence(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu (và gói tài liệu) các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi hồ sơ kiểm chứng.", file_okay=False)] = Path(
        "ho-so-kiem-chung"
    ),
    archive: Annotated[
        bool, typer.Option("--zip", help="Nén gói tài liệu và trang kiểm chứng thành một tệp .zip.")
    ] = False,
    pick: PickOption = None,
    appraisals: AppraisalsOption = None,
) -> ExitCode:
    """Lập hồ sơ tài liệu kiểm chứng: gói tài liệu theo tiêu chí thành phần, danh mục và trang tra cứu.

    Đọc các phiếu gửi về (tệp .xlsx, hoặc thư mục / tệp .zip gồm phiếu và tài liệu kiểm chứng), kiểm tra
    tài liệu, rồi ghi vào thư mục đầu ra: goi-tai-lieu/ (mỗi tiêu chí thành phần một thư mục, tệp trùng
    nội dung chỉ lưu một lần, kèm danh-muc-tai-lieu.xlsx) và trang-kiem-chung/ (trang HTML mở trực tiếp,
    không cần mạng: theo lĩnh vực, theo cơ quan, từng mục với điểm tự chấm, giải trình, tệp và vấn đề).
    Với --appraisals, trang và danh mục có thêm kết quả thẩm định: điểm lần 1, điểm thẩm định, ý kiến, mục
    chưa thẩm định, mục cần thẩm định lại. Với chỉ số cấp đơn vị (mode: each-unit-scores), gói tài liệu và
    trang chia theo nhóm đơn vị rồi theo đơn vị. Hồ sơ cũ chỉ được thay khi hồ sơ mới đã ghi xong.
    Thoát với mã 1 khi tài liệu hoặc phiếu thẩm định có lỗi (hồ sơ vẫn được ghi).
    """
    from rich.progress import Progress

    from parcli.results.evidence_pack import build_evidence, write_evidence
    from parcli.rounds.scoring.merge import merge_returns

    err = err_console()
    camp = load_campaign(campaign, err)
    guard(err, inputs=[*campaign_files(camp), returns_dir, appraisals], dirs=[out])
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Đang đọc phiếu và tài liệu", total=None)
        result = merge_returns(
            camp,
            returns_dir,
            pick=pick,
            on_start=lambda n: progress.update(task, total=n),
            on_file=lambda _p: progress.advance(task),
        )
    for decision in result.decisions:
        if decision.used is None:
            err.print(f"{decision.owner_id}: chưa dùng phiếu nào — {decision.reason} ({', '.join(decision.others)}).")
    found = None
    if appraisals is not None:
        from parcli.results.appraisal import collect_for

        found = collect_for(result, appraisals)
        show_appraisal_problems(list(found.problems), err)
    book = build_evidence(result, found)
    write_evidence(book, out, archive=archive)
    warnings = sum(1 for c in book.cards for p in c.problems if p[0] != "error")
    err.print(
        f"Đã ghi hồ sơ kiểm chứng vào {out}: {len(book.files)} tệp trong gói, {len(book.cards)} mục; "
        f"{book.errors} lỗi, {warnings} cảnh báo về tài liệu. Mở {out / 'trang-kiem-chung' / 'index.html'} để xem."
    )
    if found is not None:
        from parcli.numbers import fmt_points
        from parcli.results.evidence_book import appraisal_progress

        total = appraisal_progress("Cộng", book.cards)
        err.print(
            f"Thẩm định: {total.appraised}/{total.items} mục đã thẩm định, {total.items - total.appraised} mục chưa "
            f"thẩm định, {total.stale} mục cần thẩm định lại; tự chấm {fmt_points(total.self_score)} điểm, sau "
            f"thẩm định {fmt_points(total.final)} điểm."
        )
    return ExitCode.DATA_PROBLEMS if book.errors or (found is not None and not found.ok) else ExitCode.OK


COMMANDS = (evidence,)
