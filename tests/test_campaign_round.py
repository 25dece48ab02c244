"""One chasing round, scripted (issue 5): status, feedback copies, reminders, versions, manifests.

The scenario, built once per module from the session's issued workbooks:

* 14 departments return valid workbooks on time (cover *Ngày gửi* 12/01/2024);
* Sở Tư pháp returns a valid workbook late (17/01/2024);
* Văn phòng UBND tỉnh returns on time but invalid: a score above the maximum and
  a lost-points item without explanation;
* Thanh tra tỉnh never returns.

The operator looks on 18/01/2024, three days after the deadline (15/01/2024).
Every test reads that folder or a copy of it; the folder's bytes never change.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from parcli import clock
from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.errors import UsageError
from parcli.results.feedback import write_feedback
from parcli.results.remind import message_under_item, write_reminders
from parcli.results.status import status_rows
from parcli.rounds.scoring.merge import MergeResult, VersionDecision, merge_returns
from parcli.rounds.scoring.read import read_return
from tests.helpers.documents import read_docx
from tests.helpers.factory import COL, FIXED_NOW, SCORES_SHEET, copy_tree_bytes, expected_values, fill_workbook
from tests.helpers.snapshot import assert_text_golden

DEADLINE = date(2024, 1, 15)
TODAY = date(2024, 1, 18)
ON_TIME = date(2024, 1, 12)
LATE = date(2024, 1, 17)

LATE_ID = "so-tu-phap"  # Phụ lục III
INVALID_ID = "van-phong-ubnd"  # Phụ lục II
MISSING_ID = "thanh-tra"  # Phụ lục XVII
# Văn phòng UBND tỉnh's mistakes (bundled catalogue): both items are choices 1/0.5/0
ABOVE_MAX = "1.5.1"  # typed 2
UNEXPLAINED = "3.1.1"  # typed 0.5, explanation left empty

COVER = "Hướng dẫn"
META = "parcli"
FEEDBACK = "Cần sửa"
RED = "FFC7CE"

# a wide terminal so rich never wraps a file name or a cell reference
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def returns_status(campaign: Any, folder: Path, *, today: date) -> tuple[Any, list[Any]]:
    """The returns of ``folder`` merged, and their status rows on ``today``."""
    from parcli.rounds.scoring.merge import merge_returns

    result = merge_returns(campaign, folder)
    return result, status_rows(result, today)


def invoke(*args: str | Path, now: datetime | None = None) -> Result:
    """Run the CLI; ``now`` fixes parcli's clock for this run (parcli.clock, SOURCE_DATE_EPOCH)."""
    env = {clock.ENV_VAR: str(int(now.timestamp()))} if now is not None else None
    return runner.invoke(app, [str(a) for a in args], env=env)


# --- the scenario -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Round:
    """The returns folder of the scenario and what each department typed."""

    folder: Path
    files: dict[str, str]  # department id → file name (the 16 that returned)
    values: dict[str, dict[str, dict[str, Any]]]  # department id → code → typed values
    sent: dict[str, date]

    def copy(self, dst: Path) -> Path:
        """A private copy of the returns folder (file times kept), for tests that change it."""
        return Path(shutil.copytree(self.folder, dst))


@pytest.fixture(scope="module")
def round_(campaign: Campaign, issued: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Round:
    folder = tmp_path_factory.mktemp("round") / "phieu-gui-ve"
    files: dict[str, str] = {}
    values: dict[str, dict[str, dict[str, Any]]] = {}
    sent: dict[str, date] = {}
    for dept in campaign.departments:
        if dept.id == MISSING_ID:
            continue
        typed = expected_values(dept)
        if dept.id == INVALID_ID:
            typed[ABOVE_MAX]["score"] = 2
            typed[UNEXPLAINED].update(score=0.5, explanation=None)
        sent[dept.id] = LATE if dept.id == LATE_ID else ON_TIME
        fill_workbook(issued[dept.id], folder / issued[dept.id].name, typed, sent=sent[dept.id])
        files[dept.id] = issued[dept.id].name
        values[dept.id] = typed
    return Round(folder, files, values, sent)


def test_scenario_is_what_the_test_thinks(campaign: Campaign, round_: Round) -> None:
    dept = campaign.department_by_id[INVALID_ID]
    maxima = {leaf.code: leaf.max_points for leaf in dept.items}
    assert maxima[ABOVE_MAX] == Decimal(1) and maxima[UNEXPLAINED] == Decimal(1)
    assert len(round_.files) == 16 and sorted(p.name for p in round_.folder.iterdir()) == sorted(round_.files.values())
    on_time = [d for d, s in round_.sent.items() if s <= DEADLINE and d != INVALID_ID]
    assert len(on_time) == 14


def cell_of(path: Path, code: str, column: str) -> str:
    """``D8``: the cell of an item's score/explanation/evidence, found by the code in column A."""
    ws = load_workbook(path, read_only=True)[SCORES_SHEET]
    row = next(r[0].row for r in ws.iter_rows(max_col=1) if r[0].value == code)
    return f"{'ABCDEFG'[COL[column] - 1]}{row}"


def tree_state(folder: Path) -> tuple[dict[str, bytes], list[str], dict[str, int]]:
    """Bytes, every entry (files, folders, hidden) and file times of a folder."""
    entries = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
    times = {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}
    return copy_tree_bytes(folder), entries, times


def dept_problems(result: MergeResult, dept_id: str) -> list[tuple[str, str | None, str | None]]:
    return [(p.slug, p.cell, p.item) for p in result.problems if p.department == dept_id]


# --- 1. status ----------------------------------------------------------------------------------


def expected_rows(campaign: Campaign, round_: Round) -> list[dict[str, Any]]:
    """The status table written out from the scenario, independently of parcli."""
    rows = []
    for dept in campaign.departments:
        file = round_.files.get(dept.id)
        sent = round_.sent.get(dept.id)
        rows.append(
            {
                "id": dept.id,
                "name": dept.name,
                "appendix": dept.appendix,
                "status": "missing" if file is None else "invalid" if dept.id == INVALID_ID else "ok",
                "errors": 1 if file is None else 2 if dept.id == INVALID_ID else 0,
                "warnings": 0,
                "files": [file] if file else [],
                "used": file,
                "received": sent.isoformat() if sent else None,
                "received_from": "phiếu" if sent else None,
                "timing": None if sent is None else "late" if sent > DEADLINE else "on-time",
                "days_left": -3,
                "first_received": sent.isoformat() if sent else None,  # one file each: the first is the one used
                "first_on_time": None if sent is None else sent < DEADLINE,
                "timing_note": None,
            }
        )
    return rows


def test_status_three_days_after_the_deadline(campaign: Campaign, round_: Round) -> None:
    result, rows = returns_status(campaign, round_.folder, today=TODAY)
    assert [r.to_dict() for r in rows] == expected_rows(campaign, round_)
    assert not result.ok and result.decisions == []
    by_id = {r.department.id: r for r in rows}
    assert [d for d, r in by_id.items() if r.timing == "on-time" and r.status == "ok"] == [
        d for d in round_.files if d not in (LATE_ID, INVALID_ID)
    ]
    assert (by_id[LATE_ID].status, by_id[LATE_ID].timing, by_id[LATE_ID].received) == ("ok", "late", LATE)
    assert (by_id[INVALID_ID].status, by_id[INVALID_ID].timing) == ("invalid", "on-time")
    assert (by_id[MISSING_ID].status, by_id[MISSING_ID].received, by_id[MISSING_ID].timing) == ("missing", None, None)
    invalid_file = round_.files[INVALID_ID]
    assert dept_problems(result, INVALID_ID) == [
        ("score-above-max", cell_of(round_.folder / invalid_file, ABOVE_MAX, "score"), ABOVE_MAX),
        ("explanation-missing", cell_of(round_.folder / invalid_file, UNEXPLAINED, "explanation"), UNEXPLAINED),
    ]
    assert dept_problems(result, MISSING_ID) == [("missing-return", None, None)]
    # the deadline day itself is on time; days left count down to it
    before = status_rows(result, date(2024, 1, 10))
    assert {r.days_left for r in before} == {5}
    assert {r.days_left for r in status_rows(result, DEADLINE)} == {0}


def test_status_cli_json_is_the_library_rows(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    out = tmp_path / "status.json"
    result = invoke("status", round_.folder, "--today", "2024-01-18", "--json", out)
    assert result.exit_code == 1, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    _, rows = returns_status(campaign, round_.folder, today=TODAY)
    assert data == {
        "campaign": campaign.id,
        "today": "2024-01-18",
        "deadline": "2024-01-15",
        "departments": [r.to_dict() for r in rows],
    }
    assert data["departments"] == expected_rows(campaign, round_)
    assert "Hợp lệ 15, có lỗi 1, chưa nộp 1, trùng phiếu 0; gửi muộn 1 / 17 cơ quan." in result.stderr
    assert "đã quá hạn 3 ngày" in result.stdout
    late_line = next(line for line in result.stdout.splitlines() if "Sở Tư pháp" in line)
    assert "17/01/2024 (phiếu)" in late_line and "Muộn" in late_line
    # the Vietnamese date form gives the same table
    again = tmp_path / "again.json"
    assert invoke("status", round_.folder, "--today", "18/01/2024", "--json", again).exit_code == 1
    assert json.loads(again.read_text(encoding="utf-8")) == data


# --- 2. feedback copies -------------------------------------------------------------------------


def coloured_and_commented(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    ws = load_workbook(path)[SCORES_SHEET]
    fills, comments = {}, {}
    for row in ws.iter_rows():
        for c in row:
            rgb = c.fill.fgColor.rgb if c.fill is not None and c.fill.fill_type == "solid" else None
            if isinstance(rgb, str) and rgb.upper().endswith(RED):
                fills[c.coordinate] = rgb
            if c.comment is not None:
                comments[c.coordinate] = c.comment.text
    return fills, comments


def validations(ws: Any) -> list[tuple[str, ...]]:
    return sorted(
        (str(dv.sqref), str(dv.type), str(dv.formula1), str(dv.prompt), str(dv.error))
        for dv in ws.data_validations.dataValidation
    )


def test_feedback_copy_marks_the_faulty_cells(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    before = tree_state(round_.folder)
    result = merge_returns(campaign, round_.folder)
    copies = write_feedback(result, round_.folder, tmp_path / "gop-y")
    original = round_.folder / round_.files[INVALID_ID]
    assert [(c.department_id, c.source, c.path.name, c.errors, c.warnings) for c in copies] == [
        (INVALID_ID, original.name, "PL02-van-phong-ubnd-can-sua.xlsx", 2, 0)
    ]
    assert sorted(p.name for p in (tmp_path / "gop-y").iterdir()) == ["PL02-van-phong-ubnd-can-sua.xlsx"]
    copy = copies[0].path
    score_cell = cell_of(original, ABOVE_MAX, "score")
    expl_cell = cell_of(original, UNEXPLAINED, "explanation")
    messages = {p.cell: p.message for p in result.problems if p.department == INVALID_ID}

    wb, src = load_workbook(copy), load_workbook(original)
    assert wb.sheetnames == [FEEDBACK, *src.sheetnames] and wb.active.title == FEEDBACK
    listed = [r for r in wb[FEEDBACK].iter_rows(min_row=5, values_only=True) if any(r)]
    assert listed == [
        ("Lỗi", score_cell, ABOVE_MAX, messages[score_cell]),
        ("Lỗi", expl_cell, UNEXPLAINED, messages[expl_cell]),
    ]
    assert "Văn phòng UBND tỉnh".upper() in str(wb[FEEDBACK]["A1"].value)
    assert "2 lỗi" in str(wb[FEEDBACK]["A2"].value)

    fills, comments = coloured_and_commented(copy)
    assert set(fills) == {score_cell, expl_cell}
    assert set(comments) == {score_cell, expl_cell}
    for cell in (score_cell, expl_cell):
        assert messages[cell] in comments[cell] and comments[cell].startswith("Lỗi: ")
    # nothing else changed: values, hidden metadata, protection, unlocked inputs, validations
    for name in src.sheetnames:
        assert wb[name].sheet_state == src[name].sheet_state
        assert wb[name].protection.sheet == src[name].protection.sheet
        assert wb[name].protection.password == src[name].protection.password
        assert [[c.value for c in r] for r in wb[name].iter_rows()] == [
            [c.value for c in r] for r in src[name].iter_rows()
        ]
    assert wb[META].sheet_state == "hidden" and wb[SCORES_SHEET].protection.sheet and wb[COVER].protection.sheet
    assert wb[SCORES_SHEET][score_cell].protection.locked is False
    assert validations(wb[SCORES_SHEET]) == validations(src[SCORES_SHEET]) != []
    assert bool(wb.security and wb.security.lockStructure) == bool(src.security and src.security.lockStructure)
    # read back, the copy is the same return with the same problems
    again = read_return(copy, campaign)
    assert again.department_id == INVALID_ID
    assert [(p.slug, p.cell) for p in again.problems] == [
        ("score-above-max", score_cell),
        ("explanation-missing", expl_cell),
    ]

    # the CLI writes the same copy
    cli_out = tmp_path / "gop-y-cli"
    cli = invoke("feedback", round_.folder, "-o", cli_out)
    assert cli.exit_code == 0, cli.output
    assert sorted(p.name for p in cli_out.iterdir()) == ["PL02-van-phong-ubnd-can-sua.xlsx"]
    assert "Đã ghi 1 bản góp ý" in cli.stderr
    cli_copy = load_workbook(cli_out / copy.name)
    assert [r for r in cli_copy[FEEDBACK].iter_rows(min_row=5, values_only=True) if any(r)] == listed
    assert coloured_and_commented(cli_out / copy.name) == (fills, comments)
    assert tree_state(round_.folder) == before


def test_corrected_feedback_copy_merges_clean(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    folder = round_.copy(tmp_path / "phieu")
    result = merge_returns(campaign, folder)
    (copy,) = write_feedback(result, folder, tmp_path / "gop-y")
    dept = campaign.department_by_id[INVALID_ID]
    correct = expected_values(dept)
    # the department corrects the copy it was sent, dates it and sends it back
    resent = tmp_path / "thu-den" / copy.path.name
    fill_workbook(copy.path, resent, correct, sent=date(2024, 1, 19))

    # 1) the officer replaces the original by the corrected copy
    shutil.move(folder / round_.files[INVALID_ID], tmp_path / round_.files[INVALID_ID])
    shutil.copy2(resent, folder / resent.name)
    fixed, rows = returns_status(campaign, folder, today=TODAY)
    outcome = next(d for d in fixed.departments if d.department.id == INVALID_ID)
    assert (outcome.status, outcome.used, outcome.errors, outcome.warnings) == ("ok", resent.name, 0, 0)
    assert dept_problems(fixed, INVALID_ID) == []
    assert [p.slug for p in fixed.problems] == ["missing-return"]
    for leaf in dept.items:
        item = fixed.item_rows()[leaf.code]
        assert (item.file, item.score) == (resent.name, Decimal(str(correct[leaf.code]["score"])))
    row = next(r for r in rows if r.department.id == INVALID_ID)
    assert (row.received, row.received_from, row.timing) == (date(2024, 1, 19), "phiếu", "late")
    assert sum(1 for r in rows if r.status == "ok") == 16

    # 2) or keeps both: the later Ngày gửi wins
    shutil.copy2(tmp_path / round_.files[INVALID_ID], folder / round_.files[INVALID_ID])
    both = merge_returns(campaign, folder)
    outcome = next(d for d in both.departments if d.department.id == INVALID_ID)
    assert (outcome.status, outcome.used) == ("ok", resent.name)
    (decision,) = both.decisions
    assert (decision.used, decision.others) == (resent.name, (round_.files[INVALID_ID],))
    assert "ngày gửi" in decision.reason and "19/01/2024" in decision.reason
    assert dept_problems(both, INVALID_ID) == []


def test_feedback_inside_the_returns_folder_is_refused(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    folder = round_.copy(tmp_path / "phieu")
    before = tree_state(folder)
    result = merge_returns(campaign, folder)
    with pytest.raises(UsageError, match="không được nằm trong thư mục phiếu gửi về"):
        write_feedback(result, folder, folder / "gop-y")
    with pytest.raises(UsageError):
        write_feedback(result, folder, folder)
    cli = invoke("feedback", folder, "-o", folder / "gop-y")
    assert cli.exit_code == 2, cli.output
    assert "nằm trong thư mục đầu vào" in cli.stderr
    assert "Traceback" not in cli.output
    merged = invoke("merge", folder, "-o", tmp_path / "tong-hop.xlsx", "--feedback", folder / "gop-y")
    assert merged.exit_code == 2, merged.output
    assert tree_state(folder) == before
    assert not (folder / "gop-y").exists()


def test_second_round_feedback_marks_only_what_is_still_wrong(
    campaign: Campaign, round_: Round, tmp_path: Path
) -> None:
    folder = round_.copy(tmp_path / "phieu")
    (copy,) = write_feedback(merge_returns(campaign, folder), folder, tmp_path / "gop-y")
    original = folder / round_.files[INVALID_ID]
    score_cell = cell_of(original, ABOVE_MAX, "score")
    expl_cell = cell_of(original, UNEXPLAINED, "explanation")
    # the department fixes the score but still gives no explanation, and sends the copy back
    shutil.move(original, tmp_path / original.name)
    fill_workbook(copy.path, folder / copy.path.name, {ABOVE_MAX: {"score": 1}}, sent=date(2024, 1, 19))
    result = merge_returns(campaign, folder)
    assert dept_problems(result, INVALID_ID) == [("explanation-missing", expl_cell, UNEXPLAINED)]
    (second,) = write_feedback(result, folder, tmp_path / "gop-y-2")
    fills, comments = coloured_and_commented(second.path)
    wb = load_workbook(second.path)
    listed = [r[:3] for r in wb[FEEDBACK].iter_rows(min_row=5, values_only=True) if any(r)]
    assert listed == [("Lỗi", expl_cell, UNEXPLAINED)]
    assert wb.sheetnames == [FEEDBACK, COVER, SCORES_SHEET, META]
    assert score_cell not in comments and score_cell not in fills
    assert set(fills) == set(comments) == {expl_cell}


# --- 3. reminders -------------------------------------------------------------------------------


def addressee(letter: str) -> str:
    return next(line for line in letter.splitlines() if line.startswith("Kính gửi: ")).removeprefix("Kính gửi: ")


def same_letter(path: Path) -> str | bytes:
    """What a reader sees of an output: a Word letter's text, any other file's bytes."""
    return read_docx(path).text if path.suffix == ".docx" else path.read_bytes()


def table_names(listing: Path) -> list[str]:
    """The departments named in the table of the list for the leadership (a Word document)."""
    return [row[2] for row in read_docx(listing).table("STT", "Phụ lục", "Cơ quan")]


def test_reminders_for_the_missing_and_the_invalid(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    before = tree_state(round_.folder)
    result = merge_returns(campaign, round_.folder)
    reminders, listing = write_reminders(result, tmp_path / "nhac-nho", today=TODAY)
    assert [(r.department_id, r.path.name) for r in reminders] == [
        (INVALID_ID, "nhac-nho-PL02-van-phong-ubnd.docx"),
        (MISSING_ID, "nhac-nho-PL17-thanh-tra.docx"),
    ]
    assert sorted(p.name for p in (tmp_path / "nhac-nho").iterdir()) == sorted(
        [r.path.name for r in reminders] + [r.text_path.name for r in reminders] + [listing.name]
    )
    letters = {r.department_id: r.text_path.read_text(encoding="utf-8") for r in reminders}
    names = campaign.department_by_id
    for reminder in reminders:
        dept = names[reminder.department_id]
        letter = letters[dept.id]
        assert addressee(letter) == dept.name
        assert f"Phụ lục {dept.appendix} của Kế hoạch về Sở Nội vụ trước ngày 15/01/2024" in letter
        assert "đã qua 3 ngày" in letter or "đã quá 3 ngày" in letter
        # the date line is the office's to fill in on signing, never the day the command ran
        assert "Hưng Yên, ngày … tháng … năm …" in letter and "ngày 18 tháng 01" not in letter
        # a letter names no file and no cell
        assert ".xlsx" not in letter and f"{SCORES_SHEET} ›" not in letter
        others = [d.name for d in campaign.departments if d.id != dept.id and d.name not in dept.name]
        assert not [n for n in others if n in letter.replace("Sở Nội vụ", "")], dept.id
        # the Word letter: the same body, the letterhead and the signer of the campaign, closed with ./.
        word = read_docx(reminder.path).text
        for words in (
            "UBND TỈNH HƯNG YÊN",
            "SỞ NỘI VỤ",
            "Số: …/SNV-CCHC",
            "V/v đôn đốc gửi kết quả tự đánh giá Chỉ số CCHC năm 2023",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"Kính gửi: {dept.name}",
            "Trân trọng./.",
            "Nơi nhận:",
            "- Như trên;",
            "- Lưu: VT, CCHC.",
            "KT. GIÁM ĐỐC",
            "PHÓ GIÁM ĐỐC",
            "Nguyễn Văn A",
        ):
            assert words in word, words
        assert ".xlsx" not in word

    invalid = letters[INVALID_ID]
    problems = {p.item: p for p in result.problems if p.department == INVALID_ID}
    titles = {leaf.code: leaf.title for d in campaign.departments for leaf in d.items}
    # sent on time with errors: the date is told, never "đúng hạn" (a copy with errors does not meet the deadline)
    assert (
        "đã nhận được phiếu tự đánh giá Quý cơ quan gửi ngày 12/01/2024. Qua kiểm tra, phiếu chưa đúng quy định ở "
        "các nội dung sau (các ô cần sửa đã được đánh dấu" in invalid
    )
    assert "đúng hạn" not in invalid
    assert "Thời hạn theo Kế hoạch đã quá 3 ngày" in invalid
    # the letter sets its own deadline to the hour, never “ngay trong ngày” under a blank date line
    assert "gửi lại về Sở Nội vụ trước 17 giờ 00 ngày 22/01/2024" in invalid and "ngay trong ngày" not in invalid
    for code in (ABOVE_MAX, UNEXPLAINED):
        assert f"- Mục {code} ({titles[code]}): {message_under_item(problems[code].message, code)}" in invalid
    # each entry names its item once: "Mục 1.5.1 (…): Điểm tự đánh giá là 2, …", not "…: Điểm của mục 1.5.1 …"
    assert f"mục {ABOVE_MAX}" not in invalid.lower().replace(f"- mục {ABOVE_MAX} (", "")
    assert f"- Mục {ABOVE_MAX} ({titles[ABOVE_MAX]}): Điểm tự đánh giá là 2, vượt điểm tối đa 1." in invalid
    assert f"- Mục {UNEXPLAINED} ({titles[UNEXPLAINED]}): Bị trừ điểm nhưng chưa giải trình lý do." in invalid
    # the wording of a whole letter, as a reviewable snapshot
    assert_text_golden("reminder-van-phong-ubnd.txt", invalid)
    assert sum(1 for line in invalid.splitlines() if line.startswith("- Mục ")) == 2
    missing = letters[MISSING_ID]
    assert "Đến ngày 18/01/2024, Sở Nội vụ chưa nhận được phiếu tự đánh giá của Quý cơ quan" in missing
    assert "- Mục " not in missing

    text = read_docx(listing).text
    assert listing.name == "danh-sach-chua-hoan-thanh.docx"  # a Word document for the leadership, not a .md file
    assert table_names(listing) == ["Văn phòng UBND tỉnh", "Thanh tra tỉnh"]
    assert "Tổng số: 2/17 cơ quan." in text
    assert "Phiếu có 2 lỗi, phải gửi lại" in text and "Chưa gửi phiếu" in text
    assert "đã quá hạn 3 ngày" in text and "15/01/2024" in text

    # the CLI writes the same letters
    out = tmp_path / "nhac-nho-cli"
    cli = invoke("remind", round_.folder, "-o", out, "--today", "2024-01-18")
    assert cli.exit_code == 0, cli.output
    assert {p.name: same_letter(p) for p in out.iterdir()} == {
        p.name: same_letter(p) for p in (tmp_path / "nhac-nho").iterdir()
    }
    assert tree_state(round_.folder) == before


def test_reminder_before_the_deadline_is_not_overdue(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    result = merge_returns(campaign, round_.folder)
    reminders, listing = write_reminders(result, tmp_path, today=date(2024, 1, 10))
    letter = reminders[0].text_path.read_text(encoding="utf-8")
    assert "đã quá" not in letter and "hoàn thành và gửi về Sở Nội vụ trước ngày 15/01/2024" in letter
    assert "hoàn thành và gửi về Sở Nội vụ trước ngày 15/01/2024" in read_docx(reminders[0].path).text
    assert "quá hạn" not in read_docx(listing).text


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Kính gửi {{ dept.name }}\n{% if %}\n", ["mẫu remind.txt.j2, dòng 2 có lỗi"]),
        ("Kính gửi {{ dept.name }}\n\n{{ dept.nonexistent }}\n", ["mẫu remind.txt.j2, dòng 3", "biến không có"]),
    ],
)
def test_a_broken_reminder_template_is_named(round_: Round, tmp_path: Path, template: str, words: list[str]) -> None:
    """The office's own reminder template with a mistake: exit 3, the template and line named, no traceback."""
    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "remind.txt.j2").write_text(template, encoding="utf-8")
    out = tmp_path / "nhac-nho"
    result = invoke("remind", round_.folder, "-o", out, "--today", "2024-01-18", "--templates", folder)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output
    assert not out.exists()


# --- 4. versions --------------------------------------------------------------------------------


def dated(path: Path, when: datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


def outcome_of(result: MergeResult, dept_id: str) -> Any:
    return next(d for d in result.departments if d.department.id == dept_id)


def test_later_cover_date_replaces_the_first_return(
    campaign: Campaign, round_: Round, tmp_path: Path, issued: dict[str, Path]
) -> None:
    folder = round_.copy(tmp_path / "phieu")
    dept = campaign.department_by_id["so-tai-chinh"]
    first = round_.files[dept.id]
    corrected = expected_values(dept)
    code = dept.items[0].code  # 6.1.1, full marks in the first return
    corrected[code].update(score=0.5, explanation="Bản sửa: chưa hoàn thành đúng hạn một nhiệm vụ.")
    second = "PL04-so-tai-chinh-ban-sua.xlsx"
    fill_workbook(issued[dept.id], folder / second, corrected, sent=date(2024, 1, 14))
    dated(folder / second, datetime(2024, 1, 14, 8, 0))  # older file time: the cover date decides

    result, rows = returns_status(campaign, folder, today=TODAY)
    assert result.decisions == [
        VersionDecision(dept.id, second, (first,), "mới nhất theo ngày gửi ghi trên phiếu (14/01/2024)")
    ]
    outcome = outcome_of(result, dept.id)
    assert (outcome.status, outcome.used, outcome.files) == (
        "ok",
        second,
        [second, first] if second < first else [first, second],
    )
    for leaf in dept.items:
        assert result.item_rows()[leaf.code].file == second
        assert result.item_rows()[leaf.code].score == Decimal(str(corrected[leaf.code]["score"]))
    assert result.item_rows()[code].score == Decimal("0.5") != Decimal(str(round_.values[dept.id][code]["score"]))
    assert dept_problems(result, dept.id) == []
    row = next(r for r in rows if r.department.id == dept.id)
    assert (row.used, row.received, row.received_from, row.timing) == (second, date(2024, 1, 14), "phiếu", "on-time")


def test_newer_file_time_wins_without_cover_dates(
    campaign: Campaign, round_: Round, tmp_path: Path, issued: dict[str, Path]
) -> None:
    folder = round_.copy(tmp_path / "phieu")
    dept = campaign.department_by_id["so-kh-cn"]
    (folder / round_.files[dept.id]).unlink()
    older, newer = "PL06-so-kh-cn-ban-dau.xlsx", "PL06-so-kh-cn.xlsx"
    values = expected_values(dept)
    (code,) = values
    fill_workbook(issued[dept.id], folder / older, values)
    values[code].update(score=1, explanation="Bản gửi lại: điều chỉnh điểm sau khi rà soát.")
    fill_workbook(issued[dept.id], folder / newer, values)
    dated(folder / older, datetime(2024, 1, 13, 9, 0))
    dated(folder / newer, datetime(2024, 1, 13, 11, 0))

    result, rows = returns_status(campaign, folder, today=TODAY)
    (decision,) = result.decisions
    assert (decision.used, decision.others) == (newer, (older,))
    assert "thời gian tệp" in decision.reason and "13/01/2024 11:00" in decision.reason
    assert result.item_rows()[code].score == Decimal(1) and result.item_rows()[code].file == newer
    row = next(r for r in rows if r.department.id == dept.id)
    # no Ngày gửi on the cover: the file's date is shown (“tệp”) and never judged on time or late
    assert (row.status, row.received, row.received_from, row.timing) == ("ok", date(2024, 1, 13), "tệp", "undated")


@pytest.fixture
def ambiguous(campaign: Campaign, round_: Round, tmp_path: Path, issued: dict[str, Path]) -> tuple[Path, str, str]:
    """Sở Kế hoạch và Đầu tư sent two different workbooks, same cover date, saved seconds apart."""
    folder = round_.copy(tmp_path / "phieu")
    dept = campaign.department_by_id["so-kh-dt"]
    a, b = round_.files[dept.id], "PL07-so-kh-dt (1).xlsx"
    values = expected_values(dept)
    values[dept.items[0].code]["evidence"] = "Báo cáo số 12/BC-SKHĐT ngày 10/01/2024 (bản bổ sung)"
    fill_workbook(issued[dept.id], folder / b, values, sent=ON_TIME)
    dated(folder / a, datetime(2024, 1, 12, 15, 30, 0))
    dated(folder / b, datetime(2024, 1, 12, 15, 30, 4))
    return folder, a, b


def test_same_date_and_close_file_times_are_ambiguous(
    campaign: Campaign, ambiguous: tuple[Path, str, str], tmp_path: Path
) -> None:
    folder, a, b = ambiguous
    dept = campaign.department_by_id["so-kh-dt"]
    before = tree_state(folder)
    result, rows = returns_status(campaign, folder, today=TODAY)
    outcome = outcome_of(result, dept.id)
    assert (outcome.status, outcome.used, outcome.errors) == ("duplicate", None, 2)
    (decision,) = result.decisions
    assert decision.used is None and set(decision.others) == {a, b}
    dups = [p for p in result.problems if p.slug == "duplicate-return"]
    assert sorted(p.file for p in dups) == sorted([a, b]) and {p.department for p in dups} == {dept.id}
    for p in dups:
        assert a in p.message and b in p.message and "--pick" in p.message
    for leaf in dept.items:
        item = result.item_rows()[leaf.code]
        assert (item.file, item.score, item.status) == (None, None, "Trùng phiếu – chưa dùng")
    row = next(r for r in rows if r.department.id == dept.id)
    assert (row.status, row.used, row.timing, sorted(row.files)) == ("duplicate", None, None, sorted([a, b]))
    # the reminder asks which one counts, the leaders' list says so
    reminders, listing = write_reminders(result, tmp_path / "nhac-nho", today=TODAY)
    letter = next(r.text_path for r in reminders if r.department_id == dept.id).read_text(encoding="utf-8")
    assert "nhận được 2 bản phiếu tự đánh giá của Quý cơ quan" in letter
    assert "không xác định được bản nào là bản cuối cùng" in letter
    assert a not in letter and b not in letter  # no file names: the department knows its own copies
    assert "Sở Kế hoạch và Đầu tư" in table_names(listing)
    assert "Tổng số: 3/17 cơ quan." in read_docx(listing).text
    assert tree_state(folder) == before


def test_pick_resolves_the_ambiguity(campaign: Campaign, ambiguous: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, a, b = ambiguous
    dept = campaign.department_by_id["so-kh-dt"]
    result = merge_returns(campaign, folder, pick=[b])
    outcome = outcome_of(result, dept.id)
    assert (outcome.status, outcome.used) == ("ok", b)
    assert result.decisions == [VersionDecision(dept.id, b, (a,), f"chọn theo --pick {b}")]
    assert not [p for p in result.problems if p.slug == "duplicate-return"]
    assert {result.item_rows()[leaf.code].file for leaf in dept.items} == {b}

    out, js = tmp_path / "tong-hop.xlsx", tmp_path / "merge.json"
    cli = invoke("merge", folder, "-o", out, "--pick", b, "--json", js)
    assert cli.exit_code == 1, cli.output  # Thanh tra tỉnh is still missing, Văn phòng UBND tỉnh invalid
    data = json.loads(js.read_text(encoding="utf-8"))
    entry = next(d for d in data["departments"] if d["id"] == dept.id)
    assert (entry["status"], entry["used"]) == ("ok", b)
    assert data["versions"] == [{"department": dept.id, "used": b, "others": [a], "reason": f"chọn theo --pick {b}"}]
    assert f"dùng {b}" in cli.stderr
    manifest = json.loads((tmp_path / "tong-hop.xlsx.manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"]["pick"] == [b]
    assert {e["name"]: e["status"] for e in manifest["inputs"]}[a] == "superseded"

    status = invoke("status", folder, "--today", "2024-01-18", "--pick", b, "--json", tmp_path / "s.json")
    assert status.exit_code == 1
    rows = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["departments"]
    assert next(r for r in rows if r["id"] == dept.id)["used"] == b


def test_pick_given_as_a_path(campaign: Campaign, ambiguous: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, _, b = ambiguous
    out = tmp_path / "s.json"
    cli = invoke("status", folder, "--today", "2024-01-18", "--pick", folder / b, "--json", out)
    rows = json.loads(out.read_text(encoding="utf-8"))["departments"]
    assert (next(r for r in rows if r["id"] == "so-kh-dt")["used"], cli.exit_code) == (b, 1)


def test_byte_identical_copies_are_one_return(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    folder = round_.copy(tmp_path / "phieu")
    dept = campaign.department_by_id["so-tt-tt"]
    original = round_.files[dept.id]
    copy = "PL05-so-tt-tt - Copy.xlsx"
    shutil.copyfile(folder / original, folder / copy)  # a new file time: only the bytes are the same
    result = merge_returns(campaign, folder)
    outcome = outcome_of(result, dept.id)
    (decision,) = result.decisions
    assert outcome.status == "ok" and outcome.used in (original, copy)
    assert decision.used == outcome.used and decision.others == tuple({original, copy} - {outcome.used})
    assert "SHA-256" in decision.reason
    assert dept_problems(result, dept.id) == []
    for code, typed in round_.values[dept.id].items():
        assert result.item_rows()[code].score == Decimal(str(typed["score"]))


# --- 5. manifests -------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_merge_and_report_manifests(campaign: Campaign, round_: Round, tmp_path: Path, issued: dict[str, Path]) -> None:
    folder = round_.copy(tmp_path / "phieu")
    # Sở Tài chính also sent a corrected version: the first one is superseded
    fin = campaign.department_by_id["so-tai-chinh"]
    fill_workbook(issued[fin.id], folder / "PL04-so-tai-chinh-ban-sua.xlsx", expected_values(fin), sent=DEADLINE)
    before = tree_state(folder)
    work = tmp_path / "ket-qua"
    work.mkdir()
    consolidated = work / "tong-hop.xlsx"
    merged = invoke("merge", folder, "-o", consolidated)
    assert merged.exit_code == 1, merged.output
    manifest = json.loads((work / "tong-hop.xlsx.manifest.json").read_text(encoding="utf-8"))
    assert manifest["kind"] == "merge" and manifest["format"] == "parcli-manifest/1"
    assert manifest["output"]["sha256"] == sha256(consolidated)
    assert manifest["campaign"]["file"]["sha256"] == sha256(campaign.path)
    inputs = {e["name"]: e for e in manifest["inputs"]}
    assert sorted(inputs) == sorted(p.name for p in folder.iterdir())
    for name, entry in inputs.items():
        assert entry["sha256"] == sha256(folder / name), name
        assert entry["size"] == (folder / name).stat().st_size
        assert Path(entry["path"]) == (folder / name).resolve()
    expected_status = {f: ("invalid" if d == INVALID_ID else "ok") for d, f in round_.files.items()}
    expected_status["PL04-so-tai-chinh.xlsx"] = "superseded"
    expected_status["PL04-so-tai-chinh-ban-sua.xlsx"] = "ok"
    assert {n: e["status"] for n, e in inputs.items()} == expected_status
    owners = {d.id: [leaf.code for leaf in d.items] for d in campaign.departments}
    for dept_id, name in round_.files.items():
        want = owners[dept_id]
        if dept_id == INVALID_ID:
            want = [c for c in want if c not in (ABOVE_MAX, UNEXPLAINED)]
        if dept_id == fin.id:
            want = []
        assert inputs[name]["items"] == want, name
        assert inputs[name]["department"] == dept_id
    assert inputs["PL04-so-tai-chinh-ban-sua.xlsx"]["items"] == owners[fin.id]
    assert inputs[round_.files[INVALID_ID]]["errors"] == 2

    # report, its manifest, and the report re-created from it
    report = work / "bao-cao.md"
    made = invoke("report", consolidated, "-o", report)
    assert made.exit_code == 0, made.output
    record = json.loads((work / "bao-cao.md.manifest.json").read_text(encoding="utf-8"))
    assert record["kind"] == "report"
    roles = {e["role"]: e for e in record["inputs"]}
    assert roles["consolidated"]["sha256"] == sha256(consolidated)
    assert Path(roles["consolidated"]["path"]) == consolidated.resolve()
    assert record["output"]["sha256"] == sha256(report)
    again = work / "again.md"
    remade = invoke("report", "--manifest", work / "bao-cao.md.manifest.json", "-o", again)
    assert remade.exit_code == 0, remade.output
    assert again.read_bytes() == report.read_bytes()

    # a changed input is refused, naming the file
    good = consolidated.read_bytes()
    consolidated.write_bytes(good + b"\0")
    third = work / "third.md"
    refused = invoke("report", "--manifest", work / "bao-cao.md.manifest.json", "-o", third)
    assert refused.exit_code == 3, refused.output
    assert "tong-hop.xlsx" in refused.stderr and "nội dung đã thay đổi" in refused.stderr
    assert not third.exists()
    # rewritten by another merge an hour later: its time stamp makes new bytes, and the manifest refuses them
    consolidated.write_bytes(good)
    assert invoke("report", "--manifest", work / "bao-cao.md.manifest.json", "-o", third).exit_code == 0
    third.unlink()
    assert manifest["created"] == FIXED_NOW.isoformat()
    later = FIXED_NOW + timedelta(hours=1)
    assert invoke("merge", folder, "-o", consolidated, now=later).exit_code == 1
    remanifest = json.loads((work / "tong-hop.xlsx.manifest.json").read_text(encoding="utf-8"))
    assert remanifest["created"] == later.isoformat()
    assert sha256(consolidated) != roles["consolidated"]["sha256"]
    refused = invoke("report", "--manifest", work / "bao-cao.md.manifest.json", "-o", third)
    assert refused.exit_code == 3 and "tong-hop.xlsx" in refused.stderr
    # a deleted input is refused
    consolidated.unlink()
    refused = invoke("report", "--manifest", work / "bao-cao.md.manifest.json", "-o", third)
    assert refused.exit_code == 3, refused.output
    assert "tong-hop.xlsx" in refused.stderr and "không còn tồn tại" in refused.stderr
    assert not third.exists()
    assert tree_state(folder) == before


# --- 6. the returns folder is never modified ----------------------------------------------------


def test_no_command_touches_the_returns_folder(campaign: Campaign, round_: Round, tmp_path: Path) -> None:
    before = tree_state(round_.folder)
    folder = round_.folder
    assert invoke("status", folder, "--today", "2024-01-18", "--json", tmp_path / "s.json").exit_code == 1
    assert invoke("feedback", folder, "-o", tmp_path / "gop-y", "--warnings").exit_code == 0
    assert invoke("remind", folder, "-o", tmp_path / "nhac-nho", "--today", "2024-01-18").exit_code == 0
    merged = invoke("merge", folder, "-o", tmp_path / "tong-hop.xlsx", "--feedback", tmp_path / "gop-y-2")
    assert merged.exit_code == 1, merged.output
    assert invoke("merge", folder, "-o", tmp_path / "tong-hop.xlsx").exit_code == 1  # second merge, same output
    result, _ = returns_status(campaign, folder, today=TODAY)
    write_feedback(result, folder, tmp_path / "gop-y-3")
    write_reminders(result, tmp_path / "nhac-nho-2", today=TODAY)
    assert tree_state(folder) == before
