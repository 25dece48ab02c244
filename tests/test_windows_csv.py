"""CSV files as Excel saves them on a Vietnamese Windows — the ANSI code page (cp1258) and ``;`` — read, with a
note; CSV files parcli writes carry a BOM so that Excel shows their diacritics."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from parcli.catalogue_table.diff import MAPPING_HEADER, read_mapping
from parcli.cli import app
from parcli.config.campaign import default_campaign_path, load_campaign
from parcli.config.synthetic import write_campaign
from parcli.csvtable import BOM, csv_text, read_csv
from parcli.results.survey_scores import load_survey
from tests.helpers.windows import cp1258

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})


def test_a_units_list_saved_as_ansi_with_semicolons(tmp_path: Path) -> None:
    plan = write_campaign(tmp_path, 3)
    units = tmp_path / "units.csv"
    text = (
        "id;name;group;exempt\nxa-00001;Xã Quỳnh Phụ;xa-1;\nxa-00002;Phường Thái Bình;xa-1;\n"
        "xa-00003;Xã Đông Hưng;xa-1;\n"
    )
    units.write_bytes(cp1258(text))
    camp = load_campaign(plan)
    assert [u.name for u in camp.departments] == ["Xã Quỳnh Phụ", "Phường Thái Bình", "Xã Đông Hưng"]
    assert camp.notes and "cp1258" in camp.notes[0]
    res = runner.invoke(app, ["generate", "-c", str(plan), "-o", str(tmp_path / "phieu")])
    assert res.exit_code == 0, res.output
    assert "bảng mã Windows (ANSI, cp1258)" in res.output


def test_survey_scores_saved_as_ansi(tmp_path: Path) -> None:
    camp = load_campaign(default_campaign_path())
    example = (default_campaign_path().parent / "survey-example.csv").read_text(encoding="utf-8")
    rows = [line.split(",") for line in example.splitlines() if line and not line.startswith("#")]
    lines = [f"{code};{points.replace('.', ',')}" for code, points in rows]
    target = tmp_path / "diem.csv"
    target.write_bytes(cp1258("\n".join(["# Điểm điều tra (thử)", *lines[1:]]) + "\n"))
    notes: list[str] = []
    scores = load_survey(target, camp, notes)
    utf8 = load_survey(default_campaign_path().parent / "survey-example.csv", camp)
    assert scores == utf8 and notes


def test_a_mapping_saved_back_by_excel(tmp_path: Path) -> None:
    target = tmp_path / "doi-chieu.csv"
    target.write_bytes(BOM.encode() + "ma_cu;ma_moi\r\n1.1.1;1.1.1\r\n1.1.2;không còn\r\n".encode())
    assert read_mapping(target) == {"1.1.1": "1.1.1", "1.1.2": None}
    target.write_bytes(cp1258("ma_cu;ma_moi\n1.1.2;không còn\n"))
    notes: list[str] = []
    assert read_mapping(target, notes) == {"1.1.2": None} and notes


def test_parcli_writes_csv_with_a_bom(tmp_path: Path) -> None:
    text = csv_text([MAPPING_HEADER, ("1.1.2", "không còn")])
    assert text.startswith(BOM)
    target = tmp_path / "x.csv"
    target.write_text(text, encoding="utf-8")
    table = read_csv(target)
    assert table.encoding == "utf-8" and table.rows == [(1, ["ma_cu", "ma_moi"]), (2, ["1.1.2", "không còn"])]
