"""``templates/ranking.docx``: the ranking report of an each-unit-scores campaign, used by ``build_docx_template.py``.

Portrait body on the report's form (letterhead, trích yếu with its rule, indented justified body, numbered
sections, page numbers from page 2, closing kept with the signature); the wide table of percentages by field
on landscape appendix pages.  No meaning is carried by colour alone: every cell says its value in words.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx_parts import (
    CENTER,
    Col,
    body,
    caption,
    cell_text,
    copies_lines,
    heading,
    landscape_section,
    letterhead,
    new_document,
    num,
    page_numbers,
    para,
    row_flags,
    rule,
    save,
    shade,
    signature,
    table,
    tag,
)
from docx_remedy import ranking_remedy_section


def ranking_tables(doc):  # type: ignore[no-untyped-def]
    """I.2: one ranking table per unit group, and last year's beside this year's when given."""
    heading(doc, "2. Xếp hạng theo nhóm đơn vị")
    tag(doc, "{%p for g in groups %}")
    heading(doc, "2.{{ loop.index }}. {{ g.name }}", 13, italic=True)
    caption(doc, "Kết quả xếp hạng: {{ g.name }}{% if provisional %} (tạm tính){% endif %}")
    table(
        doc,
        [
            num("Hạng", 13, "{{ u.rank if u.rank is not none else '–' }}"),
            Col("Đơn vị", 54, "{{ u.name }}{% if u.exempt_text %} ({{ u.exempt_text }}){% endif %}"),
            num("Điểm đạt", 17, "{{ u.final|points }}"),
            num("Điểm tối đa áp dụng", 20, "{{ u.max|points }}"),
            num("Chỉ số (%)", 18, "{{ u.percent|pct }}"),
            num("Xếp loại", 18, "{{ u.band or 'Chưa xếp loại' }}"),
            Col("Tình trạng phiếu", 25, "{{ u.status_label }}"),
        ],
        "for u in g.rows",
        size=11,
    )
    body(
        doc,
        "Số đơn vị theo xếp loại: {% for label, n in g.bands.items() %}{{ label }}: {{ n }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.",
        12,
    )
    tag(doc, "{%p if previous %}")
    caption(doc, "So sánh với năm trước: {{ g.name }}")
    table(
        doc,
        [
            num("Hạng", 12, "{{ u.rank if u.rank is not none else '–' }}"),
            Col("Đơn vị", 45, "{{ u.name }}"),
            num("Chỉ số năm nay (%)", 19, "{{ u.percent|pct }}"),
            num("Hạng năm trước", 17, "{% if u.previous %}{{ u.previous.rank if u.previous.rank is not none else '–' }}"
                "{% else %}chưa có{% endif %}"),
            num("Chỉ số năm trước (%)", 19, "{% if u.previous %}{{ u.previous.percent|pct }}{% else %}–{% endif %}"),
            num("Thay đổi (điểm %)", 18, "{% if u.previous %}{{ u.previous.change|signed }}{% else %}–{% endif %}"),
            num("Điểm khôi phục so với năm trước", 22, "{% if u.previous and u.previous.recovered is not none %}"
                "{{ u.previous.recovered|points }}{% else %}–{% endif %}"),
        ],
        "for u in g.rows",
        size=10,
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    para(doc, "{{ tie_rule }} {{ na_rule }}", 11, italic=True)
    tag(doc, "{%p if previous %}")
    para(
        doc,
        "Năm trước: tỷ lệ phần tự đánh giá sau thẩm định, xếp hạng trong nhóm của năm nay; thay đổi bằng điểm phần "
        "trăm.{% if previous.only_previous %} Đơn vị chỉ có trong bảng tổng hợp năm trước (không còn trong kế hoạch "
        'năm nay): {{ previous.only_previous|join(", ") }}.{% endif %}',
        11,
        italic=True,
    )
    tag(doc, "{%p endif %}")


def appraisal(doc):  # type: ignore[no-untyped-def]
    """The appraisal section, when the appraisal workbooks were given: per unit, and the items to re-appraise."""
    tag(doc, "{%p if appraisal %}")
    heading(doc, "{{ sections.appraisal }}. Kết quả thẩm định")
    body(
        doc,
        "Tổ thẩm định đã thẩm định {{ appraisal.total.appraised }}/{{ appraisal.total['items'] }} lượt tiêu chí "
        "thành phần các đơn vị đã tự đánh giá; mục chưa thẩm định tính theo điểm tự đánh giá. Còn "
        "{{ appraisal.total.not_appraised }} lượt chưa thẩm định, {{ appraisal.total.stale }} lượt cần thẩm định lại.",
    )
    caption(doc, "Kết quả thẩm định theo đơn vị{% if provisional %} (tạm tính){% endif %}")
    table(
        doc,
        [
            num("TT", 10, "{{ loop.index }}"),
            Col("Đơn vị", 55, "{{ r.name }}", total="Cộng"),
            num("Điểm tự đánh giá", 20, "{{ r.self_score|points }}", "{{ appraisal.total.self_score|points }}"),
            num("Thẩm định lần 1", 20, "{{ r.round1|points }}", "{{ appraisal.total.round1|points }}"),
            num("Sau thẩm định", 20, "{{ r.final|points }}", "{{ appraisal.total.final|points }}"),
            num("Chưa thẩm định", 20, "{{ r.not_appraised }}", "{{ appraisal.total.not_appraised }}"),
            num("Cần thẩm định lại", 20, "{{ r.stale }}", "{{ appraisal.total.stale }}"),
        ],
        'for r in appraisal.departments if r["items"]',
        total=True,
    )
    tag(doc, "{%p endif %}")


def heat_appendix(doc):  # type: ignore[no-untyped-def]
    """The percentages by field of every unit, one table per group, on landscape pages; words, not colours."""
    landscape_section(doc)
    para(doc, "PHỤ LỤC", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "TỶ LỆ ĐIỂM ĐẠT THEO LĨNH VỰC CỦA CÁC ĐƠN VỊ", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "(Kèm theo {{ appendix_of }})", 13, italic=True, align=CENTER, space_after=8)
    tag(doc, "{%p for g in groups %}")
    heading(doc, "{{ loop.index }}. {{ g.name }}")
    heat = doc.add_table(rows=4, cols=4)
    heat.style = "Table Grid"
    cell_text(heat.rows[0].cells[0], "Đơn vị", 11, bold=True, align=CENTER)
    cell_text(heat.rows[0].cells[1], "{%tc for f in g.fields %}", 8)
    cell_text(heat.rows[0].cells[2], "Lĩnh vực {{ f.code }}", 11, bold=True, align=CENTER)
    cell_text(heat.rows[0].cells[3], "{%tc endfor %}", 8)
    for cell in heat.rows[0].cells:
        shade(cell)
    cell_text(heat.rows[1].cells[0], "{%tr for u in g.rows %}", 8)
    cell_text(heat.rows[2].cells[0], "{{ u.name }}", 11)
    cell_text(heat.rows[2].cells[1], "{%tc for f in u.fields %}", 8)
    cell_text(
        heat.rows[2].cells[2],
        "{% if f.exempt %}không áp dụng{% elif f.pending %}chờ XHH{% else %}{{ f.percent|pct }}{% endif %}",
        11,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    cell_text(heat.rows[2].cells[3], "{%tc endfor %}", 8)
    cell_text(heat.rows[3].cells[0], "{%tr endfor %}", 8)
    heat.autofit = True  # docxtpl multiplies the field column; a fixed grid would squeeze it
    for row in heat.rows:
        row.cells[0].width = Mm(55)  # the units' names: wide enough to stay on one or two lines
    for i, row in enumerate(heat.rows):
        row_flags(row, header=i == 0)
    para(
        doc,
        "{% for f in g.fields %}Lĩnh vực {{ f.code }}: {{ f.title }}{% if not loop.last %}; {% endif %}{% endfor %}.",
        11,
        italic=True,
    )
    tag(doc, "{%p endfor %}")
    para(
        doc,
        "“Không áp dụng”: lĩnh vực đơn vị không thực hiện, không tính vào điểm và điểm tối đa; “chờ XHH”: lĩnh vực "
        "chấm bằng điều tra xã hội học, chưa có kết quả.",
        11,
        italic=True,
    )


def build_ranking(target):  # type: ignore[no-untyped-def]
    """The ranking report: portrait body on the report's form, the table by field on landscape pages."""
    doc = new_document()
    page_numbers(doc.sections[0])
    letterhead(doc, [70, 95], "{{ letterhead.number }}")
    para(doc, "", 8)
    para(doc, "BÁO CÁO", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ title }}", 14, bold=True, align=CENTER, space_after=0)
    tag(doc, "{%p if provisional %}")
    para(doc, "(Số liệu đến ngày {{ as_of|date_vn }})", 13, italic=True, align=CENTER, space_after=0)
    tag(doc, "{%p endif %}")
    rule(doc, 165, 40)
    para(doc, "", 8, space_after=6)
    body(doc, "{{ intro }}")
    heading(doc, "I. KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH CỦA CÁC ĐƠN VỊ")
    heading(doc, "1. Kết quả chung")
    tag(doc, "{%p for s in summary %}")
    body(doc, "- {{ s }}")
    tag(doc, "{%p endfor %}")
    ranking_tables(doc)
    appraisal(doc)
    ranking_remedy_section(doc, "remedy", "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ", "sơ bộ")
    ranking_remedy_section(doc, "remedy_previous", "Kết quả khắc phục các mục bị trừ điểm năm trước", "năm trước")
    tag(doc, "{%p if remedy_previous %}")
    para(doc, "{{ remedy_previous.note }}", 11, italic=True)
    tag(doc, "{%p endif %}")
    heading(doc, "II. ĐỀ XUẤT, KIẾN NGHỊ")
    body(doc, "{{ proposals_lead }}")
    tag(doc, "{%p for s in proposals %}")
    body(doc, "- {{ s }}")
    tag(doc, "{%p endfor %}")
    body(doc, "{{ closing }}", keep=True)
    signature(doc, [80, 85], copies_lines(), collective=True)
    heat_appendix(doc)
    save(doc, target)
