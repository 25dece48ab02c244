"""``parcli appraise``: issue appraisal workbooks, carry over an old consolidated workbook, write round-2 notices.

Each command turns its options into typed arguments and calls one library
function of :mod:`parcli.rounds.appraisal` or :mod:`parcli.results.appraisal`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import (
    AppraisalsOption,
    CampaignOption,
    PickOption,
    TodayOption,
    campaign_files,
    command,
    err_console,
    guard,
    load_campaign,
    parse_day,
    show_appraisal_problems,
)
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.rounds.scoring.merge import MergeResult

appraise_app = typer.Typer(
    help="Thẩm định: phát hành phiếu thẩm định, chuyển điểm thẩm định từ bảng tổng hợp cũ, thông báo kết quả lần 1.",
    no_args_is_help=True,
)


def _merged(camp: Campaign, returns_dir: Path, pick: list[str] | None) -> MergeResult:
    from parcli.rounds.scoring.merge import merge_returns

    return merge_returns(camp, returns_dir, pick=pick)


@appraise_app.command("issue")
@command
def issue(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi phiếu thẩm định.", file_okay=False)] = Path(
        "tham-dinh"
    ),
    by: Annotated[
        str,
        typer.Option("--by", help="Mỗi phiếu cho một cơ quan (department), lĩnh vực (field) hoặc nhóm đơn vị (group)."),
    ] = "department",
    round_: Annotated[int, typer.Option("--round", help="Lần thẩm định: 1 hoặc 2.")] = 1,
    appraisals: AppraisalsOption = None,
    pick: PickOption = None,
) -> None:
    """Phát hành phiếu thẩm định: mỗi mục kèm điểm tự đánh giá, giải trình, tài liệu; cột thẩm định để nhập.

    Lần 2 ghi thêm điểm và ý kiến thẩm định lần 1 (đọc từ --appraisals, mặc định thư mục --out) và cột giải
    trình bổ sung.
    """
    from parcli.results.appraisal import collect_for, round1_prior
    from parcli.rounds.appraisal.issue import issue_appraisals

    err = err_console()
    camp = load_campaign(campaign, err)
    guard(err, inputs=[*campaign_files(camp), returns_dir], dirs=[out])
    merged = _merged(camp, returns_dir, pick)
    prior = None
    if round_ == 2:
        folder = appraisals or out
        prior = round1_prior(collect_for(merged, folder)) if folder.is_dir() else {}
    result = issue_appraisals(camp, merged.returned_rows(), out, by=by, round_=round_, prior=prior)
    for w in result.workbooks:
        err.print(f"{w.owner_name}: {w.path.name} ({w.items} mục)")
    err.print(f"Đã tạo {len(result.workbooks)} phiếu thẩm định lần {round_} trong {out.resolve()}")


@appraise_app.command("import")
@command
def import_(
    old: Annotated[Path, typer.Argument(help="Bảng tổng hợp cũ có điểm thẩm định đã nhập.", dir_okay=False)],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi phiếu thẩm định.", file_okay=False)] = Path(
        "tham-dinh"
    ),
) -> None:
    """Chuyển điểm và ý kiến thẩm định đã nhập trong bảng tổng hợp cũ sang phiếu thẩm định (lần 1), giữ nguyên."""
    from parcli.errors import InputNotFoundError
    from parcli.results.appraisal import import_consolidated

    err = err_console()
    camp = load_campaign(campaign, err)
    if not old.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng tổng hợp {old}.")
    guard(err, inputs=[*campaign_files(camp), old], dirs=[out])
    result = import_consolidated(camp, old, out)
    for w in result.workbooks:
        err.print(f"{w.owner_name}: {w.path.name}")
    err.print(f"Đã chuyển điểm thẩm định sang {len(result.workbooks)} phiếu thẩm định trong {out.resolve()}")


@appraise_app.command("notices")
@command
def notices(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    appraisals: Annotated[
        Path, typer.Option("--appraisals", help="Thư mục chứa các phiếu thẩm định.", file_okay=False)
    ],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi văn bản thông báo.", file_okay=False)] = Path(
        "thong-bao"
    ),
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="Hạn gửi giải trình bổ sung (YYYY-MM-DD hoặc dd/mm/yyyy).")
    ] = None,
    today: TodayOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Thư mục mẫu của đơn vị (letter.docx, appraisal-notice.txt.j2).", file_okay=False
        ),
    ] = None,
) -> ExitCode:
    """Văn bản thông báo kết quả thẩm định lần 1 cho từng cơ quan có mục bị thẩm định thấp hơn điểm tự đánh giá."""
    from parcli.config.campaign import refuse_placeholders
    from parcli.results.appraisal import collect_for, write_notices

    err = err_console()
    camp = load_campaign(campaign, err)
    refuse_placeholders(camp)
    guard(err, inputs=[*campaign_files(camp), returns_dir, appraisals, templates], dirs=[out])
    merged = _merged(camp, returns_dir, None)
    found = collect_for(merged, appraisals)
    show_appraisal_problems(found.problems, err)
    written = write_notices(
        merged,
        found,
        out,
        deadline=parse_day(deadline) if deadline else None,
        today=parse_day(today),
        template_dir=templates,
    )
    for dept_id, path in written:
        err.print(f"{camp.department_by_id[dept_id].name}: {path}")
    err.print(f"Đã ghi {len(written)} văn bản thông báo vào {out.resolve()}")
    return ExitCode.OK if found.ok else ExitCode.DATA_PROBLEMS
