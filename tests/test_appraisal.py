"""Appraisal workbooks: books, typed with openpyxl as an appraiser would, collected; every appraisal slug."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli.main import app
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.results.appraisal import collect_for
from parcli.rounds.appraisal import layout
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.appraisal import type_into
from tests.helpers.factory import MakeReturn

runner = CliRunner()


def _book(folder: Path, pattern: str) -> Path:
    return next(folder.glob(pattern))


@pytest.fixture
def books(campaign: Campaign, full_returns: Path, tmp_path: Path) -> Path:
    out = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns).returned_rows(), out)
    return out


def test_issue_records_rows_and_locks_all_but_inputs(campaign: Campaign, books: Path) -> None:
    wb = load_workbook(_book(books, "*PL01-so-noi-vu.xlsx"))
    ws = wb[layout.SHEET_APPRAISAL]
    assert ws.protection.sheet
    header = [c.value for c in ws[layout.HEADER_ROW]]
    assert header == list(layout.headers(units=False, round_=1))
    row = layout.HEADER_ROW + 1
    for c, label in enumerate(header, start=1):
        locked = ws.cell(row=row, column=c).protection.locked
        assert (locked is False) == (label in layout.input_headers(1)), label
    assert wb[layout.SHEET_ITEMS].sheet_state == "hidden" and wb[layout.SHEET_META].sheet_state == "hidden"
    assert ws.data_validations.dataValidation  # options / 0..max on every appraised-score cell


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("không đạt", "appraisal-not-a-number"),
        (5, "appraisal-above-max"),
        (-0.5, "appraisal-below-zero"),
        (0.25, "appraisal-not-allowed"),  # 1.1.1 allows 0 or 0,5
        ("=1+1", "appraisal-formula"),
    ],
)
def test_bad_values_are_errors_by_cell(
    campaign: Campaign, full_returns: Path, books: Path, typed: Any, slug: str
) -> None:
    cells = type_into(_book(books, "*PL01-so-noi-vu.xlsx"), {"1.1.1": (typed, "")})
    found = collect_for(merge_returns(campaign, full_returns), books)
    [problem] = [p for p in found.problems if p.slug == slug]
    assert (problem.cell, problem.item, problem.is_error) == (cells["1.1.1"], "1.1.1", True)
    assert ("province", "1.1.1") not in found.items or found.items[(PROVINCE_SCOPE, "1.1.1")].score is None


def test_conflict_names_both_workbooks(campaign: Campaign, full_returns: Path, tmp_path: Path) -> None:
    merged = merge_returns(campaign, full_returns)
    out = tmp_path / "td"
    issue_appraisals(campaign, merged.returned_rows(), out, by="department")
    issue_appraisals(campaign, merged.returned_rows(), out, by="field")
    type_into(_book(out, "*PL01-so-noi-vu.xlsx"), {"1.1.1": (0, "A")})
    type_into(_book(out, "*linh-vuc-1.xlsx"), {"1.1.1": (0.5, "B"), "1.1.2": (1, "")})
    found = collect_for(merged, out)
    conflicts = [p for p in found.problems if p.slug == "appraisal-conflict"]
    assert {p.file for p in conflicts} == {"tham-dinh-lan1-PL01-so-noi-vu.xlsx", "tham-dinh-lan1-linh-vuc-1.xlsx"}
    assert found.items[(PROVINCE_SCOPE, "1.1.1")].score is None
    assert found.items[(PROVINCE_SCOPE, "1.1.2")].score == Decimal(1)


def test_stale_after_resubmission_then_round_two_clears_it(
    campaign: Campaign, make_return: MakeReturn, full_returns_copy: Path, books: Path, tmp_path: Path
) -> None:
    type_into(_book(books, "*PL01-so-noi-vu.xlsx"), {"1.1.2": (1, "Thiếu tài liệu")})
    assert not collect_for(merge_returns(campaign, full_returns_copy), books).problems
    for old in full_returns_copy.glob("*so-noi-vu*"):
        old.unlink()
    make_return("so-noi-vu", full_returns_copy, overrides={"1.1.2": {"evidence": "Quyết định số 99/QĐ-UBND"}})
    merged = merge_returns(campaign, full_returns_copy)
    found = collect_for(merged, books)
    [stale] = [p for p in found.problems if p.slug == "appraisal-stale"]
    assert stale.item == "1.1.2" and not stale.is_error
    assert found.items[(PROVINCE_SCOPE, "1.1.2")].score == Decimal(1)  # still shown and counted
    assert found.stale == [(PROVINCE_SCOPE, "1.1.2")]
    round2 = tmp_path / "lan2"
    from parcli.results.appraisal import round1_prior

    issue_appraisals(campaign, merged.returned_rows(), round2, round_=2, prior=round1_prior(found))
    type_into(_book(round2, "*PL01-so-noi-vu.xlsx"), {"1.1.2": (1.5, "Đã bổ sung")})
    for book in round2.glob("*.xlsx"):
        shutil.copy2(book, books / book.name)
    final = collect_for(merged, books)
    assert not [p for p in final.problems if p.slug == "appraisal-stale"]
    item = final.items[(PROVINCE_SCOPE, "1.1.2")]
    assert (item.round1, item.score) == (Decimal(1), Decimal("1.5"))


def test_orphaned_when_the_item_left_the_department(campaign: Campaign, full_returns: Path, books: Path) -> None:
    path = _book(books, "*PL01-so-noi-vu.xlsx")
    type_into(path, {"1.1.1": (0, "")})
    wb = load_workbook(path)  # the item sheet says it was appraised for another department
    items = wb[layout.SHEET_ITEMS]
    for r in range(2, items.max_row + 1):
        if items.cell(row=r, column=2).value == "1.1.1":
            items.cell(row=r, column=3, value="so-tu-phap")
    wb.save(path)
    found = collect_for(merge_returns(campaign, full_returns), books)
    [orphan] = [p for p in found.problems if p.slug == "appraisal-orphaned"]
    assert orphan.item == "1.1.1" and orphan.is_error and orphan.cell


def test_duplicate_copies(campaign: Campaign, full_returns: Path, books: Path) -> None:
    path = _book(books, "*PL01-so-noi-vu.xlsx")
    type_into(path, {"1.1.1": (0, "")})
    copy = books / "ban-sao.xlsx"
    shutil.copy2(path, copy)
    type_into(copy, {"1.1.1": (0.5, "")})
    import os

    stamp = path.stat().st_mtime
    os.utime(copy, (stamp, stamp))
    found = collect_for(merge_returns(campaign, full_returns), books)
    assert any(p.slug == "duplicate-appraisal" for p in found.problems)


def test_cli_merge_with_appraisals_and_notices(
    campaign: Campaign, full_returns: Path, books: Path, tmp_path: Path
) -> None:
    type_into(_book(books, "*PL01-so-noi-vu.xlsx"), {"1.1.2": (1, "Thiếu tài liệu")})
    out = tmp_path / "tong-hop.xlsx"
    result = runner.invoke(app, ["merge", str(full_returns), "--appraisals", str(books), "-o", str(out)])
    assert result.exit_code == 0, result.output
    notices = tmp_path / "thong-bao"
    result = runner.invoke(
        app, ["appraise", "notices", str(full_returns), "--appraisals", str(books), "-o", str(notices)]
    )
    assert result.exit_code == 0, result.output
    text = next(notices.glob("*.txt")).read_text(encoding="utf-8")
    assert "Mục 1.1.2" in text and "Thiếu tài liệu" in text
    imported = tmp_path / "nhap"
    result = runner.invoke(app, ["appraise", "import", str(out), "-o", str(imported)])
    assert result.exit_code == 0, result.output
    again = collect_for(merge_returns(campaign, full_returns), imported)
    assert again.scores() == collect_for(merge_returns(campaign, full_returns), books).scores()


def test_issuing_again_never_overwrites_typed_workbooks(campaign: Campaign, full_returns: Path, books: Path) -> None:
    typed = _book(books, "*PL01-so-noi-vu.xlsx")
    type_into(typed, {})  # an appraiser's save
    before = {p.name: p.read_bytes() for p in books.iterdir()}
    result = runner.invoke(app, ["appraise", "issue", str(full_returns), "-o", str(books)])
    assert result.exit_code == 2, result.output
    assert typed.name in result.output and "không bị ghi đè" in result.output
    assert {p.name: p.read_bytes() for p in books.iterdir()} == before
