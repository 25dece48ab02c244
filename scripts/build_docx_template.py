"""Build the Word templates of parcli (docxtpl syntax): the report, the ranking, the letters and their kin.

Run ``python scripts/build_docx_template.py`` after changing this file or the ``docx_*.py`` beside it; the
.docx files are committed so that an office can open and adapt them in Word (keep the ``{{ … }}`` /
``{%tr … %}`` / ``{%p … %}`` tags).  Layout after Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, Times New Roman,
portrait margins 20 mm top and bottom, 30 mm left, 15 mm right (a landscape appendix turns the page: its top
edge is the bound one); agency top left, national title and motto top right; number and date lines; page
numbers from page 2; recipients and signature at the end, the closing kept with the signature.

- ``report.docx``: the province report of ``parcli report`` (also the People's Committee's draft report);
- ``ranking.docx`` (``docx_ranking.py``): the ranking report of an each-unit-scores campaign;
- ``letter.docx``, ``listing.docx``, ``record.docx``, ``decision.docx`` (``docx_letters.py``).
"""

from __future__ import annotations

from pathlib import Path

import docx_parts
from docx_letters import build_decision, build_letter, build_listing, build_record
from docx_parts import (
    CENTER,
    Col,
    body,
    caption,
    cell_text,
    copies_lines,
    draft_mark,
    heading,
    keep_rows,
    landscape_section,
    letterhead,
    new_document,
    num,
    para,
    row_flags,
    rule,
    save,
    set_widths,
    shade,
    signature,
    table,
    tag,
)
from docx_remedy import previous_remedy_section, remedy_section

TARGET = Path(__file__).resolve().parent.parent / "templates" / "report.docx"
RANKING = TARGET.with_name("ranking.docx")
LETTER = TARGET.with_name("letter.docx")
LISTING = TARGET.with_name("listing.docx")
RECORD = TARGET.with_name("record.docx")
DECISION = TARGET.with_name("decision.docx")

__all__ = ["letterhead", "new_document", "page_numbers", "signature"]  # build_compare_template.py uses them


def page_numbers(doc):  # type: ignore[no-untyped-def]
    """Page numbers centred at the top of the first section's pages from page 2 on."""
    docx_parts.page_numbers(doc.sections[0])


def title_block(doc, kind="BÁO CÁO"):  # type: ignore[no-untyped-def]
    """“BÁO CÁO” and the title; a provisional report says “tạm tính” in its title and the day of its figures."""
    para(doc, "", 8)
    para(doc, kind, 14, bold=True, align=CENTER, space_after=0)
    para(doc, "{{ title }}", 14, bold=True, align=CENTER, space_after=0)
    tag(doc, "{%p if provisional %}")
    para(doc, "(Số liệu đến ngày {{ as_of|date_vn }})", 13, italic=True, align=CENTER, space_after=0)
    tag(doc, "{%p endif %}")
    rule(doc, 165, 40)
    para(doc, "", 8, space_after=6)


def bullets(doc, items):  # type: ignore[no-untyped-def]
    """“- …” body paragraphs, one per entry of the context list ``items``."""
    tag(doc, "{%p for s in " + items + " %}")
    body(doc, "- {{ s }}")
    tag(doc, "{%p endfor %}")


def general(doc):  # type: ignore[no-untyped-def]
    """I.1: the index, the self-assessed part before and after appraisal, the points lost, what is provisional."""
    heading(doc, "1. Kết quả chung")
    tag(doc, "{%p if survey_given %}")
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
    tag(doc, "{%p else %}")
    body(
        doc,
        "- Phần tự đánh giá (sau thẩm định): {{ index.appraised|points }}/{{ index.self_max|points }} điểm, "
        "đạt {{ index.percent|pct }}.",
        bold=True,
    )
    body(doc, "- Phần điều tra xã hội học ({{ index.survey_max|points }} điểm): chờ kết quả điều tra xã hội học.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if index.appraisal_differs %}")
    body(
        doc,
        "- Điểm các cơ quan tự đánh giá: {{ index.self_score|points }} điểm ({{ index.self_percent|pct }}); "
        "sau thẩm định: {{ index.appraised|points }} điểm.",
    )
    tag(doc, "{%p endif %}")
    body(doc, "- Số điểm bị trừ ở phần tự đánh giá: {{ index.lost|points }} điểm.")
    tag(doc, "{%p if index.unscored %}")
    body(
        doc,
        "- Còn {{ index.unscored }} tiêu chí thành phần chưa có điểm (cơ quan chưa nộp hoặc phiếu có lỗi).",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if provisional %}")
    body(doc, "- Kết quả trên là kết quả tạm tính: {{ provisional_reasons|join('; ') }}.", italic=True)
    tag(doc, "{%p endif %}")


FIELD_COLUMNS = [
    num("TT", 9, "{{ f.code }}"),
    Col("Lĩnh vực", 51, "{{ f.title }}", total="Tổng cộng"),
    num("Điểm tối đa", 15, "{{ f.max|points }}", "{{ index.max|points }}"),
    num("Tối đa phần tự đánh giá", 17, "{{ f.self_max|points }}", "{{ index.self_max|points }}"),
    num("Điểm tự đánh giá", 17, "{{ f.self_score|points }}", "{{ index.self_score|points }}"),
    num("Điểm sau thẩm định", 17, "{{ f.appraised|points }}", "{{ index.appraised|points }}"),
    num(
        "Điểm điều tra XHH",
        22,
        "{% if f.survey_pending %}chờ kết quả{% else %}{{ f.survey_score|points }}{% endif %}",
        "{% if index.survey_pending %}chờ kết quả{% else %}{{ index.survey_score|points }}{% endif %}",
    ),
    num("Tỷ lệ (%)", 17, "{{ f.percent|pct }}", "{{ index.percent|pct }}"),
]
CHANGE = num(
    "Thay đổi so với năm trước", 17, "{% if f.previous %}{{ f.previous.change|signed }}{% else %}–{% endif %}"
)


def by_field(doc):  # type: ignore[no-untyped-def]
    """I.2: the field table (the change against last year only when there is a last year), the note, the chart."""
    heading(doc, "2. Kết quả theo lĩnh vực")
    caption(doc, "Kết quả tự đánh giá, chấm điểm theo lĩnh vực")
    tag(doc, "{%p if has_previous %}")
    narrow = [*FIELD_COLUMNS]
    narrow[1] = Col("Lĩnh vực", 32, "{{ f.title }}", total="Tổng cộng")
    narrow = [c if c.head != "Điểm tối đa" else num(c.head, 13, c.cell, c.total) for c in narrow]
    table(doc, [*narrow, CHANGE], "for f in fields", total=True, size=10, short=0)
    tag(doc, "{%p else %}")
    table(doc, FIELD_COLUMNS, "for f in fields", total=True, size=11, short=0)
    tag(doc, "{%p endif %}")
    para(
        doc,
        "Điểm tối đa của mỗi lĩnh vực gồm phần tự đánh giá và phần điều tra xã hội học. {% if survey_given %}Tỷ lệ "
        "tính trên tổng điểm tối đa áp dụng.{% else %}Phần điều tra xã hội học ({{ index.survey_max|points }} điểm) "
        "chờ kết quả; tỷ lệ tính bằng điểm sau thẩm định trên điểm tối đa phần tự đánh giá.{% endif %} "
        "{% if na_full_points %}Mục không áp dụng tính theo cách quy định cho từng mục (bảng mục không áp dụng)."
        "{% else %}Mục không áp dụng không tính vào điểm và điểm tối đa.{% endif %}{% if has_previous %} Năm "
        "trước: năm {{ previous_year }}; thay đổi tính trên phần tự đánh giá sau thẩm định, bằng điểm phần trăm."
        "{% for n in previous_notes %} {{ n }}{% endfor %}{% endif %}",
        11,
        italic=True,
    )
    para(doc, "{{ chart_image }}", align=CENTER, space_after=0, keep=True)
    para(doc, "Biểu đồ: Tỷ lệ điểm đạt theo lĩnh vực (%)", 12, italic=True, align=CENTER)


def lost_items(doc):  # type: ignore[no-untyped-def]
    """I.3: the items that lost points (explanation and appraisal note in columns of their own), unscored, N/A."""
    heading(doc, "3. Các tiêu chí thành phần bị trừ điểm")
    tag(doc, "{%p if lost %}")
    caption(doc, "Các tiêu chí thành phần bị trừ điểm (nhiều điểm nhất trước)")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 40, "{{ i.title }}"),
            num("Điểm tối đa", 13, "{{ i.max|points }}"),
            num("Điểm tự đánh giá", 14, "{{ i.self_score|points }}"),
            num("Điểm sau thẩm định", 14, "{{ i.score|points }}"),
            num("Điểm bị trừ", 12, "{{ i.lost|points }}"),
            Col("Cơ quan chịu trách nhiệm", 25, "{{ i.department }} (PL {{ i.appendix }})"),
            Col("Ý kiến thẩm định", 35, "{{ i.note }}"),
        ],
        "for i in lost",
        size=10,
        short=0,
    )
    para(doc, "Giải trình của cơ quan về từng mục: xem Phụ lục.", 11, italic=True)
    tag(doc, "{%p else %}")
    body(doc, "Không có tiêu chí thành phần nào bị trừ điểm.")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if unscored %}")
    caption(doc, "Tiêu chí thành phần chưa có điểm")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 68, "{{ i.title }}"),
            num("Điểm tối đa", 15, "{{ i.max|points }}"),
            Col("Cơ quan", 42, "{{ i.department }} (PL {{ i.appendix }})"),
            Col("Tình trạng", 28, "{{ i.status }}"),
        ],
        "for i in unscored",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if not_applicable %}")
    caption(doc, "Tiêu chí thành phần không áp dụng")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 45, "{{ i.title }}"),
            num("Điểm tối đa", 14, "{{ i.max|points }}"),
            Col("Cách tính khi không áp dụng", 30, "{{ i.rule_label }}"),
            Col("Cơ quan", 30, "{{ i.department }} (PL {{ i.appendix }})"),
            Col("Giải trình", 34, "{{ i.explanation }}"),
        ],
        "for i in not_applicable",
    )
    tag(doc, "{%p endif %}")


def departments(doc):  # type: ignore[no-untyped-def]
    """I.4: every department in the order of the appendices: items, points, percentage, status, date sent."""
    heading(doc, "4. Tình hình gửi kết quả của các cơ quan")
    body(doc, "Hạn gửi theo Kế hoạch: {{ campaign.deadline_words }}.")
    caption(doc, "Kết quả và tình hình gửi phiếu tự đánh giá của các cơ quan (theo thứ tự phụ lục của Kế hoạch)")
    table(
        doc,
        [
            num("PL", 14, "{{ d.appendix }}"),
            Col("Cơ quan", 38, "{{ d.name }}"),
            num("Số mục", 12, "{{ d.item_count }}"),
            num("Điểm tối đa", 14, "{{ d.max|points }}"),
            num("Điểm sau thẩm định", 15, "{{ d.score|points }}"),
            num("Tỷ lệ (%)", 18, "{{ d.percent|pct }}"),
            Col("Tình trạng", 32, "{{ d.status_label }}"),
            num("Ngày gửi", 22, "{{ d.sent|date_vn }}"),
        ],
        "for d in departments",
    )


def appraisal_section(doc, number, tables):  # type: ignore[no-untyped-def]
    """``--appraisals``: self-assessed → round 1 → after appraisal per field and department (or unit); what is left.

    ``tables`` are (caption, first column, row list, its code key): each table its own caption and header.
    """
    tag(doc, "{%p if appraisal %}")
    heading(doc, number + "Kết quả thẩm định")
    body(
        doc,
        "Tổ thẩm định đã thẩm định {{ appraisal.total.appraised }}/{{ appraisal.total['items'] }} tiêu chí thành "
        "phần các cơ quan đã tự đánh giá; mục chưa thẩm định tính theo điểm tự đánh giá. Còn "
        "{{ appraisal.total.not_appraised }} mục chưa thẩm định, {{ appraisal.total.stale }} mục cần thẩm định lại "
        "(phiếu tự đánh giá đã thay đổi sau khi thẩm định).",
    )
    for title, first, rows, code in tables:
        caption(doc, title + "{% if provisional %} (tạm tính){% endif %}")
        table(
            doc,
            [
                num(first[0], 14, "{{ r." + code + " }}"),
                Col(first[1], 49, "{{ r.name }}", total="Cộng"),
                num("Điểm tự đánh giá", 20, "{{ r.self_score|points }}", "{{ appraisal.total.self_score|points }}"),
                num("Thẩm định lần 1", 20, "{{ r.round1|points }}", "{{ appraisal.total.round1|points }}"),
                num("Sau thẩm định", 20, "{{ r.final|points }}", "{{ appraisal.total.final|points }}"),
                num("Chưa thẩm định", 21, "{{ r.not_appraised }}", "{{ appraisal.total.not_appraised }}"),
                num("Cần thẩm định lại", 21, "{{ r.stale }}", "{{ appraisal.total.stale }}"),
            ],
            f'for r in appraisal.{rows} if r["items"]',
            total=True,
        )
    tag(doc, "{%p if appraisal.stale %}")
    caption(doc, "Mục cần thẩm định lại")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.item }}"),
            Col("Tiêu chí thành phần", 70, "{{ i.title }}"),
            Col("Cơ quan", 45, "{{ i.department }}"),
            num("Điểm tự đánh giá", 19, "{{ i.self_score|points }}"),
            num("Điểm thẩm định", 19, "{{ i.final|points }}"),
        ],
        "for i in appraisal.stale",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def assessment(doc):  # type: ignore[no-untyped-def]
    """II and III: the overall assessment made from the figures, the proposals, the closing."""
    heading(doc, "II. ĐÁNH GIÁ CHUNG")
    parts = (("1. Ưu điểm", "strengths"), ("2. Tồn tại, hạn chế", "shortcomings"), ("3. Nguyên nhân", "causes"))
    for title, key in parts:
        heading(doc, title)
        bullets(doc, "assessment." + key)
    heading(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    body(doc, "{{ proposals_lead }}")
    bullets(doc, "proposals")


def appendix(doc):  # type: ignore[no-untyped-def]
    """The detailed table of every field, criterion and component criterion, on landscape pages.

    Field rows are bold and shaded, criterion rows bold italic; a field's row stays with the row after it.
    """
    landscape_section(doc)
    para(doc, "PHỤ LỤC", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "BẢNG TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHI TIẾT", 14, bold=True, align=CENTER, space_after=0)
    para(doc, "(Kèm theo {{ appendix_of }})", 13, italic=True, align=CENTER, space_after=8)
    cols = [
        Col("Mã", 14, "{{ r.code }}"),
        Col("Lĩnh vực, tiêu chí, tiêu chí thành phần", 80, "{{ r.title }}"),
        num("Điểm tối đa", 16, "{{ r.max|points }}"),
        num("Điểm tự đánh giá", 18, "{% if r.state %}{{ r.state }}{% else %}{{ r.self_score|points }}{% endif %}"),
        num("Điểm sau thẩm định", 18, "{% if r.state %}{{ r.state }}{% else %}{{ r.final|points }}{% endif %}"),
        Col("Cơ quan thực hiện", 33, "{{ r.department }}"),
        Col("Giải trình của cơ quan", 39, "{{ r.explanation }}"),
        Col("Ý kiến thẩm định", 39, "{{ r.note }}"),
    ]
    rows = ["{%tr for r in appendix_rows %}", "{%tr if r.level == 1 %}", "field", "{%tr elif r.level == 2 %}",
            "criterion", "{%tr else %}", "leaf", "{%tr endif %}", "{%tr endfor %}"]
    t = doc.add_table(rows=1 + len(rows), cols=len(cols))
    t.style = "Table Grid"
    for i, col in enumerate(cols):
        cell_text(t.rows[0].cells[i], col.head, 11, bold=True, align=CENTER)
        shade(t.rows[0].cells[i])
    for offset, text in enumerate(rows):
        row = t.rows[1 + offset]
        if text.startswith("{%"):
            cell_text(row.cells[0], text, 8)
            continue
        for i, col in enumerate(cols):
            cell_text(row.cells[i], col.cell, 11, bold=text != "leaf", italic=text == "criterion", align=col.align)
        keep_rows(row, text == "field")  # a field's row stays with its first criterion
        if text == "field":
            for cell in row.cells:
                shade(cell, "F2F2F2")
    set_widths(t, [c.width for c in cols])
    for i, row in enumerate(t.rows):
        row_flags(row, header=i == 0)
    para(doc, "Mục do điều tra xã hội học chấm điểm ghi “Điều tra XHH” cho đến khi có kết quả.", 11, italic=True)


def main() -> None:
    """The province report (báo cáo) of ``parcli report``; its draft for the People's Committee uses it too."""
    doc = new_document()
    page_numbers(doc)
    draft_mark(doc)
    letterhead(doc, [70, 95], "{{ letterhead.number }}")
    title_block(doc)
    body(doc, "{{ intro }}")
    heading(doc, "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM")
    general(doc)
    by_field(doc)
    lost_items(doc)
    departments(doc)
    appraisal_section(
        doc,
        "{{ sections.appraisal }}. ",
        [
            ("Kết quả thẩm định theo lĩnh vực", ("TT", "Lĩnh vực"), "fields", "code"),
            ("Kết quả thẩm định theo cơ quan (theo thứ tự phụ lục)", ("PL", "Cơ quan"), "departments", "appendix"),
        ],
    )
    remedy_section(doc)
    previous_remedy_section(doc)
    assessment(doc)
    body(doc, "{{ closing }}", keep=True)
    signature(doc, [80, 85], copies_lines(), collective=True)
    appendix(doc)
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    save(doc, TARGET)


if __name__ == "__main__":
    from docx_ranking import build_ranking

    main()
    build_ranking(RANKING)
    build_letter(LETTER)
    build_listing(LISTING)
    build_record(RECORD)
    build_decision(DECISION)
