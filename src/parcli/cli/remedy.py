"""``parcli remedy issue`` and ``parcli remedy merge``: remedy plans for the items that lost points in a round."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import (
    CampaignOption,
    JsonOption,
    PickOption,
    RoundOption,
    TodayOption,
    campaign_files,
    command,
    err_console,
    guard,
    out_console,
    parse_day,
    problem_table,
    write_json,
)
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from parcli.config.campaign import Campaign
    from parcli.results.consolidated import Consolidated

remedy_app = typer.Typer(
    help="Kế hoạch khắc phục các mục bị trừ điểm (sau đánh giá sơ bộ): phát hành và theo dõi.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _campaign_of(
    consolidated: Path, campaign: Path | None, round_id: str | None, err: Console
) -> tuple[Campaign, Consolidated]:
    """The campaign (given, else recorded in the consolidated workbook) at the workbook's round, and its data."""
    from parcli.cli.common import load_campaign
    from parcli.errors import UsageError
    from parcli.results.consolidated import consolidated_for, load_consolidated

    data = load_consolidated(consolidated)
    if campaign is None and data.campaign_path and Path(data.campaign_path).is_file():
        campaign = Path(data.campaign_path)
    camp = load_campaign(campaign, err, round_id or data.round_id)
    if data.round_id is not None and data.round_id != camp.round_id:
        raise UsageError(f"Bảng tổng hợp {consolidated.name} thuộc đợt “{data.round_id}”, không phải “{round_id}”.")
    return camp, consolidated_for(camp, data)


@remedy_app.command("issue")
@command
def issue(
    consolidated: Annotated[
        Path, typer.Argument(help="Bảng tổng hợp của đợt đánh giá sơ bộ (do parcli merge tạo ra).", dir_okay=False)
    ],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Thư mục ghi các kế hoạch khắc phục.", file_okay=False)
    ] = Path("khac-phuc"),
) -> None:
    """Phát hành kế hoạch khắc phục: mỗi cơ quan có mục bị trừ điểm một tệp .xlsx đã khóa, có kiểm tra dữ liệu.

    Mỗi mục bị trừ điểm (sau thẩm định nếu có) kèm các cột để cơ quan nhập: nguyên nhân, giải pháp khắc phục,
    thời hạn, người chịu trách nhiệm, tiến độ, kết quả và tài liệu kiểm chứng. Không ghi đè kế hoạch đã có.
    Đợt: đợt ghi trong bảng tổng hợp.
    """
    from parcli.results.remedy import lost_items
    from parcli.rounds.remedy.issue import issue_remedies

    err = err_console()
    camp, data = _campaign_of(consolidated, campaign, round_id, err)
    guard(err, inputs=[*campaign_files(camp), consolidated], dirs=[out])
    result = issue_remedies(camp, lost_items(camp, data), out)
    for w in result.workbooks:
        err.print(f"{w.owner.name}: {w.path.name} ({w.items} mục bị trừ điểm)")
    err.print(f"Đã tạo {len(result.workbooks)} kế hoạch khắc phục trong {out.resolve()}")


@remedy_app.command("merge")
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
    from parcli import clock
    from parcli.cli.common import load_campaign
    from parcli.errors import InputNotFoundError
    from parcli.results.remedy import lost_items
    from parcli.rounds.remedy.issue import plan_remedies
    from parcli.rounds.remedy.merge import collect_remedies, write_tracking

    err = err_console()
    day = parse_day(today)
    if not remedies_dir.is_dir():
        raise InputNotFoundError(f"Không tìm thấy thư mục {remedies_dir}.")
    expected = None
    if preliminary is not None:
        camp, data = _campaign_of(preliminary, campaign, round_id, err)
        expected = [dept for dept, _ in plan_remedies(camp, lost_items(camp, data))]
    else:
        camp = load_campaign(campaign, err, round_id)
        if round_id is None and len(camp.rounds) > 1:
            camp = camp.at_round(camp.rounds[-2].id)
            err.print(f"Kế hoạch khắc phục của đợt: {camp.round_title} ({camp.round_id})")
    guard(err, inputs=[*campaign_files(camp), remedies_dir, preliminary], files=[out, json_out])
    found = collect_remedies(camp, remedies_dir, day, expected, pick=pick)
    write_tracking(found, out, clock.now())
    write_json(json_out, found.as_dict())
    if found.problems:
        out_console().print(problem_table(found.problems, "Các vấn đề của kế hoạch khắc phục"))
    done = sum(1 for i in found.items if i.entry.done)
    err.print(
        f"{len(found.items)} mục bị trừ điểm có kế hoạch ({done} đã hoàn thành, {len(found.overdue)} quá hạn); "
        f"{len(found.silent)} cơ quan chưa gửi kế hoạch. Đã ghi {out}"
    )
    return ExitCode.OK if found.ok else ExitCode.DATA_PROBLEMS
