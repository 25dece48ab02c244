"""Documents read as their reader sees them: the pages LibreOffice lays out, and what the .docx says underneath.

Used by ``tests/test_docs_*.py``: :func:`pages_of` (the PDF pages as text), :func:`after_closing` (what follows
"./." on its page: only the recipients and the signature may), :func:`document_xml` and :func:`margins_mm`
(the sections' page sizes and margins).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers.programs import pdf_pages, soffice_convert

TWIPS_PER_MM = 1440 / 25.4


def pages_of(docx: Path, scratch: Path) -> list[str]:
    """The pages of a Word document as LibreOffice Writer prints them (``pdftotext -layout``), one string each."""
    return pdf_pages(docx, scratch / f"pdf-{docx.stem}")


def pages_of_many(docs: list[Path], scratch: Path) -> dict[str, list[str]]:
    """The pages of several Word documents, converted in one LibreOffice start: file name → pages."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = scratch / "pdf-many"
    soffice_convert(docs, out, "pdf", app=None)
    found = {}
    for doc in docs:
        pdf = out / doc.with_suffix(".pdf").name
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True, timeout=60
        ).stdout
        found[doc.name] = text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")
    return found


def lines(page: str) -> list[str]:
    """The non-empty lines of a page, stripped."""
    return [line.strip() for line in page.splitlines() if line.strip()]


def first_line(page: str) -> str:
    """The first non-empty line of a page (its page number from page 2 on)."""
    found = lines(page)
    return found[0] if found else ""


def squashed(text: str) -> str:
    """Whitespace runs as single spaces (a sentence that wraps over lines reads whole)."""
    return " ".join(text.split())


SIGNATURE_WORDS = re.compile(
    r"^(Nơi nhận:|- |KT\.|TM\.|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|TRƯỞNG PHÒNG|CHỦ TỊCH|PHÓ CHỦ TỊCH|[0-9]+$)|"
    r"(GIÁM ĐỐC|TRƯỞNG PHÒNG|CHỦ TỊCH|ỦY BAN NHÂN DÂN)$"
)


def after_closing(pages: list[str], signer: str = "") -> list[str]:
    """The lines after the body's closing "./." that are neither Nơi nhận nor the signature block.

    ``signer`` is the signer's full name (a line of the signature block). An empty list is what a reader expects.
    """
    text = "\n".join(pages)
    closing = text.rfind("./.")
    assert closing >= 0, "no closing ./."
    rest = lines(text[closing + 3 :])
    extra = []
    for line in rest:
        parts = [p.strip() for p in re.split(r"\s{3,}", line) if p.strip()]
        for part in parts:
            if signer and part == signer:
                continue
            if SIGNATURE_WORDS.search(part):
                continue
            extra.append(part)
    return extra


def document_xml(docx: Path, part: str = "word/document.xml") -> str:
    """A part of the .docx package as text."""
    with zipfile.ZipFile(docx) as z:
        return z.read(part).decode("utf-8")


def margins_mm(docx: Path) -> list[dict[str, object]]:
    """Each section's orientation and margins in mm (rounded), in order: ``{orient, top, bottom, left, right}``."""
    xml = document_xml(docx)
    found = []
    for sect in re.findall(r"<w:sectPr\b.*?</w:sectPr>", xml, flags=re.DOTALL):
        size = re.search(r"<w:pgSz\b([^>]*)/>", sect)
        margin = re.search(r"<w:pgMar\b([^>]*)/>", sect)
        assert size is not None and margin is not None
        attrs = dict(re.findall(r'w:(\w+)="([^"]*)"', margin.group(1)))
        width = int(dict(re.findall(r'w:(\w+)="([^"]*)"', size.group(1)))["w"])
        found.append(
            {
                "orient": "landscape" if width > 12000 else "portrait",
                **{k: round(int(attrs[k]) / TWIPS_PER_MM) for k in ("top", "bottom", "left", "right")},
            }
        )
    return found


def page_of(pages: list[str], words: str) -> int:
    """The number (from 1) of the first page whose text holds ``words`` (whitespace squashed), 0 if none."""
    for n, page in enumerate(pages, start=1):
        if words in squashed(page):
            return n
    return 0
