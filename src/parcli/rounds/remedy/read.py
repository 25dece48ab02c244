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

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form, require_sheets
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.problems import ProblemCollector
from parcli.render import date_filter
from parcli.rounds.remedy import layout

_SHEETS = (layout.SHEET_REMEDY, layout.SHEET_ITEMS, layout.SHEET_META)
_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")

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


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return layout.nfc(str(value)).strip()


def parse_deadline(value: Any) -> date | None:
    """A typed deadline: a date cell, or text ``dd/mm/yyyy`` or ``yyyy-mm-dd``; None when it is not a date."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATE.match(value)
        parts = (match[3], match[2], match[1]) if match else None
        iso = _ISO.match(value)
        if iso:
            parts = (iso[1], iso[2], iso[3])
        if parts:
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    return None


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
    "Đề nghị nhập vào kế hoạch khắc phục đã phát hành.",
    round_key=layout.META_ROUND,
    round_advice="Đề nghị chỉ rõ đợt bằng --round.",
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
            f"đánh giá. Đề nghị nhập vào kế hoạch khắc phục đã phát hành.",
        )
        return
    result.owner_id = owner.id
    result.owner_name = owner.name
    add.department = owner.id
    if not require_sheets(
        wb, (layout.SHEET_REMEDY, layout.SHEET_ITEMS), add, "Đề nghị nhập vào kế hoạch khắc phục đã phát hành."
    ):
        return
    issued = _issued(wb)
    _read_rows(wb[layout.SHEET_REMEDY], campaign, result, issued, add)


def _issued(wb: Any) -> dict[tuple[str, str], Decimal]:
    """The items the workbook was issued for (hidden item sheet): (scope, code) → points lost."""
    out: dict[tuple[str, str], Decimal] = {}
    for row in wb[layout.SHEET_ITEMS].iter_rows(min_row=2, max_col=len(layout.ITEM_HEADERS), values_only=True):
        cells = [_text(v) for v in (*row, None, None, None)][:3]
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
    from parcli.xlsx.open import column_letter
    from parcli.xlsx.text import text_warnings

    sheet = layout.SHEET_REMEDY
    labels = layout.headers(units=campaign.is_units)
    rows = [tuple(r) for r in ws.iter_rows(min_row=1, max_row=len(issued) + 200, max_col=len(labels) + 2)]
    header = layout.find_header(
        [tuple(getattr(c, "value", None) for c in r) for r in rows[:40]],
        labels,
        (layout.HEADER_CODE, layout.HEADER_REMEDY, layout.HEADER_DEADLINE, layout.HEADER_PROGRESS),
    )
    if header is None:
        add.add(
            "header-missing",
            f"Không tìm thấy dòng tiêu đề (có các cột “{layout.HEADER_CODE}”, “{layout.HEADER_REMEDY}”) trên trang "
            "tính khắc phục. Đề nghị nhập vào kế hoạch khắc phục đã được phát hành.",
            sheet=sheet,
        )
        return
    result.usable = True
    cols = {label: c - 1 for label, c in header.columns.items()}
    progress_of = {layout.label_key(p): p for p in layout.PROGRESS}
    last = campaign.last_deadline
    seen: set[tuple[str, str]] = set()

    def at(cells: tuple[Any, ...], label: str) -> Any:
        index = cols.get(label)
        return getattr(cells[index], "value", None) if index is not None and index < len(cells) else None

    def ref(label: str, number: int) -> str:
        return f"{column_letter(cols[label] + 1)}{number}"

    def typed_text(cells: tuple[Any, ...], label: str, number: int, code: str) -> str:
        """A typed text, control characters dropped and the text bounded (each a warning on its cell)."""
        text, unfit = text_warnings(_text(at(cells, label)))
        for slug, message in unfit:
            add.add(slug, message, sheet=sheet, cell=ref(label, number), item=code)
        return text

    for number, cells in enumerate(rows[header.row :], start=header.row + 1):
        code = _text(at(cells, layout.HEADER_CODE))
        if not code:
            continue
        scope = _text(at(cells, layout.HEADER_UNIT_ID)) or PROVINCE_SCOPE
        if (scope, code) not in issued or (scope, code) in seen:
            continue  # a row the department added or copied: not an item of the plan
        seen.add((scope, code))
        entry = RemedyEntry(scope, code, _text(at(cells, layout.HEADER_TITLE)), issued[(scope, code)], number)
        entry.cause = typed_text(cells, layout.HEADER_CAUSE, number, code)
        entry.remedy = typed_text(cells, layout.HEADER_REMEDY, number, code)
        entry.responsible = typed_text(cells, layout.HEADER_RESPONSIBLE, number, code)
        entry.result = typed_text(cells, layout.HEADER_RESULT, number, code)
        entry.evidence = typed_text(cells, layout.HEADER_EVIDENCE, number, code)
        entry.deadline_cell = ref(layout.HEADER_DEADLINE, number)
        entry.progress_cell = ref(layout.HEADER_PROGRESS, number)
        result.entries.append(entry)
        where = {"sheet": sheet, "item": code}
        if not entry.remedy:
            add.add(
                "remedy-missing",
                f"Mục {code} bị trừ điểm nhưng chưa có giải pháp khắc phục. Đề nghị nêu giải pháp, thời hạn và "
                "người chịu trách nhiệm.",
                cell=ref(layout.HEADER_REMEDY, number),
                **where,
            )
        raw = at(cells, layout.HEADER_DEADLINE)
        if raw is None or _text(raw) == "":
            if entry.remedy:
                add.add(
                    "remedy-deadline-missing",
                    f"Mục {code}: giải pháp khắc phục chưa có thời hạn. Đề nghị nhập ngày (ngày/tháng/năm).",
                    cell=entry.deadline_cell,
                    **where,
                )
        else:
            entry.deadline = parse_deadline(raw)
            if entry.deadline is None:
                add.add(
                    "remedy-deadline-not-a-date",
                    f"Mục {code}: thời hạn “{_text(raw)}” không phải là ngày. Đề nghị nhập theo dạng "
                    "ngày/tháng/năm, ví dụ 30/11/2023.",
                    cell=entry.deadline_cell,
                    **where,
                )
            elif last and entry.deadline > last:
                add.add(
                    "remedy-deadline-too-late",
                    f"Mục {code}: thời hạn {date_filter(entry.deadline)} muộn hơn hạn gửi kết quả tự đánh giá cả "
                    f"năm ({date_filter(last)}). Đề nghị đặt thời hạn sớm hơn để kết quả được tính vào điểm cả năm.",
                    cell=entry.deadline_cell,
                    **where,
                )
        typed = _text(at(cells, layout.HEADER_PROGRESS))
        if typed:
            known = progress_of.get(layout.label_key(typed))
            if known is None:
                add.add(
                    "remedy-progress-unknown",
                    f"Mục {code}: tiến độ “{typed}” không có trong danh sách. Đề nghị chọn một trong: "
                    f"{'; '.join(layout.PROGRESS)}.",
                    cell=entry.progress_cell,
                    **where,
                )
            else:
                entry.progress = known
    for scope, code in issued:
        if (scope, code) not in seen:
            add.add(
                "remedy-missing",
                f"Mục {code} bị trừ điểm không còn dòng trong kế hoạch khắc phục (dòng đã bị xóa hoặc mã bị sửa). "
                "Đề nghị nhập vào kế hoạch khắc phục đã được phát hành.",
                sheet=sheet,
                item=code,
            )
