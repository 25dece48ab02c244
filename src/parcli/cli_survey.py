"""``parcli survey …``: the respondent lists for the Ministry's sociological survey (placeholder group)."""

from __future__ import annotations

import typer

survey_app = typer.Typer(
    help="Danh sách đối tượng điều tra xã hội học: phát hành mẫu danh sách, kiểm tra và tổng hợp.",
    no_args_is_help=True,
)
