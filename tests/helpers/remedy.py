"""Remedy plans for tests: a preliminary round merged, plans issued from it, a year-end round merged.

Plans are typed like a department would (``fill_plan``: openpyxl, columns by header).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from parcli.config.campaign import Campaign
from parcli.results.consolidated import read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remedy import lost_items
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.issue import issue_remedies
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import FIXED_NOW, expected_values, fill_workbook

PRELIM = "so-bo-9-thang"
COLS = {h: i + 1 for i, h in enumerate(layout.headers(units=False))}


@dataclass
class World:
    """A preliminary round merged, remedy plans issued from it, a year-end round merged."""

    campaign: Campaign  # at the preliminary round
    year_end: Campaign
    prelim: Path
    final: Path
    plans: dict[str, Path]  # department id -> issued remedy workbook
    prelim_scores: dict[str, Decimal]  # code -> preliminary score typed
    final_scores: dict[str, Decimal]  # code -> year-end score typed


def _merge_round(camp: Campaign, root: Path, values_of: Any) -> Path:
    issued = generate_workbooks(camp, root / "issued", now=FIXED_NOW)
    for w in issued.workbooks:
        fill_workbook(w.path, root / "returns" / w.path.name, values_of(w.department))
    out = root / "tong-hop.xlsx"
    write_consolidated(merge_returns(camp, root / "returns"), out, now=FIXED_NOW)
    return out


def build_world(campaign: Campaign, root: Path) -> World:
    """Both rounds merged and the remedy plans issued, under ``root`` (built once a session: read it only)."""
    pre = campaign.at_round(PRELIM)
    prelim_scores: dict[str, Decimal] = {}
    final_scores: dict[str, Decimal] = {}

    def prelim_values(dept: Any) -> dict[str, dict[str, Any]]:
        values = expected_values(dept)
        for code, v in values.items():
            prelim_scores[code] = Decimal(str(v["score"]))
        return values

    def final_values(dept: Any) -> dict[str, dict[str, Any]]:
        values = expected_values(dept)
        for i, leaf in enumerate(dept.items):  # every other lost item recovers its full maximum
            if Decimal(str(values[leaf.code]["score"])) < leaf.max_points and i % 2 == 0:
                top = leaf.max_points
                values[leaf.code]["score"] = int(top) if top == top.to_integral_value() else float(top)
        for code, v in values.items():
            final_scores[code] = Decimal(str(v["score"]))
        return values

    prelim = _merge_round(pre, root / "pre", prelim_values)
    final = _merge_round(campaign, root / "final", final_values)
    data = read_consolidated(prelim, pre)
    issued = issue_remedies(pre, lost_items(pre, data), root / "khac-phuc", now=FIXED_NOW)
    plans = {w.owner.id: w.path for w in issued.workbooks}
    return World(pre, campaign, prelim, final, plans, prelim_scores, final_scores)


def fill_plan(src: Path, dst: Path, rows: dict[str, dict[str, Any]] | None = None, default: bool = True) -> None:
    """Type a plan like a department: every row filled (unless ``default`` is False), ``rows`` overriding."""
    wb = load_workbook(src)
    ws = wb[layout.SHEET_REMEDY]
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        code = ws.cell(row=r, column=COLS[layout.HEADER_CODE]).value
        if not code:
            continue
        values: dict[str, Any] = (
            {
                layout.HEADER_CAUSE: "Chưa bố trí đủ nhân lực",
                layout.HEADER_REMEDY: f"Bổ sung nhiệm vụ mục {code} vào kế hoạch quý IV",
                layout.HEADER_DEADLINE: datetime(2023, 12, 15),
                layout.HEADER_RESPONSIBLE: "Phó Giám đốc",
                layout.HEADER_PROGRESS: "Đang thực hiện",
            }
            if default
            else {}
        )
        values.update((rows or {}).get(str(code), {}))
        for header, value in values.items():
            ws.cell(row=r, column=COLS[header]).value = value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
