"""The remedy sections of the Word templates (``report.docx``, ``ranking.docx``), used by ``build_docx_template.py``.

The preliminary round against the year end (``report --preliminary``), last
year's result against this year (``report --previous``), and the ranking's
per-unit version of either.
"""

from __future__ import annotations

from docx_parts import body, loop_table, para


def sums_by_field_and_department(doc, var, before):  # type: ignore[no-untyped-def]
    """Two tables of the section ``var``: points lost ``before``, recovered and still lost, by field and department."""
    keys = ("lost_before|points", "recovered|points", "lost_after|points")
    heads = ["Số mục", f"Bị trừ ({before})", "Khôi phục", "Còn bị trừ"]
    total = ["Cộng", "{{ " + var + '.total["items"] }}', *("{{ " + var + ".total." + k + " }}" for k in keys)]
    for title, rows, name in (("Lĩnh vực", "by_field", "title"), ("Cơ quan", "by_department", "name")):
        cells = ["{{ r." + name + " }}", '{{ r["items"] }}', *("{{ r." + k + " }}" for k in keys)]
        loop_table(doc, [title, *heads], [65, 22, 26, 26, 26], f"for r in {var}.{rows}", cells, total)


def remedy_section(doc):  # type: ignore[no-untyped-def]
    """``report --preliminary --remedies``: the items lost in the preliminary round, their remedies, what came back."""
    para(doc, "{%p if remedy %}", 10)
    para(doc, "Kết quả khắc phục các mục bị trừ điểm qua đánh giá sơ bộ", 13, bold=True)
    body(
        doc,
        'So sánh bảng tổng hợp đợt sơ bộ với đợt cả năm: {{ remedy.total["items"] }} tiêu chí thành phần bị trừ '
        "{{ remedy.total.lost_before|points }} điểm ở đợt sơ bộ; đến cuối năm khôi phục được "
        "{{ remedy.total.recovered|points }} điểm, còn bị trừ {{ remedy.total.lost_after|points }} điểm."
        '{% if remedy.silent %} Cơ quan chưa gửi kế hoạch khắc phục: {{ remedy.silent|join(", ") }}.{% endif %}',
    )
    sums_by_field_and_department(doc, "remedy", "sơ bộ")
    para(doc, "Giải pháp khắc phục và kết quả từng mục:", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Cơ quan", "Sơ bộ", "Giải pháp khắc phục", "Tiến độ", "Cả năm", "Khôi phục"],
        [13, 36, 18, 48, 22, 14, 14],
        'for i in remedy["items"]',
        [
            "{{ i.code }}",
            "{{ i.department }}",
            "{{ i.preliminary|points }}/{{ i.max|points }}",
            "{{ i.remedy }}",
            "{{ i.progress }}{% if i.overdue %} (quá hạn){% endif %}",
            "{{ i.year_end|points }}",
            "{{ i.recovered|points }}",
        ],
    )
    para(doc, "{%p if remedy.still_losing %}", 10)
    para(doc, "Các mục còn bị trừ điểm ở đợt cả năm:", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Tiêu chí thành phần", "Cơ quan", "Cả năm", "Còn bị trừ"],
        [13, 72, 40, 20, 20],
        "for i in remedy.still_losing",
        [
            "{{ i.code }}",
            "{{ i.title }}",
            "{{ i.department }}",
            "{{ i.year_end|points }}/{{ i.max|points }}",
            "{{ i.lost_after|points }}",
        ],
    )
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p endif %}", 10)


def previous_remedy_section(doc):  # type: ignore[no-untyped-def]
    """``report --previous``: the items that lost points last year, this year's score and the points recovered."""
    para(doc, "{%p if remedy_previous %}", 10)
    para(doc, "Kết quả khắc phục các mục bị trừ điểm năm trước", 13, bold=True)
    body(
        doc,
        "So sánh bảng tổng hợp năm trước ({{ remedy_previous.previous_file }}) với năm nay: "
        '{{ remedy_previous.total["items"] }} tiêu chí thành phần bị trừ '
        "{{ remedy_previous.total.lost_before|points }} điểm năm trước; năm nay khôi phục được "
        "{{ remedy_previous.total.recovered|points }} điểm, còn bị trừ "
        "{{ remedy_previous.total.lost_after|points }} điểm."
        "{% if remedy_previous.silent %} Cơ quan chưa gửi kế hoạch khắc phục: "
        '{{ remedy_previous.silent|join(", ") }}.{% endif %}',
    )
    sums_by_field_and_department(doc, "remedy_previous", "năm trước")
    para(doc, "Kết quả từng mục (giải pháp và tiến độ theo kế hoạch khắc phục, nếu có):", 13, italic=True)
    loop_table(
        doc,
        ["Mã", "Cơ quan", "Năm trước", "Giải pháp khắc phục", "Tiến độ", "Năm nay", "Khôi phục"],
        [15, 34, 18, 46, 22, 18, 12],
        'for i in remedy_previous["items"]',
        [
            "{{ i.code }}{% if i.old_code %} (năm trước {{ i.old_code }}){% endif %}",
            "{{ i.department }}",
            "{{ i.previous|points }}/{{ i.previous_max|points }}",
            "{{ i.remedy }}",
            "{{ i.progress }}{% if i.overdue %} (quá hạn){% endif %}",
            "{{ i.year_end|points }}/{{ i.max|points }}",
            "{{ i.recovered|points }}",
        ],
    )
    para(doc, "{%p if remedy_previous.still_losing %}", 10)
    body(
        doc,
        "Các mục còn bị trừ điểm năm nay: {% for i in remedy_previous.still_losing %}{{ i.code }} "
        "({{ i.lost_after|points }}){% if not loop.last %}, {% endif %}{% endfor %}.",
    )
    para(doc, "{%p endif %}", 10)
    para(doc, "{%p if remedy_previous.apart %}", 10)
    body(
        doc,
        "Không tính vào số khôi phục: {% for i in remedy_previous.apart %}mục {{ i.old_code }} năm trước (bị trừ "
        "{{ i.lost_before|points }} điểm) — {{ i.why }}{% if not loop.last %}; {% endif %}{% endfor %}.",
    )
    para(doc, "{%p endif %}", 10)
    para(
        doc,
        "{{ remedy_previous.note }}{% if remedy_previous.mapped %} Mã năm trước được đổi sang mã năm nay theo tệp "
        "đối chiếu mã (--mapping).{% endif %}",
        11,
        italic=True,
    )
    para(doc, "{%p endif %}", 10)


def ranking_remedy_section(doc, var, heading, before):  # type: ignore[no-untyped-def]
    """The ranking's remedy section (``var``: ``remedy`` or ``remedy_previous``): by group, by unit, still losing."""
    para(doc, "{%p if " + var + " %}", 10)
    para(doc, heading, 13, bold=True)
    body(
        doc,
        "{{ " + var + '.total["items"] }} tiêu chí thành phần của các đơn vị bị trừ {{ ' + var + ".total.lost_before"
        "|points }} điểm " + before + "; khôi phục được {{ " + var + ".total.recovered|points }} điểm, còn bị trừ "
        "{{ " + var + ".total.lost_after|points }} điểm.{% if " + var + ".silent %} Đơn vị chưa gửi kế hoạch khắc "
        "phục: {{ " + var + '.silent|join(", ") }}.{% endif %}',
        12,
    )
    keys = ("lost_before|points", "recovered|points", "lost_after|points")
    heads = ["Số mục", f"Bị trừ ({before})", "Khôi phục", "Còn bị trừ"]
    total = ["Cộng", "{{ " + var + '.total["items"] }}', *("{{ " + var + ".total." + k + " }}" for k in keys)]
    cells = ["{{ r.name }}", '{{ r["items"] }}', *("{{ r." + k + " }}" for k in keys)]
    para(doc, "Theo nhóm đơn vị:", 12, italic=True)
    loop_table(doc, ["Nhóm đơn vị", *heads], [110, 30, 40, 40, 40], f"for r in {var}.groups", cells, total)
    para(doc, "Theo đơn vị:", 12, italic=True)
    loop_table(doc, ["Đơn vị", *heads], [110, 30, 40, 40, 40], f"for r in {var}.units", cells, total)
    para(doc, "Các mục còn bị trừ điểm, theo đơn vị:", 12, italic=True)
    loop_table(
        doc,
        ["Đơn vị", "Mục còn bị trừ điểm (điểm còn bị trừ; tiến độ khắc phục)"],
        [80, 180],
        f'for u in {var}.units if u["still_losing"]',
        [
            "{{ u.name }}",
            "{% for i in u.still_losing %}{{ i.code }} ({{ i.lost_after|points }}{% if i.progress %}; "
            "{{ i.progress }}{% if i.overdue %}, quá hạn{% endif %}{% endif %}){% if not loop.last %}, {% endif %}"
            "{% endfor %}",
        ],
    )
    para(doc, "{%p endif %}", 10)
