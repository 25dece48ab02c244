"""``parcli survey …``: the respondent lists for the Ministry's sociological survey.

``survey generate`` issues one list workbook per unit (departments, district
People's Committees, the People's Council office); ``survey merge`` checks every
returned list and writes the consolidated respondents workbook.  Each command
calls one library function of :mod:`parcli.rounds.lists` and renders
its result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import (
    JsonOption,
    Talk,
    campaign_option,
    command,
    out_console,
    problem_table,
    say_versions,
    status_cell,
    styled,
    write_json,
)
from parcli.cli.vietnamese import Command, Group
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console

    from parcli.rounds.lists.merge import ListsMergeResult

survey_app = typer.Typer(
    cls=Group,
    help="Danh sách đối tượng điều tra xã hội học: phát hành mẫu danh sách, kiểm tra và tổng hợp.",
    no_args_is_help=True,
)

PlanOption = Annotated[
    Path | None,
    campaign_option(
        "Tệp kế hoạch (campaign.yaml) có khai báo survey_lists:. Mặc định: campaign.yaml trong thư mục hiện tại; "
        "không có thì dùng ví dụ Hưng Yên 2023 đi kèm parcli."
    ),
]
PickListOption = Annotated[
    list[str] | None,
    typer.Option("--pick", help="Tên tệp được dùng khi một đơn vị gửi nhiều danh sách (có thể lặp lại)."),
]


@survey_app.command("generate", cls=Command)
@command
def generate(
    campaign: PlanOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi các mẫu danh sách.", file_okay=False)] = Path(
        "danh-sach-xhh"
    ),
) -> None:
    """Phát hành mẫu danh sách đối tượng điều tra xã hội học: mỗi đơn vị một tệp .xlsx đã khóa, có kiểm tra dữ liệu.

    Mỗi sở, ngành, UBND cấp huyện (và Văn phòng Đoàn ĐBQH và HĐND tỉnh) nhận một tệp DSnn-<mã>.xlsx gồm trang
    hướng dẫn, trang danh sách đại biểu, lãnh đạo (email công vụ) và/hoặc trang người dân, doanh nghiệp (mã hồ
    sơ, thủ tục hành chính), với danh sách thả xuống các nhóm đơn vị được giới thiệu.
    """
    from rich.table import Table

    from parcli.jobs.survey import ListsRequest, generate

    talk = Talk()
    produced = generate(ListsRequest(out, campaign), talk)
    plan, result = produced.plan, produced.issued
    assert plan is not None and result is not None
    err = talk.err
    table = Table(title=f"Đã tạo {len(result.lists)} mẫu danh sách trong {out}")
    for name in ("Đơn vị", "Nhóm đối tượng (số lượng đề nghị)", "Tệp"):
        table.add_column(name)
    for item in result.lists:
        groups = "; ".join(
            f"{plan.group_by_id[g].short} ({q if q is not None else 'không quy định'})"
            for g, q in item.unit.quotas.items()
        )
        table.add_row(item.unit.name, groups, item.path.name)
    err.print(table)
    err.print(f"Hạn gửi danh sách: {plan.model.deadline.strftime('%d/%m/%Y')}. Các tệp nằm trong: {out.resolve()}")


@survey_app.command("merge", cls=Command)
@command
def merge(
    lists_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các danh sách các đơn vị gửi về.")],
    campaign: PlanOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Danh sách tổng hợp (.xlsx) sẽ ghi.", dir_okay=False)] = Path(
        "respondents.xlsx"
    ),
    json_out: JsonOption = None,
    pick: PickListOption = None,
) -> ExitCode:
    """Tổng hợp danh sách đối tượng điều tra xã hội học: kiểm tra từng dòng, ghi danh sách theo nhóm, số lượng, lỗi.

    Kiểm tra: thông tin bắt buộc; nhóm đối tượng đơn vị được giới thiệu; email đúng định dạng và là thư điện tử
    công vụ (không dùng Gmail, Yahoo…); số điện thoại Việt Nam (chuẩn hóa +84, dấu cách, dấu chấm); một người
    được giới thiệu hai lần (trong một danh sách hoặc bởi hai đơn vị); số lượng so với số lượng đề nghị. Thư
    mục đầu vào không bị thay đổi. Thoát với mã 0 khi mọi đơn vị đã gửi danh sách hợp lệ, 1 khi còn đơn vị chưa
    gửi hoặc danh sách có lỗi (danh sách tổng hợp vẫn được ghi).
    """
    from parcli.jobs.survey import ListsMergeRequest, merge

    talk = Talk()
    result = merge(ListsMergeRequest(lists_dir, out, campaign, json_out, tuple(pick or ())), talk)
    assert result.merged is not None
    write_json(json_out, result.document)
    _render_merge(result.merged, out, talk.err)
    return result.exit_code


def _render_merge(result: ListsMergeResult, out: Path, err: Console) -> None:
    from rich.table import Table

    from parcli.labels import LIST_STATUS_LABELS

    names = {u.id: u.name for u in result.plan.units}
    say_versions(result.decisions, names, err, document="danh sách")
    if result.problems:
        out_console().print(problem_table(result.problems, "Các vấn đề phát hiện"))
    groups = result.plan.groups
    table = Table(title="Số người hợp lệ theo đơn vị và nhóm (số lượng đề nghị)")
    table.add_column("Đơn vị")
    table.add_column("Trạng thái")
    for group in groups:
        table.add_column(group.short, justify="right")
    for outcome in result.units:
        counts = {c.group.id: c for c in outcome.counts}
        cells = []
        for group in groups:
            count = counts.get(group.id)
            if count is None:
                cells.append("")
            elif outcome.used is None:
                cells.append("–")
            else:
                quota = f"/{count.quota}" if count.quota is not None else ""
                style = {"short": "red", "over": "yellow"}.get(count.status, "")
                cells.append(styled((f"{count.accepted}{quota}", style)))  # type: ignore[arg-type]
        table.add_row(
            outcome.unit.name,
            status_cell(LIST_STATUS_LABELS, outcome.status),
            *cells,
        )
    per_group = result.by_group()
    table.add_row("Cộng", "", *(str(len(per_group[g.id])) for g in groups))
    err.print(table)
    counts_by_status = {s: sum(1 for u in result.units if u.status == s) for s in LIST_STATUS_LABELS}
    errors = sum(1 for p in result.problems if p.is_error)
    err.print(
        f"Hợp lệ {counts_by_status['ok']}, có lỗi {counts_by_status['invalid']}, chưa nộp "
        f"{counts_by_status['missing']}, trùng danh sách {counts_by_status['duplicate']} / {len(result.units)} đơn "
        f"vị; {len(result.respondents)} người hợp lệ; {errors} lỗi, {len(result.problems) - errors} cảnh báo."
    )
    err.print(f"Danh sách tổng hợp: {out.resolve()}")
