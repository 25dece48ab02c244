"""Producing a report from a consolidated workbook: the whole of ``parcli report`` below the command line.

:func:`produce_report` settles the inputs (given, or replayed from an earlier
report's manifest), finds the campaign (given, or the one recorded in the
consolidated workbook), then makes the province report or — for an
each-unit-scores campaign — the ranking and the optional unit sheets, and
writes the manifest that lets the same report be made again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import UsageError

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.results.consolidated import Consolidated
    from parcli.results.report import ReportData
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.remedy.merge import RemedyCollection

DEFAULT_REPORT = Path("bao-cao.docx")


@dataclass(frozen=True)
class ReportRequest:
    """What a report is made from, as the command line gives it."""

    consolidated: Path | None = None
    campaign: Path | None = None
    out: Path | None = None
    survey: Path | None = None
    previous: Path | None = None
    templates: Path | None = None
    unit_sheets: Path | None = None
    manifest: Path | None = None
    mapping: Path | None = None  # old code → new code, when last year's catalogue is another version
    today: date | None = None
    appraisals: Path | None = None
    round: str | None = None  # the campaign's round; None: the consolidated workbook's (else the last)
    preliminary: Path | None = None  # the preliminary round's consolidated workbook (the remedy section)
    remedies: Path | None = None  # the folder of remedy plans (the remedy section's remedies and progress)


@dataclass(frozen=True)
class ReportPlan:
    """The settled inputs, before any campaign is loaded or anything is computed."""

    consolidated: Path
    out: Path
    campaign: Path  # the campaign file (given, replayed, or recorded in the consolidated workbook)
    survey: Path | None
    previous: Path | None
    templates: Path | None
    unit_sheets: Path | None
    today: date | None
    appraisals: Path | None = None  # the folder of appraisal workbooks
    preliminary: Path | None = None  # the preliminary round's consolidated workbook
    remedies: Path | None = None  # the folder of remedy plans
    mapping: Path | None = None  # old code → new code (catalogue_table.diff), with previous
    replayed_from: Path | None = None  # the manifest whose inputs are used again
    recorded_campaign: bool = False  # the campaign is the one recorded in the consolidated workbook
    loaded: Consolidated | None = field(default=None, compare=False, repr=False)  # read once, when already read


@dataclass
class ProducedReport:
    """What was written: the province report (``report``) or the ranking (``ranking``) and unit sheets."""

    plan: ReportPlan
    campaign: Campaign
    report: ReportData | None = None
    ranking: dict[str, Any] | None = None
    unit_sheets: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # outputs a spreadsheet program holds open
    appraisals: AppraisalCollection | None = None  # the appraisal workbooks read (``--appraisals``)


def plan_report(request: ReportRequest) -> ReportPlan:
    """Settle the inputs: replay a manifest if given, default the output, check its format, find the campaign.

    Raises :class:`UsageError` when the manifest is not a report's, no consolidated
    workbook is named, the output format is unknown, or no usable campaign is known.
    """
    from parcli.render import output_format

    if request.manifest is not None:
        request = _replayed(request, request.manifest)
    if request.consolidated is None:
        raise UsageError("Cần chỉ ra bảng tổng hợp (CONSOLIDATED) hoặc --manifest.")
    if request.mapping is not None and request.previous is None:
        raise UsageError("--mapping chỉ dùng kèm --previous (bảng tổng hợp năm trước).")
    out = request.out or DEFAULT_REPORT
    output_format(out)
    campaign = request.campaign
    loaded = None
    if campaign is None:
        from parcli.results.consolidated import load_consolidated

        loaded = load_consolidated(request.consolidated)  # read once: the report uses what is read here
        recorded = loaded.campaign_path
        if not recorded or not Path(recorded).is_file():
            raise UsageError("Bảng tổng hợp không ghi lại tệp kế hoạch còn dùng được; chỉ rõ bằng --campaign.")
        campaign = Path(recorded)
    return ReportPlan(
        consolidated=request.consolidated,
        out=out,
        campaign=campaign,
        survey=request.survey,
        previous=request.previous,
        templates=request.templates,
        unit_sheets=request.unit_sheets,
        today=request.today,
        appraisals=request.appraisals,
        preliminary=request.preliminary,
        remedies=request.remedies,
        mapping=request.mapping,
        replayed_from=request.manifest,
        recorded_campaign=request.campaign is None,
        loaded=loaded,
    )


def _replayed(request: ReportRequest, manifest: Path) -> ReportRequest:
    """The inputs recorded in an earlier report's manifest (its hashes are checked when it is loaded).

    The output and the unit-sheet folder stay as given (the output defaults to the recorded one).
    """
    from parcli.manifest import load_manifest, option_date

    record = load_manifest(manifest)
    if record.get("kind") != "report":
        raise UsageError(f"{manifest.name} là manifest của lệnh {record.get('kind')}, không phải report.")
    roles = {e.get("role"): Path(e["path"]) for e in record["inputs"]}
    options = record.get("options", {})
    return ReportRequest(
        consolidated=roles.get("consolidated"),
        campaign=Path(record["campaign"]["file"]["path"]),
        out=request.out or Path(record["output"]["path"]),
        survey=roles.get("survey"),
        previous=roles.get("previous"),
        mapping=roles.get("mapping"),
        templates=Path(options["templates"]) if options.get("templates") else None,
        unit_sheets=request.unit_sheets,
        manifest=manifest,
        today=option_date(record, "today"),
        appraisals=Path(options["appraisals"]) if options.get("appraisals") else None,
        round=request.round,
        preliminary=roles.get("preliminary"),
        remedies=Path(options["remedies"]) if options.get("remedies") else None,
    )


def produce_report(request: ReportRequest, *, on_plan: Callable[[ReportPlan], None] | None = None) -> ProducedReport:
    """Make the report a request asks for and write its manifest.

    ``on_plan`` is called once the inputs are settled, before the campaign is
    loaded (the command line says there which manifest or campaign it uses).
    A province campaign gets the province report; an each-unit-scores campaign
    the ranking report and, with ``unit_sheets``, one result sheet per unit.
    """
    from parcli.config.campaign import load_campaign, refuse_placeholders
    from parcli.manifest import manifest_path
    from parcli.outputs import guard_outputs
    from parcli.results.consolidated import load_consolidated

    plan = plan_report(request)
    if on_plan is not None:
        on_plan(plan)
    campaign = load_campaign(plan.campaign, request.round)
    refuse_placeholders(campaign)
    warnings = guard_outputs(
        inputs=[
            plan.consolidated,
            plan.campaign,
            plan.survey,
            plan.previous,
            plan.mapping,
            plan.templates,
            plan.appraisals,
            plan.preliminary,
            plan.remedies,
            request.manifest,
            _returns_folder(plan.consolidated),
        ],
        files=[plan.out, manifest_path(plan.out)],
        dirs=[plan.unit_sheets],
    )
    data = plan.loaded if plan.loaded is not None else load_consolidated(plan.consolidated)
    campaign = _at_consolidated_round(campaign, data, request.round)
    produced = _produce_ranking(plan, campaign, data) if campaign.is_units else _produce_province(plan, campaign, data)
    produced.warnings = warnings
    return produced


def _returns_folder(consolidated: Path) -> Path | None:
    """The returns folder a consolidated workbook was merged from (its manifest says), if still there."""
    import json

    from parcli.manifest import manifest_path

    try:
        record = json.loads(manifest_path(consolidated).read_text(encoding="utf-8"))
        folder = Path(record["options"]["returns_dir"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return folder if folder.is_dir() else None


def _at_consolidated_round(campaign: Campaign, data: Consolidated, asked: str | None) -> Campaign:
    """The campaign at the consolidated workbook's round; a round asked for that is not the workbook's is refused."""
    from parcli.errors import ConsolidatedError

    merged = data.round_id
    if merged is None or merged == campaign.round_id:
        return campaign
    if asked is not None:
        raise ConsolidatedError(
            f"Bảng tổng hợp được lập cho đợt “{merged}”, không phải đợt “{asked}” (--round). "
            "Đề nghị dùng bảng tổng hợp của đúng đợt."
        )
    return campaign.at_round(merged)


def _collect_appraisals(
    plan: ReportPlan, campaign: Campaign, consolidated: Consolidated
) -> tuple[Consolidated, AppraisalCollection | None]:
    """The consolidated data checked against the campaign, and the appraisal workbooks of ``--appraisals``."""
    from parcli.results.consolidated import consolidated_for

    if plan.appraisals is None:
        return consolidated, None
    from parcli.results.appraisal import collect_for_consolidated

    consolidated = consolidated_for(campaign, consolidated, " Chọn đúng kế hoạch với --campaign.")
    return consolidated, collect_for_consolidated(campaign, consolidated, plan.appraisals)


def _remedy_sections(
    plan: ReportPlan,
    campaign: Campaign,
    year_end: Consolidated,
    appraised: AppraisalCollection | None = None,
    last_year: tuple[Consolidated, dict[str, str | None] | None] | None = None,
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, RemedyCollection | None]:
    """The remedy sections and the remedy plans read, when asked for.

    (the preliminary round against this one with ``--preliminary``, last year's
    result against this one with ``--previous``, the plans of ``--remedies``).
    Without ``--preliminary`` the plans are read at the round before the last
    (the one remedy plans are issued from), and nobody is told silent.  The
    year-end scores are the final ones: appraised where ``appraised`` (the
    appraisal workbooks of ``--appraisals``) has a score, as in the rest of the report.
    """
    if plan.remedies is not None and plan.preliminary is None and plan.previous is None:
        raise UsageError(
            "--remedies cần kèm --preliminary (bảng tổng hợp của đợt sơ bộ) hoặc --previous (bảng tổng hợp năm "
            "trước). Đề nghị chỉ rõ bảng tổng hợp để so sánh."
        )
    if plan.preliminary is None and plan.previous is None:
        return None, None, None
    from parcli.results.consolidated import consolidated_for, load_consolidated
    from parcli.results.remedy import lost_items, recovery

    prelim = None
    at_prelim = campaign
    if plan.preliminary is not None:
        prelim = load_consolidated(plan.preliminary)
        at_prelim = campaign.at_round(prelim.round_id) if prelim.round_id else campaign
        prelim = consolidated_for(at_prelim, prelim)
    elif len(campaign.rounds) > 1:
        at_prelim = campaign.at_round(campaign.rounds[-2].id)
    plans = None
    if plan.remedies is not None:
        from parcli import clock
        from parcli.rounds.remedy.issue import plan_remedies
        from parcli.rounds.remedy.merge import collect_remedies

        expected = None
        if prelim is not None:  # the departments issued a plan
            expected = [dept for dept, _ in plan_remedies(at_prelim, lost_items(at_prelim, prelim))]
        # overdue as of the report's own date (the campaign's report date), never the day the command ran
        day = plan.today or campaign.documents.report_date or clock.today()
        plans = collect_remedies(at_prelim, plan.remedies, day, expected)
    year_end = consolidated_for(campaign, year_end)
    if appraised is not None:
        from parcli.results.appraisal import with_appraisals

        year_end = with_appraisals(year_end, appraised)
    section = recovery(at_prelim, prelim, year_end, plans) if prelim is not None else None
    against = None
    if last_year is not None:
        from parcli.results.remedy_previous import against_previous

        against = against_previous(campaign, last_year[0], year_end, last_year[1], plans)
    return section, against, plans


def _read_last_year(plan: ReportPlan) -> tuple[Consolidated, dict[str, str | None] | None] | None:
    """``--previous`` and ``--mapping``, read once for every part of the report that uses them."""
    if plan.previous is None:
        return None
    from parcli.results.report import read_last_year

    return read_last_year(plan.previous, plan.mapping)


def _produce_province(plan: ReportPlan, campaign: Campaign, consolidated: Consolidated) -> ProducedReport:
    from parcli.results.report import build_report, render_report

    consolidated, found = _collect_appraisals(plan, campaign, consolidated)
    last_year = _read_last_year(plan)
    remedy, against, plans = _remedy_sections(plan, campaign, consolidated, found, last_year)
    data = build_report(
        campaign,
        consolidated,
        survey=plan.survey,
        previous=plan.previous,
        today=plan.today,
        appraisals=plan.appraisals,
        collected=found,
        mapping=plan.mapping,
        remedy=remedy,
        remedy_previous=against,
        last_year=last_year,
    )
    render_report(data, plan.out, plan.templates)
    _write_manifest(
        plan, campaign, data.context["generated"], previous=plan.previous, appraisals=data.appraisals, remedies=plans
    )
    return ProducedReport(plan=plan, campaign=campaign, report=data, appraisals=data.appraisals)


def _produce_ranking(plan: ReportPlan, campaign: Campaign, consolidated: Consolidated) -> ProducedReport:
    from parcli.results.ranking import build_ranking, render_ranking, write_unit_sheets

    consolidated, found = _collect_appraisals(plan, campaign, consolidated)
    last_year = _read_last_year(plan)
    remedy, against, plans = _remedy_sections(plan, campaign, consolidated, found, last_year)
    before = None
    if last_year is not None:
        from parcli.results.remedy_previous import previous_units

        before = previous_units(campaign, last_year[0])
    context = build_ranking(
        campaign,
        consolidated,
        today=plan.today,
        survey=plan.survey,
        appraisals=found,
        remedy=remedy,
        remedy_previous=against,
        previous=before,
    )
    render_ranking(context, plan.out, plan.templates)
    _write_manifest(plan, campaign, context["generated"], previous=plan.previous, appraisals=found, remedies=plans)
    produced = ProducedReport(plan=plan, campaign=campaign, ranking=context, appraisals=found)
    if plan.unit_sheets is not None:
        fmt = "md" if plan.out.suffix.lower() == ".md" else "html"
        produced.unit_sheets = write_unit_sheets(context, plan.unit_sheets, fmt, plan.templates)
    return produced


def _write_manifest(
    plan: ReportPlan,
    campaign: Campaign,
    generated: date,
    *,
    previous: Path | None,
    appraisals: AppraisalCollection | None = None,
    remedies: RemedyCollection | None = None,
) -> None:
    """The report's manifest: its inputs with their hashes (appraisal and remedy workbooks too), the day, the folders.

    The preliminary round's consolidated workbook is the input ``preliminary``; each remedy workbook ``remedy``.
    """
    from parcli.manifest import write_manifest
    from parcli.results.report import report_inputs

    write_manifest(
        plan.out,
        "report",
        campaign,
        report_inputs(
            plan.consolidated,
            plan.survey,
            previous,
            plan.templates,
            plan.out,
            appraisals,
            preliminary=plan.preliminary,
            remedies=remedies,
            mapping=plan.mapping if previous is not None else None,
        ),
        {
            "today": generated.isoformat(),
            "round": campaign.round_id,
            "templates": str(plan.templates.resolve()) if plan.templates else None,
            "appraisals": str(plan.appraisals.resolve()) if plan.appraisals else None,
            "remedies": str(plan.remedies.resolve()) if plan.remedies else None,
        },
    )
