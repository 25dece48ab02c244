"""What every command shares: consoles, the one error boundary, option types, campaign loading, JSON, problems.

:func:`command` is the error boundary: a :class:`parcli.errors.ParcliError`
becomes a red Vietnamese message on stderr and its exit code (``--debug``
shows the traceback instead); a command returns an :class:`ExitCode` (or
nothing, for 0).  Exit codes: 0 ok · 1 the data has problems (outputs still
written) · 2 usage error · 3 cannot proceed.

Command modules import this one; nothing here imports a command module.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec

import typer

from parcli import clock
from parcli.errors import ExitCode, ParcliError, UsageError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from parcli.config.campaign import Campaign
    from parcli.problems import Problem

P = ParamSpec("P")

state: dict[str, bool] = {"debug": False}  # set by the --debug option of the main callback


def err_console() -> Console:
    """The console on stderr: progress, summaries, errors."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, markup=False)


def out_console() -> Console:
    """The console on stdout: the data tables a command is asked for."""
    from rich.console import Console

    return Console(highlight=False, markup=False)


def styled(*parts: str | tuple[str, str]) -> Text:
    """Text from plain parts and (text, style) pairs; nothing in it is parsed as markup."""
    from rich.text import Text

    return Text.assemble(*parts)


def command(fn: Callable[P, ExitCode | None]) -> Callable[P, None]:
    """The error boundary around a command: ParcliError → message on stderr and its exit code.

    The command returns its exit code (``None`` means 0); typer sees the
    command's own signature and docstring (its ``--help``).
    """

    @functools.wraps(fn)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            code = fn(*args, **kwargs)
        except ParcliError as exc:
            if state["debug"]:
                raise
            err_console().print(styled(("Lỗi: ", "bold red"), str(exc)), soft_wrap=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err_console().print("Đã dừng theo yêu cầu người dùng.")
            raise typer.Exit(130) from None
        if code is not None and code != ExitCode.OK:
            raise typer.Exit(int(code))

    return guarded


# --- option types -----------------------------------------------------------------------------------

CAMPAIGN_HELP = "Tệp kế hoạch (campaign.yaml). Mặc định: ví dụ Hưng Yên 2023 đi kèm parcli."


def campaign_option(help_text: str = CAMPAIGN_HELP) -> Any:
    """The ``--campaign/-c`` option, with the help text of the command group."""
    return typer.Option("--campaign", "-c", help=help_text, dir_okay=False)


CampaignOption = Annotated[Path | None, campaign_option()]
JsonOption = Annotated[
    Path | None,
    typer.Option("--json", help="Ghi kết quả dạng JSON vào tệp này ('-' để in ra stdout).", dir_okay=False),
]
PickOption = Annotated[
    list[str] | None,
    typer.Option("--pick", help="Tên tệp được dùng khi một cơ quan gửi nhiều phiếu (có thể lặp lại)."),
]
TodayOption = Annotated[
    str | None,
    typer.Option("--today", help="Ngày tính hạn (YYYY-MM-DD hoặc dd/mm/yyyy). Mặc định: hôm nay."),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")]
RoundOption = Annotated[
    str | None,
    typer.Option(
        "--round",
        help="Đợt đánh giá trong năm (mã đợt trong mục rounds của kế hoạch, ví dụ so-bo-9-thang). "
        "Mặc định: đợt cuối cùng.",
    ),
]


# --- helpers ----------------------------------------------------------------------------------------


def load_campaign(path: Path | None, console: Console, round_id: str | None = None) -> Campaign:
    """The campaign named with ``--campaign``, or the bundled example (saying so), at round ``round_id``."""
    from parcli.config.campaign import default_campaign_path, load_campaign

    if path is None:
        path = default_campaign_path()
        console.print(f"Dùng kế hoạch mẫu đi kèm parcli: {path}")
    camp = load_campaign(path, round_id)
    if camp.round_id is not None:
        console.print(f"Đợt đánh giá: {camp.round_title} ({camp.round_id})")
    return camp


def guard(
    err: Console,
    *,
    inputs: list[Path | None] | tuple[Path | None, ...] = (),
    files: list[Path | None] | tuple[Path | None, ...] = (),
    dirs: list[Path | None] | tuple[Path | None, ...] = (),
) -> None:
    """The output guard (:func:`parcli.outputs.guard_outputs`) before anything is written; say its warnings."""
    from parcli.outputs import guard_outputs

    for warning in guard_outputs(inputs=inputs, files=files, dirs=dirs):
        err.print(styled(("Cảnh báo: ", "yellow"), warning))


def campaign_files(camp: Campaign) -> list[Path | None]:
    """The files a loaded campaign was read from: the plan and its catalogues."""
    cats = list(camp.catalogues.values()) or [camp.catalogue]
    return [camp.path, *(c.path for c in cats)]


def write_json(target: Path | None, data: object) -> None:
    """Write ``data`` as JSON to ``target`` (``-``: stdout); nothing when no ``--json`` was given."""
    if target is None:
        return
    from parcli.files import json_text

    text = json_text(data)
    if str(target) == "-":
        typer.echo(text, nl=False)
    else:
        from parcli.files import atomic_write_text

        atomic_write_text(target, text)


def parse_day(text: str | None) -> date:
    """The ``--today`` option (YYYY-MM-DD or dd/mm/yyyy); the clock's today without it."""
    if text is None:
        return clock.today()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise UsageError(f"Ngày “{text}” không hợp lệ; dùng dạng 2024-01-15 hoặc 15/01/2024.")


def problem_table(problems: list[Problem], title: str) -> Table:
    """The problems as a table: severity, file › sheet › cell, item, slug, message."""
    from rich.table import Table

    from parcli.labels import SEVERITY_COLOURS, severity_label

    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("Mức", no_wrap=True)
    table.add_column("Tệp › trang › ô")
    table.add_column("Mục", no_wrap=True)
    table.add_column("Mã lỗi", no_wrap=True)
    table.add_column("Nội dung")
    for p in problems:
        level = styled((severity_label(p.is_error), SEVERITY_COLOURS[p.severity]))
        table.add_row(level, p.where() or (p.department or ""), p.item or "", p.slug, p.message)
    return table


def status_cell(labels: dict[str, str], status: str) -> Text:
    """A status word in its colour (green ok, red invalid, yellow missing, magenta duplicate)."""
    from parcli.labels import STATUS_COLOURS

    return styled((labels[status], STATUS_COLOURS[status]))


AppraisalsOption = Annotated[
    Path | None,
    typer.Option("--appraisals", help="Thư mục chứa các phiếu thẩm định.", file_okay=False),
]


def show_appraisal_problems(problems: list[Problem], err: Console) -> None:
    """The problems of the appraisal workbooks as a table on stdout, with a count on stderr."""
    found = list(problems)
    if found:
        out_console().print(problem_table(found, "Các vấn đề của phiếu thẩm định"))
        stale = sum(1 for p in found if p.slug == "appraisal-stale")
        errors = sum(1 for p in found if p.is_error)
        err.print(f"Phiếu thẩm định: {errors} lỗi, {stale} mục cần thẩm định lại (phiếu tự đánh giá đã thay đổi).")
