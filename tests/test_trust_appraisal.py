"""Nothing typed into an appraisal workbook is lost, nothing is counted that should not be.

Each test holds one failure class of the issue "Nothing typed is lost, nothing is counted that
should not be": copies of a workbook (1), appraisals that match no return row (2), a score on an
item returned as not applicable (3), spreadsheet error values and NaN in a score cell (12), and
``merge --json`` holding what the terminal shows (13).  Workbooks are typed here at the XML level
with the standard library, as a program other than parcli's own writer would save them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

import parcli
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.jobs.merge import MergeRequest, merge
from parcli.results.appraisal import collect_for
from parcli.results.consolidated import load_consolidated
from parcli.rounds.appraisal import layout
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.scoring.merge import merge_returns
from parcli.xlsx.sheetxml import column_letter
from tests.helpers.sheetxml import Error, Raw, set_cells


def appraise(campaign: Campaign, path: Path, dept_id: str, typed: dict[str, tuple[object, str]]) -> dict[str, str]:
    """Type (score, note) by item code into ``dept_id``'s round-1 workbook at ``path``; the score cell of each."""
    dept = campaign.department_by_id[dept_id]
    table = layout.table(units=False, round_=1)
    score_col, note_col = column_letter(table.position("appraised")), column_letter(table.position("note"))
    rows = {leaf.code: table.header_row + 1 + i for i, leaf in enumerate(dept.items)}
    cells: dict[str, object] = {}
    for code, (score, note) in typed.items():
        cells[f"{score_col}{rows[code]}"] = score
        cells[f"{note_col}{rows[code]}"] = note or None
    set_cells(path, layout.SHEET_APPRAISAL, cells)
    return {code: f"{score_col}{rows[code]}" for code in typed}


def _book(folder: Path, dept_id: str) -> Path:
    return next(folder.glob(f"tham-dinh-lan1-PL*-{dept_id}.xlsx"))


@pytest.fixture
def books(campaign: Campaign, full_returns_copy: Path, tmp_path: Path) -> Path:
    out = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns_copy).returned_rows(), out)
    return out


def _parcli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command line as an officer runs it (its own process; the test's clock and log folder inherited)."""
    env = dict(os.environ, COLUMNS="250", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8")
    env["PYTHONPATH"] = os.pathsep.join([str(Path(parcli.__file__).parents[1]), env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "parcli", *args], capture_output=True, text=True, encoding="utf-8", env=env, timeout=300
    )


# --- 1. a copy of a workbook never drops the other copy's typed appraisals ----------------------------


def test_trust_copy_set_aside_with_typed_appraisals_is_an_error_naming_both_files(
    campaign: Campaign, full_returns_copy: Path, books: Path
) -> None:
    original = _book(books, "so-noi-vu")
    appraise(campaign, original, "so-noi-vu", {"1.1.1": (0, "Ban hành chậm")})
    copy = original.with_name(original.stem + " - Copy.xlsx")
    shutil.copy2(original, copy)
    appraise(campaign, copy, "so-noi-vu", {"1.1.1": (None, ""), "1.1.2": (1, "Thiếu tài liệu")})  # typed in the copy
    stamp = original.stat().st_mtime + 600  # the copy saved later: the version rule keeps it
    os.utime(copy, (stamp, stamp))
    found = collect_for(merge_returns(campaign, full_returns_copy), books)
    [aside] = [p for p in found.problems if p.slug == "appraisal-copy-set-aside"]
    assert aside.is_error and aside.file == original.name and aside.item == "1.1.1"
    assert original.name in aside.message and copy.name in aside.message and "--pick" in aside.message
    assert not found.ok
    [decision] = found.decisions
    assert decision.used == copy.name and decision.others == (original.name,)
    assert found.owner_names()[decision.owner_id] == "Phiếu thẩm định lần 1 Sở Nội vụ"


def test_trust_copy_whose_typed_rows_are_all_in_the_copy_used_is_a_warning(
    campaign: Campaign, full_returns_copy: Path, books: Path
) -> None:
    original = _book(books, "so-noi-vu")
    appraise(campaign, original, "so-noi-vu", {"1.1.1": (0, "Ban hành chậm")})
    copy = original.with_name("ban-luu-moi.xlsx")
    shutil.copy2(original, copy)
    appraise(campaign, copy, "so-noi-vu", {"1.1.2": (1, "Thiếu tài liệu")})  # continued in the copy
    stamp = original.stat().st_mtime + 600
    os.utime(copy, (stamp, stamp))
    found = collect_for(merge_returns(campaign, full_returns_copy), books)
    [superseded] = [p for p in found.problems if p.slug.startswith("appraisal-copy")]
    assert superseded.slug == "appraisal-copy-superseded" and not superseded.is_error
    assert found.ok and found.items[(PROVINCE_SCOPE, "1.1.1")].score == Decimal(0)


def test_trust_cli_prints_the_version_decision_of_appraisal_workbooks(
    campaign: Campaign, full_returns_copy: Path, books: Path, tmp_path: Path
) -> None:
    original = _book(books, "so-noi-vu")
    appraise(campaign, original, "so-noi-vu", {"1.1.1": (0, "")})
    copy = original.with_name(original.stem + " - Copy.xlsx")
    shutil.copy2(original, copy)
    appraise(campaign, copy, "so-noi-vu", {"1.1.1": (0.5, "")})
    stamp = original.stat().st_mtime + 600
    os.utime(copy, (stamp, stamp))
    out = str(tmp_path / "tong-hop.xlsx")
    done = _parcli("merge", str(full_returns_copy), "-c", str(campaign.path), "--appraisals", str(books), "-o", out)
    assert done.returncode == 1, done.stderr
    assert f"Phiếu thẩm định lần 1 Sở Nội vụ: dùng {copy.name}" in done.stderr
    assert f"không dùng: {original.name}" in done.stderr
    assert "appraisal-copy-set-aside" in done.stdout


# --- 2. appraisals that match nothing are errors and never count ------------------------------------


def test_trust_appraisals_of_a_return_removed_are_orphaned_not_stale(
    campaign: Campaign, full_returns_copy: Path, books: Path, tmp_path: Path
) -> None:
    cells = appraise(
        campaign, _book(books, "so-noi-vu"), "so-noi-vu", {"1.1.1": (0, "Ban hành chậm"), "1.1.2": (1, "")}
    )
    for old in full_returns_copy.glob("*so-noi-vu*"):
        old.unlink()
    out = tmp_path / "tong-hop.xlsx"
    merged = merge(MergeRequest(full_returns_copy, out, campaign.path, appraisals=books))
    assert merged.appraisals is not None
    problems = merged.appraisals.problems
    assert not [p for p in problems if p.slug == "appraisal-stale"]  # "changed after appraisal" would be false
    orphans = {p.item: p for p in problems if p.slug == "appraisal-orphaned"}
    assert set(orphans) == {"1.1.1", "1.1.2"} and all(p.is_error for p in orphans.values())
    assert {p.cell for p in orphans.values()} == set(cells.values())
    assert (PROVINCE_SCOPE, "1.1.1") not in merged.appraisals.scores()
    assert merged.carried == 0 and not merged.ok
    rows = load_consolidated(out).items(PROVINCE_SCOPE)
    assert rows["1.1.1"].appraised is None and rows["1.1.2"].appraised is None  # nothing counted in the report


def test_trust_year_end_appraisals_are_refused_in_the_preliminary_round(
    campaign: Campaign, full_returns_copy: Path, books: Path
) -> None:
    appraise(campaign, _book(books, "so-noi-vu"), "so-noi-vu", {"1.1.1": (0, "Ban hành chậm")})
    preliminary = merge_returns(campaign.at_round("so-bo-9-thang"), full_returns_copy)
    found = collect_for(preliminary, books)
    wrong = [p for p in found.problems if p.slug == "wrong-round"]
    assert {p.file for p in wrong} == {p.name for p in books.glob("*.xlsx")}
    assert all("Đề nghị" in p.message and "Tự đánh giá cả năm 2023" in p.message for p in wrong)
    assert found.scores() == {} and not found.ok
    assert collect_for(merge_returns(campaign, full_returns_copy), books).ok  # and counted in their own round


def test_trust_appraisal_workbook_of_an_earlier_parcli_is_taken_as_the_last_rounds(
    campaign: Campaign, full_returns_copy: Path, books: Path
) -> None:
    path = _book(books, "so-noi-vu")
    appraise(campaign, path, "so-noi-vu", {"1.1.1": (0, "")})
    meta_rows = {key: r for r, key in enumerate(layout.META_KEYS, start=1)}
    set_cells(  # an earlier parcli wrote neither the campaign's round nor its year
        path,
        layout.SHEET_META,
        {f"A{meta_rows[k]}": None for k in ("campaign_round", "campaign_round_title", "campaign_year")},
    )
    last = collect_for(merge_returns(campaign, full_returns_copy), books)
    assert last.ok and last.items[(PROVINCE_SCOPE, "1.1.1")].score == Decimal(0)
    preliminary = collect_for(merge_returns(campaign.at_round("so-bo-9-thang"), full_returns_copy), books)
    [legacy] = [p for p in preliminary.problems if p.file == path.name]
    assert legacy.slug == "wrong-round" and "phiên bản parcli trước" in legacy.message


# --- 3. a score on an item returned as not applicable is refused by cell --------------------------


def test_trust_score_on_a_not_applicable_item_is_refused_by_cell(
    campaign: Campaign, make_return: Callable[..., Path], tmp_path: Path
) -> None:
    folder = tmp_path / "returns"
    for dept in campaign.departments:
        overrides = {"2.3.2": {"score": "Không áp dụng", "explanation": "Trong năm không phát sinh"}}
        make_return(dept.id, folder, overrides=overrides if dept.id == "so-tu-phap" else None)
    merged = merge_returns(campaign, folder)
    assert merged.returned_rows()[PROVINCE_SCOPE]["2.3.2"].not_applicable
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merged.returned_rows(), books)
    cells = appraise(campaign, _book(books, "so-tu-phap"), "so-tu-phap", {"2.3.2": (0, "Có phát sinh, chưa xử lý")})
    found = collect_for(merged, books)
    [refused] = [p for p in found.problems if p.slug == "appraisal-not-applicable"]
    assert (refused.cell, refused.item, refused.is_error) == (cells["2.3.2"], "2.3.2", True)
    assert "Không áp dụng" in refused.message and "đề nghị" in refused.message.casefold()
    assert found.scores().get((PROVINCE_SCOPE, "2.3.2"), (None, ""))[0] is None
    appraise(
        campaign, _book(books, "so-tu-phap"), "so-tu-phap", {"2.3.2": (None, "Đồng ý không áp dụng")}
    )  # a note alone is kept
    kept = collect_for(merged, books)
    assert kept.ok and kept.scores()[(PROVINCE_SCOPE, "2.3.2")] == (None, "Đồng ý không áp dụng")


# --- 12. error values and NaN in a score cell are errors by cell ---------------------------------------


@pytest.mark.parametrize("typed", [Error("#N/A"), Error("#DIV/0!"), Raw("NaN"), Raw("INF"), Raw("-INF"), Raw("1e999")])
def test_trust_error_values_and_nan_in_an_appraised_score_are_errors_by_cell(
    campaign: Campaign, full_returns_copy: Path, books: Path, typed: str
) -> None:
    path = _book(books, "so-noi-vu")
    cells = appraise(campaign, path, "so-noi-vu", {"1.1.1": (typed, ""), "1.1.2": (1, "")})
    found = collect_for(merge_returns(campaign, full_returns_copy), books)
    [bad] = [p for p in found.problems if p.file == path.name]
    assert (bad.slug, bad.cell, bad.item) == ("appraisal-not-a-number", cells["1.1.1"], "1.1.1")
    assert "Đề nghị" in bad.message
    assert found.items[(PROVINCE_SCOPE, "1.1.2")].score == Decimal(1)  # the rest of the workbook is read


@pytest.mark.parametrize("typed", [Error("#N/A"), Raw("NaN")])
def test_trust_error_values_and_nan_in_a_return_score_are_errors_by_cell(
    campaign: Campaign, full_returns_copy: Path, typed: str
) -> None:
    from parcli.rounds.scoring.read import read_return

    path = next(full_returns_copy.glob("*so-noi-vu*"))
    result = read_return(path, campaign)
    cell = f"D{result.items['1.1.1'].row}"
    set_cells(path, "Chấm điểm", {cell: typed})
    again = read_return(path, campaign)
    [bad] = [p for p in again.problems if p.item == "1.1.1"]
    assert (bad.slug, bad.cell) == ("not-a-number", cell) and again.usable


# --- 13. merge --json holds the appraisal problems the terminal shows ----------------------------------


def test_trust_merge_json_holds_the_appraisal_problems_the_terminal_shows(
    campaign: Campaign, make_return: Callable[..., Path], full_returns_copy: Path, tmp_path: Path
) -> None:
    merged = merge_returns(campaign, full_returns_copy)
    books = tmp_path / "td"
    issue_appraisals(campaign, merged.returned_rows(), books, by="department")
    issue_appraisals(campaign, merged.returned_rows(), books, by="field")
    appraise(campaign, _book(books, "so-noi-vu"), "so-noi-vu", {"1.1.1": (0, ""), "1.1.2": (1, "")})
    appraise(campaign, _book(books, "so-tu-phap"), "so-tu-phap", {"2.1.1": (0, "")})
    field1 = books / "tham-dinh-lan1-linh-vuc-1.xlsx"
    table = layout.table(units=False, round_=1)
    set_cells(field1, layout.SHEET_APPRAISAL, {f"{column_letter(table.position('appraised'))}5": 0.5})  # 1.1.1
    for old in full_returns_copy.glob("*so-tu-phap*"):  # orphans its appraisal
        old.unlink()
    for old in full_returns_copy.glob("*so-noi-vu*"):  # 1.1.2 changes after it was appraised: stale
        old.unlink()
    make_return("so-noi-vu", full_returns_copy, overrides={"1.1.2": {"evidence": "Quyết định số 99/QĐ-UBND"}})
    target = tmp_path / "merge.json"
    out = str(tmp_path / "th.xlsx")
    done = _parcli(
        "merge",
        str(full_returns_copy),
        "-c",
        str(campaign.path),
        "--appraisals",
        str(books),
        "-o",
        out,
        "--json",
        str(target),
    )
    assert done.returncode == 1, done.stderr
    document = json.loads(target.read_text(encoding="utf-8"))
    slugs = {p["code"] for p in document["appraisal_problems"]}
    assert {"appraisal-stale", "appraisal-conflict", "appraisal-orphaned"} <= slugs
    for code in slugs:  # the terminal's table shows the same problems
        assert done.stdout.count(code) == sum(p["code"] == code for p in document["appraisal_problems"]), code
    library = merge(MergeRequest(full_returns_copy, tmp_path / "th2.xlsx", campaign.path, appraisals=books))
    assert library.document is not None
    assert document["appraisal_problems"] == library.document["appraisal_problems"]
