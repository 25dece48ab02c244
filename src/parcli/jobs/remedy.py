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
    """``remedy issue``: the preliminary round's consolidated workbook and the folder for the plans."""

    consolidated: Path
    out: Path
    campaign: Path | None = None
    round: str | None = None


@dataclass
class RemedyIssued(JobResult):
    """The plans written, one per department with items that lost points."""

    issued: RemedyIssueResult | None = None


def issue(request: RemedyIssueRequest, listener: Listener = SILENT) -> RemedyIssued:
    """Write one remedy workbook per department with items that lost points (after appraisal where there is one)."""
    from parcli.results.remedy import lost_items
    from parcli.rounds.remedy.issue import issue_remedies

    camp, data = load.campaign_of(request.consolidated, request.campaign, request.round, listener)
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), request.consolidated], dirs=[request.out])
    issued = issue_remedies(camp, lost_items(camp, data), request.out)
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
