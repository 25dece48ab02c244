"""Reading one remedy workbook: what the department typed, checked cell by cell.

:func:`read_remedy` never raises for bad data: a deadline that is not a date
(``remedy-deadline-not-a-date``) or lies after the year-end deadline
(``remedy-deadline-too-late``), a progress value not in the list
(``remedy-progress-unknown``), an item without a remedy (``remedy-missing``), a
remedy without a deadline (``remedy-deadline-missing``) are problems by file,
sheet, cell and item.  Whether a deadline has passed (``remedy-overdue``)
depends on the day of the merge and is decided in :mod:`.merge`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form, require_sheets
from parcli.collect.rows import Row, read_table, text, typed_date
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.problems import ProblemCollector
from parcli.render import date_filter
from parcli.rounds.remedy import layout

_SHEETS = (layout.SHEET_REMEDY, layout.SHEET_ITEMS, layout.SHEET_META)

_RESEND = "Đề nghị nhập vào kế hoạch khắc phục đã phát hành."


@dataclass
class RemedyEntry:
    """One row of a remedy workbook as typed."""

    scope: str
    code: str
    title: str
    lost: Decimal
    row: int  # 1-based row of the remedy sheet
    cause: str = ""
    remedy: str = ""
    deadline: date | None = None
    deadline_cell: str = ""
    responsible: str = ""
    progress: str = ""  # one of layout.PROGRESS, or "" (none or unknown)
    progress_cell: str = ""
    result: str = ""
    evidence: str = ""

    @property
    def key(self) -> tuple[str, str]:
        """(scope, item code)."""
        return (self.scope, self.code)

    @property
    def done(self) -> bool:
        """True when the remedy is reported completed."""
        return self.progress == layout.PROGRESS_DONE


@dataclass
class RemedyResult(FormResult):
    """A remedy workbook as read: its department, round and rows."""

    round_id: str = ""
    owner_name: str = ""
    entries: list[RemedyEntry] = field(default_factory=list)


def read_remedy(path: Path, campaign: Campaign) -> RemedyResult:
    """Read one remedy workbook against ``campaign``; never raises for bad data."""
    result = RemedyResult(path=path)
    if not open_form(
        result, lambda wb, add: _read(wb, campaign, result, add), fast_sheets=_SHEETS, noun="kế hoạch khắc phục"
    ):
        result.usable = False
        result.entries.clear()
    return result


# What the hidden metadata of a remedy plan must say: it remedies the lost points of the round being collected.
IDENTITY = Identity(
    layout.KIND_REMEDY,
    layout.LAYOUT_VERSION,
    "kế hoạch khắc phục",
    _RESEND,
    round_key=layout.META_ROUND,
    round_advice="Đề nghị chỉ rõ đợt bằng --round.",
    campaign_hash_key=layout.META_CAMPAIGN_HASH,
)


def _read(wb: Any, campaign: Campaign, result: RemedyResult, add: ProblemCollector) -> None:
    from parcli.xlsx.open import read_metadata

    meta = read_metadata(wb, layout.SHEET_META, len(layout.META_KEYS) + 5)
    if not check_identity(meta, IDENTITY, campaign, add):
        return
    result.metadata = meta
    result.round_id = meta.get(layout.META_ROUND, "")
    owner = campaign.department_by_id.get(meta.get(layout.META_OWNER, ""))
    if owner is None:
        add.add(
            "unknown-department",
            f"Cơ quan “{meta.get(layout.META_OWNER, '')}” ghi trong kế hoạch khắc phục không có trong kế hoạch "
            "đánh giá. Đề nghị nhập vào kế hoạch khắc phục đã phát hành.",
        )
        return
    result.owner_id = owner.id
    result.owner_name = owner.name
    add.department = owner.id
    if not require_sheets(wb, (layout.SHEET_REMEDY, layout.SHEET_ITEMS), add, _RESEND):
        return
    issued = _issued(wb)
    _read_rows(wb[layout.SHEET_REMEDY], campaign, result, issued, add)


def _issued(wb: Any) -> dict[tuple[str, str], Decimal]:
    """The items the workbook was issued for (hidden item sheet): (scope, code) → points lost."""
    out: dict[tuple[str, str], Decimal] = {}
    for row in wb[layout.SHEET_ITEMS].iter_rows(min_row=2, max_col=len(layout.ITEM_HEADERS), values_only=True):
        cells = [text(v) for v in (*row, None, None, None)][:3]
        if cells[1]:
            try:
                out[(cells[0], cells[1])] = Decimal(cells[2])
            except InvalidOperation:
                out[(cells[0], cells[1])] = Decimal(0)
    return out


def _read_rows(
    ws: Any,
    campaign: Campaign,
    result: RemedyResult,
    issued: dict[tuple[str, str], Decimal],
    add: ProblemCollector,
) -> None:
    """Every row of an item the plan was issued for (rows added or copied are not items); then the rows missing."""
    declared = layout.table(units=campaign.is_units)
    table = read_table(ws, declared, add, max_rows=len(issued) + 200, width=len(declared.columns) + 2)
    if table is None:
        return
    result.usable = True
    seen: set[tuple[str, str]] = set()
    for row in table:
        code = row.text("code")
        scope = row.text("scope") or PROVINCE_SCOPE
        if (scope, code) not in issued or (scope, code) in seen:
            continue  # a row the department added or copied: not an item of the plan
        seen.add((scope, code))
        entry = RemedyEntry(scope, code, row.text("title"), issued[(scope, code)], row.number)
        entry.cause = row.typed("cause", item=code)
        entry.remedy = row.typed("remedy", item=code)
        entry.responsible = row.typed("responsible", item=code)
        entry.result = row.typed("result", item=code)
        entry.evidence = row.typed("evidence", item=code)
        entry.deadline_cell = row.ref("deadline") or ""
        entry.progress_cell = row.ref("progress") or ""
        result.entries.append(entry)
        _check(row, entry, campaign.last_deadline)
    for scope, code in issued:
        if (scope, code) not in seen:
            table.problem(
                "remedy-missing",
                f"Mục {code} bị trừ điểm không còn dòng trong kế hoạch khắc phục (dòng đã bị xóa hoặc mã bị sửa). "
                "Đề nghị nhập vào kế hoạch khắc phục đã được phát hành.",
                item=code,
            )


def _check(row: Row, entry: RemedyEntry, last: date | None) -> None:
    """A remedy, its deadline (a date, not after ``last``) and its progress (one of the list)."""
    code = entry.code
    if not entry.remedy:
        row.problem(
            "remedy-missing",
            f"Mục {code} bị trừ điểm nhưng chưa có giải pháp khắc phục. Đề nghị nêu giải pháp, thời hạn và "
            "người chịu trách nhiệm.",
            "remedy",
            item=code,
        )
    typed = row.text("deadline")
    if not typed:
        if entry.remedy:
            row.problem(
                "remedy-deadline-missing",
                f"Mục {code}: giải pháp khắc phục chưa có thời hạn. Đề nghị nhập ngày (ngày/tháng/năm).",
                "deadline",
                item=code,
            )
    else:
        entry.deadline = typed_date(row.value("deadline"))
        if entry.deadline is None:
            row.problem(
                "remedy-deadline-not-a-date",
                f"Mục {code}: thời hạn “{typed}” không phải là ngày. Đề nghị nhập theo dạng "
                "ngày/tháng/năm, ví dụ 30/11/2023.",
                "deadline",
                item=code,
            )
        elif last and entry.deadline > last:
            row.problem(
                "remedy-deadline-too-late",
                f"Mục {code}: thời hạn {date_filter(entry.deadline)} muộn hơn hạn gửi kết quả tự đánh giá cả "
                f"năm ({date_filter(last)}). Đề nghị đặt thời hạn sớm hơn để kết quả được tính vào điểm cả năm.",
                "deadline",
                item=code,
            )
    typed, known = row.choice("progress")
    if typed and known is None:
        row.problem(
            "remedy-progress-unknown",
            f"Mục {code}: tiến độ “{typed}” không có trong danh sách. Đề nghị chọn một trong: "
            f"{'; '.join(layout.PROGRESS)}.",
            "progress",
            item=code,
        )
    entry.progress = known or ""
