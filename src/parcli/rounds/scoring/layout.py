"""The one place that knows how the scoring workbooks are laid out.

Both the generator and the return reader (and the merge writer/reader) take
sheet names, header labels, column order and metadata keys from here, so a
change of layout is a change in one module and a new :data:`LAYOUT_VERSION`.
The conventions every form shares (cover sheet, metadata sheet and its common
keys, header search, problems sheet) come from :mod:`parcli.collect.layout`
and are re-exported here.
"""

from __future__ import annotations

from parcli.collect.layout import (
    COVER_INPUT_LABELS,
    COVER_PHONE,
    COVER_POSITION,
    COVER_PREPARER,
    COVER_SENT,
    HEADER_FILES,
    HEADER_SEARCH_ROWS,
    KIND_CONSOLIDATED,
    KIND_RETURN,
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_YEAR,
    PROBLEM_HEADERS,
    SHEET_COVER,
    SHEET_META,
    SHEET_PROBLEMS,
    HeaderMatch,
    estimate_row_height,
    find_header,
    fit_row_height,
    label_key,
    nfc,
    sheet_ref,
)
from parcli.collect.rows import Column, Table

LAYOUT_VERSION = "1"

# --- the scoring workbook issued to a department -------------------------------------------
SHEET_SCORES = "Chấm điểm"

HEADER_CODE = "Mã"
HEADER_TITLE = "Nội dung"
HEADER_MAX = "Điểm tối đa"
HEADER_SCORE = "Điểm tự đánh giá"
HEADER_EXPLANATION = "Giải trình"
HEADER_EVIDENCE = "Tài liệu kiểm chứng"
HEADER_GUIDANCE = "Hướng dẫn chấm điểm"

SCORE_HEADER_ROW = 5  # where generate puts the header; the reader searches for it

# The scoring sheet's table: the department types the score, the explanation and the evidence.
SCORES = Table(
    SHEET_SCORES,
    (
        Column("code", HEADER_CODE, "code", required=True, width=9),
        Column("title", HEADER_TITLE, width=45),
        Column("max", HEADER_MAX, "number", width=9),
        Column("score", HEADER_SCORE, "number", required=True, input=True, width=11),
        Column("explanation", HEADER_EXPLANATION, expected=True, input=True, width=40),
        Column("evidence", HEADER_EVIDENCE, expected=True, input=True, width=32),
        Column("guidance", HEADER_GUIDANCE, width=62),
    ),
    SCORE_HEADER_ROW,
    f"có các cột “{HEADER_CODE}” và “{HEADER_SCORE}”",
    "Đề nghị điền lại vào phiếu gốc.",
)
SCORE_HEADERS: tuple[str, ...] = SCORES.labels
# 1-based column numbers in the scoring sheet
COL_CODE, COL_TITLE, COL_MAX, COL_SCORE, COL_EXPLANATION, COL_EVIDENCE, COL_GUIDANCE = range(1, 8)
INPUT_COLUMNS = tuple(SCORES.position(key) for key in SCORES.inputs)
COLUMN_WIDTHS: dict[int, float] = SCORES.widths

# Rows of the table whose code cell marks them, beside item rows.
TOTAL_LABEL = "Tổng cộng"

# Text a department types (or picks) in the score cell to mark an item not applicable.
NOT_APPLICABLE = "Không áp dụng"

# The hidden metadata sheet: keys in column A, values in column B, from row 1.
META_CAMPAIGN_HASH = "campaign_hash"
META_CATALOGUE = "catalogue_id"
META_CATALOGUE_HASH = "catalogue_hash"
META_DEPARTMENT = "department_id"
META_DEPARTMENT_NAME = "department_name"
META_APPENDIX = "appendix"
META_ITEMS = "items"
META_ROUND = "round_id"  # written only when the campaign declares rounds (after the keys above)
META_ROUND_TITLE = "round_title"
# META_YEAR (the campaign's year) is written last, after the round keys: a workbook of an earlier parcli has none
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
META_LISTS_FIRST_ROW = 31  # drop-down lists: code in A, allowed values from B, one row per item

# --- the consolidated workbook written by merge ---------------------------------------------
SHEET_CONSOLIDATED = "Tổng hợp"
SHEET_DEPARTMENTS = "Cơ quan"

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
HEADER_SENT = "Ngày gửi (ghi trên phiếu)"
HEADER_RECEIVED = "Ngày nhận tệp"
HEADER_FIRST_SENT = "Ngày gửi bản đầu"  # the first copy, when a corrected copy came later
HEADER_TIMING = "Thời hạn"  # "Đúng hạn", "Muộn" or "Nộp đúng hạn 13/01/2024; bản sửa 17/01/2024"
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
    HEADER_FIRST_SENT,
    HEADER_TIMING,
)
SCORED_BY_LABELS = {"self": "Tự đánh giá", "survey": "Điều tra XHH"}
LEVEL_LABELS = {1: "Lĩnh vực", 2: "Tiêu chí", 3: "Tiêu chí TP"}

__all__ = [  # the conventions every form shares, re-exported from parcli.collect.layout
    "COVER_INPUT_LABELS",
    "COVER_PHONE",
    "COVER_POSITION",
    "COVER_PREPARER",
    "COVER_SENT",
    "HEADER_FILES",
    "HEADER_SEARCH_ROWS",
    "KIND_CONSOLIDATED",
    "KIND_RETURN",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "META_YEAR",
    "PROBLEM_HEADERS",
    "SHEET_COVER",
    "SHEET_META",
    "SHEET_PROBLEMS",
    "HeaderMatch",
    "estimate_row_height",
    "find_header",
    "fit_row_height",
    "label_key",
    "nfc",
    "sheet_ref",
]
