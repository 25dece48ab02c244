"""``parcli generate`` and ``parcli init``: issue the scoring workbooks; start a project (a year, or the example)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.config.scaffold import YearSetup
    from parcli.config.unit_list import CommuneList
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
    from parcli.config.review import campaign_warnings

    for text in campaign_warnings(camp):  # another year's catalogue or dates, parts not reviewed yet
        listener.warn(text)
    unverified, total = camp.verification()
    if unverified:
        listener.warn(
            f"bộ tiêu chí có {unverified}/{total} mục chưa đối chiếu "
            "với văn bản chính thức (tạm tính) — kiểm tra trước khi phát hành."
        )
    with listener.track("Đang tạo phiếu", len(camp.departments)) as tracker:
        issued = generate_workbooks(camp, request.out, on_progress=lambda _d: tracker.advance())
    return Generated(outputs=[w.path for w in issued.workbooks], warnings=warnings, campaign=camp, issued=issued)


# The choices of ``parcli init`` for the command line, which may not import config/ itself.
INIT_MODES: tuple[str, ...] = ("so", "so-xa")
OPTIONAL_DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("so-ngoai-vu", "Sở Ngoại vụ"),
    ("so-dan-toc-ton-giao", "Sở Dân tộc và Tôn giáo"),
)


@dataclass(frozen=True)
class InitRequest:
    """``parcli init``: the folder, and either a year to start (``province`` and ``year``) or the example's copy."""

    directory: Path
    force: bool = False
    province: str | None = None  # None: an editable copy of the bundled Hưng Yên 2023 example
    year: int | None = None
    mode: str = "so"
    units: Path | None = None  # the province's list of communes and wards (CSV or XLSX)
    optional: tuple[str, ...] = ()  # optional departments (OPTIONAL_DEPARTMENTS)

    @property
    def setup(self) -> YearSetup | None:
        """The year to start, or None for the example's copy."""
        if self.province is None or self.year is None:
            return None
        from parcli.config.scaffold import YearSetup

        return YearSetup(self.province, self.year, self.mode, self.units, self.optional)


@dataclass
class Initialised(JobResult):
    """The files written (the campaign first), the communes read, and the campaign as it loads."""

    written: list[Path] = field(default_factory=list)
    example: bool = False  # the copy of the bundled example was written
    communes: CommuneList | None = None
    campaign: Campaign | None = None  # None when the written campaign does not load yet (see problems)
    problems: list[str] = field(default_factory=list)  # what stops the campaign from loading, to fix first


def init(request: InitRequest, listener: Listener = SILENT) -> Initialised:
    """Start a project in ``request.directory``: a campaign of a year (``request.setup``) or the example's copy.

    A year's campaign is loaded once written: what disagrees with the year and what is still a proposal are
    warnings; what stops it from loading (a department with nothing to score) makes the result not ok, the
    files being written all the same for the officer to edit.
    """
    from parcli.config.scaffold import check_setup, init_project, init_year, planned_files

    setup = request.setup
    if setup is None:
        warnings = load.guard(listener, dirs=[request.directory])
        written = init_project(request.directory, force=request.force)
        return Initialised(outputs=list(written), warnings=warnings, written=list(written), example=True)
    check_setup(setup)
    warnings = load.guard(listener, inputs=[setup.units], files=planned_files(request.directory, setup))
    made = init_year(request.directory, setup, force=request.force)
    result = Initialised(outputs=list(made.written), warnings=warnings, written=list(made.written))
    result.communes = made.communes
    for text in made.communes.warnings if made.communes else ():
        listener.warn(text)
    _check_written(result, listener)
    return result


def _check_written(result: Initialised, listener: Listener) -> None:
    """Load the campaign and the survey lists plan just written; say what the officer must look at."""
    from parcli.config.campaign import load_campaign
    from parcli.config.lists_plan import load_lists_plan
    from parcli.config.review import campaign_warnings
    from parcli.errors import CampaignError, CatalogueError

    try:
        camp = load_campaign(result.written[0])
    except (CampaignError, CatalogueError) as exc:
        result.ok = False
        result.problems = list(exc.messages)
        return
    result.campaign = camp
    for text in campaign_warnings(camp, unreviewed=False):  # just written: the officer is told what to review
        listener.warn(text)
    try:
        load_lists_plan(camp)
    except CampaignError as exc:  # pragma: no cover - init writes both files together
        result.ok = False
        result.problems = list(exc.messages)
