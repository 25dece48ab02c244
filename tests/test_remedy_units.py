"""Remedy plans in unit-level mode (``each-unit-scores``): issued per unit, merged, points recovered per unit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import Campaign, load_campaign
from parcli.results.consolidated import read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remedy import lost_items, recovery
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.issue import issue_remedies, plan_remedies
from parcli.rounds.remedy.merge import collect_remedies
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import FIXED_NOW, fill_workbook
from tests.helpers.units import (
    ALL_UNITS,
    INLINE_UNITS,
    LOST,
    campaign_text,
    pct,
    self_max,
    unit_values,
    write_catalogues,
)

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


def _world(root: Path) -> tuple[Campaign, dict[str, Path], Path, Path]:
    write_catalogues(root)
    (root / "campaign.yaml").write_text(campaign_text(), encoding="utf-8")
    camp = load_campaign(root / "campaign.yaml")
    issued = {w.department.id: w.path for w in generate_workbooks(camp, root / "issued", now=FIXED_NOW).workbooks}
    return camp, issued, _merged(camp, issued, root / "pre", SENT), _merged(camp, issued, root / "final", AFTER)


def _sums(pairs: list[tuple[Decimal, Decimal]]) -> tuple[Decimal, Decimal, Decimal]:
    before = sum((b for b, _ in pairs), Decimal(0))
    after = sum((a for _, a in pairs), Decimal(0))
    return before, before - after, after


def test_ranking_remedy_section_per_unit_and_group(tmp_path: Path) -> None:
    from parcli.jobs.report import ReportRequest
    from parcli.jobs.report import report as produce_report
    from parcli.numbers import fmt_points

    camp, _issued, prelim, final = _world(tmp_path)
    out = tmp_path / "xep-hang.md"
    produced = produce_report(ReportRequest(consolidated=final, out=out, preliminary=prelim))
    assert produced.ranking is not None
    section = produced.ranking["remedy"]
    # expected, from the points typed: every unit that lost points lost them on (whole) scale items
    by_unit = {u["id"]: u for u in section["units"]}
    assert set(by_unit) == set(SENT)
    for uid, lose in SENT.items():
        assert (by_unit[uid]["lost_before"], by_unit[uid]["recovered"], by_unit[uid]["lost_after"]) == (
            lose,
            lose - AFTER[uid],
            AFTER[uid],
        )
        assert bool(by_unit[uid]["still_losing"]) == bool(AFTER[uid])
    group_of = {u[0]: u[2] for u in ALL_UNITS}
    for group in section["groups"]:
        pairs = [(SENT[u], AFTER[u]) for u in SENT if group_of[u] == group["id"]]
        lost_before, recovered, lost_after = _sums(pairs)
        assert (group["lost_before"], group["recovered"], group["lost_after"]) == (lost_before, recovered, lost_after)
        assert group["items"] == sum(by_unit[u]["items"] for u in SENT if group_of[u] == group["id"])
    text = out.read_text(encoding="utf-8")
    assert "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ" in text
    total = sum(SENT.values()) - sum(AFTER.values())
    assert f"khôi phục được {fmt_points(total)} điểm" in text
    for suffix in ("html", "docx"):
        target = tmp_path / f"xep-hang.{suffix}"
        res = CliRunner().invoke(app, ["report", str(final), "-o", str(target), "--preliminary", str(prelim)])
        assert res.exit_code == 0, res.output
    from tests.helpers.documents import read_docx

    doc = read_docx(tmp_path / "xep-hang.docx")
    assert f"khôi phục được {fmt_points(total)} điểm" in doc.text
    # counted in “lượt” (an item of one unit), each unit's items still losing points named with their titles
    table = doc.table("TT", "Đơn vị", "Số lượt", "Điểm bị trừ (sơ bộ)", "Điểm khôi phục", "Điểm còn bị trừ")
    assert {r[1] for r in table[:-1]} == {camp.department_by_id[u].name for u in SENT}
    assert "lượt tiêu chí thành phần" in doc.text
    losing = doc.table("Đơn vị", "Mã", "Tiêu chí thành phần", "Điểm còn bị trừ")
    assert all(row[2] for row in losing)


def test_ranking_beside_last_year(tmp_path: Path) -> None:
    """Last year: one unit fewer (xa-minh-hai is new) and one unit gone since; ranks and recovery per unit."""
    from parcli.jobs.report import ReportRequest
    from parcli.jobs.report import report as produce_report

    camp, _issued, _, final = _world(tmp_path / "now")
    last_root = tmp_path / "last"
    write_catalogues(last_root)
    units = [u[:4] for u in INLINE_UNITS if u[0] != "xa-minh-hai"] + [("xa-cu", "UBND xã Cũ", "xa", [])]
    (last_root / "campaign.yaml").write_text(campaign_text(units=units), encoding="utf-8")
    last_camp = load_campaign(last_root / "campaign.yaml")
    last_issued = {
        w.department.id: w.path for w in generate_workbooks(last_camp, last_root / "issued", now=FIXED_NOW).workbooks
    }
    last_lost = {uid: lose for uid, lose in SENT.items() if uid in last_camp.department_by_id} | {"xa-cu": Decimal(5)}
    last = _merged(last_camp, last_issued, last_root / "y", last_lost)
    out = tmp_path / "xep-hang.md"
    produced = produce_report(ReportRequest(consolidated=final, out=out, previous=last))
    assert produced.ranking is not None
    rows = {u["id"]: u for g in produced.ranking["groups"] for u in g["rows"]}
    assert rows["xa-minh-hai"]["previous"] is None
    assert produced.ranking["previous"]["only_previous"] == ["xa-cu"]
    group_of = {u[0]: u[2] for u in ALL_UNITS}
    for group in {group_of[u] for u in last_lost if u in group_of}:
        members = [u for u in last_camp.department_by_id if group_of.get(u) == group and u in camp.department_by_id]
        percents = {}
        for uid in members:
            top = self_max(camp, uid)
            lose = last_lost.get(uid, Decimal(0)) if uid in last_lost else None  # not filled: no score last year
            percents[uid] = None if lose is None else pct(top - lose, top)
        for uid in members:
            p = percents[uid]
            rank = None if p is None else 1 + sum(1 for q in percents.values() if q is not None and q > p)
            assert (rows[uid]["previous"]["percent"], rows[uid]["previous"]["rank"]) == (p, rank), uid
    # recovered against last year per unit = last year's lost − this year's lost, summed
    section = produce_report(
        ReportRequest(consolidated=final, out=tmp_path / "c.md", previous=last, preliminary=_prelim_of(tmp_path))
    ).ranking
    assert section is not None and section["remedy"] is not None and section["remedy_previous"] is not None
    by_unit = {u["id"]: u for u in section["remedy_previous"]["units"]}
    for uid, lose in last_lost.items():
        if uid not in camp.department_by_id or not lose:
            continue
        assert (by_unit[uid]["lost_before"], by_unit[uid]["recovered"]) == (lose, lose - AFTER[uid]), uid
        assert rows[uid]["previous"] is not None
    text = (tmp_path / "c.md").read_text(encoding="utf-8")
    assert "So sánh với năm trước" in text and "Kết quả khắc phục các mục bị trừ điểm năm trước" in text
    assert "chưa có" in text and "xa-cu" in text
    for suffix in ("html", "docx"):
        args = ["report", str(final), "-o", str(tmp_path / f"c.{suffix}"), "--previous", str(last)]
        res = CliRunner().invoke(app, args)
        assert res.exit_code == 0, res.output
    import json

    record = json.loads((tmp_path / "c.md.manifest.json").read_text(encoding="utf-8"))
    roles = {e["role"] for e in record["inputs"]}
    assert {"previous", "preliminary"} <= roles


def _prelim_of(tmp_path: Path) -> Path:
    return tmp_path / "now" / "pre" / "tong-hop.xlsx"
