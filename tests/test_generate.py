"""``parcli generate``: one workbook per department, every self item exactly once, a golden snapshot."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.issue import generate_workbooks
from tests.helpers.factory import FIXED_NOW
from tests.helpers.programs import require_soffice, roundtrip
from tests.helpers.snapshot import assert_golden, workbook_snapshot


def _items(path: Path) -> dict[str, float]:
    ws = load_workbook(path, read_only=True)[layout.SHEET_SCORES]
    out = {}
    for code, _title, max_points, *_ in ws.iter_rows(min_row=layout.SCORE_HEADER_ROW + 1, values_only=True):
        if code and code != layout.TOTAL_LABEL:
            out[str(code)] = max_points
    return out


def test_every_self_item_in_exactly_one_workbook(campaign: Campaign, issued: dict[str, Path]) -> None:
    assert len(issued) == 17
    seen: dict[str, str] = {}
    leaf_codes = {leaf.code for leaf in campaign.catalogue.leaves}
    total = Decimal(0)
    for dept_id, path in issued.items():
        for code, max_points in _items(path).items():
            if code not in leaf_codes:
                continue  # group rows
            assert code not in seen, f"{code} in {dept_id} and {seen[code]}"
            seen[code] = dept_id
            total += Decimal(str(max_points).replace(",", "."))  # text with a decimal comma
    self_codes = {leaf.code for leaf in campaign.catalogue.leaves if leaf.is_self}
    assert set(seen) == self_codes
    assert total == campaign.catalogue.model.self_points == Decimal(68)


def test_file_names_are_ascii_and_sorted_by_appendix(issued: dict[str, Path]) -> None:
    names = sorted(p.name for p in issued.values())
    assert names[0] == "PL01-so-noi-vu.xlsx" and names[-1] == "PL17-thanh-tra.xlsx"
    assert all(n.isascii() for n in names)


def test_golden_snapshot_of_one_workbook(issued: dict[str, Path]) -> None:
    snap = workbook_snapshot(issued["so-tu-phap"])
    assert_golden("generate-so-tu-phap", snap)


def test_workbook_structure(issued: dict[str, Path], campaign: Campaign) -> None:
    wb = load_workbook(issued["so-noi-vu"])
    assert wb.sheetnames == [layout.SHEET_COVER, layout.SHEET_SCORES, layout.SHEET_META]
    assert wb[layout.SHEET_META].sheet_state == "hidden"
    # the structure lock is written through an override of xlsxwriter internals: make sure it is there
    assert wb.security is not None and wb.security.lockStructure
    ws = wb[layout.SHEET_SCORES]
    header = [c.value for c in ws[layout.SCORE_HEADER_ROW]]
    assert header[:6] == ["Mã", "Nội dung", "Điểm tối đa", "Điểm tự đánh giá", "Giải trình", "Tài liệu kiểm chứng"]
    assert ws.protection.sheet
    assert ws.freeze_panes == "C6"
    assert ws.print_title_rows == "$5:$5"
    assert ws.page_setup.orientation == "landscape"
    dept = campaign.department_by_id["so-noi-vu"]
    dv_cells = {str(dv.sqref) for dv in ws.data_validations.dataValidation}
    codes = {str(ws.cell(row=r, column=1).value): r for r in range(1, ws.max_row + 1)}
    for leaf in dept.items:
        row = codes[leaf.code]
        assert f"D{row}" in dv_cells
        for col in "DEF":
            assert ws[f"{col}{row}"].protection.locked is False
        for col in "ABC":
            assert ws[f"{col}{row}"].protection.locked is not False


def _structure(path: Path) -> dict[str, object]:
    wb = load_workbook(path)
    ws = wb[layout.SHEET_SCORES]
    meta = {
        r[0]: r[1] for r in wb[layout.SHEET_META].iter_rows(max_col=2, max_row=len(layout.META_KEYS), values_only=True)
    }
    return {
        "sheets": wb.sheetnames,
        "states": [s.sheet_state for s in wb.worksheets],
        "items": _items(path),
        "validations": sorted(
            (str(dv.sqref), dv.type, (dv.formula1 or "").replace("'", "")) for dv in ws.data_validations.dataValidation
        ),
        "protected": [bool(s.protection.sheet) for s in wb.worksheets[:2]],
        "unlocked": sorted(c.coordinate for row in ws.iter_rows() for c in row if c.protection.locked is False),
        "meta": meta,
    }


@pytest.mark.libreoffice
def test_libreoffice_round_trip_keeps_items_validation_protection(issued: dict[str, Path], tmp_path: Path) -> None:
    require_soffice()
    src = issued["van-phong-ubnd"]
    back = roundtrip(src, tmp_path / "lo")
    assert _structure(back) == _structure(src)


def test_generate_cli_default_campaign(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("PL*.xlsx"))) == 17
    assert "ví dụ Hưng Yên 2023" in result.output or "kế hoạch mẫu" in result.output
    assert "chưa đối chiếu" in result.output  # the unverified catalogue is announced


def test_generate_is_deterministic_given_time(campaign: Campaign, tmp_path: Path) -> None:
    a = generate_workbooks(campaign, tmp_path / "a", now=FIXED_NOW, departments=["so-y-te"])
    b = generate_workbooks(campaign, tmp_path / "b", now=FIXED_NOW, departments=["so-y-te"])
    assert workbook_snapshot(a.workbooks[0].path) == workbook_snapshot(b.workbooks[0].path)


def test_worker_processes_write_the_same_workbooks(
    campaign: Campaign, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parcli.rounds.scoring import issue

    chosen = [d.id for d in campaign.departments[:4]]
    serial = generate_workbooks(campaign, tmp_path / "serial", now=FIXED_NOW, departments=chosen)
    monkeypatch.setattr(issue, "PARALLEL_MIN", 2)
    seen: list[str] = []
    parallel = generate_workbooks(
        campaign, tmp_path / "parallel", now=FIXED_NOW, departments=chosen, on_progress=lambda d: seen.append(d.id)
    )
    assert seen == chosen
    for a, b in zip(serial.workbooks, parallel.workbooks, strict=True):
        assert a.path.name == b.path.name
        assert workbook_snapshot(a.path) == workbook_snapshot(b.path)


@pytest.mark.parametrize(("password", "digest"), [("password", "83AF"), ("", "CE4B")])
def test_legacy_password_hash(password: str, digest: str) -> None:
    from parcli.xlsx.write import legacy_password_hash

    assert legacy_password_hash(password) == digest
