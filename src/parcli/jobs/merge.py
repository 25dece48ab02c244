"""``parcli merge``: every return of a folder, checked, into the consolidated workbook (and its manifest)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli import clock
from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener, appraisal_json

if TYPE_CHECKING:
    from parcli.results.feedback import FeedbackCopy
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult


@dataclass(frozen=True)
class MergeRequest:
    """What ``parcli merge`` reads and writes."""

    returns_dir: Path
    out: Path
    campaign: Path | None = None
    round: str | None = None
    json_out: Path | None = None
    pick: tuple[str, ...] = ()
    feedback: Path | None = None  # also write feedback copies there
    appraisals: Path | None = None  # the folder of appraisal workbooks


@dataclass
class Merged(JobResult):
    """The returns as merged, the appraisals read, what was carried into the workbook, the feedback copies."""

    merged: MergeResult | None = None
    appraisals: AppraisalCollection | None = None
    carried: int = 0  # items whose appraised score or note came from the appraisal workbooks
    feedback: list[FeedbackCopy] | None = None  # None: no feedback asked for
    unreadable: list[str] = field(default_factory=list)  # files too damaged for a feedback copy


def merge(request: MergeRequest, listener: Listener = SILENT) -> Merged:
    """Read the returns (and appraisals), write the consolidated workbook, its manifest and any feedback copies."""
    from parcli.manifest import manifest_path, write_manifest
    from parcli.results.consolidated_write import write_consolidated

    camp = load.campaign(request.campaign, request.round, listener)
    out = request.out
    warnings = load.guard(
        listener,
        inputs=[*load.campaign_files(camp), request.returns_dir, request.appraisals],
        files=[out, manifest_path(out), request.json_out],
        dirs=[request.feedback],
    )
    if request.feedback is not None:
        from parcli.results.feedback import check_feedback_dir

        check_feedback_dir(request.returns_dir, request.feedback)  # before anything is written
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    found = load.appraisals(merged, request.appraisals) if request.appraisals is not None else None
    stamp = clock.now()
    carried = write_consolidated(merged, out, appraisals=found.scores() if found else None, now=stamp)
    write_manifest(
        out,
        "merge",
        camp,
        merged.manifest_inputs() + (found.manifest_inputs() if found else []),
        {
            "returns_dir": str(request.returns_dir.resolve()),
            "appraisals_dir": str(request.appraisals.resolve()) if request.appraisals else None,
            "pick": list(request.pick),
            "appraised_items": carried,
        },
        now=stamp,
    )
    result = Merged(
        ok=merged.ok and (found is None or found.ok),
        outputs=[out, manifest_path(out)],
        warnings=warnings,
        document=merged.to_json() | appraisal_json(found),
        merged=merged,
        appraisals=found,
        carried=carried,
    )
    if request.feedback is not None:
        from parcli.results.feedback import unreadable_returns, write_feedback

        result.feedback = write_feedback(merged, request.returns_dir, request.feedback)
        result.outputs += [c.path for c in result.feedback]
        result.unreadable = unreadable_returns(merged)
    return result
