"""``parcli remedy issue`` and ``parcli remedy merge``: remedy plans for the items that lost points in a round."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import (
    CampaignOption,
    JsonOption,
    PickOption,
    RoundOption,
    Talk,
    TodayOption,
    command,
    out_console,
    parse_day,
    problem_table,
    say_versions,
    write_json,
)
from parcli.cli.vietnamese import Command, Group
from parcli.errors import ExitCode

remedy_app = typer.Typer(
    cls=Group,
    help="Kế hoạch khắc phục các mục bị trừ điểm (sau đánh giá sơ bộ): phát hành, công văn đề nghị, theo dõi, "
    "đôn đốc.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@remedy_app.command("issue", cls=Command)
@command
def issue(
    consolidated: Annotated[
        Path | None,
        typer.Argument(help="Bảng tổng hợp của đợt đánh giá sơ bộ (do parcli merge tạo ra).", dir_okay=False),
    ] = None,
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Thư mục ghi các kế hoạch khắc phục.", file_okay=False)
    ] = Path("khac-phuc"),
    ministry: Annotated[
        Path | None,
        typer.Option(
            "--result",
            help="Thay cho bảng tổng hợp: kết quả của Bộ năm trước (parcli result import); kế hoạch cho các mục Bộ "
            "không công nhận điểm, theo kế hoạch đánh giá năm nay (-c).",
            dir_okay=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="Với --result: tệp đối chiếu mã (mã năm trước → mã năm nay).", dir_okay=False),
    ] = None,
) -> None:
    """Phát hành kế hoạch khắc phục: mỗi cơ quan có mục bị trừ điểm một tệp .xlsx đã khóa, có kiểm tra dữ liệu.

    Mỗi mục bị trừ điểm (sau thẩm định nếu có) kèm các cột để cơ quan nhập: nguyên nhân, giải pháp khắc phục,
    thời hạn, người chịu trách nhiệm, tiến độ, kết quả và tài liệu kiểm chứng. Không ghi đè kế hoạch đã có.
    Đợt: đợt ghi trong bảng tổng hợp. Với --result: các mục Bộ Nội vụ không công nhận điểm năm trước, giao cơ
    quan chịu trách nhiệm năm nay, thuộc đợt trước đợt cuối của kế hoạch năm nay (hoặc --round).
    """
    from parcli.jobs.remedy import RemedyIssueRequest, issue

    talk = Talk()
    result = issue(RemedyIssueRequest(consolidated, out, campaign, round_id, ministry, mapping), talk)
    assert result.issued is not None
    for w in result.issued.workbooks:
        talk.err.print(f"{w.owner.name}: {w.path.name} ({w.items} mục bị trừ điểm)")
    talk.err.print(f"Đã tạo {len(result.issued.workbooks)} kế hoạch khắc phục trong {out.resolve()}")


@remedy_app.command("merge", cls=Command)
@command
def merge(
    remedies_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các kế hoạch khắc phục cơ quan gửi về.")],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    preliminary: Annotated[
        Path | None,
        typer.Option(
            "--preliminary",
            help="Bảng tổng hợp của đợt sơ bộ mà kế hoạch được phát hành từ đó: để biết cơ quan nào chưa gửi.",
            dir_okay=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Bảng theo dõi khắc phục (.xlsx) sẽ ghi.", dir_okay=False)
    ] = Path("theo-doi-khac-phuc.xlsx"),
    json_out: JsonOption = None,
    today: TodayOption = None,
    pick: PickOption = None,
) -> ExitCode:
    """Tổng hợp các kế hoạch khắc phục: bảng theo dõi (mục, cơ quan, giải pháp, thời hạn, tiến độ), các giải pháp
    quá hạn, cơ quan chưa gửi, mục chưa có giải pháp và lỗi nhập liệu theo ô.

    Đợt: --round, hoặc đợt của bảng tổng hợp --preliminary, hoặc đợt trước đợt cuối. Thoát với mã 0 khi không có
    lỗi, 1 khi có lỗi hoặc cơ quan chưa gửi (bảng theo dõi vẫn được ghi).
    """
    from parcli.jobs.remedy import RemedyMergeRequest, merge

    talk = Talk()
    request = RemedyMergeRequest(
        remedies_dir, out, parse_day(today), campaign, round_id, preliminary, json_out, tuple(pick or ())
    )
    result = merge(request, talk)
    found = result.found
    assert found is not None
    names = {d.id: d.name for d in found.campaign.departments}
    say_versions(found.decisions, names, talk.err, document="kế hoạch")
    write_json(json_out, result.document)
    if found.problems:
        out_console().print(problem_table(found.problems, "Các vấn đề của kế hoạch khắc phục"))
    done = sum(1 for i in found.items if i.entry.done)
    talk.err.print(
        f"{len(found.items)} mục bị trừ điểm có kế hoạch ({done} đã hoàn thành, {len(found.overdue)} quá hạn); "
        f"{len(found.silent)} cơ quan chưa gửi kế hoạch. Đã ghi {out}"
    )
    return result.exit_code


TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", help="Thư mục mẫu của đơn vị (letter.docx và mẫu nội dung văn bản).", file_okay=False),
]
DeadlineOption = Annotated[
    str | None,
    typer.Option("--deadline", help="Hạn gửi (YYYY-MM-DD hoặc dd/mm/yyyy), ghi “trước 17 giờ 00 ngày …”."),
]


@remedy_app.command("request", cls=Command)
@command
def request(
    consolidated: Annotated[
        Path, typer.Argument(help="Bảng tổng hợp của đợt đánh giá sơ bộ (do parcli merge tạo ra).", dir_okay=False)
    ],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi công văn.", file_okay=False)] = Path(
        "de-nghi-khac-phuc"
    ),
    deadline: DeadlineOption = None,
    today: TodayOption = None,
    templates: TemplatesOption = None,
) -> None:
    """Công văn đề nghị xây dựng kế hoạch khắc phục: mỗi cơ quan có mục bị trừ điểm ở đợt sơ bộ một công văn.

    Liệt kê từng mục (mã, tên, điểm đạt, điểm bị trừ, ý kiến thẩm định) và hạn gửi kế hoạch (--deadline, mặc định
    hạn báo cáo của đợt). Các mục của chính Sở Nội vụ: phiếu chuyển tới các phòng.
    """
    from parcli.jobs.letters import RemedyLettersRequest, remedy_request

    talk = Talk()
    result = remedy_request(
        RemedyLettersRequest(
            consolidated,
            out,
            parse_day(today),
            campaign,
            round_id,
            parse_day(deadline) if deadline else None,
            templates,
        ),
        talk,
    )
    assert result.campaign is not None
    names = {d.id: d.name for d in result.campaign.departments}
    for dept_id, path in result.written:
        talk.err.print(f"{names[dept_id]}: {path}")
    talk.err.print(f"Đã ghi {len(result.written)} công văn đề nghị khắc phục vào {out.resolve()}")


@remedy_app.command("remind", cls=Command)
@command
def remind(
    remedies_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các kế hoạch khắc phục cơ quan gửi về.")],
    preliminary: Annotated[
        Path,
        typer.Option(
            "--preliminary", help="Bảng tổng hợp của đợt sơ bộ mà kế hoạch được phát hành từ đó.", dir_okay=False
        ),
    ],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi văn bản đôn đốc.", file_okay=False)] = Path(
        "nhac-khac-phuc"
    ),
    deadline: DeadlineOption = None,
    today: TodayOption = None,
    templates: TemplatesOption = None,
    pick: PickOption = None,
) -> ExitCode:
    """Văn bản đôn đốc cơ quan chưa gửi kế hoạch khắc phục: các mục bị trừ điểm và hạn gửi (mặc định 2 ngày làm
    việc sau --today). Thoát với mã 1 khi còn cơ quan chưa gửi.
    """
    from parcli.jobs.letters import RemedyLettersRequest, remedy_remind

    talk = Talk()
    result = remedy_remind(
        RemedyLettersRequest(
            preliminary,
            out,
            parse_day(today),
            campaign,
            round_id,
            parse_day(deadline) if deadline else None,
            templates,
            remedies_dir,
            tuple(pick or ()),
        ),
        talk,
    )
    assert result.campaign is not None
    names = {d.id: d.name for d in result.campaign.departments}
    for dept_id, path in result.written:
        talk.err.print(f"{names[dept_id]}: {path}")
    talk.err.print(f"Đã ghi {len(result.written)} văn bản đôn đốc gửi kế hoạch khắc phục vào {out.resolve()}")
    return result.exit_code
