"""Filling issued workbooks the way a department would, for tests.

This module is deliberately independent of parcli's reader: it finds rows by
the code in column A of the scoring sheet and types values with openpyxl, as
a person (or another program) editing the workbook would.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

FIXED_NOW = datetime(2023, 12, 20, 8, 0, tzinfo=UTC)
"""The one moment every test runs at (``SOURCE_DATE_EPOCH``, set by conftest) and issues its workbooks."""

MakeReturn = Callable[..., Path]
"""The ``make_return`` fixture: ``make_return(dept_id, folder=None, overrides=None, name=None, sent=None)``."""

SCORES_SHEET = "Chấm điểm"
COL = {"score": 4, "explanation": 5, "evidence": 6}
KEEP = object()


def default_values(leaf: Any, index: int) -> dict[str, Any]:
    """Realistic values: full marks for most items, a lost point now and then, always explained."""
    options = leaf.allowed_points()
    score: Decimal
    if options is not None and index % 3 == 2:
        score = sorted(options)[-2]
    elif options is None and index % 4 == 3:
        score = leaf.max_points - leaf.rule.step
    else:
        score = leaf.max_points
    lost = score < leaf.max_points
    return {
        "score": float(score) if score != score.to_integral_value() else int(score),
        "explanation": (
            f"Chưa đạt tối đa mục {leaf.code}: một số nhiệm vụ hoàn thành chậm so với kế hoạch."
            if lost
            else f"Đã hoàn thành đầy đủ nội dung mục {leaf.code} theo kế hoạch."
        ),
        "evidence": f"Báo cáo số {100 + index}/BC-SNV ngày 15/12/2023",
    }


def expected_values(dept: Any) -> dict[str, dict[str, Any]]:
    """The default values of every item of a department."""
    return {leaf.code: default_values(leaf, i) for i, leaf in enumerate(dept.items)}


def fill_workbook(src: Path, dst: Path, values: dict[str, dict[str, Any]], *, sent: Any = None) -> None:
    """Type ``values`` (code → {score, explanation, evidence}) into a copy of ``src`` saved as ``dst``."""
    wb = load_workbook(src)
    ws = wb[SCORES_SHEET]
    rows = {str(ws.cell(row=r, column=1).value): r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    for code, fields in values.items():
        row = rows[code]
        for name, value in fields.items():
            if value is KEEP:
                continue
            ws.cell(row=row, column=COL[name]).value = value
    if sent is not None:
        cover = wb["Hướng dẫn"]
        for r in range(1, cover.max_row + 1):
            if cover.cell(row=r, column=1).value == "Ngày gửi":
                cover.cell(row=r, column=2).value = sent
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def fill_return(
    campaign: Any,
    issued: dict[str, Path],
    dept_id: str,
    target: Path,
    overrides: dict[str, dict[str, Any]] | None = None,
    sent: Any = None,
) -> Path:
    """A department's issued workbook filled with its default values, ``overrides`` on top, saved as ``target``."""
    values = expected_values(campaign.department_by_id[dept_id])
    for code, fields in (overrides or {}).items():
        values.setdefault(code, {}).update(fields)
    fill_workbook(issued[dept_id], target, values, sent=sent)
    return target


def return_maker(campaign: Any, issued: dict[str, Path], default_folder: Path) -> MakeReturn:
    """A ``make_return`` function: ``make(dept_id, folder=None, overrides=None, name=None, sent=None)`` → file.

    The department's issued workbook, filled (:func:`fill_return`), saved under its issued name in ``folder``
    (``default_folder`` when none is given) or as ``name``.
    """

    def make(
        dept_id: str,
        folder: Path | None = None,
        overrides: dict[str, dict[str, Any]] | None = None,
        name: str | None = None,
        sent: Any = None,
    ) -> Path:
        target = (folder or default_folder) / (name or issued[dept_id].name)
        return fill_return(campaign, issued, dept_id, target, overrides, sent)

    return make


def copy_tree_bytes(folder: Path) -> dict[str, bytes]:
    """Snapshot of a folder's files and bytes, to prove inputs are never modified."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
