"""What a report to the People's Committee says beyond its tables, computed from its own figures.

An official report on the PAR self-assessment closes with an overall assessment (strengths,
shortcomings, causes) and its proposals ("Đề xuất, kiến nghị").  Here each sentence is made
from the report's figures only — counts, fields and departments named with their points and
percentages — worded soberly: nothing is praised that the figures do not show, and a cause is
only what the figures tell apart (points a department did not claim, points the appraisal took
off, returns sent late or not at all).

:func:`provisional_reasons` says whether the figures are final: a report with items not scored
or not appraised yet, or appraisals to redo, is a provisional one and says so in its title.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from parcli.numbers import fmt_percent, fmt_points

ZERO = Decimal(0)
GOOD = Decimal(90)  # a field at or above this percentage is named among the strengths (group A, ≥ 90%)
WEAK = Decimal(80)  # below this, among the shortcomings (under group B)
TOP = 3  # how many fields or departments a sentence names


def provisional_reasons(index: dict[str, Any], appraisal: dict[str, Any] | None) -> list[str]:
    """Why the figures are not final yet (empty when they are): items unscored, not appraised, to re-appraise."""
    reasons = []
    if index["unscored"]:
        reasons.append(f"còn {index['unscored']} tiêu chí thành phần chưa có điểm")
    if appraisal is not None:
        total = appraisal["total"]
        if total["not_appraised"]:
            reasons.append(f"còn {total['not_appraised']} tiêu chí thành phần chưa thẩm định")
        if total["stale"]:
            reasons.append(f"{total['stale']} tiêu chí thành phần cần thẩm định lại")
        if appraisal.get("problems"):
            reasons.append(f"phiếu thẩm định còn {appraisal['problems']} lỗi")
    return reasons


def _names(rows: Sequence[dict[str, Any]], key: str, limit: int = TOP) -> str:
    """“A (1,5 điểm), B (1 điểm) và C (0,5 điểm)”: the first ``limit`` rows with their points."""
    parts = [f"{r['label']} ({fmt_points(r[key])} điểm)" for r in rows[:limit]]
    return _join(parts)


def _join(parts: Sequence[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " và " + parts[-1]


def split_lost(lost: Sequence[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """(points the departments did not claim, points the appraisal took off) of the lost items; they add up.

    For each item: what the appraisal took off is the self-assessed score minus the final one (when lower);
    the rest of the points lost are the maximum the department itself did not claim.
    """
    unclaimed = appraised_off = ZERO
    for item in lost:
        cut = ZERO
        if item["self_score"] is not None and item["score"] is not None and item["score"] < item["self_score"]:
            cut = item["self_score"] - item["score"]
        appraised_off += cut
        unclaimed += item["lost"] - cut
    return unclaimed, appraised_off


def overall(context: dict[str, Any]) -> dict[str, list[str]]:
    """Strengths, shortcomings and causes, each a list of sentences made from the report's figures."""
    index = context["index"]
    fields = [f for f in context["fields"] if f["self_max"]]
    departments = context["departments"]
    sent = [d for d in departments if d["status"] in ("ok", "invalid")]
    on_time = [d for d in departments if d["status"] == "ok" and not d["late"] and d["sent"] is not None]
    strengths: list[str] = []
    if departments:
        strengths.append(
            f"{len(sent)}/{len(departments)} cơ quan đã gửi kết quả tự đánh giá, trong đó {len(on_time)} cơ quan "
            "gửi phiếu hợp lệ đúng thời hạn."
        )
    good = [f for f in fields if f["appraised_percent"] is not None and f["appraised_percent"] >= GOOD]
    if good:
        listed = _join([f"lĩnh vực {f['code']} ({fmt_percent(f['appraised_percent'])})" for f in good])
        strengths.append(f"Phần tự đánh giá đạt từ {fmt_points(GOOD)}% trở lên ở {len(good)} lĩnh vực: {listed}.")
    full = [d for d in departments if d["score"] is not None and d["max"] and d["score"] == d["max"]]
    if full:
        strengths.append(f"{len(full)} cơ quan đạt điểm tối đa ở các nội dung được giao.")

    lost = context["lost"]
    shortcomings: list[str] = []
    if lost:
        by_field = _rank(lost, lambda i: i["code"].split(".")[0], {f["code"]: f"lĩnh vực {f['code']}" for f in fields})
        shortcomings.append(
            f"Có {len(lost)} tiêu chí thành phần bị trừ điểm, tổng cộng {fmt_points(index['lost'])} điểm; "
            f"bị trừ nhiều nhất ở {_names(by_field, 'points')}."
        )
    weak = [f for f in fields if f["appraised_percent"] is not None and f["appraised_percent"] < WEAK]
    if weak:
        listed = _join([f"lĩnh vực {f['code']} ({fmt_percent(f['appraised_percent'])})" for f in weak])
        shortcomings.append(f"Phần tự đánh giá đạt dưới {fmt_points(WEAK)}% ở {listed}.")
    missing = [d["name"] for d in departments if d["status"] in ("missing", "duplicate")]
    invalid = [d["name"] for d in departments if d["status"] == "invalid"]
    late = [d["name"] for d in departments if d["late"]]
    if missing:
        shortcomings.append(f"Chưa nhận được kết quả tự đánh giá hợp lệ của: {_join(missing)}.")
    if invalid:
        shortcomings.append(f"Phiếu tự đánh giá còn sai sót, phải gửi lại: {_join(invalid)}.")
    if late:
        shortcomings.append(f"Gửi kết quả sau thời hạn: {_join(late)}.")

    causes: list[str] = []
    if lost:
        unclaimed, appraised_off = split_lost(lost)
        parts = []
        if unclaimed:
            parts.append(
                f"{fmt_points(unclaimed)} điểm do các cơ quan tự đánh giá chưa đạt điểm tối đa (nhiệm vụ chưa hoàn "
                "thành hoặc hoàn thành chưa đầy đủ, theo giải trình của cơ quan)"
            )
        if appraised_off:
            parts.append(
                f"{fmt_points(appraised_off)} điểm do thẩm định điều chỉnh giảm so với điểm tự đánh giá (theo ý kiến "
                "thẩm định từng mục)"
            )
        causes.append(f"Trong {fmt_points(index['lost'])} điểm bị trừ: " + "; ".join(parts) + ".")
        names = {d["name"]: d for d in departments}
        by_department = _rank(lost, lambda i: i["department"], {n: n for n in names})
        causes.append(f"Điểm bị trừ tập trung ở các nội dung do {_names(by_department, 'points')} thực hiện.")
    if missing or invalid or late:
        causes.append(
            "Một số cơ quan chưa bảo đảm thời hạn, chất lượng gửi phiếu tự đánh giá theo Kế hoạch, ảnh hưởng đến "
            "tiến độ tổng hợp."
        )
    if not shortcomings:
        shortcomings.append("Không có tiêu chí thành phần nào bị trừ điểm; các cơ quan gửi kết quả đúng thời hạn.")
    if not causes:
        causes.append("Không có tồn tại, hạn chế cần phân tích nguyên nhân.")
    return {"strengths": strengths, "shortcomings": shortcomings, "causes": causes}


def _rank(lost: Sequence[dict[str, Any]], key: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    """The points lost summed by ``key`` (a field, a department), most first, then in the order first met."""
    sums: dict[str, Decimal] = {}
    for item in lost:
        k = key(item)
        sums[k] = sums.get(k, ZERO) + item["lost"]
    order = list(sums)
    ranked = sorted(order, key=lambda k: (-sums[k], order.index(k)))
    return [{"label": labels.get(k, k), "points": sums[k]} for k in ranked]


def proposals(context: dict[str, Any], *, to_ministry: bool = False) -> list[str]:
    """What the report asks of its addressee: approve (or wait for) the result, direct the departments."""
    index = context["index"]
    provisional = context["provisional"]
    deadlines = context["campaign"]
    ministry = deadlines.get("ministry_deadline")
    by = f" chậm nhất ngày {ministry:%d/%m/%Y}" if ministry else ""
    if to_ministry:
        return [
            f"Đề nghị Bộ Nội vụ xem xét, thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm "
            f"{deadlines['year']} của tỉnh {deadlines['province']}."
        ]
    out = []
    if provisional:
        out.append(
            "Xem xét kết quả tạm tính nêu trên; Sở Nội vụ tiếp tục hoàn thành việc tổng hợp, thẩm định và báo cáo UBND "
            f"tỉnh kết quả chính thức trước khi chốt số liệu trên Phần mềm của Bộ Nội vụ{by}."
        )
    else:
        out.append(
            f"Phê duyệt kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm {deadlines['year']} của tỉnh "
            f"({fmt_points(index['appraised'])}/{fmt_points(index['self_max'])} điểm phần tự đánh giá) để Sở Nội vụ "
            f"cập nhật, chốt số liệu trên Phần mềm của Bộ Nội vụ{by}."
        )
    departments = context["departments"]
    pending = [d["name"] for d in departments if d["status"] in ("missing", "duplicate", "invalid")]
    if pending:
        out.append(f"Chỉ đạo {_join(pending)} khẩn trương hoàn thành, gửi kết quả tự đánh giá về Sở Nội vụ.")
    own = context["letterhead"]["organiser_short"]
    losing = [name for name in _losing_departments(context) if name != own]
    if losing:
        out.append(
            f"Chỉ đạo {_join(losing)} rà soát, bổ sung tài liệu kiểm chứng đối với các nội dung bị trừ điểm và có giải "
            "pháp khắc phục, nâng cao kết quả thực hiện các nhiệm vụ cải cách hành chính được giao."
        )
    if own in _losing_departments(context):
        out.append(f"{own} chủ động khắc phục các nội dung bị trừ điểm do {own} thực hiện.")
    if index["survey_pending"]:
        out.append(
            "Chỉ đạo các cơ quan, đơn vị phối hợp với Bộ Nội vụ tổ chức điều tra xã hội học theo Kế hoạch; bảo đảm "
            "các đối tượng được chọn tham gia khảo sát đầy đủ, nghiêm túc."
        )
    return out


def _losing_departments(context: dict[str, Any]) -> list[str]:
    """The departments whose items still lose points, in the order of the plan's appendices."""
    names = {i["department"] for i in context["lost"]}
    return [d["name"] for d in context["departments"] if d["name"] in names]
