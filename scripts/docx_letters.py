"""The letter-like Word templates, used by ``build_docx_template.py``.

- ``letter.docx``: every công văn, Tờ trình and internal note (phiếu chuyển) parcli writes;
- ``listing.docx``: the list of departments still to send, for the leadership;
- ``record.docx``: the appraisal team's record (biên bản thẩm định);
- ``decision.docx``: the draft Quyết định công bố kết quả (the ranking), signed by the People's Committee.

Layout after Nghị định 30/2020/NĐ-CP, Phụ lục I.  Keep-with-next is set on the closing paragraph and the
signature only: a long body flows from page 1 on.
"""

from __future__ import annotations

from docx.shared import Mm
from docx_parts import (
    CENTER,
    LEFT,
    Col,
    body,
    caption,
    cell_para,
    cell_text,
    copies_lines,
    draft_mark,
    heading,
    landscape_section,
    letterhead,
    new_document,
    no_borders,
    num,
    page_numbers,
    para,
    row_flags,
    rule,
    save,
    set_font,
    set_widths,
    signature,
    table,
    tag,
)


def recipients_block(doc, size=14):  # type: ignore[no-untyped-def]
    """“Kính gửi: X” for one recipient; “Kính gửi:” over a list of “- X;” lines for several."""
    tag(doc, "{%p if recipients|length == 1 %}")
    p = para(doc, "Kính gửi: {{ recipients[0] }}", size, space_after=12)
    p.paragraph_format.left_indent = Mm(25)
    tag(doc, "{%p elif recipients %}")
    p = para(doc, "Kính gửi:", size, space_after=0)
    p.paragraph_format.left_indent = Mm(25)
    tag(doc, "{%p for r in recipients %}")
    p = para(doc, "- {{ r }}{{ ';' if not loop.last else '.' }}", size, space_after=0)
    p.paragraph_format.left_indent = Mm(45)
    tag(doc, "{%p endfor %}")
    para(doc, "", 6, space_after=6)
    tag(doc, "{%p endif %}")


def title_block(doc, width=165):  # type: ignore[no-untyped-def]
    """A titled document's name (“TỜ TRÌNH”, “PHIẾU CHUYỂN”) and “Về việc …” under it, then a short rule."""
    tag(doc, "{%p if title %}")
    para(doc, "", 8, space_after=6)
    para(doc, "{{ title }}", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "Về việc {{ subject }}", 14, bold=True, align=CENTER, space_after=2)
    rule(doc, width, 40)
    tag(doc, "{%p endif %}")


def closing_body(doc, var="body", size=14):  # type: ignore[no-untyped-def]
    """The body paragraphs; only the last one (the closing) keeps with the signature after it."""
    tag(doc, "{%p for p in " + var + "[:-1] %}")
    body(doc, "{{ p }}", size)
    tag(doc, "{%p endfor %}")
    body(doc, "{{ " + var + "[-1] }}", size, keep=True)


def build_letter(target):  # type: ignore[no-untyped-def]
    """The one letter layout: công văn (V/v under the number), or a titled Tờ trình / phiếu chuyển."""
    doc = new_document()
    page_numbers(doc.sections[0])
    letterhead(
        doc, [70, 95], "{{ letterhead.letter_number }}", ["{%p if not title %}", "V/v {{ subject }}", "{%p endif %}"]
    )
    title_block(doc)
    para(doc, "", 8, space_after=6)
    recipients_block(doc)
    closing_body(doc)
    signature(doc, [80, 85], copies_lines(), 14, collective=True)
    save(doc, target)


def build_listing(target):  # type: ignore[no-untyped-def]
    """The list for the leadership: departments still to send or to resend, the late and the undated."""
    doc = new_document()
    page_numbers(doc.sections[0])
    letterhead(doc, [70, 95], "{{ letterhead.listing_number }}")
    para(doc, "", 8, space_after=6)
    para(doc, "DANH SÁCH", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "Cơ quan chưa hoàn thành việc gửi kết quả tự đánh giá", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ campaign.title }}", 14, bold=True, align=CENTER, space_after=2)
    rule(doc, 165, 40)
    para(
        doc,
        "(Số liệu đến ngày {{ today|date_vn }}; hạn gửi theo Kế hoạch: {{ deadline_words }}{% if overdue_days > 0 %}, "
        "đã quá hạn {{ overdue_days }} ngày{% endif %})",
        13,
        italic=True,
        align=CENTER,
        space_after=12,
    )
    tag(doc, "{%p if departments %}")
    table(
        doc,
        [
            num("STT", 12, "{{ loop.index }}"),
            num("Phụ lục", 18, "{{ d.appendix }}"),
            Col("Cơ quan", 60, "{{ d.name }}"),
            Col("Tình trạng", 75, "{{ d.state }}"),
        ],
        "for d in departments",
        size=12,
    )
    body(doc, "Tổng số: {{ departments|length }}/{{ total }} cơ quan.")
    tag(doc, "{%p else %}")
    body(doc, "Tất cả {{ total }} cơ quan đã gửi phiếu hợp lệ.")
    tag(doc, "{%p endif %}")
    for key, text in (
        ("late_ok", "Cơ quan gửi phiếu hợp lệ sau hạn"),
        ("corrected_late", "Cơ quan gửi phiếu đúng hạn, bản sửa hợp lệ gửi sau hạn"),
        (
            "undated_ok",
            "Cơ quan gửi phiếu hợp lệ nhưng chưa ghi ngày gửi trên phiếu, chưa xác định được đúng hạn hay muộn",
        ),
    ):
        tag(doc, "{%p if " + key + " %}")
        body(doc, text + " ({{ " + key + "|length }}): {{ " + key + "_text }}.")
        tag(doc, "{%p endif %}")
    para(doc, "", 8)
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    set_widths(sign, [80, 85])
    row_flags(sign.rows[0])
    cell_text(sign.rows[0].cells[1], "NGƯỜI LẬP", 13, bold=True, align=CENTER)
    for _ in range(4):
        cell_para(sign.rows[0].cells[1], "", 13, space_after=6)
    save(doc, target)


def build_record(target):  # type: ignore[no-untyped-def]
    """The appraisal team's record: when, who, what was appraised, the result per department, the conclusion."""
    doc = new_document()
    page_numbers(doc.sections[0])
    letterhead(doc, [70, 95], "{{ letterhead.record_number }}")
    para(doc, "", 8, space_after=6)
    para(doc, "BIÊN BẢN", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ subject }}", 14, bold=True, align=CENTER, space_after=2)
    rule(doc, 165, 40)
    para(doc, "", 8, space_after=6)
    body(doc, "Thời gian: {{ when }}.", 14)
    body(doc, "Địa điểm: {{ place }}.", 14)
    heading(doc, "I. THÀNH PHẦN", 14)
    tag(doc, "{%p if team %}")
    tag(doc, "{%p for m in team %}")
    body(doc, "{{ loop.index }}. {{ m.name }}, {{ m.position }} – {{ m.role }};", 14)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p else %}")
    body(doc, "1. Ông (bà) …, chức vụ … – Tổ trưởng;", 14)
    body(doc, "2. Ông (bà) …, chức vụ … – Thành viên;", 14)
    body(doc, "3. Ông (bà) …, chức vụ … – Thư ký.", 14)
    tag(doc, "{%p endif %}")
    heading(doc, "II. NỘI DUNG", 14)
    tag(doc, "{%p for p in content %}")
    body(doc, "{{ p }}", 14)
    tag(doc, "{%p endfor %}")
    caption(doc, "Bảng 1. Kết quả thẩm định theo cơ quan")
    table(
        doc,
        [
            num("PL", 14, "{{ d.appendix }}"),
            Col("Cơ quan", 53, "{{ d.name }}"),
            num("Số mục", 16, "{{ d['items'] }}"),
            num("Tự đánh giá", 22, "{{ d.self_score|points }}", "{{ total.self_score|points }}"),
            num("Sau thẩm định", 22, "{{ d.final|points }}", "{{ total.final|points }}"),
            num("Chênh lệch", 20, "{{ d.change|signed }}", "{{ total.change|signed }}"),
            num("Chưa thẩm định", 18, "{{ d.not_appraised }}", "{{ total.not_appraised }}"),
        ],
        "for d in departments",
        total=True,
    )
    table_total_label(doc)
    tag(doc, "{%p if lowered %}")
    caption(doc, "Bảng 2. Các mục thẩm định thấp hơn điểm tự đánh giá")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 48, "{{ i.title }}"),
            Col("Cơ quan", 30, "{{ i.department }}"),
            num("Tự đánh giá", 17, "{{ i.self_score|points }}"),
            num("Thẩm định", 17, "{{ i.final|points }}"),
            Col("Ý kiến thẩm định", 41, "{{ i.note }}"),
        ],
        "for i in lowered",
    )
    tag(doc, "{%p endif %}")
    heading(doc, "III. KẾT LUẬN", 14)
    tag(doc, "{%p for p in conclusion[:-1] %}")
    body(doc, "{{ p }}", 14)
    tag(doc, "{%p endfor %}")
    body(doc, "{{ conclusion[-1] }}", 14, keep=True)
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    set_widths(sign, [82, 83])
    row_flags(sign.rows[0])
    for cell, title, name in zip(
        sign.rows[0].cells, ("THƯ KÝ", "TỔ TRƯỞNG TỔ THẨM ĐỊNH"), ("{{ secretary }}", "{{ leader }}"), strict=True
    ):
        cell_text(cell, title, 14, bold=True, align=CENTER)
        for _ in range(4):
            cell_para(cell, "", 14, space_after=6)
        cell_para(cell, name, 14, bold=True)
    save(doc, target)


def table_total_label(doc):  # type: ignore[no-untyped-def]
    """Label the last table's total row (its first cells span the label columns)."""
    t = doc.tables[-1]
    last = t.rows[-1]
    merged = last.cells[0].merge(last.cells[1])
    cell_text(merged, "Cộng", 11, bold=True, align=LEFT)


def _article(doc, keep):  # type: ignore[no-untyped-def]
    """An article of a decision: “Điều n.” in bold, then its text."""
    p = body(doc, "", 14, keep=keep)
    set_font(p.add_run("{{ a.head }} "), 14, bold=True)
    set_font(p.add_run("{{ a.text }}"), 14)


def build_decision(target):  # type: ignore[no-untyped-def]
    """The draft Quyết định công bố kết quả xác định Chỉ số CCHC of the units, with the ranking as its appendix."""
    doc = new_document()
    page_numbers(doc.sections[0])
    draft_mark(doc)
    letterhead(doc, [70, 95], "{{ letterhead.number }}")
    para(doc, "", 8, space_after=6)
    para(doc, "QUYẾT ĐỊNH", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ subject }}", 14, bold=True, align=CENTER, space_after=2)
    rule(doc, 165, 40)
    para(doc, "", 8, space_after=6)
    para(doc, "{{ authority }}", 14, bold=True, align=CENTER, space_after=12)
    tag(doc, "{%p for c in bases %}")
    p = body(doc, "{{ c }}", 14)
    for run in p.runs:
        run.italic = True
    tag(doc, "{%p endfor %}")
    para(doc, "QUYẾT ĐỊNH:", 14, bold=True, align=CENTER, space_after=6)
    # the decision's last paragraph (the last article, or its last point) keeps with the signature, no other
    tag(doc, "{%p for a in articles %}")
    tag(doc, "{%p set last_article = loop.last %}")
    tag(doc, "{%p if last_article and not a.points %}")
    _article(doc, keep=True)
    tag(doc, "{%p else %}")
    _article(doc, keep=False)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for x in a.points %}")
    tag(doc, "{%p if last_article and loop.last %}")
    body(doc, "{{ x }}", 14, keep=True)
    tag(doc, "{%p else %}")
    body(doc, "{{ x }}", 14)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    signature(doc, [80, 85], copies_lines(), 14, collective=True)
    landscape_section(doc)
    para(doc, "PHỤ LỤC", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ appendix_title }}", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "(Kèm theo Quyết định số {{ letterhead.number_bare }} ngày {{ letterhead.date_short }} của {{ issuer }})",
         13, italic=True, align=CENTER, space_after=8)
    tag(doc, "{%p for g in groups %}")
    heading(doc, "{{ g.numeral }}. {{ g.name|upper }}", 13)
    table(
        doc,
        [
            num("Xếp hạng", 20, "{{ u.rank if u.rank is not none else '–' }}"),
            Col("Đơn vị", 110, "{{ u.name }}{% if u.exempt_text %} ({{ u.exempt_text }}){% endif %}"),
            num("Điểm đạt", 30, "{{ u.final|points }}"),
            num("Điểm tối đa áp dụng", 35, "{{ u.max|points }}"),
            num("Chỉ số (%)", 30, "{{ u.percent|pct }}"),
            Col("Xếp loại", 32, "{{ u.band or 'Chưa xếp loại' }}", CENTER),
        ],
        "for u in g.rows",
        size=12,
    )
    para(doc, "", 8)
    tag(doc, "{%p endfor %}")
    save(doc, target)


__all__ = ["build_decision", "build_letter", "build_listing", "build_record"]
