"""The report to the People's Committee as the office would write it (issue points 4, 5 and 6).

Rendered through LibreOffice Writer and read page by page: a provisional report says so in its title and
date and keeps the catalogue's caveat for the officer; the plan is cited by number and date; an overall
assessment made from the figures, the proposals, the closing and the detailed appendix of every criterion;
tables each with its header and caption, numbers centred in every row, the total never alone on a page.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli import __version__
from parcli.cli import app
from parcli.config.campaign import Campaign
from parcli.numbers import ROUNDING_RULE
from parcli.results.assessment import split_lost
from parcli.results.consolidated_write import write_consolidated
from parcli.results.report import render_report
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.documents import read_docx, read_html, read_md
from tests.helpers.pages import after_closing, document_xml, first_line, margins_mm, page_of, pages_of, squashed
from tests.helpers.remedy import World, fill_plan
from tests.helpers.reports import report_of

runner = CliRunner()
TODAY = date(2024, 1, 19)
SIGNER = "Nguyễn Văn A"


@pytest.fixture
def consolidated(campaign: Campaign, full_returns: Path, tmp_path: Path) -> Path:
    """Every department returned, nothing appraised: a final report (nothing pending)."""
    out = tmp_path / "tong-hop.xlsx"
    write_consolidated(merge_returns(campaign, full_returns), out, now=datetime(2024, 1, 16, tzinfo=UTC))
    return out


@pytest.fixture
def partial(campaign: Campaign, full_returns_copy: Path, tmp_path: Path) -> Path:
    """Thanh tra tỉnh has not returned: a provisional report."""
    for path in full_returns_copy.glob("*thanh-tra*"):
        path.unlink()
    out = tmp_path / "tong-hop-thieu.xlsx"
    write_consolidated(merge_returns(campaign, full_returns_copy), out, now=datetime(2024, 1, 16, tzinfo=UTC))
    return out


def test_a_provisional_report_says_so_and_keeps_the_caveat_for_the_officer(
    campaign: Campaign, partial: Path, consolidated: Path, tmp_path: Path
) -> None:
    """Point 4: “tạm tính” in the title and the day of the figures; the catalogue's caveat on the terminal and in
    the manifest, never on the Committee's pages; no column headed “Kết quả cuối”."""
    outs = {}
    for fmt in ("docx", "html", "md"):
        outs[fmt] = tmp_path / f"bao-cao.{fmt}"
        result = runner.invoke(app, ["report", str(partial), "-o", str(outs[fmt])], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        said = " ".join(result.output.split())
        assert "chưa được đối chiếu với văn bản chính thức" in said  # the officer is told
    texts = {
        "docx": read_docx(outs["docx"]).text,
        "html": read_html(outs["html"].read_text(encoding="utf-8")).text,
        "md": read_md(outs["md"].read_text(encoding="utf-8")).text,
    }
    for fmt, text in texts.items():
        assert "năm 2023 của tỉnh Hưng Yên (tạm tính)" in text, fmt
        assert "(Số liệu đến ngày 19/01/2024)" in text, fmt
        assert "Kết quả trên là kết quả tạm tính: còn 1 tiêu chí thành phần chưa có điểm." in text, fmt
        assert "chưa được đối chiếu" not in text and "Lưu ý: bộ tiêu chí" not in text, fmt
        assert "Kết quả cuối" not in text, fmt
    notes = json.loads(outs["docx"].with_name("bao-cao.docx.manifest.json").read_text(encoding="utf-8"))
    assert notes["options"]["notes"]["catalogue_unverified"] == "133/133"
    assert notes["options"]["notes"]["provisional"] == ["còn 1 tiêu chí thành phần chưa có điểm"]
    # every item scored, nothing to appraise: the report is final and says nothing of “tạm tính”
    final = report_of(campaign, consolidated, today=TODAY)
    assert final.context["provisional"] is False and "tạm tính" not in final.context["title"]


def test_the_report_an_office_would_write(campaign: Campaign, partial: Path, tmp_path: Path) -> None:
    """Point 5: the plan cited by number and date, the assessment from the figures, proposals, the closing, the
    detailed appendix of every criterion; the software in the document's properties and the manifest only."""
    data = report_of(campaign, partial, today=TODAY)
    out = tmp_path / "bao-cao.docx"
    render_report(data, out)
    text = read_docx(out).text
    assert "Căn cứ Kế hoạch số …/KH-UBND ngày … của UBND tỉnh Hưng Yên về triển khai xác định Chỉ số CCHC" in text
    for heading in ("I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", "II. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "2. Tồn tại, hạn chế",
                    "3. Nguyên nhân", "III. ĐỀ XUẤT, KIẾN NGHỊ"):  # fmt: skip
        assert heading in text, heading
    assert "Sở Nội vụ kính báo cáo UBND tỉnh xem xét, chỉ đạo./." in text
    assert "Chỉ đạo Thanh tra tỉnh khẩn trương hoàn thành, gửi kết quả tự đánh giá về Sở Nội vụ." in text
    # the assessment is the figures': the points lost split into what departments did not claim and what the
    # appraisal took off, adding up to the points lost
    unclaimed, appraised_off = split_lost(data.context["lost"])
    assert unclaimed + appraised_off == data.context["index"]["lost"]
    good = [f for f in data.context["fields"] if f["appraised_percent"] is not None and f["appraised_percent"] >= 90]
    strengths = " ".join(data.context["assessment"]["strengths"])
    assert all(f"lĩnh vực {f['code']} (" in strengths for f in good)
    # the appendix: every field, criterion and component criterion of the catalogue
    appendix = read_docx(out).table("Mã", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm tối đa")
    codes = [f.code for f in campaign.catalogue.model.fields]
    codes += [c.code for f in campaign.catalogue.model.fields for c in f.criteria]
    codes += [leaf.code for leaf in campaign.catalogue.leaves]
    assert sorted(r[0] for r in appendix) == sorted(codes)
    assert "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHI TIẾT" in text
    assert "NGUỒN SỐ LIỆU" not in text and "parcli" not in text
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert f"parcli {__version__}" in core and ROUNDING_RULE in core


@pytest.mark.libreoffice
def test_report_pages_as_the_committee_reads_them(
    campaign: Campaign, partial: Path, remedy_world: World, tmp_path: Path
) -> None:
    """Point 6, on the printed pages; and the Tờ trình with the People's Committee's draft (point 5)."""
    filled = tmp_path / "gui-ve"
    silent, *others = sorted(remedy_world.plans)
    for dept in others:
        fill_plan(remedy_world.plans[dept], filled / remedy_world.plans[dept].name)
    out = tmp_path / "bao-cao.docx"
    args = ["report", str(remedy_world.final), "-o", str(out), "--preliminary", str(remedy_world.prelim)]
    result = runner.invoke(app, [*args, "--remedies", str(filled), "--to-trinh"])
    assert result.exit_code == 0, result.output
    pages = pages_of(out, tmp_path)
    text = squashed("\n".join(pages))
    for n, page in enumerate(pages[1:], start=2):
        assert first_line(page) == str(n), n
    # no previous year: no column of dashes for it
    assert "Thay đổi so với năm trước" not in text
    # the field table's total shares its page with the last field
    assert page_of(pages, "Tổng cộng") == page_of(pages, "kinh tế - xã hội của tỉnh")
    # every section numbered; the remedy section opens with a sentence, not a log line
    assert "5. Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ Qua đánh giá sơ bộ," in text
    assert "So sánh bảng tổng hợp" not in text
    # a department that sent no plan: said in its rows
    name = remedy_world.campaign.department_by_id[silent].name
    assert f"Cơ quan chưa gửi kế hoạch khắc phục: {name}." in text
    doc = read_docx(out)
    silent_rows = [r for r in doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Điểm sơ bộ") if r[2] == name]
    assert silent_rows and all(r[4] == "Chưa gửi kế hoạch khắc phục" for r in silent_rows)
    # the departments in the order of the appendices, each sums table its own header
    order = [r[0] for r in doc.table("PL", "Cơ quan", "Số mục", "Điểm bị trừ (sơ bộ)")[:-1]]
    assert order == sorted(order, key=lambda a: [d.appendix for d in campaign.departments].index(a))
    assert doc.table("TT", "Lĩnh vực", "Số mục", "Điểm bị trừ (sơ bộ)")
    # the remedy items named, not bare codes; “tự đánh giá”, never “tự chấm”
    items = doc.table("Mã", "Tiêu chí thành phần", "Cơ quan", "Điểm sơ bộ")
    assert all(row[1] for row in items)
    assert "tự chấm" not in text and "Thẩm định:" not in text
    # nothing after "./." but Nơi nhận and the signature (the appendix begins on a page of its own)
    closing = page_of(pages, "kính báo cáo UBND tỉnh xem xét, chỉ đạo./.")
    assert after_closing(pages[: closing], SIGNER) == []
    assert "PHỤ LỤC" in pages[closing]
    # portrait body, landscape appendix, both with the decree's margins
    assert margins_mm(out) == [
        {"orient": "portrait", "top": 20, "bottom": 20, "left": 30, "right": 15},
        {"orient": "landscape", "top": 30, "bottom": 15, "left": 20, "right": 20},
    ]
    # numbers centred in body rows and in the “Cộng” rows alike
    xml = document_xml(out)
    assert "0,75/1,2" not in text and not re.search(r"<w:jc w:val=\"right\"/>", xml)
    # the Tờ trình and the People's Committee's draft
    letter = read_docx(out.with_name("bao-cao-to-trinh.docx")).text
    assert "TỜ TRÌNH" in letter and "Số: …/TTr-SNV" in letter and "Kính gửi: Ủy ban nhân dân tỉnh Hưng Yên" in letter
    assert letter.count("kính trình") == 1 and letter.rstrip().count("xem xét, quyết định./.") == 1
    draft = read_docx(out.with_name("bao-cao-du-thao-bao-cao-ubnd.docx")).text
    assert "DỰ THẢO" in draft and "ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN" in draft and "Số: …/BC-UBND" in draft
    assert "TM. ỦY BAN NHÂN DÂN" in draft and "KT. CHỦ TỊCH" in draft and "PHÓ CHỦ TỊCH" in draft
    assert "kính báo cáo Bộ Nội vụ./." in draft


def test_report_tables_say_what_their_numbers_are(campaign: Campaign, partial: Path, tmp_path: Path) -> None:
    """Point 6 in the Word file: numbered fields, captions between tables, explanation and note apart."""
    data = report_of(campaign, partial, today=TODAY)
    out = tmp_path / "bao-cao.docx"
    render_report(data, out)
    doc = read_docx(out)
    fields = doc.table("TT", "Lĩnh vực", "Điểm tối đa", "Tối đa phần tự đánh giá")
    assert [r[0] for r in fields[:-1]] == [f.code for f in campaign.catalogue.model.fields]  # 1.–8. kept
    assert all("/" not in cell and "(" not in cell for row in fields for cell in row[2:])  # no “7,75/8”, no “(2)”
    lost = doc.table("Mã", "Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá", "Điểm sau thẩm định")
    assert lost and all(" — " not in row[-1] for row in lost)
    xml = document_xml(out)
    # every data table is preceded by its caption: no two tables touch (Word and LibreOffice would merge them)
    assert "</w:tbl><w:tbl>" not in xml.replace("\n", "")


def test_a_word_report_leaves_markdown_unescaped(campaign: Campaign, partial: Path, tmp_path: Path) -> None:
    """docxtpl turns autoescaping on in the environment it renders with: the text templates never share it."""
    from parcli.render import render_string

    folder = tmp_path / "mau"
    folder.mkdir()
    (folder / "x.md.j2").write_text("{{ v }}", encoding="utf-8")
    render_report(report_of(campaign, partial, today=TODAY), tmp_path / "bao-cao.docx", template_dir=folder)
    assert render_string("x.md.j2", {"v": "a < b & c"}, folder) == "a < b & c"
