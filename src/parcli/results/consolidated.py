"""Reading a consolidated workbook back (the output of ``parcli merge``), in both modes.

The report is computed from this workbook: the accepted self-assessed scores
merge wrote, and the appraised scores (*điểm thẩm định*) a reviewer typed in.
Rows are keyed by (scope, item code), as :mod:`parcli.rounds.scoring.merge`
builds them: the single province scope of a split campaign, or one scope per
unit. :func:`load_consolidated` reads the workbook once; :meth:`Consolidated.checked`
validates the typed appraisals against a campaign, cell by cell (an unusable one
stops the report with a message naming the cell rather than being silently
dropped). What a reviewer typed into an existing workbook is read by
:mod:`parcli.results.consolidated_existing` (for ``appraise import``, and so that ``merge`` never writes over
it). The writer is :mod:`parcli.results.consolidated_write`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parcli.config.campaign import PROVINCE_SCOPE
from parcli.errors import ConsolidatedError, InputNotFoundError, UsageError
from parcli.numbers import fmt_points, to_decimal
from parcli.rounds.scoring import layout

if TYPE_CHECKING:
    from parcli.config.campaign import Campaign


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
    cell: str = ""  # where the appraised score is typed (``G12``)
    appraised_problem: str = ""  # the appraised score is not a number (reported by :meth:`Consolidated.checked`)
    score_problem: str = ""  # the self-assessed score was edited into something else than a number


def _row_item(
    code: str,
    max_points: Decimal | None,
    scored_by: str,
    score: Decimal | None,
    not_applicable: bool,
    appraised: Decimal | None,
    appraisal_note: str,
    explanation: str,
    evidence: str,
    status: str,
    file: str,
    cell: str,
    appraised_problem: str,
    score_problem: str,
) -> ConsolidatedItem:
    """``ConsolidatedItem(...)`` for the ~100,000 rows of a commune campaign's table: the same frozen object,
    its fields put in place at once rather than by one ``object.__setattr__`` each (the dataclass has no
    ``__post_init__``; tests/test_fast_build.py holds the two equal, field for field)."""
    item: ConsolidatedItem = _NEW(ConsolidatedItem)
    item.__dict__.update(
        code=code,
        max_points=max_points,
        scored_by=scored_by,
        score=score,
        not_applicable=not_applicable,
        appraised=appraised,
        appraisal_note=appraisal_note,
        explanation=explanation,
        evidence=evidence,
        status=status,
        file=file,
        cell=cell,
        appraised_problem=appraised_problem,
        score_problem=score_problem,
    )
    return item


_NEW = object.__new__


@dataclass(frozen=True)
class ConsolidatedDepartment:
    """One row of the departments sheet."""

    id: str
    status: str
    files: str
    sent: date | None
    received: date | None
    first_sent: date | None = None  # the first copy, when the copy used is a later correction
    timing: str = ""  # "Đúng hạn", "Muộn" or "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"


@dataclass
class Consolidated:
    """The content of a consolidated workbook: item rows by scope, then by item code."""

    path: Path
    metadata: dict[str, str]
    rows: dict[str, dict[str, ConsolidatedItem]] = field(default_factory=dict)
    departments: dict[str, ConsolidatedDepartment] = field(default_factory=dict)

    def items(self, scope: str = PROVINCE_SCOPE) -> dict[str, ConsolidatedItem]:
        """The rows of one scope (the province, or a unit id in each-unit-scores mode)."""
        return self.rows.get(scope, {})

    @property
    def is_units(self) -> bool:
        """True for a consolidated workbook of an each-unit-scores campaign."""
        return self.metadata.get(layout.META_MODE) == "each-unit-scores"

    @property
    def campaign_id(self) -> str:
        """The campaign the workbook was merged for."""
        return self.metadata.get(layout.META_CAMPAIGN, "")

    @property
    def round_id(self) -> str | None:
        """The round of the campaign the workbook was merged for (None: a campaign without rounds)."""
        return self.metadata.get(layout.META_ROUND) or None

    @property
    def campaign_path(self) -> str | None:
        """Where the campaign file was when the workbook was merged."""
        return self.metadata.get("campaign_path") or None

    def checked(self, campaign: Campaign | None = None) -> Consolidated:
        """The rows of ``campaign``'s scopes and items only, with every typed appraisal checked.

        Raises :class:`ConsolidatedError` listing every cell that is not a number,
        or (with a campaign) an appraised score outside 0..max.
        """
        bad: list[str] = []
        kept: dict[str, dict[str, ConsolidatedItem]] = {}
        maxima = None if campaign is None else {s.id: s.catalogue.leaf_by_code for s in campaign.scopes}
        for scope, items in self.rows.items():
            leaves = None if maxima is None else maxima.get(scope)
            if maxima is not None and leaves is None:
                continue
            ours = dict(items) if leaves is None else {code: item for code, item in items.items() if code in leaves}
            if ours:
                kept[scope] = ours
            # only items with an appraised score or a problem have anything to check (most have neither)
            for code, item in ours.items():
                if not (item.appraised_problem or item.appraised is not None or item.score_problem):
                    continue
                if item.appraised_problem:
                    bad.append(item.appraised_problem)
                top = leaves[code].max_points if leaves is not None else None
                if item.appraised is not None and top is not None and not Decimal(0) <= item.appraised <= top:
                    bad.append(
                        f"{self.path.name} › {layout.SHEET_CONSOLIDATED} › {item.cell} (mục {code}): điểm thẩm định "
                        f"{fmt_points(item.appraised)} phải từ 0 đến {fmt_points(top)}"
                    )
                if item.score_problem:
                    bad.append(item.score_problem)
        if bad:
            raise ConsolidatedError(
                "Bảng tổng hợp có ô không hợp lệ, cần sửa trước khi lập báo cáo:\n"
                + "\n".join(f"  - {b}" for b in bad)
                + "\nĐề nghị sửa các ô trên (nhập số) hoặc chạy lại parcli merge để ghi lại bảng tổng hợp."
            )
        return replace(self, rows=kept)


@dataclass(frozen=True)
class Appraisal:
    """What a reviewer typed into a consolidated workbook for one item (carried over as typed)."""

    score: Any
    note: Any


_NOT_APPLICABLE_KEY = layout.label_key(layout.NOT_APPLICABLE)


def _text(value: Any) -> str:
    if value is None or value == "":
        return ""
    text = value if type(value) is str else str(value)
    return text.strip() if text.isascii() else layout.nfc(text).strip()


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        return date(1899, 12, 30) + timedelta(days=int(value))  # a date cell whose format was lost (Excel serial)
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


REMAKE = "Đề nghị chỉ đúng bảng tổng hợp (.xlsx) do parcli merge ghi ra, hoặc chạy lại parcli merge để ghi lại."


def _open(path: Path, sheets: tuple[str, ...], unreadable: str) -> Any:
    """The workbook through the guarded open (calamine, formulas typed into ``sheets`` still seen, else openpyxl).

    The guarded open's advice is written for a returned form ("send it again"); a
    consolidated workbook is parcli's own output, so only what is wrong is kept and
    ``unreadable`` says what to do.
    """
    from parcli.xlsx.open import WorkbookRefused, open_workbook

    try:
        return open_workbook(path, fast_sheets=sheets, noun="bảng tổng hợp")
    except WorkbookRefused as exc:
        what = exc.message.split(" Đề nghị", 1)[0].rstrip(".")
        raise ConsolidatedError(unreadable.format(error=what)) from None


def _metadata(wb: Any, path: Path) -> dict[str, str] | None:
    """The hidden metadata of a consolidated workbook (None: the sheet is gone); a damaged sheet raises
    :class:`ConsolidatedError` naming the file."""
    from parcli.xlsx.open import read_metadata, root_cause_name

    try:  # as parcli.rounds.scoring.read.read_metadata reads it, without importing the return reader
        return read_metadata(wb, layout.SHEET_META, len(layout.META_KEYS) + 5)
    except Exception as exc:  # a parser's own error class (calamine, lxml)
        raise ConsolidatedError(
            f"Trang tính ẩn “{layout.SHEET_META}” của {path.name} bị hỏng, không đọc được ({root_cause_name(exc)}). "
            f"{REMAKE}"
        ) from None


def _sheet_rows(wb: Any, sheet: str, path: Path) -> Sequence[Sequence[Any]]:
    """Every row of one sheet (an empty cell is None or ""); a part damaged past the guarded open is a
    :class:`ConsolidatedError` naming it."""
    from parcli.xlsx.open import root_cause_name

    try:
        ws = wb[sheet]
        if hasattr(ws, "cell_values"):  # the calamine fast path: the rows as parsed, not copied cell by cell
            return ws.cell_values()  # type: ignore[no-any-return]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    except Exception as exc:  # a parser's own error class (calamine, lxml)
        raise ConsolidatedError(
            f"Trang tính “{sheet}” của {path.name} bị hỏng, không đọc được ({root_cause_name(exc)}). {REMAKE}"
        ) from None


def _item_table(
    wb: Any, path: Path, labels: tuple[str, ...], required: tuple[str, ...]
) -> tuple[Sequence[Sequence[Any]], Any]:
    """The rows of the "Tổng hợp" sheet and its header (None when not found)."""
    rows = _sheet_rows(wb, layout.SHEET_CONSOLIDATED, path)
    return rows, layout.find_header(_top(rows), labels, required)


def _top(rows: Sequence[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """The rows a header is searched among."""
    return [tuple(row) for row in rows[: layout.HEADER_SEARCH_ROWS]]


def read_consolidated(path: Path, campaign: Campaign | None = None) -> Consolidated:
    """Read a consolidated workbook and check it (see :meth:`Consolidated.checked`)."""
    return load_consolidated(path).checked(campaign)


def consolidated_for(campaign: Campaign, consolidated: Path | Consolidated, hint: str = "") -> Consolidated:
    """The consolidated data of ``campaign``, checked: read from a path, or as already read (read once).

    Raises :class:`ConsolidatedError` for unusable cells and :class:`UsageError`
    (followed by ``hint``) when the workbook was merged for another campaign.
    """
    data = load_consolidated(consolidated) if isinstance(consolidated, Path) else consolidated
    data = data.checked(campaign)
    if data.campaign_id != campaign.id:
        raise UsageError(
            f"Bảng tổng hợp {data.path.name} thuộc đợt “{data.campaign_id}”, không phải “{campaign.id}”.{hint}"
        )
    return data


def load_consolidated(path: Path) -> Consolidated:
    """Read a consolidated workbook of either mode, once; cells are checked later by :meth:`Consolidated.checked`.

    Raises :class:`ConsolidatedError` when the file is not a consolidated workbook.
    """
    if not path.is_file():
        raise InputNotFoundError(f"Không tìm thấy bảng tổng hợp {path}.")
    # calamine reads the ~100,000 rows of a commune campaign in a fraction of openpyxl's time;
    # formulas typed into these sheets are still seen (and refused as appraisals)
    sheets = (layout.SHEET_CONSOLIDATED, layout.SHEET_DEPARTMENTS, layout.SHEET_META)
    wb = _open(path, sheets, f"Không đọc được bảng tổng hợp {path} ({{error}}). {REMAKE}")
    try:
        meta = _metadata(wb, path)
        if not meta or meta.get(layout.META_KIND) != layout.KIND_CONSOLIDATED:
            raise ConsolidatedError(f"{path.name} không phải bảng tổng hợp do parcli merge tạo ra. {REMAKE}")
        result = Consolidated(path=path, metadata=meta)
        sheet = layout.SHEET_CONSOLIDATED
        if sheet not in wb.sheetnames:
            raise ConsolidatedError(f"{path.name} thiếu trang tính “{sheet}”. {REMAKE}")
        labels = layout.UNIT_CONSOLIDATED_HEADERS if result.is_units else layout.CONSOLIDATED_HEADERS
        rows, header = _item_table(wb, path, labels, labels)
        if header is None:
            raise ConsolidatedError(f"Không tìm thấy dòng tiêu đề đầy đủ trong {path.name} › {sheet}. {REMAKE}")
        _read_items(result, rows, header, len(labels))
        if layout.SHEET_DEPARTMENTS not in wb.sheetnames:  # merge always writes it
            raise ConsolidatedError(f"{path.name} thiếu trang tính “{layout.SHEET_DEPARTMENTS}”. {REMAKE}")
        _read_departments(result, _sheet_rows(wb, layout.SHEET_DEPARTMENTS, path))
        return result
    finally:
        wb.close()


def _column_letter(index: int) -> str:
    """``A`` for 1, ``AA`` for 27 (without importing openpyxl on the report path)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_items(result: Consolidated, rows: Sequence[Sequence[Any]], header: Any, width: int) -> None:
    """The item rows below ``header`` into ``result.rows`` (some 100,000 rows for a commune campaign).

    Columns whose values repeat (codes, units, labels, statuses, files) are converted once per distinct
    value, numbers once per distinct value; the free text of each row (explanation, evidence, note)
    once per cell.  An empty cell is None or "" (see :func:`_sheet_rows`): both read as empty.
    """
    col = {label: index - 1 for label, index in header.columns.items()}
    c_unit = col.get(layout.HEADER_UNIT_ID)
    c_level = col.get(layout.HEADER_LEVEL)
    where = f"{result.path.name} › {layout.SHEET_CONSOLIDATED}"
    appraised_letter = _column_letter(col[layout.HEADER_APPRAISED] + 1)
    score_letter = _column_letter(col[layout.HEADER_SCORE] + 1)
    c_code, c_scored_by = col[layout.HEADER_CODE], col[layout.HEADER_SCORED_BY]
    c_max, c_score, c_status = col[layout.HEADER_MAX], col[layout.HEADER_SCORE], col[layout.HEADER_ITEM_STATUS]
    c_appraised, c_note = col[layout.HEADER_APPRAISED], col[layout.HEADER_APPRAISAL_NOTE]
    c_explanation, c_evidence, c_file = (
        col[layout.HEADER_EXPLANATION],
        col[layout.HEADER_EVIDENCE],
        col[layout.HEADER_FILE],
    )
    scored_by_of = {v: k for k, v in layout.SCORED_BY_LABELS.items()}
    field_label = layout.LEVEL_LABELS[1]
    exempt_status = layout.EXEMPT_STATUS
    padding = [None] * width
    seen: dict[Any, str] = {None: "", "": ""}  # repeated text cells → their text
    known = seen.get
    decimals: dict[float, Decimal | None] = {}  # repeated numbers (maxima, scores) → their Decimal
    scopes = result.rows

    def repeated(value: Any) -> str:
        """The text of a cell not seen yet (a number or date is converted each time, as :func:`_text` does)."""
        text = _text(value)
        if type(value) is str:
            seen[value] = text
        return text

    def number(value: Any) -> Decimal | None:
        if type(value) is not float or not value:  # -0.0 and 0.0 are equal keys but not the same Decimal
            return _number(value)
        found = decimals.get(value)
        if found is None:
            found = decimals[value] = _number(value)
        return found

    def free_text(value: Any) -> str:
        if type(value) is str and value.isascii():
            return value.strip()
        return _text(value)

    offset = header.row
    for row in rows[header.row :]:
        offset += 1
        cells = row if len(row) >= width else (*row, *padding[len(row) :])
        value = cells[c_code]
        code = known(value) if type(value) is str or value is None else None
        if code is None:
            code = repeated(value)
        if not code:
            continue
        if c_level is not None:
            value = cells[c_level]
            level = known(value) if type(value) is str or value is None else None
            if (repeated(value) if level is None else level) == field_label:
                continue  # a field's subtotal row
        value = cells[c_scored_by]
        scored_by_label = known(value) if type(value) is str or value is None else None
        if scored_by_label is None:
            scored_by_label = repeated(value)
        if not scored_by_label:
            continue  # criterion rows with components carry no "Hình thức": they are group rows
        if c_unit is not None:
            value = cells[c_unit]
            scope = known(value) if type(value) is str or value is None else None
            if scope is None:
                scope = repeated(value)
        else:
            scope = PROVINCE_SCOPE
        scored_by = scored_by_of.get(scored_by_label, "self")
        try:
            item_max = number(cells[c_max])
        except (InvalidOperation, ValueError):
            item_max = None
        raw_score = cells[c_score]
        value = cells[c_status]
        status = known(value) if type(value) is str or value is None else None
        if status is None:
            status = repeated(value)
        not_applicable = status == exempt_status or (
            isinstance(raw_score, str) and raw_score != "" and layout.label_key(raw_score) == _NOT_APPLICABLE_KEY
        )
        raw_appraised = cells[c_appraised]
        cell = f"{appraised_letter}{offset}"
        appraised_problem = score_problem = ""
        try:
            appraised = None if raw_appraised is None or raw_appraised == "" else number(raw_appraised)
        except (InvalidOperation, ValueError):
            key = code if scope == PROVINCE_SCOPE else f"{scope}/{code}"
            appraised_problem = f"{where} › {cell} (mục {key}): điểm thẩm định “{raw_appraised}” không phải là số"
            appraised = None
        try:
            score = None if not_applicable else number(raw_score)
        except (InvalidOperation, ValueError):
            score_problem = (
                f"{where} › {score_letter}{offset} (mục {code}): điểm tự đánh giá “{raw_score}” đã bị sửa, "
                "không phải là số"
            )
            score = None
        value = cells[c_file]
        source = known(value) if type(value) is str or value is None else None
        if source is None:
            source = repeated(value)
        items = scopes.get(scope)
        if items is None:
            items = scopes[scope] = {}
        items[code] = _row_item(
            code,
            item_max,
            scored_by,
            score,
            not_applicable,
            appraised,
            free_text(cells[c_note]),
            free_text(cells[c_explanation]),
            free_text(cells[c_evidence]),
            status,
            source,
            cell,
            appraised_problem,
            score_problem,
        )


def _read_departments(result: Consolidated, rows: Sequence[Sequence[Any]]) -> None:
    header = layout.find_header(
        _top(rows), layout.DEPARTMENT_HEADERS, (layout.HEADER_DEPT_ID, layout.HEADER_STATUS_CODE)
    )
    if header is None:
        return
    col = {label: index - 1 for label, index in header.columns.items()}

    def get(row: Sequence[Any], label: str) -> Any:
        i = col.get(label)
        return row[i] if i is not None and i < len(row) else None

    for row in rows[header.row :]:
        dept_id = _text(get(row, layout.HEADER_DEPT_ID))
        if dept_id:
            result.departments[dept_id] = ConsolidatedDepartment(
                id=dept_id,
                status=_text(get(row, layout.HEADER_STATUS_CODE)),
                files=_text(get(row, layout.HEADER_FILES)),
                sent=_date(get(row, layout.HEADER_SENT)),
                received=_date(get(row, layout.HEADER_RECEIVED)),
                first_sent=_date(get(row, layout.HEADER_FIRST_SENT)),
                timing=_text(get(row, layout.HEADER_TIMING)),
            )
