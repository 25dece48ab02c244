"""Build ``templates/compare.docx``, the Word template of ``parcli result compare`` (docxtpl syntax).

Run ``python scripts/build_compare_template.py`` after changing this file; the .docx is committed so that an
office can open and adapt it in Word (keep the ``{{ … }}`` / ``{%tr … %}`` / ``{%p … %}`` tags).  The
layout is the report's (Nghị định 30/2020/NĐ-CP, Phụ lục I): the same letterhead, signature, page numbers
and tables with a repeated header row, from ``build_docx_template.py`` and ``docx_parts.py``.
"""

from __future__ import annotations

from pathlib import Path

from build_docx_template import letterhead, new_document, page_numbers, signature
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx_parts import body, loop_table, para, rule, save

TARGET = Path(__file__).resolve().parent.parent / "templates" / "compare.docx"


def align_right(table, columns):  # type: ignore[no-untyped-def]
    """Numbers right-aligned in the loop row and the total row (cells ``loop_table`` could not tell numeric)."""
    for row in table.rows[2:]:
        for index in columns:
            row.cells[index].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def if_(doc, test):  # type: ignore[no-untyped-def]
    """A ``{%p … %}`` tag paragraph (docxtpl removes it)."""
    return para(doc, "{%p " + test + " %}", 10)


def general(doc):  # type: ignore[no-untyped-def]
    """1. Kết quả chung: the three figures, the points not accepted (seen / missed), the survey, the index."""
    para(doc, "1. Kết quả chung", 13, bold=True)
    if_(doc, "if by_items")
    body(
        doc,
        '- Phần tự đánh giá ({{ total["items"] }} tiêu chí thành phần, tối đa {{ total.max|points }} điểm): các cơ '
        "quan tự đánh giá {{ total.self_score|points }} điểm; sau thẩm định của tỉnh {{ total.province|points }} "
        "điểm; Bộ Nội vụ thẩm định {{ total.ministry|points }} điểm ({{ total.percent|pct }}).",
    )
    body(
        doc,
        "- Điểm không được Bộ công nhận: {{ total.not_accepted|points }} điểm ở {{ total.items_not_accepted }} tiêu "
        "chí thành phần; trong đó {{ total.not_accepted_missed|points }} điểm ở {{ total.items_missed }} mục tổ thẩm "
        "định của tỉnh chưa phát hiện, {{ total.not_accepted_seen|points }} điểm ở {{ total.items_seen }} mục tổ "
        "thẩm định của tỉnh đã trừ điểm nhưng chưa đủ.",
        bold=True,
    )
    if_(doc, "if total.caught")
    body(
        doc,
        "- Tổ thẩm định của tỉnh đã trừ {{ total.caught|points }} điểm ở {{ caught|length }} mục và được Bộ công nhận.",
    )
    if_(doc, "endif")
    if_(doc, "if total.raised")
    body(doc, "- Bộ chấm cao hơn tỉnh: {{ total.raised|points }} điểm ở {{ total.items_raised }} mục.")
    if_(doc, "endif")
    if_(doc, "else")
    body(
        doc,
        "- Kết quả của Bộ chỉ có điểm theo lĩnh vực (quyết định công bố): phần tự đánh giá sau thẩm định của tỉnh "
        "{{ total.province|points }}/{{ total.max|points }} điểm; Bộ Nội vụ thẩm định {{ total.ministry|points }} "
        "điểm; chênh lệch {{ total.change|signed }} điểm. Chưa so sánh được theo tiêu chí thành phần và theo cơ quan.",
    )
    if_(doc, "endif")
    if_(doc, "if survey.pending")
    body(doc, "- Phần điều tra xã hội học ({{ survey.max|points }} điểm): bảng kết quả của Bộ chưa có số liệu.")
    if_(doc, "else")
    body(
        doc,
        "- Phần điều tra xã hội học: {{ survey.points|points }}/{{ survey.max|points }} điểm "
        "({{ survey.percent|pct }}).",
    )
    if_(doc, "endif")
    if_(doc, "if ministry_index.points is not none")
    body(
        doc,
        "- Chỉ số CCHC năm {{ year }} của tỉnh theo kết quả của Bộ: {{ ministry_index.points|points }}/"
        "{{ ministry_index.max|points }} điểm, đạt {{ ministry_index.percent|pct }}.",
        bold=True,
    )
    if_(doc, "endif")


def by_field(doc):  # type: ignore[no-untyped-def]
    """2. So sánh theo lĩnh vực: the three figures, points not accepted, the survey part and the Ministry's total."""
    para(doc, "2. So sánh theo lĩnh vực", 13, bold=True)
    table = loop_table(
        doc,
        [
            "Lĩnh vực",
            "Tối đa",
            "Tự đánh giá",
            "Tỉnh thẩm định",
            "Bộ thẩm định",
            "Không được công nhận",
            "Điều tra XHH (Bộ)",
            "Tổng điểm theo Bộ",
            "Tỷ lệ",
        ],
        [31, 14, 14, 14, 14, 16, 16, 27, 19],
        "for f in fields",
        [
            "{{ f.code }}. {{ f.title }}",
            "{{ f.max|points }}",
            "{{ f.self_score|points }}",
            "{{ f.province|points }}",
            "{{ f.ministry|points }}",
            "{{ f.not_accepted|points }}",
            "{% if f.survey_pending %}chưa có{% elif f.survey_max %}{{ f.survey_points|points }}/"
            "{{ f.survey_max|points }}{% else %}–{% endif %}",
            "{% if f.ministry_total is not none %}{{ f.ministry_total|points }}/{{ f.ministry_total_max|points }}"
            "{% else %}–{% endif %}",
            "{{ f.ministry_total_percent|pct }}",
        ],
        total=[
            "Tổng cộng",
            "{{ total.max|points }}",
            "{{ total.self_score|points }}",
            "{{ total.province|points }}",
            "{{ total.ministry|points }}",
            "{{ total.not_accepted|points }}",
            "{% if survey.pending %}chưa có{% else %}{{ survey.points|points }}/{{ survey.max|points }}{% endif %}",
            "{% if ministry_index.points is not none %}{{ ministry_index.points|points }}/"
            "{{ ministry_index.max|points }}{% else %}–{% endif %}",
            "{{ ministry_index.percent|pct }}",
        ],
    )
    align_right(table, range(1, 9))
    para(
        doc,
        "Tối đa, tự đánh giá và điểm thẩm định: phần tự đánh giá{% if by_items %}, cộng các tiêu chí thành phần có "
        "đủ điểm của tỉnh và của Bộ{% endif %}. Điều tra xã hội học và tổng điểm theo kết quả của Bộ; tỷ lệ = tổng "
        "điểm theo Bộ / điểm tối đa của lĩnh vực.",
        11,
        italic=True,
    )


def by_department(doc):  # type: ignore[no-untyped-def]
    """3. The departments ranked by points not accepted; those with none in one sentence."""
    para(doc, "3. Các cơ quan chịu trách nhiệm, xếp theo điểm không được công nhận", 13, bold=True)
    if_(doc, "if departments_ranked")
    table = loop_table(
        doc,
        [
            "Hạng",
            "Cơ quan",
            "Số mục không được công nhận",
            "Tự đánh giá",
            "Tỉnh thẩm định",
            "Bộ thẩm định",
            "Không được công nhận",
            "Trong đó tỉnh chưa phát hiện",
        ],
        [14, 41, 20, 16, 16, 16, 20, 22],
        "for d in departments_ranked",
        [
            "{{ d.rank }}",
            "{{ d.name }}",
            '{{ d.items_not_accepted }}/{{ d["items"] }}',
            "{{ d.self_score|points }}",
            "{{ d.province|points }}",
            "{{ d.ministry|points }}",
            "{{ d.not_accepted|points }}",
            "{{ d.not_accepted_missed|points }}",
        ],
    )
    align_right(table, [0])
    para(
        doc,
        "Hạng theo số điểm không được công nhận (bằng điểm thì đồng hạng); số mục: số mục không được công nhận / số "
        "mục đã so sánh của cơ quan.",
        11,
        italic=True,
    )
    if_(doc, "endif")
    if_(doc, "if departments_accepted")
    body(
        doc,
        "{% if departments_ranked %}Các cơ quan còn lại{% else %}Tất cả các cơ quan{% endif %} được Bộ công nhận toàn "
        'bộ điểm đã so sánh: {{ departments_accepted|join(", ") }}.',
    )
    if_(doc, "endif")


def by_item(doc):  # type: ignore[no-untyped-def]
    """4. The items not accepted: missed by the province's appraisal, seen but not enough; raised; notes; apart."""
    para(doc, "4. Các tiêu chí thành phần không được Bộ công nhận điểm", 13, bold=True)
    if_(doc, "if not not_accepted")
    body(doc, "Bộ Nội vụ công nhận điểm của tỉnh ở mọi tiêu chí thành phần đã so sánh.")
    if_(doc, "endif")
    if_(doc, "if missed")
    para(doc, "4.1. Tổ thẩm định của tỉnh chưa phát hiện (giữ nguyên điểm tự đánh giá)", 13, italic=True)
    loop_table(
        doc,
        [
            "Mã",
            "Tiêu chí thành phần",
            "Cơ quan",
            "Tối đa",
            "Tỉnh",
            "Bộ",
            "Không được công nhận",
            "Ý kiến thẩm định của Bộ",
        ],
        [12, 41, 26, 12, 12, 12, 17, 33],
        "for i in missed",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.department }}",
            "{{ i.max|points }}",
            "{{ i.province|points }}",
            "{{ i.ministry|points }}",
            "{{ i.not_accepted|points }}",
            "{{ i.ministry_note }}",
        ],
    )
    if_(doc, "endif")
    if_(doc, "if seen")
    para(doc, "4.2. Tổ thẩm định của tỉnh đã trừ điểm nhưng chưa đủ", 13, italic=True)
    loop_table(
        doc,
        [
            "Mã",
            "Tiêu chí thành phần",
            "Cơ quan",
            "Tự đánh giá",
            "Tỉnh",
            "Bộ",
            "Không được công nhận",
            "Ý kiến thẩm định",
        ],
        [12, 37, 22, 15, 12, 12, 17, 38],
        "for i in seen",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.department }}",
            "{{ i.self_score|points }}",
            "{{ i.province|points }}",
            "{{ i.ministry|points }}",
            "{{ i.not_accepted|points }}",
            "{% if i.province_note %}Tỉnh: {{ i.province_note.rstrip('.') }}. {% endif %}{% if i.ministry_note %}"
            "Bộ: {{ i.ministry_note }}{% endif %}",
        ],
    )
    if_(doc, "endif")
    if_(doc, "if raised")
    para(doc, "Bộ chấm cao hơn tỉnh", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Cơ quan", "Tỉnh", "Bộ", "Cao hơn", "Ý kiến thẩm định của Bộ"],
        [12, 45, 28, 13, 13, 14, 40],
        "for i in raised",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.department }}",
            "{{ i.province|points }}",
            "{{ i.ministry|points }}",
            "{{ i.raised|points }}",
            "{{ i.ministry_note }}",
        ],
    )
    if_(doc, "endif")
    if_(doc, "if noted")
    para(doc, "Ý kiến của Bộ ở các mục được công nhận điểm:", 13, italic=True)
    if_(doc, "for i in noted")
    body(doc, "- {{ i.code }} ({{ i.department }}): {{ i.ministry_note }}")
    if_(doc, "endfor")
    if_(doc, "endif")
    if_(doc, "if absent or unscored or not_applicable or submitted_differs")
    para(doc, "Các mục chưa so sánh được hoặc cần đối chiếu:", 13, italic=True)
    for loop, text in (
        ("absent", "không có điểm trong kết quả của Bộ (thiếu dòng hoặc dòng có lỗi khi nhập)."),
        (
            "unscored",
            "tỉnh chưa có điểm (cơ quan chưa nộp hoặc phiếu có lỗi); Bộ thẩm định {{ i.ministry|points }} điểm.",
        ),
        (
            "not_applicable",
            "{% if i.province_na %}tỉnh ghi không áp dụng{% else %}tỉnh {{ i.province|points }} điểm{% endif %}; "
            "{% if i.ministry_na %}Bộ ghi không áp dụng{% else %}Bộ {{ i.ministry|points }} điểm{% endif %}.",
        ),
        (
            "submitted_differs",
            "điểm tự chấm trên phần mềm của Bộ là {{ i.submitted|points }}, khác điểm sau thẩm định của tỉnh "
            "({{ i.province|points }}).",
        ),
    ):
        if_(doc, f"for i in {loop}")
        body(doc, "- {{ i.code }} ({{ i.department }}): " + text)
        if_(doc, "endfor")
    if_(doc, "endif")


def main() -> None:
    """The comparison report (báo cáo) of ``parcli result compare``."""
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
        "Căn cứ kết quả thẩm định của Bộ Nội vụ đối với kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
        "{{ year }} của tỉnh, {{ letterhead.organiser }} so sánh điểm Bộ Nội vụ thẩm định với điểm các cơ quan tự "
        "đánh giá và điểm sau thẩm định của tỉnh, theo từng lĩnh vực, tiêu chí thành phần và cơ quan chịu trách "
        "nhiệm, như sau:",
    )
    if_(doc, "if result_errors")
    para(
        doc,
        "Lưu ý: bảng kết quả của Bộ khi nhập có {{ result_errors }} lỗi; các mục lỗi không có điểm của Bộ và không "
        "được so sánh.",
        12,
        italic=True,
    )
    if_(doc, "endif")
    general(doc)
    by_field(doc)
    if_(doc, "if by_items")
    by_department(doc)
    by_item(doc)
    if_(doc, "endif")
    para(doc, "{{ '5' if by_items else '3' }}. Đề xuất", 13, bold=True)
    body(
        doc,
        "Đề nghị các cơ quan có tiêu chí thành phần không được Bộ công nhận điểm phân tích nguyên nhân, xây dựng kế "
        "hoạch khắc phục và tổ chức thực hiện để nâng cao Chỉ số cải cách hành chính năm {{ next_year }} của tỉnh; tổ "
        "thẩm định của tỉnh rút kinh nghiệm ở các mục chưa phát hiện khi thẩm định kết quả tự đánh giá năm "
        "{{ next_year }}.",
    )
    para(doc, "", space_after=0, keep=True)
    body(doc, "Trên đây là báo cáo {{ title[0]|lower }}{{ title[1:] }}./.", keep=True)
    signature(doc, [80, 85], ["- UBND tỉnh (để báo cáo);", "- Các sở, ban, ngành;", "- Lưu: VT, CCHC."])
    save(doc, TARGET)


if __name__ == "__main__":
    main()
