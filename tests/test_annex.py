"""Import the annex table of an official decision (.docx), good and broken, built here with python-docx."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from parcli.catalogue_table.annex import REVIEW_HEADER, annex_rule, import_annex, read_annex
from parcli.cli.catalogue import catalogue_app
from parcli.config.catalogue import parse_catalogue

Row = tuple[str, str, str, str]

GOOD: list[Row] = [
    ("I.", "Công tác chỉ đạo, điều hành", "3", ""),
    ("1.", "Kế hoạch cải cách hành chính", "1,5", ""),
    ("1.1", "Ban hành kế hoạch", "0,5 điểm", "Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm"),
    (
        "1.2",
        "Mức độ thực hiện kế hoạch",
        "1",
        "Hoàn thành 100% kế hoạch: 1 điểm\nTừ 80% đến dưới 100%: 0,5 điểm\nDưới 80%: 0 điểm",
    ),
    ("2.", "Tuyên truyền cải cách hành chính", "1,5", ""),
    ("a)", "Ban hành kế hoạch tuyên truyền", "0,5", "0,5: Có kế hoạch\n0: Không có"),
    ("b)", "Mức độ hài lòng của người dân", "1", "Điều tra xã hội học"),
    ("II.", "Cải cách thủ tục hành chính", "2", ""),
    ("1.", "Công bố thủ tục hành chính", "2", "Thang điểm, bước 0,25"),
]


def make_annex(path: Path, rows: list[Row], *, merged_header: bool = False, year: bool = True) -> Path:
    """A decision with its annex table: an optional two-row merged header, then one row per node."""
    import docx

    document = docx.Document()
    document.add_paragraph("Quyết định số 999/QĐ-BNV ngày 01/01/2024 (ví dụ)")
    if year:
        document.add_paragraph("Bộ tiêu chí đánh giá năm 2024")
    header_rows = 2 if merged_header else 1
    table = document.add_table(rows=header_rows + len(rows), cols=4)
    if merged_header:
        top = table.rows[0].cells
        top[0].merge(top[1]).text = "Lĩnh vực, tiêu chí"
        top[2].merge(top[3]).text = "Chấm điểm"
    for cell, text in zip(
        table.rows[header_rows - 1].cells, ("STT", "Nội dung", "Điểm tối đa", "Cách chấm"), strict=True
    ):
        cell.text = text
    for r, values in enumerate(rows, start=header_rows):
        for cell, text in zip(table.rows[r].cells, values, strict=True):
            lines = text.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm", ["0.5", "0"]),
        ("Đạt: 1 điểm\nKhông đạt: 0 điểm", ["1", "0"]),
        ("1: Có\n0: Không", ["1", "0"]),
        ("Căn cứ kết quả thực hiện để chấm điểm phù hợp", None),
    ],
)
def test_annex_rule(text: str, expected: list[str] | None) -> None:
    rule = annex_rule(text)
    if expected is None:
        assert rule is None
    else:
        assert rule is not None
        assert [str(Decimal(o["points"]).normalize()) for o in rule["options"]] == expected


@pytest.mark.parametrize("merged_header", [False, True])
def test_good_annex_becomes_a_checked_catalogue(tmp_path: Path, merged_header: bool) -> None:
    annex = make_annex(tmp_path / "phu-luc.docx", GOOD, merged_header=merged_header)
    text, problems = import_annex(annex, tmp_path / "xem-lai.xlsx")
    assert problems == []
    assert text is not None
    cat = parse_catalogue(text)
    assert [leaf.code for leaf in cat.leaves] == ["1.1.1", "1.1.2", "1.2.1", "1.2.2", "2.1"]
    # by hand: fields 3 + 2 = 5; survey item 1.2.2 (1 point); self 4
    assert (cat.model.total_points, cat.model.self_points, cat.model.survey_points) == (5, 4, 1)
    assert cat.model.year == 2024
    leaf = cat.leaf_by_code["1.1.2"]
    assert leaf.allowed_points() == [Decimal(1), Decimal("0.5"), Decimal(0)]
    assert leaf.source.startswith("phu-luc.docx, dòng ")
    assert not leaf.verified
    assert cat.leaf_by_code["1.2.2"].scored_by == "survey"
    assert cat.leaf_by_code["2.1"].allowed_points() is None
    assert cat.verification() == (9, 9)


def test_broken_annex_names_each_row(tmp_path: Path) -> None:
    rows = list(GOOD)
    rows[2] = ("1.1", "Ban hành kế hoạch", "", "Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm")
    rows[3] = ("1.2", "Mức độ thực hiện kế hoạch", "1", "Căn cứ mức độ hoàn thành để chấm")
    rows[8] = ("1.", "Công bố thủ tục hành chính", "1,5", "Thang điểm, bước 0,25")
    annex = make_annex(tmp_path / "phu-luc.docx", rows)
    review = tmp_path / "xem-lai.xlsx"
    text, problems = import_annex(annex, review)
    assert text is None
    messages = [p.message for p in problems]
    header = 1
    assert any(m.startswith(f"dòng {header + 3} (mục 1.1.1): không có điểm tối đa") for m in messages), messages
    assert any(m.startswith(f"dòng {header + 4} (mục 1.1.2): cách chấm chỉ là lời văn") for m in messages), messages
    # field II is 2 points, its only criterion 1,5
    assert any(m.startswith(f"dòng {header + 8} (mục 2): điểm các mục con cộng lại 1.5") for m in messages), messages
    ws = openpyxl.load_workbook(review)["Bộ tiêu chí"]
    headers = [c.value for c in ws[1]]
    doubts = {ws.cell(r, 1).value: ws.cell(r, headers.index(REVIEW_HEADER) + 1).value for r in range(2, ws.max_row + 1)}
    assert "lời văn" in doubts["1.1.2"]
    assert "không có điểm tối đa" in doubts["1.1.1"]
    assert doubts["1.1"] is None
    assert ws.cell(5, headers.index("Hướng dẫn") + 1).value == "Căn cứ mức độ hoàn thành để chấm"


def test_unknown_numbering_and_missing_year(tmp_path: Path) -> None:
    rows = [*GOOD, ("x", "Dòng lạ", "1", "")]
    result = read_annex(make_annex(tmp_path / "a.docx", rows, year=False))
    messages = [p.message for p in result.problems]
    assert any("số thứ tự “x”" in m for m in messages)
    assert any("năm đánh giá" in m for m in messages)


def test_cli_import_docx(tmp_path: Path) -> None:
    annex = make_annex(tmp_path / "phu-luc.docx", GOOD)
    out = tmp_path / "bo-tieu-chi.yaml"
    result = CliRunner().invoke(catalogue_app, ["import", str(annex), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert parse_catalogue(out.read_text(encoding="utf-8")).model.total_points == 5
    assert (tmp_path / "bo-tieu-chi-xem-lai.xlsx").is_file()


def test_cli_import_broken_docx(tmp_path: Path) -> None:
    rows = list(GOOD)
    rows[2] = ("1.1", "Ban hành kế hoạch", "", "Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm")
    annex = make_annex(tmp_path / "phu-luc.docx", rows)
    out = tmp_path / "bo-tieu-chi.yaml"
    result = CliRunner().invoke(catalogue_app, ["import", str(annex), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert "mục 1.1.1" in result.output
    assert (tmp_path / "bo-tieu-chi-xem-lai.xlsx").is_file()
