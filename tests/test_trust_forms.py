"""Forms are identified by campaign, year, round and catalogue; typed forms are issued whole; remedy rows are read.

Failure classes of the issue "Nothing typed is lost, nothing is counted that should not be": a set
of appraisal or remedy workbooks written by halves, or a fresh blank copy issued beside a typed one
renamed (1, 11); round 2 issued without round 1 (8); rows added to a remedy plan (7); forms of last
year accepted by a plan copied for a new year, and a report's preliminary round not checked (8).
Workbooks are typed at the XML level with the standard library.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from parcli.config.campaign import PROVINCE_SCOPE, Campaign, load_campaign
from parcli.errors import OutputError, UsageError
from parcli.jobs.appraise import IssueRequest
from parcli.jobs.appraise import issue as issue_job
from parcli.jobs.report import ReportRequest, report
from parcli.results.consolidated import consolidated_for, load_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remedy import lost_items
from parcli.rounds.appraisal.issue import issue_appraisals
from parcli.rounds.appraisal.read import read_appraisal
from parcli.rounds.remedy import layout as remedy_layout
from parcli.rounds.remedy.issue import issue_remedies
from parcli.rounds.remedy.merge import collect_remedies
from parcli.rounds.remedy.read import read_remedy
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import read_return
from tests.helpers.sheetxml import set_cells


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def _plan(campaign: Campaign, full_returns_copy: Path, tmp_path: Path) -> tuple[Campaign, Any]:
    """The campaign and the consolidated data of the returns (items lost points: remedy plans to issue)."""
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(merge_returns(campaign, full_returns_copy), out)
    return campaign, consolidated_for(campaign, load_consolidated(out))


def _copy_campaign(campaign: Campaign, tmp_path: Path, *edits: tuple[str, str]) -> Campaign:
    """The bundled plan copied beside a copy of its catalogue, with text ``edits`` (old, new) applied."""
    folder = tmp_path / "ke-hoach"
    shutil.copytree(campaign.path.parent, folder)
    shutil.copy2(campaign.catalogue.path, folder / "bo-tieu-chi.yaml")
    text = (folder / "campaign.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^catalogue: .*$", "catalogue: bo-tieu-chi.yaml", text)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (folder / "campaign.yaml").write_text(text, encoding="utf-8")
    return load_campaign(folder / "campaign.yaml")


# --- 8. one identity: campaign id and year, round, catalogue -------------------------------------------


def test_trust_last_years_forms_are_refused_by_a_plan_copied_for_a_new_year(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns_copy).returned_rows(), books)
    camp, data = _plan(campaign, full_returns_copy, tmp_path)
    plans = issue_remedies(camp, lost_items(camp, data), tmp_path / "khac-phuc")
    next_year = _copy_campaign(campaign, tmp_path, ("year: 2023", "year: 2024"))
    assert next_year.id == campaign.id
    for problems in (
        read_return(next(full_returns_copy.glob("*so-noi-vu*")), next_year).problems,
        read_appraisal(next(books.glob("*so-noi-vu*")), next_year).problems,
        read_remedy(plans.workbooks[0].path, next_year).problems,
    ):
        [problem] = problems
        assert problem.slug == "wrong-campaign" and "năm 2023" in problem.message and "Đề nghị" in problem.message


def test_trust_an_edit_of_the_plan_keeps_every_form_received(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns_copy).returned_rows(), books)
    edited = _copy_campaign(
        campaign, tmp_path, ("returns: 2024-01-15", "returns: 2024-01-17"), ("(thông tin liên hệ mẫu", "(liên hệ mẫu")
    )
    assert edited.content_hash != campaign.content_hash
    assert read_return(next(full_returns_copy.glob("*so-noi-vu*")), edited).problems == []
    assert read_appraisal(next(books.glob("*so-noi-vu*")), edited).problems == []


def test_trust_a_return_of_an_earlier_parcli_without_a_year(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    path = next(full_returns_copy.glob("*so-noi-vu*"))
    set_cells(path, "parcli", {"A15": None})  # "campaign_year": an earlier parcli wrote none
    assert read_return(path, campaign).problems == []  # the plan is as it was issued from
    edited = _copy_campaign(campaign, tmp_path, ("returns: 2024-01-15", "returns: 2024-01-17"))
    read = read_return(path, edited)
    [warning] = read.problems
    assert warning.slug == "year-unverified" and not warning.is_error and read.usable


def test_trust_appraisal_workbooks_are_checked_against_the_catalogue(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, merge_returns(campaign, full_returns_copy).returned_rows(), books)
    changed = _copy_campaign(campaign, tmp_path)
    catalogue = changed.catalogue.path
    text = catalogue.read_text(encoding="utf-8")
    title = changed.catalogue.leaf_by_code["1.1.1"].title
    catalogue.write_text(text.replace(title, title + " (sửa)", 1), encoding="utf-8")
    [problem] = read_appraisal(next(books.glob("*so-noi-vu*")), load_campaign(changed.path)).problems
    assert problem.slug == "wrong-catalogue-version"


def _two_rounds(campaign: Campaign, full_returns_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A year-end consolidated workbook, and one merged at the preliminary round (its own round recorded)."""
    year_end, preliminary = tmp_path / "ca-nam.xlsx", tmp_path / "so-bo.xlsx"
    write_consolidated(merge_returns(campaign, full_returns_copy), year_end)
    write_consolidated(merge_returns(campaign.at_round("so-bo-9-thang"), full_returns_copy), preliminary)
    return year_end, preliminary


def test_trust_report_refuses_a_preliminary_of_the_same_or_a_later_round(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    year_end, preliminary = _two_rounds(campaign, full_returns_copy, tmp_path)
    out = tmp_path / "bao-cao.md"
    with pytest.raises(UsageError, match="cùng đợt"):
        report(ReportRequest(consolidated=year_end, campaign=campaign.path, out=out, preliminary=year_end))
    with pytest.raises(UsageError, match="đảo chỗ"):
        report(ReportRequest(consolidated=preliminary, campaign=campaign.path, out=out, preliminary=year_end))
    assert not out.exists()
    done = report(ReportRequest(consolidated=year_end, campaign=campaign.path, out=out, preliminary=preliminary))
    assert done.report is not None and out.is_file()


# --- 1 and 11: typed forms are issued whole, never beside one of the same owner -------------------------


def test_trust_appraisal_issue_refuses_a_workbook_of_the_same_owner_under_any_name(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    rows = merge_returns(campaign, full_returns_copy).returned_rows()
    books = tmp_path / "tham-dinh"
    issue_appraisals(campaign, rows, books)
    typed = next(books.glob("*so-noi-vu*"))
    typed.rename(books / "so-noi-vu - anh Nam da cham.xlsx")
    before = _files(books)
    with pytest.raises(UsageError, match=re.escape("so-noi-vu - anh Nam da cham.xlsx")) as refused:
        issue_appraisals(campaign, rows, books)
    assert "không bị ghi đè" in str(refused.value) and "Đề nghị" in str(refused.value)
    assert _files(books) == before
    issue_appraisals(campaign, rows, books, by="field")  # another cut: other owners, issued beside
    issue_appraisals(campaign, rows, books, round_=2)  # another round too


def test_trust_remedy_issue_refuses_a_plan_of_the_same_department_under_any_name(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    camp, data = _plan(campaign, full_returns_copy, tmp_path)
    lost = lost_items(camp, data)
    out = tmp_path / "khac-phuc"
    first = issue_remedies(camp, lost, out).workbooks[0].path
    first.rename(out / "ke-hoach-da-nhap.xlsx")
    before = _files(out)
    with pytest.raises(UsageError, match=re.escape("ke-hoach-da-nhap.xlsx")):
        issue_remedies(camp, lost, out)
    assert _files(out) == before


def _failing_at(monkeypatch: pytest.MonkeyPatch, call: int, error: BaseException) -> None:
    """The ``call``-th workbook written fails (a full disk, Ctrl-C); the others are written as usual."""
    import parcli.xlsx.write

    real = parcli.xlsx.write.atomic_path
    calls = 0

    @contextlib.contextmanager
    def atomic_path(target: Path, **kwargs: Any) -> Iterator[Path]:
        nonlocal calls
        calls += 1
        if calls == call:
            raise error
        with real(target, **kwargs) as tmp:
            yield tmp

    monkeypatch.setattr(parcli.xlsx.write, "atomic_path", atomic_path)


@pytest.mark.parametrize(
    ("call", "error"),
    [(9, OutputError("Không ghi được tệp: hết dung lượng đĩa.")), (2, KeyboardInterrupt())],
    ids=["full-disk", "ctrl-c"],
)
def test_trust_appraisal_workbooks_are_issued_all_or_none(
    campaign: Campaign,
    full_returns_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    call: int,
    error: BaseException,
) -> None:
    rows = merge_returns(campaign, full_returns_copy).returned_rows()
    books = tmp_path / "tham-dinh"
    with monkeypatch.context() as patched:
        _failing_at(patched, call, error)
        with pytest.raises(type(error)):
            issue_appraisals(campaign, rows, books)
    assert not books.exists() or not [p for p in books.rglob("*") if p.is_file()]
    assert len(issue_appraisals(campaign, rows, books).workbooks) == len(campaign.departments)  # the re-run


@pytest.mark.parametrize(
    ("call", "error"),
    [(5, OutputError("Không ghi được tệp: hết dung lượng đĩa.")), (2, KeyboardInterrupt())],
    ids=["full-disk", "ctrl-c"],
)
def test_trust_remedy_plans_are_issued_all_or_none(
    campaign: Campaign,
    full_returns_copy: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    call: int,
    error: BaseException,
) -> None:
    camp, data = _plan(campaign, full_returns_copy, tmp_path)
    lost = lost_items(camp, data)
    out = tmp_path / "khac-phuc"
    with monkeypatch.context() as patched:
        _failing_at(patched, call, error)
        with pytest.raises(type(error)):
            issue_remedies(camp, lost, out)
    assert not out.exists() or not [p for p in out.rglob("*") if p.is_file()]
    assert issue_remedies(camp, lost, out).workbooks


def test_trust_round_two_is_refused_without_round_one_workbooks(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    wrong = tmp_path / "thu-muc-khac"
    wrong.mkdir()
    out = tmp_path / "lan2"
    request = IssueRequest(full_returns_copy, out, campaign.path, round=2, appraisals=wrong)
    with pytest.raises(UsageError, match="lần 1") as refused:
        issue_job(request)
    assert str(wrong) in str(refused.value) and "--appraisals" in str(refused.value)
    assert not out.exists()


# --- 7. every row typed into a remedy plan is read, or refused by cell ----------------------------------


def test_trust_remedy_rows_added_are_read_or_refused_by_cell(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    camp, data = _plan(campaign, full_returns_copy, tmp_path)
    lost = [item for item in lost_items(camp, data) if item.owner.id == "so-noi-vu"]
    assert len(lost) >= 2
    out = tmp_path / "khac-phuc"
    path = issue_remedies(camp, lost, out).workbooks[0].path
    columns = {c.key: chr(64 + i) for i, c in enumerate(remedy_layout.table(units=False).columns, start=1)}
    first = remedy_layout.HEADER_ROW + 1
    last = first + len(lost) - 1

    def measure(row: int, remedy: str, deadline: str, progress: str) -> dict[str, object]:
        return {
            f"{columns['remedy']}{row}": remedy,
            f"{columns['deadline']}{row}": deadline,
            f"{columns['progress']}{row}": progress,
        }

    typed = {}
    for offset in range(len(lost)):
        typed |= measure(first + offset, f"Giải pháp {offset + 1}", "30/09/2023", remedy_layout.PROGRESS_DONE)
    typed |= measure(last + 1, "Bổ sung quy trình", "15/10/2023", remedy_layout.PROGRESS_IN_PROGRESS)  # inserted
    typed |= {f"{columns['code']}{last + 2}": lost[0].code} | measure(  # the first item's row copied
        last + 2, "Tập huấn lại", "20/09/2023", remedy_layout.PROGRESS_NOT_STARTED
    )
    typed |= {f"{columns['code']}{last + 3}": "9.9.9"} | measure(last + 3, "Không rõ", "01/10/2023", "")
    set_cells(path, remedy_layout.SHEET_REMEDY, typed)
    found = collect_remedies(camp, out, date(2023, 10, 5))
    entries = {i.entry.code: i for i in found.items}
    inserted, copied = entries[lost[-1].code], entries[lost[0].code]
    assert [m.row for m in inserted.entry.measures] == [last, last + 1]
    assert inserted.entry.remedy == f"Giải pháp {len(lost)}\nBổ sung quy trình"
    assert inserted.entry.deadline == date(2023, 10, 15) and not inserted.entry.done  # the latest; least advanced
    assert [m.row for m in copied.entry.measures] == [first, last + 2] and copied.overdue
    [overdue] = [p for p in found.problems if p.slug == "remedy-overdue"]
    assert overdue.cell == f"{columns['deadline']}{last + 2}"
    [unknown] = [p for p in found.problems if p.slug == "unknown-item"]
    assert unknown.cell == f"{columns['code']}{last + 3}" and "9.9.9" in unknown.message
    assert entries.keys() == {item.code for item in lost}
    assert found.as_dict()["items"][0]["measures"] == 2
    assert all(i.entry.scope == PROVINCE_SCOPE for i in found.items)


def test_trust_a_blank_code_row_is_refused_when_it_belongs_to_no_item(
    campaign: Campaign, full_returns_copy: Path, tmp_path: Path
) -> None:
    camp, data = _plan(campaign, full_returns_copy, tmp_path)
    lost = [item for item in lost_items(camp, data) if item.owner.id == "so-noi-vu"]
    out = tmp_path / "khac-phuc"
    path = issue_remedies(camp, lost, out).workbooks[0].path
    columns = {c.key: chr(64 + i) for i, c in enumerate(remedy_layout.table(units=False).columns, start=1)}
    below = remedy_layout.HEADER_ROW + len(lost) + 1
    set_cells(  # a row of another item typed, then one with no code under it
        path,
        remedy_layout.SHEET_REMEDY,
        {f"{columns['code']}{below}": "9.9.9", f"{columns['remedy']}{below + 1}": "Giải pháp chung"},
    )
    problems = read_remedy(path, camp).problems
    refused = {p.cell for p in problems if p.slug == "unknown-item"}
    assert refused == {f"{columns['remedy']}{below + 1}"}  # the coded row holds nothing typed: nothing lost
