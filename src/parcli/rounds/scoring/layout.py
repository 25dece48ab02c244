"""The one place that knows how parcli workbooks are laid out.

Both the generator and the return reader (and the merge writer/reader) take
sheet names, header labels, column order and metadata keys from here, so a
change of layout is a change in one module and a new :data:`LAYOUT_VERSION`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LAYOUT_VERSION = "1"

# --- the scoring workbook issued to a department -------------------------------------------
SHEET_COVER = "Hướng dẫn"
SHEET_SCORES = "Chấm điểm"
SHEET_META = "parcli"  # hidden: metadata and drop-down lists

HEADER_CODE = "Mã"
HEADER_TITLE = "Nội dung"
HEADER_MAX = "Điểm tối đa"
HEADER_SCORE = "Điểm tự đánh giá"
HEADER_EXPLANATION = "Giải trình"
HEADER_EVIDENCE = "Tài liệu kiểm chứng"
HEADER_GUIDANCE = "Hướng dẫn chấm điểm"

SCORE_HEADERS: tuple[str, ...] = (
    HEADER_CODE,
    HEADER_TITLE,
    HEADER_MAX,
    HEADER_SCORE,
    HEADER_EXPLANATION,
    HEADER_EVIDENCE,
    HEADER_GUIDANCE,
)
# 1-based column numbers in the scoring sheet
COL_CODE, COL_TITLE, COL_MAX, COL_SCORE, COL_EXPLANATION, COL_EVIDENCE, COL_GUIDANCE = range(1, 8)
INPUT_COLUMNS = (COL_SCORE, COL_EXPLANATION, COL_EVIDENCE)
COLUMN_WIDTHS: dict[int, float] = {
    COL_CODE: 9,
    COL_TITLE: 45,
    COL_MAX: 9,
    COL_SCORE: 11,
    COL_EXPLANATION: 40,
    COL_EVIDENCE: 32,
    COL_GUIDANCE: 62,
}
SCORE_HEADER_ROW = 5  # where generate puts the header; the reader searches for it
HEADER_SEARCH_ROWS = 40

INPUT_FILL = "FFF2CC"  # the pale yellow of cells a department types into

# Rows of the table whose code cell marks them, beside item rows.
TOTAL_LABEL = "Tổng cộng"

# Text a department types (or picks) in the score cell to mark an item not applicable.
NOT_APPLICABLE = "Không áp dụng"

# The cover sheet: labels in column A, values in column B.  Unlocked inputs:
COVER_PREPARER = "Người lập biểu"
COVER_POSITION = "Chức vụ"
COVER_PHONE = "Số điện thoại"
COVER_SENT = "Ngày gửi"
COVER_INPUT_LABELS = (COVER_PREPARER, COVER_POSITION, COVER_PHONE, COVER_SENT)

# The hidden metadata sheet: keys in column A, values in column B, from row 1.
META_KIND = "kind"
META_LAYOUT = "layout_version"
META_TOOL_VERSION = "parcli_version"
META_CAMPAIGN = "campaign_id"
META_CAMPAIGN_HASH = "campaign_hash"
META_CATALOGUE = "catalogue_id"
META_CATALOGUE_HASH = "catalogue_hash"
META_DEPARTMENT = "department_id"
META_DEPARTMENT_NAME = "department_name"
META_APPENDIX = "appendix"
META_GENERATED_AT = "generated_at"
META_ITEMS = "items"
META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_CAMPAIGN_HASH,
    META_CATALOGUE,
    META_CATALOGUE_HASH,
    META_DEPARTMENT,
    META_DEPARTMENT_NAME,
    META_APPENDIX,
    META_GENERATED_AT,
    META_ITEMS,
)
KIND_RETURN = "parcli-return"
KIND_CONSOLIDATED = "parcli-consolidated"
META_LISTS_FIRST_ROW = 31  # drop-down lists: code in A, allowed values from B, one row per item

# --- the consolidated workbook written by merge ---------------------------------------------
SHEET_CONSOLIDATED = "Tổng hợp"
SHEET_DEPARTMENTS = "Cơ quan"
SHEET_PROBLEMS = "Vấn đề"

HEADER_APPRAISED = "Điểm thẩm định"
HEADER_APPRAISAL_NOTE = "Ý kiến thẩm định"
HEADER_SCORED_BY = "Hình thức"
HEADER_DEPARTMENT = "Cơ quan"
HEADER_APPENDIX = "Phụ lục"
HEADER_ITEM_STATUS = "Tình trạng"
HEADER_FILE = "Tệp nguồn"
HEADER_LEVEL = "Cấp"

CONSOLIDATED_HEADERS: tuple[str, ...] = (
    HEADER_CODE,
    HEADER_LEVEL,
    HEADER_TITLE,
    HEADER_MAX,
    HEADER_SCORED_BY,
    HEADER_SCORE,
    HEADER_APPRAISED,
    HEADER_APPRAISAL_NOTE,
    HEADER_EXPLANATION,
    HEADER_EVIDENCE,
    HEADER_DEPARTMENT,
    HEADER_APPENDIX,
    HEADER_ITEM_STATUS,
    HEADER_FILE,
)
CONSOLIDATED_HEADER_ROW = 4
CONSOLIDATED_WIDTHS = (9, 12, 55, 10, 13, 12, 12, 35, 45, 40, 30, 8, 22, 30)

# each-unit-scores mode: one long table, a row per unit and item (no group rows)
HEADER_UNIT_ID = "Mã đơn vị"
HEADER_UNIT = "Đơn vị"
HEADER_GROUP = "Nhóm"
UNIT_CONSOLIDATED_HEADERS: tuple[str, ...] = (
    HEADER_UNIT_ID,
    HEADER_UNIT,
    HEADER_GROUP,
    HEADER_CODE,
    HEADER_TITLE,
    HEADER_MAX,
    HEADER_SCORED_BY,
    HEADER_SCORE,
    HEADER_APPRAISED,
    HEADER_APPRAISAL_NOTE,
    HEADER_EXPLANATION,
    HEADER_EVIDENCE,
    HEADER_ITEM_STATUS,
    HEADER_FILE,
)
UNIT_CONSOLIDATED_WIDTHS = (16, 30, 10, 9, 50, 10, 13, 12, 12, 30, 40, 35, 22, 30)
META_MODE = "mode"
EXEMPT_STATUS = "Miễn đánh giá"  # item status of a unit's exempt branch

HEADER_DEPT_ID = "Mã cơ quan"
HEADER_STATUS = "Trạng thái"
HEADER_STATUS_CODE = "Mã trạng thái"
HEADER_ITEMS = "Số mục được giao"
HEADER_ERRORS = "Số lỗi"
HEADER_WARNINGS = "Số cảnh báo"
HEADER_FILES = "Tệp"
HEADER_SENT = "Ngày gửi (ghi trên phiếu)"
HEADER_RECEIVED = "Ngày nhận tệp"
DEPARTMENT_HEADERS: tuple[str, ...] = (
    HEADER_APPENDIX,
    HEADER_DEPT_ID,
    HEADER_DEPARTMENT,
    HEADER_STATUS,
    HEADER_STATUS_CODE,
    HEADER_ITEMS,
    HEADER_MAX,
    HEADER_SCORE,
    HEADER_ERRORS,
    HEADER_WARNINGS,
    HEADER_FILES,
    HEADER_SENT,
    HEADER_RECEIVED,
)
PROBLEM_HEADERS: tuple[str, ...] = (
    "Mức độ",
    "Mã lỗi",
    HEADER_DEPARTMENT,
    "Tệp",
    "Trang tính",
    "Ô",
    "Mục",
    "Nội dung",
)

SCORED_BY_LABELS = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}
LEVEL_LABELS = {1: "Lĩnh vực", 2: "Tiêu chí", 3: "Tiêu chí TP"}


def nfc(text: str) -> str:
    """Normalise text to NFC (composed Vietnamese)."""
    return unicodedata.normalize("NFC", text)


def label_key(value: object) -> str:
    """Comparable form of a header label: NFC, trimmed, case-folded, single spaces."""
    if value is None:
        return ""
    return " ".join(nfc(str(value)).split()).casefold()


@dataclass(frozen=True)
class HeaderMatch:
    """Where a header row was found and which column holds each label."""

    row: int
    columns: dict[str, int]


def find_header(
    rows: list[tuple[object, ...]], labels: tuple[str, ...], required: tuple[str, ...]
) -> HeaderMatch | None:
    """Find the header row among the first rows (1-based row numbers) by its labels."""
    wanted = {label_key(label): label for label in labels}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for col, value in enumerate(row, start=1):
            key = label_key(value)
            if key in wanted and wanted[key] not in columns:
                columns[wanted[key]] = col
        if all(label in columns for label in required):
            return HeaderMatch(row=index, columns=columns)
    return None


def sheet_ref(sheet: str, cell_range: str) -> str:
    """A quoted cross-sheet reference usable in formulas and validations."""
    return "'" + sheet.replace("'", "''") + "'!" + cell_range


def estimate_row_height(
    texts_by_column: Mapping[int, object], widths: Mapping[int, float], *, line_points: float = 15.75
) -> float | None:
    """The row height (points) that shows all wrapped text of a row, or None for one line.

    Spreadsheet programs do not re-measure rows written by a library
    (LibreOffice keeps the default height), so long text would be cut off.
    The estimate counts about 1.15 characters per unit of column width; only
    the columns in ``widths`` count, and only text values (not formulas).
    """
    lines = 1
    for col, width in widths.items():
        value = texts_by_column.get(col)
        if not isinstance(value, str) or value.startswith("="):
            continue
        per_line = max(int(width * 1.15), 1)
        count = sum(max(1, -(-len(part) // per_line)) for part in value.split("\n"))
        lines = max(lines, count)
    return round(lines * line_points, 2) if lines > 1 else None


def fit_row_height(ws: Any, row: int, widths: Mapping[int, float], *, line_points: float = 15.75) -> None:
    """Set a row height of an openpyxl worksheet that shows all wrapped text (see :func:`estimate_row_height`)."""
    texts = {col: ws.cell(row=row, column=col).value for col in widths}
    height = estimate_row_height(texts, widths, line_points=line_points)
    if height is not None:
        ws.row_dimensions[row].height = height
