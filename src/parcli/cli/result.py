"""``parcli result …``: the Ministry's appraisal of the province — imported, then compared with the province's own.

``result import`` records the Ministry's table as parcli's result workbook; ``result compare`` sets it
against the year-end consolidated workbook by field, item and responsible department.  Each command
runs one job of :mod:`parcli.jobs.result` and says what it found.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from parcli.cli.common import (
    JsonOption,
    Talk,
    campaign_option,
    command,
    out_console,
    parse_day,
    problem_table,
    say_appraisals,
    write_json,
)
from parcli.cli.vietnamese import Command, Group
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

result_app = typer.Typer(
    cls=Group,
    help="Kết quả thẩm định của Bộ Nội vụ: nhập bảng kết quả, so sánh với kết quả tự đánh giá của tỉnh.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

MappingOption = Annotated[
    Path | None,
    typer.Option(
        "--mapping",
        help="Tệp đối chiếu mã (mã cũ → mã mới, do parcli catalogue diff ghi) khi mã trong bảng của Bộ khác mã của "
        "bộ tiêu chí.",
        dir_okay=False,
    ),
]


@result_app.command("import", cls=Command)
@command
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            help="Bảng kết quả thẩm định của Bộ Nội vụ (.xlsx): xuất từ phần mềm (theo tiêu chí thành phần) hoặc "
            "bảng điểm theo lĩnh vực của quyết định công bố.",
            dir_okay=False,
        ),
    ],
    campaign: Annotated[Path | None, campaign_option("Tệp kế hoạch của năm được thẩm định (campaign.yaml).")] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Bảng kết quả parcli ghi ra (.xlsx).", dir_okay=False)
    ] = Path("ket-qua-bo-noi-vu.xlsx"),
    mapping: MappingOption = None,
    json_out: JsonOption = None,
) -> ExitCode:
    """Nhập kết quả thẩm định của Bộ Nội vụ: kiểm tra từng dòng theo bộ tiêu chí và ghi bảng kết quả của parcli.

    Bảng của Bộ được nhận theo tên cột ở bất kỳ dòng nào (STT hoặc Mã, Tiêu chí, Điểm tối đa, Điểm tự chấm,
    Điểm thẩm định, Ghi chú của đơn vị, Ghi chú của thẩm định), hoặc bảng theo lĩnh vực (Lĩnh vực, Điểm thẩm định,
    Điểm điều tra XHH, Tổng điểm). Mọi sai lệch được nêu theo ô: mã không có trong bộ tiêu chí, điểm tối đa khác,
    điểm vượt tối đa, mục của bộ tiêu chí không có trong bảng. Tệp của Bộ không bị sửa. Thoát với mã 0 khi không
    có lỗi, 1 khi có lỗi (bảng kết quả vẫn được ghi).
    """
    from parcli.jobs.result import ImportRequest, import_result

    talk = Talk()
    produced = import_result(ImportRequest(source, out, campaign, mapping, json_out), talk)
    write_json(json_out, produced.document)
    imported = produced.imported
    assert imported is not None
    if imported.problems:
        out_console().print(problem_table(imported.problems, "Các vấn đề của bảng kết quả của Bộ"))
    if not produced.outputs:
        talk.err.print("Không đọc được bảng kết quả của Bộ; chưa ghi bảng kết quả.")
        return produced.exit_code
    what = "theo tiêu chí thành phần" if imported.item_sheet else "theo lĩnh vực"
    read = (produced.document or {}).get("items", {}).get("read", 0)
    talk.err.print(
        f"Đã nhập kết quả {what} từ {imported.file} ({read} tiêu chí thành phần có điểm); "
        f"{imported.errors} lỗi, {imported.warnings} cảnh báo. Đã ghi {out}"
    )
    _say_fields(produced.fields, talk.err)
    return produced.exit_code


def _say_fields(figures: list[Any], err: Console) -> None:
    """The Ministry's points: the self-assessed part and the survey part, summed over the fields."""
    from parcli.numbers import fmt_points

    appraised = [f.appraised for f in figures]
    survey = [f.survey for f in figures if f.survey_max]
    if appraised and None not in appraised:
        line = f"Phần tự đánh giá sau thẩm định của Bộ: {fmt_points(sum(a for a in appraised if a is not None))}"
        line += f"/{fmt_points(sum(f.self_max for f in figures))} điểm"
        if survey and None not in survey:
            line += f"; điều tra XHH: {fmt_points(sum(s for s in survey if s is not None))}"
            line += f"/{fmt_points(sum(f.survey_max for f in figures))} điểm"
        err.print(line + ".")


@result_app.command("compare", cls=Command)
@command
def compare(
    consolidated: Annotated[
        Path, typer.Argument(help="Bảng tổng hợp cả năm (do parcli merge tạo ra).", dir_okay=False)
    ],
    result: Annotated[
        Path,
        typer.Option("--result", help="Bảng kết quả do parcli result import ghi ra.", dir_okay=False),
    ],
    campaign: Annotated[
        Path | None,
        campaign_option("Tệp kế hoạch. Mặc định: kế hoạch đã dùng khi tổng hợp (ghi trong bảng tổng hợp)."),
    ] = None,
    appraisals: Annotated[
        Path | None,
        typer.Option(
            "--appraisals",
            help="Thư mục phiếu thẩm định của tỉnh: lấy điểm thẩm định của tỉnh từ các phiếu này (mặc định: từ bảng "
            "tổng hợp).",
            file_okay=False,
        ),
    ] = None,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Tệp so sánh: .docx, .html, .md hoặc .xlsx (định dạng theo đuôi tệp)."),
    ] = Path("so-sanh-ket-qua.docx"),
    json_out: JsonOption = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="Thư mục mẫu văn bản của đơn vị (ưu tiên hơn mẫu đi kèm).", file_okay=False),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", help="Ngày ghi trên văn bản so sánh (YYYY-MM-DD hoặc dd/mm/yyyy). Mặc định: hôm nay."),
    ] = None,
) -> ExitCode:
    """So sánh kết quả thẩm định của Bộ Nội vụ với kết quả tự đánh giá và thẩm định của tỉnh.

    Theo lĩnh vực, theo tiêu chí thành phần và theo cơ quan chịu trách nhiệm: điểm tự đánh giá → điểm tỉnh thẩm
    định → điểm Bộ thẩm định; điểm không được Bộ công nhận (mục tổ thẩm định của tỉnh đã phát hiện, chưa phát
    hiện), phần điều tra xã hội học bên cạnh phần tự đánh giá, ý kiến thẩm định của Bộ; các cơ quan xếp theo số
    điểm không được công nhận. Thoát với mã 0 khi đủ số liệu, 1 khi bảng kết quả có lỗi hoặc thiếu mục, hay phiếu
    thẩm định có lỗi (tệp so sánh vẫn được ghi).
    """
    from parcli.jobs.result import CompareRequest
    from parcli.jobs.result import compare as run

    talk = Talk()
    request = CompareRequest(consolidated, result, out, campaign, appraisals, json_out, templates, parse_day(today))
    produced = run(request, talk)
    write_json(json_out, produced.document)
    say_appraisals(produced.appraisals, talk.err)
    assert produced.comparison is not None
    _say_comparison(produced.comparison, talk.err)
    talk.err.print(f"Đã ghi {out.resolve()} (và {out.name}.manifest.json: các tệp đầu vào và mã băm)")
    return produced.exit_code


def _say_comparison(comparison: dict[str, Any], err: Console) -> None:
    """Self-assessed → province → Ministry in one line, the points not accepted and who lost most."""
    from parcli.numbers import fmt_points

    t = comparison["total"]
    err.print(
        f"Tự đánh giá {fmt_points(t['self_score'])} → tỉnh thẩm định {fmt_points(t['province'])} → Bộ thẩm định "
        f"{fmt_points(t['ministry'])} điểm (tối đa {fmt_points(t['max'])}). Không được công nhận: "
        f"{fmt_points(t['not_accepted'])} điểm"
        + (
            f" ở {t['items_not_accepted']} mục ({t['items_missed']} mục tỉnh chưa phát hiện)."
            if comparison["by_items"]
            else " (theo lĩnh vực)."
        )
    )
    first = [d for d in comparison["departments"] if d["rank"] == 1]
    if first:
        names = ", ".join(d["name"] for d in first)
        err.print(f"Cơ quan có nhiều điểm không được công nhận nhất: {names} ({fmt_points(first[0]['not_accepted'])}).")
    if comparison["absent"]:
        err.print(f"{len(comparison['absent'])} mục không có trong kết quả của Bộ: chưa so sánh.")
