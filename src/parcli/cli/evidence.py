"""The evidence documents on the command line: ``parcli evidence`` (the upload pack and the evidence site)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import CampaignOption, PickOption, campaign_files, command, err_console, guard, load_campaign
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
) -> ExitCode:
    """Lập hồ sơ tài liệu kiểm chứng: gói tài liệu theo tiêu chí thành phần, danh mục và trang tra cứu.

    Đọc các phiếu gửi về (tệp .xlsx, hoặc thư mục / tệp .zip gồm phiếu và tài liệu kiểm chứng), kiểm tra
    tài liệu, rồi ghi vào thư mục đầu ra: goi-tai-lieu/ (mỗi tiêu chí thành phần một thư mục, tệp trùng
    nội dung chỉ lưu một lần, kèm danh-muc-tai-lieu.xlsx) và trang-kiem-chung/ (trang HTML mở trực tiếp,
    không cần mạng: theo lĩnh vực, theo cơ quan, từng mục với điểm tự chấm, giải trình, tệp và vấn đề).
    Thoát với mã 1 khi tài liệu có lỗi (hồ sơ vẫn được ghi).
    """
    from rich.progress import Progress

    from parcli.results.evidence_pack import build_evidence, write_evidence
    from parcli.rounds.scoring.merge import merge_returns

    err = err_console()
    camp = load_campaign(campaign, err)
    guard(err, inputs=[*campaign_files(camp), returns_dir], dirs=[out])
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
    book = build_evidence(result)
    write_evidence(book, out, archive=archive)
    warnings = sum(1 for c in book.cards for p in c.problems if p[0] != "error")
    err.print(
        f"Đã ghi hồ sơ kiểm chứng vào {out}: {len(book.files)} tệp trong gói, {len(book.cards)} mục; "
        f"{book.errors} lỗi, {warnings} cảnh báo về tài liệu. Mở {out / 'trang-kiem-chung' / 'index.html'} để xem."
    )
    return ExitCode.DATA_PROBLEMS if book.errors else ExitCode.OK


COMMANDS = (evidence,)
