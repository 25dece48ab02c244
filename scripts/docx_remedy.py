"""The remedy sections of the Word templates (``report.docx``, ``ranking.docx``), used by ``build_docx_template.py``.

The preliminary round against the year end (``report --preliminary``), last year's result against this year
(``report --previous``), and the ranking's per-unit version of either.  Every section is numbered (its number
comes from the context), opens with a sentence, captions each table and names each item with its title.
"""

from __future__ import annotations

from docx_parts import Col, body, caption, heading, num, para, table, tag

SUMS = ("lost_before", "recovered", "lost_after")


def sums_columns(var, before, first, first_head, width=60, count="Số mục"):  # type: ignore[no-untyped-def]
    """Columns of a sums table of section ``var``: a name, the items, points lost ``before``, recovered, still lost.

    The total row sums the section (``var.total``).
    """
    heads = (f"Điểm bị trừ ({before})", "Điểm khôi phục", "Điểm còn bị trừ")
    return [
        *first,
        Col(first_head, width, "{{ r.name if r.name is defined else r.title }}", total="Cộng"),
        num(count, 20, '{{ r["items"] }}', "{{ " + var + '.total["items"] }}'),
        *(
            num(h, 25, "{{ r." + k + "|points }}", "{{ " + var + ".total." + k + "|points }}")
            for h, k in zip(heads, SUMS, strict=True)
        ),
    ]


def sums_by_field_and_department(doc, var, before):  # type: ignore[no-untyped-def]
    """Two tables of the section ``var``: points lost ``before``, recovered and still lost, by field and department."""
    caption(doc, "Theo lĩnh vực")
    table(doc, sums_columns(var, before, [num("TT", 10, "{{ r.code }}")], "Lĩnh vực", 55), f"for r in {var}.by_field",
          total=True)
    caption(doc, "Theo cơ quan (theo thứ tự phụ lục)")
    table(doc, sums_columns(var, before, [num("PL", 14, "{{ r.appendix }}")], "Cơ quan", 51),
          f"for r in {var}.by_department", total=True)


def remedy_section(doc):  # type: ignore[no-untyped-def]
    """``report --preliminary --remedies``: the items lost in the preliminary round, their remedies, what came back."""
    tag(doc, "{%p if remedy %}")
    heading(doc, "{{ sections.remedy }}. Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ")
    body(
        doc,
        'Qua đánh giá sơ bộ, {{ remedy.total["items"] }} tiêu chí thành phần bị trừ tổng cộng '
        "{{ remedy.total.lost_before|points }} điểm. Đến đợt đánh giá cả năm, các cơ quan đã khôi phục được "
        "{{ remedy.total.recovered|points }} điểm; còn bị trừ {{ remedy.total.lost_after|points }} điểm."
        '{% if remedy.silent %} Cơ quan chưa gửi kế hoạch khắc phục: {{ remedy.silent|join(", ") }}.{% endif %}',
    )
    sums_by_field_and_department(doc, "remedy", "sơ bộ")
    caption(doc, "Giải pháp khắc phục và kết quả từng mục")
    table(
        doc,
        [
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 36, "{{ i.title }}"),
            Col("Cơ quan", 23, "{{ i.department }}"),
            num("Điểm sơ bộ", 13, "{{ i.preliminary|points }}"),
            Col("Giải pháp khắc phục", 35, "{{ i.remedy }}"),
            Col("Tiến độ", 20, "{% if i.no_plan %}–{% else %}{{ i.progress }}{% if i.overdue %} (quá hạn){% endif %}"
                "{% endif %}"),
            num("Điểm cả năm", 13, "{{ i.year_end|points }}"),
            num("Điểm khôi phục", 13, "{{ i.recovered|points }}"),
        ],
        'for i in remedy["items"]',
        size=10,
        short=0,
    )
    tag(doc, "{%p if remedy.still_losing %}")
    caption(doc, "Các mục còn bị trừ điểm ở đợt cả năm")
    table(
        doc,
        [
            Col("Mã", 13, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 72, "{{ i.title }}"),
            Col("Cơ quan", 40, "{{ i.department }}"),
            num("Điểm cả năm / tối đa", 20, "{{ i.year_end|points }} / {{ i.max|points }}"),
            num("Điểm còn bị trừ", 20, "{{ i.lost_after|points }}"),
        ],
        "for i in remedy.still_losing",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endif %}")


def previous_remedy_section(doc):  # type: ignore[no-untyped-def]
    """``report --previous``: the items that lost points last year, this year's score and the points recovered."""
    tag(doc, "{%p if remedy_previous %}")
    heading(doc, "{{ sections.remedy_previous }}. Kết quả khắc phục các mục bị trừ điểm năm trước")
    body(
        doc,
        'Năm {{ remedy_previous.previous_year }}, {{ remedy_previous.total["items"] }} tiêu chí thành phần '
        "bị trừ tổng cộng {{ remedy_previous.total.lost_before|points }} điểm. Năm nay các cơ quan đã khôi phục được "
        "{{ remedy_previous.total.recovered|points }} điểm; còn bị trừ {{ remedy_previous.total.lost_after|points }} "
        "điểm.{% if remedy_previous.silent %} Cơ quan chưa gửi kế hoạch khắc phục: "
        '{{ remedy_previous.silent|join(", ") }}.{% endif %}',
    )
    sums_by_field_and_department(doc, "remedy_previous", "năm trước")
    caption(doc, "Kết quả từng mục (giải pháp và tiến độ theo kế hoạch khắc phục, nếu có)")
    table(
        doc,
        [
            Col("Mã", 13, "{{ i.code }}{% if i.old_code %} (năm trước {{ i.old_code }}){% endif %}"),
            Col("Tiêu chí thành phần", 33, "{{ i.title }}"),
            Col("Cơ quan", 24, "{{ i.department }}"),
            num("Năm trước / tối đa", 16, "{{ i.previous|points }} / {{ i.previous_max|points }}"),
            Col("Giải pháp khắc phục", 32, "{{ i.remedy }}"),
            Col("Tiến độ", 18, "{% if i.no_plan %}–{% else %}{{ i.progress }}{% if i.overdue %} (quá hạn){% endif %}"
                "{% endif %}"),
            num("Năm nay / tối đa", 16, "{{ i.year_end|points }} / {{ i.max|points }}"),
            num("Điểm khôi phục", 13, "{{ i.recovered|points }}"),
        ],
        'for i in remedy_previous["items"]',
        size=10,
        short=0,
    )
    tag(doc, "{%p if remedy_previous.still_losing %}")
    body(
        doc,
        "Các mục còn bị trừ điểm năm nay: {% for i in remedy_previous.still_losing %}{{ i.code }} {{ i.title }} "
        "({{ i.lost_after|points }} điểm){% if not loop.last %}; {% endif %}{% endfor %}.",
    )
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if remedy_previous.apart %}")
    body(
        doc,
        "Không tính vào số khôi phục: {% for i in remedy_previous.apart %}mục {{ i.old_code }} năm trước (bị trừ "
        "{{ i.lost_before|points }} điểm) — {{ i.why }}{% if not loop.last %}; {% endif %}{% endfor %}.",
    )
    tag(doc, "{%p endif %}")
    para(
        doc,
        "{{ remedy_previous.note }}{% if remedy_previous.mapped %} Mã năm trước được đổi sang mã năm nay theo tệp "
        "đối chiếu mã.{% endif %}",
        11,
        italic=True,
    )
    tag(doc, "{%p endif %}")


def ranking_remedy_section(doc, var, title, before):  # type: ignore[no-untyped-def]
    """The ranking's remedy section (``var``: ``remedy`` or ``remedy_previous``): by group, by unit, still losing.

    Counted in “lượt” (an item of one unit is one lượt: the same item lost by two units counts twice); each
    unit's items still losing points are listed with their titles.
    """
    tag(doc, "{%p if " + var + " %}")
    heading(doc, "{{ sections." + var + " }}. " + title)
    body(
        doc,
        "Có {{ " + var + '.total["items"] }} lượt tiêu chí thành phần của các đơn vị bị trừ tổng cộng {{ '
        + var + ".total.lost_before|points }} điểm " + before + "; các đơn vị đã khôi phục được {{ " + var
        + ".total.recovered|points }} điểm, còn bị trừ {{ " + var + ".total.lost_after|points }} điểm.{% if "
        + var + ".silent %} Đơn vị chưa gửi kế hoạch khắc phục: {{ " + var + '.silent|join(", ") }}.{% endif %}',
    )
    caption(doc, "Theo nhóm đơn vị")
    table(doc, sums_columns(var, before, [], "Nhóm đơn vị", 65, "Số lượt"), f"for r in {var}.groups", total=True)
    caption(doc, "Theo đơn vị")
    table(doc, sums_columns(var, before, [num("TT", 10, "{{ loop.index }}")], "Đơn vị", 55, "Số lượt"),
          f"for r in {var}.units", total=True)
    caption(doc, "Các mục còn bị trừ điểm, theo đơn vị")
    table(
        doc,
        [
            Col("Đơn vị", 34, "{{ u.name }}"),
            Col("Mã", 12, "{{ i.code }}"),
            Col("Tiêu chí thành phần", 65, "{{ i.title }}"),
            num("Điểm còn bị trừ", 20, "{{ i.lost_after|points }}"),
            Col("Tiến độ khắc phục", 34, "{% if i.no_plan %}Chưa gửi kế hoạch khắc phục{% else %}{{ i.progress }}"
                "{% if i.overdue %} (quá hạn){% endif %}{% endif %}"),
        ],
        "for u, i in " + var + ".losing_rows",
        size=10,
    )
    tag(doc, "{%p endif %}")
