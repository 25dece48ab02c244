"""Status at a glance: who returned what, when, and how it stands against the deadline.

A return is judged by the date the department wrote on its cover sheet (*Ngày gửi*) and by the
campaign's deadline rule (“trước ngày” or “đến hết ngày”, :mod:`parcli.config.deadlines`).  A return
without that date is “chưa ghi ngày gửi”: its file's date is shown as such, and it is never judged on
time or late by it (a copy, a download or an antivirus scan changes a file's date).  Whether a return is
late is decided here once (:attr:`StatusRow.late`), and the status table, its summary line, the report
and the leaders' list all count that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from parcli.config.campaign import Department
from parcli.config.deadlines import DEFAULT_RULE, DeadlineRule, deadline_words, on_time
from parcli.labels import TIMING_LABELS
from parcli.rounds.scoring.merge import MergeResult

Timing = Literal["on-time", "late", "undated"]  # its words: parcli.labels.TIMING_LABELS


@dataclass(frozen=True)
class StatusRow:
    """One department's return as the Sở Nội vụ sees it."""

    department: Department
    status: str
    errors: int
    warnings: int
    files: tuple[str, ...]
    used: str | None
    received: date | None  # the date shown: the cover's Ngày gửi, else the file's date (received_from says which)
    received_from: str | None  # "phiếu" (the date on the cover sheet) or "tệp" (file time, never judged)
    timing: Timing | None
    days_left: int
    first_received: date | None = None  # the earliest Ngày gửi of any of its copies (a correction may come later)
    first_on_time: bool | None = None  # that first copy met the deadline

    @property
    def sent(self) -> date | None:
        """The *Ngày gửi* the department wrote on the copy used (None: not written)."""
        return self.received if self.received_from == "phiếu" else None

    @property
    def resubmitted(self) -> bool:
        """A first copy came on time and the copy used is a later, late correction."""
        return bool(self.first_on_time and self.timing == "late" and self.first_received != self.received)

    @property
    def late(self) -> bool:
        """Late, as every document counts it: the copy used came after the deadline and no earlier copy met it."""
        return is_late(self.timing, self.first_on_time, self.first_received, self.received)

    @property
    def timing_note(self) -> str | None:
        """Both facts when a late corrected copy followed an on-time first copy, e.g.
        “Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024”; None otherwise."""
        return resubmission_note(self.timing, self.first_on_time, self.first_received, self.received)

    @property
    def timing_words(self) -> str:
        """The timing as every document words it: the note of a late correction, else “Đúng hạn”, “Muộn” or
        “Chưa ghi ngày gửi (tệp lưu ngày …)”, else ""."""
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
    timing: Timing | None,
    first_on_time: bool | None,
    first_received: date | None,
    received: date | None,
) -> str:
    """The timing in words: the resubmission note, else “Đúng hạn”, “Muộn” or “Chưa ghi ngày gửi (tệp lưu ngày
    14/01/2024)”, else "" (no copy used)."""
    note = resubmission_note(timing, first_on_time, first_received, received)
    if note:
        return note
    if timing == "undated":
        shown = f" (tệp lưu ngày {received:%d/%m/%Y})" if received else ""
        return f"{TIMING_LABELS[timing]}{shown}"
    return TIMING_LABELS[timing] if timing else ""


def is_late(
    timing: Timing | None, first_on_time: bool | None, first_received: date | None, received: date | None
) -> bool:
    """Late as counted everywhere: the copy used is late and is not the correction of an on-time first copy."""
    return timing == "late" and resubmission_note(timing, first_on_time, first_received, received) is None


def timing_of(sent: date | None, deadline: date, rule: DeadlineRule = DEFAULT_RULE) -> Timing | None:
    """On time or late by the *Ngày gửi* written on the return, under the plan's rule (“trước ngày 15/01/2024”:
    the 15th is late; “đến hết ngày 15/01/2024”: the 15th is on time).  None without a date."""
    if sent is None:
        return None
    return "on-time" if on_time(sent, deadline, rule) else "late"


def judge(sent: date | None, file_day: date | None, deadline: date, rule: DeadlineRule) -> Timing | None:
    """The timing of a copy received: by its *Ngày gửi*; “undated” when only the file's date is known."""
    if sent is not None:
        return timing_of(sent, deadline, rule)
    return "undated" if file_day is not None else None


def status_rows(result: MergeResult, today: date) -> list[StatusRow]:
    """The status table from a merge result."""
    model = result.campaign.model
    deadline, rule = model.deadlines.returns, model.deadline_rule
    # the first copy of each department by the Ngày gửi written on it (a copy without one is never judged)
    first_sent: dict[str, date] = {}
    for copy in result.returns:
        if copy.owner_id is not None and copy.sent_date is not None:
            known = first_sent.get(copy.owner_id)
            first_sent[copy.owner_id] = min(known, copy.sent_date) if known else copy.sent_date
    rows = []
    for d in result.departments:
        first = first_sent.get(d.department.id)
        sent = date.fromisoformat(d.sent_date) if d.sent_date else None
        file_day = date.fromisoformat(d.received) if d.received else None
        source = "phiếu" if sent else "tệp" if file_day else None
        rows.append(
            StatusRow(
                department=d.department,
                status=d.status,
                errors=d.errors,
                warnings=d.warnings,
                files=tuple(d.files),
                used=d.used,
                received=sent or file_day,
                received_from=source,
                timing=judge(sent, file_day, deadline, rule) if d.status in ("ok", "invalid") else None,
                days_left=(deadline - today).days,
                first_received=first,
                first_on_time=timing_of(first, deadline, rule) == "on-time" if first else None,
            )
        )
    return rows


@dataclass(frozen=True)
class StatusTable:
    """The status of every department on a day: its rows, the deadline and its rule, days left, the counts."""

    rows: list[StatusRow]
    today: date
    deadline: date
    rule: DeadlineRule = DEFAULT_RULE

    @property
    def days_left(self) -> int:
        """Days from ``today`` to the deadline (negative once passed)."""
        return (self.deadline - self.today).days

    @property
    def deadline_words(self) -> str:
        """The deadline as the plan words it: “trước ngày 15/01/2024” or “đến hết ngày 15/01/2024”."""
        return deadline_words(self.deadline, self.rule)

    @property
    def when(self) -> str:
        """“còn 3 ngày”, “hôm nay là ngày cuối”, “hết hạn từ hôm nay” or “đã quá hạn 2 ngày”."""
        left = self.days_left
        if left == 0:
            return "hết hạn từ hôm nay" if not on_time(self.today, self.deadline, self.rule) else "hôm nay là ngày cuối"
        return f"còn {left} ngày" if left > 0 else f"đã quá hạn {-left} ngày"

    def timing(self, row: StatusRow) -> str:
        """A row's timing in words: the resubmission note, on time / late / undated, else the days left."""
        words = row.timing_words
        if words:
            return words
        return "quá hạn" if self.days_left < 0 else f"còn {self.days_left} ngày"

    def counts(self) -> dict[str, int]:
        """Departments per status (ok, invalid, missing, duplicate), ``late`` (as :attr:`StatusRow.late`),
        ``resubmitted`` (on time, then a late correction) and ``undated`` (no *Ngày gửi* written)."""
        out = {k: sum(1 for r in self.rows if r.status == k) for k in ("ok", "invalid", "missing", "duplicate")}
        out["late"] = sum(1 for r in self.rows if r.late)
        out["resubmitted"] = sum(1 for r in self.rows if r.resubmitted)
        out["undated"] = sum(1 for r in self.rows if r.timing == "undated")
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
    model = result.campaign.model
    return StatusTable(status_rows(result, today), today, model.deadlines.returns, model.deadline_rule)
