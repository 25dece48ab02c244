"""Building blocks of the Word templates: fonts, paragraphs, cells, rules, widths and docxtpl loop tables.

Used by ``build_docx_template.py``; every table row is kept whole (``w:cantSplit``)
and a table's header row repeats on every page (``w:tblHeader``).
"""

from __future__ import annotations

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"


def set_font(run, size=13, bold=False, italic=False):  # type: ignore[no-untyped-def]
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def para(  # type: ignore[no-untyped-def]
    doc_or_cell, text="", size=13, bold=False, italic=False, align=None, space_after=6, indent=False, keep=False
):
    p = doc_or_cell.add_paragraph()
    if text:
        set_font(p.add_run(text), size, bold, italic)
    if align is not None:
        p.alignment = align
    fmt = p.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if keep:
        fmt.keep_with_next = True
    return p


def body(doc, text, size=13, **kwargs):  # type: ignore[no-untyped-def]
    """A body paragraph: justified, first line indented 1.27 cm, 6 pt after."""
    return para(doc, text, size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, **kwargs)


def tag(doc_or_cell, text):  # type: ignore[no-untyped-def]
    """A paragraph holding only a docxtpl tag ({%p … %}); docxtpl removes it."""
    return para(doc_or_cell, text, 10, space_after=0)


def cell_text(cell, text, size=12, bold=False, italic=False, align=None):  # type: ignore[no-untyped-def]
    cell.text = ""
    p = cell.paragraphs[0]
    set_font(p.add_run(text), size, bold, italic)
    if align is not None:
        p.alignment = align
    p.paragraph_format.space_after = Pt(0)
    return p


def cell_para(cell, text, size=13, bold=False, italic=False, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0):  # type: ignore[no-untyped-def]
    p = cell.add_paragraph()
    if text:
        set_font(p.add_run(text), size, bold, italic)
    p.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.space_before = Pt(0)
    return p


def rule(container, width_mm, line_mm):  # type: ignore[no-untyped-def]
    """A centred horizontal rule ``line_mm`` long in a container ``width_mm`` wide (a bordered empty paragraph).

    The rules under the issuing body's name, under the motto and under the
    trích yếu (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II).
    """
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = Mm(max((width_mm - line_mm) / 2, 0))
    fmt.left_indent = fmt.right_indent = side
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    p_pr = p._element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{key}"), value)
    borders.append(top)
    p_pr.insert(0, borders)
    set_font(p.add_run(""), 2)
    return p


def no_borders(table):  # type: ignore[no-untyped-def]
    tbl_pr = table._element.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)


def set_widths(table, widths_mm):  # type: ignore[no-untyped-def]
    """Fixed column widths: the grid (read by LibreOffice) and every cell (read by Word)."""
    table.autofit = False
    grid = table._element.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._element.tblPr.append(layout)


def row_flags(row, header=False):  # type: ignore[no-untyped-def]
    """A row that never splits across pages (``w:cantSplit``); a header row repeats on every page (``w:tblHeader``)."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def shade(cell, colour="D9E1F2"):  # type: ignore[no-untyped-def]
    tc_pr = cell._element.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    tc_pr.append(shd)


def loop_table(doc, headers, widths, loop, cells, total=None):  # type: ignore[no-untyped-def]
    """A table with a repeated header row, a docxtpl row loop and an optional total row; no row splits."""
    rows = 4 + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        cell_text(table.rows[0].cells[i], h, 11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        shade(table.rows[0].cells[i])
    cell_text(table.rows[1].cells[0], "{%tr " + loop + " %}", 10)
    for i, content in enumerate(cells):
        right = content.endswith("|points }}") or "pct" in content or "signed" in content or '["items"]' in content
        cell_text(table.rows[2].cells[i], content, 11, align=WD_ALIGN_PARAGRAPH.RIGHT if right else None)
    cell_text(table.rows[3].cells[0], "{%tr endfor %}", 10)
    set_widths(table, widths)
    if total:
        for i, content in enumerate(total):
            cell_text(table.rows[4].cells[i], content, 11, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT if i else None)
    for i, row in enumerate(table.rows):
        row_flags(row, header=i == 0)
    return table
