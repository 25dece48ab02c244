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
import warnings
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ParamSpec

import typer
from typer.exceptions import TyperException

from parcli import clock
from parcli.errors import ExitCode, ParcliError, UsageError
from parcli.jobs.base import Listener, Tracker

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from parcli.collect.versions import VersionDecision
    from parcli.config.campaign import Department
    from parcli.problems import Problem
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult
    from parcli.secret import Password

P = ParamSpec("P")

state: dict[str, bool] = {"debug": False}  # set by the --debug option of the main callback


def setup_streams(streams: Sequence[Any] | None = None) -> None:
    """Make stdout and stderr able to write any Vietnamese text, whatever the code page.

    A console on Windows may use an ANSI code page (cp1252, cp1258) that has no “ế”; text
    redirected to a file (``parcli status DIR > x.txt``) or a pipe (``| more``) would then
    stop with UnicodeEncodeError.  A stream that is not a terminal writes UTF-8; a terminal
    keeps its encoding and replaces what it cannot show rather than failing.
    """
    import sys

    for stream in streams if streams is not None else (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            terminal = stream.isatty()
        except (OSError, ValueError):
            terminal = False
        try:
            reconfigure(errors="replace") if terminal else reconfigure(encoding="utf-8", errors="replace")
        except (OSError, ValueError):  # a stream already written to in another encoding, or closed
            continue


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
    """The error boundary around a command.

    A :class:`ParcliError` becomes its Vietnamese message and exit code; an
    operating-system error (disk full, no permission, a file held open) a sentence
    naming the file, exit 3; anything else is a fault of parcli itself: one
    sentence, exit 4, and the traceback in a log file the officer can send
    (:func:`write_crash_log`).  ``--debug`` shows the traceback instead.  The
    command returns its exit code (``None`` means 0); typer sees the command's own
    signature and docstring (its ``--help``).
    """

    @functools.wraps(fn)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            with warnings.catch_warnings():
                if not state["debug"]:
                    # the libraries' warnings are English and technical (openpyxl: “Data Validation extension is
                    # not supported…”); what matters of them parcli says itself, as a problem or a warning
                    warnings.simplefilter("ignore")
                code = fn(*args, **kwargs)
        except (typer.Exit, typer.Abort, TyperException):  # exits and usage errors: typer says them
            raise
        except ParcliError as exc:
            if state["debug"]:
                raise
            err_console().print(styled(("Lỗi: ", "bold red"), str(exc)), soft_wrap=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            err_console().print("Đã dừng theo yêu cầu người dùng.")
            raise typer.Exit(130) from None
        except OSError as exc:
            if state["debug"]:
                raise
            from parcli.errors import os_error_message

            err_console().print(styled(("Lỗi: ", "bold red"), os_error_message(exc)), soft_wrap=True)
            raise typer.Exit(int(ExitCode.CANNOT_PROCEED)) from None
        except Exception as exc:
            if state["debug"]:
                raise
            log = write_crash_log(exc)
            where = f" Chi tiết kỹ thuật đã ghi vào tệp {log}; đề nghị gửi tệp này cho bộ phận hỗ trợ." if log else ""
            err_console().print(
                styled(
                    ("Lỗi nội bộ của parcli", "bold red"),
                    f" (không phải do dữ liệu của Quý cơ quan): {type(exc).__name__}.{where} Chạy lại với "
                    "parcli --debug … để xem chi tiết.",
                ),
                soft_wrap=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        if code is not None and code != ExitCode.OK:
            raise typer.Exit(int(code))

    return guarded


LOG_ENV = "PARCLI_LOG_DIR"


def log_dir() -> Path:
    """Where crash logs go: ``PARCLI_LOG_DIR``, else the user's local application data (never an input folder)."""
    import os
    import sys

    given = os.environ.get(LOG_ENV)
    if given:
        return Path(given)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "parcli" / "logs"
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return base / "parcli" / "logs"


def write_crash_log(exc: BaseException) -> Path | None:
    """Write the traceback of ``exc`` with the command line and versions to a new log file; its path (None if
    even that fails).

    The traceback holds no local variables (values are not formatted), and every password the process
    was given is taken out of the whole text (:func:`parcli.secret.redact`) before it is written.
    """
    import platform
    import sys
    import traceback

    from parcli import __version__
    from parcli.secret import redact

    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    text = (
        f"parcli {__version__} · Python {platform.python_version()} · {platform.platform()}\n"
        f"command: {' '.join(sys.argv)}\n\n" + "".join(traceback.format_exception(exc))
    )
    text = redact(text)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(100):
            target = folder / f"parcli-loi-{stamp}{f'-{n}' if n else ''}.log"
            try:
                with target.open("x", encoding="utf-8") as handle:
                    handle.write(text)
            except FileExistsError:
                continue
            return target
    except OSError:
        return None
    return None


# --- option types -----------------------------------------------------------------------------------

CAMPAIGN_HELP = (
    "Tệp kế hoạch (campaign.yaml). Mặc định: campaign.yaml trong thư mục hiện tại (hoặc tệp ghi trong biến môi "
    "trường PARCLI_CAMPAIGN); không có thì dùng ví dụ Hưng Yên 2023 đi kèm parcli."
)


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
VerboseOption = Annotated[
    bool,
    typer.Option(
        "--verbose",
        help="Liệt kê đủ từng cơ quan, đơn vị (khi danh sách dài, mặc định chỉ liệt kê các đơn vị cần xem).",
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Ghi đè nếu tệp đã có.")]
PasswordPromptOption = Annotated[
    bool,
    typer.Option(
        "--password-prompt",
        help="Hỏi mật khẩu mở tệp (không hiện khi gõ) thay vì đọc biến môi trường PARCLI_PASSWORD. Mật khẩu "
        "không bao giờ được ghi ra tệp, manifest hay nhật ký.",
    ),
]


def ask_password(prompt: bool, *, confirm: bool) -> Password | None:
    """The password of the files holding personal data: asked at the terminal (``--password-prompt``, twice when
    ``confirm``: a file is about to be encrypted with it), else ``PARCLI_PASSWORD``, else None.

    Never an option value: it would stay in the shell's history.
    """
    from parcli.secret import Password, password_from_environment

    if not prompt:
        return password_from_environment()
    first = typer.prompt("Mật khẩu mở tệp", hide_input=True, err=True)
    if confirm and typer.prompt("Nhập lại mật khẩu", hide_input=True, err=True) != first:
        raise UsageError("Hai lần nhập mật khẩu không khớp; chạy lại lệnh.")
    if not first:
        raise UsageError("Chưa nhập mật khẩu.")
    return Password(first)


RoundOption = Annotated[
    str | None,
    typer.Option(
        "--round",
        help="Đợt đánh giá trong năm (mã đợt trong mục rounds của kế hoạch, ví dụ so-bo-9-thang). "
        "Mặc định: đợt cuối cùng.",
    ),
]


# --- talking while a job runs ---------------------------------------------------------------------


class Talk(Listener):
    """The listener of every command: notes and warnings on stderr as a job meets them, a transient progress bar."""

    def __init__(self, err: Console | None = None) -> None:
        self.err = err or err_console()

    def note(self, text: str, lead: str = "") -> None:
        """A sentence on stderr (``lead`` in yellow)."""
        self.err.print(styled((lead, "yellow"), text) if lead else text)

    def warn(self, text: str) -> None:
        """“Cảnh báo: …” on stderr."""
        self.err.print(styled(("Cảnh báo: ", "yellow"), text))

    @contextmanager
    def track(self, label: str, total: int | None = None) -> Iterator[Tracker]:
        """A transient progress bar (none for a handful of steps)."""
        from rich.progress import Progress

        with Progress(console=self.err, transient=True, disable=total is not None and total < 5) as progress:
            task = progress.add_task(label, total=total)
            yield _Bar(progress, task)


class _Bar(Tracker):
    def __init__(self, progress: Any, task: Any) -> None:
        self.progress = progress
        self.task = task

    def total(self, count: int) -> None:
        self.progress.update(self.task, total=count)

    def advance(self) -> None:
        self.progress.advance(self.task)


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


def problem_table(problems: list[Problem], title: str, *, items: Mapping[str, str] | None = None) -> Table:
    """The problems as a table: severity; where (file › sheet › cell, then the item and the problem's code, dim);
    the message, which keeps the larger share of a narrow console (an 80-column window reads it in full lines).

    ``items`` names the items in words where their id is not a code a reader knows (a survey group:
    ``{"lanh-dao-so": "nhóm Lãnh đạo sở, ngành"}``); others read “mục 1.2.3”.
    """
    from rich.table import Table
    from rich.text import Text

    from parcli.labels import SEVERITY_COLOURS, severity_label

    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("Mức", no_wrap=True)
    table.add_column("Vị trí", ratio=2, overflow="fold")
    table.add_column("Nội dung", ratio=3)
    for p in problems:
        level = styled((severity_label(p.is_error), SEVERITY_COLOURS[p.severity]))
        item = (items or {}).get(p.item, f"mục {p.item}") if p.item else ""
        detail = " · ".join(part for part in (item, f"mã {p.slug}") if part)
        where = Text(p.where() or (p.department or ""))
        where.append(("\n" if where.plain else "") + detail, style="dim")
        table.add_row(level, where, p.message)
    return table


def status_cell(labels: dict[str, str], status: str) -> Text:
    """A status word in its colour (green ok, red invalid, yellow missing, magenta duplicate)."""
    from parcli.labels import STATUS_COLOURS

    return styled((labels[status], STATUS_COLOURS[status]))


ReturnsDirArgument = Annotated[Path, typer.Argument(help="Thư mục chứa các phiếu các cơ quan gửi về.")]
AppraisalsRequiredOption = Annotated[
    Path, typer.Option("--appraisals", help="Thư mục chứa các phiếu thẩm định.", file_okay=False)
]
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


def say_versions(
    decisions: Sequence[VersionDecision],
    names: dict[str, str],
    err: Console,
    *,
    unmatched: Sequence[str] = (),
    document: str = "phiếu",
) -> None:
    """The version rule's decisions, each owner by name, and every ``--pick`` that matched no file."""
    for name in unmatched:
        err.print(styled(("Cảnh báo: ", "yellow"), f"--pick {name}: không có tệp nào tên như vậy trong thư mục."))
    for v in decisions:
        who = names.get(v.owner_id, v.owner_id)
        if v.used:
            err.print(f"{who}: dùng {v.used} — {v.reason}; không dùng: {', '.join(v.others)}.")
        else:
            err.print(
                styled((f"{who}: chưa dùng {document} nào", "magenta"), f" — {v.reason} ({', '.join(v.others)}).")
            )


def say_appraisals(books: AppraisalCollection | None, err: Console) -> None:
    """What reading the appraisal workbooks decided (copies, by owner) and their problems; nothing without them."""
    if books is None:
        return
    say_versions(books.decisions, books.owner_names(), err, document="phiếu thẩm định")
    show_appraisal_problems(list(books.problems), err)


def say_returns(merged: MergeResult, err: Console) -> None:
    """What reading the returns decided: every ``--pick`` that matched nothing, every version decision by name."""
    names = {d.id: d.name for d in merged.campaign.departments}
    say_versions(merged.decisions, names, err, unmatched=merged.unmatched_picks)


def pick_option(noun: str = "cơ quan", document: str = "phiếu") -> Any:
    """The ``--pick`` option, in the words of the form kind."""
    return typer.Option("--pick", help=f"Tên tệp được dùng khi một {noun} gửi nhiều {document} (có thể lặp lại).")


# --- the returns' tables on the officer's console (an 80-column window included) ---------------------------

# Beyond this many departments (units), tables list only those that need attention; --verbose lists all.
LONG_LIST = 30
LONG_PROBLEMS = 60  # beyond this many problems, merge shows the errors and counts the warnings by kind
# the narrowest a column of the returns' tables may become on a small window (a date is never cut)
COLUMN_MIN = {"Ngày nhận": 10, "Hạn": 10}


def department_cell(department: Department) -> str:
    """A department as the returns' tables name it: “III. Sở Tư pháp” (its appendix first), a unit by its name."""
    return f"{department.appendix}. {department.name}" if department.appendix else department.name


def state_cell(status: str, errors: int, warned: int) -> Text:
    """The return's status in its colour, and under it its errors and warnings (one column for the three, so
    that an 80-column window keeps the dates whole)."""
    from parcli.labels import RETURN_STATUS_LABELS

    cell = status_cell(RETURN_STATUS_LABELS, status)
    cell.append(f"\n{errors} lỗi · {warned} cảnh báo", style="dim")
    return cell


def show_problems(problems: list[Problem], *, verbose: bool, err: Console) -> None:
    """The problems of the returns: all of them for a short list; past LONG_PROBLEMS, every error and the
    warnings counted by kind (they are all on the consolidated workbook's “Vấn đề” sheet, and with --verbose)."""
    if not problems:
        return
    everything = verbose or len(problems) <= LONG_PROBLEMS
    shown = problems if everything else [p for p in problems if p.is_error]
    if shown:
        out_console().print(problem_table(shown, "Các vấn đề phát hiện"))
    left = Counter() if everything else Counter(p.slug for p in problems if not p.is_error)
    if left:
        kinds = "; ".join(f"mã {slug}: {n}" for slug, n in left.most_common())
        err.print(
            f"Cảnh báo chưa hiện: {sum(left.values())} ({kinds}). Xem trang “Vấn đề” của bảng tổng hợp, hoặc chạy "
            "lại với --verbose."
        )
