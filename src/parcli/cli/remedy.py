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
    help="Kế hoạch khắc phục các mục bị trừ điểm (sau đánh giá sơ bộ): phát hành và theo dõi.",
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
