"""``parcli status``: who returned what, when, valid or not, on time or late, days left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener, appraisal_json

if TYPE_CHECKING:
    from parcli.results.status import StatusTable
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult


@dataclass(frozen=True)
class StatusRequest:
    """The returns folder, the day the status is taken on, and the optional appraisal folder."""

    returns_dir: Path
    today: date
    campaign: Path | None = None
    round: str | None = None
    json_out: Path | None = None
    pick: tuple[str, ...] = ()
    appraisals: Path | None = None


@dataclass
class Status(JobResult):
    """The returns as read, their status table, and the appraisals' problems when asked for."""

    merged: MergeResult | None = None
    table: StatusTable | None = None
    appraisals: AppraisalCollection | None = None


def status(request: StatusRequest, listener: Listener = SILENT) -> Status:
    """Read the returns and tabulate each department's status on ``request.today`` (nothing is written)."""
    from parcli.results.status import status_table

    camp = load.campaign(request.campaign, request.round, listener)
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), request.returns_dir, request.appraisals],
        files=[request.json_out],
    )
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    found = load.appraisals(merged, request.appraisals) if request.appraisals is not None else None
    table = status_table(merged, request.today)
    return Status(
        ok=merged.ok and (found is None or found.ok),
        warnings=warnings,
        document={"campaign": camp.id, **table.to_dict(), **appraisal_json(found)},
        merged=merged,
        table=table,
        appraisals=found,
    )
