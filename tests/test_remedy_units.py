"""Remedy plans in unit-level mode (``each-unit-scores``): issued per unit, merged, points recovered per unit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from conftest import FIXED_NOW
from factory import fill_workbook
from parcli.config.campaign import Campaign, load_campaign
from parcli.results.consolidated import read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remedy import lost_items, recovery
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.issue import issue_remedies, plan_remedies
from parcli.rounds.remedy.merge import collect_remedies
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from test_units import LOST, campaign_text, unit_values, write_catalogues

COLS = {h: i + 1 for i, h in enumerate(layout.headers(units=True))}
SENT = {uid: lose for uid, lose in LOST.items() if lose}  # units that return a workbook with points lost
AFTER = {uid: lose // 2 for uid, lose in SENT.items()}  # year end: half the points lost (whole points) remain lost


def _merged(camp: Campaign, issued: dict[str, Path], root: Path, lose_of: dict[str, Decimal]) -> Path:
    for uid, lose in lose_of.items():
        fill_workbook(issued[uid], root / "returns" / issued[uid].name, unit_values(camp.department_by_id[uid], lose))
    out = root / "tong-hop.xlsx"
    write_consolidated(merge_returns(camp, root / "returns"), out, now=FIXED_NOW)
    return out


def test_remedies_per_unit(tmp_path: Path) -> None:
    write_catalogues(tmp_path)
    (tmp_path / "campaign.yaml").write_text(campaign_text(), encoding="utf-8")
    camp = load_campaign(tmp_path / "campaign.yaml")
    issued = {w.department.id: w.path for w in generate_workbooks(camp, tmp_path / "issued", now=FIXED_NOW).workbooks}
    prelim = read_consolidated(_merged(camp, issued, tmp_path / "pre", SENT), camp)
    year_end = read_consolidated(_merged(camp, issued, tmp_path / "final", AFTER), camp)

    # issue: one plan per unit that lost points, its rows those items, keyed by unit
    lost = lost_items(camp, prelim)
    assert {item.scope for item in lost} == set(SENT)
    result = issue_remedies(camp, lost, tmp_path / "khac-phuc", now=FIXED_NOW)
    assert {w.owner.id for w in result.workbooks} == set(SENT)
    for uid, lose in SENT.items():
        assert sum((i.lost for i in lost if i.scope == uid), Decimal(0)) == lose

    # every unit fills its plan; one leaves its remedies in progress past the deadline
    late = sorted(SENT)[0]
    filled = tmp_path / "gui-ve"
    filled.mkdir()
    for w in result.workbooks:
        wb = load_workbook(w.path)
        ws = wb[layout.SHEET_REMEDY]
        for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
            if not ws.cell(row=r, column=COLS[layout.HEADER_CODE]).value:
                continue
            assert ws.cell(row=r, column=COLS[layout.HEADER_UNIT_ID]).value == w.owner.id
            overdue = w.owner.id == late
            values = {
                layout.HEADER_CAUSE: "Chậm tiến độ",
                layout.HEADER_REMEDY: "Hoàn thành trong quý IV",
                layout.HEADER_DEADLINE: datetime(2023, 11, 30) if overdue else datetime(2023, 12, 31),
                layout.HEADER_RESPONSIBLE: "Lãnh đạo đơn vị",
                layout.HEADER_PROGRESS: layout.PROGRESS_IN_PROGRESS if overdue else layout.PROGRESS_DONE,
            }
            for header, value in values.items():
                ws.cell(row=r, column=COLS[header]).value = value
        wb.save(filled / w.path.name)
    expected = [dept for dept, _ in plan_remedies(camp, lost)]
    plans = collect_remedies(camp, filled, date(2023, 12, 20), expected)
    assert plans.ok and not plans.silent, [p.slug for p in plans.problems]
    assert len(plans.items) == len(lost)
    assert {i.entry.scope for i in plans.overdue} == {late}

    # points recovered per unit, computed here from the points typed
    section = recovery(camp, prelim, year_end, plans)
    by_unit = {d["id"]: d for d in section["by_department"]}
    assert set(by_unit) == set(SENT)
    for uid, lose in SENT.items():
        assert by_unit[uid]["lost_before"] == lose
        assert by_unit[uid]["recovered"] == lose - AFTER[uid]
        assert by_unit[uid]["lost_after"] == AFTER[uid]
    assert section["total"]["recovered"] == sum(SENT.values()) - sum(AFTER.values())
    assert {r["scope"] for r in section["still_losing"]} == {uid for uid, lose in AFTER.items() if lose}
    assert all(r["progress"] for r in section["items"])


def test_ranking_report_refuses_the_remedy_options(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from parcli.cli.main import app

    write_catalogues(tmp_path)
    (tmp_path / "campaign.yaml").write_text(campaign_text(), encoding="utf-8")
    camp = load_campaign(tmp_path / "campaign.yaml")
    issued = {w.department.id: w.path for w in generate_workbooks(camp, tmp_path / "issued", now=FIXED_NOW).workbooks}
    merged = _merged(camp, issued, tmp_path / "pre", SENT)
    args = ["report", str(merged), "-o", str(tmp_path / "x.md"), "--preliminary", str(merged)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2 and "each-unit-scores" in res.output
