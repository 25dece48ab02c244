"""Forms typed into as their owners would, to print: one of each kind, and how a test reads them back.

Shared by ``tests/test_print_forms.py`` (print settings read back) and ``tests/test_print_pdf.py`` (the
forms as LibreOffice prints them).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from parcli.config.campaign import Campaign, default_campaign_path
from parcli.jobs.appraise import IssueRequest
from parcli.jobs.appraise import issue as issue_appraisals
from parcli.rounds.appraisal import layout as appraisal_layout
from parcli.rounds.remedy import layout as remedy_layout
from parcli.rounds.scoring import layout as scoring_layout
from parcli.xlsx.open import open_workbook
from tests.helpers.appraisal import type_into
from tests.helpers.factory import fill_return
from tests.helpers.remedy import World, fill_plan

KINDS = ("scoring", "appraisal", "appraisal-by-field", "appraisal-round-2", "remedy")
DEPT = "so-tu-phap"
REMEDY_DEPT = "so-noi-vu"
PREPARER, HEAD, APPRAISER = "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG CƠ QUAN", "NGƯỜI THẨM ĐỊNH"


@dataclass(frozen=True)
class Form:
    """One issued form as printed: its file, its table sheet, header row, signature titles, the columns read."""

    kind: str
    path: Path
    sheet: str
    header_row: int  # 1-based
    signature: tuple[str, ...]
    keys: tuple[str, ...]  # header labels of the columns whose value makes a row a row of the table
    inputs: tuple[str, ...]  # header labels of the columns the owner types into
    numbers: tuple[str, ...]  # header labels of the number columns
    cover: bool = False
    blank: Path | None = None  # the form as issued, before anything was typed (and saved by openpyxl)


def forms_of(campaign: Campaign, issued: dict[str, Path], full_returns: Path, world: World, root: Path) -> list[Form]:
    """Every kind of form, issued and typed into as its owner would (the cells the owner types filled)."""
    returned = fill_return(campaign, issued, DEPT, root / "returns" / issued[DEPT].name)
    sign_cover(returned)
    appraisals = root / "tham-dinh"
    issue_appraisals(IssueRequest(full_returns, appraisals, campaign=default_campaign_path()))
    by_field = root / "tham-dinh-linh-vuc"
    issue_appraisals(IssueRequest(full_returns, by_field, campaign=default_campaign_path(), by="field"))
    field = by_field / "tham-dinh-lan1-linh-vuc-2.xlsx"
    first = appraisals / "tham-dinh-lan1-PL03-so-tu-phap.xlsx"
    blanks = root / "as-issued"
    blanks.mkdir()
    shutil.copyfile(first, blanks / first.name)
    type_into(first, {"2.1.1": (0.5, "Chưa đủ tài liệu kiểm chứng"), "2.3.2": (0, "Xử lý chậm")})
    issue_appraisals(IssueRequest(full_returns, appraisals, campaign=default_campaign_path(), round=2))
    second = appraisals / "tham-dinh-lan2-PL03-so-tu-phap.xlsx"
    shutil.copyfile(second, blanks / second.name)
    type_into(second, {"2.1.1": (1, "Đã bổ sung đủ")})
    plan = root / "khac-phuc" / world.plans[REMEDY_DEPT].name
    fill_plan(world.plans[REMEDY_DEPT], plan)
    t1 = appraisal_layout.table(units=False, round_=1)
    t2 = appraisal_layout.table(units=False, round_=2)
    remedy = remedy_layout.table(units=False)
    scores = scoring_layout.SCORES

    def labels(table: Any, keys: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(table.column(k).label for k in keys)

    def numbers(table: Any) -> tuple[str, ...]:
        return tuple(c.label for c in table.columns if c.type == "number")

    a1 = (appraisal_layout.SHEET_APPRAISAL, appraisal_layout.HEADER_ROW, (APPRAISER,), labels(t1, t1.row_key))
    as_issued = {
        "scoring": issued[DEPT],
        "appraisal": blanks / first.name,
        "appraisal-by-field": field,
        "appraisal-round-2": blanks / second.name,
        "remedy": world.plans[REMEDY_DEPT],
    }
    forms = [
        Form(
            "scoring",
            returned,
            scores.sheet,
            scores.header_row,
            (PREPARER, HEAD),
            labels(scores, scores.row_key),
            labels(scores, scores.inputs),
            numbers(scores),
            cover=True,
        ),
        Form("appraisal", first, *a1, labels(t1, t1.inputs), numbers(t1)),
        Form("appraisal-by-field", field, *a1, labels(t1, t1.inputs), numbers(t1)),
        Form("appraisal-round-2", second, *a1[:3], labels(t2, t2.row_key), labels(t2, t2.inputs), numbers(t2)),
        Form(
            "remedy",
            plan,
            remedy.sheet,
            remedy.header_row,
            (PREPARER, HEAD),
            labels(remedy, remedy.row_key),
            labels(remedy, remedy.inputs),
            numbers(remedy),
        ),
    ]
    return [replace(form, blank=as_issued[form.kind]) for form in forms]


def sign_cover(path: Path) -> None:
    """Type the preparer's name, position and telephone on a return's cover, as the department does."""
    wb = load(path)
    cover = wb[scoring_layout.SHEET_COVER]
    typed = {
        scoring_layout.COVER_PREPARER: "Nguyễn Thị Lan",
        scoring_layout.COVER_POSITION: "Chuyên viên",
        scoring_layout.COVER_PHONE: "0221 3862 123",
    }
    for row in cover.iter_rows(max_col=2):
        if row[0].value in typed:
            row[1].value = typed[row[0].value]
    wb.save(path)


def load(path: Path) -> Any:
    """The workbook as openpyxl reads it whole (print settings, styles, merged cells)."""
    return open_workbook(path, fast_sheets=None, noun="phiếu", read_only=False)


def header(ws: Any, row: int) -> dict[str, int]:
    """Header label → 1-based column."""
    return {c.value: c.column for c in ws[row] if isinstance(c.value, str)}


def table_rows(ws: Any, form: Form) -> Iterator[int]:
    """The 1-based rows of the table below its header (to the last row with a key filled)."""
    columns = header(ws, form.header_row)
    keyed = [
        r for r in range(form.header_row + 1, ws.max_row + 1) if any(ws.cell(r, columns[k]).value for k in form.keys)
    ]
    yield from range(form.header_row + 1, max(keyed) + 1)


def visible(wb: Any) -> list[Any]:
    """The sheets a printout has."""
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


def widths(ws: Any) -> list[float]:
    """Column widths (characters) up to the last column used (a file stores equal neighbours as one range)."""
    found = [8.43] * ws.max_column
    for dimension in list(ws.column_dimensions.values()):
        for c in range(dimension.min or 1, min(dimension.max or 0, ws.max_column) + 1):
            found[c - 1] = dimension.width
    return found
