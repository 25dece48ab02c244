"""``parcli report``: the province report, or the ranking of units, from a consolidated workbook.

The command runs :func:`parcli.jobs.report.report` once and says what it made;
manifest replay, campaign discovery and the choice between the province report
and the ranking live there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from parcli.cli.common import Talk, campaign_option, command, say_appraisals
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from parcli.jobs.report import Reported


@command
def report(
    consolidated: Annotated[
        Path | None, typer.Argument(help="Bảng tổng hợp do parcli merge tạo ra (.xlsx).", dir_okay=False)
    ] = None,
    campaign: Annotated[
        Path | None,
        campaign_option("Tệp kế hoạch. Mặc định: kế hoạch đã dùng khi tổng hợp (ghi trong bảng tổng hợp)."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Tệp báo cáo: .docx, .html hoặc .md (định dạng theo đuôi tệp)."),
    ] = None,
    survey: Annotated[
        Path | None,
        typer.Option(
            "--survey",
            help="Điểm điều tra xã hội học: CSV mã,điểm hoặc YAML mã: điểm; "
            "xếp hạng đơn vị: CSV mã đơn vị,mã mục,điểm.",
            dir_okay=False,
        ),
    ] = None,
    previous: Annotated[
        Path | None,
        typer.Option(
            "--previous",
            help="Bảng tổng hợp năm trước, hoặc kết quả của Bộ năm trước (parcli result import): so sánh theo lĩnh "
            "vực (xếp hạng: điểm, tỷ lệ, hạng năm trước của từng đơn vị) và phần kết quả khắc phục các mục bị trừ "
            "điểm năm trước.",
            dir_okay=False,
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="Với --previous khi bộ tiêu chí hai năm khác nhau: tệp đối chiếu mã (mã cũ → mã mới hoặc “không "
            "còn”) do parcli catalogue diff ghi.",
            dir_okay=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Thư mục mẫu báo cáo của đơn vị (ưu tiên hơn mẫu đi kèm).", file_okay=False),
    ] = None,
    unit_sheets: Annotated[
        Path | None,
        typer.Option(
            "--unit-sheets",
            help="Chế độ each-unit-scores: ghi phiếu kết quả của từng đơn vị (điểm, mục bị trừ, thứ hạng) vào "
            "thư mục này.",
            file_okay=False,
        ),
    ] = None,
    appraisals: Annotated[
        Path | None,
        typer.Option(
            "--appraisals",
            help="Thư mục phiếu thẩm định: lấy điểm thẩm định từ các phiếu này; báo cáo nêu điểm tự đánh giá → "
            "thẩm định lần 1 → kết quả cuối, các mục chưa thẩm định hoặc cần thẩm định lại.",
            file_okay=False,
        ),
    ] = None,
    preliminary: Annotated[
        Path | None,
        typer.Option(
            "--preliminary",
            help="Bảng tổng hợp của đợt đánh giá sơ bộ: báo cáo thêm phần kết quả khắc phục (điểm khôi phục theo "
            "lĩnh vực, cơ quan; mục còn bị trừ điểm).",
            dir_okay=False,
        ),
    ] = None,
    remedies: Annotated[
        Path | None,
        typer.Option(
            "--remedies",
            help="Thư mục kế hoạch khắc phục (giải pháp, tiến độ), kèm --preliminary hoặc --previous.",
            file_okay=False,
        ),
    ] = None,
    round_id: Annotated[
        str | None,
        typer.Option(
            "--round",
            help="Đợt đánh giá trong năm (mã đợt trong kế hoạch). Mặc định: đợt ghi trong bảng tổng hợp.",
        ),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="Tạo lại báo cáo từ tệp .manifest.json của một báo cáo trước; từ chối nếu dữ liệu đầu vào đã đổi.",
            dir_okay=False,
        ),
    ] = None,
    submission: Annotated[
        bool,
        typer.Option(
            "--to-trinh",
            help="Với báo cáo .docx: ghi thêm Tờ trình gửi UBND tỉnh và dự thảo văn bản UBND tỉnh ký (báo cáo gửi Bộ "
            "Nội vụ; xếp hạng: Quyết định công bố kết quả) bên cạnh báo cáo.",
        ),
    ] = False,
) -> ExitCode:
    """Lập báo cáo tổng hợp Chỉ số CCHC của tỉnh (Word, HTML hoặc Markdown) từ bảng tổng hợp.

    Điểm thẩm định được dùng thay điểm tự đánh giá ở những mục đã thẩm định (từ bảng tổng hợp, hoặc từ các
    phiếu thẩm định với --appraisals). Nêu điểm theo lĩnh vực, các tiêu
    chí thành phần bị trừ điểm và cơ quan chịu trách nhiệm, tình hình gửi kết quả của các cơ quan. Ghi kèm
    tệp .manifest.json để có thể tạo lại đúng báo cáo này (--manifest). Báo cáo còn mục chưa có điểm, chưa thẩm
    định hoặc cần thẩm định lại ghi “tạm tính” ở tiêu đề.
    """
    from parcli.jobs.report import ReportRequest, report

    talk = Talk()
    request = ReportRequest(
        consolidated=consolidated,
        campaign=campaign,
        out=out,
        survey=survey,
        previous=previous,
        mapping=mapping,
        templates=templates,
        unit_sheets=unit_sheets,
        manifest=manifest,
        appraisals=appraisals,
        round=round_id,
        preliminary=preliminary,
        remedies=remedies,
        submission=submission,
    )
    produced = report(request, talk)
    say_appraisals(produced.appraisals, talk.err)
    if produced.ranking is not None:
        _say_ranking(produced, produced.ranking, talk.err)
    else:
        _say_report(produced, talk.err)
    for path in produced.submission:
        talk.err.print(f"Trình UBND tỉnh: {path.resolve()}")
    return produced.exit_code


def _say_report(produced: Reported, err: Console) -> None:
    """The province index in one line, and where the report is."""
    from parcli.numbers import fmt_percent, fmt_points

    assert produced.report is not None
    context = produced.report.context
    index = context["index"]
    part = "" if context["survey_given"] else " (phần tự đánh giá; điều tra XHH: chờ kết quả)"
    err.print(
        f"Điểm: {fmt_points(index['final'])}/{fmt_points(index['applicable_max'])} — "
        f"{fmt_percent(index['percent'])}{part}. Bị trừ điểm: {len(context['lost'])} mục; "
        f"chưa có điểm: {len(context['unscored'])} mục."
    )
    appraisal = context["appraisal"]
    if appraisal is not None:
        _say_appraisal(appraisal, err)
    err.print(f"Báo cáo: {produced.out.resolve()}")


def _say_appraisal(appraisal: dict[str, Any], err: Console) -> None:
    """Self-assessed → round 1 → final in one line, and what is left to appraise."""
    from parcli.numbers import fmt_points

    total = appraisal["total"]
    err.print(
        f"Thẩm định: tự đánh giá {fmt_points(total['self_score'])} → lần 1 {fmt_points(total['round1'])} → "
        f"kết quả {fmt_points(total['final'])} điểm; chưa thẩm định: {total['not_appraised']} mục; "
        f"cần thẩm định lại: {total['stale']} mục."
    )


def _say_ranking(produced: Reported, context: dict[str, Any], err: Console) -> None:
    """each-unit-scores: how many units each group ranks and who is first; the unit sheets; the report."""
    from parcli.numbers import fmt_percent

    for group in context["groups"]:
        ranked = [u for u in group["rows"] if u["rank"] is not None]
        top = [u["name"] for u in ranked if u["rank"] == 1]
        best = f"; hạng 1: {', '.join(top)} ({fmt_percent(ranked[0]['percent'])})" if ranked else ""
        err.print(f"{group['name']}: {len(ranked)}/{len(group['rows'])} đơn vị được xếp hạng{best}.")
    sheets = produced.request.unit_sheets
    if sheets is not None:
        err.print(f"Phiếu kết quả từng đơn vị: {len(produced.unit_sheets)} tệp trong {sheets.resolve()}")
    if context["appraisal"] is not None:
        _say_appraisal(context["appraisal"], err)
    err.print(f"Báo cáo xếp hạng: {produced.out.resolve()}")


COMMANDS: tuple[Callable[..., None], ...] = (report,)
