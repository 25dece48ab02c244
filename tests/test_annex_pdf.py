"""Annexes published as PDF: printed from Word by LibreOffice Writer, read back with pdfplumber.

A PDF with a text layer imports to the same tree as its .docx, in every numbering style and over pages (the
header repeated, rows cut by a page break); doubts are named by page and row.  A scan, a PDF without a ruled
table, a page without text inside the table, a password and a damaged file are told in Vietnamese, never in
pdfminer's words.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parcli.catalogue_table.annex import import_annex, read_annex
from parcli.cli import app
from parcli.errors import CatalogueError
from tests.helpers.annexes import STYLES, TREE, big_tree, image_pdf, numbered, to_pdf, tree_of, write_docx
from tests.helpers.programs import require_soffice

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
LONG_ROWS = 150  # about five pages


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The annexes as .docx and as PDF, printed in one LibreOffice start: name → PDF (the .docx beside it)."""
    exe = require_soffice()
    folder = tmp_path_factory.mktemp("printed")
    docs = {style: write_docx(folder / f"{style}.docx", numbered(TREE, style)) for style in STYLES}
    docs["long"] = write_docx(folder / "long.docx", numbered(big_tree(LONG_ROWS), "roman"), notes=True)
    docs["tall"] = write_docx(folder / "tall.docx", numbered(TALL, "dotted"))
    docs["points-missing"] = write_docx(
        folder / "points-missing.docx", [(n, t, "" if n == "1.2" else p, r) for n, t, p, r in numbered(TREE, "roman")]
    )
    docs["unruled"] = write_docx(folder / "unruled.docx", numbered(TREE, "roman"), ruled=False)
    pdfs = to_pdf(list(docs.values()), exe)
    return dict(zip(docs, pdfs, strict=True))


# component criteria whose rule has eleven lines: rows taller than what is left of a page, so Writer cuts them
TALL = [
    (1, "Lĩnh vực có tiêu chí thành phần chấm theo nhiều mức", "5", ""),
    (2, "Tiêu chí có mười tiêu chí thành phần", "5", ""),
    *(
        (
            3,
            f"Tiêu chí thành phần thứ {k}",
            "0,5",
            "\n".join(f"Mức {m}: {(10 - m) * 5 / 100:.2f} điểm".replace(".", ",") for m in range(11)),
        )
        for k in range(1, 11)
    ),
]


def _imported(path: Path) -> str:
    text, problems = import_annex(path, path.with_name(path.stem + "-xem-lai.xlsx"))
    assert [p.message for p in problems] == []
    assert text is not None
    return text


@pytest.mark.libreoffice
@pytest.mark.parametrize("style", sorted(STYLES))
def test_pdf_gives_the_tree_of_its_docx(printed: dict[str, Path], style: str) -> None:
    pdf = printed[style]
    reference = tree_of(_imported(printed["roman"].with_suffix(".docx")))
    assert tree_of(_imported(pdf)) == reference


@pytest.mark.libreoffice
def test_pdf_over_pages(printed: dict[str, Path]) -> None:
    """Five pages: the header repeated on each, rows cut by page breaks joined, a merged note column ignored."""
    pdf = printed["long"]
    assert tree_of(_imported(pdf)) == tree_of(_imported(pdf.with_suffix(".docx")))
    result = read_annex(pdf)
    pages = {r.where.split(",")[0] for r in result.rows}
    assert len(pages) >= 4, pages
    assert len(result.rows) == len(big_tree(LONG_ROWS))


@pytest.mark.libreoffice
def test_rows_cut_by_a_page_break_are_joined(printed: dict[str, Path]) -> None:
    import pdfplumber

    pdf = printed["tall"]
    with pdfplumber.open(pdf) as document:
        cut = [p.page_number for p in document.pages[1:] if p.extract_tables()[0][1][0] == ""]
    assert cut, "no row was cut by a page break: the test proves nothing"
    assert tree_of(_imported(pdf)) == tree_of(_imported(pdf.with_suffix(".docx")))


@pytest.mark.libreoffice
def test_sources_and_doubts_name_page_and_row(printed: dict[str, Path]) -> None:
    result = read_annex(printed["points-missing"])
    assert result.rows[2].values["source"] == "points-missing.pdf, trang 1, dòng 4 (số thứ tự “1.1”)"
    assert [p.message for p in result.problems] == ["trang 1, dòng 5 (mục 1.1.2): không có điểm tối đa đọc được (“”)"]


@pytest.mark.libreoffice
def test_a_table_without_lines_is_named(printed: dict[str, Path]) -> None:
    with pytest.raises(CatalogueError) as caught:
        read_annex(printed["unruled"])
    assert "không tìm thấy bảng tiêu chí" in str(caught.value)
    assert "bảng có kẻ khung" in str(caught.value)


@pytest.mark.libreoffice
def test_a_scanned_page_inside_the_table_is_a_doubt(printed: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    text_pages = PdfReader(printed["long"]).pages
    writer.add_page(text_pages[0])
    writer.add_page(PdfReader(image_pdf(tmp_path / "scan.pdf")).pages[0])
    for page in text_pages[1:]:
        writer.add_page(page)
    mixed = tmp_path / "mixed.pdf"
    with mixed.open("wb") as handle:
        writer.write(handle)
    messages = [p.message for p in read_annex(mixed).problems]
    assert messages[0].startswith("trang 2: trang không có lớp chữ (bản quét hoặc ảnh)"), messages


@pytest.mark.libreoffice
def test_cli_reads_a_pdf_named_docx(printed: dict[str, Path], tmp_path: Path) -> None:
    """The file's content decides: a PDF saved under a .docx name is read as the PDF it is."""
    annex = tmp_path / "phu-luc.docx"
    shutil.copyfile(printed["dotted"], annex)
    out = tmp_path / "bo-tieu-chi.yaml"
    res = runner.invoke(app, ["catalogue", "import", str(annex), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "trang 1, dòng" in out.read_text(encoding="utf-8")


@pytest.mark.libreoffice
def test_cli_import_pdf(printed: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "bo-tieu-chi.yaml"
    res = runner.invoke(app, ["catalogue", "import", str(printed["dotted"]), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "bo-tieu-chi-xem-lai.xlsx").is_file()


def _password_pdf(path: Path) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="mat-khau", owner_password="chu")
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _bytes(content: bytes) -> Callable[[Path], Path]:
    def write(path: Path) -> Path:
        path.write_bytes(content)
        return path

    return write


CASES: dict[str, tuple[Callable[[Path], Path], list[str]]] = {
    "scan": (lambda p: image_pdf(p, pages=3), ["không có lớp chữ", "bản quét", ".docx"]),
    "password": (_password_pdf, ["mật khẩu"]),
    "damaged": (_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n"), ["bị hỏng"]),
    "html-named-pdf": (_bytes(b"<!DOCTYPE html><html><body>Not found</body></html>"), ["không phải PDF"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_pdf_that_cannot_be_read_is_told_in_vietnamese(tmp_path: Path, case: str) -> None:
    make, words = CASES[case]
    annex = make(tmp_path / "phu-luc.pdf")
    with pytest.raises(CatalogueError) as caught:
        read_annex(annex)
    message = str(caught.value)
    for word in words:
        assert word in message, message
    for english in ("Error", "error", "EOF", "Root", "password", "pdfminer", "pdfplumber", "Traceback"):
        assert english not in message, message
