"""``parcli cover-letter``: the công văn sent with the issued workbooks (parse → job → render, nothing else)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from parcli.cli.common import CampaignOption, RoundOption, Talk, TodayOption, command, parse_day


@command
def cover_letter(
    campaign: CampaignOption = None,
    round_id: RoundOption = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Thư mục ghi công văn.", file_okay=False)] = Path(
        "cong-van-gui-phieu"
    ),
    today: TodayOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Thư mục mẫu của đơn vị (letter.docx, cover-letter.txt.j2).", file_okay=False
        ),
    ] = None,
) -> None:
    """Công văn gửi kèm phiếu tự đánh giá: việc cần làm, hạn gửi theo Kế hoạch, phụ lục của từng cơ quan.

    Gửi các cơ quan trừ Sở Nội vụ; phần của chính Sở Nội vụ là phiếu chuyển tới các phòng. Đợt: --round (mặc định
    đợt cuối).
    """
    from parcli.jobs.letters import CoverRequest, cover

    talk = Talk()
    result = cover(CoverRequest(out, campaign, round_id, parse_day(today) if today else None, templates), talk)
    for path in result.outputs:
        talk.err.print(f"Đã ghi {path}")


COMMANDS: tuple[Callable[..., None], ...] = (cover_letter,)
