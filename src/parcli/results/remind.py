"""Reminders: a công văn for each department that is missing or must resend, and a list for leaders.

The letter's body is ``remind.txt.j2`` (plain text, rendered per department);
:mod:`parcli.results.letters` puts it into the Word layout with the letterhead
and the signer, and writes a text copy for e-mail beside it.  The body names
no file and no cell: problems are told by item code and title.  A reminder
sets its own deadline to the hour (“trước 17 giờ 00 ngày …”), never “today”:
the letter may be signed days after it is written.  The organiser's own
department gets an internal note to its divisions, not a công văn.  The list
for the leadership is a Word document (``listing.docx``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from parcli import clock
from parcli.files import staged_folder
from parcli.render import render
from parcli.results.letters import (
    Letter,
    common_context,
    deadline_at,
    letter_to,
    working_days_after,
    write_letters,
)
from parcli.results.status import status_rows
from parcli.rounds.scoring.merge import MergeResult

REMINDER_TEMPLATE = "remind.txt.j2"  # the body of the letter
LIST_TEMPLATE = "listing.docx"  # the list for the leadership
LISTING = "danh-sach-chua-hoan-thanh.docx"
REPLY_DAYS = 2  # a reminder's own deadline: this many working days after its day


@dataclass(frozen=True)
class Reminder:
    """One rendered reminder: the Word letter (``path``) and its text copy for e-mail (``text_path``)."""

    department_id: str
    path: Path

    @property
    def text_path(self) -> Path:
        """The plain-text copy of the letter, for pasting into an e-mail."""
        return self.path.with_suffix(".txt")


def reminder_context(result: MergeResult, today: date, reply_by: date | None = None) -> dict[str, Any]:
    """Plain data for the reminder templates.

    ``reply_by`` is the day the letters ask a late department to send by (“trước 17 giờ 00 ngày …”); by default
    :data:`REPLY_DAYS` working days after ``today``.
    """
    campaign = result.campaign
    model = campaign.model
    deadline = model.deadlines.returns
    titles = {leaf.code: leaf.title for dept in campaign.departments for leaf in dept.items}
    rows = []
    # valid returns the leaders should still hear of, counted as `parcli status` counts them
    late_ok: list[dict[str, Any]] = []  # late (StatusRow.late)
    corrected_late: list[dict[str, Any]] = []  # on time, then a valid correction after the deadline
    undated_ok: list[dict[str, Any]] = []  # no Ngày gửi on the cover: not judged
    for row in status_rows(result, today):
        if row.status == "ok":
            entry = {
                "name": row.department.name,
                "appendix": row.department.appendix,
                "received": row.received,
                "timing_note": row.timing_note,
            }
            if row.late:
                late_ok.append(entry)
            elif row.resubmitted:
                corrected_late.append(entry)
            elif row.timing == "undated":
                undated_ok.append(entry)
            continue
        problems = [
            p
            for p in result.problems
            if p.department == row.department.id and p.is_error and p.slug != "missing-return"
        ]
        rows.append(
            {
                "id": row.department.id,
                "name": row.department.name,
                "appendix": row.department.appendix,
                "codes": [leaf.code for leaf in row.department.items],
                "file_stem": row.department.file_stem,
                "status": row.status,
                "files": list(row.files),
                "file_count": len(row.files),
                "problems": [
                    {
                        "item": p.item or "",
                        "title": titles.get(p.item or "", ""),
                        "message": message_under_item(p.message, p.item or ""),
                    }
                    for p in problems[:30]
                ],
                "timing": row.timing,
                # the dates speak for themselves: an on-time copy with errors has not met the deadline yet;
                # a copy without its Ngày gửi is never given its file's date as the day it was sent
                "received": row.sent,
                "first_received": row.first_received if row.sent and row.first_received != row.received else None,
                "more_problems": max(len(problems) - 30, 0),
            }
        )
    reply = reply_by or working_days_after(today, REPLY_DAYS)
    listed = [dict(d, state=_state(d)) for d in rows]
    return common_context(campaign, today) | {  # the list for the leadership is dated the day of its figures
        "campaign": {
            "title": model.title,
            "plan": model.plan or model.title,
            "year": model.year,
            "province": model.province,
        },
        "deadline": deadline,
        "deadline_words": campaign.deadline_text(),  # “trước ngày 15/01/2024”, as the plan words it
        "reply_day": reply,
        "reply_by": deadline_at(reply),  # “trước 17 giờ 00 ngày 18/01/2024”
        "you": "Quý cơ quan",
        "internal": False,
        "receiver": common_context(campaign)["organiser_short"],
        "today": today,
        "overdue_days": (today - deadline).days,
        "departments": listed,
        "late_ok": late_ok,
        "late_ok_text": "; ".join(
            f"{d['name']} (Phụ lục {d['appendix']}, ngày {_day(d['received'])})" for d in late_ok
        ),
        "corrected_late": corrected_late,
        "corrected_late_text": "; ".join(
            f"{d['name']} (Phụ lục {d['appendix']}, {d['timing_note'][0].lower()}{d['timing_note'][1:]})"
            for d in corrected_late
        ),
        "undated_ok": undated_ok,
        "undated_ok_text": "; ".join(
            f"{d['name']} (Phụ lục {d['appendix']}"
            + (f", tệp lưu ngày {_day(d['received'])})" if d["received"] else ")")
            for d in undated_ok
        ),
        "total": len(result.departments),
    }


def _day(value: date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _state(dept: dict[str, Any]) -> str:
    """A department's state as the list for the leadership words it."""
    if dept["status"] == "missing":
        return "Chưa gửi phiếu"
    if dept["status"] == "duplicate":
        return "Gửi nhiều phiếu, chưa xác định bản chính thức"
    count = f"{len(dept['problems'])}" + (f"+{dept['more_problems']}" if dept["more_problems"] else "")
    return f"Phiếu có {count} lỗi, phải gửi lại"


def message_under_item(message: str, code: str) -> str:
    """A problem's message as a list entry under “Mục <code> (<title>):”, without naming the item again.

    “Điểm của mục 2.1.1 là 2, …” becomes “Điểm tự đánh giá là 2, …”; “Mục 2.1.2 bị trừ
    điểm …” becomes “Bị trừ điểm …”.
    """
    if not code:
        return message
    text = message.replace(f"Điểm của mục {code} ", "Điểm tự đánh giá ", 1).replace(f" của mục {code}", "")
    prefix = f"Mục {code} "
    if text.startswith(prefix):
        rest = text[len(prefix) :]
        text = rest[:1].upper() + rest[1:]
    return text


def reminder_letter(
    result: MergeResult, context: dict[str, Any], dept: dict[str, Any], template_dir: Path | None = None
) -> Letter:
    """The reminder to one department: its body rendered from ``remind.txt.j2``.

    The organiser's own department gets the same reminder as an internal note to its divisions.
    """
    campaign = result.campaign
    year = context["campaign"]["year"]
    subject = f"đôn đốc gửi kết quả tự đánh giá Chỉ số CCHC năm {year}"
    values = {**context, "dept": dept}
    return letter_to(campaign, dept["name"], subject, REMINDER_TEMPLATE, values, dept["codes"], template_dir)


def write_reminders(
    result: MergeResult,
    out_dir: Path,
    *,
    today: date | None = None,
    template_dir: Path | None = None,
    reply_by: date | None = None,
) -> tuple[list[Reminder], Path]:
    """Write one reminder letter per department that is missing or invalid, and the list for the leadership.

    Each letter is a Word document ``nhac-nho-<file stem>.docx`` with a ``.txt``
    copy beside it; every body is rendered before anything is written.
    """
    context = reminder_context(result, today or clock.today(), reply_by)
    departments = context["departments"]
    letters = [reminder_letter(result, context, dept, template_dir) for dept in departments]
    names = [f"nhac-nho-{dept['file_stem']}.docx" for dept in departments]
    with staged_folder(out_dir) as stage:  # all letters or none: moved in once all are written
        write_letters(
            result.campaign,
            [(letter, stage / name) for letter, name in zip(letters, names, strict=True)],
            template_dir=template_dir,
        )
        render(LIST_TEMPLATE, context, stage / LISTING, template_dir)
    reminders = [Reminder(dept["id"], out_dir / name) for dept, name in zip(departments, names, strict=True)]
    return reminders, out_dir / LISTING
