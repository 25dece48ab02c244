"""``parcli report``: the province report, or the ranking of units, from a consolidated workbook.

:func:`report` settles the request (given, or replayed from an earlier report's
manifest), reads every input once through :mod:`parcli.jobs.load` — the
consolidated workbook with its campaign at its round, the appraisal workbooks,
last year's result and code mapping, the preliminary round and the remedy
plans — then makes the province report or, for an each-unit-scores campaign,
the ranking and the optional unit sheets, and writes the manifest that lets the
same report be made again.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import UsageError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.results.consolidated import Consolidated
    from parcli.results.report import ReportData
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.remedy.merge import RemedyCollection

DEFAULT_REPORT = Path("bao-cao.docx")
CATALOGUE_NOTE = (
    "Bộ tiêu chí dùng để chấm có {unverified}/{nodes} mục chưa được đối chiếu với văn bản chính thức (tạm tính): "
    "số liệu của báo cáo phụ thuộc vào bộ tiêu chí đó. Đề nghị đối chiếu trước khi trình ký."
)


def submission_paths(out: Path, ranking: bool = False) -> tuple[Path, Path]:
    """Beside the report: the Tờ trình and the draft the People's Committee signs (its report, or the Quyết định)."""
    draft = "-du-thao-quyet-dinh.docx" if ranking else "-du-thao-bao-cao-ubnd.docx"
    return out.with_name(out.stem + "-to-trinh.docx"), out.with_name(out.stem + draft)


@dataclass(frozen=True)
class ReportRequest:
    """What a report is made from, as the command line gives it (or a manifest recorded it)."""

    consolidated: Path | None = None
    campaign: Path | None = None  # None: the campaign the consolidated workbook recorded
    out: Path | None = None  # None: the recorded output when replayed, else bao-cao.docx
    survey: Path | None = None
    previous: Path | None = None  # last year's consolidated workbook
    mapping: Path | None = None  # old code → new code, when last year's catalogue is another version
    templates: Path | None = None
    unit_sheets: Path | None = None
    manifest: Path | None = None  # replay the inputs an earlier report recorded
    today: date | None = None
    appraisals: Path | None = None
    round: str | None = None  # the campaign's round; None: the consolidated workbook's (else the last)
    preliminary: Path | None = None  # the preliminary round's consolidated workbook (the remedy section)
    remedies: Path | None = None  # the folder of remedy plans (the remedy section's remedies and progress)
    submission: bool = False  # also the Tờ trình and the People's Committee's draft (docx only)


@dataclass
class Inputs:
    """Every input of a report, read once."""

    campaign: Campaign
    data: Consolidated  # this round's consolidated workbook, checked against the campaign
    appraisals: AppraisalCollection | None = None
    survey: dict[str, Decimal] | None = None  # the survey scores (province)
    unit_survey: dict[str, dict[str, Decimal]] | None = None  # the survey scores per unit (each-unit-scores)
    last_year: tuple[Consolidated, dict[str, str | None] | None] | None = None
    remedies: RemedyCollection | None = None
    remedy: dict[str, Any] | None = None  # the section against the preliminary round
    remedy_previous: dict[str, Any] | None = None  # the section against last year


@dataclass
class Reported(JobResult):
    """What was written: the province report (``report``) or the ranking (``ranking``) and unit sheets."""

    request: ReportRequest = field(default_factory=ReportRequest)
    campaign: Campaign | None = None
    report: ReportData | None = None
    ranking: dict[str, Any] | None = None
    unit_sheets: list[Path] = field(default_factory=list)
    appraisals: AppraisalCollection | None = None  # the appraisal workbooks read (``--appraisals``)
    submission: list[Path] = field(default_factory=list)  # the Tờ trình and the draft the Committee signs

    @property
    def out(self) -> Path:
        """The report written."""
        return self.request.out or DEFAULT_REPORT


def report(request: ReportRequest, listener: Listener = SILENT) -> Reported:
    """Make the report a request asks for and write its manifest.

    A province campaign gets the province report; an each-unit-scores campaign
    the ranking report and, with ``unit_sheets``, one result sheet per unit.
    """
    from parcli.config.campaign import refuse_placeholders
    from parcli.manifest import manifest_path
    from parcli.render import output_format

    replay = request.manifest
    if replay is not None:
        request = _replayed(request, replay)
    consolidated = request.consolidated
    if consolidated is None:
        raise UsageError("Cần chỉ ra bảng tổng hợp (CONSOLIDATED) hoặc --manifest.")
    if request.mapping is not None and request.previous is None:
        raise UsageError("--mapping chỉ dùng kèm --previous (bảng tổng hợp năm trước).")
    if request.remedies is not None and request.preliminary is None and request.previous is None:
        raise UsageError(
            "--remedies cần kèm --preliminary (bảng tổng hợp của đợt sơ bộ) hoặc --previous (bảng tổng hợp năm "
            "trước). Đề nghị chỉ rõ bảng tổng hợp để so sánh."
        )
    out = request.out or DEFAULT_REPORT
    request = replace(request, out=out)
    if output_format(out) != "docx" and request.submission:
        raise UsageError("--to-trinh chỉ dùng với báo cáo Word (.docx).")
    if replay is not None:
        listener.note(f"Tạo lại báo cáo từ {replay.name}: dữ liệu đầu vào không thay đổi.")
    camp, data = load.campaign_of(consolidated, request.campaign, request.round, listener)
    refuse_placeholders(camp)
    warnings = load.guard(
        listener,
        inputs=[
            consolidated,
            camp.path,
            request.survey,
            request.previous,
            request.mapping,
            request.templates,
            request.appraisals,
            request.preliminary,
            request.remedies,
            request.manifest,
            _returns_folder(consolidated),
        ],
        files=[out, manifest_path(out), *(submission_paths(out, camp.is_units) if request.submission else ())],
        dirs=[request.unit_sheets],
    )
    unverified, nodes = camp.verification()
    if unverified:  # the officer's caveat, never the Committee's: on the terminal and in the manifest
        listener.warn(CATALOGUE_NOTE.format(unverified=unverified, nodes=nodes))
    if not camp.is_units:
        from parcli.results.letters import CRITERIA_TO_FILL, criteria_cited

        if not criteria_cited(camp):
            listener.warn(
                f"Bộ tiêu chí chưa ghi văn bản căn cứ (decision: “{camp.catalogue.model.decision}”): báo cáo ghi "
                f"“{CRITERIA_TO_FILL}” để điền tay. Đề nghị ghi số, ngày quyết định của Bộ Nội vụ áp dụng cho năm "
                f"{camp.model.year} vào trường decision của bộ tiêu chí."
            )
    inputs = _read_inputs(request, camp, data, listener)
    produced = _ranking(request, inputs) if camp.is_units else _province(request, inputs)
    produced.warnings = warnings
    produced.outputs = [out, manifest_path(out), *produced.unit_sheets, *produced.submission]
    produced.ok = inputs.appraisals is None or inputs.appraisals.ok
    return produced


def _replayed(request: ReportRequest, manifest: Path) -> ReportRequest:
    """The inputs recorded in an earlier report's manifest (its hashes are checked when it is loaded).

    The output and the unit-sheet folder stay as given (the output defaults to the recorded one).
    """
    from parcli.manifest import load_manifest, option_date

    record = load_manifest(manifest)
    if record.get("kind") != "report":
        raise UsageError(f"{manifest.name} là manifest của lệnh {record.get('kind')}, không phải report.")
    roles = {e.get("role"): Path(e["path"]) for e in record["inputs"]}
    if "consolidated" not in roles:
        from parcli.manifest import ManifestError

        raise ManifestError(
            f"Manifest {manifest.name} không ghi bảng tổng hợp đã dùng (mục inputs thiếu vai trò consolidated). "
            "Đề nghị dùng đúng tệp .manifest.json do parcli ghi ra (không sửa tay), hoặc lập lại báo cáo từ dữ liệu "
            "gốc."
        )
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


def _read_inputs(request: ReportRequest, camp: Campaign, data: Consolidated, listener: Listener) -> Inputs:
    """Read every input the request names, once, and compute the remedy sections it asks for.

    The year-end scores of the remedy sections are the final ones: appraised where the
    appraisal workbooks have a score, as in the rest of the report.  Without
    ``--preliminary`` the remedy plans are read at the round before the last (the one
    they are issued from), and nobody is told silent.
    """
    inputs = Inputs(camp, data)
    if request.survey is not None:
        if camp.is_units:
            inputs.unit_survey = load.unit_survey(camp, request.survey, listener)
        else:
            inputs.survey = load.survey(camp, request.survey, listener)
    if request.appraisals is not None:
        inputs.appraisals = load.appraisals_of(camp, data, request.appraisals)
    if request.previous is not None:  # last year's consolidated workbook, or the Ministry's result of last year
        from parcli.jobs.result import last_year_of

        inputs.last_year = last_year_of(request.previous, request.mapping)
    if request.preliminary is None and request.previous is None:
        return inputs
    from parcli.results.consolidated import consolidated_for
    from parcli.results.remedy import recovery

    prelim = None
    at_prelim = load.preliminary_round(camp)
    if request.preliminary is not None:
        prelim = load.consolidated(request.preliminary)
        load.check_earlier_round(camp, prelim, data)
        at_prelim = camp.at_round(prelim.round_id) if prelim.round_id else camp
        prelim = consolidated_for(at_prelim, prelim)
    if request.remedies is not None:
        from parcli import clock

        expected = load.remedy_owners(at_prelim, prelim) if prelim is not None else None
        # overdue as of the report's own date (the campaign's report date), never the day the command ran
        day = request.today or camp.documents.report_date or clock.today()
        inputs.remedies = load.remedies(at_prelim, request.remedies, day, expected)
    year_end = data
    if inputs.appraisals is not None:
        from parcli.results.appraisal import with_appraisals

        year_end = with_appraisals(year_end, inputs.appraisals)
    if prelim is not None:
        inputs.remedy = recovery(at_prelim, prelim, year_end, inputs.remedies)
    if inputs.last_year is not None:
        from parcli.results.remedy_previous import against_previous

        inputs.remedy_previous = against_previous(
            camp, inputs.last_year[0], year_end, inputs.last_year[1], inputs.remedies
        )
    return inputs


def _province(request: ReportRequest, inputs: Inputs) -> Reported:
    from parcli.results.report import build_report, render_report

    assert request.out is not None
    data = build_report(
        inputs.campaign,
        inputs.data,
        today=request.today,
        survey=inputs.survey,
        appraisals=inputs.appraisals,
        last_year=inputs.last_year,
        remedy=inputs.remedy,
        remedy_previous=inputs.remedy_previous,
    )
    render_report(data, request.out, request.templates)
    _write_manifest(request, inputs, data.context["generated"], data.context)
    produced = Reported(request=request, campaign=inputs.campaign, report=data, appraisals=inputs.appraisals)
    if request.submission:
        from parcli.results.ranking_words import submission_letter
        from parcli.results.report import committee_version, render_committee_draft

        letter, draft = submission_paths(request.out)
        _submit(inputs.campaign, submission_letter(inputs.campaign, data.context, ranking=False), letter, request)
        render_committee_draft(committee_version(inputs.campaign, data.context), data, draft, request.templates)
        produced.submission = [letter, draft]
    return produced


def _submit(camp: Campaign, letter: Any, out: Path, request: ReportRequest) -> None:
    """The Tờ trình, dated like the report (its text copy beside it)."""
    from parcli.results.letters import write_letters

    write_letters(camp, [(letter, out)], template_dir=request.templates, day=camp.documents.report_date)


def _ranking(request: ReportRequest, inputs: Inputs) -> Reported:
    from parcli.results.ranking import build_ranking, render_ranking, write_unit_sheets

    assert request.out is not None
    before = None
    if inputs.last_year is not None:
        from parcli.results.remedy_previous import previous_units

        before = previous_units(inputs.campaign, inputs.last_year[0])
    context = build_ranking(
        inputs.campaign,
        inputs.data,
        today=request.today,
        survey=inputs.unit_survey,
        appraisals=inputs.appraisals,
        remedy=inputs.remedy,
        remedy_previous=inputs.remedy_previous,
        previous=before,
    )
    render_ranking(context, request.out, request.templates)
    _write_manifest(request, inputs, context["generated"], context)
    produced = Reported(request=request, campaign=inputs.campaign, ranking=context, appraisals=inputs.appraisals)
    if request.submission:
        from parcli.render import render
        from parcli.results.ranking_words import decision_context, submission_letter

        letter, draft = submission_paths(request.out, ranking=True)
        _submit(inputs.campaign, submission_letter(inputs.campaign, context, ranking=True), letter, request)
        render("decision.docx", decision_context(inputs.campaign, context), draft, request.templates)
        produced.submission = [letter, draft]
    if request.unit_sheets is not None:
        fmt = "md" if request.out.suffix.lower() == ".md" else "html"
        produced.unit_sheets = write_unit_sheets(context, request.unit_sheets, fmt, request.templates)
    return produced


def _write_manifest(request: ReportRequest, inputs: Inputs, generated: date, context: dict[str, Any]) -> None:
    """The report's manifest: every input with its hash (appraisal and remedy workbooks too), the day, the folders.

    Roles: ``consolidated``, ``appraisal`` (each workbook), ``preliminary``, ``remedy`` (each plan),
    ``survey``, ``previous``, ``mapping``, ``template``.
    """
    from parcli.manifest import file_entry, write_manifest
    from parcli.render import find_template
    from parcli.results.report import TEMPLATES, report_format

    assert request.out is not None and request.consolidated is not None
    entries = [file_entry(request.consolidated, role="consolidated")]
    if inputs.appraisals is not None:
        entries.extend(inputs.appraisals.manifest_inputs())
    if request.preliminary is not None:
        entries.append(file_entry(request.preliminary, role="preliminary"))
    if inputs.remedies is not None:
        entries.extend(inputs.remedies.manifest_inputs())
    for role, path in (("survey", request.survey), ("previous", request.previous)):
        if path is not None:
            entries.append(file_entry(path, role=role))
    if request.mapping is not None and request.previous is not None:
        entries.append(file_entry(request.mapping, role="mapping"))
    template = find_template(TEMPLATES[report_format(request.out)], request.templates)
    entries.append(file_entry(template, role="template"))
    write_manifest(
        request.out,
        "report",
        inputs.campaign,
        entries,
        {
            "today": generated.isoformat(),
            "round": inputs.campaign.round_id,
            "templates": str(request.templates.resolve()) if request.templates else None,
            "appraisals": str(request.appraisals.resolve()) if request.appraisals else None,
            "remedies": str(request.remedies.resolve()) if request.remedies else None,
            # what the officer should know and the Committee need not read: not on the report's pages
            "notes": {
                "rounding_rule": context["rounding_rule"],
                "catalogue_unverified": f"{context['catalogue']['unverified']}/{context['catalogue']['nodes']}",
                "provisional": context["provisional_reasons"],
            },
        },
    )
