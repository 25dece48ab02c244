"""The scoring round on the command line: generate, init, check, merge, status, feedback, remind.

Each command turns its options into a request, runs one job of :mod:`parcli.jobs`
and renders the result; :func:`parcli.cli.common.command` is the error boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import (
    COLUMN_MIN,
    LONG_LIST,
    AppraisalsOption,
    CampaignOption,
    ForceOption,
    JsonOption,
    PickOption,
    ReturnsDirArgument,
    RoundOption,
    Talk,
    TodayOption,
    VerboseOption,
    command,
    department_cell,
    out_console,
    parse_day,
    problem_table,
    say_appraisals,
    say_returns,
    show_problems,
    state_cell,
    styled,
    write_json,
)
from parcli.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from rich.console import Console

    from parcli.jobs.generate import Initialised, InitRequest
    from parcli.jobs.merge import Merged



@command
def generate(
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi các phiếu chấm điểm.")] = Path(
        "phieu-cham-diem"
    ),
    verbose: VerboseOption = False,
) -> None:
    """Phát hành phiếu chấm điểm: mỗi cơ quan một tệp .xlsx đã khóa và có kiểm tra dữ liệu."""
    from rich.table import Table

    from parcli.jobs.generate import GenerateRequest, generate
    from parcli.numbers import fmt_points

    talk = Talk()
    result = generate(GenerateRequest(out=out, campaign=campaign, round=round_id), talk)
    assert result.issued is not None
    workbooks = result.issued.workbooks
    table = Table(title=f"Đã tạo {len(workbooks)} phiếu chấm điểm trong {out}")
    table.add_column("Phụ lục")
    table.add_column("Cơ quan")
    table.add_column("Số mục", justify="right")
    table.add_column("Điểm tối đa", justify="right")
    table.add_column("Tệp")
    shown = workbooks if verbose or len(workbooks) <= LONG_LIST else []
    for w in shown:
        table.add_row(
            w.department.appendix or w.department.group or "",
            w.department.name,
            str(w.items),
            fmt_points(w.max_points),
            w.path.name,
        )
    if not shown:
        table.add_row("", f"{len(workbooks)} đơn vị (--verbose để xem từng phiếu)", "", "", "")
    table.add_row("", "Cộng", str(sum(w.items for w in workbooks)), fmt_points(result.issued.max_points), "")
    talk.err.print(table)
    talk.err.print(f"Các phiếu nằm trong thư mục: {out.resolve()}")


def _interactive() -> bool:
    """True when a person types at the terminal (prompts make sense), False in scripts and tests."""
    import sys

    return sys.stdin.isatty() and sys.stderr.isatty()


@command
def init(
    directory: Annotated[Path, typer.Argument(help="Thư mục sẽ chứa kế hoạch, bộ tiêu chí và danh sách.")] = Path(),
    province: Annotated[
        str | None, typer.Option("--province", "-p", help='Tên tỉnh, ví dụ "Hưng Yên".', show_default=False)
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="Năm đánh giá, ví dụ 2026.", show_default=False)
    ] = None,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            "-m",
            help="so: các sở tự đánh giá Chỉ số CCHC của tỉnh, mỗi sở một phụ lục (mặc định); so-xa: Chỉ số CCHC "
            "của từng sở và từng xã, phường, để xếp hạng (cần --units).",
            metavar="so|so-xa",
            show_default=False,
        ),
    ] = None,
    units: Annotated[
        Path | None,
        typer.Option(
            "--units",
            "-u",
            help="Danh sách xã, phường của tỉnh (.xlsx hoặc .csv, có cột “Tên đơn vị”; cột “Loại” nếu tên không ghi "
            "xã/phường).",
            show_default=False,
        ),
    ] = None,
    optional: Annotated[
        list[str] | None,
        typer.Option(
            "--optional",
            help="Thêm sở tùy chọn (ghi nhiều lần nếu cần): so-ngoai-vu, so-dan-toc-ton-giao.",
            metavar="<mã sở>",
            show_default=False,
        ),
    ] = None,
    example: Annotated[
        bool, typer.Option("--example", help="Chỉ chép kế hoạch mẫu Hưng Yên năm 2023 (17 cơ quan) để tham khảo.")
    ] = False,
    force: ForceOption = False,
) -> ExitCode:
    """Bắt đầu một năm: tạo kế hoạch, bộ tiêu chí và danh sách điều tra xã hội học cho tỉnh và năm đánh giá.

    Danh sách 12 sở sau sắp xếp năm 2025 (thêm sở tùy chọn bằng --optional), thời hạn đề xuất theo năm, phân
    công và bộ tiêu chí là bản đề xuất, có ghi rõ trên phiếu cho đến khi tỉnh rà soát. Chạy không có tùy chọn
    trong cửa sổ lệnh thì parcli hỏi lần lượt; --example chép kế hoạch mẫu Hưng Yên năm 2023.
    """
    from parcli.jobs.generate import InitRequest, init

    talk = Talk()
    chosen = any(v is not None for v in (province, year, mode, units)) or bool(optional)
    if example and chosen:
        raise UsageError("--example không dùng cùng --province, --year, --mode, --units, --optional.")
    if not example and not chosen and _interactive():
        province, year, mode, units, optional = _ask(talk)
    elif not example and chosen and province is None:
        if not _interactive():
            raise UsageError('Chưa có tên tỉnh. Đề nghị ghi --province, ví dụ --province "Hưng Yên".')
        province = typer.prompt("Tên tỉnh (ví dụ Hưng Yên)").strip()
    if province is not None and year is None:
        from parcli import clock

        year = clock.today().year
        talk.note(f"năm {year} (năm hiện tại; ghi --year để chọn năm khác).", lead="Năm đánh giá: ")
    request = InitRequest(directory, force, province, year, mode or "so", units, tuple(optional or ()))
    result = init(request, talk)
    if result.example:
        for path in result.written:
            talk.err.print(f"Đã tạo {path}")
        if not example:
            talk.note(
                "đây là bản sao kế hoạch mẫu Hưng Yên năm 2023 (17 cơ quan trước sắp xếp). Để bắt đầu năm thật: "
                f'parcli init {directory} --province "TÊN TỈNH" --year NĂM [--mode so-xa --units DANH-SACH.xlsx].',
                lead="Lưu ý: ",
            )
        talk.err.print(f"Sửa {result.written[0]} rồi chạy: parcli generate -c {result.written[0]}")
        return ExitCode.OK
    _say_year(talk, request, result)
    return ExitCode.OK if result.ok else ExitCode.DATA_PROBLEMS


def _ask(talk: Talk) -> tuple[str, int, str, Path | None, list[str]]:
    """The officer's choices, asked one by one (run without options at a terminal)."""
    from parcli import clock
    from parcli.jobs.generate import OPTIONAL_DEPARTMENTS

    talk.err.print("Bắt đầu một năm đánh giá Chỉ số CCHC (Ctrl+C để dừng).")
    province = ""
    while not province:
        province = typer.prompt("Tên tỉnh (ví dụ Hưng Yên)").strip()
    year = int(typer.prompt("Năm đánh giá", default=clock.today().year, type=int))
    talk.err.print(
        "Chế độ:\n  1. so    — các sở tự đánh giá Chỉ số CCHC của tỉnh, mỗi sở một phụ lục\n"
        "  2. so-xa — Chỉ số CCHC của từng sở và từng xã, phường (xếp hạng)"
    )
    mode = "so-xa" if typer.prompt("Chọn 1 hoặc 2", default="1").strip() in ("2", "so-xa") else "so"
    units: Path | None = None
    while True:
        answer = (
            typer.prompt(
                "Tệp danh sách xã, phường (.xlsx, .csv)" + ("" if mode == "so-xa" else "; Enter nếu chưa có"),
                default="" if mode == "so" else None,
                show_default=False,
            )
            .strip()
            .strip('"')
        )
        if answer:
            units = Path(answer)
            if units.is_file():
                break
            talk.warn(f"không tìm thấy tệp {units}.")
        elif mode == "so":
            break
    names = ", ".join(f"{i} ({name})" for i, name in OPTIONAL_DEPARTMENTS)
    extra = typer.prompt(
        f"Sở tùy chọn của tỉnh, cách nhau bởi dấu phẩy: {names}; Enter nếu không có", default="", show_default=False
    )
    optional = [part.strip() for part in extra.split(",") if part.strip()]
    return province, year, mode, units, optional


def _say_year(talk: Talk, request: InitRequest, result: Initialised) -> None:
    """What was written, as a tree, what to review, and the next commands."""
    from rich.tree import Tree

    err = talk.err
    directory = request.directory
    camp = result.campaign
    what = {
        "campaign.yaml": "kế hoạch",
        "survey-lists.yaml": "danh sách đối tượng điều tra xã hội học (đề xuất)",
        "don-vi-xa-phuong.csv": "các xã, phường" + (f": {result.communes.summary()}" if result.communes else ""),
    }
    if camp is not None:
        groups = [d.group for d in camp.departments]
        who = (
            f"{len(groups)} đơn vị ("
            + "; ".join(f"{camp.group_name(g)}: {groups.count(g)}" for g in dict.fromkeys(groups) if g)
            + ")"
            if camp.is_units
            else f"{len(camp.departments)} cơ quan"
        )
        what["campaign.yaml"] += f": {who}, {len(camp.rounds)} đợt ({', '.join(r.id for r in camp.rounds)})"
    tree = Tree(styled((f"{directory}", "bold"), f"  kế hoạch năm {request.year} của tỉnh {request.province}"))
    folders: dict[str, Tree] = {}
    for path in result.written:
        rel = path.relative_to(directory)
        note = what.get(rel.as_posix(), "bộ tiêu chí: ví dụ, mọi mục chưa đối chiếu với văn bản")
        parent = tree
        if len(rel.parts) > 1:
            if rel.parts[0] not in folders:
                folders[rel.parts[0]] = tree.add(f"{rel.parts[0]}/")
            parent = folders[rel.parts[0]]
        parent.add(styled(rel.name, ("  " + note, "dim")))
    err.print(tree)
    if result.communes is not None and request.mode == "so":
        err.print(f"Các xã, phường trong {request.units} đã vào survey-lists.yaml: {result.communes.summary()}.")
    campaign_file = result.written[0]
    if result.problems:
        err.print(styled(("Cần sửa trước khi phát hành phiếu:", "bold red")))
        for problem in result.problems:
            err.print(f"  - {problem}")
    err.print(
        "Trước khi phát hành: rà soát danh sách cơ quan, đơn vị và phân công; thời hạn và cách ghi thời hạn "
        "(deadline_rule); bộ tiêu chí; đầu mối liên hệ, người ký; survey-lists.yaml (chi tiết ở đầu tệp "
        "campaign.yaml). Rà soát xong phần nào, xóa tên phần đó khỏi dòng unreviewed."
    )
    err.print(f"Xem bộ tiêu chí:  parcli catalogue show -c {campaign_file}")
    err.print(f"Phát hành phiếu:  parcli generate -c {campaign_file} -o phieu-cham-diem")


@command
def check(
    files: Annotated[list[Path], typer.Argument(help="Các phiếu chấm điểm (.xlsx) cần kiểm tra.")],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    json_out: JsonOption = None,
) -> ExitCode:
    """Kiểm tra phiếu chấm điểm trước khi gửi: liệt kê mọi lỗi theo tệp, trang tính, ô và mục.

    Thoát với mã 0 khi không có lỗi (có thể có cảnh báo), 1 khi có lỗi.
    """
    from parcli.jobs.check import CheckRequest, check

    talk = Talk()
    result = check(CheckRequest(tuple(files), campaign, round_id, json_out), talk)
    assert result.campaign is not None
    if result.problems:
        out_console().print(problem_table(result.problems, "Kết quả kiểm tra"))
    errors = sum(1 for p in result.problems if p.is_error)
    warnings = len(result.problems) - errors
    for r in result.results:
        dept = result.campaign.department_by_id.get(r.department_id or "")
        who = f"{dept.name} ({dept.label})" if dept else "không nhận diện được cơ quan"
        verdict = ("hợp lệ", "green") if r.errors == 0 else ("có lỗi", "red")
        talk.err.print(
            styled(
                f"{r.file}: {who} — ", verdict, f", {r.errors} lỗi, {r.warnings} cảnh báo, {len(r.items)} mục đã đọc."
            )
        )
    write_json(json_out, result.document)
    if errors:
        talk.err.print(styled((f"{errors} lỗi", "red"), f", {warnings} cảnh báo. Sửa các ô nêu trên rồi kiểm tra lại."))
    else:
        talk.err.print(styled(("Không có lỗi", "green"), f" ({warnings} cảnh báo)."))
    return result.exit_code


@command
def merge(
    returns_dir: ReturnsDirArgument,
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Bảng tổng hợp (.xlsx) sẽ ghi.", dir_okay=False)] = Path(
        "tong-hop.xlsx"
    ),
    json_out: JsonOption = None,
    pick: PickOption = None,
    feedback: Annotated[
        Path | None,
        typer.Option("--feedback", help="Ghi thêm bản góp ý cho các phiếu có lỗi vào thư mục này.", file_okay=False),
    ] = None,
    appraisals: AppraisalsOption = None,
    verbose: VerboseOption = False,
) -> ExitCode:
    """Tổng hợp các phiếu đã gửi về: kiểm tra từng phiếu, ghi bảng tổng hợp, danh sách cơ quan và lỗi.

    Điểm thẩm định lấy từ các phiếu thẩm định (--appraisals); bảng tổng hợp chỉ là kết quả, xóa đi và tổng hợp
    lại cho cùng kết quả. Khi một cơ quan gửi nhiều phiếu,
    phiếu mới nhất (theo ngày gửi ghi trên phiếu, rồi thời gian tệp) được dùng; --pick chỉ định phiếu khác.
    Ghi kèm tệp .manifest.json (các tệp đầu vào và mã băm). Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp
    lệ, 1 khi có cơ quan chưa gửi hoặc phiếu có lỗi (bảng tổng hợp vẫn được ghi).
    """
    from parcli.jobs.merge import MergeRequest, merge

    talk = Talk()
    request = MergeRequest(
        returns_dir=returns_dir,
        out=out,
        campaign=campaign,
        round=round_id,
        json_out=json_out,
        pick=tuple(pick or ()),
        feedback=feedback,
        appraisals=appraisals,
    )
    result = merge(request, talk)
    assert result.merged is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    write_json(json_out, result.document)
    _render_merge(result, out, talk.err, verbose=verbose)
    if result.feedback is not None:
        _say_feedback(result, talk.err)
    return result.exit_code


def _say_feedback(result: Merged, err: Console) -> None:
    for c in result.feedback or []:
        err.print(f"Bản góp ý: {c.path} ({c.errors} lỗi, {c.warnings} cảnh báo)")
    if not result.feedback:
        err.print("Không có phiếu nào cần gửi lại bản góp ý.")
    for name in result.unreadable:
        err.print(
            styled((f"{name}: không đọc được nên không có bản góp ý; đề nghị cơ quan gửi lại phiếu gốc.", "yellow"))
        )


def _render_merge(result: Merged, out: Path, err: Console, *, verbose: bool) -> None:
    from rich.table import Table

    from parcli.labels import RETURN_STATUS_LABELS
    from parcli.numbers import fmt_points

    merged = result.merged
    assert merged is not None
    show_problems(merged.problems, verbose=verbose, err=err)
    departments = merged.departments
    shown = departments
    warned_only = 0
    if not verbose and len(departments) > LONG_LIST:
        shown = [d for d in departments if d.status != "ok" or d.errors]
        warned_only = sum(1 for d in departments if d.status == "ok" and not d.errors and d.warnings)
    table = Table(title="Tình trạng phiếu của các cơ quan")
    for name, justify in (("Cơ quan", "left"), ("Trạng thái", "left"), ("Điểm", "right"), ("Tệp", "left")):
        table.add_column(name, justify=justify, overflow="fold" if name == "Tệp" else "ellipsis")  # type: ignore[arg-type]
    for d in shown:
        table.add_row(
            department_cell(d.department),
            state_cell(d.status, d.errors, d.warnings),
            f"{fmt_points(d.score)}/{fmt_points(d.department.max_points)}",
            ", ".join(d.files),
        )
    if shown is not departments:
        table.caption = (
            f"{len(shown)}/{len(departments)} đơn vị cần xem (chưa nộp, có lỗi hoặc trùng phiếu)"
            + (f"; {warned_only} đơn vị hợp lệ chỉ có cảnh báo" if warned_only else "")
            + "; --verbose để xem tất cả, hoặc xem trang “Cơ quan” của bảng tổng hợp."
        )
    err.print(table if shown else table.caption)
    totals = merged.totals()
    counts = {s: sum(1 for d in departments if d.status == s) for s in RETURN_STATUS_LABELS}
    err.print(
        f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, "
        f"trùng phiếu {counts['duplicate']} / {len(departments)} cơ quan. "
        f"Tổng điểm tự đánh giá đã nhận: {fmt_points(totals['score'])}/{fmt_points(totals['self_max'])}."
    )
    if result.carried:
        err.print(f"Điểm/ý kiến thẩm định lấy từ phiếu thẩm định: {result.carried} mục.")
    err.print(f"Bảng tổng hợp: {out.resolve()}")


@command
def status(
    returns_dir: ReturnsDirArgument,
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    today: TodayOption = None,
    json_out: JsonOption = None,
    pick: PickOption = None,
    appraisals: AppraisalsOption = None,
    verbose: VerboseOption = False,
) -> ExitCode:
    """Tình trạng gửi phiếu của từng cơ quan: hợp lệ, có lỗi, chưa nộp, trùng phiếu; ngày nhận, đúng hạn hay muộn.

    Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp lệ, 1 khi còn cơ quan chưa nộp hoặc phiếu có lỗi.
    """
    from rich.table import Table

    from parcli.jobs.status import StatusRequest, status
    from parcli.render import date_filter

    talk = Talk()
    request = StatusRequest(returns_dir, parse_day(today), campaign, round_id, json_out, tuple(pick or ()), appraisals)
    result = status(request, talk)
    assert result.merged is not None and result.table is not None
    say_returns(result.merged, talk.err)
    say_appraisals(result.appraisals, talk.err)
    found = result.table
    rows = found.rows
    warned_only = 0
    if not verbose and len(rows) > LONG_LIST:
        rows = [r for r in rows if r.status != "ok" or r.timing != "on-time" or r.errors]
        kept = {id(r) for r in rows}
        warned_only = sum(1 for r in found.rows if id(r) not in kept and r.warnings)
    table = Table(
        title=f"Tình trạng phiếu — hạn gửi: {found.deadline_words} ({found.when}, tính đến {date_filter(found.today)})"
    )
    for name in ("Cơ quan", "Trạng thái", "Ngày nhận", "Hạn", "Tệp"):
        table.add_column(name, min_width=COLUMN_MIN.get(name, 0), overflow="fold" if name == "Tệp" else "ellipsis")
    for r in rows:
        received = f"{date_filter(r.received)} ({r.received_from})" if r.received else ""
        table.add_row(
            department_cell(r.department),
            state_cell(r.status, r.errors, r.warnings),
            received,
            found.timing(r),
            r.used or ", ".join(r.files),
        )
    if len(rows) != len(found.rows):
        table.caption = (
            f"{len(rows)}/{len(found.rows)} đơn vị cần xem (chưa nộp, có lỗi, trùng phiếu hoặc gửi muộn)"
            + (f"; {warned_only} đơn vị hợp lệ chỉ có cảnh báo" if warned_only else "")
            + "; --verbose để xem tất cả."
        )
    out_console().print(table if rows else table.caption)
    counts = found.counts()
    talk.err.print(
        f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, trùng phiếu "
        f"{counts['duplicate']}; gửi muộn {counts['late']} / {len(found.rows)} cơ quan."
        + (f" Gửi đúng hạn, bản sửa gửi sau hạn: {counts['resubmitted']}." if counts["resubmitted"] else "")
        + (f" Chưa ghi ngày gửi trên phiếu: {counts['undated']}." if counts["undated"] else "")
    )
    write_json(json_out, result.document)
    return result.exit_code


@command
def feedback(
    returns_dir: ReturnsDirArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi bản góp ý.", file_okay=False)] = Path("gop-y"),
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    pick: PickOption = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="Cả phiếu chỉ có cảnh báo.")] = False,
) -> ExitCode:
    """Bản góp ý: bản sao phiếu của cơ quan có lỗi, ô lỗi được tô màu kèm ghi chú, trang đầu liệt kê các lỗi.

    Cơ quan sửa trực tiếp trên bản góp ý và gửi lại; bản đó được tổng hợp như phiếu gốc. Phiếu gửi trong gói
    (.zip hoặc thư mục kèm tài liệu kiểm chứng) cũng có bản góp ý: cơ quan đặt bản đã sửa vào gói thay phiếu cũ.
    """
    from parcli.jobs.feedback import FeedbackRequest, feedback

    talk = Talk()
    request = FeedbackRequest(returns_dir, out, campaign, round_id, tuple(pick or ()), warnings)
    result = feedback(request, talk)
    assert result.merged is not None
    say_returns(result.merged, talk.err)
    names = {d.id: d.name for d in result.merged.campaign.departments}
    for c in result.copies:
        talk.err.print(f"{names[c.department_id]}: {c.path} ({c.errors} lỗi, {c.warnings} cảnh báo)")
    for name in result.unreadable:
        talk.err.print(
            styled((f"{name}: không đọc được nên không có bản góp ý; đề nghị cơ quan gửi lại phiếu gốc.", "yellow"))
        )
    talk.err.print(f"Đã ghi {len(result.copies)} bản góp ý vào {out.resolve()}")
    return ExitCode.OK


@command
def remind(
    returns_dir: ReturnsDirArgument,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi văn bản nhắc.", file_okay=False)] = Path(
        "nhac-nho"
    ),
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    today: TodayOption = None,
    pick: PickOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Thư mục mẫu của đơn vị (letter.docx, letter.txt.j2, remind.txt.j2, listing.docx).",
        ),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline",
            help="Hạn cơ quan phải gửi lại khi đã quá hạn của Kế hoạch (YYYY-MM-DD hoặc dd/mm/yyyy), ghi “trước 17 giờ "
            "00 ngày …”. Mặc định: 2 ngày làm việc sau ngày của văn bản (--today).",
        ),
    ] = None,
) -> ExitCode:
    """Văn bản đôn đốc cho từng cơ quan chưa nộp hoặc phiếu có lỗi, và danh sách các cơ quan đó cho lãnh đạo.

    Cơ quan tổ chức (Sở Nội vụ) nhận phiếu chuyển nội bộ cho các phòng thay cho công văn. Danh sách cho lãnh
    đạo là văn bản Word.
    """
    from parcli.jobs.feedback import RemindRequest, remind

    talk = Talk()
    request = RemindRequest(
        returns_dir,
        out,
        parse_day(today),
        campaign,
        round_id,
        tuple(pick or ()),
        templates,
        parse_day(deadline) if deadline else None,
    )
    result = remind(request, talk)
    assert result.merged is not None and result.listing is not None
    say_returns(result.merged, talk.err)
    names = {d.id: d.name for d in result.merged.campaign.departments}
    for r in result.reminders:
        talk.err.print(f"{names[r.department_id]}: {r.path}")
    talk.err.print(f"Danh sách cho lãnh đạo: {result.listing.resolve()}")
    return ExitCode.OK


# In the order of `parcli --help` (the order of the loop).
COMMANDS: tuple[Callable[..., None], ...] = (generate, init, check, merge, status, feedback, remind)
