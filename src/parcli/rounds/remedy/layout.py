"""The one place that knows how a remedy workbook (kế hoạch khắc phục) is laid out.

Issue and read both take from here: the sheet names, the header labels and
their order, the columns the department types into, the progress values of
the drop-down list, the hidden item sheet and the metadata keys.
"""

from __future__ import annotations

from parcli.collect.layout import (
    META_CAMPAIGN,
    META_GENERATED_AT,
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    SHEET_META,
    find_header,
    label_key,
    nfc,
)

LAYOUT_VERSION = "1"
KIND_REMEDY = "parcli-remedy"

SHEET_REMEDY = "Khắc phục"
SHEET_ITEMS = "parcli-muc"  # hidden: one row per item issued (scope, code, points lost)

HEADER_UNIT_ID = "Mã đơn vị"  # each-unit-scores only
HEADER_CODE = "Mã"
HEADER_TITLE = "Nội dung"
HEADER_MAX = "Điểm tối đa"
HEADER_SCORE = "Điểm đạt"
HEADER_LOST = "Điểm bị trừ"
HEADER_NOTE = "Ý kiến thẩm định"
HEADER_CAUSE = "Nguyên nhân"
HEADER_REMEDY = "Giải pháp khắc phục"
HEADER_DEADLINE = "Thời hạn"
HEADER_RESPONSIBLE = "Người chịu trách nhiệm"
HEADER_PROGRESS = "Tiến độ"
HEADER_RESULT = "Kết quả"
HEADER_EVIDENCE = "Tài liệu kiểm chứng"

GIVEN_HEADERS = (HEADER_CODE, HEADER_TITLE, HEADER_MAX, HEADER_SCORE, HEADER_LOST, HEADER_NOTE)
INPUT_HEADERS = (
    HEADER_CAUSE,
    HEADER_REMEDY,
    HEADER_DEADLINE,
    HEADER_RESPONSIBLE,
    HEADER_PROGRESS,
    HEADER_RESULT,
    HEADER_EVIDENCE,
)
WIDTHS: dict[str, float] = {
    HEADER_UNIT_ID: 14,
    HEADER_CODE: 9,
    HEADER_TITLE: 42,
    HEADER_MAX: 8,
    HEADER_SCORE: 8,
    HEADER_LOST: 8,
    HEADER_NOTE: 26,
    HEADER_CAUSE: 30,
    HEADER_REMEDY: 36,
    HEADER_DEADLINE: 12,
    HEADER_RESPONSIBLE: 20,
    HEADER_PROGRESS: 16,
    HEADER_RESULT: 28,
    HEADER_EVIDENCE: 28,
}
HEADER_ROW = 4  # 1-based: title, note, blank, header

PROGRESS_NOT_STARTED = "Chưa thực hiện"
PROGRESS_IN_PROGRESS = "Đang thực hiện"
PROGRESS_DONE = "Đã hoàn thành"
PROGRESS = (PROGRESS_NOT_STARTED, PROGRESS_IN_PROGRESS, PROGRESS_DONE)

META_CAMPAIGN_HASH = "campaign_hash"
META_ROUND = "round_id"  # the round whose lost points the plan remedies ("" for a campaign without rounds)
META_OWNER = "department_id"
META_OWNER_NAME = "department_name"
META_LAST_DEADLINE = "last_deadline"  # no remedy deadline may lie after it (the year-end returns deadline)
META_KEYS = (
    META_KIND,
    META_LAYOUT,
    META_TOOL_VERSION,
    META_CAMPAIGN,
    META_CAMPAIGN_HASH,
    META_ROUND,
    META_OWNER,
    META_OWNER_NAME,
    META_LAST_DEADLINE,
    META_GENERATED_AT,
)
ITEM_HEADERS = ("scope", "code", "lost")


def headers(*, units: bool) -> tuple[str, ...]:
    """The columns of the remedy sheet, in order."""
    lead = (HEADER_UNIT_ID,) if units else ()
    return (*lead, *GIVEN_HEADERS, *INPUT_HEADERS)


def file_stem(owner_stem: str) -> str:
    """``khac-phuc-PL01-so-noi-vu``."""
    return f"khac-phuc-{owner_stem}"


__all__ = [
    "HEADER_ROW",
    "INPUT_HEADERS",
    "KIND_REMEDY",
    "META_CAMPAIGN",
    "META_GENERATED_AT",
    "META_KEYS",
    "META_KIND",
    "META_LAYOUT",
    "META_TOOL_VERSION",
    "PROGRESS",
    "SHEET_ITEMS",
    "SHEET_META",
    "SHEET_REMEDY",
    "find_header",
    "headers",
    "label_key",
    "nfc",
]
