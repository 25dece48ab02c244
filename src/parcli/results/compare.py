"""The Ministry's appraisal against the province's own: per field, per item and per responsible department.

Three figures for every self-assessed component criterion: what the department self-assessed, the
province's figure after its own appraisal (what it submitted), and the Ministry's appraised points.
Where the Ministry is below the province, the difference is **points not accepted**; the item was
*seen* by the province's appraisal when that appraisal had already taken points off it (and the
Ministry took more), *missed* when the province kept the self-assessed score.  Where the Ministry
is above, the difference is points raised (never netted against points not accepted).  An item the
province's appraisal lowered and the Ministry confirmed is *caught*.

Only items with both figures are compared (``compared``); the items the Ministry's result lacks, the
items without a province figure and those not applicable on either side are listed apart.  The
survey part, which only the Ministry scores, stands beside the self-assessed part per field.  When
the result gives only the points per field (the published decision), fields are compared as wholes.

All sums are exact decimals; percentages go through :func:`parcli.numbers.percent`, the one rounding
rule.  :func:`compare` returns plain data (the ``--json`` document and the templates' context);
:func:`render_comparison` writes Word, HTML or Markdown through :mod:`parcli.render`, and
:func:`write_comparison_xlsx` a workbook through the one table writer.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import __version__
from parcli.config.campaign import Campaign
from parcli.numbers import ROUNDING_RULE, percent
from parcli.results.consolidated import Consolidated
from parcli.results.scoring import ItemScore, Scores, compute_scores, vietnamese_sort_key
from parcli.rounds.ministry.own import MinistryResult

ZERO = Decimal(0)
TEMPLATE = "compare"  # compare.docx, compare.html.j2, compare.md.j2


@dataclass
class Sums:
    """Compared items summed: maxima, the three figures, points not accepted (seen / missed) and raised."""

    items: int = 0
    max: Decimal = ZERO
    self_score: Decimal = ZERO
    province: Decimal = ZERO
    ministry: Decimal = ZERO
    not_accepted: Decimal = ZERO
    not_accepted_seen: Decimal = ZERO
    not_accepted_missed: Decimal = ZERO
    raised: Decimal = ZERO
    caught: Decimal = ZERO  # the province's own cuts the Ministry confirmed
    items_not_accepted: int = 0
    items_seen: int = 0
    items_missed: int = 0
    items_raised: int = 0

    def add(self, row: dict[str, Any]) -> None:
        """Count one compared item (a row of :func:`compare`'s ``items``)."""
        self.items += 1
        self.max += row["max"]
        self.self_score += row["self_score"]
        self.province += row["province"]
        self.ministry += row["ministry"]
        self.raised += row["raised"]
        self.caught += row["caught"]
        self.items_raised += 1 if row["raised"] else 0
        if row["not_accepted"]:
            self.not_accepted += row["not_accepted"]
            self.items_not_accepted += 1
            if row["seen"]:
                self.not_accepted_seen += row["not_accepted"]
                self.items_seen += 1
            else:
                self.not_accepted_missed += row["not_accepted"]
                self.items_missed += 1

    def as_dict(self) -> dict[str, Any]:
        """Plain values, with the Ministry's percentage of the maximum and the net change."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["change"] = self.ministry - self.province
        out["percent"] = percent(self.ministry, self.max)
        out["province_percent"] = percent(self.province, self.max)
        return out


def compare(campaign: Campaign, data: Consolidated, result: MinistryResult) -> dict[str, Any]:
    """The comparison as plain data (see the module docstring).

    ``data`` is the year-end consolidated workbook of ``campaign`` with the province's appraisal in it
    (:func:`parcli.results.appraisal.with_appraisals` when it comes from appraisal workbooks).
    """
    scores = compute_scores(campaign, data)
    if not result.by_items:
        return _by_fields(campaign, scores, result)
    departments = {d.id: d for d in campaign.departments}
    rows: list[dict[str, Any]] = []
    apart: dict[str, list[dict[str, Any]]] = {"absent": [], "unscored": [], "not_applicable": []}
    by_field: dict[str, Sums] = {f.code: Sums() for f in campaign.catalogue.model.fields}
    by_department: dict[str, Sums] = {}
    total = Sums()
    differs, noted = [], []
    for item in scores.items.values():
        if not item.leaf.is_self:
            continue
        row = _item_row(item, result, departments)
        reason = _apart(item, row)
        if reason is not None:
            if not (row["province_na"] and row["ministry_na"]):  # not applicable on both sides: nothing to say
                apart[reason].append(row)
            continue
        rows.append(row)
        for sums in (by_field[item.leaf.field_code], by_department.setdefault(row["department_id"], Sums()), total):
            sums.add(row)
        if result.has_self and row["submitted"] is not None and row["submitted"] != row["province"]:
            differs.append(row)
        if row["ministry_note"] and not row["not_accepted"]:
            noted.append(row)
    order = {code: i for i, code in enumerate(scores.items)}
    ranked = _ranked(by_department, departments)
    not_accepted = sorted((r for r in rows if r["not_accepted"]), key=lambda r: (-r["not_accepted"], order[r["code"]]))
    return {
        "by_items": True,
        **_header(campaign, result),
        "total": total.as_dict(),
        "fields": _field_rows(campaign, result, by_field),
        "survey": _survey(result),
        "ministry_index": _ministry_index(result),
        "departments": ranked,
        "departments_ranked": [d for d in ranked if d["rank"] is not None],
        "departments_accepted": [d["name"] for d in ranked if d["rank"] is None],
        "items": rows,
        "not_accepted": not_accepted,
        "missed": [r for r in not_accepted if not r["seen"]],
        "seen": [r for r in not_accepted if r["seen"]],
        "raised": [r for r in rows if r["raised"]],
        "caught": [r for r in rows if r["caught"]],
        "noted": noted,
        "submitted_differs": differs,
        **apart,
    }


def _item_row(item: ItemScore, result: MinistryResult, departments: dict[str, Any]) -> dict[str, Any]:
    """The three figures of one self-assessed item and what became of its points."""
    leaf = item.leaf
    theirs = result.items.get(leaf.code)
    dept = departments.get(item.department_id or "")
    self_score = leaf.max_points if item.na_full_points else item.self_score
    province = item.final
    ministry = theirs.appraised if theirs is not None else None
    row: dict[str, Any] = {
        "code": leaf.code,
        "title": leaf.title,
        "field": leaf.field_code,
        "department_id": dept.id if dept else "",
        "department": dept.name if dept else "",
        "appendix": dept.appendix if dept else "",
        "max": item.applicable_max,
        "self_score": self_score,
        "province": province,
        "ministry": ministry,
        "submitted": theirs.self_score if theirs is not None else None,
        "province_appraised": item.appraised is not None,
        "province_note": item.appraisal_note,
        "explanation": item.explanation,
        "ministry_note": theirs.note if theirs is not None else "",
        "unit_note": theirs.unit_note if theirs is not None else "",
        "ministry_na": bool(theirs and theirs.not_applicable),
        "province_na": item.not_applicable and not item.na_full_points,
        "not_accepted": ZERO,
        "raised": ZERO,
        "caught": ZERO,
        "seen": False,
        "lost": None,
    }
    if self_score is None or province is None or ministry is None:
        return row
    cut = self_score - province  # what the province's own appraisal took off
    row["not_accepted"] = max(province - ministry, ZERO)
    row["raised"] = max(ministry - province, ZERO)
    row["seen"] = cut > 0
    row["caught"] = max(self_score - max(province, ministry), ZERO) if cut > 0 else ZERO  # taken off by both
    row["lost"] = item.applicable_max - ministry
    return row


def _apart(item: ItemScore, row: dict[str, Any]) -> str | None:
    """Why an item is not compared (a key of the lists apart), or None when it is."""
    if row["province_na"] or row["ministry_na"]:
        return "not_applicable"
    if row["province"] is None or row["self_score"] is None:
        return "unscored"
    if row["ministry"] is None:
        return "absent"
    return None


def _header(campaign: Campaign, result: MinistryResult) -> dict[str, Any]:
    return {
        "campaign": campaign.id,
        "year": campaign.model.year,
        "result_file": result.path.name,
        "source_file": result.source_file,
        "source_sha256": result.source_sha256,
        "result_errors": result.errors,
        "has_self": result.has_self,
    }


def _field_rows(campaign: Campaign, result: MinistryResult, sums: dict[str, Sums]) -> list[dict[str, Any]]:
    """Per field: the compared items' sums beside the survey part and the Ministry's total for the field."""
    out = []
    for node in campaign.catalogue.model.fields:
        figures = result.fields.get(node.code)
        row = {"code": node.code, "title": node.title, **sums[node.code].as_dict()}
        row |= _survey_of(figures)
        out.append(row)
    return out


def _survey_of(figures: Any) -> dict[str, Any]:
    """The survey part of a field of the result: maximum, points (None: not given), and the field's total."""
    survey_max = figures.survey_max if figures is not None else ZERO
    survey = figures.survey if figures is not None else None
    appraised = figures.appraised if figures is not None else None
    top = (figures.self_max + survey_max) if figures is not None else ZERO
    known = appraised is not None and (survey is not None or not survey_max)
    total = (appraised or ZERO) + (survey or ZERO) if known else None
    return {
        "survey_max": survey_max,
        "survey_points": survey,
        "survey_pending": survey is None and bool(survey_max),
        "ministry_field": appraised,
        "ministry_total": total,
        "ministry_total_max": top,
        "ministry_total_percent": percent(total, top) if total is not None else None,
    }


def _survey(result: MinistryResult) -> dict[str, Any]:
    """The survey part as a whole: its maximum and the Ministry's points (None until every field has them)."""
    top = sum((f.survey_max for f in result.fields.values()), ZERO)
    points = [f.survey for f in result.fields.values() if f.survey_max]
    given = bool(points) and all(p is not None for p in points)
    score = sum((p or ZERO for p in points), ZERO) if given else None
    return {"max": top, "points": score, "pending": score is None and bool(top), "percent": _pct(score, top)}


def _ministry_index(result: MinistryResult) -> dict[str, Any]:
    """The index by the Ministry's result: appraised self part + survey, over the applicable maximum."""
    figures = list(result.fields.values())
    self_max = sum((f.self_max for f in figures), ZERO)
    appraised = [f.appraised for f in figures]
    self_points = sum((a or ZERO for a in appraised), ZERO) if figures and None not in appraised else None
    survey = _survey(result)
    top = self_max + survey["max"]
    total = None if self_points is None or survey["pending"] else self_points + (survey["points"] or ZERO)
    return {
        "self_max": self_max,
        "self_points": self_points,
        "self_percent": _pct(self_points, self_max),
        "max": top,
        "points": total,
        "percent": _pct(total, top),
    }


def _pct(part: Decimal | None, whole: Decimal) -> Decimal | None:
    return None if part is None else percent(part, whole)


def _ranked(sums: dict[str, Sums], departments: dict[str, Any]) -> list[dict[str, Any]]:
    """Departments by points not accepted, most first (then items not accepted, then name); competition ranks
    (1, 2, 2, 4) among those with points not accepted, none for the others."""
    rows = []
    for dept_id, s in sums.items():
        dept = departments.get(dept_id)
        name = dept.name if dept else dept_id
        rows.append({"id": dept_id, "name": name, "appendix": dept.appendix if dept else "", **s.as_dict()})
    rows.sort(key=lambda r: (-r["not_accepted"], -r["items_not_accepted"], vietnamese_sort_key(r["name"])))
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["not_accepted"] <= 0:
            row["rank"] = None
            continue
        if row["not_accepted"] != previous:
            rank, previous = position, row["not_accepted"]
        row["rank"] = rank
    return rows


def _by_fields(campaign: Campaign, scores: Scores, result: MinistryResult) -> dict[str, Any]:
    """Only the points per field are known: each field compared as a whole (no item, no department)."""
    total = Sums()
    rows = []
    for node in scores.fields:
        figures = result.fields.get(node.code)
        t = node.totals
        ministry = figures.appraised if figures is not None else None
        s = Sums(
            items=t.scored,
            max=t.self_max,
            self_score=t.self_score,
            province=t.appraised,
            ministry=ministry or ZERO,
        )
        if ministry is not None:
            s.not_accepted = max(t.appraised - ministry, ZERO)
            s.raised = max(ministry - t.appraised, ZERO)
            for name in ("items", "max", "self_score", "province", "ministry", "not_accepted", "raised"):
                setattr(total, name, getattr(total, name) + getattr(s, name))
        row = {"code": node.code, "title": node.title, **s.as_dict(), "ministry_given": ministry is not None}
        rows.append(row | _survey_of(figures))
    empty: list[dict[str, Any]] = []
    return {
        "by_items": False,
        **_header(campaign, result),
        "total": total.as_dict(),
        "fields": rows,
        "survey": _survey(result),
        "ministry_index": _ministry_index(result),
        "departments": empty,
        "departments_ranked": empty,
        "departments_accepted": [],
        "items": empty,
        "not_accepted": empty,
        "missed": empty,
        "seen": empty,
        "raised": empty,
        "caught": empty,
        "noted": empty,
        "submitted_differs": empty,
        "absent": empty,
        "unscored": empty,
        "not_applicable": empty,
    }


# --- documents ------------------------------------------------------------------------------------------


def context(
    campaign: Campaign,
    comparison: dict[str, Any],
    *,
    consolidated: Path,
    appraisals: Path | None,
    today: date,
) -> dict[str, Any]:
    """What the templates receive: the comparison, the letterhead (date line left to fill in), the sources."""
    model = campaign.model
    unverified, nodes = campaign.catalogue.verification()
    return {
        **comparison,
        "title": f"So sánh kết quả thẩm định Chỉ số cải cách hành chính năm {model.year} của Bộ Nội vụ với kết quả "
        f"tự đánh giá của tỉnh {model.province}",
        "province": model.province,
        "next_year": model.year + 1,
        "letterhead": campaign.letterhead(None),
        "catalogue": {"title": campaign.catalogue.model.title, "unverified": unverified, "nodes": nodes},
        "consolidated_file": consolidated.name,
        "appraisals_folder": appraisals.name if appraisals is not None else "",
        "rounding_rule": ROUNDING_RULE,
        "tool": f"parcli {__version__}",
        "generated": today,
    }


def render_comparison(values: dict[str, Any], out: Path, template_dir: Path | None = None) -> None:
    """Write the comparison as Word, HTML or Markdown (from ``out``'s extension), atomically."""
    from parcli.render import output_format, render, template_name

    render(template_name(TEMPLATE, output_format(out)), values, out, template_dir)
