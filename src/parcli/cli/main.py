"""The ``parcli`` command line: a thin typer layer over the library.

Each command turns its options into typed arguments, calls one library
function and renders what it returns.  This module is the single error
boundary: a :class:`parcli.errors.ParcliError` becomes a red Vietnamese message
on stderr and its exit code; ``--debug`` shows the traceback instead.

Exit codes: 0 ok · 1 the data has problems (outputs still written) ·
2 usage error · 3 cannot proceed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from parcli import __version__, clock
from parcli.errors import ExitCode, InputNotFoundError, ParcliError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from parcli.config.campaign import Campaign
    from parcli.problems import Problem
    from parcli.rounds.scoring.merge import MergeResult

app = typer.Typer(
    name="parcli",
    help="parcli — tự đánh giá Chỉ số CCHC (PAR Index) trên bảng tính Excel: phát hành phiếu chấm điểm, "
    "kiểm tra, tổng hợp và báo cáo.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

_state: dict[str, bool] = {"debug": False}
T = TypeVar("T")


def _err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False)


def _out_console() -> Console:
    from rich.console import Console

    return Console(highlight=False, markup=False)


def _styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain parts and (text, style) pairs; nothing in it is parsed as markup."""
    from rich.text import Text

    return Text.assemble(*parts)


def _guard(fn: Callable[[], T]) -> T:
    """The error boundary: ParcliError → message on stderr and its exit code."""
    try:
        return fn()
    except ParcliError as exc:
        if _state["debug"]:
            raise
        _err_console().print(_styled(("Lỗi: ", "bold red"), str(exc)), soft_wrap=True)
        raise typer.Exit(int(exc.exit_code)) from None
    except KeyboardInterrupt:
        _err_console().print("Đã dừng theo yêu cầu người dùng.")
        raise typer.Exit(130) from None
    except Exception as exc:
        # a mistake in a report or reminder template (often the office's own, given with --templates)
        if _state["debug"] or not type(exc).__module__.startswith("jinja2"):
            raise
        where = getattr(exc, "name", None) or getattr(exc, "filename", None)
        line = getattr(exc, "lineno", None)
        at = f" {where}" + (f", dòng {line}" if line else "") if where else ""
        detail = getattr(exc, "message", None) or str(exc)
        if type(exc).__name__ == "UndefinedError":
            detail = f"dùng một biến không có trong dữ liệu báo cáo ({detail})"
        _err_console().print(
            _styled(("Lỗi: ", "bold red"), f"mẫu{at} có lỗi: {detail}. Sửa mẫu trong thư mục --templates."),
            soft_wrap=True,
        )
        raise typer.Exit(int(ExitCode.CANNOT_PROCEED)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"parcli {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Hiện traceback đầy đủ khi có lỗi (cho nhà phát triển).")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="In phiên bản và thoát.")
    ] = False,
) -> None:
    """parcli — tự đánh giá Chỉ số CCHC trên bảng tính Excel."""
    _state["debug"] = debug


CampaignOption = Annotated[
    Path | None,
    typer.Option(
        "--campaign",
        "-c",
        help="Tệp kế hoạch (campaign.yaml). Mặc định: ví dụ Hưng Yên 2023 đi kèm parcli.",
        dir_okay=False,
    ),
]


def _load_campaign(path: Path | None, console: Console) -> Campaign:
    from parcli.config.campaign import default_campaign_path, load_campaign

    if path is None:
        path = default_campaign_path()
        console.print(f"Dùng kế hoạch mẫu đi kèm parcli: {path}")
    return load_campaign(path)


@app.command()
def generate(
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi các phiếu chấm điểm.")] = Path(
        "phieu-cham-diem"
    ),
) -> None:
    """Phát hành phiếu chấm điểm: mỗi cơ quan một tệp .xlsx đã khoá và có kiểm tra dữ liệu."""
    err = _err_console()

    def run() -> None:
        from rich.progress import Progress
        from rich.table import Table

        from parcli.numbers import fmt_points
        from parcli.rounds.scoring.issue import generate_workbooks

        camp = _load_campaign(campaign, err)
        unverified, total = camp.verification()
        if unverified:
            err.print(
                _styled(
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

    _guard(run)


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Thư mục sẽ chứa bản sao kế hoạch và bộ tiêu chí.")] = Path(),
    force: Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")] = False,
) -> None:
    """Tạo bản sao có thể chỉnh sửa của kế hoạch mẫu và bộ tiêu chí — điểm xuất phát cho năm hoặc tỉnh khác."""
    err = _err_console()

    def run() -> None:
        from parcli.config.scaffold import init_project

        written = init_project(directory, force=force)
        for path in written:
            err.print(f"Đã tạo {path}")
        err.print(f"Sửa {written[0]} rồi chạy: parcli generate -c {written[0]}")

    _guard(run)


JsonOption = Annotated[
    Path | None,
    typer.Option("--json", help="Ghi kết quả dạng JSON vào tệp này ('-' để in ra stdout).", dir_okay=False),
]


def _write_json(target: Path | None, data: object) -> None:
    if target is None:
        return
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    if str(target) == "-":
        typer.echo(text, nl=False)
    else:
        from parcli.files import atomic_write_text

        atomic_write_text(target, text)


PickOption = Annotated[
    list[str] | None,
    typer.Option("--pick", help="Tên tệp được dùng khi một cơ quan gửi nhiều phiếu (có thể lặp lại)."),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Ngày tính hạn (YYYY-MM-DD hoặc dd/mm/yyyy). Mặc định: hôm nay."),
]


def _parse_day(text: str | None) -> date:
    if text is None:
        return clock.today()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày “{text}” không hợp lệ; dùng dạng 2024-01-15 hoặc 15/01/2024.")


def _problem_table(problems: list[Problem], title: str) -> Table:
    from rich.table import Table

    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("Mức", no_wrap=True)
    table.add_column("Tệp › trang › ô")
    table.add_column("Mục", no_wrap=True)
    table.add_column("Mã lỗi", no_wrap=True)
    table.add_column("Nội dung")
    for p in problems:
        level = _styled(("Lỗi", "red")) if p.is_error else _styled(("Cảnh báo", "yellow"))
        table.add_row(level, p.where() or (p.department or ""), p.item or "", p.slug, p.message)
    return table


@app.command()
def check(
    files: Annotated[list[Path], typer.Argument(help="Các phiếu chấm điểm (.xlsx) cần kiểm tra.")],
    campaign: CampaignOption = None,
    json_out: JsonOption = None,
) -> None:
    """Kiểm tra phiếu chấm điểm trước khi gửi: liệt kê mọi lỗi theo tệp, trang tính, ô và mục.

    Thoát với mã 0 khi không có lỗi (có thể có cảnh báo), 1 khi có lỗi.
    """
    err = _err_console()

    def run() -> ExitCode:
        from parcli.rounds.scoring.read import read_return

        camp = _load_campaign(campaign, err)
        results = []
        for path in files:
            if not path.is_file():
                raise InputNotFoundError(f"Không tìm thấy tệp {path}.")
            results.append(read_return(path, camp))
        problems = [p for r in results for p in r.problems]
        out = _out_console()
        if problems:
            out.print(_problem_table(problems, "Kết quả kiểm tra"))
        errors = sum(1 for p in problems if p.is_error)
        warnings = len(problems) - errors
        for r in results:
            dept = camp.department_by_id.get(r.department_id or "")
            who = f"{dept.name} ({dept.label})" if dept else "không nhận diện được cơ quan"
            verdict = ("hợp lệ", "green") if r.errors == 0 else ("có lỗi", "red")
            err.print(
                _styled(
                    f"{r.file}: {who} — ",
                    verdict,
                    f", {r.errors} lỗi, {r.warnings} cảnh báo, {len(r.items)} mục đã đọc.",
                )
            )
        _write_json(
            json_out,
            {
                "campaign": camp.id,
                "files": [
                    {"file": r.file, "department": r.department_id, "errors": r.errors, "warnings": r.warnings}
                    for r in results
                ],
                "problems": [p.to_dict() for p in problems],
            },
        )
        if errors:
            err.print(_styled((f"{errors} lỗi", "red"), f", {warnings} cảnh báo. Sửa các ô nêu trên rồi kiểm tra lại."))
            return ExitCode.DATA_PROBLEMS
        err.print(_styled(("Không có lỗi", "green"), f" ({warnings} cảnh báo)."))
        return ExitCode.OK

    _exit(_guard(run))


@app.command()
def merge(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Bảng tổng hợp (.xlsx) sẽ ghi.", dir_okay=False)] = Path(
        "tong-hop.xlsx"
    ),
    json_out: JsonOption = None,
    pick: PickOption = None,
    feedback: Annotated[
        Path | None,
        typer.Option("--feedback", help="Ghi thêm bản góp ý cho các phiếu có lỗi vào thư mục này.", file_okay=False),
    ] = None,
) -> None:
    """Tổng hợp các phiếu đã gửi về: kiểm tra từng phiếu, ghi bảng tổng hợp, danh sách cơ quan và lỗi.

    Điểm thẩm định đã nhập trong bảng tổng hợp cũ (cùng tên) được giữ lại. Khi một cơ quan gửi nhiều phiếu,
    phiếu mới nhất (theo ngày gửi ghi trên phiếu, rồi thời gian tệp) được dùng; --pick chỉ định phiếu khác.
    Ghi kèm tệp .manifest.json (các tệp đầu vào và mã băm). Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp
    lệ, 1 khi có cơ quan chưa gửi hoặc phiếu có lỗi (bảng tổng hợp vẫn được ghi).
    """
    err = _err_console()

    def run() -> ExitCode:
        from parcli.manifest import write_manifest
        from parcli.results.consolidated_write import write_consolidated

        camp = _load_campaign(campaign, err)
        if feedback is not None:
            from parcli.results.feedback import check_feedback_dir

            check_feedback_dir(returns_dir, feedback)  # before anything is written
        result = _read_folder(camp, returns_dir, pick, err)
        stamp = clock.now()
        carried = write_consolidated(result, out, now=stamp)
        write_manifest(
            out,
            "merge",
            camp,
            result.manifest_inputs(),
            {"returns_dir": str(returns_dir.resolve()), "pick": pick or [], "appraisals_kept": carried},
            now=stamp,
        )
        _write_json(json_out, result.to_json())
        _render_merge(result, out, carried, err)
        if feedback is not None:
            _write_feedback(result, returns_dir, feedback, err)
        return ExitCode.OK if result.ok else ExitCode.DATA_PROBLEMS

    _exit(_guard(run))


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
        err.print(_styled(("Cảnh báo: ", "yellow"), f"--pick {name}: không có tệp nào tên như vậy trong thư mục."))
    for v in result.decisions:
        if v.used:
            err.print(f"{names[v.owner_id]}: dùng {v.used} — {v.reason}; không dùng: {', '.join(v.others)}.")
        else:
            err.print(
                _styled(
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
            _styled((f"{name}: không đọc được nên không có bản góp ý; đề nghị cơ quan gửi lại phiếu gốc.", "yellow"))
        )


def _render_merge(result: MergeResult, out: Path, carried: int, err: Console) -> None:
    from rich.table import Table

    from parcli.numbers import fmt_points
    from parcli.rounds.scoring.merge import STATUS_LABELS

    if result.problems:
        _out_console().print(_problem_table(result.problems, "Các vấn đề phát hiện"))
    colour = {"ok": "green", "invalid": "red", "missing": "yellow", "duplicate": "magenta"}
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
            _styled((STATUS_LABELS[d.status], colour[d.status])),
            str(d.errors),
            str(d.warnings),
            f"{fmt_points(d.score)}/{fmt_points(d.department.max_points)}",
            ", ".join(d.files),
        )
    err.print(table)
    totals = result.totals()
    counts = {s: sum(1 for d in result.departments if d.status == s) for s in STATUS_LABELS}
    err.print(
        f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, "
        f"trùng phiếu {counts['duplicate']} / {len(result.departments)} cơ quan. "
        f"Tổng điểm tự đánh giá đã nhận: {fmt_points(totals['score'])}/{fmt_points(totals['self_max'])}."
    )
    if carried:
        err.print(f"Đã giữ lại {carried} ý kiến/điểm thẩm định từ bảng tổng hợp trước.")
    err.print(f"Bảng tổng hợp: {out.resolve()}")


@app.command()
def status(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    campaign: CampaignOption = None,
    today: TodayOption = None,
    json_out: JsonOption = None,
    pick: PickOption = None,
) -> None:
    """Tình trạng gửi phiếu của từng cơ quan: hợp lệ, có lỗi, chưa nộp, trùng phiếu; ngày nhận, đúng hạn hay muộn.

    Thoát với mã 0 khi mọi cơ quan đã gửi phiếu hợp lệ, 1 khi còn cơ quan chưa nộp hoặc phiếu có lỗi.
    """
    err = _err_console()

    def run() -> ExitCode:
        from rich.table import Table

        from parcli.render import date_filter
        from parcli.results.status import TIMING_LABELS, status_rows
        from parcli.rounds.scoring.merge import STATUS_LABELS

        day = _parse_day(today)
        camp = _load_campaign(campaign, err)
        result = _read_folder(camp, returns_dir, pick, err)
        rows = status_rows(result, day)
        deadline = camp.model.deadlines.returns
        left = (deadline - day).days
        when = f"còn {left} ngày" if left >= 0 else f"đã quá hạn {-left} ngày"
        table = Table(title=f"Tình trạng phiếu — hạn gửi {date_filter(deadline)} ({when}, tính đến {date_filter(day)})")
        for name in ("PL", "Cơ quan", "Trạng thái", "Lỗi", "Cảnh báo", "Ngày nhận", "Hạn", "Tệp"):
            table.add_column(name)
        colour = {"ok": "green", "invalid": "red", "missing": "yellow", "duplicate": "magenta"}
        for r in rows:
            received = f"{date_filter(r.received)} ({r.received_from})" if r.received else ""
            timing = TIMING_LABELS[r.timing] if r.timing else ("quá hạn" if left < 0 else f"còn {left} ngày")
            table.add_row(
                r.department.appendix,
                r.department.name,
                _styled((STATUS_LABELS[r.status], colour[r.status])),
                str(r.errors),
                str(r.warnings),
                received,
                timing,
                r.used or ", ".join(r.files),
            )
        _out_console().print(table)
        counts = {k: sum(1 for r in rows if r.status == k) for k in STATUS_LABELS}
        late = sum(1 for r in rows if r.timing == "late")
        err.print(
            f"Hợp lệ {counts['ok']}, có lỗi {counts['invalid']}, chưa nộp {counts['missing']}, trùng phiếu "
            f"{counts['duplicate']}; gửi muộn {late} / {len(rows)} cơ quan."
        )
        _write_json(
            json_out,
            {
                "campaign": camp.id,
                "today": day.isoformat(),
                "deadline": deadline.isoformat(),
                "departments": [r.to_dict() for r in rows],
            },
        )
        return ExitCode.OK if result.ok else ExitCode.DATA_PROBLEMS

    _exit(_guard(run))


@app.command()
def feedback(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi bản góp ý.", file_okay=False)] = Path("gop-y"),
    campaign: CampaignOption = None,
    pick: PickOption = None,
    warnings: Annotated[bool, typer.Option("--warnings", help="Cả phiếu chỉ có cảnh báo.")] = False,
) -> None:
    """Bản góp ý: bản sao phiếu của cơ quan có lỗi, ô lỗi được tô màu kèm ghi chú, trang đầu liệt kê các lỗi.

    Cơ quan sửa trực tiếp trên bản góp ý và gửi lại; bản đó được tổng hợp như phiếu gốc.
    """
    err = _err_console()

    def run() -> ExitCode:
        from parcli.results.feedback import write_feedback

        camp = _load_campaign(campaign, err)
        result = _read_folder(camp, returns_dir, pick, err)
        copies = write_feedback(result, returns_dir, out, include_warnings=warnings)
        for c in copies:
            err.print(
                f"{camp.department_by_id[c.department_id].name}: {c.path} ({c.errors} lỗi, {c.warnings} cảnh báo)"
            )
        err.print(f"Đã ghi {len(copies)} bản góp ý vào {out.resolve()}")
        return ExitCode.OK

    _exit(_guard(run))


@app.command()
def remind(
    returns_dir: Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi văn bản nhắc.", file_okay=False)] = Path(
        "nhac-nho"
    ),
    campaign: CampaignOption = None,
    today: TodayOption = None,
    pick: PickOption = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="Thư mục mẫu của đơn vị (remind.txt.j2, non-submitters.md.j2).")
    ] = None,
) -> None:
    """Văn bản đôn đốc cho từng cơ quan chưa nộp hoặc phiếu có lỗi, và danh sách các cơ quan đó cho lãnh đạo."""
    err = _err_console()

    def run() -> ExitCode:
        from parcli.results.remind import write_reminders

        camp = _load_campaign(campaign, err)
        result = _read_folder(camp, returns_dir, pick, err)
        reminders, listing = write_reminders(result, out, today=_parse_day(today), template_dir=templates)
        for r in reminders:
            err.print(f"{camp.department_by_id[r.department_id].name}: {r.path}")
        err.print(f"Danh sách cho lãnh đạo: {listing.resolve()}")
        return ExitCode.OK

    _exit(_guard(run))


@app.command()
def report(
    consolidated: Annotated[
        Path | None, typer.Argument(help="Bảng tổng hợp do parcli merge tạo ra (.xlsx).", dir_okay=False)
    ] = None,
    campaign: Annotated[
        Path | None,
        typer.Option(
            "--campaign",
            "-c",
            help="Tệp kế hoạch. Mặc định: kế hoạch đã dùng khi tổng hợp (ghi trong bảng tổng hợp).",
            dir_okay=False,
        ),
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
        typer.Option("--previous", help="Bảng tổng hợp năm trước, để so sánh theo lĩnh vực.", dir_okay=False),
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
    manifest: Annotated[
        Path | None,
        typer.Option(
            "--manifest",
            help="Tạo lại báo cáo từ tệp .manifest.json của một báo cáo trước; từ chối nếu dữ liệu đầu vào đã đổi.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Lập báo cáo tổng hợp Chỉ số CCHC của tỉnh (Word, HTML hoặc Markdown) từ bảng tổng hợp.

    Điểm thẩm định được dùng thay điểm tự đánh giá ở những mục đã nhập. Nêu điểm theo lĩnh vực, các tiêu
    chí thành phần bị trừ điểm và cơ quan chịu trách nhiệm, tình hình gửi kết quả của các cơ quan. Ghi kèm
    tệp .manifest.json để có thể tạo lại đúng báo cáo này (--manifest).
    """
    err = _err_console()

    def run() -> ExitCode:
        from parcli.config.campaign import load_campaign
        from parcli.manifest import load_manifest, option_date, write_manifest
        from parcli.numbers import fmt_percent, fmt_points
        from parcli.results.consolidated import read_consolidated
        from parcli.results.report import build_report, render_report, report_format, report_inputs

        today_ = None
        source, survey_, previous_, templates_, camp_path = consolidated, survey, previous, templates, campaign
        target = out
        if manifest is not None:
            record = load_manifest(manifest)
            if record.get("kind") != "report":
                raise UsageError(f"{manifest.name} là manifest của lệnh {record.get('kind')}, không phải report.")
            roles = {e.get("role"): Path(e["path"]) for e in record["inputs"]}
            source, survey_, previous_ = roles.get("consolidated"), roles.get("survey"), roles.get("previous")
            opts = record.get("options", {})
            templates_ = Path(opts["templates"]) if opts.get("templates") else None
            camp_path = Path(record["campaign"]["file"]["path"])
            today_ = option_date(record, "today")
            target = out or Path(record["output"]["path"])
            err.print(f"Tạo lại báo cáo từ {manifest.name}: dữ liệu đầu vào không thay đổi.")
        if source is None:
            raise UsageError("Cần chỉ ra bảng tổng hợp (CONSOLIDATED) hoặc --manifest.")
        target = target or Path("bao-cao.docx")
        report_format(target)
        if camp_path is not None:
            camp = load_campaign(camp_path)
        else:
            recorded = read_consolidated(source).campaign_path
            if not recorded or not Path(recorded).is_file():
                raise UsageError("Bảng tổng hợp không ghi lại tệp kế hoạch còn dùng được; chỉ rõ bằng --campaign.")
            err.print(f"Dùng kế hoạch đã dùng khi tổng hợp: {recorded}")
            camp = load_campaign(Path(recorded))
        if camp.is_units:
            if previous_ is not None:
                raise UsageError("--previous chưa dùng được cho xếp hạng đơn vị (chế độ each-unit-scores).")
            _ranking_report(camp, source, target, templates_, unit_sheets, today_, survey_, err)
            return ExitCode.OK
        data = build_report(camp, source, survey=survey_, previous=previous_, today=today_)
        render_report(data, target, templates_)
        write_manifest(
            target,
            "report",
            camp,
            report_inputs(source, survey_, previous_, templates_, target),
            {
                "today": data.context["generated"].isoformat(),
                "templates": str(templates_.resolve()) if templates_ else None,
            },
        )
        index = data.context["index"]
        part = "" if data.context["survey_given"] else " (phần tự đánh giá; điều tra XHH: chờ kết quả)"
        err.print(
            f"Điểm: {fmt_points(index['final'])}/{fmt_points(index['applicable_max'])} — "
            f"{fmt_percent(index['percent'])}{part}. Bị trừ điểm: {len(data.context['lost'])} mục; "
            f"chưa có điểm: {len(data.context['unscored'])} mục."
        )
        err.print(f"Báo cáo: {target.resolve()}")
        return ExitCode.OK

    _exit(_guard(run))


def _ranking_report(
    camp: Campaign,
    source: Path,
    target: Path,
    templates: Path | None,
    unit_sheets: Path | None,
    today: date | None,
    survey: Path | None,
    err: Console,
) -> None:
    """each-unit-scores: the ranking report, and optionally one result sheet per unit."""
    from parcli.manifest import write_manifest
    from parcli.numbers import fmt_percent
    from parcli.results.ranking import build_ranking, render_ranking, write_unit_sheets
    from parcli.results.report import report_inputs

    context = build_ranking(camp, source, today=today, survey=survey)
    render_ranking(context, target, templates)
    write_manifest(
        target,
        "report",
        camp,
        report_inputs(source, survey, None, templates, target),
        {"today": context["generated"].isoformat(), "templates": str(templates.resolve()) if templates else None},
    )
    for group in context["groups"]:
        ranked = [u for u in group["rows"] if u["rank"] is not None]
        top = [u["name"] for u in ranked if u["rank"] == 1]
        best = f"; hạng 1: {', '.join(top)} ({fmt_percent(ranked[0]['percent'])})" if ranked else ""
        err.print(f"{group['name']}: {len(ranked)}/{len(group['rows'])} đơn vị được xếp hạng{best}.")
    if unit_sheets is not None:
        fmt = "md" if target.suffix.lower() == ".md" else "html"
        sheets = write_unit_sheets(context, unit_sheets, fmt, templates)
        err.print(f"Phiếu kết quả từng đơn vị: {len(sheets)} tệp trong {unit_sheets.resolve()}")
    err.print(f"Báo cáo xếp hạng: {target.resolve()}")


def _exit(code: ExitCode) -> None:
    if code != ExitCode.OK:
        raise typer.Exit(int(code))


def _register_subcommands() -> None:
    """Sub-command groups that live in their own modules."""
    from parcli.cli.catalogue import catalogue_app
    from parcli.cli.survey import survey_app

    app.add_typer(catalogue_app, name="catalogue")
    app.add_typer(survey_app, name="survey")


_register_subcommands()


def run() -> None:  # pragma: no cover - console-script entry point
    """Console-script entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
