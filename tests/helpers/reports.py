"""The report and the ranking from files, as the report job reads them (for tests that build them directly)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from parcli.config.campaign import Campaign
from parcli.results.consolidated import Consolidated, consolidated_for
from parcli.results.ranking import build_ranking
from parcli.results.report import ReportData, build_report, read_last_year
from parcli.results.survey_scores import load_survey, load_unit_survey


def report_of(
    campaign: Campaign,
    consolidated: Path | Consolidated,
    *,
    today: date | None = None,
    survey: Path | None = None,
    previous: Path | Consolidated | None = None,
    mapping: Path | None = None,
    appraisals: Path | None = None,
) -> ReportData:
    """:func:`build_report` with every input read from its file first (a consolidated workbook may be given read)."""
    from parcli.results.appraisal import collect_for_consolidated

    data = consolidated_for(campaign, consolidated)
    last_year = None
    if isinstance(previous, Consolidated):
        last_year = (previous, None)
    elif previous is not None:
        last_year = read_last_year(previous, mapping)
    return build_report(
        campaign,
        data,
        today=today,
        survey=load_survey(survey, campaign) if survey else None,
        appraisals=collect_for_consolidated(campaign, data, appraisals) if appraisals else None,
        last_year=last_year,
    )


def ranking_of(
    campaign: Campaign, consolidated: Path | Consolidated, *, survey: Path | None = None, **kwargs: Any
) -> dict[str, Any]:
    """:func:`build_ranking` with the consolidated workbook and the survey scores read from their files."""
    data = consolidated_for(campaign, consolidated)
    return build_ranking(campaign, data, survey=load_unit_survey(survey, campaign) if survey else None, **kwargs)
