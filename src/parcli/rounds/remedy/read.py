"""Reading one remedy workbook: what the department typed, checked cell by cell.

:func:`read_remedy` never raises for bad data: a deadline that is not a date
(``remedy-deadline-not-a-date``) or lies after the year-end deadline
(``remedy-deadline-too-late``), a progress value not in the list
(``remedy-progress-unknown``), an item without a remedy (``remedy-missing``), a
remedy without a deadline (``remedy-deadline-missing``) are problems by file,
sheet, cell and item.  Whether a deadline has passed (``remedy-overdue``)
depends on the day of the merge and is decided in :mod:`.merge`.

Every row typed is read: a department that inserts a row under an item (its code left
blank) or copies an item's row to add a second measure has that measure read with the
item (:class:`Measure`; the item shows its measures together), and a row typed that
belongs to no item issued is ``unknown-item`` by cell, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.collect.form import FormResult, Identity, check_identity, open_form, require_sheets
from parcli.collect.rows import Row, blank, read_table, text, typed_date
from parcli.config.campaign import PROVINCE_SCOPE, Campaign
from parcli.problems import ProblemCollector
from parcli.render import date_filter
from parcli.rounds.remedy import layout

_SHEETS = (layout.SHEET_REMEDY, layout.SHEET_ITEMS, layout.SHEET_META)

_RESEND = "Đề nghị nhập vào kế hoạch khắc phục đã phát hành."


@dataclass
class Measure:
    """One row typed for an item: the item's own row, or another measure added under it."""

    row: int  # 1-based row of the remedy sheet
    cause: str = ""
    remedy: str = ""
    remedy_cell: str = ""
    deadline: date | None = None
    deadline_cell: str = ""
    responsible: str = ""
    progress: str = ""  # one of layout.PROGRESS, or "" (none or unknown)
    progress_cell: str = ""
    result: str = ""
    evidence: str = ""

    @property
    def done(self) -> bool:
        """True when the measure is reported completed."""
        return self.progress == layout.PROGRESS_DONE


@dataclass
class RemedyEntry:
    """One item of a remedy workbook as typed: its measures, and what they say together.

    With one measure (the usual case) the item's fields are that row's; with several, the
    texts are joined line by line, the deadline is the latest and the progress the least
    advanced (the item is completed when every measure is).
    """

    scope: str
    code: str
    title: str
    lost: Decimal
    row: int  # 1-based row of the remedy sheet (the item's own row)
    cause: str = ""
    remedy: str = ""
    deadline: date | None = None
    deadline_cell: str = ""
    responsible: str = ""
    progress: str = ""  # one of layout.PROGRESS, or "" (none or unknown)
    progress_cell: str = ""
    result: str = ""
    evidence: str = ""
    measures: list[Measure] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """(scope, item code)."""
        return (self.scope, self.code)

    @property
    def done(self) -> bool:
        """True when the remedy is reported completed."""
        return self.progress == layout.PROGRESS_DONE

    def overdue(self, today: date) -> list[Measure]:
        """The measures whose deadline has passed on ``today`` and that are not completed."""
        return [m for m in self.measures if m.deadline is not None and m.deadline < today and not m.done]

    def combine(self) -> None:
        """Set the item's fields from its measures (see the class docstring)."""
        for name in ("cause", "remedy", "responsible", "result", "evidence"):
            setattr(self, name, "\n".join(dict.fromkeys(t for m in self.measures if (t := getattr(m, name)))))
        dated = [m for m in self.measures if m.deadline is not None]
        latest = max(dated, key=lambda m: m.deadline or date.min, default=None)
        self.deadline, self.deadline_cell = (latest.deadline, latest.deadline_cell) if latest else (None, "")
        order = {"": -1, **{p: i for i, p in enumerate(layout.PROGRESS)}}
        typed = [m for m in self.measures if m.remedy or m.progress] or self.measures[:1]
        least = min(typed, key=lambda m: order[m.progress], default=None)
        self.progress, self.progress_cell = (least.progress, least.progress_cell) if least else ("", "")


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
                lost = Decimal(cells[2])
            except InvalidOperation:
                lost = Decimal(0)
            out[(cells[0], cells[1])] = lost if lost.is_finite() else Decimal(0)
    return out


def _read_rows(
    ws: Any,
    campaign: Campaign,
    result: RemedyResult,
    issued: dict[tuple[str, str], Decimal],
    add: ProblemCollector,
) -> None:
    """Every row typed: an item's own row, another measure of it (its row copied, or a row inserted under it with
    the code left blank), or a row of no item issued (``unknown-item``); then the items whose row is gone."""
    declared = layout.table(units=campaign.is_units)
    table = read_table(ws, declared, add, max_rows=len(issued) + 200, width=len(declared.columns) + 2)
    if table is None:
        return
    result.usable = True
    entries: dict[tuple[str, str], RemedyEntry] = {}
    current: RemedyEntry | None = None  # the item a row with a blank code belongs to: the one above it
    for row in table:
        code = row.text("code")
        typed = any(not blank(row.value(key)) for key in layout.INPUT_KEYS)
        if code:
            scope = row.text("scope") or PROVINCE_SCOPE
            if (scope, code) not in issued:
                current = None
                if typed:
                    row.problem(
                        "unknown-item",
                        f"Dòng {row.number} có nội dung khắc phục cho mã “{code}”, nhưng kế hoạch không được phát "
                        "hành cho mục này nên nội dung chưa được tính. Đề nghị sửa lại đúng mã mục bị trừ điểm, "
                        "hoặc chuyển nội dung vào dòng của mục đó.",
                        "code",
                        item=code,
                    )
                continue
            current = entries.get((scope, code))
            if current is None:
                current = entries[(scope, code)] = RemedyEntry(
                    scope, code, row.text("title"), issued[(scope, code)], row.number
                )
                result.entries.append(current)
            elif not typed:
                continue  # the item's row copied with nothing typed: nothing to read
        elif current is None:
            row.problem(
                "unknown-item",
                f"Dòng {row.number} có nội dung khắc phục nhưng không ghi mã mục và không nằm dưới dòng của mục "
                "nào, nên chưa được tính. Đề nghị ghi mã mục vào cột Mã hoặc chuyển nội dung vào dòng của mục.",
                "remedy",
            )
            continue
        current.measures.append(_measure(row, current, campaign.last_deadline))
    for entry in result.entries:
        entry.combine()
        if not entry.remedy:
            first = entry.measures[0]
            table.problem(
                "remedy-missing",
                f"Mục {entry.code} bị trừ điểm nhưng chưa có giải pháp khắc phục. Đề nghị nêu giải pháp, thời hạn "
                "và người chịu trách nhiệm.",
                cell=first.remedy_cell or None,
                item=entry.code,
            )
    for scope, code in issued:
        if (scope, code) not in entries:
            table.problem(
                "remedy-missing",
                f"Mục {code} bị trừ điểm không còn dòng trong kế hoạch khắc phục (dòng đã bị xóa hoặc mã bị sửa). "
                "Đề nghị nhập vào kế hoạch khắc phục đã được phát hành.",
                item=code,
            )


def _measure(row: Row, entry: RemedyEntry, last: date | None) -> Measure:
    """One typed row of an item, its cells checked (another measure than the item's own row is said so)."""
    code = entry.code
    measure = Measure(row.number)
    measure.cause = row.typed("cause", item=code)
    measure.remedy = row.typed("remedy", item=code)
    measure.responsible = row.typed("responsible", item=code)
    measure.result = row.typed("result", item=code)
    measure.evidence = row.typed("evidence", item=code)
    measure.remedy_cell = row.ref("remedy") or ""
    measure.deadline_cell = row.ref("deadline") or ""
    measure.progress_cell = row.ref("progress") or ""
    if row.number != entry.row and not measure.remedy:
        row.problem(
            "remedy-missing",
            f"Dòng {row.number} (thêm cho mục {code}) có nội dung nhưng chưa có giải pháp khắc phục. Đề nghị ghi "
            "giải pháp, hoặc xóa dòng này.",
            "remedy",
            item=code,
        )
    _check(row, measure, code, last)
    return measure


def _check(row: Row, measure: Measure, code: str, last: date | None) -> None:
    """A measure's deadline (a date, not after ``last``) and its progress (one of the list)."""
    typed = row.text("deadline")
    if not typed:
        if measure.remedy:
            row.problem(
                "remedy-deadline-missing",
                f"Mục {code}: giải pháp khắc phục chưa có thời hạn. Đề nghị nhập ngày (ngày/tháng/năm).",
                "deadline",
                item=code,
            )
    else:
        measure.deadline = typed_date(row.value("deadline"))
        if measure.deadline is None:
            row.problem(
                "remedy-deadline-not-a-date",
                f"Mục {code}: thời hạn “{typed}” không phải là ngày. Đề nghị nhập theo dạng "
                f"ngày/tháng/năm{f', ví dụ {last:%d/%m/%Y}' if last else ''}.",
                "deadline",
                item=code,
            )
        elif last and measure.deadline > last:
            row.problem(
                "remedy-deadline-too-late",
                f"Mục {code}: thời hạn {date_filter(measure.deadline)} muộn hơn hạn gửi kết quả tự đánh giá cả "
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
    measure.progress = known or ""
