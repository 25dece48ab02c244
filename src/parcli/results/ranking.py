"""Unit-level indexes: the ranking report and each unit's own result sheet (each-unit-scores mode).

Scores come from :func:`parcli.results.scoring.compute_unit_scores` (every unit over its
own catalogue, exempt branches left out, so a unit's index is points ÷ its
applicable maximum) and the ranking from :func:`parcli.results.scoring.rank_units`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign
from parcli.config.campaign_models import Band
from parcli.errors import UsageError
from parcli.numbers import ROUNDING_RULE
from parcli.render import output_format, render, render_each, template_name
from parcli.results.consolidated import Consolidated
from parcli.results.letters import heading, plan_citation
from parcli.results.ranking_words import ranking_words
from parcli.results.remedy import per_unit
from parcli.results.scoring import TIE_RULE, RankRow, Scores, compute_unit_scores, na_rule, rank_units
from parcli.xlsx.style import BAND_FILLS, NO_VALUE_FILL

if TYPE_CHECKING:
    from parcli.rounds.appraisal.merge import AppraisalCollection


def heat_class(percent: Decimal | None, bands: tuple[Band, ...]) -> tuple[str, str]:
    """(CSS class, colour) of a percentage by the campaign's bands, best first; grey without a score."""
    if percent is None:
        return "h0", NO_VALUE_FILL
    for index, band in enumerate(bands):
        if percent >= band.min:
            position = round(index * (len(BAND_FILLS) - 1) / max(len(bands) - 1, 1))
            return f"b{position}", BAND_FILLS[position]
    return "h0", NO_VALUE_FILL


def exempt_words(codes: Sequence[str]) -> str:
    """What a unit does not score, in words: “không áp dụng lĩnh vực 3, tiêu chí 7.5” (“” when nothing)."""
    if not codes:
        return ""
    levels = {1: "lĩnh vực", 2: "tiêu chí", 3: "tiêu chí thành phần"}
    parts = []
    previous = ""
    for code in codes:
        noun = levels.get(code.count(".") + 1, "mục")
        parts.append(code if noun == previous else f"{noun} {code}")
        previous = noun
    return "không áp dụng " + ", ".join(parts)


def _unit_row(row: RankRow, campaign: Campaign, statuses: dict[str, str], group_size: int) -> dict[str, Any]:
    unit = campaign.department_by_id[row.unit_id]
    scores: Scores = row.scores
    fields = []
    for node in scores.fields:
        exempt = unit.is_exempt(node.code)
        totals = node.totals
        pending = totals.survey_max > 0 and totals.self_max == 0 and totals.survey_score is None
        pct = None if exempt or pending else totals.percent
        css, colour = heat_class(pct, campaign.bands)
        fields.append(
            {
                "code": node.code,
                "title": node.title,
                "percent": pct,
                "exempt": exempt,
                "pending": pending,
                "heat": css,
                "colour": colour,
                "survey_max": totals.survey_max,
                "final": totals.final if totals.scored or totals.survey_score is not None else None,
                "max": totals.applicable_max,
                "lost": totals.lost,
            }
        )
    status = statuses.get(unit.id, "missing")
    status_label = {"ok": "Hợp lệ", "invalid": "Có lỗi", "missing": "Chưa nộp", "duplicate": "Trùng phiếu"}.get(
        status, status
    )
    lost = [
        {
            "code": i.leaf.code,
            "title": i.leaf.title,
            "max": i.applicable_max,
            "score": i.final,
            "lost": i.lost,
            "explanation": i.explanation,
            "note": i.appraisal_note,
            "self_score": i.self_score,
            "appraised": i.appraised,
        }
        for i in scores.lost_items()
    ]
    return {
        "id": unit.id,
        "name": unit.name,
        "group": unit.group,
        "group_name": campaign.group_name(unit.group or ""),
        "rank": row.rank,
        "of": group_size,
        "percent": row.percent,
        "band": row.band,
        "final": scores.index.final if scores.index.scored else None,
        "max": scores.index.applicable_max,
        "self_score": scores.index.self_score,
        "unscored": scores.index.unscored,
        "lost_total": scores.index.lost,
        "fields": fields,
        "lost": lost,
        "exempt": [{"code": c, "title": unit.catalogue.node_titles[c]} for c in unit.exempt],
        "exempt_text": exempt_words(unit.exempt),
        "status": status,
        "status_label": status_label,
        "previous": None,  # last year's result, with --previous (see _beside_previous)
        "survey_pending": scores.index.survey_max > 0 and scores.index.survey_score is None,
        "survey_max": scores.index.survey_max,
    }


def build_ranking(
    campaign: Campaign,
    data: Consolidated,
    *,
    today: date | None = None,
    survey: Mapping[str, Mapping[str, Decimal]] | None = None,
    appraisals: AppraisalCollection | None = None,
    remedy: dict[str, Any] | None = None,
    remedy_previous: dict[str, Any] | None = None,
    previous: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Plain data for the ranking report and the unit sheets, from inputs already read.

    ``data`` is the consolidated workbook checked against ``campaign``
    (:func:`~parcli.results.consolidated.consolidated_for`); ``survey`` the survey scores per unit
    (:func:`~parcli.results.survey_scores.load_unit_survey`).
    ``appraisals`` (collected against that workbook with
    :func:`parcli.results.appraisal.collect_for_consolidated`) gives the appraised
    scores, and ``appraisal``: per unit self-assessed → round 1 → final, and what is
    still stale or not appraised.
    ``remedy`` / ``remedy_previous`` are the remedy sections against the preliminary
    round and against last year (regrouped per unit with
    :func:`parcli.results.remedy.per_unit` here); ``previous`` is last year's result per
    unit (:func:`parcli.results.remedy_previous.previous_units`), shown beside this
    year's as each unit row's ``previous``.
    """
    if not campaign.is_units:
        raise UsageError("Xếp hạng chỉ dùng cho kế hoạch chế độ each-unit-scores.")
    appraisal = None
    if appraisals is not None:
        from parcli.results.appraisal import progress, returned_rows_of, with_appraisals

        data = with_appraisals(data, appraisals)
        appraisal = progress(campaign, returned_rows_of(campaign, data), appraisals)
        appraisal["folder"] = appraisals.folder.name
        appraisal["problems"] = sum(1 for p in appraisals.problems if p.is_error)
    unit_scores = compute_unit_scores(campaign, data, survey)
    ranks = rank_units(campaign, unit_scores)
    statuses = {d.id: d.status for d in data.departments.values()}
    day = today or clock.today()
    groups = []
    for group in campaign.model.groups or ():
        rows = ranks.get(group.id, [])
        cat = campaign.catalogues[group.id]
        groups.append(
            {
                "id": group.id,
                "name": group.name,
                "fields": [{"code": f.code, "title": f.title} for f in cat.model.fields],
                "rows": [_unit_row(r, campaign, statuses, len(rows)) for r in rows],
                "bands": {b.label: sum(1 for r in rows if r.band == b.label) for b in campaign.bands},
            }
        )
    bands = []
    ordered = campaign.bands
    for i, b in enumerate(ordered):
        upper = ordered[i - 1].min if i > 0 else None
        css, colour = heat_class(b.min, ordered)
        bands.append({"label": b.label, "min": b.min, "upper": upper, "css": css, "colour": colour})
    unverified, nodes = campaign.verification()
    context: dict[str, Any] = {
        "title": f"Kết quả xác định Chỉ số cải cách hành chính năm {campaign.model.year} của các đơn vị",
        "campaign": {
            "id": campaign.id,
            "title": campaign.model.title,
            "plan": plan_citation(campaign),
            "year": campaign.model.year,
            "province": campaign.model.province,
        },
        "letterhead": heading(campaign, campaign.documents.report_date),
        "catalogue": {"unverified": unverified, "nodes": nodes},
        "groups": groups,
        "appraisal": appraisal,
        "remedy": _losing_rows(per_unit(campaign, remedy)) if remedy is not None else None,
        "remedy_previous": _losing_rows(per_unit(campaign, remedy_previous)) if remedy_previous is not None else None,
        "previous": _beside_previous(groups, previous, remedy_previous) if previous is not None else None,
        "bands": bands,
        "tie_rule": TIE_RULE,
        "na_rule": na_rule(any(i.na_full_points for s in unit_scores.values() for i in s.items.values())),
        "rounding_rule": ROUNDING_RULE,
        "source_file": data.path.name,
        "generated": day,
        "tool": f"parcli {__version__}",
    }
    return context | ranking_words(campaign, context)


def _losing_rows(section: dict[str, Any]) -> dict[str, Any]:
    """A per-unit remedy section with ``losing_rows``: (unit, item) for every item a unit still loses points on."""
    silent = set(section.get("silent", ())) if section.get("with_plans") else set()
    rows = [(u, i | {"no_plan": u["name"] in silent}) for u in section["units"] for i in u["still_losing"]]
    return section | {"losing_rows": rows}


def _beside_previous(
    groups: list[dict[str, Any]], previous: dict[str, Any], against: dict[str, Any] | None
) -> dict[str, Any]:
    """Put last year's result (and the points recovered against it) in each unit row as ``previous``.

    A unit absent from last year's workbook gets ``previous = None``; the units of last
    year that are not units this year are listed in the returned ``only_previous``.
    """
    recovered: dict[str, Decimal] = {}
    for row in against["items"] if against is not None else ():
        recovered[row["scope"]] = recovered.get(row["scope"], Decimal(0)) + row["recovered"]
    for group in groups:
        for unit in group["rows"]:
            last = previous["units"].get(unit["id"])
            if last is None:
                unit["previous"] = None
                continue
            change = None
            if last["percent"] is not None and unit["percent"] is not None:
                change = unit["percent"] - last["percent"]
            unit["previous"] = last | {
                "change": change,
                "recovered": recovered.get(unit["id"], Decimal(0)) if against is not None else None,
            }
    return {"file": previous["file"], "year": previous["year"], "only_previous": previous["only_previous"]}


def render_ranking(context: dict[str, Any], out: Path, template_dir: Path | None = None) -> None:
    """Write the ranking report (.md, .html or .docx by extension)."""
    render(template_name("ranking", output_format(out)), context, out, template_dir)


def write_unit_sheets(
    context: dict[str, Any], out_dir: Path, fmt: str = "html", template_dir: Path | None = None
) -> list[Path]:
    """One result sheet per unit (its scores, lost points, rank), from ``unit-sheet.<fmt>.j2``."""
    if fmt not in ("html", "md"):
        raise UsageError("Phiếu kết quả từng đơn vị có định dạng html hoặc md.")
    jobs = [
        ({**context, "unit": unit, "group": group}, out_dir / f"ket-qua-{unit['id']}.{fmt}")
        for group in context["groups"]
        for unit in group["rows"]
    ]
    return render_each(template_name("unit-sheet", fmt), jobs, template_dir)
