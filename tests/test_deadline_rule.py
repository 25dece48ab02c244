"""Dates as the plan writes them: the deadline rule, returns without a send date, one count of late returns.

A 2026 campaign started with ``parcli init`` (departments only); the departments' returns are typed here.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli import clock
from parcli.cli import app
from parcli.config.campaign import Campaign, load_campaign
from parcli.config.deadlines import deadline_words, last_day, on_time
from parcli.config.review import campaign_warnings
from parcli.rounds.scoring import layout
from tests.helpers.documents import read_docx

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
DEADLINE = date(2027, 1, 15)  # the year-end round's returns deadline init proposes for 2026


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 2026 campaign (departments only) and its issued forms in ``phieu/``."""
    monkeypatch.setenv(clock.ENV_VAR, str(int(datetime(2026, 12, 1, tzinfo=UTC).timestamp())))
    made = runner.invoke(app, ["init", str(tmp_path / "p"), "-p", "Hưng Yên", "-y", "2026"])
    assert made.exit_code == 0, made.output
    return tmp_path / "p" / "campaign.yaml"


def _set_rule(plan: Path, words: str) -> None:
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('deadline_rule: "trước ngày"', f'deadline_rule: "{words}"'), encoding="utf-8")


def _issue(plan: Path, out: Path) -> dict[str, Path]:
    result = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    camp = load_campaign(plan)
    return {d.id: out / f"{d.file_stem}.xlsx" for d in camp.departments}


def _fill(camp: Campaign, dept_id: str, src: Path, dst: Path, *, sent: date | None, wrong: bool = False) -> None:
    """Type full marks, an explanation and evidence for every item; ``wrong``: the first score above its maximum."""
    wb = load_workbook(src)
    ws = wb[layout.SHEET_SCORES]
    rows = {str(ws.cell(row=r, column=layout.COL_CODE).value): r for r in range(1, ws.max_row + 1)}
    for i, leaf in enumerate(camp.department_by_id[dept_id].items):
        row = rows[leaf.code]
        score = leaf.max_points + (10 if wrong and i == 0 else 0)
        ws.cell(row=row, column=layout.COL_SCORE).value = float(score) if score % 1 else int(score)
        ws.cell(row=row, column=layout.COL_EXPLANATION).value = f"Đã hoàn thành mục {leaf.code} theo kế hoạch."
        ws.cell(row=row, column=layout.COL_EVIDENCE).value = f"Báo cáo số {100 + i}/BC-SNV ngày 15/12/2026"
    if sent is not None:
        cover = wb[layout.SHEET_COVER]
        for r in range(1, cover.max_row + 1):
            if cover.cell(row=r, column=1).value == layout.COVER_SENT:
                cover.cell(row=r, column=2).value = datetime.combine(sent, time())
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)


def _file_dated(path: Path, day: date) -> None:
    stamp = datetime.combine(day, time(12, 0)).timestamp()
    os.utime(path, (stamp, stamp))


def test_the_rule_in_words() -> None:
    assert deadline_words(DEADLINE) == "trước ngày 15/01/2027"
    assert deadline_words(DEADLINE, "đến hết ngày") == "đến hết ngày 15/01/2027"
    assert last_day(DEADLINE) == date(2027, 1, 14) and last_day(DEADLINE, "đến hết ngày") == DEADLINE
    assert not on_time(DEADLINE, DEADLINE) and on_time(DEADLINE, DEADLINE, "đến hết ngày")


def test_one_count_of_late_returns_everywhere(project: Path, tmp_path: Path) -> None:
    """On time, late, on time then a late correction, and no send date: every output counts one late return."""
    camp = load_campaign(project)
    forms = _issue(project, tmp_path / "phieu")
    returns = tmp_path / "gui-ve"
    for dept in camp.departments:
        if dept.id not in ("so-tu-phap", "van-phong-ubnd", "so-y-te"):
            _fill(camp, dept.id, forms[dept.id], returns / forms[dept.id].name, sent=date(2027, 1, 12))
    _fill(camp, "so-tu-phap", forms["so-tu-phap"], returns / "stp.xlsx", sent=date(2027, 1, 16))  # late
    _fill(camp, "van-phong-ubnd", forms["van-phong-ubnd"], returns / "vp.xlsx", sent=date(2027, 1, 13), wrong=True)
    _fill(camp, "van-phong-ubnd", forms["van-phong-ubnd"], returns / "vp-sua.xlsx", sent=date(2027, 1, 17))
    _fill(camp, "so-y-te", forms["so-y-te"], returns / "yte.xlsx", sent=None)  # no Ngày gửi written
    _file_dated(returns / "yte.xlsx", date(2027, 1, 20))  # a file date after the deadline: never judged

    status = runner.invoke(app, ["status", str(returns), "-c", str(project), "--today", "2027-01-21"])
    assert status.exit_code == 0, status.output
    said = " ".join(status.output.split())
    assert "hạn gửi: trước ngày 15/01/2027" in said
    assert "gửi muộn 1 / 12 cơ quan." in said
    assert "Gửi đúng hạn, bản sửa gửi sau hạn: 1." in said and "Chưa ghi ngày gửi trên phiếu: 1." in said
    rows = [line for line in status.stdout.splitlines() if "Sở " in line or "Văn phòng" in line or "Thanh tra" in line]
    assert sum("Muộn" in line for line in rows) == 1
    assert "Chưa ghi ngày gửi (tệp lưu ngày 20/01/2027)" in next(line for line in rows if "Sở Y tế" in line)
    assert "Nộp đúng hạn 13/01/2027; bản sửa 17/01/2027" in next(line for line in rows if "Văn phòng" in line)

    merged = tmp_path / "tong-hop.xlsx"
    assert runner.invoke(app, ["merge", str(returns), "-c", str(project), "-o", str(merged)]).exit_code == 0
    report = tmp_path / "bao-cao.md"
    made = runner.invoke(app, ["report", str(merged), "-c", str(project), "-o", str(report)])
    assert made.exit_code == 0, made.output
    text = report.read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if re.match(r"^\| [IVX]+ \|", line)]
    assert len(table) == 12 and sum(line.count("muộn") for line in table) == 1
    assert "Hạn gửi theo Kế hoạch: trước ngày 15/01/2027." in text
    assert "chưa ghi ngày gửi (tệp lưu ngày 20/01/2027)" in next(line for line in table if "Sở Y tế" in line)

    letters = tmp_path / "nhac-nho"
    reminded = runner.invoke(
        app, ["remind", str(returns), "-c", str(project), "-o", str(letters), "--today", "2027-01-21"]
    )
    assert reminded.exit_code == 0, reminded.output
    listing = read_docx(letters / "danh-sach-chua-hoan-thanh.docx").text
    assert "hạn gửi theo Kế hoạch: trước ngày 15/01/2027" in listing
    assert "Cơ quan gửi phiếu hợp lệ sau hạn (1): Sở Tư pháp (Phụ lục III, ngày 16/01/2027)." in listing
    assert "bản sửa hợp lệ gửi sau hạn (1): Văn phòng UBND tỉnh (Phụ lục II, nộp đúng hạn 13/01/2027" in listing
    assert "chưa xác định được đúng hạn hay muộn (1): Sở Y tế (Phụ lục VIII, tệp lưu ngày 20/01/2027)" in listing


def test_until_the_end_of_the_day(project: Path, tmp_path: Path) -> None:
    """A plan that writes “đến hết ngày”: the deadline day is on time, and every document says so in those words."""
    _set_rule(project, "den het ngay")  # typed without tone marks: still read
    camp = load_campaign(project)
    assert camp.deadline_rule == "đến hết ngày"
    forms = _issue(project, tmp_path / "phieu")
    cover = [
        c for row in load_workbook(forms["so-noi-vu"])[layout.SHEET_COVER].iter_rows(values_only=True) for c in row
    ]
    assert "Đến hết ngày 15/01/2027 (gửi về Sở Nội vụ tỉnh Hưng Yên)" in cover
    returns = tmp_path / "gui-ve"
    _fill(camp, "so-tu-phap", forms["so-tu-phap"], returns / "stp.xlsx", sent=DEADLINE)
    status = runner.invoke(app, ["status", str(returns), "-c", str(project), "--today", "2027-01-15", "--verbose"])
    said = " ".join(status.output.split())
    assert "hạn gửi: đến hết ngày 15/01/2027 (hôm nay là ngày cuối" in said
    line = next(row for row in status.stdout.splitlines() if "Sở Tư pháp" in row)
    assert "Đúng hạn" in line and "Muộn" not in line
    letters = tmp_path / "nhac-nho"
    runner.invoke(app, ["remind", str(returns), "-c", str(project), "-o", str(letters), "--today", "2027-01-10"])
    letter = (letters / "nhac-nho-PL01-so-noi-vu.txt").read_text(encoding="utf-8")
    assert letter.count("đến hết ngày 15/01/2027") == 2 and "trước ngày" not in letter


def test_a_rule_the_plan_does_not_use_is_refused(project: Path, tmp_path: Path) -> None:
    _set_rule(project, "chậm nhất ngày")
    result = runner.invoke(app, ["generate", "-c", str(project), "-o", str(tmp_path / "o")])
    assert result.exit_code == 3
    assert "deadline_rule" in result.output and "trước ngày" in result.output and "đến hết ngày" in result.output


def test_another_year_left_in_the_plan_is_warned(tmp_path: Path) -> None:
    """The year changed, the rest left as in 2023: generate warns, naming what disagrees."""
    copy = runner.invoke(app, ["init", str(tmp_path / "p"), "--example"])
    assert copy.exit_code == 0, copy.output
    plan = tmp_path / "p" / "campaign.yaml"
    text = plan.read_text(encoding="utf-8").replace("year: 2023", "year: 2025").replace("Chỉ số CCHC tỉnh", "CCHC tỉnh")
    plan.write_text(text, encoding="utf-8")
    warned = campaign_warnings(load_campaign(plan))
    joined = " ".join(warned)
    assert "bộ tiêu chí par-province-2023.yaml ghi năm 2023, kế hoạch là năm 2025" in joined
    assert "892/QĐ-BNV ngày 05/12/2024" in joined  # 876 was followed by a decision issued before 2025 ended
    assert "đợt so-bo-9-thang: tên đợt “Đánh giá sơ bộ 9 tháng đầu năm 2023 (ví dụ)” nói năm 2023" in joined
    assert "đợt ca-nam: returns 15/01/2024" in joined and "evidence.period" in joined
    assert "trường title nói năm 2023" in joined
    result = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "o")])
    # a real campaign still holding sample values: every field named in one message
    assert result.exit_code == 3
    said = " ".join(result.output.split())
    assert "Còn 10 trường là thông tin mẫu" in said  # the example's contact, divisions and team (“ví dụ”) too
    assert "organiser.contact trong campaign.yaml" in said and "assignment_note trong campaign.yaml" in said
    assert "documents.contact.phone trong campaign.yaml" in said


def test_the_bundled_example_has_nothing_to_warn() -> None:
    from parcli.config.campaign import default_campaign_path

    assert campaign_warnings(load_campaign(default_campaign_path())) == []
    units = default_campaign_path().parent.parent / "hung-yen-units-2023" / "campaign.yaml"
    assert campaign_warnings(load_campaign(units)) == []


def test_scores_keep_their_meaning(project: Path) -> None:
    """The 2026 copy of the catalogue keeps the 2023 points: only its year, names and header change."""
    camp = load_campaign(project)
    assert camp.catalogue.model.total_points == Decimal(100) and camp.catalogue.model.self_points == Decimal(68)


def test_an_undated_first_copy_does_not_make_a_late_correction_on_time(project: Path, tmp_path: Path) -> None:
    """The first copy had no Ngày gửi (its file is dated before the deadline); the correction is dated after it:
    late, never “nộp đúng hạn” on the strength of a file's date."""
    camp = load_campaign(project)
    forms = _issue(project, tmp_path / "phieu")
    returns = tmp_path / "gui-ve"
    _fill(camp, "so-tu-phap", forms["so-tu-phap"], returns / "stp.xlsx", sent=None, wrong=True)
    _file_dated(returns / "stp.xlsx", date(2027, 1, 10))
    _fill(camp, "so-tu-phap", forms["so-tu-phap"], returns / "stp-sua.xlsx", sent=date(2027, 1, 18))
    _file_dated(returns / "stp-sua.xlsx", date(2027, 1, 18))  # saved later: the copy used (the version rule)
    status = runner.invoke(app, ["status", str(returns), "-c", str(project), "--today", "2027-01-19"])
    line = next(row for row in status.stdout.splitlines() if "Sở Tư pháp" in row)
    assert "Muộn" in line and "đúng hạn" not in line
    assert "gửi muộn 1 / 12 cơ quan." in " ".join(status.output.split())
