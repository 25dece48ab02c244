"""``parcli evidence``: the upload pack, its index and the offline evidence site, from the returns that count."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.results.appraisal import Progress
    from parcli.results.evidence.book import EvidenceBook
    from parcli.rounds.appraisal.merge import AppraisalCollection
    from parcli.rounds.scoring.merge import MergeResult
    from parcli.secret import Password


@dataclass(frozen=True)
class EvidenceRequest:
    """The returns (workbooks and packages), the hồ sơ folder, and the optional appraisal folder."""

    returns_dir: Path
    out: Path
    campaign: Path | None = None
    round: str | None = None
    archive: bool = False  # also one .zip of the pack and the site
    pick: tuple[str, ...] = ()
    appraisals: Path | None = None
    password: Password | None = None  # encrypts the files holding personal data (survey lists cited as evidence)


@dataclass
class Evidence(JobResult):
    """The returns read, the evidence book written, the appraisal state when asked for."""

    merged: MergeResult | None = None
    book: EvidenceBook | None = None
    appraisals: AppraisalCollection | None = None
    progress: Progress | None = None  # appraised, not yet, to re-appraise; self-assessed and final totals

    @property
    def evidence_warnings(self) -> int:
        """Warnings about evidence on the items' cards."""
        return 0 if self.book is None else sum(1 for c in self.book.cards for p in c.problems if p[0] != "error")


def evidence(request: EvidenceRequest, listener: Listener = SILENT) -> Evidence:
    """Check every return's evidence and write the hồ sơ (staged, swapped in whole)."""
    from parcli.results.evidence.book import appraisal_progress
    from parcli.results.evidence.pack import build_evidence, write_evidence

    camp = load.campaign(request.campaign, request.round, listener)
    warnings = load.guard(
        listener, inputs=[*load.campaign_files(camp), request.returns_dir, request.appraisals], dirs=[request.out]
    )
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    found = load.appraisals(merged, request.appraisals) if request.appraisals is not None else None
    book = build_evidence(merged, found)
    if request.password is not None:
        from parcli.jobs.survey import check_password

        check_password(request.password)
    written = write_evidence(book, request.out, archive=request.archive, password=request.password)
    if book.personal and request.password is None:
        from parcli.jobs.survey import personal_data_warning

        for name in book.personal:
            listener.warn(personal_data_warning(request.out / name))
    return Evidence(
        ok=not book.errors and (found is None or found.ok),
        outputs=written,
        warnings=warnings,
        merged=merged,
        book=book,
        appraisals=found,
        progress=appraisal_progress("Cộng", book.cards) if found is not None else None,
    )
