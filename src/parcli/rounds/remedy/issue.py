"""Issuing remedy workbooks: one per department (or unit) with items that lost points in a round.

Each row is one item that lost points (code, title, maximum, score, points lost,
appraisal note), locked, with the department's unlocked input columns beside it:
the cause, the remedy, its deadline (a date), who is responsible, its progress
(a list), the result and the evidence.  What the workbooks are built from is
passed in as plain :class:`LostItem` values: this round never reads the
consolidated workbook itself.  A remedy workbook is typed by people, so an
existing one is never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from parcli import __version__, clock
from parcli.config.campaign import Campaign, Department
from parcli.errors import UsageError
from parcli.numbers import fmt_points
from parcli.rounds.remedy import layout
from parcli.xlsx.style import XW, xw_props
from parcli.xlsx.write import (
    cell_number,
    form_formats,
    page,
    protect,
    seal_form,
    set_column_widths,
    write_text,
    write_xlsxwriter,
)


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
    """Write one remedy workbook per department with lost items into ``out_dir`` (atomically, file by file).

    Raises :class:`UsageError` when a workbook to write is already in the folder
    (departments type into them: parcli never rewrites one).
    """
    stamp = (now or clock.now()).replace(microsecond=0)
    result = RemedyIssueResult(out_dir)
    planned = [
        (out_dir / f"{layout.file_stem(dept.file_stem)}.xlsx", dept, items)
        for dept, items in plan_remedies(campaign, lost)
    ]
    typed = [target.name for target, *_ in planned if target.exists()]
    if typed:
        raise UsageError(
            f"Thư mục {out_dir} đã có kế hoạch khắc phục: {', '.join(typed)}. Kế hoạch khắc phục là tệp cơ quan "
            "nhập liệu nên không bị ghi đè. Đề nghị phát hành vào thư mục khác hoặc chuyển các tệp đó ra khỏi thư mục."
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    for target, dept, items in planned:
        sheet = _Sheet(campaign, dept, items, stamp)
        write_xlsxwriter(target, sheet.build)
        issued = IssuedRemedy(target, dept, len(items))
        result.workbooks.append(issued)
        if on_progress is not None:
            on_progress(issued)
    return result


@dataclass
class _Sheet:
    campaign: Campaign
    owner: Department
    items: list[LostItem]
    stamp: datetime

    def build(self, wb: Any) -> None:
        """Fill an empty xlsxwriter workbook: the remedy sheet, the item sheet, the metadata sheet."""
        formats = form_formats(wb, date=xw_props(XW.input, XW.date))
        ws = wb.add_worksheet(layout.SHEET_REMEDY)
        items = wb.add_worksheet(layout.SHEET_ITEMS)
        meta = wb.add_worksheet(layout.SHEET_META)
        self._write_table(ws, formats, items)
        self._write_meta(meta)
        seal_form(
            wb,
            ws,
            [items, meta],
            password=self.campaign.model.protection_password or "",
            title=f"Kế hoạch khắc phục — {self.owner.name}",
            author=f"parcli {__version__}",
            created=self.stamp,
        )

    def _write_table(self, ws: Any, f: dict[str, Any], items: Any) -> None:
        from parcli.render import date_filter

        camp = self.campaign
        headers = layout.headers(units=camp.is_units)
        col = {label: i for i, label in enumerate(headers)}
        set_column_widths(ws, {i + 1: layout.WIDTHS[h] for i, h in enumerate(headers)})
        ws.write_string(0, 0, f"KẾ HOẠCH KHẮC PHỤC CÁC MỤC BỊ TRỪ ĐIỂM — {self.owner.name.upper()}", f["title"])
        round_words = f" ({camp.round_title})" if camp.round_id else ""
        write_text(
            ws,
            1,
            0,
            f"{camp.model.title}{round_words}. Nhập vào các ô màu vàng: nguyên nhân, giải pháp khắc phục, thời hạn "
            f"(ngày/tháng/năm, không sau ngày {date_filter(camp.last_deadline)}), người chịu trách nhiệm, tiến độ "
            f"({', '.join(p.lower() for p in layout.PROGRESS)}), kết quả và tài liệu kiểm chứng.",
            f["note"],
        )
        header_row = layout.HEADER_ROW - 1
        for c, label in enumerate(headers):
            ws.write_string(header_row, c, label, f["header"])
        for c, label in enumerate(layout.ITEM_HEADERS):
            items.write_string(0, c, label)
        for offset, item in enumerate(self.items):
            r = header_row + 1 + offset
            given: dict[str, Any] = {
                layout.HEADER_UNIT_ID: item.scope,
                layout.HEADER_CODE: item.code,
                layout.HEADER_TITLE: item.title,
                layout.HEADER_MAX: cell_number(item.max_points),
                layout.HEADER_SCORE: cell_number(item.score),
                layout.HEADER_LOST: cell_number(item.lost),
                layout.HEADER_NOTE: item.note,
            }
            for label, c in col.items():
                if label in layout.INPUT_HEADERS:
                    ws.write_blank(r, c, None, f["date"] if label == layout.HEADER_DEADLINE else f["input"])
                    continue
                value = given.get(label)
                if isinstance(value, int | float):
                    ws.write_number(r, c, value, f["cell"])
                else:
                    write_text(ws, r, c, str(value or ""), f["cell"])
            for c, value in enumerate((item.scope, item.code, fmt_points(item.lost, comma=False))):
                items.write_string(offset + 1, c, value)
        last = header_row + len(self.items)
        if self.items:
            self._validations(ws, col, header_row + 2, last + 1)
        ws.freeze_panes(header_row + 1, col[layout.HEADER_TITLE] + 1)
        ws.autofilter(header_row, 0, max(last, header_row), len(headers) - 1)
        page(ws, landscape=True, repeat_row=header_row)
        protect(ws, self.campaign.model.protection_password or "", format_rows_and_columns=True, autofilter=True)

    def _validations(self, ws: Any, col: dict[str, int], first: int, last: int) -> None:
        """A date not after the last deadline in the deadline column, the progress list in the progress column."""
        from parcli.render import date_filter

        deadline = self.campaign.last_deadline
        c = col[layout.HEADER_DEADLINE]
        ws.data_validation(
            first - 1,
            c,
            last - 1,
            c,
            {
                "validate": "date",
                "criteria": "between",
                "minimum": datetime(2000, 1, 1),
                "maximum": datetime(deadline.year, deadline.month, deadline.day),
                "ignore_blank": True,
                "error_title": "Thời hạn không hợp lệ",
                "error_message": f"Nhập ngày theo dạng ngày/tháng/năm, không sau ngày {date_filter(deadline)}.",
                "input_title": "Thời hạn",
                "input_message": f"Ngày hoàn thành giải pháp (không sau ngày {date_filter(deadline)}).",
            },
        )
        p = col[layout.HEADER_PROGRESS]
        ws.data_validation(
            first - 1,
            p,
            last - 1,
            p,
            {
                "validate": "list",
                "source": list(layout.PROGRESS),
                "ignore_blank": True,
                "error_title": "Tiến độ không hợp lệ",
                "error_message": "Chọn một trong: " + "; ".join(layout.PROGRESS) + ".",
            },
        )

    def _write_meta(self, ws: Any) -> None:
        camp = self.campaign
        values = {
            layout.META_KIND: layout.KIND_REMEDY,
            layout.META_LAYOUT: layout.LAYOUT_VERSION,
            layout.META_TOOL_VERSION: __version__,
            layout.META_CAMPAIGN: camp.id,
            layout.META_CAMPAIGN_HASH: camp.content_hash,
            layout.META_ROUND: camp.round_id or "",
            layout.META_OWNER: self.owner.id,
            layout.META_OWNER_NAME: self.owner.name,
            layout.META_LAST_DEADLINE: camp.last_deadline.isoformat(),
            layout.META_GENERATED_AT: self.stamp.isoformat(),
        }
        for r, key in enumerate(layout.META_KEYS):
            ws.write_string(r, 0, key)
            write_text(ws, r, 1, values[key])
