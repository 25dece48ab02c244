"""The Word documents as a reader sees them: rendered through LibreOffice Writer to PDF (issue 18).

The report and a reminder letter are converted with ``soffice --headless
--convert-to pdf`` and read back with ``pdftotext -layout``, page by page:
no page number on page 1, "2" on page 2, the header row of a long table
repeated on the next page, the signer's name and the closing "./." present.
The .docx XML is read for what the eye cannot check in text: the rules under
the issuing body, the motto and the trích yếu (paragraph borders), repeated
header rows (``w:tblHeader``) and rows that do not split (``w:cantSplit``).
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from parcli.config.campaign import Campaign
from parcli.results.consolidated_write import write_consolidated
from parcli.results.remind import write_reminders
from parcli.results.report import render_report
from parcli.rounds.scoring.merge import merge_returns
from tests.helpers.programs import pdf_pages
from tests.helpers.reports import report_of

TODAY = date(2024, 1, 18)
MISSING = "thanh-tra"


def first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def document_xml(docx: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read(part).decode("utf-8")


def header_xml(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"word/header\d*\.xml", n))


@pytest.fixture
def report_docx(campaign: Campaign, full_returns: Path, tmp_path: Path) -> Path:
    """The Word report of a full round, with a departments table long enough to run over pages."""
    consolidated = tmp_path / "tong-hop.xlsx"
    write_consolidated(merge_returns(campaign, full_returns), consolidated, now=datetime(2024, 1, 16, tzinfo=UTC))
    data = report_of(campaign, consolidated, today=TODAY)
    rows = data.context["departments"]
    data.context["departments"] = rows + [row | {"name": f"Cơ quan thử {n}"} for n, row in enumerate(rows * 3)]
    out = tmp_path / "bao-cao.docx"
    render_report(data, out)
    return out


@pytest.mark.libreoffice
def test_report_pages_as_a_reader_sees_them(report_docx: Path, tmp_path: Path) -> None:
    pages = pdf_pages(report_docx, tmp_path / "pdf")
    assert len(pages) >= 3
    # page numbers from page 2 on, centred at the top; none on page 1
    assert first_line(pages[0]).startswith("UBND TỈNH HƯNG YÊN")
    for n, page in enumerate(pages[1:], start=2):
        assert first_line(page) == str(n), n
    # the long departments table: its header row is repeated on every page it runs over
    table_pages = [p for p in pages if "Cơ quan thử" in p]
    assert len(table_pages) >= 2
    for page in table_pages:
        assert re.search(r"PL\s+Cơ quan\s+Số", page), page[:400]
    text = "\n".join(pages)
    assert "XVII " in text and re.search(r"XVII\s+Thanh tra tỉnh", text)  # "XVII" on one line
    assert re.search(r"\d\d/\d\d/\d{4}", text)  # dates not broken over two lines
    assert "như sau:" in text
    assert "Nguyễn Văn A" in text and "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text
    assert "./." in text
    assert "Hưng Yên, ngày 19 tháng 01 năm 2024" in pages[0]  # the campaign's report date, not the run day
    # after the signature: the detailed appendix of every criterion, never the software and its rounding rule
    # (they are in the manifest and the document's properties: the old “PHỤ LỤC: NGUỒN SỐ LIỆU” page was a defect)
    appendix = next(n for n, page in enumerate(pages) if "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ" in page)
    assert "Nguyễn Văn A" in pages[appendix - 1] and "Nguyễn Văn A" not in "".join(pages[appendix:])
    assert "quy tắc làm tròn" not in text and "parcli" not in text


def test_report_xml_rules_headers_rows(report_docx: Path) -> None:
    xml = document_xml(report_docx)
    # rules under the issuing body, under the motto and under the trích yếu
    assert xml.count("<w:pBdr>") >= 3
    assert "<w:tblHeader/>" in xml and "<w:cantSplit/>" in xml
    assert "<w:titlePg/>" in xml  # a different first page: no number there
    assert "PAGE" in header_xml(report_docx)


@pytest.mark.libreoffice
def test_reminder_letter_as_a_reader_sees_it(campaign: Campaign, full_returns_copy: Path, tmp_path: Path) -> None:
    next(full_returns_copy.glob(f"*{MISSING}*")).unlink()
    reminders, _ = write_reminders(merge_returns(campaign, full_returns_copy), tmp_path / "nhac-nho", today=TODAY)
    letter = next(r.path for r in reminders if r.department_id == MISSING)
    xml = document_xml(letter)
    assert xml.count("<w:pBdr>") >= 2 and "<w:titlePg/>" in xml
    pages = pdf_pages(letter, tmp_path / "pdf")
    assert len(pages) == 1
    page = pages[0]
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    # letterhead: issuing body left, national title right, on the same lines; number and date line below
    assert re.search(r"UBND TỈNH HƯNG YÊN\s+CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", lines[0])
    assert re.search(r"SỞ NỘI VỤ\s+Độc lập - Tự do - Hạnh phúc", lines[1])
    assert re.search(r"Số: …/SNV-CCHC\s+Hưng Yên, ngày … tháng … năm …", page)
    assert "V/v đôn đốc gửi kết quả" in page
    assert "Kính gửi: Thanh tra tỉnh" in page
    assert "Trân trọng./." in page
    assert "Nơi nhận:" in page and "- Lưu: VT, CCHC." in page
    assert "Nguyễn Văn A" in page and "KT. GIÁM ĐỐC" in page
    assert ".xlsx" not in page
