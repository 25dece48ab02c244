"""The ranking report on the report's form, and the Quyết định that publishes it (issue point 8).

A portrait body (letterhead, trích yếu with its rule, indented body, numbered sections, pages numbered from
page 2, margins of Nghị định 30/2020) and landscape appendix pages for the table by field; the plan cited, never
pasted with an example's note; what a unit does not score said in words; no meaning in colour alone; no unit
alone on a page, no heading left at the foot of one; the remedy section numbered and counted in “lượt”; no
software appendix.  A ranking is published by the People's Committee's Quyết định, drafted with a Tờ trình.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.cli import app
from parcli.config.campaign import Campaign, load_campaign
from parcli.results.consolidated_write import write_consolidated
from parcli.results.ranking import exempt_words
from parcli.rounds.scoring.issue import generate_workbooks
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.documents import read_docx
from tests.helpers.factory import FIXED_NOW, fill_workbook
from tests.helpers.pages import document_xml, first_line, lines, margins_mm, page_of, pages_of, squashed
from tests.helpers.units import LOST, campaign_text, unit_values, write_catalogues

runner = CliRunner()
SURVEY_PENDING = "chờ XHH"


def test_what_a_unit_does_not_score_in_words() -> None:
    """“(miễn: 3, 7.5)” said as an official would: the level of each code named."""
    assert exempt_words(["3", "7.5"]) == "không áp dụng lĩnh vực 3, tiêu chí 7.5"
    assert exempt_words(["3", "4", "7.5", "7.5.1"]) == (
        "không áp dụng lĩnh vực 3, 4, tiêu chí 7.5, tiêu chí thành phần 7.5.1"
    )
    assert exempt_words([]) == ""


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Campaign, Path]:
    """The test units campaign, every unit returned but one, merged."""
    root = tmp_path_factory.mktemp("ranking")
    write_catalogues(root)
    (root / "campaign.yaml").write_text(campaign_text(), encoding="utf-8")
    camp = load_campaign(root / "campaign.yaml")
    issued = {w.department.id: w.path for w in generate_workbooks(camp, root / "issued", now=FIXED_NOW).workbooks}
    returns = root / "returns"
    for uid, lose in LOST.items():
        if lose is not None:
            fill_workbook(issued[uid], returns / issued[uid].name, unit_values(camp.department_by_id[uid], lose))
    out = root / "tong-hop.xlsx"
    write_consolidated(merge_returns(camp, returns), out, now=FIXED_NOW)
    return camp, out


def _row_page(pages: list[str], name: str) -> int:
    """The page of a ranking table's row: the line starting with a rank (or “–”) and the unit's name."""
    pattern = re.compile(rf"^\s*(\d+|–)\s+{re.escape(name.split(' (')[0])}", flags=re.MULTILINE)
    return next((n for n, page in enumerate(pages, start=1) if pattern.search(page)), 0)


@pytest.mark.libreoffice
def test_ranking_report_on_the_form(world: tuple[Campaign, Path], tmp_path: Path) -> None:
    camp, consolidated = world
    out = tmp_path / "xep-hang.docx"
    result = runner.invoke(app, ["report", str(consolidated), "-o", str(out), "--to-trinh"])
    assert result.exit_code == 0, result.output
    pages = pages_of(out, tmp_path)
    text = squashed("\n".join(pages))
    # pages numbered from page 2; portrait body 20/20/30/15 mm, landscape appendix
    assert lines(pages[0])[0].startswith("UBND TỈNH HƯNG YÊN")
    for n, page in enumerate(pages[1:], start=2):
        assert first_line(page) == str(n), n
    assert margins_mm(out) == [
        {"orient": "portrait", "top": 20, "bottom": 20, "left": 30, "right": 15},
        {"orient": "landscape", "top": 30, "bottom": 15, "left": 20, "right": 20},
    ]
    xml = document_xml(out)
    assert xml.count("<w:pBdr>") >= 3  # under the issuing body, under the motto, under the trích yếu
    intro = next(p for p in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.DOTALL) if "Căn cứ" in p)
    assert 'w:firstLine="' in intro  # the body is indented
    # the plan cited (by number), never its title pasted with a note
    assert "Căn cứ Kế hoạch số 01/KH-UBND, Sở Nội vụ tổng hợp kết quả tự đánh giá và xếp hạng" in text
    assert "kiểm thử" not in text.split("I. KẾT QUẢ")[0] and "VÍ DỤ" not in text
    # no appraisal given: the introduction does not announce one
    assert "thẩm định" not in text.split("I. KẾT QUẢ")[0]
    # what a unit does not score, in words
    docx = read_docx(out)
    ranked = [row[1] for table in docx.tables if table and table[0][:3] == ["Hạng", "Đơn vị", "Điểm đạt"]
              for row in table[1:]]  # fmt: skip
    assert "Ban Dân tộc (không áp dụng lĩnh vực 3)" in ranked and "(miễn" not in text
    # no meaning carried by colour alone: no cell fills but the header's and the appendix rows'
    fills = set(re.findall(r'w:fill="([0-9A-Fa-f]{6})"', xml))
    assert fills <= {"D9E1F2", "F2F2F2"}, fills
    # no unit alone on a page: each group's last unit shares its page with the unit before it
    for table in docx.tables:
        if table and table[0][:2] == ["Hạng", "Đơn vị"]:
            names = [row[1] for row in table[1:]]
            if len(names) >= 2:
                assert _row_page(pages, names[-1]) == _row_page(pages, names[-2]), names[-2:]
    # no heading left at the foot of a page
    headings = {"2. Xếp hạng theo nhóm đơn vị", "II. ĐỀ XUẤT, KIẾN NGHỊ", "1. Kết quả chung"}
    headings |= {f"2.{n}. {g.name}" for n, g in enumerate(camp.model.groups or [], start=1)}
    for page in pages:
        body = [line for line in lines(page) if not re.fullmatch(r"\d+", line)]
        assert body and body[-1] not in headings, body[-1:]
    # the software is the officer's, not the Committee's
    assert "parcli" not in text and "NGUỒN SỐ LIỆU" not in text and "chưa được đối chiếu" not in text
    # the appendix: the percentages by field, on landscape pages, in words where there is no number
    appendix = page_of(pages, "TỶ LỆ ĐIỂM ĐẠT THEO LĨNH VỰC CỦA CÁC ĐƠN VỊ")
    assert appendix > page_of(pages, "kính báo cáo UBND tỉnh xem xét, chỉ đạo./.")
    assert "không áp dụng" in squashed("\n".join(pages[appendix - 1 :]))
    # the Tờ trình and the draft Quyết định công bố kết quả
    letter = read_docx(out.with_name("xep-hang-to-trinh.docx")).text
    assert "TỜ TRÌNH" in letter and "công bố kết quả xác định Chỉ số cải cách hành chính năm 2023" in letter
    assert letter.count("kính trình") == 1 and "đề nghị UBND tỉnh ban hành Quyết định công bố" in letter
    decision = read_docx(out.with_name("xep-hang-du-thao-quyet-dinh.docx"))
    words = decision.text
    for w in ("DỰ THẢO", "QUYẾT ĐỊNH", "Về việc công bố kết quả xác định Chỉ số cải cách hành chính năm 2023",
              "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN", "Căn cứ Luật Tổ chức chính quyền địa phương", "QUYẾT ĐỊNH:",
              "Điều 1.", "Điều 3.", "TM. ỦY BAN NHÂN DÂN", "(Kèm theo Quyết định số …/QĐ-UBND ngày …"):  # fmt: skip
        assert w in words, w
    ranked = [row[1] for table in decision.tables if table and table[0][:2] == ["Xếp hạng", "Đơn vị"]
              for row in table[1:]]  # fmt: skip
    assert "Ban Dân tộc (không áp dụng lĩnh vực 3)" in ranked
    # as printed: the last article keeps with the signature, and only it (Điều 1 is on page 1)
    draft = out.with_name("xep-hang-du-thao-quyet-dinh.docx")
    printed = pages_of(draft, tmp_path)
    signed = page_of(printed, "TM. ỦY BAN NHÂN DÂN")
    assert page_of(printed, "Điều 3.") == signed and page_of(printed, "Điều 1.") == 1
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", document_xml(draft), flags=re.DOTALL)
    keeps = [p for p in paragraphs if "<w:keepNext/>" in p and "Điều" in p]
    assert len(keeps) == 1 and "Điều 3." in keeps[0], len(keeps)


def test_ranking_remedy_and_survey_words(world: tuple[Campaign, Path], tmp_path: Path) -> None:
    """A field scored by the survey reads “chờ XHH” in its cell (never a dash beside a note saying so)."""
    camp, consolidated = world
    out = tmp_path / "xep-hang.md"
    result = runner.invoke(app, ["report", str(consolidated), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    pending = any(f.scored_by == "survey" for cat in camp.catalogues.values() for f in cat.leaves)
    if pending:
        assert SURVEY_PENDING in text
    heat = [line for line in text.split("## PHỤ LỤC")[1].splitlines() if line.startswith("| UBND") or "Ban " in line]
    assert heat and all("| – |" not in line for line in heat)  # a unit that returned: a figure or a word per cell
