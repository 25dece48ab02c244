"""Issued forms as LibreOffice prints them, and a filled form saved again by LibreOffice, read back exactly.

One form of each kind (scoring workbook, appraisal workbook by department, by field and in round 2, remedy
plan), typed into as its owner would, is printed to PDF; so is the same form after LibreOffice has opened
and saved it (what a department using LibreOffice sends back).  On every PDF: every page A4 landscape;
no page below a readable size (the text's height against a 12-point line printed at full size, in the same
LibreOffice); the header row on every page of the table; "Trang i/N" on every page; the signature block on
the last page; every word of the forms' text printed (a row too short for its text hides its last lines).
The saved-again form reads and merges exactly as the one typed.  In a Vietnamese locale the numbers print
with a decimal comma (``0,50``), from the same ``0.00`` format that prints ``0.50`` in an English one.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from statistics import median
from typing import Any

import pytest

from parcli.config.campaign import Campaign
from parcli.rounds.appraisal.read import read_appraisal
from parcli.rounds.remedy.read import read_remedy
from parcli.rounds.scoring.merge import merge_returns
from parcli.rounds.scoring.read import read_return
from parcli.xlsx.style import XW, xw_format
from parcli.xlsx.write import write_xlsxwriter
from tests.helpers.printed import DEPT, KINDS, Form, forms_of, load, visible
from tests.helpers.programs import roundtrip_many, soffice_convert
from tests.helpers.remedy import World

pytestmark = pytest.mark.libreoffice

A4_LANDSCAPE = (841.89, 595.28)  # points
READABLE = 0.74  # 12-point text printed at 8.9 points or more (parcli aims at 9)
NOTES = {"THỦ TRƯỞNG CƠ QUAN": "(Ký tên, đóng dấu)"}  # the others: "(Ký, ghi rõ họ tên)"
CALIBRATION = "do-chu-12"


def poppler(tool: str) -> str:
    """A poppler-utils program (CI installs them; a developer machine without them skips)."""
    exe = shutil.which(tool)
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required in CI: .ci/run installs poppler-utils", pytrace=False)
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return exe


def run(*args: str) -> str:
    """A poppler program's output."""
    return subprocess.run([poppler(args[0]), *args[1:]], check=True, capture_output=True, text=True, timeout=120).stdout


@dataclass(frozen=True)
class Pdf:
    """A printed PDF: each page's size (points), text (laid out), and its words' heights."""

    sizes: list[tuple[float, float]]
    pages: list[str]
    heights: list[list[float]]

    @classmethod
    def read(cls, path: Path) -> Pdf:
        """Read ``path`` with pdfinfo and pdftotext."""
        count = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path)))[1])  # type: ignore[index]
        info = run("pdfinfo", "-f", "1", "-l", str(count), str(path))
        sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
        text = run("pdftotext", "-layout", str(path), "-")
        pages = text.split("\f")[:count]
        bbox = run("pdftotext", "-bbox", str(path), "-").split("<page ")[1:]
        heights = [
            [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', p)]
            for p in bbox
        ]
        return cls(sizes, pages, heights)


def calibration(wb: Any) -> None:
    """A page of 12-point body text printed at full size: the height a readable page is measured against."""
    ws = wb.add_worksheet("Đo chữ")
    body = xw_format(wb, XW.font)
    ws.set_column(0, 0, 120)
    for r in range(30):
        ws.write_string(r, 0, "Kết quả tự đánh giá, chấm điểm chỉ số cải cách hành chính của cơ quan năm", body)
    ws.set_paper(9)
    ws.set_landscape()
    ws.set_print_scale(100)


@dataclass(frozen=True)
class Printed:
    """The forms, the same forms saved again by LibreOffice, each printed, and the full-size line height."""

    forms: dict[str, Form]
    saved: dict[str, Path]
    pdfs: dict[tuple[str, str], Pdf]  # (kind, "typed" | "saved") -> its PDF
    full_size: float


@pytest.fixture(scope="module")
def printed(
    campaign: Campaign,
    issued: dict[str, Path],
    full_returns: Path,
    remedy_world: World,
    tmp_path_factory: pytest.TempPathFactory,
) -> Printed:
    """Every kind of form typed into, saved again by LibreOffice, and both printed (three LibreOffice starts)."""
    root = tmp_path_factory.mktemp("print-pdf")
    forms = {f.kind: f for f in forms_of(campaign, issued, full_returns, remedy_world, root / "forms")}
    ruler = root / f"{CALIBRATION}.xlsx"
    write_xlsxwriter(ruler, calibration)
    soffice_convert([*(f.path for f in forms.values()), ruler], root / "pdf", "pdf")
    saved = dict(zip(forms, roundtrip_many([f.path for f in forms.values()], root / "saved"), strict=True))
    soffice_convert(list(saved.values()), root / "pdf-saved", "pdf")
    pdfs = {}
    for kind, form in forms.items():
        pdfs[kind, "typed"] = Pdf.read(root / "pdf" / f"{form.path.stem}.pdf")
        pdfs[kind, "saved"] = Pdf.read(root / "pdf-saved" / f"{saved[kind].stem}.pdf")
    full_size = median(h for page in Pdf.read(root / "pdf" / f"{CALIBRATION}.pdf").heights for h in page)
    return Printed(forms, saved, pdfs, full_size)


def texts(path: Path) -> Counter[str]:
    """The words of every text cell of the sheets a printout has (formulas aside)."""
    words: Counter[str] = Counter()
    for ws in visible(load(path)):
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.data_type != "f":
                    words.update(cell.value.split())
    return words


@pytest.mark.parametrize("copy", ["typed", "saved"])
@pytest.mark.parametrize("kind", KINDS)
def test_the_printed_form(printed: Printed, kind: str, copy: str) -> None:
    form = printed.forms[kind]
    pdf = printed.pdfs[kind, copy]
    count = len(pdf.pages)
    assert count == len(pdf.sizes) >= 1
    for number, ((width, height), text, heights) in enumerate(zip(pdf.sizes, pdf.pages, pdf.heights, strict=True), 1):
        where = f"{kind} ({copy}), page {number}/{count}"
        assert abs(width - A4_LANDSCAPE[0]) < 1 and abs(height - A4_LANDSCAPE[1]) < 1, f"{where}: not A4 landscape"
        scale = median(heights) / printed.full_size
        assert scale >= READABLE, f"{where}: printed at {scale:.0%} of full size"
        assert f"Trang {number}/{count}" in text, f"{where}: no page number"
        if not (form.cover and number == 1):  # the cover sheet has no table
            assert re.search(r"\bMã\b.*\bNội dung\b", text), f"{where}: no header row"
    last = pdf.pages[-1]
    for title in form.signature:
        assert title in last and NOTES.get(title, "(Ký, ghi rõ họ tên)") in last, (
            f"{kind}: {title} not on the last page"
        )
    assert "ngày … tháng … năm …" in last
    # every word of the form printed: a row too short for its wrapped text would hide its last lines
    source = printed.saved[kind] if copy == "saved" else form.path
    words = Counter(" ".join(pdf.pages).split())
    missing = {w: n - words[w] for w, n in texts(source).items() if words[w] < n}
    assert not missing, f"{kind} ({copy}): words not printed (cut off by a row too short): {missing}"


def test_the_scoring_workbook_prints_its_cover_on_one_page_and_its_table_two_pages_across(printed: Printed) -> None:
    pages = printed.pdfs["scoring", "typed"].pages
    assert "THÔNG TIN NGƯỜI LẬP BIỂU" in pages[0] and "Chấm điểm" not in re.sub(r"“Chấm điểm”", "", pages[0])
    table = pages[1:]
    assert len(table) % 2 == 0  # each band of rows on two pages across, one after the other
    for left, right in zip(table[::2], table[1::2], strict=True):
        left_header, right_header = (
            next(line for line in page.splitlines() if "Nội dung" in line) for page in (left, right)
        )
        assert "Giải trình" in left_header and "Hướng dẫn chấm điểm" not in left_header
        assert "Tài liệu kiểm chứng" in right_header and "Hướng dẫn chấm điểm" in right_header
        assert "Giải trình" not in right_header


@pytest.mark.parametrize("kind", KINDS)
def test_a_form_saved_again_by_libreoffice_reads_exactly_as_typed(
    printed: Printed, kind: str, campaign: Campaign, remedy_world: World
) -> None:
    """Filled, signed (the preparer on the cover), printed and saved again: the same values, no new problem."""
    typed, saved = printed.forms[kind].path, printed.saved[kind]
    if kind == "scoring":
        before, after = read_return(typed, campaign), read_return(saved, campaign)
        assert after.items == before.items and after.sent_date == before.sent_date
    elif kind == "remedy":
        before, after = read_remedy(typed, remedy_world.campaign), read_remedy(saved, remedy_world.campaign)
        assert after.entries == before.entries
    else:
        before, after = read_appraisal(typed, campaign), read_appraisal(saved, campaign)
        assert after.entries == before.entries and after.rows == before.rows
    assert before.usable and after.usable
    assert [p.slug for p in after.problems] == [p.slug for p in before.problems] == []


def test_the_saved_return_merges_with_the_others_without_a_problem(
    printed: Printed, campaign: Campaign, full_returns: Path, tmp_path: Path
) -> None:
    folder = Path(shutil.copytree(full_returns, tmp_path / "returns"))
    mine = next(p for p in folder.iterdir() if p.name == printed.forms["scoring"].path.name)
    shutil.copyfile(printed.saved["scoring"], mine)
    merged = merge_returns(campaign, folder)
    assert [p.slug for p in merged.problems] == []
    assert {d.department.id: d.status for d in merged.departments}[DEPT] == "ok"
    assert merged.ok


def test_numbers_print_with_a_decimal_comma_in_a_vietnamese_locale(
    printed: Printed, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ``0.00`` format shows the locale's separator: ``1,50`` in Vietnamese, ``1.50`` in English."""
    form = printed.forms["appraisal"]
    english = " ".join(printed.pdfs["appraisal", "typed"].pages)
    monkeypatch.setenv("LC_ALL", "vi_VN.UTF-8")
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    soffice_convert([form.path], tmp_path / "vi", "pdf")
    vietnamese = " ".join(Pdf.read(tmp_path / "vi" / f"{form.path.stem}.pdf").pages)
    decimals = re.compile(r"(?<![\d.,])\d+([.,])\d\d(?![\d.,/])")
    assert {m[1] for m in decimals.finditer(english)} == {"."}
    assert {m[1] for m in decimals.finditer(vietnamese)} == {","}
    assert "1,50" in vietnamese and "0,50" in vietnamese
