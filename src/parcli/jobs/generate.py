"""``parcli generate`` and ``parcli init``: issue the scoring workbooks; start a project from the example."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.rounds.scoring.issue import GenerateResult


@dataclass(frozen=True)
class GenerateRequest:
    """``parcli generate``: the campaign at its round, and the folder the workbooks go to."""

    out: Path
    campaign: Path | None = None
    round: str | None = None


@dataclass
class Generated(JobResult):
    """The workbooks issued, one per department (unit)."""

    campaign: Campaign | None = None
    issued: GenerateResult | None = None


def generate(request: GenerateRequest, listener: Listener = SILENT) -> Generated:
    """Issue one protected, validated scoring workbook per department into ``request.out`` (all or none)."""
    from parcli.config.campaign import refuse_placeholders
    from parcli.rounds.scoring.issue import generate_workbooks

    camp = load.campaign(request.campaign, request.round, listener)
    refuse_placeholders(camp)
    warnings = load.guard(listener, inputs=load.campaign_files(camp), dirs=[request.out])
    unverified, total = camp.verification()
    if unverified:
        listener.warn(
            f"bộ tiêu chí có {unverified}/{total} mục chưa đối chiếu "
            "với văn bản chính thức (tạm tính) — kiểm tra trước khi phát hành."
        )
    with listener.track("Đang tạo phiếu", len(camp.departments)) as tracker:
        issued = generate_workbooks(camp, request.out, on_progress=lambda _d: tracker.advance())
    return Generated(outputs=[w.path for w in issued.workbooks], warnings=warnings, campaign=camp, issued=issued)


@dataclass(frozen=True)
class InitRequest:
    """``parcli init``: the folder that receives an editable copy of the example."""

    directory: Path
    force: bool = False


@dataclass
class Initialised(JobResult):
    """The files written: the campaign first, then its catalogue."""

    written: list[Path] = field(default_factory=list)


def init(request: InitRequest, listener: Listener = SILENT) -> Initialised:
    """Copy the bundled example campaign and its catalogue into ``request.directory``."""
    from parcli.config.scaffold import init_project

    warnings = load.guard(listener, dirs=[request.directory])
    written = init_project(request.directory, force=request.force)
    return Initialised(outputs=list(written), warnings=warnings, written=list(written))
