"""Annexes of a decision built for the tests: one tree, numbered in the styles provinces use, as .docx or PDF.

A tree is a list of :data:`Node` ``(level, title, points, rule)``; :func:`numbered` writes the order
numbers of a style (``I.`` / ``1.`` / ``1.1``, ``1.`` / ``1.1.`` / ``1.1.1.``, …) and :func:`write_docx`
the Word table (python-docx; the body XML is written at once, so 5,000 rows take a second, not minutes).
:func:`to_pdf` prints a .docx to PDF through LibreOffice Writer, as a portal's PDF is made.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

Node = tuple[int, str, str, str]  # level (1 field, 2 criterion, 3 component), title, points, rule
Row = tuple[str, str, str, str]  # number, title, points, rule

TREE: list[Node] = [
    (1, "Công tác chỉ đạo, điều hành", "3", ""),
    (2, "Kế hoạch cải cách hành chính", "1,5", ""),
    (3, "Ban hành kế hoạch", "0,5 điểm", "Ban hành đúng thời hạn: 0,5 điểm; Ban hành chậm: 0 điểm"),
    (
        3,
        "Mức độ thực hiện kế hoạch",
        "1",
        "Hoàn thành 100% kế hoạch: 1 điểm\nTừ 80% đến dưới 100%: 0,5 điểm\nDưới 80%: 0 điểm",
    ),
    (2, "Tuyên truyền cải cách hành chính", "1,5", ""),
    (3, "Ban hành kế hoạch tuyên truyền", "0,5", "0,5: Có kế hoạch\n0: Không có"),
    (3, "Mức độ hài lòng của người dân", "1", "Điều tra xã hội học"),
    (1, "Cải cách thủ tục hành chính", "2", ""),
    (2, "Công bố thủ tục hành chính", "2", "Thang điểm, bước 0,25"),
]

_ROMANS = ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_LETTERS = "abcdđeghiklmnopqrstuvxy"


def roman(number: int) -> str:
    """``14`` → ``XIV``."""
    out = ""
    for value, letters in _ROMANS:
        while number >= value:
            out, number = out + letters, number - value
    return out


def _dotted(trailing: str) -> Callable[[list[int]], str]:
    return lambda path: ".".join(str(n) for n in path) + trailing


STYLES: dict[str, Callable[[list[int]], str]] = {
    # the style read so far: I. / 1. / 1.1 (criteria numbered again in each field)
    "roman": lambda p: f"{roman(p[0])}." if len(p) == 1 else f"{p[1]}." if len(p) == 2 else f"{p[1]}.{p[2]}",
    # the style of parcli's own codes, with trailing dots: 1. / 1.1. / 1.1.1.
    "dotted": _dotted("."),
    # the same without trailing dots: 1 / 1.1 / 1.1.1
    "dotted-bare": _dotted(""),
    # Roman fields without a dot, criteria 1), lettered component criteria: I / 1) / a)
    "roman-letters": lambda p: roman(p[0]) if len(p) == 1 else f"{p[1]})" if len(p) == 2 else f"{_LETTERS[p[2] - 1]})",
    # Roman fields, then dotted criteria and components counted from the field: I. / 1.1. / 1.1.1.
    "roman-dotted": lambda p: f"{roman(p[0])}." if len(p) == 1 else ".".join(str(n) for n in p) + ".",
}


def numbered(tree: list[Node], style: str) -> list[Row]:
    """The tree's rows with the order numbers of ``style`` (a key of :data:`STYLES`)."""
    number = STYLES[style]
    path: list[int] = []
    rows: list[Row] = []
    for level, title, points, rule in tree:
        path = path[:level] + [0] * (level - len(path))
        path[level - 1] += 1
        rows.append((number(path), title, points, rule))
    return rows


def big_tree(rows: int) -> list[Node]:
    """A tree of about ``rows`` rows: fields of 8 criteria of 4 component criteria (0,5 điểm each)."""
    tree: list[Node] = []
    rule = "Đạt yêu cầu: 0,5 điểm; Không đạt: 0 điểm"
    field = 0
    while len(tree) < rows:
        field += 1
        tree.append((1, f"Lĩnh vực thứ {field} về cải cách hành chính", "16", ""))
        for criterion in range(1, 9):
            tree.append((2, f"Tiêu chí {criterion} của lĩnh vực {field}", "2", ""))
            tree.extend((3, f"Tiêu chí thành phần {c} (lĩnh vực {field})", "0,5", rule) for c in range(1, 5))
    return tree


HEADER = ("STT", "Nội dung", "Điểm tối đa", "Cách chấm")
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _cell(text: str, width: int, merge: str = "") -> str:
    paragraphs = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>' for line in text.split("\n")
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merge}</w:tcPr>{paragraphs}</w:tc>'


def write_docx(
    path: Path,
    rows: list[Row],
    *,
    year: bool = True,
    repeat_header: bool = True,
    notes: bool = False,
    ruled: bool = True,
) -> Path:
    """A decision whose annex is a bordered table: header (repeated on each page) then one row per node.

    ``ruled=False`` draws no lines (a table laid out by spaces only, as PDF readers cannot find).
    ``notes`` adds a fifth column *Ghi chú* whose cell is merged down over every five rows (Word's vertical
    merge, as annexes merge a note or an evidence cell over several rows).
    """
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.add_paragraph("Quyết định số 999/QĐ-BNV ngày 01/01/2024 (ví dụ)")
    if year:
        document.add_paragraph("Bộ tiêu chí đánh giá năm 2024")
    widths: tuple[int, ...] = (900, 3800, 1000, 3600)
    header = HEADER
    if notes:
        widths, header = (*widths, 1200), (*HEADER, "Ghi chú")
        merge = ['<w:vMerge w:val="restart"/>' if i % 5 == 0 else "<w:vMerge/>" for i in range(len(rows))]
    borders = "".join(
        f'<w:{side} w:val="{"single" if ruled else "nil"}" w:sz="4" w:space="0" w:color="000000"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    header_pr = "<w:trPr><w:tblHeader/></w:trPr>" if repeat_header else ""
    body = [f"<w:tr>{header_pr}{''.join(_cell(t, w) for t, w in zip(header, widths, strict=True))}</w:tr>"]
    for index, row in enumerate(rows):
        cells = "".join(_cell(t, w) for t, w in zip(row, widths, strict=False))
        if notes:
            cells += _cell("Xem hướng dẫn" if "restart" in merge[index] else "", widths[-1], merge[index])
        body.append(f"<w:tr>{cells}</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    table = parse_xml(
        f'<w:tbl {_W}><w:tblPr><w:tblW w:w="9300" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
        f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"
    )
    anchor = document.add_paragraph("PHỤ LỤC: BỘ TIÊU CHÍ")
    anchor._p.addnext(table)
    document.save(str(path))
    return path


def to_pdf(docx_paths: list[Path], soffice: str) -> list[Path]:
    """Each .docx printed to PDF by LibreOffice Writer headless, in one start (beside it, same stem)."""
    outdir = docx_paths[0].parent
    home = outdir.parent / f".lo-home-{outdir.name}"
    env = dict(os.environ, HOME=str(home))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{home / '.lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(outdir),
            *(str(p) for p in docx_paths),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=600,
    )
    pdfs = [p.with_suffix(".pdf") for p in docx_paths]
    missing = [p.name for p in pdfs if not p.is_file()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return pdfs


def image_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF of scanned pages: each page an image of text, no text layer (Pillow)."""
    from PIL import Image, ImageDraw

    images = []
    for page in range(pages):
        image = Image.new("RGB", (595, 842), "white")
        draw = ImageDraw.Draw(image)
        draw.text((60, 60), f"PHU LUC - trang {page + 1}", fill="black")
        draw.rectangle((60, 100, 535, 700), outline="black")
        images.append(image)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=72)
    return path


def tree_of(catalogue_yaml: str) -> dict[str, Any]:
    """A catalogue's content without where each node was read: codes, titles, points, rules, totals, year."""
    from parcli.config.catalogue import parse_catalogue

    data = parse_catalogue(catalogue_yaml).model.model_dump(mode="json", exclude={"source", "title", "id"})
    return _without_source(data)


def _without_source(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_source(v) for k, v in value.items() if k != "source"}
    if isinstance(value, list):
        return [_without_source(v) for v in value]
    return value
