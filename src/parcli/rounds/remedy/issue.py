"""Issuing remedy workbooks: one per department (or unit) with items that lost points in a round.

Each row is one item that lost points (code, title, maximum, score, points lost,
appraisal note), locked, with the department's unlocked input columns beside it:
the cause, the remedy, its deadline (a date), who is responsible, its progress
(a list), the result and the evidence.  What the workbooks are built from is
passed in as plain :class:`LostItem` values: this round never reads the
consolidated workbook itself.  A remedy workbook is typed by people, so an
existing one is never overwritten, and a set is written all or none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from parcli import __version__, clock
from parcli.collect.issue import PlannedForm, TableForm, build_table_form, issue_forms
from parcli.config.campaign import Campaign, Department
from parcli.numbers import fmt_points
from parcli.rounds.remedy import layout
from parcli.rounds.remedy.read import read_remedy
from parcli.xlsx.printing import Signature


@dataclass(frozen=True)
class LostItem:
    """One item that lost points in a round, as the remedy workbook shows it."""

    scope: str
    code: str
    title: str
    max_points: Decimal
    score: Decimal
    note: str  # the appraisal note, if any
    owner: Department

    @property
    def lost(self) -> Decimal:
        """Points lost."""
        return self.max_points - self.score


@dataclass
class IssuedRemedy:
    """One remedy workbook written."""

    path: Path
    owner: Department
    items: int


@dataclass
class RemedyIssueResult:
    """The workbooks written, in order."""

    out_dir: Path
    workbooks: list[IssuedRemedy] = field(default_factory=list)


def plan_remedies(campaign: Campaign, lost: Sequence[LostItem]) -> list[tuple[Department, list[LostItem]]]:
    """(department, its lost items in the order given) for every department with one, in campaign order."""
    out = []
    for dept in campaign.departments:
        mine = [item for item in lost if item.owner.id == dept.id]
        if mine:
            out.append((dept, mine))
    return out


def issue_remedies(
    campaign: Campaign,
    lost: Sequence[LostItem],
    out_dir: Path,
    *,
    now: datetime | None = None,
    on_progress: Callable[[IssuedRemedy], None] | None = None,
) -> RemedyIssueResult:
    """Write one remedy workbook per department with lost items into ``out_dir``, all or none.

    Raises :class:`parcli.errors.UsageError` when the folder already holds a plan of one of these
    departments for this round, under any name, or a file of a plan's name
    (departments type into them: parcli never rewrites one; see :func:`issue_forms`).
    """
    stamp = (now or clock.now()).replace(microsecond=0)
    result = RemedyIssueResult(out_dir)
    planned: list[PlannedForm] = []
    issued: dict[Path, IssuedRemedy] = {}
    for dept, items in plan_remedies(campaign, lost):
        target = out_dir / f"{layout.file_stem(dept.file_stem)}.xlsx"
        build = partial(build_table_form, form=_form(campaign, dept, items, stamp))
        planned.append(PlannedForm(dept.id, target, build))
        issued[target] = IssuedRemedy(target, dept, len(items))

    def written(form: PlannedForm) -> None:
        result.workbooks.append(issued[form.target])
        if on_progress is not None:
            on_progress(issued[form.target])

    issue_forms(
        out_dir,
        planned,
        lambda path: read_remedy(path, campaign),
        document="kế hoạch khắc phục",
        typist="cơ quan",
        on_written=written,
    )
    return result


def _form(campaign: Campaign, owner: Department, items: list[LostItem], stamp: datetime) -> TableForm:
    """One remedy workbook: the items that lost points, locked, and the department's columns open."""
    from parcli.render import date_filter

    table = layout.table(units=campaign.is_units)
    deadline = campaign.last_deadline
    # the round's title may end in brackets of its own ("… năm 2023 (ví dụ)"): set off by a dash, never bracketed
    round_words = f" — {campaign.round_title}" if campaign.round_id else ""
    return TableForm(
        table,
        f"KẾ HOẠCH KHẮC PHỤC CÁC MỤC BỊ TRỪ ĐIỂM — {owner.name.upper()}",
        f"{campaign.model.title}{round_words}. Nhập vào các ô màu vàng: nguyên nhân, giải pháp khắc phục, thời hạn "
        f"(ngày/tháng/năm, không sau ngày {date_filter(deadline)}), người chịu trách nhiệm, tiến độ "
        f"({', '.join(p.lower() for p in layout.PROGRESS)}), kết quả và tài liệu kiểm chứng.",
        [
            {
                "scope": item.scope,
                "code": item.code,
                "title": item.title,
                "max": item.max_points,
                "score": item.score,
                "lost": item.lost,
                "note": item.note,
            }
            for item in items
        ],
        layout.SHEET_ITEMS,
        [layout.ITEM_HEADERS, *((item.scope, item.code, fmt_points(item.lost, comma=False)) for item in items)],
        {
            layout.META_KIND: layout.KIND_REMEDY,
            layout.META_LAYOUT: layout.LAYOUT_VERSION,
            layout.META_TOOL_VERSION: __version__,
            layout.META_CAMPAIGN: campaign.id,
            layout.META_CAMPAIGN_HASH: campaign.content_hash,
            layout.META_ROUND: campaign.round_id or "",
            layout.META_OWNER: owner.id,
            layout.META_OWNER_NAME: owner.name,
            layout.META_LAST_DEADLINE: deadline.isoformat(),
            layout.META_GENERATED_AT: stamp.isoformat(),
            layout.META_YEAR: str(campaign.model.year),
        },
        frozen=table.position("title"),
        print_columns=table.position("title"),
        signature=Signature(layout.SIGNATURE, campaign.letterhead()["date_line"]),
        document=f"Kế hoạch khắc phục — {owner.name}",
        password=campaign.model.protection_password or "",
        created=stamp,
        column_validations={
            "deadline": {  # a date, not after the year-end returns deadline
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(2000, 1, 1),
                "maximum": datetime(deadline.year, deadline.month, deadline.day),
                "ignore_blank": True,
                "error_title": "Thời hạn không hợp lệ",
                "error_message": f"Nhập ngày theo dạng ngày/tháng/năm, không sau ngày {date_filter(deadline)}.",
                "input_title": "Thời hạn",
                "input_message": f"Ngày hoàn thành giải pháp (không sau ngày {date_filter(deadline)}).",
            }
        },
    )
