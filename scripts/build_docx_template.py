"""Build ``templates/report.docx``, the Word template of ``parcli report`` (docxtpl syntax).

Run ``python scripts/build_docx_template.py`` after changing this file; the
.docx is committed so that users can open and adapt it in Word (keep the
``{{ … }}`` / ``{%tr … %}`` tags).  Layout after Nghị định 30/2020/NĐ-CP,
Phụ lục I: A4, Times New Roman, margins 20 mm top/bottom, 30 mm left, 15 mm
right; agency top left, national title and motto top right; number and date
lines; recipients and signature at the end.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx_parts import (
    FONT,
    body,
    cell_para,
    cell_text,
    loop_table,
    no_borders,
    para,
    row_flags,
    rule,
    set_font,
    set_widths,
    tag,
)
from docx_remedy import previous_remedy_section, ranking_remedy_section, remedy_section

TARGET = Path(__file__).resolve().parent.parent / "templates" / "report.docx"
RANKING = TARGET.with_name("ranking.docx")
LETTER = TARGET.with_name("letter.docx")


def page_numbers(doc):  # type: ignore[no-untyped-def]
    """Page numbers centred in the header from page 2 on; none on the first page (Nghị định 30/2020, Phụ lục I)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    section.header_distance = Mm(10)
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    p._element.append(field)
    set_font(p.add_run(""), 13)


def letterhead(doc, widths, number, subject=None):  # type: ignore[no-untyped-def]
    """The heading: issuing body and national title with their rules; number (and V/v) beside the date line."""
    head = doc.add_table(rows=2, cols=2)
    no_borders(head)
    set_widths(head, widths)
    left, right = head.rows[0].cells
    cell_text(left, "{{ letterhead.parent }}", 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_para(left, "{{ letterhead.agency }}", 13, bold=True)
    rule(left, widths[0], 22)
    cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_para(right, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    rule(right, widths[1], 62)
    left, right = head.rows[1].cells
    cell_text(left, number, 13, align=WD_ALIGN_PARAGRAPH.CENTER)
    if subject:
        cell_para(left, subject, 12)
    cell_text(right, "{{ letterhead.date_line }}", 13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for row in head.rows:
        row_flags(row)
    for cell in head.rows[1].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    return head


def signature(doc, widths, recipients, size=13):  # type: ignore[no-untyped-def]
    """Nơi nhận on the left; the signer's title (and KT. line), room to sign and the full name on the right."""
    sign = doc.add_table(rows=1, cols=2)
    no_borders(sign)
    set_widths(sign, widths)
    row_flags(sign.rows[0])
    left, right = sign.rows[0].cells
    cell_text(left, "Nơi nhận:", 12, bold=True, italic=True)
    for line in recipients:
        cell_para(left, line, 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    right.text = ""
    first = right.paragraphs[0]
    set_font(first.add_run("{%p if letterhead.sign_on_behalf %}"), 10)
    cell_para(right, "{{ letterhead.sign_on_behalf }}", size, bold=True)
    cell_para(right, "{%p endif %}", 10)
    cell_para(right, "{{ letterhead.sign_title }}", size, bold=True)
    for _ in range(4):  # room for the signature and the seal
        cell_para(right, "", size, space_after=6)
    cell_para(right, "{{ letterhead.sign_name }}", size, bold=True)
    for p in [*left.paragraphs, *right.paragraphs]:
        p.paragraph_format.keep_with_next = True
    return sign


def appraisal_section(doc, heading, tables):  # type: ignore[no-untyped-def]
    """``report --appraisals``: self-assessed → round 1 → final per (field,) department or unit; what is left."""
    para(doc, "{%p if appraisal %}", 10)
    para(doc, heading, 13, bold=True)
    body(
        doc,
        "Điểm thẩm định lấy từ các phiếu thẩm định trong thư mục {{ appraisal.folder }} "
        "({{ appraisal.files|length }} phiếu); mục chưa thẩm định tính theo điểm tự đánh giá. Còn "
        "{{ appraisal.total.not_appraised }} mục chưa thẩm định, {{ appraisal.total.stale }} mục cần thẩm định "
        "lại (phiếu tự đánh giá đã thay đổi sau khi thẩm định).",
    )
    keys = ("self_score|points", "round1|points", "final|points", "not_appraised", "stale")
    heads = ["Tự đánh giá", "Thẩm định lần 1", "Kết quả cuối", "Chưa thẩm định", "Cần thẩm định lại"]
    for title, rows in tables:
        cells = ["{{ r.name }}", *("{{ r." + k + " }}" for k in keys)]
        total = ["Cộng", *("{{ appraisal.total." + k + " }}" for k in keys)]
        loop_table(
            doc, [title, *heads], [55, 22, 22, 22, 22, 22], f'for r in appraisal.{rows} if r["items"]', cells, total
        )
    para(doc, "{%p if appraisal.stale %}", 10)
    para(doc, "Mục cần thẩm định lại:", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Cơ quan", "Tự đánh giá", "Điểm thẩm định"],
        [12, 70, 45, 19, 19],
        "for i in appraisal.stale",
        ["{{ i.item }}", "{{ i.title }}", "{{ i.department }}", "{{ i.self_score|points }}", "{{ i.final|points }}"],
    )
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p endif %}", 10)


def new_document(landscape: bool = False):  # type: ignore[no-untyped-def]
    """An A4 document in Times New Roman with the margins of Nghị định 30/2020 (20/20/30/15 mm)."""
    doc = Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(15), Mm(15)
        section.left_margin, section.right_margin = Mm(20), Mm(15)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return doc


def build_letter() -> None:
    """The one công văn layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): every letter parcli writes."""
    doc = new_document()
    page_numbers(doc)
    letterhead(doc, [70, 95], "{{ letterhead.letter_number }}", "V/v {{ subject }}")
    para(doc, "", space_after=6)
    p = para(doc, "Kính gửi: {{ recipient }}", 14, space_after=12)
    p.paragraph_format.left_indent = Mm(25)
    tag(doc, "{%p for p in body %}")
    p = body(doc, "{{ p }}", 14)
    tag(doc, "{%p endfor %}")
    p.paragraph_format.keep_with_next = True
    signature(
        doc, [80, 85], ["{%p for c in copies %}", "- {{ c }};", "{%p endfor %}", "- {{ letterhead.archive }}"], 14
    )
    doc.save(LETTER)
    print(f"wrote {LETTER}")


def main() -> None:
    """The province report (báo cáo) of ``parcli report``."""
    doc = new_document()
    page_numbers(doc)
    letterhead(doc, [70, 95], "{{ letterhead.number }}")

    para(doc, "")
    para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "{{ title }}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    rule(doc, 165, 40)
    para(doc, "", space_after=6)
    body(
        doc,
        "Căn cứ {{ campaign.plan }}, {{ letterhead.organiser }} tổng hợp kết quả tự đánh giá của các cơ quan "
        "theo {{ catalogue.decision }} như sau:",
    )
    para(doc, "{%p if catalogue.unverified %}", 10)
    para(
        doc,
        "Lưu ý: bộ tiêu chí dùng để chấm có {{ catalogue.unverified }}/{{ catalogue.nodes }} mục chưa được đối "
        "chiếu với văn bản chính thức (tạm tính); số liệu dưới đây phụ thuộc vào bộ tiêu chí đó.",
        12,
        italic=True,
    )
    para(doc, "{%p endif %}", 10)

    para(doc, "1. Kết quả chung", 13, bold=True)
    para(doc, "{%p if survey_given %}", 10)
    body(
        doc,
        "- Chỉ số CCHC của tỉnh: {{ index.final|points }}/{{ index.applicable_max|points }} điểm, đạt "
        "{{ index.percent|pct }}.",
        bold=True,
    )
    body(
        doc,
        "- Phần tự đánh giá (sau thẩm định): {{ index.appraised|points }}/{{ index.self_max|points }} điểm; "
        "phần điều tra xã hội học: {{ index.survey_score|points }}/{{ index.survey_max|points }} điểm.",
    )
    para(doc, "{%p else %}", 10)
    body(
        doc,
        "- Phần tự đánh giá (sau thẩm định): {{ index.appraised|points }}/{{ index.self_max|points }} điểm, "
        "đạt {{ index.percent|pct }}.",
        bold=True,
    )
    body(doc, "- Phần điều tra xã hội học ({{ index.survey_max|points }} điểm): chờ kết quả điều tra xã hội học.")
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p if index.appraisal_differs %}", 10)
    body(
        doc,
        "- Điểm các cơ quan tự đánh giá: {{ index.self_score|points }} điểm ({{ index.self_percent|pct }}); "
        "sau thẩm định: {{ index.appraised|points }} điểm.",
    )
    para(doc, "{%p endif %}", 10)
    body(doc, "- Số điểm bị trừ ở phần tự đánh giá: {{ index.lost|points }} điểm.")
    para(doc, "{%p if index.unscored %}", 10)
    body(
        doc,
        "- Còn {{ index.unscored }} tiêu chí thành phần chưa có điểm (cơ quan chưa nộp hoặc phiếu có lỗi); "
        "kết quả trên là tạm tính.",
    )
    para(doc, "{%p endif %}", 10)

    para(doc, "2. Kết quả theo lĩnh vực", 13, bold=True)
    loop_table(
        doc,
        [
            "Lĩnh vực",
            "Điểm tối đa",
            "Tự đánh giá",
            "Sau thẩm định",
            "Điều tra XHH",
            "Tỷ lệ",
            "Thay đổi so với năm trước",
        ],
        [45, 17, 22, 19, 22, 20, 20],
        "for f in fields",
        [
            "{{ f.code }}. {{ f.title }}",
            "{{ f.max|points }}",
            "{{ f.self_score|points }}/{{ f.self_max|points }}",
            "{{ f.appraised|points }}",
            "{% if f.survey_pending %}chờ kết quả ({{ f.survey_max|points }}){% else %}{{ f.survey_score|points }}"
            "{% endif %}",
            "{{ f.percent|pct }}",
            "{% if f.previous %}{{ f.previous.change|signed }}{% else %}–{% endif %}",
        ],
        total=[
            "Tổng cộng",
            "{{ index.max|points }}",
            "{{ index.self_score|points }}/{{ index.self_max|points }}",
            "{{ index.appraised|points }}",
            "{% if index.survey_pending %}chờ kết quả{% else %}{{ index.survey_score|points }}{% endif %}",
            "{{ index.percent|pct }}",
            "",
        ],
    )
    para(
        doc,
        "{% if survey_given %}Tỷ lệ tính trên tổng điểm tối đa áp dụng.{% else %}Tỷ lệ tính trên phần tự "
        "đánh giá.{% endif %} {% if na_full_points %}Mục không áp dụng tính theo cách quy định cho từng mục "
        "(bảng mục không áp dụng).{% else %}Mục không áp dụng không tính vào điểm và điểm tối đa.{% endif %}"
        "{% if has_previous %} "
        "Năm trước: {{ previous_file }}; thay đổi tính trên phần tự đánh giá sau thẩm định, "
        "bằng điểm phần trăm.{% for n in previous_notes %} {{ n }}{% endfor %}{% endif %}",
        11,
        italic=True,
    )
    para(doc, "{{ chart_image }}", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0, keep=True)
    para(doc, "Biểu đồ: Tỷ lệ điểm đạt theo lĩnh vực (%)", 12, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)

    para(doc, "3. Các tiêu chí thành phần bị trừ điểm", 13, bold=True)
    para(doc, "{%p if lost %}", 10)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Tối đa", "Đạt", "Bị trừ", "Cơ quan chịu trách nhiệm", "Giải trình"],
        [12, 42, 13, 16, 13, 30, 39],
        "for i in lost",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.max|points }}",
            "{{ i.score|points }}{% if i.appraised is not none and i.appraised != i.self_score %} (tự chấm "
            "{{ i.self_score|points }}){% endif %}",
            "{{ i.lost|points }}",
            "{{ i.department }} (PL {{ i.appendix }})",
            "{{ i.explanation }}{% if i.note %} — Thẩm định: {{ i.note }}{% endif %}",
        ],
    )
    para(doc, "{%p else %}", 10)
    body(doc, "Không có tiêu chí thành phần nào bị trừ điểm.")
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p if unscored %}", 10)
    para(doc, "Tiêu chí thành phần chưa có điểm:", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Tối đa", "Cơ quan", "Tình trạng"],
        [12, 68, 15, 42, 28],
        "for i in unscored",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.max|points }}",
            "{{ i.department }} (PL {{ i.appendix }})",
            "{{ i.status }}",
        ],
    )
    para(doc, "{%p endif %}", 10)

    para(doc, "{%p if not_applicable %}", 10)
    para(doc, "Tiêu chí thành phần không áp dụng:", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Tối đa", "Cách tính khi không áp dụng", "Cơ quan", "Giải trình"],
        [12, 45, 14, 30, 30, 34],
        "for i in not_applicable",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.max|points }}",
            "{{ i.rule_label }}",
            "{{ i.department }} (PL {{ i.appendix }})",
            "{{ i.explanation }}",
        ],
    )
    para(doc, "{%p endif %}", 10)

    para(doc, "4. Tình hình gửi kết quả của các cơ quan", 13, bold=True)
    body(doc, "Hạn gửi: {{ campaign.deadline_words }}.")
    loop_table(
        doc,
        ["PL", "Cơ quan", "Số mục", "Điểm / tối đa", "Tỷ lệ", "Tình trạng", "Ngày gửi"],
        [13, 40, 12, 22, 19, 35, 24],
        "for d in departments",
        [
            "{{ d.appendix }}",
            "{{ d.name }}",
            "{{ d.item_count }}",
            "{{ d.score|points }}/{{ d.max|points }}",
            "{{ d.percent|pct }}",
            "{{ d.status_label }}",
            "{{ d.sent|date_vn }}",
        ],
    )
    appraisal_section(doc, "5. Kết quả thẩm định", [("Lĩnh vực", "fields"), ("Cơ quan", "departments")])
    remedy_section(doc)
    previous_remedy_section(doc)
    para(doc, "", space_after=0, keep=True)
    body(doc, "Trên đây là báo cáo {{ title[0]|lower }}{{ title[1:] }}./.", keep=True)
    signature(doc, [80, 85], ["- UBND tỉnh (để báo cáo);", "- Lưu: VT, CCHC."])
    # the software and its rounding rule: an appendix page after the body, not in the letter
    p = para(doc, "PHỤ LỤC: NGUỒN SỐ LIỆU", 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.page_break_before = True
    body(doc, "Số liệu tính từ {{ source_file }} bằng {{ tool }}; quy tắc làm tròn: {{ rounding_rule }}.", 12)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    doc.save(TARGET)
    print(f"wrote {TARGET}")


def build_ranking() -> None:
    """The ranking report of each-unit-scores campaigns: a ranking table and a heat map per group."""
    doc = new_document(landscape=True)
    letterhead(doc, [95, 167], "{{ letterhead.number }}")
    para(doc, "")
    para(doc, "BÁO CÁO", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    para(doc, "{{ title }}", 14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    para(
        doc,
        "Căn cứ {{ campaign.plan }}, {{ letterhead.organiser }} tổng hợp kết quả tự đánh giá, thẩm định và "
        "xếp hạng Chỉ số cải cách hành chính của các đơn vị như sau:",
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    )
    para(doc, "{%p if catalogue.unverified %}", 10)
    para(
        doc,
        "Lưu ý: các bộ tiêu chí dùng để chấm có {{ catalogue.unverified }}/{{ catalogue.nodes }} mục chưa được "
        "đối chiếu với văn bản chính thức (tạm tính).",
        12,
        italic=True,
    )
    para(doc, "{%p endif %}", 10)
    para(
        doc,
        "Xếp loại: {% for b in bands %}{{ b.label }} {% if b.upper is none %}từ {{ b.min|points }}%"
        "{% elif b.min == 0 %}dưới {{ b.upper|points }}%{% else %}từ {{ b.min|points }}% "
        "đến dưới {{ b.upper|points }}%{% endif %}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.",
        12,
    )
    para(doc, "{%p for g in groups %}", 10)
    para(doc, "{{ loop.index }}. {{ g.name }}", 13, bold=True)
    loop_table(
        doc,
        ["Hạng", "Đơn vị", "Điểm đạt / tối đa", "Tỷ lệ", "Xếp loại", "Tình trạng phiếu"],
        [16, 110, 40, 28, 30, 38],
        "for u in g.rows",
        [
            "{{ u.rank if u.rank is not none else '–' }}",
            "{{ u.name }}{% if u.exempt %} (miễn: {% for e in u.exempt %}{{ e.code }}{% if not loop.last %}, "
            "{% endif %}{% endfor %}){% endif %}",
            "{{ u.final|points }}/{{ u.max|points }}",
            "{{ u.percent|pct }}",
            "{{ u.band or '–' }}",
            "{{ u.status_label }}",
        ],
    )
    para(
        doc,
        "Số đơn vị theo xếp loại: {% for label, n in g.bands.items() %}{{ label }}: {{ n }}"
        "{% if not loop.last %}; {% endif %}{% endfor %}.",
        12,
    )
    para(doc, "{%p if previous %}", 10)
    para(doc, "So sánh với năm trước ({{ previous.file }}):", 12, italic=True)
    loop_table(
        doc,
        [
            "Hạng",
            "Đơn vị",
            "Năm nay",
            "Tỷ lệ",
            "Hạng năm trước",
            "Năm trước",
            "Tỷ lệ năm trước",
            "Thay đổi",
            "Khôi phục so với năm trước",
        ],
        [14, 70, 30, 22, 22, 30, 24, 20, 30],
        "for u in g.rows",
        [
            "{{ u.rank if u.rank is not none else '–' }}",
            "{{ u.name }}",
            "{{ u.final|points }}/{{ u.max|points }}",
            "{{ u.percent|pct }}",
            "{% if u.previous %}{{ u.previous.rank if u.previous.rank is not none else '–' }}"
            "{% else %}chưa có{% endif %}",
            "{% if u.previous %}{{ u.previous.final|points }}/{{ u.previous.max|points }}{% else %}–{% endif %}",
            "{% if u.previous %}{{ u.previous.percent|pct }}{% else %}–{% endif %}",
            "{% if u.previous %}{{ u.previous.change|signed }}{% else %}–{% endif %}",
            "{% if u.previous and u.previous.recovered is not none %}{{ u.previous.recovered|points }}"
            "{% else %}–{% endif %}",
        ],
    )
    para(doc, "{%p endif %}", 10)
    para(doc, "Tỷ lệ theo lĩnh vực (%):", 12, italic=True)
    heat = doc.add_table(rows=4, cols=4)
    heat.style = "Table Grid"
    cell_text(heat.rows[0].cells[0], "Đơn vị", 10, bold=True)
    cell_text(heat.rows[0].cells[1], "{%tc for f in g.fields %}", 8)
    cell_text(heat.rows[0].cells[2], "LV {{ f.code }}", 10, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    cell_text(heat.rows[0].cells[3], "{%tc endfor %}", 8)
    cell_text(heat.rows[1].cells[0], "{%tr for u in g.rows %}", 8)
    cell_text(heat.rows[2].cells[0], "{{ u.name }}", 10)
    cell_text(heat.rows[2].cells[1], "{%tc for f in u.fields %}", 8)
    cell_text(
        heat.rows[2].cells[2],
        "{% cellbg f.colour %}{% if f.exempt %}miễn{% else %}{{ f.percent|pct }}{% endif %}",
        10,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    cell_text(heat.rows[2].cells[3], "{%tc endfor %}", 8)
    cell_text(heat.rows[3].cells[0], "{%tr endfor %}", 8)
    heat.autofit = True  # docxtpl multiplies the field column; a fixed grid would squeeze it
    para(
        doc,
        "{% for f in g.fields %}LV {{ f.code }}: {{ f.title }}{% if not loop.last %}; {% endif %}{% endfor %}.",
        10,
        italic=True,
    )
    para(doc, "{%p endfor %}", 10)
    para(
        doc,
        "{{ tie_rule }} Tỷ lệ tính trên phần tự đánh giá sau thẩm định khi chưa có kết quả điều tra xã hội học. "
        "{{ na_rule }} “Chờ XHH”: lĩnh vực chấm bằng điều tra xã hội học, chưa có kết quả.",
        10,
        italic=True,
    )
    appraisal_section(doc, "Kết quả thẩm định", [("Đơn vị", "departments")])
    para(doc, "{%p if previous and previous.only_previous %}", 10)
    body(
        doc,
        "Đơn vị chỉ có trong bảng tổng hợp năm trước (không còn trong kế hoạch năm nay): "
        '{{ previous.only_previous|join(", ") }}. Đơn vị “chưa có” hạng năm trước: không có trong bảng tổng hợp năm '
        "trước.",
        12,
    )
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p if previous %}", 10)
    para(
        doc,
        "Năm trước: tỷ lệ phần tự đánh giá sau thẩm định, xếp hạng trong nhóm của năm nay; thay đổi bằng điểm phần "
        "trăm.",
        10,
        italic=True,
    )
    para(doc, "{%p endif %}", 10)
    ranking_remedy_section(doc, "remedy", "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ", "sơ bộ")
    ranking_remedy_section(doc, "remedy_previous", "Kết quả khắc phục các mục bị trừ điểm năm trước", "năm trước")
    para(doc, "{%p if remedy_previous %}", 10)
    para(doc, "{{ remedy_previous.note }}", 10, italic=True)
    para(doc, "{%p endif %}", 10)
    para(doc, "", space_after=0, keep=True)
    body(doc, "Trên đây là báo cáo {{ title[0]|lower }}{{ title[1:] }}./.", keep=True)
    signature(doc, [130, 132], ["- UBND tỉnh (để báo cáo);", "- Lưu: VT, CCHC."])
    # the software and its rounding rule: an appendix page after the signature, as in the province report
    p = para(doc, "PHỤ LỤC: NGUỒN SỐ LIỆU", 13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    p.paragraph_format.page_break_before = True
    body(doc, "Số liệu tính từ {{ source_file }} bằng {{ tool }}; quy tắc làm tròn: {{ rounding_rule }}.", 12)
    doc.save(RANKING)
    print(f"wrote {RANKING}")


if __name__ == "__main__":
    main()
    build_ranking()
    build_letter()
