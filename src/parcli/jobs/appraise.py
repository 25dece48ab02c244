"""``parcli appraise …``: issue appraisal workbooks, carry over an old consolidated workbook, notices, the record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.errors import InputNotFoundError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.rounds.appraisal.issue import IssueResult
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult


@dataclass(frozen=True)
class IssueRequest:
    """``appraise issue``: the returns to appraise, how to split the workbooks, the appraisal round (1 or 2)."""

    returns_dir: Path
    out: Path
    campaign: Path | None = None
    campaign_round: str | None = None  # the round of the campaign (rounds:), not the appraisal's
    by: str = "department"
    round: int = 1
    appraisals: Path | None = None  # round 2: where the round-1 workbooks are (default: ``out``)
    pick: tuple[str, ...] = ()


@dataclass
class Issued(JobResult):
    """The returns as read and the appraisal workbooks written."""

    merged: MergeResult | None = None
    issued: IssueResult | None = None
    round: int = 1
    appraisals: AppraisalCollection | None = None  # round 2: the round-1 workbooks read


def issue(request: IssueRequest, listener: Listener = SILENT) -> Issued:
    """Write one appraisal workbook per department (field, unit group) from the returns as they stand."""
    from parcli.rounds.appraisal.issue import issue_appraisals

    camp = load.campaign(request.campaign, request.campaign_round, listener)
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), request.returns_dir], dirs=[request.out])
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    prior = None
    found = None
    if request.round == 2:
        from parcli.results.appraisal import round1_prior

        found = _round1(merged, request.appraisals or request.out)
        prior = round1_prior(found)
    issued = issue_appraisals(
        camp, merged.returned_rows(), request.out, by=request.by, round_=request.round, prior=prior
    )
    return Issued(
        outputs=[w.path for w in issued.workbooks],
        warnings=warnings,
        merged=merged,
        issued=issued,
        round=request.round,
        appraisals=found,
    )


def _round1(merged: MergeResult, folder: Path) -> AppraisalCollection:
    """The round-1 appraisal workbooks round 2 is issued beside; refused when the folder holds none of this round."""
    from parcli.errors import UsageError

    camp = merged.campaign
    found = load.appraisals(merged, folder) if folder.is_dir() else None
    if found is not None and any(r.round_ == 1 and r.owner_id for r in found.results):
        return found
    read = ""
    if found is not None and found.results:
        read = f" (thư mục có {len(found.results)} tệp bảng tính nhưng không tệp nào là phiếu lần 1 của đợt này)"
    where = f"đợt “{camp.round_title}” của " if camp.round_id else ""
    raise UsageError(
        f"Không tìm thấy phiếu thẩm định lần 1 của {where}{camp.model.title} trong thư mục {folder}{read}. "
        "Phiếu thẩm định lần 2 ghi kèm kết quả lần 1, nên chưa phát hành. Đề nghị chỉ rõ thư mục phiếu thẩm "
        "định lần 1 bằng --appraisals."
    )


@dataclass(frozen=True)
class ImportRequest:
    """``appraise import``: an old consolidated workbook with appraisals typed into it."""

    old: Path
    out: Path
    campaign: Path | None = None


@dataclass
class Imported(JobResult):
    """The round-1 appraisal workbooks that carry what was typed."""

    issued: IssueResult | None = None


def import_(request: ImportRequest, listener: Listener = SILENT) -> Imported:
    """Carry the appraisals typed into an old consolidated workbook into round-1 appraisal workbooks, as typed."""
    from parcli.results.appraisal import import_consolidated

    camp = load.campaign(request.campaign, None, listener)
    if not request.old.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng tổng hợp {request.old}.")
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), request.old], dirs=[request.out])
    issued = import_consolidated(camp, request.old, request.out)
    return Imported(outputs=[w.path for w in issued.workbooks], warnings=warnings, issued=issued)


@dataclass(frozen=True)
class NoticesRequest:
    """``appraise notices``: the returns, the round-1 appraisals, the deadline for additional explanation."""

    returns_dir: Path
    appraisals: Path
    out: Path
    today: date
    campaign: Path | None = None
    campaign_round: str | None = None
    deadline: date | None = None
    templates: Path | None = None
    pick: tuple[str, ...] = ()
    round: int = 1  # 1: the round-1 result and the request for additional explanation; 2: the final result


@dataclass
class Notices(JobResult):
    """The returns and appraisals read, and one notice per department (id, path)."""

    campaign: Campaign | None = None
    merged: MergeResult | None = None
    appraisals: AppraisalCollection | None = None
    written: list[tuple[str, Path]] = field(default_factory=list)


def notices(request: NoticesRequest, listener: Listener = SILENT) -> Notices:
    """One notice per department with items appraised below its self-score (round 1, or the final round 2)."""
    from parcli.jobs.letters import CONTACT_MISSING
    from parcli.results.appraisal_letters import write_notices

    camp, warnings, merged, found = _appraised(request, listener, dirs=[request.out])
    written = write_notices(
        merged,
        found,
        request.out,
        deadline=request.deadline,
        today=request.today,
        template_dir=request.templates,
        round_=request.round,
    )
    if camp.documents.contact is None:
        listener.warn(CONTACT_MISSING)
    return Notices(
        ok=found.ok,
        outputs=[path for _, path in written],
        warnings=warnings,
        campaign=camp,
        merged=merged,
        appraisals=found,
        written=written,
    )


def _appraised(
    request: NoticesRequest | RecordRequest,
    listener: Listener,
    *,
    files: list[Path] | None = None,
    dirs: list[Path] | None = None,
) -> tuple[Campaign, list[str], MergeResult, AppraisalCollection]:
    """What a letter about the appraisal reads: the campaign (no placeholders), the returns and the appraisal
    workbooks; the outputs (``files``, ``dirs``) guarded against the inputs first."""
    from parcli.config.campaign import refuse_placeholders

    camp = load.campaign(request.campaign, request.campaign_round, listener)
    refuse_placeholders(camp)
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), request.returns_dir, request.appraisals, request.templates],
        files=files or [],
        dirs=dirs or [],
    )
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    return camp, warnings, merged, load.appraisals(merged, request.appraisals)


@dataclass(frozen=True)
class RecordRequest:
    """``appraise record``: the returns, the appraisal workbooks, the record's file and round."""

    returns_dir: Path
    appraisals: Path
    out: Path
    today: date
    campaign: Path | None = None
    campaign_round: str | None = None
    round: int = 1
    templates: Path | None = None
    pick: tuple[str, ...] = ()


@dataclass
class Recorded(JobResult):
    """The returns and appraisals read, and the record written."""

    merged: MergeResult | None = None
    appraisals: AppraisalCollection | None = None


def record(request: RecordRequest, listener: Listener = SILENT) -> Recorded:
    """The appraisal team's record (biên bản thẩm định) of a round: team, result per department, items lowered."""
    from parcli.results.appraisal_letters import write_record

    camp, warnings, merged, found = _appraised(request, listener, files=[request.out])
    write_record(merged, found, request.out, today=request.today, template_dir=request.templates, round_=request.round)
    if not camp.documents.appraisal_team:
        listener.warn(
            "Kế hoạch chưa ghi thành phần tổ thẩm định (documents.appraisal_team): biên bản để trống phần thành "
            "phần để điền tay."
        )
    return Recorded(ok=found.ok, outputs=[request.out], warnings=warnings, merged=merged, appraisals=found)
