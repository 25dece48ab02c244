"""``parcli result import`` and ``parcli result compare``: the Ministry's appraisal, recorded and compared.

:func:`import_result` reads the Ministry's workbook against the campaign's catalogue (through a code
mapping when the catalogue changed) and writes parcli's result workbook; the Ministry's file is only
read.  :func:`compare` sets that result against the year-end consolidated workbook (and the province's
appraisal workbooks) and writes the comparison.  Next year's remedy plans (:func:`next_year_lost`, for
``parcli remedy issue --result``) and next year's report (:func:`last_year_of`, for ``parcli report
--previous``) read the result through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.errors import InputNotFoundError, OutputError, UsageError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.results.consolidated import Consolidated
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.ministry.own import MinistryResult
    from parcli.rounds.ministry.read import MinistryImport
    from parcli.rounds.ministry.write import FieldFigures
    from parcli.rounds.remedy.issue import LostItem

DEFAULT_RESULT = Path("ket-qua-bo-noi-vu.xlsx")
DEFAULT_COMPARISON = Path("so-sanh-ket-qua.docx")
_AGAIN = "Đề nghị chọn tên khác với --out hoặc chuyển tệp đó đi."


@dataclass(frozen=True)
class ImportRequest:
    """``result import``: the Ministry's workbook, the result workbook to write, the code mapping."""

    source: Path
    out: Path = DEFAULT_RESULT
    campaign: Path | None = None
    mapping: Path | None = None
    json_out: Path | None = None


@dataclass
class Imported(JobResult):
    """The Ministry's workbook as read, and the figures per field written (nothing when no table was found)."""

    campaign: Campaign | None = None
    imported: MinistryImport | None = None
    fields: list[FieldFigures] = field(default_factory=list)


def import_result(request: ImportRequest, listener: Listener = SILENT) -> Imported:
    """Read the Ministry's result and write parcli's result workbook (not when no table could be read).

    ``ok`` is False when the Ministry's workbook has an error (an unknown code, a maximum unlike the
    catalogue's, points above the maximum, an item absent…): the workbook is still written.
    """
    from parcli import clock
    from parcli.files import sha256_file, stamp_if_exists
    from parcli.rounds.ministry.own import result_kind
    from parcli.rounds.ministry.read import read_ministry
    from parcli.rounds.ministry.write import write_result

    source, out = request.source, request.out
    if not source.is_file():
        raise InputNotFoundError(f"Không tìm thấy tệp kết quả của Bộ {source}.")
    camp = _province_campaign(load.campaign(request.campaign, None, listener))
    warnings = load.guard(
        listener, inputs=[*load.campaign_files(camp), source, request.mapping], files=[out, request.json_out]
    )
    codes = _mapping(request.mapping, listener)
    read = stamp_if_exists(out)
    if read is not None and not result_kind(out):
        raise OutputError(f"Tệp {out} đã có và không phải bảng kết quả do parcli ghi ra; parcli không ghi đè. {_AGAIN}")
    imported = read_ministry(source, camp.catalogue, codes)
    produced = Imported(ok=imported.errors == 0, warnings=warnings, campaign=camp, imported=imported)
    if imported.usable:
        mapped = (request.mapping.name, sha256_file(request.mapping)) if request.mapping is not None else None
        produced.fields = write_result(camp, imported, out, mapping=mapped, created=clock.now(), read=read)
        produced.outputs = [out]
    unverified, nodes = camp.catalogue.verification()
    if unverified and any(p.slug == "result-max-differs" for p in imported.problems):
        listener.warn(
            f"Bộ tiêu chí còn {unverified}/{nodes} mục chưa đối chiếu với văn bản chính thức: điểm tối đa khác với "
            "bảng của Bộ thường do bộ tiêu chí tạm tính. Đề nghị sửa bộ tiêu chí (parcli catalogue export/import)."
        )
    produced.document = _import_json(camp, imported, produced.fields, produced.outputs)
    return produced


def _province_campaign(camp: Campaign) -> Campaign:
    if camp.is_units:
        raise UsageError(
            "Kết quả thẩm định của Bộ Nội vụ là kết quả của tỉnh: kế hoạch chấm điểm các đơn vị (each-unit-scores) "
            "không dùng được. Đề nghị chỉ rõ kế hoạch cấp tỉnh bằng -c."
        )
    return camp


def _mapping(path: Path | None, listener: Listener) -> dict[str, str | None] | None:
    """The code mapping (``ma_cu,ma_moi``), read once; its reading notes said."""
    if path is None:
        return None
    from parcli.catalogue_table.diff import read_mapping

    notes: list[str] = []
    codes = read_mapping(path, notes)
    for note in notes:
        listener.warn(note)
    return codes


def _import_json(
    camp: Campaign, imported: MinistryImport, figures: list[FieldFigures], outputs: list[Path]
) -> dict[str, Any]:
    leaves = camp.catalogue.leaf_by_code
    return {
        "campaign": camp.id,
        "source": {"file": imported.file, "sha256": imported.sha256},
        "granularity": imported.granularity if imported.usable else None,
        "sheets": {"items": imported.item_sheet or None, "fields": imported.field_sheet or None},
        "items": {
            "read": sum(
                1
                for i in imported.items.values()
                if i.appraised is not None and i.code not in imported.rejected and leaves[i.code].is_self
            ),
            "refused": sorted(imported.rejected),
            "catalogue": sum(1 for leaf in camp.catalogue.leaves if leaf.is_self),
        },
        "fields": [
            {
                "code": f.code,
                "self_max": f.self_max,
                "appraised": f.appraised,
                "survey_max": f.survey_max,
                "survey": f.survey,
                "total": f.total,
                "source": f.source,
            }
            for f in figures
        ],
        "written": str(outputs[0]) if outputs else None,
        "errors": imported.errors,
        "warnings": imported.warnings,
        "problems": [p.to_dict() for p in imported.problems],
    }


# --- the comparison ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRequest:
    """``result compare``: the year-end consolidated workbook, the result workbook, the comparison to write."""

    consolidated: Path
    result: Path
    out: Path = DEFAULT_COMPARISON
    campaign: Path | None = None
    appraisals: Path | None = None  # the province's appraisal workbooks (else the consolidated workbook's)
    json_out: Path | None = None
    templates: Path | None = None
    today: date | None = None


@dataclass
class Compared(JobResult):
    """The comparison (plain data, the ``--json`` document) and the appraisal workbooks read."""

    comparison: dict[str, Any] | None = None
    appraisals: AppraisalCollection | None = None


def compare(request: CompareRequest, listener: Listener = SILENT) -> Compared:
    """Compare the Ministry's result with the province's figures and write the comparison (.docx, .html, .md, .xlsx).

    ``ok`` is False when the result was imported with errors, lacks an item the province scored, or the
    appraisal workbooks have errors (the comparison is still written).
    """
    from parcli import clock
    from parcli.manifest import manifest_path
    from parcli.results.compare import compare as compare_figures
    from parcli.results.compare import context, render_comparison

    out = request.out
    if out.suffix.lower() != ".xlsx":
        from parcli.render import output_format

        output_format(out)  # a usage error for anything but .docx, .html, .md
    camp, data = load.campaign_of(request.consolidated, request.campaign, None, listener)
    _province_campaign(camp)
    if camp.rounds and camp.round_id != camp.rounds[-1].id:
        raise UsageError(
            f"Bảng tổng hợp {request.consolidated.name} là của đợt “{camp.round_title}”; kết quả của Bộ so sánh với "
            "bảng tổng hợp cả năm. Đề nghị chỉ đúng bảng tổng hợp đợt cuối."
        )
    warnings = load.guard(
        listener,
        inputs=[
            request.consolidated,
            *load.campaign_files(camp),
            request.result,
            request.appraisals,
            request.templates,
        ],
        files=[out, manifest_path(out), request.json_out],
    )
    result = _result_of(camp, request.result, listener)
    unverified, nodes = camp.catalogue.verification()
    if unverified:  # the officer's caveat, not the reader's: on the terminal and in the manifest
        listener.warn(
            f"Bộ tiêu chí dùng để chấm có {unverified}/{nodes} mục chưa được đối chiếu với văn bản chính thức (tạm "
            "tính): số liệu so sánh phụ thuộc vào bộ tiêu chí đó. Đề nghị đối chiếu trước khi trình ký."
        )
    found = None
    if request.appraisals is not None:
        from parcli.results.appraisal import with_appraisals

        found = load.appraisals_of(camp, data, request.appraisals)
        data = with_appraisals(data, found)
    comparison = compare_figures(camp, data, result)
    day = request.today or clock.today()
    values = context(camp, comparison, consolidated=request.consolidated, appraisals=request.appraisals, today=day)
    if out.suffix.lower() == ".xlsx":
        from parcli.results.compare_write import write_comparison_xlsx

        write_comparison_xlsx(values, out, clock.now())
    else:
        render_comparison(values, out, request.templates)
    _compare_manifest(request, camp, found, day, result)
    ok = result.errors == 0 and not comparison["absent"] and (found is None or found.ok)
    outputs = [out, manifest_path(out)]
    produced = Compared(ok=ok, outputs=outputs, warnings=warnings, document=comparison, comparison=comparison)
    produced.appraisals = found
    return produced


def _compare_manifest(
    request: CompareRequest, camp: Campaign, found: AppraisalCollection | None, day: date, result: MinistryResult
) -> None:
    """The comparison's manifest: the consolidated workbook, the result workbook, the appraisal workbooks and
    the template, each with its hash, and the day, so that the comparison can be checked and made again.

    Roles: ``consolidated``, ``ministry-result``, ``appraisal`` (each workbook), ``template``.  What the
    officer checks and the reader of the comparison need not (the Ministry's own file and its hash, the
    rounding rule) is in ``options.notes``, not on the document's pages.
    """
    from parcli.manifest import file_entry, write_manifest
    from parcli.numbers import ROUNDING_RULE

    entries = [
        file_entry(request.consolidated, role="consolidated"),
        file_entry(request.result, role="ministry-result"),
    ]
    if found is not None:
        entries.extend(found.manifest_inputs())
    if request.out.suffix.lower() != ".xlsx":
        from parcli.render import find_template, output_format, template_name
        from parcli.results.compare import TEMPLATE

        template = find_template(template_name(TEMPLATE, output_format(request.out)), request.templates)
        entries.append(file_entry(template, role="template"))
    options = {
        "today": day.isoformat(),
        "appraisals": str(request.appraisals.resolve()) if request.appraisals else None,
        "templates": str(request.templates.resolve()) if request.templates else None,
        "notes": {
            "rounding_rule": ROUNDING_RULE,
            "catalogue_unverified": "{}/{}".format(*camp.catalogue.verification()),
            "ministry_source": {"file": result.source_file, "sha256": result.source_sha256},
        },
    }
    write_manifest(request.out, "result-compare", camp, entries, options)


def _result_of(camp: Campaign, path: Path, listener: Listener) -> MinistryResult:
    """The result workbook, which must be this campaign's, imported with its catalogue."""
    from parcli.rounds.ministry.own import load_result

    result = load_result(path)
    if result.campaign_id != camp.id:
        raise UsageError(
            f"Bảng kết quả {path.name} được nhập cho đợt “{result.campaign_id}”, không phải “{camp.id}”. Đề nghị chỉ "
            "đúng bảng kết quả của năm này (hoặc nhập lại bằng parcli result import -c)."
        )
    if result.catalogue_hash != camp.catalogue.content_hash:
        raise UsageError(
            f"Bảng kết quả {path.name} được nhập theo một phiên bản bộ tiêu chí khác với bộ tiêu chí của kế hoạch. "
            "Đề nghị nhập lại kết quả của Bộ bằng parcli result import với kế hoạch hiện tại."
        )
    if result.errors:
        listener.warn(
            f"Bảng kết quả {path.name} có {result.errors} lỗi khi nhập (xem trang Vấn đề): các mục lỗi không có điểm "
            "của Bộ và không được so sánh."
        )
    return result


# --- the result as next year's input ---------------------------------------------------------------------


def last_year_of(previous: Path, mapping: Path | None) -> tuple[Consolidated, dict[str, str | None] | None]:
    """Last year's figures for ``report --previous``: a consolidated workbook, or the Ministry's result.

    The result gives each item's self-assessed points as the Ministry recorded them and its appraised
    points; items without a figure of the Ministry are left out.
    """
    from parcli.rounds.ministry.own import load_result, result_kind

    if not previous.is_file() or not result_kind(previous):
        return load.last_year(previous, mapping)
    from parcli.config.campaign import PROVINCE_SCOPE
    from parcli.results.consolidated import Consolidated, ConsolidatedItem

    result = load_result(previous)
    if not result.by_items:
        raise UsageError(
            f"Bảng kết quả {previous.name} chỉ có điểm theo lĩnh vực; so sánh với năm trước cần điểm từng tiêu chí "
            "thành phần. Đề nghị nhập bảng kết quả theo tiêu chí thành phần từ phần mềm của Bộ, hoặc dùng bảng tổng "
            "hợp năm trước."
        )
    rows = {
        code: ConsolidatedItem(
            code=code,
            max_points=i.max_points,
            scored_by=i.scored_by,
            score=i.self_score if i.self_score is not None else i.appraised,
            not_applicable=i.not_applicable,
            appraised=i.appraised,
            appraisal_note=i.note,
            explanation=i.unit_note,
            evidence="",
            status=i.status,
            file=previous.name,
        )
        for code, i in result.items.items()
        if i.appraised is not None or i.not_applicable
    }
    data = Consolidated(path=previous, metadata={"campaign_id": result.campaign_id}, rows={PROVINCE_SCOPE: rows})
    return data, _mapping(mapping, SILENT)


def next_year_lost(
    result_path: Path,
    campaign_path: Path | None,
    round_id: str | None,
    mapping: Path | None,
    listener: Listener = SILENT,
) -> tuple[Campaign, list[LostItem]]:
    """Next year's campaign (at the round its remedy plans belong to) and the items the Ministry did not accept.

    An item was not accepted when its appraised points are below the self-assessed points the Ministry
    recorded (below its maximum when the Ministry's table had no self-assessed points).  Its code is
    this year's (through ``mapping``), its owner this year's department; the points are last year's.
    """
    from parcli.config.campaign import PROVINCE_SCOPE
    from parcli.rounds.ministry.own import load_result
    from parcli.rounds.remedy.issue import LostItem

    camp = _province_campaign(load.campaign(campaign_path, round_id, listener))
    if round_id is None and len(camp.rounds) > 1:
        camp = load.preliminary_round(camp)
        listener.note(f"Kế hoạch khắc phục thuộc đợt: {camp.round_title} ({camp.round_id})")
    result = load_result(result_path)
    if result.campaign_id == camp.id:
        raise UsageError(
            f"Bảng kết quả {result_path.name} là kết quả năm {result.year} của chính kế hoạch {camp.id}. Kế hoạch khắc "
            f"phục sau kết quả của Bộ là việc của năm sau: đề nghị chỉ rõ kế hoạch đánh giá năm {_next(result.year)} "
            "bằng -c (và tệp đối chiếu mã bằng --mapping nếu bộ tiêu chí đã thay đổi)."
        )
    if not result.by_items:
        raise UsageError(
            f"Bảng kết quả {result_path.name} chỉ có điểm theo lĩnh vực; kế hoạch khắc phục cần điểm từng tiêu chí "
            "thành phần. Đề nghị nhập bảng kết quả theo tiêu chí thành phần từ phần mềm của Bộ."
        )
    codes = _mapping(mapping, listener)
    if codes is None and result.catalogue_hash != camp.catalogue.content_hash:
        listener.warn(
            f"Bộ tiêu chí của {camp.id} khác bộ tiêu chí của kết quả năm {result.year}; mỗi mã được hiểu là cùng một "
            "mục ở hai năm. Nếu mã đã đổi, đề nghị dùng --mapping (tệp đối chiếu mã của parcli catalogue diff)."
        )
    found: dict[str, LostItem] = {}
    apart: list[str] = []
    for code, item in result.items.items():
        basis = item.self_score if result.has_self and item.self_score is not None else item.max_points
        if item.scored_by != "self" or item.appraised is None or item.appraised >= basis:
            continue
        new = (codes.get(code) if code in codes else None) if codes is not None else code
        owner = camp.owner_of.get(new or "")
        if new is None or owner is None or new in found:
            apart.append(code)
            continue
        note = f"Bộ Nội vụ: {item.note}" if item.note else ""
        title = camp.catalogue.leaf_by_code[new].title
        found[new] = LostItem(PROVINCE_SCOPE, new, title, item.max_points, item.appraised, note, owner)
    if apart:
        listener.warn(
            f"{len(apart)} mục không được công nhận điểm năm {result.year} không có mục tương ứng năm nay (hoặc không "
            f"có trong tệp đối chiếu mã), không đưa vào kế hoạch khắc phục: {', '.join(apart)}."
        )
    order = {leaf.code: i for i, leaf in enumerate(camp.catalogue.leaves)}
    return camp, sorted(found.values(), key=lambda lost: order[lost.code])


def _next(year: str) -> str:
    return str(int(year) + 1) if year.isdigit() else "sau"
