"""The scoring round on the command line: generate, init, check, merge, status, feedback, remind.

Each command turns its options into typed arguments, calls one library
function of :mod:`parcli.rounds.scoring` or :mod:`parcli.results` and renders
what it returns; :func:`parcli.cli.common.command` is the error boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli import clock
from parcli.cli.common import (
    AppraisalsOption,
    CampaignOption,
    ForceOption,
    JsonOption,
    PickOption,
    RoundOption,
    TodayOption,
    campaign_files,
    command,
    err_console,
    guard,
    load_campaign,
    out_console,
    parse_day,
    problem_table,
    show_appraisal_problems,
    status_cell,
    styled,
    write_json,
)
from parcli.errors import ExitCode, InputNotFoundError

if TYPE_CHECKING:
    from rich.console import Console

    from parcli.config.campaign import Campaign
    from parcli.rounds.scoring.merge import MergeResult


@command
def generate(
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi các phiếu chấm điểm.")] = Path(
        "phieu-cham-diem"
    ),
) -> None:
    """Phát hành phiếu chấm điểm: mỗi cơ quan một tệp .xlsx đã khóa và có kiểm tra dữ liệu."""
    from rich.progress import Progress
    from rich.table import Table

    from parcli.config.campaign import refuse_placeholders
    from parcli.numbers import fmt_points
    from parcli.rounds.scoring.issue import generate_workbooks

    err = err_console()
    camp = load_campaign(campaign, err, round_id)
    refuse_placeholders(camp)
    guard(err, inputs=campaign_files(camp), dirs=[out])
    unverified, total = camp.verification()
    if unverified:
        err.print(
            styled(
                ("Cảnh báo: ", "yellow"),
                f"bộ tiêu chí có {unverified}/{total} mục chưa đối chiếu "
                "với văn bản chính thức (tạm tính) — kiểm tra trước khi phát hành.",
            )
        )
    with Progress(console=err, transient=True, disable=len(camp.departments) < 5) as progress:
        task = progress.add_task("Đang tạo phiếu", total=len(camp.departments))
        result = generate_workbooks(camp, out, on_progress=lambda _d: progress.advance(task))
    table = Table(title=f"Đã tạo {len(result.workbooks)} phiếu chấm điểm trong {out}")
    table.add_column("Phụ lục")
    table.add_column("Cơ quan")
    table.add_column("Số mục", justify="right")
    table.add_column("Điểm tối đa", justify="right")
    table.add_column("Tệp")
    for w in result.workbooks:
        table.add_row(
            w.department.appendix or w.department.group or "",
            w.department.name,
            str(w.items),
            fmt_points(w.max_points),
            w.path.name,
        )
    table.add_row("", "Cộng", str(sum(w.items for w in result.workbooks)), fmt_points(result.max_points), "")
    err.print(table)
    err.print(f"Các phiếu nằm trong thư mục: {out.resolve()}")


@command
def init(
    directory: Annotated[Path, typer.Argument(help="Thư mục sẽ chứa bản sao kế hoạch và bộ tiêu chí.")] = Path(),
    force: ForceOption = False,
) -> None:
    """Tạo bản sao có thể chỉnh sửa của kế hoạch mẫu và bộ tiêu chí — điểm xuất phát cho năm hoặc tỉnh khác."""
    from parcli.config.scaffold import init_project

    err = err_console()
    guard(err, dirs=[directory])
    written = init_project(directory, force=force)
    for path in written:
        err.print(f"Đã tạo {path}")
    err.print(f"Sửa {written[0]} rồi chạy: parcli generate -c {written[0]}")


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
    from parcli.rounds.scoring.evidence import evidence_json
    from parcli.rounds.scoring.read import read_return

    err = err_console()
    camp = load_campaign(campaign, err, round_id)
    guard(err, inputs=[*campaign_files(camp), *files], files=[json_out])
    results = []
    for path in files:
        if not path.is_file() and not path.is_dir():  # a folder is a package: the workbook and its files
            raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
        results.append(read_return(path, camp))
    problems = [p for r in results for p in r.problems]
    out = out_console()
    if problems:
        out.print(problem_table(problems, "Kết quả kiểm tra"))
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    for r in results:
        dept = camp.department_by_id.get(r.department_id or "")
        who = f"{dept.name} ({dept.label})" if dept else "không nhận diện được cơ quan"
        verdict = ("hợp lệ", "green") if r.errors == 0 else ("có lỗi", "red")
        err.print(
            styled(
                f"{r.file}: {who} — ",
                verdict,
                f", {r.errors} lỗi, {r.warnings} cảnh báo, {len(r.items)} mục đã đọc.",
            )
        )
    write_json(
        json_out,
        {
            "campaign": camp.id,
            "files": [
                {
                    "file": r.file,
                    "department": r.department_id,
                    "errors": r.errors,
                    "warnings": r.warnings,
                    **evidence_json(r),
                }
                for r in results
            ],
            "problems": [p.to_dict() for p in problems],
        },
    )
    if errors:
        err.print(styled((f"{errors} lỗi", "red"), f", {warnings} cảnh báo. Sửa các ô nêu trên rồi kiểm tra lại."))
        return ExitCode.DATA_PROBLEMS
    err.print(styled(("Không có lỗi", "green"), f" ({warnings} cảnh báo)."))
    return ExitCode.OK


@command
def merge(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
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
) -> ExitCode:
    """Tổng hợp các phiếu đã gửi về: kiểm tra từng phiếu, ghi bảng tổng hợp, danh sách cơ quan và lỗi.

    Điểm thẩm định lấy từ các phiếu thẩm định (--appraisals); bảng tổng hợp chỉ là kết quả, xóa đi và tổng hợp
    lại cho cùng kết quả. Khi một cơ quan gửi nhiều phiếu,
    phiếu mới nhất (theo ngày gửi ghi trên phiếu, rồi thời gian tệp) được dùng; --pick chỉ định phiếu khác.
    Ghi kèm tệp .manifest.json (các tệp đầu vào và mã băm). Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp
    lệ, 1 khi có cơ quan chưa gửi hoặc phiếu có lỗi (bảng tổng hợp vẫn được ghi).
    """
    from parcli.manifest import manifest_path, write_manifest
    from parcli.results.consolidated_write import write_consolidated

    err = err_console()
    camp = load_campaign(campaign, err, round_id)
    inputs = [*campaign_files(camp), returns_dir]
    guard(err, inputs=inputs, files=[out, manifest_path(out), json_out], dirs=[feedback])
    if feedback is not None:
        from parcli.results.feedback import check_feedback_dir

        check_feedback_dir(returns_dir, feedback)  # before anything is written
    result = _read_folder(camp, returns_dir, pick, err)
    found = None
    if appraisals is not None:
        from parcli.results.appraisal import collect_for

        found = collect_for(result, appraisals)
        show_appraisal_problems(list(found.problems), err)
    stamp = clock.now()
    carried = write_consolidated(result, out, appraisals=found.scores() if found else None, now=stamp)
    write_manifest(
        out,
        "merge",
        camp,
        result.manifest_inputs() + (found.manifest_inputs() if found else []),
        {
            "returns_dir": str(returns_dir.resolve()),
            "appraisals_dir": str(appraisals.resolve()) if appraisals else None,
            "pick": pick or [],
            "appraised_items": carried,
        },
        now=stamp,
    )
    write_json(json_out, result.to_json())
    _render_merge(result, out, carried, err)
    if feedback is not None:
        _write_feedback(result, returns_dir, feedback, err)
    return ExitCode.OK if result.ok and (found is None or found.ok) else ExitCode.DATA_PROBLEMS


def _read_folder(camp: Campaign, folder: Path, pick: list[str] | None, err: Console) -> MergeResult:
    """Read every return of a folder with a progress bar; show the version decisions."""
    from rich.progress import Progress

    from parcli.rounds.scoring.merge import merge_returns

    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("Đang đọc phiếu", total=None)
        result = merge_returns(
            camp,
            folder,
            pick=pick,
            on_start=lambda n: progress.update(task, total=n),
            on_file=lambda _p: progress.advance(task),
        )
    names = {d.id: d.name for d in camp.departments}
    for name in result.unmatched_picks:
        err.print(styled(("Cảnh báo: ", "yellow"), f"--pick {name}: không có tệp nào tên như vậy trong thư mục."))
    for v in result.decisions:
        if v.used:
            err.print(f"{names[v.owner_id]}: dùng {v.used} — {v.reason}; không dùng: {', '.join(v.others)}.")
        else:
            err.print(
                styled(
                    (f"{names[v.owner_id]}: chưa dùng phiếu nào", "magenta"),
                    f" — {v.reason} ({', '.join(v.others)}).",
                ),
            )
    return result


def _write_feedback(result: MergeResult, folder: Path, out_dir: Path, err: Console) -> None:
    from parcli.results.feedback import write_feedback

    copies = write_feedback(result, folder, out_dir)
    for c in copies:
        err.print(f"Bản góp ý: {c.path} ({c.errors} lỗi, {c.warnings} cảnh báo)")
    if not copies:
        err.print("Không có phiếu nào cần gửi lại bản góp ý.")
    unreadable = sorted({p.file for p in result.problems if p.file and p.department is None and p.is_error})
    for name in unreadable:
        err.print(
            styled((f"{name}: không đọc được nên không có bản góp ý; đề nghị cơ quan gửi lại phiếu gốc.", "yellow"))
        )


def _render_merge(result: MergeResult, out: Path, carried: int, err: Console) -> None:
    from rich.table import Table

    from parcli.labels import RETURN_STATUS_LABELS
    from parcli.numbers import fmt_points

    if result.problems:
        out_console().print(problem_table(result.problems, "Các vấn đề phát hiện"))
    table = Table(title="Tình trạng phiếu của các cơ quan")
    for name, justify in (
        ("PL", "left"),
        ("Cơ quan", "left"),
        ("Trạng thái", "left"),
        ("Lỗi", "right"),
        ("Cảnh báo", "right"),
        ("Điểm", "right"),
        ("Tệp", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for d in result.departments:
        table.add_row(
            d.department.appendix,
            d.department.name,
            status_cell(RETURN_STATUS_LABELS, d.status),
            str(d.errors),
            str(d.warnings),
            f"{fmt_points(d.score)}/{fmt_points(d.department.max_points)}",
            ", ".join(d.files),
        )
    err.print(table)
    totals = result.totals()
    counts = {s: sum(1 for d in result.departments if d.status == s) for s in RETURN_STATUS_LABELS}
    err.print(
        f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, "
        f"trùng phiếu {counts['duplicate']} / {len(result.departments)} cơ quan. "
        f"Tổng điểm tự đánh giá đã nhận: {fmt_points(totals['score'])}/{fmt_points(totals['self_max'])}."
    )
    if carried:
        err.print(f"Điểm/ý kiến thẩm định lấy từ phiếu thẩm định: {carried} mục.")
    err.print(f"Bảng tổng hợp: {out.resolve()}")


@command
def status(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    today: TodayOption = None,
    json_out: JsonOption = None,
    pick: PickOption = None,
    appraisals: AppraisalsOption = None,
) -> ExitCode:
    """Tình trạng gửi phiếu của từng cơ quan: hợp lệ, có lỗi, chưa nộp, trùng phiếu; ngày nhận, đúng hạn hay muộn.

    Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp lệ, 1 khi còn cơ quan chưa nộp hoặc phiếu có lỗi.
    """
    from rich.table import Table

    from parcli.labels import RETURN_STATUS_LABELS, TIMING_LABELS
    from parcli.render import date_filter
    from parcli.results.status import status_rows

    err = err_console()
    day = parse_day(today)
    camp = load_campaign(campaign, err, round_id)
    guard(err, inputs=[*campaign_files(camp), returns_dir], files=[json_out])
    result = _read_folder(camp, returns_dir, pick, err)
    found = None
    if appraisals is not None:
        from parcli.results.appraisal import collect_for

        found = collect_for(result, appraisals)
        show_appraisal_problems(list(found.problems), err)
    rows = status_rows(result, day)
    deadline = camp.model.deadlines.returns
    left = (deadline - day).days
    when = f"còn {left} ngày" if left >= 0 else f"đã quá hạn {-left} ngày"
    table = Table(title=f"Tình trạng phiếu — hạn gửi {date_filter(deadline)} ({when}, tính đến {date_filter(day)})")
    for name in ("PL", "Cơ quan", "Trạng thái", "Lỗi", "Cảnh báo", "Ngày nhận", "Hạn", "Tệp"):
        table.add_column(name)
    for r in rows:
        received = f"{date_filter(r.received)} ({r.received_from})" if r.received else ""
        timing = TIMING_LABELS[r.timing] if r.timing else ("quá hạn" if left < 0 else f"còn {left} ngày")
        timing = r.timing_note or timing
        table.add_row(
            r.department.appendix,
            r.department.name,
            status_cell(RETURN_STATUS_LABELS, r.status),
            str(r.errors),
            str(r.warnings),
            received,
            timing,
            r.used or ", ".join(r.files),
        )
    out_console().print(table)
    counts = {k: sum(1 for r in rows if r.status == k) for k in RETURN_STATUS_LABELS}
    late = sum(1 for r in rows if r.timing == "late")
    err.print(
        f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, trùng phiếu "
        f"{counts['duplicate']}; gửi muộn {late} / {len(rows)} cơ quan."
    )
    write_json(
        json_out,
        {
            "campaign": camp.id,
            "today": day.isoformat(),
            "deadline": deadline.isoformat(),
            "departments": [r.to_dict() for r in rows],
            **({"appraisal_problems": [p.to_dict() for p in found.problems]} if found else {}),
        },
    )
    return ExitCode.OK if result.ok and (found is None or found.ok) else ExitCode.DATA_PROBLEMS


@command
def feedback(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi bản góp ý.", file_okay=False)] = Path("gop-y"),
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    pick: PickOption = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="Cả phiếu chỉ có cảnh báo.")] = False,
) -> ExitCode:
    """Bản góp ý: bản sao phiếu của cơ quan có lỗi, ô lỗi được tô màu kèm ghi chú, trang đầu liệt kê các lỗi.

    Cơ quan sửa trực tiếp trên bản góp ý và gửi lại; bản đó được tổng hợp như phiếu gốc.
    """
    from parcli.results.feedback import write_feedback

    err = err_console()
    camp = load_campaign(campaign, err, round_id)
    guard(err, inputs=[*campaign_files(camp), returns_dir], dirs=[out])
    result = _read_folder(camp, returns_dir, pick, err)
    copies = write_feedback(result, returns_dir, out, include_warnings=warnings)
    for c in copies:
        err.print(f"{camp.department_by_id[c.department_id].name}: {c.path} ({c.errors} lỗi, {c.warnings} cảnh báo)")
    err.print(f"Đã ghi {len(copies)} bản góp ý vào {out.resolve()}")
    return ExitCode.OK


@command
def remind(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
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
            help="Thư mục mẫu của đơn vị (letter.docx, letter.txt.j2, remind.txt.j2, non-submitters.md.j2).",
        ),
    ] = None,
) -> ExitCode:
    """Văn bản đôn đốc cho từng cơ quan chưa nộp hoặc phiếu có lỗi, và danh sách các cơ quan đó cho lãnh đạo."""
    from parcli.config.campaign import refuse_placeholders
    from parcli.results.remind import write_reminders

    err = err_console()
    camp = load_campaign(campaign, err, round_id)
    refuse_placeholders(camp)
    guard(err, inputs=[*campaign_files(camp), returns_dir, templates], dirs=[out])
    result = _read_folder(camp, returns_dir, pick, err)
    reminders, listing = write_reminders(result, out, today=parse_day(today), template_dir=templates)
    for r in reminders:
        err.print(f"{camp.department_by_id[r.department_id].name}: {r.path}")
    err.print(f"Danh sách cho lãnh đạo: {listing.resolve()}")
    return ExitCode.OK


# In the order of `parcli --help` (the order of the loop).
COMMANDS: tuple[Callable[..., None], ...] = (generate, init, check, merge, status, feedback, remind)
