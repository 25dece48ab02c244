"""Reading a consolidated workbook back (the output of ``parcli merge``).

The report is computed from this workbook: the accepted self-assessed scores
merge wrote, and the appraised scores (*điểm thẩm định*) a reviewer typed in.
Typed appraisals are validated here, cell by cell; an unusable one stops the
report with a message naming the cell rather than being silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from parcli.errors import ConsolidatedError, InputNotFoundError
from parcli.numbers import fmt_points, to_decimal
from parcli.rounds.scoring import layout


@dataclass(frozen=True)
class ConsolidatedItem:
    """One item row of the consolidated workbook."""

    code: str
    max_points: Decimal | None
    scored_by: str  # "self" or "survey"
    score: Decimal | None
    not_applicable: bool
    appraised: Decimal | None
    appraisal_note: str
    explanation: str
    evidence: str
    status: str
    file: str


@dataclass(frozen=True)
class ConsolidatedDepartment:
    """One row of the departments sheet."""

    id: str
    status: str
    files: str
    sent: date | None
    received: date | None


@dataclass
class Consolidated:
    """The content of a consolidated workbook."""

    path: Path
    metadata: dict[str, str]
    items: dict[str, ConsolidatedItem] = field(default_factory=dict)
    departments: dict[str, ConsolidatedDepartment] = field(default_factory=dict)
    field_max: dict[str, Decimal] = field(default_factory=dict)
    unit_items: dict[str, dict[str, ConsolidatedItem]] = field(default_factory=dict)  # each-unit-scores mode

    @property
    def is_units(self) -> bool:
        """True for a consolidated workbook of an each-unit-scores campaign."""
        return self.metadata.get(layout.META_MODE) == "each-unit-scores"

    @property
    def campaign_id(self) -> str:
        """The campaign the workbook was merged for."""
        return self.metadata.get(layout.META_CAMPAIGN, "")

    @property
    def campaign_path(self) -> str | None:
        """Where the campaign file was when the workbook was merged."""
        return self.metadata.get("campaign_path") or None


_NOT_APPLICABLE_KEY = layout.label_key(layout.NOT_APPLICABLE)


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return text.strip() if text.isascii() else layout.nfc(text).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _number(value: Any) -> Decimal | None:
    """A finite number from a cell (a decimal comma is accepted); None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    number = to_decimal(value) if isinstance(value, int | float) else Decimal(str(value).strip().replace(",", "."))
    if not number.is_finite():
        raise InvalidOperation
    return number


def read_consolidated(path: Path, maxima: dict[str, Decimal] | None = None) -> Consolidated:
    """Read a consolidated workbook; check appraised scores against ``maxima`` (code → max points).

    Raises :class:`ConsolidatedError` when the file is not a consolidated
    workbook, or when appraised scores are not numbers within 0..max (every
    bad cell is listed).
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from parcli.rounds.scoring.read import CalamineBook

    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng tổng hợp {path}.")
    # calamine reads the ~100,000 rows of a commune campaign in a fraction of openpyxl's time;
    # formulas typed into these sheets are still seen (and refused as appraisals)
    wb: Any = CalamineBook.open(path, (layout.SHEET_CONSOLIDATED, layout.SHEET_DEPARTMENTS, layout.SHEET_META))
    if wb is None:
        try:
            wb = load_workbook(path, read_only=True, data_only=False)
        except Exception as exc:
            raise ConsolidatedError(f"Không đọc được bảng tổng hợp {path} ({type(exc).__name__}).") from exc
    try:
        from parcli.rounds.scoring.read import read_metadata

        meta = read_metadata(wb)
        if not meta or meta.get(layout.META_KIND) != layout.KIND_CONSOLIDATED:
            raise ConsolidatedError(f"{path.name} không phải bảng tổng hợp do parcli merge tạo ra.")
        result = Consolidated(path=path, metadata=meta)
        sheet = layout.SHEET_CONSOLIDATED
        if sheet not in wb.sheetnames:
            raise ConsolidatedError(f"{path.name} thiếu trang tính “{sheet}”.")
        rows = [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
        labels = layout.UNIT_CONSOLIDATED_HEADERS if result.is_units else layout.CONSOLIDATED_HEADERS
        header = layout.find_header(rows, labels, labels)
        if header is None:
            raise ConsolidatedError(f"Không tìm thấy dòng tiêu đề đầy đủ trong {path.name} › {sheet}.")
        col = {label: index - 1 for label, index in header.columns.items()}
        bad: list[str] = []
        for offset, row in enumerate(rows[header.row :], start=header.row + 1):
            cells = list(row) + [None] * (len(labels) - len(row))
            code = _text(cells[col[layout.HEADER_CODE]])
            unit = _text(cells[col[layout.HEADER_UNIT_ID]]) if result.is_units else ""
            key = f"{unit}/{code}" if unit else code
            if not result.is_units and code and _text(cells[col[layout.HEADER_LEVEL]]) == layout.LEVEL_LABELS[1]:
                try:
                    field_max = _number(cells[col[layout.HEADER_MAX]])
                except (InvalidOperation, ValueError):
                    field_max = None
                if field_max is not None:
                    result.field_max[code] = field_max
                continue
            scored_by_label = _text(cells[col[layout.HEADER_SCORED_BY]])
            if not code or not scored_by_label:
                continue  # criterion rows with components carry no "Hình thức": they are group rows
            if maxima is not None and key not in maxima:
                continue
            scored_by = next((k for k, v in layout.SCORED_BY_LABELS.items() if v == scored_by_label), "self")
            try:
                item_max = _number(cells[col[layout.HEADER_MAX]])
            except (InvalidOperation, ValueError):
                item_max = None
            raw_score = cells[col[layout.HEADER_SCORE]]
            status = _text(cells[col[layout.HEADER_ITEM_STATUS]])
            not_applicable = status == layout.EXEMPT_STATUS or (
                isinstance(raw_score, str) and layout.label_key(raw_score) == _NOT_APPLICABLE_KEY
            )
            raw_appraised = cells[col[layout.HEADER_APPRAISED]]
            cell = f"{get_column_letter(col[layout.HEADER_APPRAISED] + 1)}{offset}"
            try:
                appraised = _number(raw_appraised)
            except (InvalidOperation, ValueError):
                bad.append(
                    f"{path.name} › {sheet} › {cell} (mục {key}): điểm thẩm định “{raw_appraised}” không phải là số"
                )
                appraised = None
            top = (maxima or {}).get(key)
            if appraised is not None and top is not None and not Decimal(0) <= appraised <= top:
                bad.append(
                    f"{path.name} › {sheet} › {cell} (mục {code}): điểm thẩm định {fmt_points(appraised)} "
                    f"phải từ 0 đến {fmt_points(top)}"
                )
            try:
                score = None if not_applicable else _number(raw_score)
            except (InvalidOperation, ValueError):
                bad.append(
                    f"{path.name} › {sheet} › {get_column_letter(col[layout.HEADER_SCORE] + 1)}{offset} "
                    f"(mục {code}): điểm tự đánh giá “{raw_score}” đã bị sửa, không phải là số"
                )
                score = None
            item = ConsolidatedItem(
                code=code,
                max_points=item_max,
                scored_by=scored_by,
                score=score,
                not_applicable=not_applicable,
                appraised=appraised,
                appraisal_note=_text(cells[col[layout.HEADER_APPRAISAL_NOTE]]),
                explanation=_text(cells[col[layout.HEADER_EXPLANATION]]),
                evidence=_text(cells[col[layout.HEADER_EVIDENCE]]),
                status=status,
                file=_text(cells[col[layout.HEADER_FILE]]),
            )
            if result.is_units:
                result.unit_items.setdefault(unit, {})[code] = item
            else:
                result.items[code] = item
        if bad:
            raise ConsolidatedError(
                "Bảng tổng hợp có ô không hợp lệ, cần sửa trước khi lập báo cáo:\n" + "\n".join(f"  - {b}" for b in bad)
            )
        if layout.SHEET_DEPARTMENTS in wb.sheetnames:
            drows = [tuple(r) for r in wb[layout.SHEET_DEPARTMENTS].iter_rows(values_only=True)]
            dh = layout.find_header(
                drows, layout.DEPARTMENT_HEADERS, (layout.HEADER_DEPT_ID, layout.HEADER_STATUS_CODE)
            )
            if dh is not None:
                dcol = {label: index - 1 for label, index in dh.columns.items()}

                def get(row: tuple[Any, ...], label: str) -> Any:
                    i = dcol.get(label)
                    return row[i] if i is not None and i < len(row) else None

                for row in drows[dh.row :]:
                    dept_id = _text(get(row, layout.HEADER_DEPT_ID))
                    if dept_id:
                        result.departments[dept_id] = ConsolidatedDepartment(
                            id=dept_id,
                            status=_text(get(row, layout.HEADER_STATUS_CODE)),
                            files=_text(get(row, layout.HEADER_FILES)),
                            sent=_date(get(row, layout.HEADER_SENT)),
                            received=_date(get(row, layout.HEADER_RECEIVED)),
                        )
        return result
    finally:
        wb.close()
