"""The province summary: scores rendered as Word, HTML or Markdown from Jinja templates.

:func:`build_report` reads the consolidated workbook (and optional survey
scores and last year's consolidated workbook), computes the scores with
:mod:`parcli.results.scoring`, and returns plain data for the templates;
:func:`render_report` writes it in the format given by the file extension.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign
from parcli.config.catalogue import NA_SCORING_LABELS, Catalogue
from parcli.numbers import ROUNDING_RULE
from parcli.render import DocxImage, output_format, render, render_string
from parcli.results.assessment import overall, proposals, provisional_reasons
from parcli.results.consolidated import Consolidated, read_consolidated
from parcli.results.letters import criteria_citation, heading, organiser_short, plan_citation
from parcli.results.scoring import Scores, Totals, compute_scores

if TYPE_CHECKING:
    from parcli.rounds.appraisal.merge import AppraisalCollection

TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2", "docx": "report.docx"}


@dataclass
class ReportData:
    """What the templates receive (``context``) and the scores behind it."""

    context: dict[str, Any]
    scores: Scores
    appraisals: AppraisalCollection | None = None  # the appraisal workbooks read (``appraisals=``)


def _totals(t: Totals) -> dict[str, Any]:
    return {
        "max": t.max_points,
        "self_max": t.self_max,
        "self_score": t.self_score,
        "appraised": t.appraised,
        "survey_max": t.survey_max,
        "survey_score": t.survey_score,
        "survey_pending": t.survey_score is None and t.survey_max > 0,
        "final": t.final,
        "applicable_max": t.applicable_max,
        "percent": t.percent,
        "self_percent": t.self_percent,
        "appraised_percent": t.appraised_percent,
        "scored": t.scored,
        "lost": t.lost,
        "unscored": t.unscored,
        "appraisal_differs": t.appraised != t.self_score,
    }


def read_last_year(previous: Path, mapping: Path | None = None) -> tuple[Consolidated, dict[str, str | None] | None]:
    """Last year's consolidated workbook and the old → new code mapping (when given), each read once."""
    codes = None
    if mapping is not None:
        from parcli.catalogue_table.diff import read_mapping

        codes = read_mapping(mapping)
    return read_consolidated(previous), codes


def _previous_fields(
    previous: Consolidated, mapping: dict[str, str | None] | None = None, current: Catalogue | None = None
) -> dict[str, dict[str, Any]]:
    """Per field of last year's consolidated workbook: the appraised self part and its percentage.

    Computed like this year's self part: items as appraised (else self-assessed),
    over the maximum of the self-assessed items that applied.  With a ``mapping``
    (old code → new code, None when the item is gone; :mod:`parcli.catalogue_table.diff`)
    last year's items are counted under their new codes; a field is then compared
    only when every one of its self-assessed items has a counterpart last year,
    otherwise ``note`` says why not.
    """
    from parcli.numbers import percent

    sums: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    seen: set[str] = set()
    unknown: list[str] = []
    for item in previous.items().values():
        if item.scored_by != "self" or item.not_applicable:
            continue
        code: str | None = item.code
        if mapping is not None:
            if item.code not in mapping:
                unknown.append(item.code)
                continue
            code = mapping[item.code]
            if code is None:
                continue
        assert code is not None
        seen.add(code)
        field_code = code.split(".")[0]
        final = item.appraised if item.appraised is not None else item.score
        sums[field_code] = sums.get(field_code, Decimal(0)) + (final or Decimal(0))
        maxima[field_code] = maxima.get(field_code, Decimal(0)) + (item.max_points or Decimal(0))
    out: dict[str, dict[str, Any]] = {
        code: {"final": sums[code], "max": maxima[code], "percent": percent(sums[code], maxima[code]), "note": None}
        for code in sums
    }
    if mapping is not None and current is not None:
        for f in current.model.fields:
            missing = [leaf.code for leaf in current.leaves_under(f.code) if leaf.is_self and leaf.code not in seen]
            if missing:
                note = "không so sánh được: năm trước không có mục tương ứng với " + ", ".join(missing)
                out[f.code] = out.get(f.code, {"final": None, "max": None, "percent": None}) | {"note": note}
        if unknown:
            out["_unknown"] = {"note": "tệp đối chiếu mã không có các mã năm trước: " + ", ".join(unknown)}
    return out


def _previous_notes(fields: list[dict[str, Any]], prev: dict[str, dict[str, Any]] | None) -> list[str]:
    """Where last year cannot be compared (catalogue versions differ): one line per field, then unknown codes."""
    if prev is None:
        return []
    notes = [
        f"Lĩnh vực {f['code']}: {f['previous']['note']}." for f in fields if f["previous"] and f["previous"]["note"]
    ]
    if "_unknown" in prev:
        notes.append(prev["_unknown"]["note"][0].upper() + prev["_unknown"]["note"][1:] + ".")
    return notes


def _chart(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of the horizontal bar chart of percentage by field (drawn by the templates).

    Each field's full name is wrapped over as many lines as it needs (``lines``), never cut.
    """
    import textwrap

    bar_h, gap, line_h, left, width = 22, 10, 15, 330, 360
    bars = []
    y = 10
    for f in fields:
        pct = f["percent"] if f["percent"] is not None else Decimal(0)
        label = f"{f['code']}. {f['title']}"
        lines = textwrap.wrap(label, 46) or [label]
        row_h = max(bar_h, len(lines) * line_h)
        bar_y = y + (row_h - bar_h) / 2
        bars.append(
            {
                "label": label,
                "short": f["title"],
                "lines": lines,
                "lines_y": y + (row_h - len(lines) * line_h) / 2 + line_h * 0.8,
                "line_h": line_h,
                "code": f["code"],
                "y": bar_y,
                "text_y": bar_y + bar_h * 0.7,
                "width": float(round(pct * width / 100, 1)),
                "value_x": left + float(round(pct * width / 100, 1)) + 6,
                "percent": f["percent"],
            }
        )
        y += row_h + gap
    return {
        "bars": bars,
        "bar_h": bar_h,
        "left": left,
        "width": width,
        "height": y + 10,
        "total_width": left + width + 70,
    }


def build_report(
    campaign: Campaign,
    data: Consolidated,
    *,
    today: date | None = None,
    survey: Mapping[str, Decimal] | None = None,
    appraisals: AppraisalCollection | None = None,
    last_year: tuple[Consolidated, dict[str, str | None] | None] | None = None,
    remedy: dict[str, Any] | None = None,
    remedy_previous: dict[str, Any] | None = None,
) -> ReportData:
    """Compute the scores and the plain data every report template renders, from inputs already read.

    ``data`` is the consolidated workbook, checked against ``campaign``
    (:func:`~parcli.results.consolidated.consolidated_for`).  ``survey`` is the survey scores
    (:func:`~parcli.results.survey_scores.load_survey`).  ``appraisals`` is the appraisal
    workbooks judged against ``data`` (:func:`parcli.results.appraisal.collect_for_consolidated`):
    their appraised scores are used in place of what the consolidated workbook shows and the
    context gets ``appraisal``, self-assessed → round 1 → final per field and department with the
    items still stale or not appraised (:func:`parcli.results.appraisal.progress`).  ``last_year``
    is last year's result and the code mapping (:func:`read_last_year`).  ``remedy`` and
    ``remedy_previous`` are the remedy sections against the preliminary round
    (:func:`parcli.results.remedy.recovery`) and against last year
    (:func:`parcli.results.remedy_previous.against_previous`), rendered as given.
    """
    cat = campaign.catalogue
    found, appraisal = appraisals, _appraisal_summary(campaign, data, appraisals)
    if found is not None:
        from parcli.results.appraisal import with_appraisals

        data = with_appraisals(data, found)
    scores = compute_scores(campaign, data, survey)
    prev: dict[str, dict[str, Any]] | None = None
    if last_year is not None:
        last, codes = last_year
        prev = _previous_fields(last, codes, cat) if codes is not None else _previous_fields(last)
    model = campaign.model
    day = today or clock.today()
    fields = []
    for node in scores.fields:
        row = {"code": node.code, "title": node.title, **_totals(node.totals), "previous": None}
        if prev is not None and node.code in prev:
            p = prev[node.code]
            change = None
            if p["percent"] is not None and row["appraised_percent"] is not None and p["note"] is None:
                change = row["appraised_percent"] - p["percent"]
            row["previous"] = {
                "final": p["final"],
                "percent": p["percent"] if p["note"] is None else None,
                "change": change,
                "final_change": None if p["note"] else row["appraised"] - (p["final"] or Decimal(0)),
                "note": p["note"],
            }
        fields.append(row)
    names = {d.id: d for d in campaign.departments}

    def item_row(i: Any) -> dict[str, Any]:
        dept = names.get(i.department_id or "")
        return {
            "code": i.leaf.code,
            "title": i.leaf.title,
            "max": i.applicable_max,
            "self_score": i.self_score,
            "appraised": i.appraised,
            "score": i.final,
            "lost": i.lost,
            "department": dept.name if dept else "",
            "appendix": dept.appendix if dept else "",
            "explanation": i.explanation,
            "note": i.appraisal_note,
            "status": i.status,
        }

    departments = _department_rows(campaign, data, scores)
    unverified, total_nodes = cat.verification()
    as_of = campaign.documents.report_date or day
    title = f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {model.year} của tỉnh {model.province}"
    index = _totals(scores.index)
    reasons = provisional_reasons(index, appraisal)
    context: dict[str, Any] = {
        "title": title + (" (tạm tính)" if reasons else ""),
        "provisional": bool(reasons),
        "provisional_reasons": reasons,
        "as_of": as_of,
        "draft": False,
        "campaign": {
            "id": campaign.id,
            "title": model.title,
            "province": model.province,
            "year": model.year,
            "plan": plan_citation(campaign),
            "deadline": model.deadlines.returns,
            "deadline_words": campaign.deadline_text(),  # “trước ngày 15/01/2024”, as the plan words it
            "report_deadline": model.deadlines.report,
            "ministry_deadline": model.deadlines.ministry,
        },
        "letterhead": heading(campaign, campaign.documents.report_date),
        "catalogue": {
            "title": cat.model.title,
            "decision": cat.model.decision,
            "unverified": unverified,
            "nodes": total_nodes,
        },
        "index": index,
        "fields": fields,
        "na_full_points": any(i.na_full_points for i in scores.items.values()),
        "has_previous": prev is not None,
        "previous_notes": _previous_notes(fields, prev),
        "previous_file": last_year[0].path.name if last_year else "",  # the officer's: in the manifest, not on a page
        "previous_year": model.year - 1,
        "chart": _chart(fields),
        "lost": [item_row(i) for i in scores.lost_items()],
        "unscored": [item_row(i) for i in scores.unscored_items()],
        "not_applicable": [
            item_row(i)
            | {"max": i.leaf.max_points, "rule": i.na_rule, "rule_label": NA_SCORING_LABELS[i.na_rule or "exclude"]}
            for i in scores.items.values()
            if i.not_applicable
        ],
        "departments": departments,
        "appraisal": appraisal,
        "remedy": _by_appendix(campaign, remedy),  # the remedy section (parcli.results.remedy.recovery), or None
        "remedy_previous": _by_appendix(campaign, remedy_previous),  # the same against last year, or None
        "survey_given": survey is not None,
        "appendix_rows": appendix_rows(campaign, scores, survey is not None),
        "rounding_rule": ROUNDING_RULE,
        "source_file": data.path.name,
        "generated": day,
        "tool": f"parcli {__version__}",
    }
    context["sections"] = _section_numbers(context)
    context["assessment"] = overall(context)
    context["proposals"] = proposals(context)
    context |= _voice(campaign, context)
    return ReportData(context=context, scores=scores, appraisals=found)


def appendix_order(appendix: str) -> int:
    """The number of a Roman appendix numeral (“XVII” → 17), for ordering departments as the plan does."""
    from parcli.config.campaign_models import roman_to_int

    try:
        return roman_to_int(appendix)
    except ValueError:
        return 10_000


def _department_rows(campaign: Campaign, data: Consolidated, scores: Scores) -> list[dict[str, Any]]:
    """Per department, in the order of the plan's appendices: items, points, percentage, return status."""
    # with the merge machinery: not on the ranking path
    from parcli.results.status import is_late, judge, timing_of, timing_words

    model = campaign.model
    deadline, rule = model.deadlines.returns, model.deadline_rule
    rows = []
    for dept in sorted(campaign.departments, key=lambda d: appendix_order(d.appendix)):
        ds = scores.departments[dept.id]
        info = data.departments.get(dept.id)
        status = info.status if info else "missing"
        # judged as `parcli status` judges: by the Ngày gửi written, never by the file's date
        sent, file_day = (info.sent, info.received) if info else (None, None)
        timing = judge(sent, file_day, deadline, rule)
        first = info.first_sent if info else None
        first_on_time = timing_of(first, deadline, rule) == "on-time"
        late = is_late(timing, first_on_time, first, sent or file_day)
        if status == "missing":
            label = "Chưa nộp"
        elif status == "duplicate":
            label = "Trùng phiếu, chưa dùng"
        else:
            words = timing_words(timing, first_on_time, first, sent or file_day) or "không rõ ngày gửi"
            label = ("Hợp lệ" if status == "ok" else "Có lỗi") + f", {words[0].lower()}{words[1:]}"
        rows.append(
            {
                "id": dept.id,
                "appendix": dept.appendix,
                "name": dept.name,
                "item_count": ds.items,
                "score": ds.totals.appraised if ds.totals.scored else None,
                "max": ds.totals.self_max,
                "percent": ds.totals.percent,
                "status": status,
                "status_label": label,
                "sent": sent,
                "late": late,
            }
        )
    return rows


NO_PLAN = "Chưa gửi kế hoạch khắc phục"


def _by_appendix(campaign: Campaign, section: dict[str, Any] | None) -> dict[str, Any] | None:
    """A remedy section with its departments in the plan's order and the items of a silent department told so."""
    if section is None:
        return None
    order = {d.id: appendix_order(d.appendix) for d in campaign.departments}
    appendix = {d.id: d.appendix for d in campaign.departments}
    silent = set(section.get("silent", ()))
    with_plans = section.get("with_plans", False)
    items = []
    for row in section["items"]:
        no_plan = with_plans and row["department"] in silent
        items.append(row | {"remedy": NO_PLAN if no_plan else row.get("remedy", ""), "no_plan": no_plan})
    by_department = sorted(section["by_department"], key=lambda r: order.get(r.get("id", ""), 10_000))
    return section | {
        "items": items,
        "still_losing": [r for r in items if r["still_losing"]],
        "by_department": [r | {"appendix": appendix.get(r.get("id", ""), "")} for r in by_department],
    }


def appendix_rows(campaign: Campaign, scores: Scores, survey_given: bool) -> list[dict[str, Any]]:
    """Every field, criterion and component criterion with its points: the report's detailed appendix.

    ``state`` replaces the figures where there are none: survey items (“Điều tra XHH”), items not applicable,
    items without a score.
    """
    names = {d.id: d for d in campaign.departments}
    fields = {n.code: n.totals for n in scores.fields}
    criteria = {n.code: n.totals for n in scores.criteria}
    rows: list[dict[str, Any]] = []
    for f, branches in campaign.catalogue.tree:
        rows.append(_node_row(1, f.code, f.title, fields[f.code], survey_given))
        for c, leaves in branches:
            rows.append(_node_row(2, c.code, c.title, criteria[c.code], survey_given))
            for leaf in leaves:
                item = scores.items[leaf.code]
                dept = names.get(item.department_id or "")
                state = ""
                if not leaf.is_self:
                    state = "Điều tra XHH" if item.final is None else ""
                elif item.not_applicable:
                    state = "Không áp dụng" + (" (tính đủ điểm)" if item.na_full_points else "")
                elif item.final is None:
                    state = "Chưa có điểm"
                rows.append(
                    {
                        "level": 3,
                        "code": leaf.code,
                        "title": leaf.title,
                        "max": leaf.max_points,
                        "self_score": item.self_score if leaf.is_self else None,
                        "final": item.final,
                        "state": state,
                        "department": f"{dept.name} (PL {dept.appendix})" if dept else "",
                        "explanation": item.explanation,
                        "note": item.appraisal_note,
                    }
                )
    return rows


def _node_row(level: int, code: str, title: str, totals: Totals, survey_given: bool) -> dict[str, Any]:
    """A field or criterion row of the appendix: its maximum and the sums of its self-assessed part."""
    only_survey = totals.self_max == 0 and totals.survey_max > 0
    return {
        "level": level,
        "code": code,
        "title": title,
        "max": totals.max_points,
        "self_score": None if only_survey else totals.self_score,
        "final": (totals.final if survey_given else totals.appraised) if not only_survey or survey_given else None,
        "state": "Điều tra XHH" if only_survey and not survey_given else "",
        "department": "",
        "explanation": "",
        "note": "",
    }


def _section_numbers(context: dict[str, Any]) -> dict[str, int]:
    """The numbers of the sections of part I that are present (appraisal, remedy, remedy against last year)."""
    numbers, n = {}, 4
    for key in ("appraisal", "remedy", "remedy_previous"):
        if context[key]:
            n += 1
            numbers[key] = n
    return numbers


def _voice(campaign: Campaign, context: dict[str, Any]) -> dict[str, Any]:
    """Who reports to whom: the introduction, the closing, the recipients and the document properties."""
    short = organiser_short(campaign)
    year = campaign.model.year
    letterhead = context["letterhead"]
    copies = ["UBND tỉnh (để báo cáo)"]
    if letterhead["sign_on_behalf"].startswith("KT."):
        copies.append("Giám đốc Sở (để b/c)")
    return {
        "intro": f"Căn cứ {context['campaign']['plan']}; {criteria_citation(campaign)}, {short} tổng hợp kết quả tự "
        f"đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year} của các cơ quan, báo cáo Ủy ban nhân dân tỉnh "
        "như sau:",
        "closing": f"{short} kính báo cáo UBND tỉnh xem xét, chỉ đạo./.",
        "proposals_lead": f"{short} kính đề nghị UBND tỉnh:",
        "appendix_of": f"Báo cáo số {letterhead['number_bare']} ngày {letterhead['date_short']} của {short}",
        "copies": copies,
        "properties": {
            "title": context["title"],
            "author": campaign.model.organiser.name,
            "comments": f"Số liệu tính từ {context['source_file']} bằng {context['tool']}; quy tắc làm tròn: "
            f"{ROUNDING_RULE}.",
        },
    }


def committee_version(campaign: Campaign, context: dict[str, Any]) -> dict[str, Any]:
    """The same report as the People's Committee's draft to the Ministry, for the Tờ trình to carry.

    The heading is the People's Committee's, the number “…/BC-UBND”, the signature “TM. ỦY BAN NHÂN DÂN”
    (``documents.committee_signer``, else “KT. CHỦ TỊCH / PHÓ CHỦ TỊCH”), the recipient the Ministry.
    """
    from parcli.results.assessment import proposals as asked

    heading = committee_heading(campaign, context["letterhead"])
    province, year = campaign.model.province, campaign.model.year
    return context | {
        "draft": True,
        "letterhead": heading | {"number": "Số: …/BC-UBND"},
        "intro": f"Thực hiện {criteria_citation(campaign)} và {context['campaign']['plan']}, Ủy ban nhân dân "
        f"tỉnh {province} báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year} của tỉnh "
        "như sau:",
        "proposals": asked(context, to_ministry=True),
        "proposals_lead": f"Ủy ban nhân dân tỉnh {province} kiến nghị:",
        "appendix_of": f"Báo cáo số …/BC-UBND ngày … của Ủy ban nhân dân tỉnh {province}",
        "closing": f"Ủy ban nhân dân tỉnh {province} kính báo cáo Bộ Nội vụ./.",
        "copies": ["Bộ Nội vụ (để báo cáo)", "Chủ tịch, các Phó Chủ tịch UBND tỉnh", "Sở Nội vụ"],
    }


def committee_heading(campaign: Campaign, letterhead: dict[str, str]) -> dict[str, str]:
    """The People's Committee's heading and signature (its drafts: the report to the Ministry, the Quyết định)."""
    from parcli.config.campaign_models import Signer

    signer = campaign.documents.committee_signer or Signer(on_behalf="KT. CHỦ TỊCH", title="PHÓ CHỦ TỊCH")
    place = campaign.model.organiser.place or campaign.model.province
    return letterhead | {
        "parent": "",
        "agency": f"ỦY BAN NHÂN DÂN TỈNH {campaign.model.province.upper()}",
        "date_line": f"{place}, ngày … tháng … năm …",  # the Committee dates what it signs
        "date_short": "…",
        "sign_for": "TM. ỦY BAN NHÂN DÂN",
        "sign_on_behalf": signer.on_behalf or "",
        "sign_title": signer.title,
        "sign_name": signer.name or "",
        "archive": "Lưu: VT.",
    }


def _appraisal_summary(
    campaign: Campaign, data: Consolidated, found: AppraisalCollection | None
) -> dict[str, Any] | None:
    """Self-assessed → round 1 → final of the appraisal workbooks judged against ``data`` (None without them)."""
    if found is None:
        return None
    from parcli.results.appraisal import progress, returned_rows_of

    summary = progress(campaign, returned_rows_of(campaign, data), found)
    summary["folder"] = found.folder.name
    summary["problems"] = sum(1 for p in found.problems if p.is_error)
    return summary


def report_format(out: Path) -> str:
    """The format from the output's extension (``docx``, ``html`` or ``md``)."""
    return output_format(out)


def render_text(data: ReportData, fmt: str, template_dir: Path | None = None) -> str:
    """Render the HTML or Markdown report to a string."""
    return render_string(TEMPLATES[fmt], data.context, template_dir)


def render_report(data: ReportData, out: Path, template_dir: Path | None = None) -> None:
    """Write the report in the format given by ``out``'s extension (atomically)."""
    fmt = report_format(out)
    images = {"chart_image": _chart_image(data)} if fmt == "docx" else None
    render(TEMPLATES[fmt], data.context, out, template_dir, images=images)


def render_committee_draft(
    context: dict[str, Any], data: ReportData, out: Path, template_dir: Path | None = None
) -> None:
    """The People's Committee's draft report (``committee_version``), from the same Word template."""
    render(TEMPLATES["docx"], context, out, template_dir, images={"chart_image": _chart_image(data)})


def _chart_image(data: ReportData) -> DocxImage:
    """The bar chart of percentage by field, drawn for the Word report."""
    from parcli.results.chart import bar_chart_png

    return DocxImage(draw=lambda png: bar_chart_png(data.context["fields"], png), width_mm=160, file_name="chart.png")
