"""Collecting a folder of remedy workbooks on the collection engine, and the tracking table.

The engine lists the folder (lock files ignored), reads every workbook, groups
them by department and applies the one version rule.  What is this round's own:

* the expected departments are those issued a plan (those with items that lost
  points, passed in); a department that sent nothing is ``remedy-plan-missing``;
* ``remedy-overdue`` (warning): a deadline that has passed on ``today`` while the
  remedy is not reported completed;
* one tracking table: item, department, cause, remedy, deadline, progress, result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from parcli.collect.engine import collect_forms, manifest_inputs
from parcli.collect.form import FormResult, not_a_spreadsheet
from parcli.collect.versions import Outcome, VersionDecision
from parcli.config.campaign import Campaign, Department
from parcli.problems import Problem
from parcli.render import date_filter
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.read import RemedyEntry, RemedyResult, read_remedy


@dataclass
class RemedyOutcome(Outcome[Department]):
    """The outcome of one department's remedy workbook."""


@dataclass(frozen=True)
class TrackedItem:
    """One row of the tracking table."""

    department: Department
    entry: RemedyEntry
    overdue: bool
    file: str

    def as_dict(self) -> dict[str, Any]:
        """Plain values for ``--json`` and the report."""
        e = self.entry
        return {
            "scope": e.scope,
            "code": e.code,
            "title": e.title,
            "lost": str(e.lost),
            "department": self.department.id,
            "department_name": self.department.name,
            "cause": e.cause,
            "remedy": e.remedy,
            "deadline": e.deadline.isoformat() if e.deadline else None,
            "responsible": e.responsible,
            "progress": e.progress,
            "result": e.result,
            "evidence": e.evidence,
            "measures": len(e.measures),
            "overdue": self.overdue,
            "file": self.file,
        }


@dataclass
class RemedyCollection:
    """Everything :func:`collect_remedies` found."""

    campaign: Campaign
    folder: Path
    today: date
    results: list[RemedyResult] = field(default_factory=list)
    outcomes: list[RemedyOutcome] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    decisions: list[VersionDecision] = field(default_factory=list)
    items: list[TrackedItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every expected plan arrived and no problem is an error."""
        return not any(p.is_error for p in self.problems)

    @property
    def silent(self) -> list[Department]:
        """The departments that sent no plan."""
        return [o.owner for o in self.outcomes if o.status == "missing"]

    @property
    def overdue(self) -> list[TrackedItem]:
        """The remedies whose deadline has passed and that are not completed."""
        return [i for i in self.items if i.overdue]

    def manifest_inputs(self) -> list[dict[str, Any]]:
        """Every remedy workbook read, with its hash, department and status (for ``manifest.json``)."""
        return manifest_inputs(self.results, self.outcomes, role="remedy", owner_key="department")

    def as_dict(self) -> dict[str, Any]:
        """The collection as plain values (``--json``)."""
        return {
            "campaign": self.campaign.id,
            "round": self.campaign.round_id,
            "today": self.today.isoformat(),
            "departments": [
                {"id": o.owner.id, "name": o.owner.name, "status": o.status, "files": o.files, "errors": o.errors}
                for o in self.outcomes
            ],
            "items": [i.as_dict() for i in self.items],
            "overdue": [[i.department.id, i.entry.code] for i in self.overdue],
            "silent": [d.id for d in self.silent],
            "problems": [p.to_dict() for p in self.problems],
        }


@dataclass(frozen=True)
class RemedyForms:
    """The remedy workbook as a form kind of the collection engine."""

    campaign: Campaign
    expected: tuple[Department, ...]
    document: str = "kế hoạch khắc phục"
    owner_noun: str = "cơ quan"
    role: str = "remedy"

    def read(self, path: Path) -> RemedyResult:
        """Read one remedy workbook (see :func:`read_remedy`)."""
        return read_remedy(path, self.campaign)

    def worker(self) -> tuple[Callable[[str], RemedyForms], str]:
        """Each worker process loads the campaign once, at the round being collected (expecting every department)."""
        from parcli.config.campaign import campaign_ref

        return _forms_from_ref, campaign_ref(self.campaign)

    def owners(self) -> list[Department]:
        """The departments issued a plan."""
        return list(self.expected)

    def owner_id(self, owner: Department) -> str:
        """The department id."""
        return owner.id

    def not_a_form(self, path: Path) -> Problem:
        """A file in the remedy folder that is not a spreadsheet."""
        return not_a_spreadsheet(path, "kế hoạch khắc phục")

    def missing(self, owner: Department) -> Problem:
        """A department that sent no plan."""
        return Problem(
            slug="remedy-plan-missing",
            department=owner.id,
            message=f"{owner.name} chưa gửi kế hoạch khắc phục các mục bị trừ điểm.",
        )

    def duplicate(self, owner: Department, result: FormResult, files: list[str], reason: str) -> Problem:
        """Several plans of one department when none can be chosen."""
        return Problem(
            slug="duplicate-return",
            file=result.file,
            department=owner.id,
            message=f"{owner.name} có {len(files)} kế hoạch khắc phục ({', '.join(files)}); {reason}, nên chưa dùng "
            "bản nào. Đề nghị giữ lại một bản hoặc chỉ định bằng --pick TÊN_TỆP.",
        )


def _forms_from_ref(ref: str) -> RemedyForms:
    from parcli.config.campaign import load_ref

    campaign = load_ref(ref)
    return RemedyForms(campaign, campaign.departments)


def collect_remedies(
    campaign: Campaign,
    folder: Path,
    today: date,
    expected: Sequence[Department] | None = None,
    *,
    pick: list[str] | None = None,
) -> RemedyCollection:
    """Read every remedy workbook in ``folder`` (never modifying it) and build the tracking table.

    ``expected`` are the departments issued a plan (those with items that lost
    points); without it, the departments whose plan is in the folder (then no
    department can be told silent).
    """
    if expected is None:
        found_ids = {r.owner_id for r in (read_remedy(p, campaign) for p in _spreadsheets(folder)) if r.owner_id}
        expected = [d for d in campaign.departments if d.id in found_ids]
    kind = RemedyForms(campaign, tuple(expected))
    found = collect_forms(kind, folder, lambda d, files: RemedyOutcome(owner=d, files=files), pick=pick)
    result = RemedyCollection(campaign, folder, today, found.results, found.outcomes, decisions=found.decisions)
    ids = [d.id for d in expected]
    for dept in expected:
        chosen = found.chosen.get(dept.id)
        if chosen is None:
            continue
        for entry in chosen.entries:
            overdue = entry.overdue(today)
            result.items.append(TrackedItem(dept, entry, bool(overdue), chosen.file))
            for measure in overdue:  # each measure of the item past its deadline, by its cell
                found.problems_of[dept.id].append(
                    Problem(
                        slug="remedy-overdue",
                        file=chosen.file,
                        sheet=layout.SHEET_REMEDY,
                        cell=measure.deadline_cell,
                        item=entry.code,
                        department=dept.id,
                        message=f"Mục {entry.code}: giải pháp khắc phục đã quá hạn ({date_filter(measure.deadline)}) "
                        f"mà chưa hoàn thành (tiến độ: {(measure.progress or 'chưa ghi').lower()}).",
                    )
                )
    found.settle(ids)
    result.problems = found.problems(ids)
    return result


def _spreadsheets(folder: Path) -> list[Path]:
    from parcli.collect.folder import list_folder

    return list_folder(folder)[0]


# --- the tracking workbook ------------------------------------------------------------------------------

TRACK_SHEET = "Theo dõi khắc phục"
TRACK_HEADERS = (
    "Mã",
    "Nội dung",
    "Điểm bị trừ",
    "Cơ quan",
    "Nguyên nhân",
    "Giải pháp khắc phục",
    "Thời hạn",
    "Người chịu trách nhiệm",
    "Tiến độ",
    "Quá hạn",
    "Kết quả",
    "Tài liệu kiểm chứng",
    "Tệp",
)
TRACK_WIDTHS = (9, 40, 9, 26, 30, 36, 12, 20, 16, 9, 28, 28, 28)
DEPARTMENT_SHEET = "Cơ quan"
DEPARTMENT_HEADERS = ("Mã cơ quan", "Cơ quan", "Trạng thái", "Tệp", "Số lỗi", "Số cảnh báo")
DEPARTMENT_WIDTHS = (16, 36, 14, 40, 8, 10)
PROBLEM_WIDTHS = (10, 28, 16, 30, 16, 8, 9, 90)


def write_tracking(collection: RemedyCollection, target: Path, now: datetime) -> None:
    """Write the tracking workbook (the table, the departments, the problems) atomically.

    Written by the table writer of every consolidated output (:mod:`parcli.xlsx.table`); an overdue
    remedy's row is marked.
    """
    from parcli import __version__
    from parcli.collect.layout import PROBLEM_HEADERS, SHEET_PROBLEMS
    from parcli.labels import severity_label, status_labels
    from parcli.xlsx.table import table_workbook

    labels = status_labels("kế hoạch")
    campaign = collection.campaign
    # items that lost points: a short table, built in memory (repeated text stored once)
    with table_workbook(
        target, created=now, author=f"parcli {__version__}", title=campaign.model.title, streamed=False
    ) as book:
        track = book.table(TRACK_SHEET, TRACK_HEADERS, TRACK_WIDTHS, print_columns=1)  # the item code
        for i in collection.items:
            e = i.entry
            track.row(
                [
                    e.code,
                    e.title,
                    e.lost,
                    i.department.name,
                    e.cause,
                    e.remedy,
                    date_filter(e.deadline),
                    e.responsible,
                    e.progress,
                    "Quá hạn" if i.overdue else "",
                    e.result,
                    e.evidence,
                    i.file,
                ],
                "warning" if i.overdue else "body",
            )
        departments = book.table(DEPARTMENT_SHEET, DEPARTMENT_HEADERS, DEPARTMENT_WIDTHS)
        for o in collection.outcomes:
            departments.row([o.owner.id, o.owner.name, labels[o.status], ", ".join(o.files), o.errors, o.warnings])
        problems = book.table(SHEET_PROBLEMS, PROBLEM_HEADERS, PROBLEM_WIDTHS)
        for p in collection.problems:
            problems.row([severity_label(p.is_error), p.slug, p.department, p.file, p.sheet, p.cell, p.item, p.message])
        book.metadata(
            layout.SHEET_META,
            {
                layout.META_KIND: "parcli-remedy-tracking",
                layout.META_TOOL_VERSION: __version__,
                layout.META_CAMPAIGN: campaign.id,
                layout.META_ROUND: campaign.round_id or "",
                "today": collection.today.isoformat(),
                layout.META_GENERATED_AT: now.isoformat(),
            },
        )
