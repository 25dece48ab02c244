"""Reminders: a letter for each department that is missing or must resend, and a list for leaders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from parcli import clock
from parcli.render import render, render_each
from parcli.results.status import status_rows
from parcli.rounds.scoring.merge import MergeResult

REMINDER_TEMPLATE = "remind.txt.j2"
LIST_TEMPLATE = "non-submitters.md.j2"


@dataclass(frozen=True)
class Reminder:
    """One rendered reminder."""

    department_id: str
    path: Path


def reminder_context(result: MergeResult, today: date) -> dict[str, Any]:
    """Plain data for the reminder templates."""
    campaign = result.campaign
    model = campaign.model
    deadline = model.deadlines.returns
    rows = []
    late_ok: list[dict[str, Any]] = []
    for row in status_rows(result, today):
        if row.status == "ok":
            if row.timing == "late":
                late_ok.append(
                    {"name": row.department.name, "appendix": row.department.appendix, "received": row.received}
                )
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
                "file_stem": row.department.file_stem,
                "status": row.status,
                "files": list(row.files),
                "problems": [
                    {"where": " › ".join(x for x in (p.sheet, p.cell) if x), "item": p.item or "", "message": p.message}
                    for p in problems[:30]
                ],
                "timing": row.timing,
                "more_problems": max(len(problems) - 30, 0),
            }
        )
    return {
        "campaign": {
            "title": model.title,
            "plan": model.plan or model.title,
            "year": model.year,
            "province": model.province,
        },
        "letterhead": campaign.letterhead(today),
        "deadline": deadline,
        "today": today,
        "overdue_days": (today - deadline).days,
        "departments": rows,
        "late_ok": late_ok,
        "total": len(result.departments),
    }


def write_reminders(
    result: MergeResult, out_dir: Path, *, today: date | None = None, template_dir: Path | None = None
) -> tuple[list[Reminder], Path]:
    """Render one reminder per department that is missing or invalid, and the list of non-submitters."""
    context = reminder_context(result, today or clock.today())
    departments = context["departments"]
    letters = render_each(
        REMINDER_TEMPLATE,
        [({**context, "dept": dept}, out_dir / f"nhac-nho-{dept['file_stem']}.txt") for dept in departments],
        template_dir,
    )
    listing = out_dir / "danh-sach-chua-hoan-thanh.md"
    render(LIST_TEMPLATE, context, listing, template_dir)
    return [Reminder(dept["id"], path) for dept, path in zip(departments, letters, strict=True)], listing
