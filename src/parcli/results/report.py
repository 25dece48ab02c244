"""The province summary: scores rendered as Word, HTML or Markdown from Jinja templates.

:func:`build_report` reads the consolidated workbook (and optional survey
scores and last year's consolidated workbook), computes the scores with
:mod:`parcli.results.scoring`, and returns plain data for the templates;
:func:`render_report` writes it in the format given by the file extension.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign
from parcli.config.catalogue import Leaf
from parcli.config.yamlio import YamlSyntaxError, parse_yaml
from parcli.errors import ParcliError, UsageError
from parcli.numbers import ROUNDING_RULE, fmt_points
from parcli.render import DocxImage, find_template, output_format, render, render_string
from parcli.results.consolidated import Consolidated, read_consolidated
from parcli.results.scoring import Scores, Totals, compute_scores
from parcli.results.status import timing_of

TEMPLATES = {"html": "report.html.j2", "md": "report.md.j2", "docx": "report.docx"}


class SurveyError(ParcliError):
    """The survey scores file cannot be used."""


@dataclass
class ReportData:
    """What the templates receive (``context``) and the scores behind it."""

    context: dict[str, Any]
    scores: Scores


def _survey_points(where: str, leaf: Leaf, value: Any, problems: list[str]) -> Decimal | None:
    """One survey score as typed (decimal comma accepted); None, with a problem noted, when not a number.

    A number outside 0..max is noted too but still returned, so that every mistake of the file is listed.
    """
    try:
        points = Decimal(str(value).strip().replace(",", "."))
        if not points.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(f"{where}: điểm “{value}” của mục {leaf.code} không phải là số")
        return None
    if not Decimal(0) <= points <= leaf.max_points:
        problems.append(
            f"{where}: điểm {fmt_points(points)} của mục {leaf.code} phải từ 0 đến {fmt_points(leaf.max_points)}"
        )
    return points


def load_survey(path: Path, campaign: Campaign) -> dict[str, Decimal]:
    """Read survey scores (CSV ``code,points`` or YAML ``code: points``); every survey item must be given."""
    if not path.is_file():
        raise SurveyError(f"Không tìm thấy tệp điểm điều tra xã hội học {path}.")
    text = path.read_text(encoding="utf-8-sig")
    raw: list[tuple[str, str, Any]] = []  # (where, code, value)
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = parse_yaml(text)
        except YamlSyntaxError as exc:
            raise SurveyError(f"{path.name}: {exc.message}") from None
        if not isinstance(data, dict):
            raise SurveyError(f'{path.name}: cần một bảng mã mục: điểm, ví dụ  "1.5.3": 0.75')
        raw = [(f"{path.name} › {k}", str(k).strip(), v) for k, v in data.items()]
    else:
        # Excel on a Vietnamese system saves CSV with ";" (the comma is the decimal sign)
        first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
        delimiter = ";" if ";" in first else ","
        for lineno, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
                continue
            if not raw and not any(ch.isdigit() for ch in row[0]):  # a header line
                continue
            extra = [cell for cell in row[2:] if cell.strip()]
            if len(row) < 2 or extra:
                raise SurveyError(
                    f"{path.name} dòng {lineno}: cần đúng hai cột mã mục và điểm (đọc được {len(row)} cột). "
                    "Nếu điểm có dấu phẩy thập phân, dùng dấu chấm phẩy để ngăn cột hoặc đặt điểm trong ngoặc kép."
                )
            raw.append((f"{path.name} dòng {lineno}", row[0].strip(), row[1].strip()))
    if not raw:
        raise SurveyError(f"{path.name}: không có điểm nào (cần các dòng mã mục,điểm).")
    leaves = campaign.catalogue.leaf_by_code
    problems: list[str] = []
    scores: dict[str, Decimal] = {}
    for where, code, value in raw:
        leaf = leaves.get(code)
        if leaf is None or leaf.is_self:
            problems.append(f"{where}: mục {code} không phải mục điều tra xã hội học của bộ tiêu chí")
            continue
        points = _survey_points(where, leaf, value, problems)
        if points is not None:
            scores[code] = points
    missing = [leaf.code for leaf in campaign.catalogue.leaves if not leaf.is_self and leaf.code not in scores]
    if missing:
        problems.append(f"{path.name}: thiếu điểm các mục điều tra xã hội học {', '.join(missing)}")
    if problems:
        raise SurveyError("Tệp điểm điều tra xã hội học không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems))
    return scores


def load_unit_survey(path: Path, campaign: Campaign) -> dict[str, dict[str, Decimal]]:
    """each-unit-scores: survey scores per unit, a CSV ``unit,code,points`` (``,`` or ``;``).

    A unit that appears must have every survey item of its catalogue (not exempt);
    units that do not appear keep their survey part pending.
    """
    if not path.is_file():
        raise SurveyError(f"Không tìm thấy tệp điểm điều tra xã hội học {path}.")
    text = path.read_text(encoding="utf-8-sig")
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    delimiter = ";" if ";" in first else ","
    problems: list[str] = []
    scores: dict[str, dict[str, Decimal]] = {}
    for lineno, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        if not scores and not problems and len(row) >= 2 and not any(ch.isdigit() for ch in row[1]):
            continue  # a header line
        where = f"{path.name} dòng {lineno}"
        if len([c for c in row if c.strip()]) != 3:
            problems.append(f"{where}: cần đúng ba cột mã đơn vị, mã mục, điểm")
            continue
        unit_id, code, value = (c.strip() for c in row[:3])
        unit = campaign.department_by_id.get(unit_id)
        if unit is None:
            problems.append(f"{where}: đơn vị “{unit_id}” không có trong kế hoạch")
            continue
        leaf = unit.catalogue.leaf_by_code.get(code)
        if leaf is None or leaf.is_self or unit.is_exempt(code):
            problems.append(f"{where}: mục {code} không phải mục điều tra xã hội học của {unit.name}")
            continue
        points = _survey_points(where, leaf, value, problems)
        if points is not None:
            scores.setdefault(unit_id, {})[code] = points
    for unit_id, given in scores.items():
        unit = campaign.department_by_id[unit_id]
        missing = [
            leaf.code
            for leaf in unit.catalogue.leaves
            if not leaf.is_self and not unit.is_exempt(leaf.code) and leaf.code not in given
        ]
        if missing:
            problems.append(f"{path.name}: {unit.name} thiếu điểm các mục điều tra xã hội học {', '.join(missing)}")
    if not scores and not problems:
        problems.append(f"{path.name}: không có điểm nào (cần các dòng mã đơn vị,mã mục,điểm)")
    if problems:
        raise SurveyError("Tệp điểm điều tra xã hội học không hợp lệ:\n" + "\n".join(f"  - {p}" for p in problems))
    return scores


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


def _previous_fields(previous: Consolidated) -> dict[str, dict[str, Decimal | None]]:
    """Per field of last year's consolidated workbook: the appraised self part and its percentage.

    Computed like this year's self part: items as appraised (else self-assessed),
    over the maximum of the self-assessed items that applied.
    """
    from parcli.numbers import percent

    sums: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    for item in previous.items.values():
        if item.scored_by != "self" or item.not_applicable:
            continue
        field_code = item.code.split(".")[0]
        final = item.appraised if item.appraised is not None else item.score
        sums[field_code] = sums.get(field_code, Decimal(0)) + (final or Decimal(0))
        maxima[field_code] = maxima.get(field_code, Decimal(0)) + (item.max_points or Decimal(0))
    return {
        code: {"final": sums[code], "max": maxima[code], "percent": percent(sums[code], maxima[code])} for code in sums
    }


def _chart(fields: list[dict[str, Any]]) -> dict[str, Any]:
    """Geometry of the horizontal bar chart of percentage by field (drawn by the templates)."""
    bar_h, gap, left, width = 22, 10, 330, 360
    bars = []
    for i, f in enumerate(fields):
        pct = f["percent"] if f["percent"] is not None else Decimal(0)
        y = 10 + i * (bar_h + gap)
        bars.append(
            {
                "label": f"{f['code']}. {f['title']}",
                "short": f["title"] if len(f["title"]) <= 44 else f["title"][:43] + "…",
                "code": f["code"],
                "y": y,
                "text_y": y + bar_h * 0.7,
                "width": float(round(pct * width / 100, 1)),
                "value_x": left + float(round(pct * width / 100, 1)) + 6,
                "percent": f["percent"],
            }
        )
    return {
        "bars": bars,
        "bar_h": bar_h,
        "left": left,
        "width": width,
        "height": 20 + len(fields) * (bar_h + gap),
        "total_width": left + width + 70,
    }


def build_report(
    campaign: Campaign,
    consolidated: Path,
    *,
    survey: Path | None = None,
    previous: Path | None = None,
    today: date | None = None,
) -> ReportData:
    """Compute the scores and the plain data every report template renders."""
    cat = campaign.catalogue
    data = read_consolidated(consolidated, {leaf.code: leaf.max_points for leaf in cat.leaves})
    if data.campaign_id != campaign.id:
        raise UsageError(
            f"Bảng tổng hợp {consolidated.name} thuộc đợt “{data.campaign_id}”, không phải "
            f"“{campaign.id}”. Chọn đúng kế hoạch với --campaign."
        )
    survey_scores = load_survey(survey, campaign) if survey else None
    scores = compute_scores(campaign, data, survey_scores)
    prev = _previous_fields(read_consolidated(previous)) if previous else None
    model = campaign.model
    org = model.organiser
    day = today or clock.today()
    fields = []
    for node in scores.fields:
        row = {"code": node.code, "title": node.title, **_totals(node.totals), "previous": None}
        if prev is not None and node.code in prev:
            p = prev[node.code]
            change = None
            if p["percent"] is not None and row["appraised_percent"] is not None:
                change = row["appraised_percent"] - p["percent"]
            row["previous"] = {
                "final": p["final"],
                "percent": p["percent"],
                "change": change,
                "final_change": row["appraised"] - (p["final"] or Decimal(0)),
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

    deadline = model.deadlines.returns
    departments = []
    for dept in campaign.departments:
        ds = scores.departments[dept.id]
        info = data.departments.get(dept.id)
        status = info.status if info else "missing"
        when = (info.sent or info.received) if info else None
        timing = timing_of(when, deadline)
        if status == "missing":
            label = "Chưa nộp"
        elif status == "duplicate":
            label = "Trùng phiếu, chưa dùng"
        else:
            words = {"late": "muộn", "on-time": "đúng hạn", None: "không rõ ngày gửi"}[timing]
            label = ("Hợp lệ" if status == "ok" else "Có lỗi") + f", {words}"
        departments.append(
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
                "sent": when,
                "late": timing == "late",
            }
        )
    unverified, total_nodes = cat.verification()
    context = {
        "title": f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {model.year} "
        f"của tỉnh {model.province}",
        "campaign": {
            "id": campaign.id,
            "title": model.title,
            "province": model.province,
            "year": model.year,
            "plan": model.plan or "",
            "deadline": deadline,
            "report_deadline": model.deadlines.report,
        },
        "letterhead": {
            "parent": (org.parent or f"UBND tỉnh {model.province}").upper(),
            "agency": org.name.replace(f" tỉnh {model.province}", "").upper(),
            "number": f"Số: …/BC-{org.symbol or 'SNV'}",
            "date_line": f"{org.place or model.province}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}",
            "signer": org.signer or "GIÁM ĐỐC",
            "organiser": org.name,
        },
        "catalogue": {
            "title": cat.model.title,
            "decision": cat.model.decision,
            "unverified": unverified,
            "nodes": total_nodes,
        },
        "index": _totals(scores.index),
        "fields": fields,
        "has_previous": prev is not None,
        "previous_file": previous.name if previous else "",
        "chart": _chart(fields),
        "lost": [item_row(i) for i in scores.lost_items()],
        "unscored": [item_row(i) for i in scores.unscored_items()],
        "not_applicable": [item_row(i) | {"max": i.leaf.max_points} for i in scores.items.values() if i.not_applicable],
        "departments": departments,
        "survey_given": survey_scores is not None,
        "rounding_rule": ROUNDING_RULE,
        "source_file": consolidated.name,
        "generated": day,
        "tool": f"parcli {__version__}",
    }
    return ReportData(context=context, scores=scores)


def report_inputs(
    consolidated: Path, survey: Path | None, previous: Path | None, template_dir: Path | None, out: Path
) -> list[dict[str, Any]]:
    """The files a report is made from, with their hashes (for the manifest)."""
    from parcli.manifest import file_entry

    entries = [file_entry(consolidated, role="consolidated")]
    if survey is not None:
        entries.append(file_entry(survey, role="survey"))
    if previous is not None:
        entries.append(file_entry(previous, role="previous"))
    entries.append(file_entry(find_template(TEMPLATES[report_format(out)], template_dir), role="template"))
    return entries


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


def _chart_image(data: ReportData) -> DocxImage:
    """The bar chart of percentage by field, drawn for the Word report."""
    from parcli.results.chart import bar_chart_png

    return DocxImage(draw=lambda png: bar_chart_png(data.context["fields"], png), width_mm=160, file_name="chart.png")
