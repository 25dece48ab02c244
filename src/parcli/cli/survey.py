"""``parcli survey …``: the respondent lists for the Ministry's sociological survey.

``survey generate`` issues one list workbook per unit (departments, district
People's Committees, the People's Council office); ``survey merge`` checks every
returned list and writes the consolidated respondents workbook (encrypted when a
password is given: ``PARCLI_PASSWORD`` or ``--password-prompt``, never an option
value); ``survey purge`` finds the files holding personal data once the survey is
over and removes those parcli wrote.  Each command runs one job of
:mod:`parcli.jobs.survey` and renders its result.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import (
    JsonOption,
    PasswordPromptOption,
    Talk,
    ask_password,
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

    from parcli.jobs.survey import Purged
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
    password_prompt: PasswordPromptOption = False,
) -> ExitCode:
    """Tổng hợp danh sách đối tượng điều tra xã hội học: kiểm tra từng dòng, ghi danh sách theo nhóm, số lượng, lỗi.

    Kiểm tra: thông tin bắt buộc; nhóm đối tượng đơn vị được giới thiệu; email đúng định dạng và là thư điện tử
    công vụ (không dùng Gmail, Yahoo…); số điện thoại Việt Nam (chuẩn hóa +84, dấu cách, dấu chấm); một người
    được giới thiệu hai lần (trong một danh sách hoặc bởi hai đơn vị); số lượng so với số lượng đề nghị. Thư
    mục đầu vào không bị thay đổi. Thoát với mã 0 khi mọi đơn vị đã gửi danh sách hợp lệ, 1 khi còn đơn vị chưa
    gửi hoặc danh sách có lỗi (danh sách tổng hợp vẫn được ghi).

    Danh sách tổng hợp chứa dữ liệu cá nhân: khi có mật khẩu (biến môi trường PARCLI_PASSWORD, hoặc
    --password-prompt để gõ), tệp được mã hóa, mở bằng Excel, LibreOffice hoặc WPS với mật khẩu đó; danh sách
    đơn vị gửi về có đặt mật khẩu cũng được mở bằng mật khẩu này. Không có mật khẩu thì tệp được ghi không
    mã hóa, kèm cảnh báo. Danh sách tổng hợp chỉ gồm các cột cuộc điều tra cần.
    """
    from parcli.jobs.survey import ListsMergeRequest, merge

    talk = Talk()
    password = ask_password(password_prompt, confirm=True)
    request = ListsMergeRequest(lists_dir, out, campaign, json_out, tuple(pick or ()), password=password)
    result = merge(request, talk)
    assert result.merged is not None
    write_json(json_out, result.document)
    _render_merge(result.merged, out, talk.err)
    if result.encrypted:
        talk.err.print(
            f"Danh sách tổng hợp được mã hóa bằng mật khẩu đã cho: mở bằng Excel, LibreOffice hoặc WPS với mật khẩu "
            f"đó. parcli không lưu mật khẩu ở đâu; khi quên, chạy lại survey merge. Xóa các tệp có dữ liệu cá nhân "
            f"khi cuộc điều tra kết thúc: parcli survey purge {out.resolve().parent}"
        )
    return result.exit_code


@survey_app.command("purge", cls=Command)
@command
def purge(
    folder: Annotated[
        Path, typer.Argument(help="Thư mục cần rà soát (cả các thư mục con).", file_okay=False, exists=False)
    ],
    delete: Annotated[
        bool, typer.Option("--delete", help="Xóa các tệp do parcli ghi (mặc định: chỉ liệt kê, không xóa gì).")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Không hỏi lại trước khi xóa (dùng với --delete).")] = False,
    password_prompt: PasswordPromptOption = False,
) -> ExitCode:
    """Rà soát và xóa dữ liệu cá nhân của cuộc điều tra khi đã xong việc (Luật Bảo vệ dữ liệu cá nhân).

    Liệt kê các tệp chứa họ tên, email, số điện thoại của người được giới thiệu: danh sách tổng hợp do parcli
    survey merge ghi (nhận ra qua trang tính ẩn; tệp có mật khẩu thì mở bằng mật khẩu — PARCLI_PASSWORD hoặc
    --password-prompt — hoặc qua tệp manifest đi kèm) và manifest của nó, bản sao danh sách trong hồ sơ kiểm
    chứng; danh sách các đơn vị gửi về (parcli không xóa tệp do người khác lập, chỉ nêu tên để Quý cơ quan tự
    xóa); các tệp có mật khẩu không nhận ra được. Mặc định chỉ liệt kê; --delete xóa các tệp do parcli ghi
    sau khi hỏi lại (--yes: không hỏi). Tệp đã thay đổi từ lúc rà soát thì không xóa.
    """
    from parcli.jobs.survey import PurgeRequest, find_purge

    talk = Talk()
    password = ask_password(password_prompt, confirm=False)
    listed = find_purge(PurgeRequest(folder, password), talk)
    found = listed.found
    assert found is not None
    _render_purge(listed, talk.err)
    if not delete or not found.ours:
        if found.ours:
            talk.err.print("Chưa xóa tệp nào (chạy thử). Thêm --delete để xóa các tệp do parcli ghi ở trên.")
        return ExitCode.OK
    if not yes and not typer.confirm(f"Xóa {len(found.ours)} tệp do parcli ghi ở trên?", default=False, err=True):
        talk.err.print("Không xóa tệp nào.")
        return ExitCode.OK
    removed = find_purge(PurgeRequest(folder, password, remove=True))
    talk.err.print(f"Đã xóa {len(removed.removed)} tệp.")
    return ExitCode.OK


def _render_purge(result: Purged, err: Console) -> None:
    from rich.table import Table

    found = result.found
    assert found is not None
    table = Table(title=f"Tệp chứa dữ liệu cá nhân của cuộc điều tra trong {found.folder}")
    for name in ("Tệp", "Là gì", "Nhận ra qua", "Xử lý"):
        table.add_column(name)
    for item in found.ours:
        table.add_row(str(item.path), item.what, item.how, "parcli ghi: xóa được bằng --delete")
    for item in found.theirs:
        table.add_row(str(item.path), item.what, item.how, "đơn vị lập: parcli không xóa, Quý cơ quan tự xóa")
    for path in found.unknown:
        table.add_row(str(path), "tệp có mật khẩu", "không mở được", "không nhận ra: kiểm tra mật khẩu")
    if table.row_count:
        out_console().print(table)
    err.print(
        f"{len(found.ours)} tệp do parcli ghi, {len(found.theirs)} danh sách đơn vị gửi về, {len(found.unknown)} tệp "
        "có mật khẩu không nhận ra."
    )


def _render_merge(result: ListsMergeResult, out: Path, err: Console) -> None:
    from rich.table import Table

    from parcli.labels import LIST_STATUS_LABELS

    names = {u.id: u.name for u in result.plan.units}
    say_versions(result.decisions, names, err, document="danh sách")
    if result.problems:
        items = {g.id: f"nhóm {g.short}" for g in result.plan.groups}
        out_console().print(problem_table(result.problems, "Các vấn đề phát hiện", items=items))
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
