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


# --- tables declared by column: alignment per column, captions, rows kept together ---------------------

LEFT, CENTER, RIGHT = WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
SHORT_TABLE = 10  # a table of at most this many rows is kept on one page; a longer one keeps its last two rows


class Col:
    """One column of a table: header, width (mm), the cell's docxtpl text, alignment (numbers centred)."""

    def __init__(self, head, width, cell, align=LEFT, total=""):  # type: ignore[no-untyped-def]
        self.head, self.width, self.cell, self.align, self.total = head, width, cell, align, total


def num(head, width, cell, total=""):  # type: ignore[no-untyped-def]
    """A numeric column: centred in every row, the total row included."""
    return Col(head, width, cell, CENTER, total)


def keep_rows(row, keep=True):  # type: ignore[no-untyped-def]
    """Every paragraph of ``row`` kept with the next (the row stays on the page of the row after it)."""
    for cell in row.cells:
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = keep


def caption(doc, text, size=12):  # type: ignore[no-untyped-def]
    """A table's caption (“Bảng 2. …”): italic, centred, kept with the table."""
    return para(doc, text, size, italic=True, align=CENTER, space_after=3, keep=True)


def heading(doc, text, size=13, italic=False):  # type: ignore[no-untyped-def]
    """A section heading: bold, kept with what follows, never alone at the foot of a page."""
    p = para(doc, text, size, bold=not italic, italic=italic, keep=True)
    p.paragraph_format.space_before = Pt(6)
    return p


def table(doc, cols, loop, total=False, top=None, size=11, short=SHORT_TABLE):  # type: ignore[no-untyped-def]
    """A table with a header repeated on every page, a docxtpl row loop and an optional total row.

    ``top`` adds a first header row of groups, ``[(label, span)]``: a span of 1 is one column whose
    header spans both rows.  Rows never split; a table of at most ``short`` rows is kept on one page, a
    longer one keeps its last row (and the total row) with the row before, so no row stands alone.
    The data row is written twice (kept / not kept), chosen per row by docxtpl.
    """
    heads = 2 if top else 1
    rows = heads + 7 + (1 if total else 0)
    t = doc.add_table(rows=rows, cols=len(cols))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if top:
        index = 0
        for label, span in top:
            if span == 1:
                merged = t.rows[0].cells[index].merge(t.rows[1].cells[index])
                cell_text(merged, label, size, bold=True, align=CENTER)
            else:
                merged = t.rows[0].cells[index].merge(t.rows[0].cells[index + span - 1])
                cell_text(merged, label, size, bold=True, align=CENTER)
                for j in range(index, index + span):
                    cell_text(t.rows[1].cells[j], cols[j].head, size, bold=True, align=CENTER)
            index += span
    else:
        for i, col in enumerate(cols):
            cell_text(t.rows[0].cells[i], col.head, size, bold=True, align=CENTER)
    for r in range(heads):
        for cell in t.rows[r].cells:
            shade(cell)
    keep = f"(loop.length <= {short} and not loop.last) or loop.revindex == 2" + (" or loop.last" if total else "")
    tags = ["{%tr " + loop + " %}", "{%tr if " + keep + " %}", None, "{%tr else %}", None, "{%tr endif %}"]
    tags.append("{%tr endfor %}")
    for offset, tag_text in enumerate(tags):
        row = t.rows[heads + offset]
        if tag_text is not None:
            cell_text(row.cells[0], tag_text, 8)
            continue
        for i, col in enumerate(cols):
            cell_text(row.cells[i], col.cell, size, align=col.align)
        keep_rows(row, offset == 2)
    set_widths(t, [c.width for c in cols])
    if total:
        last = t.rows[-1]
        for i, col in enumerate(cols):
            cell_text(last.cells[i], col.total, size, bold=True, align=col.align if i else LEFT)
    for i, row in enumerate(t.rows):
        row_flags(row, header=i < heads)
    return t


def page_numbers(section, first=False):  # type: ignore[no-untyped-def]
    """Page numbers centred at the top; none on the section's first page unless ``first`` (Nghị định 30/2020)."""
    section.different_first_page_header_footer = not first
    section.header_distance = Mm(10)
    section.header.is_linked_to_previous = False
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._element.append(field)
    set_font(p.add_run(""), 13)


PORTRAIT_MARGINS = (20, 20, 30, 15)  # top, bottom, left, right (mm): Nghị định 30/2020/NĐ-CP, Phụ lục I
LANDSCAPE_MARGINS = (30, 15, 20, 20)  # a landscape page turned: its top edge is the bound edge (left of portrait)


def page_setup(section, landscape=False):  # type: ignore[no-untyped-def]
    """A4, portrait or landscape, with the margins of Nghị định 30/2020/NĐ-CP."""
    from docx.enum.section import WD_ORIENT

    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        margins = LANDSCAPE_MARGINS
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        margins = PORTRAIT_MARGINS
    top, bottom, left, right = margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    return section


def landscape_section(doc):  # type: ignore[no-untyped-def]
    """A new landscape section on a new page (an appendix of wide tables); its pages are numbered too."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    page_setup(section, landscape=True)
    section.different_first_page_header_footer = False
    return section


# --- the letterhead and the signature (Nghị định 30/2020/NĐ-CP, Phụ lục I) ----------------------------


def new_document(landscape=False):  # type: ignore[no-untyped-def]
    """An A4 document in Times New Roman 13 pt with the margins of Nghị định 30/2020 (portrait 20/20/30/15 mm)."""
    from docx import Document

    doc = Document()
    page_setup(doc.sections[0], landscape)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def draft_mark(doc):  # type: ignore[no-untyped-def]
    """“DỰ THẢO” above the letterhead of a draft the People's Committee signs (``{%p if draft %}``)."""
    tag(doc, "{%p if draft %}")
    para(doc, "DỰ THẢO", 12, bold=True, align=RIGHT, space_after=0)
    tag(doc, "{%p endif %}")


def letterhead(doc, widths, number, subject=None):  # type: ignore[no-untyped-def]
    """The heading: issuing body and national title with their rules; number (and V/v) beside the date line.

    ``letterhead.parent`` (the superior body) is left out when empty (the People's Committee has none);
    ``number`` is left out when it renders empty (an internal note); ``subject`` is the trích yếu line of a
    công văn, given as docxtpl text (its own ``{%p if %}`` tags decide when it shows).
    """
    head = doc.add_table(rows=2, cols=2)
    no_borders(head)
    set_widths(head, widths)
    left, right = head.rows[0].cells
    cell_text(left, "{%p if letterhead.parent %}", 8)
    cell_para(left, "{{ letterhead.parent }}", 13)
    cell_para(left, "{%p endif %}", 8)
    cell_para(left, "{{ letterhead.agency }}", 13, bold=True)
    rule(left, widths[0], 22)
    cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=CENTER)
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    rule(right, widths[1], 62)
    left, right = head.rows[1].cells
    cell_text(left, "{%p if " + number.strip("{} ") + " %}", 8)
    cell_para(left, number, 13)
    cell_para(left, "{%p endif %}", 8)
    if subject:
        for line in subject:
            cell_para(left, line, 12 if not line.startswith("{%") else 8)
    cell_text(right, "{{ letterhead.date_line }}", 13, italic=True, align=CENTER)
    for row in head.rows:
        row_flags(row)
    for cell in head.rows[1].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return head


def signature(doc, widths, recipients, size=13, collective=False):  # type: ignore[no-untyped-def]
    """Nơi nhận on the left; the signer's title (and KT. line), room to sign and the full name on the right.

    One row that never splits; the paragraph before it keeps with it (the closing stays with the signature).
    ``collective`` adds the line of a collective body above the KT. line (``letterhead.sign_for``: “TM. ỦY BAN
    NHÂN DÂN”).
    """
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    set_widths(sign, widths)
    row_flags(sign.rows[0])
    left, right = sign.rows[0].cells
    cell_text(left, "Nơi nhận:", 12, bold=True, italic=True)
    for line in recipients:
        cell_para(left, line, 11 if not line.startswith("{%") else 8, align=LEFT)
    right.text = ""
    first = right.paragraphs[0]
    if collective:
        set_font(first.add_run("{%p if letterhead.sign_for %}"), 8)
        cell_para(right, "{{ letterhead.sign_for }}", size, bold=True)
        cell_para(right, "{%p endif %}", 8)
        first = cell_para(right, "", 8)
    set_font(first.add_run("{%p if letterhead.sign_on_behalf %}"), 8)
    cell_para(right, "{{ letterhead.sign_on_behalf }}", size, bold=True)
    cell_para(right, "{%p endif %}", 8)
    cell_para(right, "{{ letterhead.sign_title }}", size, bold=True)
    for _ in range(4):  # room for the signature and the seal
        cell_para(right, "", size, space_after=6)
    cell_para(right, "{{ letterhead.sign_name }}", size, bold=True)
    return sign


def copies_lines(var="copies"):  # type: ignore[no-untyped-def]
    """The Nơi nhận entries of a list in the context, then the archive line (docxtpl tags included)."""
    return ["{%p for c in " + var + " %}", "- {{ c }};", "{%p endfor %}", "- {{ letterhead.archive }}"]


def save(doc, target):  # type: ignore[no-untyped-def]
    """Save a template reproducibly: fixed document dates and zip entry times, so a rebuild changes no byte."""
    import datetime
    import io
    import zipfile
    from pathlib import Path

    fixed = datetime.datetime(2000, 1, 1)  # the template's own date; a document made from it gets its day
    doc.core_properties.created = doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = doc.core_properties.author = ""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    Path(target).write_bytes(out.getvalue())
    print(f"wrote {target}")
