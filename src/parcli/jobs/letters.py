"""The letters of the season that no other command writes: the cover letter and the remedy plans' letters.

``parcli cover-letter`` (:func:`cover`): the công văn sent with the issued workbooks.  ``parcli remedy request``
(:func:`remedy_request`): after the preliminary round, the request for a remedy plan to each department with
items that lost points.  ``parcli remedy remind`` (:func:`remedy_remind`): a reminder to each department that
sent no plan.  Each refuses a real campaign that still holds sample values, and warns when the letters cannot
name the officer to contact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign
    from parcli.rounds.remedy.merge import RemedyCollection

CONTACT_MISSING = (
    "Kế hoạch chưa có đầu mối liên hệ (documents.contact: name, phone, email): công văn để trống dòng “đề nghị "
    "liên hệ đ/c …” để điền tay. Đề nghị bổ sung vào kế hoạch."
)


def _ready(camp: Campaign, listener: Listener) -> None:
    """Refuse sample values of a real campaign; warn when the contact is missing."""
    from parcli.config.campaign import refuse_placeholders

    refuse_placeholders(camp)
    if camp.documents.contact is None:
        listener.warn(CONTACT_MISSING)


@dataclass(frozen=True)
class CoverRequest:
    """``cover-letter``: the campaign at a round, the folder the letter goes to, its day."""

    out: Path
    campaign: Path | None = None
    round: str | None = None
    today: date | None = None
    templates: Path | None = None


@dataclass
class Covered(JobResult):
    """The cover letter (and the internal note for the organiser's own part) written."""

    campaign: Campaign | None = None


def cover(request: CoverRequest, listener: Listener = SILENT) -> Covered:
    """The công văn sent with the issued workbooks, and the note to the organiser's divisions for its own part."""
    from parcli.results.season_letters import write_cover_letter

    camp = load.campaign(request.campaign, request.round, listener)
    _ready(camp, listener)
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), request.templates], dirs=[request.out])
    written = write_cover_letter(camp, request.out, today=request.today, template_dir=request.templates)
    return Covered(outputs=written, warnings=warnings, campaign=camp)


@dataclass(frozen=True)
class RemedyLettersRequest:
    """``remedy request`` / ``remedy remind``: the preliminary round's consolidated workbook, the letters' folder.

    ``remedies`` (the plans received) is read by ``remedy remind`` only.
    """

    consolidated: Path
    out: Path
    today: date
    campaign: Path | None = None
    round: str | None = None
    deadline: date | None = None
    templates: Path | None = None
    remedies: Path | None = None
    pick: tuple[str, ...] = ()


@dataclass
class RemedyLetters(JobResult):
    """The letters written, (department id, path), and the plans read when reminding."""

    campaign: Campaign | None = None
    written: list[tuple[str, Path]] = field(default_factory=list)
    found: RemedyCollection | None = None


def remedy_request(request: RemedyLettersRequest, listener: Listener = SILENT) -> RemedyLetters:
    """A request for a remedy plan to each department with items that lost points in the preliminary round."""
    from parcli.results.remedy import lost_items
    from parcli.results.season_letters import write_remedy_requests

    camp, data = load.campaign_of(request.consolidated, request.campaign, request.round, listener)
    _ready(camp, listener)
    inputs = [*load.campaign_files(camp), request.consolidated, request.templates]
    warnings = load.guard(listener, inputs=inputs, dirs=[request.out])
    written = write_remedy_requests(
        camp,
        lost_items(camp, data),
        request.out,
        deadline=request.deadline,
        today=request.today,
        template_dir=request.templates,
    )
    return RemedyLetters(outputs=[p for _, p in written], warnings=warnings, campaign=camp, written=written)


def remedy_remind(request: RemedyLettersRequest, listener: Listener = SILENT) -> RemedyLetters:
    """A reminder to each department expected to send a remedy plan that sent none (exit 1 when there is one).

    The reply day is ``deadline``, else two working days after ``today``.
    """
    from parcli.errors import UsageError
    from parcli.results.letters import working_days_after
    from parcli.results.remedy import lost_items
    from parcli.results.season_letters import write_remedy_reminders

    if request.remedies is None:
        raise UsageError("Cần chỉ ra thư mục các kế hoạch khắc phục đã nhận.")
    camp, data = load.campaign_of(request.consolidated, request.campaign, request.round, listener)
    _ready(camp, listener)
    inputs = [*load.campaign_files(camp), request.consolidated, request.remedies, request.templates]
    warnings = load.guard(listener, inputs=inputs, dirs=[request.out])
    found = load.remedies(camp, request.remedies, request.today, load.remedy_owners(camp, data), list(request.pick))
    written = write_remedy_reminders(
        camp,
        found.silent,
        lost_items(camp, data),
        request.out,
        deadline=request.deadline or working_days_after(request.today, 2),
        today=request.today,
        template_dir=request.templates,
    )
    return RemedyLetters(
        ok=not found.silent,
        outputs=[p for _, p in written],
        warnings=warnings,
        campaign=camp,
        written=written,
        found=found,
    )
