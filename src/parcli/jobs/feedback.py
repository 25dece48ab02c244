"""``parcli feedback`` and ``parcli remind``: what goes back to the departments while returns are chased."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from parcli.jobs import load
from parcli.jobs.base import SILENT, JobResult, Listener

if TYPE_CHECKING:
    from parcli.results.feedback import FeedbackCopy
    from parcli.results.remind import Reminder
    from parcli.rounds.scoring.merge import MergeResult


@dataclass(frozen=True)
class FeedbackRequest:
    """The returns folder and the folder the annotated copies go to."""

    returns_dir: Path
    out: Path
    campaign: Path | None = None
    round: str | None = None
    pick: tuple[str, ...] = ()
    warnings: bool = False  # also copies of returns with warnings only


@dataclass
class Feedback(JobResult):
    """The returns as read and the copies written (packages included: their form is annotated)."""

    merged: MergeResult | None = None
    copies: list[FeedbackCopy] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # files too damaged for a copy


def feedback(request: FeedbackRequest, listener: Listener = SILENT) -> Feedback:
    """Write an annotated copy of every return with errors (and warnings when asked), all or none."""
    from parcli.results.feedback import unreadable_returns, write_feedback

    camp = load.campaign(request.campaign, request.round, listener)
    warnings = load.guard(listener, inputs=[*load.campaign_files(camp), request.returns_dir], dirs=[request.out])
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    copies = write_feedback(merged, request.returns_dir, request.out, include_warnings=request.warnings)
    for copy in copies:
        if copy.dropped:
            listener.warn(
                f"Bản góp ý {copy.path.name}: phiếu {copy.source} có {'; '.join(copy.dropped)} mà parcli không chép "
                "sang bản góp ý được (phiếu gốc không bị sửa). Cơ quan sửa trên bản góp ý sẽ không có các phần đó; "
                "có thể đề nghị cơ quan sửa trực tiếp trên phiếu gốc theo danh sách lỗi."
            )
    return Feedback(
        outputs=[c.path for c in copies],
        warnings=warnings,
        merged=merged,
        copies=copies,
        unreadable=unreadable_returns(merged),
    )


@dataclass(frozen=True)
class RemindRequest:
    """The returns folder, the letters' folder and day, and the office's own templates."""

    returns_dir: Path
    out: Path
    today: date
    campaign: Path | None = None
    round: str | None = None
    pick: tuple[str, ...] = ()
    templates: Path | None = None
    reply_by: date | None = None  # the day a late department must send by; None: two working days after today


@dataclass
class Reminded(JobResult):
    """The returns as read, one letter per department to chase, and the list for the leadership."""

    merged: MergeResult | None = None
    reminders: list[Reminder] = field(default_factory=list)
    listing: Path | None = None


def remind(request: RemindRequest, listener: Listener = SILENT) -> Reminded:
    """Write a reminder letter for every department missing or to resend, and the list for the leadership."""
    from parcli.config.campaign import refuse_placeholders
    from parcli.jobs.letters import CONTACT_MISSING
    from parcli.results.remind import write_reminders

    camp = load.campaign(request.campaign, request.round, listener)
    refuse_placeholders(camp)
    warnings = load.guard(
        listener, inputs=[*load.campaign_files(camp), request.returns_dir, request.templates], dirs=[request.out]
    )
    merged = load.returns(camp, request.returns_dir, list(request.pick), listener)
    reminders, listing = write_reminders(
        merged, request.out, today=request.today, template_dir=request.templates, reply_by=request.reply_by
    )
    if camp.documents.contact is None:
        listener.warn(CONTACT_MISSING)
    return Reminded(
        outputs=[r.path for r in reminders] + [listing],
        warnings=warnings,
        merged=merged,
        reminders=reminders,
        listing=listing,
    )
