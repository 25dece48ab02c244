"""``parcli catalogue …``: show the criteria catalogue, export it as a table, import a corrected table.

A thin typer layer over :mod:`parcli.catalogue_table`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from parcli.cli.common import ForceOption, Talk, campaign_option, command, out_console, styled
from parcli.cli.vietnamese import Command, Group
from parcli.errors import ExitCode

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from parcli.catalogue_table import TableProblem
    from parcli.config.catalogue import Catalogue
    from parcli.jobs.catalogue import Shown

catalogue_app = typer.Typer(
    cls=Group,
    help="Bộ tiêu chí: xem cây tiêu chí và tổng điểm, xuất ra bảng Excel để sửa, nhập lại bảng đã sửa thành tệp YAML.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

CatalogueArgument = Annotated[
    Path | None,
    typer.Argument(
        help="Tệp bộ tiêu chí (.yaml). Mặc định: bộ tiêu chí của kế hoạch (-c, hoặc campaign.yaml trong thư mục "
        "hiện tại, hoặc ví dụ đi kèm parcli).",
        dir_okay=False,
    ),
]
CampaignOption = Annotated[
    Path | None,
    campaign_option(
        "Tệp kế hoạch (campaign.yaml) có bộ tiêu chí cần dùng. Mặc định: campaign.yaml trong thư mục hiện tại; "
        "không có thì dùng ví dụ Hưng Yên 2023 đi kèm parcli."
    ),
]


def _unverified_line(catalogue: Catalogue) -> str:
    unverified, total = catalogue.verification()
    if unverified == 0:
        return f"Cả {total} mục đã đối chiếu với văn bản chính thức."
    return f"{unverified}/{total} mục chưa đối chiếu với văn bản chính thức"


def _say(err: Console, *parts: object) -> None:
    """A sentence on stderr, wrapped by the terminal rather than cut into lines by rich."""
    err.print(*parts, soft_wrap=True)


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@catalogue_app.command(cls=Command)
@command
def show(
    catalogue: CatalogueArgument = None,
    campaign: CampaignOption = None,
    depth: Annotated[
        int, typer.Option("--depth", "-d", min=1, max=3, help="Số cấp hiển thị: 1 lĩnh vực, 2 tiêu chí, 3 tất cả.")
    ] = 3,
    width: Annotated[int, typer.Option("--width", min=20, help="Số ký tự tối đa của cột Nội dung.")] = 60,
) -> None:
    """In cây bộ tiêu chí: mã, nội dung, điểm tối đa, phần tự đánh giá / điều tra XHH, cách chấm, đối chiếu.

    Mục có dấu ✗ chưa được đối chiếu với văn bản chính thức. Cuối bảng là tổng theo từng cấp (lĩnh vực,
    tiêu chí, tiêu chí thành phần, mục chấm điểm) và số mục chưa đối chiếu.
    """
    from parcli.jobs.catalogue import show

    talk = Talk()
    for shown in show(catalogue, campaign, talk):
        _show_one(shown, talk.err, depth, width)


def _show_one(shown: Shown, err: Console, depth: int, width: int) -> None:
    """One catalogue: its tree, its totals by level, and what is not yet checked against the official text."""
    from rich.table import Table

    from parcli.numbers import fmt_points

    cat = shown.catalogue
    assert cat is not None
    where = f" — {cat.path}" if cat.path else ""
    table = Table(title=f"{cat.model.title} ({cat.id}){where}", title_justify="left")
    table.add_column("Mã", no_wrap=True)
    table.add_column("Nội dung")
    table.add_column("Tối đa", justify="right", no_wrap=True)
    table.add_column("Tự ĐG", justify="right", no_wrap=True)
    table.add_column("Điều tra", justify="right", no_wrap=True)
    table.add_column("Cách chấm")
    table.add_column("Đối chiếu", justify="center", no_wrap=True)
    for row in shown.tree:
        if row.level > depth:
            continue
        style = "bold" if row.level == 1 else ("" if row.is_leaf else "bold dim")
        mark = styled(("✓", "green")) if row.verified else styled(("✗", "red"))
        table.add_row(
            styled((row.code, style)),
            styled(("  " * (row.level - 1) + _shorten(row.title, width), style)),
            fmt_points(row.max_points),
            fmt_points(row.self_points) if row.self_points else "",
            fmt_points(row.survey_points) if row.survey_points else "",
            row.rule,
            mark,
        )
    out = out_console()
    out.print(table)
    totals = Table(title="Tổng theo cấp", title_justify="left")
    for name in ("Cấp", "Số mục", "Điểm tối đa", "Tự đánh giá", "Điều tra XHH", "Chưa đối chiếu"):
        totals.add_column(name, justify="left" if name == "Cấp" else "right")
    for level in shown.levels:
        totals.add_row(
            level.label,
            str(level.count),
            fmt_points(level.max_points),
            fmt_points(level.self_points),
            fmt_points(level.survey_points),
            str(level.unverified),
        )
    out.print(totals)
    counts = cat.counts()
    m = cat.model
    _say(
        err,
        f"{counts['fields']} lĩnh vực, {counts['criteria']} tiêu chí, {counts['components']} tiêu chí thành phần; "
        f"{fmt_points(m.total_points)} điểm = {fmt_points(cat.self_total())} tự đánh giá + "
        f"{fmt_points(cat.survey_total())} điều tra XHH.",
    )
    unverified, _total = cat.verification()
    _say(err, styled((_unverified_line(cat), "yellow" if unverified else "green")))


@catalogue_app.command(cls=Command)
@command
def export(
    catalogue: CatalogueArgument = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Bảng tiêu chí (.xlsx) sẽ ghi.", dir_okay=False)] = Path(
        "bo-tieu-chi.xlsx"
    ),
    campaign: CampaignOption = None,
    force: ForceOption = False,
) -> None:
    """Xuất bộ tiêu chí ra bảng Excel để sửa: mỗi mục một dòng, trang “Thông tin” chứa mã, năm, tổng điểm.

    Sửa bảng theo văn bản chính thức (nội dung, điểm, hình thức, cách chấm, nguồn, đã đối chiếu) rồi nhập
    lại bằng: parcli catalogue import BANG.xlsx -o bo-tieu-chi.yaml. Không ghi đè tệp đã có nếu thiếu --force.
    """
    from parcli.jobs.catalogue import ExportRequest, export

    talk = Talk()
    err = talk.err
    cat = export(ExportRequest(out, catalogue, campaign, force), talk).catalogue
    assert cat is not None
    counts = cat.counts()
    _say(
        err,
        f"Đã ghi {out}: {counts['fields']} lĩnh vực, {counts['criteria']} tiêu chí, "
        f"{counts['components']} tiêu chí thành phần; {_unverified_line(cat)}.",
    )
    _say(err, f"Sửa bảng rồi nhập lại: parcli catalogue import {out} -o bo-tieu-chi.yaml")


def _warning_table(problems: list[TableProblem], file: str) -> Table:
    from rich.table import Table

    table = Table(title=f"Cảnh báo khi đọc {file}", title_justify="left")
    table.add_column("Trang › ô (mục)")
    table.add_column("Nội dung")
    for p in problems:
        table.add_row(p.where(file), p.message)
    return table


@catalogue_app.command("import", cls=Command)
@command
def import_(
    table: Annotated[
        Path,
        typer.Argument(
            help="Bảng tiêu chí (.xlsx) theo mẫu của parcli catalogue export, hoặc phụ lục của quyết định (.docx, "
            "hoặc .pdf có lớp chữ)."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="Tệp bộ tiêu chí (.yaml) sẽ ghi.", dir_okay=False)],
    review: Annotated[
        Path | None,
        typer.Option(
            "--review",
            help="Với phụ lục .docx hoặc .pdf: bảng xem lại (.xlsx) sẽ ghi; mặc định <tên tệp YAML>-xem-lai.xlsx.",
            dir_okay=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> ExitCode | None:
    """Nhập bảng tiêu chí (.xlsx) đã sửa, hoặc phụ lục bộ tiêu chí của quyết định (.docx, .pdf), thành tệp YAML.

    Với bảng .xlsx, mọi lỗi được liệt kê theo ô (ví dụ “bang.xlsx › Bộ tiêu chí › C12 (mục 1.2.3): …”): mã
    sai hoặc sai thứ tự, thiếu nội dung, số điểm không đọc được, hình thức hay cách chấm không hợp lệ, điểm
    mục con không cộng đúng điểm mục cha, tổng điểm. Khi có lỗi, không ghi tệp nào.

    Với phụ lục .docx hoặc .pdf có lớp chữ (bảng kẻ khung có cột STT, Nội dung, Điểm tối đa, Cách chấm; đánh số
    kiểu “I.”, “1.”, “1.1”, “a)” hoặc “1.”, “1.1.”, “1.1.1.”, cấp được xác định theo cấu trúc), luôn ghi bảng
    xem lại (.xlsx, cùng mẫu với catalogue export, thêm cột “Cần xem lại” nêu từng dòng chưa đọc được; với
    .pdf: trang và dòng); chỉ ghi tệp YAML khi không còn dòng nào cần xem lại. Mọi mục mang nguồn (tệp, dòng) và chưa
    đối chiếu. Sửa bảng xem lại rồi nhập lại bằng lệnh này. Không ghi đè tệp đã có nếu thiếu --force.
    """
    from parcli.jobs.catalogue import ImportRequest, import_
    from parcli.numbers import fmt_points

    talk = Talk()
    err = talk.err
    result = import_(ImportRequest(table, out, review, force), talk)
    if result.review is not None:
        _say(err, f"Đã ghi bảng xem lại {result.review}.")
    cat = result.catalogue
    if cat is None:
        assert result.review is not None
        for doubt in result.doubts:
            line = doubt.describe(result.review.name) if doubt.sheet else f"{table.name}: {doubt.message}"
            out_console().print(f"- {line}", soft_wrap=True, markup=False, highlight=False)
        _say(
            err,
            styled(("Chưa ghi ", "yellow"), f"{out}: {len(result.doubts)} dòng cần xem lại (cột “Cần xem lại”)."),
            f"Sửa bảng rồi nhập lại: parcli catalogue import {result.review} -o {out}",
        )
        return result.exit_code
    if result.table_warnings:
        out_console().print(_warning_table(result.table_warnings, table.name))
    counts = cat.counts()
    _say(
        err,
        styled(
            ("Đã ghi ", "green"),
            f"{out}: {counts['fields']} lĩnh vực, {counts['criteria']} tiêu chí, "
            f"{counts['components']} tiêu chí thành phần, tổng {fmt_points(cat.model.total_points)} điểm; "
            f"{_unverified_line(cat)}.",
        ),
    )
    _say(err, f"Dùng bộ tiêu chí này: ghi “catalogue: {out.name}” (đường dẫn tính từ campaign.yaml) vào kế hoạch.")
    return None


@catalogue_app.command(cls=Command)
@command
def diff(
    old: Annotated[
        Path,
        typer.Argument(help="Bộ tiêu chí cũ (.yaml), ví dụ của năm trước.", dir_okay=False, metavar="BỘ_TIÊU_CHÍ_CŨ"),
    ],
    new: Annotated[
        Path, typer.Argument(help="Bộ tiêu chí mới (.yaml).", dir_okay=False, metavar="BỘ_TIÊU_CHÍ_MỚI")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Bảng thay đổi (.xlsx hoặc .md); bỏ trống: in ra màn hình.", dir_okay=False),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="Ghi tệp đối chiếu mã (.csv: ma_cu,ma_moi; “không còn” khi mục bị bỏ) để dùng với "
            "parcli report --previous … --mapping.",
            dir_okay=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    """So sánh hai bộ tiêu chí: mục thêm mới, bỏ, đổi tên, đổi điểm, đổi mã (khớp theo mã và độ giống nội dung).

    Ghi bảng thay đổi (.xlsx hoặc .md) và, với --mapping, tệp đối chiếu mã cũ → mã mới của từng mục chấm điểm
    để báo cáo so sánh với năm trước đúng mục tương ứng. Kiểm tra lại tệp đối chiếu trước khi dùng.
    """
    from parcli.jobs.catalogue import DiffRequest, diff

    talk = Talk()
    err = talk.err
    found = diff(DiffRequest(old, new, out, mapping, force), talk)
    result = found.diff
    assert result is not None
    if out is None:
        out_console().print(found.markdown, markup=False, highlight=False, soft_wrap=True)
    gone = sum(1 for v in result.mapping.values() if v is None)
    _say(
        err,
        f"{len(result.changes)} thay đổi; {len(result.mapping)} mục chấm điểm cũ, {gone} mục không còn"
        + (f"; đã ghi {out}" if out else "")
        + (f"; đã ghi tệp đối chiếu mã {mapping}" if mapping else "")
        + ".",
    )
