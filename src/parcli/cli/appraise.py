"""``parcli appraise``: issue appraisal workbooks, carry over an old consolidated workbook, write round-1 notices.

Each command turns its options into a request for :mod:`parcli.jobs.appraise` and renders the result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import (
    AppraisalsOption,
    AppraisalsRequiredOption,
    CampaignOption,
    PickOption,
    ReturnsDirArgument,
    Talk,
    TodayOption,
    command,
    parse_day,
    say_appraisals,
    say_returns,
)
from parcli.cli.vietnamese import Command, Group
from parcli.errors import ExitCode

appraise_app = typer.Typer(
    cls=Group,
    help="Thẩm định: phát hành phiếu thẩm định, chuyển điểm thẩm định từ bảng tổng hợp cũ, thông báo kết quả lần 1 và "
    "lần 2, biên bản thẩm định.",
    no_args_is_help=True,
)

CampaignRoundOption = Annotated[
    str | None,
    typer.Option(
        "--campaign-round",
        help="Đợt đánh giá trong năm có các phiếu được thẩm định (mã đợt trong mục rounds của kế hoạch, ví dụ "
        "so-bo-9-thang). Mặc định: đợt cuối cùng. (--round là lần thẩm định: 1 hoặc 2.)",
    ),
]


@appraise_app.command("issue", cls=Command)
@command
def issue(
    returns_dir: ReturnsDirArgument,
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
    campaign_round: CampaignRoundOption = None,
) -> None:
    """Phát hành phiếu thẩm định: mỗi mục kèm điểm tự đánh giá, giải trình, tài liệu; cột thẩm định để nhập.

    Lần 2 ghi thêm điểm và ý kiến thẩm định lần 1 (đọc từ --appraisals, mặc định thư mục --out) và cột giải
    trình bổ sung.
    """
    from parcli.jobs.appraise import IssueRequest, issue

    talk = Talk()
    request = IssueRequest(
        returns_dir, out, campaign, campaign_round, by=by, round=round_, appraisals=appraisals, pick=tuple(pick or ())
    )
    result = issue(request, talk)
    assert result.merged is not None and result.issued is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    for w in result.issued.workbooks:
        talk.err.print(f"{w.owner_name}: {w.path.name} ({w.items} mục)")
    talk.err.print(f"Đã tạo {len(result.issued.workbooks)} phiếu thẩm định lần {round_} trong {out.resolve()}")


@appraise_app.command("import", cls=Command)
@command
def import_(
    old: Annotated[
        Path,
        typer.Argument(help="Bảng tổng hợp cũ có điểm thẩm định đã nhập.", dir_okay=False, metavar="BẢNG_TỔNG_HỢP_CŨ"),
    ],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi phiếu thẩm định.", file_okay=False)] = Path(
        "tham-dinh"
    ),
) -> None:
    """Chuyển điểm và ý kiến thẩm định đã nhập trong bảng tổng hợp cũ sang phiếu thẩm định (lần 1), giữ nguyên."""
    from parcli.jobs.appraise import ImportRequest, import_

    talk = Talk()
    result = import_(ImportRequest(old, out, campaign), talk)
    assert result.issued is not None
    for w in result.issued.workbooks:
        talk.err.print(f"{w.owner_name}: {w.path.name}")
    talk.err.print(
        f"Đã chuyển điểm thẩm định sang {len(result.issued.workbooks)} phiếu thẩm định trong {out.resolve()}"
    )


@appraise_app.command("notices", cls=Command)
@command
def notices(
    returns_dir: ReturnsDirArgument,
    appraisals: AppraisalsRequiredOption,
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
            "--templates",
            help="Thư mục mẫu của đơn vị (letter.docx, appraisal-notice.txt.j2, appraisal-final.txt.j2).",
            file_okay=False,
        ),
    ] = None,
    pick: PickOption = None,
    campaign_round: CampaignRoundOption = None,
    round_: Annotated[
        int, typer.Option("--round", help="Lần thẩm định: 1 (đề nghị giải trình bổ sung) hoặc 2 (kết quả cuối cùng).")
    ] = 1,
) -> ExitCode:
    """Văn bản thông báo kết quả thẩm định cho từng cơ quan có mục bị thẩm định thấp hơn điểm tự đánh giá.

    Lần 1: các mục, hai điểm, ý kiến thẩm định và hạn gửi giải trình bổ sung (--deadline, ghi “trước 17 giờ 00
    ngày …”). Lần 2: kết quả cuối cùng. Các mục của chính Sở Nội vụ: phiếu chuyển tới các phòng.
    """
    from parcli.jobs.appraise import NoticesRequest, notices

    talk = Talk()
    request = NoticesRequest(
        returns_dir,
        appraisals,
        out,
        parse_day(today),
        campaign,
        campaign_round,
        deadline=parse_day(deadline) if deadline else None,
        templates=templates,
        pick=tuple(pick or ()),
        round=round_,
    )
    result = notices(request, talk)
    assert result.merged is not None and result.appraisals is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    names = {d.id: d.name for d in result.merged.campaign.departments}
    for dept_id, path in result.written:
        talk.err.print(f"{names[dept_id]}: {path}")
    talk.err.print(f"Đã ghi {len(result.written)} văn bản thông báo vào {out.resolve()}")
    return result.exit_code


@appraise_app.command("record", cls=Command)
@command
def record(
    returns_dir: ReturnsDirArgument,
    appraisals: AppraisalsRequiredOption,
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Tệp biên bản (.docx) sẽ ghi.", dir_okay=False)] = Path(
        "bien-ban-tham-dinh.docx"
    ),
    round_: Annotated[int, typer.Option("--round", help="Lần thẩm định: 1 hoặc 2.")] = 1,
    today: TodayOption = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Thư mục mẫu của đơn vị (record.docx).", file_okay=False),
    ] = None,
    pick: PickOption = None,
    campaign_round: CampaignRoundOption = None,
) -> ExitCode:
    """Biên bản thẩm định của tổ thẩm định: thành phần, nội dung, kết quả theo cơ quan, các mục thẩm định thấp hơn
    điểm tự đánh giá kèm ý kiến, kết luận.
    """
    from parcli.jobs.appraise import RecordRequest, record

    talk = Talk()
    request = RecordRequest(
        returns_dir,
        appraisals,
        out,
        parse_day(today),
        campaign,
        campaign_round,
        round=round_,
        templates=templates,
        pick=tuple(pick or ()),
    )
    result = record(request, talk)
    assert result.merged is not None and result.appraisals is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    talk.err.print(f"Biên bản thẩm định lần {round_}: {out.resolve()}")
    return result.exit_code
