"""What the ranking report says in words, and the documents that publish a ranking.

:func:`ranking_words` adds to the ranking's data what the report's form needs: whether the figures are final
(“tạm tính” in the title), the introduction citing the plan by number and date, one summary line per unit group,
the numbers of the optional sections, the proposals and the closing.  A ranking is published by the People's
Committee's Quyết định công bố kết quả, drafted with a Tờ trình: :func:`decision_context` (``decision.docx``)
and :func:`submission_letter` (``letter.docx``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from parcli.numbers import ROUNDING_RULE, fmt_percent, fmt_points
from parcli.results.letters import Letter, organiser_short

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign

LEGAL_BASES = {  # the law on local government the People's Committee acts under, by the year it signs
    2019: "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều "
    "của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;",
    2025: "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
}


def _provisional(context: dict[str, Any]) -> list[str]:
    reasons = []
    unscored = sum(u["unscored"] for g in context["groups"] for u in g["rows"])
    if unscored:
        reasons.append(f"còn {unscored} lượt tiêu chí thành phần chưa có điểm")
    appraisal = context["appraisal"]
    if appraisal is not None:
        if appraisal["total"]["not_appraised"]:
            reasons.append(f"còn {appraisal['total']['not_appraised']} lượt tiêu chí thành phần chưa thẩm định")
        if appraisal["total"]["stale"]:
            reasons.append(f"{appraisal['total']['stale']} lượt tiêu chí thành phần cần thẩm định lại")
    return reasons


def _band_range(band: dict[str, Any]) -> str:
    """“từ 90%”, “từ 80% đến dưới 90%”, “dưới 70%”."""
    def pct(value: Any) -> str:
        return f"{fmt_points(value)}%"

    if band["upper"] is None:
        return f"từ {pct(band['min'])}"
    if band["min"] == 0:
        return f"dưới {pct(band['upper'])}"
    return f"từ {pct(band['min'])} đến dưới {pct(band['upper'])}"


def _summary(context: dict[str, Any]) -> list[str]:
    """One line per unit group: how many units, the best and the last, the count by band."""
    bands = "; ".join(f"{b['label']} {_band_range(b)}" for b in context["bands"])
    lines = [f"Xếp loại theo chỉ số: {bands}."]
    for g in context["groups"]:
        ranked = [u for u in g["rows"] if u["rank"] is not None]
        counts = "; ".join(f"{label}: {n}" for label, n in g["bands"].items())
        if ranked:
            top, last = ranked[0], ranked[-1]
            lines.append(
                f"{g['name']}: {len(g['rows'])} đơn vị; cao nhất {top['name']} ({fmt_percent(top['percent'])}), "
                f"thấp nhất {last['name']} ({fmt_percent(last['percent'])}); số đơn vị theo xếp loại: {counts}."
            )
        else:
            lines.append(f"{g['name']}: {len(g['rows'])} đơn vị, chưa có đơn vị nào được xếp hạng.")
    return lines


def ranking_words(campaign: Campaign, context: dict[str, Any]) -> dict[str, Any]:
    """The ranking report's words: provisional or final, introduction, summary, sections, proposals, closing."""
    from parcli import clock

    short = organiser_short(campaign)
    year = campaign.model.year
    reasons = _provisional(context)
    units = sum(len(g["rows"]) for g in context["groups"])
    numbers, n = {}, 2
    for key in ("appraisal", "remedy", "remedy_previous"):
        if context[key]:
            n += 1
            numbers[key] = n
    appraised = "tự đánh giá, thẩm định" if context["appraisal"] else "tự đánh giá"
    letterhead = context["letterhead"]
    copies = ["UBND tỉnh (để báo cáo)"]
    if letterhead["sign_on_behalf"].startswith("KT."):
        copies.append("Giám đốc Sở (để b/c)")
    proposals = [
        f"Ban hành Quyết định công bố kết quả xác định Chỉ số cải cách hành chính năm {year} của các đơn vị"
        + (" sau khi hoàn thành thẩm định" if reasons else "")
        + f" (dự thảo kèm theo Tờ trình của {short}).",
    ]
    low = [u["name"] for g in context["groups"] for u in g["rows"] if u["band"] == context["bands"][-1]["label"]]
    if low:
        proposals.append(f"Chỉ đạo các đơn vị xếp loại {context['bands'][-1]['label']} ({', '.join(low)}) có giải pháp "
                         "khắc phục, nâng cao kết quả cải cách hành chính.")  # fmt: skip
    proposals.append(
        "Chỉ đạo các đơn vị rà soát các nội dung bị trừ điểm, xây dựng và thực hiện kế hoạch khắc phục trong năm "
        "tiếp theo."
    )
    return {
        "title": context["title"] + (" (tạm tính)" if reasons else ""),
        "provisional": bool(reasons),
        "provisional_reasons": reasons,
        "as_of": campaign.documents.report_date or context["generated"] or clock.today(),
        "draft": False,
        "intro": f"Căn cứ {context['campaign']['plan']}, {short} tổng hợp kết quả {appraised} và xếp hạng Chỉ số cải "
        f"cách hành chính năm {year} của {units} đơn vị, báo cáo Ủy ban nhân dân tỉnh như sau:",
        "summary": _summary(context) + ([f"Kết quả trên là kết quả tạm tính: {'; '.join(reasons)}."] * bool(reasons)),
        "sections": numbers,
        "proposals_lead": f"{short} kính đề nghị UBND tỉnh:",
        "proposals": proposals,
        "closing": f"{short} kính báo cáo UBND tỉnh xem xét, chỉ đạo./.",
        "copies": copies,
        "appendix_of": f"Báo cáo số {letterhead['number_bare']} ngày {letterhead['date_short']} của {short}",
        "properties": {
            "title": context["title"],
            "author": campaign.model.organiser.name,
            "comments": f"Số liệu tính từ {context['source_file']} bằng {context['tool']}; quy tắc làm tròn: "
            f"{ROUNDING_RULE}.",
        },
    }


def decision_context(campaign: Campaign, context: dict[str, Any]) -> dict[str, Any]:
    """The draft Quyết định công bố kết quả xác định Chỉ số CCHC of the units (``decision.docx``)."""
    from parcli.results.report import committee_heading

    province, year = campaign.model.province, campaign.model.year
    short = organiser_short(campaign)
    heading = committee_heading(campaign, context["letterhead"]) | {
        "number": "Số: …/QĐ-UBND",
        "number_bare": "…/QĐ-UBND",
    }
    subject = f"Về việc công bố kết quả xác định Chỉ số cải cách hành chính năm {year} của các đơn vị"
    year_law = max(y for y in LEGAL_BASES if y <= max(year + 1, min(LEGAL_BASES)))
    groups = [g | {"numeral": _roman(i)} for i, g in enumerate(context["groups"], start=1)]
    names = "; ".join(g["name"] for g in context["groups"])
    return context | {
        "draft": True,
        "letterhead": heading,
        "subject": subject,
        "authority": f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}",
        "issuer": f"Ủy ban nhân dân tỉnh {province}",
        "bases": [
            LEGAL_BASES[year_law],
            f"Căn cứ {context['campaign']['plan']};",
            f"Theo đề nghị của Giám đốc {short} tại Tờ trình số …/TTr-{heading['symbol']} ngày ….",
        ],
        "articles": [
            {
                "head": "Điều 1.",
                "text": f"Công bố kết quả xác định Chỉ số cải cách hành chính năm {year} của các đơn vị ({names}) "
                "theo Phụ lục kèm theo Quyết định này.",
                "points": [],
            },
            {
                "head": "Điều 2.",
                "text": f"Giao {short} theo dõi, đôn đốc các đơn vị khắc phục các nội dung bị trừ điểm; các đơn vị "
                "căn cứ kết quả được công bố xây dựng kế hoạch nâng cao Chỉ số cải cách hành chính năm tiếp theo.",
                "points": [],
            },
            {
                "head": "Điều 3.",
                "text": f"Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng UBND tỉnh, Giám đốc {short}, Thủ "
                "trưởng các cơ quan, đơn vị có tên tại Phụ lục kèm theo và các cơ quan, tổ chức có liên quan chịu "
                "trách nhiệm thi hành Quyết định này./.",
                "points": [],
            },
        ],
        "copies": ["Như Điều 3", "Bộ Nội vụ (để b/c)", "Chủ tịch, các Phó Chủ tịch UBND tỉnh"],
        "groups": groups,
        "appendix_title": f"KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year} CỦA CÁC ĐƠN VỊ",
    }


def _roman(n: int) -> str:
    numerals = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = ""
    for value, letters in numerals:
        while n >= value:
            out += letters
            n -= value
    return out


def submission_letter(campaign: Campaign, context: dict[str, Any], *, ranking: bool) -> Letter:
    """The Tờ trình to the People's Committee: the result, the figures, what it is asked to sign.

    ``ranking``: the Quyết định công bố kết quả of the units; else the province's report to the Ministry.
    """
    short = organiser_short(campaign)
    province, year = campaign.model.province, campaign.model.year
    plan = context["campaign"]["plan"]
    if ranking:
        subject = f"công bố kết quả xác định Chỉ số cải cách hành chính năm {year} của các đơn vị"
        body = [
            f"Thực hiện {plan}, {short} đã tổ chức tổng hợp, thẩm định kết quả tự đánh giá và xếp hạng Chỉ số cải "
            f"cách hành chính năm {year} của các đơn vị ({context['appendix_of']}).",
            *(f"- {line}" for line in context["summary"]),
            f"{short} đề nghị UBND tỉnh ban hành Quyết định công bố kết quả xác định Chỉ số cải cách hành "
            f"chính năm {year} của các đơn vị (dự thảo Quyết định kèm theo).",
            f"{short} kính trình UBND tỉnh xem xét, quyết định./.",
        ]
    else:
        index = context["index"]
        body = [
            f"Thực hiện {plan}, {short} đã tổng hợp kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
            f"{year} của các cơ quan ({context['appendix_of']}).",
            f"- Phần tự đánh giá (sau thẩm định): {_points(index['appraised'])}/{_points(index['self_max'])} điểm, "
            f"đạt {fmt_percent(index['percent'])}."
            + (f" Kết quả tạm tính: {'; '.join(context['provisional_reasons'])}." if context["provisional"] else ""),
            f"{short} đề nghị UBND tỉnh ký Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành "
            f"chính năm {year} của tỉnh {province} gửi Bộ Nội vụ (dự thảo Báo cáo kèm theo).",
            f"{short} kính trình UBND tỉnh xem xét, quyết định./.",
        ]
        subject = f"báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year} của tỉnh"
    return Letter(
        recipients=(f"Ủy ban nhân dân tỉnh {province}",),
        subject=subject,
        body=tuple(body),
        copies=("Như trên",),
        title="TỜ TRÌNH",
        heading={"letter_number": f"Số: …/TTr-{context['letterhead']['symbol']}"},
    )


def _points(value: Any) -> str:
    return fmt_points(value)
