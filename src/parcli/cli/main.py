"""The ``parcli`` typer application: the main callback, ``--version``, and the registration of every command.

Commands live in one module per group (:mod:`parcli.cli.returns`,
:mod:`parcli.cli.report`, :mod:`parcli.cli.catalogue`, :mod:`parcli.cli.survey`);
this module imports them, never the other way round.  Importing it stays light:
heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from parcli import __version__
from parcli.cli import (
    appraise,
    catalogue,
    common,
    evidence,
    letters,
    remedy,
    report,
    result,
    returns,
    survey,
    vietnamese,
)

vietnamese.install()
app = typer.Typer(
    cls=vietnamese.Group,
    name="parcli",
    help="parcli — tự đánh giá Chỉ số CCHC (PAR Index) trên bảng tính Excel: phát hành phiếu chấm điểm, "
    "kiểm tra, tổng hợp và báo cáo.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)


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
    common.state["debug"] = debug


for _command in (*returns.COMMANDS, *letters.COMMANDS, *report.COMMANDS, *evidence.COMMANDS):
    app.command(cls=vietnamese.Command)(_command)
app.add_typer(catalogue.catalogue_app, name="catalogue")
app.add_typer(survey.survey_app, name="survey")
app.add_typer(appraise.appraise_app, name="appraise")
app.add_typer(remedy.remedy_app, name="remedy")
app.add_typer(result.result_app, name="result")


def run() -> None:  # pragma: no cover - console-script entry point
    """Console-script entry point: the consoles set up (:func:`parcli.cli.common.setup_streams`), then the app."""
    common.setup_streams()
    app()


if __name__ == "__main__":  # pragma: no cover
    run()
