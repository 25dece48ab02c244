"""``parcli merge``: consolidation, exact totals, LibreOffice as the client, appraisal kept."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.errors import ConsolidatedError
from parcli.results.consolidated_write import write_consolidated
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.factory import MakeReturn, copy_tree_bytes, expected_values, fill_workbook
from tests.helpers.programs import require_soffice, roundtrip_many


def _expected_total(campaign: Campaign, skip: set[str] = frozenset()) -> Decimal:  # type: ignore[assignment]
    total = Decimal(0)
    for dept in campaign.departments:
        if dept.id in skip:
            continue
        for values in expected_values(dept).values():
            total += Decimal(str(values["score"]))
    return total


def _consolidated_rows(path: Path) -> dict[str, dict[str, object]]:
    ws = load_workbook(path)[layout.SHEET_CONSOLIDATED]
    header = [c.value for c in ws[layout.CONSOLIDATED_HEADER_ROW]]
    rows = {}
    for r in ws.iter_rows(min_row=layout.CONSOLIDATED_HEADER_ROW + 1, values_only=True):
        rec = dict(zip(header, r, strict=False))
        rows[str(rec[layout.HEADER_CODE])] = rec
    return rows


@pytest.mark.libreoffice
def test_libreoffice_filled_returns_merge_clean(campaign: Campaign, issued: dict[str, Path], tmp_path: Path) -> None:
    """Issue → LibreOffice opens and saves → department fills → LibreOffice saves again → merge."""
    require_soffice()
    opened = roundtrip_many(list(issued.values()), tmp_path / "lo1")
    filled = []
    for path in opened:
        dept_id = next(d for d, p in issued.items() if p.stem == path.stem)
        dst = tmp_path / "filled" / path.name
        fill_workbook(path, dst, expected_values(campaign.department_by_id[dept_id]))
        filled.append(dst)
    returns = roundtrip_many(filled, tmp_path / "returns")
    result = merge_returns(campaign, returns[0].parent)
    assert [p.to_dict() for p in result.problems] == []
    assert all(d.status == "ok" for d in result.departments)
    assert result.totals()["score"] == _expected_total(campaign)
    # each field's score equals the sum of what was typed for its items
    typed = {code: Decimal(str(v["score"])) for d in campaign.departments for code, v in expected_values(d).items()}
    for f in result.totals()["fields"]:
        want = sum((s for code, s in typed.items() if code.split(".")[0] == f["code"]), Decimal(0))
        assert f["score"] == want, f["code"]


def test_totals_exact_to_the_last_decimal(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    for dept in campaign.departments:
        make_return(dept.id, folder)
    # Sở Nội vụ types a decimal comma as text on a scale item: 0,25 steps must stay exact
    dept = campaign.department_by_id["so-noi-vu"]
    scale = next(leaf for leaf in dept.items if leaf.allowed_points() is None)
    make_return("so-noi-vu", folder, overrides={scale.code: {"score": "0,25"}})
    result = merge_returns(campaign, folder)
    assert result.ok
    expected = _expected_total(campaign) - Decimal(str(expected_values(dept)[scale.code]["score"])) + Decimal("0.25")
    assert result.totals()["score"] == expected
    assert [p.slug for p in result.problems] == ["decimal-comma"]


def test_appraisal_survives_second_merge(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    """Appraisals live in appraisal workbooks: a late return, a re-merge, a deleted output — the same figures."""
    from parcli.results.appraisal import collect_for
    from parcli.rounds.appraisal import layout as alayout
    from parcli.rounds.appraisal.issue import issue_appraisals

    folder = tmp_path / "returns"
    for dept in campaign.departments:
        if dept.id != "thanh-tra":
            make_return(dept.id, folder)
    out = tmp_path / "tong-hop.xlsx"
    first = merge_returns(campaign, folder)
    assert not first.ok and {d.department.id for d in first.departments if d.status == "missing"} == {"thanh-tra"}
    appraisals = tmp_path / "tham-dinh"
    issue_appraisals(campaign, first.returned_rows(), appraisals, by="field")
    typed = {}
    for path in sorted(appraisals.glob("*.xlsx")):
        wb = load_workbook(path)
        ws = wb[alayout.SHEET_APPRAISAL]
        header = [c.value for c in ws[alayout.HEADER_ROW]]
        c_app = header.index(alayout.HEADER_APPRAISED) + 1
        c_note = header.index(alayout.HEADER_NOTE) + 1
        for r in range(alayout.HEADER_ROW + 1, ws.max_row + 1):
            code = ws.cell(row=r, column=header.index(alayout.HEADER_CODE) + 1).value
            value = {"1.1.1": 0, "2.1.1": 0.5}.get(code)  # one of each item's options
            if value is not None:
                ws.cell(row=r, column=c_app, value=value)
                ws.cell(row=r, column=c_note, value=f"Thẩm định mục {code}: trừ điểm do thiếu minh chứng.")
                typed[code] = (value, f"Thẩm định mục {code}: trừ điểm do thiếu minh chứng.")
        wb.save(path)
    assert set(typed) == {"1.1.1", "2.1.1"}
    write_consolidated(first, out, appraisals=collect_for(first, appraisals).scores())
    before = copy_tree_bytes(folder)
    typed_books = copy_tree_bytes(appraisals)
    make_return("thanh-tra", folder)  # the late return arrives
    second = merge_returns(campaign, folder)
    assert second.ok
    found = collect_for(second, appraisals)
    assert found.ok and not found.problems
    assert write_consolidated(second, out, appraisals=found.scores()) == 2
    rows = _consolidated_rows(out)
    for code, (score, note) in typed.items():
        assert rows[code][layout.HEADER_APPRAISED] == score
        assert rows[code][layout.HEADER_APPRAISAL_NOTE] == note
    assert rows["6.4.2"][layout.HEADER_ITEM_STATUS] == "Đã nhận"
    out.unlink()  # the consolidated workbook is an output: delete it, merge again, the same figures
    write_consolidated(merge_returns(campaign, folder), out, appraisals=collect_for(second, appraisals).scores())
    assert _consolidated_rows(out) == rows
    after = copy_tree_bytes(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    assert copy_tree_bytes(appraisals) == typed_books  # parcli never rewrites what appraisers typed


def test_refuses_to_overwrite_foreign_workbook(campaign: Campaign, full_returns: Path, tmp_path: Path) -> None:
    from openpyxl import Workbook

    out = tmp_path / "bang-tinh-cua-toi.xlsx"
    wb = Workbook()
    wb.active["A1"] = "dữ liệu quan trọng"  # type: ignore[index]
    wb.save(out)
    data = out.read_bytes()
    with pytest.raises(ConsolidatedError):
        write_consolidated(merge_returns(campaign, full_returns), out)
    assert out.read_bytes() == data
    result = CliRunner().invoke(app, ["merge", str(full_returns), "-o", str(out)])
    assert result.exit_code == 3 and "không ghi đè" in result.output


def test_consolidated_has_every_item_and_sheets(campaign: Campaign, full_returns: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.xlsx"
    write_consolidated(merge_returns(campaign, full_returns), out)
    wb = load_workbook(out)
    assert wb.sheetnames == [
        layout.SHEET_CONSOLIDATED,
        layout.SHEET_DEPARTMENTS,
        layout.SHEET_PROBLEMS,
        layout.SHEET_META,
    ]
    rows = _consolidated_rows(out)
    for leaf in campaign.catalogue.leaves:
        row = rows[leaf.code]
        if leaf.is_self:
            assert row[layout.HEADER_ITEM_STATUS] == "Đã nhận"
            assert row[layout.HEADER_DEPARTMENT] == campaign.owner_of[leaf.code].name
        else:
            assert row[layout.HEADER_ITEM_STATUS] == "Điều tra XHH"
            assert row[layout.HEADER_SCORE] is None
    ws = wb[layout.SHEET_CONSOLIDATED]
    assert ws.protection.sheet
    c_app = [c.value for c in ws[layout.CONSOLIDATED_HEADER_ROW]].index(layout.HEADER_APPRAISED) + 1
    r = next(r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=1).value == "1.1.1")
    assert ws.cell(row=r, column=c_app).protection.locked is not False  # an output column now
