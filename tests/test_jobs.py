"""The jobs layer: every command that reads returns reads them one way (packages, rounds, versions), a job says
what it meets through its listener, and long unit lists print a summary."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.config.synthetic import write_campaign
from parcli.jobs.base import Listener, Tracker
from parcli.jobs.merge import MergeRequest, merge
from parcli.rounds.scoring.issue import generate_workbooks

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
DEPT = "so-tu-phap"


class Recorder(Listener):
    """A listener that keeps what a job said, in order."""

    def __init__(self) -> None:
        self.said: list[str] = []
        self.steps = 0

    def note(self, text: str, lead: str = "") -> None:
        self.said.append(lead + text)

    def warn(self, text: str) -> None:
        self.said.append("! " + text)

    @contextmanager
    def track(self, label: str, total: int | None = None) -> Iterator[Tracker]:
        recorder = self

        class Steps(Tracker):
            def advance(self) -> None:
                recorder.steps += 1

        yield Steps()


def _faulty_return(make_return, folder: Path, campaign: Campaign) -> Path:  # type: ignore[no-untyped-def]
    """Sở Tư pháp's return with a score above the maximum on its first item."""
    code = campaign.department_by_id[DEPT].items[0].code
    return make_return(DEPT, folder, overrides={code: {"score": 99}})


def test_a_job_runs_without_the_command_line_and_says_what_it_meets(make_return, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "gui-ve"
    make_return(DEPT, folder)
    listener = Recorder()
    result = merge(MergeRequest(returns_dir=folder, out=tmp_path / "tong-hop.xlsx"), listener)
    assert result.outputs[0].is_file() and result.outputs[1].name == "tong-hop.xlsx.manifest.json"
    assert not result.ok and int(result.exit_code) == 1  # sixteen departments have not returned yet
    assert result.document is not None and result.document["campaign"] == "hung-yen-2023"
    assert listener.said[0].startswith("Dùng kế hoạch mẫu đi kèm parcli")  # first, before anything is read
    assert listener.steps == 1  # one file read


@pytest.mark.parametrize("as_zip", [True, False], ids=["zip", "folder"])
def test_feedback_on_a_package_annotates_its_form(
    make_return, campaign: Campaign, tmp_path: Path, as_zip: bool
) -> None:  # type: ignore[no-untyped-def]
    """A return sent as a package gets its correction copy (it used to stop with an openpyxl traceback)."""
    staging = tmp_path / "staging"
    form = _faulty_return(make_return, staging, campaign)
    (staging / "QD-1.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    returns = tmp_path / "gui-ve"
    returns.mkdir()
    if as_zip:
        with zipfile.ZipFile(returns / "PL03-so-tu-phap.zip", "w") as archive:
            archive.write(form, form.name)
            archive.write(staging / "QD-1.pdf", "QD-1.pdf")
    else:
        shutil.copytree(staging, returns / "PL03-so-tu-phap")
    for command in (
        ["feedback", str(returns), "-o", str(tmp_path / "gop-y")],
        ["merge", str(returns), "-o", str(tmp_path / "th.xlsx"), "--feedback", str(tmp_path / "gop-y-2")],
    ):
        res = runner.invoke(app, command)
        assert res.exception is None or isinstance(res.exception, SystemExit), res.output
        assert "Traceback" not in res.output
    for out in (tmp_path / "gop-y", tmp_path / "gop-y-2"):
        copy = out / "PL03-so-tu-phap-can-sua.xlsx"
        assert copy.is_file(), sorted(p.name for p in out.iterdir())
        wb = load_workbook(copy)
        assert wb.sheetnames[0] == "Cần sửa"
        assert "PL03-so-tu-phap" in wb["Cần sửa"]["A2"].value and "cả gói" in wb["Cần sửa"]["A2"].value
        assert any(c.comment for row in wb["Chấm điểm"].iter_rows() for c in row)


def test_commands_that_read_returns_print_the_version_decisions(make_return, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """appraise and evidence say which of two copies they use, by the department's name, as merge does."""
    folder = tmp_path / "gui-ve"
    make_return(DEPT, folder, sent=date(2024, 1, 10))
    make_return(DEPT, folder, name="PL03-ban-sua.xlsx", sent=date(2024, 1, 12))
    for command in (
        ["appraise", "issue", str(folder), "-o", str(tmp_path / "td")],
        ["evidence", str(folder), "-o", str(tmp_path / "hs")],
        ["status", str(folder), "--today", "2024-01-13"],
        ["remind", str(folder), "-o", str(tmp_path / "nn"), "--today", "2024-01-13"],
    ):
        res = runner.invoke(app, command)
        assert "Sở Tư pháp: dùng PL03-ban-sua.xlsx" in res.output, (command, res.output)


def test_evidence_and_appraise_take_the_round(tmp_path: Path) -> None:
    """--round (evidence) and --campaign-round (appraise) read the returns of that round, as merge does."""
    from parcli.config.campaign import default_campaign_path, load_campaign

    camp = load_campaign(default_campaign_path(), "so-bo-9-thang")
    issued = generate_workbooks(camp, tmp_path / "phat-hanh")
    folder = tmp_path / "gui-ve"
    folder.mkdir()
    first = issued.workbooks[0].path
    shutil.copy(first, folder / first.name)  # an unfilled preliminary form: read at its round, not the year-end's
    at_last = runner.invoke(app, ["evidence", str(folder), "-o", str(tmp_path / "a")])
    at_prelim = runner.invoke(app, ["evidence", str(folder), "-o", str(tmp_path / "b"), "--round", "so-bo-9-thang"])
    assert "Đợt đánh giá: Đánh giá sơ bộ 9 tháng" in at_prelim.output
    assert "Đợt đánh giá: Tự đánh giá cả năm" in at_last.output
    appraise = runner.invoke(
        app, ["appraise", "issue", str(folder), "-o", str(tmp_path / "td"), "--campaign-round", "so-bo-9-thang"]
    )
    assert appraise.exit_code == 0, appraise.output
    assert "Đợt đánh giá: Đánh giá sơ bộ 9 tháng" in appraise.output


def test_a_long_unit_list_prints_a_summary(tmp_path: Path) -> None:
    """Forty units, none returned: merge and status name only those that need attention, --verbose all."""
    plan = write_campaign(tmp_path / "xa", 40)
    folder = tmp_path / "gui-ve"
    folder.mkdir()
    generated = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "ph")])
    assert generated.exit_code == 0, generated.output
    assert "40 đơn vị (--verbose để xem từng phiếu)" in generated.output
    short = runner.invoke(app, ["merge", str(folder), "-c", str(plan), "-o", str(tmp_path / "th.xlsx")])
    assert "40/40 đơn vị cần xem" in short.output  # none returned: every one needs attention
    status = runner.invoke(app, ["status", str(folder), "-c", str(plan), "--today", "2024-01-01", "--json", "-"])
    document = json.loads(status.stdout[status.stdout.index("{") :])
    assert len(document["departments"]) == 40  # the JSON is always whole
    verbose = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "ph2"), "--verbose"])
    assert "(--verbose để xem từng phiếu)" not in verbose.output and verbose.output.count(".xlsx") >= 40


# an Excel 2010+ list validation whose source is on another sheet, as Excel writes it (an extension of the
# worksheet that openpyxl cannot keep)
X14_VALIDATION = (
    b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="1" '
    b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:dataValidation type="list" allowBlank="1">'
    + "<x14:formula1><xm:f>'Hướng dẫn'!$A$1:$A$3</xm:f></x14:formula1>".encode()
    + b"<xm:sqref>Z1</xm:sqref>"
    + b"</x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def test_feedback_says_in_vietnamese_what_its_copy_cannot_keep(
    make_return, campaign: Campaign, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A return saved by Excel with list validations of its own: the correction copy cannot keep them (openpyxl
    drops them with an English warning); the officer is told so in Vietnamese, the return itself is untouched."""
    staging = tmp_path / "staging"
    form = _faulty_return(make_return, staging, campaign)
    returns = tmp_path / "gui-ve"
    returns.mkdir()
    sent = returns / form.name
    with zipfile.ZipFile(form) as source, zipfile.ZipFile(sent, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = data.replace(b"</worksheet>", X14_VALIDATION + b"</worksheet>")
            target.writestr(info, data)
    before = sent.read_bytes()
    res = runner.invoke(app, ["feedback", str(returns), "-o", str(tmp_path / "gop-y")])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "Bản góp ý PL03-so-tu-phap-can-sua.xlsx" in said and "danh sách chọn" in said, said
    assert "phiếu gốc không bị sửa" in said
    assert "extension" not in said and "UserWarning" not in said
    assert sent.read_bytes() == before
    assert (tmp_path / "gop-y" / "PL03-so-tu-phap-can-sua.xlsx").is_file()


def test_many_warnings_are_counted_not_listed(tmp_path: Path) -> None:
    """Units whose every score is typed as text (“1,5”), hundreds of warnings: merge shows the errors and counts
    the warnings by kind (all on the “Vấn đề” sheet); --verbose lists every one."""
    from parcli.config.campaign import load_campaign
    from tests.helpers.factory import fill_return

    plan = write_campaign(tmp_path / "xa", 4)
    camp = load_campaign(plan)
    issued = {w.department.id: w.path for w in generate_workbooks(camp, tmp_path / "ph").workbooks}
    folder = tmp_path / "gui-ve"
    for unit in camp.departments[1:]:  # the first sends nothing: one error
        typed = {leaf.code: {"score": str(leaf.max_points).replace(".", ",")} for leaf in unit.items}
        fill_return(camp, issued, unit.id, folder / f"{unit.id}.xlsx", typed, sent=date(2024, 1, 5))
    wide = CliRunner(env={"COLUMNS": "160", "NO_COLOR": "1", "TERM": "dumb"})
    short = wide.invoke(app, ["merge", str(folder), "-c", str(plan), "-o", str(tmp_path / "th.xlsx")])
    assert short.exit_code == 1, short.output
    warnings = sum(len(u.items) for u in camp.departments[1:])
    said = " ".join(short.output.split())
    assert f"Cảnh báo chưa hiện: {warnings} (mã decimal-comma: {warnings})" in said, said
    assert "missing-return" in said and said.count("decimal-comma") == 1
    everything = wide.invoke(app, ["merge", str(folder), "-c", str(plan), "-o", str(tmp_path / "th.xlsx"), "--verbose"])
    assert " ".join(everything.output.split()).count("mã decimal-comma") == warnings
