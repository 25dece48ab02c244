"""Status at a glance: who returned what, when, and how it stands against the deadline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from parcli.config.campaign import Department
from parcli.labels import TIMING_LABELS
from parcli.rounds.scoring.merge import MergeResult

Timing = Literal["on-time", "late"]  # its words: parcli.labels.TIMING_LABELS


@dataclass(frozen=True)
class StatusRow:
    """One department's return as the Sở Nội vụ sees it."""

    department: Department
    status: str
    errors: int
    warnings: int
    files: tuple[str, ...]
    used: str | None
    received: date | None
    received_from: str | None  # "phiếu" (the date on the cover sheet) or "tệp" (file time)
    timing: Timing | None
    days_left: int
    first_received: date | None = None  # the first copy of any of its files (a corrected copy may come later)
    first_on_time: bool | None = None  # that first copy came before the deadline

    @property
    def resubmitted(self) -> bool:
        """A first copy came on time and the copy used is a later, late correction."""
        return bool(self.first_on_time and self.timing == "late" and self.first_received != self.received)

    @property
    def timing_note(self) -> str | None:
        """Both facts when a late corrected copy followed an on-time first copy, e.g.
        “Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024”; None otherwise."""
        return resubmission_note(self.timing, self.first_on_time, self.first_received, self.received)

    @property
    def timing_words(self) -> str:
        """The timing as every document words it: the note of a late correction, else “Đúng hạn”/“Muộn”, else ""."""
        return timing_words(self.timing, self.first_on_time, self.first_received, self.received)

    def to_dict(self) -> dict[str, Any]:
        """JSON shape."""
        return {
            "id": self.department.id,
            "name": self.department.name,
            "appendix": self.department.appendix,
            "status": self.status,
            "errors": self.errors,
            "warnings": self.warnings,
            "files": list(self.files),
            "used": self.used,
            "received": self.received.isoformat() if self.received else None,
            "received_from": self.received_from,
            "timing": self.timing,
            "days_left": self.days_left,
            "first_received": self.first_received.isoformat() if self.first_received else None,
            "first_on_time": self.first_on_time,
            "timing_note": self.timing_note,
        }


def resubmission_note(
    timing: Timing | None, first_on_time: bool | None, first_received: date | None, received: date | None
) -> str | None:
    """“Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024” when the copy used is a late correction of an on-time
    first copy; None otherwise.  The status table, the consolidated workbook, the report and the reminders
    all word it so."""
    if not first_on_time or timing != "late" or first_received is None or received is None:
        return None
    if first_received == received:
        return None
    return f"Nộp đúng hạn {first_received:%d/%m/%Y}; bản sửa {received:%d/%m/%Y}"


def timing_words(
    timing: Timing | None, first_on_time: bool | None, first_received: date | None, received: date | None
) -> str:
    """The timing in words: the resubmission note, else “Đúng hạn” or “Muộn”, else "" (no copy used)."""
    note = resubmission_note(timing, first_on_time, first_received, received)
    if note:
        return note
    return TIMING_LABELS[timing] if timing else ""


def timing_of(received: date | None, deadline: date) -> Timing | None:
    """On time when received before the deadline day, as the plan words it ("trước ngày 15/01/2024")."""
    if received is None:
        return None
    return "on-time" if received < deadline else "late"


def status_rows(result: MergeResult, today: date) -> list[StatusRow]:
    """The status table from a merge result."""
    deadline = result.campaign.model.deadlines.returns
    rows = []
    for d in result.departments:
        sent = date.fromisoformat(d.sent_date) if d.sent_date else None
        file_day = date.fromisoformat(d.received) if d.received else None
        received = sent or file_day
        source = "phiếu" if sent else "tệp" if file_day else None
        rows.append(
            StatusRow(
                department=d.department,
                status=d.status,
                errors=d.errors,
                warnings=d.warnings,
                files=tuple(d.files),
                used=d.used,
                received=received,
                received_from=source,
                timing=timing_of(received, deadline) if d.status in ("ok", "invalid") else None,
                days_left=(deadline - today).days,
                first_received=d.first_received,
                first_on_time=timing_of(d.first_received, deadline) == "on-time" if d.first_received else None,
            )
        )
    return rows


@dataclass(frozen=True)
class StatusTable:
    """The status of every department on a day: its rows, the deadline, days left, the counts."""

    rows: list[StatusRow]
    today: date
    deadline: date

    @property
    def days_left(self) -> int:
        """Days from ``today`` to the deadline (negative once passed)."""
        return (self.deadline - self.today).days

    @property
    def when(self) -> str:
        """“còn 3 ngày” or “đã quá hạn 2 ngày”."""
        left = self.days_left
        return f"còn {left} ngày" if left >= 0 else f"đã quá hạn {-left} ngày"

    def timing(self, row: StatusRow) -> str:
        """A row's timing in words: the resubmission note, on time / late, else the days left (nothing received)."""
        if row.timing_note:
            return row.timing_note
        if row.timing:
            return TIMING_LABELS[row.timing]
        return "quá hạn" if self.days_left < 0 else f"còn {self.days_left} ngày"

    def counts(self) -> dict[str, int]:
        """Departments per status (ok, invalid, missing, duplicate) and ``late``."""
        out = {k: sum(1 for r in self.rows if r.status == k) for k in ("ok", "invalid", "missing", "duplicate")}
        out["late"] = sum(1 for r in self.rows if r.timing == "late")
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``status --json`` (the campaign and appraisal parts are the job's)."""
        return {
            "today": self.today.isoformat(),
            "deadline": self.deadline.isoformat(),
            "departments": [r.to_dict() for r in self.rows],
        }


def status_table(result: MergeResult, today: date) -> StatusTable:
    """The status of every department of a merge on ``today``."""
    return StatusTable(status_rows(result, today), today, result.campaign.model.deadlines.returns)
