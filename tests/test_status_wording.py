"""Status wording: an on-time first copy and a late corrected copy are both reported."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.results.consolidated import read_consolidated
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remind import write_reminders
from parcli.results.report import render_text
from parcli.results.status import status_rows
from parcli.rounds.scoring import layout
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.documents import read_docx
from tests.helpers.factory import MakeReturn
from tests.helpers.reports import report_of

runner = CliRunner()


def returns_status(campaign: Campaign, folder: Path, *, today: date) -> tuple[Any, list[Any]]:
    """The returns of ``folder`` merged, and their status rows on ``today``."""
    result = merge_returns(campaign, folder)
    return result, status_rows(result, today)


def test_on_time_first_copy_and_late_correction(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    folder = tmp_path / "returns"
    code = campaign.department_by_id["so-tu-phap"].items[0].code
    make_return("so-tu-phap", folder, overrides={code: {"score": 99}}, name="stp-lan-1.xlsx", sent=date(2024, 1, 13))
    make_return("so-tu-phap", folder, name="stp-ban-sua.xlsx", sent=date(2024, 1, 17))
    _, rows = returns_status(campaign, folder, today=date(2024, 1, 20))
    row = next(r for r in rows if r.department.id == "so-tu-phap")
    assert (row.status, row.used, row.timing) == ("ok", "stp-ban-sua.xlsx", "late")
    assert (row.first_received, row.first_on_time) == (date(2024, 1, 13), True)
    assert row.timing_note == "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"
    other = next(r for r in rows if r.department.id == "so-noi-vu")
    assert other.timing_note is None and other.first_received is None

    out = tmp_path / "status.json"
    result = runner.invoke(app, ["status", str(folder), "--today", "2024-01-20", "--json", str(out)])
    assert "Nộp đúng" in result.output and "bản sửa" in result.output, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    stp = next(d for d in data["departments"] if d["id"] == "so-tu-phap")
    assert stp["first_received"] == "2024-01-13" and stp["first_on_time"] is True
    assert stp["timing_note"] == "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"


# --- the same wording in every document ---------------------------------------------------------------------

NOTE = "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"


def _resubmitted(campaign: Campaign, make_return: MakeReturn, folder: Path, *, corrected: bool) -> str:
    """Sở Tư pháp returns on time with an error (13/01), then a late copy (17/01), correct or not."""
    code = campaign.department_by_id["so-tu-phap"].items[0].code
    make_return("so-tu-phap", folder, overrides={code: {"score": 99}}, name="stp-lan-1.xlsx", sent=date(2024, 1, 13))
    late = {} if corrected else {code: {"score": 99}}
    make_return("so-tu-phap", folder, overrides=late, name="stp-ban-sua.xlsx", sent=date(2024, 1, 17))
    return code


def test_consolidated_sheet_and_report_show_both_facts(
    campaign: Campaign, make_return: MakeReturn, tmp_path: Path
) -> None:
    folder = tmp_path / "returns"
    for dept in campaign.departments:
        if dept.id != "so-tu-phap":
            make_return(dept.id, folder, sent=date(2024, 1, 10))
    _resubmitted(campaign, make_return, folder, corrected=True)
    result = merge_returns(campaign, folder)
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(result, out)

    ws = load_workbook(out, read_only=True)[layout.SHEET_DEPARTMENTS]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = rows[0]
    stp = next(r for r in rows if r[header.index(layout.HEADER_DEPT_ID)] == "so-tu-phap")
    assert stp[header.index(layout.HEADER_TIMING)] == NOTE
    assert stp[header.index(layout.HEADER_FIRST_SENT)].date() == date(2024, 1, 13)
    on_time = next(r for r in rows if r[header.index(layout.HEADER_DEPT_ID)] == "so-noi-vu")
    assert on_time[header.index(layout.HEADER_TIMING)] == "Đúng hạn"
    assert on_time[header.index(layout.HEADER_FIRST_SENT)] is None

    data = read_consolidated(out)
    assert (data.departments["so-tu-phap"].first_sent, data.departments["so-tu-phap"].timing) == (
        date(2024, 1, 13),
        NOTE,
    )
    assert data.departments["so-noi-vu"].first_sent is None

    # the report's department table words it as `status` does
    report = report_of(campaign, out, today=date(2024, 1, 20))
    stp_row = next(d for d in report.context["departments"] if d["id"] == "so-tu-phap")
    assert stp_row["status_label"] == "Hợp lệ, nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"
    markdown = render_text(report, "md")
    assert "| Sở Tư pháp |" in markdown and "Hợp lệ, nộp đúng hạn 13/01/2024; bản sửa 17/01/2024" in markdown
    assert "Hợp lệ, muộn" not in markdown
    assert "Hợp lệ, đúng hạn" in markdown  # the others, sent once on 10/01


def test_reminders_tell_dates_not_a_wrong_on_time(campaign: Campaign, make_return: MakeReturn, tmp_path: Path) -> None:
    # on time with errors, not corrected: the date, never "đúng hạn"
    once = tmp_path / "once"
    code = campaign.department_by_id["so-tu-phap"].items[0].code
    make_return("so-tu-phap", once, overrides={code: {"score": 99}}, name="stp.xlsx", sent=date(2024, 1, 13))
    reminders, _ = write_reminders(merge_returns(campaign, once), tmp_path / "a", today=date(2024, 1, 16))
    letter = next(r for r in reminders if r.department_id == "so-tu-phap").text_path.read_text(encoding="utf-8")
    assert "phiếu tự đánh giá Quý cơ quan gửi ngày 13/01/2024. Qua kiểm tra, phiếu chưa đúng quy định" in letter
    assert "đúng hạn" not in letter

    # on time with errors, then a late copy still with errors: both dates, the late one not called on time
    twice = tmp_path / "twice"
    _resubmitted(campaign, make_return, twice, corrected=False)
    reminders, _ = write_reminders(merge_returns(campaign, twice), tmp_path / "b", today=date(2024, 1, 18))
    letter = next(r for r in reminders if r.department_id == "so-tu-phap").text_path.read_text(encoding="utf-8")
    assert "gửi ngày 13/01/2024 và bản sửa gửi ngày 17/01/2024. Qua kiểm tra, bản sửa vẫn chưa đúng quy định" in letter
    assert "đúng hạn" not in letter

    # a late correct copy after an on-time first one: no letter, and the list tells both facts
    fixed = tmp_path / "fixed"
    _resubmitted(campaign, make_return, fixed, corrected=True)
    reminders, listing = write_reminders(merge_returns(campaign, fixed), tmp_path / "c", today=date(2024, 1, 18))
    assert "so-tu-phap" not in [r.department_id for r in reminders]
    assert "Sở Tư pháp (Phụ lục III, nộp đúng hạn 13/01/2024; bản sửa 17/01/2024)" in read_docx(listing).text
