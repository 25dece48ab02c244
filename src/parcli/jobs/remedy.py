"""``parcli remedy issue`` and ``parcli remedy merge``: remedy plans for the items that lost points in a round."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli import clock
from parcli.errors import InputNotFoundError
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.rounds.remedy.issue import RemedyIssueResult
    from parcli.rounds.remedy.merge import RemedyCollection


@dataclass(frozen=True)
class RemedyIssueRequest:
    """``remedy issue``: the preliminary round's consolidated workbook (or the Ministry's result) and the folder."""

    consolidated: Path | None
    out: Path
    campaign: Path | None = None
    round: str | None = None
    result: Path | None = None  # the Ministry's result (parcli result import): next year's plans
    mapping: Path | None = None  # with ``result``: last year's codes → this year's


@dataclass
class RemedyIssued(JobResult):
    """The plans written, one per department with items that lost points."""

    issued: RemedyIssueResult | None = None


def issue(request: RemedyIssueRequest, listener: Listener = SILENT) -> RemedyIssued:
    """Write one remedy workbook per department with items that lost points (after appraisal where there is one).

    With ``result`` (and no consolidated workbook): next year's plans, for the items the Ministry did not
    accept (:func:`parcli.jobs.result.next_year_lost`), in the campaign given (next year's).
    """
    from parcli.errors import UsageError
    from parcli.results.remedy import lost_items
    from parcli.rounds.remedy.issue import issue_remedies

    if (request.result is None) == (request.consolidated is None):
        raise UsageError("Chỉ rõ bảng tổng hợp của đợt sơ bộ, hoặc kết quả của Bộ (--result), một trong hai.")
    if request.result is not None:
        from parcli.jobs.result import next_year_lost

        camp, lost = next_year_lost(request.result, request.campaign, request.round, request.mapping, listener)
        inputs = [*load.campaign_files(camp), request.result, request.mapping]
    else:
        assert request.consolidated is not None
        camp, data = load.campaign_of(request.consolidated, request.campaign, request.round, listener)
        lost, inputs = lost_items(camp, data), [*load.campaign_files(camp), request.consolidated]
    warnings = load.guard(listener, inputs=inputs, dirs=[request.out])
    issued = issue_remedies(camp, lost, request.out)
    return RemedyIssued(outputs=[w.path for w in issued.workbooks], warnings=warnings, issued=issued)


@dataclass(frozen=True)
class RemedyMergeRequest:
    """``remedy merge``: the plans' folder, the tracking workbook, the day overdue is judged on."""

    remedies_dir: Path
    out: Path
    today: date
    campaign: Path | None = None
    round: str | None = None
    preliminary: Path | None = None  # the consolidated workbook the plans were issued from
    json_out: Path | None = None
    pick: tuple[str, ...] = ()


@dataclass
class RemedyMerged(JobResult):
    """The plans as read and tracked."""

    found: RemedyCollection | None = None


def merge(request: RemedyMergeRequest, listener: Listener = SILENT) -> RemedyMerged:
    """Read every plan and write the tracking workbook; departments expected are those with lost points.

    The round is ``--round``, else the preliminary workbook's, else the round before the last.
    """
    from parcli.rounds.remedy.merge import write_tracking

    if not request.remedies_dir.is_dir():
        raise InputNotFoundError(f"Không tìm thấy thư mục {request.remedies_dir}.")
    expected = None
    if request.preliminary is not None:
        camp, data = load.campaign_of(request.preliminary, request.campaign, request.round, listener)
        expected = load.remedy_owners(camp, data)
    else:
        camp = load.campaign(request.campaign, request.round, listener)
        if request.round is None and len(camp.rounds) > 1:
            camp = load.preliminary_round(camp)
            listener.note(f"Kế hoạch khắc phục của đợt: {camp.round_title} ({camp.round_id})")
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), request.remedies_dir, request.preliminary],
        files=[request.out, request.json_out],
    )
    found = load.remedies(camp, request.remedies_dir, request.today, expected, list(request.pick))
    write_tracking(found, request.out, clock.now())
    return RemedyMerged(ok=found.ok, outputs=[request.out], warnings=warnings, document=found.as_dict(), found=found)
